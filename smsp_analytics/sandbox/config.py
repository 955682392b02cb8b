"""Configuration of one sandbox instance (passed to ``create_app``; no global state).

>>> SandboxConfig(api_key="k").unit_price
Decimal('0.09')
>>> SandboxConfig(api_key="k", date="2027-01-15").date
datetime.date(2027, 1, 15)
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from smsp_analytics.sandbox.clock import parse_date, today
from smsp_analytics.sandbox.pricing import DEFAULT_UNIT_PRICE, to_decimal

__all__ = [
    "SandboxConfig",
    "DEFAULT_CREDIT_EUR",
    "DEFAULT_RENTAL_DELAY",
    "MAX_BODY_BYTES",
    "random_api_key",
    "check_rate_window",
    "MIN_RATE_WINDOW",
    "MAX_RATE_WINDOW",
]

DEFAULT_CREDIT_EUR = Decimal("1000")
DEFAULT_RENTAL_DELAY = 1.0
#: A larger request body is treated as malformed (so as an empty body).
MAX_BODY_BYTES = 2_000_000


#: Accepted lengths of the account limits' "minute" (seconds).
MIN_RATE_WINDOW = 0.05
MAX_RATE_WINDOW = 3600.0


def check_rate_window(value: object) -> float:
    """``value`` as a rate window in seconds; ValueError naming ``rate_window`` otherwise.

    >>> check_rate_window(2)
    2.0
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not (math.isfinite(value) and MIN_RATE_WINDOW <= value <= MAX_RATE_WINDOW)
    ):
        raise ValueError(
            f"rate_window must be a number of seconds in [{MIN_RATE_WINDOW}, "
            f"{MAX_RATE_WINDOW}], got {value!r}"
        )
    return float(value)


def random_api_key() -> str:
    """A fresh random key (what a sandbox accepts when none is given)."""
    return "sbx-" + secrets.token_hex(12)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox needs. ``api_key`` None draws a random key.

    ``allowed_ips``: None (default) accepts every client; otherwise a list of addresses or
    networks (``"127.0.0.1"``, ``"10.0.0.0/8"``) and any other client gets code 96.
    ``date``: the clock's starting date (default: today's date, read once here; a
    ``"YYYY-MM-DD"`` string or None, meaning today, are accepted too and normalised).
    Likewise ``credit_eur`` and ``unit_price`` accept floats and strings, and ``api_key``
    None draws a key: the fields' types are those the values have once normalised.
    ``latency_ms``: about that many milliseconds of delay (with jitter) on every API
    answer. ``rate_limit``: API requests
    admitted per second and key (None: no limit). ``rate_window``: the seconds that stand
    for the documented minute of the account endpoints' limits (360 lookups, 5 cost-resume
    a minute; 60 by default, shorter for tests). ``sending_history`` / ``stop_list``:
    False gives the account no sending history / an empty STOP list.
    """

    api_key: str = field(default_factory=random_api_key)
    seed: int = 0
    credit_eur: Decimal = DEFAULT_CREDIT_EUR
    rental_delay: float = DEFAULT_RENTAL_DELAY
    state_path: str | None = None
    unit_price: Decimal = DEFAULT_UNIT_PRICE
    errors_http_200: bool = False
    allowed_ips: tuple[str, ...] | None = None
    date: dt.date = field(default_factory=today)
    latency_ms: float = 0.0
    rate_limit: int | None = None
    rate_window: float = 60.0
    sending_history: bool = True
    stop_list: bool = True

    def __post_init__(self) -> None:
        # Normalise here so callers may pass floats or strings for money.
        object.__setattr__(self, "credit_eur", to_decimal(self.credit_eur))
        object.__setattr__(self, "unit_price", to_decimal(self.unit_price))
        if self.api_key is None:
            object.__setattr__(self, "api_key", random_api_key())
        if not isinstance(self.api_key, str) or not self.api_key.strip():
            raise ValueError("api_key must be a non-empty string")
        if self.allowed_ips is not None:
            object.__setattr__(self, "allowed_ips", tuple(self.allowed_ips))
        if self.credit_eur < 0 or self.unit_price < 0 or self.rental_delay < 0:
            raise ValueError("credit, unit price and rental delay must be >= 0")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError("seed must be an integer >= 0")
        day = today() if self.date is None else parse_date(self.date)
        object.__setattr__(self, "date", day)
        lat = self.latency_ms
        if (
            isinstance(lat, bool)
            or not isinstance(lat, (int, float))
            or not (math.isfinite(lat) and 0 <= lat <= 60_000)
        ):
            raise ValueError(
                f"latency_ms must be a number of milliseconds in [0, 60000], got {lat!r}"
            )
        check_rate_window(self.rate_window)
        for name in ("sending_history", "stop_list"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        rate = self.rate_limit
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, int) or not 1 <= rate <= 1_000_000
        ):
            raise ValueError(
                f"rate_limit must be None or an integer in [1, 1000000] "
                f"(requests per second per key), got {rate!r}"
            )
