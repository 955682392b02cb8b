"""What the app's notebook shows: a title and a line in the app's language, then the panel.

The app's Voila server also serves plotly's figure module (``smsp app`` adds plotly's
``package_data`` folder to the front-end extensions it serves, see
:func:`smsp_analytics.app.serve.voila_command`): the panel's figures load it from there, once
for the page, instead of each carrying its 5 MB in the widget's state.

Example (the notebook's one cell)::

    from smsp_analytics.app.explorer import explorer
    explorer()
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from smsp_analytics.i18n import _, check_lang, get_lang, use_lang
from smsp_analytics.panel import Panel, panel

__all__ = ["FIGURE_MODULE", "Explorer", "explorer", "intro_html"]

#: Where the app's page serves plotly's figure module, relative to its base URL.
FIGURE_MODULE = "voila/labextensions/widgetbundle.js"


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
    """The app's page: :func:`intro_html` above the panel (``panel``)."""

    def __init__(self, p: Panel) -> None:
        self.panel = p
        with use_lang(p.lang):
            super().__init__([w.HTML(intro_html()), p])
        self.add_class("smsp-app")

    def close(self) -> None:
        """Close the panel (and the client it made) with the page."""
        self.panel.close()
        super().close()


def explorer(*, lang: str | None = None, **options: Any) -> Explorer:
    """The app's page: :func:`intro_html` above the :func:`~smsp_analytics.panel.panel` (in
    ``lang``, default the language in force: ``SMSP_LANG`` set by ``smsp app``); ``options``
    go to ``panel``."""
    lang = check_lang(lang) if lang is not None else get_lang()
    return Explorer(panel(lang=lang, figure_module=FIGURE_MODULE, **options))
