"""age_profile, gender_split, interest_comparison, cost_comparison: values, order, labels."""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics.charts import age_profile, cost_comparison, gender_split, interest_comparison


def test_age_profile_sums_in_sweep_order(sweep_frame):
    fig = age_profile(sweep_frame)
    expected = sweep_frame.groupby("age_band", sort=False)["volume"].sum()
    assert list(fig.data[0].x) == ["25-34", "18-24", "35-49"]  # not lexical
    assert list(fig.data[0].y) == [float(expected[b]) for b in ["25-34", "18-24", "35-49"]]
    assert list(fig.layout.xaxis.categoryarray) == ["25-34", "18-24", "35-49"]
    assert fig.layout.xaxis.title.text == "Age band (years)"
    assert fig.layout.yaxis.title.text == "Volume (contacts)"
    assert list(fig.data[0].text) == [f"{int(v):,}" for v in expected]


def test_age_profile_color_by_gender(sweep_frame):
    fig = age_profile(sweep_frame, color="gender")
    assert [t.name for t in fig.data] == ["Women", "Men"]
    women = (
        sweep_frame[sweep_frame["gender"] == "f"].groupby("age_band", sort=False)["volume"].sum()
    )
    assert list(fig.data[0].y) == [float(v) for v in women]
    assert fig.layout.barmode == "group"
    assert fig.layout.legend.title.text == "Gender"
    assert "Gender: %{customdata[1]}" in fig.data[0].hovertemplate
    assert fig.data[0].customdata[0][1] == "Women"


def test_gender_split_donut_labels_and_values(sweep_frame):
    fig = gender_split(sweep_frame)
    pie = fig.data[0]
    sums = sweep_frame.groupby("gender")["volume"].sum()
    assert list(pie.labels) == ["Women", "Men"]
    assert list(pie.values) == [float(sums["f"]), float(sums["h"])]
    assert pie.hole > 0 and pie.sort is False
    assert list(pie.customdata) == [f"{int(sums['f']):,}", f"{int(sums['h']):,}"]
    assert "Volume (contacts) by gender" == fig.layout.title.text


def test_gender_split_mixed_rows(scenario_frame):
    df = pd.DataFrame({"gender": ["m", "h", "f"], "volume": [100, 45, 55]})
    assert list(gender_split(df).data[0].labels) == ["Women", "Men"]  # m double counts
    assert list(gender_split(df, include_mixed=True).data[0].labels) == [
        "Women",
        "Men",
        "Men and women",
    ]
    only_mixed = pd.DataFrame({"gender": ["m"], "volume": [7]})
    assert list(gender_split(only_mixed).data[0].labels) == ["Men and women"]


def test_gender_split_as_bars(sweep_frame):
    fig = gender_split(sweep_frame, values="cost_eur", kind="bar")
    assert list(fig.data[0].x) == ["Women", "Men"]
    assert fig.layout.yaxis.title.text == "Cost (€)"
    assert fig.layout.yaxis.tickprefix == "€"
    assert fig.data[0].text[0].startswith("€")
    with pytest.raises(ValueError):
        gender_split(sweep_frame, kind="radar")


def test_interest_comparison_sorted_with_names(sweep_frame):
    fig = interest_comparison(sweep_frame, labels={12: "Sport", 3: "Travel"})
    sums = sweep_frame.groupby("interest")["volume"].sum().sort_values(ascending=False)
    names = {12: "Sport", 3: "Travel"}
    assert list(fig.data[0].x) == [names[i] for i in sums.index]
    assert list(fig.data[0].y) == [float(v) for v in sums]
    assert fig.layout.xaxis.title.text == "Interest"


@pytest.mark.parametrize(
    "labels",
    [
        pd.DataFrame({"id": [3, 12], "name": ["Travel", "Sport"]}),
        pd.DataFrame({"name": ["Travel", "Sport"]}, index=[3, 12]),
        pd.Series({3: "Travel", 12: "Sport"}),
        {"3": "Travel", "12": "Sport"},
    ],
)
def test_interest_labels_forms(sweep_frame, labels):
    fig = interest_comparison(sweep_frame, labels=labels, sort="data")
    assert list(fig.data[0].x) == ["Sport", "Travel"]  # sweep order: 12 then 3


def test_interest_without_labels_top_and_ascending(sweep_frame):
    fig = interest_comparison(sweep_frame, sort="ascending", top=1)
    sums = sweep_frame.groupby("interest")["volume"].sum()
    assert list(fig.data[0].x) == [f"Interest {sums.idxmin()}"]
    assert list(fig.data[0].y) == [float(sums.min())]


def test_cost_comparison_grouped_euro_labels(scenario_frame):
    fig = cost_comparison(scenario_frame)
    sums = scenario_frame.groupby("scenario", sort=False)[["cost_eur", "volume"]].sum()
    trace = fig.data[0]
    assert list(trace.x) == ["Oise women", "Paris all", "Oise all"]  # order of appearance
    assert list(trace.y) == pytest.approx([float(v) for v in sums["cost_eur"]])
    assert list(trace.text) == ["€334.50", "€22,500.09", "€700.00"]
    assert trace.customdata[1][3] == "250,001"
    assert "Volume: %{customdata[3]}" in trace.hovertemplate
    assert fig.layout.yaxis.tickprefix == "€" and fig.layout.yaxis.title.text == "Cost (€)"
    assert fig.layout.xaxis.title.text == "Scenario"


def test_cost_comparison_color_and_facets(scenario_frame):
    fig = cost_comparison(scenario_frame, color="gender", facet_col="department")
    assert [(t.name, t.xaxis) for t in fig.data] == [
        ("Women", "x"),
        ("Men and women", "x"),
        ("Men and women", "x2"),
    ]
    assert [t.showlegend for t in fig.data] == [True, True, False]
    titles = [a.text for a in fig.layout.annotations]
    assert "Department: 60 Oise" in titles and "Department: 75 Paris" in titles
    paris = fig.data[2]
    assert list(paris.x) == ["Paris all"] and list(paris.text) == ["€22,500.09"]
    assert fig.layout.barmode == "group"
    assert fig.layout.xaxis2.categoryarray == fig.layout.xaxis.categoryarray
