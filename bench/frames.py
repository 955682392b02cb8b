"""Benchmark: JSON and XML answers with all ~6,200 zip codes turned into frames.

The answers are real sandbox answers (a calcul on every zip code), recorded once; the
timing covers decoding (``json.loads`` / :func:`~smsp_analytics.wire.xmlparse.from_xml`:
the DOCTYPE check, expat and the row pattern) and the frame build, and the two frames must
be equal. Prints the best and median wall time of ``--runs`` runs (the targets: JSON ->
frame <= 100 ms, XML -> frame <= 50 ms, median) and the median CPU time of this thread
beside them (what the work itself costs, whatever else the machine is doing).

Run: ``python bench/frames.py [--runs N]`` (``taskset -c 0,1`` for CI's two cores)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
import requests

from smsp_analytics import refdata
from smsp_analytics.frames import locality_frame
from smsp_analytics.sandbox import Sandbox
from smsp_analytics.wire.xmlparse import from_xml

JSON_TARGET_MS = 100.0
XML_TARGET_MS = 50.0


def record() -> tuple[bytes, bytes]:
    """The sandbox's answer to a calcul on every zip code, in JSON and in XML."""
    zips = ",".join(sorted(refdata.zipcode_set()))
    with Sandbox(api_key="bench", rental_delay=0) as sb:
        body = {
            "apiKey": "bench",
            "op": "calcul",
            "parameters": {
                "sexe": "m",
                "minAge": 18,
                "maxAge": 98,
                "interest": 14,
                "zipcode": zips,
            },
        }
        j = requests.post(sb.base_url + "location/optin", json=body, timeout=60).content
        x = requests.post(sb.base_url + "location/optin?_format=xml", json=body, timeout=60).content
    return j, x


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    """Best and median wall time, median thread CPU time, in ms."""
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.thread_time()
        fn()
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(wall) * 1000, statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31, help="timed runs of each (default 31)")
    runs = parser.parse_args().runs
    warnings.simplefilter("ignore")
    j, x = record()
    df_j = locality_frame(json.loads(j), op="calcul")
    df_x = locality_frame(from_xml(x, "optin"), op="calcul")
    pd.testing.assert_frame_equal(df_j, df_x)  # the same frame from both formats
    assert len(df_j) == len(refdata.zipcode_set())
    print(f"{len(df_j)} zip codes; JSON {len(j) / 1e3:.0f} kB, XML {len(x) / 1e3:.0f} kB")
    for label, fn, target in (
        ("JSON -> frame", lambda: locality_frame(json.loads(j), op="calcul"), JSON_TARGET_MS),
        ("XML  -> frame", lambda: locality_frame(from_xml(x, "optin"), op="calcul"), XML_TARGET_MS),
    ):
        best, median, cpu = timed(fn, runs)
        met = "target met" if median <= target else "target NOT met"
        print(
            f"{label}: best {best:.1f} ms, median {median:.1f} ms (CPU {cpu:.1f} ms) "
            f"(target median <= {target:.0f} ms): {met}"
        )


if __name__ == "__main__":
    main()
