"""The "By department" section: each scenario per department, a map per scenario.

Every scenario gets its own map, zoomed on its departments (the charts' ``zoom="auto"``)
with the rest of France faint around them and Paris's inset when the inner ring is
targeted. Map keys are stable, so the HTML page and notebook 03 can address them:
``map_1`` is the first scenario's map.

>>> map_key(0), list(SECTION.tables)
('map_1', ['by_department'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.display import department_label
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import department_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_DEPARTMENT", "map_key"]

KEY = "departments"
BY_DEPARTMENT = "by_department"


def map_key(index: int) -> str:
    """The figure key of the map of the scenario at ``index`` (0-based)."""
    return f"map_{index + 1}"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    return Part(tables={BY_DEPARTMENT: department_table(inputs.client, inputs.scenarios)})


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    synthetic = inputs.synthetic
    dep = part.tables[BY_DEPARTMENT]
    figs: dict[str, Any] = {}
    for i, s in enumerate(inputs.scenarios):
        figs[map_key(i)] = charts.map_departments(
            marked(dep[dep["scenario"] == s.name], synthetic),
            color="cost_eur",
            title=_("Cost by department: {scenario}").format(scenario=s.name),
            synthetic=synthetic,
        )
    labelled = dep.assign(department_label=[department_label(c) for c in dep["department"]])
    figs[BY_DEPARTMENT] = charts.cost_comparison(
        marked(labelled, synthetic),
        x="department_label",
        y="cost_eur",
        color="scenario",
        title=_("Cost by department and scenario"),
        synthetic=synthetic,
    )
    return figs


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        _("By department"),
        _(
            "Available contacts and cost per targeted department. One map per scenario, "
            "zoomed on its departments with the rest of France faint around them; Paris "
            "and its inner ring are enlarged in an inset, overseas departments are drawn "
            "beside the map."
        ),
    )


SECTION = ReportSection(
    KEY,
    {BY_DEPARTMENT: N_("By department")},
    _data,
    _text,
    _figures,
    sheets={BY_DEPARTMENT: N_("By department")},
)
