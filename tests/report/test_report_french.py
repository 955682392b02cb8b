"""Issue 17, the report and the workbook in French (and in English, as before).

One report of every section (earlier quotes give the "What changed" one) is built in each
language against a sandbox over HTTP; the tests read its page and its workbook as a person
and as Excel would. In French no amount may read the English way: no euro sign before a
number, no comma grouping thousands, anywhere a reader sees text (the page's text and the
figures' titles, labels and hover texts).
"""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.display import plotly_separators
from smsp_analytics.history import QuoteHistory, key_hash
from smsp_analytics.i18n import get_lang, use_lang
from smsp_analytics.report import Scenario, build_report, main
from smsp_analytics.report.excel import (
    DATE_FORMAT,
    EUR_FORMAT,
    FR_EUR_FORMAT,
    FR_UNIT_EUR_FORMAT,
    INT_FORMAT,
    UNIT_EUR_FORMAT,
    sheet_name,
)
from smsp_analytics.report.sections import SHEET_NAMES
from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

KEY = "sk-french-report-test-9d2c"
SCENARIOS = [
    Scenario.of("Oise et Aisne", interest=14, departments=["60", "02"]),
    Scenario.of("Moselle", gender="women", interest=14, departments=["57"]),
]
#: An amount written the English way: a euro sign before a number, or a comma grouping
#: thousands (1,234 or 12,345,678; a French decimal such as 0,090 begins with 0).
EURO_FIRST = re.compile(r"€\s?[-−]?\d")
COMMA_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])")
FRENCH_SHEETS = [
    "Synthèse",
    "Par département",
    "Par tranche d'âge",
    "Par sexe",
    "Par centre d'intérêt",
    "Par CSP",
    "Plan de budget",
    "Coût de campagne",
    "Historique d'envoi",
    "Nettoyage",
    "Fenêtres d'envoi",
    "Évolutions",
    "À propos",
]
ENGLISH_SHEETS = [
    "Summary",
    "By department",
    "By age band",
    "By gender",
    "By interest",
    "By CSP",
    "Budget plan",
    "Campaign cost",
    "Sending history",
    "Cleaning",
    "Send windows",
    "What changed",
    "About",
]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Quotes of the first scenario on 15 August 2026, as the client records them."""
    earlier = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date="2026-08-15")
    earlier.start()
    try:
        store = QuoteHistory.open(tmp_path_factory.mktemp("fr") / "history.sqlite")
        with Client(KEY, base_url=earlier.base_url, cache=False, history=False) as c:
            store.record(
                c.calcul(SCENARIOS[0].targeting),
                op="calcul",
                targeting_params=SCENARIOS[0].targeting,
                volumes=None,
                key_hash=key_hash(KEY),
                source="sandbox:seed=0",
            )
        return store.frame()
    finally:
        earlier.stop()


@pytest.fixture(scope="module")
def client():
    sb = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date=REFERENCE_DATE)
    sb.start()
    try:
        with Client(KEY, base_url=sb.base_url, cache=False, history=False) as c:
            yield c
    finally:
        sb.stop()


@pytest.fixture(scope="module")
def reports(client, history, tmp_path_factory):
    """lang -> (report, page, workbook)."""
    out = {}
    tmp = tmp_path_factory.mktemp("books")
    # rented numbers, some on the account's STOP list, a fixed line: the cleaning section
    numbers = [*client.stop_list()["phone_number"][:3], "0612345678", "0145678901"]
    for lang in ("fr", "en"):
        rep = build_report(
            client, scenarios=SCENARIOS, interests=[14], history=history, lang=lang, numbers=numbers
        )
        book = openpyxl.load_workbook(rep.to_excel(tmp / f"{lang}.xlsx"))
        out[lang] = (rep, rep.to_html(), book)
    return out


class _Text(HTMLParser):
    """The text a reader sees: everything outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    # one text node per line, fenced: a cell ending in "€" and the next beginning with a
    # digit are two texts, not an amount
    return "\n|\n".join(parser.parts)


def _strings(value: Any) -> list[str]:
    """Every string in a figure's JSON (titles, tick and bar labels, hover texts), not its
    numbers (data arrays such as [12,345] are not text anyone reads) nor its colours."""
    if isinstance(value, str):
        return [] if re.match(r"rgba?\(", value) else [value]  # colours are not text
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _english_amounts(text: str) -> list[str]:
    return EURO_FIRST.findall(text) + COMMA_THOUSANDS.findall(text)


