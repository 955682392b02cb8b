"""What the account's own data does to a campaign estimate: the cleaning funnel of a
:func:`~smsp_analytics.campaign.reachable` result (rented -> after the STOP list -> valid
mobiles) and the price of one SMS from the account's sending history.

The command line, the panel and the report all show these through the functions here, so
they agree: :func:`cleaning_funnel` (the steps as a small frame), :func:`account_price` (the
account's average cost per SMS over the last twelve months, what
``campaign_cost(price_per_sms="account")`` uses) and :func:`price_basis_text` (one sentence
for ``attrs["price_basis"]``).

>>> from smsp_analytics.campaign.reachability import reachable
>>> kept = reachable(["0612345678", "0612345678", "0698765432"],
...                  exclude={"customers": ["0698765432"]})
>>> cleaning_funnel(kept)[["step", "contacts", "removed"]].to_dict("list")
{'step': ['rented', 'distinct_readable', 'after_own_lists'], 'contacts': [3, 2, 1], 'removed': [0, 1, 1]}
>>> price_basis_text({"kind": "given", "price_per_sms": 0.038})
'€0.038 per SMS: your price'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from smsp_analytics.campaign.reachability import ACCOUNT_STOP_LIST, NOT_VALID_MOBILE
from smsp_analytics.display import fmt_date, fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import N_, _

if TYPE_CHECKING:
    from smsp_analytics.client.facade import Client

__all__ = ["FUNNEL_STEPS", "cleaning_funnel", "account_price", "price_basis_text"]

#: The steps of the funnel (key -> label, translated when shown), in order.
FUNNEL_STEPS: dict[str, str] = {
    "rented": N_("rented numbers"),
    "distinct_readable": N_("distinct readable numbers"),
    "after_stop_list": N_("after the account's STOP list"),
    "after_own_lists": N_("after your exclusion lists"),
    "valid_mobiles": N_("valid mobiles (number check)"),
}
_ALLOWED_PRICE = N_("a price per SMS in EUR > 0, such as 0.038")


def cleaning_funnel(result: pd.DataFrame) -> pd.DataFrame:
    """The steps a :func:`reachable` result went through: ``step`` (a key of
    :data:`FUNNEL_STEPS`), ``label`` (in the language in force), ``contacts`` (numbers left
    after the step) and ``removed`` (by this step). Only the steps that apply: the STOP
    list with ``client=``, your lists with ``exclude=``, the valid mobiles with
    ``check=True``; duplicates and unreadable numbers only when there were some. The last
    row's ``contacts`` is ``attrs["reachable"]``."""
    attrs = getattr(result, "attrs", None)
    if not isinstance(attrs, dict) or "rented" not in attrs or "excluded" not in attrs:
        raise ValueError(
            _("result: expected the frame reachable() returns (attrs 'rented', 'excluded')")
        )
    excluded: dict[str, int] = dict(attrs["excluded"])
    rows: list[tuple[str, int]] = [("rented", 0)]
    dropped = int(attrs.get("duplicates", 0)) + int(attrs.get("unparseable_rented", 0))
    if dropped:
        rows.append(("distinct_readable", dropped))
    if ACCOUNT_STOP_LIST in excluded:
        rows.append(("after_stop_list", int(excluded.pop(ACCOUNT_STOP_LIST))))
    mobiles = excluded.pop(NOT_VALID_MOBILE, None)
    if excluded:
        rows.append(("after_own_lists", int(sum(excluded.values()))))
    if mobiles is not None:
        rows.append(("valid_mobiles", int(mobiles)))
    left = int(attrs["rented"])
    contacts, removed = [], []
    for _step, gone in rows:
        left -= gone
        contacts.append(left)
        removed.append(gone)
    return pd.DataFrame(
        {
            "step": [s for s, _n in rows],
            "label": [_(FUNNEL_STEPS[s]) for s, _n in rows],
            "contacts": contacts,
            "removed": removed,
        }
    )


def account_price(client: Client) -> dict[str, Any]:
    """The account's average cost per SMS over the last twelve months (total cost / total
    SMS of ``client.sending_costs("last_twelve_months")``), as the ``price_basis`` of
    :func:`~smsp_analytics.campaign.campaign_cost`: ``kind`` "account", ``price_per_sms``,
    ``months`` (months with SMS), ``sms_sent``, ``cost_eur``, ``start``, ``end`` (ISO
    dates of the first and last month). No SMS sent in that time: :class:`TargetingError`
    (a ValueError) naming ``price_per_sms`` and saying to pass a price."""
    costs = client.sending_costs("last_twelve_months")
    sent = costs[costs["sms_sent"].fillna(0) > 0]
    total_sms = int(sent["sms_sent"].sum())
    total_cost = float(sent["cost_eur"].sum())
    if total_sms == 0 or total_cost <= 0:
        raise TargetingError(
            "price_per_sms",
            "account",
            _(_ALLOWED_PRICE),
            code=None,
            message=_(
                "price_per_sms: 'account' needs the account's sending history, and it sent "
                "no SMS in the last twelve months; pass your price per SMS in EUR instead "
                "(e.g. price_per_sms=0.038)"
            ),
        )
    return {
        "kind": "account",
        "price_per_sms": total_cost / total_sms,
        "months": len(sent),
        "sms_sent": total_sms,
        "cost_eur": round(total_cost, 2),
        "start": sent["month"].min().date().isoformat(),
        "end": sent["month"].max().date().isoformat(),
    }


def price_basis_text(basis: dict[str, Any]) -> str:
    """One sentence, in the language in force, for a ``price_basis`` (``attrs
    ["price_basis"]`` of :func:`~smsp_analytics.campaign.campaign_cost`).

    >>> price_basis_text({"kind": "account", "price_per_sms": 0.0412, "months": 12,
    ...                   "sms_sent": 23456, "cost_eur": 966.39, "start": "2025-11-01",
    ...                   "end": "2026-10-01"})
    "€0.041 per SMS: the account's average from Nov 2025 to Oct 2026 (23,456 SMS for €966.39)"
    """
    price = fmt_unit_price(float(basis["price_per_sms"]))
    kind = basis.get("kind")
    if kind == "account":
        return _(
            "{price} per SMS: the account's average from {start} to {end} ({sms} SMS for {cost})"
        ).format(
            price=price,
            start=fmt_date(basis["start"], "month"),
            end=fmt_date(basis["end"], "month"),
            sms=fmt_int(int(basis["sms_sent"])),
            cost=fmt_eur(float(basis["cost_eur"])),
        )
    if kind == "sandbox_default":
        return _("{price} per SMS: the sandbox's default price").format(price=price)
    return _("{price} per SMS: your price").format(price=price)
