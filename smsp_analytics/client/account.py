"""The account's state: ``credits`` and a rental's ``status`` (:class:`Account`, a part of
:class:`~smsp_analytics.client.facade.Client`). Never cached: they change.

>>> from smsp_analytics import Client
>>> with Client(announce=False) as c:
...     c.credits().currency
'EUR'
"""

from __future__ import annotations

import pandas as pd

from smsp_analytics.frames import Credits, credits_from, status_frame
from smsp_analytics.money.context import ClientContext
from smsp_analytics.money.rentals import check_token
from smsp_analytics.wire.decoding import server_time
from smsp_analytics.wire.transport import Transport

__all__ = ["Account"]


class Account:
    """``credits`` and ``status`` over ``transport``, labelled by ``context``."""

    def __init__(self, context: ClientContext, transport: Transport) -> None:
        self._context = context
        self._transport = transport

    def credits(self) -> Credits:
        """The account's credits and EUR balance (never cached)."""
        self._context.count_call()
        payload, _ = self._transport.call("GET", "me", mode="fresh", kind="me")
        return credits_from(payload, source=self._context.source, synthetic=self._context.synthetic)

    def status(self, token: str) -> pd.DataFrame:
        """A rental's state and localities (both spellings of the contract normalised)."""
        token = check_token(token)
        self._context.count_call()
        payload, raw = self._transport.call(
            "GET", "location/status", mode="fresh", kind="status", params={"token": token}
        )
        df = status_frame(payload, source=self._context.source, synthetic=self._context.synthetic)
        now = pd.Timestamp.now(tz="UTC")
        return self._context.label(df, now, False, server_time(raw, now))
