"""``smsp app``: serve the audience explorer (the shipped notebook) as a Voila app.

Voila runs in a child process of the same Python (``sys.executable -m voila``), so it finds
this venv's ``python3`` kernelspec and the installed package. Without
``SMSPARTNER_API_KEY`` the kernel's client starts the offline sandbox (synthetic data,
seed 0, so the numbers are the same on every start).

Example::

    $ smsp app --port 8866
    smsp app: serving the audience explorer at http://127.0.0.1:8866/ (Ctrl+C to stop)
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import FrameType

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


def jupyter_path() -> Path:
    """The folder holding the app's Voila template (``voila/templates/smsp-offline``), to put
    on ``JUPYTER_PATH``: it is Voila's lab template without its CDN font links."""
    return Path(__file__).resolve().parent / "notebook" / "jupyter"


def voila_env() -> dict[str, str]:
    """This environment with the app's template folder first on ``JUPYTER_PATH``."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(jupyter_path()), env.get("JUPYTER_PATH", "")) if p
    )
    return env


def voila_command(port: int, notebook: Path | None = None) -> list[str]:
    """The Voila command line serving ``notebook`` on 127.0.0.1:``port``.

    >>> voila_command(9000)[1:3]
    ['-m', 'voila']
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook or notebook_path()),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        f"--template={TEMPLATE}",
        # Why: a busy port must fail loudly, not move to another port than the URL printed.
        "--Voila.port_retries=0",
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
    return p


def main(argv: list[str] | None = None) -> int:
    """Run Voila until it exits or the user presses Ctrl+C; returns its exit status."""
    args = _parser().parse_args(argv)
    return serve(port=args.port, print_command=args.print_command)


def serve(*, port: int = DEFAULT_PORT, print_command: bool = False) -> int:
    """The command once its options are read (by ``smsp app``'s click command or by
    :func:`main`): serves until Voila exits or Ctrl+C; returns the exit status."""
    if not 0 <= port <= 65535:
        print(f"smsp app: invalid port {port}", file=sys.stderr)
        return 2
    port = port or free_port()
    cmd = voila_command(port)
    if print_command:
        print(f"JUPYTER_PATH={voila_env()['JUPYTER_PATH']} " + " ".join(cmd))
        return 0
    print(
        f"smsp app: serving the audience explorer at http://{HOST}:{port}/ (Ctrl+C to stop)",
        flush=True,
    )
    proc = subprocess.Popen(cmd, env=voila_env())

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
