"""The "By interest" section: each scenario re-run with each main interest in place of its
own (its sub-interest dropped).

>>> list(SECTION.tables)
['by_interest']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.scenarios import Scenario, with_changes
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_INTEREST"]

KEY = "interest"
BY_INTEREST = "by_interest"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    mains, names = list(inputs.mains), inputs.names

    def interests_of(s: Scenario) -> Variants:
        base = with_changes(
            s.targeting, sub_interest=None, interest=s.targeting.interest or mains[0]
        )
        return base, mains, [str(i) for i in mains]

    table = dimension_table(inputs.client, inputs.scenarios, "interest", "interest", interests_of)
    table["interest"] = table["interest"].astype("int64")
    table.insert(2, "interest_name", [names.get(i, str(i)) for i in table["interest"]])
    return Part(tables={BY_INTEREST: table})


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        BY_INTEREST: charts.interest_comparison(
            marked(part.tables[BY_INTEREST], inputs.synthetic),
            x="interest",
            y="volume",
            color="scenario",
            sort="data",
            labels={i: f"{i} {n}" for i, n in inputs.names.items()},
            title=_("Contacts by interest, per scenario"),
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        _("By interest"),
        _(
            "Each scenario re-run with each main interest in place of its own (its "
            "sub-interest dropped). Interests overlap: do not add them up."
        ),
    )


SECTION = ReportSection(
    KEY,
    {BY_INTEREST: N_("By interest")},
    _data,
    _text,
    _figures,
    sheets={BY_INTEREST: N_("By interest")},
)
