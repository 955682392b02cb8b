"""The client's quote history: :class:`HistoryRecorder`, a part of :class:`~smsp_analytics.Client`.

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
next call once the queue is empty (or at once with ``client.flush_history()``).

>>> from smsp_analytics import Client, Targeting
>>> with Client(announce=False, history="sqlite://") as c:     # an in-memory store
...     _ = c.calcul(Targeting(interest=14, departments=["60"]))
...     _ = c.calcul(Targeting(interest=14, departments=["60"]))   # memo: not recorded
...     c.history()[["op", "source", "locality"]].to_dict("records")
[{'op': 'calcul', 'source': 'sandbox:seed=0', 'locality': '60'}]
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.errors import not_allowed
from smsp_analytics.history import HistoryUnavailableWarning, HistoryWriter, QuoteHistory
from smsp_analytics.i18n import N_, _, ngettext
from smsp_analytics.targeting import Targeting
from smsp_analytics.wire.scope import Secret

__all__ = ["HistoryRecorder", "open_history", "ENV_HISTORY_URL"]


ENV_HISTORY_URL = "SMSP_HISTORY_URL"


def open_history(history: Any, tmpdir: str | None, persistent_sandbox: bool) -> QuoteHistory | None:
    """The store a client records into (None when ``history`` is False or None): see the
    module doc for the no-key sandbox's choice. ValueError/TypeError name ``history``; a bad
    ``$SMSP_HISTORY_URL`` raises :class:`~smsp_analytics.history.HistoryError`.

    >>> open_history(False, None, False) is None
    True
    """
    if isinstance(history, str):
        history = Secret(history)  # a URL's password: never a traceback local of ours
    if (
        history is True
        and tmpdir is not None
        and not persistent_sandbox
        and not os.environ.get(ENV_HISTORY_URL, "").strip()
    ):
        history = Path(tmpdir) / "history.sqlite"
    if history is not None and not isinstance(history, (bool, Secret, os.PathLike, QuoteHistory)):
        raise TypeError(
            not_allowed(
                "history",
                history,
                N_("True, False, a path or a database URL"),
                shown=_("a {type}").format(type=type(history).__name__),
            )
        )
    return QuoteHistory.open(history)


class HistoryRecorder:
    """Records live answers into ``store`` (None: nothing is recorded) through one
    background writer, labelled with ``key_hash`` and the source ``source()`` names now
    (a sandbox's seed is learnt from its first answer); reads them back with :meth:`frame`.

    >>> rec = HistoryRecorder(None, key_hash="k", source=lambda: "api:x")
    >>> rec.store is None, rec.frame().empty
    (True, True)
    >>> rec.close()
    """

    #: seconds an answer may wait for a locked store before it is dropped (with a warning)
    patience: float = 60.0
    #: seconds a rent waits for its answer to be recorded (then it is recorded later)
    rent_wait: float = 1.0
    #: seconds :meth:`close` lets the queue drain before giving up what is left (plus 0.5 s)
    close_timeout: float = 4.5

    def __init__(
        self, store: QuoteHistory | None, *, key_hash: str, source: Callable[[], str]
    ) -> None:
        self._store = store
        self._key_hash = key_hash
        self._source = source
        self._writer = None if store is None else HistoryWriter(store)

    @property
    def store(self) -> QuoteHistory | None:
        """The quote history answers are recorded into (None when off)."""
        return self._store

    def record(
        self,
        rows: Any,
        *,
        op: str,
        targeting: Targeting,
        volumes: Mapping[str, int] | None,
        as_of: Any,
        fetched_at: pd.Timestamp,
        background: bool = True,
    ) -> None:
        """Record one live answer (parsed rows, or a frame); nothing when off. Answers are
        written by a background thread: the call never waits for the store, except that with
        ``background=False`` (a rent) it waits up to ``rent_wait`` seconds for this answer
        (then it is written later). A store that fails only warns
        (:class:`~smsp_analytics.history.HistoryUnavailableWarning`)."""
        writer = self._writer
        if writer is None:
            return
        if isinstance(rows, pd.DataFrame):  # the caller's frame may change under the writer
            rows = rows.copy()
        kw = dict(
            op=op,
            targeting_params=targeting.to_parameters(),
            volumes=dict(volumes) if volumes else None,
            key_hash=self._key_hash,
            source=self._source(),
            as_of=as_of,
            fetched_at=fetched_at,
        )
        done = writer.put(rows, kw, patience=self.patience)
        if not background:
            done.wait(self.rent_wait)
        self._deliver(raise_errors=False)  # a quote is never failed by its recording

    def _deliver(self, raise_errors: bool = True) -> None:
        """Warn in this thread, once, about the answers the writer could not record, and
        raise what failed in it for another reason (a bug: at the next flush, ``frame()``
        or ``close()``)."""
        writer = self._writer
        if writer is None:
            return
        failed, error = writer.take(errors=raise_errors)
        if len(failed) == 1:
            warnings.warn(failed[0], HistoryUnavailableWarning, stacklevel=6)
        elif failed:
            ops = ", ".join(
                f"{n} {op}" for op, n in Counter(getattr(f, "op", "?") for f in failed).items()
            )
            warnings.warn(
                _(
                    "quote history {url}: {count} answers were not recorded ({ops}); the "
                    "last: {last}"
                ).format(url=writer.store.url, count=len(failed), ops=ops, last=failed[-1]),
                HistoryUnavailableWarning,
                stacklevel=6,
            )
        if error is not None:
            raise error

    def flush(self) -> None:
        """Wait until every answer handed to the background writer is recorded (or, behind
        a store locked longer than ``patience``, dropped); warn here about any the store
        could not take."""
        if self._writer is not None:
            self._writer.flush()
        self._deliver()

    def frame(
        self,
        params: dict[str, Any] | None = None,
        *,
        since: Any = None,
        until: Any = None,
        op: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """The recorded quotes (see ``Client.history``), after a :meth:`flush`; an empty
        frame of the same columns when off."""
        self.flush()  # this client's own answers are in it
        store = self._store if self._store is not None else QuoteHistory.open("sqlite://")
        assert store is not None  # an in-memory store always opens
        try:
            return store.frame(params, since=since, until=until, op=op)
        finally:
            if store is not self._store:
                store.close()

    def close(self) -> None:
        """Within ``close_timeout`` (+0.5 s) whatever the store does: answers still queued
        then are given up, with one warning that counts them."""
        writer = self._writer
        lost = 0 if writer is None else writer.close(self.close_timeout)
        try:
            if lost:
                assert writer is not None
                warnings.warn(
                    ngettext(
                        "quote history {url}: {count} answer was not recorded (the store did "
                        "not take them within {seconds} s of close())",
                        "quote history {url}: {count} answers were not recorded (the store did "
                        "not take them within {seconds} s of close())",
                        lost,
                    ).format(url=writer.store.url, count=lost, seconds=f"{self.close_timeout:g}"),
                    HistoryUnavailableWarning,
                    stacklevel=4,
                )
            self._deliver()
        finally:
            if self._store is not None:
                self._store.close()
