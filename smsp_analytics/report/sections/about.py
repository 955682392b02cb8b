"""The "About" section, last: where the data come from, the seed, the budget, the message
and its price (with its basis), each scenario; and the notes saying why no changes or no
sending history are shown when they could not be read.

>>> SECTION.key, list(SECTION.tables), SECTION.figures is None
('about', ['about'], True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from smsp_analytics.display import describe_targeting, fmt_date, fmt_eur, fmt_unit_price
from smsp_analytics.i18n import N_, _
from smsp_analytics.report.campaign import basis_text, parts_text
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "ABOUT", "about_table"]

#: The page anchor and the table have the same key.
KEY = ABOUT = "about"


def _message_text(report: ReportModel) -> str:
    m = report.message
    if m.stop_mention:
        return _('{range} range + " {stop}"').format(range=m.range, stop=m.stop_mention)
    return _("{range} range").format(range=m.range)


def about_table(report: ReportModel) -> pd.DataFrame:
    """Field/value rows: where the data come from, the seed, the budget, each scenario
    (words of the language in force)."""
    rows = [
        (_("data"), report.source_text),
        (_("synthetic"), _("yes") if report.synthetic else _("no")),
        (_("seed"), "" if report.seed is None else str(report.seed)),
        (_("scenarios"), str(len(report.scenarios))),
        (_("budget"), fmt_eur(report.budget_eur)),
        (_("rentals"), _("none: the report only counts (calcul) and plans; it never rents")),
    ]
    if report.message is not None:
        m = report.message
        rows += [
            (_("message"), report.message_text),
            (_("message sent as"), _message_text(report)),
            (_("SMS parts"), parts_text(m)),
            (_("price per SMS"), fmt_unit_price(report.price_per_sms)),
            (_("price basis"), basis_text(report.price_basis, report.price_per_sms)),
            (_("sending"), _("none: the report costs the message; it never sends an SMS")),
        ]
    if report.send_start is not None:
        rows.append((_("send windows from"), fmt_date(report.send_start, "iso")))
    rows += [
        (_("scenario: {name}").format(name=s.name), describe_targeting(s.targeting))
        for s in report.scenarios
    ]
    return pd.DataFrame(rows, columns=["field", "value"])


def _data(inputs: Inputs, report: ReportModel) -> Part:
    # Last in the registry: the earlier sections have set the price, the send start...
    return Part(tables={ABOUT: about_table(report)})


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return _("About"), " ".join(n for n in (report.history_note, report.sending_note) if n)


SECTION = ReportSection(
    KEY,
    {ABOUT: N_("About this report")},
    _data,
    _text,
    collapse_tables=False,
    sheets={ABOUT: N_("About")},
)
