"""Pure ASGI middleware: sandbox headers, counters, latency, rate limits, faults.

On every answer (API and admin) it sets the sandbox's ``Date`` header and, on the vendor
paths, ``X-Sandbox-Seed`` / ``X-Sandbox-Date``. For a vendor request, in this order:
count it per operation (before anything else, so a test can assert how many requests of
an operation reached the server), decide the rate limits (at arrival: the operation's
documented limit, then the sandbox-wide ``--rate-limit``), wait the latency,
then answer 429 or apply a ``phase: before`` fault, run the handler, and apply a
``phase: after`` fault to its captured answer. The POST body is read once here (capped at
``MAX_BODY_BYTES``), parsed strictly (jsonbody.py) and handed to the endpoint in the
scope, so the endpoint never re-reads or re-parses it.

>>> parse_json_object(b'{"op": "rent"}'), parse_json_object(b'{not json'), parse_json_object(b'[1]')
({'op': 'rent'}, {}, {})
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from smsp_analytics.sandbox.config import MAX_BODY_BYTES
from smsp_analytics.sandbox.faults import FaultSet
from smsp_analytics.sandbox.injection import inject, retry_after_header, send_status
from smsp_analytics.sandbox.jsonbody import parse_json_object
from smsp_analytics.sandbox.network import Latency, RateLimiter
from smsp_analytics.sandbox.xmlout import wants_xml

__all__ = [
    "SandboxMiddleware",
    "parse_json_object",
    "BODY_KEY",
    "RAW_KEY",
    "operation_of",
    "retry_after_header",
    "Handler",
]

BODY_KEY = "smsp.body"
#: The raw POST body as read (b"" beyond MAX_BODY_BYTES), for the answer cache's key.
RAW_KEY = "smsp.raw"
Headers = list[tuple[bytes, bytes]]
#: An endpoint's handler: the request in, its complete answer out.
Handler = Callable[[Request], Awaitable[Response]]

_GET_OPS = {
    "/v1/location/status": "status",
    "/v1/location/file/download": "download",
    "/v1/me": "me",
    "/v1/location/categories": "categories",
    "/v1/stop-sms/list": "stop_list",
    "/v1/statistics/cost-resume": "cost_resume",
}
_POST_OPS = {"/v1/lookup": "lookup"}
_OPTIN = "/v1/location/optin"
# Not the download: a GET there uses up the single download, and HEAD must be safe.
_HEAD_AS_GET = frozenset(_GET_OPS) - {"/v1/location/file/download"}


def operation_of(method: str, path: str, body: dict) -> str | None:
    """The vendor operation of a request (None for the admin and docs paths)."""
    if method == "POST":
        if path == _OPTIN:
            op = body.get("op")
            return op if op in ("calcul", "price", "rent") else "optin"
        return _POST_OPS.get(path)
    return _GET_OPS.get(path) if method == "GET" else None


def _api_key(scope: Scope, body: dict) -> str:
    """The key a request presents (the rate limit's bucket); "" when none."""
    key = body.get("apiKey")
    if not isinstance(key, str) or not key.strip():
        key = QueryParams(scope.get("query_string", b"")).get("apiKey") or ""
    return key


class SandboxMiddleware:
    """Wraps the FastAPI app; everything it is given belongs to one sandbox instance.

    ``headers(api)`` returns the headers to add to an answer (``api``: a vendor path).
    ``limits``: the documented per-operation limits (operation -> limiter). ``direct``:
    (method, path) -> the endpoint's handler, called here without the framework's layers
    (routing, dependencies, exception and telemetry middleware: most of a request's cost);
    any other request goes through ``app``.
    """

    def __init__(
        self,
        app: Callable,
        stats: dict[str, int],
        faults: FaultSet,
        headers: Callable[[bool], Headers],
        latency: Latency | None = None,
        limiter: RateLimiter | None = None,
        limits: Mapping[str, RateLimiter] | None = None,
        direct: Mapping[tuple[str, str], Handler] | None = None,
    ) -> None:
        self.app = app
        self.stats = stats
        self.faults = faults
        self.headers = headers
        self.latency = latency
        self.limiter = limiter
        self.limits = limits or {}
        self.direct = direct or {}

    def _stamped(self, send: Send, api: bool) -> Send:
        extra = self.headers(api)  # read once per request: one date for the whole answer
        names = {name for name, _ in extra}

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in names]
                message = dict(message, headers=kept + extra)
            await send(message)

        return stamped

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The endpoint's own handler when one is registered, else the framework's stack."""
        handler = self.direct.get((scope["method"], scope["path"]))
        if handler is None:
            await self.app(scope, receive, send)
        else:
            await (await handler(Request(scope, receive)))(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        if not path.startswith("/v1/"):
            await self.app(scope, receive, self._stamped(send, False))
            return
        if method == "HEAD" and path in _HEAD_AS_GET:
            # HEAD is GET without the body (RFC 9110): route it as GET on a copy of the
            # scope; uvicorn still sees HEAD in its own scope and sends no body.
            scope = dict(scope, method="GET")
            method = "GET"
        body: dict = {}
        if method == "POST":
            raw, receive = await self._buffer(receive)
            body = parse_json_object(raw)
            scope[BODY_KEY] = body
            scope[RAW_KEY] = raw
        op = operation_of(method, path, body)
        if op is None:
            await self.app(scope, receive, self._stamped(send, True))
            return
        # Event-loop thread only: a plain dict increment is atomic enough here.
        self.stats[op] = self.stats.get(op, 0) + 1
        wait = 0.0
        documented = self.limits.get(op)
        if documented is not None:
            wait = documented.admit(_api_key(scope, body))
        if self.limiter is not None and not wait:
            wait = self.limiter.admit(_api_key(scope, body))
        if self.latency is not None:
            await asyncio.sleep(self.latency.next())  # async: other requests go on
        if wait > 0:
            await send_status(self._stamped(send, True), 429, retry_after=wait)
            return
        rule = self.faults.pick(op) if self.faults.active else None
        if rule is None:
            handler = self.direct.get((method, path))
            if handler is None:
                await self.app(scope, receive, self._stamped(send, True))
                return
            # The common case, kept short: the endpoint's handler, its answer stamped with
            # the sandbox's headers (its own never include them), sent as it is.
            response = await handler(Request(scope, receive))
            response.raw_headers.extend(self.headers(True))
            await response(scope, receive, send)
            return
        send = self._stamped(send, True)
        xml = wants_xml(QueryParams(scope.get("query_string", b"")).get("_format"), body)
        if rule.phase == "before":
            if not await inject(rule, scope, receive, send, xml):
                await self._route(scope, receive, send)
            return
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        await self._route(scope, receive, capture)  # the handler runs and commits
        await inject(rule, scope, receive, send, xml, captured)

    @staticmethod
    async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= MAX_BODY_BYTES:
                chunks.append(chunk)
            more = message.get("more_body", False)
        raw = b"".join(chunks) if size <= MAX_BODY_BYTES else b""
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        return raw, replay
