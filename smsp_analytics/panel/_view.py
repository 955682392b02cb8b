"""Pure rendering helpers of the panel: headline, inline errors, synthetic banner.

Everything returns HTML strings (escaped), in the language in force, so the panel only
assigns ``widget.value``.

>>> headline_html({"volume": 1234, "unit_cost_eur": 0.09, "cost_eur": 111.06,
...                "balance_eur": None})[:40]
'<div class="smsp-headline" style="displa'
"""

from __future__ import annotations

import html
from typing import Any

from smsp_analytics.display import (
    describe_targeting,
    fmt_eur,
    fmt_int,
    fmt_unit_price,
    synthetic_text,
)
from smsp_analytics.errors import SmsPartnerError, TargetingError
from smsp_analytics.i18n import N_, _
from smsp_analytics.panel._controls import FIELD_LABELS

__all__ = [
    "headline_html",
    "error_html",
    "banner_html",
    "rent_disabled_text",
    "summary_text",
    "HEADLINE_KEYS",
]

HEADLINE_KEYS = ("volume", "unit_cost_eur", "cost_eur", "balance_eur")
_TITLES = {
    "volume": N_("Contacts"),
    "unit_cost_eur": N_("Unit price"),
    "cost_eur": N_("Total cost"),
    "balance_eur": N_("Account balance"),
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
            f"<div style='font-size:11px;color:#666'>{html.escape(_(_TITLES[key]))}</div>"
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
        return _("Targeting")
    if field in FIELD_LABELS:
        return _(FIELD_LABELS[field])
    return field.replace("_", " ").capitalize()


def error_html(context: str, exc: BaseException) -> str:
    """An inline error, presented from the error's fields: an error about one field is
    named by that field's control (``Zip codes``), any other by ``context`` (a word in the
    language in force: the caller translates it); then the
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
                body = _("{message} (API code {code})").format(message=body, code=exc.code)
            else:
                body = _("API error {code}: {message}").format(code=exc.code, message=body)
        if exc.http_status is not None:
            body = _("{message} (HTTP {status})").format(message=body, status=exc.http_status)
        vendor = exc.vendor_message
        if vendor and vendor not in body:
            # The vendor's own words, verbatim (French in both languages).
            body = _("{message} (SMS Partner: {vendor})").format(message=body, vendor=vendor)
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
    """The banner shown in sandbox mode.

    >>> "SYNTHETIC DATA" in banner_html()
    True
    """
    text = _(
        "<b>{mark}</b>: no API key is set, so this panel talks to the offline sandbox. "
        "Volumes and prices are invented; nothing is charged."
    ).format(mark=html.escape(synthetic_text()))
    return (
        "<div class='smsp-synthetic-banner' style='background:#fff3cd;color:#6b4e00;"
        f"border:1px solid #e0c36b;padding:6px 10px;border-radius:4px'>{text}</div>"
    )


def rent_disabled_text() -> str:
    """Why the rent button is off against the real API, and how to turn it on.

    >>> "allow_rent=True" in rent_disabled_text()
    True
    """
    return _(
        "Renting is disabled against the real API: build the panel with {call} to enable it."
    ).format(call="panel(client, allow_rent=True)")


def summary_text(
    headline: dict[str, Any],
    described: Any,
    drawn: int,
    *,
    synthetic: bool,
    error: BaseException | None = None,
) -> str:
    """The panel in one paragraph of text (its ``text/plain`` form): the targeting in words,
    the headline, how many departments the bars and the map draw, and the error shown.

    >>> summary_text({"volume": 10, "unit_cost_eur": 0.09, "cost_eur": 0.9,
    ...               "balance_eur": 5.0}, None, 1, synthetic=False)
    'Audience explorer: nothing. 10 contacts at €0.090 each, €0.90 in all; account balance €5.00. Bars and map: 1 department.'
    """
    said = describe_targeting(described) if described is not None else _("nothing")
    if synthetic:
        head = _("Audience explorer ({mark}): {targeting}.").format(
            mark=synthetic_text(), targeting=said
        )
    else:
        head = _("Audience explorer: {targeting}.").format(targeting=said)
    figures = (
        _("Bars and map: 1 department.")
        if drawn == 1
        else _("Bars and map: {count} departments.").format(count=fmt_int(drawn))
    )
    text = " ".join(
        [
            head,
            _(
                "{volume} contacts at {unit_price} each, {cost} in all; account balance {balance}."
            ).format(
                volume=fmt_int(headline.get("volume")),
                unit_price=fmt_unit_price(headline.get("unit_cost_eur")),
                cost=fmt_eur(headline.get("cost_eur")),
                balance=fmt_eur(headline.get("balance_eur")),
            ),
            figures,
        ]
    )
    if error is not None:
        text += " " + _("Error shown: {error}").format(error=error)
    return text
