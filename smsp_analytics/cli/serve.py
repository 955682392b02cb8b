"""``smsp sandbox``, ``smsp report`` and ``smsp app``.

``report`` and ``app`` are click commands that call ``report.command.run`` and
``app.serve``. ``sandbox`` hands its arguments, unchanged, to the sandbox's own
``main(argv)``: the sandbox is an independent reading of the contract that imports nothing
from the client side, so its options live with it; ``--help`` shows a description and an
example, then its options. Only click is imported here: ``smsp sandbox`` loads neither
pandas nor plotly.
"""

from __future__ import annotations

import difflib
from importlib import import_module
import click

from smsp_analytics.cli.options import smsp_command

__all__ = ["sandbox_command", "report_command", "app_command", "pass_through"]

_PASS = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}


def _run(module: str, argv: list[str]) -> int:
    """``module.main(argv)``; an argparse exit (``--help``, a usage error) becomes its code."""
    try:
        return int(import_module(module).main(argv) or 0)
    except SystemExit as exc:  # argparse: 0 after --help, 2 after a usage error
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)


def pass_through(name: str, module: str, example: str, doc: str) -> click.Command:
    """A command that hands its arguments to ``module.main(argv)``. The module's
    ``build_parser()`` (read only when the command runs, so ``smsp --help`` stays light)
    gives the one help and the "did you mean" for a mistyped option."""

    @smsp_command(name, example, context_settings=_PASS, add_help_option=False, help=doc)
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    @click.pass_context
    def command(ctx: click.Context, args: tuple[str, ...]) -> int:
        argv = list(args)
        parser = import_module(module).build_parser(ctx.command_path)
        if "-h" in argv or "--help" in argv:
            formatter = ctx.make_formatter()
            command.format_help_text(ctx, formatter)
            options = parser.format_help().split("\n\n", 2)[-1]  # the parser's options
            click.echo(f"Usage: {ctx.command_path} [OPTIONS]\n\n{formatter.getvalue()}\n"
                       f"{options}")
            epilog = ctx.make_formatter()
            command.format_epilog(ctx, epilog)
            click.echo(epilog.getvalue())
            return 0
        known = [s for a in parser._actions for s in a.option_strings]
        for arg in argv:
            flag = arg.split("=", 1)[0]
            if flag.startswith("--") and flag not in known:
                close = difflib.get_close_matches(flag, known, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                click.echo(f"{ctx.command_path}: error: No such option '{flag}'.{hint} "
                           f"(see '{ctx.command_path} --help')", err=True)
                return 2
        return _run(module, argv)

    return command


sandbox_command = pass_through(
    "sandbox", "smsp_analytics.sandbox.cli", "smsp sandbox --port 8765 --seed 0",
    "Serve the offline sandbox (an emulator of the vendor API; all its data are synthetic) "
    "on 127.0.0.1 until Ctrl-C. It prints a base URL and a key: set SMSPARTNER_BASE_URL and "
    "SMSPARTNER_API_KEY to them to point every command and notebook at it.")

@smsp_command("report", "smsp report --scenarios examples/scenarios.toml --budget 2000 "
              "--out report.html --xlsx report.xlsx")
@click.option("--scenarios", metavar="FILE.toml", default=None,
              help="your scenarios (TOML: a title, then [[scenario]] tables with a name and "
                   "targeting fields; see examples/scenarios.toml); default: four demo "
                   "scenarios in Hauts-de-France")
@click.option("--title", default=None,
              help="title of the report (default: the file's title, else a generic one)")
@click.option("--out", default="report.html", show_default=True, help="HTML file to write")
@click.option("--xlsx", default=None, help="also write this Excel workbook")
@click.option("--seed", type=int, default=0, show_default=True,
              help="sandbox seed (synthetic data only)")
@click.option("--budget", type=float, default=5000.0, show_default=True,
              help="budget of the plan, in euros")
@click.option("--message", metavar="TEXT", default=None,
              help="the SMS whose sending cost the campaign section adds (default: the "
                   "file's message, else a one-SMS demo text)")
@click.option("--price-per-sms", metavar="EUR", type=float, default=None,
              help="your price per SMS in EUR (default: the file's, else the sandbox's 0.038 "
                   "on synthetic data; required against the real API)")
def report_command(**options: object) -> int:
    """Write the cost comparison report of your scenarios (or of the demo scenarios): a
    self-contained HTML page (opens with no network) and optionally an Excel workbook.
    Without SMSPARTNER_API_KEY it uses the offline sandbox (synthetic data, marked on every
    part). An invalid scenarios file is named with its scenario and field, and nothing is
    written (exit 2).
    """
    from smsp_analytics.report.command import run

    return run(**options)  # type: ignore[arg-type]


@smsp_command("app", "smsp app --port 8866")
@click.option("--port", type=click.IntRange(0, 65535), default=8866, show_default=True,
              help="port to listen on (0 picks a free port)")
@click.option("--print-command", is_flag=True,
              help="print the Voila command line and exit")
def app_command(port: int, print_command: bool) -> int:
    """Serve the audience explorer as a Voila app on 127.0.0.1 (the offline sandbox with
    synthetic data when SMSPARTNER_API_KEY is unset), until Ctrl+C.
    """
    from smsp_analytics.app.serve import serve

    return serve(port=port, print_command=print_command)
