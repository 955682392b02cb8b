"""smsp campaign and smsp windows, in-process against the session sandbox."""

from __future__ import annotations

import csv
import io
import json

import pytest

from smsp_analytics.cli import main

ARGS = ["--gender", "women", "--age", "25-35", "--interest", "14", "--departments", "60,02"]


@pytest.fixture()
def env(cli_env):
    return cli_env


def test_campaign_table(env, capsys):
    assert main(["campaign", *ARGS, "--message", "x" * 140, "--start", "2026-03-30",
                 "--days", "7"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "campaign: women, 25-35, interest 14, departments 60, 02"
    row = next(line for line in lines if "60 Oise" in line).split()
    # 140 characters + " STOP au 36173" = 154 positions: one SMS at 0.038 EUR each.
    contacts = int(row[2].replace(",", ""))
    assert row[3] == "1" and row[5] == f"€{round(contacts * 0.038, 2):,.2f}"
    total = next(line for line in lines if line.split()[:1] == ["total"]).split()
    oise = int(row[2].replace(",", ""))
    aisne = int(next(line for line in lines if "02 Aisne" in line).split()[2].replace(",", ""))
    assert int(total[1].replace(",", "")) == oise + aisne
    assert "message: GSM-7, 154 positions, 1 SMS" in out
    assert "STOP au 36173" in out
    # Send windows of the targeted departments, then the next instant, the synthetic mark.
    assert "send windows from 2026-03-30:" in out
    assert "60 Oise 2026-04-05 Sun closed" in " ".join(out.split())
    assert "next send from Mon 2026-03-30:" in out and "60 Oise: Mon 2026-03-30 08:00 Paris time" in out
    assert lines[-1] == "SYNTHETIC DATA (sandbox)"


def test_campaign_161_characters_is_two_parts_and_replaced_characters(env, capsys):
    assert main(["campaign", *ARGS, "--message", "é" + "x" * 145 + "ê😀", "--stop-mention", "",
                 "--format", "json", "--days", "1"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["synthetic"] is True and doc["source"] == "sandbox"
    assert {r["parts"] for r in doc["rows"]} == {1}  # 147 positions: ê -> e, emoji dropped
    assert "'ê' -> 'e'" in err and "'😀' dropped" in err
    assert main(["campaign", *ARGS, "--message", "y" * 161, "--stop-mention", "",
                 "--format", "csv", "--days", "1"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["locality"] for r in rows] == ["60", "02"]
    assert all(r["parts"] == "2" and r["synthetic"] == "True" for r in rows)
    for r in rows:
        assert float(r["sending_cost_eur"]) == round(int(r["volume"]) * 2 * 0.038, 2)
    assert "161 positions, 2 SMS (153 per part" in err and "SYNTHETIC DATA" in err


def test_campaign_price_per_sms(env, capsys):
    assert main(["campaign", *ARGS, "--message", "hello", "--price-per-sms", "0.05",
                 "--format", "json", "--days", "1"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["sending_cost_eur"] for r in rows] == [round(r["volume"] * 0.05, 2)
                                                    for r in rows]


@pytest.mark.parametrize("extra,needle", [
    (["--message", "x" * 1531, "--stop-mention", ""], "vendor error 52"),
    (["--message", "x" * 150, "--range", "lowcost"], "vendor error 42"),
    (["--message", "x", "--range", "cheap"], "--range"),
    (["--message", "x", "--price-per-sms", "0"], "--price-per-sms"),
    (["--message", "x", "--start", "2026-02-30"], "--start"),
    (["--message", "   "], "message is empty"),
])
def test_campaign_bad_input_one_line_exit_2_no_call(env, capsys, extra, needle):
    assert main(["campaign", *ARGS, *extra]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and needle in err
    assert "calcul" not in env.stats()


def test_windows_good_friday_week(env, capsys, monkeypatch):
    # No key at all: `smsp windows` needs no client, so no sandbox starts (nothing on stderr).
    monkeypatch.delenv("SMSPARTNER_API_KEY")
    assert main(["windows", "--departments", "75,57,974", "--start", "2026-03-30",
                 "--days", "7"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = {" ".join(line.split()[:4]): " ".join(line.split()) for line in out.splitlines()}
    assert rows["57 Moselle 2026-04-03 Fri"].endswith("closed Good Friday")
    assert rows["75 Paris 2026-04-03 Fri"] == ("75 Paris 2026-04-03 Fri open 08:00-20:00 "
                                               "08:00-20:00 Europe/Paris")
    # La Réunion: the platform's 20:00 in Paris is 22:00 there, its 08:00 is 10:00.
    assert rows["974 La Réunion 2026-04-03"].endswith(
        "Fri open 08:00-18:00 10:00-20:00 Indian/Reunion")
    assert "57 Moselle: Mon 2026-03-30 08:00 Paris time" in out


def test_windows_exports_and_bad_department(env, capsys):
    assert main(["windows", "--departments", "57", "--start", "2026-04-03", "--days", "2",
                 "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["synthetic"] is False
    assert [(r["date"], r["open"], r["reason"]) for r in doc["rows"]] == [
        ("2026-04-03", False, "Good Friday"), ("2026-04-04", True, "")]
    assert doc["rows"][1]["paris_start"] == "2026-04-04T08:00:00+02:00"
    assert doc["rows"][0]["department_name"] == "Moselle"
    assert main(["windows", "--departments", "75,99"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "departments" in err and "'99'" in err


@pytest.mark.parametrize("command", ["campaign", "windows"])
def test_help_has_description_and_example(capsys, command):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Example:" in out and f"smsp {command} --" in out and "--format" in out
