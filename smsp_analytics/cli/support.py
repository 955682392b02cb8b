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
from smsp_analytics.cli.options import csv_dialect
from smsp_analytics.cli.registry import spawned_sandbox
from smsp_analytics.cli.targetflags import read_targeting
from smsp_analytics.client.assembly import key_from_environment
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
from smsp_analytics.i18n import N_, _
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
    "header",
    "cell_text",
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


# The screen tables' headers: the frame's column names in English (the msgids are the
# names themselves, so English tables read as before), words in French.
_HEADERS = {
    "locality_type": N_("locality_type"),
    "locality": N_("locality"),
    "department": N_("department"),
    "zipcode": N_("zipcode"),
    "volume": N_("volume"),
    "available": N_("available"),
    "unit_cost_eur": N_("unit_cost_eur"),
    "cost_eur": N_("cost_eur"),
    "gender": N_("gender"),
    "age": N_("age"),
    "interest": N_("interest"),
    "sub_interest": N_("sub_interest"),
    "category": N_("category"),
    "token": N_("token"),
    "status": N_("status"),
    "status_code": N_("status_code"),
    "balance_eur": N_("balance_eur"),
    "currency": N_("currency"),
    "credit_sms": N_("credit_sms"),
    "credit_sms_eco": N_("credit_sms_eco"),
    "credit_hlr": N_("credit_hlr"),
    "to_send": N_("to_send"),
    "username": N_("username"),
    "id": N_("id"),
    "name": N_("name"),
    "parent_id": N_("parent_id"),
    "level": N_("level"),
    "synthetic": N_("synthetic"),
    "phone_number": N_("phone_number"),
    "state": N_("state"),
    "created_at": N_("created_at"),
    "targeting": N_("targeting"),
    "quote_eur": N_("quote_eur"),
    "note": N_("note"),
    "stopped_at": N_("stopped_at"),
    "stopped_at (UTC)": N_("stopped_at (UTC)"),
    "request": N_("request"),
    "valid": N_("valid"),
    "type": N_("type"),
    "country": N_("country"),
    "prefix": N_("prefix"),
    "national": N_("national"),
    "international": N_("international"),
    "valid_mobile": N_("valid_mobile"),
    "month": N_("month"),
    "sms_sent": N_("sms_sent"),
    "cost_per_sms_eur": N_("cost_per_sms_eur"),
}
# Words in cells: where a locality is (the vendor's kind of locality).
_CELL_WORDS = {"department": N_("department"), "zipcode": N_("zipcode")}


def header(column: Any) -> str:
    """A column's header on screen, in the language in force (unknown columns as they are).

    >>> header("unit_cost_eur"), header("some_column")
    ('unit_cost_eur', 'some_column')
    """
    name = str(column)
    return _(_HEADERS[name]) if name in _HEADERS else name


def _int_or_none(name: str, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        if name == "category":
            return value  # "CSP+" / "CSP-"
        raise TargetingError(name, value, _("an integer"), code=None) from None


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
                "volumes", item, _("LOCALITY=N pairs such as 60=100,02=50, or all"), code=None
            )
        try:
            out[loc.strip()] = int(n)
        except ValueError:
            raise TargetingError("volumes", item, _("an integer volume"), code=None) from None
    return out


