"""The client's ``smsp`` commands (click): calcul, price, rent, status, download, credits,
categories, sweep. Run through :func:`smsp_analytics.cli.main.main`, which maps errors to exit
codes: 0 success, 1 API or network error (or rent declined), 2 bad input (one line on
stderr naming the field).

>>> main(["calcul", "--gender", "x", "--interest", "14"])  # one line on stderr names the field
2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from smsp_analytics.cli.options import output_options, smsp_command, targeting_options
from smsp_analytics.i18n import _, ngettext

__all__ = ["main"]

_VOLUMES = click.option(
    "--volumes",
    default=None,
    metavar="LOC=N,...",
    help="desired volume per locality, e.g. 60=100,02=50 (default: all available)",
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsp <command> ...`` for one of these commands; returns the exit code."""
    from smsp_analytics.cli.main import main as cli_main

    return cli_main(argv)


@smsp_command(
    "calcul",
    "smsp calcul --gender women --age 25-35 --interest 14 --departments 60,02",
    client=True,
)
@targeting_options
@output_options
def calcul_command(fmt: str, xml: bool, **targeting: Any) -> int:
    """Count and cost of the contacts matching a targeting, one row per locality.

    Totals and the targeting (gender in words) are printed on stderr.
    """
    from smsp_analytics.cli.support import cli_client, emit, show_context, targeting_of

    t = targeting_of(targeting)  # bad input fails here, before any sandbox or call
    with cli_client(xml) as client:
        df = client.calcul(t)
    emit(df, fmt)
    show_context(df, totals=True)
    return 0


@smsp_command(
    "price",
    "smsp price --gender women --age 25-35 --interest 14 "
    "--departments 60,02 --volumes 60=500,02=300",
    client=True,
)
@targeting_options
@_VOLUMES
@output_options
def price_command(fmt: str, xml: bool, volumes: str | None, **targeting: Any) -> int:
    """Cost of given volumes per locality (nothing is rented)."""
    from smsp_analytics.cli.support import cli_client, emit, show_context, targeting_of, volumes_of

    t = targeting_of(targeting)
    vols = volumes_of(volumes)
    with cli_client(xml) as client:
        # `--volumes all` prices every available contact, as no --volumes does.
        df = client.price(t, None if vols == "all" else vols)
    emit(df, fmt)
    show_context(df, totals=True)
    return 0


@smsp_command(
    "rent",
    "smsp rent --gender women --age 25-35 --interest 14 --departments 60 "
    "--volumes 60=100 --max-cost 10",
    client=True,
)
@targeting_options
@click.option(
    "--volumes",
    default=None,
    metavar="LOC=N,...|all",
    help="contacts to rent per locality, e.g. 60=100,02=50; 'all' rents every "
    "available contact (required)",
)
@click.option("--yes", "confirm", is_flag=True, help="consent without asking (for scripts)")
@click.option(
    "--max-cost",
    "max_cost_eur",
    type=float,
    default=None,
    metavar="EUR",
    help="refuse if the quote exceeds this many euros",
)
@click.option(
    "--again",
    is_flag=True,
    help="allow renting the same targeting and volumes twice within 24 hours",
)
@output_options
def rent_command(
    fmt: str,
    xml: bool,
    volumes: str | None,
    confirm: bool,
    max_cost_eur: float | None,
    again: bool,
    **targeting: Any,
) -> int:
    """Rent contacts: CHARGES THE ACCOUNT.

    Shows the quote and asks you to type its amount (or 'yes') before renting; --yes
    consents in scripts. Never retried; the journal refuses the same rental twice within
    24 hours unless --again.
    """
    from smsp_analytics.cli.consent import confirm_rent
    from smsp_analytics.cli.support import cli_client, emit, show_context, targeting_of, volumes_of
    from smsp_analytics.display import fmt_eur

    t = targeting_of(targeting)
    if not volumes:  # renting everything must be asked for, never a default
        raise click.BadParameter(
            _(
                "required; allowed: LOCALITY=N pairs such as 60=100,02=50, "
                "or all (every available contact)"
            ),
            param_hint="'--volumes'",
        )
    vols = volumes_of(volumes)
    with cli_client(xml) as client:
        client.check_rent(t, vols, again=again)  # refuse before asking consent
        quote = client.quote(t, vols)
        if not confirm and not confirm_rent(quote, t):
            click.echo(_("smsp rent: not confirmed; nothing rented"), err=True)
            return 1
        rental = client.rent(t, vols, confirm=True, max_cost_eur=max_cost_eur, again=again)
        click.echo(
            _("rented: token {token}, {cost} (journal entry {entry})").format(
                token=rental.token, cost=fmt_eur(rental.cost_eur), entry=rental.entry_id
            ),
            err=True,
        )
        df = rental.frame.assign(token=rental.token)
    emit(df, fmt)
    show_context(df, totals=False)
    return 0


@smsp_command("status", "smsp status 0123456789abcdef0123456789abcdef --format json", client=True)
@click.argument("token")
@output_options
def status_command(token: str, fmt: str, xml: bool) -> int:
    """State of a rental (0 pending to 2 ready, 5 downloaded) and what it targeted."""
    from smsp_analytics.cli.support import cli_client, emit, show_context

    with cli_client(xml) as client:
        df = client.status(token)
    emit(df, fmt)
    show_context(df, totals=False)
    return 0


