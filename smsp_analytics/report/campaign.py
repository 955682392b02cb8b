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
from smsp_analytics.campaign.messages import (
    MessageParts,
    campaign_cost,
    message_parts,
    unicode_hint,
)
from smsp_analytics.campaign.sendwindows import send_windows
from smsp_analytics.campaign.sendwindows_vendor import vendor_flags
from smsp_analytics.errors import TargetingError
from smsp_analytics.report.scenarios import Scenario
from smsp_analytics.vocab import time_zone

__all__ = [
    "DEMO_MESSAGE",
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
#: STOP mention appended (GSM-7, no replaced character).
DEMO_MESSAGE = "Spring sale: -20% on the whole home range this Saturday, in store and online."
#: At most this many departments in the send-window table (the first ones, in scenario
#: order); the table says when more were targeted.
MAX_WINDOW_DEPARTMENTS = 12
WINDOW_DAYS = 7


def parts_text(m: MessageParts) -> str:
    """How the message is billed, in words."""
    sms = f"{m.parts} SMS" if m.parts == 1 else f"{m.parts} concatenated SMS"
    return f"{sms} ({m.encoding}, {m.length} of {m.per_part * m.parts} positions)"


def characters_text(m: MessageParts) -> str:
    """The characters the vendor replaces (its table) and those GSM-7 cannot carry (the
    toolkit's assumption, with what Unicode mode would cost), as sentences; "" when none.

    >>> characters_text(message_parts("Promo [été] 🎄"))
    "Replaced when sent (the vendor's table): '[' -> '(', ']' -> ')'. Not in GSM-7 nor in \
the vendor's table: '🎄' dropped; unicode=True (the account's isUnicode=1) keeps them at no \
extra cost: 1 SMS per message, as in GSM-7."
    """
    out = ""
    if m.replaced:
        pairs = ", ".join(f"{a!r} -> {b!r}" if b else f"{a!r} removed" for a, b in m.replaced)
        out += f"Replaced when sent (the vendor's table): {pairs}."
    if m.unsupported:
        pairs = ", ".join(f"{a!r} -> {b!r}" if b else f"{a!r} dropped" for a, b in m.unsupported)
        out += (
            f"{' ' if out else ''}Not in GSM-7 nor in the vendor's table: {pairs}; "
            f"{unicode_hint(m)}."
        )
    return out


def campaign_table(
    frames: Sequence[pd.DataFrame],
    scenarios: Sequence[Scenario],
    message: MessageParts,
    price_per_sms: float | None,
) -> pd.DataFrame:
    """One row per scenario: the campaign cost of sending ``message`` to all its contacts.

    ``frames``: each scenario's calcul frame, in order. ``attrs["price_per_sms"]``: the price
    applied (the sandbox default when ``price_per_sms`` is None on synthetic frames).
    """
    rows, price = [], None
    for s, frame in zip(scenarios, frames):
        out = campaign_cost(frame, message, price_per_sms=price_per_sms)
        a = out.attrs
        price = a["price_per_sms"]
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
    return f"{pd.Timestamp(start):%H:%M}-{pd.Timestamp(end):%H:%M}"


def windows_table(
    departments: dict[str, str], start: date
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """``(table, send_windows frame, number of departments left out)`` for the first
    :data:`MAX_WINDOW_DEPARTMENTS` of ``departments`` (code -> scenario names, from
    :func:`scenario_departments`), :data:`WINDOW_DAYS` days from ``start``. The table is
    text: the scenarios, local date, open or not, the window in Paris and local time, the
    time zone, the reason a day is closed, the vendor's own window that day (Paris time)
    and whether it would send outside 08:00-20:00 local time or on a local holiday
    (``vendor_outside_local``). ``attrs["vendor_flags"]``: department -> why, for the
    departments to schedule by hand (:func:`smsp_analytics.vendor_flags`)."""
    shown = list(departments)[:MAX_WINDOW_DEPARTMENTS]
    frame = send_windows(shown, start, days=WINDOW_DAYS)
    names = refdata.departments()["name"]
    table = pd.DataFrame(
        {
            "department": frame["department"].astype(str),
            "department_name": [str(names.get(d, d)) for d in frame["department"]],
            "scenarios": [departments[d] for d in frame["department"]],
            "date": [f"{d:%a} {d.isoformat()}" for d in frame["date"]],
            "open": ["yes" if o else "no" for o in frame["open"]],
            "paris_window": [_hhmm(a, b) for a, b in zip(frame["paris_start"], frame["paris_end"])],
            "local_window": [_hhmm(a, b) for a, b in zip(frame["local_start"], frame["local_end"])],
            "time_zone": [time_zone(d).key for d in frame["department"]],
            "reason": frame["reason"].astype(str),
            "vendor_window": [
                _hhmm(a, b) for a, b in zip(frame["vendor_start"], frame["vendor_end"])
            ],
            "vendor_outside_local": ["yes" if o else "no" for o in frame["vendor_outside_local"]],
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
    text = DEMO_MESSAGE if message is None else message
    try:
        return message_parts(text, unicode=unicode, range=range)
    except TargetingError as exc:  # the text's own fault: named as this argument
        raise exc.with_context(exc.reason, field="message", label="message") from None
    except (TypeError, ValueError) as exc:
        text = str(exc)
        raise ValueError(
            text if text.startswith(("message", "range", "unicode")) else f"message: {text}"
        ) from None
