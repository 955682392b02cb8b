"""The cost comparison report: tables agree with the client, Excel and HTML writers, CLI.

Runs against a sandbox started here with a known key, so the tests can check that the key
never reaches the report, and against the no-key default (``build_report()`` / ``smsp
report``) as the README uses it.
"""

from __future__ import annotations

import datetime
import html
import inspect
import os
import re
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.display import column_title
from smsp_analytics.history import QuoteHistory, key_hash
from smsp_analytics.report import (
    DEFAULT_SCENARIOS,
    EXAMPLE_SCENARIOS,
    Report,
    Scenario,
    build_report,
    load_scenarios,
    main,
)
from smsp_analytics.report.excel import (
    DATE_FORMAT,
    EUR_FORMAT,
    INT_FORMAT,
    UNIT_EUR_FORMAT,
    sheet_name,
)
from smsp_analytics.report.html import figure_html
from smsp_analytics.report.scenario_file import load_scenario_file
from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox

KEY = "sk-report-test-7f3a9c2e5b1d"
TABLES = [
    "summary",
    "by_department",
    "by_age",
    "by_gender",
    "by_interest",
    "by_csp",
    "budget_plan",
    "campaign",
    "sending_costs",  # the account's sending history (issue 19): the sandbox has one
    "send_windows",
    "about",
]

#: The account's own data (issue 19): its sending history and the cleaning of the numbers
#: it rented belong to no scenario.
ACCOUNT_TABLES = {"sending_costs", "cleaning"}

#: Clients that record no quote history, once the client can keep one: the "What changed"
#: tests pass their history explicitly.
NO_HISTORY = {"history": False} if "history" in inspect.signature(Client).parameters else {}


