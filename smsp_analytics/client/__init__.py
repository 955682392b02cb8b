"""The client facade and its parts: ``Client`` (quotes, account, categories), how a client
is made from arguments and environment, and how its answers are recorded.

>>> from smsp_analytics.client import Client
>>> Client.__name__
'Client'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ['Client', 'Rental', 'OptinAnswer', 'client_or_default', 'DEFAULT_BASE_URL']

if TYPE_CHECKING:
    from smsp_analytics.client.facade import (Client, Rental, OptinAnswer, client_or_default, DEFAULT_BASE_URL)


def __getattr__(name: str) -> Any:
    # Lazy: importing a sibling module of this package does not load smsp_analytics.client.facade.
    if name in __all__:
        return getattr(import_module("smsp_analytics.client.facade"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
