"""The "Who can really be messaged" section: the numbers you rented, cleaned of the
account's STOP list and, with the number check, of what the vendor's free format check says
is no valid mobile (:func:`smsp_analytics.campaign.reachable`, shown as its
:func:`~smsp_analytics.campaign.funnel.cleaning_funnel`), and what sending the report's
message to those left costs. Present only when the report is given the rented numbers.

Read-only: the STOP list is read, the numbers are checked for free (no paid HLR lookup),
nothing is written to the account and nothing is sent.

>>> SECTION.key, list(SECTION.tables)
('cleaning', ['cleaning'])
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import pandas as pd

from smsp_analytics.campaign.funnel import cleaning_funnel
from smsp_analytics.campaign.messages import campaign_cost
from smsp_analytics.campaign.reachability import reachable
from smsp_analytics.display import fmt_eur, fmt_int, fmt_pct, fmt_unit_price
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "CLEANING"]

#: The page anchor and the table have the same key.
KEY = CLEANING = "cleaning"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    if inputs.numbers is None:
        return Part()
    with warnings.catch_warnings():  # unreadable numbers: the funnel's own step says so
        warnings.simplefilter("ignore", UserWarning)
        kept = reachable(inputs.numbers, client=inputs.client, check=inputs.check, progress=False)
    funnel = cleaning_funnel(kept)
    rented = int(kept.attrs["rented"])
    table = pd.DataFrame(
        {
            "step": funnel["label"],
            "contacts": funnel["contacts"].astype("int64"),
            "removed": funnel["removed"].astype("int64"),
            "share": [c / rented if rented else None for c in funnel["contacts"]],
        }
    )
    table.attrs["steps"] = list(funnel["step"])
    return Part(tables={CLEANING: table})


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    table = part.tables[CLEANING]
    rented, left = int(table["contacts"].iloc[0]), int(table["contacts"].iloc[-1])
    # the campaign section set the price: the same message at the same price per SMS
    sending = campaign_cost(
        pd.DataFrame({"volume": [left], "cost_eur": [0.0]}),
        report.message,
        price_per_sms=report.price_per_sms,
    ).attrs["total_sending_cost_eur"]
    steps = table.attrs.get("steps", [])
    if "valid_mobiles" in steps:
        intro = _(
            "Of the {rented} numbers you rented, {left} ({share}) can really be messaged "
            "once the account's STOP list is removed and the vendor's free number check "
            "has kept the valid mobiles."
        )
    else:
        intro = _(
            "Of the {rented} numbers you rented, {left} ({share}) can really be messaged "
            "once the account's STOP list is removed (the numbers were not checked)."
        )
    cost = _(
        "Sending the message to them costs {cost} ({parts} SMS each at {price} per SMS). "
        "Nothing is written to the account and nothing is sent."
    )
    share = fmt_pct(left / rented) if rented else fmt_pct(None)
    return (
        _("Who can really be messaged"),
        intro.format(rented=fmt_int(rented), left=fmt_int(left), share=share)
        + " "
        + cost.format(
            cost=fmt_eur(sending),
            parts=report.message.parts,
            price=fmt_unit_price(report.price_per_sms),
        ),
    )


SECTION = ReportSection(
    KEY,
    {CLEANING: N_("Cleaning of the rented numbers")},
    _data,
    _text,
    collapse_tables=False,
    sheets={CLEANING: N_("Cleaning")},
)
