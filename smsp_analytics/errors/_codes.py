"""Every documented vendor error code in English: the field at fault, the vendor's
parameter, and what is wrong and what is allowed (a sentence marked for translation, read in
the reader's language by :func:`vendor_parts` when the error is raised). The classes the codes
map to are in :data:`smsp_analytics.errors.CODE_TO_ERROR`.

>>> ENGLISH[8]
"gender (sexe): allowed values are 'm' (mixed), 'h' (men), 'f' (women)"
>>> VENDOR_TEXT[32][0], label_of("age", "maxAge"), label_of("token", None)
('token', 'age (maxAge)', 'token')
"""

from __future__ import annotations

from smsp_analytics.errors._parts import Call, Parts, parts_of, render
from smsp_analytics.i18n import N_, _, get_lang

__all__ = ["VENDOR_TEXT", "ENGLISH", "VENDOR_LANG", "label_of", "vendor_parts", "quoting_vendor"]

#: The language the vendor writes its own messages in.
VENDOR_LANG = "fr"

# The client adds what only it knows (which locality asked how many, where a kept copy is)
# by raising a fuller error.
_CATEGORIES = N_("client.categories() or `smsp categories`")

#: code -> (field at fault as the library names it, the vendor's parameter, the message: an
#: English sentence marked for translation, whose ``{categories}`` is the call listing ids).
VENDOR_TEXT: dict[int, tuple[str | None, str | None, str]] = {
    1: ("api_key", None, N_("the API key is missing")),
    3: ("parameters", None, N_("the targeting is missing")),
    4: ("op", None, N_("the operation is missing")),
    5: ("urlNotification", None, N_("not a valid URL")),
    6: ("op", None, N_("this operation is not authorised for this account")),
    7: ("gender", "sexe", N_("required; allowed: 'm', 'h', 'f'")),
    8: ("gender", "sexe", N_("allowed values are 'm' (mixed), 'h' (men), 'f' (women)")),
    9: ("age", "minAge", N_("the minimum age is required")),
    10: ("api_key", None, N_("the API key is not valid for this API")),
    11: ("balance", None, N_("the account's balance does not cover this rental")),
    12: ("age", "minAge", N_("must be 18 or more")),
    13: ("age", "maxAge", N_("the maximum age is required")),
    14: ("age", "maxAge", N_("must be 98 or less")),
    15: ("interest", None, N_("must be an integer > 0")),
    16: ("interest", None, N_("must not be empty")),
    17: ("sub_interest", "subInterest", N_("must not be empty")),
    18: ("sub_interest", "subInterest", N_("must be an integer > 0")),
    19: ("interest", None, N_("an interest or a sub-interest is required")),
    22: ("category", None, N_("must not be empty; allowed: 102 (CSP+), 103 (CSP-)")),
    23: ("category", None, N_("must be an integer > 0; allowed: 102 (CSP+), 103 (CSP-)")),
    24: ("volumes", None, N_("a volume row has no Type")),
    25: ("volumes", None, N_("a volume row has no Localite")),
    26: ("volumes", None, N_("a volume is missing or not an integer >= 0")),
    27: ("volumes", None, N_("a desired volume exceeds the contacts available in its locality")),
    28: ("volumes", None, N_("the desired volumes exceed the total available")),
    31: ("token", None, N_("the rental token is required")),
    32: ("token", None, N_("no rental with this token on this account")),
    33: ("token", None, N_("this rental has no file (yet); check client.status(token)")),
    34: (
        "token",
        None,
        N_("this rental's file was already downloaded (the vendor allows one download)"),
    ),
    35: ("token", None, N_("this rental's file is being downloaded right now")),
    36: ("token", None, N_("this rental failed; no file will be produced")),
    61: (
        None,
        None,
        N_(
            "the request seems invalid and matched nothing: check the interest and "
            "sub-interest ids ({categories} lists them), the category, ages and localities"
        ),
    ),
    96: (None, None, N_("this machine's IP address is not authorised for this API key")),
}


def label_of(field: str | None, param: str | None) -> str | None:
    """How a message labels the field at fault: its library name, then the vendor's
    parameter when that differs."""
    return field if param is None else f"{field} ({param})"


def vendor_parts(code: int, translate: bool = True) -> Parts:
    """The message of a documented vendor ``code`` as parts, in the language in force (in
    English with ``translate=False``)."""
    template, listing = VENDOR_TEXT[code][2], _CATEGORIES
    if translate:
        template, listing = _(template), _(listing)
    return parts_of(template, categories=Call("smsp categories", listing))


def quoting_vendor(explanation: Parts, vendor_message: str | None) -> Parts:
    """``explanation`` quoting the vendor's own words when the reader reads the vendor's
    language (French): they then say something; to others they are noise, kept in
    ``vendor_message``."""
    if not vendor_message or get_lang() != VENDOR_LANG:
        return explanation
    return parts_of(
        _("{explanation} (the API says: “{vendor}”)"),
        explanation=explanation,
        vendor=vendor_message,
    )


# English for every documented vendor code, as ``str(err)`` says it (the library's reader).
ENGLISH: dict[int, str] = {
    code: (f"{label_of(f, p)}: " if f else "") + render(vendor_parts(code, False), None)
    for code, (f, p, _text) in VENDOR_TEXT.items()
}
