"""The ``smsp`` command line: one decorated click function per command.

Importing the package imports each command module once; their decorators register the
commands in the group (:data:`smsp_analytics.cli.registry.cli`). No module of the package
imports pandas or the client at its top, so ``smsp --help`` and ``smsp sandbox`` stay light.
"""

from __future__ import annotations

from typing import Any

from smsp_analytics.cli.registry import cli

# Imported for their decorators, which register the commands; in this order, which is the
# order of `smsp --help` (hence not sorted).
# isort: off
from smsp_analytics.cli import commands, journal, campaign, account, history, serve  # noqa: F401
# isort: on

__all__ = ["main", "cli"]


def __getattr__(name: str) -> Any:
    # Not imported above: `python -m smsp_analytics.cli.main` runs that module as __main__.
    if name == "main":
        from smsp_analytics.cli.main import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
