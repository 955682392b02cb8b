"""campaign_cost, send_windows and drift on hand-made frames shaped as their issues specify."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from smsp_analytics import charts, send_windows
from smsp_analytics.charts._style import SYNTHETIC_MARK_NAME

PARIS = ZoneInfo("Europe/Paris")


def _marks(fig):
    return [a for a in fig.layout.annotations if a.name == SYNTHETIC_MARK_NAME]


@pytest.fixture
def cost_frame() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "locality": ["02", "60", "75"],
            "volume": [500, 1000, 2500],
            "parts": [2, 2, 2],
            "rental_cost_eur": [45.0, 90.0, 225.0],
            "sending_cost_eur": [38.0, 76.0, 190.0],
        }
    )
    df["total_cost_eur"] = df["rental_cost_eur"] + df["sending_cost_eur"]
    df.attrs["synthetic"] = True
    return df


def test_campaign_cost_stacks_rental_and_sending_to_the_total(cost_frame):
    fig = charts.campaign_cost(cost_frame)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Rental", "Sending"]
    # Largest total first, departments named.
    assert list(fig.data[0].x) == ["75 Paris", "60 Oise", "02 Aisne"]
    stacked = [r + s for r, s in zip(fig.data[0].y, fig.data[1].y)]
    assert stacked == pytest.approx([415.0, 166.0, 83.0])
    totals = {a.x: a.text for a in fig.layout.annotations if a.name == "total"}
    assert totals == {"75 Paris": "€415.00", "60 Oise": "€166.00", "02 Aisne": "€83.00"}
    assert fig.layout.yaxis.tickprefix == "€"
    assert "department" in fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Department"
    assert "SMS parts: %{customdata" in fig.data[0].hovertemplate
    assert len(_marks(fig)) == 1


def test_campaign_cost_by_scenario_sums_rows_and_keeps_order(cost_frame):
    df = pd.concat(
        [
            cost_frame.assign(scenario="Oise first"),
            cost_frame.iloc[:1].assign(scenario="Aisne only"),
        ],
        ignore_index=True,
    )
    fig = charts.campaign_cost(df)
    assert list(fig.data[0].x) == ["Oise first", "Aisne only"]
    assert list(fig.data[0].y) == pytest.approx([360.0, 45.0])
    assert list(fig.data[1].y) == pytest.approx([304.0, 38.0])
    assert len(_marks(charts.campaign_cost(df, synthetic=False))) == 0


def test_campaign_cost_needs_its_columns(cost_frame):
    with pytest.raises(KeyError, match="sending_cost_eur"):
        charts.campaign_cost(cost_frame.drop(columns="sending_cost_eur"))


def _window_frame() -> pd.DataFrame:
    """Two departments over three days: Paris closed on a Sunday, Reunion open 08:00-17:00
    Paris time (its local evening ends earlier)."""
    rows = []
    for dep, tz, close_paris in (("75", PARIS, 20), ("974", ZoneInfo("Indian/Reunion"), 17)):
        for day in (dt.date(2026, 12, 5), dt.date(2026, 12, 6), dt.date(2026, 12, 7)):
            if day.weekday() == 6:
                rows.append((dep, day, False, pd.NaT, pd.NaT, pd.NaT, pd.NaT, "Sunday"))
                continue
            ps = dt.datetime.combine(day, dt.time(8), PARIS)
            pe = dt.datetime.combine(day, dt.time(close_paris), PARIS)
            rows.append((dep, day, True, ps.astimezone(tz), pe.astimezone(tz), ps, pe, ""))
    return pd.DataFrame(
        rows,
        columns=[
            "department",
            "date",
            "open",
            "local_start",
            "local_end",
            "paris_start",
            "paris_end",
            "reason",
        ],
    )


def test_send_windows_timeline_in_paris_time_with_closed_reasons():
    frame = _window_frame()
    frame.attrs["synthetic"] = True
    fig = charts.send_windows(frame)
    opened, closed = fig.data
    assert (opened.name, closed.name) == ("Open", "Closed")
    assert opened.orientation == closed.orientation == "h"
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.title.text == "Paris time"
    assert list(fig.layout.yaxis.categoryarray) == ["75 Paris", "974 La Réunion"]
    # Windows as Paris wall times: Reunion's 12:00-21:00 local is 08:00-17:00 in Paris.
    spans = {(y, b): x / 3_600_000 for y, b, x in zip(opened.y, opened.base, opened.x)}
    assert spans[("75 Paris", "2026-12-05T08:00:00")] == 12
    assert spans[("974 La Réunion", "2026-12-05T08:00:00")] == 9
    assert sorted(closed.y) == ["75 Paris", "974 La Réunion"]
    reasons = [a.text for a in fig.layout.annotations if a.name == "closed-reason"]
    assert reasons == ["Sunday", "Sunday"]
    assert all(a.font.size >= 10 for a in fig.layout.annotations if a.name == "closed-reason")
    hover = [h for h in opened.hovertext if h.startswith("<b>974")][0]
    assert "08:00-17:00 Paris time" in hover and "local time 11:00-20:00" in hover
    assert len(_marks(fig)) == 1


def test_send_windows_of_the_real_calendar_marks_christmas():
    fig = charts.send_windows(send_windows(["57", "974"], "2026-12-24", days=3))
    reasons = [
        a.text.replace("<br>", " ") for a in fig.layout.annotations if a.name == "closed-reason"
    ]
    assert reasons.count("Christmas Day") == 2
    assert "57 Moselle" in fig.data[1].y


@pytest.fixture
def drift_frame() -> pd.DataFrame:
    nan = float("nan")
    df = pd.DataFrame(
        {
            "locality": ["60", "02", "80", "59", "62"],
            "volume_before": [1000, 500, 300, nan, 200],
            "volume_after": [1200, 400, 300, 150, nan],
        }
    )
    df["volume_change"] = df["volume_after"] - df["volume_before"]
    df["volume_change_pct"] = df["volume_change"] / df["volume_before"] * 100
    df["unit_cost_before"] = 0.09
    df["unit_cost_after"] = 0.095
    df["as_of_before"] = pd.Timestamp("2026-09-01")
    df["as_of_after"] = pd.Timestamp("2026-10-01")
    df.attrs["synthetic"] = True
    return df


def test_drift_bars_diverge_with_sign_correct_colours(drift_frame):
    fig = charts.drift(drift_frame)
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"Increase", "Decrease", "No change", "New", "Gone"}
    shown = {y: (t.name, x, t.marker.color) for t in fig.data for y, x in zip(t.y, t.x)}
    # Every locality is shown, one-sided ones included.
    assert set(shown) == {"60 Oise", "02 Aisne", "80 Somme", "59 Nord", "62 Pas-de-Calais"}
    assert shown["60 Oise"][:2] == ("Increase", pytest.approx(0.2))
    assert shown["02 Aisne"][:2] == ("Decrease", pytest.approx(-0.2))
    assert shown["62 Pas-de-Calais"][:2] == ("Gone", -1.0)
    assert shown["59 Nord"][0] == "New" and shown["59 Nord"][1] > 0
    blue, red = charts.changes.CHANGE_COLORS["Increase"], charts.changes.CHANGE_COLORS["Decrease"]
    for _, x, colour in shown.values():
        if x > 0:
            assert colour == blue
        elif x < 0:
            assert colour == red
    assert list(by_name["New"].text) == ["new"] and list(by_name["Gone"].text) == ["gone"]
    assert list(by_name["Increase"].text) == ["+20.0%"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert "01 Sep 2026 to 01 Oct 2026" in fig.layout.title.text
    assert len(_marks(fig)) == 1


def test_drift_map_is_centred_on_zero(drift_frame):
    fig = charts.drift(drift_frame, kind="map")
    bar = fig.data[-1].marker
    assert bar.cmin == -bar.cmax == -1.0  # "gone" is -100%
    fills = {t.name: t for t in fig.data if t.fill == "toself"}
    assert "gone" in fills["62"].text and "new" in fills["59"].text
    gain, loss = fills["60"].fillcolor, fills["02"].fillcolor

    def rgb(c):
        return [float(v) for v in c[c.index("(") + 1 : -1].split(",")]

    assert rgb(gain)[2] > rgb(gain)[0]  # blue for a gain
    assert rgb(loss)[0] > rgb(loss)[2]  # red for a loss
    assert fills["80"].fillcolor != charts._style.MISSING_COLOR
    assert fills["13"].fillcolor == charts._style.MISSING_COLOR
    # Zoomed to Hauts-de-France, not the whole country.
    full = charts.map_departments(
        pd.DataFrame({"department": ["60"], "volume": [1]}), zoom=False
    ).layout.xaxis.range
    x = fig.layout.xaxis.range
    assert x[1] - x[0] < (full[1] - full[0]) / 2
    assert len(_marks(fig)) == 1
    with pytest.raises(ValueError, match="kind"):
        charts.drift(drift_frame, kind="pie")


def test_drift_sums_targetings_per_locality(drift_frame):
    two = pd.concat([drift_frame, drift_frame.iloc[:1]], ignore_index=True)
    fig = charts.drift(two)
    trace = next(t for t in fig.data if t.name == "Increase")
    assert list(trace.y) == ["60 Oise"] and list(trace.x) == pytest.approx([0.2])
