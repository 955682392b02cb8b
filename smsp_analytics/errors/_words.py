"""The few sentences every argument check says, in the language in force.

An argument's name and the values it allows are the library's and the vendor's words: they are
never translated. A description of what is allowed ("an int >= 0") is an English sentence
marked for translation where it is written; :func:`allowed_words` reads it in the language in
force (any other text, a list of values, comes back unchanged).

>>> not_allowed("retries", -1, "an int >= 0")
'retries: -1 is not allowed; allowed: an int >= 0'
>>> allowed_words("m, h or f"), allowed_words("")
('m, h or f', '')
"""

from __future__ import annotations

from typing import Any

from smsp_analytics.i18n import _

__all__ = ["allowed_words", "not_allowed"]


def allowed_words(allowed: str) -> str:
    """``allowed`` in the language in force when it is a marked sentence, else itself (the
    empty text too: gettext would answer it with the catalog's header)."""
    return _(allowed) if allowed else allowed


def not_allowed(name: str, value: Any, allowed: str, *, shown: str | None = None) -> str:
    """``name: value is not allowed; allowed: ...``, the sentence of a bad argument
    (``value`` shown as its repr unless ``shown`` is given)."""
    return _("{field}: {value} is not allowed; allowed: {allowed}").format(
        field=name, value=repr(value) if shown is None else shown, allowed=allowed_words(allowed)
    )
