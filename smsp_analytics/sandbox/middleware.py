"""Pure ASGI middleware: count each vendor request per operation, then inject faults.

Counting happens before any fault and before validation, so a test can assert how many
requests of an operation reached the server. The POST body is read once here (capped at
``MAX_BODY_BYTES``), parsed leniently and handed to the endpoint in the scope, so the
endpoint never re-reads or re-parses it.

>>> parse_json_object(b'{"op": "rent"}'), parse_json_object(b'{not json'), parse_json_object(b'[1]')
({'op': 'rent'}, {}, {})
"""

from __future__ import annotations

import asyncio
import http
import json
import math
from typing import Any, Awaitable, Callable

import orjson
from starlette.datastructures import QueryParams

from smsp_analytics.sandbox.config import MAX_BODY_BYTES
from smsp_analytics.sandbox.faults import FaultRule, FaultSet
from smsp_analytics.sandbox.transport import TRANSPORT_KEY, reset_connection
from smsp_analytics.sandbox.xmlout import wants_xml

__all__ = ["SandboxMiddleware", "parse_json_object", "BODY_KEY", "operation_of",
           "retry_after_header"]

BODY_KEY = "smsp.body"
Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

_GET_OPS = {"/v1/location/status": "status", "/v1/location/file/download": "download",
            "/v1/me": "me", "/v1/location/categories": "categories"}
_OPTIN = "/v1/location/optin"
# Not the download: a GET there uses up the single download, and HEAD must be safe.
_HEAD_AS_GET = frozenset(_GET_OPS) - {"/v1/location/file/download"}


def parse_json_object(raw: bytes) -> dict:
    """The JSON object of a body, or {} for anything else (README: malformed = empty).

    orjson first (fast); the standard library as a fallback because orjson refuses values
    such as 1e309 that are valid JSON and must reach validation (as an invalid number).
    """
    if not raw:
        return {}
    try:
        value: Any = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError, UnicodeDecodeError):
            return {}
    return value if isinstance(value, dict) else {}


def operation_of(method: str, path: str, body: dict) -> str | None:
    """The vendor operation of a request (None for the admin and docs paths)."""
    if path == _OPTIN and method == "POST":
        op = body.get("op")
        return op if op in ("calcul", "price", "rent") else "optin"
    return _GET_OPS.get(path) if method == "GET" else None


def retry_after_header(seconds: float) -> bytes:
    """RFC 9110 delay-seconds: a whole number, rounded up (a client must not retry early).

    >>> retry_after_header(0.5), retry_after_header(2), retry_after_header(0)
    (b'1', b'2', b'0')
    """
    return str(math.ceil(seconds)).encode()


class SandboxMiddleware:
    """Wraps the FastAPI app; ``stats`` and ``faults`` belong to one sandbox instance."""

    def __init__(self, app: Callable, stats: dict[str, int], faults: FaultSet) -> None:
        self.app = app
        self.stats = stats
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD" and scope["path"] in _HEAD_AS_GET:
            # HEAD is GET without the body (RFC 9110): route it as GET on a copy of the
            # scope; uvicorn still sees HEAD in its own scope and sends no body.
            scope = dict(scope, method="GET")
        body: dict = {}
        if scope["method"] == "POST":
            raw, receive = await self._buffer(receive)
            body = parse_json_object(raw)
            scope[BODY_KEY] = body
        op = operation_of(scope["method"], scope["path"], body)
        if op is not None:
            # Event-loop thread only: a plain dict increment is atomic enough here.
            self.stats[op] = self.stats.get(op, 0) + 1
            rule = self.faults.pick(op)
            if rule is not None:
                handled = await self._inject(rule, scope, receive, send, body)
                if handled:
                    return
        await self.app(scope, receive, send)

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

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        return raw, replay

    async def _inject(self, rule: FaultRule, scope: Scope, receive: Receive, send: Send,
                      body: dict) -> bool:
        """Apply ``rule``; True when the response was handled here."""
        if rule.kind == "delay":
            await asyncio.sleep(rule.delay)
            return False
        xml = wants_xml(QueryParams(scope.get("query_string", b"")).get("_format"), body)
        ctype = b"application/xml; charset=utf-8" if xml else b"application/json"
        transport = scope.get("extensions", {}).get(TRANSPORT_KEY)
        if rule.kind in ("rate_limit", "server_error"):
            headers = [(b"content-type", b"text/plain; charset=utf-8")]
            if rule.retry_after_raw is not None:  # deliberately non-conforming (tests)
                headers.append((b"retry-after", rule.retry_after_raw.encode()))
            elif rule.retry_after is not None:
                headers.append((b"retry-after", retry_after_header(rule.retry_after)))
            reason = http.HTTPStatus(rule.status).phrase.encode()
            await send({"type": "http.response.start", "status": rule.status,
                        "headers": headers + [(b"content-length", str(len(reason)).encode())]})
            await send({"type": "http.response.body", "body": reason})
            return True
        if rule.kind == "malformed":
            payload = (b'<?xml version="1.0" encoding="UTF-8"?>\n<result>\n    <entry>tr'
                       if xml else b'{"success": true, "op": "calcul", "datas": [{"Type": ')
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", ctype),
                                    (b"content-length", str(len(payload)).encode())]})
            await send({"type": "http.response.body", "body": payload})
            return True
        if transport is None:  # no socket access (another server): degrade to a 502
            await send({"type": "http.response.start", "status": 502,
                        "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return True
        if rule.kind == "truncate":
            partial = b'{"success": true, "op": "calcul", "datas": ['
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", ctype),
                                    (b"content-length", str(len(partial) + 500).encode())]})
            await send({"type": "http.response.body", "body": partial, "more_body": True})
            transport.close()  # FIN after the partial body: the client sees a short read
        else:  # reset
            reset_connection(transport)
        await self._wait_disconnect(receive)
        return True

    @staticmethod
    async def _wait_disconnect(receive: Receive) -> None:
        # Let uvicorn notice the closed connection before we return, so it neither sends
        # a 500 nor logs "returned without completing response".
        try:
            async with asyncio.timeout(2.0):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except (TimeoutError, Exception):
            pass
