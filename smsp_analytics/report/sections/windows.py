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
from smsp_analytics.campaign.sendwindows_vendor import SCHEDULE_YOURSELF
from smsp_analytics.display import department_label
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
            f"{h}<br>Scenarios: {by_label.get(y, '')}" for h, y in zip(trace.hovertext, trace.y)
        ]
    return {SEND_WINDOWS: fig}


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    left = report.windows_left_out
    capped = (
        f" The table shows the first {MAX_WINDOW_DEPARTMENTS} targeted departments; "
        f"{left} more {'is' if left == 1 else 'are'} not shown."
        if left
        else ""
    )
    flags = part.tables[SEND_WINDOWS].attrs.get("vendor_flags") or {}
    if flags:
        named = " ".join(f"{department_label(d)}: {why}." for d, why in flags.items())
        vendor = (
            " The vendor itself reads its rule on Paris time and national holidays "
            "only: left unscheduled, a message would go out outside 08:00-20:00 local "
            "time or on a local holiday (column vendor_outside_local) in "
            f"{len(flags)} department{'s' if len(flags) > 1 else ''}, "
            f"{SCHEDULE_YOURSELF}. {named}"
        )
    else:
        vendor = (
            " The vendor itself reads its rule on Paris time and national holidays "
            "only; in these departments and days that never falls outside the local "
            "window."
        )
    return (
        "Send windows",
        f"When commercial SMS may go out, {WINDOW_DAYS} days from "
        f"{report.send_start:%A %d %B %Y}: 08:00-20:00 both in Paris (the platform) and "
        "in the recipient's local time, Monday to Saturday, never on a public holiday "
        "(national, Alsace-Moselle and overseas ones included). A message sent outside "
        f"a window waits for the next one.{vendor}{capped}",
    )


SECTION = ReportSection(
    KEY, {SEND_WINDOWS: "Send windows of the targeted departments"}, _data, _text, _figures
)
