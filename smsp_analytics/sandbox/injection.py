"""Sending a fault instead of an answer (README "Fault rules"), at the ASGI level.

``phase: before`` faults replace the answer before the handler runs; ``phase: after``
faults get the handler's captured answer (its work is committed) and replace or spoil it.

>>> retry_after_header(0.5), retry_after_header(2), retry_after_header(0)
(b'1', b'2', b'0')
"""

from __future__ import annotations

import asyncio
import http
import math

from starlette.types import Message, Receive, Scope, Send

from smsp_analytics.sandbox.faults import FaultRule
from smsp_analytics.sandbox.transport import TRANSPORT_KEY, reset_connection

__all__ = ["retry_after_header", "send_status", "inject", "Captured"]

#: The handler's answer, as the ASGI messages it sent (phase "after" only).
Captured = list


def retry_after_header(seconds: float) -> bytes:
    """RFC 9110 delay-seconds: a whole number, rounded up (a client must not retry early)."""
    return str(math.ceil(seconds)).encode()


async def send_status(
    send: Send, status: int, retry_after: float | None = None, raw_retry_after: str | None = None
) -> None:
    """A plain-text answer whose body is the status's reason phrase."""
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if raw_retry_after is not None:  # deliberately non-conforming (tests)
        headers.append((b"retry-after", raw_retry_after.encode()))
    elif retry_after is not None:
        headers.append((b"retry-after", retry_after_header(retry_after)))
    reason = http.HTTPStatus(status).phrase.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": headers + [(b"content-length", str(len(reason)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": reason})


async def _replay(send: Send, captured: Captured) -> None:
    for message in captured:
        await send(message)


def _split(captured: Captured) -> tuple[Message | None, bytes]:
    start = next((m for m in captured if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
    return start, body


async def inject(
    rule: FaultRule,
    scope: Scope,
    receive: Receive,
    send: Send,
    xml: bool,
    captured: Captured | None = None,
) -> bool:
    """Apply ``rule``; True when the response was handled here.

    ``captured``: the handler's answer for a ``phase: after`` rule (None: before).
    A ``delay`` before the handler returns False (the request then goes on normally).
    """
    if rule.kind == "delay":
        await asyncio.sleep(rule.delay)
        if captured is None:
            return False
        await _replay(send, captured)
        return True
    ctype = b"application/xml; charset=utf-8" if xml else b"application/json"
    transport = scope.get("extensions", {}).get(TRANSPORT_KEY)
    if rule.kind in ("rate_limit", "server_error"):
        # parse_rule always sets the status of these kinds; a rule built by hand may not,
        # so fall back to the same defaults.
        status = rule.status or (429 if rule.kind == "rate_limit" else 503)
        await send_status(send, status, rule.retry_after, rule.retry_after_raw)
        return True
    if rule.kind == "malformed":
        payload = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<result>\n    <entry>tr'
            if xml
            else b'{"success": true, "op": "calcul", "datas": [{"Type": '
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", ctype),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
        return True
    if transport is None:  # no socket access (another server): degrade to a 502
        await send(
            {"type": "http.response.start", "status": 502, "headers": [(b"content-length", b"0")]}
        )
        await send({"type": "http.response.body", "body": b""})
        return True
    if rule.kind == "truncate":
        start, body = _split(captured or [])
        if start is not None and len(body) >= 2:
            # After: the real status and headers (Content-Length of the whole answer),
            # then half of the real body: the client gets a short read of its answer.
            await send(start)
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
        else:
            partial = b'{"success": true, "op": "calcul", "datas": ['
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", ctype),
                        (b"content-length", str(len(partial) + 500).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": partial, "more_body": True})
        transport.close()  # FIN after the partial body: the client sees a short read
    else:  # reset
        reset_connection(transport)
    await _wait_disconnect(receive)
    return True


async def _wait_disconnect(receive: Receive) -> None:
    # Let uvicorn notice the closed connection before we return, so it neither sends a
    # 500 nor logs "returned without completing response". Any outcome is fine here: the
    # connection is gone either way.
    try:
        async with asyncio.timeout(2.0):
            while (await receive())["type"] != "http.disconnect":
                pass
    except (TimeoutError, Exception):
        pass