def by_values(items: Iterable[str], t: Targeting) -> dict[str, list[Any]]:
    """``--by`` values, each checked against the targeting before any sandbox or call."""
    from smsp_analytics.analysis.sweeps import SWEEP_FIELDS

    out: dict[str, list[Any]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not values:
            raise TargetingError("by", item, _("FIELD=V1,V2 such as gender=women,men"), code=None)
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
            _("{suffix} is not a known format; allowed: {allowed}").format(
                suffix=repr(path.suffix), allowed=", ".join(f".{f}" for f in FORMATS)
            ),
            param_hint="'--out'",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.BadParameter(
            _("folder {folder} does not exist").format(folder=repr(str(folder))),
            param_hint="'--out'",
        )
    return path


def cli_client(xml: bool) -> Client:
    """The client of a command: the API with a key, else a sandbox whose state (balance,
    rentals, journal) outlives the process, so `smsp rent` then `smsp status` work.

    The no-key sandbox gets no HTTP cache: the client would keep it in a temporary folder
    that goes with the process, so it would only cost (the cache's import, a SQLite file,
    a write per answer); the client's memo still answers a repeated call in the process."""
    home = sandbox_home()
    first = not (home / SANDBOX_STATE_FILE).exists()  # this command creates the state
    no_key = key_from_environment() is None
    options: dict[str, Any] = {"cache": False} if no_key else {}
    spawned = spawned_sandbox()
    if no_key and spawned is not None:  # the sandbox process main() spawned for this command
        options["sandbox"] = {"process": spawned}
    client = make_client(format="xml" if xml else "json", keep_sandbox_in=home, **options)
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
    if column == "locality_type":
        return _kind_text
    if column in _AS_TEXT:
        return _text
    return lambda v: fmt_value(v, column)


def _text(v: Any) -> str:
    return "" if is_missing(v) else str(v)


def cell_text(v: Any) -> str:
    """A cell shown as it is ("" when missing)."""
    return _text(v)


def _kind_text(v: Any) -> str:
    text = _text(v)
    return _(_CELL_WORDS[text]) if text in _CELL_WORDS else text


def table_text(df: pd.DataFrame) -> str:
    """The frame as a screen table, in the language in force: counts with separators, euros
    with cents, unit prices with three decimals, genders in words, the headers' words; an
    empty frame is its header line.

    >>> print(table_text(pd.DataFrame({"gender": ["m"], "unit_cost_eur": [0.09]})))
           gender unit_cost_eur
    men and women        €0.090
    >>> from smsp_analytics.i18n import use_lang
    >>> with use_lang("fr"):  # CLDR's no-break space before "€" shown as a space here
    ...     text = table_text(pd.DataFrame({"gender": ["m"], "unit_cost_eur": [0.09]}))
    >>> print(text.replace("\xa0", " "))
               genre coût unitaire
    hommes et femmes       0,090 €
    """
    # Formatted here, cell by cell: to_string's formatters skip missing values.
    columns = [header(c) for c in df.columns]
    if df.empty:
        return " ".join(columns)
    shown = pd.DataFrame(
        {
            i: [
                (
                    _formatter(str(c))
                    if c in ("gender", "locality_type")
                    or c in _AS_TEXT
                    or pd.api.types.is_numeric_dtype(df[c])
                    else _text
                )(v)
                for v in df[c]
            ]
            for i, c in enumerate(df.columns)
        }
    )
    shown.columns = pd.Index(columns)
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
    """Write the frame to stdout: a table, or CSV/JSON with its provenance (CSV in the
    command's ``--csv-dialect``)."""
    if fmt in ("csv", "json"):
        write_frame(spelled(df), sys.stdout, fmt, dialect=csv_dialect())
    else:
        sys.stdout.write(table_text(df) + "\n")
    sys.stdout.flush()


def show_context(df: pd.DataFrame, *, totals: bool) -> None:
    """On stderr: the targeting (gender in words), the totals, and where the numbers come
    from (the synthetic mark on the sandbox)."""
    t = df.attrs.get("targeting")
    if t is not None:
        by = df.attrs.get("by")
        if by:
            line = _("targeting: {targeting}; compared by {fields}").format(
                targeting=describe_targeting(t), fields=", ".join(header(b) for b in by)
            )
        else:
            line = _("targeting: {targeting}").format(targeting=describe_targeting(t))
        click.echo(line, err=True)
    if totals and df.attrs.get("total_quantity") is not None:
        tot = frame_totals(df)
        count, cost = fmt_int(tot.volume), fmt_value(tot.cost_eur or 0, "cost_eur")
        if tot.unit_cost_eur is not None:
            line = _("total: {count} contacts, {cost} at {unit} per contact").format(
                count=count, cost=cost, unit=fmt_unit_price(tot.unit_cost_eur)
            )
        else:
            line = _("total: {count} contacts, {cost}").format(count=count, cost=cost)
        click.echo(line, err=True)
    click.echo(source_line(df), err=True)
