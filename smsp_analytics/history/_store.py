"""The quote history store: one row per quote, one per locality, in SQLite or PostgreSQL."""

from __future__ import annotations

import json
import math
import os
import threading
import time
import warnings
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd
import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from smsp_analytics.frames import LocalityRows

from ._fields import (OPS, TARGETING_FIELDS, canonical_targeting, check_ops, parse_when,
                      targeting_fields, to_utc)
from ._schema import (SchemaVersionError, ensure_schema, quote_rows, quotes,
                      sqlite_on_begin, sqlite_on_connect)

__all__ = ["QuoteHistory", "HistoryUnavailableWarning", "HistoryError", "redact_url",
           "default_history_path", "FRAME_COLUMNS"]

ENV_URL = "SMSP_HISTORY_URL"
FRAME_COLUMNS = ["quote_id", "as_of", "fetched_at", "source", "op", "key_hash",
                 "targeting_key", *TARGETING_FIELDS, "locality_type", "locality", "volume",
                 "unit_cost_eur", "cost_eur"]
_QUOTE_FIELDS = ["as_of", "fetched_at", "source", "op", "key_hash", "targeting_key",
                 "targeting_json", *TARGETING_FIELDS, "volumes_asked"]
_ROW_FIELDS = ["quote_id", "position", "locality_type", "locality", "volume", "unit_cost_eur",
               "cost_eur"]
_INT_COLUMNS = ["quote_id", "min_age", "max_age", "interest", "sub_interest", "category",
                "volume"]
_STRING_COLUMNS = ["source", "op", "key_hash", "targeting_key", "gender", "departments",
                   "zipcodes", "locality_type", "locality"]
# What a failing store raises: driver and SQL errors, our own version check, and the OS
# (a SQLite directory that cannot be created).
_STORE_ERRORS = (sa.exc.SQLAlchemyError, SchemaVersionError, OSError)


class HistoryUnavailableWarning(UserWarning):
    """The quote history could not record an answer (the quote itself is unaffected)."""


class HistoryError(RuntimeError):
    """Reading or clearing the quote history failed (the store is unreachable or invalid)."""


def redact_url(url: str | sa.URL) -> str:
    """A database URL without its password.

    >>> redact_url("postgresql+psycopg://ana:s3cret@db.example:5432/quotes")
    'postgresql+psycopg://ana:***@db.example:5432/quotes'
    """
    return sa.make_url(url).render_as_string(hide_password=True)


def default_history_path() -> Path:
    """Where ``QuoteHistory.open(True)`` keeps its SQLite file (the user data directory)."""
    return platformdirs.user_data_path("smsp-analytics") / "history.sqlite"


def _py(value: Any, kind: type) -> Any:
    return None if value is None or pd.isna(value) else kind(value)


