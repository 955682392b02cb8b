"""When commercial SMS may go out: the allowed send windows per department and day.

The vendor documents that commercial SMS are not sent between 20:00 and 08:00, nor on
Sundays and public holidays; a message sent then waits for the next allowed time. Read
here as two calendars that must both allow the instant:

- the platform: 08:00-20:00 Europe/Paris, Monday to Saturday, not a metropolitan public
  holiday (``holidays.France()`` without subdivision);
- the recipient: 08:00-20:00 local time, Monday to Saturday, not a public holiday where
  they live (``holidays.France(subdiv=...)``: ``"57"`` Moselle, ``"6AE"`` for 67 and 68,
  ``"971"``..``"976"`` overseas; other departments, Corsica included, the metropolitan
  list).

Windows are half-open, ``[start, end)``: 20:00 itself is closed. Time zones come from
``zoneinfo``: metropolitan France and Corsica Europe/Paris, 971 America/Guadeloupe, 972
America/Martinique, 973 America/Cayenne, 974 Indian/Reunion, 976 Indian/Mayotte; the
overseas windows shrink by the time difference with Paris (and move when Paris changes to
summer time; the overseas departments have none). Holiday names are the ``holidays``
package's English ones.

>>> from datetime import date
>>> w = send_windows(["75", "974"], date(2025, 12, 19), days=2)
>>> w[["department", "open", "reason"]].values.tolist()
[['75', True, ''], ['75', True, ''], ['974', True, ''], ['974', False, 'Abolition of Slavery']]
>>> str(w.loc[2, "paris_end"].time()), str(w.loc[2, "local_end"].time())
('17:00:00', '20:00:00')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pandas as pd

from . import refdata

__all__ = ["send_windows", "next_send_time", "PARIS", "TIME_ZONES", "HOLIDAY_SUBDIVISIONS",
           "OPEN_HOURS"]

PARIS = ZoneInfo("Europe/Paris")
TIME_ZONES = {"971": "America/Guadeloupe", "972": "America/Martinique",
              "973": "America/Cayenne", "974": "Indian/Reunion", "976": "Indian/Mayotte"}
HOLIDAY_SUBDIVISIONS = {"57": "57", "67": "6AE", "68": "6AE", "971": "971", "972": "972",
                        "973": "973", "974": "974", "976": "976"}
OPEN_HOURS = (time(8), time(20))
_LANGUAGE = "en_US"
_MAX_SEARCH_DAYS = 400
COLUMNS = ["department", "date", "open", "local_start", "local_end", "paris_start",
           "paris_end", "reason"]


def _department(code: Any, field: str = "departments") -> str:
    allowed = refdata.department_codes()
    s = code.strip().upper() if isinstance(code, str) else None
    if s is not None and s.isdigit() and len(s) == 1:
        s = s.zfill(2)
    if s not in allowed:
        raise ValueError(f"{field}: {code!r} is not a department code; allowed: "
                         f"{', '.join(allowed)} (as strings)")
    return s


class _Calendars:
    """Holiday lists built once per call (``holidays`` objects expand years lazily)."""

    def __init__(self) -> None:
        self.platform = holidays.France(language=_LANGUAGE)
        self._local: dict[str | None, Any] = {None: self.platform}

    def local(self, dep: str) -> Any:
        sub = HOLIDAY_SUBDIVISIONS.get(dep)
        if sub not in self._local:
            self._local[sub] = holidays.France(subdiv=sub, language=_LANGUAGE)
        return self._local[sub]


def _closed_reason(day: date, cal: Any) -> str:
    if day.weekday() == 6:
        return "Sunday"
    name = cal.get(day)
    return "" if name is None else "; ".join(sorted(set(str(name).split("; "))))


def _day_window(dep: str, day: date, cals: _Calendars
                ) -> tuple[datetime | None, datetime | None, str]:
    """The allowed ``[start, end)`` of one local day (aware, local zone), or the reason."""
    tz = ZoneInfo(TIME_ZONES.get(dep, "Europe/Paris"))
    reason = _closed_reason(day, cals.local(dep))
    if reason:
        return None, None, reason
    start = datetime.combine(day, OPEN_HOURS[0], tzinfo=tz)
    end = datetime.combine(day, OPEN_HOURS[1], tzinfo=tz)
    best: tuple[datetime, datetime] | None = None
    platform_reasons = []
    paris_day = start.astimezone(PARIS).date()
    for pday in (paris_day - timedelta(days=1), paris_day, paris_day + timedelta(days=1)):
        p_start = datetime.combine(pday, OPEN_HOURS[0], tzinfo=PARIS)
        p_end = datetime.combine(pday, OPEN_HOURS[1], tzinfo=PARIS)
        if p_end <= start or p_start >= end:
            continue
        why = _closed_reason(pday, cals.platform)
        if why:
            platform_reasons.append(why)
            continue
        lo, hi = max(start, p_start), min(end, p_end)
        # With the French zones the 12-hour windows overlap at most one Paris day.
        if best is None or hi - lo > best[1] - best[0]:
            best = (lo.astimezone(tz), hi.astimezone(tz))
    if best is None:
        why = "; ".join(dict.fromkeys(platform_reasons)) or "outside platform hours"
        return None, None, f"platform closed: {why}"
    return best[0], best[1], ""


def _start_date(start: Any) -> date:
    if isinstance(start, datetime):
        return start.date()
    if isinstance(start, date):
        return start
    if isinstance(start, str):
        try:
            return date.fromisoformat(start.strip())
        except ValueError:
            pass
    raise ValueError(f"start: {start!r} is not allowed; allowed: a date, a datetime or an "
                     "ISO date string such as '2026-12-19'")


def send_windows(departments: Iterable[str] | str, start: date | datetime | str,
                 days: int = 7) -> pd.DataFrame:
    """The allowed send window of each department for ``days`` local dates from ``start``.

    ``departments``: codes as strings (``"75"``, ``"2A"``, ``"974"``), a list or one
    comma-separated string; ``start``: a date, a datetime (its date) or an ISO date string.

    One row per department and local date: ``department``, ``date`` (local date),
    ``open`` (bool), ``local_start``/``local_end`` (aware, the department's zone; object
    column since zones differ; NaT when closed), ``paris_start``/``paris_end`` (aware,
    Europe/Paris; NaT when closed) and ``reason`` ("Sunday", the holiday's name, or
    "platform closed: ..." when only the Paris platform is closed; empty when open).

    >>> send_windows("57", "2026-04-03", days=1)[["open", "reason"]].values.tolist()
    [[False, 'Good Friday']]
    """
    # "75,57,974" as typed on the command line is the same as ["75", "57", "974"].
    codes = [c for c in departments.split(",") if c.strip()] if isinstance(departments, str) \
        else departments
    try:
        codes = list(codes)
    except TypeError:
        raise ValueError(f"departments: {departments!r} is not allowed; allowed: a list of "
                         "department codes such as ['75', '2A', '974']") from None
    deps = list(dict.fromkeys(_department(c) for c in codes))
    if not deps:
        raise ValueError("departments: empty; allowed: a list of department codes such as "
                         "['75', '2A', '974']")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise ValueError(f"days: {days!r} is not allowed; allowed: an int from 1 to 366")
    first = _start_date(start)
    cals = _Calendars()
    rows = []
    for dep in deps:
        for i in range(days):
            day = first + timedelta(days=i)
            lo, hi, reason = _day_window(dep, day, cals)
            rows.append((dep, day, lo is not None, lo, hi,
                         None if lo is None else lo.astimezone(PARIS),
                         None if hi is None else hi.astimezone(PARIS), reason))
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["department"] = df["department"].astype("string")
    df["open"] = df["open"].astype(bool)
    for col in ("local_start", "local_end"):
        df[col] = pd.Series([pd.NaT if v is None else pd.Timestamp(v) for v in df[col]],
                            dtype=object)
    for col in ("paris_start", "paris_end"):
        df[col] = pd.to_datetime(df[col], utc=True).dt.tz_convert(PARIS)
    df["reason"] = df["reason"].astype("string")
    df.attrs.update({"op": "send_windows", "start": first.isoformat(), "days": days,
                     "open_hours": "08:00-20:00"})
    return df


def next_send_time(department: str, after: datetime) -> datetime:
    """The next instant a commercial SMS may go out to ``department``: ``after`` itself
    when it falls inside a window, else the start of the next window.

    ``after`` should be aware; a naive datetime is read as Europe/Paris time. The answer
    is in ``after``'s zone (Europe/Paris for a naive one).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> next_send_time("75", datetime(2026, 11, 28, 20, 0, tzinfo=ZoneInfo("Europe/Paris")))
    datetime.datetime(2026, 11, 30, 8, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Paris'))
    """
    dep = _department(department, "department")
    if not isinstance(after, datetime):
        raise TypeError(f"after: expected a datetime, got {type(after).__name__}")
    if isinstance(after, pd.Timestamp):
        after = after.to_pydatetime()
    if after.tzinfo is None or after.utcoffset() is None:
        after = after.replace(tzinfo=PARIS)
    out_tz = after.tzinfo
    tz = ZoneInfo(TIME_ZONES.get(dep, "Europe/Paris"))
    day = after.astimezone(tz).date()
    cals = _Calendars()
    for i in range(_MAX_SEARCH_DAYS):
        lo, hi, _ = _day_window(dep, day + timedelta(days=i), cals)
        if lo is None or hi <= after:
            continue
        return after if lo <= after else lo.astimezone(out_tz)
    raise RuntimeError(f"no send window within {_MAX_SEARCH_DAYS} days after {after}")
