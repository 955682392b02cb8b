"""Read the vendor's generic XML back into JSON-shaped dicts (keys restored by position).

The XML has a ``<result>`` root and nested ``<entry>`` elements in the order of the JSON
keys; keys are lost, so each operation has a fixed key order (the sandbox README's, which
follows the vendor's samples). Text is stripped (the vendor sample wraps CDATA in
whitespace); scalars stay strings (the frame builders coerce numbers). Parsed with
defusedxml: no entities, no external references.

>>> xml = b'''<result><entry>true</entry><entry><![CDATA[ price ]]></entry>
... <entry><entry><entry>CP</entry><entry>06200</entry><entry>28</entry></entry></entry>
... <entry><entry>28</entry><entry>2.52</entry><entry>0.09</entry></entry></result>'''
>>> from_xml(xml, "optin")["datas"]
[{'Type': 'CP', 'Localite': '06200', 'Volume': '28'}]
"""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree as DET

from smsp_analytics.errors import MalformedResponseError

__all__ = ["parse_entries", "from_xml", "KEY_ORDERS"]

Node = Any  # str | None | list[Node]

_ROW = ["Type", "Localite", "Volume"]
_COST = ["quantity", "total", "cost_unity"]
# Key orders by response kind: a name maps to None (scalar), a list of names (object) or
# ("rows", [...]) (a list of objects).
KEY_ORDERS: dict[str, list[tuple[str, Any]]] = {
    "optin": [("success", None), ("op", None), ("datas", ("rows", _ROW)), ("cost", _COST)],
    "rent": [
        ("success", None),
        ("op", None),
        ("token", None),
        ("datas", ("rows", _ROW)),
        ("cost", _COST),
    ],
    "me": [
        ("success", None),
        ("code", None),
        ("user", ["username", "firstname", "lastname"]),
        (
            "credits",
            ["creditSms", "creditSmsECO", "creditHlr", "toSend", "solde", "currency", "balance"],
        ),
    ],
    "categories": [
        ("success", None),
        (
            "categories",
            ("rows", ["id", "name", "synthetic", ("subCategories", ["id", "name", "synthetic"])]),
        ),
    ],
}
_DETAIL = ["Type", "Location", "VolumeDesired", "Volume"]


def parse_entries(data: bytes | str) -> list[Node]:
    """The ``<result>`` children as nested lists of stripped strings (empty -> None)."""
    try:
        root = DET.fromstring(data)
    except Exception as exc:  # ParseError, defusedxml's forbidden constructs
        raise MalformedResponseError(
            f"malformed XML response: {type(exc).__name__}", field="body"
        ) from None
    return [_node(child) for child in root]


def _node(el: Any) -> Node:
    if len(el):
        return [_node(c) for c in el]
    text = (el.text or "").strip()
    return text if text else None


def _as_list(node: Node) -> list[Node]:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _obj(values: Node, keys: list[Any]) -> dict[str, Any]:
    values = _as_list(values)
    out: dict[str, Any] = {}
    for key, value in zip(keys, values):
        if isinstance(key, tuple):
            name, sub = key
            out[name] = [_obj(v, sub) for v in _as_list(value)]
        else:
            out[key] = value
    return out


def _apply(values: list[Node], order: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (name, shape), value in zip(order, values):
        if shape is None:
            out[name] = value
        elif isinstance(shape, tuple):
            out[name] = [_obj(v, shape[1]) for v in _as_list(value)]
        else:
            out[name] = _obj(value, shape)
    return out


def _status(values: list[Node]) -> dict[str, Any]:
    # success, token, status, [statusCode], location, [file]: statusCode is a sandbox
    # addition, so find ``location`` as the first list after ``status``.
    out: dict[str, Any] = {"success": values[0] if values else None}
    rest = values[1:]
    scalars = []
    while rest and not isinstance(rest[0], list):
        scalars.append(rest.pop(0))
    for name, v in zip(["token", "status", "statusCode"], scalars):
        out[name] = v
    if rest:
        out["location"] = _location(rest.pop(0))
    if rest:
        out["file"] = _obj(rest.pop(0), ["phoneNumbers"])
    return out


def _location(node: Node) -> dict[str, Any]:
    values = _as_list(node)
    out: dict[str, Any] = {}
    # The last two entries are the details list and the cost triple; between the ages and
    # them sit 3 (vendor example: zipcode, interest, category) or 5 (sandbox: zipcode,
    # department, interest, subInterest, category) scalars.
    head, middle = values[:3], values[3:-2]
    for name, v in zip(["sexe", "minAge", "maxAge"], head):
        out[name] = v
    names = (
        ["zipcode", "department", "interest", "subInterest", "category"]
        if len(middle) >= 5
        else ["zipcode", "interest", "category"]
    )
    for name, v in zip(names, middle):
        out[name] = v
    if len(values) >= 5:
        details, cost = values[-2], values[-1]
        out["details_localisation"] = [_obj(r, _DETAIL) for r in _as_list(details)]
        out["cost"] = _obj(cost, _COST)
    return out


def from_xml(data: bytes | str, kind: str) -> dict[str, Any]:
    """A JSON-shaped dict from an XML response of ``kind`` (optin, rent, status, me,
    categories); error envelopes (first entry ``false``) give ``success``, ``code``,
    ``message`` (or ``error``) whatever the kind."""
    values = parse_entries(data)
    if not values:
        raise MalformedResponseError("malformed XML response: empty", field="body")
    if values[0] == "false":
        out: dict[str, Any] = {"success": False}
        if len(values) > 1:
            out["code"] = values[1]
        if len(values) > 2:
            third = values[2]
            if isinstance(third, list):
                out["error"] = [_obj(r, ["elementId", "message"]) for r in third]
            else:
                out["message"] = third
        return out
    if kind == "status":
        out = _status(values)
    else:
        out = _apply(values, KEY_ORDERS[kind])
    out["success"] = values[0] == "true"
    return out
