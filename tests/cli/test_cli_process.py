"""`smsp` as its own process, without a key: its sandbox runs in a child process spawned
before the command's imports. The child must serve the command, keep the state between
commands, leave the state untouched when the command fails on its arguments, and end with
the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smsp_analytics.cli.nokey import no_key_set
from smsp_analytics.client.assembly import ENV_API_KEY, key_from_environment

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the child process needs POSIX")

TARGETING = ["--gender", "women", "--age", "25-35", "--interest", "14"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMSPARTNER_")}
    env.update(
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        SMSP_LANG="en",
    )
    return env


def smsp(home: Path, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smsp_analytics.cli.main", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=120,
        check=False,
    )


def _processes_of(home: Path) -> list[int]:
    """The live processes whose environment names ``home`` (the command's children)."""
    mark = str(home).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


def _none_left(home: Path, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while _processes_of(home):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_commands_share_the_state_through_their_child_sandboxes(tmp_path) -> None:
    state = tmp_path / "data" / "smsp-analytics" / "cli-sandbox-state.sqlite"
    # A command that fails on its arguments spawned a child, which ends without opening
    # the state: the next command is still the first use.
    bad = smsp(tmp_path, "calcul", "--departments", "999")
    assert bad.returncode == 2 and "--departments" in bad.stderr
    assert not state.exists()
    assert _none_left(tmp_path)

    rent = smsp(
        tmp_path,
        "rent",
        *TARGETING,
        "--departments",
        "60",
        "--volumes",
        "60=10",
        "--yes",
        "--format",
        "json",
    )
    assert rent.returncode == 0, rent.stderr
    assert "no SMSPARTNER_API_KEY" in rent.stderr and state.exists()
    assert json.loads(rent.stdout)["rows"][0]["token"]
    assert _none_left(tmp_path)
    credits = smsp(tmp_path, "credits", "--format", "json")
    assert credits.stderr.startswith("(sandbox)")
    assert json.loads(credits.stdout)["rows"][0]["balance_eur"] == pytest.approx(1000 - 10 * 0.09)
    assert _none_left(tmp_path)


def test_help_spawns_no_sandbox(tmp_path) -> None:
    done = smsp(tmp_path, "calcul", "--help")
    assert done.returncode == 0 and "Example:" in done.stdout
    assert not (tmp_path / "data" / "smsp-analytics").exists()


def test_the_cli_rule_for_no_key_is_the_clients(monkeypatch) -> None:
    for value in (None, "", "   ", "k-123"):
        if value is None:
            monkeypatch.delenv(ENV_API_KEY, raising=False)
        else:
            monkeypatch.setenv(ENV_API_KEY, value)
        assert no_key_set() == (key_from_environment() is None)
