"""Charts in French and in English: separators, titles, axes, legends, hovers, day labels."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from smsp_analytics import charts, send_windows
from smsp_analytics.i18n import use_lang

NNBSP, NBSP = "\u202f", "\u00a0"

BUILDERS = {
    "bar_departments": (lambda df: charts.bar_departments(df, "cost_eur", top=3), "dept_frame"),
    "map": (lambda df: charts.map_departments(df, "cost_eur"), "dept_frame"),
    "map_penetration": (lambda df: charts.map_departments(df, "penetration"), "zip_frame"),
    "age_profile": (lambda df: charts.age_profile(df, color="gender"), "sweep_frame"),
    "gender_split": (charts.gender_split, "sweep_frame"),
    "interest": (lambda df: charts.interest_comparison(df, labels={12: "Sport"}), "sweep_frame"),
    "cost_comparison": (lambda df: charts.cost_comparison(df, color="gender"), "scenario_frame"),
}


def _strings(value: Any) -> list[str]:
    """Every text of a figure's JSON (data values are numbers; the template is left out)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "template" for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _english_numbers(fig) -> list[str]:
    # colours ("rgba(0,0,0,0.85)") and the map's licence ("CC-BY-4.0") are not numbers read
    texts = [
        t.replace("CC-BY-4.0", "")
        for t in _strings(fig.to_plotly_json())
        if not t.startswith(("rgb", "#"))
    ]
    # "€12" (euro sign first) or "1.5" (dot decimals) are English writings of a number.
    return [t for t in texts if re.search(r"€\d|\d\.\d", t)]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_french_charts_speak_french_numbers(name, request):
    build, fixture = BUILDERS[name]
    df = request.getfixturevalue(fixture)
    with use_lang("fr"):
        fig = build(df)
    assert fig.layout.separators == f",{NNBSP}"
    assert _english_numbers(fig) == []
    with use_lang("en"):
        fig = build(df)
    assert fig.layout.separators == ".,"


def test_bar_departments_titles_axes_and_hover_in_french(dept_frame):
    dept_frame.attrs["synthetic"] = True
    with use_lang("fr"):
        fig = charts.bar_departments(dept_frame, "cost_eur", top=3)
    assert fig.layout.title.text == "Coût (€) par département (3 premiers)"
    assert fig.layout.yaxis.title.text == "Coût (€)"
    assert fig.layout.xaxis.title.text == "Département"
    assert (fig.layout.yaxis.tickprefix, fig.layout.yaxis.ticksuffix) == ("", f"{NBSP}€")
    assert "<b>Département : %{customdata[0]}</b>" in fig.data[0].hovertemplate
    assert "Volume (contacts) : %{customdata[3]}" in fig.data[0].hovertemplate
    assert fig.data[0].customdata[0][2] == f"22{NNBSP}500,00{NBSP}€"  # 75 Paris
    mark = [a.text for a in fig.layout.annotations if a.name == "synthetic-mark"]
    assert mark == ["DONNÉES SYNTHÉTIQUES (bac à sable)"]


def test_legends_and_gender_words_in_french(sweep_frame):
    with use_lang("fr"):
        fig = charts.age_profile(sweep_frame, color="gender")
        pie = charts.gender_split(sweep_frame)
    assert [t.name for t in fig.data] == ["Femmes", "Hommes"]
    assert fig.layout.legend.title.text == "Sexe"
    assert fig.layout.title.text.startswith("Volume par tranche d'âge")
    assert list(pie.data[0].labels) == ["Femmes", "Hommes"]
    assert "Part : %{percent:.1%}" in pie.data[0].hovertemplate


def test_campaign_cost_and_drift_in_french():
    df = pd.DataFrame(
        {
            "locality": ["60", "02"],
            "rental_cost_eur": [9.0, 4.0],
            "sending_cost_eur": [3.8, 1.9],
            "total_cost_eur": [12.8, 5.9],
        }
    )
    with use_lang("fr"):
        fig = charts.campaign_cost(df)
        drift = charts.drift(
            pd.DataFrame(
                {
                    "locality": ["60", "02"],
                    "volume_before": [1000, 50],
                    "volume_after": [1200, 40],
                    "as_of_before": ["2026-09-01", "2026-09-01"],
                    "as_of_after": ["2026-10-01", "2026-10-01"],
                }
            )
        )
    assert [t.name for t in fig.data] == ["Location", "Envoi"]
    assert fig.layout.title.text == "Coût de la campagne par département : location et envoi"
    totals = [a.text for a in fig.layout.annotations if a.name == "total"]
    assert totals == [f"12,80{NBSP}€", f"5,90{NBSP}€"]
    assert [t.name for t in drift.data] == ["Hausse", "Baisse"]
    assert "du 1 sept. 2026 au 1 oct. 2026" in drift.layout.title.text
    assert list(drift.data[0].text) == [f"+20,0{NBSP}%"]


def test_send_windows_days_and_reasons_in_french():
    with use_lang("fr"):
        fig = charts.send_windows(send_windows(["75", "57"], "2026-12-24", days=3))
    assert list(fig.layout.xaxis.ticktext) == ["jeu. 24 déc.", "ven. 25 déc.", "sam. 26 déc."]
    assert fig.layout.xaxis.title.text == "Heure de Paris"
    assert [t.name for t in fig.data] == ["Ouvert", "Fermé"]
    reasons = {a.text for a in fig.layout.annotations if a.name == "closed-reason"}
    assert reasons == {"Noël", "Saint-Étienne"}
    assert "jeu. 24 déc. : 08:00-20:00 heure de Paris" in fig.data[0].hovertext[0]
    assert fig.layout.title.text.startswith(
        "Créneaux d'envoi, du jeu. 24 déc. au sam. 26 déc. 2026"
    )
    with use_lang("en"):
        fig = charts.send_windows(send_windows(["75", "57"], "2026-12-24", days=3))
    assert list(fig.layout.xaxis.ticktext) == ["Thu 24 Dec", "Fri 25 Dec", "Sat 26 Dec"]
    assert {a.text for a in fig.layout.annotations if a.name == "closed-reason"} == {
        "Christmas<br>Day",
        "Saint<br>Stephen's Day",
    }
