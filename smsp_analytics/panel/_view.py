"""Pure rendering helpers of the panel: headline, inline errors, synthetic banner.

Everything returns HTML strings (escaped), so the panel only assigns ``widget.value``.

>>> headline_html({"volume": 1234, "unit_cost_eur": 0.09, "cost_eur": 111.06,
...                "balance_eur": None})[:40]
'<div class="smsp-headline" style="displa'
"""

from __future__ import annotations

import html
from typing import Any

from smsp_analytics.display import (
    SYNTHETIC_MARK,
    describe_targeting,
    fmt_eur,
    fmt_int,
    fmt_unit_price,
)
from smsp_analytics.errors import SmsPartnerError, TargetingError
from smsp_analytics.panel._controls import FIELD_LABELS

__all__ = ["headline_html", "error_html", "banner_html", "HEADLINE_KEYS"]

HEADLINE_KEYS = ("volume", "unit_cost_eur", "cost_eur", "balance_eur")
_TITLES = {
    "volume": "Contacts",
    "unit_cost_eur": "Unit price",
    "cost_eur": "Total cost",
    "balance_eur": "Account balance",
}
_ERR = "color:#b00020"


_FORMAT = {
    "volume": fmt_int,
    "unit_cost_eur": fmt_unit_price,
    "cost_eur": fmt_eur,
    "balance_eur": fmt_eur,
}


def headline_html(values: dict[str, Any], targeting: Any = None) -> str:
    """Four tiles: contacts, unit price, total cost, account balance; above them, the
    targeting in words (gender spelled out: "men and women" for the vendor's mixed).

    Each value sits in an element with ``data-key`` so a browser test can read it.

    >>> from smsp_analytics.targeting import Targeting
    >>> "men and women, 18-98" in headline_html({}, Targeting(interest=14))
    True
    """
    tiles = []
    for key in HEADLINE_KEYS:
        tiles.append(
            "<div style='padding:6px 14px;border:1px solid #ddd;border-radius:6px'>"
            f"<div style='font-size:11px;color:#666'>{_TITLES[key]}</div>"
            f"<div class='smsp-{key.replace('_', '-')}' data-key='{key}' "
            f"style='font-size:20px;font-weight:600'>"
            f"{html.escape(_FORMAT[key](values.get(key)))}</div></div>"
        )
    said = ""
    if targeting is not None:
        said = (
            "<div class='smsp-targeting' style='flex-basis:100%;color:#333'>"
            f"{html.escape(describe_targeting(targeting))}</div>"
        )
    return (
        '<div class="smsp-headline" style="display:flex;gap:10px;flex-wrap:wrap">'
        + said
        + "".join(tiles)
        + "</div>"
    )


def field_label(field: str | None) -> str:
    """The control's label for a Targeting field name (``zipcodes`` -> ``Zip codes``)."""
    if field is None:
        return "Targeting"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def error_html(context: str, exc: BaseException) -> str:
    """An inline error, presented from the error's fields: an error about one field is
    named by that field's control (``Zip codes``), any other by ``context``; then the
    error's own words, its API code, and the vendor's text verbatim when it said more. No
    class name: the analyst reads what went wrong, not how the library calls it.

    >>> from smsp_analytics.errors import TargetingError
    >>> print(error_html("Targeting", TargetingError("zipcodes", "abc", "5 digits", code=61)))
    ... # doctest: +NORMALIZE_WHITESPACE
    <div class='smsp-error smsp-error-field' data-field='zipcodes' style='color:#b00020'><b>Zip
    codes: </b>invalid value &#x27;abc&#x27;; allowed: 5 digits (API code 61)</div>
    >>> "ValueError" in error_html("Rent", ValueError("500 contacts asked, 300 available"))
    False
    """
    field = exc.field if isinstance(exc, SmsPartnerError) else None
    named = (
        isinstance(exc, SmsPartnerError)
        and field is not None
        and (exc.label is not None or isinstance(exc, TargetingError))
    )
    if isinstance(exc, SmsPartnerError):
        # A labelled message loses its library label: the control's label replaces it.
        body = exc.text(label="") if named else exc.text()
        body = body or type(exc).__name__  # an error with no words at all: its kind
        if exc.code is not None:
            if isinstance(exc, TargetingError):  # caught before the call: what the API says
                body += f" (API code {exc.code})"
            else:
                body = f"API error {exc.code}: {body}"
        if exc.http_status is not None:
            body += f" (HTTP {exc.http_status})"
        vendor = exc.vendor_message
        if vendor and vendor not in body:
            body += f" (SMS Partner: {vendor})"
    else:
        body = str(exc).strip() or type(exc).__name__
    head = f"{field_label(field)}: " if named else f"{context}: "
    cls = "smsp-error smsp-error-field" if named else "smsp-error"
    data = f" data-field='{html.escape(str(field))}'" if named else ""
    return (
        f"<div class='{cls}'{data} style='{_ERR}'><b>{html.escape(head)}</b>"
        f"{html.escape(body)}</div>"
    )


def banner_html() -> str:
    """The banner shown in sandbox mode."""
    return (
        "<div class='smsp-synthetic-banner' style='background:#fff3cd;color:#6b4e00;"
        "border:1px solid #e0c36b;padding:6px 10px;border-radius:4px'>"
        f"<b>{SYNTHETIC_MARK}</b>: no API key is set, so this panel talks to the "
        "offline sandbox. Volumes and prices are invented; nothing is charged.</div>"
    )
