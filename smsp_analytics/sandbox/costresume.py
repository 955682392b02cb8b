"""The account's sending history: SMS sent and their cost per month (README "Account data").

Every calendar month has its own figures, a function of the seed and the month only, so
moving the clock shifts the window without changing a month already seen. The answer holds
the months of the last :data:`HISTORY_MONTHS` (the clock's month included, counted up to
the clock's day). A month's cost is its SMS at the sandbox's price per SMS for that volume
(``pricing.sms_price``), so cost / nb_send is exactly that price.

>>> import datetime as dt
>>> rows = cost_resume(0, dt.date(2026, 11, 15), "last_twelve_months")
>>> len(rows), rows[-1]["month"], rows[-1]["year"], rows[-1]["m"], rows[-1]["type"]
(12, 'november', '2026', '11', 'month')
>>> month_timestamp(2021, 10)
1633039200
>>> parse_day("21-10-2022")
datetime.date(2022, 10, 21)
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo

from smsp_analytics.sandbox.clock import REFERENCE_DATE
from smsp_analytics.sandbox.model import stable_int
from smsp_analytics.sandbox.pricing import sms_price

__all__ = [
    "HISTORY_MONTHS",
    "INTERVALS",
    "PARIS",
    "MONTH_NAMES",
    "monthly_sends",
    "month_timestamp",
    "parse_day",
    "cost_resume",
]

PARIS = ZoneInfo("Europe/Paris")
#: Months of history the sandbox keeps (the clock's month included).
HISTORY_MONTHS = 24
INTERVALS = ("last_month", "last_twelve_months", "custom")
#: PHP's date("F") in lower case, as the vendor's example ("october"); never the locale's.
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Marketing SMS follow the retail calendar: a December peak, a quiet August.
_SEASON = (0.85, 0.9, 1.0, 1.0, 1.05, 1.0, 0.8, 0.65, 1.0, 1.05, 1.15, 1.3)
_DAY = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})", re.ASCII)
_MILLI = Decimal("0.001")


@cache
def _account(seed: int) -> tuple[float, float]:
    """The account's level (SMS in the reference month before the season) and monthly trend."""
    rng = random.Random(stable_int("sends-level", seed))
    level = min(max(math.exp(math.log(1800) + 0.5 * rng.gauss(0, 1)), 400.0), 7000.0)
    trend = min(max(0.004 + 0.008 * rng.gauss(0, 1), -0.02), 0.02)
    return level, trend


def monthly_sends(seed: int, year: int, month: int) -> int:
    """SMS the account sent in the whole calendar month (deterministic per seed and month).

    >>> monthly_sends(0, 2026, 12) == monthly_sends(0, 2026, 12) > 0
    True
    """
    level, trend = _account(seed)
    offset = (year - REFERENCE_DATE.year) * 12 + month - REFERENCE_DATE.month
    noise = min(max(random.Random(stable_int("sends", seed, year, month)).gauss(0, 1), -2.5), 2.5)
    value = level * (1 + trend) ** offset * _SEASON[month - 1] * math.exp(0.18 * noise)
    return max(20, round(value))


def month_timestamp(year: int, month: int) -> int:
    """Unix time of the month's first day at midnight, Paris time (the vendor's ``date``)."""
    return int(dt.datetime(year, month, 1, tzinfo=PARIS).timestamp())


def parse_day(text: str) -> dt.date | None:
    """A ``from`` / ``to`` date ``DD-MM-YYYY`` (the vendor's example ``21-10-2022``), or None."""
    match = _DAY.fullmatch(text.strip(" \t"))
    if match is None:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _shift(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _row(year: int, month: int, sent: int) -> dict:
    cost = (Decimal(sent) * sms_price(sent)).quantize(_MILLI, rounding=ROUND_HALF_UP)
    return {
        "month": MONTH_NAMES[month - 1],
        "year": str(year),
        "m": f"{month:02d}",
        "date": month_timestamp(year, month),
        "type": "month",
        "cost": str(cost),
        "nb_send": str(sent),
    }


def cost_resume(
    seed: int,
    today: dt.date,
    interval: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[dict]:
    """The ``datas`` rows of ``interval`` on the clock's date ``today``, oldest first.

    ``last_month``: the previous calendar month. ``last_twelve_months``: the twelve months
    ending with the clock's month. ``custom``: the months that ``start``..``end`` touches,
    each counted on the days of the range only. Always within the kept history and never
    after ``today``; a month with no SMS has no row. ``start`` after ``end``: no rows.
    """
    kept_from = _shift(today, 1 - HISTORY_MONTHS)
    if interval == "last_month":
        first, last = _shift(today, -1), _shift(today, 0) - dt.timedelta(days=1)
    elif interval == "last_twelve_months":
        first, last = _shift(today, -11), today
    else:
        if start is None or end is None:
            raise ValueError("custom needs start and end")
        first, last = start, end
    first, last = max(first, kept_from), min(last, today)
    rows = []
    for year, month in _months(first, last) if first <= last else []:
        days = calendar.monthrange(year, month)[1]
        lo = max(first, dt.date(year, month, 1))
        hi = min(last, dt.date(year, month, days))
        sent = round(monthly_sends(seed, year, month) * ((hi - lo).days + 1) / days)
        if sent > 0:
            rows.append(_row(year, month, sent))
    return rows
