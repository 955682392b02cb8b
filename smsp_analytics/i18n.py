"""The language people read: which one, and the translated sentences (gettext).

The toolkit speaks French to a French user and English to others. The language is chosen, in
this order, by :func:`use_lang` (a ``with`` block: ``panel(lang=)``, ``build_report(lang=)``,
``smsp --lang``), :func:`set_lang` (a notebook session: it sets ``SMSP_LANG`` for this process),
the ``SMSP_LANG`` variable (``fr`` or ``en``), the user's locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG`` beginning with ``fr`` means French), else English.

Sentences are marked with :func:`_` (translated now), :func:`N_` (marked for extraction,
translated later with ``_(constant)``) and :func:`ngettext`. They use ``str.format``
placeholders (``_("{count} contacts").format(count=...)``) so that a translation can move
them. The French catalogs are standard gettext ``.po`` files in ``locale/fr/LC_MESSAGES/``
(one per part of the toolkit; :func:`_` reads all of them as one set) compiled to ``.mo``
by ``python scripts/i18n.py compile``; both are shipped in the package.

Numbers, money and dates are not formatted here: :mod:`smsp_analytics.display` formats them
with Babel in :func:`babel_locale`.

>>> with use_lang("fr"):
...     get_lang(), babel_locale()
('fr', 'fr_FR')
>>> with use_lang("en"):
...     _("no data")
'no data'
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANG",
    "LANG_ENV",
    "LOCALE_DIR",
    "check_lang",
    "lang_from_env",
    "get_lang",
    "set_lang",
    "use_lang",
    "babel_locale",
    "translations",
    "_",
    "N_",
    "ngettext",
]

#: The languages the toolkit speaks; the first is the default and the catalogs' source.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANG = "en"
#: The environment variable that chooses the language.
LANG_ENV = "SMSP_LANG"
#: Where the catalogs live: ``LOCALE_DIR/<lang>/LC_MESSAGES/<part>.po|.mo``.
LOCALE_DIR = Path(__file__).parent / "locale"

_BABEL_LOCALES = {"en": "en_US", "fr": "fr_FR"}

# A ``with use_lang(...)`` block; None outside any (the environment then decides).
_chosen: ContextVar[str | None] = ContextVar("smsp_lang", default=None)


def check_lang(lang: str, *, field: str = "lang") -> str:
    """Return ``lang`` in lower case if the toolkit speaks it, else raise ``ValueError``.

    >>> check_lang("FR")
    'fr'
    """
    value = str(lang).strip().lower()
    if value not in LANGUAGES:
        raise ValueError(
            f"{field}: {lang!r} is not a language the toolkit speaks; allowed: "
            + ", ".join(LANGUAGES)
        )
    return value


def lang_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``SMSP_LANG``, else the locale, else English.

    An unknown ``SMSP_LANG`` is an error naming the variable (a typo should not silently
    give English).

    >>> lang_from_env({"LANG": "fr_FR.UTF-8"}), lang_from_env({"LANG": "C.UTF-8"})
    ('fr', 'en')
    >>> lang_from_env({"SMSP_LANG": "en", "LC_ALL": "fr_FR.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    asked = env.get(LANG_ENV, "").strip()
    if asked:
        return check_lang(asked, field=LANG_ENV)
    # POSIX precedence: the first of these that is set decides
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "fr" if value.lower().startswith("fr") else DEFAULT_LANG
    return DEFAULT_LANG


def get_lang() -> str:
    """The language in force here: the innermost :func:`use_lang`, else the environment."""
    return _chosen.get() or lang_from_env()


def set_lang(lang: str | None) -> None:
    """Set the language for this process (a notebook session); ``None`` goes back to the locale.

    It sets ``SMSP_LANG``, so that it lasts across notebook cells and reaches the commands
    this process starts.
    """
    if lang is None:
        os.environ.pop(LANG_ENV, None)
    else:
        os.environ[LANG_ENV] = check_lang(lang)


@contextmanager
def use_lang(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block (``None``: whatever is in force already)."""
    chosen = check_lang(lang) if lang is not None else get_lang()
    token = _chosen.set(chosen)
    try:
        yield chosen
    finally:
        _chosen.reset(token)


def babel_locale(lang: str | None = None) -> str:
    """The Babel (CLDR) locale that formats numbers, money and dates for ``lang``."""
    return _BABEL_LOCALES[check_lang(lang) if lang is not None else get_lang()]


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """All of ``lang``'s compiled catalogs as one translation set (English: the source)."""
    lang = check_lang(lang)
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    found: gettext.NullTranslations = gettext.NullTranslations()
    if lang == DEFAULT_LANG or not folder.is_dir():
        return found
    for mo in sorted(folder.glob("*.mo")):
        with mo.open("rb") as fh:
            part = gettext.GNUTranslations(fh)
        part.add_fallback(found)
        found = part
    return found


def _(message: str) -> str:
    """``message`` in the language in force (itself when no translation exists)."""
    return translations(get_lang()).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now (module constants)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for ``n``, in the language in force."""
    return translations(get_lang()).ngettext(singular, plural, n)
