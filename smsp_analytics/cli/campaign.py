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
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from smsp_analytics.cli.options import (
    format_option,
    output_options,
    smsp_command,
    targeting_options,
)
from smsp_analytics.cli.registry import Lazy
from smsp_analytics.cli.windowtext import (
    next_heading,
    next_sends,
    vendor_lines,
    window_table,
    windows_export,
)
from smsp_analytics.vocab import PARIS

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
    from smsp_analytics.cli import support
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")
    support = Lazy("smsp_analytics.cli.support")

__all__ = ["campaign_command", "windows_command", "window_table", "windows_export", "vendor_lines"]


def _start_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from smsp_analytics.campaign.sendwindows import MAX_DATE, MIN_DATE

    if value is None:
        return None
    try:
        first = date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; allowed: YYYY-MM-DD such as 2026-04-03"
        ) from None
    if not MIN_DATE <= first <= MAX_DATE:
        raise click.BadParameter(
            f"{value!r} is outside the supported range; allowed: dates "
            f"from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
        )
    return first


_WINDOW_OPTIONS = [
    click.option(
        "--start",
        default=None,
        metavar="DATE",
        callback=_start_of,
        help="first day of the send windows, YYYY-MM-DD (default: today, Paris)",
    ),
    click.option(
        "--days",
        default=7,
        show_default=True,
        type=click.IntRange(1, 366),
        help="number of days of send windows",
    ),
    click.option(
        "--rule",
        type=click.Choice(["both", "vendor", "local"]),
        default="both",
        show_default=True,
        help="the windows shown: 'vendor' (what the platform does: 08:00-20:00 Paris "
        "time, national holidays), 'local' (the recipient's 08:00-20:00 and "
        "local holidays) or 'both' (allowed by both)",
    ),
]


def _window_options(f: Any) -> Any:
    for option in reversed(_WINDOW_OPTIONS):
        f = option(f)
    return f


def _today_paris() -> date:
    # The command line plans from the wall clock (the library never does).
    return datetime.now(PARIS).date()


@smsp_command("windows", "smsp windows --departments 75,57,974 --start 2026-03-30 --days 7")
@click.option(
    "--departments",
    required=True,
    metavar="CODES",
    help="comma-separated department codes, e.g. 75,57,974",
)
@_window_options
@format_option
def windows_command(departments: str, start: date | None, days: int, rule: str, fmt: str) -> int:
    """When commercial SMS may go out: the send window of each department and day.

    By default (--rule both) both the platform (08:00-20:00 Paris time, Monday to Saturday,
    not a national public holiday) and the recipient (08:00-20:00 local time, not a Sunday
    or a public holiday where they live: Alsace-Moselle and overseas departments have their
    own) must allow it. Closed days give their reason. Then, per department, when the
    vendor would deliver a message that is not scheduled, and a "!" line where the vendor
    would send outside 08:00-20:00 local time or on a local holiday: schedule these
    yourself. Needs no API key and no sandbox.
    """
    from smsp_analytics.campaign.sendwindows import send_windows

    first = start or _today_paris()
    # bad codes, or a period past the supported dates: ValueError -> exit 2
    windows = send_windows(departments, first, days, rule=rule)
    if fmt == "table":
        click.echo(window_table(windows))
        deps = list(dict.fromkeys(windows["department"].astype(str)))
        click.echo(next_heading(first) + "\n".join(next_sends(deps, first, rule)))
        click.echo("\n".join(vendor_lines(windows, first)))
    else:
        support.emit(windows_export(windows), fmt)
    return 0


def _cost_table(df: pd.DataFrame) -> str:
    a = df.attrs
    rows = [
        {
            "locality": display.department_label(loc),
            "contacts": display.fmt_int(v),
            "parts": str(p),
            "rental": display.fmt_eur(r),
            "sending": display.fmt_eur(s),
            "total": display.fmt_eur(t),
            "per contact": display.fmt_unit_price(c),
        }
        for loc, v, p, r, s, t, c in zip(
            df["locality"],
            df["volume"],
            df["parts"],
            df["rental_cost_eur"],
            df["sending_cost_eur"],
            df["total_cost_eur"],
            df["cost_per_contact_eur"],
        )
    ]
    rows.append(
        {
            "locality": "total",
            "contacts": display.fmt_int(a["total_contacts"]),
            "parts": str(a["parts"]),
            "rental": display.fmt_eur(a["total_rental_cost_eur"]),
            "sending": display.fmt_eur(a["total_sending_cost_eur"]),
            "total": display.fmt_eur(a["total_cost_eur"]),
            "per contact": display.fmt_unit_price(a["cost_per_contact_eur"]),
        }
    )
    return pd.DataFrame(rows).to_string(index=False)


