"""The rent box: a quote, a typed confirmation showing the cost, then ``client.rent``.

Renting charges the account, so three locks stand between a click and a rental:

1. against the real API the button stays disabled unless the panel got ``allow_rent=True``;
2. the first click only asks ``client.quote`` (fresh price and balance) and shows it;
3. the rental happens only when the analyst types the exact quoted cost (``12.34``, or
   ``12,34`` as French writes it) and confirms; the call then passes ``confirm=True`` and ``max_cost_eur=<the quote>`` so the
   client refuses if the price moved.

>>> split_volume(10, {"60": 300, "02": 100})
{'60': 8, '02': 2}
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import pandas as pd

from smsp_analytics.display import fmt_eur, fmt_int
from smsp_analytics.i18n import _, check_lang, get_lang, use_lang
from smsp_analytics.panel._facts import frame_facts
from smsp_analytics.panel._view import error_html
from smsp_analytics.targeting import Targeting

__all__ = ["RentBox", "split_volume", "confirmation_matches"]

log = logging.getLogger(__name__)


def split_volume(total: int, available: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` contacts between localities in proportion to what each has.

    Largest-remainder rounding: the parts add up to ``total`` and none exceeds its
    locality's volume (``total`` must not exceed the sum).

    >>> split_volume(3, {"a": 1, "b": 1, "c": 1})
    {'a': 1, 'b': 1, 'c': 1}
    """
    pool = sum(available.values())
    if total > pool:
        raise ValueError(f"{total} contacts asked, {pool} available")
    if pool == 0:
        return {k: 0 for k in available}
    exact = {k: total * v / pool for k, v in available.items()}
    parts = {k: math.floor(x) for k, x in exact.items()}
    left = total - sum(parts.values())
    for k in sorted(exact, key=lambda k: exact[k] - parts[k], reverse=True)[:left]:
        parts[k] += 1
    return parts


def typed_cost(cost_eur: float) -> str:
    """The cost the analyst types to confirm, as the language writes it (``12.34`` /
    ``12,34``): two decimals, no thousands separator, no currency sign."""
    text = f"{cost_eur:.2f}"
    return text.replace(".", ",") if get_lang() == "fr" else text


def confirmation_matches(typed: str, cost_eur: float) -> bool:
    """Whether the typed text is the quoted cost, to the cent, written with a decimal point
    or a decimal comma (``12.34`` / ``12,34``; a euro sign before or after is accepted).

    >>> confirmation_matches(" €4.50", 4.5), confirmation_matches("4,50 €", 4.5)
    (True, True)
    >>> confirmation_matches("4.5", 4.5), confirmation_matches("4.50", 4.51)
    (False, False)
    """
    spaces = " \u00a0\u202f"
    text = (typed or "").strip(spaces).removeprefix("€").removesuffix("€").strip(spaces)
    return text.replace(",", ".") == f"{cost_eur:.2f}"


def _available(frame: pd.DataFrame) -> dict[str, int]:
    """Volume per targeted locality (or ``{"total": n}`` for a nationwide targeting)."""
    return frame_facts(frame).localities


