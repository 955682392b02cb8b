"""The report's figures, built from its tables by the charts module.

Every figure names its scenarios (on an axis, in the legend or in the title), and every
scenario gets its own map, zoomed on its departments (the charts' ``zoom="auto"``) with the
rest of France faint around them and Paris's inset when the inner ring is targeted. Keys are stable, so the HTML page and
notebook 03 can address them: ``map_1`` is the first scenario's map.

>>> map_key(0)
'map_1'
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from smsp_analytics import charts
from smsp_analytics.display import department_label, fmt_eur

from smsp_analytics.report.scenarios import Scenario

__all__ = ["report_figures", "campaign_figures", "map_key", "CAMPAIGN_FIGURES"]

#: Keys of the campaign part's figures (the drift ones only when there are changes).
CAMPAIGN_FIGURES = ("campaign_cost", "send_windows", "drift", "drift_map")


def map_key(index: int) -> str:
    """The figure key of the map of the scenario at ``index`` (0-based)."""
    return f"map_{index + 1}"


def report_figures(tables: dict[str, pd.DataFrame], synthetic: bool, names: dict[int, str],
                   scenarios: Sequence[Scenario], budget_eur: float) -> dict[str, Any]:
    """Figure key -> plotly Figure, in the page's order."""

    def mark(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        df.attrs["synthetic"] = synthetic
        return df

    def labelled(df: pd.DataFrame) -> pd.DataFrame:
        return mark(df.assign(department_label=[department_label(c) for c in df["department"]]))

    figs: dict[str, Any] = {}
    figs["summary"] = charts.cost_comparison(
        mark(tables["summary"]), x="scenario", y="cost_eur",
        title="Cost of all available contacts, per scenario", synthetic=synthetic)
    dep = tables["by_department"]
    for i, s in enumerate(scenarios):
        figs[map_key(i)] = charts.map_departments(
            mark(dep[dep["scenario"] == s.name]), color="cost_eur",
            title=f"Cost by department: {s.name}", synthetic=synthetic)
    figs["by_department"] = charts.cost_comparison(
        labelled(dep), x="department_label", y="cost_eur", color="scenario",
        title="Cost by department and scenario", synthetic=synthetic)
    figs["by_age"] = charts.age_profile(
        mark(tables["by_age"]), x="age_band", y="volume", color="scenario",
        title="Contacts by age band, per scenario", synthetic=synthetic)
    figs["by_gender"] = charts.cost_comparison(
        mark(tables["by_gender"]), x="scenario", y="cost_eur", color="gender",
        title="Cost by gender, per scenario", synthetic=synthetic)
    figs["by_interest"] = charts.interest_comparison(
        mark(tables["by_interest"]), x="interest", y="volume", color="scenario", sort="data",
        labels={i: f"{i} {n}" for i, n in names.items()},
        title="Contacts by interest, per scenario", synthetic=synthetic)
    figs["by_csp"] = charts.cost_comparison(
        mark(tables["by_csp"]), x="scenario", y="cost_eur", color="csp",
        title="Cost by CSP, per scenario", synthetic=synthetic)
    plan = tables["budget_plan"]
    figs["budget_plan"] = charts.cost_comparison(
        labelled(plan.rename(columns={"planned_volume": "volume",
                                      "planned_cost_eur": "cost_eur"})),
        x="scenario", y="volume", color="department_label",
        title=f"Contacts a {fmt_eur(budget_eur)} budget buys, per department",
        synthetic=synthetic)
    return figs


def campaign_figures(campaign: pd.DataFrame, windows: pd.DataFrame,
                     targeted_by: dict[str, str], changes: pd.DataFrame | None,
                     since: Any, synthetic: bool) -> dict[str, Any]:
    """The campaign cost per scenario (stacked), the send-window timeline (its hover says
    which scenarios target each department: ``targeted_by``) and, when the history holds
    earlier quotes, the change per department as bars and as a map, titled with the
    scenarios compared."""
    figs: dict[str, Any] = {}
    frame = campaign.copy()
    frame.attrs["synthetic"] = synthetic
    figs["campaign_cost"] = charts.campaign_cost(frame, x="scenario", synthetic=synthetic)
    fig = charts.send_windows(windows, synthetic=synthetic)
    by_label = {department_label(d): names for d, names in targeted_by.items()}
    for trace in fig.data:
        trace.hovertext = [f"{h}<br>Scenarios: {by_label.get(y, '')}"
                           for h, y in zip(trace.hovertext, trace.y)]
    figs["send_windows"] = fig
    if changes is not None:
        present = set(changes["scenario"])
        compared = "; ".join(n for n in campaign["scenario"] if n in present)
        when = f"{pd.Timestamp(since):%d %b %Y}"
        # The scenarios on a second, smaller line: a long list must not run under the mark.
        figs["drift"] = charts.drift(
            changes, "bars", synthetic=synthetic,
            title=f"Change in contacts by locality since {when}<br><sup>{compared}</sup>")
        figs["drift_map"] = charts.drift(
            changes, "map", synthetic=synthetic,
            title=f"Change in contacts by department since {when} (%)<br>"
                  f"<sup>{compared}</sup>")
    return figs
