"""Answers of the vendor endpoints: JSON or the vendor's XML, and the error envelope.

One place for what every vendor route does at its end, so the rental routes (app.py) and
the account routes (account_routes.py) answer alike.

>>> answer({"success": True}, xml=False).body
b'{"success":true}'
>>> error_answer(10, xml=False).status_code
401
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from fastapi import Request
from fastapi.responses import Response

from smsp_analytics.sandbox.messages import MESSAGES, error_body, http_status
from smsp_analytics.sandbox.xmlout import to_xml, wants_xml

__all__ = [
    "answer",
    "error_answer",
    "is_xml",
    "query_value",
    "client_host",
    "XML_TYPE",
    "BytesAnswer",
]

XML_TYPE = "application/xml; charset=utf-8"


class BytesAnswer(Response):
    """A 200 answer of ready bytes: the headers Response would write for them
    (content-length, content-type), without its general case (a kept or templated
    answer is sent on every repeated or distinct calcul).

    >>> a = BytesAnswer(b"{}", "application/json")
    >>> a.raw_headers == Response(b"{}", 200, media_type="application/json").raw_headers
    True
    """

    def __init__(self, body: bytes, media_type: str) -> None:
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.body = body
        shown = media_type
        if shown.startswith("text/") and "charset=" not in shown.lower():
            shown += "; charset=" + self.charset  # as Response.init_headers does
        self.raw_headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", shown.encode("latin-1")),
        ]


def query_value(request: Request, name: str) -> str | None:
    """The query string's (last) value of ``name``; None without it. A POST usually has no
    query string at all: then nothing is parsed."""
    if not request.scope.get("query_string"):
        return None
    return request.query_params.get(name)


def is_xml(request: Request, body: dict | None = None) -> bool:
    """True when the request asks for XML (``_format``: query string, else JSON body)."""
    return wants_xml(query_value(request, "_format"), body)


def answer(payload: dict, xml: bool, status: int = 200) -> Response:
    """``payload`` as JSON (orjson) or as the vendor's generic XML."""
    if xml:
        return Response(to_xml(payload), status, media_type=XML_TYPE)
    return Response(orjson.dumps(payload), status, media_type="application/json")


def error_answer(
    code: int, xml: bool, errors_http_200: bool = False, table: Mapping[int, str] = MESSAGES
) -> Response:
    """The vendor error envelope of ``code`` (its message from ``table``) and its status."""
    return answer(error_body(code, table), xml, http_status(code, errors_http_200))


def client_host(request: Request) -> str | None:
    """The client's address (for the IP allow list), None when unknown."""
    return request.client.host if request.client else None
