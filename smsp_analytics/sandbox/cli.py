"""Command line: ``smsp sandbox [options]`` / ``python -m smsp_analytics.sandbox [options]``.

Serves until interrupted (Ctrl-C or SIGTERM, both a clean stop) and prints the base URL, the key and a reminder that the
data are synthetic.

>>> build_parser().parse_args(["--port", "0", "--seed", "3"]).seed
3
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import time
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from smsp_analytics.sandbox.clock import REFERENCE_DATE, parse_date
from smsp_analytics.sandbox.config import DEFAULT_CREDIT_EUR, DEFAULT_RENTAL_DELAY
from smsp_analytics.sandbox.pricing import DEFAULT_UNIT_PRICE
from smsp_analytics.sandbox.server import Sandbox

__all__ = ["main", "build_parser"]


def _checked(cast: Callable[[str], Any], ok: Callable[[Any], bool], rule: str):
    """An argparse ``type``: ``cast`` the text, then require ``ok(value)``.

    >>> _seconds("0.5"), _money("12.50")
    (0.5, Decimal('12.50'))
    """
    def parse(text: str) -> Any:
        try:
            value = cast(text)
        except (ValueError, InvalidOperation):
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(rule)
        return value
    return parse


_money = _checked(Decimal, lambda v: v.is_finite() and v >= 0, "must be a finite amount >= 0")
_seconds = _checked(float, lambda v: 0 <= v < 86400, "must be between 0 and 86400 seconds")
_seed = _checked(int, lambda v: v >= 0, "must be an integer >= 0")
_port = _checked(int, lambda v: 0 <= v <= 65535, "must be a TCP port, 0 to 65535")
_latency = _checked(float, lambda v: 0 <= v <= 60000, "must be milliseconds, 0 to 60000")
_rate = _checked(int, lambda v: 1 <= v <= 1_000_000, "must be an integer >= 1 (per second)")


def _date(text: str):
    """An argparse ``type`` for ``--date``: the clock's rule, as its message."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser(prog: str = "smsp sandbox") -> argparse.ArgumentParser:
    """The argument parser (shared by ``smsp sandbox`` and ``python -m``)."""
    p = argparse.ArgumentParser(
        prog=prog, description="Offline emulator of the SMS Partner Contact Rental API "
                               "(synthetic data).")
    p.add_argument("--port", type=_port, default=8765, help="TCP port on 127.0.0.1 "
                   "(default 8765; 0 picks a free port)")
    p.add_argument("--api-key", default=None, help="the key to accept (default: random)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the synthetic audiences")
    p.add_argument("--credit", type=_money, default=DEFAULT_CREDIT_EUR,
                   help=f"starting EUR balance (default {DEFAULT_CREDIT_EUR})")
    p.add_argument("--rental-delay", type=_seconds, default=DEFAULT_RENTAL_DELAY,
                   help=f"seconds for a rental to go from status 0 to 2 "
                        f"(default {DEFAULT_RENTAL_DELAY})")
    p.add_argument("--state", default=None, metavar="PATH",
                   help="SQLite file for balance and rentals (default: a temporary file)")
    p.add_argument("--unit-price", type=_money, default=DEFAULT_UNIT_PRICE,
                   help=f"EUR per contact (default {DEFAULT_UNIT_PRICE})")
    p.add_argument("--errors-http-200", action="store_true",
                   help="send vendor errors with HTTP 200 instead of 4xx")
    p.add_argument("--allow-ip", action="append", default=None, metavar="IP",
                   help="IP allow list (repeatable); others get code 96")
    p.add_argument("--date", type=_date, default=None, metavar="YYYY-MM-DD",
                   help=f"the sandbox's date: audiences and prices of that month "
                        f"(default: today's date, read at start; the model's reference "
                        f"month is {REFERENCE_DATE})")
    p.add_argument("--latency", type=_latency, default=0.0, metavar="MS",
                   help="delay every API answer by about MS milliseconds, with jitter")
    p.add_argument("--rate-limit", type=_rate, default=None, metavar="N",
                   help="answer 429 with Retry-After beyond N API requests per second "
                        "per key")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox until interrupted; returns the exit status."""
    args = build_parser().parse_args(argv)
    sandbox = Sandbox(api_key=args.api_key, seed=args.seed, credit_eur=args.credit,
                      rental_delay=args.rental_delay, state_path=args.state,
                      unit_price=args.unit_price, errors_http_200=args.errors_http_200,
                      port=args.port, allowed_ips=args.allow_ip, log_level="info",
                      date=args.date, latency_ms=args.latency, rate_limit=args.rate_limit)
    try:
        sandbox.start()
    except OSError as exc:
        print(f"smsp sandbox: cannot listen on port {args.port}: {exc}", file=sys.stderr)
        return 1
    print("SMS Partner sandbox (offline emulator). All its data are SYNTHETIC.", flush=True)
    print(f"  base URL : {sandbox.base_url}")
    print(f"  API key  : {sandbox.api_key}")
    print(f"  admin    : {sandbox.admin_url} (reset, faults, stats)")
    print(f"  OpenAPI  : {sandbox.url}openapi.json")
    print(f"  date     : {_date_line(sandbox.date, args.date is None)} "
          f"(move it: POST {sandbox.admin_url}clock)")
    print("Press Ctrl-C to stop.", flush=True)
    # SIGTERM (service managers, Popen.terminate) would otherwise kill the process without
    # stopping the server: make it a Ctrl-C, so the SQLite state is closed cleanly.
    try:
        previous = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread (main() called from a thread): leave it
        previous = None
    try:
        while sandbox.running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("\nstopping.", flush=True)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        sandbox.stop()
    return 0


def _date_line(day: dt.date, is_today: bool) -> str:
    """The banner's date: the day, whose month's audiences it serves, and where it comes
    from.

    >>> _date_line(dt.date(2026, 12, 5), True)
    "2026-12-05 (today's date: audiences and prices of 2026-12; --date pins one)"
    >>> _date_line(dt.date(2026, 11, 1), False)
    '2026-11-01 (from --date: audiences and prices of 2026-11)'
    """
    if is_today:
        return f"{day} (today's date: audiences and prices of {day:%Y-%m}; --date pins one)"
    return f"{day} (from --date: audiences and prices of {day:%Y-%m})"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
