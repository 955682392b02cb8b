"""The client: one method per vendor operation, each returning a labelled DataFrame.

With no key (argument or ``SMSPARTNER_API_KEY``) it starts the local sandbox in the
background and says so once; its frames are then labelled synthetic. With a key it talks to
``https://api.smspartner.fr/v1/`` (``SMSPARTNER_BASE_URL`` overrides). Renting and settling
the journal live in :mod:`.renting`, kept downloads in :mod:`.rentals`.

>>> with Client(announce=False) as client:        # no key: a background sandbox
...     df = client.calcul(Targeting(gender="f", age=(25, 35), interest=14,
...                                  departments=["60", "02"]))
>>> df["locality"].tolist(), df.attrs["source"], df.attrs["synthetic"]
(['60', '02'], 'sandbox', True)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, NamedTuple

import pandas as pd

from smsp_analytics.wire.checks import writable_file
from smsp_analytics.client.args import check_client_arguments
from smsp_analytics.client.recording import HistoryMixin
from smsp_analytics.errors import InvalidRequestError, SyntheticDataWarning, TargetingError
from smsp_analytics.frames import (Credits, LocalityRows, categories_frame, credits_from, locality_frame,
                     parse_locality_rows, status_frame)
from smsp_analytics.money.journal import Journal, default_journal_path
from smsp_analytics.money.rentals import DownloadMixin, check_token, default_rentals_dir
from smsp_analytics.money.renting import Rental, RentingMixin
from smsp_analytics.wire.scope import Secret, is_loopback, key_digest, normalise_origin
from smsp_analytics.targeting import Catalogue, Targeting, normalize_volumes, validate_parameters
from smsp_analytics.wire.decoding import check_localities, server_time
from smsp_analytics.wire.transport import Transport

__all__ = ["Client", "Rental", "OptinAnswer", "client_or_default", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "https://api.smspartner.fr/v1/"


class OptinAnswer(NamedTuple):
    """A parsed calcul/price answer: its rows, when it was fetched (UTC), whether it came
    from the HTTP cache or the in-memory memo, and the server's clock (``as_of``)."""

    rows: LocalityRows
    fetched_at: pd.Timestamp
    from_cache: bool
    as_of: pd.Timestamp


@contextmanager
def client_or_default(client: "Client | None" = None, **defaults: Any) -> Iterator["Client"]:
    """Use ``client``, or make a :class:`Client` (with ``defaults`` as its arguments) for
    the block and close it after.

    >>> with client_or_default(None, cache=False) as c:
    ...     isinstance(c, Client)
    True
    """
    if client is not None:
        yield client
        return
    own = Client(**{"announce": False, **defaults})
    try:
        yield own
    finally:
        own.close()


def _secret(api_key: Any) -> Secret | None:
    """The key wrapped at once, so no later frame of the constructor holds it."""
    if api_key is None:
        return None
    if isinstance(api_key, Secret):
        return api_key
    if not isinstance(api_key, str):
        raise TypeError(f"api_key: a {type(api_key).__name__} is not allowed; allowed: a "
                        "str, or None to use the offline sandbox")
    if not api_key.strip():
        # An empty key would only earn code 1 from the API; None asks for the sandbox.
        raise ValueError("api_key: empty; pass a key, or None to use the offline sandbox")
    return Secret(api_key.strip())


