"""Budget planning: volumes per locality that fit a budget, checked with one ``price`` call.

Strategies:

- ``"proportional"``: the affordable quantity is split in proportion to each locality's
  available contacts (largest remainders get the leftover units);
- ``"cheapest"``: the cheapest localities first, filled up to their availability. Every
  unit price is the same today (sandbox and the documented 0.09 EUR), so it amounts to the
  largest localities first; ties keep the targeting's order.

>>> from smsp_analytics.client.facade import Client
>>> with Client(announce=False) as client:
...     plan = plan_budget(Targeting(interest=14, departments=["60", "02"]), 50,
...                        client=client)
...     rental = client.rent(plan, confirm=True)
>>> plan.cost_eur <= 50, rental.cost_eur == plan.cost_eur
(True, True)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.display import fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.errors import not_allowed
from smsp_analytics.i18n import _
from smsp_analytics.targeting import Targeting

__all__ = ["BudgetPlan", "plan_budget", "MAX_BUDGET_EUR"]

# Far above any rental (the sandbox caps one at 10,000 contacts, ~900 EUR); beyond it a
# budget is a typo (or 1e308, which overflows the quantity arithmetic).
MAX_BUDGET_EUR = 10_000_000


@dataclass(frozen=True)
class BudgetPlan:
    """Volumes that fit ``budget_eur``: pass the plan itself to ``price`` or ``rent``.

    ``frame`` is the checking ``price`` frame plus an ``available`` column.
    """

    targeting: Targeting
    volumes: dict[str, int]
    cost_eur: float
    budget_eur: float
    strategy: str
    frame: pd.DataFrame = field(repr=False, compare=False)


def _allocate(avail: np.ndarray, quantity: int, strategy: str, unit: np.ndarray) -> np.ndarray:
    if strategy == "proportional":
        total = avail.sum()
        if total == 0:
            return np.zeros_like(avail)
        exact = avail * (quantity / total)
        out = np.minimum(np.floor(exact).astype(np.int64), avail)
        left = quantity - int(out.sum())
        order = np.argsort(-(exact - np.floor(exact)), kind="stable")
        for i in order:
            if left <= 0:
                break
            if out[i] < avail[i]:
                out[i] += 1
                left -= 1
        return out
    if strategy == "cheapest":
        order = np.lexsort((-avail, unit))  # unit price first, then larger first (stable)
        out = np.zeros_like(avail)
        left = quantity
        for i in order:
            take = min(int(avail[i]), left)
            out[i] = take
            left -= take
            if left <= 0:
                break
        return out
    raise ValueError(not_allowed("strategy", strategy, "'proportional', 'cheapest'"))


def plan_budget(
    targeting: Targeting,
    budget_eur: float,
    *,
    by: str = "department",
    strategy: str = "proportional",
    client: Any = None,
) -> BudgetPlan:
    """Volumes per department (``by="department"``) or zip code (``by="zipcode"``) of the
    targeting (all of France's if it has none) whose cost fits ``budget_eur``."""
    from smsp_analytics.client.facade import client_or_default

    if isinstance(budget_eur, bool) or not (
        isinstance(budget_eur, (int, float, np.integer, np.floating))
        and math.isfinite(budget_eur)
        and 0 < budget_eur <= MAX_BUDGET_EUR
    ):
        raise ValueError(
            not_allowed(
                "budget_eur",
                budget_eur,
                _("a number of EUR > 0 and at most {most}").format(most=fmt_int(MAX_BUDGET_EUR)),
            )
        )
    if by in ("department", "departments"):
        t = dataclasses.replace(
            targeting, zipcodes=(), departments=targeting.departments or refdata.department_codes()
        )
    elif by in ("zipcode", "zipcodes"):
        t = dataclasses.replace(
            targeting,
            departments=(),
            zipcodes=targeting.zipcodes or tuple(refdata.zipcodes().index),
        )
    else:
        raise ValueError(not_allowed("by", by, "'department', 'zipcode'"))
    if strategy not in ("proportional", "cheapest"):
        _allocate(np.zeros(0, dtype=np.int64), 0, strategy, np.zeros(0))
    with client_or_default(client) as client:
        avail_df = client.calcul(t)
        avail = avail_df["volume"].fillna(0).to_numpy(dtype=np.int64)
        unit = avail_df["unit_cost_eur"].fillna(np.inf).to_numpy(dtype="float64")
        unit_price = float(np.nanmin(unit)) if len(unit) else math.inf
        quantity = min(int(avail.sum()), int(math.floor(budget_eur / unit_price + 1e-9)))
        if quantity <= 0:
            raise ValueError(
                _("budget_eur: {budget} buys no contact at {unit} each").format(
                    budget=fmt_eur(budget_eur), unit=fmt_unit_price(unit_price)
                )
            )
        for _attempt in range(5):
            alloc = _allocate(avail, quantity, strategy, unit)
            volumes = {loc: int(n) for loc, n in zip(avail_df["locality"], alloc) if n > 0}
            priced = client.price(t, volumes)
            cost = float(priced.attrs["total_cost_eur"])
            if cost <= budget_eur + 1e-9:
                break
            # The API priced above the plan (another unit price, rounding): shrink and retry.
            quantity -= max(1, int(math.ceil((cost - budget_eur) / unit_price)))
        else:
            raise ValueError(
                _("could not fit the budget of {budget}").format(budget=fmt_eur(budget_eur))
            )
        frame = priced.copy()
        frame.insert(4, "available", avail_df["volume"].to_numpy())
        frame.attrs = dict(priced.attrs)
        frame.attrs.update(
            {
                "op": "plan_budget",
                "budget_eur": float(budget_eur),
                "strategy": strategy,
                "volumes": volumes,
            }
        )
        return BudgetPlan(t, volumes, cost, float(budget_eur), strategy, frame)
