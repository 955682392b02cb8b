"""Offline emulator of the SMS Partner Contact Rental API (synthetic data).

>>> from smsp_analytics.sandbox import Sandbox
>>> with Sandbox(api_key="demo", rental_delay=0) as sb:
...     sb.base_url.startswith("http://127.0.0.1:")
True

See README.md in this package for every choice made where the vendor docs are silent.
"""

from smsp_analytics.sandbox.app import create_app
from smsp_analytics.sandbox.catalogue import catalogue
from smsp_analytics.sandbox.clock import REFERENCE_DATE
from smsp_analytics.sandbox.config import SandboxConfig
from smsp_analytics.sandbox.messages import MESSAGES, VendorError
from smsp_analytics.sandbox.model import AudienceModel, Query, audience_model
from smsp_analytics.sandbox.server import Sandbox

__all__ = ["Sandbox", "SandboxConfig", "create_app", "MESSAGES", "VendorError",
           "AudienceModel", "Query", "audience_model", "catalogue", "REFERENCE_DATE"]
