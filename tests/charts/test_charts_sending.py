"""sending_costs: monthly SMS sent (bars) and cost per SMS (line), from the account's history."""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics import charts
from smsp_analytics.i18n import use_lang

NNBSP, NBSP = "\u202f", "\u00a0"


def history() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
            "sms_sent": pd.array([2000, 0, 1000], dtype="Int64"),
            "cost_eur": pd.array([90.0, 0.0, 46.0], dtype="Float64"),
            "cost_per_sms_eur": pd.array([0.045, None, 0.046], dtype="Float64"),
        }
    )
    df.attrs.update(synthetic=True, op="sending_costs")
    return df


def test_bars_of_sms_and_a_line_of_cost_per_sms():
    fig = charts.sending_costs(history())
    bars, line = fig.data
    assert (bars.type, line.type) == ("bar", "scatter")
    assert list(bars.x) == ["Aug 2026", "Sep 2026", "Oct 2026"] == list(line.x)
    assert list(bars.y) == [2000.0, 0.0, 1000.0]
    # a month without SMS has no cost per SMS: a gap in the line, not a zero
    assert list(line.y) == [0.045, None, 0.046] and line.connectgaps is False
    assert line.yaxis == "y2" and fig.layout.yaxis2.overlaying == "y"
    assert fig.layout.yaxis2.side == "right" and fig.layout.yaxis2.tickprefix == "€"
    assert fig.layout.yaxis2.title.text == "Cost per SMS (€)"
    assert fig.layout.yaxis.title.text == "SMS sent" and fig.layout.xaxis.title.text == "Month"
    assert [t.name for t in fig.data] == ["SMS sent", "Cost per SMS"]
    assert bars.showlegend is True and line.showlegend is not False
    assert fig.layout.title.text == (
        "SMS sent and cost per SMS, by month<br><sup>3,000 SMS sent for €136.00, "
        "€0.045 per SMS on average</sup>"
    )
    assert list(bars.customdata[2][3:]) == ["€46.00", "€0.046"]
    assert "Cost per SMS: %{customdata}" in line.hovertemplate
    assert any(a.name == "synthetic-mark" for a in fig.layout.annotations)


def test_the_same_chart_in_french():
    with use_lang("fr"):
        fig = charts.sending_costs(history())
    bars, line = fig.data
    assert fig.layout.separators == f",{NNBSP}"
    assert list(bars.x) == ["août 2026", "sept. 2026", "oct. 2026"]
    assert fig.layout.title.text == (
        f"SMS envoyés et coût par SMS, par mois<br><sup>3{NNBSP}000 SMS envoyés pour "
        f"136,00{NBSP}€, soit 0,045{NBSP}€ par SMS en moyenne</sup>"
    )
    assert (fig.layout.yaxis2.tickprefix, fig.layout.yaxis2.ticksuffix) == ("", f"{NBSP}€")
    assert [t.name for t in fig.data] == ["SMS envoyés", "Coût par SMS"]
    assert fig.layout.xaxis.title.text == "Mois"
    assert list(line.customdata) == [f"0,045{NBSP}€", "aucune donnée", f"0,046{NBSP}€"]
    assert "Coût par SMS : %{customdata}" in line.hovertemplate


def test_rows_of_one_month_add_up_and_cost_per_sms_is_recomputed():
    df = pd.DataFrame(
        {
            "month": ["2026-10-01", "2026-10-15", "2026-09-01"],
            "sms_sent": [1000, 1000, 10],
            "cost_eur": [40.0, 50.0, 1.0],
            "cost_per_sms_eur": [9.0, 9.0, 9.0],  # wrong on purpose: recomputed from sums
        }
    )
    fig = charts.sending_costs(df)
    assert list(fig.data[0].x) == ["Sep 2026", "Oct 2026"]  # oldest first
    assert list(fig.data[0].y) == [10.0, 2000.0]
    assert list(fig.data[1].y) == pytest.approx([0.1, 0.045])


def test_missing_columns_and_no_sms():
    with pytest.raises(KeyError, match=r"sending_costs\(\): column\(s\) \['cost_eur'\]"):
        charts.sending_costs(pd.DataFrame({"month": ["2026-10-01"], "sms_sent": [1]}))
    empty = pd.DataFrame({"month": ["2026-10-01"], "sms_sent": [0], "cost_eur": [0.0]})
    assert "no SMS sent in these months" in charts.sending_costs(empty).layout.title.text


def test_from_the_sandbox_account(client):
    costs = client.sending_costs()
    fig = charts.sending_costs(costs)
    assert len(fig.data[0].x) == len(costs) >= 12
    assert sum(fig.data[0].y) == pytest.approx(float(costs["sms_sent"].sum()))
    assert any(a.name == "synthetic-mark" for a in fig.layout.annotations)
