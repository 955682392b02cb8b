"""``smsp campaign`` and ``smsp windows``: what a whole campaign costs (rental plus sending),
and when its messages may legally go out.

>>> import click
>>> isinstance(campaign_command, click.Command), windows_command.name
(True, 'windows')
>>> from smsp_analytics import send_windows
>>> window_table(send_windows("57", "2026-04-03", 1)).splitlines()[1].split()
['57', 'Moselle', '2026-04-03', 'Fri', 'closed', 'Good', 'Friday']
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import click
import pandas as pd

from .cli_options import format_option, output_options, smsp_command, targeting_options
from .cli_support import cli_client, emit, targeting_of
from .display import (department_label, describe_targeting, fmt_eur, fmt_int,
                      fmt_unit_price, is_missing, source_line)

__all__ = ["campaign_command", "windows_command", "window_table", "windows_export"]

_PARIS = ZoneInfo("Europe/Paris")

def _start_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; allowed: YYYY-MM-DD such as "
                                 "2026-04-03") from None


_WINDOW_OPTIONS = [
    click.option("--start", default=None, metavar="DATE", callback=_start_of,
                 help="first day of the send windows, YYYY-MM-DD (default: today, Paris)"),
    click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366),
                 help="number of days of send windows"),
]


def _window_options(f: Any) -> Any:
    for option in reversed(_WINDOW_OPTIONS):
        f = option(f)
    return f


def _today_paris() -> date:
    # The command line plans from the wall clock (the library never does).
    return datetime.now(_PARIS).date()


def _hhmm(a: Any, b: Any) -> str:
    return "" if is_missing(a) else f"{a:%H:%M}-{b:%H:%M}"


def window_table(windows: pd.DataFrame) -> str:
    """A ``send_windows`` frame as a screen table: department with its name, the day, the
    window in Paris time and in local time (with the zone), and why a day is closed."""
    shown = pd.DataFrame({
        "department": [department_label(d) for d in windows["department"]],
        "date": [d.isoformat() for d in windows["date"]],
        "day": [f"{d:%a}" for d in windows["date"]],
        "open": ["open" if o else "closed" for o in windows["open"]],
        "paris": [_hhmm(a, b) for a, b in zip(windows["paris_start"], windows["paris_end"])],
        "local": [_hhmm(a, b) for a, b in zip(windows["local_start"], windows["local_end"])],
        "time zone": ["" if is_missing(a) else str(a.tzinfo) for a in windows["local_start"]],
        "reason": ["" if is_missing(r) else str(r) for r in windows["reason"]],
    })
    return shown.to_string(index=False)


def windows_export(windows: pd.DataFrame) -> pd.DataFrame:
    """A ``send_windows`` frame for CSV/JSON: times as ISO text with their offsets (the local
    zones differ row to row), dates as ISO dates, the department's name beside its code."""
    out = pd.DataFrame({
        "department": windows["department"].astype(str),
        "department_name": [department_label(d).partition(" ")[2] for d in
                            windows["department"]],
        "date": [d.isoformat() for d in windows["date"]],
        "open": windows["open"].astype(bool),
        **{c: ["" if is_missing(v) else v.isoformat() for v in windows[c]]
           for c in ("local_start", "local_end", "paris_start", "paris_end")},
        "reason": ["" if is_missing(r) else str(r) for r in windows["reason"]],
    })
    # Calendars, not audience data: the provenance says where the rules come from.
    out.attrs = {"synthetic": False, "source": "vendor sending rules and the holidays "
                 "package", "fetched_at": None}
    return out


def _next_heading(start: date) -> str:
    """"next send" from today; from another date (a plan, or a past week looked at again)
    the first send time of that day, so that a past instant is never called "next"."""
    today = datetime.now(_PARIS).date()
    return "next send:\n" if start == today else f"next send from {start:%a %Y-%m-%d}:\n"


def _next_sends(departments: list[str], start: date) -> list[str]:
    """One line per department: the next instant a message may go out from ``start`` (now,
    when ``start`` is today)."""
    from .sendwindows import TIME_ZONES, next_send_time

    now = datetime.now(_PARIS)
    after = now if start == now.date() else datetime.combine(start, time(0), tzinfo=_PARIS)
    lines = []
    for dep in departments:
        at = next_send_time(dep, after)
        local = at.astimezone(ZoneInfo(TIME_ZONES.get(dep, "Europe/Paris")))
        local_text = "" if local.utcoffset() == at.utcoffset() else \
            f" ({local:%H:%M} local time, {local.tzinfo})"
        lines.append(f"  {department_label(dep)}: {at:%a %Y-%m-%d %H:%M} Paris time{local_text}")
    return lines


@smsp_command("windows", "smsp windows --departments 75,57,974 --start 2026-03-30 --days 7")
@click.option("--departments", required=True, metavar="CODES",
              help="comma-separated department codes, e.g. 75,57,974")
@_window_options
@format_option
def windows_command(departments: str, start: date | None, days: int, fmt: str) -> int:
    """When commercial SMS may go out: the send window of each department and day.

    Both the platform (08:00-20:00 Paris time, Monday to Saturday, not a public holiday) and
    the recipient (08:00-20:00 local time, not a Sunday or a public holiday where they live:
    Alsace-Moselle and overseas departments have their own) must allow it. Closed days give
    their reason. Needs no API key and no sandbox.
    """
    from .sendwindows import send_windows

    first = start or _today_paris()
    windows = send_windows(departments, first, days)  # bad codes: ValueError -> exit 2
    if fmt == "table":
        click.echo(window_table(windows))
        deps = list(dict.fromkeys(windows["department"].astype(str)))
        click.echo(_next_heading(first) + "\n".join(_next_sends(deps, first)))
    else:
        emit(windows_export(windows), fmt)
    return 0


