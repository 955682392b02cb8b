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
from functools import lru_cache

__all__ = [
    "DEFAULT_UNIT_PRICE",
    "SMS_PRICE_TIERS",
    "cost",
    "cost_floats",
    "to_decimal",
    "money3",
    "sms_price",
]

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


@lru_cache(maxsize=32)
def _unit_ratio(unit: Decimal) -> tuple[int, int, float] | None:
    """(100 x unit's numerator, its denominator, unit as a float), or None for a unit
    whose products Decimal's 28-digit context could round (then Decimal decides)."""
    if not unit.is_finite() or unit.is_signed() or len(unit.as_tuple().digits) > 12:
        return None
    num, den = unit.as_integer_ratio()
    return 100 * num, den, float(unit)


def cost_floats(quantity: int, unit_price: Decimal) -> tuple[float, float]:
    """``float(cost(quantity, unit_price)), float(unit_price)`` (what a JSON answer
    shows), in integer arithmetic: the same half-up rounding to the cent, exactly.

    >>> cost_floats(20, Decimal("0.09")), cost_floats(5, Decimal("0.125"))
    ((1.8, 0.09), (0.63, 0.125))
    """
    ratio = _unit_ratio(unit_price)
    if ratio is None or not 0 <= quantity < 10**15:
        return float(cost(quantity, unit_price)), float(unit_price)
    num, den, unity = ratio
    # cents = floor(quantity x unit x 100 + 1/2); int / int is correctly rounded, as is
    # float(Decimal), so both give the double nearest to cents / 100.
    return (2 * quantity * num + den) // (2 * den) / 100, unity


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
