"""The language: how it is chosen, and the French catalogs' completeness (issue 17)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from smsp_analytics import i18n

ROOT = Path(__file__).resolve().parents[1]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("smsp_i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_marked_sentence_has_a_french_translation_with_its_placeholders() -> None:
    script = _script()
    assert script.extract(), "no sentence is marked for translation"
    assert script.problems() == []


def test_a_dropped_placeholder_is_caught() -> None:
    script = _script()
    assert script.placeholders("{count} contacts, {cost}") == ["{cost}", "{count}"]
    assert script.placeholders("{count:,} contacts") == ["{count}"]
    assert script.placeholders("{{literal}}") == []


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_BE", "LANG": "en_US"}, "fr"),
        ({"SMSP_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"SMSP_LANG": "FR"}, "fr"),
    ],
)
def test_language_from_the_environment(env: dict[str, str], lang: str) -> None:
    assert i18n.lang_from_env(env) == lang


def test_an_unknown_language_names_the_variable_and_the_allowed_values() -> None:
    with pytest.raises(ValueError, match=r"SMSP_LANG.*'de'.*allowed: en, fr"):
        i18n.lang_from_env({"SMSP_LANG": "de"})


def test_use_lang_wins_over_set_lang_and_set_lang_over_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("SMSP_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert i18n.get_lang() == "fr"
    i18n.set_lang("en")
    try:
        assert i18n.get_lang() == "en"
        with i18n.use_lang("fr"):
            assert i18n.get_lang() == "fr"
            assert i18n.babel_locale() == "fr_FR"
        assert i18n.get_lang() == "en"
    finally:
        i18n.set_lang(None)
    assert i18n.get_lang() == "fr"
