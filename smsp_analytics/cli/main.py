"""The ``smsp`` command: runs the group of :mod:`smsp_analytics.cli.registry` and maps what
goes wrong to an exit code and one line on stderr.

Exit codes: 0 success, 1 API or network error (or a rent declined), 2 bad input (one line
naming the flag; every problem of the targeting flags, one line each), 130 Ctrl-C. Errors
are presented from their fields: the argument at fault (``field``) is named by the flag of
the command's own option of that name, and the arguments and calls a message names are
spelled as flags and ``smsp`` commands. Everything is said in the language in force
(``--lang``, else ``SMSP_LANG``, else the locale).

>>> main(["--version"])  # doctest: +ELLIPSIS
smsp-analytics ...
0

``SUBCOMMANDS`` names the registered commands, in the order of ``smsp --help``:

>>> from smsp_analytics.cli.main import SUBCOMMANDS
>>> SUBCOMMANDS[:3]
('calcul', 'price', 'rent')
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

import click

from smsp_analytics.cli.nokey import no_key_set
from smsp_analytics.cli.registry import Invocation, ReaderGone, SmspCommand, cli
from smsp_analytics.cli.targetflags import FlagProblems
from smsp_analytics.errors import Arg, Call, SmsPartnerError, redact
from smsp_analytics.i18n import _, lang_from_env

# SUBCOMMANDS is public too, read from the group at each access by __getattr__ below (a
# static name would be a second list of the commands).
__all__ = [
    "main",
    "cli",
    "flag_of",
    "spelling",
    "error_line",
    "end_process",
    "early_sandbox",
    "GC_THRESHOLDS",
]

#: The collector's thresholds in an ``smsp`` process (Python's are 700, 10, 10). A command
#: loads ~1,500 modules whose objects live until the end: collecting young objects every 700
#: allocations, and all of them every ~70,000, costs ~0.1 s of a quote's CPU for nothing.
#: Cycles are still collected: the young ones every 50,000 allocations, all every 10**8 (every
#: ~40 s in a busy `smsp sandbox`).
GC_THRESHOLDS = (50_000, 20, 100)


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
    text = exc.text(spelling(command), label=flag) or type(exc).__name__
    if exc.http_status is not None:
        text = _("{message} (HTTP {status})").format(message=text, status=exc.http_status)
    if exc.code is not None:
        text = _("[code {code}] {message}").format(code=exc.code, message=text)
    return text.splitlines()[0]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsp ...`` (``sys.argv`` when ``argv`` is None); returns the exit code.

    As the process's own entry point (``argv`` None: the ``smsp`` script, ``python -m``),
    the garbage collector runs less often (:data:`GC_THRESHOLDS`), a command that talks to
    the API without a key has its sandbox's process spawned first, to import the server on
    another core while the command imports the rest (:func:`early_sandbox`), and the process
    ends here once the output is flushed (:func:`end_process`)."""
    if argv is None:
        gc.set_threshold(*GC_THRESHOLDS)
    code = _main(list(sys.argv[1:] if argv is None else argv), own_process=argv is None)
    if argv is None:
        end_process(code)
    return code


def end_process(code: int) -> None:
    """End the process with ``code`` once stdout and stderr are flushed, skipping the
    interpreter's teardown of the ~1,500 modules a command loaded (0.2 to 0.3 s of a quote's
    time, spent freeing memory the system frees at once). Everything a command opens is
    closed by then (its client, files written atomically, the quote history). Under
    coverage measurement (which writes its data at exit) the interpreter ends as usual."""
    if "coverage" in sys.modules:
        return
    import logging

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (`| head`), a stream closed
            pass
    logging.shutdown()  # what the interpreter's exit would do for log handlers
    os._exit(code)


def early_sandbox(argv: list[str]) -> Any:
    """A :class:`~smsp_analytics.sandbox.process.SandboxProcess` for the command ``argv``
    runs when it talks to the API without a key (None otherwise, and where a process cannot
    inherit a socket). Only the standard library is imported to decide and to spawn it: the
    point is to start before the command's own imports."""
    name = _command_name(argv)
    command = cli.commands.get(name) if name is not None else None
    if not (isinstance(command, SmspCommand) and command.uses_client) or not no_key_set():
        return None
    if any(word in ("-h", "--help") for word in argv):
        return None
    from smsp_analytics.sandbox.process import SandboxProcess, process_supported

    return SandboxProcess() if process_supported() else None


