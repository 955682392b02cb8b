"""The free format check of numbers, ``POST /v1/lookup`` (README "Account data").

The sandbox's own reading of numbering plans (no numbering library: it must say that the
ARCEP fiction block, which such libraries refuse, holds mobiles). France (+33): nine digits
after the country code, 6 and 7 mobiles, 1 to 5 and 9 landlines, 8 special-rate numbers; a
French number whose digits fit is still "not allocated" (invalid) for about 2% of numbers, by
a hash of the seed and the number (a realistic share of the dead ranges a format check
knows). Other country codes of a short table are "foreign" numbers with their own lengths and
mobile prefixes; any other country code, a wrong length or a request that is not a number is
invalid.

>>> item = lookup_item("+33639980042", seed=0)
>>> item["success"], item["type"], item["format"]["national"], item["format"]["rfc3966"]
(True, 'Mobile', '06 39 98 00 42', 'tel:+33-6-39-98-00-42')
>>> lookup_item("+32470123456", 0)["countryCode"], lookup_item("bonjour", 0)["success"]
('Belgium', False)
>>> split_numbers("+33612345678, 0612345678,")
['+33612345678', '0612345678']
"""

from __future__ import annotations

import re
from typing import Any

from smsp_analytics.sandbox.messages import ACCOUNT_MESSAGES, VendorError
from smsp_analytics.sandbox.model import stable_int

__all__ = ["MAX_NUMBERS", "UNALLOCATED_PER_MILLE", "COUNTRIES", "split_numbers", "lookup_item"]

#: Numbers one lookup request may hold (the vendor's documented limit).
MAX_NUMBERS = 500
#: French numbers (of the right shape) answered "not allocated", per thousand, by hash.
UNALLOCATED_PER_MILLE = 20
#: Country code -> (name, lengths of the national number, trunk prefix, mobile prefixes).
COUNTRIES: dict[str, tuple[str, tuple[int, ...], str, tuple[str, ...]]] = {
    "33": ("France", (9,), "0", ("6", "7")),
    "32": ("Belgium", (8, 9), "0", ("45", "46", "47", "48", "49")),
    "41": ("Switzerland", (9,), "0", ("75", "76", "77", "78", "79")),
    "49": ("Germany", (10, 11), "0", ("15", "16", "17")),
    "44": ("United Kingdom", (10,), "0", ("7",)),
    "34": ("Spain", (9,), "", ("6", "7")),
    "39": ("Italy", (9, 10), "", ("3",)),
    "351": ("Portugal", (9,), "", ("9",)),
    "352": ("Luxembourg", (8, 9), "", ("6",)),
    "212": ("Morocco", (9,), "0", ("6", "7")),
    "213": ("Algeria", (9,), "0", ("5", "6", "7")),
    "216": ("Tunisia", (8,), "", ("2", "4", "5", "9")),
    "262": ("Réunion", (9,), "0", ("69",)),
    "590": ("Guadeloupe", (9,), "0", ("69",)),
    "594": ("French Guiana", (9,), "0", ("69",)),
    "596": ("Martinique", (9,), "0", ("69",)),
    "1": ("United States", (10,), "", ()),  # NANP: mobiles and landlines share ranges
}
# PHP's trim() set (never Unicode spaces, which make a number invalid).
_ASCII_SPACE = " \t\n\r\x0b\x0c"
# Two numbers in one item: separators other than the comma.
_OTHER_SEPARATORS = re.compile(r"[;|\n\r\t]")
# Written inside one number: spaces, dots, dashes, parentheses, slashes.
_INSIDE = str.maketrans("", "", " .-()/")
_NUMBER = re.compile(r"\+?[0-9]+", re.ASCII)
_NO_FORMAT = {"e164": None, "international": None, "national": None, "rfc3966": None}


def _error(code: int) -> VendorError:
    return VendorError(code, ACCOUNT_MESSAGES)


