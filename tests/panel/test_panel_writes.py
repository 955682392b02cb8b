"""The panel's figures after an update are what the charts draw for the same frame, in both
languages, though the panel writes only the values that changed (panel/_writes.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

from smsp_analytics import charts
from smsp_analytics.i18n import use_lang
from smsp_analytics.panel import Panel, panel
from smsp_analytics.panel._inputs import breakdown

BENCH = Path(__file__).resolve().parents[2] / "bench" / "panel.py"

# Targetings an analyst goes through: one department, two, Paris (the inset), zip codes,
# overseas, a region, and back to all of France (every department coloured, no zoom).
STEPS: list[dict[str, Any]] = [
    {"departments": ("60",)},
    {"departments": ("60", "02"), "gender": "f"},
    {"departments": ("75", "92"), "age": (25, 49)},
    {"departments": (), "zipcodes": "13001, 60200"},
    {"zipcodes": "", "departments": ("971", "972", "974")},
    {"departments": (), "region": "Bretagne"},
    {"region": "__all__", "category": 102},
]

BAR_TRACE = ("x", "y", "customdata", "text", "textposition", "cliponaxis", "hovertemplate")
BAR_LAYOUT = ("title", "separators", "xaxis", "yaxis")


def _json(fig: go.Figure) -> dict[str, Any]:
    return fig.to_plotly_json()


def assert_draws_like_the_charts(p: Panel, lang: str) -> None:
    rows = breakdown(p.frame)
    with use_lang(lang):
        bars = _json(charts.bar_departments(rows, height=420))
        map_ = _json(charts.map_departments(rows, height=560))
    got_bars, got_map = _json(p.bars), _json(p.map)

    for key in BAR_TRACE:
        assert got_bars["data"][0].get(key) == bars["data"][0].get(key), key
    for key in BAR_LAYOUT:
        want = bars["layout"].get(key)
        assert got_bars["layout"].get(key) == want, key

    want_traces = {t["name"]: t for t in map_["data"]}
    for trace in got_map["data"]:
        name = trace["name"]
        # Paris's inset stays once drawn; its departments read as on the main map.
        want = want_traces.get(name) or want_traces[name.removeprefix("inset-")]
        if name == "colorbar":
            for key in ("cmin", "cmax", "color", "showscale", "colorbar", "colorscale"):
                assert trace["marker"].get(key) == want["marker"].get(key), key
        else:
            assert (trace["fillcolor"], trace["text"]) == (want["fillcolor"], want["text"]), name
    for key in ("title", "separators"):
        assert got_map["layout"].get(key) == map_["layout"].get(key), key
    for axis in ("xaxis", "yaxis"):
        assert got_map["layout"][axis]["range"] == map_["layout"][axis]["range"], axis


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_updates_draw_what_the_charts_draw(client, lang):
    p = panel(client, debounce=0, lang=lang)
    try:
        bars, map_ = p.bars, p.map
        for step in STEPS:
            p.apply(**step)
            assert p.message.value == "", (step, p.message.value)
            assert_draws_like_the_charts(p, lang)
        assert p.bars is bars and p.map is map_  # updated in place, never replaced
    finally:
        p.close()


def test_an_update_sends_only_what_changed(client):
    p = panel(client, debounce=0)
    try:
        p.apply(departments=("60", "02"))
        bars, map_ = p._writers
        sent = (bars.sent, map_.sent)
        edits = (p.bars._last_trace_edit_id, p.map._last_trace_edit_id)
        # The same targeting again (a memo hit): nothing to send, no message at all.
        p.refresh(now=True)
        assert (bars.sent, map_.sent) == sent
        assert (p.bars._last_trace_edit_id, p.map._last_trace_edit_id) == edits
        # Oise alone: its bar and colours change, Aisne turns grey; the other 99 departments
        # of the map keep their grey and their hover, so they are not sent again.
        p.apply(departments=("60",))
        assert p.bars._last_trace_edit_id == edits[0] + 1
        assert p.map._last_trace_edit_id == edits[1] + 1  # one message per figure
        assert 0 < map_.sent - sent[1] < 20
    finally:
        p.close()


def test_the_bench_runs_and_prints_its_targets():
    out = subprocess.run(
        [sys.executable, str(BENCH), "--rounds", "10"], capture_output=True, text=True, timeout=300
    )
    assert "target p95 warm <= 30 ms:" in out.stdout, out.stderr
    assert "target p95 cold <= 80 ms:" in out.stdout
