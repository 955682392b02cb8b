"""Volume or cost by department as bars, with an in-place update for live panels."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display, refdata
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import copy_into, make_figure
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import by_department, require_columns
from smsp_analytics.i18n import _

__all__ = ["bar_departments", "update_bars"]

_CHART = "bar_departments"


def department_table(
    df: pd.DataFrame, y: str, *, department: str, volume: str, cost: str, color: str | None = None
) -> pd.DataFrame:
    """Per-department sums of volume, cost and ``y`` with name/region, sorted by ``y`` desc.

    Ties are broken by code so the order never depends on the input row order.
    """
    table = by_department(df, department, [volume, cost, y])
    ref = refdata.departments()
    table["name"] = [str(ref["name"].get(c, c)) for c in table.index]
    table["region_name"] = [str(ref["region_name"].get(c, "")) for c in table.index]
    if color is not None and color not in table.columns:
        # A column constant within a department (e.g. the caller's own grouping).
        first = df.assign(_code=df[department].astype("string")).groupby("_code")[color].first()
        table[color] = [first.get(c) for c in table.index]
    table = table.reset_index()
    table = table.sort_values(
        [y, "department"], ascending=[False, True], na_position="last", kind="stable"
    )
    return table.reset_index(drop=True)


@make_docstring
def bar_departments(
    df: pd.DataFrame,
    y: str = "volume",
    *,
    top: int | None = None,
    color: str | None = None,
    department: str = "department",
    volume: str = "volume",
    cost: str = "cost_eur",
    text_auto: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Volume or cost by department as bars, largest first.

    Zip-level frames are summed per department; departments read "60 Oise". The hover
    shows the volume (contacts) and the cost (€).

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"department": ["60", "75", "60"], "volume": [100, 300, 50],
    ...                    "cost_eur": [9.0, 27.0, 4.5]})
    >>> fig = bar_departments(df, top=1)
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['75 Paris'], [300.0])
    """
    require_columns(df, [department, y], "bar_departments")
    if top is not None and top < 1:
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    table = department_table(df, y, department=department, volume=volume, cost=cost, color=color)
    if top is not None:
        table = table.head(top)
    if title is None:
        metric = display.column_title(y)
        what = (
            _("{metric} by department (top {top})").format(metric=metric, top=top)
            if top is not None
            else _("{metric} by department").format(metric=metric)
        )
        title = _style.chart_title(what, df)
    meta = {
        "chart": _CHART,
        "y": y,
        "top": top,
        "color": color,
        "department": department,
        "volume": volume,
        "cost": cost,
        "text_auto": text_auto,
        "title": title,
    }
    # Overlay: one bar per department, so coloured groups must not leave empty slots.
    return make_figure(
        table,
        x="department",
        y=y,
        color=color,
        x_order=list(table["department"]),
        x_label=display.department_label,
        text_auto=text_auto,
        barmode="overlay",
        hover_extra=[(display.column_title("volume"), volume), (_("Cost"), cost)],
        x_title=display.column_title("department"),
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        meta=meta,
        height=height,
        width=width,
    )


@make_docstring
def update_bars(
    fig: go.Figure,
    df: pd.DataFrame,
    *,
    y: str | None = None,
    top: int | None = None,
    synthetic: bool | None = None,
) -> go.Figure:
    """Redraw a :func:`bar_departments` figure in place with new data (for live panels).

    The build options are read from ``fig.layout.meta``; ``y`` and ``top`` override them.
    When the number of traces is unchanged, bars are restyled rather than replaced, so a
    ``FigureWidget`` updates without flicker. The synthetic mark follows the new frame.

    {parameters}

    Examples
    --------
    >>> fig = bar_departments(pd.DataFrame({"department": ["60", "75"], "volume": [1, 3]}))
    >>> _ = update_bars(fig, pd.DataFrame({"department": ["60", "75"], "volume": [5, 3]}))
    >>> list(fig.data[0].x)
    ['60 Oise', '75 Paris']
    """
    meta = dict(fig.layout.meta or {})
    if meta.get("chart") != _CHART:
        raise ValueError("update_bars() needs a figure made by bar_departments()")
    # The figure's meta holds the original call's keywords (JSON values, so Any here).
    kwargs: dict[str, Any] = {
        k: meta.get(k) for k in ("color", "department", "volume", "cost", "text_auto")
    }
    new_y = y if y is not None else meta["y"]
    new_top = top if top is not None else meta.get("top")
    # Keep a caller-given title unless the metric changed (then the default title follows).
    same_metric = new_y == meta["y"] and new_top == meta.get("top")
    new = bar_departments(
        df,
        new_y,
        top=new_top,
        synthetic=synthetic,
        title=meta.get("title") if same_metric else None,
        **kwargs,
    )
    return copy_into(fig, new)
