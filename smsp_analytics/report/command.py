"""``smsp report``: the command line of the cost comparison report.

``smsp report [--scenarios FILE.toml] [--title T] [--budget EUR] [--out report.html]
[--xlsx report.xlsx] [--seed N] [--message TEXT] [--price-per-sms EUR]``. Usage errors, an invalid scenarios file among them,
exit with status 2 before any call, and nothing is written.

>>> main(["--budget", "0"])
2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smsp_analytics.errors import TargetingError

from smsp_analytics.report.build import build_report
from smsp_analytics.report.model import DEFAULT_SEED
from smsp_analytics.report.scenario_file import ScenarioFileError, load_scenario_file
from smsp_analytics.report.scenarios import DEFAULT_BUDGET_EUR

__all__ = ["main", "parser", "run"]

_EXAMPLE = """example:
  smsp report --scenarios examples/scenarios.toml --budget 2000 --xlsx report.xlsx

scenarios file (TOML):
  title = "Spring campaign"
  message = "Spring sale: -20% this Saturday"   # optional, the message costed
  price_per_sms = 0.038                         # optional, EUR per SMS
  [[scenario]]
  name = "Women 25-34, Oise"
  gender = "women"
  age = [25, 34]
  interest = 14
  departments = ["60"]
"""


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``smsp report``."""
    p = argparse.ArgumentParser(
        prog="smsp report", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write the cost comparison report of your scenarios (or of the demo "
                    "scenarios): a self-contained HTML page (opens with no network) and "
                    "optionally an Excel workbook. Without SMSPARTNER_API_KEY it uses the "
                    "offline sandbox (synthetic data).", epilog=_EXAMPLE)
    p.add_argument("--scenarios", metavar="FILE.toml", default=None,
                   help="your scenarios (TOML, see below); default: four demo scenarios in "
                        "Hauts-de-France")
    p.add_argument("--title", default=None,
                   help="title of the report (default: the file's title, else a generic one)")
    p.add_argument("--out", default="report.html", help="HTML file to write (default: %(default)s)")
    p.add_argument("--xlsx", default=None, help="also write this Excel workbook")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help="sandbox seed (synthetic data only; default: %(default)s)")
    p.add_argument("--budget", type=float, default=DEFAULT_BUDGET_EUR,
                   help="budget of the plan, in euros (default: %(default)s)")
    p.add_argument("--message", metavar="TEXT", default=None,
                   help="the SMS whose sending cost the campaign section adds (default: the "
                        "file's message, else a one-SMS demo text)")
    p.add_argument("--price-per-sms", metavar="EUR", type=float, default=None,
                   help="your price per SMS in EUR (default: the file's, else the sandbox's "
                        "0.038 on synthetic data; required against the real API)")
    return p


def _usage_error(message: str) -> int:
    print(f"smsp report: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """``smsp report``: build, write, print where it wrote and a one-line summary.

    Returns the exit status: 0, or 2 for a usage error (bad option, invalid scenarios file).
    """
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    return run(**vars(args))


def run(*, scenarios: str | None = None, title: str | None = None,
        out: str | Path = "report.html", xlsx: str | Path | None = None,
        seed: int = DEFAULT_SEED, budget: float = DEFAULT_BUDGET_EUR,
        message: str | None = None, price_per_sms: float | None = None) -> int:
    """The command once its options are read (by ``smsp report``'s click command or by
    :func:`main`): checks, builds, writes; returns the exit status (0, or 2 on bad input)."""
    args = argparse.Namespace(scenarios=scenarios, title=title, out=out, xlsx=xlsx,
                              seed=seed, budget=budget, message=message,
                              price_per_sms=price_per_sms)
    if not args.budget > 0:
        return _usage_error(f"--budget: invalid value {args.budget:g}; allowed: a number > 0")
    title, scenarios, settings = None, None, {}
    if args.scenarios is not None:
        try:
            title, scenarios, settings = load_scenario_file(args.scenarios)
        except ScenarioFileError as exc:
            return _usage_error(str(exc))
    message = args.message if args.message is not None else settings.get("message")
    price = args.price_per_sms if args.price_per_sms is not None \
        else settings.get("price_per_sms")
    if args.price_per_sms is not None and not args.price_per_sms > 0:
        return _usage_error(f"--price-per-sms: invalid value {args.price_per_sms:g}; "
                            "allowed: a number of EUR > 0 (e.g. 0.038)")
    try:
        report = build_report(scenarios=scenarios, title=args.title or title,
                              seed=args.seed, budget_eur=args.budget, message=message,
                              price_per_sms=price)
    except TargetingError as exc:  # an interest id the catalogue does not know
        return _usage_error(f"{args.scenarios}: {exc.message}" if args.scenarios
                            else str(exc))
    except ValueError as exc:  # the message (codes 52/42) or the price, before any call
        flag = {"message": "--message", "price_per_sms": "--price-per-sms"}
        text = str(exc)
        field = text.split(":", 1)[0]
        return _usage_error(f"{flag[field]}: {text.split(':', 1)[1].strip()}"
                            if field in flag else text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    report.to_html(out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes, self-contained: opens with no network)")
    if args.xlsx:
        xlsx = Path(args.xlsx)
        xlsx.parent.mkdir(parents=True, exist_ok=True)
        report.to_excel(xlsx)
        print(f"wrote {xlsx}")
    mark = f"SYNTHETIC DATA (sandbox, seed {args.seed}). " if report.synthetic else ""
    print(f"{mark}{report.summary}")
    return 0
