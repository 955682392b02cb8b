"""Plot style of every chart: template, palette, axis formats, the synthetic annotation.

Text (numbers, euros, titles, gender words, the synthetic mark's wording) comes from
:mod:`smsp_analytics.display`, so hover labels, tables and the CLI read the same, in the
language in force: every figure gets the language's ``separators`` (plotly's d3 formats then
write ``1 234,5`` in French) and the euro sign where the language puts it. Axis ticks drop
the cents (``€1,235``) unless the axis range is under €100, where cents matter (unit costs
are a few cents).

>>> axis_format("cost_eur", 5000)
{'tickprefix': '€', 'tickformat': ',.0f'}
>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("fr"):
...     axis_format("cost_eur", 5000)
{'tickprefix': '', 'ticksuffix': '\xa0€', 'tickformat': ',.0f'}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

import plotly.graph_objects as go

from smsp_analytics.display import (
    describe_targeting,
    eur_affixes,
    plotly_separators,
    synthetic_text,
    value_kind,
)
from smsp_analytics.i18n import _

__all__ = [
    "TEMPLATE",
    "PALETTE",
    "COLORSCALE",
    "MISSING_COLOR",
    "SYNTHETIC_MARK_NAME",
    "GENDER_COLORS",
    "axis_format",
    "apply_house_style",
    "set_synthetic_mark",
    "palette_map",
    "CONFIG",
    "MIN_TEXT_SIZE",
    "chart_title",
    "by_title",
]

#: One template for every figure, so charts in one notebook look alike.
TEMPLATE = "plotly_white"
#: Qualitative palette (colour-blind safe) for ``color=`` groups, in order of appearance.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
#: Single colour of bars without ``color=``.
BAR_COLOR = "#1f77b4"
#: Sequential scale of the map: Viridis gets lighter monotonically with the value and never
#: reaches the light grey used for "no data".
COLORSCALE = "Viridis"
MISSING_COLOR = "#d9d9d9"

SYNTHETIC_MARK_NAME = "synthetic-mark"

#: Smallest font of text written on bars: smaller labels are hidden (values stay in the
#: hover) rather than shrunk into illegibility.
MIN_TEXT_SIZE = 10
#: Toolbar buttons an analyst never needs on these charts (selection tools, autoscale twins).
MODEBAR_REMOVE: tuple[str, ...] = (
    "select2d",
    "lasso2d",
    "autoScale2d",
    "toggleSpikelines",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
)
#: The plotly ``config`` of every chart: pass it to ``fig.show(config=CONFIG)`` or
#: ``fig.to_html(config=CONFIG)``. A quiet toolbar without the plotly logo.
CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": list(MODEBAR_REMOVE),
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def axis_format(column: str, max_abs: float | None = None) -> dict[str, Any]:
    """Plotly axis (or colorbar) properties formatting ``column``'s values in house style."""
    kind = value_kind(column)
    if kind == "eur":
        small = max_abs is not None and max_abs < 100
        prefix, suffix = eur_affixes()
        # Both affixes in French: a figure updated in place must not keep an English prefix.
        affixes = {"tickprefix": prefix, "ticksuffix": suffix} if suffix else {"tickprefix": prefix}
        return {**affixes, "tickformat": ",.2f" if small else ",.0f"}
    if kind == "pct":
        # Sub-percent penetrations would read "0.1%, 0.1%, 0.1%" with one decimal.
        return {"tickformat": ".1%" if max_abs is None or max_abs >= 0.05 else ".2%"}
    return {"tickformat": ",~f"}


def synthetic_annotation() -> dict[str, Any]:
    """The layout annotation marking a figure built from sandbox data (fixed name)."""
    return dict(
        name=SYNTHETIC_MARK_NAME,
        text=synthetic_text(),
        # Raised into the top margin, level with the title: clear of facet titles, legends
        # and bar labels whatever the chart.
        xref="paper",
        yref="paper",
        x=1,
        y=1.0,
        xanchor="right",
        yanchor="bottom",
        yshift=28,
        showarrow=False,
        font=dict(color="#b00020", size=12),
        bordercolor="#b00020",
        borderwidth=1,
        borderpad=3,
        bgcolor="rgba(255,255,255,0.85)",
    )


