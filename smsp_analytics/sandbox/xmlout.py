"""Serialise a JSON-like answer as the vendor's generic XML (see the seed's XML sample).

A ``<result>`` root, one ``<entry>`` per value in key order, objects and lists as nested
``<entry>`` lists, strings in CDATA on their own line, ``true``/``false``, numbers as text,
``null`` (and empty objects or lists) as an empty ``<entry/>``. Indented by four spaces like
the sample, so readers must strip the whitespace around text. Keys are lost.

>>> print(to_xml({"success": False, "code": 10}).decode())
<?xml version="1.0" encoding="UTF-8"?>
<result>
    <entry>false</entry>
    <entry>10</entry>
</result>
<BLANKLINE>
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["to_xml", "wants_xml"]

# Characters XML 1.0 cannot carry at all (not even in CDATA): dropped rather than failing.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _cdata(text: str) -> str:
    text = _INVALID_XML.sub("", text)
    # "]]>" would end the section early: split it across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)  # same text as JSON for the finite floats we emit (0.09, 1.8)
    return str(value)


def _emit(value: Any, depth: int, out: list[str]) -> None:
    pad = "    " * depth
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        if not value:
            out.append(f"{pad}<entry/>")
            return
        out.append(f"{pad}<entry>")
        for item in value:
            _emit(item, depth + 1, out)
        out.append(f"{pad}</entry>")
    elif value is None:
        out.append(f"{pad}<entry/>")
    elif isinstance(value, str):
        out.append(f"{pad}<entry>")
        out.append(f"{pad}    {_cdata(value)}")
        out.append(f"{pad}</entry>")
    else:
        out.append(f"{pad}<entry>{_scalar(value)}</entry>")


def to_xml(payload: dict | list) -> bytes:
    """The XML bytes (UTF-8) of a JSON-like answer."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<result>"]
    items = payload.values() if isinstance(payload, dict) else payload
    for item in items:
        _emit(item, 1, out)
    out.append("</result>")
    return ("\n".join(out) + "\n").encode("utf-8")


def wants_xml(query_format: str | None, body: dict | None = None) -> bool:
    """True when ``_format`` asks for XML: the query string's value (its last one, as
    Starlette reads it) or else the JSON body's; case and spaces ignored.

    One reading for the answers and for the injected faults, so both agree.

    >>> wants_xml("XML"), wants_xml(None, {"_format": " xml "}), wants_xml("json", {"_format": "xml"})
    (True, True, False)
    """
    fmt = query_format
    if fmt is None and body is not None:
        fmt = body.get("_format")
    return isinstance(fmt, str) and fmt.strip().lower() == "xml"