@pytest.fixture(scope="module", autouse=True)
def own_history_store(tmp_path_factory):
    """Any quote history a client keeps by default goes to a file of this module, never to
    the user's data directory (whose earlier quotes would add a section to the reports)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "SMSP_HISTORY_URL", f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.sqlite'}"
        )
        yield


@pytest.fixture(scope="module")
def sandbox():
    # Not today's date. The account endpoints' "minute" lasts a second: the module's ~25
    # reports each read the sending history (5 reads a minute per key), and would otherwise
    # spend about 20 s waiting out the sandbox's 429s.
    sb = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date=REFERENCE_DATE, rate_window=1.0)
    sb.start()
    yield sb
    sb.stop()


@pytest.fixture(scope="module")
def client(sandbox):
    with Client(KEY, base_url=sandbox.base_url, cache=False) as c:
        yield c


@pytest.fixture(scope="module")
def example():
    return load_scenarios(EXAMPLE_SCENARIOS)


@pytest.fixture(scope="module")
def report(client, example) -> Report:
    title, scenarios = example
    return build_report(client, scenarios=scenarios, title=title, seed=0)


@pytest.fixture(scope="module")
def written(report, tmp_path_factory):
    d = tmp_path_factory.mktemp("written")
    html = d / "report.html"
    xlsx = d / "report.xlsx"
    report.to_html(html)
    report.to_excel(xlsx)
    return html, xlsx


# -- tables against the client ------------------------------------------------------------


def test_tables_and_figures_present(report):
    assert list(report.tables) == TABLES
    assert set(report.figures) == {
        "summary",
        "map_1",
        "map_2",
        "map_3",
        "by_department",
        "by_age",
        "by_gender",
        "by_interest",
        "by_csp",
        "budget_plan",
        "campaign_cost",
        "sending_costs",
        "send_windows",
    }
    assert report.synthetic is True and report.seed == 0
    for key, df in report.tables.items():
        assert isinstance(df, pd.DataFrame) and len(df) > 0, key


def test_scenario_totals_equal_client_calcul(report, client, example):
    summary = report.tables["summary"].set_index("scenario")
    assert list(summary.index) == [s.name for s in example[1]]
    for s in report.scenarios:
        frame = client.calcul(s.targeting)
        row = summary.loc[s.name]
        assert row["volume"] == int(frame.attrs["total_quantity"])
        assert row["cost_eur"] == pytest.approx(float(frame.attrs["total_cost_eur"]), abs=1e-9)
        assert row["unit_cost_eur"] == pytest.approx(float(frame.attrs["unit_cost_eur"]))
        # cost = volume x unit price, rounded to the cent
        assert row["cost_eur"] == pytest.approx(round(row["volume"] * row["unit_cost_eur"], 2))


def test_departments_add_up_to_the_scenario(report, client):
    dep = report.tables["by_department"]
    summary = report.tables["summary"].set_index("scenario")
    for s in report.scenarios:
        part = dep[dep["scenario"] == s.name]
        assert list(part["department"]) == list(s.targeting.departments)
        assert part["volume"].sum() == summary.loc[s.name, "volume"]
        assert part["cost_eur"].sum() == pytest.approx(
            summary.loc[s.name, "cost_eur"], abs=0.01 * len(part)
        )
        # each department row is the client's own number for that department
        frame = client.calcul(s.targeting).set_index("locality")
        for d, v in zip(part["department"], part["volume"]):
            assert v == frame.loc[d, "volume"]


def test_breakdowns_hold_the_scenario_itself(report, client):
    summary = report.tables["summary"].set_index("scenario")
    gender = report.tables["by_gender"].set_index(["scenario", "gender"])
    csp = report.tables["by_csp"].set_index(["scenario", "csp"])
    interest = report.tables["by_interest"].set_index(["scenario", "interest"])
    age = report.tables["by_age"]
    labels = {"f": "women", "h": "men", "m": "men and women"}
    for s in report.scenarios:
        t = s.targeting
        total = summary.loc[s.name, "volume"]
        assert gender.loc[(s.name, labels[t.gender]), "volume"] == total
        cat = {None: "All", 102: "CSP+", 103: "CSP-"}[t.category]
        assert csp.loc[(s.name, cat), "volume"] == total
        if t.sub_interest is None and t.interest is not None:
            assert interest.loc[(s.name, t.interest), "volume"] == total
            assert interest.loc[(s.name, t.interest), "interest_name"] == "Habitation"
        # age bands split the scenario's range: they cover it and add up (to rounding)
        bands = age[age["scenario"] == s.name]
        assert bands["age_band"].iloc[0].split("-")[0] == str(t.age[0])
        assert bands["age_band"].iloc[-1].split("-")[1] == str(t.age[1])
        assert abs(int(bands["volume"].sum()) - int(total)) <= len(bands) * len(t.departments)
        # and one band is exactly the client's calcul for that band
        lo, hi = (int(x) for x in bands["age_band"].iloc[0].split("-"))
        import dataclasses

        one = client.calcul(dataclasses.replace(t, age=(lo, hi)))
        assert bands["volume"].iloc[0] == int(one.attrs["total_quantity"])


def test_budget_plan_spends_the_budget_and_matches_a_price_quote(report, client):
    plan = report.tables["budget_plan"]
    for s in report.scenarios:
        part = plan[plan["scenario"] == s.name]
        assert (part["planned_volume"] <= part["available"]).all()
        spent = part["planned_cost_eur"].sum()
        assert spent <= report.budget_eur + 1e-9
        unit = float(part["unit_cost_eur"].iloc[0])
        if part["planned_volume"].sum() < part["available"].sum():
            assert spent >= report.budget_eur - unit * (len(part) + 1)
        else:  # a small audience: all of it, for less than the budget
            assert spent == pytest.approx(part["available"].sum() * unit, abs=0.01 * len(part))
        volumes = dict(zip(part["department"], part["planned_volume"].astype(int)))
        quote = client.price(s.targeting, volumes)
        assert float(quote.attrs["total_cost_eur"]) == pytest.approx(spent, abs=0.01 * len(part))
        assert int(quote.attrs["total_quantity"]) == part["planned_volume"].sum()


def test_custom_scenarios_and_budget(client):
    rep = build_report(
        client,
        scenarios=[
            Scenario.of("Oise women", gender="f", age=(30, 40), interest=14, departments=["60"])
        ],
        budget_eur=100.0,
        interests=[12, 14],
    )
    assert list(rep.tables["summary"]["scenario"]) == ["Oise women"]
    assert rep.tables["budget_plan"]["planned_cost_eur"].sum() <= 100.0
    assert list(rep.tables["by_interest"]["interest"]) == [12, 14]
    # an interest the catalogue names not: the toolkit's placeholder, in the language
    # (issue 17); Habitation is the vendor's own name
    assert list(rep.tables["by_interest"]["interest_name"]) == [
        "Interest 12 (name unknown)",
        "Habitation",
    ]
    with pytest.raises(ValueError):
        build_report(client, scenarios=[])


# -- figures ------------------------------------------------------------------------------


def test_figures_are_offline_and_marked(report):
    for key, fig in report.figures.items():
        assert isinstance(fig, go.Figure), key
        types = {t.type for t in fig.data}
        assert not types & {
            "choropleth",
            "scattergeo",
            "choroplethmap",
            "scattermap",
            "choroplethmapbox",
            "scattermapbox",
        }, (key, types)
        texts = [a.text for a in fig.layout.annotations]
        assert "SYNTHETIC DATA (sandbox)" in texts, key


def test_geo_figures_are_refused():
    fig = go.Figure(go.Choropleth(locations=["FRA"], z=[1]))
    with pytest.raises(ValueError, match="network"):
        figure_html(fig, "geo")


# -- HTML ---------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_html_has_no_cdn_and_embeds_plotly_once(written):
    text = written[0].read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        for name in ("src", "href", "data", "srcset", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http://", "https://", "//")), (tag, attrs)
        assert tag not in {"iframe", "img", "object", "embed"}, tag
        if tag == "script":
            assert "src" not in attrs, attrs
        if tag == "link":
            assert attrs.get("rel") not in ("stylesheet", "preconnect", "preload"), attrs
    assert not re.search(r"<(script|link)[^>]+(src|href)\s*=\s*[\"']?https?://", text, re.I)
    assert "@import" not in text and "fonts.googleapis" not in text and "@font-face" not in text
    big = [s for s in parser.scripts if "plotly.js" in s[:2000].lower() and len(s) > 1_000_000]
    assert len(big) == 1, "plotly.js must be inline exactly once"
    assert text.count("Plotly.newPlot(") == len(
        [t for t, a in parser.tags if t == "div" and "plotly-graph-div" in a.get("class", "")]
    )


def test_html_carries_the_synthetic_mark_method_and_source(written, report):
    text = written[0].read_text(encoding="utf-8")
    assert 'id="synthetic-banner"' in text
    assert "SYNTHETIC DATA (sandbox), seed 0" in text
    assert text.count('class="synthetic-badge"') >= len(report.sections)
    for words in (
        "calcul",
        "price",
        "Unit price",
        "rounded half-up",
        "Budget plan",
        "Data source",
        "INSEE",
        "CC-BY-4.0",
    ):
        assert words in text, words
    for key in TABLES:
        assert f'id="table-{key}"' in text
    # euros and counts in house style in the tables
    first = report.tables["summary"].iloc[0]
    assert f"€{first['cost_eur']:,.2f}" in text
    assert f"{int(first['volume']):,}" in text


def test_html_is_deterministic(report, client, example, tmp_path):
    again = build_report(client, scenarios=example[1], title=example[0], seed=0)
    assert again.to_html() == report.to_html()
    # No fetch time: the only date-times are the send-window chart's, in the week shown
    # from the sandbox's fixed clock.
    week = {str(d.date()) for d in pd.date_range(report.send_start, periods=8)}
    stamps = re.findall(r"(20\d\d-\d\d-\d\d)[T ]\d\d:\d\d", report.to_html()[-400_000:])
    assert set(stamps) <= week, set(stamps) - week


def test_excel_is_byte_for_byte_reproducible(report, tmp_path):
    import time

    first = report.to_excel(tmp_path / "a.xlsx").read_bytes()
    time.sleep(2.1)  # zip entry times have a 2-second resolution: cross a boundary
    assert report.to_excel(tmp_path / "b.xlsx").read_bytes() == first


def test_live_data_has_no_synthetic_mark(sandbox):
    with Client(KEY, base_url=sandbox.base_url, cache=False, synthetic=False) as live:
        rep = build_report(
            live, scenarios=DEFAULT_SCENARIOS[:1], interests=[14], price_per_sms=0.038
        )
    text = rep.to_html()
    assert rep.synthetic is False
    assert 'id="synthetic-banner"' not in text and "SYNTHETIC DATA" not in text.split("</head>")[1]


def test_the_key_never_appears(report, written, client):
    html, xlsx = written
    assert KEY not in html.read_text(encoding="utf-8")
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            assert KEY.encode() not in z.read(name), name
    for df in report.tables.values():
        assert KEY not in df.to_csv()
    for fig in report.figures.values():
        assert KEY not in fig.to_json()
    assert KEY not in repr(report)


# -- Excel --------------------------------------------------------------------------------


def test_excel_one_sheet_per_table_with_headers_values_and_formats(written, report):
    wb = openpyxl.load_workbook(written[1])
    assert wb.sheetnames == [sheet_name(k) for k in report.tables]
    for key, df in report.tables.items():
        ws = wb[sheet_name(key)]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0].startswith("SYNTHETIC DATA (sandbox), seed 0")
        assert list(rows[1]) == [column_title(c) for c in df.columns]
        assert len(rows) == len(df) + 2
        for r, rec in enumerate(df.itertuples(index=False, name=None), start=3):
            for c, (col, value) in enumerate(zip(df.columns, rec), start=1):
                cell = ws.cell(row=r, column=c)
                if col.endswith("_eur") and pd.isna(value):
                    assert cell.value is None, (key, col)  # no SMS that month: no price
                elif col.endswith("_eur"):
                    # a number (2637.0 reads back as 2637), never a text
                    assert isinstance(cell.value, (int, float)) and not isinstance(
                        cell.value, bool
                    ), (key, col, cell.value)
                    assert cell.value == pytest.approx(float(value))
                    # unit prices (per contact, per SMS) read with three decimals
                    unit = col.startswith("unit_") or col in (
                        "price_per_sms_eur",
                        "cost_per_contact_eur",
                        "cost_per_sms_eur",
                    )
                    assert cell.number_format == (UNIT_EUR_FORMAT if unit else EUR_FORMAT)
                    assert "€" in cell.number_format
                elif col in ("volume", "available", "planned_volume", "sms_sent"):
                    assert isinstance(cell.value, int) and cell.value == int(value)
                    assert cell.number_format == INT_FORMAT
                elif isinstance(value, datetime.date):
                    # a real date (openpyxl reads it back as a midnight datetime) shown in
                    # the reader's short date format
                    assert cell.is_date, (key, col)
                    assert pd.Timestamp(cell.value) == pd.Timestamp(value), (key, col)
                    assert cell.number_format == DATE_FORMAT
                else:
                    assert (cell.value or "") == (value or ""), (key, col)
    # sheet names are words (issue 17), no longer the tables' snake_case keys
    assert wb.sheetnames[:3] == ["Summary", "By department", "By age band"]
    summary = wb["Summary"]
    assert summary.freeze_panes == "A3"


# -- CLI ----------------------------------------------------------------------------------


def test_cli_main_writes_both_files(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    out, xlsx = tmp_path / "r.html", tmp_path / "sub" / "r.xlsx"
    assert main(["--out", str(out), "--xlsx", str(xlsx), "--seed", "3"]) == 0
    printed = capsys.readouterr()
    lines = printed.out.strip().splitlines()
    assert lines[0].startswith(f"wrote {out}") and lines[1] == f"wrote {xlsx}"
    assert lines[2].startswith("SYNTHETIC DATA (sandbox, seed 3). 4 scenarios compared")
    assert len(lines) == 3
    assert out.stat().st_size > 1_000_000 and xlsx.exists()
    assert "seed 3" in out.read_text(encoding="utf-8")
    assert main(["--budget", "0", "--out", str(out)]) == 2


def test_smsp_report_command_on_a_fresh_install(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SMSPARTNER_API_KEY", "SMSPARTNER_BASE_URL")
    }
    smsp = Path(sys.executable).with_name("smsp")
    cmd = [str(smsp)] if smsp.exists() else [sys.executable, "-m", "smsp_analytics.cli.main"]
    proc = subprocess.run(
        cmd + ["report", "--out", "report.html", "--xlsx", "report.xlsx"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "report.html").exists() and (tmp_path / "report.xlsx").exists()
    assert "wrote report.html" in proc.stdout and "wrote report.xlsx" in proc.stdout
    assert "SYNTHETIC DATA (sandbox, seed 0)" in proc.stdout
    # the no-key sandbox's random key (sbx-...) is never printed, and nothing goes to stderr
    assert not re.search(r"sbx-[0-9a-f]{8,}", proc.stdout + proc.stderr)
    assert "http://127.0.0.1" not in proc.stdout
    # default seed 0: the same bytes as the library's default report reading the store the
    # commands record into (this module's, empty of these scenarios: the report says so)
    store = QuoteHistory.open(True)
    try:
        expected = build_report(history=store).to_html()
    finally:
        store.close()
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == expected
    assert f"no earlier quote of these scenarios in the quote history ({store.url})" in expected


def test_cli_help_and_usage_errors_return_their_status(capsys):
    assert main(["--help"]) == 0
    assert "--scenarios" in capsys.readouterr().out
    assert main(["--no-such-option"]) == 2


def test_the_seed_changes_the_synthetic_numbers(report):
    other = build_report(seed=1, scenarios=DEFAULT_SCENARIOS[:1], interests=[14])
    assert other.seed == 1 and "seed 1" in other.synthetic_text
    first = report.tables["summary"].iloc[0]
    assert other.tables["summary"].iloc[0]["volume"] != first["volume"]


def test_python_dash_m_entry_point(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SMSPARTNER_API_KEY"}
    proc = subprocess.run(
        [sys.executable, "-m", "smsp_analytics.report", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0 and "--xlsx" in proc.stdout


# -- the analyst's scenarios file ---------------------------------------------------------

VALID = """\
title = "Spring campaign"
[[scenario]]
name = "Women 25-34, Oise"
gender = "women"
age = [25, 34]
interest = 14
sub_interest = 35
departments = ["60"]
[[scenario]]
name = "Everyone 35-49, Hauts-de-France"
age = [35, 49]
interest = 14
region = "Hauts-de-France"
[[scenario]]
name = "CSP- men, two zip codes"
gender = "H"
category = "CSP-"
interest = 14
zipcodes = ["60200", "75011"]
"""


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "scenarios.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_scenarios_file_valid(tmp_path):
    title, scenarios = load_scenarios(_write(tmp_path, VALID))
    assert title == "Spring campaign"
    assert [s.name for s in scenarios] == [
        "Women 25-34, Oise",
        "Everyone 35-49, Hauts-de-France",
        "CSP- men, two zip codes",
    ]
    women, everyone, men = (s.targeting for s in scenarios)
    assert (women.gender, women.age, women.interest, women.sub_interest, women.departments) == (
        "f",
        (25, 34),
        14,
        35,
        ("60",),
    )
    assert everyone.gender == "m" and everyone.departments == ("02", "59", "60", "62", "80")
    assert men.gender == "h" and men.category == 103 and men.zipcodes == ("60200", "75011")


def test_the_shipped_example_is_the_repository_example():
    root = Path(__file__).resolve().parents[2]
    assert (root / "examples" / "scenarios.toml").read_text(
        encoding="utf-8"
    ) == EXAMPLE_SCENARIOS.read_text(encoding="utf-8")
    title, scenarios = load_scenarios(root / "examples" / "scenarios.toml")
    assert title and len(scenarios) >= 2


# One scenario per case: (the scenario's lines, the field named, its value in the message).
INVALID = {
    "unknown field": ('colour = "red"', "colour", "'red'"),
    "gender": ('gender = "x"', "gender", "'x'"),
    "age below 18": ("age = [10, 30]", "age", "[10, 30]"),
    "age reversed": ("age = [40, 30]", "age", "[40, 30]"),
    "age not a pair": ("age = [30]", "age", "[30]"),
    "age not numbers": ('age = ["a", "b"]', "age", "['a', 'b']"),
    "interest": ('interest = "abc"', "interest", "'abc'"),
    "sub_interest": ("sub_interest = -2", "sub_interest", "-2"),
    "category": ('category = "CSP?"', "category", "'CSP?'"),
    "departments": ('departments = ["999"]', "departments", "999"),
    "departments not a list": ('departments = "60"', "departments", "'60'"),
    "zipcodes": ('zipcodes = ["6020"]', "zipcodes", "6020"),
    "unknown region": ('region = "Narnia"', "region", "'Narnia'"),
    "region and departments": ('region = "Corse"\ndepartments = ["60"]', "region", "'Corse'"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_scenarios_file_names_the_file_scenario_field_and_value(tmp_path, case):
    lines, field, value = INVALID[case]
    base = "interest = 14\n" if not lines.startswith("interest") else ""
    path = _write(tmp_path, VALID + f'[[scenario]]\nname = "Bad one"\n{base}{lines}\n')
    with pytest.raises(ValueError) as exc:
        load_scenarios(path)
    text = str(exc.value)
    assert str(path) in text and "'Bad one'" in text, text
    assert f"{field} = " in text and value in text, text
    assert exc.value.field == field and exc.value.scenario == "Bad one"
    if case == "unknown region":
        assert "Hauts-de-France" in text  # the allowed values are listed


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "no scenario"),
        ('title = "Only a title"\n', "no scenario"),
        (VALID + '[[scenario]]\nname = "Women 25-34, Oise"\ninterest = 14\n', "duplicate"),
        ("[[scenario]]\ninterest = 14\n", "name"),
        ('[[scenario]]\nname = "x"\ninterest = 14\n[other]\na = 1\n', "unknown top-level"),
        ('[[scenario]\nname = "x"\n', "not valid TOML"),
    ],
)
def test_scenarios_file_structure_errors(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=words) as exc:
        load_scenarios(path)
    assert str(path) in str(exc.value)


def test_an_invalid_file_exits_2_before_any_call_and_writes_nothing(tmp_path, capsys, monkeypatch):
    # A key and an unreachable URL: any call would fail with a network error, not exit 2.
    monkeypatch.setenv("SMSPARTNER_API_KEY", KEY)
    monkeypatch.setenv("SMSPARTNER_BASE_URL", "http://127.0.0.1:9")
    path = _write(
        tmp_path, VALID + '[[scenario]]\nname = "Late typo"\ninterest = 14\nage = [18, 120]\n'
    )
    out, xlsx = tmp_path / "out" / "r.html", tmp_path / "out" / "r.xlsx"
    status = main(["--scenarios", str(path), "--out", str(out), "--xlsx", str(xlsx)])
    assert status == 2
    err = capsys.readouterr().err
    assert "'Late typo'" in err and "age = [18, 120]" in err and str(path) in err
    assert KEY not in err
    assert not (tmp_path / "out").exists()
    assert main(["--scenarios", str(tmp_path / "missing.toml"), "--out", str(out)]) == 2
    assert not (tmp_path / "out").exists()


def test_build_report_refuses_duplicate_names(client):
    twice = [Scenario.of("Same", interest=14), Scenario.of("Same", interest=12)]
    with pytest.raises(ValueError, match="'Same'"):
        build_report(client, scenarios=twice)


def test_cli_scenarios_file_and_title(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    out, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    path = _write(tmp_path, VALID)
    assert (
        main(["--scenarios", str(path), "--out", str(out), "--xlsx", str(xlsx), "--budget", "800"])
        == 0
    )
    assert "3 scenarios compared" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "<title>Spring campaign</title>" in page
    assert "CSP- men, two zip codes" in page
    assert openpyxl.load_workbook(xlsx).properties.title == "Spring campaign"
    assert main(["--scenarios", str(path), "--title", "Mine", "--out", str(out)]) == 0
    assert "<title>Mine</title>" in out.read_text(encoding="utf-8")


# -- scenario names and provenance everywhere ---------------------------------------------


def test_scenario_names_in_every_table_sheet_and_chart(report, written):
    names = [s.name for s in report.scenarios]
    for key, df in report.tables.items():
        if key in ACCOUNT_TABLES:
            continue
        text = df.to_csv()
        for name in names:
            assert name in text, (key, name)
    wb = openpyxl.load_workbook(written[1])
    account = {sheet_name(k) for k in ACCOUNT_TABLES}
    for ws in wb.worksheets:
        if ws.title in account:
            continue
        cells = {str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None}
        for name in names:
            assert any(name in c for c in cells), (ws.title, name)
    for key, fig in report.figures.items():
        if key in ACCOUNT_TABLES:
            continue
        if key.startswith("map_"):
            # one map per scenario, titled with its name
            i = int(key.split("_")[1]) - 1
            assert names[i] in fig.layout.title.text, key
            continue
        text = fig.to_json()
        for name in names:
            assert name in text, (key, name)


def test_gender_is_spelled_out(report, written):
    assert set(report.tables["summary"]["gender"]) == {"women", "men and women", "men"}
    assert set(report.tables["by_gender"]["gender"]) == {"women", "men", "men and women"}
    page = written[0].read_text(encoding="utf-8")
    assert "men and women" in page and "mixed" in page


def test_every_sheet_and_the_properties_carry_the_synthetic_line(written, report):
    wb = openpyxl.load_workbook(written[1])
    for ws in wb.worksheets:
        assert ws["A1"].value == report.synthetic_text, ws.title
        assert ws["A1"].font.bold
    props = wb.properties
    assert props.title == report.title == "Spring campaign"
    for value in (props.subject, props.keywords, props.description):
        assert "synthetic" in value.lower(), value
    assert all(s.name in props.description for s in report.scenarios)


def test_live_sheets_carry_the_source_and_fetch_time(sandbox, tmp_path):
    with Client(KEY, base_url=sandbox.base_url, cache=False, synthetic=False) as live:
        rep = build_report(
            live, scenarios=DEFAULT_SCENARIOS[:1], interests=[14], price_per_sms=0.038
        )
    assert rep.fetched_at and re.match(r"20\d\d-\d\d-\d\dT", rep.fetched_at)
    wb = openpyxl.load_workbook(rep.to_excel(tmp_path / "live.xlsx"))
    for ws in wb.worksheets:
        assert ws["A1"].value == f"Source: SMS Partner API (live figures), fetched {rep.fetched_at}"
    assert "SYNTHETIC" not in wb.properties.subject and rep.fetched_at in wb.properties.subject


def test_html_passes_the_quiet_toolbar_config(written):
    page = written[0].read_text(encoding="utf-8")
    assert page.count('"displaylogo": false') == page.count("Plotly.newPlot(")


def test_an_unknown_interest_is_named_with_its_scenario(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    path = _write(tmp_path, VALID + '[[scenario]]\nname = "Odd one"\ninterest = 999\n')
    out = tmp_path / "out" / "r.html"
    assert main(["--scenarios", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "'Odd one'" in err and "interest = 999" in err
    assert "smsp categories" in err
    assert not (tmp_path / "out").exists()


# -- campaign, send windows, changes --------------------------------------------------------


def _cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _by_hand(frame: pd.DataFrame, parts: int, price: str) -> dict[str, Decimal]:
    """Sending = volume x parts x price per locality, to the cent; rental = the API's costs."""
    rows = frame[frame["volume"].notna()]
    sending = sum(_cents(Decimal(int(v)) * parts * Decimal(price)) for v in rows["volume"])
    rental = sum(Decimal(str(c)) for c in rows["cost_eur"])
    contacts = int(rows["volume"].sum())
    return {"contacts": contacts, "sending": sending, "rental": rental, "total": sending + rental}


