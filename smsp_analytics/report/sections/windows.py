"""The "Send windows" section: when the targeted departments may receive a commercial SMS,
for a week (:func:`smsp_analytics.report.campaign.windows_table`), beside the vendor's own
window.

>>> SECTION.key, list(SECTION.tables)
('windows', ['send_windows'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from smsp_analytics import charts
from smsp_analytics.display import department_label, fmt_date
from smsp_analytics.i18n import N_, _, ngettext
from smsp_analytics.report.campaign import (
    MAX_WINDOW_DEPARTMENTS,
    WINDOW_DAYS,
    scenario_departments,
    windows_table,
)
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "SEND_WINDOWS"]

KEY = "windows"
#: The table and its timeline figure.
SEND_WINDOWS = "send_windows"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    # The first day: the one asked, else the date of the report's quotes (the sandbox's
    # fixed clock on synthetic data), the wall clock only when neither is known.
    start = inputs.start or (
        inputs.as_of.date() if inputs.as_of is not None else pd.Timestamp.now(tz="UTC").date()
    )
    targeted_by = scenario_departments(inputs.scenarios)
    table, frame, left_out = windows_table(targeted_by, start)
    return Part(
        tables={SEND_WINDOWS: table},
        fields={"send_start": start, "windows_left_out": left_out},
        state=(frame, targeted_by),
    )


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    """The timeline; its hover says which scenarios target each department."""
    frame, targeted_by = part.state
    fig = charts.send_windows(frame, synthetic=inputs.synthetic)
    by_label = {department_label(d): names for d, names in targeted_by.items()}
    for trace in fig.data:
        trace.hovertext = [
            _("{hover}<br>Scenarios: {scenarios}").format(hover=h, scenarios=by_label.get(y, ""))
            for h, y in zip(trace.hovertext, trace.y)
        ]
    return {SEND_WINDOWS: fig}


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    left = report.windows_left_out
    capped = (
        " "
        + ngettext(
            "The table shows the first {shown} targeted departments; {left} more is not shown.",
            "The table shows the first {shown} targeted departments; {left} more are not shown.",
            left,
        ).format(shown=MAX_WINDOW_DEPARTMENTS, left=left)
        if left
        else ""
    )
    flags = part.tables[SEND_WINDOWS].attrs.get("vendor_flags") or {}
    if flags:
        named = " ".join(
            _("{department}: {why}.").format(department=department_label(d), why=why)
            for d, why in flags.items()
        )
        vendor = " " + ngettext(
            "The vendor itself reads its rule on Paris time and national holidays only: "
            "left unscheduled, a message would go out outside 08:00-20:00 local time or on "
            "a local holiday (column vendor_outside_local) in {count} department, "
            "schedule these yourself. {named}",
            "The vendor itself reads its rule on Paris time and national holidays only: "
            "left unscheduled, a message would go out outside 08:00-20:00 local time or on "
            "a local holiday (column vendor_outside_local) in {count} departments, "
            "schedule these yourself. {named}",
            len(flags),
        ).format(count=len(flags), named=named)
    else:
        vendor = " " + _(
            "The vendor itself reads its rule on Paris time and national holidays only; in "
            "these departments and days that never falls outside the local window."
        )
    return (
        _("Send windows"),
        _(
            "When commercial SMS may go out, {days} days from {start}: 08:00-20:00 both in "
            "Paris (the platform) and in the recipient's local time, Monday to Saturday, "
            "never on a public holiday (national, Alsace-Moselle and overseas ones "
            "included). A message sent outside a window waits for the next one."
        ).format(days=WINDOW_DAYS, start=fmt_date(report.send_start, "long"))
        + vendor
        + capped,
    )


SECTION = ReportSection(
    KEY,
    {SEND_WINDOWS: N_("Send windows of the targeted departments")},
    _data,
    _text,
    _figures,
    sheets={SEND_WINDOWS: N_("Send windows")},
)
