"""The requests of the account's own data, checked as the vendor checks them, and its limits.

Three read-only endpoints (the vendor's pages: Replies / Opt-outs "Stop List", Number
Verification "Format Verification", Status & Statistics "Sending Statistics"):

- ``GET stop-sms/list``: no parameter but the key (codes 1, 10).
- ``POST lookup``: ``phoneNumbers`` in international format, comma-separated, at most
  :data:`LOOKUP_BATCH` per request (codes 2: a number is required, 3: they must be
  separated by commas); free, at most :data:`LOOKUP_RATE` requests a minute.
- ``GET statistics/cost-resume``: ``interval`` = ``last_month``, ``last_twelve_months`` or
  ``custom`` with ``from`` and ``to`` (the vendor's example writes ``21-10-2022``:
  :data:`CUSTOM_DATE_FORMAT`); at most :data:`COST_RESUME_RATE` requests a minute.

The client sends only what passes here, so the vendor's codes 2 and 3 cannot be earned;
:data:`LOOKUP_CODES` and :data:`COST_RESUME_CODES` word them for these endpoints if they
come anyway (the shared code table reads code 3 as the rental's "targeting is missing").

>>> interval_params("last_twelve_months")
{'interval': 'last_twelve_months'}
>>> interval_params(("2026-01-01", "2026-03-31"))
{'interval': 'custom', 'from': '01-01-2026', 'to': '31-03-2026'}
>>> [len(b) for b in lookup_batches([f"+3361234{i:04d}" for i in range(1200)])]
[500, 500, 200]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from smsp_analytics.i18n import N_, _

__all__ = [
    "INTERVALS",
    "CUSTOM_DATE_FORMAT",
    "LOOKUP_BATCH",
    "LOOKUP_RATE",
    "COST_RESUME_RATE",
    "LOOKUP_CODES",
    "COST_RESUME_CODES",
    "interval_params",
    "interval_dates",
    "lookup_batches",
    "lookup_body",
]

#: The named intervals of cost-resume (a ``(start, end)`` pair is the vendor's ``custom``).
INTERVALS = ("last_twelve_months", "last_month")
#: How ``from`` and ``to`` are written (the vendor's example: ``from=21-10-2022``).
CUSTOM_DATE_FORMAT = "%d-%m-%Y"
#: Numbers per lookup request (the vendor's maximum).
LOOKUP_BATCH = 500
#: (requests, seconds): the vendor's documented limits.
LOOKUP_RATE = (360, 60.0)
COST_RESUME_RATE = (5, 60.0)

#: What the lookup's own codes mean (field, message); codes 1 and 10 are the key's.
LOOKUP_CODES: dict[int, tuple[str, str]] = {
    2: ("numbers", N_("numbers: the API says a phone number is required (vendor code 2)")),
    3: (
        "numbers",
        N_("numbers: the API says the numbers must be separated by commas (vendor code 3)"),
    ),
    50: ("numbers", N_("numbers: the API says at most 500 numbers a request (code 50)")),
}
#: The codes the sandbox answers for a wrong cost-resume query (the vendor documents none).
COST_RESUME_CODES: dict[int, tuple[str, str]] = {
    4: ("interval", N_("interval: the API says the interval is required (code 4)")),
    5: ("interval", N_("interval: the API does not know this interval (code 5)")),
    6: ("interval", N_("interval: the API says a custom interval needs from and to (code 6)")),
    7: ("interval", N_("interval: the API could not read the dates from and to (code 7)")),
}

_ALLOWED_INTERVAL = N_(
    "'last_twelve_months', 'last_month', or a (start, end) pair of dates such as "
    "('2026-01-01', '2026-03-31')"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date(value: Any, field: str) -> dt.date:
    """A calendar date from a date, a datetime, a Timestamp or an ISO ``YYYY-MM-DD``."""
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise ValueError(_("{field}: a missing date is not allowed").format(field=field))
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(
        _(
            "{field}: {value} is not a date; allowed: a date or an ISO date such as 2026-01-31"
        ).format(field=field, value=repr(value))
    )


def interval_dates(interval: Any) -> tuple[dt.date, dt.date] | None:
    """The ``(start, end)`` dates of a custom interval (None for a named one); ValueError
    naming ``interval`` when it is neither.

    >>> interval_dates("last_month") is None
    True
    """
    if isinstance(interval, str):
        if interval.strip().lower() in INTERVALS:
            return None
        raise ValueError(
            _("interval: {value} is not allowed; allowed: {allowed}").format(
                value=repr(interval), allowed=_(_ALLOWED_INTERVAL)
            )
        )
    if not isinstance(interval, Sequence) or len(interval) != 2:
        raise ValueError(
            _("interval: {value} is not allowed; allowed: {allowed}").format(
                value=repr(interval), allowed=_(_ALLOWED_INTERVAL)
            )
        )
    start = _date(interval[0], "interval[0] (start)")
    end = _date(interval[1], "interval[1] (end)")
    if start > end:
        raise ValueError(
            _("interval: the start {start} is after the end {end}").format(
                start=start.isoformat(), end=end.isoformat()
            )
        )
    return start, end


def interval_params(interval: Any) -> dict[str, str]:
    """The query of cost-resume for ``interval`` (see :func:`interval_dates`)."""
    dates = interval_dates(interval)
    if dates is None:
        return {"interval": str(interval).strip().lower()}
    return {
        "interval": "custom",
        "from": dates[0].strftime(CUSTOM_DATE_FORMAT),
        "to": dates[1].strftime(CUSTOM_DATE_FORMAT),
    }


def lookup_batches(numbers: Sequence[str], size: int = LOOKUP_BATCH) -> list[list[str]]:
    """``numbers`` (E.164, distinct) cut into requests of at most ``size``."""
    return [list(numbers[i : i + size]) for i in range(0, len(numbers), size)]


def lookup_body(batch: Sequence[str]) -> dict[str, str]:
    """The JSON body of one lookup request (the key is added by the transport).

    >>> lookup_body(["+33612345678", "+33698765432"])
    {'phoneNumbers': '+33612345678,+33698765432'}
    """
    if not batch or len(batch) > LOOKUP_BATCH:
        raise ValueError(
            _("numbers: {count} in one request; allowed: 1 to {most}").format(
                count=len(batch), most=LOOKUP_BATCH
            )
        )
    bad = [n for n in batch if not n.startswith("+") or "," in n]
    if bad:
        raise ValueError(
            _("numbers: {value} is not in international format (+33...)").format(value=repr(bad[0]))
        )
    return {"phoneNumbers": ",".join(batch)}
