"""Reading the vendor's scalars: numbers as JSON numbers or ASCII decimal strings (many at
once when plain), counts, flags, repeated labels as categoricals, and the provenance every
frame carries.

>>> number("0.090"), number(" 266 "), number(None), number("")
(0.09, 266.0, None, None)
>>> number("1e3", "datas.Volume")
Traceback (most recent call last):
...
smsp_analytics.errors.MalformedResponseError: malformed response: datas.Volume: '1e3' is not a number
>>> number("0,09", "cost.cost_unity")
Traceback (most recent call last):
...
smsp_analytics.errors.MalformedResponseError: malformed response: cost.cost_unity: '0,09' is not a number
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from smsp_analytics.display import fmt_eur, fmt_int
from smsp_analytics.errors import MalformedResponseError, TotalMismatchWarning
from smsp_analytics.i18n import N_, _
from smsp_analytics.wire.decoding import excerpt

__all__ = ["number", "plain_numbers", "whole_count", "flag", "categorical_labels", "base_attrs"]

# Plain decimals only: the vendor writes "0.090" and "266"; "1e3" is no spelling it uses,
# and reading it as 1000 would turn a garbled figure into a plausible one.
_DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_NUMBER = re.compile(_DECIMAL)
# Many plain decimals joined by NUL (a character no number holds): one match reads them all.
_DECIMALS = re.compile(rf"{_DECIMAL}(?:\x00{_DECIMAL})*")


def number(v: Any, field: str = "number") -> float | None:
    """A finite number from a JSON number or an ASCII decimal string ("0.090", "266");
    None when absent or empty. Anything else ("NaN", "0,09", "0x10", "inf", a list) cannot
    be read unambiguously ("NaN", "0,09", "0x10", "1e3", "inf", true, a list):
    :class:`MalformedResponseError` naming ``field``."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        raise MalformedResponseError(
            _("{field}: {value} is a boolean, not a number").format(
                field=field, value=excerpt(repr(v))
            ),
            field=field,
        )
    if isinstance(v, str):
        text = v.strip()
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise MalformedResponseError(
                _("{field}: {value} is not a number").format(field=field, value=excerpt(v)),
                field=field,
            )
        out = float(text)
    elif isinstance(v, (int, float, np.integer, np.floating)):
        out = float(v)
    else:
        raise MalformedResponseError(
            _("{field}: {value} is not a number").format(field=field, value=excerpt(repr(v))),
            field=field,
        )
    if not math.isfinite(out):
        raise MalformedResponseError(
            _("{field}: {value} is not a finite number").format(field=field, value=excerpt(str(v))),
            field=field,
        )
    return out


def plain_numbers(values: list[Any]) -> list[float] | None:
    """The numbers of many values at once when every one is plainly a number (all JSON
    integers, or all plain decimal strings without white space), else None: then read
    each with :func:`number`, which says what is wrong and where. Same floats as
    :func:`number`; thousands of rows in one regular expression instead of a loop.

    >>> plain_numbers(["266", "0.090"]), plain_numbers([2050, 382]), plain_numbers(["1e3"])
    ([266.0, 0.09], [2050.0, 382.0], None)
    """
    if not values:
        return []
    kinds = set(map(type, values))
    try:
        if kinds == {int}:  # not bool: type(True) is bool
            out = list(map(float, values))
        elif kinds == {str} and _DECIMALS.fullmatch("\x00".join(values)):
            out = list(map(float, values))
        else:
            return None
    except (ValueError, OverflowError):  # a NUL inside a value; an int beyond float
        return None
    return out if all(map(math.isfinite, out)) else None  # "1" x 400 digits is inf


def whole_count(q: float | None) -> int | float | None:
    """A contact count as an int when whole (the API may send it as "10" or 10.0)."""
    return int(q) if q is not None and math.isfinite(q) and q.is_integer() else q


def flag(v: Any) -> bool | None:
    """A boolean from true/false, "true", "1", "yes" (None stays None)."""
    if isinstance(v, bool):
        return v
    if v is None:
        return None
    return str(v).strip().lower() in ("true", "1", "yes")


