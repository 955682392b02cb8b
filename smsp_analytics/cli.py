"""The ``smsp`` command: one entry point that hands each subcommand to its module.

Subcommands are imported lazily so that ``smsp sandbox`` does not load the client side
(and pandas/plotly are only loaded by the commands that need them).
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

# subcommand -> (module, one-line help). Each module exposes ``main(argv) -> int``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "sandbox": ("smsp_analytics.sandbox.cli", "serve the offline sandbox (synthetic data)"),
    "calcul": ("smsp_analytics.commands", "count and cost of the contacts matching a targeting"),
    "price": ("smsp_analytics.commands", "cost of given volumes per locality"),
    "rent": ("smsp_analytics.commands", "rent contacts (charges the account; asks for consent)"),
    "status": ("smsp_analytics.commands", "status of a rental"),
    "download": ("smsp_analytics.commands", "download a rental's phone numbers"),
    "credits": ("smsp_analytics.commands", "account balance and credits"),
    "categories": ("smsp_analytics.commands", "interests and sub-interests"),
    "sweep": ("smsp_analytics.commands", "compare many targetings by locality"),
    "report": ("smsp_analytics.report", "write the HTML (and Excel) cost comparison report"),
    "app": ("smsp_analytics.app", "serve the audience explorer as a Voila app"),
}
# Modules that take the subcommand name as their first argument.
_SHARED = {"smsp_analytics.commands"}


def usage() -> str:
    width = max(map(len, SUBCOMMANDS))
    lines = ["usage: smsp <command> [options]", "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, (_, text) in SUBCOMMANDS.items()]
    lines += ["", "Without SMSPARTNER_API_KEY every command uses the offline sandbox (synthetic data).",
              "Run 'smsp <command> --help' for its options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name in {"-V", "--version"}:
        from smsp_analytics import __version__
        print(f"smsp-analytics {__version__}")
        return 0
    if name not in SUBCOMMANDS:
        print(f"smsp: unknown command {name!r}; allowed: {', '.join(SUBCOMMANDS)}", file=sys.stderr)
        return 2
    module_name = SUBCOMMANDS[name][0]
    module = import_module(module_name)
    try:
        result = module.main([name, *rest] if module_name in _SHARED else rest)
    except BrokenPipeError:
        # The reader went away (`smsp categories | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
