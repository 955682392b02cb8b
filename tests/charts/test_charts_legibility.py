"""Legible at any size: label sizes, names on axes, distinct titles, quiet toolbar, map zoom."""

from __future__ import annotations

import pandas as pd
import pytest
from charts_frames import make_frame

from smsp_analytics import charts, refdata
from smsp_analytics.charts._style import MIN_TEXT_SIZE
from smsp_analytics.targeting import Targeting


def _dept(codes, volumes=None):
    volumes = volumes or [100 * (i + 1) for i in range(len(codes))]
    return make_frame([("department", c, c, v, 0.1) for c, v in zip(codes, volumes)])


def _builders(df):
    sweep = pd.DataFrame(
        {
            "age_band": ["18-24", "25-34"],
            "interest": [3, 7],
            "gender": ["f", "m"],
            "scenario": ["A", "B"],
            "volume": [10, 30],
            "cost_eur": [1.0, 3.0],
        }
    )
    return [
        charts.bar_departments(df),
        charts.map_departments(df),
        charts.age_profile(sweep),
        charts.gender_split(sweep),
        charts.interest_comparison(sweep),
        charts.cost_comparison(sweep),
    ]


def test_every_chart_hides_rather_than_shrinks_labels():
    assert MIN_TEXT_SIZE >= 10
    for fig in _builders(_dept(["60", "02"])):
        assert fig.layout.uniformtext.minsize >= 10
        assert fig.layout.uniformtext.mode == "hide"


def test_many_bars_move_values_to_the_hover():
    codes = list(refdata.departments().index[:40])
    fig = charts.bar_departments(_dept(codes))
    assert fig.data[0].text is None
    assert "%{customdata[2]}" in fig.data[0].hovertemplate
    sweep = pd.DataFrame({"interest": range(30), "volume": range(1, 31)})
    assert charts.interest_comparison(sweep).data[0].text is None
    assert charts.interest_comparison(sweep.head(5)).data[0].text is not None


def test_department_names_on_the_axes():
    fig = charts.bar_departments(_dept(["60", "2A", "971"]))
    assert set(fig.layout.xaxis.categoryarray) == {"60 Oise", "2A Corse-du-Sud", "971 Guadeloupe"}
    df = pd.DataFrame(
        {
            "scenario": ["A", "A"],
            "department": ["60", "75"],
            "volume": [1, 2],
            "cost_eur": [1.0, 2.0],
        }
    )
    facets = charts.cost_comparison(df, x="department")
    assert list(facets.data[0].x) == ["60 Oise", "75 Paris"]


def test_titles_name_the_targeting_with_gender_in_words():
    a, b = _dept(["60", "02"]), _dept(["60", "02"])
    a.attrs["targeting"] = Targeting(
        gender="m", age=(25, 34), interest=14, departments=["60", "02"]
    )
    b.attrs["targeting"] = Targeting(
        gender="f", age=(25, 34), interest=14, departments=["60", "02"]
    )
    ta = charts.bar_departments(a).layout.title.text
    tb = charts.bar_departments(b).layout.title.text
    assert ta != tb
    assert "men and women, 25-34, interest 14, departments 60, 02" in ta
    assert "women, 25-34" in tb
    assert "men and women" in charts.map_departments(a).layout.title.text


def test_gender_spelled_out_in_gender_columns():
    sweep = pd.DataFrame({"gender": ["f", "h", "m"], "volume": [1, 2, 3]})
    assert list(charts.gender_split(sweep, include_mixed=True).data[0].labels) == [
        "Women",
        "Men",
        "Men and women",
    ]
    fig = charts.cost_comparison(sweep.assign(scenario="S", cost_eur=1.0), color="gender")
    assert [t.name for t in fig.data] == ["Women", "Men", "Men and women"]


def test_quiet_toolbar():
    assert charts.CONFIG["displaylogo"] is False
    assert "lasso2d" in charts.CONFIG["modeBarButtonsToRemove"]
    fig = charts.bar_departments(_dept(["60"]))
    assert "lasso2d" in fig.layout.modebar.remove
    html = fig.to_html(config=charts.CONFIG, include_plotlyjs=False)
    assert '"displaylogo": false' in html


def _span(r):
    return r[1] - r[0]


def test_map_zooms_to_the_targeted_departments():
    two = _dept(["60", "02"])
    zoomed = charts.map_departments(two)
    france = charts.map_departments(two, zoom=False)
    assert _span(zoomed.layout.xaxis.range) < _span(france.layout.xaxis.range) / 2
    assert _span(zoomed.layout.yaxis.range) < _span(france.layout.yaxis.range) / 2
    # The rest of France is still drawn (faint context), not dropped.
    assert len([t for t in zoomed.data if t.fill == "toself"]) == 96 + 5
    every = _dept(list(refdata.departments().index))
    assert charts.map_departments(every).layout.xaxis.range == france.layout.xaxis.range


def test_map_zoom_follows_live_updates():
    fig = charts.map_departments(_dept(["60", "02"]))
    before = list(fig.layout.xaxis.range)
    charts.update_map_colors(fig, _dept(["13", "83"]))
    assert list(fig.layout.xaxis.range) != before
    assert _span(fig.layout.xaxis.range) < 15


@pytest.mark.parametrize("codes", [["75", "92"], ["92"], ["60", "94"]])
def test_paris_inset_when_the_inner_ring_is_in_the_frame(codes):
    fig = charts.map_departments(_dept(codes))
    inset = [t for t in fig.data if t.name.startswith("inset-")]
    assert sorted(t.name for t in inset) == ["inset-75", "inset-92", "inset-93", "inset-94"]
    assert all(t.xaxis == "x2" and t.yaxis == "y2" for t in inset)
    assert fig.layout.yaxis2.scaleanchor == "x2"
    assert fig.layout.xaxis2.domain[1] - fig.layout.xaxis2.domain[0] < 0.5
    shown = {t.name[len("inset-") :]: t.fillcolor for t in inset}
    main = {t.name: t.fillcolor for t in fig.data if t.name in shown}
    assert shown == main
    assert not [
        t
        for t in charts.map_departments(_dept(codes), inset=False).data
        if t.name.startswith("inset-")
    ]


def test_no_inset_without_the_inner_ring():
    fig = charts.map_departments(_dept(["60", "02"]))
    assert not [t for t in fig.data if t.name.startswith("inset-")]
    assert "xaxis2" not in fig.layout.to_plotly_json()
    assert [
        t.name
        for t in charts.map_departments(_dept(["60"]), inset=True).data
        if t.name.startswith("inset-")
    ] == ["inset-75", "inset-92", "inset-93", "inset-94"]
