"""The ``smsp`` subcommands of the client: calcul, price, rent, status, download, credits,
categories, sweep. ``main(argv)`` parses ``<subcommand> ...`` and returns the exit code:
0 success, 1 API or network error (or rent declined), 2 bad input (one line on stderr
naming the field).

>>> main(["calcul", "--gender", "x", "--interest", "14"])  # one line on stderr names the field
2
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import platformdirs

from .client import Client
from .errors import RentConsentError, SmsPartnerError, SweepError, TargetingError, redact
from .targeting import Targeting

__all__ = ["main", "SUBCOMMANDS"]

SUBCOMMANDS = ("calcul", "price", "rent", "status", "download", "credits", "categories",
               "sweep")


class _BadInput(Exception):
    """Bad command-line input: one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + error
        raise _BadInput(message)


def _targeting_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gender", default="m", help="m (mixed), h (men), f (women); or all/men/women")
    p.add_argument("--age", default="18-98", help="age band MIN-MAX, e.g. 25-35")
    p.add_argument("--interest", default=None, help="main interest id")
    p.add_argument("--sub-interest", default=None, help="sub-interest id")
    p.add_argument("--category", default=None, help="102 (CSP+) or 103 (CSP-)")
    p.add_argument("--departments", default=None, help="comma-separated codes, e.g. 60,02")
    p.add_argument("--zipcodes", default=None, help="comma-separated zip codes")
    p.add_argument("--region", default=None, help="all departments of a region (by name)")


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="output format (default: table)")
    p.add_argument("--xml", action="store_true", help="ask the API for XML (same result)")


def _parser() -> _Parser:
    parser = _Parser(prog="smsp", description="SMS Partner contact rental from the shell. "
                     "Without SMSPARTNER_API_KEY the local sandbox (synthetic data) is used.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, text in (("calcul", "count and cost of the contacts of a targeting"),
                       ("price", "cost of volumes of a targeting"),
                       ("rent", "rent contacts (charges the account; asks for consent)")):
        p = sub.add_parser(name, help=text)
        _targeting_args(p)
        _output_args(p)
        if name != "calcul":
            p.add_argument("--volumes", default=None,
                           help="desired volume per locality, e.g. 60=100,02=50")
        if name == "rent":
            p.add_argument("--yes", action="store_true", help="consent without asking")
            p.add_argument("--max-cost", type=float, default=None,
                           help="refuse if the quote exceeds this many EUR")
            p.add_argument("--again", action="store_true",
                           help="allow renting the same targeting twice within 24 h")
    p = sub.add_parser("status", help="state of a rental")
    p.add_argument("token")
    _output_args(p)
    p = sub.add_parser("download", help="download the rented numbers (once)")
    p.add_argument("token")
    p.add_argument("--out", default=None, help="write the CSV file here (atomically)")
    _output_args(p)
    p = sub.add_parser("credits", help="account credits and balance")
    _output_args(p)
    p = sub.add_parser("categories", help="interests and sub-interests")
    _output_args(p)
    p = sub.add_parser("sweep", help="count every combination of --by values per locality")
    _targeting_args(p)
    _output_args(p)
    p.add_argument("--by", action="append", default=[], metavar="FIELD=V1,V2",
                   help="gender=f,h | age=18-24,25-34 | interest=10,14 | sub_interest=.. | "
                        "category=102,103 (repeatable)")
    p.add_argument("--geo", choices=("departments", "zipcodes", "none"), default="departments")
    p.add_argument("--out", default=None, help="write the frame as CSV to this file")
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--no-progress", action="store_true")
    return parser


