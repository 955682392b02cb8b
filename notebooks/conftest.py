"""Settings for the notebook kernels that nbval starts.

A kernel inherits this process's environment, and the user's own plotly settings change
what a figure cell emits: with ``PLOTLY_RENDERER=json`` (or ``browser``, ``png``...) the
kernel writes another mimetype than the committed ``application/vnd.plotly.v1+json``, and
every figure cell fails. The notebooks were executed with plotly's default renderer
(``scripts/run_notebooks.py`` does the same), so the kernels get it too, whatever the user's
shell says. This runs when pytest loads this file, before any kernel is started.
"""

import os

os.environ.pop("PLOTLY_RENDERER", None)
