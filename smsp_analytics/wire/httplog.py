"""What the HTTP layer tells the outside world: logs without the key, and how long a
server asks to wait (``Retry-After``).

urllib3 DEBUG logging prints full URLs: a key that travels in a query string would leak into
logs unless every HTTP library's logger filters it.

>>> retry_after_seconds("2")
2.0
"""

from __future__ import annotations

import logging
import math
import time
from email.utils import parsedate_to_datetime

from smsp_analytics.errors import redact

__all__ = ["KeyRedactingFilter", "install_log_redaction", "retry_after_seconds"]


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
_KNOWN_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.response",
    "urllib3.poolmanager",
    "urllib3.util.retry",
    "requests",
    "requests_cache",
    "requests_cache.session",
    "requests_cache.policy.actions",
    "requests_cache.backends.base",
    "requests_cache.backends.sqlite",
)


def install_log_redaction() -> None:
    """Attach the redacting filter to the HTTP libraries' loggers (idempotent)."""
    names = set(_KNOWN_LOGGERS) | {
        n for n in list(logging.root.manager.loggerDict) if n.startswith(_LOGGER_PREFIXES)
    }
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, KeyRedactingFilter) for f in logger.filters):
            logger.addFilter(KeyRedactingFilter())


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds, fractional too, or an HTTP
    date); None when absent or unreadable.

    >>> retry_after_seconds("3"), retry_after_seconds("0.5"), retry_after_seconds("soon")
    (3.0, 0.5, None)
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(text).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, seconds) if math.isfinite(seconds) else None
