"""Read the vendor's generic XML back into JSON-shaped dicts (keys restored by position).

The XML has a ``<result>`` root and nested ``<entry>`` elements in the order of the JSON
keys; keys are lost, so each operation has a fixed key order (the sandbox README's, which
follows the vendor's samples). Text is stripped (the vendor sample wraps CDATA in
whitespace); scalars stay strings (the frame builders coerce numbers).

Safe parsing: a document with a DOCTYPE (or any other markup declaration) is refused before
the parser sees it, so there are no entities to expand and no external references to
fetch; the bytes are decoded first (BOM or declared encoding) so that the check reads what
the parser reads. The parser is the standard library's C expat.

Fast parsing: an answer on every zip code holds thousands of rows of three plain values.
Runs of such rows are read by one regular expression and the rest of the document by
expat, with the same nested lists as a result (``tests/wire/test_xml_fast_path.py`` holds
the two readings together on generated and garbled documents). A row the pattern does not
cover (a reference, an attribute, a comment inside it...) is read by expat with the rest;
a run that sits inside a comment, a CDATA section or a processing instruction, or a
shortened document that does not parse, sends the whole document through expat.

>>> xml = b'''<result><entry>true</entry><entry><![CDATA[ price ]]></entry>
... <entry><entry><entry>CP</entry><entry>06200</entry><entry>28</entry></entry></entry>
... <entry><entry>28</entry><entry>2.52</entry><entry>0.09</entry></entry></result>'''
>>> from_xml(xml, "optin")["datas"]
[{'Type': 'CP', 'Localite': '06200', 'Volume': '28'}]
>>> from_xml(b'<!DOCTYPE r [<!ENTITY a "aa">]><result><entry>&a;</entry></result>', "me")
Traceback (most recent call last):
...
smsp_analytics.errors.MalformedResponseError: malformed XML response: a DOCTYPE or markup declaration (refused: no entities, no external references)
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from typing import Any

from smsp_analytics.errors import MalformedResponseError
from smsp_analytics.i18n import _

__all__ = ["parse_entries", "parse_entries_slow", "from_xml", "KEY_ORDERS"]

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

# Outside a DTD, the only markup declarations are comments and CDATA sections: anything
# else after "<!" is a DOCTYPE (or not XML), and entities can only be declared in one.
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[)")
_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# One value: plain text with no markup, reference, "]" or character XML refuses, or one
# CDATA section of such text, with white space around either (XML's: Python's \s also takes
# characters XML refuses). Possessive: nothing to backtrack into, and twice as fast.
_TEXT = r"[^<>&\]\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]*+"
_S = r"[ \t\n\r]*+"


def _row_pattern(capture: bool) -> str:
    """A row of three values (calcul, price and rent rows, and the cost triple)."""
    text = f"({_TEXT})" if capture else _TEXT
    value = rf"<entry>{_S}(?:<!\[CDATA\[{text}\]\]>|{text}){_S}</entry>"
    return rf"<entry>{_S}{value}{_S}{value}{_S}{value}{_S}</entry>"


_ROW3 = re.compile(_row_pattern(True))
# A run of sibling rows: white space only between them.
_ROWS = re.compile(rf"{_row_pattern(False)}(?:{_S}{_row_pattern(False)})*+")
# The tag that stands for a run of rows in what expat reads (a name no answer uses: checked).
_RUN = "smsp-rows-run"


def _malformed(why: str) -> MalformedResponseError:
    return MalformedResponseError(_("malformed XML response: {why}").format(why=why), field="body")


def _decoded(data: bytes | str) -> str:
    """The text the parser would read: BOM, UTF-16 without BOM, else the declared encoding
    (UTF-8 by default), so that the DOCTYPE check cannot be dodged by an encoding."""
    if isinstance(data, str):
        return data
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[3:].decode("utf-8")
        if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return data.decode("utf-16")
        if data[:2] == b"<\x00":
            return data.decode("utf-16-le")
        if data[:2] == b"\x00<":
            return data.decode("utf-16-be")
        m = _ENCODING.match(data)
        return data.decode(m.group(1).decode("ascii") if m else "utf-8")
    except (LookupError, UnicodeError) as exc:
        raise _malformed(type(exc).__name__) from None


def _safe_text(data: bytes | str) -> str:
    text = _decoded(data)
    if _DECLARATION.search(text):
        raise _malformed(
            _("a DOCTYPE or markup declaration (refused: no entities, no external references)")
        )
    return text


def _root(text: str) -> Any:
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise _malformed(type(exc).__name__) from None


def _node(el: Any) -> Node:
    if len(el):
        return [_node(c) for c in el]
    text = (el.text or "").strip()
    return text if text else None


def parse_entries_slow(data: bytes | str) -> list[Node]:
    """:func:`parse_entries` read by expat alone (the reference the fast path is held to).

    >>> parse_entries_slow("<result><entry> a </entry><entry><entry/></entry></result>")
    ['a', [None]]
    """
    return [_node(child) for child in _root(_safe_text(data))]


def _fast(text: str) -> list[Node] | None:
    """The entries, with each run of three-value rows read by :data:`_ROW3` and replaced by
    one placeholder element in what expat reads; None (read it all with expat) when a
    placeholder did not land in element content (a run inside a CDATA section, a comment,
    a processing instruction) or the shortened document does not parse."""
    if _RUN in text:
        return None
    runs: list[list[Node]] = []
    pieces: list[str] = []
    last = 0
    for m in _ROWS.finditer(text):
        # findall gives "" for the alternative not taken: (cdata or text) is the value
        rows = _ROW3.findall(text, m.start(), m.end())
        runs.append(
            [
                [(a or b).strip() or None, (c or d).strip() or None, (e or f).strip() or None]
                for a, b, c, d, e, f in rows
            ]
        )
        pieces += [text[last : m.start()], f"<{_RUN}/>"]
        last = m.end()
    if not runs:
        return None
    pieces.append(text[last:])
    try:
        root = ET.fromstring("".join(pieces))
    except ET.ParseError:
        return None
    if sum(1 for _marker in root.iter(_RUN)) != len(runs):
        return None
    if root.tag == _RUN:  # the root is a row; two rows would be two roots: expat says so
        return runs[0][0] if len(runs[0]) == 1 else None
    found = iter(runs)

    def node(el: Any) -> Node:
        if len(el):
            out: list[Node] = []
            for child in el:
                if child.tag == _RUN:
                    out += next(found)
                else:
                    out.append(node(child))
            return out
        value = (el.text or "").strip()
        return value if value else None

    out = node(root)
    return out if isinstance(out, list) else []


def parse_entries(data: bytes | str) -> list[Node]:
    """The ``<result>`` children as nested lists of stripped strings (empty -> None).

    >>> parse_entries(b"<result><entry><entry><entry>CP</entry><entry> 06200 </entry>"
    ...               b"<entry><![CDATA[28]]></entry></entry></entry></result>")
    [[['CP', '06200', '28']]]
    """
    text = _safe_text(data)
    fast = _fast(text)
    return fast if fast is not None else [_node(child) for child in _root(text)]


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
            keys = shape[1]
            if all(isinstance(k, str) for k in keys):  # flat rows: thousands of them
                out[name] = [
                    dict(zip(keys, v if type(v) is list else _as_list(v))) for v in _as_list(value)
                ]
            else:
                out[name] = [_obj(v, keys) for v in _as_list(value)]
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
        raise _malformed(_("empty"))
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
