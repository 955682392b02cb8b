"""After a download: which rented numbers may actually be messaged.

Every number, rented or in the analyst's lists, is normalised with ``phonenumbers``
(default region FR) to E.164, so ``06 12 34 56 78``, ``+33612345678`` and
``0033612345678`` are one number. Choices where the issue is silent:

- ``region`` is read in any case ("fr" is "FR"); an unknown one is refused by name.
- A number stored as a float (``612345678.0``, as a spreadsheet column with blank cells
  gives, or that text) is the whole number it holds, not a ten-digit one.
- A number counts as readable when ``phonenumbers`` parses it and finds it possible for
  its country (length check, not the operator's allocation ranges).
- Unparseable entries in the analyst's lists cannot remove anything: they are counted per
  list in ``attrs["unparseable"]`` and a warning names the list and an example. Blank cells
  are ignored.
- An unparseable *rented* number cannot be reached: it is removed, counted in
  ``attrs["unparseable_rented"]`` and warned about. A rented number seen twice is one
  contact: duplicates are removed and counted in ``attrs["duplicates"]``.
- A number in several lists counts for the first list (in ``exclude``'s order), so the
  per-list counts add up to the numbers removed.

(The module is not named ``reachable``: importing a submodule rebinds the package
attribute of that name, which would shadow the exported function.)

>>> kept = reachable(["06 12 34 56 78", "+33698765432"], exclude={"stop": ["0033612345678"]})
>>> kept["phone_number"].tolist(), kept.attrs["excluded"]
(['+33698765432'], {'stop': 1})
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import phonenumbers

__all__ = ["reachable", "normalise_number", "check_region", "DEFAULT_REGION"]

DEFAULT_REGION = "FR"
# Guadeloupe, Martinique, Guyane, La Reunion, Mayotte: France's national format, own codes.
_OVERSEAS_REGIONS = ("GP", "MQ", "GF", "RE", "YT")
COLUMN = "phone_number"


def check_region(region: Any) -> str:
    """``region`` as phonenumbers wants it (upper case), or ValueError naming ``region``.

    >>> check_region(" fr ")
    'FR'
    """
    code = region.strip().upper() if isinstance(region, str) else None
    if code is None or code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"region: {region!r} is not allowed; allowed: a two-letter region "
            "known to phonenumbers such as 'FR' (any case)"
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

    >>> normalise_number("06 12 34 56 78"), normalise_number("0033612345678")
    ('+33612345678', '+33612345678')
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


def _is_blank(value: Any) -> bool:
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


def _values(source: Any, field: str) -> list[Any]:
    """The raw entries of a list given as a CSV path, a frame, a Series or an iterable."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ValueError(
                f"{field}: {str(source)!r} is not a readable CSV file; allowed: "
                "a CSV path, a DataFrame, or a list of numbers"
            )
        return _csv_values(path)
    if isinstance(source, pd.DataFrame):
        if COLUMN in source.columns:
            return source[COLUMN].tolist()
        if len(source.columns) == 0:
            raise ValueError(f"{field}: the frame has no column")
        return source.iloc[:, 0].tolist()
    if isinstance(source, pd.Series):
        return source.tolist()
    if isinstance(source, Iterable) and not isinstance(source, (bytes, Mapping)):
        return list(source)
    raise ValueError(
        f"{field}: {type(source).__name__} is not allowed; allowed: a CSV path, "
        "a DataFrame (phone_number or first column), or a list of numbers"
    )


def _warn(what: str, bad: list[Any]) -> None:
    warnings.warn(
        f"{what}: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} could not be "
        f"read as phone numbers (e.g. {str(bad[0])!r})",
        UserWarning,
        stacklevel=3,
    )


def reachable(
    numbers: pd.DataFrame | Iterable[str],
    exclude: Mapping[str, Any] | None = None,
    *,
    region: str = DEFAULT_REGION,
) -> pd.DataFrame:
    """The rented numbers left once every number of the ``exclude`` lists is removed.

    ``numbers``: a download frame (its ``phone_number`` column; other columns and attrs
    are kept) or a list of numbers. ``exclude``: list name -> CSV path (a ``phone_number``
    column, else the first one), frame or list. Returns a frame whose ``phone_number`` is
    E.164, with ``attrs``: ``excluded`` (name -> rented numbers it removed), ``unparseable``
    (name -> entries of that list that could not be read), ``unparseable_rented``,
    ``duplicates``, ``rented`` (numbers given) and ``reachable`` (numbers kept).

    >>> reachable(["0612345678", "06 12 34 56 78"]).attrs["duplicates"]
    1
    """
    if exclude is None:
        exclude = {}
    if not isinstance(exclude, Mapping):
        raise ValueError(
            "exclude: expected a dict from list name to a CSV path, frame or "
            "list, e.g. {'customers': 'customers.csv', 'stop': stop_list}"
        )
    region = check_region(region)  # "fr" must read like "FR", not mark every number unreadable
    if isinstance(numbers, pd.DataFrame):
        if COLUMN not in numbers.columns:
            raise ValueError(
                f"numbers: the frame has no {COLUMN!r} column (columns: {list(numbers.columns)})"
            )
        base = numbers.reset_index(drop=True)
        raw = base[COLUMN].tolist()
    elif isinstance(numbers, (str, bytes, Mapping)):
        raise ValueError(
            "numbers: expected a download frame or a list of numbers, not a "
            f"{type(numbers).__name__}"
        )
    else:
        raw = _values(numbers, "numbers")
        base = pd.DataFrame({COLUMN: raw})
    memo: dict[str, str | None] = {}

    def norm(v: Any) -> str | None:
        key = str(v)
        if key not in memo:
            memo[key] = normalise_number(v, region)
        return memo[key]

    # Read the lists first: a bad list fails before any work on the numbers.
    lists: dict[str, set[str]] = {}
    unparseable: dict[str, int] = {}
    for name, source in exclude.items():
        entries = [v for v in _values(source, f"exclude[{name!r}]") if not _is_blank(v)]
        got = [(v, norm(v)) for v in entries]
        bad = [v for v, n in got if n is None]
        unparseable[str(name)] = len(bad)
        if bad:
            _warn(f"exclude[{name!r}]", bad)
        lists[str(name)] = {n for _, n in got if n is not None}

    e164 = [norm(v) for v in raw]
    bad_rented = [v for v, n in zip(raw, e164) if n is None]
    if bad_rented:
        _warn("numbers", bad_rented)
    keep: list[int] = []
    seen: set[str] = set()
    excluded = dict.fromkeys(lists, 0)
    duplicates = 0
    for i, n in enumerate(e164):
        if n is None:
            continue
        if n in seen:
            duplicates += 1
            continue
        seen.add(n)
        hit = next((name for name, s in lists.items() if n in s), None)
        if hit is None:
            keep.append(i)
        else:
            excluded[hit] += 1
    out = base.iloc[keep].copy()
    out[COLUMN] = pd.array([e164[i] for i in keep], dtype="string")
    out = out.reset_index(drop=True)
    out.attrs = {
        **(numbers.attrs if isinstance(numbers, pd.DataFrame) else {}),
        "excluded": excluded,
        "unparseable": unparseable,
        "unparseable_rented": len(bad_rented),
        "duplicates": duplicates,
        "rented": len(raw),
        "reachable": len(keep),
    }
    return out