def test_campaign_section_equals_hand_computed_costs(report, client, written):
    table = report.tables["campaign"].set_index("scenario")
    # The demo message plus " STOP au 36173" fits one GSM-7 SMS.
    demo = report.message_text + " STOP au 36173"
    assert len(demo) <= 160 and all(ord(c) < 128 for c in demo)
    for s in report.scenarios:
        hand = _by_hand(client.calcul(s.targeting), 1, "0.038")
        row = table.loc[s.name]
        assert row["volume"] == hand["contacts"] and row["parts"] == 1
        assert row["price_per_sms_eur"] == pytest.approx(0.038)
        assert row["sending_cost_eur"] == pytest.approx(float(hand["sending"]), abs=1e-9)
        assert row["rental_cost_eur"] == pytest.approx(float(hand["rental"]), abs=1e-9)
        assert row["total_cost_eur"] == pytest.approx(float(hand["total"]), abs=1e-9)
        assert row["cost_per_contact_eur"] == pytest.approx(float(hand["total"]) / hand["contacts"])
    page = written[0].read_text(encoding="utf-8")
    first = table.iloc[0]
    assert 'id="table-campaign"' in page and f"€{first['total_cost_eur']:,.2f}" in page
    fig = report.figures["campaign_cost"]
    assert [t.name for t in fig.data] == ["Rental", "Sending"]
    assert list(fig.data[0].x) == [s.name for s in report.scenarios]


