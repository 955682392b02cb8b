"""The display module: one definition of every displayed text (numbers, titles, genders)."""

from __future__ import annotations

import pandas as pd
import pytest

from smsp_analytics import display
from smsp_analytics.targeting import Targeting


@pytest.mark.parametrize(
    "value, expected",
    [
        (1234.56, "€1,234.56"),
        (0, "€0.00"),
        (1234567.891, "€1,234,567.89"),
        (-5, "-€5.00"),
        (pd.NA, "no data"),
        (None, "no data"),
        (float("nan"), "no data"),
    ],
)
def test_fmt_eur(value, expected):
    assert display.fmt_eur(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (1234567, "1,234,567"),
        (pd.array([12345], dtype="Int64")[0], "12,345"),
        (pd.NA, "no data"),
    ],
)
def test_fmt_int(value, expected):
    assert display.fmt_int(value) == expected


def test_fmt_unit_price_and_pct():
    assert display.fmt_unit_price(0.045) == "€0.045"
    assert display.fmt_pct(0.1234) == "12.3%"
    assert display.fmt_pct(-0.5, decimals=0) == "-50%"
    assert display.fmt_pct(None) == display.NO_DATA


def test_fmt_value_follows_column_kind():
    assert display.fmt_value(1234.5, "cost_eur") == "€1,234.50"
    assert display.fmt_value(0.045, "unit_cost_eur") == "€0.045"
    assert display.fmt_value(1234, "volume") == "1,234"
    assert display.fmt_value(0.1234, "penetration") == "12.3%"
    assert display.fmt_value(0.00123, "penetration") == "0.123%"
    assert display.fmt_value("18-24", "age_band") == "18-24"
    assert display.fmt_value(float("nan"), "volume") == "no data"


def test_column_titles_have_units():
    assert display.column_title("cost_eur") == "Cost (€)"
    assert display.column_title("volume") == "Volume (contacts)"
    assert display.column_title("budget_eur") == "Budget (€)"
    assert display.column_title("some_share") == "Some share (%)"
    assert display.column_title("department") == "Department"


@pytest.mark.parametrize("spelling", ["m", "all", "mixed", "both", "M", " Mixte "])
def test_mixed_is_spelled_men_and_women(spelling):
    assert display.gender_words(spelling) == "men and women"


def test_gender_words_accept_every_targeting_alias():
    # Every spelling Targeting accepts reads the same words as the code it normalises to.
    for alias in [
        "f",
        "women",
        "woman",
        "female",
        "femme",
        "femmes",
        "h",
        "men",
        "man",
        "male",
        "homme",
        "hommes",
        "m",
        "all",
        "mixed",
        "mixte",
        "both",
    ]:
        code = Targeting(gender=alias, interest=14).gender
        assert display.gender_words(alias) == display.GENDER_WORDS[code]
    assert display.gender_words("h") == "men"
    assert display.gender_words("f") == "women"
    with pytest.raises(ValueError, match="gender.*'x'"):
        display.gender_words("x")


def test_describe_targeting_from_targeting_and_dicts():
    t = Targeting(gender="women", age=(25, 35), interest=14, departments=["60", "2"])
    assert display.describe_targeting(t) == "women, 25-35, interest 14, departments 60, 02"
    assert display.describe_targeting(t.to_parameters()) == display.describe_targeting(t)
    mixed = Targeting(interest=14, sub_interest=35, category="CSP+", zipcodes=["75001"])
    text = display.describe_targeting(mixed)
    assert text.startswith("men and women, 18-98, interest 14, sub-interest 35, CSP+")
    assert text.endswith("zip code 75001")
    assert (
        display.describe_targeting({"gender": "h", "age": (18, 24), "interest": 3})
        == "men, 18-24, interest 3, all France"
    )
    many = Targeting.for_region("Île-de-France", interest=14)
    assert "(+2)" in display.describe_targeting(many)


def test_department_label():
    assert display.department_label("60") == "60 Oise"
    assert display.department_label(2) == "02 Aisne"
    assert display.department_label("2a") == "2A Corse-du-Sud"
    assert display.department_label("75001") == "75001"
    assert display.department_label(None) == display.NO_DATA


def test_synthetic_and_source_line():
    df = pd.DataFrame({"volume": [1]})
    assert not display.is_synthetic(df)
    df.attrs["synthetic"] = True
    assert display.is_synthetic(df)
    assert display.source_line(df) == display.SYNTHETIC_MARK == "SYNTHETIC DATA (sandbox)"
    real = pd.DataFrame({"volume": [1]})
    real.attrs.update(synthetic=False, fetched_at="2026-11-29T20:00:00+00:00")
    assert display.source_line(real) == "Source: SMS Partner API, fetched 2026-11-29T20:00:00+00:00"


def test_frame_totals_prefers_api_totals():
    df = pd.DataFrame({"volume": [10, 5], "cost_eur": [0.9, 0.45], "unit_cost_eur": [0.09, 0.09]})
    assert display.frame_totals(df) == display.Totals(15, 1.35, 0.09)
    df.attrs.update(total_quantity=20, total_cost_eur=1.8, unit_cost_eur=0.09)
    assert display.frame_totals(df) == display.Totals(20, 1.8, 0.09)
    calcul = pd.DataFrame({"volume": [7]})
    assert display.frame_totals(calcul) == display.Totals(7, None, None)


def test_frame_totals_on_a_sandbox_price(client):
    df = client.price(Targeting(gender="f", age=(25, 35), interest=14, departments=["60", "02"]))
    totals = display.frame_totals(df)
    assert totals.volume == int(df["volume"].sum())
    assert totals.cost_eur == pytest.approx(float(df["cost_eur"].sum()), abs=0.01)
    assert totals.unit_cost_eur == pytest.approx(float(df["unit_cost_eur"].iloc[0]))


def test_display_imports_nothing_above_it():
    import ast
    from pathlib import Path

    mods: set[str] = set()
    for path in Path(display.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        mods |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        mods |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    # Only the floors below (the language, the reference data, the vocabulary) and itself.
    below = {"smsp_analytics", "smsp_analytics.i18n", "smsp_analytics.vocab"}
    ours = {m for m in mods if m.startswith("smsp_analytics")}
    assert ours - below == {"smsp_analytics.display.formats", "smsp_analytics.display.texts"}
