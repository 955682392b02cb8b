"""The panel's message box: a live count of characters and SMS parts, and the campaign cost.

Typing recomputes from the last audience shown (the panel hands each new frame to
:meth:`MessageBox.set_frame`): no API call. The vendor's rules are
:func:`smsp_analytics.campaign.messages.message_parts` (160/153 GSM-7, 70/67 UCS-2, the STOP
mention counted, at most 10 SMS: code 52; Low Cost one SMS: code 42); the cost is
:func:`smsp_analytics.campaign.messages.campaign_cost` (contacts x parts x price per SMS, plus the
rental).

Below them, the send windows of the audience's departments for a week from the answer's
date (its ``as_of``, the server's clock): the departments where the vendor's own rule
(08:00-20:00 Paris time, national holidays) would send outside 08:00-20:00 local time or
on a local holiday, to schedule by hand (:func:`smsp_analytics.vendor_flags`).

>>> box = MessageBox(price_per_sms=0.04)
>>> box.set_frame(None)
>>> box.widgets["text"].value = "x" * 150          # + " STOP au 36173": two SMS
>>> box.state["parts"], box.state["chars"], box.state["sending_cost_eur"]
(2, 150, None)
"""

from __future__ import annotations

import html
from collections import OrderedDict
from typing import Any

import ipywidgets as w
import pandas as pd

from smsp_analytics.campaign.messages import campaign_cost, message_parts
from smsp_analytics.campaign.sendwindows import send_windows
from smsp_analytics.campaign.sendwindows_vendor import vendor_flags
from smsp_analytics.i18n import _, check_lang, get_lang, use_lang
from smsp_analytics.panel._controls import label_style
from smsp_analytics.panel._facts import frame_facts
from smsp_analytics.panel._message_html import (
    PRICE_PROMPT,
    costs_html,
    counts_html,
    parse_price,
    windows_html,
)
from smsp_analytics.panel._price import PriceChoice
from smsp_analytics.vocab import HOLIDAY_SUBDIVISIONS, PARIS, TIME_ZONES, to_utc

__all__ = ["MessageBox", "parse_price", "PRICE_PROMPT"]

_ERR = "color:#b00020"
# Send windows already worked out, by (first day, departments): an analyst going back and
# forth between a few targetings does not recompute them (holiday calendars are slow).
_WINDOWS_KEPT = 32


