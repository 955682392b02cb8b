"""The rent journal's file and clock: its schema (created, or completed in an older file),
what goes wrong on disk said as a :class:`JournalError`, the rows checked as they are read,
and the "still possibly in flight until" wording. A rent answer the journal could not take
is kept by :mod:`.journal_fallback`, the entries as a frame are :mod:`.journal_frame` (both
re-exported here).

SQLite's errors never leave the journal raw: a corrupt file (garbage, truncated, another
program's database) says to move it aside; a full or read-only disk says so and that
nothing was rented when it is found before the rent request.

>>> in_flight_text(0.0).startswith("still possibly in flight until ")
True
>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "j.sqlite")
>>> open(p, "wb").write(b"not a journal") and None
>>> import sqlite3
>>> try:
...     with translated(p, "read it"):
...         sqlite3.connect(p).execute("SELECT * FROM rentals")
... except JournalError as exc:
...     print(str(exc))
journal ...j.sqlite: it is corrupt (file is not a database); move it aside (mv ...
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from smsp_analytics.display import fmt_int
from smsp_analytics.errors import JournalError
from smsp_analytics.i18n import _
from smsp_analytics.money.journal_fallback import kept_answer, save_fallback
from smsp_analytics.money.journal_frame import entries_frame

__all__ = [
    "MIN_FREE_BYTES",
    "SETTLED",
    "clock",
    "in_flight_text",
    "translated",
    "corrupt_error",
    "check_room",
    "decode_row",
    "save_fallback",
    "BASE_COLUMNS",
    "entries_frame",
    "this_process",
    "alive",
    "kept_answer",
    "connect",
    "inspect_file",
    "add_schema",
]


#: Free space the journal's filesystem must have before a rent request: the entry's later
#: writes (SQLite rewrites whole pages and keeps a rollback journal) must not hit a full disk.
MIN_FREE_BYTES = 64 * 1024
#: The states whose outcome is known; every other state (a newer version's, say) blocks.
SETTLED = ("done", "failed")
BASE_COLUMNS = {
    "id",
    "scope",
    "fingerprint",
    "parameters",
    "volumes",
    "quote_eur",
    "state",
    "token",
    "cost_eur",
    "note",
    "created_at",
    "updated_at",
}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rentals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    parameters TEXT NOT NULL,
    volumes TEXT NOT NULL,
    quote_eur REAL,
    state TEXT NOT NULL,          -- pending, done, failed, unknown
    token TEXT,
    cost_eur REAL,
    note TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
)"""
# Columns added after the first release: added to older files when opened.
_LATER_COLUMNS = {"balance_before": "REAL", "owner": "TEXT", "busy_until": "REAL"}
# SQLite's names for a file that is not (or no longer) a readable database.
_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT", "SQLITE_MISMATCH"}


