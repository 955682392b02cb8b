"""Campaign charts: what the campaign costs (rental vs sending) and when it may be sent."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import MAX_TEXT_BARS, label_function, make_figure
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import grouped_sum, require_columns
from smsp_analytics.i18n import N_, _
from smsp_analytics.vocab import PARIS

__all__ = ["campaign_cost", "send_windows", "COST_PARTS", "OPEN_COLOR", "CLOSED_COLOR"]

#: Stacked parts of a campaign's cost, bottom to top, with their legend names (English
#: msgids: the legend shows them translated).
COST_PARTS: dict[str, str] = {"rental_cost_eur": N_("Rental"), "sending_cost_eur": N_("Sending")}
_PART_COLORS = {"Rental": _style.PALETTE[0], "Sending": _style.PALETTE[1]}
OPEN_COLOR = "#2a9d8f"
CLOSED_COLOR = "#cfcfcf"
_DAY_MS = 24 * 3600 * 1000


@make_docstring
def campaign_cost(
    df: pd.DataFrame,
    x: str | None = None,
    *,
    text_auto: bool | None = None,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """Rental and sending cost stacked per department or per scenario; totals on top.

    Rows are summed per ``x``; departments read "60 Oise" and come largest total first,
    scenarios keep their order. The hover gives both parts, the total, and the contacts
    and SMS parts per message when the frame has them.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"locality": ["60", "02"], "rental_cost_eur": [9.0, 4.0],
    ...                    "sending_cost_eur": [3.8, 1.9], "total_cost_eur": [12.8, 5.9]})
    >>> fig = campaign_cost(df)
    >>> [t.name for t in fig.data], list(fig.data[0].x)
    (['Rental', 'Sending'], ['60 Oise', '02 Aisne'])
    """
    if x is None:
        x = "scenario" if "scenario" in df.columns else "locality"
    require_columns(df, [x, *COST_PARTS, "total_cost_eur"], "campaign_cost")
    sums = grouped_sum(df, [x], [*COST_PARTS, "total_cost_eur", "volume"])
    if "parts" in df.columns:
        parts = df.groupby(x, sort=False)["parts"].max()
        sums["parts"] = [parts.get(v) for v in sums[x]]
    if x != "scenario":
        sums = sums.sort_values("total_cost_eur", ascending=False, kind="stable")
    order = list(sums[x])
    long = pd.concat(
        [sums.assign(part=name, cost_eur=sums[col]) for col, name in COST_PARTS.items()],
        ignore_index=True,
    )
    extras = [(_("Total"), "total_cost_eur"), (_("Contacts"), "volume"), (_("SMS parts"), "parts")]
    label = label_function(x)
    by = display.column_title(x).lower()
    if x == "locality" and all(display.department_label(v) != str(v) for v in order):
        by = display.column_title("department").lower()
    if title is None:
        title = _style.chart_title(
            _("Campaign cost by {what}: rental and sending").format(what=by), df
        )
    fig = make_figure(
        long,
        x=x,
        y="cost_eur",
        color="part",
        x_order=order,
        x_label=label,
        color_label=_,
        color_map=_PART_COLORS,
        text_auto=text_auto,
        hover_extra=extras,
        barmode="stack",
        x_title=by.capitalize(),
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height,
        width=width,
    )
    fig.update_layout(legend_title_text=_("Cost"))
    if len(order) <= MAX_TEXT_BARS:
        # The total above each stack (an annotation: stacked bar text sits inside parts).
        for _i, row in sums.iterrows():
            fig.add_annotation(
                name="total",
                x=label(row[x]),
                y=float(row["total_cost_eur"]),
                text=display.fmt_eur(row["total_cost_eur"]),
                showarrow=False,
                yanchor="bottom",
                yshift=2,
                font=dict(size=11),
            )
    return fig


def _paris_naive(value: Any) -> pd.Timestamp | None:
    """An aware instant as naive Paris wall time (plotly date axes ignore zones)."""
    if display.is_missing(value):
        return None
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(PARIS).tz_localize(None)
    return ts


def _open_bound(value: Any) -> pd.Timestamp:
    """An open window's start or end as naive Paris wall time (an open window has both)."""
    ts = _paris_naive(value)
    if ts is None:
        raise ValueError("an open send window needs its Paris start and end")
    return ts


def _hhmm(value: Any) -> str:
    return "" if display.is_missing(value) else display.fmt_time(pd.Timestamp(value))


def _open_hover(
    label: str, day: Any, start: Any, end: Any, local_start: Any, local_end: Any
) -> str:
    paris = _("{day}: {start}-{end} Paris time").format(
        day=display.fmt_date(day, "short"), start=_hhmm(start), end=_hhmm(end)
    )
    local = _("local time {start}-{end}").format(start=_hhmm(local_start), end=_hhmm(local_end))
    return f"<b>{label}</b><br>{paris}<br>{local}"


