"""The ``smsp`` command (click): a lazy group that imports each command's module on use.

``smsp sandbox`` loads neither pandas nor plotly: the group knows every command's name and
one-line help without importing it. Exit codes: 0 success, 1 API or network error (or a
rent declined), 2 bad input (one line on stderr naming the field or option), 130 Ctrl-C.

>>> main(["--version"])  # doctest: +ELLIPSIS
smsp-analytics ...
0
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from importlib import import_module
from typing import Any, Sequence

import click

__all__ = ["main", "cli", "SUBCOMMANDS", "flags_text"]

# command -> (module defining ``<command>_command``, one-line help). Imported on use only.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "calcul": ("smsp_analytics.cli.commands", "count and cost of the contacts matching a targeting"),
    "price": ("smsp_analytics.cli.commands", "cost of given volumes per locality"),
    "rent": ("smsp_analytics.cli.commands", "rent contacts (charges the account; asks for consent)"),
    "status": ("smsp_analytics.cli.commands", "status of a rental"),
    "download": ("smsp_analytics.cli.commands", "download a rental's phone numbers (once)"),
    "credits": ("smsp_analytics.cli.commands", "account balance and credits"),
    "categories": ("smsp_analytics.cli.commands", "interests and sub-interests (their ids)"),
    "sweep": ("smsp_analytics.cli.commands", "compare many targetings by locality"),
    "journal": ("smsp_analytics.cli.journal", "the rent journal: every rental attempt and its state"),
    "reconcile": ("smsp_analytics.cli.journal", "settle a rental whose outcome is unknown"),
    "campaign": ("smsp_analytics.cli.campaign", "total cost of a campaign (rental plus sending) "
                 "and its send windows"),
    "windows": ("smsp_analytics.cli.campaign", "when commercial SMS may go out, per department"),
    "history": ("smsp_analytics.cli.history", "the quote history: every calcul, price and rent "
                "answer recorded"),
    "drift": ("smsp_analytics.cli.history", "what changed in the quotes since a date"),
    "sandbox": ("smsp_analytics.cli.serve", "serve the offline sandbox (synthetic data)"),
    "report": ("smsp_analytics.cli.serve", "write the HTML (and Excel) cost comparison report"),
    "app": ("smsp_analytics.cli.serve", "serve the audience explorer as a Voila app"),
}

# The client's messages name Python arguments; on the command line they are flags. One table,
# applied to every message the CLI prints (longest patterns first).
_FLAG_WORDS: tuple[tuple[str, str], ...] = (
    # "pass again=True (smsp rent --again)": the command line needs the flag only.
    (r"\b[a-z_]+=[^\s(),;]+ \(`?smsp [a-z]+ ([^)`]*)`?\)", r"\1"),
    (r"(`smsp [^`]+`) \(client\.[a-z_]+\([^()]*\)\)", r"\1"),
    (r"(?:client\.)?rent\(\.\.\., *confirm=True\)", "--yes"),
    (r"\bconfirm=True\b", "--yes"),
    (r"\bconfirm is True\b", "--yes"),
    (r"\bmax_cost_eur=(?=\d)", "--max-cost "),
    (r"\bmax_cost_eur\b=?", "--max-cost"),
    (r"\bagain=True\b", "--again"),
    (r"\bvolumes=[\"']all[\"']", "--volumes all"),
    (r"\bmax_workers\b", "--workers"),
    (r"\bsub_interest=", "--sub-interest "),
    # Advice naming a Python call: the command that does the same.
    (r"client\.categories\(\) or (`smsp categories`)", r"\1"),
    (r"client\.categories\(\)", "`smsp categories`"),
    (r"client\.calcul\([^()]*\)", "`smsp calcul`"),
)


def flags_text(message: str) -> str:
    """A client message as the command line says it: Python arguments become flags.

    >>> flags_text("rent refused: 12.00 EUR exceeds max_cost_eur=10.00; pass again=True")
    'rent refused: 12.00 EUR exceeds --max-cost 10.00; pass --again'
    >>> flags_text("Call rent(..., confirm=True) to rent.")
    'Call --yes to rent.'
    >>> flags_text("pass again=True (smsp rent --again); `smsp journal` (client.journal()) lists")
    'pass --again; `smsp journal` lists'
    >>> flags_text("(client.calcul(targeting) shows what is available)")
    '(`smsp calcul` shows what is available)'
    """
    for pattern, flag in _FLAG_WORDS:
        message = re.sub(pattern, flag, message)
    return message


class _ReaderGone(Exception):
    """stdout's reader closed the pipe."""


