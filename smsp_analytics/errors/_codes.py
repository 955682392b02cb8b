"""Every documented vendor error code in English: the field at fault, the vendor's
parameter, and what is wrong and what is allowed. The classes the codes map to are in
:data:`smsp_analytics.errors.CODE_TO_ERROR`.

>>> ENGLISH[8]
"gender (sexe): allowed values are 'm' (mixed), 'h' (men), 'f' (women)"
>>> VENDOR_TEXT[32][0], label_of("age", "maxAge"), label_of("token", None)
('token', 'age (maxAge)', 'token')
"""

from __future__ import annotations

from smsp_analytics.errors._parts import Call, Part, render

__all__ = ["VENDOR_TEXT", "ENGLISH", "label_of"]

# The client adds what only it knows (which locality asked how many, where a kept copy is)
# by raising a fuller error.
_CATEGORIES = Call("smsp categories", "client.categories() or `smsp categories`")

#: code -> (field at fault as the library names it, the vendor's parameter, the message).
VENDOR_TEXT: dict[int, tuple[str | None, str | None, tuple[Part, ...]]] = {
    1: ("api_key", None, ("the API key is missing",)),
    3: ("parameters", None, ("the targeting is missing",)),
    4: ("op", None, ("the operation is missing",)),
    5: ("urlNotification", None, ("not a valid URL",)),
    6: ("op", None, ("this operation is not authorised for this account",)),
    7: ("gender", "sexe", ("required; allowed: 'm', 'h', 'f'",)),
    8: ("gender", "sexe", ("allowed values are 'm' (mixed), 'h' (men), 'f' (women)",)),
    9: ("age", "minAge", ("the minimum age is required",)),
    10: ("api_key", None, ("the API key is not valid for this API",)),
    11: ("balance", None, ("the account's balance does not cover this rental",)),
    12: ("age", "minAge", ("must be 18 or more",)),
    13: ("age", "maxAge", ("the maximum age is required",)),
    14: ("age", "maxAge", ("must be 98 or less",)),
    15: ("interest", None, ("must be an integer > 0",)),
    16: ("interest", None, ("must not be empty",)),
    17: ("sub_interest", "subInterest", ("must not be empty",)),
    18: ("sub_interest", "subInterest", ("must be an integer > 0",)),
    19: ("interest", None, ("an interest or a sub-interest is required",)),
    22: ("category", None, ("must not be empty; allowed: 102 (CSP+), 103 (CSP-)",)),
    23: ("category", None, ("must be an integer > 0; allowed: 102 (CSP+), 103 (CSP-)",)),
    24: ("volumes", None, ("a volume row has no Type",)),
    25: ("volumes", None, ("a volume row has no Localite",)),
    26: ("volumes", None, ("a volume is missing or not an integer >= 0",)),
    27: ("volumes", None, ("a desired volume exceeds the contacts available in its locality",)),
    28: ("volumes", None, ("the desired volumes exceed the total available",)),
    31: ("token", None, ("the rental token is required",)),
    32: ("token", None, ("no rental with this token on this account",)),
    33: ("token", None, ("this rental has no file (yet); check client.status(token)",)),
    34: (
        "token",
        None,
        ("this rental's file was already downloaded (the vendor allows one download)",),
    ),
    35: ("token", None, ("this rental's file is being downloaded right now",)),
    36: ("token", None, ("this rental failed; no file will be produced",)),
    61: (
        None,
        None,
        (
            "the request seems invalid and matched nothing: check the interest and "
            "sub-interest ids (",
            _CATEGORIES,
            " lists them), the category, ages and localities",
        ),
    ),
    96: (None, None, ("this machine's IP address is not authorised for this API key",)),
}


def label_of(field: str | None, param: str | None) -> str | None:
    """How a message labels the field at fault: its library name, then the vendor's
    parameter when that differs."""
    return field if param is None else f"{field} ({param})"


# English for every documented vendor code, as ``str(err)`` says it (the library's reader).
ENGLISH: dict[int, str] = {
    code: (f"{label_of(f, p)}: " if f else "") + render(parts, None)
    for code, (f, p, parts) in VENDOR_TEXT.items()
}
