"""The sandbox clock a client's memo and cache depend on (:class:`SandboxClock`, a part of
:class:`~smsp_analytics.client.facade.Client`).

A sandbox's seed or date can move under a client (``client.sandbox.set_date(...)``, or
``POST /_sandbox/clock`` on a shared one): then no memoised or cached answer may be served,
and the next read goes live. The real API has no such clock.

>>> clock = SandboxClock("https://api.smspartner.fr/v1/", synthetic=False, transport=None)
>>> clock.moved(), clock.history_source()
(False, 'api:https://api.smspartner.fr:443')
"""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any
from urllib.parse import urlsplit

from smsp_analytics.wire.scope import SandboxInfo, normalise_origin
from smsp_analytics.wire.transport import Transport

__all__ = ["SandboxClock"]


class SandboxClock:
    """Whether the sandbox behind ``transport`` moved since the transport's cache scope was
    set (:meth:`moved`), and the ``source`` the quote history records (:meth:`history_source`).
    ``sandbox``: the client's own background sandbox (read directly), else None."""

    def __init__(
        self, base_url: str, *, synthetic: bool, transport: Transport | None, sandbox: Any = None
    ) -> None:
        self._base_url = base_url
        self._synthetic = synthetic
        self._transport = transport
        self._sandbox = sandbox
        self._local = threading.local()  # one kept-alive connection per thread

    def history_source(self) -> str:
        """``api:<origin>``, ``sandbox:seed=N`` (the seed known), else ``sandbox:<origin>``."""
        if not self._synthetic:
            return f"api:{normalise_origin(self._base_url)}"
        if self._sandbox is not None:
            return f"sandbox:seed={int(self._sandbox.config.seed)}"
        info = None if self._transport is None else self._transport.sandbox
        if info is not None and info.seed is not None:
            return f"sandbox:seed={info.seed}"
        return f"sandbox:{normalise_origin(self._base_url)}"

    def _live(self) -> SandboxInfo | None:
        """The sandbox's seed and date now (None: not a sandbox). The in-process sandbox is
        read directly; another one is asked (``GET /_sandbox/info``, no key sent)."""
        if self._sandbox is not None:
            return SandboxInfo(int(self._sandbox.config.seed), self._sandbox.date.isoformat())
        if self._transport is None or self._transport.sandbox is None:
            return None
        body = self._ask()
        if not isinstance(body, dict):
            return None
        return SandboxInfo(
            body.get("seed"), None if body.get("date") is None else str(body["date"])
        )

    def _ask(self) -> Any:
        """``GET /_sandbox/info`` on this thread's kept-alive connection (a plain
        http.client one: this runs before every memo or cache hit, and requests costs several
        times more per call); None when the sandbox cannot say."""
        local = self._local
        parts = urlsplit(self._base_url)
        if parts.hostname is None:  # no host to ask: the live request says it
            return None
        for _ in range(2):  # a kept-alive connection the server closed: one new attempt
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(
                    parts.hostname, parts.port, timeout=2
                )
            try:
                conn.request("GET", "/_sandbox/info")
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                local.conn = None
                continue
            try:
                return json.loads(data) if resp.status == 200 else None
            except ValueError:
                return None
        return None  # then the live request says it (its headers move the scope)

    def moved(self) -> bool:
        """Whether the sandbox's seed or date moved since the cache scope was set (then no
        cached or memoised answer may be served: the next read goes live). Always False for
        the real API."""
        if not self._synthetic or self._transport is None:
            return False
        held = self._transport.sandbox
        if held is None:
            return False
        now = self._live()
        if now is None:
            return False
        return (now.date is not None and str(held.date) != str(now.date)) or (
            now.seed is not None and str(held.seed) != str(now.seed)
        )

    def close(self) -> None:
        """Close this thread's kept-alive connection (others close with their threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
