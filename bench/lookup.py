"""Benchmark of ``client.check_numbers``: the vendor's format check against the sandbox,
within its rate limit (360 lookup requests a minute, 500 numbers a request).

Run: ``python bench/lookup.py [--numbers 10000] [--rounds 1] [--window 60]``. A sandbox with
the vendor's limits is started; each round checks ``numbers`` distinct French mobiles (no
round repeats a number, the HTTP cache is off: every number is really looked up) and the
wall time is compared with the ideal ``requests / allowed rate`` (the limit spread evenly:
360 requests per ``window`` seconds). Below 360 requests the whole check fits in one
window: the limit then does not bind and the time is the sandbox's own (the round can beat
the spread-out ideal). ``--window S`` shortens the sandbox's rate window (the sandbox's
``rate_window`` option, for the bench only: the vendor's is 60 s) and the client's pacing to
match, so that many rounds (``--rounds``, more than 360 requests in all) reach the limit in
seconds rather than minutes; the output says so.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smsp_analytics.client.facade import Client  # noqa: E402
from smsp_analytics.sandbox import Sandbox  # noqa: E402
from smsp_analytics.wire.account_rules import LOOKUP_BATCH, LOOKUP_RATE  # noqa: E402


def numbers(start: int, count: int) -> list[str]:
    """``count`` distinct French mobiles from the ``start``-th on (+336 and +337 ranges)."""
    return [
        f"+33{6 + (n // 100_000_000)}{n % 100_000_000:08d}" for n in range(start, start + count)
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numbers", type=int, default=10_000, help="numbers per round")
    ap.add_argument("--rounds", type=int, default=1, help="rounds of distinct numbers")
    ap.add_argument("--window", type=float, default=LOOKUP_RATE[1], help="rate window, s")
    args = ap.parse_args(argv)
    limit, vendor_window = LOOKUP_RATE
    shortened = args.window != vendor_window
    with tempfile.TemporaryDirectory() as tmp, Sandbox(seed=0, rate_window=args.window) as sb:
        client = Client(
            sb.api_key,
            base_url=sb.base_url,
            cache=False,
            history=False,
            journal=Path(tmp) / "j",
            retries=0,  # every 429 reaches the account part, which counts and waits it out
        )
        client.account.rate_windows["lookup"].window = args.window
        print(
            f"check_numbers: {args.rounds} round(s) of {args.numbers:,} numbers, "
            f"{LOOKUP_BATCH} a request, limit {limit} requests per {args.window:g} s"
            + (
                f" (SHORTENED for the bench with the sandbox's rate_window option; the "
                f"vendor's window is {vendor_window:g} s)"
                if shortened
                else " (the vendor's limit)"
            )
        )
        total_requests, total_time, waited, refused = 0, 0.0, 0.0, 0
        started = time.perf_counter()
        for r in range(args.rounds):
            batch = numbers(r * args.numbers, args.numbers)
            t0 = time.perf_counter()
            df = client.check_numbers(batch, progress=False)
            took = time.perf_counter() - t0
            requests = df.attrs["requests"]
            total_requests += requests
            waited += df.attrs["waited_s"]
            refused += df.attrs["rate_limited"]
            ideal = requests / (limit / args.window)
            print(
                f"  round {r + 1}: {took:6.2f} s for {requests} requests "
                f"({len(df):,} rows, {int(df['valid_mobile'].sum()):,} valid mobiles); "
                f"ideal {ideal:.2f} s -> {took / ideal:.2f}x; waited for the limit "
                f"{df.attrs['waited_s']:.2f} s, 429s {df.attrs['rate_limited']}"
            )
        total_time = time.perf_counter() - started
        ideal = total_requests / (limit / args.window)
        binds = total_requests > limit
        print(
            f"total: {total_time:.2f} s for {total_requests} requests "
            f"({total_requests / total_time:.1f} requests/s); ideal requests / allowed rate = "
            f"{total_requests} / ({limit}/{args.window:g} s) = {ideal:.2f} s -> "
            f"{total_time / ideal:.2f}x; waited for the limit {waited:.2f} s; "
            f"HTTP 429 answers met: {refused}"
        )
        print(
            "the limit binds (more requests than one window allows): "
            + (
                "the pacing kept every request within it (no 429)"
                if refused == 0
                else f"{refused} request(s) were refused (429) and waited out"
            )
            if binds
            else f"the limit does not bind ({total_requests} <= {limit} requests fit in one "
            "window): the time is the sandbox's own, the ideal is the rate spread evenly"
        )
        print(f"sandbox: {sb.stats().get('lookup', 0)} lookup requests admitted")
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
