"""campaign_cost never understates: a missing rental cost makes the totals unknown, and
volumes or costs that are not counts are refused naming the column."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from smsp_analytics import Targeting, campaign_cost
from smsp_analytics.frames import locality_frame

#: A calcul answer as the real API can send it: volumes, no "cost" object.
NO_COST = {
    "success": True,
    "op": "calcul",
    "datas": [
        {"Type": "DEP", "Localite": "60", "Volume": 1200},
        {"Type": "DEP", "Localite": "02", "Volume": 300},
        {"Type": "total", "Localite": "total", "Volume": 1500},
    ],
}


def test_calcul_without_cost_gives_unknown_totals_naming_the_localities() -> None:
    df = locality_frame(NO_COST, op="calcul")  # the client's own decoding
    assert df["cost_eur"].isna().all()
    out = campaign_cost(df, "hello", price_per_sms=0.04)
    # Sending is known (contacts x 1 SMS x price); rental and total are not.
    assert out["sending_cost_eur"].tolist() == [48.0, 12.0]
    assert out["total_cost_eur"].isna().all() and out["cost_per_contact_eur"].isna().all()
    a = out.attrs
    assert a["total_sending_cost_eur"] == 60.0 and a["total_contacts"] == 1500
    assert math.isnan(a["total_rental_cost_eur"]) and math.isnan(a["total_cost_eur"])
    assert math.isnan(a["cost_per_contact_eur"])
    assert a["incomplete"] == ["60", "02"]


def test_one_scenario_without_cost_leaves_the_sum_unknown(client) -> None:
    priced = client.calcul(Targeting(gender="f", age=(25, 35), interest=14, departments=["80"]))
    assert priced["cost_eur"].notna().all()
    both = pd.concat([priced, locality_frame(NO_COST, op="calcul")], ignore_index=True)
    both.attrs["synthetic"] = True
    out = campaign_cost(both, "hello")
    assert out.attrs["incomplete"] == ["60", "02"]
    assert math.isnan(out.attrs["total_cost_eur"])  # not the priced rows' total alone
    assert out["total_cost_eur"].notna().tolist() == [True, False, False]
    alone = campaign_cost(priced, "hello")
    assert alone.attrs["incomplete"] == []
    assert alone.attrs["total_cost_eur"] == pytest.approx(
        float(priced["cost_eur"].sum()) + alone.attrs["total_sending_cost_eur"]
    )


@pytest.mark.parametrize(
    "column, values, shown",
    [
        ("volume", [100, -5], "-5"),
        ("volume", [100, "many"], "'many'"),
        ("volume", [100, True], "True"),
        ("volume", [100, math.inf], "inf"),
        ("cost_eur", [9.0, -1.0], "-1.0"),
        ("cost_eur", [9.0, "n/a"], "'n/a'"),
    ],
)
def test_bad_volumes_and_costs_name_the_column(column: str, values: list, shown: str) -> None:
    df = pd.DataFrame({"locality": ["60", "02"], "volume": [100, 200], "cost_eur": [9.0, 18.0]})
    df[column] = pd.Series(values, dtype=object)
    with pytest.raises(ValueError, match=rf"column '{column}'.*{shown}.*02.*allowed") as err:
        campaign_cost(df, "hello", price_per_sms=0.04)
    assert "60" not in str(err.value).split("for ")[1]


def test_bool_column_and_missing_volume_are_refused() -> None:
    df = pd.DataFrame({"locality": ["60"], "volume": [True], "cost_eur": [1.0]})
    with pytest.raises(ValueError, match="column 'volume' holds booleans"):
        campaign_cost(df, "hello", price_per_sms=0.04)
    df = pd.DataFrame(
        {
            "locality": ["60", "02"],
            "volume": pd.array([10, None], dtype="Int64"),
            "cost_eur": [1.0, 2.0],
        }
    )
    with pytest.raises(ValueError, match="column 'volume' is missing for locality 02"):
        campaign_cost(df, "hello", price_per_sms=0.04)
