"""Database URLs of the quote history: parsed strictly, never shown with their password.

A password holding an unencoded ``@``, ``/``, ``?`` or ``#`` makes a URL ambiguous: SQLAlchemy
then reads part of the password as the host (and shows it in every repr). Such URLs are
refused with a message saying to percent-encode them. :func:`parse_url` never raises: a
caller raises its own error once no frame holding the URL's text is left on the stack
(traceback locals print every frame's variables).

>>> url, problem = parse_url("postgresql+psycopg://ana:pq@RY-9f3e@127.0.0.1/quotes", "history")
>>> url is None and "percent-encode" in problem and "RY-9f3e" not in problem
True
>>> url, _ = parse_url("postgresql+psycopg://ana:pq%40RY-9f3e@127.0.0.1/quotes", "history")
>>> redact_url(url), url.password == "pq@RY-9f3e"
('postgresql+psycopg://ana:***@127.0.0.1/quotes', True)
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import sqlalchemy as sa

from smsp_analytics.i18n import N_, _
from smsp_analytics.wire.scope import Secret

__all__ = ["redact_url", "parse_url", "hide", "EXPECTED", "unsupported_url"]


#: What a database URL looks like (marked for translation: ``_(EXPECTED)`` at use time).
EXPECTED = N_(
    "expected sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB, "
    "with special characters of the user name and password percent-encoded "
    "(urllib.parse.quote(password, safe=''))"
)
_SCHEME = re.compile(r"^(?P<scheme>[\w+]+)://(?P<rest>.*)$", re.DOTALL)
_SECRET_PARAM = re.compile(r"pass|secret|token|key", re.IGNORECASE)


def hide(url: str | sa.URL | Secret) -> sa.URL | Secret:
    """A URL given as text, wrapped so that no traceback local or repr shows it."""
    return Secret(url) if isinstance(url, str) else url


def redact_url(url: str | sa.URL) -> str:
    """A database URL without its password (nor any query parameter that looks secret).

    >>> redact_url("postgresql+psycopg://ana:s3cret@db.example:5432/quotes")
    'postgresql+psycopg://ana:***@db.example:5432/quotes'
    >>> redact_url("postgresql+psycopg://ana@db.example/quotes?password=s3cret")
    'postgresql+psycopg://ana@db.example/quotes?password=***'
    """
    parsed = sa.make_url(url)
    if any(_SECRET_PARAM.search(k) for k in parsed.query):
        parsed = parsed.update_query_dict(
            {k: "***" for k in parsed.query if _SECRET_PARAM.search(k)}
        )
    # SQLAlchemy percent-encodes the stars of a query value: shown as plain stars
    return parsed.render_as_string(hide_password=True).replace("=%2A%2A%2A", "=***")


def _shown(scheme: str, rest: str, at: int) -> str:
    """The URL as the message shows it: the password replaced, secret-looking query
    parameters too (``rest`` is unambiguous here)."""
    user, colon, _ = rest[:at].partition(":") if at >= 0 else ("", "", "")
    head = f"{user}{':***' if colon else ''}@" if at >= 0 else ""
    tail, question, query = rest[at + 1 :].partition("?")
    if question:
        query = "&".join(
            f"{k}={'***' if _SECRET_PARAM.search(k) else v}"
            for k, v in parse_qsl(query, keep_blank_values=True)
        )
    return f"{scheme}://{head}{tail}{question}{query}"


def _problem(text: str, name: str) -> str | None:
    """What is wrong with a URL's text, in words that never quote its password."""
    match = _SCHEME.match(text.strip())
    if match is None:
        return _not_a_url(name)
    scheme, rest = match["scheme"], match["rest"]
    if scheme.split("+")[0].lower() == "sqlite":
        return None  # a path: no credentials (and '@' is a legal path character)
    at = rest.find("@")
    if rest.count("@") > 1 or (at >= 0 and any(c in rest[:at] for c in "/?#")):
        return _(
            "{name}: the credentials of this {scheme}:// URL are ambiguous (an unencoded "
            "'@', '/', '?' or '#' in the user name or password); percent-encode them, "
            "e.g. '@' as %40, with urllib.parse.quote(password, safe='') (the URL is not "
            "shown: it holds a password)"
        ).format(name=name, scheme=scheme)
    hostport = re.split(r"[/?]", rest[at + 1 :], maxsplit=1)[0]
    port = hostport.rpartition("]")[2] if hostport.startswith("[") else hostport
    port = port.partition(":")[2] if ":" in port else None
    if port is not None and port != "" and not (port.isdigit() and 0 < int(port) < 65536):
        return _("{name}: the port {port} of {url} is not a number from 1 to 65535").format(
            name=name, port=repr(port), url=_shown(scheme, rest, at)
        )
    return None


def parse_url(url: str | sa.URL | Secret, name: str) -> tuple[sa.URL | None, str | None]:
    """``(url, None)``, or ``(None, problem)`` naming ``name`` (the argument or environment
    variable the URL came from) and the part that is wrong, without the password."""
    if isinstance(url, Secret):
        url = url.reveal()
    if isinstance(url, str):
        problem = _problem(url, name)
        if problem is not None:
            return None, problem
        try:
            url = sa.make_url(url.strip())
        except (sa.exc.ArgumentError, ValueError, TypeError):
            return None, _not_a_url(name)
    if not isinstance(url, sa.URL):
        return None, _("{name}: a {type} is not a database URL ({expected})").format(
            name=name, type=type(url).__name__, expected=_(EXPECTED)
        )
    if url.host is not None and "@" in url.host:
        return None, _("{name}: the URL's host holds an '@' (an unencoded password?)").format(
            name=name
        )
    try:
        url.get_dialect()  # the dialect only: its driver is imported by create_engine
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        return None, unsupported_url(name, redact_url(url), exc)
    return url, None


def _not_a_url(name: str) -> str:
    return _("{name}: not a database URL ({expected})").format(name=name, expected=_(EXPECTED))


def unsupported_url(name: str, shown: str, exc: BaseException) -> str:
    """The message of a URL whose database driver is not installed (``shown``: redacted)."""
    return _(
        "{name}: unsupported database URL {url} ({error}); allowed: sqlite:///PATH, "
        "postgresql+psycopg://..."
    ).format(name=name, url=shown, error=exc)
