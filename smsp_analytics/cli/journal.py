"""``smsp journal`` and ``smsp reconcile``: the rent journal from the command line (the
client's messages about a blocked rent name these commands).

>>> import click
>>> isinstance(journal_command, click.Command), reconcile_command.name
(True, 'reconcile')
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from smsp_analytics.cli.options import output_options, smsp_command
from smsp_analytics.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["journal_command", "reconcile_command"]

# A journal entry's state in words (the journal stores these English words).
_STATES = {
    "pending": N_("pending"),
    "done": N_("done"),
    "failed": N_("failed"),
    "unknown": N_("unknown"),
}


def _state(value: object) -> str:
    text = str(value)
    return _(_STATES[text]) if text in _STATES else text


@smsp_command("journal", "smsp journal --format csv", client=True)
@click.option(
    "--all",
    "all_accounts",
    is_flag=True,
    help="entries of every account and server (default: this one's)",
)
@output_options
def journal_command(all_accounts: bool, fmt: str, xml: bool) -> int:
    """The rent journal: every rental attempt, its state (pending, done, failed, unknown),
    quote, cost, token and notes. An unknown entry blocks rents until reconciled."""
    from smsp_analytics.cli.support import cli_client, emit

    with cli_client(xml) as client:
        df = client.journal_entries(all_accounts=all_accounts)
    emit(_screen(df) if fmt == "table" else df, fmt)
    return 0


def _screen(df: pd.DataFrame) -> pd.DataFrame:
    """The columns a person reads, the targeting in words (genders spelled out), the states
    and dates in the language in force."""
    import pandas as pd

    from smsp_analytics.display import describe_targeting, fmt_datetime

    out = df.copy()
    if "parameters" in out.columns:
        out["targeting"] = [
            describe_targeting(json.loads(p) if isinstance(p, str) else p)
            for p in out["parameters"]
        ]
    keep = [
        c
        for c in (
            "id",
            "state",
            "created_at",
            "targeting",
            "volume",
            "quote_eur",
            "cost_eur",
            "token",
            "note",
        )
        if c in out.columns
    ]
    if "created_at" in keep:
        out["created_at"] = [fmt_datetime(pd.Timestamp(v), "iso") for v in out["created_at"]]
    if "state" in keep:
        out["state"] = [_state(v) for v in out["state"]]
    return out[keep]


@smsp_command(
    "reconcile",
    "smsp reconcile 3\nsmsp reconcile 3 --token 0123456789abcdef0123456789abcdef",
    client=True,
)
@click.argument("entry", type=click.IntRange(min=1))
@click.option(
    "--token",
    default=None,
    metavar="TOKEN",
    help="it was rented with this token (checked with the rental's status)",
)
@click.option(
    "--failed",
    is_flag=True,
    help="it was not rented (nothing was charged); "
    "refused when the balance or the token's status says it was charged",
)
@click.option(
    "--force",
    is_flag=True,
    help="with --failed: settle it as failed even if the evidence says charged",
)
@click.option("--xml", is_flag=True, help="ask the API for XML (same result)")
def reconcile_command(entry: int, token: str | None, failed: bool, force: bool, xml: bool) -> int:
    """Settle a journal entry whose rent outcome is unknown.

    With no option it works it out: a known token is checked with the rental's status,
    otherwise the balance now is compared with the one recorded before the rent. Exit 0
    once settled (done or failed), 1 if it stays unknown (the reason is printed).
    """
    if token is not None and failed:
        raise click.UsageError(
            _(
                "--token and --failed exclude each other: the entry was "
                "rented (--token) or it was not (--failed)"
            )
        )
    if force and not failed:
        raise click.UsageError(
            _("--force goes with --failed (it overrides the check that the rent was not charged)")
        )
    from smsp_analytics.cli.support import cli_client

    with cli_client(xml) as client:
        try:
            settled = client.reconcile(entry, token=token, failed=failed, force=force)
        except KeyError:
            raise click.BadParameter(
                _("no journal entry {entry} ('smsp journal' lists them)").format(entry=entry),
                param_hint="'ENTRY'",
            ) from None
    note = f": {settled.note}" if settled.note else ""  # the journal's record, as written
    if settled.token:
        line = _("journal entry {entry}: {state}, token {token}{note}")
    else:
        line = _("journal entry {entry}: {state}{note}")
    click.echo(
        line.format(entry=settled.id, state=_state(settled.state), token=settled.token, note=note),
        err=True,
    )
    return 0 if settled.state in ("done", "failed") else 1
