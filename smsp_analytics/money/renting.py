"""Renting: the client's money operation (:class:`Renting`, a part of :class:`Client`).

A rent charges the account. Before the one rent request (never cached, never retried):
consent is ``confirm is True`` and nothing else; ``volumes`` is a non-empty mapping, or
``"all"`` to rent the whole available audience; ``max_cost_eur`` (if given) a finite number
> 0; a fresh quote whose figures must be present, finite and consistent; the guard compares
against the largest of the API's total and the sum of quantity x unit price. The journal
entry is written (``pending``) first, then the balance is read and recorded on it, so an
unknown outcome can be settled later by ``client.reconcile(entry_id)``
(:meth:`~smsp_analytics.money.reconciling.Reconciler.reconcile`) with no other argument.
The checks of the volumes and of the quote are in :mod:`.rent_checks` (re-exported here); the
messages and journal notes are in the language in force (:mod:`.wording`).

>>> from smsp_analytics import Client, Targeting
>>> with Client(announce=False) as c:
...     c.rent(Targeting(interest=14, departments=["60"]), {}, confirm=True)
Traceback (most recent call last):
...
ValueError: volumes: {} is empty; allowed: a mapping locality -> contacts, or "all" to rent the whole available audience
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smsp_analytics.errors import (
    Arg,
    InsufficientCreditError,
    JournalError,
    MalformedResponseError,
    RentConsentError,
    RentOutcomeUnknownError,
    SmsPartnerError,
    not_allowed,
    parts_of,
)
from smsp_analytics.frames import locality_frame
from smsp_analytics.i18n import N_, _
from smsp_analytics.money.account_journal import AccountJournal
from smsp_analytics.money.context import AccountReader, AnswerRecorder, ClientContext, QuoteSource
from smsp_analytics.money.journal import how_to_settle
from smsp_analytics.money.journal_guard import in_flight_text, save_fallback
from smsp_analytics.money.rent_checks import check_quote, rent_volumes
from smsp_analytics.money.rent_checks import is_finite as _finite
from smsp_analytics.money.wording import eur, money, quote_text, unrecorded_text
from smsp_analytics.targeting import Targeting
from smsp_analytics.wire.decoding import server_time
from smsp_analytics.wire.transport import Transport

__all__ = ["Rental", "Renting", "check_quote", "rent_volumes", "busy_for"]


@dataclass(frozen=True)
class Rental:
    """A completed rental: its ``token`` (for ``status``/``download``), what it cost, the
    per-locality frame of the rent answer and the journal entry id."""

    token: str
    cost_eur: float | None
    quantity: float | None
    entry_id: int
    frame: pd.DataFrame = field(repr=False, compare=False)


def busy_for(transport: Transport) -> float:
    """Seconds from a request's start until the client has surely given up on it (its
    deadline plus one read timeout, and a second for the journal write before it)."""
    return transport.deadline + transport.read_timeout + 1.0


class Renting:
    """``quote``, ``check_rent`` and ``rent`` for one account. What they need is given to
    the constructor: the context, the transport, the account's journal, the quotes and
    account parts, and the recorder of live answers."""

    def __init__(
        self,
        context: ClientContext,
        transport: Transport,
        journal: AccountJournal,
        quotes: QuoteSource,
        account: AccountReader,
        recorder: AnswerRecorder,
    ) -> None:
        self._context = context
        self._transport = transport
        self._journal = journal
        self._quotes = quotes
        self._account = account
        self._recorder = recorder

    def quote(
        self, t: Targeting | Mapping[str, Any], volumes: Mapping[Any, int] | str | None = None
    ) -> dict[str, Any]:
        """What a rent would cost: a fresh ``price`` and the balance (no rent).

        ``cost_eur`` is the checked figure the rent guard uses (see :func:`check_quote`)."""
        t = self._quotes.targeting(t)
        vols = rent_volumes(t, "all" if volumes is None else volumes)
        frame = self._quotes.price(t, vols, fresh=True)
        cost = check_quote(frame, vols)
        credits = self._account.credits()
        return {
            "targeting": t.describe(),
            "volume": frame.attrs["total_quantity"],
            "cost_eur": cost,
            "api_total_eur": frame.attrs["total_cost_eur"],
            "unit_cost_eur": frame.attrs["unit_cost_eur"],
            "balance_eur": credits.balance_eur,
            "currency": credits.currency,
            "volumes": frame.attrs["volumes"],
            "frame": frame,
        }

    def check_rent(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | str | None = None,
        *,
        again: bool = False,
    ) -> None:
        """Raise :class:`RentBlockedError` now if the journal would refuse this rental."""
        t = self._quotes.targeting(t)
        vols = rent_volumes(t, volumes)
        self._journal.check(t.to_parameters(), vols or {}, again=again)

    def rent(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | str | None = None,
        *,
        confirm: bool = False,
        max_cost_eur: float | None = None,
        again: bool = False,
    ) -> Rental:
        """Rent contacts (charges the account). Needs ``confirm=True`` (exactly True).

        ``volumes``: locality -> contacts, or ``"all"`` for the whole available audience.
        Checks the quote against ``max_cost_eur`` and the balance, records the intent and
        the balance in the journal, then sends one rent request, never retried. If its
        outcome is unknown the journal blocks further rents until ``reconcile``.
        """
        t = self._quotes.targeting(t)
        vols = rent_volumes(t, volumes)
        if max_cost_eur is not None and not (_finite(max_cost_eur) and max_cost_eur > 0):
            raise ValueError(
                not_allowed("max_cost_eur", max_cost_eur, N_("a finite number of EUR > 0, or None"))
            )
        params = t.to_parameters()
        self._journal.check(params, vols or {}, again=again)
        q = self.quote(t, "all" if vols is None else vols)
        cost = q["cost_eur"]
        shown = {k: v for k, v in q.items() if k != "frame"}
        text = quote_text(q)
        if confirm is not True:
            raise RentConsentError(
                parts_of(
                    _(
                        "rent not confirmed: {quote}. Call {confirm} to rent (confirm must be exactly True)."
                    ),
                    quote=text,
                    confirm=Arg("confirm", python="rent(..., confirm=True)"),
                ),
                quote=shown,
                field="confirm",
                value=confirm,
            )
        if max_cost_eur is not None and cost > max_cost_eur:
            raise RentConsentError(
                parts_of(
                    _("rent refused: the quote, {cost}, exceeds {max_cost} ({quote})"),
                    cost=money(cost, q["currency"]),
                    max_cost=Arg("max_cost_eur", max_cost_eur, shown=f"{max_cost_eur:.2f}"),
                    quote=text,
                ),
                quote=shown,
                field="max_cost_eur",
                value=max_cost_eur,
            )
        if cost > q["balance_eur"]:
            raise InsufficientCreditError(
                _("balance: too low for this rental: {quote}").format(quote=text), code=11
            )
        # Until the request starts (busy_until is then set anew), the balance read before
        # it is what may run: it too ends within one deadline plus one read timeout.
        entry = self._journal.begin(
            params, vols or {}, quote_eur=cost, again=again, busy_for=busy_for(self._transport)
        )
        try:
            return self._rent_entry(entry, t, params, vols, cost, text, shown)
        except JournalError:
            raise  # the journal cannot be written: the error carries what it could not take
        except BaseException as exc:
            # Whatever escaped (Ctrl-C included) leaves no entry pending in a live process.
            try:
                if self._journal.journal.get(entry).state == "pending":
                    self._journal.journal.mark_unknown(
                        entry, _("interrupted: {error}").format(error=type(exc).__name__)
                    )
            except JournalError:
                pass  # it stays pending, which blocks renting too; the first error matters
            raise

    def _in_flight(self, entry: int) -> str:
        until = self._journal.journal.get(entry).busy_until
        return _("possibly in flight") if until is None else in_flight_text(until)

    def _record(
        self,
        entry: int,
        outcome: str,
        *,
        note: str = "",
        token: str | None = None,
        cost: float | None = None,
    ) -> None:
        """Write a rent's outcome after its request; a journal that cannot take it raises
        a :class:`JournalError` carrying the answer, also kept in a fallback file."""
        try:
            if outcome == "done":
                self._journal.journal.complete(entry, str(token), cost)
            elif outcome == "failed":
                self._journal.journal.fail(entry, note)
            else:
                self._journal.journal.mark_unknown(entry, note, token=token)
        except JournalError as exc:
            raise self._unrecorded(entry, outcome, exc, note=note, token=token, cost=cost) from None

    def _unrecorded(
        self,
        entry: int,
        outcome: str,
        exc: JournalError,
        *,
        note: str,
        token: str | None,
        cost: float | None,
    ) -> JournalError:
        path = self._journal.path
        kept = save_fallback(
            path,
            {
                "entry_id": entry,
                "outcome": outcome,
                "token": token,
                "cost_eur": cost,
                "note": note,
                "journal": str(path),
                "scope": self._journal.scope,
                "at": pd.Timestamp.now(tz="UTC").isoformat(),
                "reason": str(exc),
            },
        )
        return JournalError(
            unrecorded_text(
                entry=entry,
                outcome=outcome,
                error=exc,
                kept=kept,
                note=note,
                token=token,
                cost=cost,
            ),
            path=path,
            entry_id=entry,
            token=token,
            cost_eur=cost,
            fallback=kept,
        )

    def _rent_entry(
        self,
        entry: int,
        t: Targeting,
        params: dict,
        vols: dict | None,
        cost: float,
        text: str,
        shown: dict,
    ) -> Rental:
        try:
            credits = self._account.credits()
        except SmsPartnerError as exc:
            self._journal.journal.fail(
                entry, _("balance unreadable before the rent: {error}").format(error=exc)
            )
            raise
        # The request starts now: its busy_until, and the disk checked once more (a journal
        # that cannot take the answer must fail here, before anything is charged).
        try:
            self._journal.journal.started(entry, credits.balance_eur, busy_for(self._transport))
        except JournalError:
            with contextlib.suppress(JournalError):  # a full disk may still take this
                self._journal.journal.fail(
                    entry, _("not sent: the journal's disk could not take more")
                )
            raise
        if cost > credits.balance_eur:
            self._journal.journal.fail(entry, _("balance too low"))
            raise InsufficientCreditError(
                _("balance: too low for this rental: {quote} (now {balance})").format(
                    quote=text, balance=eur(credits.balance_eur)
                ),
                code=11,
            )
        body: dict[str, Any] = {"op": "rent", "parameters": params}
        if vols:
            body["volumes"] = vols
        self._context.count_call()
        try:
            payload, raw = self._transport.call(
                "POST", "location/optin", mode="rent", kind="rent", body=body
            )
        except SmsPartnerError as exc:
            definite = (
                exc.code is not None
                and exc.http_status is not None
                and exc.http_status < 500
                or exc.http_status == 429
            )
            if definite:
                self._record(entry, "failed", note=str(exc))  # nothing was rented
                raise
            self._record(entry, "unknown", note=str(exc))
            raise RentOutcomeUnknownError(
                parts_of(
                    _(
                        "rent outcome unknown ({error}); journal entry {entry} blocks further "
                        "rents until settled; it is {in_flight} (the server may still be handling "
                        "it: it is not settled as failed before then); {settle}"
                    ),
                    error=exc,
                    entry=entry,
                    in_flight=self._in_flight(entry),
                    settle=how_to_settle(entry),
                ),
                entry_id=entry,
                http_status=exc.http_status,
            ) from None
        token = payload.get("token") if payload else None
        try:
            frame = locality_frame(
                payload,
                op="rent",
                targeting=t,
                source=self._context.source,
                synthetic=self._context.synthetic,
            )
        except MalformedResponseError as exc:
            frame, why = None, str(exc)
        else:
            why = _("rent answer without a token")
        if not token or frame is None:
            token = str(token) if token else None  # kept: reconcile checks its status
            self._record(entry, "unknown", note=why, token=token)
            raise RentOutcomeUnknownError(
                parts_of(
                    _(
                        "rent answered success but {why} (token {token}); journal entry {entry} "
                        "needs settling: {settle}"
                    )
                    if token
                    else _(
                        "rent answered success but {why}; journal entry {entry} needs settling: "
                        "{settle}"
                    ),
                    why=why,
                    token=token,
                    entry=entry,
                    settle=how_to_settle(entry),
                ),
                entry_id=entry,
            )
        self._record(entry, "done", token=str(token), cost=frame.attrs["total_cost_eur"])
        frame.attrs["journal_entry"] = entry
        now = pd.Timestamp.now(tz="UTC")
        self._context.label(frame, now, False, server_time(raw, now))
        # A rent is never cached: always a live answer to record (a failing store warns).
        self._recorder.record(
            frame,
            op="rent",
            targeting=t,
            volumes=vols,
            as_of=frame.attrs["as_of"],
            fetched_at=now,
            background=False,
        )
        return Rental(
            str(token), frame.attrs["total_cost_eur"], frame.attrs["total_quantity"], entry, frame
        )
