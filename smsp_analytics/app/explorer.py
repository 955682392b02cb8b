"""What the app's notebook shows: a title and a line in the app's language, then the panel.

:func:`explorer` builds the whole panel inside the notebook's cell, so the page exists only
once every widget does. Voila sends the page's end after the cell, and the page connects to
the kernel only then: it receives the widgets' state in one answer, never a kernel half-way
through making them. (Building the panel just after the cell, while the page loaded its
scripts, gave the first chart 0.3-1 s sooner; but on a loaded machine the page sometimes
showed the title alone, its panel an error model after "widget model not found": the
signature of a page that received the widgets from partway through the panel's making.)
The map, blank until then, is drawn once the bars are shown (``Panel(defer_map=True)``).

The app's Voila server also serves plotly's figure module (``smsp app`` adds plotly's
``package_data`` folder to the front-end extensions it serves, see
:func:`smsp_analytics.app.serve.voila_command`): the panel's figures load it from there, once
for the page, instead of each carrying its 5 MB in the widget's state.

Example (the notebook's one cell)::

    from smsp_analytics.app.explorer import explorer
    explorer()
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from smsp_analytics.app.kernel import take_sandbox_process
from smsp_analytics.i18n import _, check_lang, get_lang, use_lang

if TYPE_CHECKING:
    from smsp_analytics.panel import Panel

__all__ = ["FIGURE_MODULE", "ACK_WAIT_ENV", "Explorer", "explorer", "intro_html"]

log = logging.getLogger(__name__)

#: Where the app's page serves plotly's figure module, relative to its base URL.
FIGURE_MODULE = "voila/labextensions/widgetbundle.js"
#: Seconds the app's panel gives a figure's view to acknowledge an update before drawing the
#: figure afresh (``Panel.ack_wait``, default 5): the browser tests shorten it.
ACK_WAIT_ENV = "SMSP_APP_ACK_WAIT"


def intro_html() -> str:
    """The app's title and what it is for, in the language in force.

    >>> "audience explorer" in intro_html()
    True
    """
    title = html.escape(_("SMS Partner audience explorer"))
    text = html.escape(
        _(
            "Size and price an opt-in SMS audience: pick the targeting, read the volume and "
            "the cost, see them by department. Without SMSPARTNER_API_KEY the data come from "
            "the offline sandbox (synthetic)."
        )
    )
    return f"<h2 class='smsp-app-title'>{title}</h2><p class='smsp-app-intro'>{text}</p>"


class Explorer(w.VBox):
    """The app's page in ``lang``: :func:`intro_html` above the panel (``panel``: None until
    :meth:`build` has made it; ``error``: why it could not be made, shown in its place)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.panel: Panel | None = None
        self.error: BaseException | None = None
        with use_lang(lang):
            self.intro = w.HTML(intro_html())
        super().__init__([self.intro])
        self.add_class("smsp-app")

    def build(self, client: Any = None, **options: Any) -> Panel | None:
        """Make the panel (``options`` go to it) and show it below the intro, once; returns
        it (None if the page was closed first). Without ``client``, the one
        :func:`~smsp_analytics.client.facade.make_client` makes (closed with the panel),
        served by the sandbox process the app's kernel spawned at its start if there is one
        (:mod:`smsp_analytics.app.kernel`)."""
        if self.panel is not None or self.comm is None:
            return self.panel
        # Imported here, not with this module: reading its names (FIGURE_MODULE,
        # intro_html) needs neither pandas nor plotly.
        from smsp_analytics.client.facade import make_client
        from smsp_analytics.panel import Panel

        wait = os.environ.get(ACK_WAIT_ENV, "").strip()
        try:
            ack_wait = float(wait) if wait else None
        except ValueError:
            raise ValueError(
                _("{field}: {value} is not a number").format(field=ACK_WAIT_ENV, value=wait)
            ) from None
        stack = ExitStack()  # a client made here is closed by Panel.close()
        try:
            if client is None:
                process = take_sandbox_process()
                if process is not None:
                    stack.callback(process.stop)  # if the client is not made (safe twice)
                made = make_client(sandbox={"process": process}) if process else make_client()
                client = stack.enter_context(made)
            self.panel = Panel(
                client,
                lang=self.lang,
                figure_module=FIGURE_MODULE,
                defer_map=True,  # the first chart sooner: the map once the bars are shown
                on_close=stack.close,
                **options,
            )
        except BaseException:
            stack.close()
            raise
        if ack_wait is not None:
            self.panel.ack_wait = ack_wait
        self.children = (self.intro, self.panel)
        return self.panel

    def build_or_show_error(self, client: Any = None, **options: Any) -> Panel | None:
        """:meth:`build` in a kernel, where a traceback would tell an analyst less than the
        message: an exception that prevents it is shown in the panel's place (its message, in
        the page's language) and logged."""
        try:
            with use_lang(self.lang):
                return self.build(client, **options)
        except Exception as exc:
            log.exception("the audience explorer could not be built")
            self.error = exc
            text = html.escape(str(exc))
            error = f"<p class='smsp-app-error' style='color:#b00020'>{text}</p>"
            self.children = (self.intro, w.HTML(error))
            return None

    def close(self) -> None:
        """Close the panel (and the client it made) with the page."""
        if self.panel is not None:
            self.panel.close()
        super().close()


def explorer(*, lang: str | None = None, client: Any = None, **options: Any) -> Explorer:
    """The app's page: :func:`intro_html` above the :func:`~smsp_analytics.panel.panel` (in
    ``lang``, default the language in force: ``SMSP_LANG`` set by ``smsp app``), built
    before this returns; ``options`` go to :class:`~smsp_analytics.panel.Panel` (see
    :meth:`Explorer.build`). In a kernel (a running loop: the app's page, a notebook), what
    prevents the panel is shown in its place (:meth:`Explorer.build_or_show_error`);
    elsewhere (a script, a test) it is raised.

    >>> page = explorer(lang="en")
    >>> page.children == (page.intro, page.panel), page.panel.headline["volume"] > 0
    (True, True)
    >>> page.close()
    """
    lang = check_lang(lang) if lang is not None else get_lang()
    page = Explorer(lang)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop in this thread: a script, a test
        page.build(client, **options)
    else:
        page.build_or_show_error(client, **options)
    return page
