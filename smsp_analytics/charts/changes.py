"""What changed between two quotes: change in volume by department, as bars or as a map."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display, refdata
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import labelled, make_figure
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import require_columns
from smsp_analytics.charts._mapdraw import (
    INNER_RING,
    colorbar_marker,
    drawn_departments,
    fill_color,
    map_figure,
)
from smsp_analytics.i18n import N_, _

__all__ = ["drift", "CHANGE_COLORS", "DIVERGING_SCALE"]

#: Bars: red for a loss, blue for a gain (a locality gone counts as -100%). The keys are the
#: frame's statuses (English msgids: the legend shows them translated).
CHANGE_COLORS: dict[str, str] = {
    N_("Increase"): "#2166ac",
    N_("New"): "#2166ac",
    N_("Decrease"): "#b2182b",
    N_("Gone"): "#b2182b",
    N_("No change"): "#8c8c8c",
}
#: Map: red (loss) through white (0) to blue (gain); the range is symmetric around 0.
DIVERGING_SCALE = "RdBu"
_RATIO = "volume_change_ratio"


def _changes(df: pd.DataFrame) -> pd.DataFrame:
    """Per locality: volumes before/after (summed over targetings), ratio and status."""
    frame = df.assign(locality=df["locality"].astype("string"))
    num = {
        c: pd.to_numeric(frame[c], errors="coerce").astype("float64")
        for c in ("volume_before", "volume_after")
    }
    frame = frame.assign(**num)
    out = frame.groupby("locality", sort=False).agg(
        volume_before=("volume_before", lambda s: s.sum(min_count=1)),
        volume_after=("volume_after", lambda s: s.sum(min_count=1)),
    )
    for col in ("unit_cost_before", "unit_cost_after", "as_of_before", "as_of_after"):
        if col in frame.columns:
            out[col] = frame.groupby("locality", sort=False)[col].first()
    out = out.reset_index()
    before, after = out["volume_before"], out["volume_after"]
    # Recomputed from the volumes, so the ratio is right whatever the unit of the frame's
    # own percentage column, and right again after summing targetings.
    ratio = (after - before) / before.where(before > 0)
    status = pd.Series("No change", index=out.index, dtype=object)
    status[ratio > 0] = "Increase"
    status[ratio < 0] = "Decrease"
    status[before.isna() & after.notna()] = "New"
    status[before.notna() & after.isna()] = "Gone"
    ratio[status == "Gone"] = -1.0
    out[_RATIO] = ratio
    out["change"] = status
    out["volume_change"] = after.fillna(0) - before.fillna(0)
    return out


def _department_of(locality: str) -> str | None:
    if display.department_label(locality) != locality:
        return display.department_label(locality).split(" ")[0]
    zips = refdata.zipcodes()
    return str(zips["department"].get(locality)) if locality in zips.index else None


def _hover(row: Any) -> str:
    before, after = display.fmt_int(row.volume_before), display.fmt_int(row.volume_after)
    lines = [
        f"<b>{display.department_label(row.locality)}</b>",
        labelled(_("Change"), _change_text(row)),
        labelled(_("Contacts"), f"{before} -> {after}"),
    ]
    return "<br>".join(lines)


def _change_text(row: Any) -> str:
    if row.change == "New":
        return _("new (no earlier quote)")
    if row.change == "Gone":
        return _("gone (no later quote)")
    ratio = getattr(row, _RATIO)
    return ("+" if ratio > 0 else "") + display.fmt_pct(ratio)


@make_docstring
def drift(
    df: pd.DataFrame,
    kind: Literal["bars", "map"] = "bars",
    *,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Change in volume by department between two quotes, as diverging bars or a map.

    Bars: one per locality ("60 Oise"), red for a loss, blue for a gain, largest change
    first. A locality quoted on one side only is shown, never dropped: "gone" as -100%,
    "new" as a labelled bar stub. Map: the % change per department on a red-white-blue
    scale centred on 0 (zip codes summed per department). Rows of several targetings are
    summed per locality.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"locality": ["60", "02"], "volume_before": [100, 50],
    ...                    "volume_after": [120, 40]})
    >>> fig = drift(df)
    >>> [(t.name, list(t.y)) for t in fig.data]
    [('Increase', ['60 Oise']), ('Decrease', ['02 Aisne'])]
    """
    require_columns(df, ["locality", "volume_before", "volume_after"], "drift")
    changes = _changes(df)
    if kind == "bars":
        return _bars(df, changes, title, synthetic, height, width)
    if kind == "map":
        return _map(df, changes, title, synthetic, height, width)
    raise ValueError(f"kind must be 'bars' or 'map', got {kind!r}")


def _period(df: pd.DataFrame) -> dict[str, str] | None:
    """The quotes' dates (``start``, ``end``) for the title, or None when unknown."""
    if "as_of_before" not in df.columns or "as_of_after" not in df.columns:
        return None
    lo, hi = pd.to_datetime(df["as_of_before"]).min(), pd.to_datetime(df["as_of_after"]).max()
    if display.is_missing(lo) or display.is_missing(hi):
        return None
    return {"start": display.fmt_date(lo, "day"), "end": display.fmt_date(hi, "day")}


