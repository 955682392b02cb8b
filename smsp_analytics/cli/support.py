"""What the client commands share: reading flags into a Targeting, volumes and ``--by``
values (bad input raises before any sandbox starts), the CLI's client, and the output.

>>> targeting_of({"gender": "women", "age": "25-35", "interest": "14",
...               "departments": "60,02"}).to_parameters()
{'sexe': 'f', 'minAge': 25, 'maxAge': 35, 'interest': 14, 'department': '60,02'}
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import click
import pandas as pd

from smsp_analytics.cli.nokey import announcement, sandbox_home
from smsp_analytics.cli.targetflags import read_targeting
from smsp_analytics.client.facade import SANDBOX_STATE_FILE, Client, make_client
from smsp_analytics.display import (
    describe_targeting,
    fmt_int,
    fmt_unit_price,
    fmt_value,
    frame_totals,
    gender_words,
    is_missing,
    source_line,
)
from smsp_analytics.errors import TargetingError
from smsp_analytics.exports import FORMATS, format_of, write_frame
from smsp_analytics.targeting import Targeting

__all__ = [
    "targeting_of",
    "volumes_of",
    "by_values",
    "cli_client",
    "emit",
    "table_text",
    "show_context",
    "out_path",
    "spelled",
]

# Columns that hold ids or codes: shown as they are, never as counts ("1,234").
_AS_TEXT = {
    "id",
    "parent_id",
    "interest",
    "sub_interest",
    "category",
    "status_code",
    "token",
    "locality",
    "department",
    "zipcode",
}


def _int_or_none(name: str, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        if name == "category":
            return value  # "CSP+" / "CSP-"
        raise TargetingError(name, value, "an integer", code=None) from None


def targeting_of(flags: Mapping[str, Any]) -> Targeting:
    """A Targeting from the targeting flags (see ``cli_options.targeting_options``); every
    problem of the flags at once (:class:`~smsp_analytics.cli.targetflags.FlagProblems`)."""
    return read_targeting(flags)


def volumes_of(text: str | None) -> dict[str, int] | Literal["all"] | None:
    """``60=100,02=50`` as a dict; ``all`` as "all" (every available contact); None if empty.

    >>> volumes_of("60=100, 02=50"), volumes_of("all")
    ({'60': 100, '02': 50}, 'all')
    """
    if not text:
        return None
    if text.strip().lower() == "all":
        return "all"
    out: dict[str, int] = {}
    for item in text.split(","):
        loc, sep, n = item.partition("=")
        if not sep:
            raise TargetingError(
                "volumes", item, "LOCALITY=N pairs such as 60=100,02=50, or all", code=None
            )
        try:
            out[loc.strip()] = int(n)
        except ValueError:
            raise TargetingError("volumes", item, "an integer volume", code=None) from None
    return out


def by_values(items: Iterable[str], t: Targeting) -> dict[str, list[Any]]:
    """``--by`` values, each checked against the targeting before any sandbox or call."""
    from smsp_analytics.analysis.sweeps import SWEEP_FIELDS

    out: dict[str, list[Any]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not values:
            raise TargetingError("by", item, "FIELD=V1,V2 such as gender=women,men", code=None)
        if name not in SWEEP_FIELDS:
            raise TargetingError("by", name, ", ".join(SWEEP_FIELDS), code=None)
        vals = [v.strip() for v in values.split(",") if v.strip()]
        if name not in ("age", "gender"):
            vals = [_int_or_none(name, v) for v in vals]
        for v in vals:
            # The field is only known at run time: its value is checked by the targeting.
            change: dict[str, Any] = {name: v}
            dataclasses.replace(t, **change)  # raises TargetingError naming the field
        out[name] = vals
    return out


def out_path(out: str | None) -> Path | None:
    """``--out FILE`` checked before any call: its folder exists and its format is known."""
    if out is None:
        return None
    path = Path(out)
    if path.suffix and format_of(path, default="") == "":
        raise click.BadParameter(
            f"{path.suffix!r} is not a known format; allowed: "
            + ", ".join(f".{f}" for f in FORMATS),
            param_hint="'--out'",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.BadParameter(f"folder {str(folder)!r} does not exist", param_hint="'--out'")
    return path


def cli_client(xml: bool) -> Client:
    """The client of a command: the API with a key, else a sandbox whose state (balance,
    rentals, journal) outlives the process, so `smsp rent` then `smsp status` work."""
    home = sandbox_home()
    first = not (home / SANDBOX_STATE_FILE).exists()  # this command creates the state
    client = make_client(format="xml" if xml else "json", keep_sandbox_in=home)
    if client.sandbox is not None:  # one line the first time, a short mark afterwards
        click.echo(announcement(first=first), err=True)
    return client


def _gender_text(v: Any) -> str:
    try:
        return _text(v) and gender_words(v)
    except ValueError:  # not a gender spelling: shown as it is rather than failing the output
        return str(v)


def _formatter(column: str) -> Any:
    if column == "gender":
        return _gender_text
    if column in _AS_TEXT:
        return _text
    return lambda v: fmt_value(v, column)


def _text(v: Any) -> str:
    return "" if is_missing(v) else str(v)


def table_text(df: pd.DataFrame) -> str:
    """The frame as a screen table: counts with separators, euros with cents, unit prices
    with three decimals, genders in words.

    >>> print(table_text(pd.DataFrame({"gender": ["m"], "unit_cost_eur": [0.09]})))
           gender unit_cost_eur
    men and women        €0.090
    """
    # Formatted here, cell by cell: to_string's formatters skip missing values.
    shown = pd.DataFrame(
        {
            c: [
                (
                    _formatter(str(c))
                    if c == "gender" or c in _AS_TEXT or pd.api.types.is_numeric_dtype(df[c])
                    else _text
                )(v)
                for v in df[c]
            ]
            for c in df.columns
        },
        columns=df.columns,
    )
    with pd.option_context("display.max_rows", 200, "display.width", 140):
        return shown.to_string(index=False)


def spelled(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its ``gender`` column in words (the vendor's "m" read as "men" would
    mislead whoever opens the file); Targeting accepts the words back.

    >>> spelled(pd.DataFrame({"gender": ["m", "f"]}))["gender"].tolist()
    ['men and women', 'women']
    """
    if "gender" not in df.columns:
        return df
    out = df.assign(gender=[_gender_text(v) for v in df["gender"]])
    out.attrs = df.attrs
    return out


def emit(df: pd.DataFrame, fmt: str) -> None:
    """Write the frame to stdout: a table, or CSV/JSON with its provenance."""
    if fmt in ("csv", "json"):
        write_frame(spelled(df), sys.stdout, fmt)
    else:
        sys.stdout.write(table_text(df) + "\n")
    sys.stdout.flush()


def show_context(df: pd.DataFrame, *, totals: bool) -> None:
    """On stderr: the targeting (gender in words), the totals, and where the numbers come
    from (the synthetic mark on the sandbox)."""
    t = df.attrs.get("targeting")
    if t is not None:
        by = df.attrs.get("by")
        swept = f"; compared by {', '.join(by)}" if by else ""
        click.echo(f"targeting: {describe_targeting(t)}{swept}", err=True)
    if totals and df.attrs.get("total_quantity") is not None:
        tot = frame_totals(df)
        unit = (
            f" at {fmt_unit_price(tot.unit_cost_eur)} per contact"
            if tot.unit_cost_eur is not None
            else ""
        )
        click.echo(
            f"total: {fmt_int(tot.volume)} contacts, "
            f"{fmt_value(tot.cost_eur or 0, 'cost_eur')}{unit}",
            err=True,
        )
    click.echo(source_line(df), err=True)
