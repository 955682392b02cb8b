"""What the send-window functions accept, checked once: department codes (one, or a list or
a comma-separated string), the reading of the vendor's rule, and the dates windows are
computed for (:data:`MIN_DATE` to :data:`MAX_DATE`). Each refusal is a ValueError naming the
argument. :mod:`smsp_analytics.campaign.sendwindows` re-exports the public names.

>>> check_department("2a"), check_rule("both")
('2A', 'both')
>>> check_rule("paris")
Traceback (most recent call last):
ValueError: rule: 'paris' is not allowed; allowed: 'vendor', 'local', 'both'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from smsp_analytics.i18n import _
from smsp_analytics.vocab import DEPARTMENT_CODES, normalize_department

__all__ = [
    "RULES",
    "MIN_DATE",
    "MAX_DATE",
    "check_department",
    "check_rule",
    "check_start",
    "department_list",
    "out_of_range",
]

#: The readings of the vendor's rule ``rule=`` accepts (see :mod:`smsp_analytics.campaign.sendwindows`).
RULES = ("vendor", "local", "both")
#: The dates send windows are computed for. Outside, time-zone arithmetic overflows near
#: years 1 and 9999, and a calendar of 1900 or 2300 says nothing about today's rule.
MIN_DATE = date(1970, 1, 1)
MAX_DATE = date(2199, 12, 31)


def check_department(code: Any, field: str = "departments") -> str:
    """A department code as a string, normalised; ValueError naming ``field`` else."""
    s = normalize_department(code) if isinstance(code, str) else None  # ints are refused
    if s is None:
        raise ValueError(
            _("{field}: {value} is not a department code; allowed: {allowed} (as strings)").format(
                field=field, value=repr(code), allowed=", ".join(DEPARTMENT_CODES)
            )
        )
    return s


def check_rule(rule: Any) -> str:
    """``rule`` when it is one of :data:`RULES`; ValueError else."""
    if not isinstance(rule, str) or rule not in RULES:
        raise ValueError(
            _("rule: {value} is not allowed; allowed: {allowed}").format(
                value=repr(rule), allowed=", ".join(repr(r) for r in RULES)
            )
        )
    return rule


def out_of_range(field: str, value: Any, extra: str = "") -> ValueError:
    """The error for a date of ``field`` outside :data:`MIN_DATE` .. :data:`MAX_DATE`."""
    shown = value.isoformat() if isinstance(value, date) else repr(value)
    return ValueError(
        _(
            "{field}: {value} is outside the supported range; allowed: dates from {first} to {last}"
        ).format(
            field=field,
            value=f"{shown}{extra}",
            first=MIN_DATE.isoformat(),
            last=MAX_DATE.isoformat(),
        )
    )


def check_start(start: Any, days: int = 1, field: str = "start") -> date:
    """``start`` as a date, checked with the ``days`` that follow it: ValueError naming
    ``field`` unless it is a date, a datetime or an ISO date string and the whole period
    lies from :data:`MIN_DATE` to :data:`MAX_DATE` (``days`` is not checked here).

    >>> check_start("2026-04-03")
    datetime.date(2026, 4, 3)
    >>> check_start("9999-12-31")
    Traceback (most recent call last):
    ValueError: start: '9999-12-31' is outside the supported range; allowed: dates from ...
    """
    if isinstance(start, datetime):
        first = start.date()
    elif isinstance(start, date):
        first = start
    else:
        parsed: date | None = None
        if isinstance(start, str):
            try:
                parsed = date.fromisoformat(start.strip())
            except ValueError:
                pass
        if parsed is None:
            raise ValueError(
                _(
                    "{field}: {value} is not allowed; allowed: a date, a datetime or an ISO "
                    "date string such as '2026-12-19'"
                ).format(field=field, value=repr(start))
            )
        first = parsed
    if not MIN_DATE <= first <= MAX_DATE:
        raise out_of_range(field, start)
    # Compared as day counts: adding to a date near year 9999 would overflow.
    if (MAX_DATE - first).days < days - 1:
        raise ValueError(
            _(
                "{field}: {value} with days={days} ends after {last}, which is outside the "
                "supported range; allowed: dates from {first} to {last}"
            ).format(
                field=field,
                value=first.isoformat(),
                days=days,
                first=MIN_DATE.isoformat(),
                last=MAX_DATE.isoformat(),
            )
        )
    return first


def department_list(departments: Iterable[str] | str) -> list[str]:
    """Department codes, normalised and without duplicates; ValueError naming
    ``departments`` when one is unknown or none is given.

    >>> department_list("75, 2a,75")
    ['75', '2A']
    """
    # "75,57,974" as typed on the command line is the same as ["75", "57", "974"].
    codes = (
        [c for c in departments.split(",") if c.strip()]
        if isinstance(departments, str)
        else departments
    )
    try:
        codes = list(codes)
    except TypeError:
        raise ValueError(
            _(
                "departments: {value} is not allowed; allowed: a list of department codes "
                "such as ['75', '2A', '974']"
            ).format(value=repr(departments))
        ) from None
    deps = list(dict.fromkeys(check_department(c) for c in codes))
    if not deps:
        raise ValueError(
            _("departments: empty; allowed: a list of department codes such as ['75', '2A', '974']")
        )
    return deps
