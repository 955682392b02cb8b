"""Map of France by department coloured by a metric; renders with no network at all.

The drawing (polygons, overseas squares, zoom, Paris inset; no geo trace, so nothing is
fetched from a CDN) lives in :mod:`smsp_analytics.charts._mapdraw`; this module computes
the colours and hover texts of a frame's metric.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display, refdata
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import labelled
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import by_department, require_columns
from smsp_analytics.charts._mapdraw import (
    ATTRIBUTION,
    INNER_RING,
    OVERSEAS,
    colorbar_marker,
    drawn_departments,
    fill_color,
    map_figure,
    restyle_map,
)
from smsp_analytics.i18n import _

__all__ = [
    "map_departments",
    "update_map_colors",
    "penetration",
    "ADULT_SHARE",
    "OVERSEAS",
    "ATTRIBUTION",
]

_CHART = "map_departments"

#: Share of adults (18+) in the French population (INSEE age pyramid: about 21% are under
#: 18). Penetration = volume / (population x ADULT_SHARE) unless ``adults=`` is given.
ADULT_SHARE = 0.79


def penetration(
    volume: pd.Series, adults: pd.Series | None = None, *, adult_share: float = ADULT_SHARE
) -> pd.Series:
    """Volume per adult inhabitant, per department code (a ratio; shown as %).

    ``adults`` (indexed by code) defaults to INSEE total population x ``adult_share``.

    >>> import pandas as pd
    >>> float(penetration(pd.Series({"60": 7900.0}), pd.Series({"60": 79000})).loc["60"])
    0.1
    """
    if adults is None:
        adults = refdata.departments()["population"] * adult_share
    adults = pd.Series(adults, dtype="float64")
    adults.index = adults.index.astype(str)
    aligned = adults.reindex(volume.index.astype(str)).to_numpy()
    out = pd.Series(
        volume.astype("float64").to_numpy() / aligned, index=volume.index, dtype="float64"
    )
    # Division by a zero/unknown adult population is "no data", not infinity.
    return out.where(aligned > 0)


def _metric_label(color: str) -> str:
    return display.column_title(color)


def _by_department(color: str) -> str:
    return _("{metric} by department").format(metric=_metric_label(color))


def _department_values(
    df: pd.DataFrame,
    color: str,
    *,
    department: str,
    volume: str,
    cost: str,
    adults: pd.Series | None,
    adult_share: float,
) -> tuple[dict[str, float], pd.DataFrame]:
    """Metric per department code (missing departments absent) and the per-code sums."""
    if color == "penetration":
        require_columns(df, [department, volume], "map_departments")
    else:
        require_columns(df, [department, color], "map_departments")
    table = by_department(
        df, department, [volume, cost] + ([] if color == "penetration" else [color])
    )
    if color == "penetration":
        values = penetration(table[volume], adults, adult_share=adult_share)
    else:
        values = table[color].astype("float64")
    clean = {str(c): float(v) for c, v in values.items() if not display.is_missing(v)}
    return clean, table


def _styles(
    values: dict[str, float],
    table: pd.DataFrame,
    color: str,
    colorscale: Any,
    *,
    volume: str,
    cost: str,
) -> tuple[dict[str, tuple[str, str]], float | None, float | None]:
    """(fillcolor, hover text) per drawn code and the colour range (over drawn codes)."""
    drawn = drawn_departments()
    present = [values[c] for c, _ in drawn if c in values]
    cmin = min(present) if present else None
    cmax = max(present) if present else None
    out: dict[str, tuple[str, str]] = {}
    label = _metric_label(color).split(" (")[0]
    for code, name in drawn:
        head = f"<b>{code} {name}</b>"
        if code not in values:
            out[code] = (_style.MISSING_COLOR, f"{head}<br>{display.no_data()}")
            continue
        v = values[code]
        fill = fill_color(v, colorscale, cmin, cmax)
        lines = [head]
        if color not in (volume, cost):
            lines.append(labelled(label, display.fmt_value(v, color)))
        # Volume and cost always, in the same words as the bar chart's hover.
        row = table.loc[code]
        if volume in table.columns:
            count = _("{count} contacts").format(count=display.fmt_int(row[volume]))
            lines.append(labelled(_("Volume"), count))
        if cost in table.columns:
            lines.append(labelled(_("Cost"), display.fmt_eur(row[cost])))
        out[code] = (fill, "<br>".join(lines))
    return out, cmin, cmax


def _colorbar_marker(
    color: str, colorscale: Any, cmin: float | None, cmax: float | None
) -> dict[str, Any]:
    # _styles gives both bounds or neither (no value to colour).
    lo, hi = (cmin, cmax) if cmin is not None and cmax is not None else (0.0, 1.0)
    return colorbar_marker(
        _metric_label(color),
        _style.axis_format(color, max(abs(lo), abs(hi))),
        colorscale,
        cmin,
        cmax,
    )


def _inset_wanted(inset: bool | None, values: dict[str, float]) -> bool:
    return any(c in values for c in INNER_RING) if inset is None else bool(inset)


@make_docstring
def map_departments(
    df: pd.DataFrame,
    color: str = "volume",
    *,
    department: str = "department",
    volume: str = "volume",
    cost: str = "cost_eur",
    adults: pd.Series | None = None,
    adult_share: float = ADULT_SHARE,
    colorscale: Any = _style.COLORSCALE,
    overseas: bool = True,
    zoom: bool | str = "auto",
    inset: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = 620,
    width: int | None = None,
) -> go.Figure:
    """Map of France by department coloured by volume, cost or penetration; works offline.

    Zip-level frames are summed per department. Departments absent from the frame are
    light grey ("no data"). ``'penetration'`` is volume per adult inhabitant: volume /
    (INSEE population x ``adult_share``), or volume / ``adults`` when given. The colorbar
    spans the minimum and maximum of the drawn departments. No geo trace is used, so
    nothing is fetched from a CDN (see the module docstring).

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"department": ["60", "75"], "volume": [100, 300]})
    >>> fig = map_departments(df)
    >>> fig.data[-1].marker.cmin, fig.data[-1].marker.cmax
    (100.0, 300.0)
    """
    values, table = _department_values(
        df,
        color,
        department=department,
        volume=volume,
        cost=cost,
        adults=adults,
        adult_share=adult_share,
    )
    styles, cmin, cmax = _styles(values, table, color, colorscale, volume=volume, cost=cost)
    fig = map_figure(
        styles,
        _colorbar_marker(color, colorscale, cmin, cmax),
        overseas=overseas,
        focus=list(values),
        zoom=zoom,
        inset=_inset_wanted(inset, values),
    )
    if title is None:
        title = _style.chart_title(_by_department(color), df)
    meta = {
        "chart": _CHART,
        "color": color,
        "department": department,
        "volume": volume,
        "cost": cost,
        "adult_share": adult_share,
        "colorscale": colorscale,
        "title": title,
        "custom_adults": adults is not None,
        "zoom": zoom,
        "overseas": overseas,
    }
    _style.apply_house_style(
        fig,
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        meta=meta,
        height=height,
        width=width,
    )
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=30))
    return fig


@make_docstring
def update_map_colors(
    fig: go.Figure,
    df: pd.DataFrame,
    *,
    color: str | None = None,
    adults: pd.Series | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
) -> go.Figure:
    """Recolour a :func:`map_departments` figure in place (flicker-free live updates).

    Only fill colours, hover texts, the colorbar, the title (when the metric changes or
    ``title`` is given) and the synthetic mark change: geometry and trace count stay, so a
    ``FigureWidget`` restyles instead of redrawing. Other options (columns, colorscale,
    adult share) are read from ``fig.layout.meta``; pass ``adults`` again if the figure was
    built with it.

    {parameters}

    Examples
    --------
    >>> fig = map_departments(pd.DataFrame({"department": ["60", "75"], "volume": [1, 3]}))
    >>> _ = update_map_colors(fig, pd.DataFrame({"department": ["60"], "volume": [5]}))
    >>> fig.data[-1].marker.cmax
    5.0
    """
    meta = dict(fig.layout.meta or {})
    if meta.get("chart") != _CHART:
        raise ValueError("update_map_colors() needs a figure made by map_departments()")
    new_color = color if color is not None else meta["color"]
    values, table = _department_values(
        df,
        new_color,
        department=meta["department"],
        volume=meta["volume"],
        cost=meta["cost"],
        adults=adults,
        adult_share=meta["adult_share"],
    )
    styles, cmin, cmax = _styles(
        values, table, new_color, meta["colorscale"], volume=meta["volume"], cost=meta["cost"]
    )
    if title is None:
        title = (
            meta["title"]
            if new_color == meta["color"]
            else _style.chart_title(_by_department(new_color), df)
        )
    meta.update(color=new_color, title=title, custom_adults=adults is not None)
    batch = fig.batch_update() if isinstance(fig, go.FigureWidget) else nullcontext()
    with batch:
        restyle_map(
            fig,
            styles,
            _colorbar_marker(new_color, meta["colorscale"], cmin, cmax),
            focus=list(values),
            zoom=meta.get("zoom", False),
            overseas=meta.get("overseas", True),
        )
        fig.layout.title.text = title
        fig.layout.meta = meta
        _style.set_synthetic_mark(fig, display.is_synthetic(df, synthetic))
    return fig
