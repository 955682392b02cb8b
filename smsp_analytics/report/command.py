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
from contextlib import ExitStack
from pathlib import Path
from typing import Any, NamedTuple

import click

from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import LANGUAGES, N_, _, use_lang

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


def _use_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--lang``: processed first (eager), so that the other options' errors, the report and
    what is printed are in that language. Under ``smsp`` it lasts until ``smsp``'s errors are
    shown (the root context's ``obj`` is the ``ExitStack`` of the languages entered);
    otherwise until the command's context closes."""
    if value is None:
        return
    langs = ctx.find_root().obj
    if isinstance(langs, ExitStack):
        langs.enter_context(use_lang(value.lower()))
    else:
        ctx.with_resource(use_lang(value.lower()))


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
            raise click.BadParameter(
                _("{value}; allowed: {what}").format(value=f"{value:g}", what=_(what)), ctx, param
            )
        return value

    return check


def _price(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--price``: a price per SMS in EUR (``0.038`` or ``0,038``) or ``account``."""
    if value is None:
        return None
    from smsp_analytics.display import parse_number
    from smsp_analytics.report.arguments import ACCOUNT, check_price

    if value.strip().lower() == ACCOUNT:
        return ACCOUNT
    what = _(
        "your price per SMS in EUR, a number > 0 (e.g. 0.038), or account (the account's "
        "average over the last twelve months)"
    )
    try:
        return check_price(parse_number(value, field="price"))
    except ValueError:
        raise click.BadParameter(
            _("{value}; allowed: {what}").format(value=repr(value), what=what), ctx, param
        ) from None


def _numbers(ctx: click.Context, param: click.Parameter, path: str | None) -> Any:
    """``--numbers``: the rented numbers' file, read now, before any call."""
    if path is None:
        return None
    from smsp_analytics.report.arguments import read_numbers

    try:
        return read_numbers(path)
    except ValueError as exc:  # worded with the file and what is allowed
        raise click.BadParameter(str(exc), ctx, param) from None


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
    callback=_positive(N_("a number of EUR > 0")),
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
    "--price",
    "--price-per-sms",
    "price_per_sms",
    metavar="EUR|account",
    default=None,
    callback=_price,
    help="your price per SMS in EUR, or 'account': the account's average cost per SMS over "
    "the last twelve months, from its sending history (default: the file's, else the "
    "sandbox's 0.038 on synthetic data; required against the real API)",
)
@click.option(
    "--numbers",
    metavar="FILE.csv",
    default=None,
    callback=_numbers,
    help="the numbers you rented (CSV: a phone_number column, else the first): the report "
    "adds how many remain once the account's STOP list is removed and, unless "
    "--no-check-numbers, how many the vendor's free number check says are valid mobiles",
)
@click.option(
    "--check-numbers/--no-check-numbers",
    default=True,
    show_default=True,
    help="with --numbers: look the numbers up (free format check, read-only)",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES, case_sensitive=False),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_use_lang,
    help="language of the report, the workbook and what is printed: fr or en (default: "
    "smsp --lang, SMSP_LANG, else your locale)",
)
def report_command(
    scenarios: _File | None,
    title: str | None,
    out: str,
    xlsx: str | None,
    seed: int,
    budget: float,
    message: str | None,
    price_per_sms: float | str | None,
    numbers: list[Any] | None,
    check_numbers: bool,
) -> int:
    """Write the cost comparison report of your scenarios (or of the demo scenarios): a
    self-contained HTML page (opens with no network) and optionally an Excel workbook.
    Without SMSPARTNER_API_KEY it uses the offline sandbox (synthetic data, marked on every
    part). Its "What changed since ..." section compares with earlier quotes of the same
    scenarios in the quote history the other commands record into (SMSP_HISTORY_URL, else
    the user data folder); without any, the report says so. An invalid scenarios file is
    named with its scenario and field, and nothing is written (exit 2).
    """
    return _write(
        scenarios,
        title,
        out,
        xlsx,
        seed,
        budget,
        message,
        price_per_sms,
        {"numbers": numbers, "check_numbers": check_numbers},
    )


def _write(
    scenarios: _File | None,
    title: str | None,
    out: str,
    xlsx: str | None,
    seed: int,
    budget: float,
    message: str | None,
    price_per_sms: float | str | None,
    cleaning: dict[str, Any],
) -> int:
    """``smsp report`` in the language in force: build, write, say what was written."""
    from smsp_analytics.client.recording import open_history
    from smsp_analytics.display import fmt_int, synthetic_text
    from smsp_analytics.report.build import build_report

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
            **cleaning,
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
        _("wrote {path} ({size} bytes, self-contained: opens with no network)").format(
            path=html, size=fmt_int(html.stat().st_size)
        )
    )
    if xlsx:
        book = Path(xlsx)
        book.parent.mkdir(parents=True, exist_ok=True)
        report.to_excel(book)
        click.echo(_("wrote {path}").format(path=book))
    if report.synthetic:
        click.echo(_("{mark}. {summary}").format(mark=synthetic_text(seed), summary=report.summary))
    else:
        click.echo(report.summary)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m smsp_analytics.report [options]``: runs :data:`report_command` (the
    options of ``smsp report``); returns the exit status (0, 2 on bad input, 1 if aborted).
    ``smsp report`` presents the other errors (API, network) as every command does. Its
    ``--lang`` lasts until its errors are shown, and no longer."""
    with ExitStack() as langs:
        return _main(argv, langs)


def _main(argv: list[str] | None, langs: ExitStack) -> int:
    try:
        status = report_command.main(
            args=argv, prog_name="smsp report", standalone_mode=False, obj=langs
        )
    except click.UsageError as exc:  # one line, the flag named by click
        message = " ".join(exc.format_message().split())
        if exc.ctx is not None:
            line = _("smsp report: error: {message} (see '{command} --help')").format(
                message=message, command=exc.ctx.command_path
            )
        else:
            line = _("smsp report: error: {message}").format(message=message)
        click.echo(line, err=True)
        return 2
    except click.Abort:
        click.echo(_("smsp report: aborted"), err=True)
        return 1
    return int(status or 0)
