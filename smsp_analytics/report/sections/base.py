"""What a report section is: one unit holding its key, its data, its figures and its text.

A section module defines its keys (the page anchor, its tables and figures) once, as
constants, and one :class:`ReportSection` built from its three functions; the registry
(:data:`smsp_analytics.report.sections.SECTIONS`) lists the modules' sections in the
report's order. The builder asks each section, in that order, for its :class:`Part` (its
tables, the report attributes it sets and what its figures need), then for its figures,
then for its text; the HTML page and the workbook follow the same order.

>>> part = Part(tables={"t": pd.DataFrame({"volume": [1]})})
>>> part.present, Part().present
(True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from smsp_analytics.campaign.messages import MessageParts
from smsp_analytics.history import QuoteHistory
from smsp_analytics.report.model import Section
from smsp_analytics.report.scenarios import Scenario

if TYPE_CHECKING:  # the model only types the callables' arguments
    from smsp_analytics.report.model import ReportModel

__all__ = ["Inputs", "Part", "ReportSection", "marked"]


@dataclass(frozen=True)
class Inputs:
    """What every section's data may read: the client and the report's checked arguments.

    ``frames``: each scenario's calcul answer (asked once, shared by the sections);
    ``names``: interest id -> name; ``mains``: the interests of the interest breakdown;
    ``as_of``: the earliest server time of ``frames`` (None when not known); ``message``,
    ``message_text``, ``price`` (EUR, ``"account"`` or None), ``start``, ``history``,
    ``since``, ``numbers`` (the rented numbers as read, None: no cleaning) and ``check``
    (look them up): the campaign and change arguments of
    :func:`~smsp_analytics.report.build_report`, checked.
    """

    client: Any
    scenarios: tuple[Scenario, ...]
    synthetic: bool
    budget_eur: float
    frames: tuple[pd.DataFrame, ...]
    names: dict[int, str]
    mains: tuple[int, ...]
    message: MessageParts
    message_text: str
    price: float | str | None = None
    start: dt.date | None = None
    history: pd.DataFrame | QuoteHistory | None = None
    since: pd.Timestamp | None = None
    as_of: pd.Timestamp | None = None
    numbers: list[Any] | None = None
    check: bool = True


@dataclass
class Part:
    """A section's data: its tables (none: the section is left out of the report), the
    report attributes it sets (``fields``), what its figures need beyond its tables
    (``state``), and, once drawn, its figures."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    state: Any = None
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        return bool(self.tables)


Data = Callable[[Inputs, "ReportModel"], Part]
Figures = Callable[[Inputs, "ReportModel", Part], dict[str, Any]]
Text = Callable[["ReportModel", Part], tuple[str, str]]


@dataclass(frozen=True)
class ReportSection:
    """One section of the report, registered once.

    ``key``: its anchor on the page; ``tables``: its table keys -> titles (in sheet order);
    ``data(inputs, report)``: its :class:`Part` (``report`` holds the earlier sections'
    tables and attributes); ``figures(inputs, report, part)``: figure key -> figure (None:
    the section has no figure); ``text(report, part)``: its ``(title, intro)`` in the
    language in force; ``collapse_tables``: its tables folded under their titles on the
    page; ``sheets``: its table keys -> the workbook's sheet names, words of at most 31
    characters without ``[]:*?/\\``. Titles and sheet names are English, marked with
    ``N_`` and translated when used.
    """

    key: str
    tables: Mapping[str, str]
    data: Data
    text: Text
    figures: Figures | None = None
    collapse_tables: bool = True
    sheets: Mapping[str, str] = field(default_factory=dict)

    def page(self, report: ReportModel, part: Part) -> Section:
        """The part of the page this section shows for ``report``."""
        title, intro = self.text(report, part)
        return Section(
            self.key,
            title,
            intro,
            figures=tuple(part.figures),
            tables=tuple(part.tables),
            collapse_tables=self.collapse_tables,
        )


def marked(df: pd.DataFrame, synthetic: bool) -> pd.DataFrame:
    """A copy of ``df`` telling the charts whether its figures are synthetic."""
    df = df.copy()
    df.attrs["synthetic"] = synthetic
    return df
