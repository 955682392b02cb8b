"""How a client's parts are made from its arguments and the environment.

The one place that reads ``SMSPARTNER_API_KEY`` and ``SMSPARTNER_BASE_URL``, starts the
no-key sandbox (its cache, journal, kept downloads and history in a temporary directory that
lives and dies with the client) and hands each part what it needs
(:class:`~smsp_analytics.money.context.ClientContext`, the transport, the account's journal,
the recorder). :class:`~smsp_analytics.client.facade.Client` and
:func:`~smsp_analytics.client.facade.make_client` call it.

>>> parts = assemble(None, cache=False, sandbox={"seed": 1})    # no key: a sandbox
>>> parts.context.source, parts.context.sandbox.seed, parts.journal.scope.startswith("sandbox")
('sandbox', 1, False)
>>> parts.close()
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from smsp_analytics.client.account import Account
from smsp_analytics.client.clock import SandboxClock
from smsp_analytics.client.quotes import Quotes
from smsp_analytics.client.recording import HistoryRecorder, open_history
from smsp_analytics.history import key_hash
from smsp_analytics.money.account_journal import AccountJournal
from smsp_analytics.money.context import ClientContext
from smsp_analytics.money.journal import default_journal_path
from smsp_analytics.money.reconciling import Reconciler
from smsp_analytics.money.rentals import Downloads, default_rentals_dir
from smsp_analytics.money.renting import Renting
from smsp_analytics.vocab import ENV_API_KEY, ENV_BASE_URL
from smsp_analytics.wire.checks import writable_file
from smsp_analytics.wire.scope import Secret, is_loopback, key_digest, normalise_origin
from smsp_analytics.wire.transport import Transport

__all__ = [
    "assemble",
    "ClientParts",
    "secret_of",
    "key_from_environment",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "DEFAULT_BASE_URL",
]

DEFAULT_BASE_URL = "https://api.smspartner.fr/v1/"


def secret_of(api_key: Any) -> Secret | None:
    """The key argument wrapped at once, so no later frame of the constructor holds it
    (None: no key given); TypeError/ValueError naming ``api_key``."""
    if api_key is None:
        return None
    if isinstance(api_key, Secret):
        return api_key
    if not isinstance(api_key, str):
        raise TypeError(
            f"api_key: a {type(api_key).__name__} is not allowed; allowed: a "
            "str, or None to use the offline sandbox"
        )
    if not api_key.strip():
        # An empty key would only earn code 1 from the API; None asks for the sandbox.
        raise ValueError("api_key: empty; pass a key, or None to use the offline sandbox")
    return Secret(api_key.strip())


def key_from_environment() -> Secret | None:
    """``$SMSPARTNER_API_KEY`` (stripped) as a Secret, or None when unset or blank."""
    key = os.environ.get(ENV_API_KEY, "").strip()
    return Secret(key) if key else None


class ClientParts:
    """The parts of one client, and what they own (the sandbox, its temporary directory).
    Filled in order by :func:`assemble`; :meth:`close` closes whatever was made."""

    context: ClientContext
    transport: Transport
    journal: AccountJournal
    recorder: HistoryRecorder
    clock: SandboxClock
    quotes: Quotes
    account: Account
    renting: Renting
    reconciler: Reconciler
    downloads: Downloads

    def __init__(self) -> None:
        self.sandbox: Any = None
        self.tmpdir: str | None = None
        self.remove_tmpdir: Callable[[], Any] | None = None

    def __repr__(self) -> str:
        return f"ClientParts({', '.join(sorted(vars(self)))})"

    def close(self) -> None:
        """Close the sessions, the history (before the temporary directory that may hold
        it goes), the clock's connection; stop the background sandbox."""
        made = vars(self)
        if "transport" in made:
            self.transport.close()
        if "recorder" in made:
            self.recorder.close()
        if "clock" in made:
            self.clock.close()
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        if self.remove_tmpdir is not None:
            self.remove_tmpdir()
            self.remove_tmpdir = self.tmpdir = None


