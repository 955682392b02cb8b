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
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import PARIS, time_zone

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")

__all__ = ["window_table", "windows_export", "next_heading", "next_sends", "vendor_lines"]

# The screen table's headers (English msgids: the table reads as before in English).
_HEADERS = (
    N_("department"),
    N_("date"),
    N_("day"),
    N_("open"),
    N_("paris"),
    N_("local"),
    N_("time zone"),
    N_("reason"),
)


def _hhmm(a: Any, b: Any) -> str:
    if display.is_missing(a):
        return ""
    return f"{display.fmt_time(a)}-{display.fmt_time(b)}"


def _weekday(d: Any) -> str:
    """The day's short name (``Thu`` / ``jeu.``): the first word of the display's short date."""
    return display.fmt_date(d, "short").split()[0]


def window_table(windows: pd.DataFrame) -> str:
    """A ``send_windows`` frame as a screen table, in the language in force: department
    with its name, the day, the window in Paris time and in local time (with the zone), and
    why a day is closed."""
    columns = [
        [display.department_label(d) for d in windows["department"]],
        [display.fmt_date(d, "iso") for d in windows["date"]],
        [_weekday(d) for d in windows["date"]],
        [_("open") if o else _("closed") for o in windows["open"]],
        [_hhmm(a, b) for a, b in zip(windows["paris_start"], windows["paris_end"])],
        [_hhmm(a, b) for a, b in zip(windows["local_start"], windows["local_end"])],
        ["" if display.is_missing(a) else str(a.tzinfo) for a in windows["local_start"]],
        ["" if display.is_missing(r) else str(r) for r in windows["reason"]],
    ]
    shown = pd.DataFrame(dict(enumerate(columns)))
    shown.columns = pd.Index([_(h) for h in _HEADERS])
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
    if start == today:
        return _("next send:") + "\n"
    return _("next send from {day}:").format(day=display.fmt_date(start, "weekday_iso")) + "\n"


def _after(start: date) -> datetime:
    """Now when ``start`` is today (Paris), else the start of that day in Paris."""
    now = datetime.now(PARIS)
    return now if start == now.date() else datetime.combine(start, time(0), tzinfo=PARIS)


def _local_text(at: datetime, local: datetime, note: str = "") -> str:
    """ " (03:00 local time, America/Guadeloupe: why)" when the zones differ."""
    if local.utcoffset() == at.utcoffset():
        return f", {note}" if note else ""
    time_, zone = display.fmt_time(local), str(local.tzinfo)
    if note:
        return " " + _("({time} local time, {zone}: {note})").format(
            time=time_, zone=zone, note=note
        )
    return " " + _("({time} local time, {zone})").format(time=time_, zone=zone)


def _paris_line(dep: str, at: datetime, local: datetime, note: str = "") -> str:
    """``  75 Paris: Thu 2026-04-02 08:00 Paris time`` and, elsewhere, the local time."""
    return "  " + _("{department}: {when} Paris time{local}").format(
        department=display.department_label(dep),
        when=display.fmt_datetime(at, "weekday_iso"),
        local=_local_text(at, local, note),
    )


def next_sends(departments: list[str], start: date, rule: str = "both") -> list[str]:
    """One line per department: the next instant a message may go out from ``start`` (now,
    when ``start`` is today) under ``rule``."""
    from smsp_analytics.campaign.sendwindows import next_send_time

    after = _after(start)
    lines = []
    for dep in departments:
        at = next_send_time(dep, after, rule=rule)
        lines.append(_paris_line(dep, at, at.astimezone(time_zone(dep))))
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
    lines = [
        _("if nothing is scheduled, the vendor delivers ({rule}):").format(rule=_(VENDOR_RULE_TEXT))
    ]
    for dep, at, local, inside, note in zip(
        deps,
        delivery["vendor_at"],
        delivery["local_at"],
        delivery["inside_local"],
        delivery["note"],
    ):
        lines.append(_paris_line(dep, at, local, note))
        detail = str(flags.loc[dep, "detail"]) or (
            "" if inside else f"{display.fmt_date(at, 'weekday_iso')}, {note}"
        )
        if detail:
            lines.append(f"    ! {_(SCHEDULE_YOURSELF)}: {detail}")
    return lines
