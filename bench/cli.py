"""Benchmark of a command-line quote: wall time of ``smsp calcul ...`` on the sandbox.

Run: ``python bench/cli.py [--runs 7] [--cpus 0,1]``. Each run is a new process, as a user
types the command: the interpreter starts, imports what ``smsp calcul`` needs, starts the
no-key sandbox, asks for the quote, prints it and stops the sandbox. The sandbox's state
(balance, rentals, quote history) lives in a temporary data folder made for the bench; a
first, untimed run creates it and warms the disk cache, as for a user's second command.

Python's compiled bytecode is part of a warm start (``pip install`` compiles it). When the
environment forbids writing it (``PYTHONDONTWRITEBYTECODE``, as in some sandboxes), the bench
keeps it in a temporary ``PYTHONPYCACHEPREFIX`` instead, so that the figure is an installed
package's; ``--no-bytecode`` measures the other case (every module compiled at each run).

Target (issue 18): median <= 1.2 s wall from a warm disk; ``--cpus 0,1`` pins the runs to
two cores, as on CI.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.2
QUOTE = ["calcul", "--gender", "women", "--age", "25-35", "--interest", "14", "--departments"]
DEPARTMENTS = "60,02"


def command() -> list[str]:
    """The ``smsp`` console script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("smsp")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "smsp_analytics.cli.main"]
    return [*head, *QUOTE, DEPARTMENTS]


def environment(home: Path, bytecode: bool) -> dict[str, str]:
    """The runs' environment: no key (the sandbox), the bench's own data and cache folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMSPARTNER_", "SMSP_"))}
    env.update(
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        SMSP_LANG="en",
    )
    if bytecode and env.get("PYTHONDONTWRITEBYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE")
        env.setdefault("PYTHONPYCACHEPREFIX", str(home / "pycache"))
    elif not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(home / "no-pycache")  # an empty one: compile all
    return env


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def one_run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from the process start to its end, and the CPU seconds it used (user and
    system, all its threads: a figure a busy machine inflates less); the run must succeed."""
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0 or "total:" not in done.stderr:
        raise SystemExit(f"smsp calcul failed (exit {done.returncode}):\n{done.stderr}")
    return elapsed, used


def main(args: list[str] | None = None) -> int:
    """Time the runs; print each, the median and whether the target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--cpus", default=None, help="pin the runs to these CPUs, e.g. 0,1")
    parser.add_argument(
        "--no-bytecode", dest="bytecode", action="store_false", help="compile at every run"
    )
    parser.add_argument("--target", type=float, default=TARGET_S, help="seconds (default 1.2)")
    opts = parser.parse_args(args)
    if opts.cpus:
        cpus = {int(c) for c in opts.cpus.split(",")}
        os.sched_setaffinity(0, cpus)  # the runs inherit it
    home = Path(tempfile.mkdtemp(prefix="smsp-bench-cli-"))
    try:
        env = environment(home, opts.bytecode)
        argv = command()
        one_run(argv, env)  # creates the sandbox state and the bytecode; warms the disk
        runs = [one_run(argv, env) for _ in range(max(1, opts.runs))]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    times = [wall for wall, _ in runs]
    median = statistics.median(times)
    cpus_text = f" on CPUs {opts.cpus}" if opts.cpus else f" on {os.cpu_count()} CPUs"
    runs_text = f"{len(times)} run{'' if len(times) == 1 else 's'}"
    print(f"smsp calcul on the sandbox ({runs_text}{cpus_text}, warm disk, ", end="")
    print("bytecode cached):" if opts.bytecode else "no bytecode cache):")
    print("  runs:   " + "  ".join(f"{t:.2f}" for t in times) + " s")
    print(f"  median: {median:.2f} s   min: {min(times):.2f} s   target <= {opts.target:.1f} s")
    cpu = statistics.median(used for _, used in runs)
    print(f"  CPU (user + system, median): {cpu:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print("target met" if median <= opts.target else "target not met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
