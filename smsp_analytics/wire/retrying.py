"""The retry policy of :meth:`~smsp_analytics.wire.transport.Transport.call` (the one retry
layer): which failures are tried again in which mode, how long to wait first, and whether a
failed request can have reached the server.

- ``rent`` is never retried; a ``download`` only after a network failure that sent nothing,
  or an HTTP 429/503 (a second try of a transfer that may have started would answer
  "already used"); the other modes after a network failure, an HTTP status of
  :data:`RETRY_STATUSES`, or an unreadable body of an HTTP 200.
- The wait is a backoff with jitter, or the ``Retry-After`` the API asked for, up to
  ``retry_after_max`` (a 429 asking for longer raises :class:`RateLimitError` with
  ``retry_after``), and never past the deadline.

>>> retryable("read", None, None), retryable("rent", None, None)
(True, False)
>>> next_wait("read", None, None, 0, 1, 0.0, backoff_factor=0.3, retry_after_max=30,
...           deadline=60) is None    # no attempt left
True
"""

from __future__ import annotations

import random
import time
from typing import Literal

import requests
import urllib3

from smsp_analytics.errors import MalformedResponseError, RateLimitError, ServiceUnavailableError
from smsp_analytics.i18n import _
from smsp_analytics.wire.decoding import RawResponse
from smsp_analytics.wire.httplog import retry_after_seconds

__all__ = ["Mode", "RETRY_STATUSES", "retryable", "next_wait", "nothing_sent"]


#: How a request is sent (see :mod:`.transport`): each mode has its own retry policy.
Mode = Literal["read", "fresh", "download", "rent"]
RETRY_STATUSES = (429, 500, 502, 503, 504)


def retryable(mode: Mode, raw: RawResponse | None, error: ServiceUnavailableError | None) -> bool:
    """Whether an attempt that answered ``raw`` (None: a network failure, ``error``) may be
    tried again in ``mode``."""
    if mode == "rent":
        return False
    if raw is None:  # a network failure
        return mode != "download" or (error is not None and not error.sent)
    if mode == "download":
        return raw.status in (429, 503)
    if raw.status in RETRY_STATUSES:
        return True
    # an unreadable 200 body (truncated, reset mid-body, garbled) on a read
    return raw.status == 200 and isinstance(error, MalformedResponseError)


def next_wait(
    mode: Mode,
    raw: RawResponse | None,
    error: ServiceUnavailableError | None,
    attempt: int,
    attempts: int,
    started: float,
    *,
    backoff_factor: float,
    retry_after_max: float,
    deadline: float,
) -> float | None:
    """Seconds to sleep before the next attempt, None to stop; raises
    :class:`RateLimitError` when the API asks for a wait the client may not make.
    ``attempt`` counts from 0 among ``attempts``; ``started``: the call's
    :func:`time.monotonic`."""
    ra = None if raw is None else retry_after_seconds(raw.headers.get("Retry-After"))
    if raw is not None and raw.status == 429:
        if mode == "rent":
            said = (
                _(
                    "the API refused the rent with HTTP 429 (too many requests); nothing was "
                    "rented; it asks to wait {seconds} s"
                ).format(seconds=f"{ra:g}")
                if ra is not None
                else _(
                    "the API refused the rent with HTTP 429 (too many requests); nothing was rented"
                )
            )
            raise RateLimitError(said, http_status=429, retry_after=ra)
        if ra is not None and ra > retry_after_max:
            raise RateLimitError(
                _(
                    "the API asks to wait {seconds} s (Retry-After) before trying again, more "
                    "than retry_after_max={most} s"
                ).format(seconds=f"{ra:g}", most=f"{retry_after_max:g}"),
                http_status=429,
                retry_after=ra,
            )
    if attempt + 1 >= attempts or not retryable(mode, raw, error):
        return None
    if ra is not None and ra > retry_after_max:
        return None  # a 503 asking for longer than allowed: report it now
    backoff = backoff_factor * (2**attempt) * random.uniform(0.5, 1.5)
    wait = ra if ra is not None else backoff
    left = deadline - (time.monotonic() - started)
    if wait >= left:
        if raw is not None and raw.status == 429:
            raise RateLimitError(
                _("the API asks to wait {seconds} s, past the deadline of {deadline} s").format(
                    seconds=f"{wait:g}", deadline=f"{deadline:g}"
                ),
                http_status=429,
                retry_after=ra,
            )
        return None
    return wait


def nothing_sent(exc: BaseException) -> bool:
    """True when the request cannot have reached the server (refused, connect timeout):
    even a one-shot download may then be tried again."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(
        reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
    )
