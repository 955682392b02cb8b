"""One exception hierarchy for the SMS Partner Contact Rental API, stripe-python style.

Every vendor error code maps to a class in one table (:data:`CODE_TO_ERROR`); unknown codes
keep the base class and their code. No exception ever carries the API key: texts go through
:func:`redact` and the key is not an attribute of any error.

>>> err = error_from_code(10, "Clé API incorrecte", http_status=401)
>>> type(err).__name__, err.code
('AuthenticationError', 10)
>>> isinstance(error_from_code(999, "?"), SmsPartnerError)
True
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "SmsPartnerError",
    "AuthenticationError",
    "InsufficientCreditError",
    "InvalidRequestError",
    "TargetingError",
    "RentalError",
    "RateLimitError",
    "ServiceUnavailableError",
    "MalformedResponseError",
    "RentConsentError",
    "RentBlockedError",
    "RentOutcomeUnknownError",
    "JournalUnknownStateError",
    "SweepError",
    "TotalMismatchWarning",
    "SyntheticDataWarning",
    "CODE_TO_ERROR",
    "error_from_code",
    "redact",
]

# apiKey=..., "apiKey": "...", 'apiKey': '...' (query strings, JSON bodies, dict reprs).
_KEY_PATTERNS = [
    re.compile(r"(apiKey=)[^&\s'\"]*", re.IGNORECASE),
    re.compile(r"""(["']apiKey["']\s*:\s*["'])[^"']*""", re.IGNORECASE),
]


def redact(text: Any, *secrets: str | None) -> str:
    """Text with every ``apiKey`` value (and any given secret) replaced by ``***``.

    >>> redact("GET /v1/me?apiKey=abc&x=1")
    'GET /v1/me?apiKey=***&x=1'
    """
    out = str(text)
    for pattern in _KEY_PATTERNS:
        out = pattern.sub(r"\1***", out)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    return out


class SmsPartnerError(Exception):
    """Base error: ``code`` (vendor code or None), French ``message``, ``http_status``."""

    def __init__(self, message: str = "", *, code: int | None = None,
                 http_status: int | None = None, body: Any = None) -> None:
        self.message = redact(message)
        self.code = code
        self.http_status = http_status
        # The parsed vendor body (never holds the key: the vendor does not echo it).
        self.body = body
        super().__init__(self.message)

    def __str__(self) -> str:
        parts = []
        if self.code is not None:
            parts.append(f"[code {self.code}]")
        parts.append(self.message or type(self).__name__)
        if self.http_status is not None:
            parts.append(f"(HTTP {self.http_status})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
                f"http_status={self.http_status!r})")


class AuthenticationError(SmsPartnerError):
    """Missing (1) or invalid (10) API key, IP not authorised (96)."""


class InsufficientCreditError(SmsPartnerError):
    """The EUR balance does not cover the rental (11)."""


class InvalidRequestError(SmsPartnerError):
    """The request was refused as invalid (3 to 28, 61)."""


class TargetingError(InvalidRequestError, ValueError):
    """An invalid targeting, raised before any call.

    ``field`` is the vendor parameter (``sexe``, ``minAge``...), ``value`` the bad value,
    ``allowed`` a short description of what is accepted and ``code`` the vendor code the API
    would answer for the same mistake.
    """

    def __init__(self, field: str, value: Any, allowed: str, *, code: int | None,
                 param: str | None = None, message: str | None = None) -> None:
        self.field = field
        self.param = param or field
        self.value = value
        self.allowed = allowed
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        label = field if self.param == field else f"{field} ({self.param})"
        text = message or f"{label}: invalid value {shown}; allowed: {allowed}"
        super().__init__(text, code=code)


class RentalError(SmsPartnerError):
    """Rental token or file problems (31 to 36)."""