def _holds_several(item: str) -> bool:
    if _OTHER_SEPARATORS.search(item) or item.count("+") > 1:
        return True
    cleaned = item.translate(_INSIDE)
    return bool(_NUMBER.fullmatch(cleaned)) and len(cleaned.lstrip("+")) > 15


def split_numbers(value: Any) -> list[str]:
    """The numbers of ``phoneNumbers`` (a comma-separated string; empty items skipped).

    VendorError (ACCOUNT_MESSAGES): 2 when missing or empty; 3 when not a string (a JSON
    integer is read as its digits) or when an item holds several numbers separated
    otherwise (``;``, ``|``, a line break, a tab, two ``+``, more than 15 digits); 50
    beyond :data:`MAX_NUMBERS`.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip(_ASCII_SPACE + ",")):
        raise _error(2)
    if not isinstance(value, str):
        raise _error(3)
    items = [item.strip(" ") for item in value.strip(_ASCII_SPACE).split(",")]
    items = [item for item in items if item.strip(_ASCII_SPACE)]
    if any(_holds_several(item) for item in items):
        raise _error(3)
    if len(items) > MAX_NUMBERS:
        raise _error(50)
    return items


def _digits(item: str) -> str | None:
    """The international digits of ``item`` (country code first), or None."""
    cleaned = item.strip(_ASCII_SPACE).translate(_INSIDE)
    if not _NUMBER.fullmatch(cleaned):
        return None
    if cleaned.startswith("+"):
        return cleaned[1:]
    if cleaned.startswith("00"):
        return cleaned[2:]
    if cleaned.startswith("0") and len(cleaned) == 10:
        return "33" + cleaned[1:]  # a French number in national format
    return cleaned  # international without "+", as in the vendor's example "336XXXXXXXX"


def _grouped(nsn: str) -> list[str]:
    """The national number in groups of two, the first alone when its length is odd."""
    head = len(nsn) % 2
    return ([nsn[:head]] if head else []) + [nsn[i : i + 2] for i in range(head, len(nsn), 2)]


def _invalid(request: str, country: tuple[str, int] | None = None) -> dict:
    return {
        "request": request,
        "success": False,
        "countryCode": country[0] if country else None,
        "prefixCode": country[1] if country else None,
        "phoneNumber": None,
        "type": None,
        "network": "",
        "format": dict(_NO_FORMAT),
    }


def _kind(cc: str, nsn: str, mobiles: tuple[str, ...]) -> str:
    if cc == "33":
        return {"6": "Mobile", "7": "Mobile", "8": "Special"}.get(nsn[0], "Landline")
    if cc == "1":
        return "Landline or mobile"
    return "Mobile" if nsn.startswith(mobiles) else "Landline"


def lookup_item(request: str, seed: int) -> dict:
    """One ``lookup`` row for the item ``request`` (keys in the vendor's order)."""
    digits = _digits(request)
    if digits is None or not 4 <= len(digits) <= 15:
        return _invalid(request)
    cc = next((digits[:n] for n in (3, 2, 1) if digits[:n] in COUNTRIES), None)
    if cc is None:
        return _invalid(request)
    name, lengths, trunk, mobiles = COUNTRIES[cc]
    nsn, country = digits[len(cc) :], (name, int(cc))
    if len(nsn) not in lengths or nsn.startswith("0"):
        return _invalid(request, country)
    if cc == "33" and stable_int("lookup", seed, digits) % 1000 < UNALLOCATED_PER_MILLE:
        return _invalid(request, country)
    groups = _grouped(nsn)
    e164 = f"+{cc}{nsn}"
    return {
        "request": request,
        "success": True,
        "countryCode": name,
        "prefixCode": int(cc),
        "phoneNumber": e164,
        "type": _kind(cc, nsn, mobiles),
        "network": "",
        "format": {
            "e164": e164,
            "international": f"+{cc} " + " ".join(groups),
            "national": trunk + " ".join(groups),
            "rfc3966": f"tel:+{cc}-" + "-".join(groups),
        },
    }
