"""The account's STOP list (README "Account data"): numbers that replied STOP, with dates.

Two sources, both deterministic by the seed:

- **earlier STOPs**: the replies to the account's own campaigns since :data:`OPENED`, about
  one per thousand SMS of each month (costresume.monthly_sends), on a day of that month
  between 08:00 and 22:00 Paris, each a number of the ARCEP fiction block (the block
  rentals draw from);
- **STOPs of rented numbers**: for every rental whose file was downloaded, a fraction
  :data:`RENTED_STOP_SHARE` of its numbers (chosen by a hash of the seed, token and number)
  replied STOP after the account messaged them, on the day of the rental from 08:00 Paris:
  half within four hours, the rest over the next three weeks.

An entry is listed once its time has come on the clock (``now``: the clock's date at
12:00:00 GMT, the instant of the answers' ``Date`` header), so the list grows as the clock
moves. A number is listed once, with its earliest STOP. ``id`` is a bijection of the
number's last four digits (stable whatever the clock and the rentals).

>>> import datetime as dt
>>> rows = stop_entries(0, dt.date(2026, 11, 1), [])
>>> 150 < len(rows) < 400, rows[0]["phoneNumber"][:8], len(rows[0]["createdAt"])
(True, '+3363998', 19)
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable
from functools import cache, lru_cache

from smsp_analytics.sandbox.clock import MAX_DATE
from smsp_analytics.sandbox.costresume import PARIS, monthly_sends
from smsp_analytics.sandbox.fiction import phone_numbers
from smsp_analytics.sandbox.model import stable_int

__all__ = ["OPENED", "RENTED_STOP_SHARE", "STOP_RATE", "number_text", "stop_entries", "now_of"]

#: The account's first month of campaigns (the clock's earliest accepted month).
OPENED = dt.date(2016, 11, 1)
#: STOP replies per SMS sent (earlier STOPs).
STOP_RATE = 0.001
#: Share of a downloaded rental's numbers that replied STOP.
RENTED_STOP_SHARE = 0.06
_BLOCK = 10_000  # numbers of the fiction block 06 39 98 00 00 - 06 39 98 99 99
_QUICK = 4 * 3600.0  # half of the STOPs come within four hours of the campaign
_LATE = 21 * 86400.0  # the rest within three weeks
_U32 = float(2**32)
#: A downloaded rental: token, quantity, and the clock's date when it was made.
RentalRef = tuple[str, int, dt.date]


def number_text(n: int) -> str:
    """The E.164 text of number ``n`` (0..9999) of the fiction block.

    >>> number_text(42)
    '+33639980042'
    """
    return f"+3363998{n:04d}"


def now_of(day: dt.date) -> float:
    """The clock's instant on ``day`` (Unix time of 12:00:00 GMT, as the ``Date`` header)."""
    return dt.datetime.combine(day, dt.time(12, tzinfo=dt.UTC)).timestamp()


@cache
def _earlier(seed: int) -> tuple[tuple[float, int], ...]:
    """(Unix time, number) of every earlier STOP from OPENED to the last accepted month."""
    out = []
    year, month = OPENED.year, OPENED.month
    while (year, month) <= (MAX_DATE.year, MAX_DATE.month):
        mean = monthly_sends(seed, year, month) * STOP_RATE
        h = stable_int("stops-month", seed, year, month)
        count = math.floor(mean + (h & 0xFFFFFFFF) / _U32)
        days = calendar.monthrange(year, month)[1]
        for i in range(count):
            h = stable_int("stop", seed, year, month, i)
            # Replies come in the day, 08:00 to 22:00 Paris, like the campaigns they answer.
            day, second = (h >> 48) % days + 1, (h >> 24) % 50_400
            local = dt.datetime(year, month, day, 8, tzinfo=PARIS) + dt.timedelta(seconds=second)
            out.append((local.timestamp(), (h & 0xFFFFFF) % _BLOCK))
        nxt = (year + 1, 1) if month == 12 else (year, month + 1)
        year, month = nxt
    return tuple(sorted(out))


@lru_cache(maxsize=256)
def _rented(seed: int, token: str, quantity: int, day: dt.date) -> tuple[tuple[float, int], ...]:
    """(Unix time, number) of the STOPs among one downloaded rental's numbers."""
    start = dt.datetime.combine(day, dt.time(8), tzinfo=PARIS).timestamp()
    out = []
    for text in phone_numbers(token, quantity):
        h = stable_int("rented-stop", seed, token, text)
        if (h & 0xFFFFFFFF) / _U32 >= RENTED_STOP_SHARE:
            continue
        v = (h >> 32) / _U32
        if v < 0.5:
            offset = 120.0 + v / 0.5 * (_QUICK - 120.0)
        else:
            offset = _QUICK * (_LATE / _QUICK) ** ((v - 0.5) / 0.5)
        out.append((start + offset, int(text[-4:])))
    return tuple(out)


def stop_entries(seed: int, day: dt.date, rentals: Iterable[RentalRef]) -> list[dict]:
    """The ``data`` rows of the STOP list on the clock's date ``day``, oldest first."""
    now = now_of(day)
    first: dict[int, float] = {}
    sources = [_earlier(seed), *(_rented(seed, t, q, d) for t, q, d in rentals)]
    for source in sources:
        for when, n in source:
            if when <= now and (n not in first or when < first[n]):
                first[n] = when
    shift = stable_int("stop-id", seed) % _BLOCK
    rows = sorted((when, n) for n, when in first.items())
    return [
        {
            "id": 10_001 + (n * 7919 + shift) % _BLOCK,  # 7919 is prime to 10,000: a bijection
            "phoneNumber": number_text(n),
            "createdAt": dt.datetime.fromtimestamp(when, PARIS).strftime("%Y-%m-%d %H:%M:%S"),
        }
        for when, n in rows
    ]
