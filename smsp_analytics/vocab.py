"""The toolkit's vocabulary: the vendor's words and the constants every layer shares.

This module is the ground floor: it imports nothing of the package but the language layer
(``i18n``, to mark the words people read for the French catalogs), and every other module
imports its words from here rather than retyping them (``tests/test_vocab.py`` walks the
package for copies). What it holds:

* the app's name (its data and cache folders) and the mark on synthetic (sandbox) data;
* gender spellings (-> the vendor's codes ``m``, ``h``, ``f``) and their words, the
  socio-professional categories and their aliases, and the texts saying what is allowed;
* the vendor's parameter names and the toolkit's field (and column) names;
* department codes and their normalisation;
* Paris, the overseas time zones and the holiday subdivisions of each department;
* instant parsing to UTC.

>>> GENDER_SPELLINGS["femmes"], GENDER_WORDS["m"], CATEGORY_ALIASES["csp+"]
('f', 'men and women', 102)
>>> normalize_department(2), VENDOR_FIELDS["subInterest"], time_zone("974").key
('02', 'sub_interest', 'Indian/Reunion')
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from smsp_analytics.i18n import N_

if TYPE_CHECKING:  # pandas is imported when an instant is parsed: the CLI starts without it
    import pandas as pd

__all__ = [
    "APP_NAME",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "SYNTHETIC_MARK",
    "SYNTHETIC_MARK_SEEDED",
    "synthetic_mark",
    "GENDER_CODES",
    "GENDER_SPELLINGS",
    "GENDER_WORDS",
    "GENDER_ALLOWED",
    "CATEGORY_CODES",
    "CATEGORY_ALIASES",
    "CATEGORY_ALLOWED",
    "category_code",
    "VENDOR_FIELDS",
    "VENDOR_COLUMNS",
    "TARGETING_FIELDS",
    "TARGETING_OPTIONS",
    "TARGETING_COLUMNS",
    "DEPARTMENT_CODES",
    "pad_department",
    "normalize_department",
    "PARIS",
    "TIME_ZONES",
    "HOLIDAY_SUBDIVISIONS",
    "time_zone",
    "to_utc",
    "parse_utc",
]

# -- the app ---------------------------------------------------------------------------------

#: The app's name: its folder under the user's data and cache dirs, and how it signs files.
APP_NAME = "smsp-analytics"
#: The environment variable holding the API key (unset or blank: the offline sandbox).
ENV_API_KEY = "SMSPARTNER_API_KEY"
#: The environment variable that overrides the API's base URL.
ENV_BASE_URL = "SMSPARTNER_BASE_URL"
#: The mark every output puts on sandbox figures, so they are never taken for real ones.
#: The same words are marked for the catalogs: what people read is ``_(SYNTHETIC_MARK)``
#: (``smsp_analytics.display.synthetic_text``); exports keep this English, machine-readable mark.
SYNTHETIC_MARK = N_("SYNTHETIC DATA (sandbox)")
SYNTHETIC_MARK_SEEDED = N_("SYNTHETIC DATA (sandbox, seed {seed})")


def synthetic_mark(seed: int | None = None) -> str:
    """The synthetic mark, naming the sandbox seed when there is one.

    >>> synthetic_mark(), synthetic_mark(3)
    ('SYNTHETIC DATA (sandbox)', 'SYNTHETIC DATA (sandbox, seed 3)')
    """
    return SYNTHETIC_MARK if seed is None else SYNTHETIC_MARK_SEEDED.format(seed=seed)


# -- genders and categories -----------------------------------------------------------------

#: The vendor's gender codes: ``m`` is the mixed audience (men and women), never just men.
GENDER_CODES = ("m", "h", "f")
#: Every spelling a targeting accepts (lower case) -> the vendor's code.
GENDER_SPELLINGS: dict[str, str] = {
    "m": "m",
    "all": "m",
    "mixed": "m",
    "mixte": "m",
    "both": "m",
    "men and women": "m",
    "tous": "m",
    "toutes": "m",
    "hommes et femmes": "m",
    "femmes et hommes": "m",
    "h": "h",
    "men": "h",
    "man": "h",
    "male": "h",
    "homme": "h",
    "hommes": "h",
    "f": "f",
    "women": "f",
    "woman": "f",
    "female": "f",
    "femme": "f",
    "femmes": "f",
}
#: The vendor's code -> words, as every output reads them.
#: English; what people read is ``_(GENDER_WORDS[code])`` (``display.gender_words``).
GENDER_WORDS: dict[str, str] = {"f": N_("women"), "h": N_("men"), "m": N_("men and women")}
#: What a gender may be, for messages (shown as ``_(GENDER_ALLOWED)``).
GENDER_ALLOWED = N_("women (or f), men (or h), all (or m: men and women)")

#: The vendor's socio-professional categories: code -> name.
CATEGORY_CODES: dict[int, str] = {102: "CSP+", 103: "CSP-"}
#: Category names (lower case) -> code.
CATEGORY_ALIASES: dict[str, int] = {name.lower(): code for code, name in CATEGORY_CODES.items()}
#: What a category may be, for messages.
CATEGORY_ALLOWED = N_("102 (CSP+) or 103 (CSP-)")


def category_code(value: Any) -> Any:
    """The code of a category name ("CSP+" -> 102, any case); other values as given.

    >>> category_code(" csp- "), category_code(102), category_code("x")
    (103, 102, 'x')
    """
    if isinstance(value, str):
        return CATEGORY_ALIASES.get(value.strip().lower(), value)
    return value


# -- field names -----------------------------------------------------------------------------

#: The fields of a targeting, as the analyst names them (``Targeting``'s fields).
TARGETING_FIELDS = (
    "gender",
    "age",
    "interest",
    "sub_interest",
    "category",
    "departments",
    "zipcodes",
)
#: What an analyst may name to target (CLI flags, scenario files): the fields, or a region
#: (which stands for its departments).
TARGETING_OPTIONS = (*TARGETING_FIELDS, "region")
#: A targeting as flat columns (the quote history, a rental's location): the age band split.
TARGETING_COLUMNS = (
    "gender",
    "min_age",
    "max_age",
    "interest",
    "sub_interest",
    "category",
    "departments",
    "zipcodes",
)
#: The vendor's ``parameters`` names -> the targeting field each one sets.
VENDOR_FIELDS: dict[str, str] = {
    "sexe": "gender",
    "minAge": "age",
    "maxAge": "age",
    "interest": "interest",
    "subInterest": "sub_interest",
    "category": "category",
    "department": "departments",
    "zipcode": "zipcodes",
}
#: The vendor's ``parameters`` names -> the column each one fills.
VENDOR_COLUMNS: dict[str, str] = {
    param: {"minAge": "min_age", "maxAge": "max_age"}.get(param, field)
    for param, field in VENDOR_FIELDS.items()
}

# -- departments -----------------------------------------------------------------------------

#: The 101 departments, in the reference data's order: 01 to 95 (Corsica is 2A and 2B,
#: no 20) and the overseas 971 to 976 (975 is no department).
DEPARTMENT_CODES: tuple[str, ...] = tuple(
    sorted(
        [f"{n:02d}" for n in range(1, 96) if n != 20]
        + ["2A", "2B", "971", "972", "973", "974", "976"]
    )
)
_DEPARTMENTS = frozenset(DEPARTMENT_CODES)


def pad_department(code: Any) -> str:
    """A department code spelled as the vendor writes it, unchecked: trimmed, upper case,
    one digit padded ("2" -> "02", " 2a" -> "2A").

    >>> pad_department(" 2a"), pad_department(5), pad_department("99")
    ('2A', '05', '99')
    """
    s = str(code).strip().upper()
    return "0" + s if s.isdigit() and len(s) == 1 else s


def normalize_department(code: Any) -> str | None:
    """A department code as the API writes it ("2" -> "02", "2a" -> "2A"), or None if no
    department has it.

    >>> normalize_department("2a"), normalize_department(60), normalize_department("20")
    ('2A', '60', None)
    """
    if isinstance(code, bool) or code is None:
        return None
    s = pad_department(code)
    return s if s in _DEPARTMENTS else None


# -- time ------------------------------------------------------------------------------------

#: The platform's clock, and metropolitan France's (Corsica included).
PARIS = ZoneInfo("Europe/Paris")
#: Overseas departments -> their time zone (the others are on Paris time).
TIME_ZONES: dict[str, str] = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}
#: Departments with holidays of their own -> their ``holidays`` subdivision.
HOLIDAY_SUBDIVISIONS: dict[str, str] = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


def time_zone(department: Any) -> ZoneInfo:
    """The time zone of a department (Paris unless overseas).

    >>> time_zone("60").key, time_zone("971").key
    ('Europe/Paris', 'America/Guadeloupe')
    """
    name = TIME_ZONES.get(str(department))
    return PARIS if name is None else ZoneInfo(name)


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ALLOWED_WHEN = (
    "allowed: a date, a datetime or an ISO string such as 2026-10-01 or 2026-10-01T12:00:00+00:00"
)


def to_utc(value: Any) -> pd.Timestamp:
    """An instant in UTC; a naive one is read as UTC (the toolkit stores UTC).

    >>> to_utc("2026-10-01T14:00:00+02:00"), to_utc("2026-10-01 12:00")
    (Timestamp('2026-10-01 12:00:00+0000', tz='UTC'), Timestamp('2026-10-01 12:00:00+0000', tz='UTC'))
    """
    import pandas as pd

    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def parse_utc(value: Any, field: str, *, end_of_day: bool = False) -> pd.Timestamp | None:
    """An analyst's instant (a date, a datetime, a Timestamp or an ISO string) in UTC; None
    stays None. A bare date covers its whole day: its end when ``end_of_day`` (an upper
    bound), else its start. Errors name ``field``.

    >>> parse_utc("2026-10-01", "until", end_of_day=True)
    Timestamp('2026-10-01 23:59:59.999999+0000', tz='UTC')
    >>> parse_utc("2026-13-01", "since")
    Traceback (most recent call last):
    ...
    ValueError: since: '2026-13-01' is not a valid date; allowed: a date, a datetime or an ISO string such as 2026-10-01 or 2026-10-01T12:00:00+00:00
    """
    import pandas as pd

    if value is None:
        return None
    if not isinstance(value, (str, dt.date, pd.Timestamp)) or isinstance(value, bool):
        raise TypeError(f"{field}: {value!r} is not a date; {_ALLOWED_WHEN}")
    is_date = (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) or (
        isinstance(value, str) and _DATE_ONLY.match(value.strip()) is not None
    )
    try:
        ts = to_utc(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"{field}: {value!r} is not a valid date; {_ALLOWED_WHEN}") from None
    if pd.isna(ts):
        raise ValueError(f"{field}: {value!r} is not a valid date; {_ALLOWED_WHEN}")
    if is_date and end_of_day:
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return ts
