"""HTTP for the client: sessions, the SQLite cache, retries and key redaction.

Three kinds of session, one of each per thread (requests sessions are not strictly
thread-safe; the SQLite cache backend is shared, it locks itself):

- ``read``: calcul, price, categories. A requests-cache ``CachedSession`` on a SQLite file
  (``cache=True|False|path``), urllib3 ``Retry`` on 429/5xx and connection errors honouring
  ``Retry-After`` (capped by ``retry_after_max``), POST allowed (these POSTs only read).
  ``ignored_parameters=["apiKey"]`` keeps the key out of cache keys and stored requests; a
  ``filter_fn`` keeps vendor errors (even with HTTP 200) out of the cache. No
  ``stale_if_error`` (its warning logs unredacted URLs).
- ``fresh``: status, me (never cached: they change), same retries.
- ``download``: never cached; retried on connect errors and on 429/503 answers only, never
  on read errors (bytes may have been sent and a second try would answer "already used").
- ``rent``: a plain session, never cached, never retried.

The key never reaches logs (a filter on the urllib3 / requests-cache loggers redacts
``apiKey=...``) nor exceptions (requests exceptions embed URLs: they are re-raised as
:class:`ServiceUnavailableError` with redacted text, ``from None``).

>>> t = Transport("sk_demo", "http://127.0.0.1:9/v1/", cache=False, retries=0, timeout=0.2)
>>> "sk_demo" in repr(t)
False
>>> t.close()
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs
import requests
import requests_cache
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from .errors import (RateLimitError, ServiceUnavailableError, SmsPartnerError,
                     error_from_code, redact)
from .xmlparse import from_xml

__all__ = ["Transport", "RawResponse", "KeyRedactingFilter", "install_log_redaction",
           "default_cache_path", "decode"]

Mode = Literal["read", "fresh", "download", "rent"]
_XML_SUCCESS = re.compile(rb"^\s*(?:<\?xml[^>]*\?>)?\s*<result>\s*<entry>\s*true\s*</entry>")
RETRY_STATUSES = (429, 500, 502, 503, 504)


class KeyRedactingFilter(logging.Filter):
    """Rewrites log records so that ``apiKey=...`` values never reach a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error path
            return True
        if "apikey" in text.lower():
            record.msg = redact(text)
            record.args = None
        return True


_LOGGER_PREFIXES = ("urllib3", "requests", "requests_cache")
_KNOWN_LOGGERS = ("urllib3", "urllib3.connectionpool", "urllib3.connection",
                  "urllib3.response", "urllib3.poolmanager", "urllib3.util.retry",
                  "requests", "requests_cache", "requests_cache.session",
                  "requests_cache.policy.actions", "requests_cache.backends.base",
                  "requests_cache.backends.sqlite")


def install_log_redaction() -> None:
    """Attach the redacting filter to the HTTP libraries' loggers (idempotent).

    Logger filters only see records created on that very logger, so every existing
    urllib3 / requests / requests-cache logger gets one.
    """
    names = set(_KNOWN_LOGGERS) | {
        n for n in list(logging.root.manager.loggerDict) if n.startswith(_LOGGER_PREFIXES)}
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, KeyRedactingFilter) for f in logger.filters):
            logger.addFilter(KeyRedactingFilter())


def default_cache_path() -> Path:
    """``<user cache dir>/smsp-analytics/http_cache.sqlite``."""
    return Path(platformdirs.user_cache_dir("smsp-analytics")) / "http_cache.sqlite"


def _cacheable(response: requests.Response) -> bool:
    """Only successful vendor answers are cached (errors may come with HTTP 200)."""
    if response.status_code != 200:
        return False
    body = response.content or b""
    if body.lstrip()[:1] == b"<":
        return bool(_XML_SUCCESS.match(body))
    try:
        return json.loads(body).get("success") is True
    except (ValueError, AttributeError):
        return False


@dataclass
class RawResponse:
    """What the transport hands back: status, body, content type, whether from the cache."""

    status: int
    content: bytes
    content_type: str
    from_cache: bool
    headers: dict[str, str]


