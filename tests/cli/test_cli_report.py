"""``smsp report``: its options declared once, in click, and its errors presented from their
fields with the flag of the command's own option (no argparse, no split of a message on
':'); ``python -m smsp_analytics.report`` runs the same command."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

import smsp_analytics
from smsp_analytics.cli.main import main
from smsp_analytics.cli.registry import cli

COMMAND = Path(smsp_analytics.__file__).parent / "report" / "command.py"


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_the_options_are_declared_once_in_click() -> None:
    from smsp_analytics.report.command import report_command

    assert cli.commands["report"] is report_command
    tree = ast.parse(COMMAND.read_text(encoding="utf-8"))
    imported = {
        a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    } | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "argparse" not in imported
    names = [p.name for p in report_command.params]
    assert len(names) == len(set(names)) and "price_per_sms" in names


def test_no_message_is_split_on_a_colon_and_no_synthetic_literal() -> None:
    text = COMMAND.read_text(encoding="utf-8")
    tree = ast.parse(text)
    splits = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("split", "rsplit", "partition", "rpartition")
        and any(isinstance(a, ast.Constant) and ":" in str(a.value) for a in n.args)
    ]
    assert splits == []
    assert "SYNTHETIC DATA" not in text


def test_help_is_clicks_with_every_option_once_and_an_example(capsys) -> None:
    assert main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: smsp report [OPTIONS]") and "Example:" in out
    assert "smsp report --scenarios" in out.split("Example:")[1]
    for flag in (
        "--scenarios",
        "--title",
        "--out",
        "--xlsx",
        "--seed",
        "--budget",
        "--message",
        "--price-per-sms",
    ):
        assert out.count(f"{flag} ") == 1 + out.split("Example:")[1].count(f"{flag} "), flag


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--price-per-sms", "0"], "--price-per-sms"),
        (["--budget", "0"], "--budget"),
        (["--message", ""], "--message"),
        (["--message", "x" * 1600], "--message"),
    ],
)
def test_a_bad_option_names_its_flag_without_a_class_name(no_key, capsys, argv, flag) -> None:
    out = no_key / "r.html"
    assert main(["report", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp report: error: ") and flag in err, err
    assert "Error" not in err and "text:" not in err and "message: " not in err, err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_a_bad_scenarios_file_names_the_flag_and_the_field(no_key, capsys) -> None:
    path = no_key / "s.toml"
    path.write_text('[[scenario]]\nname = "Late typo"\ninterest = 14\nage = [18, 120]\n')
    assert main(["report", "--scenarios", str(path), "--out", str(no_key / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp report: error: ") and "--scenarios" in err
    assert "'Late typo'" in err and "age = [18, 120]" in err and "Error" not in err
    assert not (no_key / "r.html").exists()


def test_the_library_entry_runs_the_same_command(no_key, capsys) -> None:
    from smsp_analytics.report import main as report_main

    assert report_main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("Usage: smsp report [OPTIONS]")
    assert report_main(["--price-per-sms", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp report: error: ") and "--price-per-sms" in err
    assert "Error" not in err


def test_python_dash_m_prints_clicks_help(no_key) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SMSPARTNER_API_KEY"}
    proc = subprocess.run(
        [sys.executable, "-m", "smsp_analytics.report", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: smsp report [OPTIONS]") and "Example:" in proc.stdout


def test_report_command_is_a_click_command() -> None:
    assert isinstance(cli.commands["report"], click.Command)


def test_the_shown_defaults_are_the_reports() -> None:
    from smsp_analytics.report import DEFAULT_BUDGET_EUR, DEFAULT_SEED
    from smsp_analytics.report.command import report_command

    defaults = {p.name: p.default for p in report_command.params}
    assert defaults["seed"] == DEFAULT_SEED and defaults["budget"] == DEFAULT_BUDGET_EUR
