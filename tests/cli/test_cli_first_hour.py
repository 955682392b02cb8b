"""Issue 18, "The first hour": the no-key sandbox says so once in a short line, then a short
mark; every problem of the targeting flags is reported at once, in the command's words,
with exit 2 before any call."""

from __future__ import annotations

import pytest

from smsp_analytics.cli.main import cli, main
from smsp_analytics.cli.nokey import FIRST_USE_LINE, SANDBOX_MARK, sandbox_home


@pytest.fixture()
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def _sandbox_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "sandbox" in line and "SYNTHETIC" not in line]


def test_the_first_command_says_one_short_line_then_a_mark(no_key, capsys) -> None:
    assert main(["credits", "--format", "json"]) == 0
    first = _sandbox_lines(capsys.readouterr().err)
    assert first == [FIRST_USE_LINE] and len(FIRST_USE_LINE) < 80
    assert "SMSPARTNER_API_KEY" in FIRST_USE_LINE and "smsp sandbox --help" in FIRST_USE_LINE
    for argv in (["credits"], ["calcul", "--interest", "14", "--departments", "60"]):
        assert main(argv) == 0
        assert _sandbox_lines(capsys.readouterr().err) == [SANDBOX_MARK]
    assert len(SANDBOX_MARK) < 12


def test_a_fresh_state_says_the_line_again(no_key, capsys) -> None:
    assert main(["credits"]) == 0
    capsys.readouterr()
    for path in sandbox_home().glob("cli-sandbox-state*"):
        path.unlink()
    assert main(["credits"]) == 0
    assert _sandbox_lines(capsys.readouterr().err) == [FIRST_USE_LINE]


def test_sandbox_help_has_the_details(no_key, capsys) -> None:
    assert main(["sandbox", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for needle in ("Without SMSPARTNER_API_KEY", "synthetic", "cli-sandbox-", "afresh"):
        assert needle in out
    assert "smsp rent` then `smsp status" in out
    assert out.index("afresh") < out.index("Example:")


def _errors(err: str) -> list[str]:
    lines = err.strip().splitlines()
    assert all(line.startswith("smsp calcul: error: ") for line in lines), lines
    return [line.removeprefix("smsp calcul: error: ") for line in lines]


def test_a_missing_interest_no_longer_hides_a_bad_department(no_key, capsys) -> None:
    assert main(["calcul", "--departments", "999"]) == 2
    out, err = capsys.readouterr()
    lines = _errors(err)
    assert out == "" and len(lines) == 2
    assert lines[0].startswith("--interest: required") and "smsp categories" in lines[0]
    assert lines[1] == (
        "--departments: '999' is not a department code; allowed: 01..95, 2A, 2B, 971..976"
    )
    assert "None" not in err and "code 19" not in err
    assert not sandbox_home().exists() or not any(sandbox_home().iterdir())  # no call


def test_the_age_band_upside_down(no_key, capsys) -> None:
    assert main(["calcul", "--interest", "14", "--age", "90-20"]) == 2
    assert _errors(capsys.readouterr().err) == ["--age: the minimum (90) is above the maximum (20)"]


def test_every_problem_is_reported_each_with_its_flag(no_key, capsys) -> None:
    argv = ["calcul", "--gender", "x", "--age", "10-20", "--interest", "abc"]
    argv += ["--category", "5", "--departments", "60,999,888", "--zipcodes", "99999"]
    assert main(argv) == 2
    lines = _errors(capsys.readouterr().err)
    flags = [line.split(":")[0].split("] ")[-1] for line in lines]
    assert sorted(flags) == sorted(
        ["--gender", "--age", "--interest", "--category", "--departments", "--zipcodes"]
    )
    assert "'999', '888' are not department codes" in " ".join(lines)
    assert "Error" not in " ".join(lines)
    for flag in flags:  # the command's own options
        assert any(flag in p.opts for p in cli.commands["calcul"].params)


@pytest.mark.parametrize("command", ["price", "rent", "sweep", "campaign"])
def test_the_other_targeting_commands_collect_too(no_key, capsys, command) -> None:
    extra = {"rent": ["--volumes", "60=1"], "campaign": ["--message", "x"]}.get(command, [])
    assert main([command, "--departments", "999", "--age", "50-30", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count(f"smsp {command}: error:") == 3
    assert "--departments" in err and "--age" in err and "--interest" in err


def test_one_problem_is_still_one_line(no_key, capsys) -> None:
    assert main(["calcul", "--interest", "14", "--region", "nowhere"]) == 2
    lines = _errors(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith("--region:")


def test_a_good_targeting_is_unchanged(no_key, capsys) -> None:
    from smsp_analytics.cli.support import targeting_of
    from smsp_analytics.targeting import Targeting

    flags = {"gender": "women", "age": "25-35", "interest": "14", "category": "CSP+"}
    got = targeting_of({**flags, "departments": "60,2"})
    assert got == Targeting(
        gender="f", age=(25, 35), interest=14, category=102, departments=["60", "02"]
    )
    region = targeting_of({"sub_interest": "35", "region": "Corse"})
    assert region.departments == ("2A", "2B") and region.sub_interest == 35
