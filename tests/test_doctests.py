"""Every docstring example in the package runs (they are the short runnable examples)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import warnings

import pytest

import smsp_analytics

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(smsp_analytics.__path__, "smsp_analytics.")
    if not m.name.endswith("__main__")
)


def test_modules_were_found() -> None:
    assert {
        "smsp_analytics.client.facade",
        "smsp_analytics.sandbox.model",
        "smsp_analytics.charts.bars",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch, tmp_path) -> None:
    # The examples run as a user without a key would: on the sandbox, caches in tmp.
    monkeypatch.delenv("SMSPARTNER_API_KEY", raising=False)
    monkeypatch.delenv("SMSPARTNER_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    module = importlib.import_module(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = doctest.testmod(
            module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
