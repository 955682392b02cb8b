"""The README's two set-up commands stay true: CI runs exactly the test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Set-up: two commands.*?```bash\n(.*?)```", text, re.S)
    assert block, "README has no set-up block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_has_two_commands() -> None:
    cmds = readme_commands()
    assert len(cmds) == 2, cmds
    assert "smsp report" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def test_every_cli_command_in_readme_exists() -> None:
    from smsp_analytics.cli.main import SUBCOMMANDS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^smsp (\w+)", text, re.M)) | set(re.findall(r"&& smsp (\w+)", text))
    assert used, "README shows no smsp command"
    assert used <= set(SUBCOMMANDS), used - set(SUBCOMMANDS)


def test_readme_tour_runs_as_written() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A short tour.*?```python\n(.*?)```", text, re.S)
    assert block, "README has no Python tour"
    ns: dict = {}
    exec(compile(block.group(1), "README.md (tour)", "exec"), ns)  # noqa: S102
    try:
        assert ns["df"].attrs["synthetic"] is True
        assert list(ns["df"]["locality"]) == ["60", "02"]
        assert int(ns["quote"]["volume"].sum()) == 800
        assert set(ns["by_age"]["age"]) == {"18-24", "25-34", "35-49"}
        assert sum(ns["plan"].volumes.values()) * 0.09 <= 1_000
    finally:
        ns["client"].close()
