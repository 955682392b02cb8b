"""Who is being talked to: the account scope of caches and journals, and the secret key.

A scope is a one-way hash of the API key (never the key), the normalised origin (scheme,
host with ``localhost`` read as ``127.0.0.1``, port) and, for a loopback sandbox, its seed,
clock date and instance as ``GET /_sandbox/info`` reports them. Two clients share cached
answers and journal entries only when their scopes agree: another account, a wrong key or a
re-seeded sandbox on the same port never gets the first one's answers.

>>> s = Secret("sk_live_abc")
>>> "sk_live_abc" in repr(s) + str(s)
False
>>> normalise_origin("http://LOCALHOST:8765/v1/") == normalise_origin("http://127.0.0.1:8765/")
True
>>> key_digest("k1") != key_digest("k2") and "k1" not in key_digest("k1")
True
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from smsp_analytics.i18n import _

__all__ = [
    "Secret",
    "KeyAuth",
    "key_digest",
    "normalise_origin",
    "is_loopback",
    "SandboxInfo",
    "sandbox_info",
    "account_scope",
]


_DEFAULT_PORTS = {"http": 80, "https": 443}


class Secret:
    """Holds the API key so that no repr, str or traceback local shows it.

    Frames captured with ``capture_locals=True`` show ``Secret(***)``; only
    :meth:`reveal` gives the value back, at the lowest layer (the request's auth hook).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The key itself (for the request being sent, nothing else)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__

    def __reduce__(self) -> Any:  # never pickled into a cache or a history
        raise TypeError(_("a Secret cannot be pickled"))


class KeyAuth(requests.auth.AuthBase):
    """Adds ``apiKey`` to the prepared request: the query string of a GET, the JSON body of
    a POST. The key is read from its :class:`Secret` here and nowhere else."""

    def __init__(self, secret: Secret) -> None:
        self._secret = secret

    def __repr__(self) -> str:
        return "KeyAuth(***)"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if r.method == "GET" or not r.body:
            r.prepare_url(r.url, {"apiKey": self._secret.reveal()})
        else:
            r.prepare_body(
                data=None, files=None, json={"apiKey": self._secret.reveal(), **json.loads(r.body)}
            )
        return r


def key_digest(key: str | Secret) -> str:
    """A one-way digest of an API key (16 hex characters), to scope caches and journals."""
    value = key.reveal() if isinstance(key, Secret) else str(key)
    return hashlib.sha256(b"smsp-analytics/account\0" + value.encode()).hexdigest()[:16]


def _host(hostname: str) -> str:
    host = hostname.strip().rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "127.0.0.1"
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host  # a name: real hosts are not resolved (DNS may be slow or absent)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return "127.0.0.1" if ip.is_loopback and ip.version == 4 else ip.compressed


def normalise_origin(url: str) -> str:
    """``scheme://host:port`` with the host lower-cased and ``localhost`` as ``127.0.0.1``."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "https").lower()
    host = _host(parts.hostname or "")
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://{host}:{port}"


def is_loopback(url: str) -> bool:
    """True for 127.0.0.0/8, ``::1`` and ``localhost`` URLs (a local sandbox)."""
    host = _host(urlsplit(url).hostname or "")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SandboxInfo:
    """What a sandbox says of itself (``GET /_sandbox/info``); None values when unknown."""

    seed: Any = None
    date: str | None = None
    instance: str | None = None

    def token(self) -> str:
        return json.dumps([self.seed, self.date, self.instance], default=str)


def sandbox_info(base_url: str, timeout: float = 2.0) -> SandboxInfo | None:
    """The sandbox's seed, date and instance, or None when it has no info endpoint (an
    older sandbox, or not a sandbox at all)."""
    origin = urlsplit(base_url)
    url = f"{origin.scheme}://{origin.netloc}/_sandbox/info"
    try:
        resp = requests.get(url, timeout=timeout)
    except requests.exceptions.RequestException:
        return None
    if resp.status_code != 200:
        return None
    try:
        body = resp.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    return SandboxInfo(
        body.get("seed"),
        None if body.get("date") is None else str(body["date"]),
        None if body.get("instance") is None else str(body["instance"]),
    )


def account_scope(key: str | Secret, base_url: str, info: SandboxInfo | None = None) -> str:
    """The cache scope: digest of key, normalised origin and sandbox identity."""
    text = json.dumps(
        [key_digest(key), normalise_origin(base_url), None if info is None else info.token()]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]
