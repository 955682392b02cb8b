"""The bar-figure builder every bar-shaped chart wraps, labels of values, in-place update."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smsp_analytics import display
from smsp_analytics.charts import _style
from smsp_analytics.i18n import _

__all__ = ["make_figure", "label_function", "copy_into", "labelled", "short_title", "MAX_TEXT_BARS"]

#: Above this many bars, values written on the bars overlap: they stay in the hover only.
MAX_TEXT_BARS = 20


def labelled(label: str, value: str) -> str:
    """``Label: value`` in the language in force (French puts a space before the colon).

    >>> labelled("Cost", "€12.00")
    'Cost: €12.00'
    """
    return _("{label}: {value}").format(label=label, value=value)


def short_title(column: str) -> str:
    """A column's title without its unit: ``Cost`` for ``cost_eur`` (hover labels).

    >>> short_title("cost_eur"), short_title("volume")
    ('Cost', 'Volume')
    """
    return display.column_title(column).split(" (")[0]


def label_function(column: str | None, labels: Any = None) -> Callable[[Any], str]:
    """How values of ``column`` are displayed: gender codes get UI labels, others ``str``."""
    mapping: dict = {}
    if column == "gender":
        mapping = {k: display.gender_words(k).capitalize() for k in display.GENDER_WORDS}
    elif column in ("department", "locality"):
        mapping = _DepartmentLabels()
    if labels is not None:
        mapping.update(labels)

    def label(v: Any) -> str:
        if display.is_missing(v):
            return display.no_data()
        if v in mapping:
            return str(mapping[v])
        # Ids may arrive as 12, "12" or 12.0 depending on the frame's dtype.
        for key in (str(v), _as_int(v)):
            if key is not None and key in mapping:
                return str(mapping[key])
        return str(v)

    return label


class _DepartmentLabels(dict):
    """Department codes read "60 Oise" on axes and in hovers; zip codes stay as they are."""

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or (
            isinstance(key, str) and display.department_label(key) != key
        )

    def __getitem__(self, key: Any) -> str:
        if dict.__contains__(self, key):  # the caller's own labels win
            return dict.__getitem__(self, key)
        return display.department_label(key)


def _as_int(v: Any) -> int | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def make_figure(
    agg: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    synthetic: bool,
    color: str | None = None,
    facet_col: str | None = None,
    x_order: Sequence[Any] | None = None,
    x_label: Callable[[Any], str] | None = None,
    color_label: Callable[[Any], str] | None = None,
    facet_label: Callable[[Any], str] | None = None,
    color_map: Mapping[Any, str] | None = None,
    text_auto: bool | None = None,
    hover_extra: Sequence[tuple[str, str]] = (),
    x_title: str | None = None,
    barmode: str = "group",
    orientation: str = "v",
    meta: Mapping[str, Any] | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """The one bar-figure builder every bar-shaped chart wraps (like px's ``make_figure``).

    ``agg`` is already summed per x/color/facet. One trace per colour and panel; categories
    are strings on a category axis (codes like ``"01"`` stay codes) in ``x_order``.
    ``hover_extra`` lists ``(label, column)`` pairs added to the hover, formatted by column.
    Values are written on the bars when ``text_auto`` is True, or when None and there are at
    most :data:`MAX_TEXT_BARS` bars; they are always in the hover. ``orientation="h"`` puts
    the categories on the y axis, first at the top.
    """
    x_order = list(dict.fromkeys(agg[x])) if x_order is None else list(x_order)
    x_label = x_label or label_function(x)
    color_label = color_label or label_function(color)
    facet_label = facet_label or label_function(facet_col)
    facets = list(dict.fromkeys(agg[facet_col])) if facet_col else [None]
    colors = list(dict.fromkeys(agg[color])) if color else [None]
    colour_of = dict(_style.palette_map(colors, color))
    if color_map:
        colour_of.update({k: v for k, v in color_map.items() if k in colour_of})
    x_cats = [x_label(v) for v in x_order]
    horizontal = orientation == "h"
    if facet_col:
        fig = make_subplots(
            rows=1,
            cols=len(facets),
            shared_yaxes=True,
            horizontal_spacing=0.04,
            subplot_titles=[
                labelled(display.column_title(facet_col), facet_label(f)) for f in facets
            ],
        )
    else:
        fig = go.Figure()
    extras = [(lab, col) for lab, col in hover_extra if col in agg.columns and col != y]
    hover = [f"<b>{labelled(short_title(x), '%{customdata[0]}')}</b>"]
    if color:
        hover.append(labelled(short_title(color), "%{customdata[1]}"))
    hover.append(labelled(short_title(y), "%{customdata[2]}"))
    for i, (lab, _col) in enumerate(extras):
        hover.append(labelled(lab, f"%{{customdata[{3 + i}]}}"))
    template = "<br>".join(hover) + "<extra></extra>"
    n_bars = int(agg[y].notna().sum())
    show_text = text_auto if text_auto is not None else n_bars <= MAX_TEXT_BARS
    stacked = barmode in ("stack", "relative")
    rank = {v: i for i, v in enumerate(x_order)}
    y_max = 0.0
    # Colour outer, panel inner: legend entries follow the colour order of appearance.
    for colour_value in colors:
        for col_i, facet in enumerate(facets, start=1):
            part = agg if facet is None else agg[agg[facet_col].eq(facet).fillna(False)]
            sub = part if colour_value is None else part[part[color].eq(colour_value).fillna(False)]
            if sub.empty:
                continue
            # Reorder rows along the category order so traces are sorted like the axis.
            sub = sub.assign(_rank=[rank.get(v, len(rank)) for v in sub[x]]).sort_values(
                "_rank", kind="stable"
            )
            ys = [None if display.is_missing(v) else float(v) for v in sub[y]]
            y_max = max([y_max] + [abs(v) for v in ys if v is not None])
            custom = [
                [x_label(xv), color_label(cv) if color else "", display.fmt_value(yv, y)]
                + [display.fmt_value(r[c], c) for _l, c in extras]
                for xv, cv, yv, (_i, r) in zip(
                    sub[x], sub[color] if color else [None] * len(sub), sub[y], sub.iterrows()
                )
            ]
            name = color_label(colour_value) if color else display.column_title(y)
            cats = [x_label(v) for v in sub[x]]
            trace = go.Bar(
                x=ys if horizontal else cats,
                y=cats if horizontal else ys,
                orientation=orientation,
                name=name,
                marker_color=colour_of[colour_value] if color else _style.BAR_COLOR,
                customdata=custom,
                hovertemplate=template,
                legendgroup=name,
                showlegend=bool(color)
                and col_i == _first_facet(agg, facet_col, facets, color, colour_value),
                text=[c[2] for c in custom] if show_text else None,
                textposition=("inside" if stacked else "outside") if show_text else None,
                cliponaxis=False if show_text else None,
            )
            fig.add_trace(trace, row=1 if facet_col else None, col=col_i if facet_col else None)
    fig.update_layout(
        barmode=barmode,
        bargap=0.2,
        legend_title_text=(display.column_title(color) if color else None),
    )
    cat_axis, value_axis = (
        (fig.update_yaxes, fig.update_xaxes) if horizontal else (fig.update_xaxes, fig.update_yaxes)
    )
    cat_axis(
        type="category",
        categoryorder="array",
        categoryarray=x_cats,
        automargin=True,
        **({"autorange": "reversed"} if horizontal else {}),
    )
    first = {"row": 1, "col": 1} if facet_col else {}
    cat_axis(title_text=x_title or display.column_title(x), **first)
    if stacked:
        sums = agg.groupby(x, sort=False)[y].sum(min_count=1)
        y_max = max([y_max] + [abs(float(v)) for v in sums if not display.is_missing(v)])
    value_axis(
        **_style.axis_format(y, y_max), rangemode="tozero" if barmode != "relative" else "normal"
    )
    value_axis(title_text=display.column_title(y), **first)
    return _style.apply_house_style(
        fig, title=title, synthetic=synthetic, meta=meta, height=height, width=width
    )


def _first_facet(
    agg: pd.DataFrame, facet_col: str | None, facets: list, color: str | None, value: Any
) -> int:
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
            a.type == b.type for a, b in zip(fig.data, new.data)
        )
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
