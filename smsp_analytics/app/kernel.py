"""The app's Python kernel: ipykernel, started without an import that costs seconds, with
its sandbox's process spawned first.

``smsp app`` runs Voila with the app's own Jupyter folder first on ``JUPYTER_PATH``
(:func:`smsp_analytics.app.serve.voila_env`); its ``kernels/python3/kernel.json`` starts this
module instead of ``ipykernel_launcher``, for the app's kernels only.

Why a launcher of its own:

- plotly's ``FigureWidget`` imports nbformat, which imports jsonschema, which imports the
  optional ``rfc3987_syntax`` (installed with jupyter-events' ``jsonschema[format-nongpl]``):
  it compiles 39 Lark grammars at import, 1.5-2 s on a quiet machine and 5-10 s on a busy
  one (python-jsonschema/jsonschema#1428), before the first chart can be drawn. The app
  validates no IRI, so its processes do without it: :func:`skip_slow_imports`.
- The kernel also does without two optional imports that only other uses need
  (:data:`KERNEL_SKIPPED_IMPORTS`, 0.3-0.6 s of its start): ``debugpy``, for a debugger
  the app's page has no way to use (ipykernel then reports none), and ``nbformat``, which
  plotly imports only for ``fig.show()`` in a notebook's output (its jsonschema with its
  format checkers follows it); the app's figures are widgets. Voila's own process, which
  reads the notebook, keeps nbformat.
- Without ``SMSPARTNER_API_KEY`` the explorer's client serves from the offline sandbox, whose
  server (FastAPI, uvicorn, the synthetic audiences) takes a second or more to import. Its
  process is spawned here, before the kernel imports anything else, so that it imports the
  server on the machine's other core while the kernel imports ipykernel, pandas and plotly
  and runs the notebook; :func:`smsp_analytics.app.explorer.explorer` takes it
  (:func:`take_sandbox_process`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from smsp_analytics.vocab import ENV_API_KEY

if TYPE_CHECKING:
    from smsp_analytics.sandbox.process import SandboxProcess

__all__ = [
    "SLOW_OPTIONAL_IMPORTS",
    "KERNEL_SKIPPED_IMPORTS",
    "skip_slow_imports",
    "spawn_sandbox_process",
    "take_sandbox_process",
    "main",
]

#: Optional modules the app's processes never need and that take seconds to import; the
#: libraries that try them carry on without them (``except ImportError``).
SLOW_OPTIONAL_IMPORTS: tuple[str, ...] = ("rfc3987_syntax",)
#: Optional modules the app's kernel does without too: ipykernel's debugger (``debugpy``) and
#: what plotly's ``fig.show()`` needs (``nbformat``), neither used by the explorer.
KERNEL_SKIPPED_IMPORTS: tuple[str, ...] = ("debugpy", "nbformat")

# The sandbox process spawned at the kernel's start, until the explorer takes it.
_spawned: list[SandboxProcess] = []


def skip_slow_imports(names: tuple[str, ...] = SLOW_OPTIONAL_IMPORTS) -> list[str]:
    """Make the modules ``names`` not yet imported fail fast with ImportError (a ``None``
    entry in ``sys.modules``); returns the names skipped. For the app's own processes only
    (the kernel, the Voila server): it is process-wide."""
    skipped = [name for name in names if name not in sys.modules]
    for name in skipped:
        sys.modules[name] = None  # type: ignore[assignment]
    return skipped


def spawn_sandbox_process() -> SandboxProcess | None:
    """Spawn the process of the sandbox the explorer will use, when it will use one (no
    ``SMSPARTNER_API_KEY``) and a child can serve it (POSIX); kept for
    :func:`take_sandbox_process`. Only the standard library is imported to do so."""
    if os.environ.get(ENV_API_KEY, "").strip():
        return None
    from smsp_analytics.sandbox.process import SandboxProcess, process_supported

    if not process_supported():
        return None
    proc = SandboxProcess()
    _spawned.append(proc)
    return proc


def take_sandbox_process() -> SandboxProcess | None:
    """The sandbox process spawned at this kernel's start, once, if it is still waiting for
    its configuration (None otherwise: outside the app's kernel, a key set, taken already).

    >>> take_sandbox_process() is None   # not in the app's kernel
    True
    """
    while _spawned:
        proc = _spawned.pop()
        if proc.alive and not proc.configured:
            return proc
        proc.stop()
    return None


def main() -> None:
    """Start an ipykernel as ``python -m ipykernel_launcher`` does, the sandbox's process
    first."""
    skip_slow_imports(SLOW_OPTIONAL_IMPORTS + KERNEL_SKIPPED_IMPORTS)
    spawn_sandbox_process()
    # As ipykernel_launcher: the working folder must not shadow installed packages while the
    # kernel loads (IPython puts it back).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    # Through the package's module, not this ``__main__`` copy: the explorer finds the
    # spawned process in ``smsp_analytics.app.kernel``.
    from smsp_analytics.app import kernel

    kernel.main()