# -- the page ---------------------------------------------------------------------------


def test_the_french_page_says_lang_fr_and_reads_french(reports):
    rep, page, _ = reports["fr"]
    assert rep.lang == "fr"
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    titles = [s.title for s in rep.sections]
    assert titles[:3] == ["Scénarios", "Par département", "Par tranche d'âge"]
    assert "Évolutions depuis le 15 août 2026" in titles
    text = _visible(page)
    for words in ("Méthode", "Source des données", "scénarios comparés à", "Rien n'est envoyé"):
        assert words in text, words
    # numbers the French way: narrow no-break space between thousands, "€" after the amount
    assert re.search(r"\d\u202f\d{3} contacts", rep.summary), rep.summary
    assert re.search(r"\d,\d\d\u00a0€", rep.summary), rep.summary
    assert "0,090\u00a0€ par contact" in rep.summary
    # dates in French words: the send-window table and the change table
    assert "dim. 1 nov. 2026" in text and "15/08/2026" in text


def test_no_english_format_amount_anywhere_in_the_french_report(reports):
    rep, page, _ = reports["fr"]
    text = _visible(page)
    assert _english_amounts(text) == [], _english_amounts(text)[:5]
    for key, fig in rep.figures.items():
        found = [a for s in _strings(json.loads(fig.to_json())) for a in _english_amounts(s)]
        assert found == [], (key, found[:5])


def test_the_check_finds_english_amounts_in_the_english_report(reports):
    """The same check on the English page finds the English writing: it can fail."""
    rep, page, _ = reports["en"]
    text = _visible(page)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert EURO_FIRST.search(text) and COMMA_THOUSANDS.search(text)
    assert "€0.090 per contact" in rep.summary
    assert [s.title for s in rep.sections][:3] == ["Scenarios", "By department", "By age band"]
    assert "What changed since 15 Aug 2026" in [s.title for s in rep.sections]
    assert "Sun 2026-11-01" in text and "2026-08-15" in text


def test_the_charts_of_the_french_report_are_french(reports):
    rep = reports["fr"][0]
    with use_lang("fr"):
        separators = plotly_separators()
    assert separators.startswith(",")
    for key, fig in rep.figures.items():
        if fig.layout.separators is not None:
            assert fig.layout.separators == separators, key
    assert rep.figures["summary"].layout.separators == separators
    assert rep.figures["by_age"].layout.title.text.startswith("Contacts par tranche d'âge")
    assert rep.figures["map_1"].layout.title.text.startswith("Coût par département : Oise")


def test_a_report_keeps_its_language(reports):
    rep_fr, page_fr, _ = reports["fr"]
    with use_lang("en"):  # written later, in another language: still French
        assert rep_fr.to_html() == page_fr
        assert "bac à sable hors ligne" in rep_fr.synthetic_text
        assert "Rapport de comparaison des coûts" in rep_fr.footer
    rep_en, page_en, _ = reports["en"]
    with use_lang("fr"):
        assert rep_en.to_html() == page_en


def test_the_language_in_force_is_the_default(client):
    scen = SCENARIOS[:1]
    with use_lang("fr"):
        rep = build_report(client, scenarios=scen, interests=[14])
    assert rep.lang == "fr" and rep.sections[0].title == "Scénarios"
    assert rep.message_text.startswith("Soldes de printemps")  # the demo message too
    assert rep.message.parts == 1


def test_an_unknown_language_is_refused_before_any_call():
    class NoCalls:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"client.{name} used")

    with pytest.raises(ValueError, match=r"lang: 'de' .* allowed: en, fr"):
        build_report(NoCalls(), scenarios=SCENARIOS, lang="de")


# -- the workbook ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang, sheets", [("fr", FRENCH_SHEETS), ("en", ENGLISH_SHEETS)])
def test_sheet_names_are_words_of_the_language(reports, lang, sheets):
    rep, _, book = reports[lang]
    assert book.sheetnames == sheets
    with use_lang(lang):
        assert [sheet_name(k) for k in rep.tables] == sheets
    for name in book.sheetnames:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
        assert "_" not in name
    assert set(SHEET_NAMES) == set(rep.tables)


