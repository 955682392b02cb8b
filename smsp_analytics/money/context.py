"""What the parts of a client share (:class:`ClientContext`), and what the money parts need
from the other parts (:class:`QuoteSource`, :class:`AccountReader`, :class:`AnswerRecorder`).

:class:`~smsp_analytics.client.facade.Client` composes small parts (quotes, account, rentals,
downloads, reconciling, history). Each receives what it needs as constructor arguments: this
context, the transport, the journal, the recorder, or another part typed by one of the
protocols below; no part reads another's private state. The context lives on the money
floor because the money parts, below the client, receive it.

>>> from pathlib import Path
>>> ctx = ClientContext(base_url="http://127.0.0.1:1/v1/", format="json", synthetic=True,
...                     rentals_dir=Path("rentals"))
>>> ctx.source, ctx.count_call(), ctx.calls
('sandbox', 1, 1)
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from smsp_analytics.accounts import Credits
from smsp_analytics.targeting import Targeting

__all__ = ["ClientContext", "QuoteSource", "AccountReader", "AnswerRecorder"]


@dataclass(eq=False)
class ClientContext:
    """Where a client talks and how its frames are labelled: ``base_url``, ``format``,
    ``synthetic`` (its ``source`` follows: "sandbox" or "api"), ``rentals_dir`` (kept
    downloads), ``sandbox`` (the background sandbox of a no-key client, else None) and the
    count of HTTP requests sent (``calls``, cache hits included, for benchmarks)."""

    base_url: str
    format: str
    synthetic: bool
    rentals_dir: Path
    sandbox: Any = field(default=None, repr=False)
    _calls: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def source(self) -> str:
        """``"sandbox"`` for synthetic data, else ``"api"`` (every frame's ``source``)."""
        return "sandbox" if self.synthetic else "api"

    @property
    def calls(self) -> int:
        """HTTP requests sent so far (cache hits included)."""
        return self._calls

    def count_call(self) -> int:
        """Count one request (parts call it from many threads); the new count."""
        with self._lock:
            self._calls += 1
            return self._calls

    def label(
        self,
        df: pd.DataFrame,
        fetched: pd.Timestamp,
        cached: bool,
        as_of: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Provenance in ``attrs``: source, synthetic, fetched_at and as_of (UTC ISO
        strings; as_of is the server's clock), from_cache, base_url."""
        df.attrs["source"] = self.source
        df.attrs["synthetic"] = self.synthetic
        df.attrs["fetched_at"] = fetched.isoformat()
        df.attrs["as_of"] = (as_of if as_of is not None else fetched).isoformat()
        df.attrs["from_cache"] = bool(cached)
        df.attrs["base_url"] = self.base_url
        return df


class QuoteSource(Protocol):
    """What renting needs of the quotes part."""

    def targeting(self, t: Targeting | Mapping[str, Any]) -> Targeting: ...

    def calcul(self, t: Targeting | Mapping[str, Any]) -> pd.DataFrame: ...

    def price(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | None = None,
        *,
        fresh: bool = False,
    ) -> pd.DataFrame: ...


class AccountReader(Protocol):
    """What renting, reconciling and downloads need of the account part."""

    def credits(self) -> Credits: ...

    def status(self, token: str) -> pd.DataFrame: ...


class AnswerRecorder(Protocol):
    """Where live answers are recorded (the quote history)."""

    def record(
        self,
        rows: Any,
        *,
        op: str,
        targeting: Targeting,
        volumes: Mapping[str, int] | None,
        as_of: Any,
        fetched_at: pd.Timestamp,
        background: bool = True,
    ) -> None: ...
