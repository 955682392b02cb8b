"""The "About" section, last: where the data come from, the seed, the budget, the message,
each scenario; and the note saying why no changes are shown when the history could not be
read.

>>> SECTION.key, list(SECTION.tables), SECTION.figures is None
('about', ['about'], True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from smsp_analytics.display import describe_targeting, fmt_eur, fmt_unit_price
from smsp_analytics.report.campaign import parts_text
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "ABOUT", "about_table"]

#: The page anchor and the table have the same key.
KEY = ABOUT = "about"


def _message_text(report: ReportModel) -> str:
    m = report.message
    stop = f' + " {m.stop_mention}"' if m.stop_mention else ""
    return f"{m.range} range{stop}"


def about_table(report: ReportModel) -> pd.DataFrame:
    """Field/value rows: where the data come from, the seed, the budget, each scenario."""
    rows = [
        ("data", report.source_text),
        ("synthetic", "yes" if report.synthetic else "no"),
        ("seed", "" if report.seed is None else str(report.seed)),
        ("scenarios", str(len(report.scenarios))),
        ("budget", fmt_eur(report.budget_eur)),
        ("rentals", "none: the report only counts (calcul) and plans; it never rents"),
    ]
    if report.message is not None:
        m = report.message
        rows += [
            ("message", report.message_text),
            ("message sent as", _message_text(report)),
            ("SMS parts", parts_text(m)),
            ("price per SMS", fmt_unit_price(report.price_per_sms)),
            ("sending", "none: the report costs the message; it never sends an SMS"),
        ]
    if report.send_start is not None:
        rows.append(("send windows from", report.send_start.isoformat()))
    rows += [(f"scenario: {s.name}", describe_targeting(s.targeting)) for s in report.scenarios]
    return pd.DataFrame(rows, columns=["field", "value"])


def _data(inputs: Inputs, report: ReportModel) -> Part:
    # Last in the registry: the earlier sections have set the price, the send start...
    return Part(tables={ABOUT: about_table(report)})


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return "About", report.history_note


SECTION = ReportSection(KEY, {ABOUT: "About this report"}, _data, _text, collapse_tables=False)
