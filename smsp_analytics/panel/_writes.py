"""The panel's live figures: each update writes only what changed into its FigureWidgets.

Why not :func:`~smsp_analytics.charts.update_bars` / :func:`~smsp_analytics.charts.update_map_colors`:
the first rebuilds the whole bar figure (``make_figure``, the template, a deep copy into the
widget) and the second sets some 200 properties one by one through plotly's validators; a warm
panel update took 60-110 ms, most of it in plotly. Here the charts build each figure once (its
look, hover templates, colour scale, geometry and words); an update computes only the values
that follow the data, in plain Python, with the same formatters (:mod:`smsp_analytics.display`)
and colour scale, compares them with what the widget holds, and sends the differences in one
``plotly_update`` message per figure (the message a ``batch_update`` sends), without running
plotly's validators again on values the panel made itself.

What follows the data: the bars' categories, values, hover data and labels; the map's fill
colours, hover texts, colour bar range and zoom; both titles (their second line is the
targeting in words). ``tests/panel/test_panel_writes.py`` checks that the result equals what
the charts draw for the same frame.

>>> fill_color(5.0, "Viridis", 0.0, 10.0) == pcolors.sample_colorscale("Viridis", [0.5])[0]
True
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import plotly.colors as pcolors
import plotly.graph_objects as go
from plotly.basedatatypes import Undefined

from smsp_analytics.display import (
    department_label,
    describe_targeting,
    fmt_eur,
    fmt_int,
    fmt_value,
    no_data,
)
from smsp_analytics.i18n import _
from smsp_analytics.panel._facts import DepartmentSum

__all__ = ["FigureWriter", "BarsWriter", "MapWriter", "MAX_TEXT_BARS", "fill_color"]

#: Above this many bars the charts write values in the hover only (``charts.bar_departments``).
MAX_TEXT_BARS = 20
# The map's trace names (charts/_mapdraw.py's stable trace layout): inset copies of Paris and
# its inner ring, and the invisible trace carrying the colour bar.
_INSET = "inset-"
_COLORBAR = "colorbar"
# The map's zoom rule (charts/_mapdraw.py's zoom_ranges): above this many departments it shows
# all of France; a zoom is never narrower than this span (map units), with 50% around it.
_ZOOM_MAX_DEPARTMENTS = 60
_MIN_SPAN = 3.0
# The side of an overseas square (map units): the full view leaves room for their column.
_SQUARE = 1.3


@lru_cache(maxsize=16)
def _scale(name: str) -> tuple[tuple[float, ...], tuple[tuple[float, float, float], ...]]:
    """Positions and colours (0..1 tuples) of a named colour scale, resolved once: plotly's
    ``sample_colorscale`` looks the name up among all scales and validates it on every call.
    """
    colorscale = pcolors.get_colorscale(name)
    positions = tuple(float(p) for p in pcolors.colorscale_to_scale(colorscale))
    colors = pcolors.validate_colors(pcolors.colorscale_to_colors(colorscale), colortype="tuple")
    return positions, tuple(tuple(c) for c in colors)


def fill_color(value: float, colorscale: str, lo: float | None, hi: float | None) -> str:
    """The colour of ``value`` on the named ``colorscale`` spanning ``lo``..``hi``: the same
    ``rgb(r, g, b)`` text as ``plotly.colors.sample_colorscale`` (which the map chart uses),
    the middle colour when the span is a single value."""
    t = 0.5 if lo is None or hi is None or hi == lo else (value - lo) / (hi - lo)
    point = min(max(t, 0.0), 1.0)
    positions, colors = _scale(colorscale)
    # plotly's own interpolation step by step (bisect_left; at 0, weight 0 on the last
    # colour), so the text is byte for byte what it gives.
    high = bisect_left(positions, point)
    low = high - 1
    weight = (point - positions[low]) / (positions[high] - positions[low])
    color = pcolors.find_intermediate_color(colors[low], colors[high], weight)
    return str(pcolors.label_rgb(pcolors.convert_to_RGB_255(color)))


def _plain(value: Any) -> Any:
    """A widget value as the panel writes it (tuples and arrays as lists), for comparing."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _title(first_line: str, targeting: Any) -> str:
    """A chart title: what is drawn, then the targeting in words (``chart_title``)."""
    if not targeting:
        return first_line
    return f"{first_line}<br><sup>{describe_targeting(targeting)}</sup>"


