"""Read an HTTP answer as the vendor's envelope, or raise the error it stands for.

A vendor answer is a JSON object (or the vendor's generic XML) with a ``success`` field.
Anything else (an HTML page from a proxy, a JSON list, an empty body), whatever its HTTP
status, is a :class:`MalformedResponseError` naming what was wrong, with a short redacted
excerpt: never "the API answered success=false".

>>> raw = RawResponse(200, b"<html><body>Bad gateway</body></html>", "text/html", False, {})
>>> try:
...     decode(raw, "optin")
... except MalformedResponseError as e:
...     print(e.field, "|", e.message[:61])
body | malformed response: not a vendor answer (HTML page), HTTP 200
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from smsp_analytics.errors import (
    MalformedResponseError,
    RateLimitError,
    ServiceUnavailableError,
    SmsPartnerError,
    error_from_code,
    redact,
)
from smsp_analytics.i18n import _
from smsp_analytics.wire.xmlparse import from_xml

__all__ = [
    "RawResponse",
    "decode",
    "excerpt",
    "is_cacheable_answer",
    "check_localities",
    "server_time",
    "is_file",
]

_XML_SUCCESS = re.compile(rb"^\s*(?:<\?xml[^>]*\?>)?\s*<result>\s*<entry>\s*true\s*</entry>")
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--)", re.IGNORECASE)


@dataclass
class RawResponse:
    """What the transport hands back: status, body, content type, whether from the cache."""

    status: int
    content: bytes
    content_type: str
    from_cache: bool
    headers: Mapping[str, str]  # case-insensitive when from the network


def excerpt(data: bytes | str, limit: int = 80) -> str:
    """A short, redacted, single-line excerpt of a body for error messages."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    text = " ".join(redact(text).split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def is_cacheable_answer(status: int, body: bytes) -> bool:
    """Only successful vendor answers are cached (errors may come with HTTP 200)."""
    if status != 200:
        return False
    if body.lstrip()[:1] == b"<":
        return bool(_XML_SUCCESS.match(body))
    try:
        return json.loads(body).get("success") is True
    except (ValueError, AttributeError):
        return False


def _looks_xml(raw: RawResponse) -> bool:
    if _HTML.match(raw.content) or "html" in raw.content_type.lower():
        return False
    return "xml" in raw.content_type.lower() or raw.content.lstrip()[:1] == b"<"


def _body(raw: RawResponse, kind: str) -> tuple[Any, str]:
    """The parsed body (None when unreadable) and why it could not be read."""
    if _HTML.match(raw.content) or "text/html" in raw.content_type.lower():
        return None, _("not a vendor answer (HTML page)")
    if not raw.content.strip():
        return None, _("empty body")
    if _looks_xml(raw):
        try:
            return from_xml(raw.content, kind), ""
        except ServiceUnavailableError as exc:
            return None, exc.message
    try:
        return json.loads(raw.content.decode("utf-8")), ""
    except (ValueError, UnicodeDecodeError) as exc:
        return None, _("malformed JSON ({error})").format(error=type(exc).__name__)


def decode(raw: RawResponse, kind: str) -> dict[str, Any]:
    """The JSON-shaped body of a response, or the mapped vendor/HTTP error raised.

    ``kind`` is the XML key order to apply (optin, rent, status, me, categories).
    """
    status = raw.status
    body, why = _body(raw, kind)
    if body is not None and not isinstance(body, dict):
        body, why = None, _("a JSON {type}, not an object").format(type=type(body).__name__)
    if body is None:
        if status == 429:
            raise RateLimitError(
                _("too many requests (HTTP 429, body {body})").format(body=excerpt(raw.content)),
                http_status=status,
            )
        raise MalformedResponseError(
            _("{why}, HTTP {status}: {body}").format(
                why=why, status=status, body=excerpt(raw.content)
            ),
            field="body",
            http_status=status,
        )
    if "success" not in body:
        raise MalformedResponseError(
            _("no 'success' field, HTTP {status}: {body}").format(
                status=status, body=excerpt(raw.content)
            ),
            field="success",
            http_status=status,
        )
    if body.get("success") in (True, "true") and status == 200:
        return body
    code = body.get("code")
    try:
        code = int(code) if code is not None else None
    except (TypeError, ValueError):
        code = None
    if code == 200:
        code = None
    message = body.get("message")
    if not message and isinstance(body.get("error"), list):
        message = "; ".join(
            f"{e.get('elementId', '?')}: {e.get('message', '')}"
            for e in body["error"]
            if isinstance(e, dict)
        )
    if not message:
        message = f"HTTP {status}" if status != 200 else _("the API answered success=false")
    if status == 429 and code is None:
        raise RateLimitError(str(message), http_status=status, body=body)
    if body.get("success") in (True, "true") and code is None:
        # success with a non-200 status: trust the HTTP status
        raise error_from_code(None, f"HTTP {status}", http_status=status, body=body)
    err: SmsPartnerError = error_from_code(code, str(message), http_status=status, body=body)
    raise err


def check_localities(rows: Any, asked: set[str]) -> None:
    """Rows (:class:`LocalityRows`) for localities that were not asked for make the answer
    ambiguous; no locality asked means France as a whole."""
    asked = asked or {"FR"}
    extra = [loc for loc in rows.localities if loc not in asked]
    if extra:
        shown = ", ".join(str(x) for x in extra[:5])
        raise MalformedResponseError(
            _("datas.Localite: {localities} not asked for (asked: {asked})").format(
                localities=shown, asked=", ".join(sorted(asked)[:10])
            ),
            field="datas.Localite",
        )


def server_time(raw: RawResponse, default: Any) -> Any:
    """The response's HTTP ``Date`` (the server's clock), else ``default``."""
    text = raw.headers.get("Date")
    if not text:
        return default
    try:
        import pandas as pd

        return pd.Timestamp(parsedate_to_datetime(text)).tz_convert("UTC")
    except (TypeError, ValueError):
        return default


def is_file(raw: RawResponse) -> bool:
    """Whether a download answer is the file (not a vendor error envelope)."""
    if raw.status != 200:
        return False
    ctype = raw.content_type.lower()
    if "csv" in ctype or "text/plain" in ctype:
        return True
    head = raw.content.lstrip()[:1]
    return head not in (b"{", b"<", b"[")
