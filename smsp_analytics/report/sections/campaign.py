"""The "Campaign cost" section: what sending one message to every contact of each scenario
costs (rental plus sending, :func:`smsp_analytics.report.campaign.campaign_table`).

>>> SECTION.key, list(SECTION.tables)
('campaign', ['campaign'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.display import fmt_unit_price
from smsp_analytics.report.campaign import campaign_table, characters_text, parts_text
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "CAMPAIGN", "CAMPAIGN_COST"]

#: The page anchor and the table have the same key.
KEY = CAMPAIGN = "campaign"
CAMPAIGN_COST = "campaign_cost"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    table = campaign_table(inputs.frames, inputs.scenarios, inputs.message, inputs.price)
    return Part(tables={CAMPAIGN: table}, fields={"price_per_sms": table.attrs["price_per_sms"]})


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        CAMPAIGN_COST: charts.campaign_cost(
            marked(part.tables[CAMPAIGN], inputs.synthetic),
            x="scenario",
            synthetic=inputs.synthetic,
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    m = report.message
    replaced = characters_text(m) and f" {characters_text(m)}"
    stop = (
        f' with the STOP mention "{m.stop_mention}" counted'
        if m.stop_mention
        else " without STOP mention"
    )
    return (
        "Campaign cost",
        f"What sending one message to every contact of each scenario costs: renting the "
        f"list (calcul) plus {parts_text(m)} per contact{stop} ({m.range} range) at "
        f"{fmt_unit_price(report.price_per_sms)} per SMS.{replaced} Nothing is sent.",
    )


SECTION = ReportSection(
    KEY,
    {CAMPAIGN: "Campaign cost: rental and sending, per scenario"},
    _data,
    _text,
    _figures,
    collapse_tables=False,
)
