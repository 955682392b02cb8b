#!/usr/bin/env python
"""Re-execute the project's notebooks in place, so their committed outputs are current.

Usage (from the repository root, with the project's environment)::

    python scripts/run_notebooks.py                 # every notebooks/*.ipynb
    python scripts/run_notebooks.py notebooks/03_cost_comparison_report.ipynb
    python scripts/run_notebooks.py --check         # run, compare, write nothing; exit 1 if stale
                                                    # (widget model ids are random: ignored)

Run it whenever upstream code (client, charts, panel, report) changes what a notebook shows,
then check with ``pytest --nbval notebooks/`` and commit the notebooks with their outputs.

What it does, per notebook:

* executes every cell top to bottom with nbclient in a ``python3`` kernel of this Python
  (``sys.executable``), working directory ``notebooks/``, default plotly renderer (in a kernel
  plotly 7 emits ``application/vnd.plotly.v1+json``, which nbval compares);
* adds a static PNG (kaleido, with Debian's chromium) to every Plotly figure output, in the
  same output bundle, so the notebook reads well where no kernel or plotly.js runs (GitHub,
  nbconvert); Jupyter still shows the interactive figure. nbval compares text outputs only,
  so the PNGs never make a cell fail. A figure whose JSON did not change keeps its committed
  PNG byte for byte (rendering is the slow part, and the file stays unchanged);
* strips what must not be committed: ``metadata.widgets`` (saved widget state, megabytes),
  per-cell execution timings (``metadata.execution``), and the kernel's random ids;
* numbers the cells 1..n, writes the notebook back (nbformat 4, 1-space JSON indent, as
  Jupyter saves it) and prints its size. A notebook whose only change would be the random
  widget model ids (cells tagged ``nbval-ignore-output``) is left untouched.

A cell that raises stops the run with the traceback (nbclient ``CellExecutionError``): a
notebook is never committed with an error output.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import warnings
from pathlib import Path

import kaleido
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: Largest committed notebook accepted by tests/test_notebooks_meta.py.
MAX_BYTES = 3_000_000
PLOTLY = "application/vnd.plotly.v1+json"
PNG = "image/png"
#: Size of the static images when the figure sets none (pixels).
IMAGE_WIDTH, IMAGE_HEIGHT = 900, 500


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove widget state, timings and other run-specific metadata, in place."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            # Output metadata may carry transient ids; nbval ignores it, git need not see it.
            if "transient" in out:
                del out["transient"]
    return nb


def number(nb: nbformat.NotebookNode) -> None:
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            n += 1
            cell.execution_count = n
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = n


def _figure_key(fig: dict) -> str:
    return hashlib.sha256(json.dumps(fig, sort_keys=True).encode()).hexdigest()


def _outputs(nb: nbformat.NotebookNode):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def known_images(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Figure JSON hash -> its committed PNG (base64), from a notebook already written."""
    return {
        _figure_key(out.data[PLOTLY]): out.data[PNG]
        for out in _outputs(nb)
        if PLOTLY in out.get("data", {}) and PNG in out.get("data", {})
    }


def render_png(fig: dict) -> str:
    """The PNG (base64) of a Plotly figure's JSON, as kaleido draws it."""
    import plotly.io as pio

    figure = pio.from_json(json.dumps({k: fig[k] for k in ("data", "layout") if k in fig}))
    layout = fig.get("layout", {})
    png = pio.to_image(
        figure,
        format="png",
        width=layout.get("width") or IMAGE_WIDTH,
        height=layout.get("height") or IMAGE_HEIGHT,
    )
    return base64.b64encode(png).decode("ascii")


def add_images(nb: nbformat.NotebookNode, known: dict[str, str]) -> int:
    """Give every Plotly output a static PNG (reused from ``known`` when the figure is the
    same); returns how many were rendered."""
    rendered = 0
    for out in _outputs(nb):
        data = out.get("data", {})
        if PLOTLY not in data:
            continue
        key = _figure_key(data[PLOTLY])
        if key not in known:
            known[key] = render_png(data[PLOTLY])
            rendered += 1
        data[PNG] = known[key]
    return rendered


def run(path: Path, *, timeout: int = 900) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    strip(nb)
    number(nb)
    return nb


def dumps(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


_MODEL_ID = re.compile(r'("model_id": ")[0-9a-f]{32}(")')


def comparable(text: str) -> str:
    """Notebook text with widget model ids (random per run, in nbval-ignore-output cells)
    blanked, for ``--check``."""
    return _MODEL_ID.sub(r"\1<model-id>\2", text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    p.add_argument(
        "--check",
        action="store_true",
        help="execute and compare with the committed file; write nothing",
    )
    args = p.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    # The kernel inherits this environment: keep it free of settings that change outputs.
    os.environ.pop("PLOTLY_RENDERER", None)
    os.environ.pop("SMSPARTNER_API_KEY", None)
    os.environ.pop("SMSPARTNER_BASE_URL", None)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    stale: list[Path] = []
    # One chromium for every image (a cold start per image takes seconds). The server
    # ignores per-call kaleido options, which plotly says in a warning each time.
    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    kaleido.start_sync_server(silence_warnings=True)
    try:
        for path in paths:
            stale += _one(path.resolve(), check=args.check)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return 1 if stale else 0


def _one(path: Path, *, check: bool) -> list[Path]:
    """Run one notebook; write it (or, with ``check``, compare it). Returns it if stale."""
    print(f"running {path.relative_to(ROOT)} ...", flush=True)
    known = known_images(nbformat.read(path, as_version=4)) if path.exists() else {}
    nb = run(path)
    rendered = add_images(nb, known)
    print(f"  {rendered} figure image(s) rendered, the others unchanged", flush=True)
    text = dumps(nb)
    same = path.exists() and comparable(path.read_text(encoding="utf-8")) == comparable(text)
    if check:
        if not same:
            print(f"  STALE {path.relative_to(ROOT)}")
        return [] if same else [path]
    if same:
        print(f"  unchanged {path.relative_to(ROOT)} (not rewritten: no widget-id noise)")
        return []
    path.write_text(text, encoding="utf-8")
    size = path.stat().st_size
    flag = "  (over the size limit!)" if size > MAX_BYTES else ""
    print(f"  wrote {path.relative_to(ROOT)}: {size:,} bytes{flag}")
    return []


if __name__ == "__main__":
    sys.exit(main())
