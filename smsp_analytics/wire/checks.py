"""Argument checks shared by the client's constructors: errors name the argument.

>>> check_settings(timeout=(5, 30), retries=3, backoff_factor=0.3, retry_after_max=30,
...                deadline=60)
(5.0, 30.0)
>>> check_number("retries", -1, low=0, integer=True)
Traceback (most recent call last):
...
ValueError: retries: -1 is not allowed; allowed: an int >= 0
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from smsp_analytics.errors import not_allowed
from smsp_analytics.i18n import N_, _

__all__ = ["check_number", "check_settings", "writable_file"]

_KINDS = {
    (True, False): N_("an int >= {low}"),
    (True, True): N_("an int > {low}"),
    (False, False): N_("a finite number >= {low}"),
    (False, True): N_("a finite number > {low}"),
}


def check_number(
    name: str, value: Any, *, low: float, integer: bool = False, strict: bool = False
) -> None:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int if integer else (int, float))
        and math.isfinite(value)
        and (value > low if strict else value >= low)
    )
    if not ok:
        allowed = _(_KINDS[integer, strict]).format(low=f"{low:g}")
        raise ValueError(not_allowed(name, value, allowed))


def check_settings(
    *, timeout: Any, retries: Any, backoff_factor: Any, retry_after_max: Any, deadline: Any
) -> tuple[float, float]:
    """Check the transport settings (errors name the argument); the (connect, read)
    timeouts."""
    check_number("retries", retries, low=0, integer=True)
    check_number("backoff_factor", backoff_factor, low=0)
    check_number("retry_after_max", retry_after_max, low=0)
    check_number("deadline", deadline, low=0, strict=True)
    pair = tuple(timeout) if isinstance(timeout, (tuple, list)) else (timeout, timeout)
    if len(pair) != 2:
        raise ValueError(
            not_allowed("timeout", timeout, N_("seconds > 0 or a (connect, read) pair"))
        )
    for part in pair:
        check_number("timeout", part, low=0, strict=True)
    return float(pair[0]), float(pair[1])


def writable_file(name: str, path: Path) -> Path:
    """``path`` if its file can be written (checked now, not at first use). An existing
    file is opened for appending; otherwise a probe file is created in its folder and
    removed, so that checking leaves no empty file behind."""
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with open(path, "ab"):
                pass
        else:
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".smsp-probe-"):
                pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValueError(
            _(
                "{field}: {path} is not writable ({reason}); allowed: a file path in a "
                "writable directory"
            ).format(field=name, path=repr(str(path)), reason=reason)
        ) from None
    return path
