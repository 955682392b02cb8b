"""The headers of the report's own columns, in the language in force.

The display layer titles the toolkit's shared columns (:func:`smsp_analytics.display.column_title`:
``volume``, ``cost_eur``, ...); the columns only the report's tables have (the send-window
table's, the changes', the about table's) are titled here. Their English is what
``column_title`` would make of the name, so English headers read as they always did; French
reads French.

>>> from smsp_analytics.i18n import use_lang
>>> with use_lang("en"):
...     header("paris_window"), header("volume")
('Paris window', 'Volume (contacts)')
>>> with use_lang("fr"):
...     header("paris_window")
'Fenêtre (heure de Paris)'
"""

from __future__ import annotations

from smsp_analytics.display import column_title
from smsp_analytics.i18n import N_, _

__all__ = ["REPORT_TITLES", "header"]

#: Column -> its header (English, marked for translation).
REPORT_TITLES: dict[str, str] = {
    "scenarios": N_("Scenarios"),
    "localities": N_("Localities"),
    "open": N_("Open"),
    "paris_window": N_("Paris window"),
    "local_window": N_("Local window"),
    "time_zone": N_("Time zone"),
    "reason": N_("Reason"),
    "vendor_window": N_("Vendor window"),
    "vendor_outside_local": N_("Vendor outside local"),
    "field": N_("Field"),
    "value": N_("Value"),
    "status": N_("Status"),
    "locality_name": N_("Locality name"),
    "volume_before": N_("Volume before"),
    "volume_after": N_("Volume after"),
    "volume_change": N_("Volume change"),
    "unit_cost_before_eur": N_("Unit cost before (€)"),
    "unit_cost_after_eur": N_("Unit cost after (€)"),
    "quoted_before": N_("Quoted before"),
    "quoted_after": N_("Quoted after"),
    "planned_cost_eur": N_("Planned cost (€)"),
    "step": N_("Step"),
    "contacts": N_("Contacts"),
    "removed": N_("Removed"),
}


def header(column: str) -> str:
    """The header of ``column`` in the HTML tables and the workbook."""
    if column in REPORT_TITLES:
        return _(REPORT_TITLES[column])
    return column_title(column)
