"""Pricing: cost = quantity x unit price, rounded half-up to the cent (README "Pricing").

Decimal, because 0.09 has no exact binary float and half-up rounding must be exact.

>>> cost(20, Decimal("0.09"))
Decimal('1.80')
>>> cost(5, Decimal("0.125"))
Decimal('0.63')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["DEFAULT_UNIT_PRICE", "cost", "to_decimal", "money3"]

DEFAULT_UNIT_PRICE = Decimal("0.09")
_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """A Decimal from a config value; floats go through str so 0.09 stays 0.09."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def cost(quantity: int, unit_price: Decimal) -> Decimal:
    """Total cost of ``quantity`` contacts, to the cent."""
    return (Decimal(quantity) * unit_price).quantize(_CENT, rounding=ROUND_HALF_UP)


def money3(value: Decimal) -> str:
    """The 3-decimal string the vendor uses in /me and status (``"0.900"``)."""
    return str(value.quantize(_MILLI, rounding=ROUND_HALF_UP))
