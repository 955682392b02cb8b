"""Keeping under a vendor's rate limit: wait before a request rather than be refused.

Some read-only endpoints are limited per minute (the format check, 360; the sending
statistics, 5). :class:`RateWindow` lets at most ``limit`` requests start in any ``window``
seconds (a sliding window, so it never exceeds the vendor's count however the vendor
aligns its own), and makes the next request wait when a 429 asked for a pause
(:meth:`RateWindow.hold`). Once answered, a request's slot is dated from its answer
(:meth:`RateWindow.settle`): the server admitted it at some time before, so the window
can never be shorter than the server's, however long the request took; an answer from the
HTTP cache gives its slot back. A small ``margin`` absorbs clock granularity.

>>> now = [0.0]
>>> w = RateWindow(2, 60.0, margin=0.0, clock=lambda: now[0],
...                sleep=lambda s: now.__setitem__(0, now[0] + s))
>>> [w.acquire()[1] for _ in range(3)]       # the third waits for the first to age out
[0.0, 0.0, 60.0]
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable

__all__ = ["RateWindow"]


class RateWindow:
    """At most ``limit`` request starts in any ``window`` seconds; thread-safe."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit: {limit!r} is not allowed; allowed: an integer >= 1")
        if not window > 0:
            raise ValueError(f"window: {window!r} is not allowed; allowed: seconds > 0")
        self.limit = limit
        self.window = float(window)
        self.margin = float(margin)
        self._clock = clock
        self._sleep = sleep
        self._starts: list[float] = []  # sorted
        self._not_before = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateWindow(limit={self.limit}, window={self.window:g})"

    def _wait_needed(self, now: float) -> float:
        while self._starts and self._starts[0] + self.window + self.margin <= now:
            self._starts.pop(0)
        wait = max(0.0, self._not_before - now)
        if len(self._starts) >= self.limit:
            wait = max(wait, self._starts[0] + self.window + self.margin - now)
        return wait

    def acquire(self) -> tuple[float, float]:
        """Wait until a request may start and take a slot: ``(slot, seconds waited)``; hand
        the slot to :meth:`settle` once answered."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    bisect.insort(self._starts, now)
                    return now, waited
            self._sleep(wait)
            waited += wait

    def settle(self, slot: float, *, sent: bool = True) -> None:
        """The request of ``slot`` is over: its slot is dated now (``sent``), or given back
        (an answer from the cache: nothing reached the server)."""
        with self._lock:
            i = bisect.bisect_left(self._starts, slot)
            if i < len(self._starts) and self._starts[i] == slot:
                del self._starts[i]
            if sent:
                bisect.insort(self._starts, self._clock())

    def hold(self, seconds: float) -> None:
        """No request starts before ``seconds`` from now (the API answered 429 with
        ``Retry-After``)."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + max(0.0, seconds))

    def wait_for(self) -> float:
        """Seconds the next request would wait now (0: it may start at once)."""
        with self._lock:
            return self._wait_needed(self._clock())
