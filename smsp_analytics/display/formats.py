"""Numbers, euros, percentages and dates in the language in force (Babel, CLDR).

CLDR (through Babel) decides everything a reader notices: the decimal and grouping symbols,
where the euro and percent signs go and the space before them, month and day names. The
digits themselves come from Python's correctly rounded float formatting (round half to even
on the float's exact value), which is what Babel's own ``NumberPattern.apply`` gives for
``Decimal(x)``: the tests check the two agree. Why not call Babel per value: it costs about
40 µs a call, and the panel formats hundreds of values per update; the patterns are read
once per locale (Babel is imported then, not when the toolkit starts).

>>> from smsp_analytics.i18n import use_lang
>>> fmt_eur(1234.5), fmt_int(2282), fmt_pct(0.125), fmt_unit_price(0.09)
('€1,234.50', '2,282', '12.5%', '€0.090')
>>> with use_lang("fr"):
...     fmt_eur(9051.39), fmt_int(2282), fmt_pct(0.125), fmt_unit_price(0.09)
('9\\u202f051,39\\xa0€', '2\\u202f282', '12,5\\xa0%', '0,090\\xa0€')
>>> import datetime as dt
>>> fmt_date(dt.date(2026, 11, 1)), fmt_date(dt.date(2026, 11, 1), "weekday_iso")
('Sun 01 Nov 2026', 'Sun 2026-11-01')
>>> with use_lang("fr"):
...     fmt_date(dt.date(2026, 11, 1)), plotly_separators()
('dim. 1 nov. 2026', ',\\u202f')
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from smsp_analytics.i18n import N_, _, babel_locale

__all__ = [
    "NO_DATA",
    "DATE_STYLES",
    "UNIT_PRICE_COLUMNS",
    "no_data",
    "is_missing",
    "fmt_int",
    "fmt_number",
    "fmt_eur",
    "fmt_unit_price",
    "fmt_pct",
    "fmt_value",
    "value_kind",
    "is_unit_price",
    "fmt_date",
    "fmt_datetime",
    "fmt_time",
    "month_names",
    "plotly_separators",
    "eur_affixes",
    "parse_number",
]

#: A missing value in English (the machine-stable spelling); :func:`no_data` is what people
#: read, in the language in force.
NO_DATA = N_("no data")

#: Euro columns holding a price per contact or per SMS: a few cents, shown with three
#: decimals (0.038 must not read 0.04) wherever they are displayed (Excel too).
UNIT_PRICE_COLUMNS: frozenset[str] = frozenset(
    {
        "unit_cost_eur",
        "unit_cost_before_eur",
        "unit_cost_after_eur",
        "price_per_sms_eur",
        "cost_per_contact_eur",
        "cost_per_sms_eur",
    }
)

#: Date styles of :func:`fmt_date`: (English CLDR pattern, French CLDR pattern). The English
#: patterns reproduce what the toolkit printed with ``strftime`` before it spoke French
#: (``%a %d %b %Y``, ``%a %Y-%m-%d``, ...); French reads the way French writes dates.
DATE_STYLES: dict[str, tuple[str, str]] = {
    "long": ("EEE dd MMM y", "EEE d MMM y"),  # Sun 01 Nov 2026 / dim. 1 nov. 2026
    "weekday_iso": ("EEE y-MM-dd", "EEE d MMM y"),  # Sun 2026-11-01 / dim. 1 nov. 2026
    "day": ("dd MMM y", "d MMM y"),  # 01 Nov 2026 / 1 nov. 2026
    "short": ("EEE dd MMM", "EEE d MMM"),  # Sun 01 Nov / dim. 1 nov.
    "iso": ("y-MM-dd", "dd/MM/y"),  # 2026-11-01 / 01/11/2026
    "month": ("MMM y", "MMM y"),  # Nov 2026 / nov. 2026
    "month_long": ("MMMM y", "MMMM y"),  # November 2026 / novembre 2026
}


def no_data() -> str:
    """How a missing value reads: ``no data`` (``aucune donnée`` in French)."""
    return _(NO_DATA)


def is_missing(x: Any) -> bool:
    """True for None, ``pd.NA``, NaN and NaT: a value shown as ``no data``.

    >>> is_missing(None), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if x is None or x is pd.NA:
        return True
    if type(x) is float or type(x) is int:  # the common case, without pandas' dispatch
        return x != x
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # list-likes: not one missing value
        return False


@dataclass(frozen=True)
class _Symbols:
    """One locale's number symbols and affixes, read once from CLDR."""

    decimal: str
    group: str
    table: dict[int, str]  # Python's "," and "." -> the locale's grouping and decimal
    eur: tuple[tuple[str, str], tuple[str, str]]  # (prefix, suffix) positive, negative
    pct: tuple[tuple[str, str], tuple[str, str]]
    plain: tuple[tuple[str, str], tuple[str, str]]
    dates: dict[str, Any]  # style -> Babel DateTimePattern
    locale: Any  # babel.Locale


