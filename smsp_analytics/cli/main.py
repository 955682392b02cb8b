"""The ``smsp`` command: runs the group of :mod:`smsp_analytics.cli.registry` and maps what
goes wrong to an exit code and one line on stderr.

Exit codes: 0 success, 1 API or network error (or a rent declined), 2 bad input (one line
naming the flag; every problem of the targeting flags, one line each), 130 Ctrl-C. Errors are presented from their fields: the argument at fault
(``field``) is named by the flag of the command's own option of that name, and the
arguments and calls a message names are spelled as flags and ``smsp`` commands.

>>> main(["--version"])  # doctest: +ELLIPSIS
smsp-analytics ...
0

``SUBCOMMANDS`` names the registered commands, in the order of ``smsp --help``:

>>> from smsp_analytics.cli.main import SUBCOMMANDS
>>> SUBCOMMANDS[:3]
('calcul', 'price', 'rent')
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from smsp_analytics.cli.registry import ReaderGone, cli
from smsp_analytics.cli.targetflags import FlagProblems
from smsp_analytics.errors import Arg, Call, SmsPartnerError, redact

# SUBCOMMANDS is public too, read from the group at each access by __getattr__ below (a
# static name would be a second list of the commands).
__all__ = ["main", "cli", "flag_of", "spelling", "error_line"]


def __getattr__(name: str) -> Any:
    if name == "SUBCOMMANDS":  # the registered commands (read, never a list of its own)
        return tuple(cli.commands)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def flag_of(command: click.Command | None, name: str | None) -> str | None:
    """How ``command`` names the argument ``name``: its option's long flag (``--max-cost``
    for the parameter ``max_cost_eur``), an argument's metavar (``TOKEN``), None if it has
    none.

    >>> flag_of(cli.commands["rent"], "max_cost_eur"), flag_of(cli.commands["status"], "token")
    ('--max-cost', 'TOKEN')
    """
    for param in command.params if command is not None and name else ():
        if param.name == name:
            if isinstance(param, click.Option):
                return max(param.opts, key=lambda o: (o.startswith("--"), len(o)))
            return param.human_readable_name
    return None


def spelling(command: click.Command | None) -> Any:
    """How the command line spells the :class:`Arg` and :class:`Call` of a message: a
    flag of ``command`` (with its value unless a switch), a call as its ``smsp`` command;
    None (the library's text) for an argument ``command`` has no option for."""
    options = {p.name: p for p in (command.params if command is not None else ())}

    def spell(ref: Arg | Call) -> str | None:
        if isinstance(ref, Call):
            return f"`{ref.cli}`"
        param = options.get(ref.name)
        flag = flag_of(command, ref.name)
        if param is None or flag is None:
            return None
        if isinstance(param, click.Option) and param.is_flag:
            return flag
        return f"{flag} {ref.value if ref.shown is None else ref.shown}"

    return spell


def error_line(exc: BaseException, command: click.Command | None) -> str:
    """The one line the command line prints for ``exc`` (no class name, no Python
    argument names: the flags of ``command``)."""
    if not isinstance(exc, SmsPartnerError):
        text = str(exc).strip()
        return redact(text.splitlines()[0] if text else type(exc).__name__)
    flag = flag_of(command, exc.field) if exc.label else None
    text = exc.text(spelling(command), label=flag)
    code = f"[code {exc.code}] " if exc.code is not None else ""
    http = f" (HTTP {exc.http_status})" if exc.http_status is not None else ""
    return f"{code}{text or type(exc).__name__}{http}".splitlines()[0]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsp ...`` (``sys.argv`` when ``argv`` is None); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = cli.commands.get(argv[0]) if argv else None
    where = f"smsp {argv[0]}" if command is not None else "smsp"
    try:
        result = cli.main(args=argv, prog_name="smsp", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        text = " ".join(exc.format_message().split())  # one line, with click's suggestion
        click.echo(f"{where}: error: {text}{hint}", err=True)
        return 2
    except click.Abort as exc:  # click's name for Ctrl-C (and an end of input at a prompt)
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("smsp: interrupted", err=True)
            return 130
        click.echo(f"{where}: aborted", err=True)
        return 1
    except (BrokenPipeError, ReaderGone):
        # The reader went away (`smsp categories | head`): stop quietly, as Unix tools do;
        # stdout goes to /dev/null so the interpreter's final flush fails no more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        click.echo("smsp: interrupted", err=True)
        return 130
    except FlagProblems as exc:  # every problem of the flags, one line each, before any call
        for problem in exc.problems:
            click.echo(f"{where}: error: {error_line(problem, command)}", err=True)
        return 2
    except Exception as exc:  # noqa: BLE001 - mapped to an exit code below, never dropped
        code = _exit_code(exc)
        if code is None:
            raise
        label = "error: " if code == 2 else ""
        click.echo(f"{where}: {label}{error_line(exc, command)}", err=True)
        return code
    return int(result or 0)


def _exit_code(exc: BaseException) -> int | None:
    """2 for bad input, 1 for API/network/consent errors, None for a bug (re-raised)."""
    from smsp_analytics.errors import TargetingError
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
