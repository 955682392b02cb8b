"""A rent-journal entry and what it says: its fields, the digest of its targeting and
volumes, whether its rent may still be running (in a live process, or at the server until
``busy_until``), and the words of a refused rent: which entries block and how to settle
each, or the same rental made in the last 24 hours.

>>> fingerprint({"sexe": "f"}, {"60": 10}) == fingerprint({"sexe": "f"}, {"60": 10})
True
>>> e = JournalEntry(1, "s", "unknown", {}, {}, None, None, None, None, 0.0, 0.0)
>>> is_busy(e, 0.0), in_flight_until(e, 0.0), until_text(e)
(False, None, 'in flight')
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smsp_analytics.errors import (
    Arg,
    Call,
    JournalUnknownStateError,
    Parts,
    RentBlockedError,
    parts_of,
    render,
)
from smsp_analytics.i18n import N_, _, ngettext
from smsp_analytics.money.journal_fallback import kept_answer
from smsp_analytics.money.journal_guard import SETTLED, alive, in_flight_text, this_process

__all__ = [
    "JournalEntry",
    "fingerprint",
    "HOW_TO_SETTLE",
    "how_to_settle",
    "LIST_ENTRIES",
    "is_busy",
    "in_flight_until",
    "until_text",
    "blocked_error",
    "duplicate_error",
]


#: The journal's entries, as a command (the CLI) and a call (Python).
LIST_ENTRIES = Call("smsp journal", "`smsp journal` (client.journal_entries())")


_HOW_TO_SETTLE = N_(
    "settle it with `smsp reconcile {entry}` (or client.reconcile({entry}) in Python: it "
    "checks the token with status, else compares the balance); {entries} lists the entries"
)


def how_to_settle(entry: int | str) -> Parts:
    """How to settle journal entry ``entry``, as message parts (each reader its spelling),
    in the language in force."""
    return parts_of(_(_HOW_TO_SETTLE), entry=entry, entries=LIST_ENTRIES)


#: :func:`how_to_settle` in English for any entry (``ENTRY``).
HOW_TO_SETTLE = render(parts_of(_HOW_TO_SETTLE, entry="ENTRY", entries=LIST_ENTRIES), None)


def fingerprint(parameters: dict[str, Any], volumes: dict[str, Any]) -> str:
    """A stable digest of a rental's targeting and volumes (order-insensitive)."""
    text = json.dumps({"p": parameters, "v": volumes}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class JournalEntry:
    """One rental attempt as recorded."""

    id: int
    scope: str
    state: str
    parameters: dict[str, Any]
    volumes: dict[str, Any]
    quote_eur: float | None
    token: str | None
    cost_eur: float | None
    note: str | None
    created_at: float
    updated_at: float
    balance_before: float | None = None
    owner: str | None = None
    busy_until: float | None = None


def is_busy(entry: JournalEntry, now: float | None = None) -> bool:
    """Whether a pending entry's rent may still be running in a live process (its owner
    records the outcome itself)."""
    now = time.time() if now is None else now
    if entry.state != "pending" or not alive(entry.owner):
        return False
    if entry.owner == this_process() and entry.busy_until is None:
        return False
    return entry.busy_until is None or now < entry.busy_until


def in_flight_until(entry: JournalEntry, now: float | None = None) -> float | None:
    """``busy_until`` of an unsettled entry whose rent the server may still be handling
    (whatever its state or owner), else None."""
    now = time.time() if now is None else now
    if entry.state in SETTLED or entry.busy_until is None or now >= entry.busy_until:
        return None
    return entry.busy_until


def until_text(e: JournalEntry) -> str:
    """Until when the entry's rent may still be running, in words."""
    return in_flight_text(e.busy_until) if e.busy_until is not None else _("in flight")


def blocked_error(path: Path, entries: list[JournalEntry], now: float) -> JournalUnknownStateError:
    """Why unsettled ``entries`` of the journal at ``path`` block renting, with what to do
    about each: record a kept answer, wait for a running rent, or settle it."""
    ids = ", ".join(str(e.id) for e in entries)
    states = "/".join(sorted({e.state for e in entries}))
    # A rent still running elsewhere cannot be reconciled (reconcile says "wait"):
    # advising it would send the user in a circle.
    kept = {e.id: k for e in entries if (k := kept_answer(path, e.id, e.scope))}
    running = [e for e in entries if e.id not in kept and is_busy(e, now)]
    later = [
        e for e in entries if e.id not in kept and e not in running and in_flight_until(e, now)
    ]
    settle = [e for e in entries if e.id not in kept and e not in running + later]
    advice = [
        _(
            "entry {entry} was rented but not recorded, its answer kept in {path}: record it "
            "with `smsp reconcile {entry} --token {token}` (client.reconcile({entry}, "
            "token='{token}'))"
        ).format(entry=i, path=f, token=tok)
        for i, (f, tok) in kept.items()
    ]
    for e in running:
        advice.append(
            _(
                "entry {entry} is a rent {until} in process {owner} (host:pid): wait for it to "
                "finish (at most {seconds} s), then `smsp journal` (client.journal_entries()) "
                "shows its outcome"
            ).format(
                entry=e.id,
                until=until_text(e),
                owner=e.owner,
                seconds=f"{max(0.0, (e.busy_until or now) - now):.0f}",
            )
        )
    for e in later:
        advice.append(
            _(
                "entry {entry} is {until} (the server may still be handling its rent): settle "
                "it after that time with `smsp reconcile {entry}` (client.reconcile({entry}))"
            ).format(entry=e.id, until=until_text(e))
        )
    if settle:
        advice.append(render(how_to_settle(settle[0].id), None))
    return JournalUnknownStateError(
        ngettext(
            "rent blocked: journal entry {ids} ({states}): the outcome of an earlier rent is "
            "not settled; {advice}",
            "rent blocked: journal entries {ids} ({states}): the outcome of an earlier rent is "
            "not settled; {advice}",
            len(entries),
        ).format(ids=ids, states=states, advice="; ".join(advice)),
        entries=entries,
    )


def duplicate_error(e: JournalEntry) -> RentBlockedError:
    """The refusal of a rental identical to entry ``e``, done in the last 24 hours."""
    return RentBlockedError(
        parts_of(
            _(
                "rent blocked: the same targeting and volumes were rented in the last 24 hours "
                "(journal entry {entry}, token {token}); pass {again} to rent them again; "
                "{entries} lists the entries"
            ),
            entry=e.id,
            token=e.token,
            again=Arg("again", python="again=True (smsp rent --again)"),
            entries=LIST_ENTRIES,
        ),
        entries=[e],
        field="again",
    )
