"""The admin endpoints (``/_sandbox/``, not part of the vendor API; README "Admin").

Loopback clients only (except ``health`` and ``info``, which hold nothing private), no
key, absent from the OpenAPI document. Bodies are UTF-8 JSON of at most
:data:`MAX_ADMIN_BODY` bytes, duplicate keys refused; errors are HTTP 4xx with
``{"error": "..."}`` naming the field. Every successful answer carries the sandbox's
``date``.

>>> from smsp_analytics.sandbox import SandboxConfig, create_app
>>> app = create_app(SandboxConfig(api_key="k"))
>>> "/_sandbox/info" in {r.path for r in app.routes}
True
>>> app.state.sandbox.store.close()
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from smsp_analytics.sandbox.clock import parse_date
from smsp_analytics.sandbox.jsonbody import MalformedBody, read_json
from smsp_analytics.sandbox.store import status_of

__all__ = ["add_admin_routes", "MAX_ADMIN_BODY"]

#: Larger admin bodies are refused (HTTP 413) before they are read whole.
MAX_ADMIN_BODY = 64 * 1024


#: An admin endpoint's body: the request in, the JSON answer (a dict) out.
_Handler = Callable[[Request], Awaitable[dict[str, Any]]]


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _json(payload: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code, media_type="application/json")


def _loopback(request: Request) -> bool:
    try:
        return ipaddress.ip_address(request.client.host if request.client else "").is_loopback
    except ValueError:
        return False


async def _body(request: Request) -> Any:
    """The JSON body, read in chunks and refused beyond MAX_ADMIN_BODY bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_ADMIN_BODY:
        raise _BadRequest(f"body larger than {MAX_ADMIN_BODY} bytes", 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_ADMIN_BODY:
            raise _BadRequest(f"body larger than {MAX_ADMIN_BODY} bytes", 413)
        chunks.append(chunk)
    try:
        return read_json(b"".join(chunks))
    except MalformedBody as exc:
        raise _BadRequest(f"malformed JSON body: {exc}") from None


def add_admin_routes(app: FastAPI, state: Any) -> None:
    """Register the admin endpoints of ``state`` (an app's SandboxState) on ``app``."""

    def admin(method: str, path: str, public: bool = False) -> Callable[[_Handler], _Handler]:
        def register(handler: _Handler) -> _Handler:
            async def endpoint(request: Request) -> Response:
                if not public and not _loopback(request):
                    return _json({"error": "admin endpoints answer loopback clients only"}, 403)
                try:
                    answer = await handler(request)
                    # Every admin answer shows the sandbox's date (README "Admin"); info
                    # and clock already lead with it, next to the seed.
                    answer.setdefault("date", state.date.isoformat())
                    return _json(answer)
                except _BadRequest as exc:
                    return _json({"error": str(exc)}, exc.status)

            app.add_api_route(
                path,
                endpoint,
                methods=[method],
                include_in_schema=False,
                name=f"admin_{method.lower()}_{path.rsplit('/', 1)[-1]}",
            )
            return handler

        return register

    @admin("GET", "/_sandbox/health", public=True)
    async def health(request: Request) -> dict:
        return {"ok": True, "synthetic": True}

    @admin("GET", "/_sandbox/info", public=True)
    async def info(request: Request) -> dict:
        return state.info()

    @admin("POST", "/_sandbox/reset")
    async def reset(request: Request) -> dict:
        await run_in_threadpool(state.store.reset)
        state.faults.clear()
        state.stats.clear()
        state.date = state.config.date
        state.account.reset(state.config)
        return {"ok": True}

    @admin("GET", "/_sandbox/stats")
    async def stats(request: Request) -> dict:
        counts = dict(state.stats)
        return {"requests": counts, "total": sum(counts.values())}

    @admin("GET", "/_sandbox/faults")
    async def list_faults(request: Request) -> dict:
        return {"rules": state.faults.rules()}

    @admin("POST", "/_sandbox/faults")
    async def add_faults(request: Request) -> dict:
        spec = await _body(request)
        if not isinstance(spec, dict):
            raise _BadRequest('a fault rule is a JSON object (or {"rules": [...]})')
        specs = spec.get("rules") if "rules" in spec else [spec]
        if not isinstance(specs, list):
            raise _BadRequest("rules must be a list")
        try:
            state.faults.extend(specs)
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None
        return {"rules": state.faults.rules()}

    @admin("DELETE", "/_sandbox/faults")
    async def clear_faults(request: Request) -> dict:
        state.faults.clear()
        return {"rules": []}

    @admin("GET", "/_sandbox/clock")
    async def get_clock(request: Request) -> dict:
        return state.info()

    @admin("POST", "/_sandbox/clock")
    async def set_clock(request: Request) -> dict:
        spec = await _body(request)
        if not isinstance(spec, dict) or set(spec) != {"date"}:
            raise _BadRequest('the body must be {"date": "YYYY-MM-DD"} (only the field date)')
        try:
            state.date = parse_date(spec["date"])
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None
        return state.info()

    @admin("GET", "/_sandbox/account")
    async def get_account(request: Request) -> dict:
        return state.account.as_json()

    @admin("POST", "/_sandbox/account")
    async def set_account(request: Request) -> dict:
        spec = await _body(request)
        try:
            state.account.update(spec)
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None
        return state.account.as_json()

    @admin("GET", "/_sandbox/rentals")
    async def rentals(request: Request) -> dict:
        found = []
        for token in await run_in_threadpool(state.store.tokens):
            rental = await run_in_threadpool(state.store.get, token)
            if rental is not None:
                found.append(
                    {
                        "token": token,
                        "quantity": rental.quantity,
                        "cost": str(rental.cost),
                        "statusCode": status_of(rental),
                        "day": rental.day,
                    }
                )
        return {"rentals": found, "balance": str(await run_in_threadpool(state.store.balance))}

    @admin("POST", "/_sandbox/rentals/{token}/fail")
    async def fail_rental(request: Request) -> dict:
        if not await run_in_threadpool(state.store.mark_failed, request.path_params["token"]):
            raise _BadRequest("unknown token", 404)
        return {"ok": True}
