"""Issue 19 in the report: the basis of the price per SMS, the account's sending history,
and the cleaning funnel of the numbers rented (rented -> after the account's STOP list ->
valid mobiles), over real HTTP against the sandbox, in both languages.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.errors import TargetingError
from smsp_analytics.report import Scenario, build_report, main
from smsp_analytics.report.excel import sheet_name
from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

KEY = "sk-account-report-test-51ab"
SCENARIOS = [Scenario.of("Oise", interest=14, departments=["60"])]


@pytest.fixture(scope="module")
def sandbox():
    sb = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date=REFERENCE_DATE)
    sb.start()
    yield sb
    sb.stop()


@pytest.fixture(scope="module")
def client(sandbox):
    with Client(KEY, base_url=sandbox.base_url, cache=False, history=False) as c:
        yield c


@pytest.fixture(scope="module")
def stopped(client) -> list[str]:
    """Three numbers of the account's STOP list."""
    return list(client.stop_list()["phone_number"][:3])


@pytest.fixture(scope="module")
def numbers(stopped) -> list[str]:
    """Rented numbers: 3 on the STOP list, 4 mobiles (one twice, in another writing), a
    fixed line and one that is no number at all."""
    mobiles = ["0612345678", "0698765432", "+33611223344", "0700000001"]
    return [*stopped, *mobiles, "06 12 34 56 78", "0145678901", "not a number"]


@pytest.fixture(scope="module")
def account_report(client, numbers):
    return build_report(
        client, scenarios=SCENARIOS, interests=[14], price_per_sms="account", numbers=numbers
    )


def _section(rep, key):
    return next(s for s in rep.sections if s.key == key)


def _twelve_months(client) -> tuple[int, float]:
    costs = client.sending_costs("last_twelve_months")
    return int(costs["sms_sent"].sum()), float(costs["cost_eur"].sum())


# -- the price and its basis ------------------------------------------------------------------


def test_price_account_is_the_average_over_twelve_months_and_says_so(account_report, client):
    sms, cost = _twelve_months(client)
    basis = account_report.price_basis
    assert basis["kind"] == "account" and basis["sms_sent"] == sms
    assert account_report.price_per_sms == pytest.approx(cost / sms)
    table = account_report.tables["campaign"]
    assert table.loc[0, "price_per_sms_eur"] == pytest.approx(cost / sms)
    sending = table.loc[0, "volume"] * (cost / sms)  # one SMS per contact
    assert table.loc[0, "sending_cost_eur"] == pytest.approx(sending, abs=0.01)
    intro = _section(account_report, "campaign").intro
    assert f"at €{cost / sms:.3f} per SMS: the account's average from Dec 2025 to Nov 2026" in intro
    assert f"({sms:,} SMS for €{cost:,.2f})" in intro
    about = dict(
        zip(account_report.tables["about"]["field"], account_report.tables["about"]["value"])
    )
    assert about["price basis"].startswith(f"€{cost / sms:.3f} per SMS: the account's average")


def test_the_basis_of_a_given_and_of_the_default_price(client):
    given = build_report(client, scenarios=SCENARIOS, interests=[14], price_per_sms=0.045)
    assert given.price_basis["kind"] == "given"
    assert "at €0.045 per SMS: your price." in _section(given, "campaign").intro
    default = build_report(client, scenarios=SCENARIOS, interests=[14])
    assert default.price_basis["kind"] == "sandbox_default"
    assert "at €0.038 per SMS: the sandbox's default price." in _section(default, "campaign").intro


def test_a_bad_price_is_refused_before_any_call(client):
    for bad in ("acount", -1, 0, float("nan"), True):
        with pytest.raises(ValueError, match=r"price_per_sms: invalid value .*'account'"):
            build_report(client, scenarios=SCENARIOS, price_per_sms=bad)


# -- the sending history ------------------------------------------------------------------------


def test_the_sending_history_section(account_report, client):
    sms, cost = _twelve_months(client)
    table = account_report.tables["sending_costs"]
    assert list(table.columns) == ["month", "sms_sent", "cost_eur", "cost_per_sms_eur"]
    assert len(table) == 12 and int(table["sms_sent"].sum()) == sms
    assert str(table["month"].iloc[-1].date()) == "2026-11-01"
    section = _section(account_report, "sending")
    assert section.title == "What sending cost this account"
    assert f"{sms:,} SMS for €{cost:,.2f}" in section.intro
    fig = account_report.figures["sending_costs"]
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    assert "SYNTHETIC DATA" in fig.to_json()


def test_no_sending_history_no_section_and_no_account_price(tmp_path):
    quiet = Sandbox(
        api_key=KEY, seed=0, rental_delay=0.0, date=REFERENCE_DATE, sending_history=False
    )
    quiet.start()
    try:
        with Client(KEY, base_url=quiet.base_url, cache=False, history=False) as c:
            rep = build_report(c, scenarios=SCENARIOS, interests=[14])
            assert "sending_costs" not in rep.tables and "sending" not in [
                s.key for s in rep.sections
            ]
            with pytest.raises(TargetingError) as caught:
                build_report(c, scenarios=SCENARIOS, interests=[14], price_per_sms="account")
            assert caught.value.field == "price_per_sms"
            assert "pass your price per SMS" in str(caught.value)
    finally:
        quiet.stop()


