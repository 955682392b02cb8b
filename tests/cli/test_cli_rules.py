"""Issue 16's rules for errors and the command line, read from the source and the running
group: errors are worded once (no rewording method), presented from their fields (no regex
over messages in the CLI), and the registry is the decorated commands, each once."""

from __future__ import annotations

import ast
from pathlib import Path

import click

import smsp_analytics
from smsp_analytics.cli.main import main
from smsp_analytics.cli.registry import cli

PACKAGE = Path(smsp_analytics.__file__).parent


def test_no_regex_in_the_cli() -> None:
    found = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if "re" in names:
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_errors_have_no_rewording_method() -> None:
    paths = sorted((PACKAGE / "errors").glob("*.py"))
    assert paths  # the errors package is where it is read from
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in paths]
    methods = {n.name for tree in trees for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert "explain" not in methods


def test_no_explain_call_left_in_the_package() -> None:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "explain"
            ):
                calls.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert calls == []


def _decorated() -> list[str]:
    """The names of the commands decorated with ``smsp_command`` in the cli modules, plus
    the commands registered as built elsewhere (``register(...)``)."""
    names = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    if isinstance(dec, ast.Call) and getattr(dec.func, "id", "") == "smsp_command":
                        names.append(dec.args[0].value)
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "register"
                and getattr(node.args[0], "id", "").endswith("_command")
            ):
                names.append(node.args[0].id.removesuffix("_command"))
    return names


def test_the_registry_is_the_decorated_commands_each_once() -> None:
    decorated = _decorated()
    assert len(decorated) == len(set(decorated))
    assert sorted(cli.commands) == sorted(decorated)
    assert all(isinstance(c, click.Command) for c in cli.commands.values())


def test_no_second_list_and_no_import_module_cycle_in_the_cli() -> None:
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "SUBCOMMANDS = " not in text and "SUBCOMMANDS: " not in text, path.name
    # The group is filled by the package importing its command modules, not by a command
    # runner importing them by name (which made commands.py -> main.py -> commands.py).
    for name in ("__init__.py", "main.py", "registry.py"):
        assert 'import_module("smsp_analytics.cli' not in (PACKAGE / "cli" / name).read_text()


def test_sandbox_help_comes_from_click_with_its_options_once(capsys) -> None:
    from smsp_analytics.sandbox.cli import sandbox_command

    assert cli.commands["sandbox"] is sandbox_command
    assert main(["sandbox", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: smsp sandbox [OPTIONS]") and "usage:" not in out
    for flag in ("--port", "--date", "--latency", "--rate-limit", "--seed", "--credit"):
        assert out.count(flag) >= 1
    assert out.count("--rate-limit INTEGER") + out.count("--rate-limit N") == 1
    assert "Example:" in out


def test_report_help_comes_from_click(capsys) -> None:
    assert isinstance(cli.commands["report"], click.Command)
    assert main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: smsp report [OPTIONS]") and "usage:" not in out
    assert out.count("--scenarios FILE.toml") == 1 and "Example:" in out


def test_a_field_error_names_the_flag_without_a_class_name(cli_env, capsys) -> None:
    assert main(["calcul", "--interest", "14", "--departments", "999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smsp calcul: error: ") and "--departments: '999' is not" in err
    assert "Error" not in err


def test_an_api_error_has_no_class_name(cli_env, capsys) -> None:
    assert main(["status", "0" * 32]) == 1
    err = capsys.readouterr().err
    assert "code 32" in err and "Error" not in err and "TOKEN" in err


def test_a_refused_rent_speaks_in_flags(cli_env, capsys) -> None:
    assert (
        main(
            [
                "rent",
                "--interest",
                "14",
                "--departments",
                "60",
                "--volumes",
                "60=10",
                "--yes",
                "--max-cost",
                "0.5",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "exceeds --max-cost 0.50" in err and "Error" not in err
