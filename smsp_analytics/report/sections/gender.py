"""The "By gender" section: each scenario re-run for women, for men, and for men and women.

>>> list(SECTION.tables)
['by_gender']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.report.scenarios import GENDER_OPTIONS, Scenario
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_GENDER"]

KEY = "gender"
BY_GENDER = "by_gender"


def _genders(s: Scenario) -> Variants:
    return s.targeting, list(GENDER_OPTIONS), list(GENDER_OPTIONS.values())


def _data(inputs: Inputs, report: ReportModel) -> Part:
    return Part(
        tables={
            BY_GENDER: dimension_table(
                inputs.client, inputs.scenarios, "gender", "gender", _genders
            )
        }
    )


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        BY_GENDER: charts.cost_comparison(
            marked(part.tables[BY_GENDER], inputs.synthetic),
            x="scenario",
            y="cost_eur",
            color="gender",
            title="Cost by gender, per scenario",
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        "By gender",
        "Each scenario re-run for women, for men, and for men and women (the "
        "vendor's mixed audience, the sum of the two).",
    )


SECTION = ReportSection(KEY, {BY_GENDER: "By gender"}, _data, _text, _figures)