class FigureWriter:
    """Sends new values to a ``FigureWidget``: only those that differ from what it holds.

    ``write(widget, traces, layout)``: ``traces`` maps a trace index to ``{property path:
    value}``, ``layout`` maps layout paths (``"title.text"``) to values; ``None`` removes a
    property. Returns how many values were sent (0: no message at all).

    >>> fig = go.FigureWidget(go.Bar(x=["a"], y=[1]))
    >>> w = FigureWriter()
    >>> w.write(fig, {0: {"y": [2], "x": ["a"]}}, {"title.text": "t"}), fig.data[0].y
    (2, (2,))
    >>> w.write(fig, {0: {"y": [2]}}, {"title.text": "t"})
    0
    """

    def __init__(self) -> None:
        # What this writer knows the widget holds, by (trace index or None, path). A widget
        # drawn afresh (LiveFigure.redraw) is a copy of the last one: the record stays true.
        self._held: dict[tuple[int | None, str], Any] = {}
        self.sent = 0

    def _holds(self, widget: go.FigureWidget, where: int | None, path: str, value: Any) -> bool:
        key = (where, path)
        if key not in self._held:
            obj = widget.layout if where is None else widget.data[where]
            self._held[key] = _plain(obj[path])
        return bool(self._held[key] == value)

    def write(
        self,
        widget: go.FigureWidget,
        traces: Mapping[int, Mapping[str, Any]],
        layout: Mapping[str, Any],
    ) -> int:
        changed: dict[int, dict[str, Any]] = {}
        for index, props in traces.items():
            for path, value in props.items():
                if not self._holds(widget, index, path, value):
                    changed.setdefault(index, {})[path] = value
        relayout = {
            path: value
            for path, value in layout.items()
            if not self._holds(widget, None, path, value)
        }
        indexes = sorted(changed)
        paths = sorted({path for props in changed.values() for path in props})
        # The shape batch_update gives plotly_update: one list per property over the traces
        # written, Undefined where a trace keeps its value.
        restyle = {path: [changed[i].get(path, Undefined) for i in indexes] for path in paths}
        if restyle or relayout:
            widget.plotly_update(restyle or None, relayout or None, indexes or None)
        for index, props in changed.items():
            for path, value in props.items():
                self._held[(index, path)] = value
        for path, value in relayout.items():
            self._held[(None, path)] = value
        count = sum(len(props) for props in changed.values()) + len(relayout)
        self.sent += count
        return count


class BarsWriter(FigureWriter):
    """The bar chart of ``charts.bar_departments`` (one trace, volume by department)."""

    def __init__(self, figure: go.Figure, *, top: int | None = None) -> None:
        super().__init__()
        self.top = top
        self.first_line = str(figure.layout.title.text or "").split("<br>")[0]

    def update(
        self, widget: go.FigureWidget, sums: Sequence[DepartmentSum], targeting: Any = None
    ) -> int:
        """Write the bars of ``sums`` (the frame's ``FrameFacts.departments``) into
        ``widget``; ``targeting`` (the frame's) is the title's second line."""
        if self.top is not None:
            sums = sums[: self.top]
        labels = [department_label(s.code) for s in sums]
        custom = [
            [label, "", fmt_value(s.volume, "volume"), fmt_value(s.cost, "cost_eur")]
            for label, s in zip(labels, sums)
        ]
        show_text = sum(s.volume is not None for s in sums) <= MAX_TEXT_BARS
        trace = {
            "x": labels,
            "y": [s.volume for s in sums],
            "customdata": custom,
            "text": [c[2] for c in custom] if show_text else None,
            "textposition": "outside" if show_text else None,
            "cliponaxis": False if show_text else None,
        }
        layout = {"xaxis.categoryarray": labels, "title.text": _title(self.first_line, targeting)}
        return self.write(widget, {0: trace}, layout)


