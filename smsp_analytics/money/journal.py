"""The rent journal: a local SQLite record of every rental attempt, to never rent twice.

The intent is written before the rent request and the token after it. A request whose
outcome is unknown (timeout, connection reset, 5xx, unreadable answer) leaves the entry
``unknown``, and every further rent is refused until it is reconciled (the token found with
``status``, the balance compared with the one recorded before the rent, or by hand). The
same targeting and volumes rented in the last 24 hours are refused unless asked ``again``.
The key is never stored: entries are scoped by the normalised origin and a one-way digest of
the key. An entry records its owner (host and process) and ``busy_until``: when its rent
request started plus the client's deadline and one read timeout. Until then the server may
still be handling the rent, whatever the entry's state or owner: it is not settled as failed
(a second identical rent could be charged too) and renting stays blocked, saying until when.
Any state but ``done`` and ``failed`` blocks. The file's problems (corrupt, full, read-only)
are :class:`~.errors.JournalError` (see :mod:`.journal_guard`); an entry and the words of a
refused rent are in :mod:`.journal_entries` (re-exported here).

>>> import tempfile, os
>>> j = Journal(os.path.join(tempfile.mkdtemp(), "journal.sqlite"))
>>> e = j.begin("http://sandbox/v1/", {"sexe": "f"}, {"60": 10}, quote_eur=0.9)
>>> j.mark_unknown(e, "timeout"); [x.state for x in j.blocking("http://sandbox/v1/")]
['unknown']
>>> _ = j.resolve(e, token="abc"); j.blocking("http://sandbox/v1/")
[]
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import platformdirs

from smsp_analytics.errors import RentBlockedError
from smsp_analytics.i18n import _
from smsp_analytics.money.journal_entries import (
    HOW_TO_SETTLE,
    LIST_ENTRIES,
    JournalEntry,
    blocked_error,
    duplicate_error,
    fingerprint,
    how_to_settle,
    in_flight_until,
    is_busy,
    until_text,
)
from smsp_analytics.money.journal_guard import (
    SETTLED,
    add_schema,
    check_room,
    connect,
    decode_row,
    entries_frame,
    in_flight_text,
    inspect_file,
    this_process,
    translated,
)
from smsp_analytics.vocab import APP_NAME

__all__ = [
    "Journal",
    "JournalEntry",
    "default_journal_path",
    "fingerprint",
    "HOW_TO_SETTLE",
    "how_to_settle",
    "LIST_ENTRIES",
    "this_process",
    "SETTLED",
]


DUPLICATE_WINDOW_S = 24 * 3600


def default_journal_path() -> Path:
    """``<user data dir>/smsp-analytics/rent_journal.sqlite``."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "rent_journal.sqlite"


