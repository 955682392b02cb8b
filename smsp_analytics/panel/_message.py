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
import math
from typing import Any

import ipywidgets as w
import pandas as pd

from smsp_analytics.campaign.messages import campaign_cost, message_parts, unicode_hint
from smsp_analytics.campaign.sendwindows import send_windows
from smsp_analytics.campaign.sendwindows_vendor import SCHEDULE_YOURSELF, vendor_flags
from smsp_analytics.display import department_label, fmt_eur, fmt_int, fmt_unit_price
from smsp_analytics.vocab import HOLIDAY_SUBDIVISIONS, PARIS, TIME_ZONES, to_utc

__all__ = ["MessageBox", "parse_price", "PRICE_PROMPT"]

#: Shown instead of the costs while the price per SMS is empty (the real API's default).
PRICE_PROMPT = "enter your price per SMS"
_ERR = "color:#b00020"
_DESC = {"description_width": "90px"}


def parse_price(text: str) -> float | None:
    """The price per SMS typed in the box: None when empty; ValueError when not a number
    of EUR > 0 (``0.038``, ``0,038`` and ``€0.038`` are read alike).

    >>> parse_price(" €0,038 "), parse_price("")
    (0.038, None)
    """
    cleaned = (text or "").strip().removeprefix("€").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"Price per SMS: invalid value {text.strip()!r}; allowed: a number "
            "of EUR > 0, e.g. 0.038"
        )
    return value


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
    ``price_per_sms``: the price field's first value (None: left empty, e.g. against the
    real API, whose price is the analyst's contract).
    """

    def __init__(self, price_per_sms: float | None = None) -> None:
        self.frame: pd.DataFrame | None = None
        self.state: dict[str, Any] = {}
        self.widgets: dict[str, w.Widget] = {
            "text": w.Textarea(
                value="",
                placeholder="Type your SMS: its length, SMS parts "
                "and sending cost update as you type",
                description="Message",
                continuous_update=True,
                style=_DESC,
                layout=w.Layout(width="560px", height="80px"),
            ),
            "unicode": w.Checkbox(
                value=False, description="Unicode (UCS-2: 70 per SMS)", indent=False
            ),
            "range": w.ToggleButtons(
                options=[("Premium", "premium"), ("Low Cost", "lowcost")],
                value="premium",
                description="Range",
                style={"button_width": "80px", **_DESC},
            ),
            "price": w.Text(
                value="" if price_per_sms is None else f"{price_per_sms:g}",
                placeholder="e.g. 0.038",
                description="€ per SMS",
                continuous_update=True,
                style=_DESC,
                layout=w.Layout(width="200px"),
            ),
        }
        self.counts = w.HTML("")
        self.costs = w.HTML("")
        self.windows = w.HTML("")
        self._windows_key: tuple[Any, ...] | None = None
        self._windows_state: dict[str, Any] = {"windows_from": None, "vendor_flags": {}}
        self.error = w.HTML("")
        for name in ("text", "unicode", "range", "price"):
            self.widgets[name].observe(lambda _: self.update(), names="value")
        self.update()

    def box(self) -> w.Widget:
        """The widgets laid out: the text, its options, the counts, the costs, the error."""
        ws = self.widgets
        out = w.VBox(
            [
                w.HTML("<b>Campaign message</b>"),
                ws["text"],
                w.HBox([ws["unicode"], ws["range"], ws["price"]]),
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
        self._update_windows(frame)
        self.update()

    def _update_windows(self, frame: pd.DataFrame | None) -> None:
        """The send-window flags of the frame's departments, a week from its date."""
        start = _frame_date(frame)
        deps = (
            []
            if frame is None or "department" not in frame.columns
            else [str(d) for d in dict.fromkeys(frame["department"].dropna())]
        )
        # Elsewhere Paris's clock and the national holidays are the recipient's: the vendor's
        # rule is the local one there and can flag nothing (this keeps all France quick).
        deps = [d for d in deps if d in TIME_ZONES or d in HOLIDAY_SUBDIVISIONS]
        key = (start, tuple(deps))
        if key == self._windows_key:
            return
        self._windows_key = key
        flags: dict[str, str] = {}
        if start is not None and deps:
            f = vendor_flags(send_windows(deps, start, days=7))
            flags = {
                str(d): str(t) for d, t, on in zip(f["department"], f["detail"], f["flagged"]) if on
            }
        self._windows_state = {"windows_from": start, "vendor_flags": flags}
        self.windows.value = _windows_html(start, flags)

    def update(self) -> dict[str, Any]:
        """Recompute counts and costs from the widgets and the last frame (no API call)."""
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
                errors.append(f"Message: {exc}")
            else:
                st.update(
                    length=m.length,
                    parts=m.parts,
                    per_part=m.per_part,
                    encoding=m.encoding,
                    replaced=m.replaced,
                    unsupported=m.unsupported,
                )
        try:
            st["price_per_sms"] = parse_price(ws["price"].value)
        except ValueError as exc:
            errors.append(str(exc))
        if self.frame is not None:
            st["contacts"] = int(pd.to_numeric(self.frame["volume"]).sum())
            st["rental_cost_eur"] = round(float(pd.to_numeric(self.frame["cost_eur"]).sum()), 2)
        if m is not None and st["price_per_sms"] is not None and self.frame is not None:
            cost = campaign_cost(self.frame, m, price_per_sms=st["price_per_sms"]).attrs
            st.update(
                sending_cost_eur=cost["total_sending_cost_eur"],
                total_cost_eur=cost["total_cost_eur"],
                rental_cost_eur=cost["total_rental_cost_eur"],
            )
        st["error"] = " ".join(errors)
        self.state = st
        self.counts.value = _counts_html(st, m)
        self.costs.value = _costs_html(st, m)
        self.error.value = "".join(
            f"<div class='smsp-error smsp-message-error' style='{_ERR}'>{html.escape(e)}</div>"
            for e in errors
        )
        return st


