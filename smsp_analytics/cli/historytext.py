"""The quote history on screen, for ``smsp history`` and ``smsp drift``: reading the date and
targeting flags, narrowing the rows, the tables and their totals in the language in force,
and the rows exported as CSV/JSON. Split from :mod:`smsp_analytics.cli.history` (which
defines the commands); no command is defined here, so nothing registers on import.

>>> narrow(pd.DataFrame({"gender": ["f", "h"], "locality": ["60", "60"]}),
...        {"gender": "women"})["gender"].tolist()
['f']
>>> signed_pct(12.345), signed_int(-1234)
('+12.3%', '-1,234')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from smsp_analytics.cli.registry import Lazy
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import TARGETING_OPTIONS, category_code

if TYPE_CHECKING:  # the checker sees the modules themselves
    import pandas as pd

    from smsp_analytics import display
    from smsp_analytics.cli import support
else:  # imported when a command runs: `smsp --help` and `smsp sandbox` do not load pandas
    pd = Lazy("pandas")
    display = Lazy("smsp_analytics.display")
    support = Lazy("smsp_analytics.cli.support")

__all__ = [
    "when",
    "given_targeting",
    "narrow",
    "export_rows",
    "mark_line",
    "history_table",
    "history_total",
    "drift_table",
    "drift_total",
    "signed_pct",
    "signed_int",
]

# The tables' headers (English msgids: the tables read as before in English).
_HISTORY_HEADERS = (
    N_("as_of (UTC)"),
    N_("op"),
    N_("source"),
    N_("targeting"),
    N_("locality"),
    N_("volume"),
    N_("unit cost"),
    N_("cost"),
)
_DRIFT_HEADERS = (
    N_("targeting"),
    N_("locality"),
    N_("status"),
    N_("volume before"),
    N_("volume after"),
    N_("change"),
    N_("change %"),
    N_("unit cost before"),
    N_("unit cost after"),
    N_("as_of before"),
    N_("as_of after"),
)
# A drift row's status in words (the frame keeps these English words).
_STATUSES = {"both": N_("both"), "before only": N_("before only"), "after only": N_("after only")}


def when(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--since`` / ``--until``: a date or an ISO datetime, checked before the store opens."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value.strip())
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise click.BadParameter(
            _(
                "{value} is not a date; allowed: YYYY-MM-DD or an ISO "
                "datetime such as 2026-10-01T12:00:00+00:00"
            ).format(value=repr(value))
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
        raise TargetingError(name, value, _("an integer"), code=None) from None


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
            raise TargetingError("age", flags["age"], _("MIN-MAX such as 25-35"), code=None)
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
    return "" if display.is_missing(v) else display.fmt_datetime(pd.Timestamp(v), "iso")


def export_rows(frame: pd.DataFrame, url: str) -> pd.DataFrame:
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


def mark_line(frame: pd.DataFrame) -> str:
    """Where the rows come from: the API's quotes, or the synthetic mark (with how many rows
    are the sandbox's when both are there)."""
    sandbox = frame["source"].astype(str).str.startswith("sandbox")
    if not sandbox.any():
        return _("Source: SMS Partner API quotes")
    if sandbox.all():
        return display.synthetic_text()
    return _("{mark} ({count} of {total} rows)").format(
        mark=display.synthetic_text(),
        count=display.fmt_int(int(sandbox.sum())),
        total=display.fmt_int(len(frame)),
    )


def _table(columns: list[list[str]], headers: tuple[str, ...]) -> str:
    shown = pd.DataFrame(dict(enumerate(columns)))
    shown.columns = pd.Index([_(h) for h in headers])
    with pd.option_context("display.max_colwidth", 60):
        return shown.to_string(index=False)


def history_table(frame: pd.DataFrame) -> str:
    """The history rows on screen: when, what, where from, the targeting in words, the
    locality with its name, volume, unit cost and cost."""
    return _table(
        [
            [_utc(v) for v in frame["as_of"]],
            [str(v) for v in frame["op"]],
            [str(v) for v in frame["source"]],
            _targetings(frame),
            [display.department_label(v) for v in frame["locality"]],
            [display.fmt_int(v) for v in frame["volume"]],
            [display.fmt_unit_price(v) for v in frame["unit_cost_eur"]],
            [display.fmt_eur(v) for v in frame["cost_eur"]],
        ],
        _HISTORY_HEADERS,
    )


def history_total(frame: pd.DataFrame, url: str) -> str:
    """The history's total line: quotes, rows, contacts, cost, the period and the store."""
    return _(
        "total: {quotes} quotes, {rows} locality rows, {contacts} contacts, {cost}; "
        "as_of {first} to {last} UTC; store {store}"
    ).format(
        quotes=display.fmt_int(frame["quote_id"].nunique()),
        rows=display.fmt_int(len(frame)),
        contacts=display.fmt_int(frame["volume"].sum()),
        cost=display.fmt_eur(frame["cost_eur"].sum()),
        first=_utc(frame["as_of"].min()),
        last=_utc(frame["as_of"].max()),
        store=url,
    )


def signed_pct(v: Any) -> str:
    """A change in percent (``12.3`` is 12.3 %) with its sign; "" when missing."""
    if display.is_missing(v):
        return ""
    return ("+" if float(v) >= 0 else "") + display.fmt_pct(float(v) / 100)


def signed_int(v: Any) -> str:
    """A change in contacts with its sign; "" when missing."""
    if display.is_missing(v):
        return ""
    return ("+" if int(v) >= 0 else "") + display.fmt_int(int(v))


def _status(v: Any) -> str:
    text = str(v)
    return _(_STATUSES[text]) if text in _STATUSES else text


def drift_table(out: pd.DataFrame) -> str:
    """The drift rows on screen: each targeting and locality, before, after and the change."""

    def maybe(values: Any, fmt: Any) -> list[str]:
        return ["" if display.is_missing(v) else fmt(v) for v in values]

    return _table(
        [
            _targetings(out),
            [display.department_label(v) for v in out["locality"]],
            [_status(v) for v in out["status"]],
            maybe(out["volume_before"], display.fmt_int),
            maybe(out["volume_after"], display.fmt_int),
            [signed_int(v) for v in out["volume_change"]],
            [signed_pct(v) for v in out["volume_change_pct"]],
            maybe(out["unit_cost_before"], display.fmt_unit_price),
            maybe(out["unit_cost_after"], display.fmt_unit_price),
            [_utc(v) for v in out["as_of_before"]],
            [_utc(v) for v in out["as_of_after"]],
        ],
        _DRIFT_HEADERS,
    )


def drift_total(out: pd.DataFrame) -> str | None:
    """The drift's total line where both sides were quoted (None when no locality was)."""
    both = out[out["status"] == "both"]
    if not len(both):
        return None
    return _(
        "total: {localities} localities ({both} on both sides); volume {before} -> {after} "
        "where both sides were quoted"
    ).format(
        localities=display.fmt_int(len(out)),
        both=display.fmt_int(len(both)),
        before=display.fmt_int(both["volume_before"].sum()),
        after=display.fmt_int(both["volume_after"].sum()),
    )
