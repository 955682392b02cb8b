"""The account's own data, read-only (issue 19): ``smsp stop-list``, ``smsp check-numbers FILE``
and ``smsp sending-costs``. None of them writes to the account: the STOP list is only read
(never added to nor removed from), the number check is the vendor's free format check (no
HLR verification, which is paid), and the sending statistics are only read.

>>> import click
>>> isinstance(stop_list_command, click.Command), sending_costs_command.name
(True, 'sending-costs')
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from smsp_analytics.cli.options import output_options, smsp_command
from smsp_analytics.cli.registry import Lazy
from smsp_analytics.i18n import _, ngettext

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
    from smsp_analytics.cli import support
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")
    support = Lazy("smsp_analytics.cli.support")

__all__ = ["stop_list_command", "check_numbers_command", "sending_costs_command", "INTERVALS"]

#: ``--interval``: the vendor's names of the periods ``custom`` (with ``--from`` and ``--to``).
INTERVALS = ("last_twelve_months", "last_month", "custom")


def _words(flag: Any) -> str:
    return _("yes") if bool(flag) else _("no")


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            _("{value} is not a date; allowed: YYYY-MM-DD such as 2026-04-03").format(
                value=repr(value)
            )
        ) from None


@smsp_command("stop-list", "smsp stop-list\nsmsp stop-list --format csv > stop.csv", client=True)
@output_options
def stop_list_command(fmt: str, xml: bool) -> int:
    """The account's STOP list: the numbers that answered STOP, and when (read only).

    `smsp campaign --numbers FILE` removes them from a campaign's numbers.
    """
    with support.cli_client(xml) as client:
        df = client.stop_list()
    if fmt == "table":
        shown = pd.DataFrame(
            {
                "phone_number": df["phone_number"].astype(str),
                "stopped_at (UTC)": [display.fmt_datetime(v, "iso") for v in df["stopped_at"]],
                "id": df["id"],
            }
        )
        support.emit(shown, fmt)
    else:
        support.emit(df, fmt)
    count = display.fmt_int(len(df))
    click.echo(
        ngettext(
            "{count} number in the account's STOP list",
            "{count} numbers in the account's STOP list",
            len(df),
        ).format(count=count),
        err=True,
    )
    click.echo(display.source_line(df), err=True)
    return 0


@smsp_command(
    "check-numbers",
    "smsp check-numbers numbers.csv\nsmsp check-numbers numbers.csv --format csv > checked.csv",
    client=True,
)
@click.argument("file", metavar="FILE")
@click.option(
    "--region",
    default="FR",
    show_default=True,
    metavar="CC",
    help="country of numbers written without +prefix (ISO code)",
)
@click.option("--no-progress", "no_progress", is_flag=True, help="no progress bar")
@output_options
def check_numbers_command(file: str, region: str, no_progress: bool, fmt: str, xml: bool) -> int:
    """Check the numbers of a CSV file with the vendor's free format check: valid or not,
    mobile or fixed line, country (read only; no HLR verification).

    FILE: a CSV file with a phone_number column (else its first column), such as a rental's
    download. Up to 500 numbers per request, within the vendor's 360 requests a minute.
    """
    from smsp_analytics.cli.campaigntext import numbers_file

    numbers = numbers_file(file, "'FILE'")  # a missing or unreadable file: exit 2, no call
    with support.cli_client(xml) as client:
        df = client.check_numbers(numbers, region=region, progress=False if no_progress else None)
    if fmt == "table":
        shown = pd.DataFrame(
            {
                "request": df["request"].astype(str),
                "valid": [_words(v) for v in df["valid"]],
                "phone_number": [support.cell_text(v) for v in df["phone_number"]],
                "type": [support.cell_text(v) for v in df["type"]],
                "country": [support.cell_text(v) for v in df["country"]],
                "valid_mobile": [_words(v) for v in df["valid_mobile"]],
            }
        )
        support.emit(shown, fmt)
    else:
        support.emit(df, fmt)
    a = df.attrs
    invalid = _("invalid")  # the vendor's types (Mobile, Landline...) stay its words
    types = ", ".join(
        f"{invalid if kind == 'invalid' else kind} {display.fmt_int(n)}"
        for kind, n in sorted((a.get("types") or {}).items(), key=lambda kv: -kv[1])
    )
    click.echo(
        ngettext(
            "{count} numbers checked in {requests} request: {mobiles} valid mobiles ({types})",
            "{count} numbers checked in {requests} requests: {mobiles} valid mobiles ({types})",
            int(a.get("requests", 0)),
        ).format(
            count=display.fmt_int(len(df)),
            requests=display.fmt_int(a.get("requests", 0)),
            mobiles=display.fmt_int(int(df["valid_mobile"].fillna(False).sum())),
            types=types or display.no_data(),
        ),
        err=True,
    )
    click.echo(display.source_line(df), err=True)
    return 0


@smsp_command(
    "sending-costs",
    "smsp sending-costs\nsmsp sending-costs --interval custom --from 2026-01-01 --to 2026-06-30",
    client=True,
)
@click.option(
    "--interval",
    type=click.Choice(INTERVALS, case_sensitive=False),
    default="last_twelve_months",
    show_default=True,
    help="the period: the last twelve months, the last month, or custom (--from and --to)",
)
@click.option(
    "--from",
    "start",
    default=None,
    metavar="DATE",
    callback=_day,
    help="with --interval custom: first day, YYYY-MM-DD",
)
@click.option(
    "--to",
    "end",
    default=None,
    metavar="DATE",
    callback=_day,
    help="with --interval custom: last day, YYYY-MM-DD",
)
@output_options
def sending_costs_command(
    interval: str, start: date | None, end: date | None, fmt: str, xml: bool
) -> int:
    """What sending SMS really cost the account, month by month: SMS sent, cost and cost
    per SMS (read only). `smsp campaign --price account` prices a campaign at the average
    of the last twelve months.
    """
    interval = interval.lower()
    if interval == "custom" and (start is None or end is None):
        raise click.UsageError(_("--interval custom needs --from and --to (YYYY-MM-DD)"))
    if interval != "custom" and (start is not None or end is not None):
        raise click.UsageError(_("--from and --to go with --interval custom"))
    if start is not None and end is not None and start > end:
        raise click.BadParameter(
            _("{first} is after --to {last}").format(first=start, last=end), param_hint="'--from'"
        )
    asked: Any = (start, end) if interval == "custom" else interval
    with support.cli_client(xml) as client:
        df = client.sending_costs(asked)
    if fmt == "table":
        shown = pd.DataFrame(
            {
                "month": [display.fmt_date(v, "month") for v in df["month"]],
                "sms_sent": [display.fmt_int(v) for v in df["sms_sent"]],
                "cost_eur": [display.fmt_eur(v) for v in df["cost_eur"]],
                "cost_per_sms_eur": [display.fmt_unit_price(v) for v in df["cost_per_sms_eur"]],
            }
        )
        support.emit(shown, fmt)
    else:
        support.emit(df, fmt)
    a = df.attrs
    if a.get("total_sms"):
        click.echo(
            _("total: {sms} SMS, {cost}; {price} per SMS on average").format(
                sms=display.fmt_int(a["total_sms"]),
                cost=display.fmt_eur(a["total_cost_eur"]),
                price=display.fmt_unit_price(a["cost_per_sms_eur"]),
            ),
            err=True,
        )
    else:
        click.echo(_("no SMS sent in this period"), err=True)
    click.echo(display.source_line(df), err=True)
    return 0
