"""The client's quote history and sandbox clock (mixed into :class:`~smsp_analytics.Client`).

Every ``calcul``, ``price`` and ``rent`` answer received live is recorded in a
:class:`~smsp_analytics.history.QuoteHistory` (answers from the HTTP cache or the memo are
not recorded twice). Where it goes:

- ``history=True`` (default): ``$SMSP_HISTORY_URL`` if set, else a SQLite file in the user
  data directory. One exception: the no-key client's throw-away sandbox (no ``state_path``)
  records into its temporary directory, so synthetic quotes of notebooks and examples never
  mix into the analyst's real history; ``$SMSP_HISTORY_URL`` or an explicit path/URL still
  win. A sandbox with a ``state_path`` (the no-key CLI) records into the user's store, so
  ``smsp calcul ...`` then ``smsp history`` shows it. Sandbox quotes are labelled
  ``sandbox:seed=N`` in ``source``: drift never compares them with API quotes.
- a path (SQLite file) or a database URL (``postgresql+psycopg://...`` for a team);
- ``False``/``None``: nothing is recorded.

The key is never stored: only :func:`~smsp_analytics.history.key_hash` of it. Calcul and
price answers are written by one background thread (one transaction per answer, in order), so
a sweep does not wait for the store; :meth:`HistoryMixin.history` and ``close()`` wait for
it, and a store failure is warned in the caller's thread at the next call (or at once with
:meth:`HistoryMixin.flush_history`). Rents are recorded before ``rent`` returns.

>>> from smsp_analytics import Client, Targeting
>>> with Client(announce=False, history="sqlite://") as c:     # an in-memory store
...     _ = c.calcul(Targeting(interest=14, departments=["60"]))
...     _ = c.calcul(Targeting(interest=14, departments=["60"]))   # memo: not recorded
...     c.history()[["op", "source", "locality"]].to_dict("records")
[{'op': 'calcul', 'source': 'sandbox:seed=0', 'locality': '60'}]
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import threading
import warnings
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd
import requests

from .history import HistoryUnavailableWarning, QuoteHistory, key_hash
from .scope import Secret, SandboxInfo, normalise_origin
from .targeting import Targeting

__all__ = ["HistoryMixin", "ENV_HISTORY_URL"]

ENV_HISTORY_URL = "SMSP_HISTORY_URL"


class HistoryMixin:
    """``history()``, the recording of live answers and the sandbox clock check."""

    _history: QuoteHistory | None = None
    _queue: queue.Queue | None = None
    _writer: threading.Thread | None = None
    _clock_local: threading.local

    def _setup_history(self, history: Any, secret: Secret, tmpdir: str | None,
                       persistent_sandbox: bool) -> None:
        if history is True and tmpdir is not None and not persistent_sandbox \
                and not os.environ.get(ENV_HISTORY_URL, "").strip():
            history = Path(tmpdir) / "history.sqlite"
        if history is not None and not isinstance(history, (bool, str, os.PathLike,
                                                            QuoteHistory)):
            raise TypeError(f"history: a {type(history).__name__} is not allowed; allowed: "
                            "True, False, a path or a database URL")
        self._history = QuoteHistory.open(history)  # ValueError/TypeError name `history`
        self._key_hash = key_hash(secret.reveal())
        self._clock_local = threading.local()
        self._queue: queue.Queue | None = queue.Queue()
        self._writer: threading.Thread | None = None
        self._pending: list[str | BaseException] = []
        self._writer_lock = threading.Lock()

    @property
    def history_store(self) -> QuoteHistory | None:
        """The quote history this client records into (None when ``history=False``)."""
        return self._history

    def _history_source(self) -> str:
        if not self.synthetic:
            return f"api:{normalise_origin(self.base_url)}"
        if self._sandbox is not None:
            return f"sandbox:seed={int(self._sandbox.config.seed)}"
        info = self._transport.sandbox
        if info is not None and info.seed is not None:
            return f"sandbox:seed={info.seed}"
        return f"sandbox:{normalise_origin(self.base_url)}"

    def record_answer(self, rows: Any, *, op: str, targeting: Targeting,
                      volumes: Mapping[str, int] | None, as_of: pd.Timestamp,
                      fetched_at: pd.Timestamp, background: bool = True) -> None:
        """Record one live answer (parsed rows, or a frame with ``background=False``: a
        frame handed to the caller may change under a writer thread); nothing when off. A
        store that fails only warns
        (:class:`~smsp_analytics.history.HistoryUnavailableWarning`)."""
        if self._history is None:
            return
        kw = dict(op=op, targeting_params=targeting.to_parameters(),
                  volumes=dict(volumes) if volumes else None, key_hash=self._key_hash,
                  source=self._history_source(), as_of=as_of, fetched_at=fetched_at)
        if not background:
            self._history.record(rows, **kw)
            return
        assert self._queue is not None
        with self._writer_lock:  # the writer only ends under this lock, with nothing queued
            self._queue.put((rows, kw))
            if self._writer is None:
                # Not a daemon: a script that exits without close() still records its last
                # answers; the thread ends once idle, so nothing waits for it for long.
                self._writer = threading.Thread(target=self._write_loop, args=(self._queue,),
                                                name="smsp-history-writer")
                self._writer.start()
        self._deliver(raise_errors=False)  # a quote is never failed by its recording

    def _write_loop(self, jobs: queue.Queue) -> None:
        while True:
            try:
                job = jobs.get(timeout=0.25)
            except queue.Empty:
                with self._writer_lock:
                    if jobs.empty():
                        self._writer = None
                        return
                continue
            try:
                if job is None:
                    with self._writer_lock:
                        self._writer = None
                    return
                store = self._history
                if store is not None:
                    message = store.record(job[0], **job[1], warn=False)
                    if message is not None:
                        self._pending.append(message)
            except Exception as exc:  # a bug, not a store failure: raised in the caller
                self._pending.append(exc)
            finally:
                jobs.task_done()

    def _deliver(self, raise_errors: bool = True) -> None:
        """Warn in this thread what the writer could not record, and raise what failed in
        it for another reason (a bug: at the next flush, ``history()`` or ``close()``)."""
        pending = getattr(self, "_pending", None)  # None in a half-made client
        while pending:
            if isinstance(pending[0], BaseException):
                if not raise_errors:
                    return
                raise pending.pop(0)
            item = pending.pop(0)
            warnings.warn(item, HistoryUnavailableWarning, stacklevel=4)

    def flush_history(self) -> None:
        """Wait until every answer handed to the background writer is recorded; warn here
        about any the store could not take.

        >>> from smsp_analytics import Client
        >>> with Client(announce=False, history=False) as c:
        ...     c.flush_history()
        """
        if self._queue is not None:
            self._queue.join()
        self._deliver()

    def history(self, targeting: Targeting | Mapping[str, Any] | None = None, *,
                since: Any = None, until: Any = None,
                op: str | Iterable[str] | None = None) -> pd.DataFrame:
        """The recorded quotes, one row per locality, oldest first: ``as_of``,
        ``fetched_at``, ``source``, ``op``, the targeting's fields, ``locality``,
        ``volume``, ``unit_cost_eur``, ``cost_eur`` (plus ``quote_id``, ``key_hash``,
        ``targeting_key``, ``locality_type``).

        The history is a shared record (a team's PostgreSQL store holds every analyst's
        quotes): it is filtered by ``targeting``, dates (``since``/``until`` bound
        ``as_of``, inclusive; a bare date covers its day) and ``op`` only, never by this
        client's account or source; ``source`` tells API and sandbox quotes apart. Pass it
        to :func:`~smsp_analytics.history.drift`. Empty when ``history=False``.
        """
        self.flush_history()  # this client's own answers are in it
        params = None
        if targeting is not None:
            params = self.targeting(targeting).to_parameters()
        store = self._history if self._history is not None else QuoteHistory.open("sqlite://")
        try:
            return store.frame(params, since=since, until=until, op=op)
        finally:
            if store is not self._history:
                store.close()

    def _close_history(self) -> None:
        with getattr(self, "_writer_lock", threading.Lock()):
            writer = self._writer
            if writer is not None and self._queue is not None:
                self._queue.put(None)
        if writer is not None:
            writer.join()
        local = getattr(self, "_clock_local", None)
        if local is not None and getattr(local, "conn", None) is not None:
            local.conn.close()
        try:
            self._deliver()
        finally:
            if self._history is not None:
                self._history.close()

    # -- the sandbox clock -----------------------------------------------------------------

    @property
    def sandbox(self) -> Any:
        """The background sandbox of a no-key client (None otherwise). Move its clock with
        ``client.sandbox.set_date("2026-10-01")``: the next quotes are live, of that date.

        >>> from smsp_analytics import Client
        >>> with Client(announce=False, sandbox={"date": "2026-09-01"}) as c:
        ...     c.sandbox.date.isoformat()
        '2026-09-01'
        """
        return self._sandbox

    def _live_clock(self) -> SandboxInfo | None:
        """The sandbox's seed and date now (None: not a sandbox). The in-process sandbox is
        read directly; another one is asked (``GET /_sandbox/info``, no key sent)."""
        if self._sandbox is not None:
            return SandboxInfo(int(self._sandbox.config.seed), self._sandbox.date.isoformat())
        if self._transport.sandbox is None:
            return None
        body = self._ask_clock()
        if not isinstance(body, dict):
            return None
        return SandboxInfo(body.get("seed"), None if body.get("date") is None
                           else str(body["date"]))

    def _ask_clock(self) -> Any:
        """``GET /_sandbox/info`` on this thread's kept-alive connection (a plain
        http.client one: this runs before every memo or cache hit, and requests costs several
        times more per call); None when the sandbox cannot say."""
        local = self._clock_local
        parts = requests.utils.urlparse(self.base_url)
        for _ in range(2):  # a kept-alive connection the server closed: one new attempt
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(parts.hostname, parts.port,
                                                               timeout=2)
            try:
                conn.request("GET", "/_sandbox/info")
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                local.conn = None
                continue
            try:
                return json.loads(data) if resp.status == 200 else None
            except ValueError:
                return None
        return None  # then the live request says it (its headers move the scope)

    def clock_moved(self) -> bool:
        """Whether the sandbox's seed or date moved since this client's cache scope was set
        (then no cached or memoised answer may be served: the next read goes live). Always
        False for the real API.

        >>> from smsp_analytics import Client
        >>> with Client(announce=False) as c:
        ...     c.clock_moved()
        False
        """
        if not self.synthetic:
            return False
        held = self._transport.sandbox
        if held is None:
            return False
        now = self._live_clock()
        if now is None:
            return False
        return (now.date is not None and str(held.date) != str(now.date)) or (
            now.seed is not None and str(held.seed) != str(now.seed))