def _main(argv: list[str], own_process: bool = False) -> int:
    try:
        lang_from_env()  # a typo in SMSP_LANG is said once, before anything else
    except ValueError as exc:  # in English: no language is in force
        click.echo(f"smsp: error: {exc}", err=True)
        return 2
    # `--lang` (the group's or a command's) enters its language here, so that the errors
    # below are shown in it too; it ends with this call.
    with ExitStack() as langs:
        run = Invocation(langs, early_sandbox(argv) if own_process else None)
        if run.sandbox_process is not None:  # stopped here if the command did not use it
            langs.callback(run.sandbox_process.stop)
        return _run(argv, run)


def _command_name(argv: list[str]) -> str | None:
    """The command ``argv`` runs: its first word after the group's own options
    (``smsp --lang fr calcul ...`` runs ``calcul``).

    >>> _command_name(["--lang", "fr", "calcul", "--age", "25-35"]), _command_name(["-h"])
    ('calcul', None)
    """
    words = iter(argv)
    for word in words:
        if word == "--lang":
            next(words, None)  # its value
        elif not word.startswith("-"):
            return word
    return None


def _run(argv: list[str], run: Invocation) -> int:
    name = _command_name(argv)
    command = cli.commands.get(name) if name is not None else None
    where = f"smsp {name}" if command is not None else "smsp"
    try:
        result = cli.main(args=argv, prog_name="smsp", standalone_mode=False, obj=run)
    except click.UsageError as exc:
        hint = (
            " " + _("(see '{command} --help')").format(command=exc.ctx.command_path)
            if exc.ctx is not None
            else ""
        )
        text = " ".join(_usage_text(exc).split())  # one line, with click's suggestion
        click.echo(
            _("{where}: error: {message}").format(where=where, message=text + hint), err=True
        )
        return 2
    except click.Abort as exc:  # click's name for Ctrl-C (and an end of input at a prompt)
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo(_("smsp: interrupted"), err=True)
            return 130
        click.echo(_("{where}: aborted").format(where=where), err=True)
        return 1
    except (BrokenPipeError, ReaderGone):
        # The reader went away (`smsp categories | head`): stop quietly, as Unix tools do;
        # stdout goes to /dev/null so the interpreter's final flush fails no more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        click.echo(_("smsp: interrupted"), err=True)
        return 130
    except FlagProblems as exc:  # every problem of the flags, one line each, before any call
        for problem in exc.problems:
            line = error_line(problem, command)
            click.echo(_("{where}: error: {message}").format(where=where, message=line), err=True)
        return 2
    except Exception as exc:  # noqa: BLE001 - mapped to an exit code below, never dropped
        code = _exit_code(exc)
        if code is None:
            raise
        line = error_line(exc, command)
        if code == 2:
            line = _("{where}: error: {message}").format(where=where, message=line)
        else:
            line = f"{where}: {line}"
        click.echo(line, err=True)
        return code
    return int(result or 0)


def _usage_text(exc: click.UsageError) -> str:
    """click's message, its frame in the language in force (the msgids are click's own
    English sentences, so English reads as click writes it; the inner message of click's
    own types, such as an invalid choice, stays click's English)."""
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint: Any = exc.param_hint
        if hint is None and exc.param is not None:
            hint = exc.param.get_error_hint(exc.ctx) if exc.ctx is not None else None
        if hint is None:
            return _("Invalid value: {message}").format(message=exc.message)
        if not isinstance(hint, str):
            hint = " / ".join(repr(h) for h in hint)
        return _("Invalid value for {param_hint}: {message}").format(
            param_hint=hint, message=exc.message
        )
    if isinstance(exc, click.NoSuchOption) and exc.message.startswith("No such option"):
        text = _("No such option {name!r}.").format(name=exc.option_name)
        if exc.possibilities and len(exc.possibilities) == 1:
            suggestion = _("Did you mean {possibility}?").format(
                possibility=repr(exc.possibilities[0])
            )
            text = f"{text} {suggestion}"
        elif exc.possibilities:
            names = ", ".join(repr(p) for p in sorted(exc.possibilities))
            suggestion = _("(Did you mean one of: {possibilities}?)").format(possibilities=names)
            text = f"{text} {suggestion}"
        return text
    return exc.format_message()


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
