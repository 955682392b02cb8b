"""The "By gender" section: each scenario re-run for women, for men, and for men and women.

The three are three queries, each counted (and, on the sandbox, rounded down per locality)
on its own: the mixed count is the vendor's answer, not women + men, and the text says by
how much they differ (:func:`mixed_gap`).

>>> list(SECTION.tables)
['by_gender']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from smsp_analytics import charts
from smsp_analytics.display import fmt_int
from smsp_analytics.report.scenarios import GENDER_OPTIONS, Scenario
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_GENDER", "mixed_gap"]

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


def mixed_gap(table: pd.DataFrame) -> pd.Series:
    """Per scenario (in the table's order): the men-and-women count minus women + men.

    >>> t = pd.DataFrame({"scenario": ["A"] * 3, "gender": list(GENDER_OPTIONS.values()),
    ...                   "volume": [2, 3, 6]})
    >>> mixed_gap(t).to_dict()
    {'A': 1}
    """
    women, men, mixed = GENDER_OPTIONS.values()
    wide = table.pivot_table(index="scenario", columns="gender", values="volume", sort=False)
    return (wide[mixed] - wide[women] - wide[men]).astype("int64")


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    gap = mixed_gap(part.tables[BY_GENDER])
    intro = (
        "Each scenario re-run for women, for men, and for men and women (the vendor's "
        "mixed audience, code m). The three are counted separately, one query each"
    )
    if (gap == 0).all():
        return "By gender", f"{intro}; here men and women is exactly women plus men."
    why = (
        "the sandbox rounds each locality's count down, once per query"
        if report.synthetic
        else "the API answers each count on its own"
    )
    off = gap[gap != 0]
    most = int(off.abs().max())
    return (
        "By gender",
        f"{intro}, so men and women may differ from women plus men by rounding ({why}): "
        f"here by at most {fmt_int(most)} contact{'' if most == 1 else 's'}, in "
        f"{len(off)} of {len(gap)} scenario{'' if len(gap) == 1 else 's'}.",
    )


SECTION = ReportSection(KEY, {BY_GENDER: "By gender"}, _data, _text, _figures)
