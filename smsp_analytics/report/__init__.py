"""The cost comparison report: ``smsp report`` and :func:`build_report`.

``smsp report [--out report.html] [--xlsx report.xlsx] [--seed N] [--budget EUR]`` writes a
self-contained HTML page (plotly.js inline, no network needed to open it) and optionally an
Excel workbook with one sheet per table. Without ``SMSPARTNER_API_KEY`` it runs on the offline
sandbox (synthetic data, marked as such on every part of the page).

>>> import tempfile, pathlib
>>> from smsp_analytics.report import build_report
>>> rep = build_report()                   # no key: the sandbox, seed 0
>>> page = rep.to_html(pathlib.Path(tempfile.mkdtemp()) / "report.html")
>>> "SYNTHETIC DATA" in page and "<script src=" not in page
True
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core import DEFAULT_SEED, TABLE_TITLES, Report, Section, build_report
from .scenarios import (
    AGE_BANDS,
    DEFAULT_BUDGET_EUR,
    DEFAULT_REGION,
    DEFAULT_SCENARIOS,
    Scenario,
    default_scenarios,
)

__all__ = [
    "Report",
    "Section",
    "Scenario",
    "build_report",
    "default_scenarios",
    "DEFAULT_SCENARIOS",
    "DEFAULT_REGION",
    "DEFAULT_BUDGET_EUR",
    "DEFAULT_SEED",
    "AGE_BANDS",
    "TABLE_TITLES",
    "main",
]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="smsp report",
        description="Write the cost comparison report: a self-contained HTML page (opens "
                    "with no network) and optionally an Excel workbook. Without "
                    "SMSPARTNER_API_KEY it uses the offline sandbox (synthetic data).")
    p.add_argument("--out", default="report.html", help="HTML file to write (default: %(default)s)")
    p.add_argument("--xlsx", default=None, help="also write this Excel workbook")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help="sandbox seed (synthetic data only; default: %(default)s)")
    p.add_argument("--budget", type=float, default=DEFAULT_BUDGET_EUR,
                   help="budget of the plan, in euros (default: %(default)s)")
    return p


def _client(seed: int):
    from .core import _default_client

    return _default_client(seed)


def main(argv: list[str] | None = None) -> int:
    """``smsp report``: build, write, print where it wrote and a one-line summary."""
    args = _parser().parse_args(argv)
    if args.budget <= 0:
        print("smsp report: --budget must be > 0", file=sys.stderr)
        return 2
    client = _client(args.seed)
    try:
        report = build_report(client, seed=args.seed, budget_eur=args.budget)
    finally:
        if hasattr(client, "close"):
            client.close()
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    report.to_html(out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes, self-contained: opens with no network)")
    if args.xlsx:
        xlsx = Path(args.xlsx)
        if xlsx.parent and not xlsx.parent.exists():
            xlsx.parent.mkdir(parents=True, exist_ok=True)
        report.to_excel(xlsx)
        print(f"wrote {xlsx}")
    mark = f"SYNTHETIC DATA (sandbox, seed {args.seed}). " if report.synthetic else ""
    print(f"{mark}{report.summary}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
