"""A client's background history writer: one thread records the answers in order, so that no
calcul, rent or sweep waits for the store, and ``close()`` never waits long for it.

A SQLite file locked by another writer is waited for in short attempts until an answer's
``patience`` runs out (then it is dropped); any other failure drops the answer at once. Why
answers were dropped is collected and handed to the caller's thread in one batch once the
queue is empty, so that a locked episode gives one warning that counts them.

>>> from smsp_analytics.history import QuoteHistory
>>> import pandas as pd
>>> w = HistoryWriter(QuoteHistory.open("sqlite://"))
>>> frame = pd.DataFrame({"locality": ["60"], "volume": [1], "unit_cost_eur": [0.1],
...                       "cost_eur": [0.1]})
>>> done = w.put(frame, dict(op="calcul", targeting_params={"interest": 14}, volumes=None,
...                          key_hash="h", source="example"), patience=5)
>>> done.wait(5), w.close(timeout=5), len(w.store.frame())
(True, 0, 1)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from smsp_analytics.history._errors import NotRecorded
from smsp_analytics.history._store import QuoteHistory

__all__ = ["HistoryWriter"]

_ATTEMPT = 1.0  # seconds one attempt waits for a locked SQLite file (close() checks between)
_IDLE = 0.25  # seconds an idle writer thread lives on before it ends


class _Job:
    __slots__ = ("rows", "kw", "done", "deadline")

    def __init__(self, rows: Any, kw: dict[str, Any], deadline: float) -> None:
        self.rows, self.kw, self.deadline = rows, kw, deadline
        self.done = threading.Event()


class HistoryWriter:
    """Records answers into ``store`` from one background thread, in order."""

    def __init__(self, store: QuoteHistory) -> None:
        self.store = store
        self._jobs: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._failed: list[str] = []  # why answers were dropped, not yet warned
        self._errors: list[BaseException] = []  # bugs, raised in the caller's thread
        self._closing = False
        self._abandoned = False

    def put(self, rows: Any, kw: dict[str, Any], *, patience: float) -> threading.Event:
        """Queue one answer (``rows`` and :meth:`QuoteHistory.record`'s keywords); the event
        is set once it is recorded or dropped. ``patience``: seconds after which an answer
        still waiting for a locked store is dropped."""
        job = _Job(rows, kw, time.monotonic() + float(patience))
        with self._cond:
            self._jobs.append(job)
            self._closing = self._abandoned = False
            if self._thread is None:
                # Not a daemon: a script that exits without close() still records its last
                # answers; the thread ends once idle, so nothing waits for it for long.
                self._thread = threading.Thread(target=self._run, name="smsp-history-writer")
                self._thread.start()
            self._cond.notify_all()
        return job.done

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._jobs and not self._closing:
                    self._cond.wait(_IDLE)
                if not self._jobs:
                    self._thread = None
                    self._cond.notify_all()
                    return
                job = self._jobs[0]
            outcome = self._write(job)
            with self._cond:
                if self._jobs and self._jobs[0] is job:  # else close() gave it up
                    self._jobs.popleft()
                    if isinstance(outcome, BaseException):
                        self._errors.append(outcome)
                    elif outcome is not None:
                        self._failed.append(outcome)
                job.done.set()
                self._cond.notify_all()

    def _write(self, job: _Job) -> NotRecorded | BaseException | None:
        """Record one answer; a store that is only busy is tried again, in short attempts,
        until the answer's patience runs out or close() gives up."""
        while True:
            left = job.deadline - time.monotonic()
            try:
                message = self.store.record(
                    job.rows, **job.kw, warn=False, wait=min(_ATTEMPT, max(left, 0.05))
                )
            except Exception as exc:  # noqa: BLE001 - a bug, not a store failure: raised later
                return exc
            if (
                message is None
                or not message.busy
                or self._abandoned
                or time.monotonic() >= job.deadline
            ):
                return message
            time.sleep(0.05)  # a lock refused at once (no busy wait): no spinning

    def pending(self) -> int:
        """Answers queued, or being written."""
        with self._cond:
            return len(self._jobs)

    def take(self, *, errors: bool) -> tuple[list[str], BaseException | None]:
        """Why answers were dropped (only once nothing is queued: a locked episode is one
        batch) and, with ``errors``, the first bug to raise in the caller's thread."""
        with self._cond:
            failed: list[str] = []
            if not self._jobs:
                failed, self._failed = self._failed, []
            error = self._errors.pop(0) if errors and self._errors else None
        return failed, error

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued answer is recorded or dropped; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs, timeout)

    def close(self, timeout: float) -> int:
        """Let the queue drain for at most ``timeout`` seconds, then give up what is left:
        the store's current operation is aborted (a frozen server is not waited for).
        Returns how many answers were given up."""
        end = time.monotonic() + timeout
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            self._cond.wait_for(lambda: not self._jobs, timeout)
            lost = len(self._jobs)
            if lost:
                self._abandoned = True
                for job in self._jobs:
                    job.done.set()
                self._jobs.clear()
            thread = self._thread
        if lost:
            self.store.abort()
        if thread is not None:  # ends at once unless stuck in the store: not waited long
            thread.join(max(0.0, end - time.monotonic()) + (0.5 if lost else 0.0))
        return lost
