"""Issue 17 on the command line: `smsp --lang fr` (or SMSP_LANG=fr, or `--lang fr` after the
command) speaks French with French numbers; English reads as before. A quote, a rent consent
typed in French, errors, the CSV dialect, against the sandbox over HTTP."""

from __future__ import annotations

import io
import os
import re

import pytest

from smsp_analytics.cli.consent import consented
from smsp_analytics.cli.main import main
from smsp_analytics.display import parse_number
from smsp_analytics.i18n import use_lang

QUOTE = ["calcul", "--gender", "women", "--age", "25-35", "--interest", "14", "--departments"]
# An amount in English writing: "€" before a digit, a comma between thousands, a decimal point.
ENGLISH_MONEY = re.compile(r"€\d|(?<![\d,])[1-9]\d{0,2}(,\d{3})+(?!\d)|\d\.\d{2,3}(?!\d)")
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("how", ["group", "command", "env"])
def test_a_quote_in_french_has_french_numbers_and_words(cli_env, capsys, monkeypatch, how) -> None:
    argv = [*QUOTE, "60,02"]
    if how == "group":
        argv = ["--lang", "fr", *argv]
    elif how == "command":
        argv = [*argv, "--lang", "fr"]
    else:
        monkeypatch.setenv("SMSP_LANG", "fr")
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert not ENGLISH_MONEY.search(out + err), out + err
    assert out.splitlines()[0].split() == [
        "type",
        "localité",
        "département",
        "volume",
        "coût",
        "unitaire",
        "coût",
    ]
    assert f"0,090{NBSP}€" in out and "département" in out.splitlines()[1]
    assert "ciblage : femmes, 25-35" in err and "total : " in err
    assert f"{NBSP}€ à 0,090{NBSP}€ par contact" in err
    # The same quote in English reads as before, with the same numbers.
    monkeypatch.setenv("SMSP_LANG", "en")
    assert main([*QUOTE, "60,02"]) == 0
    en_out, en_err = capsys.readouterr()
    assert en_out.splitlines()[0].split()[:3] == ["locality_type", "locality", "department"]
    assert "€0.090" in en_out and "targeting: women, 25-35" in en_err
    line = [x for x in en_err.splitlines() if x.startswith("total: ")][0]
    assert re.fullmatch(r"total: [\d,]+ contacts, €[\d,]+\.\d\d at €0\.090 per contact", line)
    count_en, cost_en = line.removeprefix("total: ").split(" contacts, ")
    fr_line = [x for x in err.splitlines() if x.startswith("total : ")][0]
    count_fr, cost_fr = fr_line.removeprefix("total : ").split(" contacts, ")
    assert NNBSP in count_fr or len(count_fr) <= 3
    with use_lang("fr"):
        assert parse_number(count_fr) == parse_number(count_en.replace(",", ""))
        assert parse_number(cost_fr.split(" à ")[0]) == parse_number(
            cost_en.split(" at ")[0].replace(",", "")
        )


def test_tables_and_dates_of_the_send_windows_in_french(capsys) -> None:
    argv = ["windows", "--departments", "57", "--start", "2026-04-02", "--days", "2"]
    assert main(["--lang", "fr", *argv]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["département", "date", "jour", "ouvert"]
    assert "57 Moselle 03/04/2026 ven.  fermé" in out
    assert "prochain envoi à partir du jeu. 2 avr. 2026 :" in out
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "57 Moselle 2026-04-03 Fri closed" in out and "next send from Thu 2026-04-02:" in out


RENT = ["rent", "--interest", "14", "--departments", "60", "--volumes", "60=100"]  # 9.00 EUR


@pytest.mark.parametrize("typed", ["9,00", "9.00", "9,00 €", "9", "oui", "OUI", "yes"])
def test_a_rent_consent_typed_in_french(cli_env, capsys, monkeypatch, typed) -> None:
    cli_env.reset()
    monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    try:
        assert main(["--lang", "fr", *RENT]) == 0
    finally:
        err = capsys.readouterr().err
        cli_env.reset()
    assert (
        f"Devis : 100 contacts (hommes et femmes, 18-98 ans, intérêt 14, département 60) pour 9,00{NBSP}€"
        in err
    )
    assert "Tapez 9,00 ou « oui » pour louer : " in err
    assert "loué : jeton " in err and f", 9,00{NBSP}€ (entrée 1 du journal)" in err
    assert not ENGLISH_MONEY.search(err)


@pytest.mark.parametrize("typed", ["9,01", "non", "o", "y", "", "9,001", "neuf"])
def test_anything_but_the_amount_or_an_explicit_yes_declines(
    cli_env, capsys, monkeypatch, typed
) -> None:
    cli_env.reset()
    monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    assert main(["--lang", "fr", *RENT]) == 1
    err = capsys.readouterr().err
    assert "smsp rent : non confirmé ; rien n'est loué" in err
    assert "rent" not in cli_env.stats()  # nothing was sent to the rent endpoint


def test_the_english_prompt_reads_as_before_and_takes_either_writing(
    cli_env, capsys, monkeypatch
) -> None:
    cli_env.reset()
    monkeypatch.setattr("sys.stdin", io.StringIO("9,00\n"))
    try:
        assert main(RENT) == 0
    finally:
        err = capsys.readouterr().err
        cli_env.reset()
    assert "Quote: 100 contacts (men and women, 18-98, interest 14, department 60) for €9.00" in err
    assert "Type 9.00 or 'yes' to rent: " in err and "rented: token " in err


@pytest.mark.parametrize(
    ("typed", "cost", "lang", "ok"),
    [
        ("9 000", 9000, "fr", True),
        ("9\u202f000,00", 9000, "fr", True),
        ("9 000,00 €", 9000, "en", True),
        ("9,000.00", 9000, "fr", True),  # both marks: unambiguous
        ("9.000,00", 9000, "en", True),
        ("1,234", 1234, "en", True),  # English grouping
        ("1,234", 1234, "fr", False),  # French: 1.234, not the amount
        ("1 234,5", 1234.5, "fr", True),
        ("1234.567", 1234.57, "en", False),  # more than cents: never rounded into a yes
        ("-9,00", 9, "fr", False),
    ],
)
def test_amounts_in_either_writing(typed, cost, lang, ok) -> None:
    with use_lang(lang):
        assert consented(typed, cost) is ok


def test_errors_in_french_and_in_english(cli_env, capsys) -> None:
    argv = ["calcul", "--interest", "14", "--departments", "999", "--age", "90-20"]
    assert main(["--lang", "fr", *argv]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "smsp calcul : erreur : --age: le minimum (90) dépasse le maximum (20)",
        "smsp calcul : erreur : --departments: '999' n'est pas un code de département ; "
        "valeurs permises : 01..95, 2A, 2B, 971..976",
    ]
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "smsp calcul: error: --age: the minimum (90) is above the maximum (20)"
    )
    assert main(["--lang", "fr", "calcul", "--format", "xml", "--interest", "14"]) == 2
    assert capsys.readouterr().err.startswith(
        "smsp calcul : erreur : Valeur invalide pour '--format'"
    )
    assert main(["--lang", "fr", "calculus"]) == 2
    assert "Vouliez-vous dire 'calcul' ?" in capsys.readouterr().err
    # An API error: its code and HTTP status, in the frame of the language.
    assert main(["--lang", "fr", "status", "0" * 32]) == 1
    err = capsys.readouterr().err
    assert err.startswith("smsp status: [code 32] TOKEN") and "(HTTP 404)" in err


