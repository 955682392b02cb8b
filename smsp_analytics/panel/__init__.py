"""The interactive audience explorer (ipywidgets + plotly FigureWidgets).

Example (the last expression of a notebook cell)::

    from smsp_analytics.panel import panel
    panel()
"""

from smsp_analytics.panel._panel import DEFAULT_DEBOUNCE, Panel, panel

__all__ = ["panel", "Panel", "DEFAULT_DEBOUNCE"]