def _rows_of(frame: pd.DataFrame | LocalityRows) -> list[dict[str, Any]]:
    """The ``quote_rows`` of an answer (its frame, or its parsed rows without building one:
    sweeps record many answers)."""
    if isinstance(frame, LocalityRows):  # plain Python values already
        unit = frame.unit
        return [{"position": i, "locality_type": t, "locality": loc,
                 "volume": None if v is None else int(v), "unit_cost_eur": unit,
                 # volume x unit cost, half-up to the cent: the rule of frames.rows_frame
                 "cost_eur": None if v is None or unit is None else
                 math.floor(v * unit * 100.0 + 0.5 + 1e-7) / 100.0}
                for i, (t, loc, v) in enumerate(zip(frame.kinds, frame.localities,
                                                    frame.volumes))]
    else:
        missing = [c for c in ("locality", "volume", "unit_cost_eur", "cost_eur")
                   if c not in frame.columns]
        if missing:
            raise ValueError(f"frame: missing column(s) {', '.join(missing)}")
        columns = [frame["locality_type"].tolist() if "locality_type" in frame.columns
                   else [None] * len(frame),
                   *(frame[c].tolist() for c in ("locality", "volume", "unit_cost_eur",
                                                 "cost_eur"))]
    return [{"position": i, "locality_type": _py(t, str), "locality": _py(loc, str),
             "volume": _py(v, int), "unit_cost_eur": _py(u, float), "cost_eur": _py(c, float)}
            for i, (t, loc, v, u, c) in enumerate(zip(*columns))]


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

    def __init__(self, url: str | sa.URL, *, retry_after: float = 30.0) -> None:
        """``retry_after``: seconds during which recording is not attempted again after the
        store was found unreachable (each answer then only warns)."""
        try:
            self._url = sa.make_url(url)
        except sa.exc.ArgumentError:
            raise ValueError("history: not a database URL (expected sqlite:///PATH or "
                             "postgresql+psycopg://USER@HOST:PORT/DB)") from None
        kw: dict[str, Any] = {}
        backend = self._url.get_backend_name()
        if backend == "sqlite":
            kw["connect_args"] = {"timeout": 60, "check_same_thread": False}
            if self._url.database in (None, "", ":memory:"):
                kw["poolclass"] = sa.pool.StaticPool  # one shared in-memory database
        elif backend == "postgresql":
            kw["pool_pre_ping"] = True  # a restarted server is picked up again
            kw["connect_args"] = {"connect_timeout": 5}
        try:
            self._engine = sa.create_engine(self._url, **kw)
        except (sa.exc.NoSuchModuleError, ImportError) as exc:
            raise ValueError(f"history: unsupported database URL {self.url} ({exc}); "
                             "allowed: sqlite:///PATH, postgresql+psycopg://...") from None
        if backend == "sqlite":
            sa.event.listen(self._engine, "connect", sqlite_on_connect)
            sa.event.listen(self._engine, "begin", sqlite_on_begin)
        self._ready = False
        self._insert_sql_cache: tuple[str, str] | None = None
        dbapi = self._engine.dialect.loaded_dbapi
        self._store_errors = (*_STORE_ERRORS, dbapi.Error)
        self._unreachable_errors = (sa.exc.OperationalError, sa.exc.InterfaceError,
                                    dbapi.OperationalError, dbapi.InterfaceError, OSError)
        self.retry_after = float(retry_after)
        self._down_until = 0.0
        # SQLite has one writer at a time: threads of a sweep queue here rather than in
        # SQLite's busy handler, which sleeps whole milliseconds between retries.
        self._write_lock = threading.Lock() if backend == "sqlite" else nullcontext()

    @classmethod
    def open(cls, target: "bool | str | os.PathLike[str] | QuoteHistory | None" = True,
             ) -> "QuoteHistory | None":
        """The history for ``target``: ``True`` (``$SMSP_HISTORY_URL``, else a SQLite file
        in the user data directory), a path to a SQLite file, a database URL
        (``sqlite:///...``, ``postgresql+psycopg://...``), or ``False``/``None`` (no history:
        returns None). Nothing is connected until the first record or read.

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
            env = os.environ.get(ENV_URL, "").strip()
            return cls(env if env else f"sqlite:///{default_history_path()}")
        if isinstance(target, os.PathLike) or (isinstance(target, str) and "://" not in target):
            text = os.fspath(target)
            if not text.strip():
                raise ValueError("history: empty path; allowed: True, False, a path or a "
                                 "database URL")
            return cls(f"sqlite:///{Path(text).expanduser().absolute()}")
        if isinstance(target, str):
            return cls(target)
        raise TypeError(f"history: {type(target).__name__} is not allowed; allowed: True, "
                        "False, a path or a database URL")

    @property
    def url(self) -> str:
        """The store's URL, password redacted."""
        return redact_url(self._url)

    def __repr__(self) -> str:
        return f"QuoteHistory({self.url!r})"

    def close(self) -> None:
        """Close the pooled connections."""
        self._engine.dispose()

    def __enter__(self) -> "QuoteHistory":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------

    def _ensure(self) -> None:
        if self._ready:
            return
        db = self._url.database
        if self._url.get_backend_name() == "sqlite" and db not in (None, "", ":memory:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        with self._engine.connect() as conn:
            conn.execution_options(smsp_write=True)
            with conn.begin():
                ensure_schema(conn)
        self._ready = True

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        self._ensure()
        with self._write_lock if write else nullcontext(), self._engine.connect() as conn:
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

    def record(self, frame: pd.DataFrame | LocalityRows, *, op: str, targeting_params: Any,
               volumes: Mapping[str, int] | None, key_hash: str, source: str,
               as_of: Any = None, fetched_at: Any = None, warn: bool = True) -> str | None:
        """Record one answer: a row in ``quotes`` and one per locality, in one transaction.
        A failing store never fails the quote: it warns (:class:`HistoryUnavailableWarning`,
        naming the store without credentials) and returns; with ``warn=False`` it returns
        that message instead (a background writer hands it to the caller's thread).

        ``frame`` is a calcul/price/rent frame or the parsed rows of one
        (:class:`~smsp_analytics.frames.LocalityRows`, as ``Client.optin`` has them).
        ``as_of`` and ``fetched_at`` default to ``frame.attrs`` then to now; ``key_hash`` is
        :func:`key_hash` of the account's key (the key itself is never stored).
        """
        if op not in OPS:
            raise ValueError(f"op: {op!r} is not allowed; allowed: {', '.join(OPS)}")
        rows = _rows_of(frame)
        attrs = {} if isinstance(frame, LocalityRows) else frame.attrs
        if not isinstance(key_hash, str) or not isinstance(source, str):
            raise TypeError("key_hash and source: expected strings")
        fields = targeting_fields(targeting_params)
        tkey, tjson = canonical_targeting(fields)
        now = pd.Timestamp.now(tz="UTC")
        when = {name: to_utc(value if value is not None else attrs.get(name) or now)
                .tz_localize(None).to_pydatetime()
                for name, value in (("as_of", as_of), ("fetched_at", fetched_at))}
        quote = {**when, "source": source, "op": op, "key_hash": key_hash,
                 "targeting_key": tkey, "targeting_json": tjson, **fields,
                 "volumes_asked": None if volumes is None else
                 json.dumps({str(k): int(v) for k, v in volumes.items()}, sort_keys=True)}
        wait = self._down_until - time.monotonic()
        if wait > 0:
            return _unavailable(f"quote history {self.url} is unavailable; this {op} answer "
                                f"was not recorded (next attempt in {wait:.0f} s)", warn)
        try:
            self._insert(quote, rows)
        except self._store_errors as exc:
            if isinstance(exc, self._unreachable_errors):
                # An unreachable server may take connect_timeout per attempt: a sweep of
                # many quotes must not wait that long for each of them.
                self._down_until = time.monotonic() + self.retry_after
            return _unavailable(f"quote history {self.url} is unavailable; this {op} answer "
                                f"was not recorded ({self._message(exc)})", warn)
        return None

    def _insert_sql(self) -> tuple[str, str]:
        """The two INSERTs of an answer, compiled once by SQLAlchemy for this database with
        named parameters."""
        if self._insert_sql_cache is None:
            dialect = self._engine.dialect
            if dialect.name == "sqlite":
                dialect = type(dialect)(paramstyle="named")
            q = quotes.insert().values({c: sa.bindparam(c) for c in _QUOTE_FIELDS}
                                       ).returning(quotes.c.id)
            r = quote_rows.insert().values({c: sa.bindparam(c) for c in _ROW_FIELDS})
            self._insert_sql_cache = (str(q.compile(dialect=dialect)),
                                      str(r.compile(dialect=dialect)))
        return self._insert_sql_cache

    def _insert(self, quote: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        """One answer in one transaction, on a pooled driver connection: the SQL is
        SQLAlchemy's, but skipping ``Connection`` bookkeeping records an answer in a fraction
        of the time, which a 60-call sweep feels."""
        self._ensure()
        sql_quote, sql_rows = self._insert_sql()
        sqlite = self._url.get_backend_name() == "sqlite"
        if sqlite:  # SQLAlchemy's DATETIME text format (what its queries compare with)
            quote = {**quote, **{k: quote[k].strftime("%Y-%m-%d %H:%M:%S.%f")
                                 for k in ("as_of", "fetched_at")}}
        with self._write_lock:
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                if sqlite:
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(sql_quote, quote)
                quote_id = cursor.fetchone()[0]
                if rows:
                    cursor.executemany(sql_rows, [{**r, "quote_id": quote_id} for r in rows])
                cursor.close()
                raw.commit()
            except BaseException:
                raw.rollback()
                raise
            finally:
                raw.close()  # back to the pool

    def clear(self) -> int:
        """Delete every recorded quote (the schema stays); returns how many were removed.

        >>> h = QuoteHistory.open("sqlite://"); h.clear(), len(h.frame())
        (0, 0)
        """
        try:
            with self._transaction(write=True) as conn:
                conn.execute(quote_rows.delete())
                return int(conn.execute(quotes.delete()).rowcount)
        except _STORE_ERRORS as exc:
            raise HistoryError(f"quote history {self.url}: {self._message(exc)}") from exc

    # -- reading ---------------------------------------------------------------------------

    def frame(self, targeting_params: Any = None, *, since: Any = None, until: Any = None,
              op: str | Iterable[str] | None = None) -> pd.DataFrame:
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
        lo = parse_when(since, "since", end_of_day=False)
        hi = parse_when(until, "until", end_of_day=True)
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(f"until: {until!r} is before since {since!r}")
        if lo is not None:
            conds.append(quotes.c.as_of >= lo.tz_localize(None).to_pydatetime())
        if hi is not None:
            conds.append(quotes.c.as_of <= hi.tz_localize(None).to_pydatetime())
        ops = check_ops(op)
        if ops is not None:
            conds.append(quotes.c.op.in_(ops))
        cols = [quotes.c.id.label("quote_id"), *(quotes.c[c] for c in FRAME_COLUMNS[1:7]),
                *(quotes.c[c] for c in TARGETING_FIELDS),
                *(quote_rows.c[c] for c in FRAME_COLUMNS[-5:])]
        query = (sa.select(*cols).select_from(quotes.join(quote_rows)).where(*conds)
                 .order_by(quotes.c.as_of, quotes.c.fetched_at, quotes.c.id,
                           quote_rows.c.position))
        try:
            with self._transaction(write=False) as conn:
                data = conn.execute(query).all()
        except _STORE_ERRORS as exc:
            raise HistoryError(f"quote history {self.url}: {self._message(exc)}") from exc
        # Column-wise: pandas inspects SQLAlchemy Row objects one by one (30x slower).
        columns = list(zip(*data)) if data else [()] * len(FRAME_COLUMNS)
        return _typed(pd.DataFrame(dict(zip(FRAME_COLUMNS, map(list, columns)))))

    @staticmethod
    def targeting_key(targeting_params: Any) -> str:
        """The ``targeting_key`` of a Targeting or parameters dict (as in :meth:`frame`).

        >>> QuoteHistory.targeting_key({"sexe": "f", "minAge": 25, "maxAge": 35,
        ...     "interest": 14, "department": "60,02"}) == QuoteHistory.targeting_key(
        ...     {"gender": "f", "age": (25, 35), "interest": 14, "departments": ["02", "60"]})
        True
        """
        return canonical_targeting(targeting_fields(targeting_params))[0]


def _unavailable(message: str, warn: bool) -> str | None:
    if not warn:
        return message
    warnings.warn(message, HistoryUnavailableWarning, stacklevel=3)
    return None


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("as_of", "fetched_at"):
        df[c] = pd.to_datetime(df[c]).dt.tz_localize("UTC") if len(df) else \
            pd.Series([], dtype="datetime64[us, UTC]")
    for c in _INT_COLUMNS:
        df[c] = df[c].astype("Int64")
    for c in ("unit_cost_eur", "cost_eur"):
        df[c] = df[c].astype("Float64")
    for c in _STRING_COLUMNS:
        df[c] = df[c].astype("string")
    return df
