"""The app's cache of model answers, bounded in bytes (README "Speed").

A key is the model query, the clock's month offset and a 16-byte digest of the localities
(never the 6,000 zip code strings themselves); a value is the rows as a compact int64
array and the total. Least recently used entries go first once the estimated size passes
``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`, 64 MB: ~1,300 all-zip-code answers, or
~130,000 small ones; the app keeps only targetings of more than 200 localities).

>>> c = AnswerCache(max_bytes=10_000)
>>> c.get_or_compute(("q", 0), ("60",), (), lambda: ([5], 5))
([5], 5)
>>> c.get_or_compute(("q", 0), ("60",), (), lambda: ([9], 9)), c.hits
(([5], 5), 1)
"""

from __future__ import annotations

import collections
import hashlib
import threading
from collections.abc import Callable, Hashable
from functools import lru_cache

import numpy as np

__all__ = ["AnswerCache", "BodyCache", "DEFAULT_MAX_BYTES", "ENTRY_OVERHEAD", "SEEN_MARKS"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Estimated bytes of one entry besides its rows (key tuple, digest, query, dict slot).
ENTRY_OVERHEAD = 480
#: Requests a BodyCache remembers having answered once (then it forgets them all).
SEEN_MARKS = 65_536


def _hash(departments: tuple[str, ...], zipcodes: tuple[str, ...]) -> bytes:
    text = "\x1f".join(departments) + "\x1e" + "\x1f".join(zipcodes)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


_recent_hash = lru_cache(maxsize=256)(_hash)


def _digest(departments: tuple[str, ...], zipcodes: tuple[str, ...]) -> bytes:
    # Small targetings come back again and again (a sweep, a panel): their digest is kept;
    # a large one (thousands of zip codes) is not held in memory for that.
    if len(departments) + len(zipcodes) <= 200:
        return _recent_hash(departments, zipcodes)
    return _hash(departments, zipcodes)


class AnswerCache:
    """A thread-safe LRU of (rows, total) answers, bounded by an estimate of its bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self._data: collections.OrderedDict[tuple, tuple[np.ndarray, int]] = (
            collections.OrderedDict()
        )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get_or_compute(
        self,
        query: Hashable,
        departments: tuple[str, ...],
        zipcodes: tuple[str, ...],
        compute: Callable[[], tuple[list[int], int]],
    ) -> tuple[list[int], int]:
        """The cached answer for the key, else ``compute()`` stored."""

        def packed() -> tuple[np.ndarray, int]:
            rows, total = compute()
            return np.asarray(rows, dtype=np.int64), total

        rows, total = self.packed(query, departments, zipcodes, packed)
        return rows.tolist(), total

    def packed(
        self,
        query: Hashable,
        departments: tuple[str, ...],
        zipcodes: tuple[str, ...],
        compute: Callable[[], tuple[np.ndarray, int]],
    ) -> tuple[np.ndarray, int]:
        """:meth:`get_or_compute` with the rows as an int64 array, kept as it is (read
        only: the caller must not change it)."""
        key = (query, _digest(departments, zipcodes))
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return found
        rows, total = compute()
        rows.setflags(write=False)
        size = rows.nbytes + ENTRY_OVERHEAD
        with self._lock:
            if key not in self._data and size <= self.max_bytes:
                self._data[key] = (rows, total)
                self.bytes += size
                while self.bytes > self.max_bytes:
                    _, (old, _) = self._data.popitem(last=False)
                    self.bytes -= old.nbytes + ENTRY_OVERHEAD
        return rows, total

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._data.clear()
            self.bytes = 0


class BodyCache:
    """A thread-safe LRU of whole answers (body bytes and media type) of the requests that
    change nothing (calcul, price), keyed by what decides them: the raw request body, the
    query string, the clock's month and the unit price. Bounded by the bytes of its keys
    and values (``max_bytes``, default 32 MB).

    An answer is kept the second time its request is answered, not the first: a request
    asked once (a new age range in a sweep) then costs a mark (the key's hash, among the
    last :data:`SEEN_MARKS`), not 5 kB of new memory per 101-department answer, which
    cost a distinct calcul more than writing it (issue 18); a repeated one is computed
    twice, then read.

    >>> c = BodyCache(max_bytes=1_000)
    >>> c.put((b"{}", 0), b"answer", "application/json"); c.get((b"{}", 0)) is None
    True
    >>> c.put((b"{}", 0), b"answer", "application/json"); c.get((b"{}", 0))
    (b'answer', 'application/json')
    >>> c.put((b"x" * 600, 0), b"y" * 600, "application/json"); c.get((b"x" * 600, 0)) is None
    True
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._data: collections.OrderedDict[tuple, tuple[bytes, str, int]] = (
            collections.OrderedDict()
        )
        self._seen: set[int] = set()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            self._data.move_to_end(key)
            return found[0], found[1]

    def put(self, key: tuple, body: bytes, media_type: str) -> None:
        mark = hash(key)  # a collision only keeps an answer at its first sight: harmless
        with self._lock:
            if mark not in self._seen:
                if len(self._seen) >= SEEN_MARKS:
                    self._seen.clear()
                self._seen.add(mark)
                return
        size = len(body) + ENTRY_OVERHEAD + sum(len(k) for k in key if isinstance(k, bytes))
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._data:
                return
            self._data[key] = (body, media_type, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, _, old) = self._data.popitem(last=False)
                self.bytes -= old

    def clear(self) -> None:
        """Forget every answer (and every request answered once)."""
        with self._lock:
            self._data.clear()
            self._seen.clear()
            self.bytes = 0