class MapWriter(FigureWriter):
    """The map of ``charts.map_departments`` coloured by volume (trace names: department
    codes, ``inset-<code>`` for Paris's inset, ``colorbar`` for the colour bar)."""

    def __init__(self, figure: go.Figure) -> None:
        super().__init__()
        meta = dict(figure.layout.meta or {})
        self.colorscale = meta.get("colorscale", "Viridis")
        self.first_line = str(figure.layout.title.text or "").split("<br>")[0]
        self.traces: list[tuple[int, str]] = []  # (index, department code) of each polygon
        self.heads: dict[str, str] = {}  # code -> the hover's first line, "<b>60 Oise</b>"
        self.bounds: dict[str, tuple[float, float, float, float]] = {}
        self.colorbar: int | None = None
        for index, trace in enumerate(figure.data):
            name = str(trace.name)
            if name == _COLORBAR:
                self.colorbar = index
                continue
            code = name.removeprefix(_INSET)
            self.traces.append((index, code))
            self.heads.setdefault(code, str(trace.text or "").split("<br>")[0])
            if not name.startswith(_INSET):
                xs = [v for v in trace.x if v is not None]
                ys = [v for v in trace.y if v is not None]
                self.bounds[code] = (min(xs), max(xs), min(ys), max(ys))
        self.full = self._full_ranges()

    def _full_ranges(self) -> dict[str, Any]:
        """All of France, with the overseas squares' column on the left (``_full_ranges``)."""
        metro = self._box({c: b for c, b in self.bounds.items() if not c.startswith("97")})
        if metro is None:
            return {}
        x_min, x_max, y_min, y_max = metro
        overseas = any(c.startswith("97") for c in self.bounds)
        left = x_min - (2.0 + _SQUARE + 0.3 if overseas else 0.5)
        return {"xaxis.range": [left, x_max + 0.5], "yaxis.range": [y_min - 0.5, y_max + 0.5]}

    @staticmethod
    def _box(
        bounds: Mapping[str, tuple[float, float, float, float]],
    ) -> tuple[float, float, float, float] | None:
        if not bounds:
            return None
        boxes = list(bounds.values())
        return (
            min(b[0] for b in boxes),
            max(b[1] for b in boxes),
            min(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def _ranges(self, codes: Iterable[str]) -> dict[str, Any]:
        """The axes' ranges showing ``codes`` with context around them (``zoom_ranges``)."""
        wanted = list(dict.fromkeys(codes))
        box = None
        if len(wanted) <= _ZOOM_MAX_DEPARTMENTS:
            box = self._box({c: self.bounds[c] for c in wanted if c in self.bounds})
        if box is None:
            return dict(self.full)
        x0, x1, y0, y1 = box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half = max(x1 - x0, y1 - y0, _MIN_SPAN) * 0.75
        return {
            "xaxis.range": [round(cx - half, 2), round(cx + half, 2)],
            "yaxis.range": [round(cy - half, 2), round(cy + half, 2)],
        }

    def update(
        self,
        widget: go.FigureWidget,
        department_sums: Sequence[DepartmentSum],
        targeting: Any = None,
    ) -> int:
        """Write the colours, hovers, colour bar, zoom and title of ``department_sums``
        into ``widget``; ``targeting`` (the frame's) is the title's second line."""
        sums = {s.code: s for s in department_sums}
        values = {c: s.volume for c, s in sums.items() if s.volume is not None}
        drawn = [c for c in self.heads if c in values]
        lo = min((values[c] for c in drawn), default=None)
        hi = max((values[c] for c in drawn), default=None)
        styles = self._styles(sums, values, lo, hi)
        traces: dict[int, dict[str, Any]] = {}
        for index, code in self.traces:
            fill, text = styles[code]
            traces[index] = {"fillcolor": fill, "text": text}
        if self.colorbar is not None:
            has = lo is not None and hi is not None
            low, high = (lo, hi) if has else (0.0, 1.0)
            one = low == high  # one value: a single tick, not a range invented around it
            traces[self.colorbar] = {
                "marker.color": [low, high],
                "marker.cmin": low,
                "marker.cmax": high,
                "marker.showscale": has,
                "marker.colorbar.tickmode": "array" if one else None,
                "marker.colorbar.tickvals": [low] if one else None,
            }
        layout = {"title.text": _title(self.first_line, targeting), **self._ranges(values)}
        return self.write(widget, traces, layout)

    def _styles(
        self,
        sums: Mapping[str, DepartmentSum],
        values: Mapping[str, float],
        lo: float | None,
        hi: float | None,
    ) -> dict[str, tuple[str, str]]:
        """(fill colour, hover text) per drawn department, as the map chart writes them."""
        out: dict[str, tuple[str, str]] = {}
        for code, head in self.heads.items():
            if code not in values:
                out[code] = (_MISSING, f"{head}<br>{no_data()}")
                continue
            s = sums[code]
            # The map chart's words (francemap's _styles): "Label: value" lines.
            count = _("{count} contacts").format(count=fmt_int(s.volume))
            lines = [
                head,
                _("{label}: {value}").format(label=_("Volume"), value=count),
                _("{label}: {value}").format(label=_("Cost"), value=fmt_eur(s.cost)),
            ]
            fill = fill_color(values[code], self.colorscale, lo, hi)
            out[code] = (fill, "<br>".join(lines))
        return out


#: The map's colour of a department without data (charts' MISSING_COLOR).
_MISSING = "#d9d9d9"
