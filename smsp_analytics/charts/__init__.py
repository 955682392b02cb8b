"""Plotly charts of the tidy frames returned by ``calcul``, ``price`` and ``sweep``.

Every function takes the frame first, is named and shaped like plotly express (``x=``,
``y=``, ``color=``, ``facet_col=``, keyword-only extras documented from one shared table,
:mod:`smsp_analytics.charts._docs`) and returns a ``plotly.graph_objects.Figure`` that needs
no network (no geo traces, no CDN). Sandbox data carries a visible "SYNTHETIC DATA" mark.
Titles, axes, legends, hovers, numbers (``layout.separators``) and day or month labels are in
the language in force when the figure is built (``with smsp_analytics.i18n.use_lang("fr"):``).
Pass :data:`CONFIG` to ``fig.show(config=CONFIG)`` / ``fig.to_html(config=CONFIG)`` for the
quiet toolbar (no plotly logo).
"""

from smsp_analytics.charts._style import CONFIG
from smsp_analytics.charts.bars import bar_departments, update_bars
from smsp_analytics.charts.campaign import campaign_cost, send_windows
from smsp_analytics.charts.changes import drift
from smsp_analytics.charts.francemap import (
    ADULT_SHARE,
    map_departments,
    penetration,
    update_map_colors,
)
from smsp_analytics.charts.profiles import age_profile, gender_split, interest_comparison
from smsp_analytics.charts.scenarios import cost_comparison
from smsp_analytics.charts.sending import sending_costs
from smsp_analytics.display import NO_DATA, fmt_eur, fmt_int, fmt_pct, is_missing

__all__ = [
    "bar_departments",
    "update_bars",
    "map_departments",
    "update_map_colors",
    "penetration",
    "age_profile",
    "gender_split",
    "interest_comparison",
    "cost_comparison",
    "campaign_cost",
    "send_windows",
    "sending_costs",
    "drift",
    "CONFIG",
    "ADULT_SHARE",
    "fmt_eur",
    "fmt_int",
    "fmt_pct",
    "is_missing",
    "NO_DATA",
]