def _message_lines(m: Any, price: float) -> list[str]:
    per = f"{m.per_part} per SMS" if m.parts == 1 else f"{m.per_part} per part"
    lines = [
        f"message: {m.encoding}, {m.length} positions, {m.parts} SMS ({per}; "
        f"{m.remaining} left in the last), {m.range} range, "
        f"{display.fmt_unit_price(price)} per SMS",
        f"STOP mention counted: {m.stop_mention!r}"
        if m.stop_mention
        else "STOP mention: none counted",
    ]
    if m.replaced:
        shown = ", ".join(f"{a!r} -> {b!r}" if b else f"{a!r} removed" for a, b in m.replaced)
        lines.append(f"replaced when sent (GSM-7, the vendor's table): {shown}")
    if m.unsupported:
        from smsp_analytics.campaign.messages import unicode_hint

        shown = ", ".join(f"{a!r} -> {b!r}" if b else f"{a!r} dropped" for a, b in m.unsupported)
        lines.append(
            f"not in GSM-7 nor in the vendor's table (the toolkit assumes): {shown}; "
            f"{unicode_hint(m, '--unicode')}"
        )
    return lines


def _departments_of(df: pd.DataFrame) -> list[str]:
    from smsp_analytics.refdata import department_codes

    known = set(department_codes())
    col = df["department"] if "department" in df.columns else df["locality"]
    return [
        d for d in dict.fromkeys(str(v) for v in col if not display.is_missing(v)) if d in known
    ]


@smsp_command(
    "campaign",
    'smsp campaign --message "Soldes d\'hiver : -20% ce samedi" '
    "--gender women --age 25-35 --interest 14 --departments 75,57,974",
)
@targeting_options
@click.option(
    "--message",
    required=True,
    metavar="TEXT",
    help="the SMS text (':br:' is a line break, counted as two characters)",
)
@click.option(
    "--unicode",
    is_flag=True,
    help="Unicode mode (the account's isUnicode=1): 70 per SMS, 67 per part",
)
@click.option(
    "--range",
    "range_",
    type=click.Choice(["premium", "lowcost"], case_sensitive=False),
    default="premium",
    show_default=True,
    help="the vendor's range (Low Cost: one SMS of 160 characters at most)",
)
@click.option(
    "--stop-mention",
    default=None,
    metavar="TEXT",
    help="the STOP mention counted in the length (default 'STOP au 36173'; "
    "'' for none, transactional messages)",
)
@click.option(
    "--price-per-sms",
    "price",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="EUR",
    help="your contract price per SMS in EUR (required on the real API; the sandbox uses 0.038)",
)
@_window_options
@output_options
def campaign_command(
    message: str,
    unicode: bool,
    range_: str,
    stop_mention: str | None,
    price: float | None,
    start: date | None,
    days: int,
    rule: str,
    fmt: str,
    xml: bool,
    **targeting: Any,
) -> int:
    """What a campaign costs in total: renting the contacts plus sending them the message.

    One row per locality: contacts, SMS parts, rental, sending (contacts x parts x price per
    SMS) and total cost, with the totals; then the message's encoding, length, parts and the
    characters replaced when sent; then the send windows of those departments, the next
    instant a message may go out, and when the vendor would deliver it unscheduled ("!":
    outside 08:00-20:00 local time or on a local holiday, schedule these yourself). The
    toolkit never sends an SMS.
    """
    from smsp_analytics.campaign.messages import campaign_cost, message_parts
    from smsp_analytics.campaign.sendwindows import check_start, send_windows

    # Bad input fails here, before any sandbox or call.
    m = message_parts(message, unicode=unicode, stop_mention=stop_mention, range=range_.lower())
    t = support.targeting_of(targeting)
    first = check_start(start or _today_paris(), days)  # before any call
    with support.cli_client(xml) as client:
        frame = client.calcul(t)
    df = campaign_cost(frame, m, price_per_sms=price)
    deps = _departments_of(df)
    windows = send_windows(deps or ["75"], first, days, rule=rule)
    screen = fmt == "table"
    say = click.echo if screen else (lambda text: click.echo(text, err=True))
    if screen:
        say(f"campaign: {display.describe_targeting(t)}")
        say(_cost_table(df))
    else:
        support.emit(df, fmt)
        say(f"targeting: {display.describe_targeting(t)}")
        say(
            f"total: {display.fmt_int(df.attrs['total_contacts'])} contacts, "
            f"{display.fmt_eur(df.attrs['total_cost_eur'])} (rental "
            f"{display.fmt_eur(df.attrs['total_rental_cost_eur'])}, sending "
            f"{display.fmt_eur(df.attrs['total_sending_cost_eur'])})"
        )
    for line in _message_lines(m, df.attrs["price_per_sms"]):
        say(line)
    scope = "" if deps else " (all France: the metropolitan window)"
    rule_text = "" if rule == "both" else f" ({rule} rule)"
    say(f"send windows{rule_text} from {first.isoformat()}{scope}:")
    say(window_table(windows))
    say(next_heading(first) + "\n".join(next_sends(deps or ["75"], first, rule)))
    say("\n".join(vendor_lines(windows, first)))
    say(display.source_line(df))
    sys.stdout.flush()
    return 0
