"""Cost comparison of several scenarios side by side (grouped bars, euro labels)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import label_function, make_figure, short_title
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import grouped_sum, require_columns
from smsp_analytics.i18n import _

__all__ = ["cost_comparison"]


@make_docstring
def cost_comparison(
    df: pd.DataFrame,
    x: str = "scenario",
    y: str = "cost_eur",
    *,
    color: str | None = None,
    facet_col: str | None = None,
    volume: str = "volume",
    text_auto: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Cost (or any metric) of several scenarios side by side, with euro labels on bars.

    Rows are summed per scenario (and per ``color``/``facet_col`` value), so a long sweep
    frame with one row per locality gives one bar per scenario. Scenarios keep their order
    of appearance. The hover also shows the volume (contacts) when the frame has it.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"scenario": ["A", "B", "A"], "cost_eur": [10.0, 25.5, 5.0],
    ...                    "volume": [100, 255, 50]})
    >>> fig = cost_comparison(df)
    >>> list(fig.data[0].text)
    ['€15.00', '€25.50']
    """
    require_columns(df, [x, y, color, facet_col], "cost_comparison")
    agg = grouped_sum(df, [x, color, facet_col], [y, volume])
    order = list(dict.fromkeys(agg[x]))
    extras = [(_("Volume"), volume)] if volume in agg.columns and volume != y else []
    title = title or _style.chart_title(
        _style.by_title(short_title(y), display.column_title(x).lower()), df
    )
    return make_figure(
        agg,
        x=x,
        y=y,
        color=color,
        facet_col=facet_col,
        x_order=order,
        x_label=label_function(x),
        color_label=label_function(color),
        facet_label=label_function(facet_col),
        text_auto=text_auto,
        hover_extra=extras,
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height,
        width=width,
    )
