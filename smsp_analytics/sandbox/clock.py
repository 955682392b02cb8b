"""The sandbox's clock: a date, today's unless given, that moves only when told (README
"The clock").

Without a date the sandbox lives on :func:`today` (read once, when it starts): a user's
quotes are those of the current month. :data:`REFERENCE_DATE` stays the model's reference
month (its numbers are the model's own, every evolution factor 1.0); tests and notebooks
pin it, or another fixed date, explicitly. Answers carry the date in the HTTP ``Date``
header at a fixed time of day (12:00:00 GMT), so they are deterministic for a date.

>>> parse_date("2027-03-15"), month_offset(parse_date("2027-03-15"))
(datetime.date(2027, 3, 15), 4)
>>> http_date(REFERENCE_DATE)
'Sun, 01 Nov 2026 12:00:00 GMT'
>>> str(unit_price_on(REFERENCE_DATE, Decimal("0.09"))), str(unit_price_on(PRICE_STEP_DATE, Decimal("0.09")))
('0.09', '0.10')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

__all__ = [
    "REFERENCE_DATE",
    "MIN_DATE",
    "MAX_DATE",
    "PRICE_STEP_DATE",
    "PRICE_STEP",
    "parse_date",
    "today",
    "month_offset",
    "http_date",
    "unit_price_on",
]

#: The model's reference month: its numbers are exactly the audience model's (every
#: evolution factor is 1.0). Not the default date (that is :func:`today`).
REFERENCE_DATE = dt.date(2026, 11, 1)
#: Dates the clock accepts (ten years either side, so the monthly trends stay plausible).
MIN_DATE = dt.date(2016, 11, 1)
MAX_DATE = dt.date(2036, 10, 31)
#: The one documented unit-price change: + PRICE_STEP EUR per contact from this date on.
PRICE_STEP_DATE = dt.date(2027, 7, 1)
PRICE_STEP = Decimal("0.01")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_NOON = dt.time(12, 0, 0, tzinfo=dt.UTC)


def parse_date(value: Any) -> dt.date:
    """A clock date from a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string.

    ValueError naming ``date`` and the accepted forms and range otherwise.

    >>> parse_date(dt.date(2027, 1, 31))
    datetime.date(2027, 1, 31)
    >>> parse_date("2027-02-30")
    Traceback (most recent call last):
    ...
    ValueError: date must be a real calendar date YYYY-MM-DD between 2016-11-01 and 2036-10-31, got '2027-02-30'
    """
    rule = f"date must be a real calendar date YYYY-MM-DD between {MIN_DATE} and {MAX_DATE}"
    if isinstance(value, dt.datetime):
        raise ValueError(f"{rule} (a date, not a datetime), got {value!r}")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{rule}, got {value!r}") from None
    else:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "..."
        raise ValueError(f"{rule}, got {shown}")
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"{rule}, got {value!r}")
    return day


def today() -> dt.date:
    """The default date: today's local date, kept inside MIN_DATE..MAX_DATE (a machine
    whose clock is decades off still starts, on the nearest accepted date).

    >>> MIN_DATE <= today() <= MAX_DATE
    True
    """
    return min(max(dt.date.today(), MIN_DATE), MAX_DATE)


def month_offset(day: dt.date) -> int:
    """Whole months from the reference month (0 in November 2026, -1 in October 2026)."""
    return (day.year - REFERENCE_DATE.year) * 12 + day.month - REFERENCE_DATE.month


def http_date(day: dt.date) -> str:
    """The IMF-fixdate of ``day`` at 12:00:00 GMT (RFC 9110 ``Date`` header)."""
    return format_datetime(dt.datetime.combine(day, _NOON), usegmt=True)


def unit_price_on(day: dt.date, base: Decimal) -> Decimal:
    """The unit price on ``day``: ``base``, plus :data:`PRICE_STEP` from PRICE_STEP_DATE."""
    return base + PRICE_STEP if day >= PRICE_STEP_DATE else base
