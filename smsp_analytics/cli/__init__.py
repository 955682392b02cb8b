"""The ``smsp`` command line: one decorated function per command.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ['main', 'cli', 'SUBCOMMANDS', 'flags_text']

if TYPE_CHECKING:
    from smsp_analytics.cli.main import (main, cli, SUBCOMMANDS, flags_text)


def __getattr__(name: str) -> Any:
    # Lazy: importing a sibling module of this package does not load smsp_analytics.cli.main.
    if name in __all__:
        return getattr(import_module("smsp_analytics.cli.main"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
