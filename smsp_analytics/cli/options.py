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

__all__ = ["targeting_options", "output_options", "xml_option", "format_option", "smsp_command"]

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
    )
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
