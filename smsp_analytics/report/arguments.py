"""The checks of :func:`~smsp_analytics.report.build_report`'s arguments, before any call:
each bad value is an error naming its argument and what is allowed, in the language in
force.

>>> check_price("Account"), check_price(0.038), check_price(None)
('account', 0.038, None)
>>> read_numbers(["0612345678", "0698765432"])
['0612345678', '0698765432']
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from smsp_analytics.campaign.sendwindows import check_start
from smsp_analytics.history import QuoteHistory
from smsp_analytics.i18n import _
from smsp_analytics.report.scenarios import Scenario
from smsp_analytics.wire.phone_numbers import is_blank, number_values

__all__ = [
    "ACCOUNT",
    "check_price",
    "check_start_day",
    "check_scenarios",
    "read_numbers",
    "check_history",
]

#: ``price_per_sms="account"``: the account's average cost per SMS over the last twelve
#: months (its sending history).
ACCOUNT = "account"


def check_price(price_per_sms: Any) -> float | str | None:
    """A price per SMS in EUR (a number > 0), ``"account"`` (any case), or None."""
    if price_per_sms is None:
        return None
    if isinstance(price_per_sms, str) and price_per_sms.strip().lower() == ACCOUNT:
        return ACCOUNT
    if (
        isinstance(price_per_sms, bool)
        or not isinstance(price_per_sms, (int, float))
        or not math.isfinite(price_per_sms)
        or price_per_sms <= 0
    ):
        raise ValueError(
            _(
                "price_per_sms: invalid value {value}; allowed: your price per SMS in EUR, "
                "a number > 0 (e.g. 0.038), or 'account' (the account's average over the "
                "last twelve months)"
            ).format(value=repr(price_per_sms))
        )
    return float(price_per_sms)


def check_start_day(send_start: Any) -> dt.date | None:
    """The first day of the send-window table: the whole week must lie in the supported
    range."""
    if send_start is None:
        return None
    return check_start(send_start, 7, field="send_start")


def check_scenarios(scenarios: tuple[Scenario, ...], budget_eur: Any) -> None:
    """At least one scenario, unique names, a budget > 0."""
    if not scenarios:
        raise ValueError(_("scenarios: at least one scenario is needed"))
    names = [s.name for s in scenarios]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise ValueError(
            _(
                "scenarios: the name {name} is used twice; names must be unique (they "
                "label every table and chart)"
            ).format(name=repr(duplicate))
        )
    if not budget_eur > 0:
        raise ValueError(
            _("budget_eur: invalid value {value}; allowed: a number > 0").format(
                value=repr(budget_eur)
            )
        )


def read_numbers(numbers: Any) -> list[Any] | None:
    """The rented numbers as given (a CSV path, with a ``phone_number`` column or the
    numbers first; a frame; a list): their raw entries, read now. None: no cleaning."""
    if numbers is None:
        return None
    raw = number_values(numbers, "numbers")
    if all(is_blank(v) for v in raw):
        raise ValueError(
            _(
                "numbers: no number in {source}; allowed: the numbers you rented, as a CSV "
                "path, a DataFrame (phone_number or first column), or a list"
            ).format(source=str(numbers) if isinstance(numbers, str) else type(numbers).__name__)
        )
    return raw


def check_history(history: Any) -> None:
    """None, a frame of ``QuoteHistory.frame()`` / ``client.history()``, or a store."""
    if history is not None and not isinstance(history, (pd.DataFrame, QuoteHistory)):
        raise TypeError(
            _(
                "history: expected a DataFrame from QuoteHistory.frame() or "
                "client.history(), or a QuoteHistory, got {type}"
            ).format(type=type(history).__name__)
        )
