"""``smsp history`` and ``smsp drift``: the quote history (every calcul, price and rent answer
the client recorded) and what changed in it since a date. Both only read the store:
``$SMSP_HISTORY_URL``, else the SQLite file in the user data directory.

>>> import click
>>> isinstance(history_command, click.Command), drift_command.name
(True, 'drift')
>>> narrow(pd.DataFrame({"gender": ["f", "h"], "locality": ["60", "60"]}),
...        {"gender": "women"})["gender"].tolist()
['f']
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from smsp_analytics.cli.options import format_option, smsp_command, targeting_options
from smsp_analytics.cli.registry import Lazy
from smsp_analytics.errors import TargetingError, redact
from smsp_analytics.vocab import TARGETING_OPTIONS, category_code

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
    from smsp_analytics.cli import support
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")
    support = Lazy("smsp_analytics.cli.support")

__all__ = ["history_command", "drift_command", "narrow", "given_targeting"]


def _when(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value.strip())
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise click.BadParameter(
            f"{value!r} is not a date; allowed: YYYY-MM-DD or an ISO "
            "datetime such as 2026-10-01T12:00:00+00:00"
        )
    return value.strip()


def given_targeting(ctx: click.Context, flags: Mapping[str, Any]) -> dict[str, Any]:
    """The targeting flags typed on the command line (their defaults do not narrow)."""
    return {
        k: flags[k]
        for k in TARGETING_OPTIONS
        if ctx.get_parameter_source(k) not in (None, click.core.ParameterSource.DEFAULT)
    }


def _int(name: str, value: Any) -> int:
    if name == "category":
        value = category_code(value)  # "CSP+" -> 102
    try:
        return int(value)
    except ValueError:
        raise TargetingError(name, value, "an integer", code=None) from None


def narrow(frame: pd.DataFrame, flags: Mapping[str, Any]) -> pd.DataFrame:
    """The history (or drift) rows matching the given targeting flags: gender, age and
    interests match the quote's targeting; departments, zip codes and region keep those
    localities. Bad values raise naming the flag."""
    from smsp_analytics.targeting import departments_of_region

    keep = pd.Series(True, index=frame.index)
    if flags.get("gender"):
        try:
            code = display.gender_code(flags["gender"])
        except ValueError as exc:
            raise TargetingError(
                "gender", flags["gender"], str(exc).partition("allowed: ")[2], code=None
            ) from None
        keep &= frame["gender"].astype(str) == code
    if flags.get("age"):
        lo, sep, hi = str(flags["age"]).partition("-")
        if not sep:
            raise TargetingError("age", flags["age"], "MIN-MAX such as 25-35", code=None)
        keep &= (frame["min_age"] == _int("age", lo)) & (frame["max_age"] == _int("age", hi))
    for name in ("interest", "sub_interest", "category"):
        if flags.get(name) is not None:
            keep &= frame[name] == _int(name, flags[name])
    places: list[str] = []
    for name in ("departments", "zipcodes"):
        if flags.get(name):
            places += [c.strip().upper() for c in str(flags[name]).split(",") if c.strip()]
    if flags.get("region"):
        places += list(departments_of_region(flags["region"]))
    if places:
        keep &= frame["locality"].astype(str).isin(places)
    return frame[keep.fillna(False).astype(bool)]


def _store() -> Any:
    from smsp_analytics.history import QuoteHistory

    return QuoteHistory.open(True)


def _fail(where: str, exc: BaseException) -> int:
    """A store that cannot be read: one line (its URL redacted), exit 1."""
    click.echo(f"smsp {where}: {redact(str(exc).splitlines()[0])}", err=True)
    return 1


def _describe(row: Mapping[str, Any]) -> str:
    def codes(v: Any) -> tuple[str, ...]:
        return () if display.is_missing(v) else tuple(str(v).split(","))

    return display.describe_targeting(
        {
            "gender": None if display.is_missing(row["gender"]) else row["gender"],
            "age": (row["min_age"], row["max_age"]),
            "interest": row["interest"],
            "sub_interest": row["sub_interest"],
            "category": row["category"],
            "departments": codes(row["departments"]),
            "zipcodes": codes(row["zipcodes"]),
        }
    )


def _targetings(frame: pd.DataFrame) -> list[str]:
    seen: dict[Any, str] = {}
    out = []
    for row in frame.to_dict("records"):
        key = row.get("targeting_key")
        if key not in seen:
            seen[key] = _describe(row)
        out.append(seen[key])
    return out


def _utc(v: Any) -> str:
    return "" if display.is_missing(v) else f"{pd.Timestamp(v):%Y-%m-%d %H:%M}"


def _export(frame: pd.DataFrame, url: str) -> pd.DataFrame:
    """Rows for CSV/JSON: each quote keeps its own ``source`` and ``fetched_at`` columns (the
    JSON document's top-level provenance names the store), and sandbox quotes are marked row
    by row."""
    out = support.spelled(frame)
    out = out.assign(synthetic=out["source"].astype(str).str.startswith("sandbox"))
    out.attrs = {
        "synthetic": bool(out["synthetic"].any()),
        "source": f"quote history {url}",
        "fetched_at": pd.Timestamp.now(tz="UTC").isoformat(),
    }
    return out


def _mark(frame: pd.DataFrame) -> str:
    sandbox = frame["source"].astype(str).str.startswith("sandbox")
    if not sandbox.any():
        return "Source: SMS Partner API quotes"
    part = "" if sandbox.all() else f" ({int(sandbox.sum())} of {len(frame)} rows)"
    return f"{display.SYNTHETIC_MARK}{part}"


def _prompt_clear(url: str, quotes: int) -> bool:
    sys.stderr.write(
        f"This deletes every quote recorded in {url} ({quotes} quotes). Type yes to clear: "
    )
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() == "yes"


@smsp_command(
    "history", "smsp history --since 2026-10-01 --op calcul --departments 60\nsmsp history --clear"
)
@targeting_options
@click.option(
    "--since",
    default=None,
    metavar="DATE",
    callback=_when,
    help="quotes whose as_of is at or after DATE (YYYY-MM-DD or ISO datetime)",
)
@click.option(
    "--until",
    default=None,
    metavar="DATE",
    callback=_when,
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
            "--clear deletes every quote; it takes no --since, --until, --op or targeting flag"
        )
    store = _store()
    try:
        if clear:
            before = store.frame()
            quotes = int(before["quote_id"].nunique())
            if not yes and not _prompt_clear(store.url, quotes):
                click.echo("smsp history: not confirmed; nothing cleared", err=True)
                return 1
            removed = store.clear()  # quotes recorded since the count above go too
            click.echo(
                f"quote history {store.url} cleared: {removed} quotes "
                f"({len(before)} locality rows) removed",
                err=True,
            )
            return 0
        frame = narrow(store.frame(since=since, until=until, op=op), flags)
    except HistoryError as exc:
        return _fail("history", exc)
    finally:
        store.close()
    if fmt != "table":
        support.emit(_export(frame, store.url), fmt)
        return 0
    if frame.empty:
        click.echo(f"no quote recorded in {store.url} for these filters")
        return 0
    shown = pd.DataFrame(
        {
            "as_of (UTC)": [_utc(v) for v in frame["as_of"]],
            "op": frame["op"].astype(str),
            "source": frame["source"].astype(str),
            "targeting": _targetings(frame),
            "locality": [display.department_label(v) for v in frame["locality"]],
            "volume": [display.fmt_int(v) for v in frame["volume"]],
            "unit cost": [display.fmt_unit_price(v) for v in frame["unit_cost_eur"]],
            "cost": [display.fmt_eur(v) for v in frame["cost_eur"]],
        }
    )
    with pd.option_context("display.max_colwidth", 60):
        click.echo(shown.to_string(index=False))
    click.echo(
        f"total: {frame['quote_id'].nunique()} quotes, {display.fmt_int(len(frame))} locality "
        f"rows, {display.fmt_int(frame['volume'].sum())} contacts, "
        f"{display.fmt_eur(frame['cost_eur'].sum())}; as_of {_utc(frame['as_of'].min())} to "
        f"{_utc(frame['as_of'].max())} UTC; store {store.url}"
    )
    click.echo(_mark(frame))
    return 0


def _pct(v: Any) -> str:
    return "" if display.is_missing(v) else f"{float(v):+.1f}%"


def _signed(v: Any) -> str:
    return "" if display.is_missing(v) else f"{int(v):+,}"


@smsp_command("drift", "smsp drift --since 2026-10-01 --until 2026-11-01 --interest 14")
@targeting_options
@click.option(
    "--since",
    required=True,
    metavar="DATE",
    callback=_when,
    help="compare the latest quote at or before DATE ...",
)
@click.option(
    "--until",
    default=None,
    metavar="DATE",
    callback=_when,
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
        support.emit(_export(out, store.url), fmt)
        return 0
    if not (out["status"] != "after only").any():
        click.echo(f"nothing recorded before {since} (store {store.url})")
        if out.empty:
            return 0
    shown = pd.DataFrame(
        {
            "targeting": _targetings(out),
            "locality": [display.department_label(v) for v in out["locality"]],
            "status": out["status"].astype(str),
            "volume before": [
                display.fmt_int(v) if not display.is_missing(v) else ""
                for v in out["volume_before"]
            ],
            "volume after": [
                display.fmt_int(v) if not display.is_missing(v) else "" for v in out["volume_after"]
            ],
            "change": [_signed(v) for v in out["volume_change"]],
            "change %": [_pct(v) for v in out["volume_change_pct"]],
            "unit cost before": [
                "" if display.is_missing(v) else display.fmt_unit_price(v)
                for v in out["unit_cost_before"]
            ],
            "unit cost after": [
                "" if display.is_missing(v) else display.fmt_unit_price(v)
                for v in out["unit_cost_after"]
            ],
            "as_of before": [_utc(v) for v in out["as_of_before"]],
            "as_of after": [_utc(v) for v in out["as_of_after"]],
        }
    )
    with pd.option_context("display.max_colwidth", 60):
        click.echo(shown.to_string(index=False))
    both = out[out["status"] == "both"]
    if len(both):
        click.echo(
            f"total: {len(out)} localities ({len(both)} on both sides); volume "
            f"{display.fmt_int(both['volume_before'].sum())} -> "
            f"{display.fmt_int(both['volume_after'].sum())} where both sides were quoted"
        )
    click.echo(_mark(out))
    return 0
