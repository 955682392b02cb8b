"""The quote history's tables, its schema version and race-free creation and upgrade.

Version history (``meta.schema_version``):

- 1: ``quotes`` and ``quote_rows`` without ``quotes.volumes_asked`` and without the
  ``(as_of)`` index (first development version);
- 2: adds ``quotes.volumes_asked`` (the volumes of a price/rent, JSON) and the indexes that
  keep ``QuoteHistory.frame`` fast on large stores.

Several processes may open a fresh store at once: on PostgreSQL, creation and upgrade run in
one transaction behind ``pg_advisory_xact_lock`` (PostgreSQL's DDL is transactional); on
SQLite, in a ``BEGIN IMMEDIATE`` transaction (one writer at a time, others wait on the busy
timeout). Times are stored as naive UTC ``DATETIME`` / ``timestamp`` values.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from smsp_analytics.i18n import _
from smsp_analytics.vocab import APP_NAME

__all__ = [
    "SCHEMA_VERSION",
    "metadata",
    "meta",
    "quotes",
    "quote_rows",
    "ensure_schema",
    "SchemaVersionError",
]


SCHEMA_VERSION = 2
# Any constant works; it only has to be the same for every process of this library.
_PG_LOCK_ID = 0x534D5350_48495354 & 0x7FFF_FFFF_FFFF_FFFF  # "SMSPHIST"

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("as_of", sa.DateTime(), nullable=False),
    sa.Column("fetched_at", sa.DateTime(), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("targeting_key", sa.String(32), nullable=False),
    sa.Column("targeting_json", sa.Text, nullable=False),
    sa.Column("gender", sa.String(1)),
    sa.Column("min_age", sa.Integer),
    sa.Column("max_age", sa.Integer),
    sa.Column("interest", sa.Integer),
    sa.Column("sub_interest", sa.Integer),
    sa.Column("category", sa.Integer),
    sa.Column("departments", sa.Text),
    sa.Column("zipcodes", sa.Text),
    sa.Column("volumes_asked", sa.Text),
)
sa.Index("ix_quotes_targeting_as_of", quotes.c.targeting_key, quotes.c.as_of)
sa.Index("ix_quotes_as_of", quotes.c.as_of)

quote_rows = sa.Table(
    "quote_rows",
    metadata,
    sa.Column(
        "quote_id",
        quotes.c.id.type,
        sa.ForeignKey("quotes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("locality_type", sa.String(16)),
    sa.Column("locality", sa.String(16), nullable=False),
    sa.Column("volume", sa.BigInteger),
    sa.Column("unit_cost_eur", sa.Float),
    sa.Column("cost_eur", sa.Float),
    # SQLite: rows clustered by quote (one b-tree seek per quote read: 3x faster frames)
    sqlite_with_rowid=False,
)


class SchemaVersionError(RuntimeError):
    """The store was written by a newer version of the library."""


def _upgrade_1_to_2(conn: Connection) -> None:
    conn.execute(sa.text("ALTER TABLE quotes ADD COLUMN volumes_asked TEXT"))
    for index in quotes.indexes:
        index.create(conn, checkfirst=True)


# from-version -> step to the next version
_MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _upgrade_1_to_2}


def _stored_version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("meta"):
        return None
    row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return None if row is None else int(row[0])


def ensure_schema(conn: Connection) -> int:
    """Create or upgrade the schema inside the caller's (locking) transaction; return the
    version found before (0 for a new store).

    >>> engine = sa.create_engine("sqlite://")
    >>> with engine.begin() as conn:
    ...     ensure_schema(conn), ensure_schema(conn)
    (0, 2)
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_ID)))
    found = _stored_version(conn)
    if found is None:
        if sa.inspect(conn).has_table("quotes"):
            raise SchemaVersionError(
                _(
                    "the store has a 'quotes' table but no schema version: not a quote history "
                    "written by {app}"
                ).format(app=APP_NAME)
            )
        metadata.create_all(conn)
        conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return 0
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            _(
                "the store's schema version is {found}, newer than this library's {ours}: "
                "upgrade {app}"
            ).format(found=found, ours=SCHEMA_VERSION, app=APP_NAME)
        )
    version = found
    while version < SCHEMA_VERSION:
        _MIGRATIONS[version](conn)
        version += 1
    if version != found:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
    return found


def sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    """Connection set-up for SQLite: the driver leaves transactions to us (so that writes
    can ``BEGIN IMMEDIATE``), WAL lets readers run beside one writer."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 60000")
    # Switching a new file to WAL answers "database is locked" at once (no busy handler)
    # while another process switches it too: retry until one of them has done it.
    deadline = time.monotonic() + 60
    while cur.execute("PRAGMA journal_mode").fetchone()[0].lower() not in ("wal", "memory"):
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            break  # WAL, or whatever a file system without WAL support keeps
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def sqlite_on_begin(conn: Connection) -> None:
    """``BEGIN IMMEDIATE`` for writes (the write lock up front: no upgrade deadlock between
    two writers), a deferred ``BEGIN`` for reads."""
    immediate = conn.get_execution_options().get("smsp_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
