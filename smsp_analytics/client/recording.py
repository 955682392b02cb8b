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

The key is never stored: only :func:`~smsp_analytics.history.key_hash` of it. Answers are
written by one background thread (one transaction per answer, in order), so no call waits for
the store: a rent waits at most ``history_rent_wait`` (1 s) for its own answer, and a store
that does not answer (a SQLite file locked by another process, a frozen server) never delays
a quote, nor the call's deadline. A locked store is waited for in the background up to
``history_patience`` (60 s) per answer; ``close()`` waits at most 5 s, then gives up what is
left. Answers not recorded are warned in the caller's thread, in one warning per batch, at the
next call once the queue is empty (or at once with :meth:`HistoryMixin.flush_history`).

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
import threading
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd
import requests

from smsp_analytics.history import HistoryUnavailableWarning, QuoteHistory, key_hash
from smsp_analytics.history._writer import HistoryWriter
from smsp_analytics.wire.scope import Secret, SandboxInfo, normalise_origin
from smsp_analytics.targeting import Targeting

__all__ = ["HistoryMixin", "ENV_HISTORY_URL"]

ENV_HISTORY_URL = "SMSP_HISTORY_URL"


class HistoryMixin:
    """``history()``, the recording of live answers and the sandbox clock check."""

    _history: QuoteHistory | None = None
    _recorder: HistoryWriter | None = None
    _clock_local: threading.local
    #: seconds an answer may wait for a locked store before it is dropped (with a warning)
    history_patience: float = 60.0
    #: seconds ``rent`` waits for its answer to be recorded (then it is recorded later)
    history_rent_wait: float = 1.0
    #: seconds ``close()`` lets the queue drain before giving up what is left (plus 0.5 s)
    history_close_timeout: float = 4.5

    def _setup_history(self, history: Any, secret: Secret, tmpdir: str | None,
                       persistent_sandbox: bool) -> None:
        if isinstance(history, str):
            history = Secret(history)  # a URL's password: never a traceback local of ours
        if history is True and tmpdir is not None and not persistent_sandbox \
                and not os.environ.get(ENV_HISTORY_URL, "").strip():
            history = Path(tmpdir) / "history.sqlite"
        if history is not None and not isinstance(history, (bool, Secret, os.PathLike,
                                                            QuoteHistory)):
            raise TypeError(f"history: a {type(history).__name__} is not allowed; allowed: "
                            "True, False, a path or a database URL")
        self._key_hash = key_hash(secret.reveal())
        self._clock_local = threading.local()
        # ValueError/TypeError name `history`; a bad $SMSP_HISTORY_URL, HistoryError
        self._history = QuoteHistory.open(history)
        self._recorder = None if self._history is None else HistoryWriter(self._history)

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
        """Record one live answer (parsed rows, or a frame); nothing when off. Answers are
        written by a background thread: the call never waits for the store, except that with
        ``background=False`` (a rent) it waits up to ``history_rent_wait`` seconds for this
        answer (then it is written later). A store that fails only warns
        (:class:`~smsp_analytics.history.HistoryUnavailableWarning`)."""
        recorder = self._recorder
        if recorder is None:
            return
        if isinstance(rows, pd.DataFrame):  # the caller's frame may change under the writer
            rows = rows.copy()
        kw = dict(op=op, targeting_params=targeting.to_parameters(),
                  volumes=dict(volumes) if volumes else None, key_hash=self._key_hash,
                  source=self._history_source(), as_of=as_of, fetched_at=fetched_at)
        done = recorder.put(rows, kw, patience=self.history_patience)
        if not background:
            done.wait(self.history_rent_wait)
        self._deliver(raise_errors=False)  # a quote is never failed by its recording

    def _deliver(self, raise_errors: bool = True) -> None:
        """Warn in this thread, once, about the answers the writer could not record, and
        raise what failed in it for another reason (a bug: at the next flush,
        ``history()`` or ``close()``)."""
        recorder = self._recorder
        if recorder is None:
            return
        failed, error = recorder.take(errors=raise_errors)
        if len(failed) == 1:
            warnings.warn(failed[0], HistoryUnavailableWarning, stacklevel=4)
        elif failed:
            ops = ", ".join(f"{n} {op}" for op, n in Counter(
                getattr(f, "op", "?") for f in failed).items())
            warnings.warn(f"quote history {recorder.store.url}: {len(failed)} answers were not "
                          f"recorded ({ops}); the last: {failed[-1]}",
                          HistoryUnavailableWarning, stacklevel=4)
        if error is not None:
            raise error

    def flush_history(self) -> None:
        """Wait until every answer handed to the background writer is recorded (or, behind
        a store locked longer than ``history_patience``, dropped); warn here about any the
        store could not take.

        >>> from smsp_analytics import Client
        >>> with Client(announce=False, history=False) as c:
        ...     c.flush_history()
        """
        if self._recorder is not None:
            self._recorder.flush()
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
        """Within ``history_close_timeout`` (+0.5 s) whatever the store does: answers still
        queued then are given up, with one warning that counts them."""
        recorder = self._recorder
        lost = 0 if recorder is None else recorder.close(self.history_close_timeout)
        local = getattr(self, "_clock_local", None)
        if local is not None and getattr(local, "conn", None) is not None:
            local.conn.close()
        try:
            if lost:
                assert recorder is not None
                warnings.warn(
                    f"quote history {recorder.store.url}: {lost} "
                    f"{'answer was' if lost == 1 else 'answers were'} not recorded (the "
                    f"store did not take them within {self.history_close_timeout:g} s of "
                    "close())", HistoryUnavailableWarning, stacklevel=4)
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