def this_process() -> str:
    """``host:pid`` of the running process (the owner recorded on pending entries)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def alive(owner: str | None) -> bool:
    """Whether ``owner`` is a live process of this machine (other machines: assumed alive,
    nobody here can tell)."""
    if not owner or ":" not in owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    except (ValueError, OSError):
        return False
    return True


def clock(ts: float) -> str:
    """``HH:MM:SS`` of a Unix time, in local time (what a user's clock shows)."""
    return time.strftime("%H:%M:%S", time.localtime(ts))


def in_flight_text(until: float) -> str:
    """The words every message about an entry the server may still be handling uses."""
    return _("still possibly in flight until {time}").format(time=clock(until))


def corrupt_error(path: Path | str, what: str) -> JournalError:
    """The error for a journal file that cannot be read as a journal."""
    return JournalError(
        _(
            "journal {path}: {what}; move it aside (mv '{path}' '{path}.corrupt'; a new "
            "journal is started on next use) and check the rentals it may hold (`smsp status "
            "TOKEN`, the vendor's support); no rent is sent while it is there"
        ).format(path=path, what=what),
        path=path,
    )


def _unusable(path: Path | str, doing: str, exc: sqlite3.Error) -> JournalError:
    name = getattr(exc, "sqlite_errorname", "")
    if name in _CORRUPT or (
        isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
    ):
        return corrupt_error(path, _("it is corrupt ({error})").format(error=exc))
    if "no such column" in str(exc) or "no such table" in str(exc):
        return corrupt_error(
            path, _("it is not a journal of this version ({error})").format(error=exc)
        )
    return JournalError(
        _(
            "journal {path}: could not {doing} ({error}); free some space on its disk or make "
            "it writable"
        ).format(path=path, doing=doing, error=exc),
        path=path,
    )


@contextlib.contextmanager
def translated(path: Path | str, doing: str) -> Iterator[None]:
    """Run a block of SQLite work: its errors become one :class:`JournalError` naming the
    file (the sqlite3 exception is not chained: its text is in the message); ``doing`` (in
    the language in force) says what was being done."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _unusable(path, doing, exc) from None
    except OSError as exc:  # the folder itself (mkdir, statvfs)
        raise JournalError(
            _(
                "journal {path}: could not {doing} ({error}); give the client another journal "
                "(Client(journal=...))"
            ).format(path=path, doing=doing, error=exc.strerror or exc),
            path=path,
        ) from None


def check_room(path: Path) -> None:
    """Raise :class:`JournalError` unless the journal's filesystem is writable and has
    :data:`MIN_FREE_BYTES` free (checked before any rent request)."""
    with translated(path, _("check its disk")):
        st = os.statvfs(path.parent)
        if (
            st.f_flag & os.ST_RDONLY
            or not os.access(path.parent, os.W_OK)
            or (path.exists() and not os.access(path, os.W_OK))
        ):
            raise JournalError(
                _(
                    "journal {path}: its disk or folder is read-only, so a rent could not be "
                    "recorded; nothing was rented; make it writable or give the client another "
                    "journal (Client(journal=...))"
                ).format(path=path),
                path=path,
            )
        free = st.f_bavail * st.f_frsize
        if free < MIN_FREE_BYTES:
            raise JournalError(
                _(
                    "journal {path}: only {free} bytes free on its disk (a rent needs {need} "
                    "to be recorded safely); nothing was rented; free some space or give the "
                    "client another journal (Client(journal=...))"
                ).format(path=path, free=fmt_int(free), need=fmt_int(MIN_FREE_BYTES)),
                path=path,
            )


def _number(v: Any, optional: bool) -> bool:
    if v is None:
        return optional
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class RowLike(Protocol):
    """A row read by column name: a :class:`sqlite3.Row` (not a ``Mapping``) or a dict."""

    def __getitem__(self, key: str, /) -> Any: ...


def decode_row(path: Path | str, row: RowLike) -> dict[str, Any]:
    """A row's fields, checked and decoded (``parameters``/``volumes`` from JSON); a row
    that does not decode raises :class:`JournalError` naming the entry and the field."""
    rid = row["id"]

    def bad(field: str, why: str) -> JournalError:
        return corrupt_error(
            path,
            _("entry {entry} does not decode ({field}: {why})").format(
                entry=repr(rid), field=field, why=why
            ),
        )

    if not isinstance(rid, int):
        raise bad("id", "not an integer")
    out: dict[str, Any] = {"id": rid}
    for field in ("parameters", "volumes"):
        try:
            value = json.loads(row[field])
        except (TypeError, ValueError) as exc:
            raise bad(field, _("not JSON: {error}").format(error=exc)) from None
        if not isinstance(value, dict):
            raise bad(field, _("a JSON {type}, not an object").format(type=type(value).__name__))
        out[field] = value
    for field in ("scope", "state"):
        if not isinstance(row[field], str) or not row[field]:
            raise bad(field, _("{value} is not a text").format(value=repr(row[field])))
    for field in ("token", "note", "owner"):
        if row[field] is not None and not isinstance(row[field], str):
            raise bad(field, _("{value} is not a text").format(value=repr(row[field])))
    for field, optional in (
        ("quote_eur", True),
        ("cost_eur", True),
        ("created_at", False),
        ("updated_at", False),
        ("balance_before", True),
        ("busy_until", True),
    ):
        if not _number(row[field], optional):
            raise bad(field, _("{value} is not a number").format(value=repr(row[field])))
    for field in (
        "scope",
        "state",
        "token",
        "note",
        "owner",
        "quote_eur",
        "cost_eur",
        "created_at",
        "updated_at",
        "balance_before",
        "busy_until",
    ):
        out[field] = row[field]
    return out


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the journal file, rows read by column name."""
    # isolation_level=None: explicit BEGIN IMMEDIATE makes check-then-insert atomic.
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    return con


def inspect_file(path: Path) -> bool:
    """Check the file reads as a journal (every row decoding); True when the table or
    later columns must be added (:func:`add_schema`). Reads only: a read-only journal can
    still be listed, and another program's database is never written into."""
    con = connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        foreign = sorted(tables - {"rentals", "sqlite_sequence"})
        if foreign:
            raise corrupt_error(
                path,
                _("it is another program's database (tables: {tables})").format(
                    tables=", ".join(foreign)[:100]
                ),
            )
        if "rentals" not in tables:
            return True
        have = {r["name"] for r in con.execute("PRAGMA table_info(rentals)")}
        if not BASE_COLUMNS <= have:
            raise corrupt_error(
                path,
                _("its rentals table is not a rent journal's (no column {columns})").format(
                    columns=", ".join(sorted(BASE_COLUMNS - have))
                ),
            )
        check = con.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise corrupt_error(path, _("it is corrupt ({error})").format(error=check and check[0]))
        missing = not set(_LATER_COLUMNS) <= have
        if not missing:
            for row in con.execute("SELECT * FROM rentals"):
                decode_row(path, row)
        return missing
    finally:
        con.close()


def add_schema(path: Path) -> None:
    """Create the rentals table, or add the columns an older file lacks; then check the
    file's rows decode (:func:`inspect_file`)."""
    con = connect(path)
    try:
        # One writer at a time: clients opening the same file together must not both
        # add a column (the loser would fail with "duplicate column").
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute(_SCHEMA)
            have = {r["name"] for r in con.execute("PRAGMA table_info(rentals)")}
            for name, kind in _LATER_COLUMNS.items():
                if name not in have:
                    con.execute(f"ALTER TABLE rentals ADD COLUMN {name} {kind}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    inspect_file(path)  # the rows of an older file decode too
