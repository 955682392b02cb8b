"""The "Campaign cost" section: what sending one message to every contact of each scenario
costs (rental plus sending, :func:`smsp_analytics.report.campaign.campaign_table`), at a
price per SMS whose basis it states (yours, the sandbox's default, or the account's average
over the last twelve months: :func:`smsp_analytics.campaign.funnel.price_basis_text`).

>>> SECTION.key, list(SECTION.tables)
('campaign', ['campaign'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.campaign import basis_text, campaign_table, characters_text, parts_text
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "CAMPAIGN", "CAMPAIGN_COST"]

#: The page anchor and the table have the same key.
KEY = CAMPAIGN = "campaign"
CAMPAIGN_COST = "campaign_cost"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    table = campaign_table(
        inputs.frames, inputs.scenarios, inputs.message, inputs.price, inputs.client
    )
    fields = {
        "price_per_sms": table.attrs["price_per_sms"],
        "price_basis": table.attrs["price_basis"],
    }
    return Part(tables={CAMPAIGN: table}, fields=fields)


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
    if m.stop_mention:
        text = _(
            "What sending one message to every contact of each scenario costs: renting the "
            'list (calcul) plus {parts} per contact with the STOP mention "{stop}" counted '
            "({range} range) at {price}.{replaced} Nothing is sent."
        )
    else:
        text = _(
            "What sending one message to every contact of each scenario costs: renting the "
            "list (calcul) plus {parts} per contact without STOP mention ({range} range) at "
            "{price}.{replaced} Nothing is sent."
        )
    return (
        _("Campaign cost"),
        text.format(
            parts=parts_text(m),
            stop=m.stop_mention,
            range=m.range,
            price=basis_text(report.price_basis, report.price_per_sms),
            replaced=replaced,
        ),
    )


SECTION = ReportSection(
    KEY,
    {CAMPAIGN: N_("Campaign cost: rental and sending, per scenario")},
    _data,
    _text,
    _figures,
    collapse_tables=False,
    sheets={CAMPAIGN: N_("Campaign cost")},
)
