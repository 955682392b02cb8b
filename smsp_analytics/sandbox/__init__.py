"""Offline emulator of the SMS Partner Contact Rental API (synthetic data).

>>> from smsp_analytics.sandbox import Sandbox
>>> with Sandbox(api_key="demo", rental_delay=0) as sb:
...     sb.base_url.startswith("http://127.0.0.1:")
True

See README.md in this package for every choice made where the vendor docs are silent.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Lazy: ``smsp --help`` registers the sandbox's click command (sandbox.cli) without loading
# the server, FastAPI or pandas.
_WHERE = {
    "Sandbox": "server",
    "SandboxConfig": "config",
    "create_app": "app",
    "MESSAGES": "messages",
    "ACCOUNT_MESSAGES": "messages",
    "VendorError": "messages",
    "AudienceModel": "model",
    "Query": "model",
    "audience_model": "model",
    "catalogue": "catalogue",
    "REFERENCE_DATE": "clock",
}

if TYPE_CHECKING:
    from smsp_analytics.sandbox.app import create_app
    from smsp_analytics.sandbox.catalogue import catalogue
    from smsp_analytics.sandbox.clock import REFERENCE_DATE
    from smsp_analytics.sandbox.config import SandboxConfig
    from smsp_analytics.sandbox.messages import ACCOUNT_MESSAGES, MESSAGES, VendorError
    from smsp_analytics.sandbox.model import AudienceModel, Query, audience_model
    from smsp_analytics.sandbox.server import Sandbox

__all__ = [
    "Sandbox",
    "SandboxConfig",
    "create_app",
    "MESSAGES",
    "ACCOUNT_MESSAGES",
    "VendorError",
    "AudienceModel",
    "Query",
    "audience_model",
    "catalogue",
    "REFERENCE_DATE",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"smsp_analytics.sandbox.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
