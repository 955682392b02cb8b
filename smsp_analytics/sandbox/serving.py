"""How a sandbox app is served: uvicorn, set up once for the thread and the child process.

:class:`QuickServer` is uvicorn's server with a quick stop. uvicorn looks at its exit flag
every 0.1 s and, once stopping, sleeps a fixed 0.1 s before polling its connections every
0.1 s: about 0.2 s per stop, paid by every command of the command line and by every test
that starts a sandbox. A sandbox's connections are its caller's own, on the loopback, and
close within milliseconds: :meth:`QuickServer.request_exit` wakes the loop at once, and the
shutdown polls every few milliseconds (the same steps, the same grace for requests still
being answered).

>>> from smsp_analytics.sandbox.app import create_app
>>> from smsp_analytics.sandbox.config import SandboxConfig
>>> make_server(create_app(SandboxConfig(api_key="k")), log_level="warning").config.backlog
1024
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

import uvicorn

from smsp_analytics.sandbox.transport import protocol_class

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["QuickServer", "make_server"]

#: How often the shutdown looks whether the connections are closed (uvicorn: 0.1 s).
_POLL_S = 0.005
#: The longest a stop waits for requests still being answered (a rent's SQLite commit).
_GRACE_S = 10.0


def _loop_name() -> str:
    try:
        import uvloop  # noqa: F401

        return "uvloop"
    except ImportError:  # pragma: no cover
        return "asyncio"


class QuickServer(uvicorn.Server):
    """uvicorn's server whose stop takes milliseconds: :meth:`request_exit` (from any
    thread) wakes its loop instead of waiting for the next 0.1 s tick."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        # on_tick keeps uvicorn's once-a-second duties (every 10th tick) and reads the
        # exit flag, which signal handlers may set too: hence a tick still, woken early.
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            try:
                await asyncio.wait_for(self._wake.wait(), 0.1)
            except TimeoutError:
                pass

    def request_exit(self) -> None:
        """Stop serving as soon as the answers under way are sent (thread-safe)."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # the loop closed in between: it is stopping already
                pass

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn's steps (stop accepting, ask every connection to close after its answer,
        # wait for them and for their tasks), polled every few milliseconds.
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        state = self.server_state
        for connection in list(state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _GRACE_S
        while (state.connections or state.tasks) and not self.force_exit:
            if loop.time() > deadline:
                for task in state.tasks:
                    task.cancel(msg="the sandbox stopped")
                break
            await asyncio.sleep(_POLL_S)
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


def make_server(app: FastAPI, *, log_level: str) -> QuickServer:
    """The server of a sandbox app (uvloop and httptools when installed)."""
    config = uvicorn.Config(
        app,
        loop=_loop_name(),
        http=protocol_class(),
        lifespan="off",
        access_log=False,  # query strings carry the API key: never log them
        log_level=log_level,
        timeout_keep_alive=30,
        backlog=1024,
        date_header=False,  # the app sends the sandbox's own Date (its clock)
        # Never behind a proxy: X-Forwarded-For must not change who the client is (the
        # IP allow list), and the layer that reads it costs every request.
        proxy_headers=False,
        server_header=False,  # no "server: uvicorn": one header less to send and read
        ws="none",  # no websockets: their import is a tenth of the server's start
    )
    return QuickServer(config)
