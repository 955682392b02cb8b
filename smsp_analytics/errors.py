"""One exception hierarchy for the SMS Partner Contact Rental API, stripe-python style.

Every vendor error code maps to a class in one table (:data:`CODE_TO_ERROR`); unknown codes
keep the base class and their code. No exception ever carries the API key: texts go through
:func:`redact` and the key is not an attribute of any error.

>>> err = error_from_code(10, "Clé API incorrecte", http_status=401)
>>> type(err).__name__, err.code, err.vendor_message
('AuthenticationError', 10, 'Clé API incorrecte')
>>> str(err)
'[code 10] api_key: the API key is not valid for this API (HTTP 401)'
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
    "DownloadWriteError",
    "RateLimitError",
    "ServiceUnavailableError",
    "MalformedResponseError",
    "RentConsentError",
    "RentBlockedError",
    "RentOutcomeUnknownError",
    "JournalUnknownStateError",
    "JournalError",
    "SweepError",
    "TotalMismatchWarning",
    "SyntheticDataWarning",
    "CODE_TO_ERROR",
    "ENGLISH",
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
    """Base error: ``code`` (vendor code or None), an English ``message``, ``http_status``,
    and the vendor's own (French) text as ``vendor_message`` (None when the client raised
    it)."""

    def __init__(self, message: str = "", *, code: int | None = None,
                 http_status: int | None = None, body: Any = None,
                 vendor_message: str | None = None) -> None:
        self.message = redact(message)
        self.code = code
        self.http_status = http_status
        self.vendor_message = None if vendor_message is None else redact(vendor_message)
        # The parsed vendor body (never holds the key: the vendor does not echo it).
        self.body = body
        super().__init__(self.message)

    def explain(self, text: str) -> None:
        """Replace the message by a fuller English one (the client knows what it asked)."""
        self.message = redact(text)
        self.args = (self.message,)

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


class DownloadWriteError(RentalError, OSError):
    """A download's numbers could not be written where they belong: the rentals folder
    (checked before the one-shot request: then nothing was downloaded) or the destination.
    ``saved_at``: where the numbers are (None: nowhere on disk); ``frame``: the numbers,
    when they were received (None otherwise). Also an ``OSError`` (``errno`` kept)."""

    def __init__(self, message: str, *, saved_at: Any = None, frame: Any = None,
                 errno: int | None = None) -> None:
        super().__init__(message)
        self.saved_at = saved_at
        self.frame = frame
        self.errno = errno


class RateLimitError(SmsPartnerError):
    """HTTP 429: the API asks to slow down. ``retry_after`` (seconds, or None) is how long
    it asked to wait, when that was longer than the client may wait
    (``retry_after_max``, the deadline) or the operation is never retried (``rent``)."""

    def __init__(self, message: str = "", *, retry_after: float | None = None,
                 **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


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


class JournalError(SmsPartnerError):
    """The rent journal cannot be read or written: a corrupt file (garbage, truncated,
    another schema, a row that does not decode), a full or read-only disk. ``path`` is the
    journal file. When a rent was answered but its outcome could not be recorded,
    ``entry_id``, ``token`` and ``cost_eur`` carry the answer and ``fallback`` the file it
    was written to instead (None when no file could be written: the message has it all).

    >>> err = JournalError("journal j.sqlite: full", path="j.sqlite", token="abc")
    >>> isinstance(err, SmsPartnerError), err.token, err.entry_id
    (True, 'abc', None)
    """

    def __init__(self, message: str, *, path: Any = None, entry_id: int | None = None,
                 token: str | None = None, cost_eur: float | None = None,
                 fallback: Any = None) -> None:
        self.path = path
        self.entry_id = entry_id
        self.token = token
        self.cost_eur = cost_eur
        self.fallback = fallback
        super().__init__(message)


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


# English for every documented vendor code: the field at fault and what is allowed. The
# client adds what only it knows (which locality asked how many, where a kept copy is).
ENGLISH: dict[int, str] = {
    1: "api_key: the API key is missing",
    3: "parameters: the targeting is missing",
    4: "op: the operation is missing",
    5: "urlNotification: not a valid URL",
    6: "op: this operation is not authorised for this account",
    7: "gender (sexe): required; allowed: 'm', 'h', 'f'",
    8: "gender (sexe): allowed values are 'm' (mixed), 'h' (men), 'f' (women)",
    9: "age (minAge): the minimum age is required",
    10: "api_key: the API key is not valid for this API",
    11: "balance: the account's balance does not cover this rental",
    12: "age (minAge): must be 18 or more",
    13: "age (maxAge): the maximum age is required",
    14: "age (maxAge): must be 98 or less",
    15: "interest: must be an integer > 0",
    16: "interest: must not be empty",
    17: "sub_interest (subInterest): must not be empty",
    18: "sub_interest (subInterest): must be an integer > 0",
    19: "interest: an interest or a sub-interest is required",
    22: "category: must not be empty; allowed: 102 (CSP+), 103 (CSP-)",
    23: "category: must be an integer > 0; allowed: 102 (CSP+), 103 (CSP-)",
    24: "volumes: a volume row has no Type",
    25: "volumes: a volume row has no Localite",
    26: "volumes: a volume is missing or not an integer >= 0",
    27: "volumes: a desired volume exceeds the contacts available in its locality",
    28: "volumes: the desired volumes exceed the total available",
    31: "token: the rental token is required",
    32: "token: no rental with this token on this account",
    33: "token: this rental has no file (yet); check client.status(token)",
    34: "token: this rental's file was already downloaded (the vendor allows one download)",
    35: "token: this rental's file is being downloaded right now",
    36: "token: this rental failed; no file will be produced",
    61: ("the request seems invalid and matched nothing: check the interest and "
         "sub-interest ids (client.categories() or `smsp categories` lists them), the "
         "category, ages and localities"),
    96: "this machine's IP address is not authorised for this API key",
}


def error_from_code(code: int | None, message: str, *, http_status: int | None = None,
                    body: Any = None) -> SmsPartnerError:
    """The exception for a vendor error ``code`` (HTTP 429/5xx when the body has none), its
    message in English, the vendor's text kept as ``vendor_message``."""
    cls = CODE_TO_ERROR.get(code) if code is not None else None
    if cls is None:
        if http_status == 429:
            cls = RateLimitError
        elif http_status is not None and http_status >= 500:
            cls = ServiceUnavailableError
        else:
            cls = SmsPartnerError
    english = ENGLISH.get(code) if code is not None else None
    text = message if english is None else english
    return cls(text, code=code, http_status=http_status, body=body,
               vendor_message=message)
