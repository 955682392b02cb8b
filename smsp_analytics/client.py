"""The client: one method per vendor operation, each returning a labelled DataFrame.

With no key (argument or ``SMSPARTNER_API_KEY``) it starts the local sandbox in the
background and says so once; its frames are then labelled synthetic. With a key it talks to
``https://api.smspartner.fr/v1/`` (``SMSPARTNER_BASE_URL`` overrides).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, NamedTuple
from urllib.parse import urlsplit

import pandas as pd

from .errors import (InsufficientCreditError, RentalError, RentConsentError,
                     RentOutcomeUnknownError, ServiceUnavailableError, SmsPartnerError,
                     SyntheticDataWarning, TargetingError)
from .frames import (Credits, LocalityRows, categories_frame, credits_from, locality_frame,
                     parse_locality_rows, phone_frame, status_frame)
from .journal import Journal, JournalEntry
from .targeting import Catalogue, Targeting, normalize_volumes, validate_parameters
from .transport import RawResponse, Transport, decode

__all__ = ["Client", "Rental", "OptinAnswer", "client_or_default", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "https://api.smspartner.fr/v1/"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Rental:
    """A completed rental: its ``token`` (for ``status``/``download``), what it cost, the
    per-locality frame of the rent answer and the journal entry id."""

    token: str
    cost_eur: float | None
    quantity: float | None
    entry_id: int
    frame: pd.DataFrame = field(repr=False, compare=False)


class OptinAnswer(NamedTuple):
    """A parsed calcul/price answer: its rows, when it was fetched (UTC), whether it came
    from the HTTP cache or the in-memory memo, and the server's clock (``as_of``)."""

    rows: LocalityRows
    fetched_at: pd.Timestamp
    from_cache: bool
    as_of: pd.Timestamp


@contextmanager
def client_or_default(client: "Client | None" = None) -> Iterator["Client"]:
    """Use ``client``, or make a default :class:`Client` for the block and close it after.

    >>> with client_or_default(None) as c:
    ...     isinstance(c, Client)
    True
    """
    if client is not None:
        yield client
        return
    own = Client(announce=False)
    try:
        yield own
    finally:
        own.close()