def test_campaign_with_a_two_part_message_and_a_price(client):
    text = "x" * 150  # + " STOP au 36173": 164 positions, two SMS of 153
    one = [Scenario.of("Oise", interest=14, departments=["60", "02"])]
    rep = build_report(client, scenarios=one, interests=[14], message=text, price_per_sms=0.05)
    row = rep.tables["campaign"].iloc[0]
    hand = _by_hand(client.calcul(one[0].targeting), 2, "0.05")
    assert row["parts"] == 2
    assert row["sending_cost_eur"] == pytest.approx(float(hand["sending"]), abs=1e-9)
    assert row["total_cost_eur"] == pytest.approx(float(hand["total"]), abs=1e-9)
    about = dict(rep.tables["about"].values.tolist())
    assert about["message"] == text and about["price per SMS"] == "€0.050"
    assert "2 concatenated SMS" in about["SMS parts"]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"message": "x" * 1600}, "vendor error 52"),
        ({"message": "x" * 170, "range": "lowcost"}, "vendor error 42"),
        ({"message": "  "}, "message"),
        ({"price_per_sms": 0}, "price_per_sms"),
        ({"price_per_sms": "0.04"}, "price_per_sms"),
        ({"send_start": "2026-02-30"}, "send_start"),
        ({"send_start": "2199-12-30"}, "send_start"),  # its week runs past the supported range
        ({"since": "yesterday"}, "since"),
    ],
)
def test_campaign_arguments_are_checked_before_any_call(kwargs, words):
    # An unreachable server: any call would fail with a network error instead.
    dead = Client(KEY, base_url="http://127.0.0.1:9/v1/", cache=False, retries=0)
    with dead, pytest.raises(ValueError, match=words):
        build_report(dead, scenarios=DEFAULT_SCENARIOS[:1], **{"price_per_sms": 0.04, **kwargs})


