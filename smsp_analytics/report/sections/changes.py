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

from smsp_analytics import charts
from smsp_analytics.display import fmt_date
from smsp_analytics.i18n import N_, _
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
        note = _(
            "What changed since the last quotes: not shown, no earlier quote of these "
            "scenarios in the quote history ({where})."
        ).format(where=where)
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
    when = fmt_date(report.since, "day")
    # The scenarios on a second, smaller line: a long list must not run under the mark.
    return {
        DRIFT: charts.drift(
            drift,
            "bars",
            synthetic=inputs.synthetic,
            title=_("Change in contacts by locality since {when}<br><sup>{compared}</sup>").format(
                when=when, compared=compared
            ),
        ),
        DRIFT_MAP: charts.drift(
            drift,
            "map",
            synthetic=inputs.synthetic,
            title=_(
                "Change in contacts by department since {when} (%)<br><sup>{compared}</sup>"
            ).format(when=when, compared=compared),
        ),
    }


def _text(report: ReportModel, part: Part) -> tuple[str, str]:
    when = fmt_date(report.since, "day")
    return (
        _("What changed since {when}").format(when=when),
        _(
            "The scenarios' audiences now against their latest earlier quote in the quote "
            "history, on or before {when}: contacts per locality, the change, and "
            "localities quoted on one side only."
        ).format(when=when),
    )


SECTION = ReportSection(
    KEY,
    {DRIFT: N_("What changed since the earlier quotes")},
    _data,
    _text,
    _figures,
    sheets={DRIFT: N_("What changed")},
)
