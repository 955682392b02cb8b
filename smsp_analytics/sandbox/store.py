"""SQLite store of the EUR balance and the rentals.

Why SQLite: the balance must survive a restart when ``--state`` is given, and many rents at
once must never overspend. Each thread gets its own connection (sqlite3 connections are not
meant to be shared across threads); a debit is one ``BEGIN IMMEDIATE`` transaction, so
concurrent rents serialise on SQLite's write lock. With no path, a private temporary file is
used (an in-memory database is per connection, so it cannot be shared by threads).

>>> s = Store(None, credit_eur=Decimal("10"))
>>> s.balance()
Decimal('10.000')
>>> s.close()
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from smsp_analytics.sandbox.messages import VendorError

__all__ = ["Store", "Rental", "status_of"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    balance_milli INTEGER NOT NULL  -- thousandths of EUR: exact integers, no float drift
);
CREATE TABLE IF NOT EXISTS rental (
    token TEXT PRIMARY KEY,
    created REAL NOT NULL,          -- time.time(): statuses survive a restart
    delay REAL NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    downloaded INTEGER NOT NULL DEFAULT 0,
    quantity INTEGER NOT NULL,
    cost_milli INTEGER NOT NULL,
    details TEXT NOT NULL,          -- JSON of the status answer's "location"
    day TEXT                        -- the clock's date at the rent (NULL: an older state file)
);
"""


def _milli(value: Decimal) -> int:
    return int((value * 1000).to_integral_value())


@dataclass(frozen=True)
class Rental:
    """A stored rental."""

    token: str
    created: float
    delay: float
    failed: bool
    downloaded: bool
    quantity: int
    cost: Decimal
    details: dict
    day: str | None = None  # the clock's date (YYYY-MM-DD) when the rental was made


def status_of(rental: Rental, now: float | None = None) -> int:
    """Numeric status: 0 created, 1 after half the delay, 2 after it, 3 failed, 5 downloaded.

    >>> r = Rental("t", 100.0, 2.0, False, False, 1, Decimal("0.09"), {})
    >>> [status_of(r, t) for t in (100.5, 101.5, 102.0)]
    [0, 1, 2]
    """
    if rental.downloaded:
        return 5
    if rental.failed:
        return 3
    elapsed = (time.time() if now is None else now) - rental.created
    if rental.delay <= 0 or elapsed >= rental.delay:
        return 2
    return 1 if elapsed >= rental.delay / 2 else 0


class Store:
    """Balance and rentals; thread-safe (one connection per thread)."""

    def __init__(self, path: str | os.PathLike | None, credit_eur: Decimal) -> None:
        self._remove_tmpdir: Callable[[], Any] | None = None
        if path is None or str(path) == ":memory:":
            tmpdir = tempfile.mkdtemp(prefix="smsp-sandbox-")
            path = Path(tmpdir) / "state.sqlite"
            # Gone with the process too when the store is never closed.
            self._remove_tmpdir = weakref.finalize(self, shutil.rmtree, tmpdir, True)
        self.path = str(path)
        self.credit_eur = credit_eur
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        conn = self._conn()
        conn.executescript(_SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(rental)")}
        if "day" not in columns:  # a state file written before the column existed
            conn.execute("ALTER TABLE rental ADD COLUMN day TEXT")
        conn.execute(
            "INSERT OR IGNORE INTO account (id, balance_milli) VALUES (1, ?)", (_milli(credit_eur),)
        )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves.
            conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def balance(self) -> Decimal:
        """The EUR balance."""
        (milli,) = self._conn().execute("SELECT balance_milli FROM account").fetchone()
        return Decimal(milli).scaleb(-3)

    def reset(self) -> None:
        """Balance back to the configured credit, no rentals."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM rental")
            conn.execute("UPDATE account SET balance_milli = ?", (_milli(self.credit_eur),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def rent(
        self,
        quantity: int,
        cost: Decimal,
        delay: float,
        details: dict,
        max_quantity: int,
        day: str | None = None,
    ) -> str:
        """Debit ``cost`` and create a rental, atomically; returns its token. ``day``: the
        clock's date (YYYY-MM-DD), kept for the STOP list of the rented numbers.

        Raises VendorError(11) when the balance does not cover the cost, then
        VendorError(61) above ``max_quantity`` (README validation order, step 17).
        """
        conn = self._conn()
        token = secrets.token_hex(16)
        conn.execute("BEGIN IMMEDIATE")  # takes the write lock now: no lost update
        try:
            (balance,) = conn.execute("SELECT balance_milli FROM account").fetchone()
            if _milli(cost) > balance:
                raise VendorError(11)
            if quantity > max_quantity or quantity <= 0:
                raise VendorError(61)
            conn.execute("UPDATE account SET balance_milli = balance_milli - ?", (_milli(cost),))
            conn.execute(
                "INSERT INTO rental (token, created, delay, quantity, cost_milli, details, day)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    token,
                    time.time(),
                    float(delay),
                    quantity,
                    _milli(cost),
                    json.dumps(details),
                    day,
                ),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return token

    def get(self, token: str) -> Rental | None:
        """The rental of ``token``, or None."""
        row = (
            self._conn()
            .execute(
                "SELECT token, created, delay, failed, downloaded, quantity, cost_milli, details,"
                " day FROM rental WHERE token = ?",
                (token,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return Rental(
            row[0],
            row[1],
            row[2],
            bool(row[3]),
            bool(row[4]),
            row[5],
            Decimal(row[6]).scaleb(-3),
            json.loads(row[7]),
            row[8],
        )

    def tokens(self) -> list[str]:
        """Tokens of every rental, oldest first (admin listing)."""
        rows = self._conn().execute("SELECT token FROM rental ORDER BY created, token")
        return [row[0] for row in rows.fetchall()]

    def downloaded(self) -> list[tuple[str, int, dt.date]]:
        """(token, quantity, day) of every downloaded rental, oldest first; ``day`` is the
        clock's date at the rent (for an older state file, the local date it was made)."""
        rows = self._conn().execute(
            "SELECT token, quantity, day, created FROM rental WHERE downloaded = 1"
            " ORDER BY created, token"
        )
        out = []
        for token, quantity, day, created in rows.fetchall():
            try:
                when = dt.date.fromisoformat(day) if day else None
            except ValueError:
                when = None
            out.append((token, quantity, when or dt.date.fromtimestamp(created)))
        return out

    def mark_downloaded(self, token: str) -> bool:
        """Mark the file downloaded; False if it already was (only one download wins)."""
        cur = self._conn().execute(
            "UPDATE rental SET downloaded = 1 WHERE token = ? AND downloaded = 0", (token,)
        )
        return cur.rowcount == 1

    def mark_failed(self, token: str) -> bool:
        """Make a rental fail (status 3), for tests of code 36; False if unknown."""
        cur = self._conn().execute("UPDATE rental SET failed = 1 WHERE token = ?", (token,))
        return cur.rowcount == 1

    def close(self) -> None:
        """Close every connection and delete the private temporary file, if any."""
        with self._all_lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()
        if self._remove_tmpdir is not None:
            self._remove_tmpdir()
            self._remove_tmpdir = None
