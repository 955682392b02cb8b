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
from smsp_analytics.i18n import _
from smsp_analytics.vocab import PARIS

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
    from smsp_analytics.cli import campaigntext, support
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")
    support = Lazy("smsp_analytics.cli.support")
    campaigntext = Lazy("smsp_analytics.cli.campaigntext")

__all__ = ["campaign_command", "windows_command", "window_table", "windows_export", "vendor_lines"]


def _start_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from smsp_analytics.campaign.sendwindows import MAX_DATE, MIN_DATE

    if value is None:
        return None
    try:
        first = date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            _("{value} is not a date; allowed: YYYY-MM-DD such as 2026-04-03").format(
                value=repr(value)
            )
        ) from None
    if not MIN_DATE <= first <= MAX_DATE:
        raise click.BadParameter(
            _(
                "{value} is outside the supported range; allowed: dates from {first} to {last}"
            ).format(value=repr(value), first=MIN_DATE.isoformat(), last=MAX_DATE.isoformat())
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


def _price(ctx: click.Context, param: click.Parameter, value: str | None) -> float | str | None:
    """``--price-per-sms``: EUR > 0, or ``account``."""
    if value is None:
        return None
    if value.strip().lower() == "account":
        return "account"
    try:
        price = float(value)
    except ValueError:
        price = float("nan")
    if not price > 0 or price == float("inf"):
        raise click.BadParameter(
            _(
                "{value} is not allowed; allowed: a price per SMS in EUR > 0, such as 0.038, "
                "or account"
            ).format(value=repr(value))
        )
    return price


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


@smsp_command(
    "campaign",
    'smsp campaign --message "Soldes d\'hiver : -20% ce samedi" '
    "--gender women --age 25-35 --interest 14 --departments 75,57,974",
    client=True,
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
    "--price",
    "price_per_sms",
    default=None,
    metavar="EUR|account",
    callback=_price,
    help="your contract price per SMS in EUR, or 'account': the account's average cost per "
    "SMS over the last twelve months (`smsp sending-costs`); required on the real API, the "
    "sandbox uses 0.038",
)
@click.option(
    "--numbers",
    "numbers_file",
    default=None,
    metavar="FILE",
    help="the campaign's numbers (a CSV, such as a rental's download): how many remain "
    "after the account's STOP list and the number check (read only)",
)
@_window_options
@output_options
def campaign_command(
    message: str,
    unicode: bool,
    range_: str,
    stop_mention: str | None,
    price_per_sms: float | str | None,
    numbers_file: str | None,
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
    characters replaced when sent, and the price per SMS with its basis; with --numbers,
    how many of those numbers remain after the account's STOP list and the number check;
    then the send windows of those departments, the next instant a message may go out, and
    when the vendor would deliver it unscheduled ("!": outside 08:00-20:00 local time or on
    a local holiday, schedule these yourself). The toolkit never sends an SMS.
    """
    from smsp_analytics.campaign.messages import campaign_cost, message_parts
    from smsp_analytics.campaign.sendwindows import check_start, send_windows

    # Bad input fails here, before any sandbox or call.
    m = message_parts(message, unicode=unicode, stop_mention=stop_mention, range=range_.lower())
    t = support.targeting_of(targeting)
    first = check_start(start or _today_paris(), days)  # before any call
    numbers = campaigntext.numbers_of(numbers_file)  # a missing file: exit 2, before any call
    with support.cli_client(xml) as client:
        frame = client.calcul(t)
        df = campaign_cost(frame, m, price_per_sms=price_per_sms, client=client)
        funnel = campaigntext.cleaned(numbers, client)
    deps = campaigntext.departments_of(df)
    windows = send_windows(deps or ["75"], first, days, rule=rule)
    screen = fmt == "table"
    say = click.echo if screen else (lambda text: click.echo(text, err=True))
    described = display.describe_targeting(t)
    if screen:
        say(_("campaign: {targeting}").format(targeting=described))
        say(campaigntext.cost_table(df))
    else:
        support.emit(df, fmt)
        say(_("targeting: {targeting}").format(targeting=described))
        say(
            _("total: {count} contacts, {cost} (rental {rental}, sending {sending})").format(
                count=display.fmt_int(df.attrs["total_contacts"]),
                cost=display.fmt_eur(df.attrs["total_cost_eur"]),
                rental=display.fmt_eur(df.attrs["total_rental_cost_eur"]),
                sending=display.fmt_eur(df.attrs["total_sending_cost_eur"]),
            )
        )
    for line in campaigntext.message_lines(m, df.attrs["price_per_sms"]):
        say(line)
    say(campaigntext.price_line(df))
    if funnel is not None:
        for line in campaigntext.funnel_lines(funnel, numbers_file or "", m, df):
            say(line)
    scope = "" if deps else " " + _("(all France: the metropolitan window)")
    rule_text = "" if rule == "both" else " " + _("({rule} rule)").format(rule=rule)
    say(
        _("send windows{rule} from {day}{scope}:").format(
            rule=rule_text, day=display.fmt_date(first, "iso"), scope=scope
        )
    )
    say(window_table(windows))
    say(next_heading(first) + "\n".join(next_sends(deps or ["75"], first, rule)))
    say("\n".join(vendor_lines(windows, first)))
    say(display.source_line(df))
    sys.stdout.flush()
    return 0
