"""What sending really cost: SMS sent per month (bars) and the cost per SMS (a line)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import display
from smsp_analytics.charts import _style
from smsp_analytics.charts._build import labelled, make_figure, short_title
from smsp_analytics.charts._docs import make_docstring
from smsp_analytics.charts._frames import require_columns
from smsp_analytics.i18n import _

__all__ = ["sending_costs", "LINE_COLOR"]

#: The cost-per-SMS line, beside the default bar colour.
LINE_COLOR = _style.PALETTE[1]
_UNIT = "cost_per_sms_eur"


def _monthly(df: pd.DataFrame, x: str, y: str, cost: str) -> pd.DataFrame:
    """One row per month, oldest first: SMS and cost summed, cost per SMS recomputed.

    Why recompute: the cost per SMS of a month is its cost over its SMS, whatever rows the
    frame held for it; a month without SMS has none (not zero, not infinity).
    """
    months = pd.to_datetime(df[x]).dt.to_period("M").dt.to_timestamp()
    frame = pd.DataFrame(
        {
            "month": months.to_numpy(),
            y: pd.to_numeric(df[y], errors="coerce").astype("Float64").to_numpy(),
            cost: pd.to_numeric(df[cost], errors="coerce").astype("Float64").to_numpy(),
        }
    )
    out = frame.groupby("month", sort=True).sum(min_count=1).reset_index()
    sms = out[y].where(out[y] > 0)
    out[_UNIT] = (out[cost] / sms).astype("Float64")
    return out


@make_docstring
def sending_costs(
    df: pd.DataFrame,
    *,
    x: str = "month",
    y: str = "sms_sent",
    cost: str = "cost_eur",
    text_auto: bool | None = False,
    title: str | None = None,
    synthetic: bool | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """SMS sent per month as bars and the cost per SMS as a line on a second axis.

    Made for the frame of ``client.sending_costs()`` (what the account's sending really
    cost). Months read in the language in force (``Nov 2026`` / ``nov. 2026``); the hover
    gives the SMS, the cost and the cost per SMS of the month, and the title the totals and
    the average cost per SMS (total cost over total SMS), the price
    ``campaign_cost(..., price_per_sms="account")`` uses.

    {parameters}

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.to_datetime(["2026-09-01", "2026-10-01"]),
    ...                    "sms_sent": [1000, 0], "cost_eur": [45.0, 0.0]})
    >>> fig = sending_costs(df)
    >>> list(fig.data[0].x), list(fig.data[0].y), list(fig.data[1].y)
    (['Sep 2026', 'Oct 2026'], [1000.0, 0.0], [0.045, None])
    """
    require_columns(df, [x, y, cost], "sending_costs")
    monthly = _monthly(df, x, y, cost)
    labels = {m: display.fmt_date(m, "month") for m in monthly["month"]}
    sms_total = float(monthly[y].sum())
    cost_total = float(monthly[cost].sum())
    if title is None:
        average = display.fmt_unit_price(cost_total / sms_total) if sms_total else None
        summary = (
            _("{sms} SMS sent for {cost}, {unit} per SMS on average").format(
                sms=display.fmt_int(sms_total), cost=display.fmt_eur(cost_total), unit=average
            )
            if average
            else _("no SMS sent in these months")
        )
        what = _("SMS sent and cost per SMS, by month")
        title = f"{what}<br><sup>{summary}</sup>"
    fig = make_figure(
        monthly,
        x="month",
        y=y,
        x_order=list(monthly["month"]),
        x_label=labels.__getitem__,
        text_auto=text_auto,
        hover_extra=[(short_title(cost), cost), (short_title(_UNIT), _UNIT)],
        x_title=display.column_title("month"),
        title=title,
        synthetic=display.is_synthetic(df, synthetic),
        height=height,
        width=width,
    )
    fig.data[0].update(name=short_title(y), showlegend=True)
    unit = [None if display.is_missing(v) else float(v) for v in monthly[_UNIT]]
    fig.add_trace(
        go.Scatter(
            x=[labels[m] for m in monthly["month"]],
            y=unit,
            yaxis="y2",
            name=short_title(_UNIT),
            mode="lines+markers",
            line=dict(color=LINE_COLOR, width=2),
            marker=dict(size=6),
            connectgaps=False,  # a month without SMS has no cost per SMS: a gap, not a dip
            customdata=[display.fmt_unit_price(v) for v in monthly[_UNIT]],
            hovertemplate="<b>%{x}</b><br>"
            + labelled(short_title(_UNIT), "%{customdata}")
            + "<extra></extra>",
        )
    )
    prefix, suffix = display.eur_affixes()
    fig.update_layout(
        yaxis2=dict(
            title_text=display.column_title(_UNIT),
            overlaying="y",
            side="right",
            rangemode="tozero",
            showgrid=False,
            tickformat=",.3f",
            tickprefix=prefix,
            ticksuffix=suffix,
        ),
        legend=dict(orientation="h", x=0, y=1.0, xanchor="left", yanchor="bottom"),
        margin=dict(r=80, t=100),
    )
    return fig
