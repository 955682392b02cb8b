"""Pure rendering helpers of the panel: headline, inline errors, synthetic banner.

Everything returns HTML strings (escaped), so the panel only assigns ``widget.value``.

>>> headline_html({"volume": 1234, "unit_cost_eur": 0.09, "cost_eur": 111.06,
...                "balance_eur": None})[:40]
'<div class="smsp-headline" style="displa'
"""

from __future__ import annotations

import html
from typing import Any

from ..charts import fmt_eur, fmt_int
from ..errors import SmsPartnerError, TargetingError
from ._controls import FIELD_LABELS

__all__ = ["money", "headline_html", "error_html", "banner_html", "HEADLINE_KEYS"]

HEADLINE_KEYS = ("volume", "unit_cost_eur", "cost_eur", "balance_eur")
_TITLES = {"volume": "Contacts", "unit_cost_eur": "Unit price", "cost_eur": "Total cost",
           "balance_eur": "Account balance"}
_ERR = "color:#b00020"


def money(x: Any) -> str:
    """Euros for the headline: ``€1,234.56``; unit prices keep three decimals when needed.

    >>> money(0.09), money(0.045), money(None)
    ('€0.09', '€0.045', 'no data')
    """
    if x is None:
        return fmt_eur(None)
    x = float(x)
    return fmt_eur(x, 3) if 0 < abs(x) < 1 and round(x, 2) != round(x, 3) else fmt_eur(x)


def _fmt(key: str, value: Any) -> str:
    return fmt_int(value) if key == "volume" else money(value)


def headline_html(values: dict[str, Any]) -> str:
    """Four tiles: contacts, unit price, total cost, account balance.

    Each value sits in an element with ``data-key`` so a browser test can read it.
    """
    tiles = []
    for key in HEADLINE_KEYS:
        tiles.append(
            "<div style='padding:6px 14px;border:1px solid #ddd;border-radius:6px'>"
            f"<div style='font-size:11px;color:#666'>{_TITLES[key]}</div>"
            f"<div class='smsp-{key.replace('_', '-')}' data-key='{key}' "
            f"style='font-size:20px;font-weight:600'>{html.escape(_fmt(key, values.get(key)))}"
            "</div></div>")
    return ("<div class=\"smsp-headline\" style=\"display:flex;gap:10px;flex-wrap:wrap\">"
            + "".join(tiles) + "</div>")


def field_label(field: str | None) -> str:
    """The control's label for a Targeting field name (``zipcodes`` -> ``Zip codes``)."""
    if field is None:
        return "Targeting"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def error_html(context: str, exc: BaseException) -> str:
    """An inline error naming the field (targeting errors) or the API code and message.

    >>> from smsp_analytics.errors import TargetingError
    >>> "Zip codes" in error_html("Targeting", TargetingError("zipcodes", "abc", "5 digits",
    ...                                                        code=61))
    True
    """
    if isinstance(exc, TargetingError):
        head = f"{field_label(exc.field)}: "
        body = f"invalid value {exc.value!r}; allowed: {exc.allowed}"
        if exc.code is not None:
            body += f" (API code {exc.code})"
        cls = "smsp-error smsp-error-field"
        data = f" data-field='{html.escape(str(exc.field))}'"
    elif isinstance(exc, SmsPartnerError):
        head = f"{context}: "
        body = (f"API error {exc.code}: " if exc.code is not None else "") + (
            exc.message or type(exc).__name__)
        if exc.http_status is not None:
            body += f" (HTTP {exc.http_status})"
        cls, data = "smsp-error", ""
    else:
        head = f"{context}: "
        body = f"{type(exc).__name__}: {exc}"
        cls, data = "smsp-error", ""
    return (f"<div class='{cls}'{data} style='{_ERR}'><b>{html.escape(head)}</b>"
            f"{html.escape(body)}</div>")


def banner_html() -> str:
    """The banner shown in sandbox mode."""
    return ("<div class='smsp-synthetic-banner' style='background:#fff3cd;color:#6b4e00;"
            "border:1px solid #e0c36b;padding:6px 10px;border-radius:4px'>"
            "<b>SYNTHETIC DATA (sandbox)</b>: no API key is set, so this panel talks to the "
            "offline sandbox. Volumes and prices are invented; nothing is charged.</div>")