def test_the_real_api_needs_a_price_per_sms(sandbox):
    with Client(KEY, base_url=sandbox.base_url, cache=False, synthetic=False) as live:
        with pytest.raises(ValueError, match="price_per_sms: required"):
            build_report(live, scenarios=DEFAULT_SCENARIOS[:1], interests=[14])
        rep = build_report(
            live, scenarios=DEFAULT_SCENARIOS[:1], interests=[14], price_per_sms=0.041
        )
    assert rep.tables["campaign"].loc[0, "price_per_sms_eur"] == pytest.approx(0.041)


def test_send_windows_show_good_friday_in_moselle(client):
    scen = [
        Scenario.of("Moselle and Paris", interest=14, departments=["57", "75"]),
        Scenario.of("Reunion", interest=14, departments=["974"]),
    ]
    rep = build_report(client, scenarios=scen, interests=[14], send_start="2026-03-30")
    win = rep.tables["send_windows"]
    assert list(dict.fromkeys(win["department"])) == ["57", "75", "974"]
    friday = win[win["date"] == datetime.date(2026, 4, 3)].set_index("department")
    assert friday.loc["57", "open"] == "no" and friday.loc["57", "reason"] == "Good Friday"
    assert friday.loc["75", "open"] == "yes" and friday.loc["75", "reason"] == ""
    sunday = win[win["date"] == datetime.date(2026, 4, 5)]
    assert set(sunday["reason"]) == {"Sunday"} and set(sunday["open"]) == {"no"}
    # La Reunion is 2 hours ahead in summer: its window ends at 18:00 Paris time.
    monday = win[(win["department"] == "974") & (win["date"] == datetime.date(2026, 3, 30))].iloc[0]
    assert (monday["local_window"], monday["paris_window"]) == ("10:00-20:00", "08:00-18:00")
    page = rep.to_html()
    assert 'id="table-send_windows"' in page and "Good Friday" in page
    # the table holds dates; the page shows them as before, day of the week first
    assert '<td class="txt">Fri 2026-04-03</td>' in page
    fig = rep.figures["send_windows"]
    assert [t.name for t in fig.data] == ["Open", "Closed"]
    assert "Good Friday" in [a.text.replace("<br>", " ") for a in fig.layout.annotations]


