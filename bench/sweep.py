"""Benchmark: the same sweep three ways (naive loop, ``sweep`` cold, ``sweep`` warm).

Work: 3 genders x 4 age bands x 5 interests x 101 departments. The sandbox runs in its own
process (as the real API would be elsewhere), so client and server do not share a GIL.
Targets: cold ``sweep`` >= 50x faster than the naive loop, warm >= 20x faster than cold.

Realistic mode (``--realistic``): the 60-combination sweep (3 genders x 4 ages x 5
interests, all departments in one call each) against a sandbox answering with ~80 ms of
latency, then against one limiting each key to 20 requests per second (429 with
Retry-After beyond). It prints the time against the ideal (``ceil(calls / workers) x
latency``, or ``calls / rate``) and whether the frame equals the fault-free one. Target:
within 1.5x of the ideal, identical frames, no call failing for a 429.

    /work/venv/bin/python bench/sweep.py
    /work/venv/bin/python bench/sweep.py --realistic
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import warnings

import pandas as pd
import requests

from smsp_analytics import Client, refdata, sweep
from smsp_analytics.targeting import Targeting

KEY = "bench-key"
GENDERS = ["m", "h", "f"]
AGES = [(18, 24), (25, 34), (35, 49), (50, 64)]
INTERESTS = [10, 11, 12, 13, 14]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sandbox(*extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smsp_analytics.sandbox",
            "--port",
            str(port),
            "--api-key",
            KEY,
            "--rental-delay",
            "0",
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1/"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1)
            return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("sandbox did not start")


def naive(base: str) -> tuple[pd.DataFrame, int]:
    """What an analyst writes by hand: one request per department, sequential."""
    session = requests.Session()
    rows, calls = [], 0
    for g in GENDERS:
        for lo, hi in AGES:
            for interest in INTERESTS:
                for dep in refdata.department_codes():
                    body = {
                        "apiKey": KEY,
                        "op": "calcul",
                        "parameters": {
                            "sexe": g,
                            "minAge": lo,
                            "maxAge": hi,
                            "interest": interest,
                            "department": dep,
                        },
                    }
                    r = session.post(base + "location/optin", json=body, timeout=30)
                    calls += 1
                    df = pd.json_normalize(r.json()["datas"])
                    df = df[df["Type"] != "total"].assign(
                        gender=g, age=f"{lo}-{hi}", interest=interest
                    )
                    rows.append(df)
    return pd.concat(rows, ignore_index=True), calls


def main() -> None:
    warnings.simplefilter("ignore")
    proc, base = start_sandbox()
    tmp = tempfile.mkdtemp()
    cache = os.path.join(tmp, "cache.sqlite")
    by = {"gender": GENDERS, "age": AGES, "interest": INTERESTS}
    t = Targeting(interest=14)
    try:
        t0 = time.perf_counter()
        naive_df, naive_calls = naive(base)
        t_naive = time.perf_counter() - t0

        with Client(KEY, base_url=base, cache=cache) as client:
            t0 = time.perf_counter()
            cold = sweep(t, by, geo="departments", client=client, progress=False)
            t_cold = time.perf_counter() - t0
            cold_calls = client.calls
            t0 = time.perf_counter()
            warm = sweep(t, by, geo="departments", client=client, progress=False)
            t_warm = time.perf_counter() - t0
            warm_calls = client.calls - cold_calls
        with Client(KEY, base_url=base, cache=cache) as fresh:
            t0 = time.perf_counter()
            warm_sql = sweep(t, by, geo="departments", client=fresh, progress=False)
            t_sql = time.perf_counter() - t0
            sql_calls = fresh.calls
        assert len(naive_df) == len(cold) == len(warm) == len(warm_sql) == 6060
        assert int(naive_df["Volume"].sum()) == int(cold["volume"].sum())
        pd.testing.assert_frame_equal(cold, warm)
        pd.testing.assert_frame_equal(cold, warm_sql)

        print(f"{'run':<28}{'HTTP calls':>11}{'wall s':>10}")
        print(f"{'naive loop (json_normalize)':<28}{naive_calls:>11}{t_naive:>10.3f}")
        print(f"{'sweep cold':<28}{cold_calls:>11}{t_cold:>10.3f}")
        print(f"{'sweep warm (in-process)':<28}{warm_calls:>11}{t_warm:>10.4f}")
        print(f"{'sweep warm (SQLite cache)':<28}{sql_calls:>11}{t_sql:>10.3f}")
        print(f"naive / cold = {t_naive / t_cold:.0f}x (target >= 50x)")
        print(f"cold / warm in-process = {t_cold / t_warm:.0f}x (target >= 20x)")
        print(f"cold / warm from SQLite (fresh client) = {t_cold / t_sql:.1f}x")
    finally:
        proc.terminate()
        proc.wait(10)


def realistic(workers: int = 8) -> None:
    """The 60-combination sweep under latency, then under a rate limit."""
    warnings.simplefilter("ignore")
    by = {"gender": GENDERS, "age": AGES, "interest": INTERESTS}
    t = Targeting(interest=14)
    calls = len(GENDERS) * len(AGES) * len(INTERESTS)

    def run(*extra: str) -> tuple[pd.DataFrame, float, int]:
        proc, base = start_sandbox(*extra)
        try:
            with Client(KEY, base_url=base, cache=False, memo=False) as client:
                t0 = time.perf_counter()
                df = sweep(
                    t, by, geo="departments", client=client, progress=False, max_workers=workers
                )
                return df, time.perf_counter() - t0, client.calls
        finally:
            proc.terminate()
            proc.wait(10)

    reference, t_ref, _ = run()
    print(f"{'mode':<26}{'calls':>7}{'wall s':>9}{'ideal s':>9}{'ratio':>7}  same frame")
    print(f"{'no latency, no limit':<26}{calls:>7}{t_ref:>9.2f}{'':>9}{'':>7}  (reference)")
    for label, extra, ideal in (
        ("latency 80 ms", ("--latency", "80"), math.ceil(calls / workers) * 0.080),
        ("rate limit 20/s", ("--rate-limit", "20"), calls / 20),
    ):
        df, took, sent = run(*extra)
        same = df.equals(reference)
        print(f"{label:<26}{sent:>7}{took:>9.2f}{ideal:>9.2f}{took / ideal:>7.2f}  {same}")
        print(
            f"{'':<26}{'':>7}{'':>9}{'':>9}{took / max(ideal, t_ref):>7.2f}  "
            "(against max(ideal, the no-latency run): the sandbox's own compute)"
        )
    print(
        "target: ratio <= 1.5, same frame True, no call failing for a 429 "
        "(a failing call raises SweepError above)"
    )


if __name__ == "__main__":
    if "--realistic" in sys.argv[1:]:
        realistic()
    else:
        main()
