"""The app's Python kernel: ipykernel, started without an import that costs seconds.

``smsp app`` runs Voila with the app's own Jupyter folder first on ``JUPYTER_PATH``
(:func:`smsp_analytics.app.serve.voila_env`); its ``kernels/python3/kernel.json`` starts this
module instead of ``ipykernel_launcher``, for the app's kernels only.

Why: plotly's ``FigureWidget`` imports nbformat, which imports jsonschema, which imports the
optional ``rfc3987_syntax`` (installed with jupyter-events' ``jsonschema[format-nongpl]``):
it compiles 39 Lark grammars at import, 1.5-2 s on a quiet machine and 5-10 s on a busy one
(python-jsonschema/jsonschema#1428), before the first chart can be drawn. The app validates
no IRI, so its processes do without it: :func:`skip_slow_imports`.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["SLOW_OPTIONAL_IMPORTS", "skip_slow_imports", "main"]

#: Optional modules the app's processes never need and that take seconds to import; the
#: libraries that try them carry on without them (``except ImportError``).
SLOW_OPTIONAL_IMPORTS: tuple[str, ...] = ("rfc3987_syntax",)


def skip_slow_imports() -> list[str]:
    """Make the :data:`SLOW_OPTIONAL_IMPORTS` not yet imported fail fast with ImportError (a
    ``None`` entry in ``sys.modules``); returns the names skipped. For the app's own
    processes only (the kernel, the Voila server): it is process-wide."""
    skipped = [name for name in SLOW_OPTIONAL_IMPORTS if name not in sys.modules]
    for name in skipped:
        sys.modules[name] = None  # type: ignore[assignment]
    return skipped


def main() -> None:
    """Start an ipykernel as ``python -m ipykernel_launcher`` does."""
    skip_slow_imports()
    # As ipykernel_launcher: the working folder must not shadow installed packages while the
    # kernel loads (IPython puts it back).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