def test_send_windows_default_to_the_sandbox_clock_and_are_capped(report, client):
    # The sandbox's fixed date (Sunday 1 November 2026), never the wall clock.
    assert report.send_start.isoformat() == "2026-11-01"
    assert report.tables["send_windows"]["date"].iloc[0] == datetime.date(2026, 11, 1)
    france = [Scenario.of("France", interest=14)]
    rep = build_report(client, scenarios=france, interests=[14])
    win = rep.tables["send_windows"]
    assert win["department"].nunique() == 12 and rep.windows_left_out == 101 - 12
    assert "89 more are not shown" in rep.to_html()


def _history_at(day: str, scenarios, tmp_path) -> pd.DataFrame:
    """Quotes of ``scenarios`` taken on a sandbox whose clock reads ``day``, recorded in a
    SQLite history file the way the client records them."""
    sb = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date=day)
    sb.start()
    try:
        store = QuoteHistory.open(tmp_path / "history.sqlite")
        with Client(KEY, base_url=sb.base_url, cache=False, **NO_HISTORY) as c:
            for s in scenarios:
                frame = c.calcul(s.targeting)
                store.record(
                    frame,
                    op="calcul",
                    targeting_params=s.targeting,
                    volumes=None,
                    key_hash=key_hash(KEY),
                    source="sandbox:seed=0",
                )
        return store.frame()
    finally:
        sb.stop()


