"""The "What sending cost this account" section: the SMS the account sent per month over
the last twelve months and what each cost (the vendor's sending statistics, read-only,
``client.sending_costs()``), the history behind ``price_per_sms="account"``.

Left out when the account sent no SMS in that time, or when the client cannot say; when the
statistics cannot be read, the "About" section says why instead of failing the report.

>>> SECTION.key, list(SECTION.tables)
('sending', ['sending_costs'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smsp_analytics import charts
from smsp_analytics.display import fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.errors import SmsPartnerError
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection, marked

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "SENDING_COSTS", "COLUMNS"]

KEY = "sending"
#: The table and its chart.
SENDING_COSTS = "sending_costs"
#: The columns of the table, as ``client.sending_costs()`` gives them.
COLUMNS = ["month", "sms_sent", "cost_eur", "cost_per_sms_eur"]


def _data(inputs: Inputs, report: ReportModel) -> Part:
    reader = getattr(inputs.client, "sending_costs", None)
    if not callable(reader):
        return Part()
    try:
        costs = reader("last_twelve_months")
    except SmsPartnerError as exc:  # a report never fails for its extra part: it says so
        note = _(
            "What sending cost this account: not shown, the sending statistics could not be "
            "read ({reason})."
        ).format(reason=exc)
        return Part(fields={"sending_note": note})
    if not int(costs["sms_sent"].fillna(0).sum()):
        return Part()
    table = costs[COLUMNS].reset_index(drop=True)
    table.attrs = dict(costs.attrs)
    return Part(tables={SENDING_COSTS: table})


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    return {
        SENDING_COSTS: charts.sending_costs(
            marked(part.tables[SENDING_COSTS], inputs.synthetic), synthetic=inputs.synthetic
        )
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    table = part.tables[SENDING_COSTS]
    sms = int(table["sms_sent"].fillna(0).sum())
    cost = float(table["cost_eur"].fillna(0).sum())
    return (
        _("What sending cost this account"),
        _(
            "The SMS this account sent per month over the last twelve months and what each "
            "cost, from the vendor's sending statistics (read-only): {sms} SMS for {cost}, "
            "{average} per SMS on average. This average is the price per SMS the campaign "
            "uses with price_per_sms='account'."
        ).format(sms=fmt_int(sms), cost=fmt_eur(cost), average=fmt_unit_price(cost / sms)),
    )


SECTION = ReportSection(
    KEY,
    {SENDING_COSTS: N_("What sending cost this account, per month")},
    _data,
    _text,
    _figures,
    sheets={SENDING_COSTS: N_("Sending history")},
)
