"""Colours of the offline map of France: a colour scale sampled per department, and the
marker of the invisible trace that carries the colorbar.

Split from :mod:`smsp_analytics.charts._mapdraw` (which re-exports both names): the drawing
lays the traces out, this module only turns values into the colours the caller gives it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import plotly.colors as pcolors
from plotly.exceptions import PlotlyError

__all__ = ["fill_color", "colorbar_marker"]


def _hashable(colorscale: Any) -> Any:
    """A cache key for a colour scale: a name, or a list of colours / [position, colour]."""
    if isinstance(colorscale, str):
        return colorscale
    return tuple(tuple(c) if isinstance(c, (list, tuple)) else c for c in colorscale)


@lru_cache(maxsize=64)
def _resolved(key: Any) -> tuple[tuple[float, ...], tuple[tuple[float, float, float], ...]]:
    """Positions and colours (0..1 tuples) of a colour scale, resolved once per scale.

    Why cached: plotly's ``sample_colorscale`` looks a named scale up, validates and
    converts it on every call; a map recolour samples it once per department (~100 times
    per panel update), which cost most of the update's time."""
    colorscale: Any = (
        key if isinstance(key, str) else [list(c) if isinstance(c, tuple) else c for c in key]
    )
    try:
        pcolors.validate_colorscale(colorscale)
    except PlotlyError:
        colorscale = (
            pcolors.get_colorscale(colorscale)
            if isinstance(colorscale, str)
            else pcolors.make_colorscale(colorscale)
        )
    scale = pcolors.colorscale_to_scale(colorscale)
    pcolors.validate_scale_values(scale)
    colors = pcolors.validate_colors(pcolors.colorscale_to_colors(colorscale), colortype="tuple")
    return tuple(scale), tuple(colors)


def fill_color(value: float, colorscale: Any, cmin: float | None, cmax: float | None) -> str:
    """The colour of ``value`` on ``colorscale`` spanning ``cmin``..``cmax``: the same
    ``rgb(r, g, b)`` text as ``plotly.colors.sample_colorscale``, with the scale resolved
    once (see :func:`_resolved`).

    >>> fill_color(5.0, "Blues", 0.0, 10.0) == pcolors.sample_colorscale("Blues", [0.5])[0]
    True
    """
    t = 0.5 if cmax == cmin or cmin is None or cmax is None else (value - cmin) / (cmax - cmin)
    point = min(max(t, 0.0), 1.0)
    scale, colors = _resolved(_hashable(colorscale))
    # plotly's own interpolation, step by step (bisect_left, and at 0 its wrap-around to
    # the last colour with weight 0), so the text is byte for byte what it gives.
    high = bisect_left(scale, point)
    low = high - 1
    weight = (point - scale[low]) / (scale[high] - scale[low])
    color = pcolors.find_intermediate_color(colors[low], colors[high], weight)
    return pcolors.label_rgb(pcolors.convert_to_RGB_255(color))


def colorbar_marker(
    title: str,
    axis_format: Mapping[str, Any],
    colorscale: Any,
    cmin: float | None,
    cmax: float | None,
) -> dict[str, Any]:
    """Marker of the invisible colorbar carrier: scale, range, title and tick format."""
    has = cmin is not None
    lo, hi = (cmin, cmax) if has else (0.0, 1.0)
    colorbar = dict(title=dict(text=title, side="right"), thickness=14, len=0.75, **axis_format)
    if lo == hi:
        # One value (e.g. one department picked): auto ticks would invent a range around it.
        colorbar.update(tickmode="array", tickvals=[lo])
    return dict(
        color=[lo, hi],
        cmin=lo,
        cmax=hi,
        colorscale=colorscale,
        showscale=has,
        opacity=0,
        size=1,
        colorbar=colorbar,
    )
