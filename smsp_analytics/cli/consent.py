"""What a person types to consent, in either language: the quote's amount or an explicit yes.

Consent is only ever explicit: ``yes`` or ``oui`` (either case), or the quote's amount to the
cent, written as the person writes amounts: ``9,00``, ``9.00``, ``9 000``, ``9 000,00``,
``9,000.00``, with or without ``€``. The amount is read by
:func:`smsp_analytics.display.parse_number`, which reads either notation and, where the two
disagree (``1,234``: one thousand two hundred and thirty-four in English, one point two three
four in French), the language in force. Anything else (an empty line, ``y``, ``ok``, another
amount, a number with more than two decimals) declines.

>>> consented("9,00", 9.0), consented("9 000", 9000.0), consented("9,000.00", 9000.0)
(True, True, True)
>>> consented("OUI", 12.5), consented("y", 12.5), consented("9.001", 9.0), consented("", 9.0)
(True, False, False, False)
>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("fr"):
...     consented("1,234", 1234.0), consented("1,234", 1.23)
(False, False)
>>> consented("1,234", 1234.0)
True
"""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from smsp_analytics.i18n import _

__all__ = ["YES_WORDS", "is_yes", "amount_typed", "consented", "ask", "as_typed", "confirm_rent"]

#: The explicit yes, in both languages (accepted whatever the language in force).
YES_WORDS = ("yes", "oui")


def is_yes(answer: str) -> bool:
    """An explicit yes: ``yes`` or ``oui``, in any case, nothing else.

    >>> is_yes(" Yes "), is_yes("oui"), is_yes("o"), is_yes("yes please")
    (True, True, False, False)
    """
    return answer.strip().lower() in YES_WORDS


def amount_typed(answer: str) -> Decimal | None:
    """The amount ``answer`` writes, to the cent (None if it is not an amount or has more
    than two decimals).

    >>> amount_typed("9 000,50 €"), amount_typed("abc"), amount_typed("9.005")
    (Decimal('9000.50'), None, None)
    """
    from smsp_analytics.display import parse_number

    try:
        value = Decimal(repr(parse_number(answer, field="amount")))
    except (ValueError, InvalidOperation):
        return None
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else None


def consented(answer: str, cost_eur: Any) -> bool:
    """Whether ``answer`` consents to renting at ``cost_eur``: an explicit yes, or that
    amount to the cent."""
    if is_yes(answer):
        return True
    typed = amount_typed(answer)
    return typed is not None and typed == Decimal(repr(float(cost_eur))).quantize(Decimal("0.01"))


def as_typed(cost_eur: Any) -> str:
    """The amount as a person types it: no currency, no grouping, the language's decimal
    mark (Babel).

    >>> as_typed(1234.5)
    '1234.50'
    >>> from smsp_analytics.i18n import use_lang
    >>> with use_lang("fr"):
    ...     as_typed(1234.5)
    '1234,50'
    """
    from babel.numbers import format_decimal

    from smsp_analytics.i18n import babel_locale

    return format_decimal(float(cost_eur), format="0.00", locale=babel_locale())


def ask(question: str) -> str:
    """Write ``question`` on stderr and read one line of stdin (stripped)."""
    sys.stderr.write(question)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def confirm_rent(quote: dict[str, Any], targeting: Any) -> bool:
    """Show the quote (in the language in force) and ask for the amount or an explicit yes."""
    from smsp_analytics.display import describe_targeting, fmt_eur, fmt_int

    click.echo(
        _("Quote: {count} contacts ({targeting}) for {cost}; balance {balance}.").format(
            count=fmt_int(quote["volume"]),
            targeting=describe_targeting(targeting),
            cost=fmt_eur(quote["cost_eur"]),
            balance=fmt_eur(quote["balance_eur"]),
        ),
        err=True,
    )
    answer = ask(_("Type {amount} or 'yes' to rent: ").format(amount=as_typed(quote["cost_eur"])))
    return consented(answer, quote["cost_eur"])