def _frame_date(frame: pd.DataFrame | None) -> Any:
    """The answer's date in Paris (its ``as_of``, else when it was fetched), or None."""
    if frame is None:
        return None
    value = frame.attrs.get("as_of") or frame.attrs.get("fetched_at")
    if not value:
        return None
    return to_utc(value).tz_convert(PARIS).date()


def _windows_html(start: Any, flags: dict[str, str]) -> str:
    if start is None:
        return ""
    head = (
        f"Send windows, 7 days from {start:%a %d %b %Y}: the vendor sends 08:00-20:00 "
        "Paris time, Monday to Saturday, not on national holidays."
    )
    if not flags:
        return (
            f"<div class='smsp-message-windows' style='color:#666'>{head} In the "
            "departments shown that stays within 08:00-20:00 local time.</div>"
        )
    items = "".join(
        f"<br><span data-department='{html.escape(d)}'>"
        f"{html.escape(department_label(d))}: {html.escape(why)}</span>"
        for d, why in flags.items()
    )
    return (
        f"<div class='smsp-message-windows'>{head} <b data-key='vendor_flags'>"
        f"{SCHEDULE_YOURSELF.capitalize()}</b>, the vendor would send outside 08:00-20:00 "
        f"local time or on a local holiday:{items}</div>"
    )


def _counts_html(st: dict[str, Any], m: Any) -> str:
    if m is None:
        return f"<div class='smsp-message-counts' style='color:#666'>{st['chars']} characters</div>"
    stop = f', STOP mention "{m.stop_mention}" included' if m.stop_mention else ""
    sms = "1 SMS" if m.parts == 1 else f"{m.parts} SMS"
    line = (
        f"{st['chars']} characters, {m.length} positions billed{stop}: "
        f"<b data-key='parts'>{sms}</b> ({m.encoding}, {m.per_part} per SMS; "
        f"{m.remaining} left before another SMS)"
    )
    if m.replaced:
        pairs = ", ".join(
            f"{html.escape(a)} → {html.escape(b)}" if b else f"{html.escape(a)} removed"
            for a, b in m.replaced
        )
        line += f"<br>Replaced when sent (the vendor's table): {pairs}"
    if m.unsupported:
        pairs = ", ".join(
            f"{html.escape(a)} → {html.escape(b)}" if b else f"{html.escape(a)} dropped"
            for a, b in m.unsupported
        )
        hint = html.escape(unicode_hint(m, "Ticking Unicode"))
        line += (
            f"<br>Not in GSM-7 nor in the vendor's table: {pairs}. "
            f"<span data-key='unicode_hint'>{hint}</span>"
        )
    return f"<div class='smsp-message-counts'>{line}</div>"


def _costs_html(st: dict[str, Any], m: Any) -> str:
    if st["price_per_sms"] is None:
        return f"<div class='smsp-message-costs' style='color:#666'><i>{PRICE_PROMPT}</i></div>"
    if m is None or st["contacts"] is None:
        return ""
    return (
        "<div class='smsp-message-costs'>"
        f"Sending: {fmt_int(st['contacts'])} contacts x {m.parts} SMS x "
        f"{fmt_unit_price(st['price_per_sms'])} = "
        f"<b data-key='sending_cost_eur'>{fmt_eur(st['sending_cost_eur'])}</b>; "
        f"campaign total (rental {fmt_eur(st['rental_cost_eur'])} + sending): "
        f"<b data-key='total_cost_eur'>{fmt_eur(st['total_cost_eur'])}</b></div>"
    )
