"""Give the ASGI app the connection's transport, so faults can reset or cut connections.

ASGI hides the socket. uvicorn lets us pass our own protocol class (``http=`` of
``uvicorn.Config``): these subclasses put the asyncio transport in
``scope["extensions"]["smsp.transport"]`` for each request.

>>> protocol_class() is not None
True
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # uvicorn's own type for its protocols' ``scope``
    from uvicorn._types import HTTPScope

__all__ = ["protocol_class", "TRANSPORT_KEY", "reset_connection"]

TRANSPORT_KEY = "smsp.transport"


def _tag(scope: HTTPScope, transport: asyncio.Transport) -> None:
    # ASGI types extension values as dicts; ours is the transport itself, read back by
    # the fault injection only, hence the looser view of the extensions mapping.
    extensions: dict[str, Any] = scope.setdefault("extensions", {})
    extensions[TRANSPORT_KEY] = transport


def protocol_class() -> type[asyncio.Protocol]:
    """The uvicorn HTTP protocol class to use: httptools when installed, else h11."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        class SandboxHttpToolsProtocol(HttpToolsProtocol):
            def on_message_begin(self) -> None:
                super().on_message_begin()
                _tag(self.scope, self.transport)

        return SandboxHttpToolsProtocol
    except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
        from uvicorn.protocols.http.h11_impl import H11Protocol

        class SandboxH11Protocol(H11Protocol):
            def handle_events(self) -> None:
                super().handle_events()
                # The request task created by handle_events has not run yet (same loop
                # turn), so tagging the latest scope now is in time.
                scope = getattr(self, "scope", None)
                if scope is not None:
                    _tag(scope, self.transport)

        return SandboxH11Protocol


def reset_connection(transport: asyncio.Transport) -> None:
    """Abort with a TCP RST: SO_LINGER (on, 0 s) makes close() send RST, not FIN."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    transport.abort()