class Journal:
    """The journal file (created on first use). Safe across threads and processes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_journal_path()
        self._lock = threading.Lock()
        with translated(self.path, _("open it")):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if inspect_file(self.path):
                add_schema(self.path)

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def _entry(self, row: sqlite3.Row) -> JournalEntry:
        return JournalEntry(**decode_row(self.path, row))

    def _query(self, sql: str, args: tuple = ()) -> list[JournalEntry]:
        with self._lock, translated(self.path, _("read it")):
            con = self._connect()
            try:
                return [self._entry(r) for r in con.execute(sql, args)]
            finally:
                con.close()

    def entries(
        self, scope: str | None = None, *, also: tuple[str, ...] = ()
    ) -> list[JournalEntry]:
        """All entries (of one scope, and the ``also`` ones), oldest first."""
        if scope is None:
            return self._query("SELECT * FROM rentals ORDER BY id")
        scopes = (scope, *also)
        return self._query(
            f"SELECT * FROM rentals WHERE scope IN ({','.join('?' * len(scopes))}) ORDER BY id",
            scopes,
        )

    def get(self, entry_id: int) -> JournalEntry:
        found = self._query("SELECT * FROM rentals WHERE id = ?", (entry_id,))
        if not found:
            raise KeyError(_("no journal entry {entry}").format(entry=entry_id))
        return found[0]

    def blocking(self, scope: str) -> list[JournalEntry]:
        """Entries whose outcome is not known (any state but done and failed): they block
        renting."""
        return self._query(
            f"SELECT * FROM rentals WHERE scope = ? AND state NOT IN {SETTLED} ORDER BY id",
            (scope,),
        )

    pending = blocking

    def begin(
        self,
        scope: str,
        parameters: dict[str, Any],
        volumes: dict[str, Any],
        *,
        quote_eur: float | None = None,
        again: bool = False,
        busy_for: float = 600.0,
        also: tuple[str, ...] = (),
    ) -> int:
        """Record the intent to rent; refuse if blocked. Returns the entry id.

        ``busy_for``: seconds within which the rent request is sure to have ended (the
        client's deadline plus a read timeout): the entry's ``busy_until``, until the rent
        request starts (:meth:`started` sets it then). ``also``: other scopes whose
        unsettled entries block too (entries written before scopes named the account).
        The journal must be writable with room to spare (:func:`.check_room`)."""
        fp = fingerprint(parameters, volumes)
        now = time.time()
        check_room(self.path)
        with self._lock, translated(self.path, _("record the rent before sending it")):
            con = self._connect()
            try:
                con.execute("BEGIN IMMEDIATE")
                try:
                    self._refuse_if_blocked(con, scope, fp, now, again, also)
                except RentBlockedError:
                    con.execute("ROLLBACK")
                    raise
                cur = con.execute(
                    "INSERT INTO rentals (scope, fingerprint, parameters, volumes, quote_eur, "
                    "state, created_at, updated_at, owner, busy_until) "
                    "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
                    (
                        scope,
                        fp,
                        json.dumps(parameters, sort_keys=True),
                        json.dumps(volumes, sort_keys=True),
                        quote_eur,
                        now,
                        now,
                        this_process(),
                        now + busy_for,
                    ),
                )
                con.execute("COMMIT")
                assert cur.lastrowid is not None  # set by any INSERT into a rowid table
                return cur.lastrowid
            finally:
                con.close()

    def check(
        self,
        scope: str,
        parameters: dict[str, Any],
        volumes: dict[str, Any],
        *,
        again: bool = False,
        also: tuple[str, ...] = (),
    ) -> None:
        """Raise what :meth:`begin` would raise, without recording anything."""
        check_room(self.path)
        with self._lock, translated(self.path, _("read it")):
            con = self._connect()
            try:
                self._refuse_if_blocked(
                    con, scope, fingerprint(parameters, volumes), time.time(), again, also
                )
            finally:
                con.close()

    def _refuse_if_blocked(
        self,
        con: sqlite3.Connection,
        scope: str,
        fp: str,
        now: float,
        again: bool,
        also: tuple[str, ...] = (),
    ) -> None:
        scopes = (scope, *also)
        rows = con.execute(
            f"SELECT * FROM rentals WHERE scope IN ({','.join('?' * len(scopes))})"
            f" AND state NOT IN {SETTLED} ORDER BY id",
            scopes,
        ).fetchall()
        if rows:
            raise blocked_error(self.path, [self._entry(r) for r in rows], now)
        if not again:
            dup = con.execute(
                "SELECT * FROM rentals WHERE scope = ? AND fingerprint = ? AND "
                "state = 'done' AND created_at >= ? ORDER BY id DESC",
                (scope, fp, now - DUPLICATE_WINDOW_S),
            ).fetchall()
            if dup:
                raise duplicate_error(self._entry(dup[0]))

    _until = staticmethod(until_text)

    def _update(self, entry_id: int, **fields: Any) -> None:
        fields["updated_at"] = time.time()
        cols = ", ".join(f"{k} = ?" for k in fields)
        with self._lock, translated(self.path, _("record entry {entry}").format(entry=entry_id)):
            con = self._connect()
            try:
                cur = con.execute(
                    f"UPDATE rentals SET {cols} WHERE id = ?", (*fields.values(), entry_id)
                )
                if cur.rowcount != 1:
                    raise KeyError(_("no journal entry {entry}").format(entry=entry_id))
            finally:
                con.close()

    def complete(self, entry_id: int, token: str, cost_eur: float | None = None) -> None:
        """The rental succeeded with ``token``."""
        self._update(entry_id, state="done", token=token, cost_eur=cost_eur)

    def fail(self, entry_id: int, note: str) -> None:
        """The API refused the rental (nothing was rented)."""
        self._update(entry_id, state="failed", note=note[:500])

    def mark_unknown(self, entry_id: int, note: str, token: str | None = None) -> None:
        """The outcome is unknown: blocks further rents until resolved (a ``token`` the
        answer did carry is kept: reconcile checks it with ``status``)."""
        extra = {} if token is None else {"token": token}
        self._update(entry_id, state="unknown", note=note[:500], **extra)

    def set_balance(self, entry_id: int, balance_eur: float) -> None:
        """The balance read just before the rent request (to settle it later)."""
        self._update(entry_id, balance_before=float(balance_eur))

    def started(self, entry_id: int, balance_eur: float, busy_for: float) -> None:
        """The rent request starts now: the balance read just before it, and
        ``busy_until`` = now + ``busy_for`` (the client's deadline plus one read timeout),
        until which the server may still be handling it. Checks the disk first: a journal
        that could not record the answer must fail before the request, not after."""
        check_room(self.path)
        self._update(entry_id, balance_before=float(balance_eur), busy_until=time.time() + busy_for)

    def by_token(self, token: str) -> JournalEntry | None:
        """The entry that rented ``token`` (None if none did)."""
        found = self._query("SELECT * FROM rentals WHERE token = ? ORDER BY id DESC", (token,))
        return found[0] if found else None

    def busy(self, entry: JournalEntry, now: float | None = None) -> bool:
        """Whether a pending entry's rent may still be running in a live process (its owner
        records the outcome itself)."""
        return is_busy(entry, now)

    def in_flight_until(self, entry: JournalEntry, now: float | None = None) -> float | None:
        """``busy_until`` of an unsettled entry whose rent the server may still be handling
        (whatever its state or owner), else None."""
        return in_flight_until(entry, now)

    def refuse_if_running(self, entry: JournalEntry) -> None:
        """Raise :class:`RentBlockedError` when ``entry``'s rent is in flight in a live
        process: that process records the outcome; nobody else settles it meanwhile."""
        if self.busy(entry):
            raise RentBlockedError(
                _(
                    "journal entry {entry} is pending: its rent is {until} in process {owner}; "
                    "wait for it to end (at most {seconds} s), then `smsp journal` "
                    "(client.journal_entries()) shows its outcome"
                ).format(
                    entry=entry.id,
                    until=self._until(entry),
                    owner=entry.owner,
                    seconds=f"{max(0.0, (entry.busy_until or 0) - time.time()):.0f}",
                ),
                entries=[entry],
            )

    def resolve(
        self,
        entry_id: int,
        *,
        token: str | None = None,
        failed: bool = False,
        cost_eur: float | None = None,
        note: str | None = None,
        rented: bool = False,
        force: bool = False,
    ) -> JournalEntry:
        """Settle an unsettled entry: it was rented as ``token`` (or ``rented`` with the
        token unknown), or it ``failed``.

        ``failed`` is refused (:class:`RentBlockedError`) while the rent may still run in a
        live process or at the server (before ``busy_until``), unless ``force``: a rent
        that lands after being settled failed would let an identical one be charged too."""
        if (token is None and not rented) == (not failed):
            raise ValueError(_("give either token=... (it was rented) or failed=True"))
        entry = self.get(entry_id)
        if entry.state in SETTLED:
            raise ValueError(
                _("journal entry {entry} is already {state}").format(
                    entry=entry_id, state=entry.state
                )
            )
        until = self.in_flight_until(entry)
        if failed and not force:
            self.refuse_if_running(entry)
            if until is not None:
                raise RentBlockedError(
                    _(
                        "journal entry {entry} is not settled as failed: it is {in_flight} (the "
                        "server may still be handling its rent); settle it after that time, or "
                        "pass force=True (at the risk of a second charge if it lands)"
                    ).format(entry=entry_id, in_flight=in_flight_text(until)),
                    entries=[entry],
                )
        if token is not None or rented:
            self._update(
                entry_id, state="done", token=token, cost_eur=cost_eur, note=note or _("reconciled")
            )
        else:
            self._update(entry_id, state="failed", note=note or _("reconciled as failed"))
        return self.get(entry_id)

    def note(self, entry_id: int, note: str) -> JournalEntry:
        """Record why an entry stays as it is (e.g. a reconcile that could not decide)."""
        self._update(entry_id, note=note[:500])
        return self.get(entry_id)

    def frame(self, scope: str | None = None, *, also: tuple[str, ...] = ()) -> Any:
        """The entries as a DataFrame (one row each, times as UTC timestamps)."""
        return entries_frame(self.entries(scope, also=also))