@smsp_command(
    "download", "smsp download 0123456789abcdef0123456789abcdef --out numbers.csv", client=True
)
@click.argument("token")
@click.option(
    "--out",
    default=None,
    metavar="FILE",
    help="where to write the numbers (atomically; default: rental-TOKEN.csv here); "
    "'-' prints them instead, in --format",
)
@output_options
def download_command(token: str, out: str | None, fmt: str, xml: bool) -> int:
    """Download a rental's phone numbers to a file.

    The vendor allows ONE download per rental: the raw file is also kept in the rentals
    folder (its path is printed), and a later download of the same token reads that copy.
    """
    from smsp_analytics.cli.support import cli_client, emit

    to_screen = out == "-"
    dest = None if to_screen else (out or f"rental-{token.strip()}.csv")
    with cli_client(xml) as client:
        df = client.download(token, dest)
    kept = df.attrs.get("kept_path")
    if to_screen:
        emit(df, fmt)
    else:
        from smsp_analytics.display import fmt_int

        if kept:
            line = _("wrote {count} numbers to {path} (the vendor's file is kept in {kept})")
        else:
            line = _("wrote {count} numbers to {path}")
        click.echo(line.format(count=fmt_int(len(df)), path=dest, kept=kept), err=True)
    return 0


@smsp_command("credits", "smsp credits --format json", client=True)
@output_options
def credits_command(fmt: str, xml: bool) -> int:
    """Account balance (euros) and credits."""
    from smsp_analytics.cli.support import cli_client, emit

    with cli_client(xml) as client:
        df = client.credits().to_frame()
    emit(df, fmt)
    return 0


@smsp_command("categories", "smsp categories --format csv | head", client=True)
@output_options
def categories_command(fmt: str, xml: bool) -> int:
    """Interests and their sub-interests, with the ids --interest and --sub-interest take."""
    from smsp_analytics.cli.support import cli_client, emit

    with cli_client(xml) as client:
        df = client.categories()
    emit(df, fmt)
    return 0


@smsp_command(
    "sweep",
    "smsp sweep --gender women --interest 14 --by age=18-24,25-34 "
    "--by gender=women,men --geo departments --out sweep.csv",
    client=True,
)
@targeting_options
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="FIELD=V1,V2",
    help="values to compare (repeatable): gender=women,men | age=18-24,25-34 | "
    "interest=10,14 | sub_interest=35,36 | category=102,103",
)
@click.option(
    "--geo",
    type=click.Choice(["departments", "zipcodes", "none"]),
    default="departments",
    show_default=True,
    help="one row per ...",
)
@click.option(
    "--out",
    default=None,
    metavar="FILE",
    help="write the frame here: .csv, .json or .parquet (with the synthetic mark "
    "or the source and fetch time)",
)
@click.option(
    "--workers",
    "max_workers",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="concurrent calls",
)
@click.option("--no-progress", "no_progress", is_flag=True, help="no progress bar")
@output_options
def sweep_command(
    by: tuple[str, ...],
    geo: str,
    out: str | None,
    max_workers: int,
    no_progress: bool,
    fmt: str,
    xml: bool,
    **targeting: Any,
) -> int:
    """Count every combination of the --by values per locality, in one tidy frame.

    Combinations that fail are reported on stderr (exit 1); the others are still written.
    """
    from smsp_analytics.analysis.sweeps import sweep
    from smsp_analytics.cli.options import csv_dialect
    from smsp_analytics.cli.support import (
        by_values,
        cli_client,
        emit,
        out_path,
        show_context,
        spelled,
        targeting_of,
    )
    from smsp_analytics.display import fmt_int
    from smsp_analytics.exports import write_frame

    t = targeting_of(targeting)
    values = by_values(by, t)  # checked before any sandbox or call
    dest = out_path(out)
    with cli_client(xml) as client:
        df = sweep(
            t,
            values,
            geo=None if geo == "none" else geo,
            client=client,
            max_workers=max_workers,
            progress=not no_progress,
            errors="keep",
        )
    failures = df.attrs.get("failures") or []
    if dest is not None:
        write_frame(spelled(df), dest, dialect=csv_dialect())
        click.echo(
            ngettext("wrote {count} row to {path}", "wrote {count} rows to {path}", len(df)).format(
                count=fmt_int(len(df)), path=dest
            ),
            err=True,
        )
    else:
        emit(df, fmt)
    show_context(df, totals=False)
    for failure in failures:
        combo = ", ".join(f"{k}={v}" for k, v in failure.items() if k != "error")
        # The frame keeps each failure's text (the library's words), not the error.
        click.echo(
            _("smsp sweep: failed: {combination}: {error}").format(
                combination=combo or _("(base targeting)"), error=failure["error"]
            ),
            err=True,
        )
    if failures:
        n = len(failures)
        if dest:
            line = ngettext(
                "smsp sweep: {count} combination failed; the others were written to {path}",
                "smsp sweep: {count} combinations failed; the others were written to {path}",
                n,
            )
        else:
            line = ngettext(
                "smsp sweep: {count} combination failed",
                "smsp sweep: {count} combinations failed",
                n,
            )
        click.echo(line.format(count=fmt_int(n), path=dest), err=True)
        return 1
    return 0
