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

An error is worded once, where it is raised, and carries its meaning as fields: ``field``
(the argument at fault, as the library names it), ``value``, ``allowed``, ``code``,
``http_status``, ``token``, ``hint``. A text that names an argument or a call holds it as an
:class:`Arg` or a :class:`Call`, so that each reader sees its own spelling: ``str(err)``
speaks Python, the command line spells the same argument as its flag (:meth:`~SmsPartnerError.text`).

>>> err = SmsPartnerError(["rent refused: pass ", Arg("again"), " to rent again"],
...                       field="again")
>>> str(err)
'rent refused: pass again=True to rent again'
>>> err.text(lambda ref: "--again" if isinstance(ref, Arg) else None)
'rent refused: pass --again to rent again'

A message is in the language in force when raised; the fields are the library's and the
vendor's words in any language. In French a vendor code's message quotes the vendor's words.

The hierarchy is here; the code -> class table and :func:`error_from_code` are in
:mod:`smsp_analytics.errors._lookup`, how a text is made of parts and redacted in
:mod:`smsp_analytics.errors._parts`, the English of every documented vendor code in
:mod:`smsp_analytics.errors._codes`. Import every name from this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smsp_analytics.errors._codes import ENGLISH, VENDOR_LANG, quoting_vendor
from smsp_analytics.errors._parts import (
    Arg,
    Call,
    Part,
    Parts,
    Spelling,
    as_parts,
    parts_of,
    redact,
    render,
)
from smsp_analytics.errors._words import allowed_words, not_allowed
from smsp_analytics.i18n import _

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
    "Arg",
    "Call",
    "Parts",
    "parts_of",
    "Spelling",
    "not_allowed",
    "allowed_words",
    "quoting_vendor",
    "VENDOR_LANG",
    "TotalMismatchWarning",
    "SyntheticDataWarning",
    "CODE_TO_ERROR",
    "ENGLISH",
    "error_from_code",
    "redact",
    "render",
]


class SmsPartnerError(Exception):
    """Base error: ``code`` (vendor code or None), a ``message`` in the language in force when
    it was raised, ``http_status``,
    and the vendor's own (French) text as ``vendor_message`` (None when the client raised
    it).

    Fields (None when they do not apply): ``field`` the argument at fault as the library
    names it (``gender``, ``volumes``, ``max_cost_eur``, ``token``...), ``value`` its value,
    ``allowed`` what is accepted, ``token`` the rental concerned, ``hint`` what to do. When
    the message is ``label: reason`` (a field's label, then what is wrong), ``label`` and
    ``reason`` hold both, so that a reader may name the field its own way.
    """

    def __init__(
        self,
        message: str | Sequence[Part] = "",
        *,
        code: int | None = None,
        http_status: int | None = None,
        body: Any = None,
        vendor_message: str | None = None,
        field: str | None = None,
        value: Any = None,
        allowed: str | None = None,
        token: str | None = None,
        hint: str | None = None,
        label: str | None = None,
    ) -> None:
        self.parts = as_parts(message)
        self.label = label
        self.code = code
        self.http_status = http_status
        self.vendor_message = None if vendor_message is None else redact(vendor_message)
        # The parsed vendor body (never holds the key: the vendor does not echo it).
        self.body = body
        self.field = field
        self.value = value
        self.allowed = allowed
        self.token = token
        self.hint = hint
        self.message = self.text()
        super().__init__(self.message)

    @property
    def reason(self) -> str:
        """What is wrong, without the field's label (the whole message when it has none)."""
        return redact(render(self.parts, None))

    def text(self, spell: Spelling | None = None, *, label: str | None = None) -> str:
        """The message for a reader who spells arguments and calls with ``spell`` (the
        command line: flags and ``smsp`` commands) and names the field ``label`` (default:
        the library's label). Redacted."""
        head = label if label is not None else self.label
        body = render(self.parts, spell)
        return redact(f"{head}: {body}" if head else body)

    def with_context(self, message: str | Sequence[Part], **fields: Any) -> SmsPartnerError:
        """A new error of the same class, worded ``message`` by the code that knows more
        (which download, which token), with the same fields plus ``fields``; raise it
        ``from None``. The original is left as it was."""
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(fields)
        new.parts, new.label = as_parts(message), fields.get("label")
        new.message = new.text()
        Exception.__init__(new, new.message)
        return new

    def __str__(self) -> str:
        parts = []
        if self.code is not None:
            parts.append(f"[code {self.code}]")
        parts.append(self.message or type(self).__name__)
        if self.http_status is not None:
            parts.append(f"(HTTP {self.http_status})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
            f"http_status={self.http_status!r})"
        )


class AuthenticationError(SmsPartnerError):
    """Missing (1) or invalid (10) API key, IP not authorised (96)."""


class InsufficientCreditError(SmsPartnerError):
    """The EUR balance does not cover the rental (11)."""


class InvalidRequestError(SmsPartnerError):
    """The request was refused as invalid (3 to 28, 61)."""


