"""Send windows in words, for ``smsp windows`` and ``smsp campaign``: the screen table, the
frame exported as CSV/JSON, the next instant a message may go out, and when the vendor
would deliver an unscheduled message.

Split from :mod:`smsp_analytics.cli.campaign` (which re-exports the public names); no
command is defined here, so nothing registers on import.

>>> from smsp_analytics import send_windows
>>> window_table(send_windows("57", "2026-04-03", 1)).splitlines()[1].split()
['57', 'Moselle', '2026-04-03', 'Fri', 'closed', 'Good', 'Friday']
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from smsp_analytics.cli.registry import Lazy
from smsp_analytics.vocab import PARIS, time_zone

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")

__all__ = ["window_table", "windows_export", "next_heading", "next_sends", "vendor_lines"]


def _hhmm(a: Any, b: Any) -> str:
    return "" if display.is_missing(a) else f"{a:%H:%M}-{b:%H:%M}"


def window_table(windows: pd.DataFrame) -> str:
    """A ``send_windows`` frame as a screen table: department with its name, the day, the
    window in Paris time and in local time (with the zone), and why a day is closed."""
    shown = pd.DataFrame(
        {
            "department": [display.department_label(d) for d in windows["department"]],
            "date": [d.isoformat() for d in windows["date"]],
            "day": [f"{d:%a}" for d in windows["date"]],
            "open": ["open" if o else "closed" for o in windows["open"]],
            "paris": [_hhmm(a, b) for a, b in zip(windows["paris_start"], windows["paris_end"])],
            "local": [_hhmm(a, b) for a, b in zip(windows["local_start"], windows["local_end"])],
            "time zone": [
                "" if display.is_missing(a) else str(a.tzinfo) for a in windows["local_start"]
            ],
            "reason": ["" if display.is_missing(r) else str(r) for r in windows["reason"]],
        }
    )
    return shown.to_string(index=False)


def windows_export(windows: pd.DataFrame) -> pd.DataFrame:
    """A ``send_windows`` frame for CSV/JSON: times as ISO text with their offsets (the local
    zones differ row to row), dates as ISO dates, the department's name beside its code."""
    out = pd.DataFrame(
        {
            "department": windows["department"].astype(str),
            "department_name": [
                display.department_label(d).partition(" ")[2] for d in windows["department"]
            ],
            "date": [d.isoformat() for d in windows["date"]],
            "open": windows["open"].astype(bool),
            **{
                c: ["" if display.is_missing(v) else v.isoformat() for v in windows[c]]
                for c in ("local_start", "local_end", "paris_start", "paris_end")
            },
            "reason": ["" if display.is_missing(r) else str(r) for r in windows["reason"]],
            "vendor_open": windows["vendor_open"].astype(bool),
            **{
                c: ["" if display.is_missing(v) else v.isoformat() for v in windows[c]]
                for c in ("vendor_start", "vendor_end")
            },
            "vendor_outside_local": windows["vendor_outside_local"].astype(bool),
        }
    )
    # Calendars, not audience data: the provenance says where the rules come from.
    out.attrs = {
        "synthetic": False,
        "source": "vendor sending rules and the holidays package",
        "fetched_at": None,
    }
    return out


def next_heading(start: date) -> str:
    """ "next send" from today; from another date (a plan, or a past week looked at again)
    the first send time of that day, so that a past instant is never called "next"."""
    today = datetime.now(PARIS).date()
    return "next send:\n" if start == today else f"next send from {start:%a %Y-%m-%d}:\n"


def _after(start: date) -> datetime:
    """Now when ``start`` is today (Paris), else the start of that day in Paris."""
    now = datetime.now(PARIS)
    return now if start == now.date() else datetime.combine(start, time(0), tzinfo=PARIS)


def _local_text(at: datetime, local: datetime, note: str = "") -> str:
    """ " (03:00 local time, America/Guadeloupe: why)" when the zones differ."""
    if local.utcoffset() == at.utcoffset():
        return f", {note}" if note else ""
    return f" ({local:%H:%M} local time, {local.tzinfo}{': ' + note if note else ''})"


def next_sends(departments: list[str], start: date, rule: str = "both") -> list[str]:
    """One line per department: the next instant a message may go out from ``start`` (now,
    when ``start`` is today) under ``rule``."""
    from smsp_analytics.campaign.sendwindows import next_send_time

    after = _after(start)
    lines = []
    for dep in departments:
        at = next_send_time(dep, after, rule=rule)
        local = at.astimezone(time_zone(dep))
        lines.append(
            f"  {display.department_label(dep)}: {at:%a %Y-%m-%d %H:%M} Paris "
            f"time{_local_text(at, local)}"
        )
    return lines


def vendor_lines(windows: pd.DataFrame, start: date) -> list[str]:
    """When the vendor would deliver, per department of ``windows``, a message submitted
    at ``start`` (now, when ``start`` is today) and not scheduled; a "!" line under each
    department where it would send, in the period, outside 08:00-20:00 local time or on a
    local holiday: schedule these yourself."""
    from smsp_analytics.campaign.sendwindows_vendor import (
        SCHEDULE_YOURSELF,
        VENDOR_RULE_TEXT,
        vendor_delivery,
        vendor_flags,
    )

    deps = list(dict.fromkeys(windows["department"].astype(str)))
    delivery = vendor_delivery(deps, _after(start))
    flags = vendor_flags(windows).set_index("department")
    lines = [f"if nothing is scheduled, the vendor delivers ({VENDOR_RULE_TEXT}):"]
    for dep, at, local, inside, note in zip(
        deps,
        delivery["vendor_at"],
        delivery["local_at"],
        delivery["inside_local"],
        delivery["note"],
    ):
        lines.append(
            f"  {display.department_label(dep)}: {at:%a %Y-%m-%d %H:%M} Paris "
            f"time{_local_text(at, local, note)}"
        )
        detail = str(flags.loc[dep, "detail"]) or ("" if inside else f"{at:%a %Y-%m-%d}, {note}")
        if detail:
            lines.append(f"    ! {SCHEDULE_YOURSELF}: {detail}")
    return lines
