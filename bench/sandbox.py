"""Benchmark of the sandbox: requests/s and p50/p99 latency of ``calcul``.

Run: ``python bench/sandbox.py [--count 2000]``. A keep-alive http.client connection sends
``count`` requests after a warm-up, one at a time, for one zip code and for all 101
departments. "repeated": the same request each time (the app's answer cache hits);
"distinct": every request has its own age range, so each one runs the model (cache misses).
Target on a 2-core machine: >= 500 requests/s for the 101 departments, in both modes.

Then the sandbox with ``latency_ms=80`` (``smsp sandbox --latency 80``): 16 threads send
8 calcul requests each; the wall time is compared with the ideal ``ceil(calls / threads) x
80 ms`` (latency seen concurrently, not serialised; target within 1.5x).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smsp_analytics import refdata  # noqa: E402
from smsp_analytics.sandbox import Sandbox  # noqa: E402


def age_ranges() -> list[tuple[int, int]]:
    """Every (minAge, maxAge) the API accepts: 3,321 distinct targetings."""
    return [(lo, hi) for lo in range(18, 99) for hi in range(lo, 99)]


def run(
    sb: Sandbox, parameters: dict, count: int, distinct: bool = False, warmup: int = 200
) -> dict:
    """Send ``count`` calcul requests on one keep-alive connection; timing figures.

    ``distinct``: each request (warm-up included) gets its own age range, so none is
    answered from the app's cache.
    """
    ranges = age_ranges()
    if distinct and warmup + count > len(ranges):
        raise ValueError(f"distinct mode holds at most {len(ranges) - warmup} requests")
    headers = {"Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", sb.port)
    latencies = []
    for n, (lo, hi) in zip(range(warmup + count), itertools.cycle(ranges)):
        params = {**parameters, "minAge": lo, "maxAge": hi} if distinct else parameters
        body = json.dumps({"apiKey": sb.api_key, "op": "calcul", "parameters": params})
        t0 = time.perf_counter()
        conn.request("POST", "/v1/location/optin", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - t0
        if resp.status != 200 or not json.loads(data)["success"]:
            raise RuntimeError(f"unexpected answer {resp.status}: {data[:200]!r}")
        if n >= warmup:
            latencies.append(elapsed)
    conn.close()
    latencies.sort()
    return {
        "rps": count / sum(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def concurrent(latency_ms: float = 80, threads: int = 16, per_thread: int = 8) -> dict:
    """Wall time of ``threads`` x ``per_thread`` calcul calls against a sandbox with latency."""
    body = json.dumps(
        {
            "apiKey": "bench",
            "op": "calcul",
            "parameters": {
                "sexe": "m",
                "minAge": 25,
                "maxAge": 35,
                "interest": 14,
                "zipcode": "60200",
            },
        }
    )
    errors: list[str] = []
    with Sandbox(api_key="bench", rental_delay=0, latency_ms=latency_ms) as sb:

        def worker() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", sb.port)
            for _ in range(per_thread):
                conn.request(
                    "POST",
                    "/v1/location/optin",
                    body=body,
                    headers={"Content-Type": "application/json"},
                )
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors.append(str(resp.status))
            conn.close()

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        started = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - started
    calls = threads * per_thread
    ideal = math.ceil(calls / threads) * latency_ms / 1000
    return {"calls": calls, "elapsed": elapsed, "ideal": ideal, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args(argv)
    base = {"sexe": "m", "minAge": 25, "maxAge": 35, "interest": 14, "subInterest": 35}
    cases = {
        "calcul, 1 zip code": {**base, "zipcode": "60200"},
        "calcul, 101 departments": {**base, "department": ",".join(refdata.department_codes())},
    }
    ok = True
    with Sandbox(api_key="bench", rental_delay=0) as sb:
        for name, params in cases.items():
            for distinct in (False, True):
                r = run(sb, params, args.count, distinct=distinct)
                label = f"{name} ({'distinct' if distinct else 'repeated'})"
                print(
                    f"{label:38s} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   "
                    f"p99 {r['p99_ms']:6.2f} ms   ({args.count} requests, keep-alive)"
                )
                if "101" in name and r["rps"] < 500:
                    ok = False
    print("target (>= 500 req/s for 101 departments):", "met" if ok else "NOT met")
    c = concurrent()
    ratio = c["elapsed"] / c["ideal"]
    print(
        f"latency 80 ms, {c['calls']} calls on 16 threads: {c['elapsed']:.2f} s, ideal "
        f"{c['ideal']:.2f} s ({ratio:.2f}x; target <= 1.5x), errors: {len(c['errors'])}"
    )
    ok = ok and ratio <= 1.5 and not c["errors"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
