"""What the campaign message box shows, as HTML in the language in force: the SMS count, the
costs, the send windows, and how a typed price per SMS is read.

Split from :mod:`smsp_analytics.panel._message` (the widgets and what they compute).

>>> parse_price(" €0,038 "), parse_price("0,038 €"), parse_price("")
(0.038, 0.038, None)
"""

from __future__ import annotations

import html
import math
from typing import Any

from smsp_analytics.campaign.messages import unicode_hint
from smsp_analytics.campaign.sendwindows_vendor import SCHEDULE_YOURSELF
from smsp_analytics.display import department_label, fmt_date, fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.i18n import N_, _, get_lang

__all__ = [
    "PRICE_PROMPT",
    "parse_price",
    "price_example",
    "counts_html",
    "costs_html",
    "windows_html",
]

#: Shown instead of the costs while the price per SMS is empty (the real API's default).
PRICE_PROMPT = N_("enter your price per SMS")
# Spaces a price may be written with (French writes "0,038 €" with a no-break space).
_SPACES = " \u00a0\u202f"


def price_example() -> str:
    """An example price per SMS as the language writes it (``0.038`` / ``0,038``)."""
    return "0,038" if get_lang() == "fr" else "0.038"


def parse_price(text: str) -> float | None:
    """The price per SMS typed in the box: None when empty; ValueError when not a number
    of EUR > 0. ``0.038``, ``0,038``, ``€0.038`` and ``0,038 €`` are read alike, in either
    language (a price per SMS is a few cents: a comma is its decimal mark).
    """
    cleaned = (text or "").strip(_SPACES).removeprefix("€").removesuffix("€").strip(_SPACES)
    if not cleaned:
        return None
    try:
        value = float(cleaned.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            _(
                "Price per SMS: invalid value {value}; allowed: a number of EUR > 0, e.g. {example}"
            ).format(value=repr(text.strip()), example=price_example())
        )
    return value


def windows_html(start: Any, flags: dict[str, str]) -> str:
    """The send windows for a week from ``start`` and the departments to schedule by hand."""
    if start is None:
        return ""
    head = _(
        "Send windows, 7 days from {date}: the vendor sends 08:00-20:00 Paris time, Monday "
        "to Saturday, not on national holidays."
    ).format(date=fmt_date(start))
    if not flags:
        tail = _("In the departments shown that stays within 08:00-20:00 local time.")
        return f"<div class='smsp-message-windows' style='color:#666'>{head} {tail}</div>"
    items = "".join(
        f"<br><span data-department='{html.escape(d)}'>"
        f"{html.escape(department_label(d))}: {html.escape(why)}</span>"
        for d, why in flags.items()
    )
    said = _(
        "{schedule}, the vendor would send outside 08:00-20:00 local time or on a local holiday:"
    ).format(
        schedule=f"<b data-key='vendor_flags'>{html.escape(_(SCHEDULE_YOURSELF).capitalize())}</b>"
    )
    return f"<div class='smsp-message-windows'>{head} {said}{items}</div>"


def _pairs(pairs: Any, gone: str) -> str:
    """``a → b`` for each replaced character, ``a removed`` / ``a dropped`` for a lost one."""
    return ", ".join(
        f"{html.escape(a)} → {html.escape(b)}"
        if b
        else (_("{char} removed") if gone == "removed" else _("{char} dropped")).format(
            char=html.escape(a)
        )
        for a, b in pairs
    )


def counts_html(chars: int, m: Any) -> str:
    """Characters typed, positions billed, SMS parts, and what GSM-7 changes or drops."""
    if m is None:
        text = _("{chars} characters").format(chars=fmt_int(chars))
        return f"<div class='smsp-message-counts' style='color:#666'>{text}</div>"
    sms = f"<b data-key='parts'>{fmt_int(m.parts)} SMS</b>"
    if m.stop_mention:
        line = _(
            '{chars} characters, {length} positions billed, STOP mention "{stop}" included: '
            "{sms} ({encoding}, {per_part} per SMS; {remaining} left before another SMS)"
        )
    else:
        line = _(
            "{chars} characters, {length} positions billed: {sms} ({encoding}, {per_part} "
            "per SMS; {remaining} left before another SMS)"
        )
    line = line.format(
        chars=fmt_int(chars),
        length=fmt_int(m.length),
        stop=html.escape(m.stop_mention or ""),
        sms=sms,
        encoding=m.encoding,
        per_part=m.per_part,
        remaining=fmt_int(m.remaining),
    )
    if m.replaced:
        line += "<br>" + _("Replaced when sent (the vendor's table): {pairs}").format(
            pairs=_pairs(m.replaced, "removed")
        )
    if m.unsupported:
        hint = html.escape(unicode_hint(m, _("Ticking Unicode")))
        line += "<br>" + _("Not in GSM-7 nor in the vendor's table: {pairs}.").format(
            pairs=_pairs(m.unsupported, "dropped")
        )
        line += f" <span data-key='unicode_hint'>{hint}</span>"
    return f"<div class='smsp-message-counts'>{line}</div>"


def costs_html(st: dict[str, Any], m: Any, basis: str = "") -> str:
    """Sending and campaign costs of ``st`` (the box's state), or the prompt for a price.
    ``basis``: where the price per SMS comes from, in words (shown under the costs)."""
    if st["price_per_sms"] is None:
        return (
            "<div class='smsp-message-costs' style='color:#666'>"
            f"<i>{html.escape(_(PRICE_PROMPT))}</i></div>"
        )
    if m is None or st["contacts"] is None:
        return _basis_html(basis)
    sending = _(
        "Sending: {contacts} contacts x {parts} SMS x {price} = {cost}; campaign total "
        "(rental {rental} + sending): {total}"
    ).format(
        contacts=fmt_int(st["contacts"]),
        parts=fmt_int(m.parts),
        price=fmt_unit_price(st["price_per_sms"]),
        cost=f"<b data-key='sending_cost_eur'>{fmt_eur(st['sending_cost_eur'])}</b>",
        rental=fmt_eur(st["rental_cost_eur"]),
        total=f"<b data-key='total_cost_eur'>{fmt_eur(st['total_cost_eur'])}</b>",
    )
    return f"<div class='smsp-message-costs'>{sending}</div>" + _basis_html(basis)


def _basis_html(basis: str) -> str:
    if not basis:
        return ""
    return (
        "<div class='smsp-price-basis' data-key='price_basis' style='color:#666'>"
        f"{html.escape(basis)}</div>"
    )
