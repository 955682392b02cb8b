"""Reading the answers of the account's own data (STOP list, lookup, cost-resume), JSON or
the vendor's generic XML.

A JSON answer, and any error envelope, are read by the shared
:func:`~smsp_analytics.wire.decoding.decode`. A successful XML answer has lost its keys:
they are restored here by position, in the order of the vendor's JSON samples
(:data:`ACCOUNT_KEY_ORDERS`). The frame builders (:mod:`smsp_analytics.account_data`) then
check every value.

>>> from smsp_analytics.wire.decoding import RawResponse
>>> xml = (b"<result><entry>true</entry><entry>200</entry><entry>1</entry><entry><entry>"
...        b"<entry>19</entry><entry>+33612345678</entry><entry>2015-07-20 10:19:45</entry>"
...        b"</entry></entry></result>")
>>> read_answer(RawResponse(200, xml, "application/xml", False, {}), "stop_list")["data"]
[{'id': '19', 'phoneNumber': '+33612345678', 'createdAt': '2015-07-20 10:19:45'}]
"""

from __future__ import annotations

import re
from typing import Any

from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.i18n import _
from smsp_analytics.wire.decoding import RawResponse, decode, excerpt
from smsp_analytics.wire.xmlparse import parse_entries

__all__ = ["ACCOUNT_KEY_ORDERS", "read_answer"]

_FORMAT = ("format", ["e164", "international", "national", "rfc3966"])
#: kind -> the answer's keys in order: a name (a scalar) or (name, [keys]) (a list of
#: objects); inside an object, (name, [keys]) is a nested object.
ACCOUNT_KEY_ORDERS: dict[str, list[Any]] = {
    "stop_list": ["success", "code", "nbData", ("data", ["id", "phoneNumber", "createdAt"])],
    "lookup": [
        "success",
        "code",
        (
            "lookup",
            [
                "request",
                "success",
                "countryCode",
                "prefixCode",
                "phoneNumber",
                "type",
                "network",
                _FORMAT,
            ],
        ),
    ],
    "cost_resume": [
        "success",
        ("datas", ["month", "year", "m", "date", "type", "cost", "nb_send"]),
    ],
}
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--)", re.IGNORECASE)


def _items(node: Any) -> list[Any]:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _object(node: Any, keys: list[Any], where: str) -> dict[str, Any]:
    if not isinstance(node, list):
        raise MalformedResponseError(
            _("{where}: {value} is not an object").format(where=where, value=excerpt(str(node))),
            field=where,
        )
    out: dict[str, Any] = {}
    for key, value in zip(keys, node):
        if isinstance(key, tuple):
            name, sub = key
            out[name] = _object(value, sub, f"{where}.{name}") if value is not None else None
        else:
            out[key] = value
    return out


def _from_entries(values: list[Any], kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in zip(ACCOUNT_KEY_ORDERS[kind], values):
        if isinstance(key, tuple):
            name, sub = key
            out[name] = [_object(v, sub, name) for v in _items(value)]
        else:
            out[key] = value
    out["success"] = True
    return out


def read_answer(raw: RawResponse, kind: str) -> dict[str, Any]:
    """The JSON-shaped answer of ``kind`` (``stop_list``, ``lookup``, ``cost_resume``), or
    the vendor's error raised (as :func:`decode` maps it)."""
    if kind not in ACCOUNT_KEY_ORDERS:
        raise ValueError(
            _("kind: {value} is not allowed; allowed: {allowed}").format(
                value=repr(kind), allowed=", ".join(ACCOUNT_KEY_ORDERS)
            )
        )
    content = raw.content
    if (
        content.lstrip()[:1] == b"<"
        and not _HTML.match(content)
        and "html" not in raw.content_type.lower()
    ):
        values = parse_entries(content)
        if values and values[0] == "true" and raw.status == 200:
            return _from_entries(values, kind)
        if not values or values[0] not in ("true", "false"):
            raise MalformedResponseError(
                _("XML answer without a success flag, HTTP {status}: {text}").format(
                    status=raw.status, text=excerpt(content)
                ),
                field="success",
                http_status=raw.status,
            )
    # JSON, error envelopes and anything odd: the shared reading raises what they mean.
    return decode(raw, "status")
