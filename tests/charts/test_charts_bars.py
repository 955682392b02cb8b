"""bar_departments / update_bars: values, order, hover, aggregation, top-N, update."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from charts_frames import make_frame

from smsp_analytics import refdata
from smsp_analytics.charts import bar_departments, update_bars
from smsp_analytics.charts._style import SYNTHETIC_MARK_NAME


def _bars(fig):
    return [(x.split(" ")[0], y) for t in fig.data for x, y in zip(t.x, t.y)]


def codes(labels):
    """Department codes of axis labels such as "60 Oise"."""
    return [str(lab).split(" ")[0] for lab in labels]


def test_sorted_descending_with_codes_as_strings(dept_frame):
    fig = bar_departments(dept_frame)
    assert len(fig.data) == 1
    assert codes(fig.data[0].x) == ["75", "13", "60", "01", "971", "2A"]
    assert list(fig.data[0].x)[:3] == ["75 Paris", "13 Bouches-du-Rhône", "60 Oise"]
    assert list(fig.data[0].y) == [250000, 90000, 12345, 4000, 3000, 800]
    # "01" must stay a code, not become the number 1.
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == list(fig.data[0].x)


def test_top_n_keeps_the_n_largest_in_descending_order(dept_frame):
    fig = bar_departments(dept_frame, "cost_eur", top=3)
    expected = (
        dept_frame.set_index("department")["cost_eur"]
        .astype(float)
        .sort_values(ascending=False)
        .head(3)
    )
    assert codes(fig.data[0].x) == list(expected.index)
    assert list(fig.data[0].y) == pytest.approx(list(expected))
    assert "top 3" in fig.layout.title.text
    with pytest.raises(ValueError):
        bar_departments(dept_frame, top=0)


def test_zip_level_frame_is_aggregated_by_department(zip_frame):
    fig = bar_departments(zip_frame)
    expected = zip_frame.groupby("department")["volume"].sum().sort_values(ascending=False)
    assert codes(fig.data[0].x) == [str(c) for c in expected.index]
    assert list(fig.data[0].y) == [float(v) for v in expected]
    cost = zip_frame.groupby("department")["cost_eur"].sum()
    by_code = {row[0].split(" ")[0]: row for row in fig.data[0].customdata}
    assert by_code["75"][3] == f"€{float(cost['75']):,.2f}"
    assert by_code["75"][2] == "9,700"


def test_hover_shows_code_name_volume_and_euros(dept_frame):
    fig = bar_departments(dept_frame)
    trace = fig.data[0]
    rows = {row[0].split(" ")[0]: list(row) for row in trace.customdata}
    assert rows["60"][0] == "60 Oise"
    assert rows["60"][2] == "12,345" and rows["60"][3] == "€1,234.50"
    assert rows["2A"][0] == "2A " + refdata.departments().loc["2A", "name"]
    assert rows["75"][2] == "250,000"
    for part in ("%{customdata[0]}", "Volume: %{customdata[2]}", "Cost: %{customdata[3]}"):
        assert part in trace.hovertemplate


def test_axis_titles_units_and_euro_ticks(dept_frame):
    fig = bar_departments(dept_frame, "cost_eur")
    assert fig.layout.yaxis.title.text == "Cost (€)"
    assert fig.layout.yaxis.tickprefix == "€"
    assert fig.layout.xaxis.title.text == "Department"
    assert fig.layout.title.text == "Cost (€) by department"
    assert list(fig.data[0].text)[0] == "€22,500.00"
    assert bar_departments(dept_frame).layout.yaxis.title.text == "Volume (contacts)"


def test_text_labels_only_when_few_bars(dept_frame):
    codes = list(refdata.departments().index[:25])
    many = make_frame([("department", c, c, 100 + i, 0.1) for i, c in enumerate(codes)])
    assert list(bar_departments(dept_frame).data[0].text)[:2] == ["250,000", "90,000"]
    assert bar_departments(many).data[0].text is None
    assert len(bar_departments(many, text_auto=True).data[0].text) == 25
    assert bar_departments(dept_frame, text_auto=False).data[0].text is None


def test_color_by_region_keeps_global_descending_order(dept_frame):
    fig = bar_departments(dept_frame, color="region_name")
    assert len(fig.data) == len(
        {refdata.departments().loc[c, "region_name"] for c in dept_frame["department"]}
    )
    assert codes(fig.layout.xaxis.categoryarray) == ["75", "13", "60", "01", "971", "2A"]
    assert fig.data[0].name == "Île-de-France"
    assert sorted(_bars(fig), key=lambda b: -b[1])[0] == ("75", 250000)


def test_synthetic_mark_follows_attrs_and_override(dept_frame, zip_frame):
    def marks(fig):
        return [a for a in fig.layout.annotations if a.name == SYNTHETIC_MARK_NAME]

    assert [a.text for a in marks(bar_departments(dept_frame))] == ["SYNTHETIC DATA (sandbox)"]
    assert marks(bar_departments(zip_frame)) == []
    assert marks(bar_departments(dept_frame, synthetic=False)) == []
    assert len(marks(bar_departments(zip_frame, synthetic=True))) == 1


def test_update_bars_in_place(dept_frame, zip_frame):
    fig = bar_departments(dept_frame, top=4)
    before = len(fig.data)
    same = update_bars(fig, zip_frame)
    assert same is fig and len(fig.data) == before
    assert codes(fig.data[0].x) == ["75", "13", "60", "01"]
    assert list(fig.data[0].y) == [9700, 4000, 3500, 150]
    assert list(fig.layout.xaxis.categoryarray) == list(fig.data[0].x)
    # Real data replaced sandbox data: the mark goes away.
    assert not any(a.name == SYNTHETIC_MARK_NAME for a in fig.layout.annotations)
    update_bars(fig, zip_frame, y="cost_eur")
    assert fig.layout.yaxis.title.text == "Cost (€)"
    assert fig.layout.meta["y"] == "cost_eur"
    with pytest.raises(ValueError):
        update_bars(go.Figure(), zip_frame)


def test_update_bars_on_figure_widget(dept_frame, zip_frame):
    widget = go.FigureWidget(bar_departments(dept_frame))
    update_bars(widget, zip_frame)
    assert codes(widget.data[0].x) == ["75", "13", "60", "01"]


def test_missing_column_is_a_readable_error(dept_frame):
    with pytest.raises(KeyError, match="nope"):
        bar_departments(dept_frame, "nope")
