"""The status answer of the sandbox (``GET /v1/location/status``): the vendor's status texts,
the ``location`` object stored with a rental (the vendor's keys, in its order) and the answer
built from a stored rental.

Split from :mod:`smsp_analytics.sandbox.app` (which re-exports ``STATUS_TEXT``): the app
routes and validates, this module shapes what the status endpoint says.
"""

from __future__ import annotations

from typing import Any

from smsp_analytics.sandbox import pricing, rules
from smsp_analytics.sandbox.store import Rental

__all__ = ["STATUS_TEXT", "STATUS_LOCATION_KEYS", "status_location", "status_answer"]

#: The ``status`` text answered for each status code.
STATUS_TEXT = {
    0: "Request received",
    1: "File being generated",
    2: "File ready to download",
    3: "Rental failed",
    5: "File downloaded by user from api",
}
_SEXE_WORD = {"m": "mixte", "h": "homme", "f": "femme"}


#: The status answer's ``location`` keys, in the order of the vendor's example (README
#: "Rentals"). Nothing is added among them: the XML format is positional.
STATUS_LOCATION_KEYS = (
    "sexe",
    "minAge",
    "maxAge",
    "zipcode",
    "interest",
    "category",
    "details_localisation",
    "cost",
)


def status_location(
    t: rules.Targeting,
    available: list[int],
    desired: list[int],
    total: int,
    quantity: int,
    cost: Any,
    unit: Any,
) -> dict:
    """The ``location`` object of the status answer: the vendor's keys, in its order.

    The targeted departments appear as ``dep`` rows of ``details_localisation``; the
    sub-interest is not echoed (the vendor's example has neither key)."""
    details = [
        {"Type": typ.lower(), "Location": code, "VolumeDesired": str(want), "Volume": str(have)}
        for (typ, code), want, have in zip(t.localities(), desired, available)
    ]
    details.append(
        {"Type": "total", "Location": "total", "VolumeDesired": str(quantity), "Volume": str(total)}
    )
    return {
        "sexe": _SEXE_WORD[t.sexe],
        "minAge": t.min_age,
        "maxAge": t.max_age,
        "zipcode": ",".join(t.zipcodes) or None,
        "interest": None if t.interest is None else str(t.interest),
        "category": t.category,
        "details_localisation": details,
        "cost": {
            "quantity": quantity,
            "total": pricing.money3(cost),
            "cost_unity": pricing.money3(unit),
        },
    }


def status_answer(rental: Rental, code: int) -> dict:
    """The status answer: the vendor's keys in its order, then ``statusCode`` (a sandbox
    addition, after every documented key so no XML position moves). A rental stored by
    an older sandbox (with ``department`` / ``subInterest`` in its location) is answered
    with the vendor's keys only."""
    location = {key: rental.details.get(key) for key in STATUS_LOCATION_KEYS}
    return {
        "success": True,
        "token": rental.token,
        "status": STATUS_TEXT[code],
        "location": location,
        "file": {"phoneNumbers": str(rental.quantity)},
        "statusCode": code,
    }
