"""Options shared by several ``smsp`` commands, declared once (click decorators).

Only click is imported here: the commands that need pandas import it themselves.

>>> import click
>>> @click.command()
... @targeting_options
... def show(**kw):
...     click.echo(kw["gender"])
>>> show.main(["--gender", "women"], standalone_mode=False)
women
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from smsp_analytics.cli.registry import smsp_command

__all__ = [
    "targeting_options",
    "output_options",
    "xml_option",
    "format_option",
    "smsp_command",
    "CSV_DIALECTS",
    "csv_dialect",
]

#: ``--csv-dialect``: ``default`` (comma, decimal point: machine-readable) or ``fr`` (``;``,
#: decimal comma, UTF-8 with BOM: French Excel opens it as it is).
CSV_DIALECTS = ("default", "fr")
_DIALECT_KEY = "smsp.csv_dialect"


def _keep_dialect(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    ctx.meta[_DIALECT_KEY] = (value or "default").lower()


def csv_dialect() -> str:
    """The ``--csv-dialect`` of the command running (``default`` outside a command).

    >>> csv_dialect()
    'default'
    """
    ctx = click.get_current_context(silent=True)
    return str(ctx.meta.get(_DIALECT_KEY, "default")) if ctx is not None else "default"


F = Callable[..., Any]

_TARGETING = [
    click.option(
        "--gender",
        default="all",
        show_default=True,
        metavar="WHO",
        help="women, men or all (men and women); also the vendor's letters f "
        "(women), h (men), m (mixed: men and women)",
    ),
    click.option(
        "--age",
        default="18-98",
        show_default=True,
        metavar="MIN-MAX",
        help="age band, e.g. 25-35 (18 to 98)",
    ),
    click.option(
        "--interest",
        default=None,
        metavar="ID",
        help="main interest id (list them with 'smsp categories')",
    ),
    click.option(
        "--sub-interest",
        "sub_interest",
        default=None,
        metavar="ID",
        help="sub-interest id (see 'smsp categories')",
    ),
    click.option(
        "--category",
        default=None,
        metavar="CSP",
        help="socio-professional category: 102 or CSP+, 103 or CSP-",
    ),
    click.option(
        "--departments",
        default=None,
        metavar="CODES",
        help="comma-separated department codes, e.g. 60,02",
    ),
    click.option(
        "--zipcodes",
        default=None,
        metavar="CODES",
        help="comma-separated zip codes (outside the targeted departments)",
    ),
    click.option(
        "--region",
        default=None,
        metavar="NAME",
        help="all departments of a region, e.g. 'Hauts-de-France'",
    ),
]

_OUTPUT = [
    click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="table on screen; csv and json carry the synthetic mark or the source and fetch time",
    ),
    click.option(
        "--csv-dialect",
        type=click.Choice(CSV_DIALECTS, case_sensitive=False),
        default="default",
        show_default=True,
        expose_value=False,
        callback=_keep_dialect,
        help="CSV written: 'default' (comma, decimal point) or 'fr' (semicolon, decimal "
        "comma, UTF-8 with BOM, for French Excel)",
    ),
]


def _apply(options: Sequence[Callable[[F], F]], f: F) -> F:
    for option in reversed(options):  # so --help lists them in declaration order
        f = option(f)
    return f


def targeting_options(f: F) -> F:
    """The targeting flags: --gender, --age, --interest, --sub-interest, --category,
    --departments, --zipcodes, --region."""
    return _apply(_TARGETING, f)


def xml_option(f: F) -> F:
    """``--xml``: ask the API for XML (the same frames come out)."""
    return click.option("--xml", is_flag=True, help="ask the API for XML (same result)")(f)


def format_option(f: F) -> F:
    """``--format table|csv|json`` alone (commands that do not call the API: no --xml)."""
    return _apply(_OUTPUT, f)


def output_options(f: F) -> F:
    """``--format table|csv|json`` and ``--xml``."""
    return xml_option(_apply(_OUTPUT, f))