def assemble(
    secret: Secret | None,
    *,
    base_url: str | None = None,
    format: str = "json",
    cache: bool | str | Path = True,
    timeout: Any = (5.0, 30.0),
    retries: int = 3,
    backoff_factor: float = 0.3,
    retry_after_max: float = 30,
    deadline: float = 60,
    cache_expire_after: Any = 86400,
    journal: str | Path | None = None,
    rentals_dir: str | Path | None = None,
    synthetic: bool | None = None,
    sandbox: Mapping[str, Any] | None = None,
    memo: bool = True,
    history: Any = True,
) -> ClientParts:
    """The parts of a client whose arguments are already checked
    (:func:`~smsp_analytics.client.args.check_client_arguments`). ``secret`` None: the
    environment's key, else a background sandbox. On failure whatever was made is closed."""
    parts = ClientParts()
    try:
        _assemble(
            parts,
            secret or key_from_environment(),
            base_url,
            format,
            cache,
            timeout,
            retries,
            backoff_factor,
            retry_after_max,
            deadline,
            cache_expire_after,
            journal,
            rentals_dir,
            synthetic,
            dict(sandbox or {}),
            memo,
            history,
        )
    except BaseException:
        parts.close()
        raise
    return parts


def _assemble(
    parts: ClientParts,
    secret: Secret | None,
    base_url: str | None,
    fmt: str,
    cache: Any,
    timeout: Any,
    retries: Any,
    backoff_factor: Any,
    retry_after_max: Any,
    deadline: Any,
    expire: Any,
    journal: Any,
    rentals_dir: Any,
    synthetic: bool | None,
    options: dict[str, Any],
    memo: bool,
    history: Any,
) -> None:
    if secret is None:
        # The one place the client side touches the sandbox: the no-key mode.
        from smsp_analytics.sandbox import Sandbox

        options = {"seed": 0, "rental_delay": 0.0, **options}
        parts.sandbox = Sandbox(**options)
        parts.sandbox.start()
        secret = Secret(parts.sandbox.api_key)
        base_url = parts.sandbox.base_url
        # The sandbox's state lives and dies with this client: its cache, journal and
        # kept downloads go to a temporary directory, never mixed with real ones.
        parts.tmpdir = tempfile.mkdtemp(prefix="smsp-sandbox-")
        # Gone with the process too when the client is never closed (a kernel shut down
        # with its panel still open, a script that forgot ``with``).
        parts.remove_tmpdir = weakref.finalize(parts, shutil.rmtree, parts.tmpdir, True)
        cache = Path(parts.tmpdir) / "http_cache.sqlite" if cache is True else cache
        journal = journal or Path(parts.tmpdir) / "rent_journal.sqlite"
        rentals_dir = rentals_dir or Path(parts.tmpdir) / "rentals"
    base = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).strip()
    base = base if base.endswith("/") else base + "/"
    context = parts.context = ClientContext(
        base_url=base,
        format=fmt,
        synthetic=(parts.sandbox is not None or is_loopback(base))
        if synthetic is None
        else bool(synthetic),
        rentals_dir=Path(rentals_dir) if rentals_dir is not None else default_rentals_dir(),
        sandbox=parts.sandbox,
    )
    transport = parts.transport = Transport(
        secret,
        base,
        fmt=fmt,
        cache=cache,
        expire_after=expire,
        timeout=timeout,
        retries=retries,
        backoff_factor=backoff_factor,
        retry_after_max=retry_after_max,
        deadline=deadline,
    )
    # Journal entries belong to the account they charged: origin + key digest. A
    # background sandbox has a new port each start: its state file names the account.
    # Entries written before scopes named the account were scoped by the base URL: their
    # unsettled ones still block, and can be settled here.
    state = options.get("state_path") if parts.sandbox is not None else None
    parts.journal = AccountJournal(
        writable_file("journal", Path(journal) if journal is not None else default_journal_path()),
        f"sandbox:{Path(state).resolve()}"
        if state
        else f"{normalise_origin(base)}#{key_digest(secret)}",
        () if state else (base,),
    )
    parts.clock = SandboxClock(
        base, synthetic=context.synthetic, transport=transport, sandbox=parts.sandbox
    )
    if isinstance(history, str):
        history = Secret(history)  # a database URL's password: never a traceback local
    parts.recorder = HistoryRecorder(
        open_history(history, parts.tmpdir, bool(state)),
        key_hash=key_hash(secret.reveal()),
        source=parts.clock.history_source,
    )
    parts.quotes = Quotes(context, transport, parts.recorder, parts.clock, memo=memo)
    parts.account = Account(context, transport)
    parts.renting = Renting(
        context, transport, parts.journal, parts.quotes, parts.account, parts.recorder
    )
    parts.reconciler = Reconciler(parts.journal, parts.account)
    parts.downloads = Downloads(context, transport, parts.journal, parts.account)
