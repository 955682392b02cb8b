"""The :class:`~smsp_analytics.client.facade.Client` constructor's arguments, checked at the call.

Every argument is checked before anything starts (no sandbox, no file, no request), and a
bad one raises TypeError/ValueError naming it and the values it allows: an argument of the
wrong type is never taken for something else (``synthetic="no"`` is not true,
``cache_expire_after="x"`` does not wait for the first cached answer to fail).

>>> check_client_arguments(format="json", base_url=None, cache=True, timeout=(5, 30),
...                        retries=3, backoff_factor=0.3, retry_after_max=30, deadline=60,
...                        cache_expire_after=86400, journal=None, rentals_dir=None,
...                        synthetic=None, sandbox=None, announce=True, memo=True,
...                        history=True, keyed=False)
>>> check_client_arguments(format="json", base_url=None, cache=True, timeout=(5, 30),
...                        retries=3, backoff_factor=0.3, retry_after_max=30, deadline=60,
...                        cache_expire_after="x", journal=None, rentals_dir=None,
...                        synthetic=None, sandbox=None, announce=True, memo=True,
...                        history=True, keyed=False)
Traceback (most recent call last):
...
TypeError: cache_expire_after: 'x' is not allowed; allowed: seconds >= 0 (a number or a ...
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smsp_analytics.errors import not_allowed
from smsp_analytics.history import QuoteHistory
from smsp_analytics.i18n import N_, _
from smsp_analytics.wire.checks import check_settings
from smsp_analytics.wire.scope import Secret

__all__ = ["check_client_arguments"]


_PATHLIKE = (str, os.PathLike)


def _check_bool(name: str, value: Any, *, none: bool = False) -> None:
    if isinstance(value, bool) or (none and value is None):
        return
    allowed = N_("True, False or None") if none else N_("True or False")
    raise TypeError(not_allowed(name, value, allowed))


def _check_path(name: str, value: Any, allowed: str) -> None:
    if value is None:
        return
    if not isinstance(value, _PATHLIKE) or not os.fspath(value).strip():
        raise TypeError(not_allowed(name, value, allowed))


def _check_expiry(value: Any) -> None:
    allowed = N_("seconds >= 0 (a number or a datetime.timedelta), or None to never expire")
    if value is None:
        return
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise TypeError(not_allowed("cache_expire_after", value, allowed))
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(not_allowed("cache_expire_after", value, allowed))


def _check_sandbox(options: Any, keyed: bool, key_from_env: bool = False) -> None:
    if options is None:
        return
    if not isinstance(options, Mapping):
        raise TypeError(
            not_allowed(
                "sandbox",
                options,
                N_("a dict of sandbox options such as {'seed': 0, 'date': '2026-11-01'}, or None"),
            )
        )
    if not options:
        return
    if keyed and key_from_env:
        # Notebooks pin the sandbox with options and must run unchanged once a user sets
        # a key: the key wins, and the user is told the options are not used.
        warnings.warn(
            _(
                "sandbox: options {options} ignored: SMSPARTNER_API_KEY is set, so this "
                "client talks to that key's API"
            ).format(options=sorted(map(str, options))),
            UserWarning,
            stacklevel=4,
        )
        return
    if keyed:
        # A key and sandbox options in one call contradict each other.
        raise ValueError(
            _(
                "sandbox: options {options} are only used without an API key, and a key is "
                "set (api_key or SMSPARTNER_API_KEY); allowed: no sandbox options with a key"
            ).format(options=sorted(map(str, options)))
        )
    from smsp_analytics.sandbox import Sandbox  # late: only a caller asking for options pays for it

    known = [p for p in inspect.signature(Sandbox.__init__).parameters if p != "self"]
    unknown = [k for k in options if k not in known]
    if unknown:
        raise ValueError(
            _("sandbox: {names} is not a sandbox option; allowed: {allowed}").format(
                names=", ".join(map(repr, unknown)), allowed=", ".join(known)
            )
        )


def check_client_arguments(
    *,
    format: Any,
    base_url: Any,
    cache: Any,
    timeout: Any,
    retries: Any,
    backoff_factor: Any,
    retry_after_max: Any,
    deadline: Any,
    cache_expire_after: Any,
    journal: Any,
    rentals_dir: Any,
    synthetic: Any,
    sandbox: Any,
    announce: Any,
    memo: Any,
    history: Any,
    keyed: bool,
    key_from_env: bool = False,
) -> None:
    """Raise TypeError/ValueError naming the first bad argument and its allowed values.
    ``keyed``: an API key is set (argument or environment), so no sandbox will start;
    ``key_from_env``: it comes from the environment only (sandbox options then only warn)."""
    if not isinstance(format, str) or format not in ("json", "xml"):
        raise ValueError(not_allowed("format", format, "'json', 'xml'"))
    if base_url is not None and (
        not isinstance(base_url, str)
        or not base_url.strip()
        or not base_url.strip().lower().startswith(("http://", "https://"))
    ):
        raise ValueError(
            not_allowed(
                "base_url",
                base_url,
                N_("an http(s) URL such as 'https://api.smspartner.fr/v1/', or None"),
            )
        )
    if not (cache is None or isinstance(cache, bool)):
        _check_path("cache", cache, N_("True (the user cache folder), False, or a file path"))
    check_settings(
        timeout=timeout,
        retries=retries,
        backoff_factor=backoff_factor,
        retry_after_max=retry_after_max,
        deadline=deadline,
    )
    _check_expiry(cache_expire_after)
    _check_path("journal", journal, N_("a file path, or None for the default journal"))
    _check_path("rentals_dir", rentals_dir, N_("a folder path, or None for the default folder"))
    if (
        rentals_dir is not None
        and Path(rentals_dir).expanduser().exists()
        and not Path(rentals_dir).expanduser().is_dir()
    ):
        # Found out only after a paid rental's one-shot download otherwise.
        raise ValueError(
            _(
                "rentals_dir: {path} is a file; allowed: a folder path (existing or not), or None"
            ).format(path=repr(os.fspath(rentals_dir)))
        )
    _check_bool("synthetic", synthetic, none=True)
    _check_sandbox(sandbox, keyed, key_from_env)
    _check_bool("announce", announce)
    _check_bool("memo", memo)
    if not (history is None or isinstance(history, (bool, str, Secret, os.PathLike, QuoteHistory))):
        raise TypeError(
            not_allowed(
                "history",
                history,
                N_("True, False, a path or a database URL"),
                shown=_("a {type}").format(type=type(history).__name__),
            )
        )
