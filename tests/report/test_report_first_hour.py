"""Issue 18, "The first hour": ``smsp report`` reads the quote history the other commands
write (``smsp calcul`` then ``smsp report`` shows "What changed since ..."; without an
earlier quote the report says so and names the store), and the gender table agrees with
its own words (the mixed count is its own query, not women + men)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from smsp_analytics.cli.main import main
from smsp_analytics.client.facade import Client
from smsp_analytics.history import QuoteHistory
from smsp_analytics.report import EXAMPLE_SCENARIOS, build_report, load_scenarios
from smsp_analytics.report.scenarios import GENDER_OPTIONS, default_scenarios
from smsp_analytics.report.sections.gender import BY_GENDER
from smsp_analytics.sandbox import REFERENCE_DATE

#: The section's heading (its date), not the note that names the store.
_SECTION = r"What changed since \d\d \w\w\w \d{4}"


@pytest.fixture
def isolated(monkeypatch, tmp_path) -> str:
    """No key, and every store of the commands under tmp_path: never the user's."""
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    monkeypatch.setenv("SMSP_HISTORY_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


def _calcul_flags(targeting) -> list[str]:
    """``smsp calcul`` flags of a scenario's targeting (the file's first scenario)."""
    p = targeting.to_parameters()
    flags = ["--gender", {"f": "women", "h": "men", "m": "all"}[p["sexe"]]]
    flags += ["--age", f"{p['minAge']}-{p['maxAge']}"]
    for key, flag in (("interest", "--interest"), ("sub_interest", "--sub-interest")):
        if getattr(targeting, key) is not None:
            flags += [flag, str(getattr(targeting, key))]
    flags += ["--departments", ",".join(targeting.departments)]
    return flags


def test_smsp_calcul_then_smsp_report_shows_what_changed(isolated, capsys, tmp_path):
    _, scenarios = load_scenarios(EXAMPLE_SCENARIOS)
    first = scenarios[0]
    report = ["report", "--scenarios", str(EXAMPLE_SCENARIOS), "--out"]

    # Nothing recorded yet: no section, and the report says where it looked.
    assert main([*report, "before.html"]) == 0
    page = (tmp_path / "before.html").read_text(encoding="utf-8")
    assert not re.search(_SECTION, page) and 'id="table-drift"' not in page
    store = QuoteHistory.open(isolated)
    assert store is not None
    expected = f"no earlier quote of these scenarios in the quote history ({store.url})."
    assert html.escape(expected) in page

    assert main(["calcul", *_calcul_flags(first.targeting)]) == 0
    recorded = store.frame(first.targeting, op="calcul")
    store.close()
    assert not recorded.empty  # the command's own client recorded it where we read

    assert main([*report, "after.html"]) == 0
    capsys.readouterr()
    page = (tmp_path / "after.html").read_text(encoding="utf-8")
    assert re.search(_SECTION, page)
    assert 'id="table-drift"' in page and html.escape(expected) not in page
    assert html.escape(first.name) in page.split('id="table-drift"')[1]


def test_a_report_given_a_store_reads_its_earlier_quotes(isolated, tmp_path):
    """The same through the library: quotes of the same server time fetched before the
    report's are earlier ones (the sandbox's clock reads noon all day)."""
    _, scenarios = load_scenarios(EXAMPLE_SCENARIOS)
    with Client(cache=False, announce=False, history=isolated) as c:
        quoted = c.calcul(scenarios[1].targeting)
        c.flush_history()
    store = QuoteHistory.open(isolated)
    assert store is not None
    try:
        rep = build_report(scenarios=scenarios, history=store)
    finally:
        store.close()
    drift = rep.tables["drift"]
    assert set(drift["scenario"]) == {scenarios[1].name}
    assert drift["volume_before"].sum() == quoted["volume"].sum()
    assert rep.since == pd.Timestamp(quoted.attrs["as_of"])
    assert rep.history_note == ""


def _reports() -> list[tuple[int, list]]:
    _, example = load_scenarios(EXAMPLE_SCENARIOS)
    return [(0, list(default_scenarios())), (1, list(default_scenarios())), (0, example)]


@pytest.mark.parametrize("seed, scenarios", _reports())
def test_the_gender_table_agrees_with_its_text(seed, scenarios):
    sandbox = {"seed": seed, "date": REFERENCE_DATE}
    with Client(cache=False, announce=False, history=False, sandbox=sandbox) as c:
        rep = build_report(c, scenarios=scenarios, interests=[14])
    table = rep.tables[BY_GENDER]
    women, men, mixed = GENDER_OPTIONS.values()
    wide = table.pivot_table(index="scenario", columns="gender", values="volume")
    gap = wide[mixed] - wide[women] - wide[men]
    text = next(s.intro for s in rep.sections if s.key == "gender")
    assert "sum of the two" not in text and "counted separately" in text
    if (gap == 0).all():
        assert "exactly women plus men" in text
    else:
        most = int(gap.abs().max())
        assert f"by at most {most:,} contact" in text
        assert f"in {int((gap != 0).sum())} of {len(gap)} scenario" in text
        assert "rounds each locality's count down" in text  # the sandbox's reason
    # The mixed row is the vendor's own count: the summary's for a mixed scenario.
    summary = rep.tables["summary"].set_index("scenario")
    for s in scenarios:
        if s.targeting.gender == "m":
            assert wide.loc[s.name, mixed] == summary.loc[s.name, "volume"]
