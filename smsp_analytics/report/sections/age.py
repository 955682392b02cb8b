"""The "By age band" section: each scenario re-run on the standard age bands inside its
age range.

>>> list(SECTION.tables)
['by_age']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.scenarios import Scenario, age_bands_within, band_label
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked
from smsp_analytics.report.tables import Variants, dimension_table

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "BY_AGE"]

KEY = "age"
BY_AGE = "by_age"


def _bands(s: Scenario) -> Variants:
    bands = age_bands_within(s.targeting.age)
    return s.targeting, bands, [band_label(b) for b in bands]


def _data(inputs: Inputs, report: ReportModel) -> Part:
    return Part(
        tables={BY_AGE: dimension_table(inputs.client, inputs.scenarios, "age", "age_band", _bands)}
    )


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        BY_AGE: charts.age_profile(
            marked(part.tables[BY_AGE], inputs.synthetic),
            x="age_band",
            y="volume",
            color="scenario",
            title=_("Contacts by age band, per scenario"),
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        _("By age band"),
        _("Each scenario re-run on the standard age bands inside its age range."),
    )


SECTION = ReportSection(
    KEY, {BY_AGE: N_("By age band")}, _data, _text, _figures, sheets={BY_AGE: N_("By age band")}
)
