"""The interactive audience explorer (ipywidgets + plotly FigureWidgets).

Example (the last expression of a notebook cell)::

    from smsp_analytics.panel import panel
    panel()              # in the language in force; panel(lang="fr") in French
"""

from smsp_analytics.panel._factory import panel
from smsp_analytics.panel._panel import DEFAULT_DEBOUNCE, Panel

__all__ = ["panel", "Panel", "DEFAULT_DEBOUNCE"]