class Transport:
    """Sessions for one client (one API key, one base URL). Thread-safe."""

    def __init__(self, api_key: str, base_url: str, *, fmt: str = "json",
                 cache: bool | str | Path = True, expire_after: float | None = 86400,
                 timeout: float | tuple[float, float] = (5.0, 30.0), retries: int = 3,
                 backoff_factor: float = 0.3, retry_after_max: int = 30) -> None:
        self._key = api_key
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(self.base_url)  # host[:port] for messages (never userinfo)
        self._host = parts.hostname or "?" if parts.port is None else \
            f"{parts.hostname}:{parts.port}"
        self.fmt = fmt
        self.timeout = timeout
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.retry_after_max = retry_after_max
        self.expire_after = expire_after
        if cache is True:
            self.cache_path: Path | None = default_cache_path()
        elif cache is False or cache is None:
            self.cache_path = None
        else:
            self.cache_path = Path(cache)
        self._backend: requests_cache.SQLiteCache | None = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._closed = False
        install_log_redaction()

    def __repr__(self) -> str:
        return (f"Transport(base_url={self.base_url!r}, format={self.fmt!r}, "
                f"cache={str(self.cache_path) if self.cache_path else False!r})")

    # -- sessions --------------------------------------------------------------------------

    def _retry(self, mode: Mode) -> Retry:
        if mode == "rent":
            return Retry(total=0, connect=0, read=0, status=0, other=0, redirect=0,
                         raise_on_status=False)
        common = dict(backoff_factor=self.backoff_factor, respect_retry_after_header=True,
                      retry_after_max=self.retry_after_max, raise_on_status=False,
                      redirect=0)
        if mode == "download":
            # One-shot: a read error may follow bytes already sent (the file is then "used").
            return Retry(total=self.retries, connect=self.retries, read=0, other=0,
                         status=self.retries, status_forcelist=(429, 503),
                         allowed_methods=frozenset({"GET"}), **common)
        return Retry(total=self.retries, connect=self.retries, read=self.retries,
                     status=self.retries, other=0, status_forcelist=RETRY_STATUSES,
                     allowed_methods=frozenset({"GET", "POST"}), **common)

    def _backend_obj(self) -> requests_cache.SQLiteCache:
        with self._lock:
            if self._backend is None:
                assert self.cache_path is not None
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                # fast_save (synchronous=OFF): a crash may lose recent cache entries, never data
                # that matters; cold sweeps write one entry per call.
                self._backend = requests_cache.SQLiteCache(str(self.cache_path), wal=True,
                                                           fast_save=True)
            return self._backend

    def _new_session(self, mode: Mode) -> requests.Session:
        if mode == "read" and self.cache_path is not None:
            session: requests.Session = requests_cache.CachedSession(
                backend=self._backend_obj(), expire_after=self.expire_after
                if self.expire_after is not None else -1,
                allowable_methods=("GET", "POST"), allowable_codes=(200,),
                ignored_parameters=["apiKey"], filter_fn=_cacheable,
                stale_if_error=False, match_headers=False)
        else:
            session = requests.Session()
        adapter = HTTPAdapter(max_retries=self._retry(mode), pool_maxsize=4)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = "smsp-analytics/0.1"
        with self._lock:
            self._sessions.append(session)
        return session

    def session(self, mode: Mode) -> requests.Session:
        """This thread's session for ``mode``."""
        if self._closed:
            raise RuntimeError("the client is closed")
        s = getattr(self._local, mode, None)
        if s is None:
            s = self._new_session(mode)
            setattr(self._local, mode, s)
        return s

    def clear_cache(self) -> None:
        """Empty the HTTP cache (the SQLite file stays)."""
        if self.cache_path is not None:
            self._backend_obj().clear()

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
            self._closed = True
        for s in sessions:
            s.close()
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    # -- requests --------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def request(self, method: str, path: str, *, mode: Mode, params: dict | None = None,
                body: dict | None = None) -> RawResponse:
        """Send one request; network failures become :class:`ServiceUnavailableError`."""
        query = dict(params or {})
        if self.fmt == "xml":
            query["_format"] = "xml"
        payload = None
        if method == "GET":
            query["apiKey"] = self._key
        else:
            payload = {"apiKey": self._key, **(body or {})}
        failure: ServiceUnavailableError | None = None
        try:
            resp = self.session(mode).request(method, self._url(path), params=query or None,
                                              json=payload, timeout=self.timeout)
            content = resp.content  # read here so truncated bodies fail inside the try
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            # (urllib3 errors escape requests, e.g. InvalidHeader for a fractional
            # Retry-After, which only integers and HTTP dates may be.)
            # requests' messages embed the URL (with the key in GET query strings).
            failure = ServiceUnavailableError(
                f"{type(exc).__name__} on {method} {self._host}/{path.lstrip('/')}: "
                f"{redact(str(exc), self._key)}")
        if failure is not None:
            # Raised outside the except block: ``from None`` only hides the original in
            # printed tracebacks, it would stay in ``__context__`` (its URL and request
            # carry the key) for error reporters and debuggers to find.
            raise failure
        return RawResponse(resp.status_code, content, resp.headers.get("Content-Type", ""),
                           bool(getattr(resp, "from_cache", False)), dict(resp.headers))

    def call(self, method: str, path: str, *, mode: Mode, kind: str,
             params: dict | None = None, body: dict | None = None,
             attempts: int | None = None) -> tuple[dict[str, Any], RawResponse]:
        """Request and decode; read-only modes also retry truncated/reset bodies, which
        urllib3 cannot (the body is read after it returned)."""
        tries = 1 + (self.retries if attempts is None else attempts) if mode in (
            "read", "fresh") else 1
        for i in range(tries):
            try:
                raw = self.request(method, path, mode=mode, params=params, body=body)
                return decode(raw, kind), raw
            except ServiceUnavailableError as exc:
                # Network failures (no status) and unreadable 200 bodies are retried here;
                # 429/5xx statuses were already retried by urllib3.
                if i == tries - 1 or exc.http_status not in (None, 200):
                    raise
                time.sleep(self.backoff_factor * (2 ** i))
        raise AssertionError("unreachable")


