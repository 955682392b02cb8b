"""The "By socio-professional category" section: each scenario re-run with no CSP filter,
CSP+ (102) and CSP- (103).

>>> list(SECTION.tables)
['by_csp']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.report.scenarios import CSP_OPTIONS, Scenario, with_changes
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_CSP"]

KEY = "csp"
BY_CSP = "by_csp"


def _categories(s: Scenario) -> Variants:
    return (with_changes(s.targeting, category=None), list(CSP_OPTIONS), list(CSP_OPTIONS.values()))


def _data(inputs: Inputs, report: ReportModel) -> Part:
    return Part(
        tables={
            BY_CSP: dimension_table(inputs.client, inputs.scenarios, "category", "csp", _categories)
        }
    )


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        BY_CSP: charts.cost_comparison(
            marked(part.tables[BY_CSP], inputs.synthetic),
            x="scenario",
            y="cost_eur",
            color="csp",
            title="Cost by CSP, per scenario",
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        "By socio-professional category",
        "Each scenario re-run with no CSP filter, CSP+ (102) and CSP- (103).",
    )


SECTION = ReportSection(
    KEY, {BY_CSP: "By socio-professional category (CSP)"}, _data, _text, _figures
)
