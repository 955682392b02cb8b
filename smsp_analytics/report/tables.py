"""The report's tables, computed from the client: one function per table, each a DataFrame
with a ``scenario`` column first, so every row says which scenario it belongs to.

>>> from smsp_analytics.client.facade import Client
>>> from smsp_analytics.report.scenarios import Scenario
>>> with Client(cache=False, announce=False, sandbox={"seed": 0}) as c:
...     t = summary_table(c, [Scenario.of("Oise", interest=14, departments=["60"])], {})
>>> t.loc[0, "scenario"], t.loc[0, "gender"]
('Oise', 'men and women')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.analysis.budget import plan_budget
from smsp_analytics.analysis.sweeps import sweep
from smsp_analytics.display import frame_totals
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import _
from smsp_analytics.report.scenarios import Scenario, band_label, describe
from smsp_analytics.targeting import Targeting

__all__ = [
    "summary_table",
    "department_table",
    "dimension_table",
    "budget_plan_table",
    "interest_names",
    "main_interests",
    "check_interests",
    "VALUE_COLUMNS",
    "Variants",
    "Options",
]

VALUE_COLUMNS = ["volume", "unit_cost_eur", "cost_eur"]
#: What a breakdown sweeps for one scenario: (base targeting, swept values, their labels).
Variants = tuple[Targeting, list[Any], list[str]]
#: ``options(scenario) -> Variants``
Options = Callable[[Scenario], Variants]


def interest_names(categories: pd.DataFrame) -> dict[int, str]:
    """Interest id -> name, from ``client.categories()``."""
    return {int(i): str(n) for i, n in zip(categories["id"], categories["name"])}


def check_interests(scenarios: Sequence[Scenario], names: dict[int, str]) -> None:
    """Every scenario's interest ids are in the catalogue, before any count is asked."""
    for s in scenarios:
        for field in ("interest", "sub_interest"):
            value = getattr(s.targeting, field)
            if value is not None and value not in names:
                raise TargetingError(
                    field,
                    value,
                    _("an id of the catalogue"),
                    code=61,
                    message=_(
                        "scenario {name}: {field} = {value}: not in the catalogue; list the "
                        "valid ids with `smsp categories`"
                    ).format(name=repr(s.name), field=field, value=value),
                )


def main_interests(categories: pd.DataFrame) -> list[int]:
    """The ids of the main interests (those without a parent)."""
    return [int(i) for i in categories.loc[categories["parent_id"].isna(), "id"]]


def _department_names(codes: pd.Series) -> list[str]:
    names = refdata.departments()["name"]
    return [str(names.get(c, c)) for c in codes]


def _values(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum volume and cost per ``keys`` (sweep frames have one row per locality)."""
    groups = frame.groupby(keys, sort=False, dropna=False, observed=True)
    agg = groups[["volume", "cost_eur"]].sum().reset_index()
    agg["volume"] = agg["volume"].astype("int64")
    agg["cost_eur"] = agg["cost_eur"].astype("float64").round(2)
    agg["unit_cost_eur"] = groups["unit_cost_eur"].first().to_numpy(dtype="float64")
    return agg


def summary_table(
    client: Any,
    scenarios: Sequence[Scenario],
    names: dict[int, str],
    frames: Sequence[pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One ``calcul`` per scenario: its description, the API's totals.

    ``frames``: the scenarios' calcul answers when already asked (else asked here).
    ``attrs["fetched_at"]``: the latest fetch time of those answers (None if not known).
    """
    rows, fetched = [], []
    if frames is None:
        frames = [client.calcul(s.targeting) for s in scenarios]
    for s, frame in zip(scenarios, frames):
        totals = frame_totals(frame)
        fetched.append(str(frame.attrs.get("fetched_at") or ""))
        rows.append(
            {
                "scenario": s.name,
                **describe(s.targeting, names),
                "volume": totals.volume,
                "unit_cost_eur": totals.unit_cost_eur,
                "cost_eur": totals.cost_eur,
            }
        )
    out = pd.DataFrame(rows)
    # The latest fetch time: live figures say when they were read (the sandbox's are
    # left out of the report, which must not change from one run to the next).
    out.attrs["fetched_at"] = max(fetched) or None
    return out


def department_table(client: Any, scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Each scenario per department (all 101 when it targets France as a whole)."""
    parts = []
    for s in scenarios:
        frame = sweep(s.targeting, by=None, geo="departments", client=client, progress=False)
        agg = _values(frame[frame["department"].notna()], ["department"])
        agg.insert(0, "scenario", s.name)
        agg.insert(2, "department_name", _department_names(agg["department"]))
        parts.append(agg)
    return pd.concat(parts, ignore_index=True)[
        ["scenario", "department", "department_name", *VALUE_COLUMNS]
    ]


def _key(value: Any) -> Any:
    """A swept value as the sweep frame writes it (age bands as ``"25-34"``)."""
    if isinstance(value, tuple):
        return band_label(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def dimension_table(
    client: Any, scenarios: Sequence[Scenario], column: str, label_column: str, options: Options
) -> pd.DataFrame:
    """Each scenario re-run over the values of one field, the others held."""
    parts = []
    for s in scenarios:
        base, values, labels = options(s)
        frame = sweep(base, by={column: list(values)}, geo=None, client=client, progress=False)
        lookup = {_key(v): lab for v, lab in zip(values, labels)}
        frame = frame.assign(**{label_column: [lookup[_key(v)] for v in frame[column]]})
        agg = _values(frame, [label_column])
        order = {lab: i for i, lab in enumerate(labels)}
        agg = agg.sort_values(label_column, key=lambda c: c.map(order), kind="stable")
        agg.insert(0, "scenario", s.name)
        parts.append(agg)
    return pd.concat(parts, ignore_index=True)[["scenario", label_column, *VALUE_COLUMNS]]


def budget_plan_table(
    client: Any, scenarios: Sequence[Scenario], budget_eur: float
) -> pd.DataFrame:
    """Per scenario and department: available, planned volume, unit cost, planned cost.

    ``plan_budget`` (proportional strategy) splits the contacts the budget buys over the
    departments in proportion to their available contacts and checks the plan with one
    ``price`` call; its frame is that price answer plus ``available``.
    """
    parts = []
    for s in scenarios:
        frame = plan_budget(s.targeting, budget_eur, by="department", client=client).frame
        frame = frame[frame["department"].notna()].reset_index(drop=True)
        parts.append(
            pd.DataFrame(
                {
                    "scenario": s.name,
                    "department": frame["department"],
                    "department_name": _department_names(frame["department"]),
                    "available": frame["available"].astype("int64"),
                    "planned_volume": frame["volume"].astype("int64"),
                    "unit_cost_eur": frame["unit_cost_eur"].astype("float64"),
                    "planned_cost_eur": frame["cost_eur"].astype("float64"),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