def _title(df: pd.DataFrame, percent: bool) -> str:
    period = _period(df)
    if percent:
        if period is None:
            return _("Change in contacts by department (%)")
        return _("Change in contacts by department (%), {start} to {end}").format(**period)
    if period is None:
        return _("Change in contacts by department")
    return _("Change in contacts by department, {start} to {end}").format(**period)


def _bars(
    df: pd.DataFrame,
    changes: pd.DataFrame,
    title: str | None,
    synthetic: bool | None,
    height: int | None,
    width: int | None,
) -> go.Figure:
    # New localities have no ratio: a small stub in the gain direction carries them.
    span = changes[_RATIO].abs().max()
    stub = 0.02 * (span if pd.notna(span) and span > 0 else 1.0)
    shown = changes.assign(**{_RATIO: changes[_RATIO].where(changes["change"] != "New", stub)})
    order_key = shown[_RATIO].abs().where(changes["change"] != "New", float("inf"))
    shown = shown.assign(_key=order_key).sort_values("_key", ascending=False, kind="stable")
    title = title or _style.chart_title(_title(df, percent=False), df)
    fig = make_figure(
        shown,
        x="locality",
        y=_RATIO,
        color="change",
        x_label=display.department_label,
        color_label=_,
        color_map=CHANGE_COLORS,
        text_auto=False,
        orientation="h",
        barmode="relative",
        x_title=display.column_title("department"),
        hover_extra=[
            (_("Contacts before"), "volume_before"),
            (_("Contacts after"), "volume_after"),
        ],
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height or 160 + 28 * len(shown),
        width=width,
    )
    for trace in fig.data:
        # The written change ("new", "gone", "+12.0%") replaces the stub's meaningless 2%.
        rows = {
            display.department_label(r.locality): r
            for r in changes.itertuples()
            if _(r.change) == trace.name
        }
        short = [_change_text(rows[y]).split(" (")[0] for y in trace.y]
        trace.text = short if len(shown) <= 40 else None
        trace.textposition = "auto"  # inside long bars, outside short ones
        trace.customdata = [
            [c[0], c[1], _change_text(rows[y]), *c[3:]] for c, y in zip(trace.customdata, trace.y)
        ]
    lo = min(0.0, float(shown[_RATIO].min()))
    hi = max(0.0, float(shown[_RATIO].max()))
    pad = 0.15 * max(hi - lo, 0.01)  # room for labels written outside the bars
    fig.update_xaxes(
        range=[lo - pad, hi + pad], zeroline=True, zerolinecolor="#444", zerolinewidth=1
    )
    fig.update_layout(legend_title_text=_("Change"))
    return fig


def _map(
    df: pd.DataFrame,
    changes: pd.DataFrame,
    title: str | None,
    synthetic: bool | None,
    height: int | None,
    width: int | None,
) -> go.Figure:
    changes = changes.assign(department=[_department_of(str(c)) for c in changes["locality"]])
    per_dep = (
        changes.dropna(subset=["department"])
        .groupby("department", sort=True)
        .agg(
            volume_before=("volume_before", lambda s: s.sum(min_count=1)),
            volume_after=("volume_after", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    per_dep = per_dep.rename(columns={"department": "locality"})
    per_dep = _changes(per_dep)
    ratios = per_dep[_RATIO].dropna()
    bound = max(float(ratios.abs().max()) if len(ratios) else 0.0, 0.01)
    cmin, cmax = -bound, bound
    rows = {str(r.locality): r for r in per_dep.itertuples()}
    styles: dict[str, tuple[str, str]] = {}
    for code, name in drawn_departments():
        row = rows.get(code)
        if row is None:
            styles[code] = (_style.MISSING_COLOR, f"<b>{code} {name}</b><br>{display.no_data()}")
            continue
        # A new department has no ratio: it takes the strongest gain colour, labelled.
        value = cmax if row.change == "New" else getattr(row, _RATIO)
        styles[code] = (fill_color(value, DIVERGING_SCALE, cmin, cmax), _hover(row))
    # Whole percents repeat on small ranges ("+2%, +2%, +1%"): one decimal below 5 %.
    tickformat = "+.1%" if bound < 0.05 else "+.0%"
    marker = colorbar_marker(
        _("Change in contacts (%)"), {"tickformat": tickformat}, DIVERGING_SCALE, cmin, cmax
    )
    fig = map_figure(styles, marker, focus=list(rows), inset=any(c in rows for c in INNER_RING))
    title = title or _style.chart_title(_title(df, percent=True), df)
    _style.apply_house_style(
        fig,
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height or 620,
        width=width,
    )
    fig.update_layout(margin=dict(l=10, r=10, t=80, b=30))
    return fig
