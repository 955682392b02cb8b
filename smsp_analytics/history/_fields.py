"""Targeting fields, canonical keys and key hashes of the quote history."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from smsp_analytics.i18n import _
from smsp_analytics.targeting import Targeting
from smsp_analytics.vocab import TARGETING_COLUMNS, VENDOR_COLUMNS

__all__ = [
    "OPS",
    "key_hash",
    "targeting_fields",
    "canonical_targeting",
    "check_ops",
    "until_before_since",
]


OPS = ("calcul", "price", "rent")
# Fixed bytes, not the app's name: a renamed app must still find its hashes.
_SALT = b"smsp-analytics/quote-history/v1\x00"


def key_hash(api_key: str) -> str:
    """A one-way hash of an API key (salted SHA-256, 24 hex digits): the history records
    which account took a quote without ever storing the key.

    >>> h = key_hash("sk_live_example")
    >>> len(h), h == key_hash("sk_live_example"), "example" in h
    (24, True, False)
    """
    if not isinstance(api_key, str):
        raise TypeError(
            _("api_key: expected a string, got {type}").format(type=type(api_key).__name__)
        )
    return hashlib.sha256(_SALT + api_key.encode("utf-8")).hexdigest()[:24]


def _codes(value: Any) -> str | None:
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [str(i).strip() for i in items if str(i).strip()]
    return ",".join(items) or None


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def targeting_fields(targeting: Any) -> dict[str, Any]:
    """The history's targeting fields from a :class:`Targeting`, a vendor ``parameters``
    dict (``sexe``, ``minAge``...) or a dict of the fields themselves. No validation: the
    client records what it has already validated.

    >>> targeting_fields({"sexe": "f", "minAge": 25, "maxAge": 35, "interest": 14,
    ...                   "department": "60,02"})["departments"]
    '60,02'
    """
    if isinstance(targeting, Targeting):
        targeting = targeting.to_parameters()
    if not isinstance(targeting, Mapping):
        raise TypeError(
            _("targeting_params: expected a Targeting or a parameters dict, got {type}").format(
                type=type(targeting).__name__
            )
        )
    raw: dict[str, Any] = {VENDOR_COLUMNS.get(str(k), str(k)): v for k, v in targeting.items()}
    if "age" in raw and "min_age" not in raw:
        raw["min_age"], raw["max_age"] = raw.pop("age")
    unknown = sorted(set(raw) - set(TARGETING_COLUMNS))
    if unknown:
        raise ValueError(
            _(
                "targeting_params: unknown field(s) {fields}; allowed: {allowed} or the vendor "
                "parameter names"
            ).format(fields=", ".join(unknown), allowed=", ".join(TARGETING_COLUMNS))
        )
    return {
        "gender": raw.get("gender"),
        "min_age": _int(raw.get("min_age")),
        "max_age": _int(raw.get("max_age")),
        "interest": _int(raw.get("interest")),
        "sub_interest": _int(raw.get("sub_interest")),
        "category": _int(raw.get("category")),
        "departments": _codes(raw.get("departments")),
        "zipcodes": _codes(raw.get("zipcodes")),
    }


def canonical_targeting(fields: Mapping[str, Any]) -> tuple[str, str]:
    """``(key, json)``: a canonical JSON of the fields (locality codes sorted, so that the
    same audience groups together whatever the order) and its short hash."""
    return _canonical(tuple(fields.get(k) for k in TARGETING_COLUMNS))


@lru_cache(maxsize=1024)  # a sweep records many answers of few targetings
def _canonical(values: tuple[Any, ...]) -> tuple[str, str]:
    doc = dict(zip(TARGETING_COLUMNS, values))
    for k in ("departments", "zipcodes"):
        doc[k] = sorted(doc[k].split(",")) if doc[k] else []
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24], text


def check_ops(op: Any) -> list[str] | None:
    """``op`` as a list of allowed ops (None: all)."""
    if op is None:
        return None
    ops = [op] if isinstance(op, str) else list(op) if isinstance(op, (list, tuple, set)) else [op]
    bad = [o for o in ops if o not in OPS]
    if bad or not ops:
        raise ValueError(
            _("op: {value} is not allowed; allowed: {allowed} (or a list of them)").format(
                value=repr(bad[0] if bad else op), allowed=", ".join(OPS)
            )
        )
    return ops


def until_before_since(until: Any, since: Any) -> str:
    """The message of a period that ends before it starts."""
    return _("until: {until} is before since {since}").format(until=repr(until), since=repr(since))
