"""The client: one method per vendor operation, each returning a labelled DataFrame.

With no key (argument or ``SMSPARTNER_API_KEY``) it starts the local sandbox in the
background and says so once; its frames are then labelled synthetic. With a key it talks to
``https://api.smspartner.fr/v1/`` (``SMSPARTNER_BASE_URL`` overrides). A thin facade over
parts made by :mod:`.assembly` from the arguments :mod:`.intake` checked: quotes, the
account (its own data too), money (renting, reconciling, downloads), the quote history.
Also exports :func:`make_client` and :func:`client_or_default` (:mod:`.building`).

>>> with Client(announce=False) as client:        # no key: a background sandbox
...     df = client.calcul(Targeting(gender="f", age=(25, 35), interest=14,
...                                  departments=["60", "02"]))
>>> df["locality"].tolist(), df.attrs["source"], df.attrs["synthetic"]
(['60', '02'], 'sandbox', True)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smsp_analytics.client.account import Account
from smsp_analytics.client.assembly import DEFAULT_BASE_URL, ClientParts, secret_of
from smsp_analytics.client.building import SANDBOX_STATE_FILE, client_or_default, make_client
from smsp_analytics.client.intake import open_parts, unpack_plan
from smsp_analytics.client.quotes import OptinAnswer, Quotes
from smsp_analytics.frames import Credits
from smsp_analytics.history import QuoteHistory
from smsp_analytics.money.journal import Journal, JournalEntry
from smsp_analytics.money.renting import Rental
from smsp_analytics.targeting import Targeting
from smsp_analytics.wire.scope import Secret
from smsp_analytics.wire.transport import Transport

__all__ = [
    "Client",
    "Rental",
    "OptinAnswer",
    "client_or_default",
    "make_client",
    "DEFAULT_BASE_URL",
    "SANDBOX_STATE_FILE",
]


class Client:
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
    (:mod:`.args`): errors name it and its allowed values.

    What a user calls:

    - quotes: :meth:`calcul`, :meth:`price`, :meth:`categories`, :meth:`use_categories`,
      :meth:`targeting`, :meth:`clear_cache`;
    - the account (read-only): :meth:`credits`, :meth:`status`, :meth:`stop_list`,
      :meth:`check_numbers`, :meth:`sending_costs`;
    - money: :meth:`quote`, :meth:`check_rent`, :meth:`rent`, :meth:`reconcile`,
      :meth:`journal_entries`, :meth:`download`, :meth:`kept_download`;
    - the quote history: :meth:`history`, :meth:`flush_history`, ``history_store``,
      ``history_patience``;
    - where it talks and how frames are labelled: ``base_url``, ``format``, ``source``,
      ``synthetic``, ``sandbox`` (move its clock with ``client.sandbox.set_date(...)``),
      ``sandbox_seed``, ``cache_path``, ``rentals_dir``, ``journal``, ``journal_scope``,
      ``calls``, ``transport``, the parts ``quotes`` (sweeps use it) and ``account``;
    - :meth:`close`, or ``with Client() as client:``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        format: str = "json",
        cache: bool | str | Path = True,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        retries: int = 3,
        backoff_factor: float = 0.3,
        retry_after_max: float = 30,
        deadline: float = 60,
        cache_expire_after: float | None = 86400,
        journal: str | Path | None = None,
        rentals_dir: str | Path | None = None,
        synthetic: bool | None = None,
        sandbox: Mapping[str, Any] | None = None,
        announce: bool = True,
        memo: bool = True,
        history: bool | str | os.PathLike[str] | None = True,
    ) -> None:
        secret = secret_of(api_key)
        del api_key  # from here on only the Secret: traceback locals never show the key
        # A database URL's password: never a traceback local.
        where: Any = Secret(history) if isinstance(history, str) else history
        del history
        # Every argument at the call, before a sandbox, a file or a request (errors name it).
        self._parts: ClientParts = open_parts(
            secret,
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
            announce=announce,
            memo=memo,
            history=where,
        )

    # -- the client itself -----------------------------------------------------------------

    def __repr__(self) -> str:
        parts = getattr(self, "_parts", None)  # None: a half-made client (bad argument)
        if parts is None:
            return "Client(<not made>)"
        store = parts.recorder.store
        return (
            f"Client(base_url={self.base_url!r}, format={self.format!r}, synthetic="
            f"{self.synthetic}, cache={self.cache_path}, history="
            f"{None if store is None else store.url!r})"
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the sessions and the history, and stop the background sandbox (if any)."""
        parts = getattr(self, "_parts", None)
        if parts is not None:
            parts.close()

    @property
    def base_url(self) -> str:
        """The API's base URL (ending in ``/``)."""
        return self._parts.context.base_url

    @property
    def format(self) -> str:
        """``"json"`` or ``"xml"``: how the API is asked to answer (same frames)."""
        return self._parts.context.format

    @property
    def synthetic(self) -> bool:
        """Whether the data are synthetic (the sandbox, a loopback URL)."""
        return self._parts.context.synthetic

    @property
    def source(self) -> str:
        """``"sandbox"`` or ``"api"``: every frame's ``attrs["source"]``."""
        return self._parts.context.source

    @property
    def sandbox(self) -> Any:
        """The background sandbox of a no-key client (None otherwise). Move its clock with
        ``client.sandbox.set_date("2026-10-01")``: the next quotes are live, of that date.

        >>> with Client(announce=False, sandbox={"date": "2026-09-01"}) as c:
        ...     c.sandbox.date.isoformat()
        '2026-09-01'
        """
        return self._parts.sandbox

    @property
    def sandbox_seed(self) -> int | None:
        """Seed of the background sandbox this client started (None otherwise): reports
        quote it, so that synthetic figures can be reproduced."""
        box = self._parts.sandbox
        return None if box is None else int(box.config.seed)

    @property
    def calls(self) -> int:
        """HTTP requests sent (cache hits included), for benchmarks."""
        return self._parts.context.calls

    @property
    def transport(self) -> Transport:
        """The HTTP layer (sessions, cache, retries, deadline)."""
        return self._parts.transport

    @property
    def cache_path(self) -> Path | None:
        """The SQLite file of the HTTP cache (None when off)."""
        return self._parts.transport.cache_path

    @property
    def rentals_dir(self) -> Path:
        """Where downloads are kept."""
        return self._parts.context.rentals_dir

    @property
    def journal(self) -> Journal:
        """The rent journal (``.entries()``, ``.frame()``...)."""
        return self._parts.journal.journal

    @property
    def journal_scope(self) -> str:
        """The account this client's journal entries belong to (origin and key digest)."""
        return self._parts.journal.scope

    @property
    def account(self) -> Account:
        """The account part: its ``rate_windows`` pace ``check_numbers``/``sending_costs``."""
        return self._parts.account

    @property
    def quotes(self) -> Quotes:
        """The quotes part: sweeps' lower-level API (``answer``, ``memoised``, ``clock_moved``)."""
        return self._parts.quotes

    # -- quotes ----------------------------------------------------------------------------

    def calcul(self, t: Targeting | Mapping[str, Any]) -> pd.DataFrame:
        """Available contacts and their cost, one row per targeted locality."""
        return self._parts.quotes.calcul(t)

    def price(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | None = None,
        *,
        fresh: bool = False,
    ) -> pd.DataFrame:
        """The cost of ``volumes`` (locality -> contacts) of a targeting (all if None); a
        budget plan (``plan_budget``) brings its own."""
        t, volumes = unpack_plan(t, volumes)
        return self._parts.quotes.price(t, volumes, fresh=fresh)

    def categories(self) -> pd.DataFrame:
        """Main interests and sub-interests. The vendor's path is undocumented (the
        sandbox's is used); with the real list in a CSV use :func:`load_categories_csv`."""
        return self._parts.quotes.categories()

    def use_categories(self, frame: pd.DataFrame | None) -> None:
        """Check interest ids against this catalogue (``categories()`` sets it; a frame from
        :func:`load_categories_csv` works too; None turns the check off)."""
        self._parts.quotes.use_categories(frame)

    def targeting(self, t: Targeting | Mapping[str, Any]) -> Targeting:
        """A validated Targeting from a Targeting or a vendor ``parameters`` dict."""
        return self._parts.quotes.targeting(t)

    def clear_cache(self) -> None:
        """Forget cached responses (SQLite cache and in-memory memo)."""
        self._parts.quotes.clear_cache()

    # -- the account -----------------------------------------------------------------------

    def credits(self) -> Credits:
        """The account's credits and EUR balance (never cached)."""
        return self._parts.account.credits()

    def status(self, token: str) -> pd.DataFrame:
        """A rental's state and localities (both spellings of the contract normalised)."""
        return self._parts.account.status(token)

    def stop_list(self) -> pd.DataFrame:
        """The account's STOP list: ``phone_number`` (E.164), ``stopped_at`` (UTC), ``id``."""
        return self._parts.account.stop_list()

    def check_numbers(
        self, numbers: Any, *, region: str = "FR", progress: bool | None = None
    ) -> pd.DataFrame:
        """The vendor's free format check of a list, Series, frame or CSV path of numbers:
        one row per input (``request``, ``valid``, ``phone_number``, ``type``...)."""
        return self._parts.account.check_numbers(numbers, region=region, progress=progress)

    def sending_costs(self, interval: Any = "last_twelve_months") -> pd.DataFrame:
        """What sending cost per month (``month``, ``sms_sent``, ``cost_eur``...) over
        ``"last_twelve_months"``, ``"last_month"`` or ``(start, end)``."""
        return self._parts.account.sending_costs(interval)

    # -- money -----------------------------------------------------------------------------

    def quote(
        self, t: Targeting | Mapping[str, Any], volumes: Mapping[Any, int] | str | None = None
    ) -> dict[str, Any]:
        """What a rent would cost: a fresh ``price`` and the balance (no rent); ``cost_eur``
        is the checked figure the rent guard uses (:func:`~.renting.check_quote`)."""
        return self._parts.renting.quote(*unpack_plan(t, volumes))

    def check_rent(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | str | None = None,
        *,
        again: bool = False,
    ) -> None:
        """Raise :class:`RentBlockedError` now if the journal would refuse this rental."""
        self._parts.renting.check_rent(*unpack_plan(t, volumes), again=again)

    def rent(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | str | None = None,
        *,
        confirm: bool = False,
        max_cost_eur: float | None = None,
        again: bool = False,
    ) -> Rental:
        """Rent contacts (charges the account). Needs ``confirm=True`` (exactly True).

        ``volumes``: locality -> contacts, or ``"all"`` for the whole available audience.
        Checks the quote against ``max_cost_eur`` and the balance, records the intent and
        the balance in the journal, then sends one rent request, never retried. If its
        outcome is unknown the journal blocks further rents until :meth:`reconcile`
        (:mod:`smsp_analytics.money.renting`).
        """
        return self._parts.renting.rent(
            *unpack_plan(t, volumes), confirm=confirm, max_cost_eur=max_cost_eur, again=again
        )

    def reconcile(
        self, entry_id: int, *, token: str | None = None, failed: bool = False, force: bool = False
    ) -> JournalEntry:
        """Settle a journal entry whose rent outcome is unknown; returns it settled, or
        still ``unknown`` with the reason in ``note`` (:mod:`smsp_analytics.money.reconciling`)."""
        return self._parts.reconciler.reconcile(entry_id, token=token, failed=failed, force=force)

    def journal_entries(self, all_accounts: bool = False) -> pd.DataFrame:
        """The rent journal (this account's entries unless ``all_accounts``)."""
        return self._parts.reconciler.entries(all_accounts)

    def download(self, token: str, path: str | Path | None = None) -> pd.DataFrame:
        """The rented numbers (E.164 strings), kept in ``rentals_dir`` first (the vendor
        allows one download); with ``path``, copied there too (see
        :meth:`~smsp_analytics.money.rentals.Downloads.download`)."""
        return self._parts.downloads.download(token, path)

    def kept_download(self, token: str) -> Path | None:
        """Where this client keeps (or kept) the downloaded file of ``token``, if it did."""
        return self._parts.downloads.kept_download(token)

    # -- the quote history -----------------------------------------------------------------

    @property
    def history_store(self) -> QuoteHistory | None:
        """The quote history this client records into (None when ``history=False``)."""
        return self._parts.recorder.store

    @property
    def history_patience(self) -> float:
        """Seconds an answer may wait for a locked store before it is dropped (60)."""
        return self._parts.recorder.patience

    @history_patience.setter
    def history_patience(self, seconds: float) -> None:
        self._parts.recorder.patience = seconds

    def flush_history(self) -> None:
        """Wait until every answer handed to the background writer is recorded (or, behind
        a store locked longer than ``history_patience``, dropped); warn here about any the
        store could not take.

        >>> with Client(announce=False, history=False) as c:
        ...     c.flush_history()
        """
        self._parts.recorder.flush()

    def history(
        self,
        targeting: Targeting | Mapping[str, Any] | None = None,
        *,
        since: Any = None,
        until: Any = None,
        op: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """The recorded quotes, one row per locality, oldest first: ``as_of``,
        ``fetched_at``, ``source``, ``op``, the targeting's fields, ``locality``,
        ``volume``, ``unit_cost_eur``, ``cost_eur`` (plus ``quote_id``, ``key_hash``,
        ``targeting_key``, ``locality_type``). A shared record (a team's PostgreSQL store
        holds every analyst's quotes): filtered by ``targeting``, dates (``since``/``until``
        bound ``as_of``, inclusive; a bare date covers its day) and ``op`` only, never by
        account or source (``source`` tells them apart). For
        :func:`~smsp_analytics.history.drift`; empty when ``history=False``."""
        params = None if targeting is None else self.targeting(targeting).to_parameters()
        return self._parts.recorder.frame(params, since=since, until=until, op=op)
