"""A figure in the page that keeps following updates when its browser view stops listening.

Why this exists: plotly's ``FigureWidget`` is an anywidget, and its front end loads a
5 MB JavaScript module for every figure. anywidget (0.9.16 to 0.11 at least) gives a model
2 seconds to load it; past that, the model's ``ready`` promise is rejected for good and
every later message from the kernel is dropped (the page logs "[anywidget] Failed to
initialize model."), while the view still draws the figure's first state. On a busy
machine the map of the panel then kept its first colours whatever the analyst chose.

The kernel can tell: the view acknowledges each trace edit it applies (plotly's trace
deltas carry the edit's id). An edit left unacknowledged for :data:`ACK_WAIT` seconds while
a view is shown means that view no longer listens, and a fresh widget, which receives its
whole state when it is created, takes its place. Without a view (a script, a test, nbval)
nothing is ever replaced.

Where the page serves plotly's figure module itself (``smsp app``: see
:func:`module_loader`), each figure carries a few lines that import it from there instead of
the 5 MB module: the browser fetches and runs it once for every figure of the page.

>>> import plotly.graph_objects as go
>>> live = LiveFigure(go.Figure(go.Bar(x=["a"], y=[1])), "demo")
>>> live.deaf(live.edit_id())   # no view shown: never deaf
False
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from functools import cache
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

__all__ = [
    "ACK_WAIT",
    "LiveFigure",
    "LiveFigures",
    "module_loader",
    "figure_widget_class",
    "placeholder",
]

log = logging.getLogger(__name__)

#: Seconds a shown view may take to acknowledge an edit before it is taken for deaf. A
#: slow but listening view that is replaced only costs one full redraw.
ACK_WAIT = 5.0


def module_loader(path: str) -> str:
    """The front-end module of a figure that imports plotly's own from ``path``, a URL path
    relative to the page's base URL (Jupyter's ``baseUrl``), and re-exports it.

    >>> "import(" in module_loader("voila/labextensions/widgetbundle.js")
    True
    """
    return (
        "const config = JSON.parse("
        'document.getElementById("jupyter-config-data")?.textContent || "{}");\n'
        'const base = new URL(config.baseUrl || "/", document.baseURI);\n'
        f"const mod = await import(new URL({json.dumps(path)}, base).href);\n"
        "export const FigureModel = mod.FigureModel;\n"
        "export const FigureView = mod.FigureView;\n"
        "export default mod.default;\n"
    )


def placeholder(height: int) -> go.Figure:
    """A blank figure of ``height`` pixels (no axes, no template) holding the place of one
    drawn later (:meth:`LiveFigure.fill`).

    >>> placeholder(560).layout.height, len(placeholder(560).data)
    (560, 0)
    """
    hidden = {"visible": False}
    return go.Figure(
        layout={"height": height, "template": "none", "xaxis": hidden, "yaxis": hidden}
    )


@cache
def figure_widget_class(module_path: str | None = None) -> type[go.FigureWidget]:
    """``go.FigureWidget``, or (``module_path`` given) a subclass whose front-end module is
    :func:`module_loader` of that path instead of plotly's 5 MB module."""
    if module_path is None:
        return go.FigureWidget
    # anywidget reads the class's _esm when a widget is made (a string: sent as it is).
    return type("FigureWidget", (go.FigureWidget,), {"_esm": module_loader(module_path)})


class LiveFigure:
    """A ``FigureWidget`` (``widget``) inside a box (``box``, what the page shows) that can
    swap it for a fresh copy (:meth:`redraw`); ``css_class`` follows every copy.
    ``module_path``: where the page serves plotly's figure module (see
    :func:`figure_widget_class`; None: each figure carries it)."""

    def __init__(self, figure: go.Figure, css_class: str, module_path: str | None = None) -> None:
        self.css_class = css_class
        self.widget_class = figure_widget_class(module_path)
        self.widget = self._make(figure)
        self.box = w.Box([self.widget], layout=w.Layout(width="100%"))
        self.redraws = 0

    def _make(self, figure: go.Figure) -> go.FigureWidget:
        widget = self.widget_class(figure)
        widget.add_class(self.css_class)  # CSS hook for themes and browser tests
        return widget

    def fill(self, figure: go.Figure) -> None:
        """Draw ``figure`` in this widget (a :func:`placeholder` that a page may show
        already): its traces as one trace edit, which a view that does not listen never
        acknowledges (:meth:`LiveFigures.redraw_deaf_figures` then draws it afresh), then
        its layout (before its traces, plotly.js drew the map's axes with NaN paths)."""
        self.widget.add_traces(list(figure.data))
        self.widget.layout = figure.layout

    def edit_id(self) -> int:
        """The id of the latest trace edit sent to the browser."""
        return int(getattr(self.widget, "_last_trace_edit_id", 0) or 0)

    def deaf(self, edit_id: int) -> bool:
        """Whether edit ``edit_id`` is still the latest, still unacknowledged, and a view is
        shown. (plotly keeps these as private attributes: read defensively.)"""
        widget = self.widget
        return bool(
            (getattr(widget, "_view_count", 0) or 0) > 0
            and getattr(widget, "_trace_edit_in_process", False)
            and self.edit_id() == edit_id
        )

    def redraw(self) -> go.FigureWidget:
        """Replace the widget by a fresh copy of its current figure; returns the new one."""
        old = self.widget
        self.widget = self._make(old)
        self.box.children = (self.widget,)
        old.close()
        self.redraws += 1
        return self.widget

    def close(self) -> None:
        self.widget.close()
        self.box.close()


class LiveFigures:
    """Mixin for a widget showing :class:`LiveFigure` s in ``self._figures`` (name -> figure).
    ``ack_wait``: its :data:`ACK_WAIT` (tests shorten it)."""

    _figures: dict[str, LiveFigure]
    ack_wait: float = ACK_WAIT

    def _when_shown(self, name: str, then: Callable[[], object]) -> None:
        """Call ``then`` (once) when a page first shows figure ``name``: its view tells the
        kernel it is displayed (``_view_count``, which plotly's FigureWidget tracks)."""
        widget = self._figures[name].widget

        def shown(change: dict[str, Any]) -> None:
            if change["new"]:
                widget.unobserve(shown, names="_view_count")
                try:
                    then()
                except Exception:  # a callback of the kernel's: said in the log, not lost
                    log.exception("drawing after the %s figure was shown failed", name)

        widget.observe(shown, names="_view_count")

    def _watch_figures(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """After sending edits: check them ``ack_wait`` seconds later on ``loop`` (the
        kernel's, where views live; ``None`` outside a kernel: nothing to watch)."""
        if loop is not None and not loop.is_closed():
            edits = {name: live.edit_id() for name, live in self._figures.items()}
            loop.call_later(self.ack_wait, self.redraw_deaf_figures, edits)

    def redraw_deaf_figures(self, edits: dict[str, int] | None = None) -> list[str]:
        """Replace each figure whose browser view did not acknowledge its edit (``edits``:
        figure name -> edit id sent ``ack_wait`` seconds ago; ``None``: the latest
        edits). Returns the names of the figures redrawn."""
        if getattr(self, "comm", True) is None:  # the widget was closed meanwhile
            return []
        redrawn = []
        for name, live in self._figures.items():
            edit = live.edit_id() if edits is None else edits.get(name, -1)
            if live.deaf(edit):
                log.warning(
                    "the browser's %s view did not apply update %d: drawing it afresh", name, edit
                )
                live.redraw()
                redrawn.append(name)
        return redrawn
