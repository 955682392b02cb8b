"""The "By socio-professional category" section: each scenario re-run with no CSP filter,
CSP+ (102) and CSP- (103).

>>> list(SECTION.tables)
['by_csp']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.scenarios import Scenario, csp_options, with_changes
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_CSP"]

KEY = "csp"
BY_CSP = "by_csp"


def _categories(s: Scenario) -> Variants:
    options = csp_options()
    return with_changes(s.targeting, category=None), list(options), list(options.values())


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
            title=_("Cost by CSP, per scenario"),
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        _("By socio-professional category"),
        _("Each scenario re-run with no CSP filter, CSP+ (102) and CSP- (103)."),
    )


SECTION = ReportSection(
    KEY,
    {BY_CSP: N_("By socio-professional category (CSP)")},
    _data,
    _text,
    _figures,
    sheets={BY_CSP: N_("By CSP")},
)
