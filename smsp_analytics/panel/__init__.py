"""The interactive audience explorer (ipywidgets + plotly FigureWidgets).

>>> from smsp_analytics.panel import panel   # doctest: +SKIP
>>> panel()                                   # doctest: +SKIP
"""

from ._panel import DEFAULT_DEBOUNCE, Panel, headline_of, panel

__all__ = ["panel", "Panel", "headline_of", "DEFAULT_DEBOUNCE"]
