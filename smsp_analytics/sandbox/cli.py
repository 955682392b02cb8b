"""Command line: ``smsp sandbox [options]`` / ``python -m smsp_analytics.sandbox [options]``:
one click command, :data:`sandbox_command`, that ``smsp`` registers as it is.

Serves until interrupted (Ctrl-C or SIGTERM, both a clean stop) and prints the base URL, the
key and a reminder that the data are synthetic. The sandbox is sealed: click is its only
import beyond the standard library and its own modules.

>>> parse_args(["--port", "0", "--seed", "3"]).seed
3
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

import click

from smsp_analytics.sandbox.clock import REFERENCE_DATE, parse_date
from smsp_analytics.sandbox.config import DEFAULT_CREDIT_EUR, DEFAULT_RENTAL_DELAY
from smsp_analytics.sandbox.pricing import DEFAULT_UNIT_PRICE

__all__ = ["main", "sandbox_command", "parse_args"]

Callback = Callable[[click.Context, click.Parameter, Any], Any]


def _checked(cast: Callable[[str], Any], ok: Callable[[Any], bool], rule: str) -> Callback:
    """A click callback: ``cast`` the text, then require ``ok(value)``.

    >>> _seconds(None, None, "0.5"), _money(None, None, "12.50")
    (0.5, Decimal('12.50'))
    """

    def parse(ctx: click.Context, param: click.Parameter, text: Any) -> Any:
        if text is None or not isinstance(text, str):
            return text  # a default, already a value
        try:
            value = cast(text)
        except (ValueError, InvalidOperation):
            raise click.BadParameter(f"not a number: {text!r}") from None
        if not ok(value):
            raise click.BadParameter(f"{text!r} {rule}")
        return value

    return parse


_money = _checked(Decimal, lambda v: v.is_finite() and v >= 0, "must be a finite amount >= 0")
_seconds = _checked(float, lambda v: 0 <= v < 86400, "must be between 0 and 86400 seconds")
_seed = _checked(int, lambda v: v >= 0, "must be an integer >= 0")
_port = _checked(int, lambda v: 0 <= v <= 65535, "must be a TCP port, 0 to 65535")
_latency = _checked(float, lambda v: 0 <= v <= 60000, "must be milliseconds, 0 to 60000")
_rate = _checked(int, lambda v: 1 <= v <= 1_000_000, "must be an integer >= 1 (per second)")


def _date(ctx: click.Context, param: click.Parameter, text: str | None) -> dt.date | None:
    """``--date``: the clock's rule, as its message."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(
    "sandbox",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="\b\nExample:\n  smsp sandbox --port 8765 --seed 0",
)
@click.option(
    "--port",
    default="8765",
    callback=_port,
    metavar="PORT",
    show_default=True,
    help="TCP port on 127.0.0.1 (0 picks a free port)",
)
@click.option("--api-key", default=None, help="the key to accept (default: random)")
@click.option(
    "--seed",
    default="0",
    callback=_seed,
    metavar="N",
    show_default=True,
    help="seed of the synthetic audiences",
)
@click.option(
    "--credit",
    default=str(DEFAULT_CREDIT_EUR),
    callback=_money,
    metavar="EUR",
    show_default=True,
    help="starting EUR balance",
)
@click.option(
    "--rental-delay",
    default=str(DEFAULT_RENTAL_DELAY),
    callback=_seconds,
    metavar="SECONDS",
    show_default=True,
    help="seconds for a rental to go from status 0 to 2",
)
@click.option(
    "--state",
    default=None,
    metavar="PATH",
    help="SQLite file for balance and rentals (default: a temporary file)",
)
@click.option(
    "--unit-price",
    default=str(DEFAULT_UNIT_PRICE),
    callback=_money,
    metavar="EUR",
    show_default=True,
    help="EUR per contact",
)
@click.option(
    "--errors-http-200", is_flag=True, help="send vendor errors with HTTP 200 instead of 4xx"
)
@click.option(
    "--allow-ip", multiple=True, metavar="IP", help="IP allow list (repeatable); others get code 96"
)
@click.option(
    "--date",
    default=None,
    callback=_date,
    metavar="YYYY-MM-DD",
    help=f"the sandbox's date: audiences and prices of that month (default: today's "
    f"date, read at start; the model's reference month is {REFERENCE_DATE})",
)
@click.option(
    "--latency",
    default="0",
    callback=_latency,
    metavar="MS",
    help="delay every API answer by about MS milliseconds, with jitter",
)
@click.option(
    "--rate-limit",
    default=None,
    callback=_rate,
    metavar="N",
    help="answer 429 with Retry-After beyond N API requests per second per key",
)
def sandbox_command(**options: Any) -> int:
    """Serve the offline sandbox (an emulator of the vendor API; all its data are synthetic)
    on 127.0.0.1 until Ctrl-C.

    It prints a base URL and a key: set SMSPARTNER_BASE_URL and SMSPARTNER_API_KEY to them
    to point every command and notebook at it.
    """
    code = serve(SimpleNamespace(**options))
    if code:
        raise click.exceptions.Exit(code)
    return code


