"""What ``smsp campaign`` prints about the cost and the message, in the language in force:
the cost table, the message's encoding and parts, and (issue 19) the cleaning of a numbers
file and the basis of the price per SMS. Split from :mod:`smsp_analytics.cli.campaign`; no
command is defined here, so nothing registers on import.

>>> from smsp_analytics.campaign.messages import message_parts
>>> message_lines(message_parts("Bonjour"), 0.038)[0]
'message: GSM-7, 21 positions, 1 SMS (160 per SMS; 139 left in the last), premium range, €0.038 per SMS'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from smsp_analytics import display
from smsp_analytics.i18n import N_, _

__all__ = [
    "cost_table",
    "message_lines",
    "departments_of",
    "price_line",
    "numbers_of",
    "numbers_file",
    "cleaned",
    "funnel_lines",
]


# The cost table's headers (English msgids: the table reads as before in English).
_COST_HEADERS = (
    N_("locality"),
    N_("contacts"),
    N_("parts"),
    N_("rental"),
    N_("sending"),
    N_("total"),
    N_("per contact"),
)


def cost_table(df: pd.DataFrame) -> str:
    a = df.attrs
    rows = [
        [
            display.department_label(loc),
            display.fmt_int(v),
            display.fmt_int(p),
            display.fmt_eur(r),
            display.fmt_eur(s),
            display.fmt_eur(t),
            display.fmt_unit_price(c),
        ]
        for loc, v, p, r, s, t, c in zip(
            df["locality"],
            df["volume"],
            df["parts"],
            df["rental_cost_eur"],
            df["sending_cost_eur"],
            df["total_cost_eur"],
            df["cost_per_contact_eur"],
        )
    ]
    rows.append(
        [
            _("total"),
            display.fmt_int(a["total_contacts"]),
            display.fmt_int(a["parts"]),
            display.fmt_eur(a["total_rental_cost_eur"]),
            display.fmt_eur(a["total_sending_cost_eur"]),
            display.fmt_eur(a["total_cost_eur"]),
            display.fmt_unit_price(a["cost_per_contact_eur"]),
        ]
    )
    return pd.DataFrame(rows, columns=[_(h) for h in _COST_HEADERS]).to_string(index=False)


def _changes(pairs: Any, gone: str) -> str:
    """``'é' -> 'e', '😀' dropped``: each character and what it becomes when sent."""
    return ", ".join(
        _("{char} -> {becomes}").format(char=repr(a), becomes=repr(b))
        if b
        else gone.format(char=repr(a))
        for a, b in pairs
    )


def message_lines(m: Any, price: float) -> list[str]:
    numbers = {
        "encoding": m.encoding,
        "length": display.fmt_int(m.length),
        "parts": display.fmt_int(m.parts),
        "per_part": display.fmt_int(m.per_part),
        "remaining": display.fmt_int(m.remaining),
        "range": m.range,
        "price": display.fmt_unit_price(price),
    }
    if m.parts == 1:
        first = _(
            "message: {encoding}, {length} positions, {parts} SMS ({per_part} per SMS; "
            "{remaining} left in the last), {range} range, {price} per SMS"
        )
    else:
        first = _(
            "message: {encoding}, {length} positions, {parts} SMS ({per_part} per part; "
            "{remaining} left in the last), {range} range, {price} per SMS"
        )
    lines = [
        first.format(**numbers),
        _("STOP mention counted: {mention}").format(mention=repr(m.stop_mention))
        if m.stop_mention
        else _("STOP mention: none counted"),
    ]
    if m.replaced:
        lines.append(
            _("replaced when sent (GSM-7, the vendor's table): {changes}").format(
                changes=_changes(m.replaced, _("{char} removed"))
            )
        )
    if m.unsupported:
        from smsp_analytics.campaign.messages import unicode_hint

        lines.append(
            _(
                "not in GSM-7 nor in the vendor's table (the toolkit assumes): {changes}; {hint}"
            ).format(
                changes=_changes(m.unsupported, _("{char} dropped")),
                hint=unicode_hint(m, "--unicode"),
            )
        )
    return lines


def departments_of(df: pd.DataFrame) -> list[str]:
    from smsp_analytics.refdata import department_codes

    known = set(department_codes())
    col = df["department"] if "department" in df.columns else df["locality"]
    return [
        d for d in dict.fromkeys(str(v) for v in col if not display.is_missing(v)) if d in known
    ]


def price_line(df: pd.DataFrame) -> str:
    """The price per SMS and its basis: yours, the sandbox's default, or the account's
    average over the last twelve months."""
    from smsp_analytics.campaign.funnel import price_basis_text

    return _("price: {basis}").format(basis=price_basis_text(df.attrs["price_basis"]))


def numbers_of(path: str | None) -> list[Any] | None:
    """The numbers of ``--numbers FILE`` (a ``phone_number`` column, else the first), read
    before any call: a missing or unreadable file is an error naming it."""
    if path is None:
        return None
    return numbers_file(path, "'--numbers'")


def numbers_file(path: str, flag: str) -> list[Any]:
    """The entries of a numbers CSV file (a ``phone_number`` column, else the first); a
    file that is not there is a usage error naming ``flag``."""
    from pathlib import Path

    import click

    from smsp_analytics.wire.phone_numbers import number_values

    if not Path(path).is_file():
        raise click.BadParameter(
            _("{path} is not a file; allowed: a CSV file of phone numbers").format(path=repr(path)),
            param_hint=flag,
        )
    return number_values(path, flag.strip("'"))


def cleaned(numbers: list[Any] | None, client: Any) -> pd.DataFrame | None:
    """The cleaning funnel of ``numbers``: the account's STOP list, then the number check
    (None without numbers). Read only: nothing is sent, nothing is written."""
    if numbers is None:
        return None
    import warnings

    import click

    from smsp_analytics.campaign.funnel import cleaning_funnel
    from smsp_analytics.campaign.reachability import reachable

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        result = reachable(numbers, client=client, check=True)
    for warning in said:  # entries that are no phone number: one line each, no source line
        click.echo(str(warning.message), err=True)
    return cleaning_funnel(result)


def funnel_lines(funnel: pd.DataFrame, path: str, m: Any, df: pd.DataFrame) -> list[str]:
    """The funnel of ``--numbers FILE``, one step a line, and what sending the message to
    the numbers left would cost."""
    lines = [_("numbers of {path}:").format(path=path)]
    for label, count, removed in zip(funnel["label"], funnel["contacts"], funnel["removed"]):
        if removed:
            lines.append(
                "  "
                + _("{label}: {count} ({removed} removed)").format(
                    label=label, count=display.fmt_int(count), removed=display.fmt_int(removed)
                )
            )
        else:
            lines.append("  " + f"{label}: {display.fmt_int(count)}")
    left = int(funnel["contacts"].iloc[-1])
    price = float(df.attrs["price_per_sms"])
    lines.append(
        "  "
        + _(
            "sending the message to the {count} numbers left: {cost} ({parts} SMS each at {price})"
        ).format(
            count=display.fmt_int(left),
            cost=display.fmt_eur(round(left * m.parts * price, 2)),
            parts=display.fmt_int(m.parts),
            price=display.fmt_unit_price(price),
        )
    )
    return lines
