"""The "Scenarios" section: each scenario as a whole (one calcul each), its volume and cost.

>>> SECTION.key, list(SECTION.tables)
('scenarios', ['summary'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import summary_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "SUMMARY"]

KEY = "scenarios"
#: The summary table and its figure: the report's first table, read by its summary line.
SUMMARY = "summary"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    table = summary_table(inputs.client, inputs.scenarios, inputs.names, inputs.frames)
    # Live figures say when they were read; the sandbox's never do (reproducible reports).
    fetched_at = None if inputs.synthetic else table.attrs["fetched_at"]
    return Part(tables={SUMMARY: table}, fields={"fetched_at": fetched_at})


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        SUMMARY: charts.cost_comparison(
            marked(part.tables[SUMMARY], inputs.synthetic),
            x="scenario",
            y="cost_eur",
            title=_("Cost of all available contacts, per scenario"),
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        _("Scenarios"),
        _(
            "Each scenario is one targeting; its volume is every available contact "
            "(calcul) and its cost what renting all of them would cost."
        ),
    )


SECTION = ReportSection(
    KEY,
    {SUMMARY: N_("Scenarios: available contacts and cost (calcul)")},
    _data,
    _text,
    _figures,
    collapse_tables=False,
    sheets={SUMMARY: N_("Summary")},
)