def test_an_unknown_smsp_lang_is_one_line_naming_it(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SMSP_LANG", "de")
    assert main(["credits"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp: error: SMSP_LANG: 'de'") and len(err.splitlines()) == 1
    assert main(["--lang", "de", "credits"]) == 2  # click's own check of the choice


def test_the_no_key_notice_in_french(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["--lang", "fr", "credits", "--format", "json"]) == 0
    (first,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("smsp")]
    assert first.startswith("smsp : sans SMSPARTNER_API_KEY") and len(first) < 80
    assert main(["--lang", "fr", "credits"]) == 0
    out, err = capsys.readouterr()
    assert "(bac à sable)" in err.splitlines() and "solde" in out.splitlines()[0]
    assert f"1{NNBSP}000,00{NBSP}€" in out or f"{NBSP}€" in out


def test_the_app_gets_the_language_for_its_call_only(capsys, monkeypatch) -> None:
    monkeypatch.delenv("SMSP_LANG", raising=False)
    before = dict(os.environ)
    assert main(["--lang", "fr", "app", "--print-command"]) == 0
    assert "SMSP_LANG=fr " in capsys.readouterr().out
    assert main(["app", "--print-command", "--lang", "en"]) == 0
    assert "SMSP_LANG=en " in capsys.readouterr().out
    assert dict(os.environ) == before


def test_the_csv_dialect_for_french_excel(cli_env, capsys, tmp_path) -> None:
    from smsp_analytics.cli.options import CSV_DIALECTS
    from smsp_analytics.exports import DIALECTS

    assert CSV_DIALECTS == DIALECTS
    argv = [*QUOTE, "60,02", "--format", "csv"]
    assert main(argv) == 0  # the default: for programs, whatever the language
    plain = capsys.readouterr().out
    assert plain.startswith("locality_type,locality,department,volume,unit_cost_eur,cost_eur,")
    assert ",0.09," in plain and ",True,sandbox," in plain
    assert main(["--lang", "fr", *argv]) == 0
    assert capsys.readouterr().out.startswith("locality_type,locality,")
    assert main([*argv, "--csv-dialect", "fr"]) == 0
    french = capsys.readouterr().out
    assert french.startswith("\ufefflocality_type;locality;department;volume;unit_cost_eur;")
    rows = [line.split(";") for line in french.splitlines()[1:]]
    assert [r[4] for r in rows] == ["0,09", "0,09"] and all(r[6] == "True" for r in rows)
    assert [r[3] for r in rows] == [line.split(",")[3] for line in plain.splitlines()[1:]]
    # A file written by a sweep: the same dialect, the byte-order mark first.
    out = tmp_path / "sweep.csv"
    sweep = ["sweep", "--interest", "14", "--departments", "60", "--by", "gender=women,men"]
    assert main([*sweep, "--no-progress", "--out", str(out), "--csv-dialect", "fr"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfgender;") and b";True;sandbox;" in data
    assert main([*sweep, "--format", "csv", "--csv-dialect", "xx"]) == 2
    assert "--csv-dialect" in capsys.readouterr().err
