"""How money and the rent journal's advice read in the messages of :mod:`smsp_analytics.money`.

An amount reads ``9.00 EUR`` in English, as the rent messages, the journal's notes and the
scripts that read them always had it, and as :func:`smsp_analytics.display.fmt_eur` formats it
in any other language (``9,00 €`` in French). The words of a rent whose answer the journal
could not take are here too (:func:`unrecorded_text`): they are long, and renting is not.

>>> eur(9), eur(0.5, "g"), money(1.5, "EUR")
('9.00 EUR', '0.5 EUR', '1.50 EUR')
"""

from __future__ import annotations

from typing import Any

from smsp_analytics.display import fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.i18n import DEFAULT_LANG, _, get_lang

__all__ = ["eur", "money", "unit_eur", "quote_text", "unrecorded_text"]


def money(amount: float, currency: str, spec: str = ".2f") -> str:
    """``amount`` of ``currency`` as a message says it: ``9.00 EUR`` in English (``spec``
    formats the number), :func:`~smsp_analytics.display.fmt_eur` in the other languages."""
    if get_lang() == DEFAULT_LANG or currency != "EUR":
        return f"{amount:{spec}} {currency}"
    return fmt_eur(amount)


def eur(amount: float, spec: str = ".2f") -> str:
    """``amount`` euros as a message says it (see :func:`money`)."""
    return money(amount, "EUR", spec)


def unit_eur(amount: float) -> str:
    """A price per contact as a message says it: the bare number in English (``0.09``),
    :func:`~smsp_analytics.display.fmt_unit_price` in the other languages."""
    if get_lang() == DEFAULT_LANG:
        return f"{amount:g}"
    return fmt_unit_price(amount)


def quote_text(quote: dict[str, Any]) -> str:
    """What a rent quote says: contacts, targeting, cost and balance."""
    currency = str(quote["currency"])
    return _("{volume} contacts ({targeting}) for {cost}; balance {balance}").format(
        volume=fmt_int(quote["volume"]),
        targeting=quote["targeting"],
        cost=money(quote["cost_eur"], currency),
        balance=money(quote["balance_eur"], currency),
    )


def unrecorded_text(
    *,
    entry: int,
    outcome: str,
    error: Any,
    kept: Any,
    note: str,
    token: str | None,
    cost: float | None,
) -> str:
    """The message of a rent whose outcome the journal could not take (``outcome``: done,
    failed or unknown), saying where the answer is kept and how to record it later."""
    where = (
        _("the answer is kept in {path}").format(path=kept)
        if kept
        else _("no file could keep it either: note this message")
    )
    if outcome == "done":
        head = (
            _("rent done (token {token}, {cost}, journal entry {entry}) but not recorded")
            if cost is not None
            else _("rent done (token {token}, journal entry {entry}) but not recorded")
        ).format(token=token, cost=None if cost is None else eur(cost), entry=entry)
        how = _(
            "record it with `smsp reconcile {entry} --token {token}` "
            "(client.reconcile({entry}, token='{token}'))"
        ).format(entry=entry, token=token)
    else:
        if outcome == "failed":
            head = _(
                "rent refused by the API, nothing charged ({note}), and journal entry {entry} "
                "not updated (it stays pending: it blocks)"
            )
        elif token:
            head = _(
                "rent outcome unknown ({note}; token {token}), and journal entry {entry} not "
                "updated (it stays pending: it blocks)"
            )
        else:
            head = _(
                "rent outcome unknown ({note}), and journal entry {entry} not updated (it "
                "stays pending: it blocks)"
            )
        head = head.format(note=note, token=token, entry=entry)
        how = (
            _(
                "settle it with `smsp reconcile {entry}` (client.reconcile({entry})) or "
                "`smsp reconcile {entry} --token {token}`"
            )
            if token
            else _("settle it with `smsp reconcile {entry}` (client.reconcile({entry}))")
        ).format(entry=entry, token=token)
    return _("{head}: {error}; {where}; once the journal can be written, {how}").format(
        head=head, error=error, where=where, how=how
    )
