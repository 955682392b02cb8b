"""Audience profiles from a sweep: age profile, gender split, interest comparison."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import label_function, labelled, make_figure, short_title
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import grouped_sum, require_columns
from smsp_analytics.i18n import _

__all__ = ["age_profile", "gender_split", "interest_comparison", "GENDER_ORDER"]

#: Gender codes in display order (Women, Men, Mixed).
GENDER_ORDER: tuple[str, ...] = ("f", "h", "m")


@make_docstring
def age_profile(
    df: pd.DataFrame,
    x: str = "age_band",
    y: str = "volume",
    *,
    color: str | None = None,
    facet_col: str | None = None,
    text_auto: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Bars of ``y`` per age band, in sweep order (order of first appearance).

    Rows are summed per age band (and per ``color``/``facet_col`` value), so a sweep at
    zip or department level gives one bar per band. A ``sweep(..., by={"age": ...})``
    frame names the column ``age``: the default ``x`` falls back to it.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"age_band": ["18-24", "25-34", "18-24"], "volume": [10, 30, 5]})
    >>> fig = age_profile(df)
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['18-24', '25-34'], [15.0, 30.0])
    """
    if x == "age_band" and x not in df.columns and "age" in df.columns:
        x = "age"  # the column a sweep over age bands produces
    require_columns(df, [x, y, color, facet_col], "age_profile")
    agg = grouped_sum(df, [x, color, facet_col], [y])
    order = list(dict.fromkeys(agg[x]))
    title = title or _style.chart_title(_style.by_title(short_title(y), _("age band")), df)
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
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height,
        width=width,
    )


@make_docstring
def gender_split(
    df: pd.DataFrame,
    names: str = "gender",
    values: str = "volume",
    *,
    kind: Literal["donut", "pie", "bar"] = "donut",
    include_mixed: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Split of ``values`` by gender as a donut (or pie, or bars): Women, Men, Mixed.

    Gender codes of the API map to words in the language in force: ``f`` -> Women,
    ``h`` -> Men, ``m`` -> Men and women (the both-genders audience). Slices keep that order, clockwise from the
    top, whatever the row order.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"gender": ["h", "f", "m"], "volume": [40, 60, 100]})
    >>> list(gender_split(df).data[0].labels)
    ['Women', 'Men']
    """
    require_columns(df, [names, values], "gender_split")
    agg = grouped_sum(df, [names], [values])
    codes = [str(c) for c in agg[names]]
    agg = agg.assign(**{names: codes})
    if include_mixed is None:
        include_mixed = not {"f", "h"} <= set(codes)
    if not include_mixed:
        agg = agg[agg[names] != "m"]
    # Known codes first in the fixed order, then anything unexpected in appearance order.
    rank = {c: i for i, c in enumerate(GENDER_ORDER)}
    agg = agg.assign(_rank=[rank.get(c, len(rank)) for c in agg[names]]).sort_values(
        "_rank", kind="stable"
    )
    label = label_function("gender")
    labels = [label(c) for c in agg[names]]
    vals = [0.0 if display.is_missing(v) else float(v) for v in agg[values]]
    colours = [_style.GENDER_COLORS.get(c, _style.PALETTE[7]) for c in agg[names]]
    formatted = [display.fmt_value(v, values) for v in agg[values]]
    metric = display.column_title(values)
    title = title or _style.chart_title(_style.by_title(metric, _("gender")), df)
    synthetic = display.is_synthetic(df, synthetic)
    if kind == "bar":
        fig = make_figure(
            agg,
            x=names,
            y=values,
            x_label=label,
            x_title=display.column_title("gender"),
            text_auto=True,
            title=title,
            synthetic=synthetic,
            height=height,
            width=width,
        )
        fig.data[0].marker.color = colours  # the fixed gender colours of every chart
        return fig
    if kind not in ("donut", "pie"):
        raise ValueError(f"kind must be 'donut', 'pie' or 'bar', got {kind!r}")
    fig = go.Figure(
        go.Pie(
            labels=labels,
            values=vals,
            hole=0.45 if kind == "donut" else 0.0,
            sort=False,
            direction="clockwise",
            rotation=0,
            marker=dict(colors=colours, line=dict(color="white", width=1)),
            customdata=formatted,
            texttemplate="%{label}<br>%{percent:.1%}",
            hovertemplate="<b>%{label}</b><br>"
            + labelled(short_title(values), "%{customdata}")
            + "<br>"
            + labelled(display.column_title("share"), "%{percent:.1%}")
            + "<extra></extra>",
            name=metric,
        )
    )
    fig.update_layout(legend_title_text=display.column_title("gender"))
    return _style.apply_house_style(
        fig, title=title, synthetic=synthetic, height=height, width=width
    )


def _labels_mapping(labels: Any) -> dict[Any, str]:
    """Normalise ``labels`` (mapping, Series or categories frame) to ``{id: name}``."""
    if labels is None:
        return {}
    if isinstance(labels, pd.DataFrame):
        cols = {c.lower(): c for c in map(str, labels.columns)}
        name_col = next((cols[c] for c in ("name", "label", "libelle") if c in cols), None)
        if name_col is None:
            raise ValueError("labels frame needs a 'name' (or 'label') column")
        id_col = next((cols[c] for c in ("id", "interest", "code") if c in cols), None)
        ids = labels[id_col] if id_col is not None else labels.index
        return dict(zip(ids, labels[name_col].astype(str)))
    if isinstance(labels, pd.Series):
        return {k: str(v) for k, v in labels.items()}
    if isinstance(labels, Mapping):
        return {k: str(v) for k, v in labels.items()}
    raise TypeError(f"labels must be a mapping, a Series or a frame, not {type(labels)}")


@make_docstring
def interest_comparison(
    df: pd.DataFrame,
    x: str = "interest",
    y: str = "volume",
    *,
    labels: Any = None,
    color: str | None = None,
    facet_col: str | None = None,
    sort: Literal["descending", "ascending", "data"] = "descending",
    top: int | None = None,
    text_auto: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Compare ``y`` across interests (or any swept category), largest first by default.

    Interest ids are shown by name when ``labels`` gives one ("Interest 12" otherwise).
    Sorting and ``top`` use each category's total over colours and panels.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"interest": [3, 7], "volume": [10, 30]})
    >>> fig = interest_comparison(df, labels={3: "Sport", 7: "Travel"})
    >>> list(fig.data[0].x)
    ['Travel', 'Sport']
    """
    require_columns(df, [x, y, color, facet_col], "interest_comparison")
    if sort not in ("descending", "ascending", "data"):
        raise ValueError(f"sort must be 'descending', 'ascending' or 'data', got {sort!r}")
    agg = grouped_sum(df, [x, color, facet_col], [y])
    totals = grouped_sum(agg, [x], [y])
    if sort != "data":
        # Stable sort: ties keep sweep order, so the output never depends on hashing.
        totals = totals.sort_values(
            y, ascending=sort == "ascending", kind="stable", na_position="last"
        )
    order = list(totals[x])
    if top is not None:
        order = order[:top]
        agg = agg[agg[x].isin(order)]
    mapping = _labels_mapping(labels)
    base = label_function(x, mapping)
    is_interest = x in ("interest", "sub_interest")

    def x_label(v: Any) -> str:
        text = base(v)
        # Without a name, a bare id reads badly on an axis: prefix it.
        if is_interest and text == str(v):
            return f"{display.column_title(x)} {v}"
        return text

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
        x_label=x_label,
        color_label=label_function(color),
        facet_label=label_function(facet_col),
        text_auto=text_auto,
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height,
        width=width,
    )
