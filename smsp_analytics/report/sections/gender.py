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
from smsp_analytics.i18n import N_, _, ngettext
from smsp_analytics.report.scenarios import Scenario, gender_options
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_GENDER", "mixed_gap"]

KEY = "gender"
BY_GENDER = "by_gender"


def _genders(s: Scenario) -> Variants:
    options = gender_options()
    return s.targeting, list(options), list(options.values())


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
            title=_("Cost by gender, per scenario"),
            synthetic=inputs.synthetic,
        )
    }


def mixed_gap(table: pd.DataFrame) -> pd.Series:
    """Per scenario (in the table's order): the men-and-women count minus women + men
    (the gender words of the language in force, as the table was built in).

    >>> t = pd.DataFrame({"scenario": ["A"] * 3, "gender": list(gender_options().values()),
    ...                   "volume": [2, 3, 6]})
    >>> mixed_gap(t).to_dict()
    {'A': 1}
    """
    women, men, mixed = gender_options().values()
    wide = table.pivot_table(index="scenario", columns="gender", values="volume", sort=False)
    return (wide[mixed] - wide[women] - wide[men]).astype("int64")


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    gap = mixed_gap(part.tables[BY_GENDER])
    intro = _(
        "Each scenario re-run for women, for men, and for men and women (the vendor's "
        "mixed audience, code m). The three are counted separately, one query each"
    )
    if (gap == 0).all():
        return _("By gender"), _("{intro}; here men and women is exactly women plus men.").format(
            intro=intro
        )
    why = (
        _("the sandbox rounds each locality's count down, once per query")
        if report.synthetic
        else _("the API answers each count on its own")
    )
    off = gap[gap != 0]
    most = int(off.abs().max())
    # one whole sentence per number of scenarios, each with its plural on the contacts
    if len(gap) == 1:
        text = ngettext(
            "{intro}, so men and women may differ from women plus men by rounding ({why}): "
            "here by at most {most} contact, in {off} of {total} scenario.",
            "{intro}, so men and women may differ from women plus men by rounding ({why}): "
            "here by at most {most} contacts, in {off} of {total} scenario.",
            most,
        )
    else:
        text = ngettext(
            "{intro}, so men and women may differ from women plus men by rounding ({why}): "
            "here by at most {most} contact, in {off} of {total} scenarios.",
            "{intro}, so men and women may differ from women plus men by rounding ({why}): "
            "here by at most {most} contacts, in {off} of {total} scenarios.",
            most,
        )
    return _("By gender"), text.format(
        intro=intro, why=why, most=fmt_int(most), off=len(off), total=len(gap)
    )


SECTION = ReportSection(
    KEY, {BY_GENDER: N_("By gender")}, _data, _text, _figures, sheets={BY_GENDER: N_("By gender")}
)
