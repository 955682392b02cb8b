"""``smsp app``: serve the audience explorer (the shipped notebook) as a Voila app.

Voila runs in a child process of the same Python (``sys.executable -m
smsp_analytics.app.launch``: Voila's own entry point, see :mod:`smsp_analytics.app.launch`),
so it finds the installed package. The app's Jupyter folder (:func:`jupyter_path`) comes first
on ``JUPYTER_PATH``: its Voila template (no CDN links) and its ``python3`` kernelspec (the
app's kernel, :mod:`smsp_analytics.app.kernel`). Without ``SMSPARTNER_API_KEY`` the
kernel's client starts the offline sandbox (synthetic data, seed 0, so the numbers are the
same on every start). The app speaks the language of ``lang`` (``SMSP_LANG`` in the
kernel's environment), else the one in force.

Example::

    $ smsp app --port 8866
    smsp app: serving the audience explorer at http://127.0.0.1:8866/ (Ctrl+C to stop)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import FrameType

import platformdirs

from smsp_analytics.i18n import LANG_ENV, check_lang, get_lang
from smsp_analytics.vocab import APP_NAME

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

DEFAULT_PORT = 8866
HOST = "127.0.0.1"


def notebook_path() -> Path:
    """The explorer notebook shipped inside the package (works from an installed wheel)."""
    path = Path(__file__).resolve().parent / "notebook" / "explorer.ipynb"
    if not path.is_file():
        raise FileNotFoundError(f"explorer notebook missing from the package: {path}")
    return path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


TEMPLATE = "smsp-offline"
#: Seconds after a visitor took the prepared kernel before the next one is prepared: long
#: enough for the first page to draw its panel without a second kernel starting beside it
#: (two cores), short because Voila hands the next visitor that very kernel, waiting for
#: it: with 60 s, a second page opened within the minute waited up to a minute.
REFILL_DELAY_S = 5.0

#: Front-end extensions Voila would load and the app does not use, each a script fetched and
#: run before the page can ask for its widgets: plotly's JupyterLab renderer draws plotly
#: *outputs* (the app's figures are FigureWidgets, anywidget), and ``jupyterlab_pygments``
#: colours code (the app shows none). JupyterLab's widget manager (``jupyterlab_widgets``,
#: pinned to the JupyterLab inside Voila's page, so that it logs no "Unsatisfied version"
#: warning) stays: it gives the page the base and control widgets.
DENIED_EXTENSIONS: tuple[str, ...] = ("jupyterlab-plotly", "jupyterlab_pygments")


def jupyter_path() -> Path:
    """The app's Jupyter folder, to put first on ``JUPYTER_PATH``: its Voila template
    (``voila/templates/smsp-offline``: Voila's lab template without its CDN font links) and
    its ``kernels/python3`` (the app's kernel, :mod:`smsp_analytics.app.kernel`)."""
    return Path(__file__).resolve().parent / "notebook" / "jupyter"


def figure_module_folder() -> Path:
    """A Jupyter data folder whose ``labextensions/widgetbundle.js`` is plotly's figure module,
    so that the app's page serves it at ``voila/labextensions/widgetbundle.js``
    (:data:`smsp_analytics.app.explorer.FIGURE_MODULE`; the figures load it from there once).

    A copy, made once per plotly version in the user's cache folder (a temporary folder if
    that one cannot be written): Jupyter's file handler refuses symbolic links leading out
    of the folders it serves.
    """
    import plotly

    source = Path(plotly.__file__).resolve().parent / "package_data" / "widgetbundle.js"
    if not source.is_file():
        raise FileNotFoundError(f"plotly's figure module is missing: {source}")
    name = f"plotly-{plotly.__version__}"
    for root in (platformdirs.user_cache_path(APP_NAME) / "app", Path(tempfile.gettempdir())):
        folder = root / name
        target = folder / "labextensions" / "widgetbundle.js"
        try:
            if not target.is_file() or target.stat().st_size != source.stat().st_size:
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_suffix(f".{os.getpid()}.part")
                shutil.copyfile(source, partial)
                partial.replace(target)  # whole or absent, whoever else starts an app
            return folder
        except OSError:
            continue
    raise OSError(f"cannot copy plotly's figure module ({source}) to a cache or temporary folder")


def voila_env(lang: str | None = None) -> dict[str, str]:
    """This environment with the app's Jupyter folder and :func:`figure_module_folder` first
    on ``JUPYTER_PATH`` and the app's language in ``SMSP_LANG`` (``lang``, else the language
    in force), which Voila's kernels inherit.

    >>> voila_env("fr")["SMSP_LANG"]
    'fr'
    """
    env = dict(os.environ)
    first = (str(jupyter_path()), str(figure_module_folder()))
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (*first, env.get("JUPYTER_PATH", "")) if p)
    env[LANG_ENV] = check_lang(lang) if lang is not None else get_lang()
    return env


def voila_command(port: int, notebook: Path | None = None) -> list[str]:
    """The Voila command line serving ``notebook`` on 127.0.0.1:``port``.

    >>> voila_command(9000)[1:3]
    ['-m', 'smsp_analytics.app.launch']
    """
    return [
        sys.executable,
        "-m",
        "smsp_analytics.app.launch",
        str(notebook or notebook_path()),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        f"--template={TEMPLATE}",
        # Why: a busy port must fail loudly, not move to another port than the URL printed.
        "--Voila.port_retries=0",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in DENIED_EXTENSIONS),
        # A kernel runs the notebook as soon as the server starts, so the first visitor
        # finds the panel built or under way; the next one is prepared a few seconds later,
        # not while the first page loads (REFILL_DELAY_S).
        "--preheat_kernel=True",
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S:g}",
    ]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="smsp app",
        description="Serve the audience explorer as a Voila app on 127.0.0.1 "
        "(offline sandbox with synthetic data when SMSPARTNER_API_KEY is unset).",
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free port)",
    )
    p.add_argument(
        "--print-command", action="store_true", help="print the Voila command line and exit"
    )
    p.add_argument(
        "--lang",
        choices=["en", "fr"],
        default=None,
        help="the app's language (default: SMSP_LANG, else your locale, else English)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run Voila until it exits or the user presses Ctrl+C; returns its exit status."""
    args = _parser().parse_args(argv)
    return serve(port=args.port, print_command=args.print_command, lang=args.lang)


def serve(*, port: int = DEFAULT_PORT, print_command: bool = False, lang: str | None = None) -> int:
    """The command once its options are read (by ``smsp app``'s click command or by
    :func:`main`): serves until Voila exits or Ctrl+C; returns the exit status. ``lang``:
    the app's language (default: the one in force)."""
    if not 0 <= port <= 65535:
        print(f"smsp app: invalid port {port}", file=sys.stderr)
        return 2
    port = port or free_port()
    cmd = voila_command(port)
    env = voila_env(lang)
    if print_command:
        print(f"JUPYTER_PATH={env['JUPYTER_PATH']} {LANG_ENV}={env[LANG_ENV]} " + " ".join(cmd))
        return 0
    print(
        f"smsp app: serving the audience explorer at http://{HOST}:{port}/ (Ctrl+C to stop)",
        flush=True,
    )
    proc = subprocess.Popen(cmd, env=env)

    def forward(signum: int, _frame: FrameType | None) -> None:
        # Why: `kill <smsp app>` must also stop Voila (which then stops its kernels).
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
