"""HTTP for the client: sessions, the scoped SQLite cache, one retry layer, the key.

One session of each kind per thread (requests sessions are not strictly thread-safe; the
SQLite cache backend is shared, it locks itself):

- ``read``: calcul, price, categories. A requests-cache ``CachedSession`` on a SQLite file
  (``cache=True|False|path``) whose keys include the account scope (:mod:`.scope`: a
  one-way hash of the key, the normalised origin, the sandbox's seed/date/instance), so
  another account, a wrong key or a re-seeded sandbox is never answered from the cache. A
  ``filter_fn`` keeps vendor errors (even with HTTP 200) out of it. No ``stale_if_error``.
- ``fresh``: status, me (never cached: they change).
- ``download``: never cached; retried on connect errors and 429/503 only, never after bytes
  may have been sent (a second try would answer "already used"); before a retry after an
  HTTP answer, ``call``'s ``before_retry`` hook (the client asks ``status``) may stop it.
  The body is streamed into a ``sink`` file as it arrives (:mod:`.streaming`).
- ``rent``: never cached, never retried.

How a session is made and one request sent over it is :mod:`.sessions`.

Retries live in one place, :meth:`Transport.call` (urllib3 does none), with the policy of
:mod:`.retrying`: backoff with jitter, ``Retry-After`` honoured up to ``retry_after_max``
(beyond it :class:`RateLimitError` with ``retry_after``), and every call ends within
``deadline`` seconds plus one read timeout: a
:class:`~.streaming.Watchdog` cuts an answer whose body is still arriving at the deadline
(requests' read timeout is per read, so a trickle would otherwise hold the call).

The key is added by a requests auth hook (:class:`KeyAuth`) to the prepared request, so no
frame of this package holds it; redirects are not followed (the redirected request would
carry the key elsewhere); logs are filtered and network errors are re-raised as
:class:`ServiceUnavailableError` with redacted text, outside the ``except`` block.

>>> t = Transport("sk_demo", "http://127.0.0.1:9/v1/", cache=False, retries=0, timeout=0.2)
>>> "sk_demo" in repr(t)
False
>>> t.close()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload
from urllib.parse import urlparse

import requests

from smsp_analytics.errors import RateLimitError, ServiceUnavailableError, not_allowed
from smsp_analytics.i18n import N_, _
from smsp_analytics.wire.checks import check_settings, writable_file
from smsp_analytics.wire.decoding import RawResponse, decode
from smsp_analytics.wire.httplog import (
    KeyRedactingFilter,
    install_log_redaction,
    retry_after_seconds,
)
from smsp_analytics.wire.retrying import RETRY_STATUSES, Mode, next_wait

if TYPE_CHECKING:
    import requests_cache
from smsp_analytics.wire.scope import SandboxInfo, Secret, account_scope, is_loopback, sandbox_info
from smsp_analytics.wire.sessions import default_cache_path, new_session, send
from smsp_analytics.wire.streaming import Sink

__all__ = [
    "Transport",
    "RawResponse",
    "KeyRedactingFilter",
    "install_log_redaction",
    "default_cache_path",
    "decode",
    "retry_after_seconds",
]


class Transport:
    """Sessions for one client (one API key, one base URL). Thread-safe."""

    def __init__(
        self,
        api_key: str | Secret,
        base_url: str,
        *,
        fmt: str = "json",
        cache: bool | str | Path = True,
        expire_after: float | None = 86400,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        retries: int = 3,
        backoff_factor: float = 0.3,
        retry_after_max: float = 30,
        deadline: float = 60,
    ) -> None:
        self._secret = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlparse(self.base_url)  # host[:port] for messages
        self._host = (
            parts.hostname or "?" if parts.port is None else f"{parts.hostname}:{parts.port}"
        )
        self.fmt = fmt
        self.connect_timeout, self.read_timeout = check_settings(
            timeout=timeout,
            retries=retries,
            backoff_factor=backoff_factor,
            retry_after_max=retry_after_max,
            deadline=deadline,
        )
        self.timeout = timeout
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.retry_after_max = retry_after_max
        self.deadline = float(deadline)
        self.expire_after = expire_after
        if cache is True:
            self.cache_path: Path | None = writable_file("cache", default_cache_path())
        elif cache is False or cache is None:
            self.cache_path = None
        elif isinstance(cache, (str, Path)):
            self.cache_path = writable_file("cache", Path(cache))
        else:
            raise ValueError(not_allowed("cache", cache, N_("True, False or a path")))
        self.loopback = is_loopback(self.base_url)
        self._info: SandboxInfo | None = None
        self._scope: str | None = None
        self.scope_changes = 0  # bumped when a sandbox's seed or date moved under us
        self._backend: requests_cache.SQLiteCache | None = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._closed = False
        install_log_redaction()

    def __repr__(self) -> str:
        cache = getattr(self, "cache_path", None)  # None while being made
        return (
            f"Transport(base_url={getattr(self, 'base_url', None)!r}, "
            f"format={getattr(self, 'fmt', None)!r}, cache={str(cache) if cache else False!r})"
        )

    # -- scope -----------------------------------------------------------------------------

    @property
    def scope(self) -> str:
        """The account scope of cached answers (key digest, origin, sandbox identity)."""
        with self._lock:
            if self._scope is None:
                self._info = sandbox_info(self.base_url) if self.loopback else None
                self._scope = account_scope(self._secret, self.base_url, self._info)
            return self._scope

    @property
    def sandbox(self) -> SandboxInfo | None:
        """What the loopback sandbox said of itself (None: not a sandbox, or it has no
        info endpoint)."""
        _ = self.scope
        return self._info

    def _watch_clock(self, headers: Mapping[str, str]) -> None:
        """A live answer from a sandbox whose seed or date moved: new scope (the cache
        then misses), and ``scope_changes`` tells the client to drop its memo."""
        if not self.loopback:
            return
        low = {k.lower(): v for k, v in headers.items()}
        date, seed = low.get("x-sandbox-date"), low.get("x-sandbox-seed")
        if date is None and seed is None:
            return
        _ = self.scope
        held = self._info
        if (
            held is not None
            and (date is None or str(held.date) == date)
            and (seed is None or str(held.seed) == seed)
        ):
            return
        with self._lock:
            self._info = sandbox_info(self.base_url) or SandboxInfo(seed, date, None)
            self._scope = account_scope(self._secret, self.base_url, self._info)
            self.scope_changes += 1

    def _key_fn(self, request: Any, **kwargs: Any) -> str:
        from requests_cache.cache_keys import create_key  # only a cached client pays for it

        return create_key(request, **kwargs) + "-" + self.scope

    # -- sessions --------------------------------------------------------------------------

    def _backend_obj(self) -> requests_cache.SQLiteCache:
        with self._lock:
            if self._backend is None:
                assert self.cache_path is not None
                # fast_save (synchronous=OFF): a crash may lose recent cache entries, never
                # data that matters; cold sweeps write one entry per call.
                import requests_cache  # only a cached client pays for the import

                self._backend = requests_cache.SQLiteCache(
                    str(self.cache_path), wal=True, fast_save=True
                )
            return self._backend

    def _new_session(self, mode: Mode) -> requests.Session:
        cached = mode == "read" and self.cache_path is not None
        session = new_session(
            mode,
            self._secret,
            backend=self._backend_obj() if cached else None,
            expire_after=self.expire_after,
            key_fn=self._key_fn,
        )
        with self._lock:
            self._sessions.append(session)
        return session

    def session(self, mode: Mode) -> requests.Session:
        """This thread's session for ``mode``."""
        if self._closed:
            raise RuntimeError(_("the client is closed"))
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

    def request(
        self,
        method: str,
        path: str,
        *,
        mode: Mode,
        params: dict | None = None,
        body: dict | None = None,
        budget: float | None = None,
        sink: Path | Sink | None = None,
    ) -> RawResponse:
        """Send one request (no retry); network failures become
        :class:`ServiceUnavailableError` (``sent`` attribute: whether bytes may have
        reached the server). ``budget`` caps both timeouts (seconds left to the deadline).

        ``sink``: an HTTP 200 body that is not a JSON/XML envelope is streamed into this
        file as it arrives (flushed chunk by chunk), so a transfer cut half-way leaves the
        bytes that did arrive; the deadline is checked between chunks, so a server that
        trickles its answer cannot hold the call past it."""
        query = dict(params or {})
        if self.fmt == "xml":
            query["_format"] = "xml"
        cap = self.deadline if budget is None else max(budget, 0.05)
        ends = time.monotonic() + cap
        timeout = (min(self.connect_timeout, cap), min(self.read_timeout, cap))
        if mode == "read" and self.cache_path is not None:
            _ = self.scope  # outside the session: its key function must not fetch
        raw = send(
            self.session(mode),
            method,
            self.base_url + path.lstrip("/"),
            where=f"{self._host}/{path.lstrip('/')}",
            secret=self._secret,
            query=query or None,
            body=body,
            timeout=timeout,
            ends=ends,
            deadline=self.deadline,
            sink=sink,
        )
        if not raw.from_cache:
            self._watch_clock(raw.headers)
        return raw

    @overload
    def call(
        self,
        method: str,
        path: str,
        *,
        mode: Mode,
        kind: str,
        params: dict | None = None,
        body: dict | None = None,
        sink: Path | Sink | None = None,
        before_retry: Callable[[RawResponse], None] | None = None,
    ) -> tuple[dict[str, Any], RawResponse]: ...

    @overload
    def call(
        self,
        method: str,
        path: str,
        *,
        mode: Mode,
        kind: None,
        params: dict | None = None,
        body: dict | None = None,
        sink: Path | Sink | None = None,
        before_retry: Callable[[RawResponse], None] | None = None,
    ) -> tuple[dict[str, Any] | None, RawResponse]: ...

    def call(
        self,
        method: str,
        path: str,
        *,
        mode: Mode,
        kind: str | None,
        params: dict | None = None,
        body: dict | None = None,
        sink: Path | Sink | None = None,
        before_retry: Callable[[RawResponse], None] | None = None,
    ) -> tuple[dict[str, Any] | None, RawResponse]:
        """Request (with the retry policy of ``mode``, within the deadline) and decode as
        ``kind`` (None: hand back the raw answer undecoded when HTTP 200, e.g. a file; a
        ``kind`` always gives the decoded answer).

        ``sink``: see :meth:`request`. ``before_retry``: called with the HTTP answer before
        any retry of a download that got one (the server may have marked the file used
        before failing); it raises to stop the retry."""
        started = time.monotonic()
        attempts = 1 + (0 if mode == "rent" else self.retries)
        for attempt in range(attempts):
            left = self.deadline - (time.monotonic() - started)
            raw: RawResponse | None = None
            error: ServiceUnavailableError | None = None
            try:
                raw = self.request(
                    method, path, mode=mode, params=params, body=body, budget=left, sink=sink
                )
                if raw.status == 200 and kind is None:
                    return None, raw
                if raw.status not in RETRY_STATUSES or (mode == "rent" and raw.status != 429):
                    return decode(raw, kind or "status"), raw
            except ServiceUnavailableError as exc:  # network, or unreadable body
                error = exc
            wait = next_wait(
                mode,
                raw,
                error,
                attempt,
                attempts,
                started,
                backoff_factor=self.backoff_factor,
                retry_after_max=self.retry_after_max,
                deadline=self.deadline,
            )
            if wait is None:
                break
            if mode == "download" and raw is not None and before_retry is not None:
                before_retry(raw)
            time.sleep(wait)
        if raw is not None and raw.status == 429:
            ra = retry_after_seconds(raw.headers.get("Retry-After"))
            raise RateLimitError(
                self._gave_up(_("still rate limited (HTTP 429)"), attempt, started),
                http_status=429,
                retry_after=ra,
            )
        if error is None:
            assert raw is not None  # no answer at all is a network error
            try:
                decode(raw, kind or "status")
            except ServiceUnavailableError as exc:
                error = exc
            else:  # a success status among the retryable ones cannot happen
                raise ServiceUnavailableError(f"HTTP {raw.status}", http_status=raw.status)
        if attempt:
            raise error.with_context(self._gave_up(error.message, attempt, started)) from None
        raise error

    def _gave_up(self, what: str, attempt: int, started: float) -> str:
        return _(
            "{what}; gave up after {attempts} attempt(s) in {seconds} s (retries={retries}, "
            "deadline={deadline} s)"
        ).format(
            what=what,
            attempts=attempt + 1,
            seconds=f"{time.monotonic() - started:.1f}",
            retries=self.retries,
            deadline=f"{self.deadline:g}",
        )