class TargetingError(InvalidRequestError, ValueError):
    """An invalid targeting, raised before any call.

    ``field`` is the vendor parameter (``sexe``, ``minAge``...), ``value`` the bad value,
    ``allowed`` a short description of what is accepted (English, or the vendor's values:
    ``allowed_text``, default its translation, is what the message says) and ``code`` the
    vendor code the API would answer for the same mistake.
    """

    def __init__(
        self,
        field: str,
        value: Any,
        allowed: str,
        *,
        code: int | None,
        param: str | None = None,
        message: str | Sequence[Part] | None = None,
        label: str | None = None,
        allowed_text: str | None = None,
    ) -> None:
        self.param = param or field
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        if message is None:
            said = allowed_words(allowed) if allowed_text is None else allowed_text
            super().__init__(
                _("invalid value {value}; allowed: {allowed}").format(value=shown, allowed=said),
                code=code,
                field=field,
                value=value,
                allowed=allowed,
                label=field if self.param == field else f"{field} ({self.param})",
            )
        else:  # a whole sentence (saying where: a scenario of a file), or its ``label``'s
            super().__init__(
                message, code=code, field=field, value=value, allowed=allowed, label=label
            )


class RentalError(SmsPartnerError):
    """Rental token or file problems (31 to 36)."""


class DownloadWriteError(RentalError, OSError):
    """A download's numbers could not be written where they belong: the rentals folder
    (checked before the one-shot request: then nothing was downloaded) or the destination.
    ``saved_at``: where the numbers are (None: nowhere on disk); ``frame``: the numbers,
    when they were received (None otherwise). Also an ``OSError`` (``errno`` kept)."""

    def __init__(
        self,
        message: str,
        *,
        saved_at: Any = None,
        frame: Any = None,
        errno: int | None = None,
        token: str | None = None,
    ) -> None:
        super().__init__(message, token=token)
        self.saved_at = saved_at
        self.frame = frame
        self.errno = errno


class RateLimitError(SmsPartnerError):
    """HTTP 429: the API asks to slow down. ``retry_after`` (seconds, or None) is how long
    it asked to wait, when that was longer than the client may wait
    (``retry_after_max``, the deadline) or the operation is never retried (``rent``)."""

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServiceUnavailableError(SmsPartnerError):
    """5xx, connection errors, timeouts, malformed or truncated bodies. ``sent``: whether
    the request may have reached the server (False only when it surely did not)."""

    sent: bool = True


class MalformedResponseError(ServiceUnavailableError):
    """An answer that cannot be read unambiguously: an HTML or other non-vendor body, a
    negative or non-integral volume, a non-finite or unreadable number, a locality that was
    not asked for, a missing cost where one is due. ``field`` names the part of the answer
    and the message shows a short redacted excerpt.

    >>> str(MalformedResponseError("volume of 60: -3 is negative", field="volume"))
    'malformed response: volume of 60: -3 is negative'
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        http_status: int | None = None,
        body: Any = None,
    ) -> None:
        template = _("malformed response: {detail}")
        # A message that says it all already ("malformed XML response: ...") is kept whole.
        whole = message.startswith(("malformed", template.split(" ", 1)[0]))
        text = message if whole else template.format(detail=message)
        super().__init__(text, http_status=http_status, body=body, field=field)


class RentConsentError(SmsPartnerError):
    """``rent`` was called without ``confirm=True`` (or the quote exceeds ``max_cost_eur``).

    ``quote`` holds the volume, the cost and the balance; nothing was rented.
    """

    def __init__(
        self,
        message: str | Sequence[Part],
        *,
        quote: dict[str, Any],
        field: str | None = None,
        value: Any = None,
    ) -> None:
        self.quote = quote
        super().__init__(message, field=field, value=value)


class RentBlockedError(SmsPartnerError):
    """The rent journal refuses the rental (unreconciled rental, or a duplicate within 24 h)."""

    def __init__(
        self,
        message: str | Sequence[Part],
        *,
        entries: list[Any] | None = None,
        field: str | None = None,
    ) -> None:
        self.entries = entries or []
        super().__init__(message, field=field)


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

    def __init__(
        self,
        message: str | Sequence[Part],
        *,
        path: Any = None,
        entry_id: int | None = None,
        token: str | None = None,
        cost_eur: float | None = None,
        fallback: Any = None,
    ) -> None:
        self.path = path
        self.entry_id = entry_id
        self.cost_eur = cost_eur
        self.fallback = fallback
        super().__init__(message, token=token)


class RentOutcomeUnknownError(ServiceUnavailableError):
    """The rent request failed in a way that does not tell whether it was executed.

    The journal entry ``entry_id`` is marked unknown; see ``Client.reconcile``.
    """

    def __init__(
        self, message: str | Sequence[Part], *, entry_id: int, http_status: int | None = None
    ) -> None:
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


# Last: the table maps codes to the classes above (a module of this package, so that this
# file keeps to the hierarchy).
from smsp_analytics.errors._lookup import CODE_TO_ERROR, error_from_code  # noqa: E402