class Client:
    """SMS Partner Contact Rental client.

    Parameters: ``api_key`` (else ``SMSPARTNER_API_KEY``, else the sandbox), ``base_url``
    (else ``SMSPARTNER_BASE_URL``), ``format`` ("json" or "xml": same frames), ``cache``
    (True: the user cache dir; a path; False), ``timeout`` (seconds, or (connect, read)),
    ``retries``/``backoff_factor``/``retry_after_max`` (read-only operations only),
    ``journal`` (rent journal path), ``synthetic`` (None: True for the sandbox and loopback
    URLs), ``sandbox`` (options for the background sandbox), ``announce`` (say once that
    the sandbox is used).
    """

    def __init__(self, api_key: str | None = None, *, base_url: str | None = None,
                 format: str = "json", cache: bool | str | Path = True,
                 timeout: float | tuple[float, float] = (5.0, 30.0), retries: int = 3,
                 backoff_factor: float = 0.3, retry_after_max: int = 30,
                 cache_expire_after: float | None = 86400,
                 journal: str | Path | None = None, synthetic: bool | None = None,
                 sandbox: Mapping[str, Any] | None = None, announce: bool = True,
                 memo: bool = True) -> None:
        if format not in ("json", "xml"):
            raise ValueError(f"format: {format!r} is not allowed; allowed: 'json', 'xml'")
        self.format = format
        self._sandbox = None
        self._tmpdir: str | None = None
        if api_key is not None and not api_key.strip():
            # An empty key would only earn code 1 from the API; None is how to ask for the sandbox.
            raise ValueError("api_key: empty; pass a key, or None to use the offline sandbox")
        key = api_key if api_key is not None else os.environ.get("SMSPARTNER_API_KEY") or None
        options = None
        if key is None:
            # The one place the client side touches the sandbox: the no-key mode.
            from .sandbox import Sandbox

            options: dict[str, Any] | None = {"seed": 0, "rental_delay": 0.0,
                                              **dict(sandbox or {})}
            self._sandbox = Sandbox(**options)
            self._sandbox.start()
            key = self._sandbox.api_key
            base_url = self._sandbox.base_url
            # The sandbox's state lives and dies with this client: keep its cache and journal
            # in a temporary directory rather than mixing them with real ones.
            self._tmpdir = tempfile.mkdtemp(prefix="smsp-sandbox-")
            if cache is True:
                cache = Path(self._tmpdir) / "http_cache.sqlite"
            if journal is None:
                journal = Path(self._tmpdir) / "rent_journal.sqlite"
            if announce:
                warnings.warn(f"smsp-analytics: no SMSPARTNER_API_KEY set, using the local "
                              f"sandbox at {base_url} (synthetic data)", SyntheticDataWarning,
                              stacklevel=2)
        base = base_url or os.environ.get("SMSPARTNER_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = base if base.endswith("/") else base + "/"
        self.synthetic = (self._sandbox is not None or urlsplit(self.base_url).hostname
                          in _LOOPBACK) if synthetic is None else bool(synthetic)
        self.source = "sandbox" if self.synthetic else "api"
        self._transport = Transport(key, self.base_url, fmt=format, cache=cache,
                                    expire_after=cache_expire_after, timeout=timeout,
                                    retries=retries, backoff_factor=backoff_factor,
                                    retry_after_max=retry_after_max)
        self._journal_path = journal
        self._journal: Journal | None = None
        # Journal entries belong to the account they charged. A background sandbox has a new
        # port each start, so when its state is a file, that file names the account.
        state = (options or {}).get("state_path") if self._sandbox is not None else None
        self._journal_scope = (f"sandbox:{Path(state).resolve()}" if state
                               else self.base_url)
        self._memo: dict[tuple, tuple[dict, pd.Timestamp, bool]] | None = {} if memo else None
        self._memo_lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self.calls = 0  # HTTP requests sent (cache hits included), for benchmarks

    # -- plumbing --------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (f"Client(base_url={self.base_url!r}, format={self.format!r}, "
                f"synthetic={self.synthetic}, cache={self._transport.cache_path})")

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the sessions and stop the background sandbox (if any)."""
        self._transport.close()
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

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
        """The rent journal (``.entries()``, ``.pending()``...)."""
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

    def memo_get(self, op: str, t: Targeting,
                 volumes: dict[str, int] | None = None) -> OptinAnswer | None:
        """The parsed answer already in the in-memory memo, or None (no HTTP)."""
        if self._memo is None:
            return None
        hit = self._memo.get(self._body(op, t, volumes)[1])
        return None if hit is None else hit._replace(from_cache=True)

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
        body, memo_key = self._body(op, t, volumes)
        if self._memo is not None and not fresh:
            hit = self._memo.get(memo_key)
            if hit is not None:
                return hit._replace(from_cache=True)
        mode = "fresh" if fresh else "read"
        with self._memo_lock:  # sweeps call from many threads
            self.calls += 1
        payload, raw = self._transport.call("POST", "location/optin", mode=mode,
                                            kind="optin", body=body)
        now = pd.Timestamp.now(tz="UTC")
        entry = OptinAnswer(parse_locality_rows(payload, op=op), now, raw.from_cache,
                            _server_time(raw, now))
        if self._memo is not None and not fresh:
            with self._memo_lock:
                self._memo[memo_key] = entry
        return entry

    def _label(self, df: pd.DataFrame, fetched: pd.Timestamp, cached: bool,
               as_of: pd.Timestamp | None = None) -> pd.DataFrame:
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
        return self._label(df, ans.fetched_at, ans.from_cache, ans.as_of)

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
        return self._label(df, ans.fetched_at, ans.from_cache, ans.as_of)

    def credits(self) -> Credits:
        """The account's credits and EUR balance (never cached)."""
        self.calls += 1
        payload, _ = self._transport.call("GET", "me", mode="fresh", kind="me")
        return credits_from(payload, source=self.source, synthetic=self.synthetic)

    def categories(self) -> pd.DataFrame:
        """Main interests and sub-interests. The vendor's path is undocumented (the
        sandbox's is used); with the real list in a CSV use :func:`load_categories_csv`."""
        key = ("categories", "")
        hit = self._memo.get(key) if self._memo is not None else None
        if hit is None:
            self.calls += 1
            payload, raw = self._transport.call("GET", "location/categories", mode="read",
                                                kind="categories")
            hit = (payload, pd.Timestamp.now(tz="UTC"), raw.from_cache)
            if self._memo is not None:
                self._memo[key] = hit
        df = categories_frame(hit[0], source=self.source, synthetic=self.synthetic)
        self._catalogue = Catalogue.from_frame(df)
        return self._label(df, hit[1], hit[2])

    def status(self, token: str) -> pd.DataFrame:
        """A rental's state and localities (both spellings of the contract normalised)."""
        token = self._token(token)
        self.calls += 1
        payload, _ = self._transport.call("GET", "location/status", mode="fresh",
                                          kind="status", params={"token": token})
        df = status_frame(payload, source=self.source, synthetic=self.synthetic)
        df.attrs["fetched_at"] = pd.Timestamp.now(tz="UTC")
        return df

    @staticmethod
    def _token(token: Any) -> str:
        if not isinstance(token, str) or not token.strip():
            raise RentalError(f"token: invalid value {token!r}; allowed: a rental token",
                              code=31)
        return token.strip()

    def download(self, token: str, path: str | Path | None = None) -> pd.DataFrame:
        """The rented numbers (E.164 strings). The file can be downloaded once: give a
        ``path`` to keep the raw CSV too (written atomically)."""
        token = self._token(token)
        self.calls += 1
        raw = self._transport.request("GET", "location/file/download", mode="download",
                                      params={"token": token})
        if not _is_file(raw):
            decode(raw, "status")  # raises the vendor error (33 to 36...)
            raise ServiceUnavailableError("download: unexpected answer", http_status=raw.status)
        if path is not None:
            _atomic_write(Path(path), raw.content)
        df = phone_frame(raw.content.decode("utf-8-sig"), token=token, source=self.source,
                         synthetic=self.synthetic)
        df.attrs["path"] = None if path is None else str(path)
        return df

    # -- renting ---------------------------------------------------------------------------

    def quote(self, t: Targeting | Mapping[str, Any],
              volumes: Mapping[Any, int] | None = None) -> dict[str, Any]:
        """What a rent would cost: a fresh ``price`` and the balance (no rent)."""
        t, volumes = self._unpack(t, volumes)
        frame = self.price(t, volumes, fresh=True)
        credits = self.credits()
        return {"targeting": frame.attrs["targeting"].describe(),
                "volume": frame.attrs["total_quantity"],
                "cost_eur": frame.attrs["total_cost_eur"],
                "unit_cost_eur": frame.attrs["unit_cost_eur"],
                "balance_eur": credits.balance_eur, "currency": credits.currency,
                "volumes": frame.attrs["volumes"], "frame": frame}

    def check_rent(self, t: Targeting | Mapping[str, Any],
                   volumes: Mapping[Any, int] | None = None, *, again: bool = False) -> None:
        """Raise :class:`RentBlockedError` now if the journal would refuse this rental."""
        t, volumes = self._unpack(t, volumes)
        t = self.targeting(t)
        self.journal.check(self._journal_scope, t.to_parameters(), normalize_volumes(volumes, t),
                           again=again)

    def rent(self, t: Targeting | Mapping[str, Any], volumes: Mapping[Any, int] | None = None,
             *, confirm: bool = False, max_cost_eur: float | None = None,
             again: bool = False) -> Rental:
        """Rent contacts (charges the account). Needs ``confirm=True``.

        Checks the quote against ``max_cost_eur`` and the balance first, records the
        intent in the journal, then sends one rent request, never retried. If its outcome
        is unknown the journal blocks further rents until :meth:`reconcile`.
        """
        t, volumes = self._unpack(t, volumes)
        t = self.targeting(t)
        self.check_rent(t, volumes, again=again)
        q = self.quote(t, volumes)
        shown = {k: v for k, v in q.items() if k != "frame"}
        text = (f"{q['volume']:,.0f} contacts ({q['targeting']}) for {q['cost_eur']:.2f} "
                f"{q['currency']}; balance {q['balance_eur']:.2f} {q['currency']}")
        if not confirm:
            raise RentConsentError(f"rent not confirmed: {text}. Call rent(..., "
                                   "confirm=True) to rent.", quote=shown)
        if max_cost_eur is not None and q["cost_eur"] > max_cost_eur:
            raise RentConsentError(f"rent refused: {text} exceeds max_cost_eur="
                                   f"{max_cost_eur:.2f}", quote=shown)
        if q["cost_eur"] > q["balance_eur"]:
            raise InsufficientCreditError(f"Crédit insuffisant: {text}", code=11)
        vols = q["volumes"]
        params = t.to_parameters()
        entry = self.journal.begin(self._journal_scope, params, vols, quote_eur=q["cost_eur"],
                                   again=again)
        body: dict[str, Any] = {"op": "rent", "parameters": params}
        if vols:
            body["volumes"] = vols
        self.calls += 1
        try:
            raw = self._transport.request("POST", "location/optin", mode="rent", body=body)
        except ServiceUnavailableError as exc:
            self.journal.mark_unknown(entry, exc.message)
            raise RentOutcomeUnknownError(
                f"rent outcome unknown ({exc.message}); journal entry {entry} blocks further "
                "rents until client.reconcile(...)", entry_id=entry) from None
        return self._finish_rent(entry, raw, t)

    def _finish_rent(self, entry: int, raw: RawResponse, t: Targeting) -> Rental:
        try:
            payload = decode(raw, "rent")
        except SmsPartnerError as exc:
            definite = exc.code is not None and exc.http_status is not None and \
                exc.http_status < 500
            if definite or exc.http_status == 429:
                self.journal.fail(entry, str(exc))  # the API refused: nothing was rented
                raise
            self.journal.mark_unknown(entry, str(exc))
            raise RentOutcomeUnknownError(
                f"rent outcome unknown ({exc}); journal entry {entry} blocks further rents "
                "until client.reconcile(...)", entry_id=entry,
                http_status=exc.http_status) from None
        token = payload.get("token")
        if not token:
            self.journal.mark_unknown(entry, "rent answer without token")
            raise RentOutcomeUnknownError("rent answered success without a token; journal "
                                          f"entry {entry} needs reconciling", entry_id=entry)
        frame = locality_frame(payload, op="rent", targeting=t, source=self.source,
                               synthetic=self.synthetic)
        self.journal.complete(entry, str(token), frame.attrs["total_cost_eur"])
        frame.attrs["journal_entry"] = entry
        return Rental(str(token), frame.attrs["total_cost_eur"], frame.attrs["total_quantity"],
                      entry, frame)

    def reconcile(self, entry_id: int, *, token: str | None = None,
                  failed: bool = False) -> JournalEntry:
        """Settle a journal entry whose rent outcome was unknown.

        ``token=...``: it was rented (checked with ``status``); ``failed=True``: it was not
        (e.g. the balance did not move). Further rents are allowed once nothing is unknown.
        """
        if token is not None:
            st = self.status(token)
            return self.journal.resolve(entry_id, token=token,
                                        cost_eur=st.attrs.get("total_cost_eur"))
        return self.journal.resolve(entry_id, failed=failed)


def _server_time(raw: RawResponse, default: pd.Timestamp) -> pd.Timestamp:
    """The response's HTTP ``Date`` (the server's clock), else ``default``."""
    from email.utils import parsedate_to_datetime

    text = raw.headers.get("Date") or raw.headers.get("date")
    if not text:
        return default
    try:
        return pd.Timestamp(parsedate_to_datetime(text)).tz_convert("UTC")
    except (TypeError, ValueError):
        return default


def _is_file(raw: RawResponse) -> bool:
    if raw.status != 200:
        return False
    ctype = raw.content_type.lower()
    if "csv" in ctype or "text/plain" in ctype:
        return True
    head = raw.content.lstrip()[:1]
    return head not in (b"{", b"<", b"[")


def _atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
