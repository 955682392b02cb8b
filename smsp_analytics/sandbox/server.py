"""Run a sandbox in a background thread (``with Sandbox(...) as sb: ...``) or, with
``process=True``, in a child process (:mod:`.process`).

uvicorn serves the app on 127.0.0.1 (a free port unless one is given) from its own thread
and event loop (uvloop and httptools when installed; :mod:`.serving`). ``start()`` returns
once the server answers HTTP (in a process: once the socket listens; requests wait in its
queue until the child answers them); ``stop()`` shuts it down cleanly, in milliseconds, and
closes the store. Importing this module imports neither uvicorn nor FastAPI: ``start()``
does, in the thread's case.

>>> with Sandbox(api_key="k", seed=1, rental_delay=0) as sb:
...     sb.base_url.endswith("/v1/"), sb.api_key
(True, 'k')
>>> with Sandbox(api_key="k", rental_delay=0, process=True) as sb:
...     sb.info()["seed"], sb.running
(0, True)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import json
import os
import socket
import threading
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smsp_analytics.sandbox.clock import parse_date, today
from smsp_analytics.sandbox.config import (
    DEFAULT_CREDIT_EUR,
    DEFAULT_RENTAL_DELAY,
    SandboxConfig,
    random_api_key,
)
from smsp_analytics.sandbox.pricing import DEFAULT_UNIT_PRICE, to_decimal
from smsp_analytics.sandbox.process import SandboxProcess

if TYPE_CHECKING:
    from fastapi import FastAPI

    from smsp_analytics.sandbox.serving import QuickServer

__all__ = ["Sandbox"]


class Sandbox:
    """A sandbox server in a background thread.

    Attributes once started: ``base_url`` (``http://127.0.0.1:PORT/v1/``), ``api_key``,
    ``admin_url`` (``http://127.0.0.1:PORT/_sandbox/``), ``url`` (root), ``port``,
    ``config``, ``app`` (None in a process); at any time ``seed`` and ``date`` (the clock,
    moved with :meth:`set_date`). ``date`` None (the default) is today's date, read at
    construction: pass ``date=REFERENCE_DATE`` (or any fixed date) for reproducible numbers.
    ``process``: False (default) serves from a thread of this process; True from a child
    process (POSIX); a :class:`~smsp_analytics.sandbox.process.SandboxProcess` spawned
    earlier serves from that one (the command line spawns it before its imports).
    """

    def __init__(
        self,
        api_key: str | None = None,
        seed: int = 0,
        credit_eur: float | str | Decimal = DEFAULT_CREDIT_EUR,
        rental_delay: float = DEFAULT_RENTAL_DELAY,
        state_path: str | os.PathLike | None = None,
        unit_price: float | str | Decimal = DEFAULT_UNIT_PRICE,
        errors_http_200: bool = False,
        port: int = 0,
        allowed_ips: list[str] | tuple[str, ...] | None = None,
        host: str = "127.0.0.1",
        log_level: str = "warning",
        date: dt.date | str | None = None,
        latency_ms: float = 0.0,
        rate_limit: int | None = None,
        rate_window: float = 60.0,
        sending_history: bool = True,
        stop_list: bool = True,
        process: bool | SandboxProcess = False,
    ) -> None:
        # SandboxConfig would normalise these itself; doing it here gives it its own types.
        self.config = SandboxConfig(
            api_key=random_api_key() if api_key is None else api_key,
            seed=seed,
            credit_eur=to_decimal(credit_eur),
            rental_delay=rental_delay,
            state_path=None if state_path is None else os.fspath(state_path),
            unit_price=to_decimal(unit_price),
            errors_http_200=errors_http_200,
            allowed_ips=None if allowed_ips is None else tuple(allowed_ips),
            date=today() if date is None else parse_date(date),
            latency_ms=latency_ms,
            rate_limit=rate_limit,
            rate_window=rate_window,
            sending_history=sending_history,
            stop_list=stop_list,
        )
        self._date = self.config.date
        self.host = host
        self._requested_port = port
        self._log_level = log_level
        self.port: int | None = None
        self.app: FastAPI | None = None
        self._server: QuickServer | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        if not isinstance(process, (bool, SandboxProcess)):
            raise ValueError(
                f"process: {process!r} is not allowed; allowed: True, False or a SandboxProcess"
            )
        self._process_wanted = process
        self._process: SandboxProcess | None = None

    # ------------------------------------------------------------------ public API
    @property
    def api_key(self) -> str:
        """The key the sandbox accepts."""
        return self.config.api_key

    @property
    def seed(self) -> int:
        """The seed of the synthetic audiences."""
        return self.config.seed

    @property
    def date(self) -> dt.date:
        """The sandbox's date (its clock: today's date unless given or moved; it does not
        advance by itself)."""
        if self.app is not None and self.running:
            return self.app.state.sandbox.date
        return self._date  # in a process: as set here (set_date, reset)

    def set_date(self, day: dt.date | str) -> dt.date:
        """Move the clock to ``day`` (a date or ``"YYYY-MM-DD"``); returns the new date.

        >>> with Sandbox(api_key="k", rental_delay=0) as sb:
        ...     sb.set_date("2027-04-15"), sb.info()["date"]
        (datetime.date(2027, 4, 15), '2027-04-15')
        """
        self._date = parse_date(day)
        if self.running:
            self._admin("POST", "clock", {"date": self._date.isoformat()})
        return self._date

    def info(self) -> dict:
        """``{"seed", "date", "instance"}`` as ``GET /_sandbox/info`` answers it."""
        return self._admin("GET", "info")

    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:8765/``."""
        self._require_started()
        return f"http://{self.host}:{self.port}/"

    @property
    def base_url(self) -> str:
        """Vendor base URL, ending in ``/v1/``."""
        return self.url + "v1/"

    @property
    def admin_url(self) -> str:
        """Admin base URL, ending in ``/_sandbox/``."""
        return self.url + "_sandbox/"

    @property
    def running(self) -> bool:
        """True while the server thread (or process) is alive."""
        if self._process is not None:
            return self._process.alive
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> Sandbox:
        """Start serving; returns once the server answers HTTP (in a process: at once)."""
        if self.running:
            return self
        config = dataclasses.replace(self.config, date=self._date)
        if self._process_wanted is not False:
            return self._start_process(config)
        from smsp_analytics.sandbox.app import create_app
        from smsp_analytics.sandbox.model import audience_model
        from smsp_analytics.sandbox.serving import make_server

        audience_model(self.config.seed)  # build (or reuse) the model before listening
        app = self.app = create_app(config)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        sock.listen(1024)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self._server = make_server(app, log_level=self._log_level)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"smsp-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._thread.is_alive():
                self._cleanup()
                raise RuntimeError("the sandbox server thread exited during start-up")
            if self._server.started and self._answers():
                return self
            time.sleep(0.002)
        self.stop()
        raise TimeoutError(f"the sandbox did not answer within {timeout} s")

    def _start_process(self, config: SandboxConfig) -> Sandbox:
        given = self._process_wanted
        if isinstance(given, SandboxProcess) and (given.configured or not given.alive):
            raise RuntimeError(f"process: {given!r} has served a sandbox already")
        proc = (
            given
            if isinstance(given, SandboxProcess)
            else SandboxProcess(self.host, self._requested_port, seed=config.seed)
        )
        try:
            proc.serve(config, self._log_level)
        except BaseException:
            proc.stop()
            raise
        self._process, self.host, self.port = proc, proc.host, proc.port
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and release the port and the store."""
        if self._process is not None:
            self._process.stop()
            self._process = None
            self._process_wanted = True  # a restart spawns a new process
        if self._server is not None:
            self._server.request_exit()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout)
        self._cleanup()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:  # never show the key
        where = f"{self.host}:{self.port}" if self.port else "not started"
        return f"<Sandbox {where} seed={self.config.seed} date={self.date}>"

    # ------------------------------------------------------------ admin conveniences
    def reset(self) -> None:
        """Balance back to the credit, no rentals, no faults, counters at zero, the clock
        back to its starting date."""
        self._admin("POST", "reset")
        if self.app is not None:
            self._date = self.app.state.sandbox.date
        else:  # in a process: as the child says
            self._date = parse_date(self.info()["date"])

    def add_fault(self, **rule: Any) -> dict:
        """Add a fault rule (see faults.py / README "Fault rules")."""
        return self._admin("POST", "faults", rule)

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._admin("DELETE", "faults")

    def set_account(self, **knobs: Any) -> dict:
        """Change the account endpoints' knobs (``rate_window`` seconds, ``sending_history``,
        ``stop_list``); returns them as ``GET /_sandbox/account`` shows them."""
        return self._admin("POST", "account", knobs)

    def stats(self) -> dict[str, int]:
        """Requests received per operation since the start or the last reset."""
        return self._admin("GET", "stats")["requests"]

    # ------------------------------------------------------------------ internals
    def _require_started(self) -> None:
        if self.port is None:
            raise RuntimeError("the sandbox is not started (use start() or a with block)")

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        self._require_started()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(
                method, "/_sandbox/" + path, body=data, headers={"Content-Type": "application/json"}
            )
            resp = conn.getresponse()
            payload = json.loads(resp.read() or b"null")
            if resp.status >= 400:
                raise ValueError(
                    payload.get("error", payload) if isinstance(payload, dict) else payload
                )
            return payload
        finally:
            conn.close()

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=1)
            conn.request("GET", "/_sandbox/health")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def _cleanup(self) -> None:
        if self.app is not None:
            self._date = self.app.state.sandbox.date  # a restart keeps the moved clock
            self.app.state.sandbox.store.close()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._server = None
        self._thread = None
