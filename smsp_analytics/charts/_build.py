"""Figure building blocks shared by the bar-type charts: grouped/faceted bars, in-place update."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smsp_analytics import display
from smsp_analytics.charts import _style

__all__ = ["grouped_bars", "label_function", "copy_into"]


def label_function(column: str | None, labels: Any = None) -> Callable[[Any], str]:
    """How values of ``column`` are displayed: gender codes get UI labels, others ``str``."""
    mapping: dict = {}
    if column == "gender":
        mapping = {k: v.capitalize() for k, v in display.GENDER_WORDS.items()}
    if labels is not None:
        mapping.update(labels)

    def label(v: Any) -> str:
        if display.is_missing(v):
            return display.NO_DATA
        if v in mapping:
            return str(mapping[v])
        # Ids may arrive as 12, "12" or 12.0 depending on the frame's dtype.
        for key in (str(v), _as_int(v)):
            if key is not None and key in mapping:
                return str(mapping[key])
        return str(v)

    return label


def _as_int(v: Any) -> int | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def grouped_bars(
    agg: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None,
    facet_col: str | None,
    x_order: Sequence[Any],
    x_label: Callable[[Any], str],
    color_label: Callable[[Any], str],
    facet_label: Callable[[Any], str],
    text_auto: bool,
    hover_extra: Sequence[tuple[str, str]] = (),
    x_title: str | None = None,
) -> go.Figure:
    """Bars of ``agg`` (already summed per x/color/facet): one trace per colour and panel.

    ``hover_extra`` lists ``(label, column)`` pairs added to the hover, formatted by column.
    Categories are shown as strings on a category axis so codes like ``"01"`` stay codes.
    """
    facets = list(dict.fromkeys(agg[facet_col])) if facet_col else [None]
    colors = list(dict.fromkeys(agg[color])) if color else [None]
    colour_of = _style.palette_map(colors, color)
    x_cats = [x_label(v) for v in x_order]
    if facet_col:
        fig = make_subplots(
            rows=1, cols=len(facets), shared_yaxes=True, horizontal_spacing=0.04,
            subplot_titles=[f"{display.column_title(facet_col)}: {facet_label(f)}" for f in facets],
        )
    else:
        fig = go.Figure()
    extras = [(lab, col) for lab, col in hover_extra if col in agg.columns and col != y]
    hover = [f"<b>{display.column_title(x).split(' (')[0]}: %{{customdata[0]}}</b>"]
    if color:
        hover.append(f"{display.column_title(color).split(' (')[0]}: %{{customdata[1]}}")
    hover.append(f"{display.column_title(y).split(' (')[0]}: %{{customdata[2]}}")
    for i, (lab, _col) in enumerate(extras):
        hover.append(f"{lab}: %{{customdata[{3 + i}]}}")
    template = "<br>".join(hover) + "<extra></extra>"
    y_max = 0.0
    # Colour outer, panel inner: legend entries follow the colour order of appearance.
    for colour_value in colors:
        for col_i, facet in enumerate(facets, start=1):
            part = agg if facet is None else agg[agg[facet_col].eq(facet).fillna(False)]
            sub = part if colour_value is None else part[
                part[color].eq(colour_value).fillna(False)]
            if sub.empty:
                continue
            # Reorder rows along the category order so traces are sorted like the axis.
            rank = {v: i for i, v in enumerate(x_order)}
            sub = sub.assign(_rank=[rank.get(v, len(rank)) for v in sub[x]]).sort_values(
                "_rank", kind="stable")
            ys = [None if display.is_missing(v) else float(v) for v in sub[y]]
            y_max = max([y_max] + [abs(v) for v in ys if v is not None])
            custom = [
                [x_label(xv), color_label(cv) if color else "", display.fmt_value(yv, y)]
                + [display.fmt_value(r[c], c) for _l, c in extras]
                for xv, cv, yv, (_, r) in zip(
                    sub[x], sub[color] if color else [None] * len(sub), sub[y], sub.iterrows())
            ]
            name = color_label(colour_value) if color else display.column_title(y)
            trace = go.Bar(
                x=[x_label(v) for v in sub[x]], y=ys, name=name,
                marker_color=colour_of[colour_value] if color else _style.BAR_COLOR,
                customdata=custom, hovertemplate=template,
                legendgroup=name, showlegend=bool(color) and col_i == _first_facet(
                    agg, facet_col, facets, color, colour_value),
                text=[c[2] for c in custom] if text_auto else None,
                textposition="outside" if text_auto else None,
                cliponaxis=False if text_auto else None,
            )
            fig.add_trace(trace, row=1 if facet_col else None, col=col_i if facet_col else None)
    fig.update_layout(barmode="group", bargap=0.2, legend_title_text=(
        display.column_title(color) if color else None))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x_cats)
    fig.update_xaxes(title_text=x_title or display.column_title(x), row=1, col=1) if facet_col \
        else fig.update_xaxes(title_text=x_title or display.column_title(x))
    fig.update_yaxes(**_style.axis_format(y, y_max), rangemode="tozero")
    fig.update_yaxes(title_text=display.column_title(y), row=1, col=1) if facet_col \
        else fig.update_yaxes(title_text=display.column_title(y))
    return fig


def _first_facet(agg: pd.DataFrame, facet_col: str | None, facets: list, color: str | None,
                 value: Any) -> int:
    """1-based panel where a colour group first appears (its legend entry lives there)."""
    if not facet_col or not color:
        return 1
    for i, f in enumerate(facets, start=1):
        part = agg[agg[facet_col].eq(f).fillna(False)]
        if part[color].eq(value).fillna(False).any():
            return i
    return 1


def copy_into(fig: go.Figure, new: go.Figure) -> go.Figure:
    """Move ``new``'s traces and layout into ``fig`` in place (one batch for a FigureWidget).

    When the trace structure is unchanged, traces are updated property by property, so a
    live widget restyles instead of redrawing (no flicker); otherwise traces are replaced.
    """
    batch = fig.batch_update() if isinstance(fig, go.FigureWidget) else nullcontext()
    with batch:
        same = len(fig.data) == len(new.data) and all(
            a.type == b.type for a, b in zip(fig.data, new.data))
        if same:
            for old, nw in zip(fig.data, new.data):
                spec = nw.to_plotly_json()
                spec.pop("type", None)
                # Properties the new trace does not set must not linger from the old one.
                for key in ("text", "textposition", "cliponaxis"):
                    if key not in spec:
                        old[key] = None
                old.update(spec)
        else:
            fig.data = ()
            fig.add_traces(list(new.data))
        layout = new.layout.to_plotly_json()
        layout.pop("template", None)
        layout.pop("annotations", None)
        fig.update_layout(layout)
        fig.layout.annotations = new.layout.annotations
    return fig
