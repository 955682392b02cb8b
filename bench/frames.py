"""Benchmark: JSON and XML answers with all ~6,300 zip codes turned into frames.

The answers are real sandbox answers (a calcul on every zip code), recorded once; the
timing covers decoding (json.loads / defusedxml) and the frame build. Target: < 100 ms each.

    /work/venv/bin/python bench/frames.py
"""

from __future__ import annotations

import json
import statistics
import time
import warnings

import requests

from smsp_analytics import refdata
from smsp_analytics.frames import locality_frame
from smsp_analytics.sandbox import Sandbox
from smsp_analytics.wire.xmlparse import from_xml


def record() -> tuple[bytes, bytes]:
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


def best_of(fn, n: int = 15) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, statistics.median(times) * 1000


def main() -> None:
    warnings.simplefilter("ignore")
    j, x = record()
    df_j = locality_frame(json.loads(j), op="calcul")
    df_x = locality_frame(from_xml(x, "optin"), op="calcul")
    assert df_j.equals(df_x) and len(df_j) == len(refdata.zipcode_set())
    jb, jm = best_of(lambda: locality_frame(json.loads(j), op="calcul"))
    xb, xm = best_of(lambda: locality_frame(from_xml(x, "optin"), op="calcul"))
    print(f"{len(df_j)} zip codes; JSON {len(j) / 1e3:.0f} kB, XML {len(x) / 1e3:.0f} kB")
    print(f"JSON -> frame: best {jb:.1f} ms, median {jm:.1f} ms (target < 100 ms)")
    print(f"XML  -> frame: best {xb:.1f} ms, median {xm:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
