"""The audience explorer served as a Voila app (``smsp app``) and its notebook.

``serve`` runs Voila (``launch``) on the app's notebook, whose one cell is
:func:`smsp_analytics.app.explorer.explorer`; the app's kernels start from ``kernel``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smsp_analytics._compat import lazy_exports

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
    "DENIED_EXTENSIONS",
    "figure_module_folder",
]

if TYPE_CHECKING:
    from smsp_analytics.app.serve import (
        DEFAULT_PORT,
        DENIED_EXTENSIONS,
        TEMPLATE,
        figure_module_folder,
        free_port,
        jupyter_path,
        main,
        notebook_path,
        serve,
        voila_command,
        voila_env,
    )


__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "smsp_analytics.app.serve"))