def parse_args(argv: Sequence[str]) -> SimpleNamespace:
    """The options of ``argv`` as attributes, read by :data:`sandbox_command` (a usage error
    prints its line and exits with status 2, as on the command line)."""
    try:
        with sandbox_command.make_context("smsp sandbox", list(argv)) as ctx:
            return SimpleNamespace(**ctx.params)
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None


def main(argv: list[str] | None = None) -> int:
    """``python -m smsp_analytics.sandbox``: run :data:`sandbox_command`; the exit status."""
    try:
        return int(
            sandbox_command.main(
                args=argv, prog_name="python -m smsp_analytics.sandbox", standalone_mode=False
            )
            or 0
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        return 130


def serve(args: SimpleNamespace) -> int:
    """Run the sandbox with the options read until interrupted; returns the exit status."""
    # Here, not at the top: `smsp --help` registers this command without loading the server.
    from smsp_analytics.sandbox.server import Sandbox

    sandbox = Sandbox(
        api_key=args.api_key,
        seed=args.seed,
        credit_eur=args.credit,
        rental_delay=args.rental_delay,
        state_path=args.state,
        unit_price=args.unit_price,
        errors_http_200=args.errors_http_200,
        port=args.port,
        allowed_ips=list(args.allow_ip) or None,
        log_level="info",
        date=args.date,
        latency_ms=args.latency,
        rate_limit=args.rate_limit,
    )
    # Ctrl-C (SIGINT) and SIGTERM (service managers, Popen.terminate) stop the server
    # cleanly, so the SQLite state is closed. Their handlers only note the request: a
    # KeyboardInterrupt raised while the loop below asks whether the server thread is alive
    # could land inside that check (CPython's Thread.is_alive) and leave the thread taken
    # for stopped, or the stop hanging. Set before the server starts: a signal sent as soon
    # as the banner is read must find them.
    asked: list[int] = []
    previous = _on_stop_signals(asked.append)
    try:
        try:
            sandbox.start()
        except OSError as exc:
            print(f"smsp sandbox: cannot listen on port {args.port}: {exc}", file=sys.stderr)
            return 1
        if not asked:
            _banner(sandbox, args)
        while sandbox.running and not asked:
            time.sleep(0.2)
        if asked:
            print("\nstopping.", flush=True)
    except KeyboardInterrupt:  # signals left as they were (not the main thread)
        print("\nstopping.", flush=True)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sandbox.stop()
    return 0


def _on_stop_signals(note: Callable[[int], object]) -> dict[int, Any]:
    """Make SIGINT and SIGTERM call ``note(signum)``; the handlers they replace (none when
    not called from the main thread, where Python allows no handler)."""
    previous: dict[int, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[signum] = signal.signal(signum, lambda num, _frame: note(num))
        except ValueError:  # not the main thread: leave them
            break
    return previous


def _banner(sandbox: Any, args: SimpleNamespace) -> None:
    print("SMS Partner sandbox (offline emulator). All its data are SYNTHETIC.", flush=True)
    print(f"  base URL : {sandbox.base_url}")
    print(f"  API key  : {sandbox.api_key}")
    print(f"  admin    : {sandbox.admin_url} (reset, faults, stats)")
    print(f"  OpenAPI  : {sandbox.url}openapi.json")
    print(
        f"  date     : {_date_line(sandbox.date, args.date is None)} "
        f"(move it: POST {sandbox.admin_url}clock)"
    )
    print("Press Ctrl-C to stop.", flush=True)


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
