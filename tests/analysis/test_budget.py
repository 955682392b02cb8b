"""budget.py: plans fit the budget, are checked by one price call, feed price and rent."""

import numpy as np
import pytest

from smsp_analytics.analysis.budget import _allocate, plan_budget
from smsp_analytics.targeting import Targeting

T = Targeting(gender="f", age=(25, 49), interest=14, departments=["60", "02", "75", "2A"])


@pytest.mark.parametrize("strategy", ["proportional", "cheapest"])
def test_plan_fits_budget_and_feeds_price_and_rent(admin, client, strategy):
    plan = plan_budget(T, 50, strategy=strategy, client=client)
    assert plan.cost_eur <= 50 and plan.cost_eur > 50 - 0.09
    assert sum(plan.volumes.values()) == round(plan.cost_eur / 0.09)
    assert admin.stats() == {"calcul": 1, "price": 1}
    assert (plan.frame["volume"] <= plan.frame["available"]).all()
    assert client.price(plan).attrs["total_cost_eur"] == plan.cost_eur
    rental = client.rent(plan, confirm=True)
    assert rental.cost_eur == plan.cost_eur


def test_proportional_follows_availability_and_cheapest_fills_largest_first():
    avail = np.array([100, 300, 600], dtype=np.int64)
    unit = np.full(3, 0.09)
    assert _allocate(avail, 100, "proportional", unit).tolist() == [10, 30, 60]
    assert _allocate(avail, 101, "proportional", unit).sum() == 101
    assert _allocate(avail, 700, "cheapest", unit).tolist() == [0, 100, 600]
    cheaper_first = _allocate(avail, 150, "cheapest", np.array([0.05, 0.09, 0.09]))
    assert cheaper_first.tolist() == [100, 0, 50]


def test_budget_larger_than_everything_takes_all(client):
    t = Targeting(interest=14, zipcodes=["60200"])
    plan = plan_budget(t, 10**6, by="zipcode", client=client)
    assert plan.volumes == {"60200": int(client.calcul(t)["volume"].sum())}


def test_invalid_inputs(client):
    with pytest.raises(ValueError, match="budget_eur"):
        plan_budget(T, -1, client=client)
    with pytest.raises(ValueError, match="buys no contact"):
        plan_budget(T, 0.05, client=client)
    with pytest.raises(ValueError, match="strategy"):
        plan_budget(T, 10, strategy="random", client=client)
    with pytest.raises(ValueError, match="by"):
        plan_budget(T, 10, by="region", client=client)
