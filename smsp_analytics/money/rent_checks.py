"""What a rent is checked against before its request: the volumes asked (a non-empty
mapping, or ``"all"``) and the fresh quote's figures (present, finite and consistent), whose
largest reading is the cost the rent guard compares with ``max_cost_eur`` and the balance.

>>> is_finite(0.5), is_finite(float("nan")), is_finite(True)
(True, False, False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.i18n import _
from smsp_analytics.money.wording import eur, unit_eur
from smsp_analytics.targeting import Targeting, normalize_volumes

__all__ = ["check_quote", "rent_volumes", "is_finite"]


def is_finite(x: Any) -> bool:
    """A real number (not a bool), finite."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def check_quote(frame: pd.DataFrame, volumes: dict[str, int] | None) -> float:
    """The cost to guard against: the largest of the API's total and the sum of quantity x
    unit price. A quote with missing, non-finite or inconsistent figures raises
    :class:`MalformedResponseError` (no rent may follow it).

    >>> df = pd.DataFrame({"volume": [120], "cost_eur": [10.8]})
    >>> df.attrs.update(total_cost_eur=0.5, unit_cost_eur=0.09, total_quantity=120)
    >>> check_quote(df, {"60": 120})
    Traceback (most recent call last):
    ...
    smsp_analytics.errors.MalformedResponseError: malformed response: price cost.total: 0.5 EUR is not quantity x unit price (120 x 0.09 = 10.8 EUR)
    """
    total, unit = frame.attrs.get("total_cost_eur"), frame.attrs.get("unit_cost_eur")
    quantity = frame.attrs.get("total_quantity")
    for name, value in (
        ("cost.total", total),
        ("cost.cost_unity", unit),
        ("cost.quantity", quantity),
    ):
        if not is_finite(value) or value < 0:
            raise MalformedResponseError(
                _("price {field}: {value} is missing or not a finite number >= 0").format(
                    field=name, value=repr(value)
                ),
                field=name,
            )
    rows = frame["volume"].fillna(0).astype("int64")
    asked = sum(volumes.values()) if volumes else None
    if int(rows.sum()) != round(quantity) or (asked is not None and asked != round(quantity)):
        said = (
            _("price cost.quantity: {quantity} contacts, but the rows add up to {rows}")
            if asked is None
            else _(
                "price cost.quantity: {quantity} contacts, but the rows add up to {rows} and "
                "{asked} were asked"
            )
        )
        raise MalformedResponseError(
            said.format(quantity=f"{quantity:g}", rows=int(rows.sum()), asked=asked),
            field="cost.quantity",
        )
    by_rows = float((rows * unit).sum())
    expected = round(quantity * unit, 2)
    if abs(total - expected) > 0.01 + 1e-9:
        raise MalformedResponseError(
            _(
                "price cost.total: {total} is not quantity x unit price ({quantity} x {unit} = "
                "{expected})"
            ).format(
                total=eur(total, "g"),
                quantity=f"{quantity:g}",
                unit=unit_eur(unit),
                expected=eur(expected, "g"),
            ),
            field="cost.total",
        )
    return max(float(total), by_rows, expected)


def rent_volumes(t: Targeting, volumes: Any) -> dict[str, int] | None:
    """Volumes as the API wants them; None rents the whole audience (asked as "all").

    >>> t = Targeting(interest=14, departments=["60"])
    >>> rent_volumes(t, "all") is None, rent_volumes(t, {"60": 10})
    (True, {'60': 10})
    """
    if isinstance(volumes, str) and volumes.strip().lower() == "all":
        return None
    if volumes is None or (isinstance(volumes, Mapping) and not volumes):
        raise ValueError(
            _(
                'volumes: {value} is empty; allowed: a mapping locality -> contacts, or "all" '
                "to rent the whole available audience"
            ).format(value=repr(volumes))
        )
    vols = normalize_volumes(volumes, t)
    if sum(vols.values()) <= 0:
        raise ValueError(
            _(
                'volumes: {value} asks for no contact; allowed: at least one contact, or "all"'
            ).format(value=repr(volumes))
        )
    return vols
