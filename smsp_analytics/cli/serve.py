"""``smsp sandbox``, ``smsp report`` and ``smsp app``.

``sandbox`` and ``report`` are their packages' own click commands (:data:`smsp_analytics.
sandbox.cli.sandbox_command`, also ``python -m smsp_analytics.sandbox``;
:data:`smsp_analytics.report.command.report_command`, also ``python -m
smsp_analytics.report``), registered as they are: their options are declared once, there.
``app`` calls ``app.serve``. Only click is imported here: ``smsp sandbox`` loads neither
pandas nor plotly.
"""

from __future__ import annotations

import click

from smsp_analytics.cli.nokey import help_text
from smsp_analytics.cli.options import smsp_command
from smsp_analytics.cli.registry import register
from smsp_analytics.i18n import get_lang
from smsp_analytics.report.command import report_command
from smsp_analytics.sandbox.cli import sandbox_command

__all__ = ["sandbox_command", "report_command", "app_command"]

# The sealed sandbox knows nothing of the commands' own sandbox (a CLI matter): its help
# gets that paragraph here, before its example.
sandbox_command.epilog = f"{help_text()}\n\n{sandbox_command.epilog or ''}"
register(sandbox_command)
register(report_command)


@smsp_command("app", "smsp app --port 8866")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8866,
    show_default=True,
    help="port to listen on (0 picks a free port)",
)
@click.option("--print-command", is_flag=True, help="print the Voila command line and exit")
def app_command(port: int, print_command: bool) -> int:
    """Serve the audience explorer as a Voila app on 127.0.0.1 (the offline sandbox with
    synthetic data when SMSPARTNER_API_KEY is unset), until Ctrl+C; in the language of
    --lang (this command's or smsp's), else SMSP_LANG, else your locale.
    """
    from smsp_analytics.app.serve import serve

    # The app runs in Voila's kernel, another process: serve() hands it the language.
    return serve(port=port, print_command=print_command, lang=get_lang())
