"""The report's campaign tables: what sending a message to each scenario costs, and when the
targeted departments may receive it.

* :func:`campaign_table`: per scenario, contacts, SMS parts, rental, sending, total and
  cost per contact (:func:`smsp_analytics.campaign.messages.campaign_cost` on its calcul frame);
* :func:`windows_table`: the send windows of the targeted departments for a week
  (:func:`smsp_analytics.campaign.sendwindows.send_windows`), at most :data:`MAX_WINDOW_DEPARTMENTS`.

>>> from smsp_analytics.campaign.messages import message_parts
>>> parts_text(message_parts(DEMO_MESSAGE))
'1 SMS (GSM-7, 91 of 160 positions)'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.campaign.funnel import price_basis_text
from smsp_analytics.campaign.messages import (
    MessageParts,
    campaign_cost,
    message_parts,
    unicode_hint,
)
from smsp_analytics.campaign.sendwindows import send_windows
from smsp_analytics.campaign.sendwindows_vendor import vendor_flags
from smsp_analytics.display import fmt_time
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.scenarios import Scenario
from smsp_analytics.vocab import time_zone

__all__ = [
    "DEMO_MESSAGE",
    "demo_message",
    "basis_text",
    "MAX_WINDOW_DEPARTMENTS",
    "WINDOW_DAYS",
    "campaign_table",
    "check_message",
    "windows_table",
    "scenario_departments",
    "parts_text",
    "characters_text",
]

#: The message costed when none is given: one SMS on the Premium range with the default
#: STOP mention appended (GSM-7, no replaced character), in English; :func:`demo_message`
#: gives it in the language in force (one SMS in French too).
DEMO_MESSAGE = N_("Spring sale: -20% on the whole home range this Saturday, in store and online.")
#: At most this many departments in the send-window table (the first ones, in scenario
#: order); the table says when more were targeted.
MAX_WINDOW_DEPARTMENTS = 12
WINDOW_DAYS = 7


def basis_text(basis: dict[str, Any] | None, price_per_sms: float | None) -> str:
    """The price per SMS and its basis in words (:func:`price_basis_text`); a price without
    a known basis reads as given."""
    return price_basis_text(basis or {"kind": "given", "price_per_sms": price_per_sms})


def demo_message() -> str:
    """The demo message in the language in force."""
    return _(DEMO_MESSAGE)


def parts_text(m: MessageParts) -> str:
    """How the message is billed, in words of the language in force."""
    if m.parts == 1:
        text = _("{parts} SMS ({encoding}, {length} of {positions} positions)")
    else:
        text = _("{parts} concatenated SMS ({encoding}, {length} of {positions} positions)")
    return text.format(
        parts=m.parts, encoding=m.encoding, length=m.length, positions=m.per_part * m.parts
    )


def characters_text(m: MessageParts) -> str:
    """The characters the vendor replaces (its table) and those GSM-7 cannot carry (the
    toolkit's assumption, with what Unicode mode would cost), as sentences; "" when none.

    >>> characters_text(message_parts("Promo [été] 🎄"))
    "Replaced when sent (the vendor's table): '[' -> '(', ']' -> ')'. Not in GSM-7 nor in \
the vendor's table: '🎄' dropped; unicode=True (the account's isUnicode=1) keeps them at no \
extra cost: 1 SMS per message, as in GSM-7."
    """
    out = []
    if m.replaced:
        pairs = ", ".join(
            f"{a!r} -> {b!r}" if b else _("{char} removed").format(char=repr(a))
            for a, b in m.replaced
        )
        out.append(_("Replaced when sent (the vendor's table): {pairs}.").format(pairs=pairs))
    if m.unsupported:
        pairs = ", ".join(
            f"{a!r} -> {b!r}" if b else _("{char} dropped").format(char=repr(a))
            for a, b in m.unsupported
        )
        out.append(
            _("Not in GSM-7 nor in the vendor's table: {pairs}; {hint}.").format(
                pairs=pairs, hint=unicode_hint(m)
            )
        )
    return " ".join(out)


def campaign_table(
    frames: Sequence[pd.DataFrame],
    scenarios: Sequence[Scenario],
    message: MessageParts,
    price_per_sms: float | str | None,
    client: Any = None,
) -> pd.DataFrame:
    """One row per scenario: the campaign cost of sending ``message`` to all its contacts.

    ``frames``: each scenario's calcul frame, in order. ``price_per_sms``: EUR, ``"account"``
    (``client``'s average cost per SMS over the last twelve months) or None (the sandbox
    default on synthetic frames). ``attrs["price_per_sms"]``: the price applied;
    ``attrs["price_basis"]``: why (:func:`~smsp_analytics.campaign.campaign_cost`'s).
    """
    rows, price, basis = [], None, None
    for s, frame in zip(scenarios, frames):
        out = campaign_cost(frame, message, price_per_sms=price_per_sms, client=client)
        a = out.attrs
        price, basis = a["price_per_sms"], a.get("price_basis")
        rows.append(
            {
                "scenario": s.name,
                "volume": int(a["total_contacts"]),
                "parts": int(a["parts"]),
                "price_per_sms_eur": float(price),
                "rental_cost_eur": float(a["total_rental_cost_eur"]),
                "sending_cost_eur": float(a["total_sending_cost_eur"]),
                "total_cost_eur": float(a["total_cost_eur"]),
                "cost_per_contact_eur": float(a["cost_per_contact_eur"]),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs["price_per_sms"] = price
    table.attrs["price_basis"] = basis
    return table


def scenario_departments(scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Every department the scenarios target, in order of first mention, with the names of
    the scenarios targeting it ("; "-joined). Zip codes give their department; a scenario
    without localities targets all of France."""
    zips = refdata.zipcodes()["department"]
    codes: dict[str, list[str]] = {}
    for s in scenarios:
        t = s.targeting
        if t.departments:
            deps = list(t.departments)
        elif t.zipcodes:
            deps = [str(zips.get(z)) for z in t.zipcodes if z in zips.index]
        else:
            deps = list(refdata.department_codes())
        for d in deps:
            codes.setdefault(d, [])
            if s.name not in codes[d]:
                codes[d].append(s.name)
    return {d: "; ".join(names) for d, names in codes.items()}


def _hhmm(start: Any, end: Any) -> str:
    if start is None or pd.isna(start):
        return ""
    return f"{fmt_time(start)}-{fmt_time(end)}"


def _yes_no(flag: Any) -> str:
    return _("yes") if flag else _("no")


def windows_table(
    departments: dict[str, str], start: date
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """``(table, send_windows frame, number of departments left out)`` for the first
    :data:`MAX_WINDOW_DEPARTMENTS` of ``departments`` (code -> scenario names, from
    :func:`scenario_departments`), :data:`WINDOW_DAYS` days from ``start``. The table is
    text but for the local ``date`` (a date): the scenarios, open or not (yes or no in the
    language in force), the window in Paris and local time, the time zone, the reason a
    day is closed, the vendor's own window that day (Paris time) and whether it would send
    outside 08:00-20:00 local time or on a local holiday (``vendor_outside_local``). ``attrs["vendor_flags"]``: department -> why, for the
    departments to schedule by hand (:func:`smsp_analytics.vendor_flags`)."""
    shown = list(departments)[:MAX_WINDOW_DEPARTMENTS]
    frame = send_windows(shown, start, days=WINDOW_DAYS)
    names = refdata.departments()["name"]
    table = pd.DataFrame(
        {
            "department": frame["department"].astype(str),
            "department_name": [str(names.get(d, d)) for d in frame["department"]],
            "scenarios": [departments[d] for d in frame["department"]],
            "date": [pd.Timestamp(d).date() for d in frame["date"]],
            "open": [_yes_no(o) for o in frame["open"]],
            "paris_window": [_hhmm(a, b) for a, b in zip(frame["paris_start"], frame["paris_end"])],
            "local_window": [_hhmm(a, b) for a, b in zip(frame["local_start"], frame["local_end"])],
            "time_zone": [time_zone(d).key for d in frame["department"]],
            "reason": frame["reason"].astype(str),
            "vendor_window": [
                _hhmm(a, b) for a, b in zip(frame["vendor_start"], frame["vendor_end"])
            ],
            "vendor_outside_local": [_yes_no(o) for o in frame["vendor_outside_local"]],
        }
    )
    flags = vendor_flags(frame)
    table.attrs["vendor_flags"] = {
        str(d): str(t)
        for d, t, f in zip(flags["department"], flags["detail"], flags["flagged"])
        if f
    }
    return table, frame, len(departments) - len(shown)


def check_message(message: str | None, *, unicode: bool, range: str) -> MessageParts:
    """The message's parts (the demo message when None); ValueError naming ``message``."""
    text = demo_message() if message is None else message
    try:
        return message_parts(text, unicode=unicode, range=range)
    except TargetingError as exc:  # the text's own fault: named as this argument
        raise exc.with_context(exc.reason, field="message", label="message") from None
    except (TypeError, ValueError) as exc:
        text = str(exc)
        raise ValueError(
            text
            if text.startswith(("message", "range", "unicode"))
            else _("message: {reason}").format(reason=text)
        ) from None