def set_synthetic_mark(fig: go.Figure, synthetic: bool) -> None:
    """Add or remove the synthetic mark in place (used by the update functions too)."""
    others = [a for a in fig.layout.annotations if a.name != SYNTHETIC_MARK_NAME]
    if synthetic:
        others.append(go.layout.Annotation(**synthetic_annotation()))
    fig.layout.annotations = others


def apply_house_style(
    fig: go.Figure,
    *,
    title: str,
    synthetic: bool,
    meta: Mapping[str, Any] | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Title, template, margins and synthetic mark shared by every chart; returns ``fig``.

    ``meta`` (JSON-able) records how the figure was built so update functions can redo it.
    """
    _set_house_template(fig)
    fig.update_layout(
        title=dict(text=title, x=0.0, xanchor="left"),
        margin=dict(l=60, r=30, t=80, b=60),
        hoverlabel=dict(align="left"),
        # The language's decimal mark and grouping in every d3 format (hover, ticks, text).
        separators=plotly_separators(),
        uniformtext=dict(minsize=MIN_TEXT_SIZE, mode="hide"),
        # The layout half of the quiet toolbar (the logo can only go through CONFIG).
        modebar=dict(
            bgcolor="rgba(255,255,255,0)",
            color="#b0b0b0",
            activecolor="#555555",
            remove=list(MODEBAR_REMOVE),
        ),
    )
    if height is not None:
        fig.update_layout(height=height)
    if width is not None:
        fig.update_layout(width=width)
    if meta is not None:
        fig.update_layout(meta=dict(meta))
    set_synthetic_mark(fig, synthetic)
    return fig


@cache
def _house_template_json() -> str:
    """The house template as plotly checks it, as JSON (the same in every figure)."""
    return json.dumps(go.Layout(template=TEMPLATE).template.to_plotly_json())


def _set_house_template(fig: go.Figure) -> None:
    """Put the house template in ``fig``'s layout, as ``update_layout(template=TEMPLATE)``.

    Plotly checks a named template afresh for every figure (about 17 ms, most of a small
    chart's build); the template is the same checked JSON every time, so it is checked once
    per process and each figure gets its own fresh copy unchecked, as plotly itself does
    with its default template. The figure's JSON is the same, key for key.
    """
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = json.loads(_house_template_json())
    finally:
        layout._validate = True


def by_title(metric: str, what: str) -> str:
    """``metric by what`` (``Cost by department``) in the language in force.

    >>> by_title("Cost (€)", "department")
    'Cost (€) by department'
    """
    return _("{metric} by {what}").format(metric=metric, what=what)


def chart_title(what: str, df: Any = None, targeting: Any = None) -> str:
    """A chart title built from the data: what by what, then the targeting on a second line.

    The targeting is ``targeting`` or the frame's ``attrs["targeting"]`` (set by the client),
    gender in words, so two charts of two targetings never share a title.

    >>> chart_title("Cost (€) by department", targeting={"gender": "m", "age": (25, 34)})
    'Cost (€) by department<br><sup>men and women, 25-34, all France</sup>'
    """
    if targeting is None and df is not None:
        targeting = getattr(df, "attrs", {}).get("targeting")
    if not targeting:  # None, or an empty dict from a hand-made frame
        return what
    return f"{what}<br><sup>{describe_targeting(targeting)}</sup>"


#: Fixed colours per gender code, so Women/Men/Mixed look the same in every chart.
GENDER_COLORS: dict[str, str] = {"f": "#d62728", "h": "#1f77b4", "m": "#7f7f7f"}


def palette_map(values: list[Any], column: str | None = None) -> dict[Any, str]:
    """Deterministic colour per group value, in order of appearance (cycling the palette).

    Gender codes keep their fixed :data:`GENDER_COLORS` whatever their order.
    """
    if column == "gender" and all(str(v) in GENDER_COLORS for v in values):
        return {v: GENDER_COLORS[str(v)] for v in values}
    return {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(values)}
