"""Reading the vendor's scalars: numbers as JSON numbers or ASCII decimal strings, counts,
flags, and the provenance every frame carries.

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
from typing import Any

import numpy as np
import pandas as pd

from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.wire.decoding import excerpt

__all__ = ["number", "whole_count", "flag", "base_attrs"]

# Plain decimals only: the vendor writes "0.090" and "266"; "1e3" is no spelling it uses,
# and reading it as 1000 would turn a garbled figure into a plausible one.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def number(v: Any, field: str = "number") -> float | None:
    """A finite number from a JSON number or an ASCII decimal string ("0.090", "266");
    None when absent or empty. Anything else ("NaN", "0,09", "0x10", "inf", a list) cannot
    be read unambiguously ("NaN", "0,09", "0x10", "1e3", "inf", true, a list):
    :class:`MalformedResponseError` naming ``field``."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        raise MalformedResponseError(
            f"{field}: {excerpt(repr(v))} is a boolean, not a number", field=field
        )
    if isinstance(v, str):
        text = v.strip()
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise MalformedResponseError(f"{field}: {excerpt(v)} is not a number", field=field)
        out = float(text)
    elif isinstance(v, (int, float, np.integer, np.floating)):
        out = float(v)
    else:
        raise MalformedResponseError(f"{field}: {excerpt(repr(v))} is not a number", field=field)
    if not math.isfinite(out):
        raise MalformedResponseError(
            f"{field}: {excerpt(str(v))} is not a finite number", field=field
        )
    return out


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


def base_attrs(source: str, synthetic: bool, op: str) -> dict[str, Any]:
    """The provenance of a frame: source, synthetic, op, fetched_at (UTC ISO string)."""
    return {
        "source": source,
        "synthetic": bool(synthetic),
        "op": op,
        "fetched_at": pd.Timestamp.now(tz="UTC").isoformat(),
    }