@cache
def _symbols(locale: str) -> _Symbols:
    # Babel is imported here, on the first formatted value, so `smsp --help` never pays it.
    from babel import Locale
    from babel import dates as bd
    from babel import numbers as bn

    loc = Locale.parse(locale)
    euro = bn.get_currency_symbol("EUR", loc)

    def affixes(pattern: str) -> tuple[tuple[str, str], tuple[str, str]]:
        p = bn.parse_pattern(pattern)
        if p.grouping != (3, 3):  # Python's "," groups by three: other locales need Babel
            raise ValueError(f"{locale}: grouping {p.grouping} is not by three")

        def text(s: str) -> str:
            s = re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", s)
            return s.replace("¤", euro)

        return (text(p.prefix[0]), text(p.suffix[0])), (text(p.prefix[1]), text(p.suffix[1]))

    decimal, group = bn.get_decimal_symbol(loc), bn.get_group_symbol(loc)
    english = locale.startswith("en")
    return _Symbols(
        decimal=decimal,
        group=group,
        table=str.maketrans({",": group, ".": decimal}),
        eur=affixes(loc.currency_formats["standard"].pattern),
        pct=affixes(loc.percent_formats[None].pattern),
        plain=affixes(loc.decimal_formats[None].pattern),
        dates={
            style: bd.parse_pattern(pair[0] if english else pair[1])
            for style, pair in DATE_STYLES.items()
        },
        locale=loc,
    )


def _render(value: float, decimals: int, kind: str) -> str:
    s = _symbols(babel_locale())
    negative = value < 0
    prefix, suffix = getattr(s, kind)[negative]
    return f"{prefix}{format(abs(value), f',.{decimals}f').translate(s.table)}{suffix}"


def fmt_int(x: Any) -> str:
    """Counts with thousands separators: ``12,345`` (``12 345`` in French); missing as
    ``no data``.

    >>> fmt_int(999.6), fmt_int(-1234)
    ('1,000', '-1,234')
    """
    if is_missing(x):
        return no_data()
    return _render(round(float(x)), 0, "plain")


def fmt_number(x: Any, decimals: int = 2) -> str:
    """A plain decimal number: ``1,234.57`` (``1 234,57`` in French).

    >>> fmt_number(1234.567), fmt_number(1.5, decimals=1)
    ('1,234.57', '1.5')
    """
    if is_missing(x):
        return no_data()
    return _render(float(x), decimals, "plain")


def fmt_eur(x: Any, decimals: int = 2) -> str:
    """Euros: ``€1,234.56``, ``-€1.00`` (French ``1 234,56 €``); missing as ``no data``.

    >>> fmt_eur(-1), fmt_eur(0.045, decimals=3)
    ('-€1.00', '€0.045')
    """
    if is_missing(x):
        return no_data()
    return _render(float(x), decimals, "eur")


def fmt_unit_price(x: Any) -> str:
    """A price per contact, three decimals so 0.045 does not read 0.05.

    >>> fmt_unit_price(0.09)
    '€0.090'
    """
    return fmt_eur(x, 3)


def fmt_pct(x: Any, decimals: int = 1) -> str:
    """A ratio as a percentage: ``0.1234`` -> ``12.3%`` (French ``12,3 %``); missing as
    ``no data``.

    >>> fmt_pct(0.5, decimals=0)
    '50%'
    """
    if is_missing(x):
        return no_data()
    return _render(float(x) * 100, decimals, "pct")


def value_kind(column: str) -> str:
    """How a column's values are formatted: ``"eur"``, ``"pct"`` or ``"int"``.

    By name: euros live in ``*_eur`` columns, ratios in ``penetration``, ``share``,
    ``*_share`` and ``*_ratio``, so the unit follows the column without another argument.

    >>> value_kind("cost_eur"), value_kind("penetration"), value_kind("volume")
    ('eur', 'pct', 'int')
    """
    if column.endswith("_eur"):
        return "eur"
    if column in ("penetration", "share") or column.endswith(("_share", "_ratio")):
        return "pct"
    return "int"


def is_unit_price(column: str) -> bool:
    """Whether a column holds unit prices (three decimals): one of
    :data:`UNIT_PRICE_COLUMNS`, or any ``unit_*_eur`` column.

    >>> is_unit_price("price_per_sms_eur"), is_unit_price("unit_x_eur"), is_unit_price("cost_eur")
    (True, True, False)
    """
    return column in UNIT_PRICE_COLUMNS or (column.startswith("unit_") and column.endswith("_eur"))


def fmt_value(x: Any, column: str) -> str:
    """Format ``x`` as the values of ``column`` are formatted (see :func:`value_kind`).

    Text (an age band, a name) is shown as it is.

    >>> fmt_value(0.045, "unit_cost_eur"), fmt_value(1234, "volume"), fmt_value("18-24", "age")
    ('€0.045', '1,234', '18-24')
    >>> fmt_value(0.038, "price_per_sms_eur"), fmt_value(12, "cost_eur")
    ('€0.038', '€12.00')
    """
    if is_missing(x):
        return no_data()
    if isinstance(x, str) or isinstance(x, bool) or not isinstance(x, numbers.Real):
        return str(x)
    kind = value_kind(column)
    if kind == "eur":
        return fmt_unit_price(x) if is_unit_price(column) else fmt_eur(x)
    if kind == "pct":
        # Sub-percent penetrations would all read "0.1%" with one decimal.
        return fmt_pct(x, 1 if abs(float(x)) >= 0.01 else 3)
    return fmt_int(x)