def _looks_xml(raw: RawResponse) -> bool:
    return "xml" in raw.content_type.lower() or raw.content.lstrip()[:1] == b"<"


def decode(raw: RawResponse, kind: str) -> dict[str, Any]:
    """The JSON-shaped body of a response, or the mapped vendor/HTTP error raised.

    ``kind`` is the XML key order to apply (optin, rent, status, me, categories).
    """
    status = raw.status
    try:
        if _looks_xml(raw):
            body: Any = from_xml(raw.content, kind)
        else:
            body = json.loads(raw.content.decode("utf-8"))
    except ServiceUnavailableError as exc:
        body = None
        parse_error = exc.message
    except (ValueError, UnicodeDecodeError) as exc:
        body = None
        parse_error = f"malformed JSON response ({type(exc).__name__})"
    if not isinstance(body, dict):
        text = parse_error if body is None else "response is not a JSON object"
        if status == 429:
            raise RateLimitError("too many requests (retries exhausted)", http_status=status)
        if status >= 500:
            raise ServiceUnavailableError(f"server error: {text}", http_status=status)
        if status != 200:
            raise SmsPartnerError(f"unexpected HTTP {status}: {text}", http_status=status)
        raise ServiceUnavailableError(text, http_status=status)
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
        message = "; ".join(f"{e.get('elementId', '?')}: {e.get('message', '')}"
                            for e in body["error"] if isinstance(e, dict))
    if not message:
        message = (f"HTTP {status}" if status != 200 else "the API answered success=false")
    if status == 429 and code is None:
        raise RateLimitError(str(message), http_status=status, body=body)
    if body.get("success") in (True, "true") and code is None:
        # success with a non-200 status: trust the HTTP status
        raise error_from_code(None, f"HTTP {status}", http_status=status, body=body)
    raise error_from_code(code, str(message), http_status=status, body=body)