class Client(HistoryMixin, RentingMixin, DownloadMixin):
    """SMS Partner Contact Rental client.

    Parameters: ``api_key`` (else ``SMSPARTNER_API_KEY``, else the sandbox), ``base_url``
    (else ``SMSPARTNER_BASE_URL``), ``format`` ("json" or "xml": same frames), ``cache``
    (True: the user cache dir; a path; False), ``cache_expire_after`` (seconds or a
    timedelta; None: never), ``memo`` (keep parsed answers in memory), ``timeout``
    (seconds, or (connect, read)), ``retries``/``backoff_factor``/``retry_after_max``
    (read-only operations only), ``deadline`` (seconds: no call returns later than this
    plus one read timeout), ``journal`` (rent journal path), ``rentals_dir`` (where
    downloads are kept), ``synthetic`` (None: True for the sandbox and loopback URLs),
    ``sandbox`` (options for the background sandbox; refused with a key), ``announce``
    (say once that the sandbox is used), ``history`` (where live answers are recorded:
    True, a path, a database URL or False; see :mod:`smsp_analytics.client.recording` for
    the default and the no-key sandbox's choice). Every argument is checked at the call
    (:mod:`smsp_analytics.client.args`): errors name it and its allowed values.
    """

    def __init__(self, api_key: str | None = None, *, base_url: str | None = None,
                 format: str = "json", cache: bool | str | Path = True,
                 timeout: float | tuple[float, float] = (5.0, 30.0), retries: int = 3,
                 backoff_factor: float = 0.3, retry_after_max: float = 30,
                 deadline: float = 60, cache_expire_after: float | None = 86400,
                 journal: str | Path | None = None, rentals_dir: str | Path | None = None,
                 synthetic: bool | None = None, sandbox: Mapping[str, Any] | None = None,
                 announce: bool = True, memo: bool = True,
                 history: bool | str | os.PathLike[str] | None = True) -> None:
        secret = _secret(api_key)
        del api_key  # from here on only the Secret: traceback locals never show the key
        if isinstance(history, str):
            history = Secret(history)  # a database URL's password: never a traceback local
        env_key = bool(os.environ.get("SMSPARTNER_API_KEY", "").strip())
        # Every argument at the call, before a sandbox, a file or a request (errors name it).
        check_client_arguments(
            format=format, base_url=base_url, cache=cache, timeout=timeout, retries=retries,
            backoff_factor=backoff_factor, retry_after_max=retry_after_max, deadline=deadline,
            cache_expire_after=cache_expire_after, journal=journal, rentals_dir=rentals_dir,
            synthetic=synthetic, sandbox=sandbox, announce=announce, memo=memo,
            history=history, keyed=secret is not None or env_key,
            key_from_env=secret is None and env_key)
        self.format = format
        self._sandbox = None
        self._tmpdir: str | None = None
        if secret is None and os.environ.get("SMSPARTNER_API_KEY", "").strip():
            secret = Secret(os.environ["SMSPARTNER_API_KEY"].strip())
        options: dict[str, Any] = {}
        if secret is None:
            # The one place the client side touches the sandbox: the no-key mode.
            from smsp_analytics.sandbox import Sandbox

            options = {"seed": 0, "rental_delay": 0.0, **dict(sandbox or {})}
            self._sandbox = Sandbox(**options)
            self._sandbox.start()
            secret = Secret(self._sandbox.api_key)
            base_url = self._sandbox.base_url
            # The sandbox's state lives and dies with this client: its cache, journal and
            # kept downloads go to a temporary directory, never mixed with real ones.
            self._tmpdir = tempfile.mkdtemp(prefix="smsp-sandbox-")
            cache = Path(self._tmpdir) / "http_cache.sqlite" if cache is True else cache
            journal = journal or Path(self._tmpdir) / "rent_journal.sqlite"
            rentals_dir = rentals_dir or Path(self._tmpdir) / "rentals"
            if announce:
                warnings.warn(f"smsp-analytics: no SMSPARTNER_API_KEY set, using the local "
                              f"sandbox at {base_url} (synthetic data)", SyntheticDataWarning,
                              stacklevel=2)
        try:
            self._setup(secret, base_url, format, cache, timeout, retries, backoff_factor,
                        retry_after_max, deadline, cache_expire_after, journal, rentals_dir,
                        synthetic, options, memo)
            self._setup_history(history, secret, self._tmpdir, bool(options.get("state_path")))
        except BaseException:
            self.close()
            raise

    def _setup(self, secret: Secret, base_url: str | None, fmt: str, cache: Any,
               timeout: Any, retries: Any, backoff_factor: Any, retry_after_max: Any,
               deadline: Any, expire: Any, journal: Any, rentals_dir: Any,
               synthetic: bool | None, options: dict, memo: bool) -> None:
        base = base_url or os.environ.get("SMSPARTNER_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = base.strip() if base.strip().endswith("/") else base.strip() + "/"
        self.synthetic = (self._sandbox is not None or is_loopback(self.base_url)) \
            if synthetic is None else bool(synthetic)
        self.source = "sandbox" if self.synthetic else "api"
        self._transport = Transport(secret, self.base_url, fmt=fmt, cache=cache,
                                    expire_after=expire, timeout=timeout, retries=retries,
                                    backoff_factor=backoff_factor,
                                    retry_after_max=retry_after_max, deadline=deadline)
        self._journal_path = writable_file("journal", Path(journal) if journal is not None
                                           else default_journal_path())
        self._journal: Journal | None = None
        self.rentals_dir = Path(rentals_dir) if rentals_dir is not None else \
            default_rentals_dir()
        # Journal entries belong to the account they charged: origin + key digest. A
        # background sandbox has a new port each start: its state file names the account.
        state = options.get("state_path") if self._sandbox is not None else None
        self.journal_scope = (f"sandbox:{Path(state).resolve()}" if state else
                              f"{normalise_origin(self.base_url)}#{key_digest(secret)}")
        # Entries written before scopes named the account were scoped by the base URL: their
        # unsettled ones still block, and can be settled here.
        self.legacy_scopes: tuple[str, ...] = () if state else (self.base_url,)
        self._memo: dict[tuple, Any] | None = {} if memo else None
        self._memo_scope = 0
        self._memo_lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self.calls = 0  # HTTP requests sent (cache hits included), for benchmarks

    # -- plumbing --------------------------------------------------------------------------

    def __repr__(self) -> str:
        transport = getattr(self, "_transport", None)  # a half-made client (bad argument)
        return (f"Client(base_url={getattr(self, 'base_url', None)!r}, format="
                f"{getattr(self, 'format', None)!r}, synthetic={getattr(self, 'synthetic', None)}"
                f", cache={None if transport is None else transport.cache_path}, history="
                f"{None if self._history is None else self._history.url!r})")

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the sessions and stop the background sandbox (if any)."""
        transport = getattr(self, "_transport", None)
        if transport is not None:
            transport.close()
        self._close_history()  # before the temporary directory that may hold it goes
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    @property
    def transport(self) -> Transport:
        """The HTTP layer (sessions, cache, retries, deadline)."""
        return self._transport

    @property
    def sandbox_seed(self) -> int | None:
        """Seed of the background sandbox this client started (None otherwise).

        Reports quote it, so that synthetic figures can be reproduced."""
        return None if self._sandbox is None else int(self._sandbox.config.seed)

    @property
    def cache_path(self) -> Path | None:
        """The SQLite file of the HTTP cache (None when off)."""
        return self._transport.cache_path

    @property
    def journal(self) -> Journal:
        """The rent journal (``.entries()``, ``.frame()``...)."""
        if self._journal is None:
            self._journal = Journal(self._journal_path)
        return self._journal

    def clear_cache(self) -> None:
        """Forget cached responses (SQLite cache and in-memory memo)."""
        self._transport.clear_cache()
        if self._memo is not None:
            with self._memo_lock:
                self._memo.clear()

    def use_categories(self, frame: pd.DataFrame | None) -> None:
        """Check interest ids against this catalogue (``categories()`` sets it; a frame from
        :func:`load_categories_csv` works too; None turns the check off)."""
        self._catalogue = None if frame is None else Catalogue.from_frame(frame)

    def targeting(self, t: Targeting | Mapping[str, Any]) -> Targeting:
        """A validated Targeting from a Targeting or a vendor ``parameters`` dict."""
        if isinstance(t, Targeting):
            if self._catalogue is not None:
                validate_parameters(t.to_parameters(), catalogue=self._catalogue)
            return t
        if isinstance(t, Mapping):
            return Targeting.from_parameters(t, catalogue=self._catalogue)
        raise TargetingError("targeting", t, "a Targeting or a parameters dict", code=3)

    @staticmethod
    def _unpack(t: Any, volumes: Any) -> tuple[Any, Any]:
        # A budget plan (sweep.plan_budget) carries its targeting and volumes.
        if hasattr(t, "targeting") and hasattr(t, "volumes") and not isinstance(t, Mapping):
            return t.targeting, t.volumes if volumes is None else volumes
        return t, volumes

    @staticmethod
    def _body(op: str, t: Targeting, volumes: dict[str, int] | None) -> tuple[dict, tuple]:
        body: dict[str, Any] = {"op": op, "parameters": t.to_parameters()}
        if volumes:
            body["volumes"] = volumes
        return body, (op, json.dumps(body, sort_keys=True))

    def _sync_memo(self) -> None:
        """Drop the memo when the sandbox's seed or date moved (its answers are stale)."""
        changes = self._transport.scope_changes
        if changes != self._memo_scope:
            with self._memo_lock:
                if self._memo is not None:
                    self._memo.clear()
                self._memo_scope = changes

    def memo_get(self, op: str, t: Targeting, volumes: dict[str, int] | None = None, *,
                 check_clock: bool = True) -> OptinAnswer | None:
        """The parsed answer already in the in-memory memo, or None (no HTTP; but a hit on
        a sandbox whose clock or seed may have moved is checked first: then None).
        ``check_clock=False``: the caller has just seen ``clock_moved()`` False (a sweep
        checks once for all its cells)."""
        if self._memo is None:
            return None
        self._sync_memo()
        hit = self._memo.get(self._body(op, t, volumes)[1])
        if hit is None or (check_clock and self.clock_moved()):
            return None
        return hit._replace(from_cache=True)

    def optin(self, op: str, t: Targeting, volumes: dict[str, int] | None = None, *,
              fresh: bool = False) -> OptinAnswer:
        """The parsed rows of a ``calcul`` or ``price`` answer, from the memo when already
        parsed (warm sweeps skip HTTP and parsing); ``fresh=True`` bypasses memo and cache.

        >>> with Client(announce=False) as c:
        ...     a = c.optin("calcul", Targeting(interest=14, departments=["60"]))
        >>> a.rows.localities, a.from_cache
        (['60'], False)
        """
        if op not in ("calcul", "price"):
            raise ValueError(f"op: {op!r} is not allowed; allowed: 'calcul', 'price'")
        hit = None if fresh else self.memo_get(op, t, volumes)
        if hit is not None:
            return hit
        body, memo_key = self._body(op, t, volumes)
        with self._memo_lock:  # sweeps call from many threads
            self.calls += 1
        try:
            payload, raw = self._transport.call("POST", "location/optin",
                                                mode="fresh" if fresh else "read",
                                                kind="optin", body=body)
            if raw.from_cache and self.clock_moved():  # cached under an older sandbox date
                payload, raw = self._transport.call("POST", "location/optin", mode="fresh",
                                                    kind="optin", body=body)
        except InvalidRequestError as exc:
            self.explain_refusal(exc, t, volumes)
            raise
        now = pd.Timestamp.now(tz="UTC")
        rows = parse_locality_rows(payload, op=op)
        check_localities(rows, set(t.departments) | set(t.zipcodes))
        entry = OptinAnswer(rows, now, raw.from_cache, server_time(raw, now))
        if not raw.from_cache:
            self.record_answer(rows, op=op, targeting=t, volumes=volumes, as_of=entry.as_of,
                               fetched_at=now)
        self._sync_memo()
        if self._memo is not None and not fresh:
            with self._memo_lock:
                self._memo[memo_key] = entry
        return entry

    def label_frame(self, df: pd.DataFrame, fetched: pd.Timestamp, cached: bool,
                    as_of: pd.Timestamp | None = None) -> pd.DataFrame:
        """Provenance in ``attrs``: source, synthetic, fetched_at and as_of (UTC ISO
        strings; as_of is the server's clock), from_cache, base_url."""
        df.attrs["source"] = self.source
        df.attrs["synthetic"] = self.synthetic
        df.attrs["fetched_at"] = fetched.isoformat()
        df.attrs["as_of"] = (as_of if as_of is not None else fetched).isoformat()
        df.attrs["from_cache"] = bool(cached)
        df.attrs["base_url"] = self.base_url
        return df

    # -- vendor operations -----------------------------------------------------------------

    def calcul(self, t: Targeting | Mapping[str, Any]) -> pd.DataFrame:
        """Available contacts and their cost, one row per targeted locality."""
        t = self.targeting(t)
        ans = self.optin("calcul", t, None)
        df = locality_frame(ans.rows, op="calcul", targeting=t, source=self.source,
                            synthetic=self.synthetic)
        return self.label_frame(df, ans.fetched_at, ans.from_cache, ans.as_of)

    def price(self, t: Targeting | Mapping[str, Any], volumes: Mapping[Any, int] | None = None,
              *, fresh: bool = False) -> pd.DataFrame:
        """The cost of ``volumes`` (locality -> contacts) of a targeting (all if None)."""
        t, volumes = self._unpack(t, volumes)
        t = self.targeting(t)
        vols = normalize_volumes(volumes, t)
        ans = self.optin("price", t, vols, fresh=fresh)
        df = locality_frame(ans.rows, op="price", targeting=t, source=self.source,
                            synthetic=self.synthetic)
        df.attrs["volumes"] = vols
        return self.label_frame(df, ans.fetched_at, ans.from_cache, ans.as_of)

    def credits(self) -> Credits:
        """The account's credits and EUR balance (never cached)."""
        self.calls += 1
        payload, _ = self._transport.call("GET", "me", mode="fresh", kind="me")
        return credits_from(payload, source=self.source, synthetic=self.synthetic)

    def categories(self) -> pd.DataFrame:
        """Main interests and sub-interests. The vendor's path is undocumented (the
        sandbox's is used); with the real list in a CSV use :func:`load_categories_csv`."""
        key = ("categories", "")
        self._sync_memo()
        hit = self._memo.get(key) if self._memo is not None else None
        if hit is None:
            self.calls += 1
            payload, raw = self._transport.call("GET", "location/categories", mode="read",
                                                kind="categories")
            now = pd.Timestamp.now(tz="UTC")
            hit = (payload, now, raw.from_cache, server_time(raw, now))
            if self._memo is not None:
                self._memo[key] = hit
        else:
            hit = (*hit[:2], True, hit[3])
        df = categories_frame(hit[0], source=self.source, synthetic=self.synthetic)
        self._catalogue = Catalogue.from_frame(df)
        return self.label_frame(df, hit[1], hit[2], hit[3])

    def status(self, token: str) -> pd.DataFrame:
        """A rental's state and localities (both spellings of the contract normalised)."""
        token = check_token(token)
        self.calls += 1
        payload, raw = self._transport.call("GET", "location/status", mode="fresh",
                                            kind="status", params={"token": token})
        df = status_frame(payload, source=self.source, synthetic=self.synthetic)
        now = pd.Timestamp.now(tz="UTC")
        return self.label_frame(df, now, False, server_time(raw, now))
