"""Pricing: cost = quantity x unit price, rounded half-up to the cent (README "Pricing");
and the price of one SMS sent, by monthly volume (README "Account data").

Decimal, because 0.09 has no exact binary float and half-up rounding must be exact.

>>> cost(20, Decimal("0.09"))
Decimal('1.80')
>>> cost(5, Decimal("0.125"))
Decimal('0.63')
>>> [str(sms_price(n)) for n in (800, 1000, 4999, 12000)]
['0.070', '0.060', '0.052', '0.045']
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["DEFAULT_UNIT_PRICE", "SMS_PRICE_TIERS", "cost", "to_decimal", "money3", "sms_price"]

DEFAULT_UNIT_PRICE = Decimal("0.09")
_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")
#: EUR per SMS sent by the sandbox's account: (from this many SMS in the month, price), the
#: vendor's SMS price is degressive with volume; these tiers are the sandbox's own choice.
SMS_PRICE_TIERS: tuple[tuple[int, Decimal], ...] = (
    (0, Decimal("0.070")),
    (1_000, Decimal("0.060")),
    (2_500, Decimal("0.052")),
    (5_000, Decimal("0.045")),
)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """A Decimal from a config value; floats go through str so 0.09 stays 0.09."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def cost(quantity: int, unit_price: Decimal) -> Decimal:
    """Total cost of ``quantity`` contacts, to the cent."""
    return (Decimal(quantity) * unit_price).quantize(_CENT, rounding=ROUND_HALF_UP)


def money3(value: Decimal) -> str:
    """The 3-decimal string the vendor uses in /me and status (``"0.900"``)."""
    return str(value.quantize(_MILLI, rounding=ROUND_HALF_UP))


def sms_price(monthly_volume: int) -> Decimal:
    """The price of one SMS in a month of ``monthly_volume`` SMS (SMS_PRICE_TIERS)."""
    price = SMS_PRICE_TIERS[0][1]
    for threshold, tier in SMS_PRICE_TIERS:
        if monthly_volume >= threshold:
            price = tier
    return price
