"""The whole campaign: message parts (the vendor's character table), sending cost, send
windows (the vendor's clock and the recipient's), reachability (the account's STOP list and
the format check included) and the cleaning funnel.

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
    "reachable",
    "ACCOUNT_STOP_LIST",
    "NOT_VALID_MOBILE",
    "cleaning_funnel",
    "account_price",
    "price_basis_text",
    "FUNNEL_STEPS",
]

if TYPE_CHECKING:
    from smsp_analytics.campaign.funnel import (
        FUNNEL_STEPS,
        account_price,
        cleaning_funnel,
        price_basis_text,
    )
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
    from smsp_analytics.campaign.reachability import ACCOUNT_STOP_LIST, NOT_VALID_MOBILE, reachable


_WHERE = {
    **dict.fromkeys(__all__[:11], "smsp_analytics.campaign.messages"),
    **dict.fromkeys(__all__[11:14], "smsp_analytics.campaign.reachability"),
    **dict.fromkeys(__all__[14:], "smsp_analytics.campaign.funnel"),
}
__getattr__ = lazy_exports(__name__, _WHERE)
