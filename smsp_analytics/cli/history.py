"""``smsp history`` and ``smsp drift``: the quote history (every calcul, price and rent answer
the client recorded) and what changed in it since a date. Both only read the store:
``$SMSP_HISTORY_URL``, else the SQLite file in the user data directory.

>>> import click
>>> isinstance(history_command, click.Command), drift_command.name
(True, 'drift')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from smsp_analytics.cli.consent import ask, is_yes
from smsp_analytics.cli.historytext import given_targeting, narrow, when
from smsp_analytics.cli.options import format_option, smsp_command, targeting_options
from smsp_analytics.cli.registry import Lazy
from smsp_analytics.errors import redact
from smsp_analytics.i18n import _

if TYPE_CHECKING:  # the checker sees the modules themselves
    from smsp_analytics.cli import historytext, support
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    support = Lazy("smsp_analytics.cli.support")
    historytext = Lazy("smsp_analytics.cli.historytext")

__all__ = ["history_command", "drift_command", "narrow", "given_targeting"]


def _store() -> Any:
    from smsp_analytics.history import QuoteHistory

    return QuoteHistory.open(True)


def _fail(where: str, exc: BaseException) -> int:
    """A store that cannot be read: one line (its URL redacted), exit 1."""
    click.echo(f"smsp {where}: {redact(str(exc).splitlines()[0])}", err=True)
    return 1


def _prompt_clear(url: str, quotes: int) -> bool:
    from smsp_analytics.display import fmt_int

    question = _(
        "This deletes every quote recorded in {store} ({count} quotes). Type yes to clear: "
    )
    return is_yes(ask(question.format(store=url, count=fmt_int(quotes))))


@smsp_command(
    "history", "smsp history --since 2026-10-01 --op calcul --departments 60\nsmsp history --clear"
)
@targeting_options
@click.option(
    "--since",
    default=None,
    metavar="DATE",
    callback=when,
    help="quotes whose as_of is at or after DATE (YYYY-MM-DD or ISO datetime)",
)
@click.option(
    "--until",
    default=None,
    metavar="DATE",
    callback=when,
    help="quotes whose as_of is at or before DATE (a bare date: its whole day)",
)
@click.option(
    "--op", type=click.Choice(["calcul", "price", "rent"]), default=None, help="one operation only"
)
@click.option("--clear", is_flag=True, help="delete every recorded quote (asks first)")
@click.option("--yes", is_flag=True, help="with --clear: do not ask (for scripts)")
@format_option
@click.pass_context
def history_command(
    ctx: click.Context,
    since: str | None,
    until: str | None,
    op: str | None,
    clear: bool,
    yes: bool,
    fmt: str,
    **targeting: Any,
) -> int:
    """The quote history: one row per locality of every recorded calcul, price and rent
    answer (as_of, operation, source, targeting with gender in words, volume, unit cost,
    cost), oldest first.

    The store is $SMSP_HISTORY_URL, else a SQLite file in the user data directory.

    The targeting flags narrow the quotes, only when given: --gender, --age, --interest,
    --sub-interest and --category keep quotes of that targeting; --departments, --zipcodes
    and --region keep those localities.
    """
    from smsp_analytics.history import HistoryError

    flags = given_targeting(ctx, targeting)
    if clear and (flags or since or until or op):
        raise click.UsageError(
            _("--clear deletes every quote; it takes no --since, --until, --op or targeting flag")
        )
    store = _store()
    try:
        if clear:
            before = store.frame()
            quotes = int(before["quote_id"].nunique())
            if not yes and not _prompt_clear(store.url, quotes):
                click.echo(_("smsp history: not confirmed; nothing cleared"), err=True)
                return 1
            removed = store.clear()  # quotes recorded since the count above go too
            click.echo(
                _(
                    "quote history {store} cleared: {quotes} quotes ({rows} locality rows) removed"
                ).format(store=store.url, quotes=removed, rows=len(before)),
                err=True,
            )
            return 0
        frame = narrow(store.frame(since=since, until=until, op=op), flags)
    except HistoryError as exc:
        return _fail("history", exc)
    finally:
        store.close()
    if fmt != "table":
        support.emit(historytext.export_rows(frame, store.url), fmt)
        return 0
    if frame.empty:
        click.echo(_("no quote recorded in {store} for these filters").format(store=store.url))
        return 0
    click.echo(historytext.history_table(frame))
    click.echo(historytext.history_total(frame, store.url))
    click.echo(historytext.mark_line(frame))
    return 0


@smsp_command("drift", "smsp drift --since 2026-10-01 --until 2026-11-01 --interest 14")
@targeting_options
@click.option(
    "--since",
    required=True,
    metavar="DATE",
    callback=when,
    help="compare the latest quote at or before DATE ...",
)
@click.option(
    "--until",
    default=None,
    metavar="DATE",
    callback=when,
    help="... with the latest at or before this DATE (default: the latest)",
)
@format_option
@click.pass_context
def drift_command(
    ctx: click.Context, since: str, until: str | None, fmt: str, **targeting: Any
) -> int:
    """What changed in the audiences since a date: for each targeting and locality of the
    recorded calcul quotes, the latest quote at or before --since against the latest at
    or before --until. A locality seen on one side only says so ("before only", "after
    only").

    The targeting flags narrow the quotes, only when given: --gender, --age, --interest,
    --sub-interest and --category keep quotes of that targeting; --departments, --zipcodes
    and --region keep those localities.
    """
    from smsp_analytics.history import HistoryError, drift

    flags = given_targeting(ctx, targeting)
    store = _store()
    try:
        frame = narrow(store.frame(until=until, op="calcul"), flags)
    except HistoryError as exc:
        return _fail("drift", exc)
    finally:
        store.close()
    out = drift(frame, since=since, until=until, op="calcul")
    if fmt != "table":
        support.emit(historytext.export_rows(out, store.url), fmt)
        return 0
    if not (out["status"] != "after only").any():
        click.echo(
            _("nothing recorded before {since} (store {store})").format(
                since=since, store=store.url
            )
        )
        if out.empty:
            return 0
    click.echo(historytext.drift_table(out))
    total = historytext.drift_total(out)
    if total is not None:
        click.echo(total)
    click.echo(historytext.mark_line(out))
    return 0
