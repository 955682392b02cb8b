"""The ``smsp`` group and the decorator that registers a command in it.

Each command module decorates its functions with :func:`smsp_command`; the package imports
those modules once (``smsp_analytics/cli/__init__.py``), so the group holds each command
once, from the command itself. The modules import only click at the top (pandas and the
client when a command runs): ``smsp --help`` and ``smsp sandbox`` stay light.

>>> "calcul" in cli.commands and cli.commands["calcul"].name
'calcul'
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import click

from smsp_analytics.i18n import LANGUAGES, _, use_lang
from smsp_analytics.vocab import APP_NAME

__all__ = [
    "cli",
    "smsp_command",
    "register",
    "SETTINGS",
    "example_epilog",
    "Lazy",
    "lang_option",
    "Invocation",
    "SmspCommand",
    "spawned_sandbox",
]

F = Callable[..., Any]

#: The context settings of every command (the sandbox's own command repeats them: it is
#: sealed and imports nothing of the toolkit).
SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Lazy:
    """A module imported on first use (``pd = Lazy("pandas")``): a command module reads
    pandas and the toolkit's heavy modules only when one of its commands runs."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


class ReaderGone(Exception):
    """stdout's reader closed the pipe."""


@dataclass
class Invocation:
    """What :func:`~smsp_analytics.cli.main.main` hands the command it runs (click's root
    context ``obj``): the stack its ``--lang`` enters (so that the errors shown after the
    command are in its language too), and the sandbox process spawned for it, if any."""

    langs: ExitStack
    sandbox_process: Any = None


class SmspCommand(click.Command):
    """A command of ``smsp``; ``uses_client``: it talks to the API through a client (so
    without a key it needs a sandbox, which the process may start before its imports)."""

    uses_client: bool = False


def spawned_sandbox() -> Any:
    """The sandbox process spawned for the running command (None outside
    :func:`~smsp_analytics.cli.main.main`'s own process, or with a key)."""
    ctx = click.get_current_context(silent=True)
    run = ctx.find_root().obj if ctx is not None else None
    return run.sandbox_process if isinstance(run, Invocation) else None


def _use_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang``: the command speaks ``value`` from here on. Through :func:`~smsp_analytics.
    cli.main.main` the language lasts until its errors are shown (its ``ExitStack`` is the
    root context's ``obj``); otherwise until the command's context closes."""
    if value is None:
        return None
    lang = value.lower()
    run = ctx.find_root().obj
    if isinstance(run, Invocation):
        run.langs.enter_context(use_lang(lang))
    else:
        ctx.with_resource(use_lang(lang))
    return lang


def lang_option() -> click.Option:
    """``--lang fr|en``: the language of what the command prints (numbers, money, dates and
    sentences); default ``SMSP_LANG``, else the locale. The group has it (``smsp --lang fr
    calcul ...``) and so has every command (``smsp calcul ... --lang fr``), last in its help.
    """
    return click.Option(
        ["--lang"],
        type=click.Choice(LANGUAGES, case_sensitive=False),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_use_lang,
        help="language of the output: fr or en (default: SMSP_LANG, else your locale)",
    )


class SmspGroup(click.Group):
    """The commands registered by their modules; an unknown command gets a "did you mean"
    suggestion and the list of the commands."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = click.utils.make_str(args[0])
        if name not in self.commands and not name.startswith("-"):
            close = difflib.get_close_matches(name, self.commands, n=2, cutoff=0.6)
            hint = ""
            if len(close) == 1:
                hint = " " + _("Did you mean {name}?").format(name=repr(close[0]))
            elif close:
                hint = " " + _("Did you mean {first} or {second}?").format(
                    first=repr(close[0]), second=repr(close[1])
                )
            raise click.UsageError(
                _("no such command {name}.{hint} Commands: {commands}.").format(
                    name=repr(name), hint=hint, commands=", ".join(self.commands)
                ),
                ctx,
            )
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in registration order: the order of the modules

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Each command's first sentence, whole (click would cut it to the terminal's width).
        with formatter.section("Commands"):
            formatter.write_dl(
                [
                    (name, command.get_short_help_str(limit=200))
                    for name, command in self.commands.items()
                ]
            )

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # click's main() turns EPIPE into exit code 1; a reader that goes away
            # (`smsp categories | head`) is a normal end for a Unix tool.
            raise ReaderGone() from None


def _version() -> str:
    from smsp_analytics import __version__

    return __version__


@click.group(cls=SmspGroup, invoke_without_command=True, context_settings=SETTINGS)
@click.version_option(
    _version(), "-V", "--version", prog_name=APP_NAME, message="%(prog)s %(version)s"
)
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


cli.params.append(lang_option())


def example_epilog(example: str) -> str:
    """The help's last part: ``Example:`` then the example's lines, as every command ends."""
    return "\b\nExample:\n" + "\n".join(f"  {line}" for line in example.splitlines())


def register(command: click.Command) -> click.Command:
    """Add a click command built elsewhere (the sealed sandbox's, the report's) to ``smsp``."""
    if command.name in cli.commands:
        raise ValueError(f"smsp {command.name}: registered twice")
    cli.add_command(command)
    return command


def smsp_command(
    name: str, example: str, *, client: bool = False, **kwargs: Any
) -> Callable[[F], click.Command]:
    """Decorator: the function becomes ``smsp NAME``, its docstring the help (its first
    sentence the line in ``smsp --help``), ``example`` (one or more lines) the help's end;
    ``client``: the command talks to the API (:attr:`SmspCommand.uses_client`)."""
    settings = {**SETTINGS, **kwargs.pop("context_settings", {})}

    def decorate(f: F) -> click.Command:
        command = click.command(
            name,
            cls=SmspCommand,
            epilog=example_epilog(example),
            context_settings=settings,
            **kwargs,
        )(f)
        command.uses_client = client
        command.params.append(lang_option())
        return register(command)

    return decorate
