"""Reading request bodies: strict UTF-8 JSON, duplicate keys refused (README "Refinements").

A body is read as UTF-8 only (no BOM, no UTF-16/32 detection), and an object that holds
the same key twice anywhere is malformed: never "last one wins" (a body with ``"op":
"calcul"`` then ``"op": "rent"`` must not rent).

>>> parse_json_object(b'{"op": "rent"}'), parse_json_object(b'{not json'), parse_json_object(b'[1]')
({'op': 'rent'}, {}, {})
>>> parse_json_object(b'{"op": "calcul", "op": "rent"}')
{}
>>> read_json(b'{"a": {"b": 1, "b": 2}}')
Traceback (most recent call last):
...
smsp_analytics.sandbox.jsonbody.MalformedBody: duplicate key 'b'
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MalformedBody", "read_json", "parse_json_object"]


class MalformedBody(ValueError):
    """The body is not one unambiguous UTF-8 JSON document."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                shown = repr(key) if len(key) <= 40 else repr(key[:40]) + "..."
                raise MalformedBody(f"duplicate key {shown}")
            seen.add(key)
    return obj


def read_json(raw: bytes) -> Any:
    """The JSON value of ``raw``; :class:`MalformedBody` saying why when there is none.

    The standard library parser, because it can refuse duplicate keys while parsing and
    reads valid JSON that other parsers refuse (``1e309`` must reach validation, where it
    is an invalid number for its field).
    """
    try:
        text = raw.decode("utf-8")  # strict: UTF-16/32 and stray bytes are refused here
    except UnicodeDecodeError:
        raise MalformedBody("not UTF-8") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except MalformedBody:
        raise
    except RecursionError:
        raise MalformedBody("nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        raise MalformedBody(f"not JSON ({str(exc)[:80]})") from None


def parse_json_object(raw: bytes) -> dict:
    """The JSON object of a vendor request body, or {} for anything else (README:
    malformed = empty body)."""
    if not raw:
        return {}
    try:
        value = read_json(raw)
    except MalformedBody:
        return {}
    return value if isinstance(value, dict) else {}
