"""A sandbox served by a child process: ``Sandbox(process=True)``, and the command line's.

Why a process: a command such as ``smsp calcul`` spends most of its time importing (pandas
for its frames, FastAPI for its sandbox, SQLAlchemy for its history). Spawned first, the
child imports the server while the command imports the rest, on the machine's other core;
a notebook's sandbox in a process no longer shares the notebook's interpreter lock.

:class:`SandboxProcess` binds the listening socket itself, so the port is known at once and
requests sent before the child is up wait in the socket's queue, then spawns
``python -m smsp_analytics.sandbox.process FD``. The child imports the server and waits for
its configuration on its standard input (one JSON line, the key included: never in its
arguments or environment, which other users may read). Closed without one (a command that
failed on its arguments), the child ends without opening the sandbox's state. Configured, it
serves until its standard input closes: :meth:`SandboxProcess.stop`, or the parent's end,
whatever way it ends. Every answer is committed to the state before it is sent, so nothing
is pending when the child ends. The child runs in a session of its own: a Ctrl-C at the
terminal interrupts the command, and the child ends when the command does.

>>> proc = SandboxProcess()
>>> proc.port > 0, proc.alive
(True, True)
>>> proc.stop()
>>> proc.alive
False
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smsp_analytics.sandbox.config import SandboxConfig

__all__ = ["SandboxProcess", "config_line", "process_supported"]

#: The longest :meth:`SandboxProcess.stop` waits for the child to end before killing it.
STOP_TIMEOUT_S = 15.0


def process_supported() -> bool:
    """True where a child can inherit the listening socket (POSIX systems)."""
    return os.name == "posix"


def config_line(config: SandboxConfig, log_level: str) -> bytes:
    """The configuration the child reads: one JSON line (money as strings, the date in ISO).

    >>> from smsp_analytics.sandbox.config import SandboxConfig
    >>> json.loads(config_line(SandboxConfig(api_key="k", date="2027-01-15"), "warning"))["date"]
    '2027-01-15'
    """

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    fields = {k: plain(v) for k, v in dataclasses.asdict(config).items()}
    return (json.dumps({**fields, "log_level": log_level}) + "\n").encode()


class SandboxProcess:
    """A child process that will serve a sandbox on ``host:port`` (port 0: a free one),
    spawned at once; :meth:`serve` sends it the configuration, :meth:`stop` ends it.
    ``seed``: the audience model the child builds while it waits (the command line's
    sandbox has seed 0; None: none, built once the configuration says which)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, seed: int | None = 0) -> None:
        if not process_supported():
            raise ValueError(
                "process: a sandbox in a child process needs a POSIX system; allowed here: "
                "process=False"
            )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(1024)
            self.host, self.port = host, int(sock.getsockname()[1])
            self._log = tempfile.TemporaryFile()  # the child's errors, read if it fails
            self._proc = subprocess.Popen(
                [sys.executable, "-m", __name__, str(sock.fileno()), str(seed)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                pass_fds=(sock.fileno(),),
                start_new_session=True,
            )
        finally:
            # The child holds the socket now: should it die, connections are refused at
            # once instead of waiting in a queue nobody reads.
            sock.close()
        self.configured = False

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._proc.pid

    @property
    def alive(self) -> bool:
        """True until the child has ended."""
        return self._proc.poll() is None

    def serve(self, config: SandboxConfig, log_level: str = "warning") -> None:
        """Have the child serve the sandbox ``config`` (once); RuntimeError with the child's
        last words if it has ended."""
        if self.configured:
            raise RuntimeError("this sandbox process serves a sandbox already")
        stdin = self._proc.stdin
        try:
            if stdin is None or not self.alive:
                raise BrokenPipeError
            stdin.write(config_line(config, log_level))
            stdin.flush()
        except (BrokenPipeError, ValueError):
            raise RuntimeError(f"the sandbox process has ended: {self.last_words()}") from None
        self.configured = True

    def last_words(self) -> str:
        """The last line the child wrote on its standard error ("" if none)."""
        self._log.seek(0)
        lines = self._log.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """End the child (it sends the answers under way first) and wait for it; safe to
        call again."""
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:  # it had ended
                pass
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._log.close()

    def __repr__(self) -> str:
        state = "alive" if self.alive else "ended"
        return f"<SandboxProcess {self.host}:{self.port} pid={self._proc.pid} {state}>"


def _serve_child(fd: int, seed: str) -> int:
    """The child: import the server, read the configuration, serve until stdin closes."""
    sock = socket.socket(fileno=fd)
    # Done before the configuration comes: this is the work done beside the parent's.
    from smsp_analytics.sandbox.app import create_app
    from smsp_analytics.sandbox.config import SandboxConfig
    from smsp_analytics.sandbox.model import audience_model
    from smsp_analytics.sandbox.serving import make_server

    if seed.isdigit():
        audience_model(int(seed))

    stdin = sys.stdin.buffer
    line = stdin.readline()
    if not line.strip():  # the parent ended without needing a sandbox: its state untouched
        return 0
    fields = json.loads(line)
    log_level = fields.pop("log_level")
    config = SandboxConfig(**fields)
    audience_model(config.seed)
    app = create_app(config)
    server = make_server(app, log_level=log_level)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        # Until the parent closes stdin; a server that died ends the child too, so that its
        # socket closes and the parent's requests are refused rather than left waiting.
        while thread.is_alive():
            ready, _, _ = select.select([stdin], [], [], 0.5)
            if ready and not os.read(stdin.fileno(), 4096):
                break
    finally:
        server.request_exit()
        thread.join(STOP_TIMEOUT_S - 1)
        app.state.sandbox.store.close()
        sock.close()
    return 0


if __name__ == "__main__":
    code = _serve_child(int(sys.argv[1]), sys.argv[2])
    sys.stderr.flush()
    os._exit(code)  # no teardown of the imported modules: the state is closed already
