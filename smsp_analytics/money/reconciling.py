"""Settling journal entries whose rent outcome is unknown (:class:`Reconciler`, a part of
:class:`~smsp_analytics.client.facade.Client`).

Settling an entry as ``failed`` lets an identical rent through, so it is the one outcome
that waits: until the entry's ``busy_until`` (when its rent request started, plus the
client's deadline and one read timeout) the server may still be handling the rent, and
``reconcile`` answers ``unknown``, "still possibly in flight until HH:MM:SS", whatever the
entry's state or owner. Evidence that it was charged (its token's status, the balance down
by the quote) settles it ``done`` at any time. ``force=True`` alone settles it failed
early, and its note says what that risks.

>>> from smsp_analytics import Client
>>> with Client(announce=False) as c:
...     c.reconcile(1, force=True)
Traceback (most recent call last):
...
ValueError: force: only with failed=True (it overrides the checks that keep a charged or still running rent from being settled as failed)
"""

from __future__ import annotations

import pandas as pd

from smsp_analytics.errors import RentBlockedError
from smsp_analytics.i18n import _
from smsp_analytics.money.account_journal import AccountJournal
from smsp_analytics.money.context import AccountReader
from smsp_analytics.money.journal import SETTLED, Journal, JournalEntry
from smsp_analytics.money.journal_guard import alive, in_flight_text, kept_answer
from smsp_analytics.money.wording import eur

__all__ = ["Reconciler"]


