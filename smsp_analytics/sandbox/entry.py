"""The app's entry: FastAPI with the sandbox's middleware in front of the framework's stack.

Starlette puts added middleware inside its own error, telemetry and exception layers, and
every request then also pays for routing and dependency solving. The sandbox's middleware
stands outermost instead (``SandboxApp.entry``) and calls the vendor endpoints' handlers
itself (``direct``); the framework still serves the admin, the OpenAPI document, the 404s and
405s, and keeps every route registered, so the document is unchanged.

>>> import asyncio
>>> asyncio.run(threaded(lambda request: Response(b"hi"))(None)).body  # type: ignore[arg-type]
b'hi'
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from smsp_analytics.sandbox.middleware import Handler

__all__ = ["SandboxApp", "threaded"]


class SandboxApp(FastAPI):
    """A FastAPI app whose requests enter through ``entry`` once it is set."""

    entry: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.entry is None:
            await super().__call__(scope, receive, send)
        else:
            await self.entry(scope, receive, send)

    async def framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The framework's own stack (what ``entry`` hands the other requests to)."""
        scope["app"] = self
        await super().__call__(scope, receive, send)


def threaded(endpoint: Callable[[Request], Response]) -> Handler:
    """A blocking endpoint (SQLite) run in the threadpool, as FastAPI runs a sync route."""

    async def handler(request: Request) -> Response:
        return await run_in_threadpool(endpoint, request)

    return handler