def test_headers_are_in_the_language(reports):
    fr = reports["fr"][2]
    en = reports["en"][2]
    assert [c.value for c in fr["Synthèse"][2]][:1] == ["Scénario"]
    assert "Volume (contacts)" in [c.value for c in en["Summary"][2]]
    windows_fr = [c.value for c in fr["Fenêtres d'envoi"][2]]
    windows_en = [c.value for c in en["Send windows"][2]]
    assert "Fenêtre (heure de Paris)" in windows_fr and "Paris window" in windows_en
    assert "Fuseau horaire" in windows_fr and "Time zone" in windows_en
    assert fr["Synthèse"]["A1"].value == reports["fr"][0].synthetic_text
    assert "bac à sable" in fr["Synthèse"]["A1"].value
    assert en["Summary"]["A1"].value == reports["en"][0].synthetic_text
    assert "offline sandbox" in en["Summary"]["A1"].value


def _column(ws, header: str) -> int:
    return [c.value for c in ws[2]].index(header) + 1


@pytest.mark.parametrize(
    "lang, sheet, date_header", [("fr", "Fenêtres d'envoi", "Date"), ("en", "Send windows", "Date")]
)
def test_dates_are_real_dates_with_a_date_format(reports, lang, sheet, date_header):
    book = reports[lang][2]
    ws = book[sheet]
    cell = ws.cell(row=3, column=_column(ws, date_header))
    assert isinstance(cell.value, (datetime.datetime, datetime.date))
    assert cell.value.date() if isinstance(cell.value, datetime.datetime) else cell.value
    assert cell.is_date and cell.number_format == DATE_FORMAT
    assert cell.value.date() == datetime.date(2026, 11, 1)
    changes = book[sheet_name_in(lang, "drift")]
    quoted = changes.cell(row=3, column=_column(changes, header_in(lang, "quoted_before")))
    assert quoted.is_date and quoted.value.date() == datetime.date(2026, 8, 15)


def sheet_name_in(lang: str, key: str) -> str:
    with use_lang(lang):
        return sheet_name(key)


def header_in(lang: str, column: str) -> str:
    from smsp_analytics.report.columns import header

    with use_lang(lang):
        return header(column)


@pytest.mark.parametrize(
    "lang, money, unit",
    [("fr", FR_EUR_FORMAT, FR_UNIT_EUR_FORMAT), ("en", EUR_FORMAT, UNIT_EUR_FORMAT)],
)
def test_money_and_counts_are_numbers_with_formats(reports, lang, money, unit):
    rep, _, book = reports[lang]
    ws = book[sheet_name_in(lang, "campaign")]
    table = rep.tables["campaign"]
    total = ws.cell(row=3, column=_column(ws, header_in(lang, "total_cost_eur")))
    assert isinstance(total.value, float) and total.value == pytest.approx(
        table.loc[0, "total_cost_eur"]
    )
    assert total.number_format == money and "€" in money
    price = ws.cell(row=3, column=_column(ws, header_in(lang, "price_per_sms_eur")))
    assert price.value == pytest.approx(0.038) and price.number_format == unit
    volume = ws.cell(row=3, column=_column(ws, header_in(lang, "volume")))
    assert isinstance(volume.value, int) and volume.number_format == INT_FORMAT
    if lang == "fr":  # the euro sign after the amount, as French writes it
        assert money.endswith('"€"') and not money.startswith('"€"')


def test_workbook_properties_speak_the_language(reports):
    fr = reports["fr"][2].properties
    assert fr.language == "fr" and "Scénarios" in fr.description
    assert "comparaison des coûts" in fr.keywords
    en = reports["en"][2].properties
    assert en.language == "en" and "Scenarios" in en.description


# -- the command ------------------------------------------------------------------------------


def test_smsp_report_lang_fr(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.setenv("SMSP_HISTORY_URL", f"sqlite:///{tmp_path / 'history.sqlite'}")
    out, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    assert main(["--lang", "fr", "--out", str(out), "--xlsx", str(xlsx)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"écrit : {out} (") and "octets" in lines[0]
    assert "scénarios comparés" in lines[2]
    assert not COMMA_THOUSANDS.search(lines[0]) and not EURO_FIRST.search(lines[2])
    assert out.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Synthèse"
    assert main(["--lang", "de", "--out", str(out)]) == 2
    capsys.readouterr()
    # --lang is read first: the other options' errors are French too, and it ends with the
    # command (the next caller reads English again)
    assert main(["--budget", "0", "--lang", "fr", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp report : erreur :") and "un nombre d'euros > 0" in err
    assert get_lang() == "en"