def test_what_changed_since_an_earlier_quote(client, tmp_path):
    scen = [
        Scenario.of("Oise and Aisne", interest=14, departments=["60", "02"]),
        Scenario.of("Moselle", gender="women", interest=14, departments=["57"]),
    ]
    history = _history_at("2026-08-15", scen[:1], tmp_path)
    assert str(history["as_of"].iloc[0].date()) == "2026-08-15"
    before = {loc: int(v) for loc, v in zip(history["locality"], history["volume"])}
    rep = build_report(client, scenarios=scen, interests=[14], history=history)
    assert "drift" in rep.tables and rep.since.date().isoformat() == "2026-08-15"
    table = rep.tables["drift"]
    # Only the scenario quoted earlier is compared; each of its localities on both sides.
    assert set(table["scenario"]) == {"Oise and Aisne"}
    assert set(table["status"]) == {"both"}
    now = client.calcul(scen[0].targeting).set_index("locality")["volume"]
    for r in table.itertuples():
        assert r.volume_before == before[r.locality] and r.volume_after == now[r.locality]
        assert r.volume_change == r.volume_after - r.volume_before
        assert r.quoted_before == datetime.date(2026, 8, 15)
        assert r.quoted_after == datetime.date(2026, 11, 1)
    assert (table["volume_change"] != 0).any()  # the sandbox's audiences moved
    section = next(s for s in rep.sections if s.key == "changes")
    assert section.title == "What changed since 15 Aug 2026"
    assert {"drift", "drift_map"} <= set(rep.figures)
    assert "Oise and Aisne" in rep.figures["drift"].layout.title.text
    page = rep.to_html()
    assert "What changed since 15 Aug 2026" in page and 'id="table-drift"' in page
    wb = openpyxl.load_workbook(rep.to_excel(tmp_path / "drift.xlsx"))
    assert wb["What changed"]["A1"].value == rep.synthetic_text
    assert wb["Campaign cost"]["A1"].value == rep.synthetic_text
    assert wb["Send windows"]["A1"].value == rep.synthetic_text


