"""Where the vendor's own clock would deliver outside the recipient's: departments whose
commercial SMS are to be scheduled by hand.

The platform pauses a commercial SMS until 08:00 Paris time on its next business day
(Monday to Saturday, not a national holiday): :func:`send_windows` with ``rule="vendor"``.
A message left unscheduled thus reaches Guadeloupe at 03:00 local time in winter, La Réunion
until 23:00, and Alsace-Moselle on Good Friday. Two views of that:

* :func:`vendor_delivery`: per department, when the vendor would deliver a message submitted
  at ``after`` and not scheduled, in Paris and local time, and whether the recipient's
  window (08:00-20:00 local, not a Sunday or local holiday) allows that instant;
* :func:`vendor_flags`: per department of a :func:`send_windows` frame, the days of the
  period on which the vendor would send outside the recipient's window, in words.

Notes and details are written in the language in force (``smsp_analytics.i18n``).

>>> from smsp_analytics.campaign.sendwindows import send_windows
>>> flags = vendor_flags(send_windows(["75", "57", "971"], "2026-03-30", days=7))
>>> flags[["department", "flagged"]].values.tolist()
[['75', False], ['57', True], ['971', True]]
>>> flags.loc[1, "detail"]
'Fri 2026-04-03, Good Friday, a local holiday'
>>> flags.loc[2, "detail"]
'vendor hours 02:00-14:00 local time on 5 of 6 days; Fri 2026-04-03, Good Friday, a local holiday'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd

from smsp_analytics.campaign.sendwindows import (
    Calendars,
    department_list,
    local_window,
    next_send_time,
)
from smsp_analytics.display import fmt_date, fmt_time
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import PARIS, time_zone

__all__ = ["vendor_delivery", "vendor_flags", "SCHEDULE_YOURSELF", "VENDOR_RULE_TEXT"]

#: What a flagged department asks of the user (English msgid: show ``_(SCHEDULE_YOURSELF)``).
SCHEDULE_YOURSELF = N_("schedule these yourself")
#: The vendor's rule in a few words, as the outputs quote it (show ``_(VENDOR_RULE_TEXT)``).
VENDOR_RULE_TEXT = N_(
    "08:00-20:00 Paris time, Monday to Saturday, not a national public "
    "holiday; otherwise paused until the next business day at 08:00"
)


def _local_verdict(dep: str, at: datetime, cals: Calendars) -> str:
    """Why the recipient's window does not allow ``at`` ("" when it does)."""
    local = at.astimezone(time_zone(dep))
    lo, hi, reason = local_window(dep, local.date(), cals)
    if lo is None or hi is None:
        if local.weekday() == 6:  # the reason is "Sunday", not a holiday
            return reason
        return _("{holiday}, a local holiday").format(holiday=reason)
    if local < lo:
        return _("before 08:00 local time")
    if local >= hi:
        return _("after 20:00 local time")
    return ""


def vendor_delivery(departments: Iterable[str] | str, after: datetime) -> pd.DataFrame:
    """When the vendor would deliver, to each department, a message submitted at ``after``
    and not scheduled (``next_send_time(..., rule="vendor")``).

    One row per department: ``department``, ``vendor_at`` (aware, Europe/Paris),
    ``local_at`` (aware, the department's zone; object column), ``inside_local`` (the
    recipient's 08:00-20:00 local window allows it) and ``note`` (why not: "before 08:00
    local time", "after 20:00 local time" or "<holiday>, a local holiday"; "" when inside).
    ``after``: as :func:`next_send_time` reads it (naive is Paris time).

    >>> d = vendor_delivery("75,971", datetime(2026, 11, 27, 22, 30))
    >>> d[["department", "inside_local", "note"]].values.tolist()
    [['75', True, ''], ['971', False, 'before 08:00 local time']]
    >>> f"{d.loc[1, 'local_at']:%a %H:%M}"
    'Sat 03:00'
    """
    deps = department_list(departments)
    cals = Calendars()
    rows = []
    for dep in deps:
        at = next_send_time(dep, after, rule="vendor").astimezone(PARIS)
        why = _local_verdict(dep, at, cals)
        rows.append(
            (dep, pd.Timestamp(at), pd.Timestamp(at.astimezone(time_zone(dep))), not why, why)
        )
    df = pd.DataFrame(rows, columns=["department", "vendor_at", "local_at", "inside_local", "note"])
    df["department"] = df["department"].astype("string")
    df["vendor_at"] = pd.to_datetime(df["vendor_at"], utc=True).dt.tz_convert(PARIS)
    df["local_at"] = df["local_at"].astype(object)
    df["inside_local"] = df["inside_local"].astype(bool)
    df.attrs.update({"op": "vendor_delivery", "rule": "vendor"})
    return df


def _day_text(day: date) -> str:
    return fmt_date(day, "weekday_iso")


def vendor_flags(windows: pd.DataFrame) -> pd.DataFrame:
    """Per department of a :func:`send_windows` frame (any ``rule``), the days on which the
    vendor would send outside the recipient's window.

    One row per department, in the frame's order: ``department``, ``vendor_days`` (days
    the vendor sends), ``outside_days`` (of those, days it would send outside 08:00-20:00
    local time or on a local holiday), ``flagged`` (``outside_days > 0``: schedule these
    yourself) and ``detail``: the vendor's hours in local time with their count of days,
    then each local holiday it would send on ("" when not flagged).
    """
    missing = [
        c
        for c in (
            "department",
            "date",
            "vendor_open",
            "vendor_start",
            "vendor_end",
            "vendor_outside_local",
        )
        if c not in windows.columns
    ]
    if missing:
        raise ValueError(
            _("windows: columns {missing} are missing; allowed: a frame of send_windows()").format(
                missing=missing
            )
        )
    cals = Calendars()
    rows = []
    for dep, group in windows.groupby(windows["department"].astype(str), sort=False):
        hours: dict[str, int] = {}
        holidays: list[str] = []
        outside = group[group["vendor_outside_local"].astype(bool)]
        for day, v_lo, v_hi in zip(outside["date"], outside["vendor_start"], outside["vendor_end"]):
            lo, _hi, reason = local_window(dep, day, cals)
            if lo is None:
                holidays.append(
                    _("{day}, {holiday}, a local holiday").format(
                        day=_day_text(day), holiday=reason
                    )
                )
                continue
            tz = time_zone(dep)
            span = _("{start}-{end} local time").format(
                start=fmt_time(v_lo.astimezone(tz)), end=fmt_time(v_hi.astimezone(tz))
            )
            hours[span] = hours.get(span, 0) + 1
        sends = int(group["vendor_open"].astype(bool).sum())
        # Summer time moves the overseas hours mid-period: one span per offset.
        spans = [
            _("{span} on {n} of {days} days").format(span=span, n=n, days=sends)
            for span, n in hours.items()
        ]
        parts = [_("vendor hours {spans}").format(spans=", ".join(spans))] if hours else []
        rows.append((dep, sends, len(outside), len(outside) > 0, "; ".join(parts + holidays)))
    df = pd.DataFrame(
        rows, columns=["department", "vendor_days", "outside_days", "flagged", "detail"]
    )
    df["department"] = df["department"].astype("string")
    df["flagged"] = df["flagged"].astype(bool)
    df.attrs.update(
        {
            "op": "vendor_flags",
            "start": windows.attrs.get("start"),
            "days": windows.attrs.get("days"),
        }
    )
    return df