def _as_date(d: Any) -> dt.date | dt.datetime:
    if isinstance(d, (dt.date, dt.datetime)):  # pd.Timestamp is a datetime
        return d
    if isinstance(d, str):
        return pd.Timestamp(d).to_pydatetime()
    if hasattr(d, "to_pydatetime"):
        return d.to_pydatetime()
    raise TypeError(f"date: expected a date, a datetime or an ISO string, got {d!r}")


def fmt_date(d: Any, style: str = "long") -> str:
    """A date in words of the language in force (a datetime shows its own calendar day).

    ``style`` is one of :data:`DATE_STYLES`: ``"long"`` (``Sun 01 Nov 2026`` /
    ``dim. 1 nov. 2026``), ``"weekday_iso"`` (``Sun 2026-11-01``), ``"day"``
    (``01 Nov 2026``), ``"short"`` (``Sun 01 Nov``), ``"iso"`` (``2026-11-01`` /
    ``01/11/2026``), ``"month"`` (``Nov 2026`` / ``nov. 2026``), ``"month_long"``.

    >>> fmt_date("2026-11-01", "day"), fmt_date(None)
    ('01 Nov 2026', 'no data')
    """
    if style not in DATE_STYLES:
        raise ValueError(f"style: {style!r} is not a date style; allowed: {', '.join(DATE_STYLES)}")
    if is_missing(d):
        return no_data()
    s = _symbols(babel_locale())
    return str(s.dates[style].apply(_as_date(d), s.locale))


def fmt_time(t: Any) -> str:
    """A time of day, ``14:05`` in both languages (a datetime shows its own clock).

    >>> fmt_time(dt.time(8, 0))
    '08:00'
    """
    if is_missing(t):
        return no_data()
    if isinstance(t, str):
        t = pd.Timestamp(t)
    return f"{t.hour:02d}:{t.minute:02d}"


def fmt_datetime(d: Any, style: str = "weekday_iso") -> str:
    """A date (in ``style``, see :func:`fmt_date`) and its time of day, in its own time zone.

    >>> fmt_datetime(dt.datetime(2026, 11, 1, 14, 5)), fmt_datetime("2026-11-01 14:05", "iso")
    ('Sun 2026-11-01 14:05', '2026-11-01 14:05')
    """
    if is_missing(d):
        return no_data()
    when = _as_date(d)
    return f"{fmt_date(when, style)} {fmt_time(when)}"


def month_names(width: str = "abbreviated") -> list[str]:
    """The twelve month names of the language in force (``"abbreviated"`` or ``"wide"``).

    >>> month_names()[:3]
    ['Jan', 'Feb', 'Mar']
    """
    loc = _symbols(babel_locale()).locale
    names = loc.months["stand-alone"][width]
    return [str(names[m]) for m in range(1, 13)]


def plotly_separators() -> str:
    """The figure's ``layout.separators`` for the language: decimal mark, then grouping.

    English ``".,"``; French ``",\\u202f"`` (CLDR's narrow no-break space groups thousands).
    """
    s = _symbols(babel_locale())
    return s.decimal + s.group


def eur_affixes() -> tuple[str, str]:
    """What goes before and after a positive euro amount: ``("€", "")`` in English,
    ``("", "\\xa0€")`` in French (axis ``tickprefix`` / ``ticksuffix``)."""
    return _symbols(babel_locale()).eur[0]


def parse_number(text: Any, *, field: str = "amount") -> float:
    """A number a person typed, in either language's writing: ``9,00``, ``9 000``,
    ``9.00``, ``€1,234.50``, ``1 234,50 €``.

    A comma followed by exactly three digits and no other mark is read as a thousands
    separator in English (``1,234``) and as a decimal comma in French (``1,234`` is 1.234).

    >>> parse_number("9,00"), parse_number("1 234,5 €"), parse_number("€1,234.50")
    (9.0, 1234.5, 1234.5)
    """
    raw = str(text)
    s = re.sub(r"[\s\u00a0\u202f€%]", "", raw).replace("\u2212", "-")
    if not re.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", s):
        raise ValueError(f"{field}: {raw!r} is not a number (write it like 9.00 or 9,00)")
    if "," in s and "." in s:  # the last mark is the decimal one
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
    elif s.count(".") > 1:  # "1.234.567": dots group
        decimal = ","
    elif s.count(",") == 1 and not re.search(r",\d{3}$", s):
        decimal = ","
    elif s.count(",") == 1:  # "1,234": grouping in English, a decimal comma in French
        decimal = "," if _symbols(babel_locale()).decimal == "," else "."
    else:
        decimal = "."
    group = "," if decimal == "." else "."
    s = s.replace(group, "").replace(decimal, ".")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"{field}: {raw!r} is not a number (write it like 9.00 or 9,00)") from None
