"""The interactive audience explorer: controls, headline, bars, map and rent box.

Example (in a notebook; ``debounce=0`` computes inside the ``observe`` callback)::

    from smsp_analytics.panel import panel
    p = panel(debounce=0)             # no key: the offline sandbox, synthetic data
    p.controls["age"].value = (25, 34)
    p.headline["volume"], p.frame     # the API's numbers for that targeting
    p                                 # display it
    panel(lang="fr")                  # the same, in French (default: the language in force)
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from smsp_analytics import charts, refdata
from smsp_analytics.campaign.messages import SANDBOX_PRICE_PER_SMS
from smsp_analytics.display import frame_totals
from smsp_analytics.errors import TargetingError
from smsp_analytics.i18n import _, check_lang, get_lang, use_lang
from smsp_analytics.panel._controls import Controls
from smsp_analytics.panel._debounce import Debouncer, Runner, current_loop
from smsp_analytics.panel._facts import frame_facts
from smsp_analytics.panel._inputs import (
    breakdown,
    nationwide_hint,
    offered_categories,
    request_targeting,
)
from smsp_analytics.panel._live import LiveFigure, LiveFigures, placeholder
from smsp_analytics.panel._message import MessageBox
from smsp_analytics.panel._rent import RentBox
from smsp_analytics.panel._view import (
    HEADLINE_KEYS,
    banner_html,
    error_html,
    headline_html,
    rent_disabled_text,
    summary_text,
)
from smsp_analytics.panel._writes import BarsWriter, MapWriter
from smsp_analytics.targeting import Targeting

__all__ = ["Panel", "DEFAULT_DEBOUNCE", "request_targeting"]

log = logging.getLogger(__name__)

#: Seconds of quiet after the last control change before the API is asked (a slider drag
#: fires many changes; only the last matters).
DEFAULT_DEBOUNCE = 0.25


class Panel(LiveFigures, w.VBox):
    """The explorer widget. Build it with :func:`smsp_analytics.panel.panel`.

    Inspectable state (for tests and notebooks):

    - ``controls``: name -> widget (``gender``, ``age``, ``interest``, ``sub_interest``,
      ``category``, ``region``, ``search``, ``departments``, ``zipcodes``, ...). A region
      targets its departments at once; those selected within it narrow it; "All regions"
      goes back to the selected departments, or all of France when none is selected;
      selections outside the region stay targeted (details: ``Controls``);
    - ``headline``: ``volume``, ``unit_cost_eur``, ``cost_eur``, ``balance_eur``, shown
      under a line describing ``described`` (the targeting in words, gender spelled out);
    - ``bars``, ``map``: the ``go.FigureWidget`` s, updated in place (one whose browser
      view stops listening is drawn afresh: :meth:`redraw_deaf_figures`);
    - ``message``: HTML widget with the inline error (empty when all is well);
    - ``frame`` / ``targeting``: the last result shown and the targeting sent for it (all
      101 departments when the controls pick none, see :func:`request_targeting`), so
      ``client.calcul(p.targeting)`` gives the numbers on screen;
    - ``generation``: number of the latest request; a result is applied only if it
      belongs to it (``applied_generation``), so a slow old answer never overwrites a
      newer one;
    - ``rent``: the :class:`~smsp_analytics.panel._rent.RentBox`;
    - ``campaign``: the :class:`~smsp_analytics.panel._message.MessageBox` (message text,
      its SMS parts, and the sending and total cost for the audience shown, recomputed as
      the analyst types, without asking the API again). Its price per SMS starts at the
      sandbox's documented price on synthetic data, empty against the real API; the
      account's own (its average over twelve months) can be picked instead;
    - ``lang``: the language of every word it shows (labels, notices, headline, buttons,
      charts), ``"en"`` or ``"fr"``; numbers are written the language's way.

    ``figure_module``: where the page serves plotly's figure module, a URL path relative to
    its base URL (``smsp app`` serves it); the figures then load it from there, once, instead
    of each carrying it (5 MB). None (a notebook): they carry it. ``defer_map``: the map is
    blank until a page shows the bars, or ``map`` is read (``smsp app``: the bars sooner).
    """

    def __init__(
        self,
        client: Any,
        *,
        debounce: float = DEFAULT_DEBOUNCE,
        allow_rent: bool = False,
        top: int | None = None,
        categories: pd.DataFrame | None = None,
        on_close: Callable[[], None] | None = None,
        lang: str | None = None,
        figure_module: str | None = None,
        defer_map: bool = False,
    ) -> None:
        self.lang = check_lang(lang) if lang is not None else get_lang()
        self._figure_module = figure_module
        # Everything built here speaks the panel's language; callbacks enter it again
        # (they run in the kernel's or a timer's context, where another may be in force).
        with use_lang(self.lang):
            self._build(client, debounce, allow_rent, top, categories, on_close, defer_map)
        if defer_map:  # drawn once a page displays the bars
            self._when_shown("bars", lambda: self.map)

    def _build(
        self,
        client: Any,
        debounce: float,
        allow_rent: bool,
        top: int | None,
        categories: pd.DataFrame | None,
        on_close: Callable[[], None] | None,
        defer_map: bool,
    ) -> None:
        self.client = client
        self._on_close = on_close
        self.synthetic = bool(getattr(client, "synthetic", False))
        self.top = top
        self._lock = threading.RLock()
        self.generation = 0
        self.applied_generation = 0
        self.frame: pd.DataFrame | None = None
        self.targeting: Targeting | None = None
        self.headline: dict[str, Any] = dict.fromkeys(HEADLINE_KEYS)
        self.described: Targeting | None = None
        self.error: BaseException | None = None

        cats, cats_note = offered_categories(client, categories)
        self._controls = Controls(cats)
        self.controls: dict[str, w.Widget] = self._controls.widgets
        self.banner = w.HTML(banner_html() if self.synthetic else "")
        self.message = w.HTML("")
        # Said once, in place: why the interest list is short, and how to load the real one.
        self.categories_note = w.HTML(cats_note)
        self.status = w.HTML("")
        self.hint = w.HTML("")
        self.headline_html = w.HTML(headline_html(self.headline))
        can_rent = self.synthetic or allow_rent
        reason = "" if can_rent else rent_disabled_text()
        self.rent = RentBox(
            client, enabled=can_rent, reason=reason, on_rented=self._after_rent, lang=self.lang
        )
        default_price = SANDBOX_PRICE_PER_SMS if self.synthetic else None
        self.campaign = MessageBox(default_price, lang=self.lang, client=client)

        # Why capture the loop now: in a kernel the panel is built inside a cell, on the
        # loop that also delivers widget messages; timers and results go back to it.
        loop = current_loop() if debounce > 0 else None
        self._runner = Runner(background=debounce > 0, loop=loop)
        self._debouncer = Debouncer(self.refresh, debounce, loop)

        # First result synchronously: the figures are built from it (empty figures would
        # need a second full draw).
        targeting = request_targeting(self._controls.targeting())
        frame = client.calcul(targeting)
        rows = breakdown(frame)
        bars = charts.bar_departments(rows, top=top, height=420)
        map_ = placeholder(560) if defer_map else charts.map_departments(rows, height=560)
        module = self._figure_module
        self._figures = {
            "bars": LiveFigure(bars, "smsp-bars", module),
            "map": LiveFigure(map_, "smsp-map", module),
        }
        # Later updates write only what changed (see _writes.py); the map's, once drawn.
        self._writers = [BarsWriter(bars, top=top)] + ([] if defer_map else [MapWriter(map_)])
        self.refresh_balance()
        self.generation = self.applied_generation = 1
        self._show(targeting, frame, update_figures=False)

        self._controls.on_change(self._on_change)
        super().__init__(
            [
                self.banner,
                self.categories_note,
                self._controls.layout(),
                self.message,
                w.HBox([self.headline_html, self.status]),
                self.hint,
                self._figures["bars"].box,
                self._figures["map"].box,
                self.campaign.box(),
                self.rent.box(),
            ]
        )
        self.add_class("smsp-panel")
        self.add_class(f"smsp-lang-{self.lang}")

    # -- requests -------------------------------------------------------------------------

    def _on_change(self, change: dict[str, Any]) -> None:
        # The shown quote is for the previous targeting: void it at once, not after the
        # debounce, so a confirmation can never rent a targeting that is not on screen.
        with use_lang(self.lang):
            self.rent.reset_quote()
            self._debouncer()

    def apply(self, **values: Any) -> Panel:
        """Set controls from code, as a user would with the mouse, and update at once: one
        calcul in this thread, whatever ``debounce`` is (a script or a notebook reads the
        result in its next line). Control names are the keys of ``controls``.

        >>> from smsp_analytics.client.facade import Client
        >>> with Client(announce=False) as c:
        ...     p = Panel(c)
        ...     p.apply(gender="f", departments=("60",)).headline["volume"] > 0
        ...     p.close()
        True
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            with use_lang(self.lang):
                raise ValueError(
                    _("{name}: not a control of the panel; allowed: {allowed}").format(
                        name=unknown[0], allowed=", ".join(self.controls)
                    )
                )
        for name, value in values.items():
            self.controls[name].value = value
        # The changes above armed the debounce: this update replaces it.
        self._debouncer.cancel()
        self.refresh(now=True)
        return self

    def refresh(self, *, now: bool = False) -> int:
        """Read the controls and ask the API; returns the request's generation number.
        ``now``: in this thread, shown before returning (else as the panel is set up)."""
        with use_lang(self.lang):
            return self._refresh(now)

    def _refresh(self, now: bool) -> int:
        with self._lock:
            self.generation += 1
            gen = self.generation
        try:
            targeting = request_targeting(self._controls.targeting())
        except TargetingError as exc:
            # Invalid input: say which field, keep the last good figures, forbid renting.
            log.info("invalid targeting: %s", exc)
            self._show_error(exc)
            self.rent.set_target(None, None)
            return gen
        self.status.value = f"<i style='color:#666'>{_('updating…')}</i>"
        self._runner.submit(
            lambda: self._calcul(targeting),
            lambda result: self.apply_result(gen, targeting, result),
            wait=now,
        )
        return gen

    def _calcul(self, targeting: Targeting) -> pd.DataFrame:
        with use_lang(self.lang):  # the worker thread: errors are worded in the panel's
            return self.client.calcul(targeting)

    def apply_result(
        self, gen: int, targeting: Targeting, result: pd.DataFrame | BaseException
    ) -> bool:
        """Show ``result`` if request ``gen`` is still the latest; returns whether it was."""
        with self._lock, use_lang(self.lang):
            if gen != self.generation:
                log.debug("dropping stale result of request %d (latest %d)", gen, self.generation)
                return False
            self.status.value = ""
            if isinstance(result, BaseException):
                log.warning(
                    "calcul failed for %s: %s",
                    targeting.describe(),
                    result,
                    exc_info=not isinstance(result, Exception) or None,
                )
                self._show_error(result, context=_("Calcul"))
                self.rent.set_target(None, None)
                return False
            try:
                self._show(targeting, result, gen=gen)
            except Exception as exc:  # a drawing bug must not leave a silent, stale panel
                log.exception("drawing the result of %s failed", targeting.describe())
                self._show_error(exc, context=_("Display"))
                return False
            return True

    # -- display --------------------------------------------------------------------------

    def _show(
        self,
        targeting: Targeting,
        frame: pd.DataFrame,
        *,
        update_figures: bool = True,
        gen: int | None = None,
    ) -> None:
        self.error = None
        self.message.value = ""
        totals = frame_totals(frame)
        self.headline.update(
            volume=totals.volume, unit_cost_eur=totals.unit_cost_eur, cost_eur=totals.cost_eur
        )
        nationwide = not targeting.zipcodes and set(targeting.departments) == set(
            refdata.department_codes()
        )
        # Said in words, "men and women" included: the vendor's "m" is not "men".
        self.described = dataclasses.replace(targeting, departments=()) if nationwide else targeting
        self.headline_html.value = headline_html(self.headline, self.described)
        self.hint.value = nationwide_hint() if nationwide else self._controls.scope_hint()
        if update_figures:
            # One message per figure that changed, holding only what changed.
            sums, said = frame_facts(frame).departments, frame.attrs.get("targeting")
            pairs = zip(self._writers, self._figures.values(), strict=False)  # no map's yet?
            sent = sum(writer.update(live.widget, sums, said) for writer, live in pairs)
            if sent:
                self._watch_figures(self._runner.loop)
        self.rent.set_target(targeting, frame)
        self.campaign.set_frame(frame)
        # Last: whoever watches ``targeting`` or ``applied_generation`` (tests, notebooks
        # polling a background update) then sees everything else already drawn.
        if gen is not None:
            self.applied_generation = gen
        self.frame, self.targeting = frame, targeting

    @property
    def bars(self) -> go.FigureWidget:
        """The bar chart's ``FigureWidget`` (a fresh one after :meth:`redraw_deaf_figures`)."""
        return self._figures["bars"].widget

    @property
    def map(self) -> go.FigureWidget:
        """The map's ``FigureWidget`` (drawn now in its blank if it waits: ``defer_map``; a
        fresh one after :meth:`redraw_deaf_figures`)."""
        with self._lock, use_lang(self.lang):
            if len(self._writers) == 1 and self.frame is not None and self.comm is not None:
                map_ = charts.map_departments(breakdown(self.frame), height=560)
                self._figures["map"].fill(map_)
                self._writers.append(MapWriter(map_))
                self._watch_figures(self._runner.loop)  # a view that missed it: drawn afresh
        return self._figures["map"].widget

    def _show_error(self, exc: BaseException, context: str | None = None) -> None:
        self.error = exc
        self.message.value = error_html(context or _("Targeting"), exc)

    def _after_rent(self, result: Any) -> None:
        # RentBox's on_rented: the balance changed (its new value is shown, not returned).
        self.refresh_balance()

    def refresh_balance(self) -> float | None:
        """Read the account balance again (after a rental) and show it."""
        with use_lang(self.lang):
            try:
                balance = float(self.client.credits().balance_eur)
            except Exception as exc:
                log.warning("credits failed: %s", exc)
                self._show_error(exc, context=_("Balance"))
                balance = None
            self.headline["balance_eur"] = balance
            self.headline_html.value = headline_html(self.headline, self.described)
        return balance

    def summary(self) -> str:
        """What the panel shows, in one paragraph of text: the targeting in words, the
        headline, and how many departments the bars and the map draw. It is also the
        panel's ``text/plain`` form, read where widgets cannot be shown (GitHub, nbconvert).
        """
        drawn = 0 if self.frame is None else int(breakdown(self.frame)["department"].nunique())
        with use_lang(self.lang):
            return summary_text(
                self.headline, self.described, drawn, synthetic=self.synthetic, error=self.error
            )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        # Where no widget can be drawn, the text says what the panel shows (not its repr).
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = self.summary()
        return bundle

    def close(self) -> None:
        """Close the widgets and stop the background worker."""
        self._debouncer.cancel()
        self._runner.close()
        for live in self._figures.values():
            live.close()
        if self._on_close is not None:
            self._on_close()  # closes the client the panel made (stops its sandbox)
        super().close()
