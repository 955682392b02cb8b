"""The quote history store: one row per quote, one per locality, in SQLite or PostgreSQL."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from smsp_analytics.errors import not_allowed
from smsp_analytics.frames import LocalityRows
from smsp_analytics.history._engine import ConnectionGuard, is_busy, lock_wait, make_engine
from smsp_analytics.history._errors import HistoryError, HistoryUnavailableWarning, NotRecorded
from smsp_analytics.history._fields import (
    OPS,
    canonical_targeting,
    check_ops,
    targeting_fields,
    until_before_since,
)
from smsp_analytics.history._insert import insert_answer, insert_statements, quote_row, unavailable
from smsp_analytics.history._rows import FRAME_COLUMNS, rows_of, typed
from smsp_analytics.history._schema import SchemaVersionError, ensure_schema, quote_rows, quotes
from smsp_analytics.history._url import hide, parse_url, redact_url, unsupported_url
from smsp_analytics.i18n import _
from smsp_analytics.vocab import APP_NAME, TARGETING_COLUMNS, parse_utc
from smsp_analytics.wire.scope import Secret

__all__ = [
    "QuoteHistory",
    "HistoryUnavailableWarning",
    "HistoryError",
    "NotRecorded",
    "redact_url",
    "default_history_path",
    "FRAME_COLUMNS",
]


ENV_URL = "SMSP_HISTORY_URL"
# What a failing store raises: driver and SQL errors, our own version check, and the OS
# (a SQLite directory that cannot be created).
_STORE_ERRORS = (sa.exc.SQLAlchemyError, SchemaVersionError, OSError)


def default_history_path() -> Path:
    """Where ``QuoteHistory.open(True)`` keeps its SQLite file (the user data directory)."""
    return platformdirs.user_data_path(APP_NAME) / "history.sqlite"


class QuoteHistory:
    """Every calcul, price and rent answer, kept in a SQL database (SQLAlchemy Core):
    SQLite for one analyst, PostgreSQL for a team sharing one store.

    >>> from smsp_analytics.history import QuoteHistory
    >>> h = QuoteHistory.open("sqlite://")          # in memory, for the example
    >>> df = pd.DataFrame({"locality": ["60"], "volume": [120], "unit_cost_eur": [0.09],
    ...                    "cost_eur": [10.8]})
    >>> h.record(df, op="calcul", targeting_params={"sexe": "f", "minAge": 25, "maxAge": 35,
    ...          "interest": 14, "department": "60"}, volumes=None, key_hash="0" * 24,
    ...          source="sandbox:seed=0", as_of="2026-10-01T09:00:00Z")
    >>> h.frame()[["as_of", "op", "locality", "volume"]].to_dict("records")
    [{'as_of': Timestamp('2026-10-01 09:00:00+0000', tz='UTC'), 'op': 'calcul', 'locality': '60', 'volume': 120}]
    """

    def __init__(self, url: str | sa.URL | Secret, *, retry_after: float = 30.0) -> None:
        """``url``: a database URL (text, a SQLAlchemy URL, or a
        :class:`~smsp_analytics.wire.scope.Secret` holding the text); ``retry_after``: seconds
        during which recording is not attempted again after the store was found unreachable
        (each answer then only warns)."""
        url = hide(url)  # from here on no frame of ours holds the password as text
        parsed, problem = parse_url(url, "history")
        if problem is not None or parsed is None:
            raise ValueError(problem)
        self._url: sa.URL = parsed
        failure = None
        try:
            self._engine = make_engine(parsed)
        except (sa.exc.NoSuchModuleError, ImportError) as exc:
            failure = unsupported_url("history", self.url, exc)
        if failure is not None:
            raise ValueError(failure)
        self._guard = ConnectionGuard(self._engine)
        self._ready = False
        self._insert_sql_cache: tuple[str, str] | None = None
        dbapi = self._engine.dialect.loaded_dbapi
        self._store_errors = (*_STORE_ERRORS, dbapi.Error)
        self._unreachable_errors = (
            sa.exc.OperationalError,
            sa.exc.InterfaceError,
            dbapi.OperationalError,
            dbapi.InterfaceError,
            OSError,
        )
        self.retry_after = float(retry_after)
        self._down_until = 0.0
        # SQLite has one writer at a time: threads of a sweep queue here rather than in
        # SQLite's busy handler, which sleeps whole milliseconds between retries.
        self._write_lock = threading.Lock() if parsed.get_backend_name() == "sqlite" else None

    @classmethod
    def open(
        cls, target: bool | str | os.PathLike[str] | Secret | QuoteHistory | None = True
    ) -> QuoteHistory | None:
        """The history for ``target``: ``True`` (``$SMSP_HISTORY_URL``, else a SQLite file
        in the user data directory), a path to a SQLite file, a database URL
        (``sqlite:///...``, ``postgresql+psycopg://...``, special characters of the password
        percent-encoded), or ``False``/``None`` (no history: returns None). Nothing is
        connected until the first record or read. A bad ``$SMSP_HISTORY_URL`` raises
        :class:`HistoryError` naming it; a bad ``target``, ValueError or TypeError.

        >>> QuoteHistory.open(False) is None
        True
        >>> QuoteHistory.open("postgresql+psycopg://ana:s3cret@db.example/quotes")
        QuoteHistory('postgresql+psycopg://ana:***@db.example/quotes')
        """
        if target is None or target is False:
            return None
        if isinstance(target, QuoteHistory):
            return target
        if target is True:
            return cls._from_environment()
        if isinstance(target, str):
            target = Secret(target)  # a URL's password never a traceback local of ours
        if isinstance(target, os.PathLike) or (
            isinstance(target, Secret) and "://" not in target.reveal()
        ):
            path = os.fspath(target) if isinstance(target, os.PathLike) else target.reveal()
            if not path.strip():
                raise ValueError(
                    _("history: empty path; allowed: True, False, a path or a database URL")
                )
            return cls(f"sqlite:///{Path(path).expanduser().absolute()}")
        if isinstance(target, Secret):
            return cls(target)
        raise TypeError(
            _(
                "history: {type} is not allowed; allowed: True, False, a path or a database URL"
            ).format(type=type(target).__name__)
        )

    @classmethod
    def _from_environment(cls) -> QuoteHistory:
        env = Secret(os.environ.get(ENV_URL, "").strip())
        if not env.reveal():
            return cls(f"sqlite:///{default_history_path()}")
        parsed, problem = parse_url(env, ENV_URL)
        if parsed is not None:  # parse_url gives either a URL or a problem
            try:
                return cls(parsed)
            except ValueError as exc:  # a driver that is not installed
                problem = f"{ENV_URL}: {str(exc).removeprefix('history: ')}"
        raise HistoryError(problem)

    @property
    def url(self) -> str:
        """The store's URL, password redacted."""
        url = getattr(self, "_url", None)  # None while __init__ refuses a URL
        return "(no URL)" if url is None else redact_url(url)

    def __repr__(self) -> str:
        return f"QuoteHistory({self.url!r})"

    def close(self) -> None:
        """Close the pooled connections."""
        engine = getattr(self, "_engine", None)
        if engine is not None:
            engine.dispose()
        guard = getattr(self, "_guard", None)
        if guard is not None:
            guard.reset()  # usable again: the next use connects anew

    def abort(self) -> None:
        """Stop what the store is doing, from another thread, for a ``close()`` that must
        not wait: SQLite statements are interrupted, this store's PostgreSQL sockets are
        shut down (a frozen server never answers) and no new connection is made until
        :meth:`close`."""
        self._guard.abort()

    def __enter__(self) -> QuoteHistory:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------

    def _ensure(self, wait: float | None = None) -> None:
        if self._ready:
            return
        db = self._url.database
        if self._url.get_backend_name() == "sqlite" and db not in (None, "", ":memory:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        with self._engine.connect() as conn:
            conn.execution_options(smsp_write=True)
            with lock_wait(conn.connection.dbapi_connection, wait), conn.begin():
                ensure_schema(conn)
        self._ready = True

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        self._ensure()
        lock = self._write_lock if write and self._write_lock is not None else nullcontext()
        with lock, self._engine.connect() as conn:
            if write:
                conn.execution_options(smsp_write=True)
            with conn.begin():
                yield conn

    def _message(self, exc: BaseException) -> str:
        detail = getattr(exc, "orig", None) or exc
        text = str(detail).strip().splitlines()[0] if str(detail).strip() else ""
        if self._url.password:  # drivers do not print it; never let one do so
            text = text.replace(str(self._url.password), "***")
        return f"{type(detail).__name__}: {text}"

    # -- writing ---------------------------------------------------------------------------

    def record(
        self,
        frame: pd.DataFrame | LocalityRows,
        *,
        op: str,
        targeting_params: Any,
        volumes: Mapping[str, int] | None,
        key_hash: str,
        source: str,
        as_of: Any = None,
        fetched_at: Any = None,
        warn: bool = True,
        wait: float | None = None,
    ) -> NotRecorded | None:
        """Record one answer: a row in ``quotes`` and one per locality, in one transaction.
        A failing store never fails the quote: it warns (:class:`HistoryUnavailableWarning`,
        naming the store without credentials) and returns; with ``warn=False`` it returns
        that message instead (a :class:`NotRecorded`: a background writer hands it to the
        caller's thread, or tries again when the store was only ``busy``).

        ``frame`` is a calcul/price/rent frame or the parsed rows of one
        (:class:`~smsp_analytics.frames.LocalityRows`, as ``Client.quotes.answer`` has them).
        ``as_of`` and ``fetched_at`` default to ``frame.attrs`` then to now; ``key_hash`` is
        :func:`key_hash` of the account's key (the key itself is never stored). ``wait``
        bounds, in seconds, how long a SQLite file locked by another writer is waited for
        (default 60 s).
        """
        if op not in OPS:
            raise ValueError(not_allowed("op", op, ", ".join(OPS)))
        rows = rows_of(frame)
        attrs = {} if isinstance(frame, LocalityRows) else frame.attrs
        quote = quote_row(op, attrs, targeting_params, volumes, key_hash, source, as_of, fetched_at)
        down = self._down_until - time.monotonic()
        if down > 0:
            return unavailable(
                NotRecorded(
                    _(
                        "quote history {url} is unavailable; this {op} answer was not recorded "
                        "(next attempt in {seconds} s)"
                    ).format(url=self.url, op=op, seconds=f"{down:.0f}")
                ),
                op,
                warn,
            )
        message = None
        try:
            self._insert(quote, rows, wait)
        except self._store_errors as exc:
            busy = is_busy(exc)
            if not busy and isinstance(exc, self._unreachable_errors):
                # An unreachable server may take connect_timeout per attempt: a sweep of
                # many quotes must not wait that long for each of them.
                self._down_until = time.monotonic() + self.retry_after
            message = NotRecorded(
                _(
                    "quote history {url} is unavailable; this {op} answer was not recorded "
                    "({error})"
                ).format(url=self.url, op=op, error=self._message(exc))
            )
            message.busy = busy
        # Warned outside the except block: a warning turned into an error must not chain
        # the driver's error, whose frames hold the connection's password.
        return None if message is None else unavailable(message, op, warn)

    def _insert(
        self, quote: dict[str, Any], rows: list[dict[str, Any]], wait: float | None = None
    ) -> None:
        """One answer in one transaction (see :func:`insert_answer`), the INSERTs compiled
        once per store."""
        self._ensure(wait)
        if self._insert_sql_cache is None:
            self._insert_sql_cache = insert_statements(self._engine.dialect)
        insert_answer(
            self._engine, self._insert_sql_cache, quote, rows, lock=self._write_lock, wait=wait
        )

    def clear(self) -> int:
        """Delete every recorded quote (the schema stays); returns how many were removed.

        >>> h = QuoteHistory.open("sqlite://"); h.clear(), len(h.frame())
        (0, 0)
        """
        failure = None
        try:
            with self._transaction(write=True) as conn:
                conn.execute(quote_rows.delete())
                return int(conn.execute(quotes.delete()).rowcount)
        except self._store_errors as exc:
            failure = f"quote history {self.url}: {self._message(exc)}"
        # Raised outside the except block: the driver's error (its frames hold the
        # connection's password) is neither chained nor its context.
        raise HistoryError(failure)

    # -- reading ---------------------------------------------------------------------------

    def frame(
        self,
        targeting_params: Any = None,
        *,
        since: Any = None,
        until: Any = None,
        op: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """One row per recorded locality, oldest first: ``as_of``, ``fetched_at`` (UTC),
        ``source``, ``op``, the targeting's fields, ``locality``, ``volume`` (Int64),
        ``unit_cost_eur``, ``cost_eur`` (Float64), plus ``quote_id``, ``key_hash``,
        ``targeting_key`` (one value per distinct targeting) and ``locality_type``.

        ``targeting_params`` (a Targeting or a parameters dict) keeps that targeting only;
        ``since``/``until`` bound ``as_of`` (inclusive; a bare date covers its whole day);
        ``op`` is one op or a list.

        >>> QuoteHistory.open("sqlite://").frame(op="rent").columns[:4].tolist()
        ['quote_id', 'as_of', 'fetched_at', 'source']
        """
        conds = []
        if targeting_params is not None:
            conds.append(quotes.c.targeting_key == self.targeting_key(targeting_params))
        lo = parse_utc(since, "since", end_of_day=False)
        hi = parse_utc(until, "until", end_of_day=True)
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(until_before_since(until, since))
        if lo is not None:
            conds.append(quotes.c.as_of >= lo.tz_localize(None).to_pydatetime())
        if hi is not None:
            conds.append(quotes.c.as_of <= hi.tz_localize(None).to_pydatetime())
        ops = check_ops(op)
        if ops is not None:
            conds.append(quotes.c.op.in_(ops))
        cols = [
            quotes.c.id.label("quote_id"),
            *(quotes.c[c] for c in FRAME_COLUMNS[1:7]),
            *(quotes.c[c] for c in TARGETING_COLUMNS),
            *(quote_rows.c[c] for c in FRAME_COLUMNS[-5:]),
        ]
        query = (
            sa.select(*cols)
            .select_from(quotes.join(quote_rows))
            .where(*conds)
            .order_by(quotes.c.as_of, quotes.c.fetched_at, quotes.c.id, quote_rows.c.position)
        )
        failure = None
        try:
            with self._transaction(write=False) as conn:
                data = conn.execute(query).all()
        except self._store_errors as exc:
            failure = f"quote history {self.url}: {self._message(exc)}"
        if failure is not None:  # outside the except block: see clear()
            raise HistoryError(failure)
        # Column-wise: pandas inspects SQLAlchemy Row objects one by one (30x slower).
        columns = list(zip(*data)) if data else [()] * len(FRAME_COLUMNS)
        return typed(pd.DataFrame(dict(zip(FRAME_COLUMNS, map(list, columns)))))

    @staticmethod
    def targeting_key(targeting_params: Any) -> str:
        """The ``targeting_key`` of a Targeting or parameters dict (as in :meth:`frame`).

        >>> QuoteHistory.targeting_key({"sexe": "f", "minAge": 25, "maxAge": 35,
        ...     "interest": 14, "department": "60,02"}) == QuoteHistory.targeting_key(
        ...     {"gender": "f", "age": (25, 35), "interest": 14, "departments": ["02", "60"]})
        True
        """
        return canonical_targeting(targeting_fields(targeting_params))[0]