def test_no_changes_section_without_earlier_quotes(report, client, tmp_path):
    assert "drift" not in report.tables and report.since is None
    assert "changes" not in [s.key for s in report.sections]
    scen = [Scenario.of("Oise", interest=14, departments=["60"])]
    # Quotes of the report's server time (the sandbox's noon) fetched after its own answers
    # are not earlier ones (fetched before, they are: tests/report/test_first_hour.py).
    same_day = _history_at("2026-11-01", scen, tmp_path)
    later = same_day.assign(fetched_at=pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1))
    rep = build_report(client, scenarios=scen, interests=[14], history=later)
    assert "drift" not in rep.tables and "What changed since" not in rep.to_html()
    # Earlier quotes of another targeting do not count either.
    (tmp_path / "other").mkdir()
    other = _history_at(
        "2026-08-15", [Scenario.of("Aisne", interest=14, departments=["02"])], tmp_path / "other"
    )
    rep = build_report(client, scenarios=scen, interests=[14], history=other)
    assert "drift" not in rep.tables


class _BrokenHistoryClient(Client):
    """A client whose quote history lives where no database can be opened."""

    def history(self, *args, **kwargs):
        return QuoteHistory.open("/proc/no-such-dir/history.sqlite").frame()


def test_an_unreadable_history_skips_the_section_with_a_note(sandbox):
    with _BrokenHistoryClient(KEY, base_url=sandbox.base_url, cache=False) as c:
        rep = build_report(c, scenarios=DEFAULT_SCENARIOS[:1], interests=[14])
    assert "drift" not in rep.tables
    assert rep.history_note.startswith("What changed since the last quotes: not shown")
    assert "HistoryError" in rep.history_note
    assert html.escape(rep.history_note) in rep.to_html()


@pytest.mark.parametrize(
    "line, field, words",
    [
        ("price_per_sms = 0", "price_per_sms", "a number > 0"),
        ('price_per_sms = "0.04"', "price_per_sms", "a number > 0"),
        ("price_per_sms = true", "price_per_sms", "a number > 0"),
        ('message = ""', "message", "non-empty"),
        ("message = 12", "message", "non-empty"),
        (f'message = "{"x" * 1600}"', "message", "vendor error 52"),
    ],
)
def test_scenarios_file_message_and_price_are_checked(tmp_path, line, field, words):
    path = _write(tmp_path, line + "\n" + VALID)
    with pytest.raises(ValueError, match=words) as exc:
        load_scenarios(path)
    assert str(path) in str(exc.value) and f"{field} = " in str(exc.value)
    assert exc.value.field == field


def test_scenarios_file_message_and_price_reach_the_report(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    path = _write(
        tmp_path,
        'message = "Soldes : -20% samedi"\nprice_per_sms = 0.045\n'
        '[[scenario]]\nname = "Oise"\ninterest = 14\n'
        'departments = ["60"]\n',
    )
    title, scenarios, settings = load_scenario_file(path)
    assert settings == {"message": "Soldes : -20% samedi", "price_per_sms": 0.045}
    xlsx = tmp_path / "r.xlsx"
    assert (
        main(["--scenarios", str(path), "--out", str(tmp_path / "r.html"), "--xlsx", str(xlsx)])
        == 0
    )
    ws = openpyxl.load_workbook(xlsx)[sheet_name("campaign")]
    header = [c.value for c in ws[2]]
    row = dict(zip(header, [c.value for c in ws[3]]))
    assert row[column_title("price_per_sms_eur")] == pytest.approx(0.045)
    assert (
        ws.cell(3, header.index(column_title("cost_per_contact_eur")) + 1).number_format
        == UNIT_EUR_FORMAT
    )
    # The command line wins over the file.
    assert (
        main(
            [
                "--scenarios",
                str(path),
                "--out",
                str(tmp_path / "r.html"),
                "--xlsx",
                str(xlsx),
                "--price-per-sms",
                "0.03",
            ]
        )
        == 0
    )
    ws = openpyxl.load_workbook(xlsx)[sheet_name("campaign")]
    assert ws.cell(3, header.index(column_title("price_per_sms_eur")) + 1).value == 0.03
    capsys.readouterr()
    assert main(["--message", "x" * 1600, "--out", str(tmp_path / "no.html")]) == 2
    err = capsys.readouterr().err
    assert "--message" in err and "vendor error 52" in err
    assert not (tmp_path / "no.html").exists()


def test_without_a_history_argument_the_clients_own_history_is_read(sandbox, tmp_path):
    scen = [Scenario.of("Oise", interest=14, departments=["60"])]
    _history_at("2026-10-01", scen, tmp_path)  # recorded in tmp_path / history.sqlite
    store = QuoteHistory.open(tmp_path / "history.sqlite")

    class HistoryClient(Client):
        """A client reading that store the way ``client.history`` does."""

        def history(self, targeting=None, *, since=None, until=None, op=None):
            return store.frame(targeting, since=since, until=until, op=op)

    with HistoryClient(KEY, base_url=sandbox.base_url, cache=False, **NO_HISTORY) as c:
        rep = build_report(c, scenarios=scen, interests=[14])
    assert rep.since.date().isoformat() == "2026-10-01" and rep.history_note == ""
    assert set(rep.tables["drift"]["quoted_before"]) == {datetime.date(2026, 10, 1)}


def test_sandbox_reports_compare_with_sandbox_quotes_only(client, tmp_path):
    scen = [Scenario.of("Oise", interest=14, departments=["60"])]
    history = _history_at("2026-08-15", scen, tmp_path)
    live = history.assign(source="api:https://api.smspartner.fr")
    assert "drift" in build_report(client, scenarios=scen, interests=[14], history=history).tables
    assert "drift" not in build_report(client, scenarios=scen, interests=[14], history=live).tables
