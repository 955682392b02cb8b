"""The whole campaign: message parts (the vendor's character table), sending cost, send
windows (the vendor's clock and the recipient's) and reachability.

>>> from smsp_analytics.campaign import message_parts
>>> message_parts("Bonjour").parts
1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smsp_analytics._compat import lazy_exports

__all__ = [
    "MessageParts",
    "message_parts",
    "campaign_cost",
    "unicode_hint",
    "DEFAULT_STOP_MENTION",
    "LOWCOST_STOP_MENTION",
    "SANDBOX_PRICE_PER_SMS",
    "MAX_PARTS",
    "RANGES",
    "GSM_BASIC",
    "GSM_EXTENSION",
]

if TYPE_CHECKING:
    from smsp_analytics.campaign.messages import (
        DEFAULT_STOP_MENTION,
        GSM_BASIC,
        GSM_EXTENSION,
        LOWCOST_STOP_MENTION,
        MAX_PARTS,
        RANGES,
        SANDBOX_PRICE_PER_SMS,
        MessageParts,
        campaign_cost,
        message_parts,
        unicode_hint,
    )


__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "smsp_analytics.campaign.messages"))
