"""The package type-checks: mypy, with the settings of pyproject.toml's [tool.mypy], finds
nothing (py.typed promises users typed code, so the promise is checked here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_py_typed_marker_ships_with_the_package():
    assert (ROOT / "smsp_analytics" / "py.typed").is_file()


def test_mypy_is_clean_on_the_package():
    # mypy keeps its cache in the project's .mypy_cache (ignored by git): a rerun is fast.
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "smsp_analytics"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0, f"mypy found problems:\n{report}"
