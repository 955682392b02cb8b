"""The audience explorer served as a Voila app (``smsp app``) and its notebook."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "main",
    "serve",
    "notebook_path",
    "voila_command",
    "voila_env",
    "jupyter_path",
    "free_port",
    "DEFAULT_PORT",
    "TEMPLATE",
]

if TYPE_CHECKING:
    from smsp_analytics.app.serve import (
        DEFAULT_PORT,
        TEMPLATE,
        free_port,
        jupyter_path,
        main,
        notebook_path,
        serve,
        voila_command,
        voila_env,
    )


def __getattr__(name: str) -> Any:
    # Lazy: importing a sibling module of this package does not load smsp_analytics.app.serve.
    if name in __all__:
        return getattr(import_module("smsp_analytics.app.serve"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
