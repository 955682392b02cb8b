"""The quote history's SQLAlchemy engine: bounded waits for SQLite locks, and a way to stop
a connection that waits for a server that never answers (a frozen PostgreSQL).

>>> engine = make_engine(sa.make_url("sqlite://"))
>>> guard = ConnectionGuard(engine)
>>> with engine.connect() as conn:
...     conn.exec_driver_sql("SELECT 1").scalar_one()
1
>>> guard.abort(); guard.reset(); engine.dispose()
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from smsp_analytics.history._schema import sqlite_on_begin, sqlite_on_connect
from smsp_analytics.i18n import _

__all__ = ["SQLITE_WAIT", "make_engine", "ConnectionGuard", "lock_wait", "is_busy"]


SQLITE_WAIT = 60.0  # seconds a direct record() or clear() waits for a locked SQLite file
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def make_engine(url: sa.URL) -> sa.Engine:
    """The engine of a store (raises NoSuchModuleError or ImportError for a missing
    driver)."""
    kw: dict[str, Any] = {}
    backend = url.get_backend_name()
    if backend == "sqlite":
        kw["connect_args"] = {"timeout": SQLITE_WAIT, "check_same_thread": False}
        if url.database in (None, "", ":memory:"):
            kw["poolclass"] = sa.pool.StaticPool  # one shared in-memory database
    elif backend == "postgresql":
        kw["pool_pre_ping"] = True  # a restarted server is picked up again
        kw["connect_args"] = {"connect_timeout": 5}
    engine = sa.create_engine(url, **kw)
    if backend == "sqlite":
        sa.event.listen(engine, "connect", sqlite_on_connect)
        sa.event.listen(engine, "begin", sqlite_on_begin)
    return engine


def is_busy(exc: BaseException) -> bool:
    """A SQLite file locked by another writer (worth another attempt), not a broken store."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and (
        getattr(orig, "sqlite_errorcode", None) in _BUSY_CODES or "locked" in str(orig)
    )


@contextmanager
def lock_wait(dbapi_conn: Any, wait: float | None) -> Iterator[None]:
    """SQLite: wait at most ``wait`` seconds for another writer's lock, for this use of the
    connection only (it goes back to the pool with the default)."""
    if wait is None or not isinstance(dbapi_conn, sqlite3.Connection):
        yield
        return
    dbapi_conn.execute(f"PRAGMA busy_timeout = {max(0, int(wait * 1000))}")
    try:
        yield
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout = {int(SQLITE_WAIT * 1000)}")


class ConnectionGuard:
    """Knows an engine's driver connections, to stop them from another thread: a frozen
    server never answers, and only shutting the socket down frees a thread waiting for it."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._live: dict[int, Any] = {}  # by id: sqlite3 connections take no weak reference
        self.aborted = False
        sa.event.listen(engine, "connect", self._track)
        sa.event.listen(engine, "close", self._untrack)
        sa.event.listen(engine, "close_detached", self._untrack_detached)
        sa.event.listen(engine, "do_connect", self._refuse_when_aborted)

    def abort(self) -> None:
        """Interrupt SQLite statements, shut PostgreSQL sockets down, and refuse new
        connections until :meth:`reset`."""
        self.aborted = True
        for conn in list(self._live.values()):
            try:
                if isinstance(conn, sqlite3.Connection):
                    conn.interrupt()
                    continue
                pgconn = getattr(conn, "pgconn", None)
                fd = pgconn.socket if pgconn is not None else conn.fileno()
                with socket.socket(fileno=os.dup(fd)) as sock:
                    sock.shutdown(socket.SHUT_RDWR)  # the waiting thread wakes with an error
            except Exception:  # noqa: BLE001 - a connection that closed meanwhile
                continue

    def reset(self) -> None:
        """New connections are allowed again."""
        self.aborted = False

    def _track(self, dbapi_conn: Any, _record: Any) -> None:
        self._live[id(dbapi_conn)] = dbapi_conn

    def _untrack(self, dbapi_conn: Any, _record: Any) -> None:
        self._live.pop(id(dbapi_conn), None)

    def _untrack_detached(self, dbapi_conn: Any) -> None:
        self._live.pop(id(dbapi_conn), None)

    def _refuse_when_aborted(self, _dialect: Any, _rec: Any, _cargs: Any, _cparams: Any) -> None:
        if self.aborted:  # e.g. pool_pre_ping reconnecting after abort() shut a socket
            raise self._engine.dialect.loaded_dbapi.OperationalError(
                _("quote history closed while a write was pending")
            )