class RateLimitError(SmsPartnerError):
    """HTTP 429: the API asks to slow down. ``retry_after`` (seconds, or None) is how long
    it asked to wait, when that was longer than the client may wait
    (``retry_after_max``, the deadline) or the operation is never retried (``rent``)."""

    def __init__(self, message: str = "", *, code: int | None = None,
                 http_status: int | None = None, body: Any = None,
                 retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, code=code, http_status=http_status, body=body)


class ServiceUnavailableError(SmsPartnerError):
    """5xx, connection errors, timeouts, malformed or truncated bodies."""


class MalformedResponseError(ServiceUnavailableError):
    """An answer that cannot be read unambiguously: an HTML or other non-vendor body, a
    negative or non-integral volume, a non-finite or unreadable number, a locality that was
    not asked for, a missing cost where one is due. ``field`` names the part of the answer
    and the message shows a short redacted excerpt.

    >>> str(MalformedResponseError("volume of 60: -3 is negative", field="volume"))
    'malformed response: volume of 60: -3 is negative'
    """

    def __init__(self, message: str, *, field: str | None = None,
                 http_status: int | None = None, body: Any = None) -> None:
        self.field = field
        text = message if message.startswith("malformed") else f"malformed response: {message}"
        super().__init__(text, http_status=http_status, body=body)


class RentConsentError(SmsPartnerError):
    """``rent`` was called without ``confirm=True`` (or the quote exceeds ``max_cost_eur``).

    ``quote`` holds the volume, the cost and the balance; nothing was rented.
    """

    def __init__(self, message: str, *, quote: dict[str, Any]) -> None:
        self.quote = quote
        super().__init__(message)


class RentBlockedError(SmsPartnerError):
    """The rent journal refuses the rental (unreconciled rental, or a duplicate within 24 h)."""

    def __init__(self, message: str, *, entries: list[Any] | None = None) -> None:
        self.entries = entries or []
        super().__init__(message)


class JournalUnknownStateError(RentBlockedError):
    """A previous rental's outcome is unknown: reconcile it before renting again."""


class RentOutcomeUnknownError(ServiceUnavailableError):
    """The rent request failed in a way that does not tell whether it was executed.

    The journal entry ``entry_id`` is marked unknown; see ``Client.reconcile``.
    """

    def __init__(self, message: str, *, entry_id: int, http_status: int | None = None) -> None:
        self.entry_id = entry_id
        super().__init__(message, http_status=http_status)


class SweepError(SmsPartnerError):
    """Some combinations of a sweep failed: ``frame`` holds the rest, ``failures`` the list
    of ``(combination, exception)``."""

    def __init__(self, message: str, *, frame: Any, failures: list[tuple[dict, BaseException]]):
        self.frame = frame
        self.failures = failures
        super().__init__(message)


class TotalMismatchWarning(UserWarning):
    """The rows of a response do not add up to the total the API announced."""


class SyntheticDataWarning(UserWarning):
    """No API key: the client uses the local sandbox (synthetic data)."""


def _range(a: int, b: int, cls: type[SmsPartnerError]) -> dict[int, type[SmsPartnerError]]:
    return {c: cls for c in range(a, b + 1)}


# The one place mapping vendor codes to classes.
CODE_TO_ERROR: dict[int, type[SmsPartnerError]] = {
    **_range(3, 28, InvalidRequestError),
    61: InvalidRequestError,
    **_range(31, 36, RentalError),
    1: AuthenticationError,
    10: AuthenticationError,
    96: AuthenticationError,
    11: InsufficientCreditError,
}


def error_from_code(code: int | None, message: str, *, http_status: int | None = None,
                    body: Any = None) -> SmsPartnerError:
    """The exception for a vendor error ``code`` (HTTP 429/5xx when the body has none)."""
    cls = CODE_TO_ERROR.get(code) if code is not None else None
    if cls is None:
        if http_status == 429:
            cls = RateLimitError
        elif http_status is not None and http_status >= 500:
            cls = ServiceUnavailableError
        else:
            cls = SmsPartnerError
    return cls(message, code=code, http_status=http_status, body=body)