class Reconciler:
    """``reconcile`` and ``journal_entries`` of one account: its journal, and the account
    part that reads a token's ``status`` and the ``credits``."""

    def __init__(self, journal: AccountJournal, account: AccountReader) -> None:
        self._account_journal = journal
        self._account = account

    @property
    def journal(self) -> Journal:
        """The journal file."""
        return self._account_journal.journal

    def reconcile(
        self, entry_id: int, *, token: str | None = None, failed: bool = False, force: bool = False
    ) -> JournalEntry:
        """Settle a journal entry whose rent outcome is unknown; returns it settled, or
        still ``unknown`` with the reason in ``note``.

        With no other argument it works it out: a known token (or one kept in a fallback
        record when the journal could not take the answer) is checked with ``status``;
        otherwise the balance now is compared with the one recorded before the rent
        (unchanged: failed; down by the quote: done, token unknown, ask the vendor's
        support; anything else: stays unknown). ``token=...`` (checked with ``status``) or
        ``failed=True`` settle it by hand. Nothing settles it as failed before its
        ``busy_until`` (the server may still be handling the rent: the answer is
        ``unknown``, "still possibly in flight until HH:MM:SS"), nor when the balance
        dropped by the quote or its token's status shows a rental (RentBlockedError),
        unless ``force=True``: a charged rent settled as failed lets an identical second
        rent through. CLI: ``smsp reconcile ENTRY [--token T | --failed [--force]]``.
        """
        if force and not failed:
            raise ValueError(
                _(
                    "force: only with failed=True (it overrides the checks that keep a charged "
                    "or still running rent from being settled as failed)"
                )
            )
        entry = self.journal.get(entry_id)
        if not self._account_journal.owns(entry):
            raise ValueError(
                _(
                    "entry_id: journal entry {entry} belongs to another account or API (its "
                    "scope differs from this client's); settle it with a client made with that "
                    "key and base URL"
                ).format(entry=entry_id)
            )
        kept = (
            None
            if token is not None or entry.state in SETTLED or entry.token
            else kept_answer(self.journal.path, entry_id, entry.scope)
        )
        if kept is not None and not failed:
            token = kept[1]  # the answer the journal could not take (JournalError)
        if token is not None:  # charged, as its status shows: safe at any time
            st = self._account.status(token)
            return self.journal.resolve(
                entry_id, token=token, cost_eur=st.attrs.get("total_cost_eur")
            )
        if entry.state in SETTLED:
            if failed:
                self.journal.resolve(entry_id, failed=True)  # raises: already settled
            return entry
        entry = self._orphaned(entry)
        self.journal.refuse_if_running(entry)
        until = self.journal.in_flight_until(entry)
        if failed:
            if force:
                return self.journal.resolve(
                    entry_id,
                    failed=True,
                    force=True,
                    note=None if until is None else self._forced_note(until),
                )
            if kept is not None:
                raise RentBlockedError(
                    _(
                        "journal entry {entry} not settled as failed: its rent was answered with "
                        "token {token} (kept in {path} when the journal could not take it); "
                        "`smsp reconcile {entry} --token {token}` (client.reconcile({entry}, "
                        "token='{token}')) records it"
                    ).format(entry=entry_id, token=kept[1], path=kept[0]),
                    entries=[entry],
                )
            self._refuse_if_charged(entry)  # evidence of a charge says more than a clock
            if until is not None:
                return self._still_in_flight(entry, until)
            return self.journal.resolve(entry_id, failed=True)
        if entry.token:
            st = self._account.status(entry.token)
            return self.journal.resolve(
                entry_id, token=entry.token, cost_eur=st.attrs.get("total_cost_eur")
            )
        return self._settle_by_balance(entry, until)

    def _orphaned(self, entry: JournalEntry) -> JournalEntry:
        """A pending entry whose renting process is gone is ``unknown`` (the process died
        before recording the outcome: ``kill -9``, a crash)."""
        if entry.state != "pending" or alive(entry.owner):
            return entry
        self.journal.mark_unknown(
            entry.id,
            _("the renting process {owner} (host:pid) ended before recording the outcome").format(
                owner=entry.owner
            ),
            token=entry.token,
        )
        return self.journal.get(entry.id)

    @staticmethod
    def _forced_note(until: float) -> str:
        return _(
            "settled as failed with force while {in_flight}: if the server was still handling "
            "the rent, it is charged and an identical rent now would be charged twice"
        ).format(in_flight=in_flight_text(until))

    def _still_in_flight(self, entry: JournalEntry, until: float) -> JournalEntry:
        """Stays unknown: the server may still be handling the rent."""
        return self.journal.note(
            entry.id,
            _(
                "{in_flight}: the server may still be handling this rent, so it is not settled "
                "as failed before then (an identical rent could be charged twice); run `smsp "
                "reconcile {entry}` (client.reconcile({entry})) after that time; `smsp reconcile "
                "{entry} --failed --force` (client.reconcile({entry}, failed=True, force=True)) "
                "settles it as failed now, at the risk of that second charge"
            ).format(in_flight=in_flight_text(until), entry=entry.id),
        )

    def _spent_since(self, entry: JournalEntry, before: float) -> tuple[float, float]:
        """EUR the balance dropped since ``before`` (the balance before ``entry``'s rent),
        less the rents settled after it (other clients moved the balance too), and the
        balance now."""
        now = self._account.credits().balance_eur
        later = sum(
            e.cost_eur or e.quote_eur or 0.0
            for e in self.journal.entries(entry.scope)
            if e.id > entry.id and e.state == "done"
        )
        return round(before - now - later, 2), now

    def _refuse_if_charged(self, entry: JournalEntry) -> None:
        """Refuse to settle as failed an entry that the evidence says was charged."""
        why = None
        if entry.token:
            st = self._account.status(entry.token)
            if st.attrs.get("status_code") != 3:  # 3: the vendor's "Rental failed"
                why = _("its token {token} has a rental ({status})").format(
                    token=entry.token, status=st.attrs.get("status")
                )
        if why is None and entry.balance_before is not None and entry.quote_eur is not None:
            spent = self._spent_since(entry, entry.balance_before)[0]
            if spent >= entry.quote_eur - 0.01:
                why = _(
                    "the balance dropped by {spent} since before the rent (quote {quote})"
                ).format(spent=eur(spent), quote=eur(entry.quote_eur))
        if why is not None:
            raise RentBlockedError(
                _(
                    "journal entry {entry} not settled as failed: the evidence suggests it was "
                    "charged ({why}); `smsp reconcile {entry}` (client.reconcile({entry})) "
                    "works it out; to settle it as failed anyway: client.reconcile({entry}, "
                    "failed=True, force=True) (smsp reconcile {entry} --failed --force)"
                ).format(entry=entry.id, why=why),
                entries=[entry],
            )

    def _settle_by_balance(self, entry: JournalEntry, until: float | None) -> JournalEntry:
        manual = _(
            "settle it by hand: client.reconcile({entry}, token=...) or client.reconcile("
            "{entry}, failed=True) (smsp reconcile {entry} --token T | --failed)"
        ).format(entry=entry.id)
        if entry.balance_before is None or entry.quote_eur is None:
            if until is not None:
                return self._still_in_flight(entry, until)
            return self.journal.note(
                entry.id,
                _("stays unknown: no balance was recorded before this rent; {manual}").format(
                    manual=manual
                ),
            )
        spent, now = self._spent_since(entry, entry.balance_before)
        when = pd.Timestamp(entry.created_at, unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
        if abs(spent) < 0.005:
            if until is not None:  # not charged yet: the rent may still land
                return self._still_in_flight(entry, until)
            return self.journal.resolve(
                entry.id,
                failed=True,
                note=_("reconciled as failed: the balance did not move ({balance})").format(
                    balance=eur(now)
                ),
            )
        if abs(spent - entry.quote_eur) <= 0.01:
            return self.journal.resolve(
                entry.id,
                rented=True,
                cost_eur=spent,
                note=_(
                    "reconciled as done from the balance (down {spent} = the quote); token "
                    "unknown: ask the vendor's support for the token of the rental of {when} "
                    "({quote})"
                ).format(spent=eur(spent), when=when, quote=eur(entry.quote_eur)),
            )
        if until is not None:
            return self._still_in_flight(entry, until)
        return self.journal.note(
            entry.id,
            _(
                "stays unknown: the balance moved by {spent} but the quote was {quote} (other "
                "spending on the account?); ask the vendor's support about the rental of {when}, "
                "then {manual}"
            ).format(spent=eur(spent), quote=eur(entry.quote_eur), when=when, manual=manual),
        )

    def entries(self, all_accounts: bool = False) -> pd.DataFrame:
        """The rent journal as a DataFrame (this account's entries unless
        ``all_accounts``): id, state, times, quote, cost, token, balance, note..."""
        return self._account_journal.frame(all_accounts)
