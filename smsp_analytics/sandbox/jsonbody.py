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

import orjson

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


_NOT_SURE = object()


def _quick(raw: bytes) -> Any:
    """orjson's reading of ``raw`` when it is certainly the standard library's too, else
    ``_NOT_SURE``. orjson refuses what the standard library refuses (and more: NaN,
    ``1e309``, lone surrogates, deep nesting), but reads integers beyond 64 bits as floats
    and keeps the last of duplicate keys; so any float, or a count of keys that is not the
    count of colons in the text (each member has one outside strings; a colon inside a
    string or a key given twice makes them differ), leaves the decision to the standard
    library.

    >>> _quick(b'{"a": [1, {"b": null}]}'), _quick(b'{"a": 1, "a": 2}') is _NOT_SURE
    ({'a': [1, {'b': None}]}, True)
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _NOT_SURE
    keys, todo = 0, [value]
    while todo:
        item = todo.pop()
        kind = type(item)
        if kind is dict:
            keys += len(item)
            todo.extend(item.values())
        elif kind is list:
            todo.extend(item)
        elif kind is float:
            return _NOT_SURE
    return value if raw.count(b":") == keys else _NOT_SURE


def read_json(raw: bytes) -> Any:
    """The JSON value of ``raw``; :class:`MalformedBody` saying why when there is none.

    The standard library parser decides, because it can refuse duplicate keys while
    parsing and reads valid JSON that other parsers refuse (``1e309`` must reach
    validation, where it is an invalid number for its field); orjson answers first when
    its reading is certainly the same (``_quick``), three times faster.
    """
    value = _quick(raw)
    if value is not _NOT_SURE:
        return value
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
