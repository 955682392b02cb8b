"""The "What changed since ..." section: the scenarios' audiences now against their latest
earlier quote in the quote history (:func:`smsp_analytics.report.changes.scenario_changes`).
Left out when the history holds no earlier quote of any scenario (with a note naming the
store when the report was given one, a :class:`~smsp_analytics.history.QuoteHistory`: ``smsp
report`` passes the one the other commands record into); an unreadable history
leaves it out with a note too (both shown in the "About" section).

>>> SECTION.key, list(SECTION.tables)
('changes', ['drift'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from smsp_analytics import charts
from smsp_analytics.report.changes import (
    history_of,
    history_where,
    report_fetched_at,
    scenario_changes,
)
from smsp_analytics.report.sections.base import Inputs, Part, ReportSection

if TYPE_CHECKING:
    from smsp_analytics.report.model import ReportModel

__all__ = ["SECTION", "KEY", "DRIFT", "DRIFT_MAP"]

KEY = "changes"
#: The table and its bar chart; the map of the change per department.
DRIFT = "drift"
DRIFT_MAP = "drift_map"


def _data(inputs: Inputs, report: ReportModel) -> Part:
    history, note = history_of(inputs.client, inputs.history, inputs.scenarios)
    changes = None
    if history is not None and inputs.as_of is not None:
        changes = scenario_changes(
            history,
            inputs.scenarios,
            inputs.frames,
            inputs.as_of,
            inputs.since,
            inputs.synthetic,
            report_fetched_at(inputs.frames),
        )
    where = history_where(inputs.history)
    if changes is None and not note and history is not None and where is not None:
        note = (
            "What changed since the last quotes: not shown, no earlier quote of these "
            f"scenarios in the quote history ({where})."
        )
    if changes is None:
        return Part(fields={"since": None, "history_note": note})
    return Part(
        tables={DRIFT: changes.table},
        fields={"since": changes.since, "history_note": note},
        state=changes.drift,
    )


def _figures(inputs: Inputs, report: ReportModel, part: Part) -> dict[str, Any]:
    """The change per locality as bars and per department as a map, titled with the
    scenarios compared."""
    drift = part.state
    present = set(drift["scenario"])
    compared = "; ".join(s.name for s in inputs.scenarios if s.name in present)
    when = f"{pd.Timestamp(report.since):%d %b %Y}"
    # The scenarios on a second, smaller line: a long list must not run under the mark.
    return {
        DRIFT: charts.drift(
            drift,
            "bars",
            synthetic=inputs.synthetic,
            title=f"Change in contacts by locality since {when}<br><sup>{compared}</sup>",
        ),
        DRIFT_MAP: charts.drift(
            drift,
            "map",
            synthetic=inputs.synthetic,
            title=f"Change in contacts by department since {when} (%)<br><sup>{compared}</sup>",
        ),
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    return (
        f"What changed since {report.since:%d %b %Y}",
        f"The scenarios' audiences now against their latest earlier quote in the quote "
        f"history, on or before {report.since:%d %B %Y}: contacts per locality, the "
        "change, and localities quoted on one side only.",
    )


SECTION = ReportSection(
    KEY, {DRIFT: "What changed since the earlier quotes"}, _data, _text, _figures
)