class LazyGroup(click.Group):
    """A group whose commands live in other modules, imported when a command runs or shows
    its help; unknown commands get a "did you mean" suggestion."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in SUBCOMMANDS:
            return None
        module = import_module(SUBCOMMANDS[name][0])
        return getattr(module, f"{name}_command")

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = click.utils.make_str(args[0])
        if name not in SUBCOMMANDS and not name.startswith("-"):
            close = difflib.get_close_matches(name, SUBCOMMANDS, n=2, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise click.UsageError(f"no such command {name!r}.{hint} Commands: "
                                   f"{', '.join(SUBCOMMANDS)}.", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # click's main() turns EPIPE into exit code 1; a reader that goes away
            # (`smsp categories | head`) is a normal end for a Unix tool.
            raise _ReaderGone() from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the table, not the modules: `smsp --help` imports no command.
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in SUBCOMMANDS.items()])


def _version() -> str:
    from smsp_analytics import __version__

    return __version__


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(_version(), "-V", "--version", prog_name="smsp-analytics",
                      message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Size, price and rent opt-in SMS audiences (SMS Partner Contact Rental API).

    Without SMSPARTNER_API_KEY every command uses the offline sandbox (synthetic data).
    Run 'smsp COMMAND --help' for a command's options and an example.

    \b
    Example:
      smsp calcul --gender women --age 25-35 --interest 14 --departments 60,02
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(0)


def _command_of(argv: Sequence[str]) -> str:
    return f"smsp {argv[0]}" if argv and argv[0] in SUBCOMMANDS else "smsp"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsp ...`` (``sys.argv`` when ``argv`` is None); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    where = _command_of(argv)
    from smsp_analytics.errors import redact  # light: the errors module imports no pandas

    try:
        result = cli.main(args=argv, prog_name="smsp", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        text = " ".join(exc.format_message().split())  # one line, with click's suggestion
        click.echo(f"{where}: error: {flags_text(text)}{hint}", err=True)
        return 2
    except click.Abort as exc:  # click's name for Ctrl-C (and an end of input at a prompt)
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("smsp: interrupted", err=True)
            return 130
        click.echo(f"{where}: aborted", err=True)
        return 1
    except (BrokenPipeError, _ReaderGone):
        # The reader went away (`smsp categories | head`): stop quietly, as Unix tools do;
        # stdout goes to /dev/null so the interpreter's final flush fails no more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        click.echo("smsp: interrupted", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - mapped to an exit code below, never dropped
        code = _exit_code(exc)
        if code is None:
            raise
        label = "error: " if code == 2 else ""
        name = type(exc).__name__
        kind = f"{name}: " if code == 1 and name not in ("RentConsentError", "SweepError") \
            else ""
        click.echo(f"{where}: {label}{kind}{redact(flags_text(_one_line(exc)))}", err=True)
        return code
    return int(result or 0)


def _exit_code(exc: BaseException) -> int | None:
    """2 for bad input, 1 for API/network/consent errors, None for a bug (re-raised)."""
    from smsp_analytics.errors import SmsPartnerError, TargetingError
    from smsp_analytics.history import HistoryError

    if isinstance(exc, TargetingError):
        return 2
    if isinstance(exc, (SmsPartnerError, HistoryError)):  # a store unreachable: say which
        return 1
    if isinstance(exc, ValueError):
        return 2
    if isinstance(exc, OSError):  # a file that cannot be written or read: say which, no trace
        return 1
    return None


if __name__ == "__main__":
    sys.exit(main())
