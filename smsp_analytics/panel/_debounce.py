"""Debouncing and off-thread work for the panel, in a kernel or in plain Python.

Why: a slider drag fires dozens of ``observe`` callbacks; only the last position matters,
and the API call must not block the kernel (the browser would stop answering).

Three modes, chosen once per panel:

* ``delay <= 0`` (tests, benchmarks): the callback runs at once, synchronously;
* a running asyncio loop (an ipykernel, hence Voila): ``loop.call_later`` timers on the
  kernel's loop, the work in a thread pool, the result handed back to the loop;
* no loop (a plain script): ``threading.Timer``.

>>> calls = []
>>> d = Debouncer(lambda: calls.append(1), delay=0)
>>> d(); d(); calls
[1, 1]
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["Debouncer", "Runner", "current_loop"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def current_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop of this thread (the kernel's, in a notebook), else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Debouncer:
    """Call ``fn()`` once, ``delay`` seconds after the last of a burst of calls.

    ``loop``: the loop that owns the widgets (captured when the panel is built in a
    kernel); timers are armed on it even when a call comes from another thread.
    """

    def __init__(
        self, fn: Callable[[], Any], delay: float, loop: asyncio.AbstractEventLoop | None = None
    ) -> None:
        self.fn = fn
        self.delay = float(delay)
        self.loop = loop
        self._lock = threading.Lock()
        self._handle: asyncio.TimerHandle | threading.Timer | None = None

    def __call__(self) -> None:
        if self.delay <= 0:
            self.fn()
            return
        if self.loop is not None and not self.loop.is_closed():
            if current_loop() is self.loop:
                self._arm_on_loop()
            else:
                self.loop.call_soon_threadsafe(self._arm_on_loop)
            return
        with self._lock:
            self.cancel()
            timer = threading.Timer(self.delay, self._fire)
            timer.daemon = True
            self._handle = timer
            timer.start()

    def _arm_on_loop(self) -> None:
        self.cancel()
        assert self.loop is not None
        self._handle = self.loop.call_later(self.delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        try:
            self.fn()
        except Exception:  # a timer callback has nobody to raise to: log it loudly
            log.exception("debounced callback %r failed", self.fn)

    def cancel(self) -> None:
        """Forget a pending call (if any)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.cancel()


class Runner:
    """Run ``work()`` then ``done(result_or_exception)`` where the widgets live.

    Synchronous when ``background`` is False (or ``wait=True``). Otherwise ``work`` runs in a one-thread pool
    (so requests keep their order and a slow API does not pile up threads) and ``done``
    is called back on ``loop`` when there is one, else on the worker thread.
    """

    def __init__(self, *, background: bool, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.background = background
        self.loop = loop
        self._pool: ThreadPoolExecutor | None = None

    def submit(
        self,
        work: Callable[[], T],
        done: Callable[[T | BaseException], object],
        *,
        wait: bool = False,
    ) -> None:
        if wait or not self.background:
            done(_call(work))
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smsp-panel")
        future: Future[T | BaseException] = self._pool.submit(_call, work)

        def hand_back(f: Future[T | BaseException]) -> None:
            result = f.result()  # _call never raises: exceptions come back as values
            if self.loop is not None and not self.loop.is_closed():
                self.loop.call_soon_threadsafe(_guarded, done, result)
            else:
                _guarded(done, result)

        future.add_done_callback(hand_back)

    def close(self) -> None:
        """Stop the worker thread (pending work is dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _call(work: Callable[[], T]) -> T | BaseException:
    try:
        return work()
    except Exception as exc:  # handed to done(), which shows and logs it
        return exc


def _guarded(done: Callable[[Any], object], result: Any) -> None:
    try:
        done(result)
    except Exception:
        log.exception("panel update failed")
