"""Issue 19 on the command line, against the sandbox over HTTP: `smsp stop-list`, `smsp
check-numbers FILE`, `smsp sending-costs`, and `smsp campaign --price account --numbers FILE`.
All read only: the sandbox sees no write to the account."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from smsp_analytics.cli.main import main

READ_ONLY = {"stop_list", "lookup", "cost_resume", "calcul", "credits", "categories"}
TARGETING = ["--interest", "14", "--departments", "60"]


def _json(out: str) -> dict:
    return json.loads(out)


def test_stop_list_table_csv_and_json(cli_env, capsys) -> None:
    cli_env.reset()
    assert main(["stop-list"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == ["phone_number", "stopped_at", "(UTC)", "id"]
    count = int(
        re.search(r"^([\d,]+) numbers in the account's STOP list$", err, re.M)[1].replace(",", "")
    )
    assert count == len(out.splitlines()) - 1 > 0
    assert "SYNTHETIC DATA" in err
    assert main(["stop-list", "--format", "json"]) == 0
    doc = _json(capsys.readouterr().out)
    assert doc["synthetic"] is True and len(doc["rows"]) == count
    assert all(re.fullmatch(r"\+33\d{9}", r["phone_number"]) for r in doc["rows"])
    assert main(["stop-list", "--format", "csv", "--csv-dialect", "fr"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffphone_number;stopped_at;id;synthetic;")
    assert main(["stop-list", "--xml", "--format", "json"]) == 0
    assert _json(capsys.readouterr().out)["rows"] == doc["rows"]
    assert set(cli_env.stats()) <= READ_ONLY


def test_check_numbers_of_a_file_in_batches_of_500(cli_env, capsys, tmp_path) -> None:
    cli_env.reset()
    path = tmp_path / "numbers.csv"
    numbers = [f"+336{n:08d}" for n in range(1_197)] + ["0145678901", "+447700900123", "abc"]
    pd.DataFrame({"phone_number": numbers}).to_csv(path, index=False)
    assert main(["check-numbers", str(path), "--format", "json", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    rows = _json(out)["rows"]
    assert [r["request"] for r in rows] == numbers
    assert cli_env.stats()["lookup"] == 3  # 1,199 readable numbers: 500 + 500 + 199
    by = {r["request"]: r for r in rows}
    assert by["abc"]["valid"] is False and by["0145678901"]["valid_mobile"] is False
    assert by["+447700900123"]["country"] != "France"
    assert "1,200 numbers checked in 3 requests: " in err and "Landline 1" in err
    invalid = int(re.search(r"invalid ([\d,]+)", err)[1].replace(",", ""))
    assert invalid == sum(not r["valid"] for r in rows) >= 1
    assert set(cli_env.stats()) <= READ_ONLY


def test_check_numbers_on_screen_and_in_french(cli_env, capsys, tmp_path) -> None:
    cli_env.reset()
    path = tmp_path / "n.csv"
    path.write_text("name,phone_number\nA,06 12 34 56 78\nB,01 45 67 89 01\n", encoding="utf-8")
    assert main(["check-numbers", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == [
        "request",
        "valid",
        "phone_number",
        "type",
        "country",
        "valid_mobile",
    ]
    assert "2 numbers checked in 1 request: 1 valid mobiles" in err
    assert main(["--lang", "fr", "check-numbers", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1].split()[-1] == "oui" and "2 numéros vérifiés en " in err


def test_a_missing_numbers_file_is_a_usage_error_before_any_call(cli_env, capsys) -> None:
    cli_env.reset()
    assert main(["check-numbers", "nowhere.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp check-numbers: error: Invalid value for 'FILE': 'nowhere.csv'")
    assert cli_env.stats() == {}


def test_sending_costs_intervals(cli_env, capsys) -> None:
    cli_env.reset()
    assert main(["sending-costs", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    rows = _json(out)["rows"]
    assert len(rows) == 12 and all(r["sms_sent"] > 0 for r in rows)
    total = sum(r["cost_eur"] for r in rows) / sum(r["sms_sent"] for r in rows)
    line = re.search(r"^total: [\d,]+ SMS, €[\d,.]+; €(0\.\d{3}) per SMS on average$", err, re.M)
    assert line and float(line[1]) == pytest.approx(total, abs=0.0005)
    assert main(["sending-costs", "--interval", "last_month"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["month", "sms_sent", "cost_eur", "cost_per_sms_eur"]
    assert len(out.splitlines()) == 2 and "€0.0" in out
    argv = ["sending-costs", "--interval", "custom", "--from", "2026-01-01", "--to", "2026-03-31"]
    assert main([*argv, "--lang", "fr"]) == 0
    out, err = capsys.readouterr()
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["janv.", "févr.", "mars"]
    assert "par SMS en moyenne" in err and "€0" not in out + err
    assert cli_env.stats()["cost_resume"] == 3


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--interval", "custom"], "--interval custom needs --from and --to"),
        (["--from", "2026-01-01"], "--from and --to go with --interval custom"),
        (["--interval", "custom", "--from", "2026-03-01", "--to", "2026-01-01"], "--from"),
        (["--interval", "custom", "--from", "2026-02-30", "--to", "2026-03-01"], "not a date"),
        (["--interval", "weekly"], "--interval"),
    ],
)
def test_sending_costs_bad_input_exit_2_no_call(cli_env, capsys, extra, needle) -> None:
    cli_env.reset()
    assert main(["sending-costs", *extra]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and needle in err
    assert cli_env.stats() == {}


def test_six_cost_calls_in_a_minute_never_fail(cli_env, capsys) -> None:
    # The vendor allows 5 a minute: the client reuses what it read (its HTTP cache) rather
    # than failing the sixth command.
    cli_env.reset()
    for _ in range(6):
        assert main(["sending-costs", "--format", "json"]) == 0
    assert cli_env.stats()["cost_resume"] <= 5
    capsys.readouterr()


def _rent_and_download(tmp_path, capsys) -> str:
    assert main(["rent", *TARGETING, "--volumes", "60=200", "--yes", "--again"]) == 0
    token = re.search(r"rented: token ([0-9a-f]{32})", capsys.readouterr().err)[1]
    path = tmp_path / "rented.csv"
    assert main(["download", token, "--out", str(path)]) == 0
    capsys.readouterr()
    return str(path)


def test_campaign_with_the_account_price_and_the_numbers_cleaned(cli_env, capsys, tmp_path) -> None:
    cli_env.reset()
    rented = pd.read_csv(_rent_and_download(tmp_path, capsys), dtype=str)
    # The rented numbers, plus a fixed line and a number that is none.
    numbers = tmp_path / "numbers.csv"
    extra = pd.DataFrame({"phone_number": ["01 45 67 89 01", "12"]})
    pd.concat([rented[["phone_number"]], extra]).to_csv(numbers, index=False)
    argv = ["campaign", *TARGETING, "--message", "Soldes", "--days", "1", "--format", "json"]
    assert main([*argv, "--price", "account", "--numbers", str(numbers)]) == 0
    out, err = capsys.readouterr()
    row = _json(out)["rows"][0]
    line = re.search(
        r"^price: €(0\.\d{3}) per SMS: the account's average from \w{3} \d{4} to \w{3} "
        r"\d{4} \([\d,]+ SMS for €[\d,.]+\)$",
        err,
        re.M,
    )
    assert line
    price = row["sending_cost_eur"] / row["volume"]  # one SMS per contact
    assert main(["sending-costs", "--format", "json"]) == 0
    costs = _json(capsys.readouterr().out)["rows"]
    average = sum(r["cost_eur"] for r in costs) / sum(r["sms_sent"] for r in costs)
    assert price == pytest.approx(average, rel=0.01)
    assert float(line[1]) == pytest.approx(average, abs=0.0005)
    steps = dict(re.findall(r"^  ([^:]+): ([\d,]+)", err.split(f"numbers of {numbers}:")[1], re.M))
    counts = {k: int(v.replace(",", "")) for k, v in steps.items()}
    assert counts["rented numbers"] == 202 and counts["distinct readable numbers"] == 201
    assert counts["after the account's STOP list"] < 201  # some rented numbers said STOP
    # The fixed line at least is no valid mobile (the sandbox's lookup finds a few more).
    assert counts["valid mobiles (number check)"] < counts["after the account's STOP list"]
    assert "1 entry could not be read as phone numbers" in err
    left = counts["valid mobiles (number check)"]
    assert f"sending the message to the {left} numbers left: " in err
    assert cli_env.stats()["rent"] == 1  # the rent of the set-up, nothing from the campaign


def test_campaign_price_account_in_french_and_without_history(
    cli_env, capsys, sbx, monkeypatch, tmp_path
) -> None:
    cli_env.reset()
    argv = ["campaign", *TARGETING, "--message", "Soldes", "--days", "1", "--price", "account"]
    sbx.set_account(sending_history=False)
    try:
        assert main(argv) == 2
    finally:
        cli_env.reset()
    err = capsys.readouterr().err
    assert err.startswith("smsp campaign: error: ") and "pass your price per SMS" in err
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-cache"))  # not that answer
    assert main(["--lang", "fr", *argv]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^prix : 0,\d{3}\u00a0€ par SMS", out, re.M)


def test_the_new_commands_have_an_example_and_are_read_only(capsys) -> None:
    for name in ("stop-list", "check-numbers", "sending-costs"):
        assert main([name, "--help"]) == 0
        help_text = capsys.readouterr().out
        assert "Example:" in help_text and f"smsp {name}" in help_text.split("Example:")[1]
        assert "read only" in " ".join(help_text.split())
    main(["campaign", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--price-per-sms, --price EUR|account" in text and "--numbers FILE" in text


def test_check_numbers_reads_stdin_never(cli_env, capsys, monkeypatch, tmp_path) -> None:
    # FILE is a file: a dash is not read from stdin (the numbers are the user's data).
    monkeypatch.setattr("sys.stdin", io.StringIO("0612345678\n"))
    assert main(["check-numbers", "-"]) == 2
    capsys.readouterr()
