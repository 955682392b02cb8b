"""The panel as users make it: :func:`panel` builds the client too when none is given.

Example (in a notebook, the last expression of a cell)::

    from smsp_analytics.panel import panel
    panel()
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import pandas as pd

from smsp_analytics.client.facade import client_or_default
from smsp_analytics.panel._panel import DEFAULT_DEBOUNCE, Panel

__all__ = ["panel"]


def panel(
    client: Any = None,
    *,
    debounce: float = DEFAULT_DEBOUNCE,
    allow_rent: bool = False,
    top: int | None = None,
    categories: pd.DataFrame | None = None,
    lang: str | None = None,
    figure_module: str | None = None,
) -> Panel:
    """The audience explorer as an ipywidgets container.

    ``client``: a :class:`~smsp_analytics.client.facade.Client`; ``None`` builds one (no
    ``SMSPARTNER_API_KEY``: the local sandbox, with a banner saying the data are
    synthetic). ``debounce``: seconds of quiet before a change is sent to the API; ``0``
    computes synchronously inside the ``observe`` callback (tests, benchmarks).
    ``allow_rent``: enable the rent button against the real API (it always asks for a
    typed confirmation of the cost). ``top``: show only the largest departments in the bars.
    ``categories``: the interests to offer (e.g. :func:`~smsp_analytics.load_categories_csv`
    of the vendor's real list); by default ``client.categories()``, and against the real API,
    whose categories endpoint is undocumented, the documented ids if that call fails.
    ``lang``: ``"en"`` or ``"fr"``, the language of every word the panel shows and how it
    writes numbers (default: the language in force, :func:`smsp_analytics.i18n.get_lang`).
    ``figure_module``: where the page serves plotly's figure module (a URL path relative to
    its base URL; ``smsp app`` sets it), so that the figures load it once from there.

    Example (in a notebook, the last expression of a cell)::

        from smsp_analytics.panel import panel
        panel()
    """
    # The panel outlives this call: the client made here is closed by Panel.close().
    stack = ExitStack()
    try:
        made = stack.enter_context(client_or_default(client))
        return Panel(
            made,
            debounce=debounce,
            allow_rent=allow_rent,
            top=top,
            categories=categories,
            on_close=stack.close,
            lang=lang,
            figure_module=figure_module,
        )
    except BaseException:
        stack.close()
        raise
