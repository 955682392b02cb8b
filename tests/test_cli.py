"""The ``smsp`` entry point: dispatch, unknown commands, and readers that go away."""

from __future__ import annotations

import os
import subprocess
import sys

from smsp_analytics.cli import SUBCOMMANDS, main


def test_help_lists_every_subcommand(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


def test_unknown_command_names_the_allowed_ones(capsys) -> None:
    assert main(["calculus"]) == 2
    err = capsys.readouterr().err
    assert "calculus" in err and "calcul" in err and "sandbox" in err


def test_a_closed_pipe_stops_quietly(tmp_path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("SMSPARTNER_API_KEY", None)
    env.pop("SMSPARTNER_BASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "smsp_analytics.cli", "categories",
                             "--format", "csv"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout.readline().startswith(b"id,")
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err
