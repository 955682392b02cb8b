"""``smsp sandbox``, ``smsp report`` and ``smsp app``: their arguments go, unchanged, to the
``main(argv)`` of the module that owns them, so their options stay in step with it.

``--help`` shows a description and an example, then the module's own options. Only click
is imported here: ``smsp sandbox`` loads neither pandas nor plotly.
"""

from __future__ import annotations

from importlib import import_module
import click

from .cli_options import smsp_command

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
    """A command that hands its arguments to ``module.main(argv)``."""

    @smsp_command(name, example, context_settings=_PASS, add_help_option=False, help=doc)
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    @click.pass_context
    def command(ctx: click.Context, args: tuple[str, ...]) -> int:
        argv = list(args)
        if "-h" in argv or "--help" in argv:
            # Ours first (description and example), then the module's options.
            formatter = ctx.make_formatter()
            command.format_help_text(ctx, formatter)
            command.format_epilog(ctx, formatter)
            click.echo(f"Usage: {ctx.command_path} [OPTIONS]\n\n" + formatter.getvalue())
            return _run(module, ["--help"])
        return _run(module, argv)

    return command


sandbox_command = pass_through(
    "sandbox", "smsp_analytics.sandbox.cli", "smsp sandbox --port 8765 --seed 0",
    "Serve the offline sandbox (an emulator of the vendor API; all its data are synthetic) "
    "on 127.0.0.1 until Ctrl-C. It prints a base URL and a key: set SMSPARTNER_BASE_URL and "
    "SMSPARTNER_API_KEY to them to point every command and notebook at it.")

report_command = pass_through(
    "report", "smsp_analytics.report",
    "smsp report --scenarios scenarios.toml --out report.html --xlsx report.xlsx",
    "Write the cost comparison report: a self-contained HTML page (opens with no network) "
    "and optionally an Excel workbook. Without SMSPARTNER_API_KEY it uses the offline "
    "sandbox (synthetic data, marked on every part).")

app_command = pass_through(
    "app", "smsp_analytics.app", "smsp app --port 8866",
    "Serve the audience explorer as a Voila app on 127.0.0.1 (the offline sandbox with "
    "synthetic data when SMSPARTNER_API_KEY is unset).")
