"""smsp campaign and smsp windows, in-process against the session sandbox."""

from __future__ import annotations

import csv
import io
import json

import pytest

from smsp_analytics.cli.main import main

ARGS = ["--gender", "women", "--age", "25-35", "--interest", "14", "--departments", "60,02"]


@pytest.fixture()
def env(cli_env):
    return cli_env


def test_campaign_table(env, capsys):
    assert (
        main(["campaign", *ARGS, "--message", "x" * 140, "--start", "2026-03-30", "--days", "7"])
        == 0
    )
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
    assert (
        "next send from Mon 2026-03-30:" in out
        and "60 Oise: Mon 2026-03-30 08:00 Paris time" in out
    )
    assert lines[-1] == "SYNTHETIC DATA (sandbox)"


def test_campaign_161_characters_is_two_parts_and_replaced_characters(env, capsys):
    assert (
        main(
            [
                "campaign",
                *ARGS,
                "--message",
                "é" + "x" * 145 + "ê😀",
                "--stop-mention",
                "",
                "--format",
                "json",
                "--days",
                "1",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["synthetic"] is True and doc["source"] == "sandbox"
    assert {r["parts"] for r in doc["rows"]} == {1}  # 147 positions: ê -> e, emoji dropped
    assert "'ê' -> 'e'" in err and "'😀' dropped" in err
    assert (
        main(
            [
                "campaign",
                *ARGS,
                "--message",
                "y" * 161,
                "--stop-mention",
                "",
                "--format",
                "csv",
                "--days",
                "1",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["locality"] for r in rows] == ["60", "02"]
    assert all(r["parts"] == "2" and r["synthetic"] == "True" for r in rows)
    for r in rows:
        assert float(r["sending_cost_eur"]) == round(int(r["volume"]) * 2 * 0.038, 2)
    assert "161 positions, 2 SMS (153 per part" in err and "SYNTHETIC DATA" in err


def test_campaign_price_per_sms(env, capsys):
    assert (
        main(
            [
                "campaign",
                *ARGS,
                "--message",
                "hello",
                "--price-per-sms",
                "0.05",
                "--format",
                "json",
                "--days",
                "1",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["sending_cost_eur"] for r in rows] == [round(r["volume"] * 0.05, 2) for r in rows]


@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--message", "x" * 1531, "--stop-mention", ""], "vendor error 52"),
        (["--message", "x" * 150, "--range", "lowcost"], "vendor error 42"),
        (["--message", "x", "--range", "cheap"], "--range"),
        (["--message", "x", "--price-per-sms", "0"], "--price-per-sms"),
        (["--message", "x", "--start", "2026-02-30"], "--start"),
        (["--message", "   "], "message is empty"),
    ],
)
def test_campaign_bad_input_one_line_exit_2_no_call(env, capsys, extra, needle):
    assert main(["campaign", *ARGS, *extra]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and needle in err
    assert "calcul" not in env.stats()


def test_windows_good_friday_week(env, capsys, monkeypatch):
    # No key at all: `smsp windows` needs no client, so no sandbox starts (nothing on stderr).
    monkeypatch.delenv("SMSPARTNER_API_KEY")
    assert (
        main(["windows", "--departments", "75,57,974", "--start", "2026-03-30", "--days", "7"]) == 0
    )
    out, err = capsys.readouterr()
    assert err == ""
    rows = {" ".join(line.split()[:4]): " ".join(line.split()) for line in out.splitlines()}
    assert rows["57 Moselle 2026-04-03 Fri"].endswith("closed Good Friday")
    assert rows["75 Paris 2026-04-03 Fri"] == (
        "75 Paris 2026-04-03 Fri open 08:00-20:00 08:00-20:00 Europe/Paris"
    )
    # La Réunion: the platform's 20:00 in Paris is 22:00 there, its 08:00 is 10:00.
    assert rows["974 La Réunion 2026-04-03"].endswith(
        "Fri open 08:00-18:00 10:00-20:00 Indian/Reunion"
    )
    assert "57 Moselle: Mon 2026-03-30 08:00 Paris time" in out


def test_windows_exports_and_bad_department(env, capsys):
    assert (
        main(
            [
                "windows",
                "--departments",
                "57",
                "--start",
                "2026-04-03",
                "--days",
                "2",
                "--format",
                "json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["synthetic"] is False
    assert [(r["date"], r["open"], r["reason"]) for r in doc["rows"]] == [
        ("2026-04-03", False, "Good Friday"),
        ("2026-04-04", True, ""),
    ]
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


def _vendor_block(out: str) -> dict[str, list[str]]:
    """The lines after "if nothing is scheduled, the vendor delivers", per department."""
    lines = out.split(
        "if nothing is scheduled, the vendor delivers (08:00-20:00 Paris time, "
        "Monday to Saturday, not a national public holiday; otherwise paused "
        "until the next business day at 08:00):\n",
        1,
    )[1].splitlines()
    block: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("  ") and not line.startswith("    "):
            key = line.split(":")[0].strip()
            block[key] = [line.strip()]
        elif line.startswith("    ! ") and block:
            block[list(block)[-1]].append(line.strip())
        else:
            break
    return block


def test_windows_says_when_the_vendor_delivers_and_flags_local_clocks(env, capsys):
    assert (
        main(["windows", "--departments", "75,57,971,974", "--start", "2026-03-30", "--days", "7"])
        == 0
    )
    out = capsys.readouterr().out
    block = _vendor_block(out)
    assert list(block) == ["75 Paris", "57 Moselle", "971 Guadeloupe", "974 La Réunion"]
    assert block["75 Paris"] == ["75 Paris: Mon 2026-03-30 08:00 Paris time"]
    assert block["57 Moselle"] == [
        "57 Moselle: Mon 2026-03-30 08:00 Paris time",
        "! schedule these yourself: Fri 2026-04-03, Good Friday, a local holiday",
    ]
    assert block["971 Guadeloupe"] == [
        "971 Guadeloupe: Mon 2026-03-30 08:00 Paris time (02:00 local time, "
        "America/Guadeloupe: before 08:00 local time)",
        "! schedule these yourself: vendor hours 02:00-14:00 local time on 5 of 6 days; "
        "Fri 2026-04-03, Good Friday, a local holiday",
    ]
    assert block["974 La Réunion"][1] == (
        "! schedule these yourself: vendor hours 10:00-22:00 local time on 6 of 6 days"
    )
    # The table of the default rule (both) is unchanged: Guadeloupe 14:00-20:00 Paris time.
    rows = {" ".join(line.split()[:4]): " ".join(line.split()) for line in out.splitlines()}
    assert rows["971 Guadeloupe 2026-03-30 Mon"].endswith(
        "open 14:00-20:00 08:00-14:00 America/Guadeloupe"
    )


def test_windows_rule_vendor_shows_the_vendors_clock(env, capsys):
    assert (
        main(
            [
                "windows",
                "--departments",
                "971,57",
                "--start",
                "2026-04-03",
                "--days",
                "1",
                "--rule",
                "vendor",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    rows = {" ".join(line.split()[:4]): " ".join(line.split()) for line in out.splitlines()}
    assert rows["971 Guadeloupe 2026-04-03 Fri"].endswith(
        "open 08:00-20:00 02:00-14:00 America/Guadeloupe"
    )
    assert rows["57 Moselle 2026-04-03 Fri"].endswith("open 08:00-20:00 08:00-20:00 Europe/Paris")
    assert "57 Moselle: Fri 2026-04-03 08:00 Paris time\n" in out  # next send, vendor rule
    assert (
        main(
            [
                "windows",
                "--departments",
                "971",
                "--start",
                "2026-04-03",
                "--days",
                "1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert (row["open"], row["reason"]) == (False, "Good Friday")
    assert (row["vendor_open"], row["vendor_outside_local"]) == (True, True)
    assert (row["vendor_start"], row["vendor_end"]) == (
        "2026-04-03T08:00:00+02:00",
        "2026-04-03T20:00:00+02:00",
    )


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--rule", "paris"], "'--rule': 'paris' is not one of 'both', 'vendor', 'local'"),
        (["--start", "9999-12-31"], "--start"),
        (["--start", "0001-01-01"], "--start"),
        (["--start", "2199-12-30", "--days", "7"], "start: 2199-12-30 with days=7"),
    ],
)
def test_windows_bad_rule_or_dates_exit_2(env, capsys, args, needle):
    assert main(["windows", "--departments", "971", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and needle in err
    if "start" in needle:
        assert "1970-01-01 to 2199-12-31" in err


def test_campaign_flags_overseas_and_refuses_late_dates_before_any_call(env, capsys):
    assert (
        main(
            [
                "campaign",
                "--interest",
                "14",
                "--departments",
                "57,971",
                "--message",
                "Hi",
                "--start",
                "2026-03-30",
                "--days",
                "7",
            ]
        )
        == 0
    )
    block = _vendor_block(capsys.readouterr().out)
    assert block["57 Moselle"][1] == (
        "! schedule these yourself: Fri 2026-04-03, Good Friday, a local holiday"
    )
    assert block["971 Guadeloupe"][1].startswith(
        "! schedule these yourself: vendor hours 02:00-14:00 local time on 5 of 6 days"
    )
    env.reset()
    assert main(["campaign", *ARGS, "--message", "Hi", "--start", "2199-12-30", "--days", "7"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "start: 2199-12-30 with days=7" in err
    assert "calcul" not in env.stats()
