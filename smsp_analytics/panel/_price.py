"""The campaign box's price per SMS: the one the analyst types, or the account's own.

The account's price is its average cost per SMS over the last twelve months
(:func:`smsp_analytics.campaign.funnel.account_price`, from the vendor's sending statistics;
asked once when the analyst picks it, the client caches it). Whichever is used, its basis is
said in words under the costs (:func:`~smsp_analytics.campaign.funnel.price_basis_text`). An
account that sent nothing in that time has no price of its own: a notice says so and the
typed price stays in use.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from smsp_analytics.campaign.funnel import account_price, price_basis_text
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import _, use_lang
from smsp_analytics.panel._message_html import parse_price, price_example
from smsp_analytics.panel._view import error_html

__all__ = ["PriceChoice", "TYPED", "ACCOUNT"]

log = logging.getLogger(__name__)

TYPED, ACCOUNT = "typed", "account"


class PriceChoice:
    """The price widgets (``widgets``: ``price_source``, ``price``; ``notice``) and what
    they mean (:meth:`read`). ``default``: the price first shown (the sandbox's documented
    price on synthetic data, None against the real API); ``client``: where the account's
    price comes from (None: not offered); ``on_change()``: called when the price changed
    otherwise than by typing (the box observes the field itself)."""

    def __init__(
        self,
        client: Any,
        default: float | None,
        *,
        lang: str,
        desc: dict[str, str],
        on_change: Callable[[], object],
    ) -> None:
        self.client, self.lang, self.on_change = client, lang, on_change
        self.default = "" if default is None else self._write(default)
        self.basis: dict[str, Any] | None = None  # the account's price, once fetched
        self._typed = self.default  # the typed price, kept while the account's is shown
        self._quiet = False
        self.widgets: dict[str, w.Widget] = {
            "price_source": w.ToggleButtons(
                options=[(_("Your price"), TYPED), (_("Account's price"), ACCOUNT)],
                value=TYPED,
                description=_("Price"),
                disabled=client is None,
                tooltips=[
                    _("The price per SMS typed beside"),
                    _("The account's average cost per SMS over the last twelve months"),
                ],
                style={"button_width": "120px", **desc},
            ),
            "price": w.Text(
                value=self.default,
                placeholder=_("e.g. {example}").format(example=price_example()),
                description=_("€ per SMS"),
                continuous_update=True,
                style=desc,
                layout=w.Layout(width="200px"),
            ),
        }
        self.notice = w.HTML("")
        self.widgets["price_source"].observe(self._on_source, names="value")

    def _write(self, price: float) -> str:
        text = f"{price:.4g}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def _on_source(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        with use_lang(self.lang):
            if change["new"] == ACCOUNT:
                self._use_account()
            else:
                self._use_typed()
        self.on_change()

    def _use_account(self) -> None:
        price = self.widgets["price"]
        self._typed = price.value
        try:
            self.basis = account_price(self.client)
        except TargetingError as exc:
            # No sending history: say so in the panel's words, keep the typed price.
            log.info("no account price: %s", exc)
            self.notice.value = (
                "<div class='smsp-price-notice' data-key='price_notice' style='color:#8a5a00'>"
                + html.escape(
                    _(
                        "This account sent no SMS in the last twelve months, so it has no "
                        "price of its own: the costs use the price per SMS you type."
                    )
                )
                + "</div>"
            )
            self._back_to_typed()
            return
        except Exception as exc:  # the statistics could not be read: say why, keep typing
            log.warning("account price unavailable: %s", exc)
            self.notice.value = error_html(_("Account's price"), exc)
            self._back_to_typed()
            return
        self.notice.value = ""
        with price.hold_trait_notifications():
            price.value = self._write(float(self.basis["price_per_sms"]))
            price.disabled = True

    def _use_typed(self) -> None:
        price = self.widgets["price"]
        price.value, price.disabled = self._typed, False
        self.notice.value = ""

    def _back_to_typed(self) -> None:
        self._quiet = True
        try:
            self.widgets["price_source"].value = TYPED
        finally:
            self._quiet = False
        self.widgets["price"].disabled = False

    @property
    def source(self) -> str:
        """``"typed"`` or ``"account"``."""
        return str(self.widgets["price_source"].value)

    def read(self) -> tuple[float | None, dict[str, Any] | None, str]:
        """The price per SMS in use (None: none typed), its basis (``price_basis`` of
        ``campaign_cost``) and the error to show ("" when the price reads well)."""
        if self.source == ACCOUNT and self.basis is not None:
            return float(self.basis["price_per_sms"]), dict(self.basis), ""
        try:
            price = parse_price(self.widgets["price"].value)
        except ValueError as exc:
            return None, None, str(exc)
        if price is None:
            return None, None, ""
        kind = "sandbox_default" if self.widgets["price"].value == self.default else "given"
        return price, {"kind": kind, "price_per_sms": price}, ""

    @staticmethod
    def basis_text(basis: dict[str, Any] | None) -> str:
        """The basis in words ("" without a price)."""
        return "" if basis is None else price_basis_text(basis)
