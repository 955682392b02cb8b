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
    from smsp_analytics.cli import SUBCOMMANDS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^smsp (\w+)", text, re.M)) | set(re.findall(r"&& smsp (\w+)", text))
    assert used, "README shows no smsp command"
    assert used <= set(SUBCOMMANDS), used - set(SUBCOMMANDS)
