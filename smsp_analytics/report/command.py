"""``smsp report``: the cost comparison report's command, one click command declared here.

``smsp`` registers :data:`report_command` as it is (as it does the sandbox's own command) and
``python -m smsp_analytics.report`` runs it through :func:`main`: its options exist once.
Bad input (an option's value, an invalid scenarios file, an interest the catalogue does not
know) exits with status 2 before any call, and nothing is written. Each check belongs to an
option, so click names that option's flag; the text is the error's own reason, taken from
its fields (never cut out of a message). Only click is imported at the top: ``smsp --help``
loads neither pandas nor plotly.

>>> main(["--budget", "0"])
2
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NamedTuple

import click

from smsp_analytics.errors import TargetingError

__all__ = ["report_command", "main"]

_EXAMPLE = (
    "smsp report --scenarios examples/scenarios.toml --budget 2000 --out report.html "
    "--xlsx report.xlsx"
)

# The report's defaults (smsp_analytics.report.model.DEFAULT_SEED and .scenarios.
# DEFAULT_BUDGET_EUR), written out so that `smsp --help` need not import pandas; a test
# holds them equal.
_SEED, _BUDGET = 0, 5000.0


class _File(NamedTuple):
    """A scenarios file once read and checked: its path, title, scenarios and settings."""

    path: str
    title: str | None
    scenarios: list[Any]
    settings: dict[str, Any]


def _scenarios(ctx: click.Context, param: click.Parameter, path: str | None) -> _File | None:
    """``--scenarios``: the file read and checked now, before any call."""
    if path is None:
        return None
    from smsp_analytics.report.scenario_file import ScenarioFileError, load_scenario_file

    try:
        return _File(path, *load_scenario_file(path))
    except ScenarioFileError as exc:  # worded with the file, scenario, field and value
        raise click.BadParameter(str(exc), ctx, param) from None


def _positive(what: str) -> Any:
    def check(ctx: click.Context, param: click.Parameter, value: float | None) -> Any:
        if value is not None and not (math.isfinite(value) and value > 0):
            raise click.BadParameter(f"{value:g}; allowed: {what}", ctx, param)
        return value

    return check


def _message(ctx: click.Context, param: click.Parameter, text: str | None) -> str | None:
    """``--message``: its length and characters checked now (vendor errors 42 and 52)."""
    if text is None:
        return None
    from smsp_analytics.report.campaign import check_message

    try:
        check_message(text, unicode=False, range="premium")
    except TargetingError as exc:
        raise click.BadParameter(exc.reason, ctx, param) from None
    return text


def _refused(exc: TargetingError, file: _File | None) -> BaseException:
    """What ``report_command`` raises for an error of the report's build: named by the
    command's own option of the error's field, else by ``--scenarios`` (an interest of the
    file that the catalogue does not know), else the error as it is."""
    ctx = click.get_current_context()
    own = {p.name: p for p in ctx.command.params}
    if exc.field in own and exc.label:
        return click.BadParameter(exc.reason, ctx, own[exc.field])
    if file is not None:
        return click.BadParameter(f"{file.path}: {exc.text()}", ctx, own["scenarios"])
    return exc


@click.command(
    "report",
    epilog="\b\nExample:\n" + "\n".join(f"  {line}" for line in _EXAMPLE.splitlines()),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--scenarios",
    metavar="FILE.toml",
    default=None,
    callback=_scenarios,
    help="your scenarios (TOML: a title, optionally a message and a price_per_sms, "
    "then [[scenario]] tables with a name and targeting fields; see "
    "examples/scenarios.toml); default: four demo scenarios in "
    "Hauts-de-France",
)
@click.option(
    "--title",
    default=None,
    help="title of the report (default: the file's title, else a generic one)",
)
@click.option("--out", default="report.html", show_default=True, help="HTML file to write")
@click.option("--xlsx", default=None, help="also write this Excel workbook")
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=_SEED,
    show_default=True,
    metavar="N",
    help="sandbox seed (synthetic data only)",
)
@click.option(
    "--budget",
    type=float,
    default=_BUDGET,
    show_default=True,
    metavar="EUR",
    callback=_positive("a number of EUR > 0"),
    help="budget of the plan, in euros",
)
@click.option(
    "--message",
    metavar="TEXT",
    default=None,
    callback=_message,
    help="the SMS whose sending cost the campaign section adds (default: the "
    "file's message, else a one-SMS demo text)",
)
@click.option(
    "--price-per-sms",
    metavar="EUR",
    type=float,
    default=None,
    callback=_positive("a number of EUR > 0 (e.g. 0.038)"),
    help="your price per SMS in EUR (default: the file's, else the sandbox's 0.038 "
    "on synthetic data; required against the real API)",
)
def report_command(
    scenarios: _File | None,
    title: str | None,
    out: str,
    xlsx: str | None,
    seed: int,
    budget: float,
    message: str | None,
    price_per_sms: float | None,
) -> int:
    """Write the cost comparison report of your scenarios (or of the demo scenarios): a
    self-contained HTML page (opens with no network) and optionally an Excel workbook.
    Without SMSPARTNER_API_KEY it uses the offline sandbox (synthetic data, marked on every
    part). Its "What changed since ..." section compares with earlier quotes of the same
    scenarios in the quote history the other commands record into (SMSP_HISTORY_URL, else
    the user data folder); without any, the report says so. An invalid scenarios file is
    named with its scenario and field, and nothing is written (exit 2).
    """
    from smsp_analytics.client.recording import open_history
    from smsp_analytics.report.build import build_report
    from smsp_analytics.vocab import synthetic_mark

    settings = scenarios.settings if scenarios is not None else {}
    # The store `smsp calcul` and the other commands record into: their client's own
    # choice (open_history(True, ...), the same for the sandbox kept between runs and for
    # the API). Its earlier quotes of the scenarios make the "What changed since ..." part.
    history = open_history(True, None, True)
    try:
        report = build_report(
            scenarios=scenarios.scenarios if scenarios is not None else None,
            title=title or (scenarios.title if scenarios is not None else None),
            seed=seed,
            budget_eur=budget,
            message=message if message is not None else settings.get("message"),
            price_per_sms=price_per_sms
            if price_per_sms is not None
            else settings.get("price_per_sms"),
            history=history,
        )
    except TargetingError as exc:
        raise _refused(exc, scenarios) from None
    finally:
        if history is not None:
            history.close()
    html = Path(out)
    html.parent.mkdir(parents=True, exist_ok=True)
    report.to_html(html)
    click.echo(
        f"wrote {html} ({html.stat().st_size:,} bytes, self-contained: opens with no network)"
    )
    if xlsx:
        book = Path(xlsx)
        book.parent.mkdir(parents=True, exist_ok=True)
        report.to_excel(book)
        click.echo(f"wrote {book}")
    mark = f"{synthetic_mark(seed)}. " if report.synthetic else ""
    click.echo(f"{mark}{report.summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m smsp_analytics.report [options]``: runs :data:`report_command` (the
    options of ``smsp report``); returns the exit status (0, 2 on bad input, 1 if aborted).
    ``smsp report`` presents the other errors (API, network) as every command does."""
    try:
        status = report_command.main(args=argv, prog_name="smsp report", standalone_mode=False)
    except click.UsageError as exc:  # one line, the flag named by click
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        click.echo(f"smsp report: error: {' '.join(exc.format_message().split())}{hint}", err=True)
        return 2
    except click.Abort:
        click.echo("smsp report: aborted", err=True)
        return 1
    return int(status or 0)
