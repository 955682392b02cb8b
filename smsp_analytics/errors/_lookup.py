"""From a vendor error code to its exception: the one code -> class table and the function
that builds the error of an answer.

The classes are defined in :mod:`smsp_analytics.errors` (their ``__module__``, which reprs and
tracebacks show), which imports this module once they exist; import every name from the
package.

>>> from smsp_analytics.errors import CODE_TO_ERROR, error_from_code
>>> CODE_TO_ERROR[11].__name__, type(error_from_code(None, "x", http_status=503)).__name__
('InsufficientCreditError', 'ServiceUnavailableError')
"""

from __future__ import annotations

from typing import Any

# The package has defined every class before it imports this module (at its end).
from smsp_analytics.errors import (
    AuthenticationError,
    InsufficientCreditError,
    InvalidRequestError,
    RateLimitError,
    RentalError,
    ServiceUnavailableError,
    SmsPartnerError,
)
from smsp_analytics.errors._codes import VENDOR_TEXT, label_of, quoting_vendor, vendor_parts

__all__ = ["CODE_TO_ERROR", "error_from_code"]


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


def error_from_code(
    code: int | None, message: str, *, http_status: int | None = None, body: Any = None
) -> SmsPartnerError:
    """The exception for a vendor error ``code`` (HTTP 429/5xx when the body has none), its
    message in the language in force (in French it quotes the vendor's words), the vendor's
    text kept as ``vendor_message``."""
    cls = CODE_TO_ERROR.get(code) if code is not None else None
    if cls is None:
        if http_status == 429:
            cls = RateLimitError
        elif http_status is not None and http_status >= 500:
            cls = ServiceUnavailableError
        else:
            cls = SmsPartnerError
    if code is None or code not in VENDOR_TEXT:
        return cls(message, code=code, http_status=http_status, body=body, vendor_message=message)
    field, param, _text = VENDOR_TEXT[code]
    return cls(
        quoting_vendor(vendor_parts(code), message),
        code=code,
        http_status=http_status,
        body=body,
        vendor_message=message,
        field=field,
        label=label_of(field, param) if field else None,
    )
