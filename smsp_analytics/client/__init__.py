"""The client facade and its parts: ``Client`` (a thin facade), the one builder
``make_client``, the parts (quotes, account, history recording, sandbox clock) and how they
are assembled from arguments and environment.

>>> from smsp_analytics.client import Client
>>> Client.__name__
'Client'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "Client",
    "Rental",
    "OptinAnswer",
    "client_or_default",
    "make_client",
    "DEFAULT_BASE_URL",
]

if TYPE_CHECKING:
    from smsp_analytics.client.facade import (
        DEFAULT_BASE_URL,
        Client,
        OptinAnswer,
        Rental,
        client_or_default,
        make_client,
    )


def __getattr__(name: str) -> Any:
    # Lazy: importing a sibling module of this package does not load smsp_analytics.client.facade.
    if name in __all__:
        return getattr(import_module("smsp_analytics.client.facade"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
