"""How values read in every output: numbers, euros, percentages, dates, titles, genders, sources.

The one house for display text, at the bottom of the one-way flow (it imports only the
standard library, pandas, Babel, the language layer, the reference data and the vocabulary),
so charts, the report, the panel and the CLI read the same, in the language in force
(:func:`smsp_analytics.i18n.get_lang`; Babel's CLDR data decides symbols and spaces):

* euros: ``€1,234.56`` / ``1 234,56 €`` (two decimals; unit prices, the columns of
  :data:`UNIT_PRICE_COLUMNS`, three, since they are a few cents: ``€0.045`` / ``0,045 €``);
* counts: ``12,345`` / ``12 345``; shares (ratios): ``12.3%`` / ``12,3 %``; missing values:
  ``no data`` / ``aucune donnée``; dates: ``Sun 01 Nov 2026`` / ``dim. 1 nov. 2026``;
* genders in words: the vendor's ``m`` is *mixed*, spelled "men and women".

French spaces are CLDR's: a narrow no-break space (U+202F) between thousands, a no-break
space (U+00A0) before ``€`` and ``%``.

>>> fmt_eur(1234.5), fmt_int(1234567), fmt_pct(0.1234), fmt_unit_price(0.045)
('€1,234.50', '1,234,567', '12.3%', '€0.045')
>>> gender_words("m"), column_title("cost_eur"), department_label("60")
('men and women', 'Cost (€)', '60 Oise')
>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("fr"):
...     fmt_eur(1234.5), fmt_int(1234567), fmt_pct(0.1234), gender_words("m")
('1\\u202f234,50\\xa0€', '1\\u202f234\\u202f567', '12,3\\xa0%', 'hommes et femmes')
"""

from __future__ import annotations

from smsp_analytics.display.formats import (
    DATE_STYLES,
    NO_DATA,
    UNIT_PRICE_COLUMNS,
    eur_affixes,
    fmt_date,
    fmt_datetime,
    fmt_eur,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_time,
    fmt_unit_price,
    fmt_value,
    is_missing,
    is_unit_price,
    month_names,
    no_data,
    parse_number,
    plotly_separators,
    value_kind,
)
from smsp_analytics.display.texts import (
    Totals,
    column_title,
    department_label,
    describe_targeting,
    frame_totals,
    gender_code,
    gender_words,
    is_synthetic,
    source_line,
    synthetic_text,
)
from smsp_analytics.vocab import GENDER_WORDS, SYNTHETIC_MARK

# SYNTHETIC_MARK (the English, machine-readable mark exports keep) and GENDER_WORDS (English
# msgids: the vendor's ``m`` is the mixed audience, never just "men") come from the
# vocabulary and are re-exported; people read synthetic_text() and gender_words().

__all__ = [
    "NO_DATA",
    "SYNTHETIC_MARK",
    "GENDER_WORDS",
    "UNIT_PRICE_COLUMNS",
    "DATE_STYLES",
    "Totals",
    "no_data",
    "is_missing",
    "fmt_int",
    "fmt_number",
    "fmt_eur",
    "fmt_unit_price",
    "fmt_pct",
    "fmt_value",
    "fmt_date",
    "fmt_datetime",
    "fmt_time",
    "month_names",
    "plotly_separators",
    "eur_affixes",
    "parse_number",
    "value_kind",
    "is_unit_price",
    "column_title",
    "gender_words",
    "gender_code",
    "describe_targeting",
    "department_label",
    "is_synthetic",
    "synthetic_text",
    "source_line",
    "frame_totals",
]
