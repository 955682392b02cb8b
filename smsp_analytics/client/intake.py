"""The facade's intake: how what a user passes to :class:`~smsp_analytics.client.facade.Client`
becomes what its parts take. The constructor's arguments are all checked at the call
(:mod:`.args`), before a sandbox, a file or a request, then made into the parts
(:mod:`.assembly`), and a no-key client says once that it uses the sandbox; a budget plan
given where a targeting is expected brings its own volumes. ``Client(...)`` is the example
of :func:`open_parts`.

>>> unpack_plan({"sexe": "f"}, {"60": 10})
({'sexe': 'f'}, {'60': 10})
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smsp_analytics.client.args import check_client_arguments
from smsp_analytics.client.assembly import ClientParts, assemble, key_from_environment
from smsp_analytics.errors import SyntheticDataWarning
from smsp_analytics.i18n import _
from smsp_analytics.vocab import APP_NAME
from smsp_analytics.wire.scope import Secret

__all__ = ["open_parts", "unpack_plan"]


def open_parts(
    secret: Secret | None,
    *,
    base_url: str | None,
    format: str,
    cache: bool | str | Path,
    timeout: float | tuple[float, float],
    retries: int,
    backoff_factor: float,
    retry_after_max: float,
    deadline: float,
    cache_expire_after: float | None,
    journal: str | Path | None,
    rentals_dir: str | Path | None,
    synthetic: bool | None,
    sandbox: Mapping[str, Any] | None,
    announce: bool,
    memo: bool,
    history: Any,
) -> ClientParts:
    """The parts of a client made with these arguments of ``Client(...)`` (every one is
    passed: the defaults are the constructor's): all checked first (errors name the
    argument), then assembled; with ``announce``, a :class:`SyntheticDataWarning` when a
    background sandbox was started, at the caller of ``Client(...)``. ``secret`` is the key
    already wrapped and ``history`` a database URL already a :class:`Secret` (neither is
    ever a traceback local as text)."""
    options: dict[str, Any] = dict(
        base_url=base_url,
        format=format,
        cache=cache,
        timeout=timeout,
        retries=retries,
        backoff_factor=backoff_factor,
        retry_after_max=retry_after_max,
        deadline=deadline,
        cache_expire_after=cache_expire_after,
        journal=journal,
        rentals_dir=rentals_dir,
        synthetic=synthetic,
        sandbox=sandbox,
        memo=memo,
        history=history,
    )
    env_key = key_from_environment() is not None
    check_client_arguments(
        **options,
        announce=announce,
        keyed=secret is not None or env_key,
        key_from_env=secret is None and env_key,
    )
    parts = assemble(secret, **options)
    if announce and parts.sandbox is not None:
        warnings.warn(
            _(
                "{app}: no SMSPARTNER_API_KEY set, using the local sandbox at {url} "
                "(synthetic data)"
            ).format(app=APP_NAME, url=parts.context.base_url),
            SyntheticDataWarning,
            stacklevel=3,  # this, Client.__init__, the caller
        )
    return parts


def unpack_plan(t: Any, volumes: Any) -> tuple[Any, Any]:
    """``(targeting, volumes)`` of what a money or price method got: a budget plan
    (``plan_budget``) carries its targeting and volumes (explicit ``volumes`` win);
    anything else is the targeting itself."""
    if hasattr(t, "targeting") and hasattr(t, "volumes") and not isinstance(t, Mapping):
        return t.targeting, t.volumes if volumes is None else volumes
    return t, volumes
