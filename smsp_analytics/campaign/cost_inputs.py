"""What a campaign is costed from, checked before any arithmetic: the price of one SMS (your
contract's, or the sandbox's for synthetic frames) and the ``volume`` and ``cost_eur``
columns of a calcul, price, sweep or rental frame; each refusal names the argument or the
column and the rows at fault. :func:`smsp_analytics.campaign.messages.campaign_cost` uses
them; :data:`SANDBOX_PRICE_PER_SMS` is re-exported there.

>>> check_price(None, synthetic=True), to_cents(np.array([0.045, 1.005])).tolist()
(0.038, [0.05, 1.01])
>>> df = pd.DataFrame({"locality": ["60", "02"], "volume": [10, -1]})
>>> amounts(df, "volume", "a number of contacts >= 0")
Traceback (most recent call last):
ValueError: frame: column 'volume' has 1 value(s) not allowed (-1, for locality 02); allowed: a number of contacts >= 0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from smsp_analytics.i18n import _

__all__ = [
    "SANDBOX_PRICE_PER_SMS",
    "ACCOUNT_PRICE",
    "check_price",
    "to_cents",
    "amounts",
    "row_labels",
    "row_names",
]

#: Price of one SMS on the sandbox: the vendor's public sample shows 0.038 EUR for one SMS.
SANDBOX_PRICE_PER_SMS = 0.038
#: ``price_per_sms="account"``: the account's average cost per SMS (its sending history).
ACCOUNT_PRICE = "account"


def check_price(price_per_sms: Any, synthetic: bool) -> float:
    """The price of one SMS in EUR: ``price_per_sms``, or the sandbox's for a ``synthetic``
    frame when it is None; TypeError or ValueError naming it otherwise."""
    if price_per_sms is None:
        if synthetic:
            return SANDBOX_PRICE_PER_SMS
        raise ValueError(
            _(
                "price_per_sms: required for a frame from the real API (your "
                "contract price per SMS in EUR, e.g. 0.038, or 'account' for the "
                "account's average); the sandbox default {price} applies to synthetic "
                "frames only"
            ).format(price=SANDBOX_PRICE_PER_SMS)
        )
    if isinstance(price_per_sms, bool) or not isinstance(price_per_sms, (int, float, np.number)):
        raise TypeError(
            _(
                "price_per_sms: {value} is not allowed; allowed: a number of EUR > 0, or 'account'"
            ).format(value=repr(price_per_sms))
        )
    value = float(price_per_sms)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            _("price_per_sms: {value} is not allowed; allowed: a finite number of EUR > 0").format(
                value=repr(price_per_sms)
            )
        )
    return value


def to_cents(x: np.ndarray) -> np.ndarray:
    """``x`` rounded half-up to the cent."""
    # Half-up to the cent like the API's costs; the epsilon absorbs binary noise.
    return np.floor(x * 100.0 + 0.5 + 1e-7) / 100.0


def amounts(frame: pd.DataFrame, column: str, allowed: str) -> np.ndarray:
    """``frame[column]`` as float64 (NaN where missing); ValueError naming the column for a
    value that is not a number (booleans included), infinite or negative."""
    col = frame[column]
    if pd.api.types.is_bool_dtype(col.dtype):
        raise ValueError(
            _("frame: column {column} holds booleans; allowed: {allowed}").format(
                column=repr(column), allowed=allowed
            )
        )
    try:
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        bad = np.zeros(len(col), dtype=bool)
    except (TypeError, ValueError):  # text or mixed objects: find the offending rows
        values = np.array(pd.to_numeric(col, errors="coerce"), dtype="float64")
        bad = col.notna().to_numpy(bool) & np.isnan(values)
    if col.dtype == object:  # True would read as 1 contact
        bad |= np.array([isinstance(v, (bool, np.bool_)) for v in col], dtype=bool)
    bad |= np.isinf(values) | (values < 0)
    if bad.any():
        shown = ", ".join(repr(v) for v in col[bad].head(3).tolist())
        raise ValueError(
            _(
                "frame: column {column} has {count} value(s) not allowed ({shown}, for "
                "{rows}); allowed: {allowed}"
            ).format(
                column=repr(column),
                count=int(bad.sum()),
                shown=shown,
                rows=row_names(frame, bad),
                allowed=allowed,
            )
        )
    return values


def row_labels(frame: pd.DataFrame) -> np.ndarray:
    """What names a row in messages: its locality (or department), else its index label."""
    for column in ("locality", "department"):
        if column in frame.columns:
            return np.array([str(v) for v in frame[column]], dtype=object)
    return np.array([str(v) for v in frame.index], dtype=object)


def row_names(frame: pd.DataFrame, rows: np.ndarray) -> str:
    """The rows picked by the mask ``rows`` as a message names them (five at most)."""
    picked = list(dict.fromkeys(row_labels(frame)[rows].tolist()))
    if len(picked) > 5:
        return _("locality {names} and {more} more").format(
            names=", ".join(picked[:5]), more=len(picked) - 5
        )
    return _("locality {names}").format(names=", ".join(picked))
