"""Reading phone numbers the analyst gives: E.164 by ``phonenumbers``, and lists of them.

One reading for the whole toolkit: :func:`~smsp_analytics.campaign.reachable` compares
rented numbers with the analyst's lists through it, and the client's format check
(``check_numbers``) sends the numbers the vendor asks for, in international format.

- ``region`` is read in any case ("fr" is "FR"); an unknown one is refused by name.
- A number stored as a float (``612345678.0``, as a spreadsheet column with blank cells
  gives, or that text) is the whole number it holds, not a ten-digit one.
- A number counts as readable when ``phonenumbers`` parses it and finds it possible for
  its country (length check, not the operator's allocation ranges).
- A list is a CSV path (a ``phone_number`` column, else the first one), a frame (the same),
  a Series or any iterable of numbers (:func:`number_values`).

>>> normalise_number("06 12 34 56 78"), normalise_number("0033612345678")
('+33612345678', '+33612345678')
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import phonenumbers

from smsp_analytics.i18n import _

__all__ = [
    "DEFAULT_REGION",
    "COLUMN",
    "check_region",
    "normalise_number",
    "international",
    "E164",
    "number_values",
    "is_blank",
]

DEFAULT_REGION = "FR"
#: The column a frame or a CSV file of numbers is read from (else its first column).
COLUMN = "phone_number"
#: A number already written in E.164: a plus, a country code, at most 15 digits.
E164 = re.compile(r"\+[1-9][0-9]{6,14}", re.ASCII)
# Guadeloupe, Martinique, Guyane, La Reunion, Mayotte: France's national format, own codes.
_OVERSEAS_REGIONS = ("GP", "MQ", "GF", "RE", "YT")


def check_region(region: Any) -> str:
    """``region`` as phonenumbers wants it (upper case), or ValueError naming ``region``.

    >>> check_region(" fr ")
    'FR'
    """
    code = region.strip().upper() if isinstance(region, str) else None
    if code is None or code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            _(
                "region: {value} is not allowed; allowed: a two-letter region "
                "known to phonenumbers such as 'FR' (any case)"
            ).format(value=repr(region))
        )
    return code


# A whole number written the way a spreadsheet writes floats: "612345678.0". Only one group
# of digits: "06.12.34.56.78" uses dots as separators and is left to phonenumbers.
_FLOAT_TEXT = re.compile(r"\+?[0-9]+\.0+", re.ASCII)


def _text_of(value: Any) -> str:
    """The text to parse: a float that is a whole number (a column with blanks comes back
    as floats) loses its ".0" instead of becoming a tenth digit."""
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return ""
        return str(int(value))
    text = str(value).strip()
    if _FLOAT_TEXT.fullmatch(text):
        text = text.split(".", 1)[0]
    return text


def normalise_number(value: Any, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form of a phone number, or None when it cannot be read.

    ``region`` (any case) reads numbers written the national way; a float such as
    ``612345678.0`` (or that text) is the whole number it holds.

    >>> normalise_number("0690 12 34 56")          # Guadeloupe, written the national way
    '+590690123456'
    >>> normalise_number(612345678.0, region="fr")
    '+33612345678'
    >>> normalise_number("call me") is None
    True
    """
    region = check_region(region)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = _text_of(value)
    if not text:
        return None
    try:
        num = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None
    if (
        region == "FR"
        and not text.startswith(("+", "00"))
        and not phonenumbers.is_valid_number(num)
    ):
        # Overseas departments share France's national format (0690..., 0692...) but have
        # their own country codes (+590, +262...): a number written the national way that is
        # no valid metropolitan number is read as the overseas one it is, if any.
        for overseas in _OVERSEAS_REGIONS:
            other = phonenumbers.parse(text, overseas)
            if phonenumbers.is_valid_number(other):
                num = other
                break
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def international(value: Any, region: str = DEFAULT_REGION) -> str | None:
    """A number in international format to hand to the vendor's own check: one already in
    E.164 as it is (the vendor judges it; reading it again would cost as much as the
    check), any other writing as :func:`normalise_number` reads it.

    >>> international(" +33612345678 "), international("06 12 34 56 78"), international("x")
    ('+33612345678', '+33612345678', None)
    """
    if isinstance(value, str) and E164.fullmatch(value.strip()):
        return value.strip()
    return normalise_number(value, region)


def is_blank(value: Any) -> bool:
    """An empty cell: None, NA, NaN or blank text.

    >>> is_blank(" "), is_blank(float("nan")), is_blank("0612345678")
    (True, True, False)
    """
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and value != value)
        or not str(value).strip()
    )


def _csv_values(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [r for r in csv.reader(fh, dialect) if r]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    if COLUMN in header:
        i = header.index(COLUMN)
        return [r[i] if i < len(r) else "" for r in rows[1:]]
    if not any(ch.isdigit() for ch in rows[0][0]):
        rows = rows[1:]  # a header line without a phone_number column: first column
    return [r[0] for r in rows]


def number_values(source: Any, field: str) -> list[Any]:
    """The raw entries of a list given as a CSV path, a frame, a Series or an iterable;
    ValueError naming ``field`` otherwise.

    >>> number_values(pd.DataFrame({"name": ["a"], "phone_number": ["0612345678"]}), "numbers")
    ['0612345678']
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ValueError(
                _(
                    "{field}: {value} is not a readable CSV file; allowed: "
                    "a CSV path, a DataFrame, or a list of numbers"
                ).format(field=field, value=repr(str(source)))
            )
        return _csv_values(path)
    if isinstance(source, pd.DataFrame):
        if COLUMN in source.columns:
            return source[COLUMN].tolist()
        if len(source.columns) == 0:
            raise ValueError(_("{field}: the frame has no column").format(field=field))
        return source.iloc[:, 0].tolist()
    if isinstance(source, pd.Series):
        return source.tolist()
    if isinstance(source, Iterable) and not isinstance(source, (bytes, Mapping)):
        return list(source)
    raise ValueError(
        _(
            "{field}: {kind} is not allowed; allowed: a CSV path, "
            "a DataFrame (phone_number or first column), or a list of numbers"
        ).format(field=field, kind=type(source).__name__)
    )