def _cost_table(df: pd.DataFrame) -> str:
    a = df.attrs
    rows = [{"locality": department_label(loc), "contacts": fmt_int(v), "parts": str(p),
             "rental": fmt_eur(r), "sending": fmt_eur(s), "total": fmt_eur(t),
             "per contact": fmt_unit_price(c)}
            for loc, v, p, r, s, t, c in zip(df["locality"], df["volume"], df["parts"],
                                             df["rental_cost_eur"], df["sending_cost_eur"],
                                             df["total_cost_eur"], df["cost_per_contact_eur"])]
    rows.append({"locality": "total", "contacts": fmt_int(a["total_contacts"]),
                 "parts": str(a["parts"]), "rental": fmt_eur(a["total_rental_cost_eur"]),
                 "sending": fmt_eur(a["total_sending_cost_eur"]),
                 "total": fmt_eur(a["total_cost_eur"]),
                 "per contact": fmt_unit_price(a["cost_per_contact_eur"])})
    return pd.DataFrame(rows).to_string(index=False)


def _message_lines(m: Any, price: float) -> list[str]:
    per = f"{m.per_part} per SMS" if m.parts == 1 else f"{m.per_part} per part"
    lines = [f"message: {m.encoding}, {m.length} positions, {m.parts} SMS ({per}; "
             f"{m.remaining} left in the last), {m.range} range, "
             f"{fmt_unit_price(price)} per SMS",
             f"STOP mention counted: {m.stop_mention!r}" if m.stop_mention
             else "STOP mention: none counted"]
    if m.replaced:
        shown = ", ".join(f"{a!r} -> {b!r}" if b else f"{a!r} dropped" for a, b in m.replaced)
        lines.append(f"replaced when sent (GSM-7): {shown}")
    return lines


def _departments_of(df: pd.DataFrame) -> list[str]:
    from .refdata import department_codes

    known = set(department_codes())
    col = df["department"] if "department" in df.columns else df["locality"]
    return [d for d in dict.fromkeys(str(v) for v in col if not is_missing(v)) if d in known]


@smsp_command("campaign", "smsp campaign --message \"Soldes d'hiver : -20% ce samedi\" "
                          "--gender women --age 25-35 --interest 14 --departments 75,57,974")
@targeting_options
@click.option("--message", required=True, metavar="TEXT",
              help="the SMS text (':br:' is a line break, counted as two characters)")
@click.option("--unicode", is_flag=True,
              help="Unicode mode (the account's isUnicode=1): 70 per SMS, 67 per part")
@click.option("--range", "range_", type=click.Choice(["premium", "lowcost"],
                                                     case_sensitive=False),
              default="premium", show_default=True,
              help="the vendor's range (Low Cost: one SMS of 160 characters at most)")
@click.option("--stop-mention", default=None, metavar="TEXT",
              help="the STOP mention counted in the length (default 'STOP au 36173'; "
                   "'' for none, transactional messages)")
@click.option("--price-per-sms", "price", type=click.FloatRange(min=0, min_open=True),
              default=None, metavar="EUR",
              help="your contract price per SMS in EUR (required on the real API; the "
                   "sandbox uses 0.038)")
@_window_options
@output_options
def campaign_command(message: str, unicode: bool, range_: str, stop_mention: str | None,
                     price: float | None, start: date | None, days: int, fmt: str,
                     xml: bool, **targeting: Any) -> int:
    """What a campaign costs in total: renting the contacts plus sending them the message.

    One row per locality: contacts, SMS parts, rental, sending (contacts x parts x price per
    SMS) and total cost, with the totals; then the message's encoding, length, parts and the
    characters replaced when sent; then the send windows of those departments and the next
    instant a message may go out. The toolkit never sends an SMS.
    """
    from .campaign import campaign_cost, message_parts
    from .sendwindows import send_windows

    # Bad input fails here, before any sandbox or call.
    m = message_parts(message, unicode=unicode, stop_mention=stop_mention, range=range_.lower())
    t = targeting_of(targeting)
    first = start or _today_paris()
    with cli_client(xml) as client:
        frame = client.calcul(t)
    df = campaign_cost(frame, m, price_per_sms=price)
    deps = _departments_of(df)
    windows = send_windows(deps or ["75"], first, days)
    screen = fmt == "table"
    say = click.echo if screen else (lambda text: click.echo(text, err=True))
    if screen:
        say(f"campaign: {describe_targeting(t)}")
        say(_cost_table(df))
    else:
        emit(df, fmt)
        say(f"targeting: {describe_targeting(t)}")
        say(f"total: {fmt_int(df.attrs['total_contacts'])} contacts, "
            f"{fmt_eur(df.attrs['total_cost_eur'])} (rental "
            f"{fmt_eur(df.attrs['total_rental_cost_eur'])}, sending "
            f"{fmt_eur(df.attrs['total_sending_cost_eur'])})")
    for line in _message_lines(m, df.attrs["price_per_sms"]):
        say(line)
    scope = "" if deps else " (all France: the metropolitan window)"
    say(f"send windows from {first.isoformat()}{scope}:")
    say(window_table(windows))
    say(_next_heading(first) + "\n".join(_next_sends(deps or ["75"], first)))
    say(source_line(df))
    sys.stdout.flush()
    return 0
