"""How an error's text is made: the parts of a message (plain text, an :class:`Arg`, a
:class:`Call`), how a reader spells them, and the redaction of the API key.

A message that names an argument or a call holds it as a part, so that each reader renders
it its own way: Python by default, flags and ``smsp`` commands on the command line.

>>> parts = as_parts(["pass ", Arg("again"), " or run ",
...                   Call("smsp journal", "client.journal()")])
>>> render(parts, None)
'pass again=True or run client.journal()'
>>> render(parts, lambda ref: "--again" if isinstance(ref, Arg) else f"`{ref.cli}`")
'pass --again or run `smsp journal`'

A translated sentence keeps its placeholders until it is cut into parts by :func:`parts_of`,
so that a translation may move the argument it names:

>>> render(parts_of("pass {again} to rent {n} again", again=Arg("again"), n=2), None)
'pass again=True to rent 2 again'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Any

__all__ = ["redact", "Arg", "Call", "Part", "Parts", "Spelling", "render", "as_parts", "parts_of"]

# apiKey=..., "apiKey": "...", 'apiKey': '...' (query strings, JSON bodies, dict reprs).
_KEY_PATTERNS = [
    re.compile(r"(apiKey=)[^&\s'\"]*", re.IGNORECASE),
    re.compile(r"""(["']apiKey["']\s*:\s*["'])[^"']*""", re.IGNORECASE),
]


def redact(text: Any, *secrets: str | None) -> str:
    """Text with every ``apiKey`` value (and any given secret) replaced by ``***``.

    >>> redact("GET /v1/me?apiKey=abc&x=1")
    'GET /v1/me?apiKey=***&x=1'
    """
    out = str(text)
    for pattern in _KEY_PATTERNS:
        out = pattern.sub(r"\1***", out)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    return out


@dataclass(frozen=True)
class Arg:
    """An argument a message names (``again=True``): the library's reader sees ``python``
    (default ``name=shown``), the command line the flag of the option named ``name``."""

    name: str
    value: Any = True
    shown: str | None = None
    python: str | None = None

    def __str__(self) -> str:
        if self.python is not None:
            return self.python
        return f"{self.name}={self.value if self.shown is None else self.shown}"


@dataclass(frozen=True)
class Call:
    """A call a message advises (``client.journal_entries()``): ``python`` is the library
    reader's text, ``cli`` the ``smsp`` command doing the same."""

    cli: str
    python: str

    def __str__(self) -> str:
        return self.python


Part = str | Arg | Call
#: How a reader spells an :class:`Arg` or a :class:`Call` (None: the Python text).
Spelling = Callable[[Arg | Call], str | None]


def render(parts: Sequence[Part], spell: Spelling | None) -> str:
    """The text of ``parts``, each :class:`Arg` and :class:`Call` as ``spell`` says (its
    Python text when ``spell`` is None or returns None). Not redacted."""
    out = []
    for part in parts:
        said = None if isinstance(part, str) or spell is None else spell(part)
        out.append(str(part) if said is None else said)
    return "".join(out)


def as_parts(message: str | Sequence[Part]) -> tuple[Part, ...]:
    """A message as a tuple of parts (a plain string is one part)."""
    return (message,) if isinstance(message, str) else tuple(message)


class Parts(tuple[Part, ...]):
    """The parts of a message made by :func:`parts_of`: as a placeholder's value in another
    message, they are spliced in (their :class:`Arg` and :class:`Call` stay parts)."""

    __slots__ = ()


_FORMATTER = Formatter()


def parts_of(template: str, /, **values: Any) -> Parts:
    """The parts of ``template`` (a sentence with ``str.format`` placeholders, usually just
    translated) with each placeholder filled: an :class:`Arg` or a :class:`Call` stays a part
    (each reader spells it), :class:`Parts` are spliced in, anything else is formatted as
    ``str.format`` would.

    >>> parts_of("run {call} ({n:,} rows)", call=Call("smsp journal", "j()"), n=1234)
    ('run ', Call(cli='smsp journal', python='j()'), ' (1,234 rows)')
    """
    out: list[Part] = []

    def add(part: Part) -> None:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        elif not isinstance(part, str) or part:
            out.append(part)

    for literal, name, spec, conversion in _FORMATTER.parse(template):
        add(literal)
        if name is None:
            continue
        value = _FORMATTER.get_field(name, (), values)[0]
        if isinstance(value, (Arg, Call)):
            add(value)
        elif isinstance(value, Parts):
            for part in value:
                add(part)
        else:
            if conversion:
                value = _FORMATTER.convert_field(value, conversion)
            add(_FORMATTER.format_field(value, spec or ""))
    return Parts(out)
