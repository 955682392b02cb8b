"""Charts fed with what the analyst really has: a ``sweep`` frame, the categories, empty frames.

The other chart tests use hand-built frames; these check the column names and dtypes the
client really produces (the sweep's age column is ``age``, categoricals, nullable ints).
"""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics import charts
from smsp_analytics.analysis.sweeps import sweep
from smsp_analytics.client.facade import Client
from smsp_analytics.targeting import Targeting


@pytest.fixture(scope="module")
def client():
    with Client(announce=False) as c:
        yield c


@pytest.fixture(scope="module")
def age_sweep(client) -> pd.DataFrame:
    return sweep(
        Targeting(interest=14, departments=("60", "75")),
        by={"gender": ["f", "h"], "age": [(18, 24), (25, 34), (35, 49)]},
        client=client,
        progress=False,
    )


def test_age_profile_default_x_reads_the_sweeps_age_column(age_sweep):
    assert "age" in age_sweep.columns and "age_band" not in age_sweep.columns
    fig = charts.age_profile(age_sweep, color="gender")
    assert list(fig.data[0].x) == ["18-24", "25-34", "35-49"]
    women = age_sweep[age_sweep["gender"] == "f"].groupby("age", observed=True)["volume"].sum()
    assert fig.data[0].y == tuple(float(v) for v in women)
    assert "Age band" in fig.layout.xaxis.title.text
    # An explicit column that is absent still names the column and the available ones.
    with pytest.raises(KeyError, match=r"\['band'\].*columns are \[.*'age'"):
        charts.age_profile(age_sweep, x="band")


def test_cost_comparison_of_sweep_ages_titles_them_as_age_bands(age_sweep):
    fig = charts.cost_comparison(age_sweep, x="age", color="gender")
    assert fig.layout.xaxis.title.text == "Age band (years)"


def test_interest_comparison_names_interests_from_client_categories(client):
    cats = client.categories()
    mains = [int(i) for i in cats.loc[cats["level"] == "interest", "id"]][:4]
    df = sweep(
        Targeting(interest=mains[0], departments=("60",)),
        by={"interest": mains},
        client=client,
        progress=False,
    )
    fig = charts.interest_comparison(df, labels=cats)
    names = dict(zip(cats["id"].astype(int), cats["name"]))
    assert sorted(fig.data[0].x) == sorted(names[i] for i in mains)


BUILDERS = {
    "bar_departments": lambda df: charts.bar_departments(df),
    "map_departments": lambda df: charts.map_departments(df),
    "map_penetration": lambda df: charts.map_departments(df, "penetration"),
    "age_profile": lambda df: charts.age_profile(df),
    "gender_split": lambda df: charts.gender_split(df),
    "interest_comparison": lambda df: charts.interest_comparison(df, x="gender"),
    "cost_comparison": lambda df: charts.cost_comparison(df, x="gender"),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_empty_frame_is_a_clear_error_not_a_blank_figure(age_sweep, name):
    empty = age_sweep.iloc[0:0]
    with pytest.raises(ValueError, match=r"\(\): the frame has no rows"):
        BUILDERS[name](empty)


def test_update_functions_refuse_an_empty_frame_and_keep_the_figure(age_sweep):
    bars = charts.bar_departments(age_sweep)
    before = bars.to_json()
    with pytest.raises(ValueError, match="no rows"):
        charts.update_bars(bars, age_sweep.iloc[0:0])
    assert bars.to_json() == before
    fig = charts.map_departments(age_sweep)
    with pytest.raises(ValueError, match="no rows"):
        charts.update_map_colors(fig, age_sweep.iloc[0:0])


def test_zip_level_sweep_on_the_map_sums_per_department(client):
    z = sweep(
        Targeting(interest=14, zipcodes=("60200", "60000", "75001", "75015")),
        by={"gender": ["f"]},
        geo="zipcodes",
        client=client,
        progress=False,
    )
    assert set(z["locality_type"].astype(str)) == {"zipcode"}
    fig = charts.map_departments(z)
    per_dep = z.groupby("department")["volume"].sum()
    bar = fig.data[-1].marker
    assert (bar.cmin, bar.cmax) == (float(per_dep.min()), float(per_dep.max()))
    oise = next(t for t in fig.data if t.name == "60")
    assert f"{int(per_dep['60']):,} contacts" in oise.text
