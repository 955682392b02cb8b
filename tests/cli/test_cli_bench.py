"""The CLI quote benchmark runs and prints its figures and target (issue 18; the time itself
is the bench's to judge, not a test's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "cli.py"


def test_the_cli_bench_runs_and_says_whether_the_target_is_met() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("smsp calcul on the sandbox (1 run ")
    assert lines[2].startswith("  median: ") and "target <= 1.2 s" in lines[2]
    assert lines[-1] in ("target met", "target not met")