def round_cents(x: np.ndarray) -> np.ndarray:
    """Half-up to the cent, like the API (the epsilon absorbs binary noise).

    >>> round_cents(np.array([0.09 * 5, 0.125])).tolist()
    [0.45, 0.13]
    """
    return np.floor(x * 100.0 + 0.5 + 1e-7) / 100.0


_TOTAL_ROW = N_("total row")


def check_totals(
    got: int,
    quantity: float | None,
    total_row: float | None,
    total_cost: float | None,
    unit: float | None,
    what: str,
) -> None:
    """Warn (:class:`TotalMismatchWarning`) when the rows miss the API's own totals:
    ``got`` contacts against ``cost.quantity`` or the total row, and ``cost.total``
    against quantity x unit cost."""
    for label, expected in (("cost.quantity", quantity), (_TOTAL_ROW, total_row)):
        if expected is not None and round(expected) != got:
            said = fmt_int(expected) if float(expected).is_integer() else f"{expected:g}"
            warnings.warn(
                _(
                    "{what}: the rows add up to {count} contacts but the API's {label} says "
                    "{expected}"
                ).format(what=what, count=fmt_int(got), label=_(label), expected=said),
                TotalMismatchWarning,
                stacklevel=6,
            )
            return
    if total_cost is not None and unit is not None and quantity is not None:
        expected_cost = float(round_cents(np.array([quantity * unit]))[0])
        if abs(expected_cost - total_cost) > 0.005:
            warnings.warn(
                _("{what}: cost.total is {total} but quantity x unit cost is {expected}").format(
                    what=what, total=fmt_eur(total_cost), expected=fmt_eur(expected_cost)
                ),
                TotalMismatchWarning,
                stacklevel=6,
            )


def cost_object(cost: Any, field: str) -> dict[str, Any]:
    """The cost object; absent is {} (the callers say when one is due), another type is
    malformed (ignoring it would drop the figures the rent guard needs)."""
    if cost is None:
        return {}
    if not isinstance(cost, dict):
        raise MalformedResponseError(
            _("{field}: {value} is not an object").format(field=field, value=excerpt(repr(cost))),
            field=field,
        )
    return cost


def categorical_labels(lists: list[list[str | None]]) -> pd.Categorical:
    """The labels of several lists, one after the other, as a categorical: codes into the
    labels present, sorted (so that the column sorts as the strings would; None is
    missing). A list repeated (a sweep asks the same localities for every combination) is
    coded once.

    >>> c = categorical_labels([["60", "02"], ["60", "02"], ["75", None]])
    >>> c.tolist(), c.categories.tolist()
    (['60', '02', '60', '02', '75', nan], ['02', '60', '75'])
    """
    groups: dict[tuple[int, Any, Any], list[list[str | None]]] = {}
    which: list[list[str | None]] = []  # per list, the first equal list seen
    for labels in lists:
        key = (len(labels), labels[0] if labels else None, labels[-1] if labels else None)
        group = groups.setdefault(key, [])
        same = next((d for d in group if d == labels), None)
        if same is None:
            group.append(labels)
            same = labels
        which.append(same)
    distinct = [d for group in groups.values() for d in group]
    names = sorted({v for d in distinct for v in d if v is not None})
    index: dict[str | None, int] = {v: i for i, v in enumerate(names)}
    codes = {id(d): np.array([index.get(v, -1) for v in d], dtype="int32") for d in distinct}
    return pd.Categorical.from_codes(
        np.concatenate([codes[id(d)] for d in which]) if which else np.array([], dtype="int32"),
        categories=pd.Index(names, dtype="str"),
    )


def base_attrs(source: str, synthetic: bool, op: str) -> dict[str, Any]:
    """The provenance of a frame: source, synthetic, op, fetched_at (UTC ISO string)."""
    return {
        "source": source,
        "synthetic": bool(synthetic),
        "op": op,
        "fetched_at": pd.Timestamp.now(tz="UTC").isoformat(),
    }