# -- the cleaning funnel ------------------------------------------------------------------------


def test_the_cleaning_funnel_of_the_rented_numbers(account_report, numbers):
    table = account_report.tables["cleaning"]
    assert table.attrs["steps"] == [
        "rented",
        "distinct_readable",
        "after_stop_list",
        "valid_mobiles",
    ]
    assert list(table["step"]) == [
        "rented numbers",
        "distinct readable numbers",
        "after the account's STOP list",
        "valid mobiles (number check)",
    ]
    # 10 given; a duplicate and an unreadable one dropped; 3 on the STOP list; the fixed
    # line is no mobile
    assert list(table["contacts"]) == [len(numbers), 8, 5, 4]
    assert list(table["removed"]) == [0, 2, 3, 1]
    assert table["share"].iloc[-1] == pytest.approx(4 / len(numbers))
    section = _section(account_report, "cleaning")
    assert section.title == "Who can really be messaged"
    assert section.intro.startswith(f"Of the {len(numbers)} numbers you rented, 4 (40.0%)")
    price = account_report.price_per_sms
    assert f"costs €{round(4 * price, 2):.2f} (1 SMS each at €{price:.3f} per SMS)" in section.intro
    page = account_report.to_html()
    assert 'id="table-cleaning"' in page and "after the account&#x27;s STOP list" in page


def test_without_the_check_the_funnel_stops_at_the_stop_list(client, numbers):
    rep = build_report(
        client, scenarios=SCENARIOS, interests=[14], numbers=numbers, check_numbers=False
    )
    table = rep.tables["cleaning"]
    assert table.attrs["steps"][-1] == "after_stop_list" and table["contacts"].iloc[-1] == 5
    assert "(the numbers were not checked)" in _section(rep, "cleaning").intro


def test_no_numbers_no_cleaning_section(account_report, client):
    rep = build_report(client, scenarios=SCENARIOS, interests=[14])
    assert "cleaning" not in rep.tables and "cleaning" not in [s.key for s in rep.sections]


def test_numbers_from_a_csv_file_and_bad_numbers_arguments(client, numbers, tmp_path):
    path = tmp_path / "rented.csv"
    path.write_text("name,phone_number\n" + "".join(f"x,{n}\n" for n in numbers), encoding="utf-8")
    rep = build_report(client, scenarios=SCENARIOS, interests=[14], numbers=str(path))
    assert list(rep.tables["cleaning"]["contacts"]) == [len(numbers), 8, 5, 4]
    with pytest.raises(ValueError, match=r"numbers: .*missing\.csv.* is not a readable CSV"):
        build_report(client, scenarios=SCENARIOS, numbers=str(tmp_path / "missing.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_text("phone_number\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"numbers: no number in"):
        build_report(client, scenarios=SCENARIOS, numbers=str(empty))


def test_the_funnel_in_french_and_in_the_workbook(client, numbers, tmp_path):
    rep = build_report(
        client,
        scenarios=SCENARIOS,
        interests=[14],
        numbers=numbers,
        price_per_sms="account",
        lang="fr",
    )
    assert list(rep.tables["cleaning"]["step"]) == [
        "numéros loués",
        "numéros distincts lisibles",
        "après la liste STOP du compte",
        "mobiles valides (vérification des numéros)",
    ]
    assert _section(rep, "cleaning").title == "Qui peut vraiment recevoir le message"
    assert re.search(
        r"à \d,\d{3}\u00a0€ par SMS : la moyenne du compte de déc\. 2025",
        (_section(rep, "campaign").intro),
    )
    book = openpyxl.load_workbook(rep.to_excel(tmp_path / "fr.xlsx"))
    ws = book["Nettoyage"]
    assert [c.value for c in ws[2]] == ["Étape", "Contacts", "Retirés", "Part"]
    assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)] == [len(numbers), 8, 5, 4]
    assert ws.cell(row=6, column=4).number_format == "0.0%"
    history = book["Historique d'envoi"]
    assert history.cell(row=3, column=1).is_date
    assert sheet_name("cleaning") == "Cleaning"  # English outside the French block


# -- the command ------------------------------------------------------------------------------


def test_smsp_report_numbers_and_price_account(tmp_path, capsys, monkeypatch, numbers):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.setenv("SMSP_HISTORY_URL", f"sqlite:///{tmp_path / 'history.sqlite'}")
    rented = tmp_path / "rented.csv"
    rented.write_text("phone_number\n0612345678\n0145678901\n", encoding="utf-8")
    out = tmp_path / "r.html"
    argv = ["--numbers", str(rented), "--price", "account", "--out", str(out)]
    assert main(argv) == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="table-cleaning"' in page and "the account&#x27;s average from" in page
    assert main(["--price", "free", "--out", str(out)]) == 2
    assert "--price" in capsys.readouterr().err
    assert main(["--numbers", str(tmp_path / "none.csv"), "--out", str(out)]) == 2
    assert "--numbers" in capsys.readouterr().err
