"""What the panel asks the API for and what it offers the analyst: the targeting sent for the
controls (all of France when none is picked), the rows the charts draw, and the interests
offered (with a note when only the documented few are available).

Split from :mod:`smsp_analytics.panel._panel`, which re-exports :func:`request_targeting`.
"""

from __future__ import annotations

import dataclasses
import html
import logging
from typing import Any

import pandas as pd

from smsp_analytics import refdata
from smsp_analytics.errors import SmsPartnerError
from smsp_analytics.frames import documented_categories
from smsp_analytics.i18n import _
from smsp_analytics.targeting import Targeting

__all__ = ["nationwide_hint", "breakdown", "request_targeting", "offered_categories"]

log = logging.getLogger(__name__)


def nationwide_hint() -> str:
    """Shown under the headline when no department or zip code is picked.

    >>> "All 101 departments" in nationwide_hint()
    True
    """
    text = _(
        "All {count} departments (France). Pick departments (by region or search) or type "
        "zip codes to narrow the targeting."
    ).format(count=len(refdata.department_codes()))
    return f"<i style='color:#666'>{text}</i>"


def breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows the charts draw: departments and zip codes (not a nationwide row)."""
    return frame[frame["department"].notna().to_numpy(dtype=bool)]


def request_targeting(targeting: Targeting) -> Targeting:
    """The targeting the panel sends for what the controls describe.

    Why all 101 departments when none is picked: a nationwide calcul answers one "France"
    row, so bars and map would be empty; by department the analyst sees the whole country,
    and the headline (the API's total for those localities, the sum of the rows) matches
    the bars, the map and what the rent button would rent. (Zip codes inside a selected
    department are refused by ``Targeting`` itself, naming both, before this is reached.)

    >>> len(request_targeting(Targeting(interest=14)).departments)
    101
    """
    if not targeting.departments and not targeting.zipcodes:
        return dataclasses.replace(targeting, departments=tuple(refdata.department_codes()))
    return targeting


def offered_categories(client: Any, given: pd.DataFrame | None) -> tuple[pd.DataFrame, str]:
    """The interests to offer, and a note to show when they are only the documented few."""
    if given is not None:
        client.use_categories(given)  # validate interest ids against the list shown
        return given, ""
    try:
        return client.categories(), ""
    except SmsPartnerError as exc:
        if getattr(client, "synthetic", False):
            raise  # the sandbox always answers: a failure here is a real fault
        log.warning("categories unavailable from the API (%s); offering the documented ids", exc)
        client.use_categories(None)
        note = _(
            "The API gave no list of interests (code {code}: {message}); only the documented "
            "ids 12, 14 (Habitation) and 35 (Cuisine) are offered. Load the full list with "
            "{call}."
        ).format(
            code=exc.code,
            message=html.escape(str(exc.message)),
            call="<code>panel(categories=load_categories_csv('categories.csv'))</code>",
        )
        return documented_categories(), f"<div class='smsp-note'>{note}</div>"
