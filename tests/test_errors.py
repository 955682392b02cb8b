"""smsp_analytics.errors: one code -> class table, no key in texts."""

import pytest

from smsp_analytics.errors import (
    CODE_TO_ERROR,
    ENGLISH,
    AuthenticationError,
    InsufficientCreditError,
    InvalidRequestError,
    RateLimitError,
    RentalError,
    ServiceUnavailableError,
    SmsPartnerError,
    TargetingError,
    error_from_code,
    redact,
)


@pytest.mark.parametrize(
    "code,cls",
    [
        (1, AuthenticationError),
        (10, AuthenticationError),
        (96, AuthenticationError),
        (11, InsufficientCreditError),
        (3, InvalidRequestError),
        (19, InvalidRequestError),
        (28, InvalidRequestError),
        (61, InvalidRequestError),
        (31, RentalError),
        (34, RentalError),
        (36, RentalError),
    ],
)
def test_vendor_codes_map_to_their_class(code, cls):
    err = error_from_code(code, "message en français", http_status=400)
    assert type(err) is cls
    assert (err.code, err.vendor_message, err.http_status) == (code, "message en français", 400)
    # English, naming the field at fault (or what to check, for 61 and 96)
    assert err.message == ENGLISH[code] and "français" not in str(err)


def test_every_documented_code_has_english():
    from smsp_analytics.errors import ENGLISH

    documented = {1, *range(3, 20), 22, 23, 24, 25, 26, 27, 28, *range(31, 37), 61, 96}
    assert documented <= set(ENGLISH)
    assert "client.categories()" in ENGLISH[61] and "smsp categories" in ENGLISH[61]
    assert "one download" in ENGLISH[34]


def test_every_documented_code_is_mapped():
    documented = {1, *range(3, 20), 22, 23, 24, 25, 26, 27, 28, *range(31, 37), 61, 96}
    assert documented <= set(CODE_TO_ERROR)


def test_unknown_code_keeps_base_class_and_code():
    err = error_from_code(4242, "inconnu", http_status=400)
    assert type(err) is SmsPartnerError and err.code == 4242


def test_http_status_without_code():
    assert type(error_from_code(None, "x", http_status=429)) is RateLimitError
    assert type(error_from_code(None, "x", http_status=502)) is ServiceUnavailableError


def test_targeting_error_is_a_value_error_with_vendor_code():
    err = TargetingError("gender", "x", "m, h or f", code=8, param="sexe")
    assert isinstance(err, ValueError) and isinstance(err, InvalidRequestError)
    assert err.code == 8 and "gender (sexe)" in str(err) and "'x'" in str(err)


def test_texts_never_carry_a_key():
    key = "sk_secret_123"
    err = ServiceUnavailableError(f"GET https://h/v1/me?apiKey={key}&token=t failed")
    for text in (str(err), repr(err), err.message):
        assert key not in text and "apiKey=***" in text
    assert key not in redact({"apiKey": key, "op": "rent"})
    assert redact('body {"apiKey": "' + key + '"}') == 'body {"apiKey": "***"}'
