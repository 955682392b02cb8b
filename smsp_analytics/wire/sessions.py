"""The requests layer under :class:`~smsp_analytics.wire.transport.Transport`: where the HTTP
cache lives, what may enter it, how the session of one mode is made, and how one request is
sent over it (no retry: :meth:`Transport.call` is the only retry layer).

- :func:`new_session`: a requests-cache ``CachedSession`` for cached reads (keys from
  ``key_fn``, vendor errors kept out by :func:`cacheable`), else a plain ``Session``; no
  urllib3 retries, the key added by a :class:`~.scope.KeyAuth` hook.
- :func:`send`: one request within a deadline; a body that is no envelope streamed into a
  ``sink``; network failures re-raised as :class:`ServiceUnavailableError` with the key
  redacted, outside the ``except`` block.

>>> s = new_session("fresh", Secret("sk_demo"), backend=None, expire_after=None, key_fn=None)
>>> type(s).__name__, s.adapters["https://"].max_retries.total
('Session', 0)
>>> s.close()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
import requests
import urllib3
from requests.adapters import HTTPAdapter

from smsp_analytics.errors import ServiceUnavailableError, redact
from smsp_analytics.i18n import _

if TYPE_CHECKING:
    import requests_cache
from smsp_analytics.vocab import APP_NAME
from smsp_analytics.wire.decoding import RawResponse, is_cacheable_answer
from smsp_analytics.wire.retrying import Mode, nothing_sent
from smsp_analytics.wire.scope import KeyAuth, Secret
from smsp_analytics.wire.streaming import PastDeadline, Sink, Watchdog, is_envelope, stream_into

__all__ = ["default_cache_path", "cacheable", "new_session", "send"]


def default_cache_path() -> Path:
    """``<user cache dir>/smsp-analytics/http_cache.sqlite``."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "http_cache.sqlite"


def cacheable(response: requests.Response) -> bool:
    """Whether an answer may enter the HTTP cache (requests-cache's ``filter_fn``): a
    success that is no vendor error."""
    return is_cacheable_answer(response.status_code, response.content or b"")


def new_session(
    mode: Mode,
    secret: Secret,
    *,
    backend: requests_cache.SQLiteCache | None,
    expire_after: float | None,
    key_fn: Callable[..., str] | None,
) -> requests.Session:
    """A session for ``mode``: cached (on ``backend``, keys from ``key_fn``) for ``read``
    when there is a backend, plain otherwise."""
    if mode == "read" and backend is not None:
        import requests_cache  # only a cached client pays for the import

        session: requests.Session = requests_cache.CachedSession(
            backend=backend,
            expire_after=expire_after if expire_after is not None else -1,
            allowable_methods=("GET", "POST"),
            allowable_codes=(200,),
            ignored_parameters=["apiKey"],
            filter_fn=cacheable,
            key_fn=key_fn,
            stale_if_error=False,
            match_headers=False,
        )
    else:
        session = requests.Session()
    # No retries down there: Transport.call is the only retry layer.
    adapter = HTTPAdapter(max_retries=0, pool_maxsize=8)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = f"{APP_NAME}/0.1"
    session.auth = KeyAuth(secret)
    return session


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    where: str,
    secret: Secret,
    query: dict[str, Any] | None,
    body: dict | None,
    timeout: tuple[float, float],
    ends: float,
    deadline: float,
    sink: Path | Sink | None,
) -> RawResponse:
    """Send one request, its answer read before ``ends`` (a monotonic time); ``where``
    (``host/path``) names it in messages, ``deadline`` (seconds) is the setting they quote.
    Network failures become :class:`ServiceUnavailableError` (``sent``: whether bytes may
    have reached the server). See :meth:`Transport.request` for ``sink``."""
    failure: ServiceUnavailableError | None = None
    watchdog = Watchdog(ends)  # bounds the body too: the read timeout is per read
    try:
        resp = session.request(
            method,
            url,
            params=query,
            json=body,
            timeout=timeout,
            allow_redirects=False,
            stream=sink is not None,
            hooks={"response": watchdog.hook},
        )
        if sink is not None and resp.status_code == 200 and not is_envelope(resp):
            content = stream_into(resp, sink, ends, deadline)
        else:
            content = resp.content  # read here so truncated bodies fail inside the try
        if watchdog.cut:  # a body without a length ends "normally" when cut
            raise PastDeadline(_("{count} bytes received").format(count=len(content)))
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
        # requests' messages embed the URL (with the key in GET query strings).
        what = redact(str(exc), secret.reveal())
        if watchdog.cut:
            what = _(
                "the answer was still arriving at the deadline; gave up (deadline={deadline} s)"
            ).format(deadline=f"{deadline:g}")
        failure = ServiceUnavailableError(
            _("{error} on {method} {where}: {what}").format(
                error=type(exc).__name__, method=method, where=where, what=what
            )
        )
        failure.sent = not nothing_sent(exc)
    except PastDeadline as exc:
        failure = ServiceUnavailableError(
            _(
                "{method} {where}: the answer was still arriving at the deadline ({received}); "
                "gave up (deadline={deadline} s)"
            ).format(method=method, where=where, received=exc.args[0], deadline=f"{deadline:g}")
        )
        failure.sent = True
    finally:
        watchdog.stop()
    if failure is not None:
        # Raised outside the except block: the original would stay in __context__.
        raise failure
    return RawResponse(
        resp.status_code,
        content,
        resp.headers.get("Content-Type", ""),
        bool(getattr(resp, "from_cache", False)),
        requests.structures.CaseInsensitiveDict(resp.headers),
    )