class MessageBox:
    """The message widgets and what they compute, in :attr:`state`.

    ``state``: ``chars`` (characters typed), ``length`` (positions billed, STOP mention
    included), ``parts``, ``per_part``, ``encoding``, ``replaced`` (``(character,
    replacement)`` pairs of the vendor's table), ``unsupported`` (characters GSM-7 cannot
    carry, with the toolkit's assumption), ``price_per_sms``, ``contacts``, ``rental_cost_eur``,
    ``sending_cost_eur``, ``total_cost_eur``, ``error`` (the text shown, or ""),
    ``windows_from`` (the first day of the send windows shown, None without an audience)
    and ``vendor_flags`` (department -> why, where the vendor's rule would send outside
    08:00-20:00 local time or on a local holiday: schedule these yourself).
    ``price_source`` (``"typed"`` or ``"account"``), ``price_basis`` (where the price per
    SMS comes from: ``campaign_cost``'s ``attrs["price_basis"]``) and ``price_basis_text``.
    ``price_per_sms``: the price field's first value (None: left empty, e.g. against the
    real API, whose price is the analyst's contract). ``client``: offers the account's own
    price (its average over twelve months; see :mod:`smsp_analytics.panel._price`).
    ``lang``: the language of its words (default: the one in force when it is built).
    """

    def __init__(
        self, price_per_sms: float | None = None, *, lang: str | None = None, client: Any = None
    ) -> None:
        self.lang = check_lang(lang) if lang is not None else get_lang()
        self.client = client
        self.frame: pd.DataFrame | None = None
        self.state: dict[str, Any] = {}
        self._totals: tuple[int | None, float | None] = (None, None)
        self._cost_key: tuple[Any, ...] | None = None
        self._cost_value: dict[str, Any] = {}
        with use_lang(self.lang):
            self._build(price_per_sms)

    def _build(self, price_per_sms: float | None) -> None:
        desc = label_style()
        self.price = PriceChoice(
            self.client, price_per_sms, lang=self.lang, desc=desc, on_change=self.update
        )
        self.widgets: dict[str, w.Widget] = {
            "text": w.Textarea(
                value="",
                placeholder=_(
                    "Type your SMS: its length, SMS parts and sending cost update as you type"
                ),
                description=_("Message"),
                continuous_update=True,
                style=desc,
                layout=w.Layout(width="560px", height="80px"),
            ),
            "unicode": w.Checkbox(
                value=False, description=_("Unicode (UCS-2: 70 per SMS)"), indent=False
            ),
            "range": w.ToggleButtons(
                options=[("Premium", "premium"), ("Low Cost", "lowcost")],
                value="premium",
                description=_("Range"),
                style={"button_width": "80px", **desc},
            ),
            **self.price.widgets,
        }
        self.title = w.HTML(f"<b>{html.escape(_('Campaign message'))}</b>")
        self.counts = w.HTML("")
        self.costs = w.HTML("")
        self.windows = w.HTML("")
        self._windows: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._windows_state: dict[str, Any] = {"windows_from": None, "vendor_flags": {}}
        self.error = w.HTML("")
        for name in ("text", "unicode", "range", "price"):
            self.widgets[name].observe(lambda _change: self.update(), names="value")
        self.update()

    def box(self) -> w.Widget:
        """The widgets laid out: the text, its options, the counts, the costs, the error."""
        ws = self.widgets
        out = w.VBox(
            [
                self.title,
                ws["text"],
                w.HBox([ws["unicode"], ws["range"]]),
                w.HBox([ws["price_source"], ws["price"]]),
                self.price.notice,
                self.counts,
                self.costs,
                self.windows,
                self.error,
            ]
        )
        out.add_class("smsp-message")
        return out

    def set_frame(self, frame: pd.DataFrame | None) -> None:
        """The audience now shown (the panel's last calcul frame): costs follow it."""
        self.frame = frame
        self._totals = (None, None)
        self._cost_key = None  # a new frame, maybe at the same address as the last one
        if frame is not None:
            facts = frame_facts(frame)
            self._totals = (facts.contacts, facts.rental_cost_eur)
        with use_lang(self.lang):
            self._update_windows(frame)
            self.update()

    def _update_windows(self, frame: pd.DataFrame | None) -> None:
        """The send-window flags of the frame's departments, a week from its date."""
        start = _frame_date(frame)
        deps = [] if frame is None else list(frame_facts(frame).department_codes)
        # Elsewhere Paris's clock and the national holidays are the recipient's: the vendor's
        # rule is the local one there and can flag nothing (this keeps all France quick).
        deps = [d for d in deps if d in TIME_ZONES or d in HOLIDAY_SUBDIVISIONS]
        key = (start, tuple(deps), self.lang)
        found = self._windows.get(key)
        if found is None:
            flags: dict[str, str] = {}
            if start is not None and deps:
                f = vendor_flags(send_windows(deps, start, days=7))
                flags = {
                    str(d): str(t)
                    for d, t, on in zip(f["department"], f["detail"], f["flagged"])
                    if on
                }
            found = {"windows_from": start, "vendor_flags": flags}
            found["html"] = windows_html(start, flags)
            self._windows[key] = found
            while len(self._windows) > _WINDOWS_KEPT:
                self._windows.popitem(last=False)
        self._windows.move_to_end(key)
        self._windows_state = {k: found[k] for k in ("windows_from", "vendor_flags")}
        self.windows.value = found["html"]

    def update(self) -> dict[str, Any]:
        """Recompute counts and costs from the widgets and the last frame (no API call)."""
        with use_lang(self.lang):
            return self._update()

    def _update(self) -> dict[str, Any]:
        ws = self.widgets
        text = ws["text"].value or ""
        st: dict[str, Any] = dict.fromkeys(
            (
                "length",
                "parts",
                "per_part",
                "encoding",
                "price_per_sms",
                "contacts",
                "rental_cost_eur",
                "sending_cost_eur",
                "total_cost_eur",
            )
        )
        st.update(chars=len(text), replaced=(), unsupported=(), error="", **self._windows_state)
        errors: list[str] = []
        m = None
        if text.strip():
            try:
                m = message_parts(text, unicode=bool(ws["unicode"].value), range=ws["range"].value)
            except ValueError as exc:
                errors.append(_("Message: {error}").format(error=exc))
            else:
                st.update(
                    length=m.length,
                    parts=m.parts,
                    per_part=m.per_part,
                    encoding=m.encoding,
                    replaced=m.replaced,
                    unsupported=m.unsupported,
                )
        st["price_per_sms"], basis, wrong = self.price.read()
        if wrong:
            errors.append(wrong)
        st.update(
            price_source=self.price.source,
            price_basis=basis,
            price_basis_text=self.price.basis_text(basis),
        )
        if self.frame is not None:
            st["contacts"], st["rental_cost_eur"] = self._totals
        if m is not None and st["price_per_sms"] is not None and self.frame is not None:
            st.update(self._costs(m, st["price_per_sms"]))
        st["error"] = " ".join(errors)
        self.state = st
        self.counts.value = counts_html(st["chars"], m)
        self.costs.value = costs_html(st, m, st["price_basis_text"])
        self.error.value = "".join(
            f"<div class='smsp-error smsp-message-error' style='{_ERR}'>{html.escape(e)}</div>"
            for e in errors
        )
        return st

    def _costs(self, m: Any, price: float) -> dict[str, Any]:
        """The campaign's costs for ``m``'s SMS parts at ``price``, worked out once per frame,
        parts and price: most keystrokes change neither."""
        key = (id(self.frame), m.parts, price)
        if self._cost_key != key:
            cost = campaign_cost(self.frame, m, price_per_sms=price).attrs
            self._cost_value = {
                "sending_cost_eur": cost["total_sending_cost_eur"],
                "total_cost_eur": cost["total_cost_eur"],
                "rental_cost_eur": cost["total_rental_cost_eur"],
            }
            self._cost_key = key
        return dict(self._cost_value)


def _frame_date(frame: pd.DataFrame | None) -> Any:
    """The answer's date in Paris (its ``as_of``, else when it was fetched), or None."""
    if frame is None:
        return None
    value = frame.attrs.get("as_of") or frame.attrs.get("fetched_at")
    if not value:
        return None
    return to_utc(value).tz_convert(PARIS).date()