class RentBox:
    """Widgets of the rent flow (:attr:`widgets`) and its state.

    ``enabled``: False against the real API without ``allow_rent`` (the button is then
    disabled with a tooltip saying why). ``on_rented(result)`` runs after a rental (the
    panel refreshes the balance). ``lang``: the language of its words (default: the one in
    force when it is built).
    """

    def __init__(
        self,
        client: Any,
        *,
        enabled: bool,
        reason: str = "",
        on_rented: Callable[[Any], None] | None = None,
        lang: str | None = None,
    ) -> None:
        self.lang = check_lang(lang) if lang is not None else get_lang()
        with use_lang(self.lang):
            self._build(client, enabled=enabled, reason=reason, on_rented=on_rented)

    def _build(
        self, client: Any, *, enabled: bool, reason: str, on_rented: Callable[[Any], None] | None
    ) -> None:
        self.client = client
        self.enabled = enabled
        self.on_rented = on_rented
        self.targeting: Targeting | None = None
        self.frame: pd.DataFrame | None = None
        self.quote: dict[str, Any] | None = None
        self.result: Any = None
        self.widgets: dict[str, w.Widget] = {
            "volume": w.BoundedIntText(
                value=0, min=0, max=0, description=_("Contacts"), layout=w.Layout(width="220px")
            ),
            "rent": w.Button(
                description=_("Rent…"),
                button_style="warning",
                disabled=True,
                tooltip=reason or _("Get a quote, then confirm by typing the cost"),
            ),
            "prompt": w.HTML(""),
            "confirm_text": w.Text(
                value="",
                placeholder=_("type the cost, e.g. {example}").format(example=typed_cost(12.34)),
                description=_("Confirm"),
                layout=w.Layout(display="none"),
            ),
            "confirm": w.Button(
                description=_("Confirm rental"),
                button_style="danger",
                layout=w.Layout(display="none"),
            ),
            "cancel": w.Button(description=_("Cancel"), layout=w.Layout(display="none")),
            "output": w.HTML(""),
        }
        self.reason = reason
        self.title = w.HTML(f"<b>{html.escape(_('Rent'))}</b>")
        self.widgets["rent"].on_click(lambda _button: self.ask_quote())
        self.widgets["confirm"].on_click(lambda _button: self.confirm())
        # A quote is for one volume: typing another one voids it.
        self.widgets["volume"].observe(lambda _change: self.reset_quote(), names="value")
        self.widgets["cancel"].on_click(lambda _button: self.reset_quote())
        if not enabled:
            self.widgets["prompt"].value = f"<i>{html.escape(reason)}</i>"

    def box(self) -> w.Widget:
        ws = self.widgets
        return w.VBox(
            [
                self.title,
                w.HBox([ws["volume"], ws["rent"]]),
                ws["prompt"],
                w.HBox([ws["confirm_text"], ws["confirm"], ws["cancel"]]),
                ws["output"],
            ]
        )

    def set_target(self, targeting: Targeting | None, frame: pd.DataFrame | None) -> None:
        """The targeting now shown (None while the controls are invalid); voids any quote."""
        self.reset_quote()
        self.targeting, self.frame = targeting, frame
        total = 0
        if frame is not None and targeting is not None:
            total = sum(_available(frame).values())
        vol = self.widgets["volume"]
        with vol.hold_trait_notifications():
            vol.max = total
            vol.value = min(vol.value or 100, total) if total else 0
        self.widgets["rent"].disabled = not (self.enabled and targeting is not None and total > 0)

    def _show_confirmation(self, visible: bool) -> None:
        for name in ("confirm_text", "confirm", "cancel"):
            self.widgets[name].layout.display = None if visible else "none"

    def reset_quote(self) -> None:
        """Forget the quote (the targeting or the volume changed, or the user cancelled)."""
        self.quote = None
        self.widgets["confirm_text"].value = ""
        self._show_confirmation(False)
        if self.enabled:
            self.widgets["prompt"].value = ""

    def volumes(self) -> dict[str, int]:
        """Desired volume per locality for the volume typed in the box."""
        assert self.frame is not None
        return split_volume(int(self.widgets["volume"].value), _available(self.frame))

    def ask_quote(self) -> dict[str, Any] | None:
        """Price the typed volume and show the confirmation prompt with the cost."""
        with use_lang(self.lang):
            return self._ask_quote()

    def _ask_quote(self) -> dict[str, Any] | None:
        if not self.enabled or self.targeting is None:
            return None
        self.reset_quote()
        self.widgets["output"].value = ""
        volumes = self.volumes()
        try:
            # A fresh price and the balance (Client.quote): never a cached price for money.
            q = self.client.quote(self.targeting, volumes)
        except Exception as exc:
            log.warning("quote for the rental failed: %s", exc)
            self.widgets["output"].value = error_html(_("Rent"), exc)
            return None
        cost, quantity = float(q["cost_eur"]), int(q["volume"])
        self.quote = {
            "targeting": self.targeting,
            "volumes": volumes,
            "volume": quantity,
            "cost_eur": cost,
            "balance_eur": q.get("balance_eur"),
        }
        self.widgets["prompt"].value = _(
            "Renting {count} contacts costs {cost} ({targeting}; balance {balance}). This "
            "charges the account. Type {typed} and press {button}."
        ).format(
            count=f"<b>{fmt_int(quantity)}</b>",
            cost=f"<b>{fmt_eur(cost)}</b>",
            targeting=html.escape(self.targeting.describe()),
            balance=fmt_eur(q.get("balance_eur")),
            typed=f"<code>{typed_cost(cost)}</code>",
            button=f"<i>{html.escape(_('Confirm rental'))}</i>",
        )
        self._show_confirmation(True)
        return self.quote

    def confirm(self) -> Any:
        """Rent if the typed text is the quoted cost; show the token or the error."""
        with use_lang(self.lang):
            return self._confirm()

    def _confirm(self) -> Any:
        quote = self.quote
        out = self.widgets["output"]
        if quote is None:
            out.value = (
                f"<span style='color:#b00020'>{html.escape(_('Ask for a quote first.'))}</span>"
            )
            return None
        if not confirmation_matches(self.widgets["confirm_text"].value, quote["cost_eur"]):
            said = _("Confirmation does not match: type {typed} exactly. Nothing was rented.")
            typed = f"<code>{typed_cost(quote['cost_eur'])}</code>"
            out.value = f"<span style='color:#b00020'>{said.format(typed=typed)}</span>"
            return None
        try:
            result = self.client.rent(
                quote["targeting"], quote["volumes"], confirm=True, max_cost_eur=quote["cost_eur"]
            )
        except Exception as exc:
            log.warning("rent failed: %s", exc)
            out.value = error_html(_("Rent"), exc)
            self.reset_quote()
            return None
        self.result = result
        said = _("Rented {count} contacts for {cost}. Token: {token}").format(
            count=fmt_int(quote["volume"]),
            cost=fmt_eur(quote["cost_eur"]),
            token=f"<code>{html.escape(str(_token(result)))}</code>",
        )
        out.value = f"<span style='color:#1b5e20'>{said}</span>"
        self.reset_quote()
        if self.on_rented is not None:
            self.on_rented(result)
        return result


def _token(result: Any) -> Any:
    """The rental token from whatever ``client.rent`` returns (object, mapping or frame)."""
    for getter in (lambda r: r.token, lambda r: r["token"], lambda r: r.attrs["token"]):
        try:
            return getter(result)
        except (AttributeError, KeyError, TypeError):
            continue
    return result