def _day_axis(fig: go.Figure, first: pd.Timestamp, last: pd.Timestamp) -> None:
    """A date axis whose day labels are the language's (``Sun 01 Nov`` / ``dim. 1 nov.``).

    Why not plotly's own ``tickformat``: plotly.js writes English day and month names unless
    a locale bundle is loaded. Labels sit at noon, mid-day; lines mark midnight.
    """
    days = list(pd.date_range(first, last - pd.Timedelta(days=1), freq="D"))
    fig.update_xaxes(
        type="date",
        range=[first.isoformat(), last.isoformat()],
        tickmode="array",
        tickvals=[(d + pd.Timedelta(hours=12)).isoformat() for d in days],
        ticktext=[display.fmt_date(d, "short") for d in days],
        ticks="",
        showgrid=False,
        title_text=_("Paris time"),
    )
    for d in [*days, last]:
        fig.add_vline(x=d.isoformat(), line_color="#e5e5e5", line_width=1, layer="below")


@make_docstring
def send_windows(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """The allowed send windows of a week as a timeline per department, in Paris time.

    One row per department ("57 Moselle"); an open day is a bar from the window's start to
    its end (Paris time; the hover adds the recipients' local time), a closed day a grey
    bar over the whole day with its reason ("Sunday", the holiday's name) written on it.

    {parameters}

    Examples
    --------
    >>> from smsp_analytics import send_windows as windows
    >>> fig = send_windows(windows(["75", "974"], "2026-12-24", days=3))
    >>> [t.name for t in fig.data], sorted(set(fig.data[1].y))
    (['Open', 'Closed'], ['75 Paris', '974 La Réunion'])
    """
    require_columns(
        frame,
        [
            "department",
            "date",
            "open",
            "local_start",
            "local_end",
            "paris_start",
            "paris_end",
            "reason",
        ],
        "send_windows",
    )
    labels = {d: display.department_label(d) for d in dict.fromkeys(frame["department"])}
    is_open = frame["open"].fillna(False).astype(bool)
    opened, closed = frame[is_open.to_numpy()], frame[~is_open.to_numpy()]
    fig = go.Figure()
    starts = [_open_bound(v) for v in opened["paris_start"]]
    ends = [_open_bound(v) for v in opened["paris_end"]]
    hover_open = [
        _open_hover(labels[r.department], r.date, s, e, r.local_start, r.local_end)
        for r, s, e in zip(opened.itertuples(), starts, ends)
    ]
    fig.add_trace(
        go.Bar(
            name=_("Open"),
            orientation="h",
            y=[labels[d] for d in opened["department"]],
            base=[s.isoformat() for s in starts],
            x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends)],
            marker_color=OPEN_COLOR,
            hovertext=hover_open,
            hoverinfo="text",
        )
    )
    days = [pd.Timestamp(d) for d in closed["date"]]
    reasons = [
        str(r) if not display.is_missing(r) and str(r) else _("closed") for r in closed["reason"]
    ]
    fig.add_trace(
        go.Bar(
            name=_("Closed"),
            orientation="h",
            y=[labels[d] for d in closed["department"]],
            base=[d.isoformat() for d in days],
            x=[_DAY_MS] * len(days),
            marker_color=CLOSED_COLOR,
            marker_line=dict(color="white", width=1),
            hovertext=[
                f"<b>{labels[d]}</b><br>"
                + _("{day}: closed ({reason})").format(
                    day=display.fmt_date(day, "short"), reason=why
                )
                for d, day, why in zip(closed["department"], days, reasons)
            ],
            hoverinfo="text",
        )
    )
    for d, day, why in zip(closed["department"], days, reasons):
        # Annotations, not bar text: a reason must stay readable however narrow the day.
        fig.add_annotation(
            name="closed-reason",
            x=(day + pd.Timedelta(hours=12)).isoformat(),
            y=labels[d],
            text="<br>".join(why.split(" ", 1)) if len(why) > 12 else why,
            showarrow=False,
            font=dict(size=10, color="#333"),
        )
    all_days = [pd.Timestamp(d) for d in frame["date"]]
    first, last = min(all_days), max(all_days) + pd.Timedelta(days=1)
    _day_axis(fig, first, last)
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=list(labels.values()),
        autorange="reversed",
        title_text=display.column_title("department"),
        automargin=True,
    )
    fig.update_layout(barmode="overlay", bargap=0.35, legend_title_text=_("Sending"))
    if title is None:
        title = _("Send windows, {first} to {last}, by department (Paris time)").format(
            first=display.fmt_date(first, "short"),
            last=display.fmt_date(last - pd.Timedelta(days=1), "long"),
        )
    return _style.apply_house_style(
        fig,
        title=title,
        synthetic=display.is_synthetic(frame, synthetic),
        height=height or 140 + 45 * len(labels),
        width=width,
    )
