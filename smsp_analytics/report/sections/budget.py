"""The "Budget plan" section: how the same budget would be spent on each scenario, per
department (``plan_budget``, proportional strategy; a plan and a quote, nothing rented).

>>> list(SECTION.tables)
['budget_plan']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.display import department_label, fmt_eur
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import budget_plan_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BUDGET_PLAN"]

KEY = "budget"
BUDGET_PLAN = "budget_plan"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    return Part(
        tables={BUDGET_PLAN: budget_plan_table(inputs.client, inputs.scenarios, inputs.budget_eur)}
    )


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    plan = part.tables[BUDGET_PLAN].rename(
        columns={"planned_volume": "volume", "planned_cost_eur": "cost_eur"}
    )
    plan = plan.assign(department_label=[department_label(c) for c in plan["department"]])
    return {
        BUDGET_PLAN: charts.cost_comparison(
            marked(plan, inputs.synthetic),
            x="scenario",
            y="volume",
            color="department_label",
            title=_("Contacts a {budget} budget buys, per department").format(
                budget=fmt_eur(inputs.budget_eur)
            ),
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        _("Budget plan"),
        _(
            "How a budget of {budget} would be spent on each scenario, per department (a "
            "plan and a quote: nothing is rented)."
        ).format(budget=fmt_eur(report.budget_eur)),
    )


SECTION = ReportSection(
    KEY,
    {BUDGET_PLAN: N_("Budget plan")},
    _data,
    _text,
    _figures,
    sheets={BUDGET_PLAN: N_("Budget plan")},
)
