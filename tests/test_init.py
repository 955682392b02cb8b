"""The package's public surface: every exported name resolves, and imports stay lazy."""

from __future__ import annotations

import subprocess
import sys

import smsp_analytics


def test_every_public_name_resolves() -> None:
    missing = [n for n in smsp_analytics.__all__ if getattr(smsp_analytics, n, None) is None]
    assert missing == []


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        smsp_analytics.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover - the assertion below explains the failure
        raise AssertionError("unknown attribute did not raise")


def test_sandbox_import_does_not_load_the_client_side() -> None:
    code = (
        "import sys, smsp_analytics.sandbox.cli; "
        "bad = [m for m in ('smsp_analytics.client.facade', 'plotly', 'requests_cache', 'ipywidgets') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_no_exported_name_is_also_a_submodule() -> None:
    # Importing smsp_analytics.X rebinds the package attribute X to the module: an exported
    # function named like a module would turn into that module after any such import.
    import importlib.util

    from smsp_analytics import _EXPORTS

    clashes = [n for n in _EXPORTS if importlib.util.find_spec(f"smsp_analytics.{n}")]
    assert clashes == []


def test_panel_function_whatever_the_import_order() -> None:
    code = (
        "from smsp_analytics import *\nimport smsp_analytics.panel as m\n"
        "from smsp_analytics.panel import panel\nimport inspect\n"
        "assert inspect.isfunction(panel) and inspect.ismodule(m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
