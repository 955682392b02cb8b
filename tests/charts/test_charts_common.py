"""Properties every chart shares: determinism, house style, synthetic mark, no network."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from smsp_analytics.charts import (
    age_profile,
    bar_departments,
    cost_comparison,
    gender_split,
    interest_comparison,
    map_departments,
)
from smsp_analytics.charts._style import SYNTHETIC_MARK_NAME, TEMPLATE
from smsp_analytics.display import SYNTHETIC_MARK as SYNTHETIC_MARK_TEXT

# (chart id, builder, fixture name)
CHARTS = [
    ("bar_departments", lambda df: bar_departments(df, top=3), "dept_frame"),
    ("bar_departments_zip", lambda df: bar_departments(df, "cost_eur"), "zip_frame"),
    ("map_volume", map_departments, "dept_frame"),
    ("map_penetration", lambda df: map_departments(df, "penetration"), "zip_frame"),
    ("age_profile", lambda df: age_profile(df, color="gender"), "sweep_frame"),
    ("gender_split", gender_split, "sweep_frame"),
    ("gender_bars", lambda df: gender_split(df, kind="bar"), "sweep_frame"),
    ("interest", lambda df: interest_comparison(df, labels={12: "Sport"}), "sweep_frame"),
    (
        "cost_comparison",
        lambda df: cost_comparison(df, color="gender", facet_col="department"),
        "scenario_frame",
    ),
]
IDS = [c[0] for c in CHARTS]


@pytest.fixture(params=CHARTS, ids=IDS)
def built(request):
    _, build, fixture = request.param
    df = request.getfixturevalue(fixture)
    return build, df


def _mark(fig):
    return [a for a in fig.layout.annotations if a.name == SYNTHETIC_MARK_NAME]


def test_deterministic_json(built):
    build, df = built
    first, second = build(df).to_json(), build(df.copy()).to_json()
    assert first == second
    assert '"uid"' not in first


def test_no_network_and_no_geo_traces(built):
    build, df = built
    fig = build(df)
    text = fig.to_json().lower()
    assert "topojson" not in text and "cdn" not in text and "http" not in text
    assert {t.type for t in fig.data} <= {"bar", "scatter", "pie"}


def test_title_template_and_axis_units(built):
    build, df = built
    fig = build(df)
    assert fig.layout.title.text
    layout = json.loads(fig.to_json())["layout"]
    # The same template everywhere (plotly_white's white plot background and grid).
    assert layout["template"]["layout"]["plot_bgcolor"] == "white"
    assert layout["separators"] == ".,"
    if fig.data[0].type == "bar":
        assert fig.layout.xaxis.title.text
        assert "(" in fig.layout.yaxis.title.text  # unit in the title


def test_each_figure_has_its_own_checked_template(built):
    """The house template goes in unchecked (it was checked once): it is exactly what
    plotly's own check makes of it, and no figure shares it with another."""
    build, df = built
    one, two = build(df), build(df)
    checked = go.Layout(template=TEMPLATE).template.to_plotly_json()
    assert one.layout.template.to_plotly_json() == checked
    one.layout.template.layout.font.size = 31
    one.layout.template.data.bar[0].marker.line.width = 7
    assert two.layout.template.to_plotly_json() == checked
    assert build(df).layout.template.to_plotly_json() == checked
    with pytest.raises(ValueError):  # the figure's layout is checked again afterwards
        one.update_layout(no_such_property=1)


def test_synthetic_mark_follows_data_source(built):
    build, df = built
    sandbox = df.copy()
    sandbox.attrs.update(synthetic=True, source="sandbox")
    real = df.copy()
    real.attrs.update(synthetic=False, source="api")
    marks = _mark(build(sandbox))
    assert len(marks) == 1 and marks[0].text == SYNTHETIC_MARK_TEXT
    assert marks[0].xref == "paper" and marks[0].visible is not False
    assert _mark(build(real)) == []
    unmarked = df.copy()
    unmarked.attrs.clear()
    assert _mark(build(unmarked)) == []


@pytest.mark.parametrize(
    "func, fixture",
    [
        (bar_departments, "zip_frame"),
        (map_departments, "zip_frame"),
        (age_profile, "sweep_frame"),
        (gender_split, "sweep_frame"),
        (interest_comparison, "sweep_frame"),
        (cost_comparison, "scenario_frame"),
    ],
)
def test_synthetic_keyword_overrides_attrs(request, func, fixture):
    df = request.getfixturevalue(fixture)
    df.attrs["synthetic"] = False
    assert len(_mark(func(df, synthetic=True))) == 1
    df.attrs["synthetic"] = True
    assert _mark(func(df, synthetic=False)) == []


SCRIPT = """
import hashlib, pandas as pd
from smsp_analytics.charts import *
df = pd.DataFrame({"department": ["60", "2A", "75", "971"], "volume": [5, 7, 9, 2],
                   "cost_eur": [0.5, 0.7, 0.9, 0.2], "scenario": ["a", "b", "a", "b"],
                   "gender": ["f", "h", "m", "f"], "age_band": ["25-34", "18-24", "25-34", "35-49"],
                   "interest": [3, 1, 2, 3]})
df.attrs["synthetic"] = True
figs = [bar_departments(df, color="region_name"), map_departments(df, "penetration"),
        age_profile(df, color="gender"), gender_split(df), interest_comparison(df),
        cost_comparison(df, color="gender", facet_col="age_band")]
print(hashlib.sha256("".join(f.to_json() for f in figs).encode()).hexdigest())
"""


def test_identical_json_across_processes_and_hash_seeds():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]  # the checkout, whatever pytest's cwd

    outs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            cwd=root,
        )
        outs.add(run.stdout.strip())
    assert len(outs) == 1 and len(outs.pop()) == 64
