"""Writing one answer to the quote history: its ``quotes`` row built from the arguments of
:meth:`~smsp_analytics.history.QuoteHistory.record`, the two INSERTs compiled once for a
dialect, the raw-connection transaction that runs them, and the warning given instead when
the store cannot take the answer.

>>> q = quote_row("calcul", {}, {"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14,
...     "department": "60"}, volumes={"60": 50}, key_hash="0" * 24, source="sandbox:seed=0",
...     as_of="2026-10-01T09:00:00Z", fetched_at="2026-10-01T09:00:01Z")
>>> q["op"], q["as_of"], q["volumes_asked"]
('calcul', datetime.datetime(2026, 10, 1, 9, 0), '{"60": 50}')
>>> insert_statements(sa.create_engine("sqlite://").dialect)[0].split("(")[0]
'INSERT INTO quotes '
"""

from __future__ import annotations

import json
import sqlite3
import threading
import warnings
from collections.abc import Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.engine.default import DefaultDialect

from smsp_analytics.history._engine import lock_wait
from smsp_analytics.history._errors import HistoryUnavailableWarning, NotRecorded
from smsp_analytics.history._fields import canonical_targeting, targeting_fields
from smsp_analytics.history._rows import QUOTE_FIELDS, ROW_FIELDS
from smsp_analytics.history._schema import quote_rows, quotes
from smsp_analytics.i18n import _
from smsp_analytics.vocab import to_utc

__all__ = ["quote_row", "insert_statements", "insert_answer", "unavailable"]


def quote_row(
    op: str,
    attrs: Mapping[str, Any],
    targeting_params: Any,
    volumes: Mapping[str, int] | None,
    key_hash: str,
    source: str,
    as_of: Any,
    fetched_at: Any,
) -> dict[str, Any]:
    """The ``quotes`` row of one answer: ``as_of`` and ``fetched_at`` default to ``attrs``
    (the frame's) then to now, as naive UTC datetimes; the targeting in its canonical form."""
    if not isinstance(key_hash, str) or not isinstance(source, str):
        raise TypeError(_("key_hash and source: expected strings"))
    fields = targeting_fields(targeting_params)
    tkey, tjson = canonical_targeting(fields)
    now = pd.Timestamp.now(tz="UTC")
    when = {
        name: to_utc(value if value is not None else attrs.get(name) or now)
        .tz_localize(None)
        .to_pydatetime()
        for name, value in (("as_of", as_of), ("fetched_at", fetched_at))
    }
    return {
        **when,
        "source": source,
        "op": op,
        "key_hash": key_hash,
        "targeting_key": tkey,
        "targeting_json": tjson,
        **fields,
        "volumes_asked": None
        if volumes is None
        else json.dumps({str(k): int(v) for k, v in volumes.items()}, sort_keys=True),
    }


def insert_statements(dialect: Dialect) -> tuple[str, str]:
    """The two INSERTs of an answer (``quotes`` returning its id, then ``quote_rows``),
    compiled by SQLAlchemy for ``dialect`` with named parameters."""
    if dialect.name == "sqlite" and isinstance(dialect, DefaultDialect):
        dialect = type(dialect)(paramstyle="named")
    q = quotes.insert().values({c: sa.bindparam(c) for c in QUOTE_FIELDS}).returning(quotes.c.id)
    r = quote_rows.insert().values({c: sa.bindparam(c) for c in ROW_FIELDS})
    return str(q.compile(dialect=dialect)), str(r.compile(dialect=dialect))


def insert_answer(
    engine: Engine,
    statements: tuple[str, str],
    quote: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    lock: threading.Lock | None,
    wait: float | None = None,
) -> None:
    """One answer in one transaction, on a pooled driver connection: the SQL is
    SQLAlchemy's (``statements``), but skipping ``Connection`` bookkeeping records an answer
    in a fraction of the time, which a 60-call sweep feels. ``lock`` serialises the writers
    of one SQLite store; ``wait`` bounds, in seconds, the wait for it and for the file."""
    sql_quote, sql_rows = statements
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:  # SQLAlchemy's DATETIME text format (what its queries compare with)
        quote = {
            **quote,
            **{k: quote[k].strftime("%Y-%m-%d %H:%M:%S.%f") for k in ("as_of", "fetched_at")},
        }
    if lock is not None and not lock.acquire(timeout=-1 if wait is None else wait):
        raise sqlite3.OperationalError("database is locked (by another thread)")
    try:
        raw = engine.raw_connection()
        try:
            with lock_wait(raw.dbapi_connection, wait):
                cursor = raw.cursor()
                if sqlite:
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(sql_quote, quote)
                inserted = cursor.fetchone()
                assert inserted is not None, "INSERT ... RETURNING gave no row"
                quote_id = inserted[0]
                if rows:
                    cursor.executemany(sql_rows, [{**r, "quote_id": quote_id} for r in rows])
                cursor.close()
                raw.commit()
        except BaseException:
            try:
                raw.rollback()
            except Exception:  # noqa: BLE001 - a dead connection: never reused
                raw.invalidate()
            raise
        finally:
            raw.close()  # back to the pool
    finally:
        if lock is not None:
            lock.release()


def unavailable(message: NotRecorded, op: str, warn: bool) -> NotRecorded | None:
    """``message`` for the caller of ``record(warn=False)``; else warned at that caller
    (two frames up: ``record`` calls this) and None."""
    message.op = op
    if not warn:
        return message
    warnings.warn(message, HistoryUnavailableWarning, stacklevel=3)
    return None