def _int_or_none(name: str, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        if name == "category":
            return value  # "CSP+" / "CSP-"
        raise TargetingError(name, value, "an integer", code=None) from None


def _targeting(args: argparse.Namespace) -> Targeting:
    age = args.age.split("-")
    if len(age) != 2:
        raise TargetingError("age", args.age, "MIN-MAX such as 25-35", code=None)
    kwargs: dict[str, Any] = dict(
        gender=args.gender, age=tuple(a.strip() for a in age),
        interest=_int_or_none("interest", args.interest),
        sub_interest=_int_or_none("sub_interest", args.sub_interest),
        category=_int_or_none("category", args.category),
        zipcodes=args.zipcodes.split(",") if args.zipcodes else ())
    if args.region:
        return Targeting.for_region(args.region, **kwargs)
    kwargs["departments"] = args.departments.split(",") if args.departments else ()
    return Targeting(**kwargs)


def _volumes(text: str | None) -> dict[str, int] | None:
    if not text:
        return None
    out: dict[str, int] = {}
    for item in text.split(","):
        loc, sep, n = item.partition("=")
        if not sep:
            raise TargetingError("volumes", item, "LOCALITY=N pairs such as 60=100,02=50",
                                 code=None)
        try:
            out[loc.strip()] = int(n)
        except ValueError:
            raise TargetingError("volumes", item, "an integer volume", code=None) from None
    return out


def _by(items: list[str], t: Targeting) -> dict[str, list[Any]]:
    """``--by`` values, each checked against the targeting before any sandbox or call."""
    from .sweeps import SWEEP_FIELDS

    out: dict[str, list[Any]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not values:
            raise TargetingError("by", item, "FIELD=V1,V2 such as gender=f,h", code=None)
        if name not in SWEEP_FIELDS:
            raise TargetingError("by", name, ", ".join(SWEEP_FIELDS), code=None)
        vals = [v.strip() for v in values.split(",") if v.strip()]
        if name not in ("age", "gender"):
            vals = [_int_or_none(name, v) for v in vals]
        for v in vals:
            dataclasses.replace(t, **{name: v})  # raises TargetingError naming the field
        out[name] = vals
    return out


def _emit(df: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False) + "\n")
    else:
        # Money reads as money on screen (119.70, 0.090); csv/json keep the raw numbers.
        money = {c: (lambda v, d=3 if c.startswith("unit_") else 2:
                     "" if pd.isna(v) else f"{v:.{d}f}")
                 for c in df.columns if c.endswith("_eur")}
        with pd.option_context("display.max_rows", 200, "display.width", 140):
            sys.stdout.write(df.to_string(index=False, formatters=money) + "\n")


def _client(args: argparse.Namespace) -> Client:
    fmt = "xml" if getattr(args, "xml", False) else "json"
    if os.environ.get("SMSPARTNER_API_KEY"):
        return Client(format=fmt, announce=False)
    # Each command is a new process with a new sandbox: keep the sandbox's balance and rentals
    # in a file so that `smsp rent` then `smsp status TOKEN` / `smsp download TOKEN` work.
    home = Path(platformdirs.user_data_dir("smsp-analytics"))
    home.mkdir(parents=True, exist_ok=True)
    state = home / "cli-sandbox-state.sqlite"
    print(f"smsp: no SMSPARTNER_API_KEY set: using the local sandbox (synthetic data; "
          f"balance and rentals kept in {state}, delete it to start afresh)", file=sys.stderr)
    # The rent journal follows the sandbox's state, so its 24-hour guard spans commands too.
    return Client(format=fmt, announce=False, sandbox={"state_path": str(state)},
                  journal=home / "cli-sandbox-journal.sqlite")


def _summary(df: pd.DataFrame) -> None:
    a = df.attrs
    if a.get("total_quantity") is not None:
        src = "SYNTHETIC (sandbox)" if a.get("synthetic") else "api"
        print(f"total: {a['total_quantity']:,.0f} contacts, {a.get('total_cost_eur') or 0:.2f} EUR "
              f"({src})", file=sys.stderr)


def _consent(quote: dict[str, Any]) -> bool:
    cost = f"{quote['cost_eur']:.2f}"
    print(f"Quote: {quote['volume']:,.0f} contacts ({quote['targeting']}) for {cost} "
          f"{quote['currency']}; balance {quote['balance_eur']:.2f} {quote['currency']}.",
          file=sys.stderr)
    sys.stderr.write(f"Type {cost} or 'yes' to rent: ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip()
    return answer.lower() == "yes" or answer == cost


def _run(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd in ("calcul", "price", "rent", "sweep"):
        t = _targeting(args)  # bad input fails here, before any sandbox or call
        vols = _volumes(getattr(args, "volumes", None))
        by = _by(args.by, t) if cmd == "sweep" else None
    with _client(args) as client:
        if cmd == "calcul":
            df = client.calcul(t)
        elif cmd == "price":
            df = client.price(t, vols)
        elif cmd == "rent":
            client.check_rent(t, vols, again=args.again)  # refuse before asking consent
            quote = client.quote(t, vols)
            if not args.yes and not _consent(quote):
                print("smsp rent: not confirmed; nothing rented", file=sys.stderr)
                return 1
            rental = client.rent(t, vols, confirm=True, max_cost_eur=args.max_cost,
                                 again=args.again)
            print(f"rented: token {rental.token}, {rental.cost_eur:.2f} EUR "
                  f"(journal entry {rental.entry_id})", file=sys.stderr)
            df = rental.frame.assign(token=rental.token)
        elif cmd == "status":
            df = client.status(args.token)
        elif cmd == "download":
            df = client.download(args.token, args.out)
            if args.out:  # the numbers went to the file, not to the screen (as sweep --out)
                print(f"wrote {len(df)} numbers to {args.out}", file=sys.stderr)
                return 0
        elif cmd == "credits":
            df = client.credits().to_frame()
        elif cmd == "categories":
            df = client.categories()
        else:
            geo = None if args.geo == "none" else args.geo
            from .sweeps import sweep

            df = sweep(t, by, geo=geo, client=client, max_workers=args.workers,
                       progress=not args.no_progress)
            if args.out:
                df.to_csv(args.out, index=False)
                print(f"wrote {len(df)} rows to {args.out}", file=sys.stderr)
                return 0
        _emit(df, args.format)
        if cmd in ("calcul", "price"):
            _summary(df)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smsp <subcommand> ...``; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        return _run(args)
    except _BadInput as exc:
        print(f"smsp{' ' + argv[0] if argv and argv[0] in SUBCOMMANDS else ''}: error: "
              f"{exc}", file=sys.stderr)
        return 2
    except (TargetingError, ValueError) as exc:
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"smsp {argv[0]}: error: {redact(line)}", file=sys.stderr)
        return 2
    except RentConsentError as exc:
        print(f"smsp {argv[0]}: {exc}", file=sys.stderr)
        return 1
    except SweepError as exc:
        print(f"smsp sweep: {exc}", file=sys.stderr)
        return 1
    except SmsPartnerError as exc:
        print(f"smsp {argv[0]}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("smsp: interrupted", file=sys.stderr)
        return 130
