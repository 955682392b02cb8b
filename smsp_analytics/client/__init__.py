"""The client facade and its parts: ``Client`` (a thin facade), the one builder
``make_client``, the parts (quotes, account, history recording, sandbox clock) and how they
are assembled from arguments and environment.

>>> from smsp_analytics.client import Client
>>> Client.__name__
'Client'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smsp_analytics._compat import lazy_exports

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


__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "smsp_analytics.client.facade"))
