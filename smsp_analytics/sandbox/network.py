"""A real API's manners over the internet: latency with jitter, and a per-key rate limit.

Both apply to the vendor paths (``/v1/``) only; the admin endpoints answer at once and are
never rate-limited. See README "Latency and rate limit".

>>> lat = Latency(80, seed=0)
>>> delays = [lat.next() for _ in range(1000)]
>>> 0.060 <= min(delays) and max(delays) <= 0.100 and 0.075 < sum(delays) / 1000 < 0.085
True
>>> rl = RateLimiter(2)
>>> [round(rl.admit("k", now=t), 3) for t in (10.0, 10.1, 10.2)]
[0.0, 0.0, 0.8]
>>> rl.admit("other", now=10.2), rl.admit("k", now=11.05)
(0.0, 0.0)
>>> per_minute = RateLimiter(5, window=60.0)
>>> [per_minute.admit("k", now=float(t)) for t in range(6)]
[0.0, 0.0, 0.0, 0.0, 0.0, 55.0]
"""

from __future__ import annotations

import collections
import hashlib
import random
import threading
import time

__all__ = ["Latency", "RateLimiter", "JITTER"]

#: Each delay is uniform in [ms x (1 - JITTER), ms x (1 + JITTER)].
JITTER = 0.25
_MAX_KEYS = 10_000  # keys tracked at once; the least recently seen is forgotten first


class Latency:
    """Delays (seconds) of successive answers: about ``ms`` milliseconds, seeded jitter."""

    def __init__(self, ms: float, seed: int = 0) -> None:
        self.seconds = ms / 1000.0
        self._rng = random.Random(f"latency-{seed}")
        self._lock = threading.Lock()

    def next(self) -> float:
        """The next delay; the sequence depends only on the seed and the request order."""
        with self._lock:
            u = self._rng.random()
        return self.seconds * (1.0 - JITTER + 2.0 * JITTER * u)


class RateLimiter:
    """At most ``limit`` admitted requests per key in any sliding window of ``window``
    seconds (one second by default; the account endpoints' per-minute limits use 60).

    Refused requests do not count, so a client that waits the advised time gets through.
    The answer to a refused request is the time until the oldest admitted request leaves
    the window (a slot frees then). Keys are held as one-way hashes (never the key itself).
    ``window`` may be changed while running (the admin's ``rate_window``).
    """

    def __init__(self, limit: int, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: collections.OrderedDict[bytes, collections.deque[float]] = (
            collections.OrderedDict()
        )
        self._lock = threading.Lock()

    def admit(self, key: str, now: float | None = None) -> float:
        """0.0 when the request is admitted (and counted), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        with self._lock:
            hits = self._hits.get(digest)
            if hits is None:
                hits = self._hits[digest] = collections.deque()
                if len(self._hits) > _MAX_KEYS:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(digest)
            window = self.window
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + window - now, 0.001)
            hits.append(now)
            return 0.0

    def clear(self) -> None:
        """Forget every request seen (the admin's reset)."""
        with self._lock:
            self._hits.clear()
