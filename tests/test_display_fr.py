"""The display layer in French (and English unchanged): Babel's CLDR symbols and spaces."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pandas as pd
import pytest
from babel.numbers import format_currency, format_decimal, format_percent

from smsp_analytics import display
from smsp_analytics.i18n import use_lang
from smsp_analytics.targeting import Targeting

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    "func, value, en, fr",
    [
        (display.fmt_int, 2282, "2,282", f"2{NNBSP}282"),
        (display.fmt_int, -1234567, "-1,234,567", f"-1{NNBSP}234{NNBSP}567"),
        (display.fmt_eur, 9051.39, "€9,051.39", f"9{NNBSP}051,39{NBSP}€"),
        (display.fmt_eur, -1, "-€1.00", f"-1,00{NBSP}€"),
        (display.fmt_unit_price, 0.09, "€0.090", f"0,090{NBSP}€"),
        (display.fmt_unit_price, 0.038, "€0.038", f"0,038{NBSP}€"),
        (display.fmt_pct, 0.125, "12.5%", f"12,5{NBSP}%"),
        (display.fmt_number, 1234.567, "1,234.57", f"1{NNBSP}234,57"),
        (display.fmt_int, None, "no data", "aucune donnée"),
        (display.fmt_eur, float("nan"), "no data", "aucune donnée"),
    ],
)
def test_numbers_in_both_languages(func, value, en, fr):
    with use_lang("en"):
        assert func(value) == en
    with use_lang("fr"):
        assert func(value) == fr


def test_fmt_value_in_french():
    with use_lang("fr"):
        assert display.fmt_value(1234.5, "cost_eur") == f"1{NNBSP}234,50{NBSP}€"
        assert display.fmt_value(0.045, "unit_cost_eur") == f"0,045{NBSP}€"
        assert display.fmt_value(0.00123, "penetration") == f"0,123{NBSP}%"
        assert display.fmt_value("18-24", "age_band") == "18-24"


def _values() -> list[float]:
    rng = random.Random(17)
    ties = [0.125, 2.675, 1.005, 0.0445, 1234.565, 0.5, 2.5, -2.5, -0.015]
    return ties + [round(rng.uniform(-1e6, 1e6), rng.randint(0, 5)) for _ in range(300)]


@pytest.mark.parametrize("lang, locale", [("en", "en_US"), ("fr", "fr_FR")])
def test_the_fast_path_is_babel(lang, locale):
    # The digits come from Python's float formatting, symbols and affixes from CLDR: the
    # result must be what Babel itself writes for the float's exact value.
    eur2 = "¤#,##0.00" if lang == "en" else "#,##0.00\u00a0¤"
    eur3 = "¤#,##0.000" if lang == "en" else "#,##0.000\u00a0¤"
    pct = "#,##0.0%" if lang == "en" else "#,##0.0\u00a0%"
    with use_lang(lang):
        for x in _values():
            exact = Decimal(x)
            kw = {"locale": locale, "currency_digits": False}
            assert display.fmt_eur(x) == format_currency(exact, "EUR", format=eur2, **kw), x
            assert display.fmt_unit_price(x) == format_currency(exact, "EUR", format=eur3, **kw)
            assert display.fmt_int(x) == format_decimal(round(x), locale=locale), x
            assert display.fmt_pct(x / 1000) == format_percent(
                Decimal(x / 1000 * 100) / 100, format=pct, locale=locale
            ), x


def test_dates_in_both_languages():
    d = dt.date(2026, 11, 1)  # a Sunday
    at = pd.Timestamp("2026-11-01 14:05", tz="Europe/Paris")
    with use_lang("en"):
        # what strftime printed before: %a %d %b %Y, %a %Y-%m-%d, %d %b %Y, %a %d %b
        assert display.fmt_date(d) == d.strftime("%a %d %b %Y") == "Sun 01 Nov 2026"
        assert display.fmt_date(d, "weekday_iso") == f"{d:%a} {d.isoformat()}"
        assert display.fmt_date(d, "day") == d.strftime("%d %b %Y")
        assert display.fmt_date(d, "short") == d.strftime("%a %d %b")
        assert display.fmt_date(d, "iso") == "2026-11-01"
        assert display.fmt_date(d, "month") == "Nov 2026"
        assert display.fmt_datetime(at) == at.strftime("%a %Y-%m-%d %H:%M")
        assert display.month_names()[8] == dt.date(2026, 9, 1).strftime("%b")
    with use_lang("fr"):
        assert display.fmt_date(d) == "dim. 1 nov. 2026"
        assert display.fmt_date("2026-11-01") == "dim. 1 nov. 2026"
        assert display.fmt_date(d, "short") == "dim. 1 nov."
        assert display.fmt_date(d, "iso") == "01/11/2026"
        assert display.fmt_date(d, "month_long") == "novembre 2026"
        assert display.fmt_datetime(at) == "dim. 1 nov. 2026 14:05"
        assert display.fmt_date(pd.NaT) == "aucune donnée"
        assert display.month_names("wide")[7] == "août"
    with pytest.raises(ValueError, match="style: 'x'.*allowed: long"):
        display.fmt_date(d, "x")


def test_every_english_month_and_weekday_is_strftime():
    with use_lang("en"):
        for day in pd.date_range("2026-01-01", "2026-12-31", freq="D"):
            assert display.fmt_date(day, "long") == day.strftime("%a %d %b %Y")


def test_plotly_separators_and_euro_affixes():
    with use_lang("en"):
        assert display.plotly_separators() == ".,"
        assert display.eur_affixes() == ("€", "")
    with use_lang("fr"):
        assert display.plotly_separators() == f",{NNBSP}"
        assert display.eur_affixes() == ("", f"{NBSP}€")


@pytest.mark.parametrize(
    "text, en, fr",
    [
        ("9,00", 9.0, 9.0),
        ("9 000", 9000.0, 9000.0),
        (f"9{NNBSP}000,50{NBSP}€", 9000.5, 9000.5),
        ("€1,234.50", 1234.5, 1234.5),
        ("1.234.567", 1234567.0, 1234567.0),
        ("1,234", 1234.0, 1.234),  # ambiguous: read in the language in force
        ("-3.5", -3.5, -3.5),
    ],
)
def test_parse_number_reads_both_writings(text, en, fr):
    with use_lang("en"):
        assert display.parse_number(text) == en
    with use_lang("fr"):
        assert display.parse_number(text) == fr


def test_parse_number_names_the_field():
    with pytest.raises(ValueError, match="consent: 'neuf' is not a number"):
        display.parse_number("neuf", field="consent")


def test_words_in_french():
    t = Targeting(gender="women", age=(25, 35), interest=14, departments=["60", "2"])
    with use_lang("fr"):
        assert display.describe_targeting(t) == "femmes, 25-35 ans, intérêt 14, départements 60, 02"
        assert display.describe_targeting({"gender": "m", "interest": 3}) == (
            "hommes et femmes, intérêt 3, toute la France"
        )
        assert display.gender_words("tous") == "hommes et femmes"
        assert display.column_title("cost_eur") == "Coût (€)"
        assert display.column_title("budget_eur") == "Budget (€)"
        assert display.column_title("volume") == "Volume (contacts)"
        assert display.department_label("60") == "60 Oise"  # INSEE's name in both languages
        real = pd.DataFrame()
        real.attrs.update(synthetic=False, fetched_at="2026-11-29T20:00:00+00:00")
        assert display.source_line(real).startswith("Source : API SMS Partner, récupéré le ")
        fake = pd.DataFrame()
        fake.attrs["synthetic"] = True
        assert display.source_line(fake) == "DONNÉES SYNTHÉTIQUES (bac à sable)"
        assert display.synthetic_text(3) == "DONNÉES SYNTHÉTIQUES (bac à sable, graine 3)"
        with pytest.raises(ValueError, match="valeurs admises : femmes"):
            display.gender_code("x")
    # the machine-readable mark does not move with the language
    assert display.SYNTHETIC_MARK == "SYNTHETIC DATA (sandbox)"
    with use_lang("en"):
        assert display.synthetic_text(3) == "SYNTHETIC DATA (sandbox, seed 3)"
