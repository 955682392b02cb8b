"""The committed notebooks: executed, with outputs, stripped of widget state, small,
deterministic by construction (no times, keys, tokens, ports), nothing blanket-ignored.

Their outputs themselves are compared by ``pytest --nbval notebooks/``; regenerate them with
``python scripts/run_notebooks.py``.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: The three sandbox notebooks of this file's rules (others may show non-synthetic data
#: such as calendars); the reading rules at the end hold for every committed notebook.
NAMES = [
    "01_quickstart.ipynb",
    "02_audience_explorer.ipynb",
    "03_cost_comparison_report.ipynb",
    "05_quote_drift.ipynb",
]
ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
MAX_BYTES = 3_000_000
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.plotly.v1+json"
PNG = "image/png"
#: How the tests work is no reader's business: none of this in prose or visible outputs.
MECHANICS = (
    "debounce",
    "nbval",
    "sanitize",
    "cdn",
    "embedded once",
    "model_id",
    "ignore-output",
    "progress=false",
    "announce=false",
    "kaleido",
)


def _load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _text_of_outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        for value in out.get("data", {}).values():
            parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def test_the_notebooks_exist():
    assert set(NAMES) <= set(ALL), ALL


@pytest.mark.parametrize("name", NAMES)
def test_valid_small_and_stripped(name):
    path = NOTEBOOKS / name
    assert path.stat().st_size < MAX_BYTES, f"{name} is {path.stat().st_size:,} bytes"
    nb = _load(name)
    nbformat.validate(nb)
    assert "widgets" not in nb.metadata, "strip metadata.widgets before committing"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert "nbval-skip" not in cell.metadata.get("tags", [])


@pytest.mark.parametrize("name", NAMES)
def test_starts_with_markdown_saying_data_are_synthetic(name):
    first = _load(name).cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# ")
    assert "synthetic" in first.source.lower()


@pytest.mark.parametrize("name", NAMES)
def test_executed_in_order_with_outputs_and_no_errors(name):
    cells = _code(_load(name))
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    with_output = [c for c in cells if c.outputs]
    # every cell but the closing ``client.close()`` shows something
    assert len(with_output) >= len(cells) - 1
    for c in cells:
        for out in c.outputs:
            assert out.output_type != "error", c.source
            if out.output_type == "stream":
                assert out.name == "stdout", f"stderr noise in: {c.source[:60]!r}"
                assert "\r" not in out.text and "it/s" not in out.text, "progress bar output"


@pytest.mark.parametrize("name", NAMES)
def test_only_widget_views_are_ignored(name):
    for c in _code(_load(name)):
        tags = c.metadata.get("tags", [])
        has_view = any(WIDGET_VIEW in o.get("data", {}) for o in c.outputs)
        assert ("nbval-ignore-output" in tags) == has_view, c.source
        assert "raises-exception" not in tags


@pytest.mark.parametrize("name", NAMES)
def test_figures_use_the_compared_plotly_mimetype(name):
    nb = _load(name)
    n = 0
    for c in _code(nb):
        for out in c.outputs:
            data = out.get("data", {})
            if PLOTLY in data:
                n += 1
                layout = json.dumps(data[PLOTLY].get("layout", {}))
                assert "SYNTHETIC DATA" in layout, "sandbox figures carry the mark"
                # plain figures, not FigureWidgets: no random trace uid to sanitize
                assert '"uid"' not in json.dumps(data[PLOTLY].get("data", []))
            html = data.get("text/html", "")
            assert "plotly-graph-div" not in html and "cdn.plot.ly" not in html
    assert n >= 1


@pytest.mark.parametrize("name", NAMES)
def test_nothing_random_in_outputs(name):
    # Widget views (random model ids) sit only in nbval-ignore-output cells, checked above.
    compared = [
        c for c in _code(_load(name)) if "nbval-ignore-output" not in c.metadata.get("tags", [])
    ]
    text = "\n".join(_text_of_outputs(c) for c in compared)
    assert not re.search(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d", text), "a timestamp"
    assert "fetched_at" not in text
    assert not re.search(r"127\.0\.0\.1:\d+|localhost:\d+", text), "a random port"
    assert not re.search(r"\bsbx-[0-9a-f]{8,}", text), "the sandbox key"
    assert not re.search(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", text), "a token"
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text), (
        "a uuid (widget/trace id)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_sources_follow_the_rules(name):
    src = "\n".join(c.source for c in _code(_load(name)))
    assert not re.search(r"\.rent\s*\(", src), "no rent in notebooks"
    assert "SMSPARTNER_API_KEY" not in src and "api_key" not in src
    for call in re.findall(r"Client\([^)]*\)", src):
        assert "cache=False" in call, call
    for call in re.findall(r"sweep\((?:[^()]|\([^()]*\))*\)", src):
        assert "progress=False" in call, call


def _png_size(b64: str) -> tuple[int, int]:
    raw = base64.b64decode(b64)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", raw[16:24])


@pytest.mark.parametrize("name", ALL)
def test_every_figure_also_carries_a_static_image(name):
    """Read without a kernel (GitHub, nbconvert), every figure still shows: a PNG sits in
    the same output bundle as the interactive figure."""
    n = 0
    for c in _code(_load(name)):
        for out in c.outputs:
            data = out.get("data", {})
            if PLOTLY in data:
                n += 1
                assert PNG in data, f"figure without a static image: {c.source[:60]!r}"
                width, height = _png_size(data[PNG])
                assert width >= 600 and height >= 300, (width, height)
            else:
                assert PNG not in data or WIDGET_VIEW in data, c.source
    assert n >= 1


@pytest.mark.parametrize("name", ALL)
def test_every_widget_says_in_text_what_it_shows(name):
    for c in _code(_load(name)):
        for out in c.outputs:
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                text = data.get("text/plain", "")
                assert not re.match(r"\w+\(children=", text), "a widget repr, not a fallback"
                assert "contacts" in text and "SYNTHETIC DATA" in text, text
                assert "men and women" in text, text


@pytest.mark.parametrize("name", ALL)
def test_no_test_mechanics_in_prose_or_visible_outputs(name):
    nb = _load(name)
    for cell in nb.cells:
        texts = [cell.source] if cell.cell_type == "markdown" else []
        if cell.cell_type == "code" and "debounce" in cell.source.lower():
            texts.append(cell.source)  # a test-only setting shown in the code a reader reads
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                texts.append(out.text)
            for key in ("text/plain", "text/html", "text/markdown"):
                value = out.get("data", {}).get(key)
                if value:
                    texts.append(value)
        for text in texts:
            low = text.lower()
            found = [w for w in MECHANICS if w in low]
            assert not found, (found, text[:120])


def _script():
    path = NOTEBOOKS.parent / "scripts" / "run_notebooks.py"
    spec = importlib.util.spec_from_file_location("run_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regeneration_keeps_the_image_of_an_unchanged_figure():
    """The script renders only figures whose JSON changed: unchanged figures keep their
    committed PNG byte for byte, so a regeneration rewrites nothing it need not."""
    script = _script()
    nb = _load("01_quickstart.ipynb")
    known = script.known_images(nb)
    assert known
    for out in script._outputs(nb):
        out.get("data", {}).pop(PNG, None)
    assert script.add_images(nb, known) == 0  # nothing to render: every figure is known
    assert script.dumps(nb) == (NOTEBOOKS / "01_quickstart.ipynb").read_text(encoding="utf-8")


def test_the_kernels_get_plotly_s_default_renderer():
    """A user's PLOTLY_RENDERER would change every figure output: notebooks/conftest.py
    drops it before nbval starts the kernels, which inherit this process's environment."""
    env = {**os.environ, "PLOTLY_RENDERER": "json"}
    code = (
        "import os, runpy; runpy.run_path('notebooks/conftest.py'); "
        "print(os.environ.get('PLOTLY_RENDERER'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=NOTEBOOKS.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.strip() == "None"
