"""The account's state and own data (:class:`Account`, a part of
:class:`~smsp_analytics.client.facade.Client`): ``credits`` and a rental's ``status`` (never
cached: they change), its STOP list (never cached: it grows), the vendor's format check of
numbers and what sending really cost. All read-only: nothing here writes to the account.

The format check (360 requests a minute) and the sending statistics (5 a minute) are paced
by a :class:`~smsp_analytics.wire.pacing.RateWindow` each (``rate_windows``), so a call
waits for a slot instead of being refused; a 429 that
comes anyway is waited out for its ``Retry-After`` (up to :data:`MAX_RATE_PAUSE` seconds)
and tried again. Answers of both are kept in the HTTP cache (read-only calls), and the
statistics also in memory for :data:`COSTS_MEMO_SECONDS`.

>>> from smsp_analytics import Client
>>> with Client(announce=False) as c:
...     c.credits().currency
'EUR'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from smsp_analytics.account_data import (
    lookup_frame,
    lookup_records,
    sending_costs_frame,
    stop_list_frame,
)
from smsp_analytics.errors import RateLimitError, SmsPartnerError
from smsp_analytics.frames import Credits, credits_from, status_frame
from smsp_analytics.i18n import _
from smsp_analytics.money.context import ClientContext
from smsp_analytics.money.rentals import check_token
from smsp_analytics.wire.account_answers import read_answer
from smsp_analytics.wire.account_rules import (
    COST_RESUME_CODES,
    COST_RESUME_RATE,
    LOOKUP_CODES,
    LOOKUP_RATE,
    interval_dates,
    interval_params,
    lookup_batches,
    lookup_body,
)
from smsp_analytics.wire.decoding import RawResponse, server_time
from smsp_analytics.wire.pacing import RateWindow
from smsp_analytics.wire.phone_numbers import (
    DEFAULT_REGION,
    check_region,
    international,
    is_blank,
    number_values,
)
from smsp_analytics.wire.retrying import Mode
from smsp_analytics.wire.transport import Transport

__all__ = ["Account", "MAX_RATE_PAUSE", "COSTS_MEMO_SECONDS", "PROGRESS_FROM_REQUESTS"]

#: The longest pause a 429 may ask for before the call gives up with RateLimitError.
MAX_RATE_PAUSE = 180.0
#: How long a sending-costs answer is reused from memory (the vendor allows 5 a minute).
COSTS_MEMO_SECONDS = 60.0
#: ``check_numbers(progress=None)`` shows a bar from this many lookup requests on.
PROGRESS_FROM_REQUESTS = 5
_MAX_TRIES = 10


class Account:
    """The account's calls over ``transport``, labelled by ``context``. ``rate_windows``:
    the pacing of the rate-limited calls (``lookup``, ``cost_resume``), whose ``limit`` and
    ``window`` may be changed (a sandbox started with a shorter rate window)."""

    def __init__(self, context: ClientContext, transport: Transport) -> None:
        self._context = context
        self._transport = transport
        self.rate_windows = {
            "lookup": RateWindow(*LOOKUP_RATE),
            "cost_resume": RateWindow(*COST_RESUME_RATE),
        }
        self._memo: dict[tuple[Any, ...], tuple[float, pd.DataFrame]] = {}

    def credits(self) -> Credits:
        """The account's credits and EUR balance (never cached)."""
        self._context.count_call()
        payload, _raw = self._transport.call("GET", "me", mode="fresh", kind="me")
        return credits_from(payload, source=self._context.source, synthetic=self._context.synthetic)

    def status(self, token: str) -> pd.DataFrame:
        """A rental's state and localities (both spellings of the contract normalised)."""
        token = check_token(token)
        self._context.count_call()
        payload, raw = self._transport.call(
            "GET", "location/status", mode="fresh", kind="status", params={"token": token}
        )
        df = status_frame(payload, source=self._context.source, synthetic=self._context.synthetic)
        return self._label(df, raw)

    # -- the account's own data ------------------------------------------------------------

    def stop_list(self) -> pd.DataFrame:
        """The account's STOP list: ``phone_number`` (E.164), ``stopped_at`` (UTC), ``id``
        (never cached: numbers are added as people answer STOP)."""
        self._context.count_call()
        _none, raw = self._transport.call("GET", "stop-sms/list", mode="fresh", kind=None)
        df = stop_list_frame(
            read_answer(raw, "stop_list"),
            source=self._context.source,
            synthetic=self._context.synthetic,
        )
        return self._label(df, raw)

    def check_numbers(
        self, numbers: Any, *, region: str = DEFAULT_REGION, progress: bool | None = None
    ) -> pd.DataFrame:
        """The vendor's format check of ``numbers``, one row per input (see
        :func:`~smsp_analytics.account_data.lookup_frame`): distinct numbers in batches of
        500, paced within the vendor's 360 requests a minute."""
        region = check_region(region)
        if progress is not None and not isinstance(progress, bool):
            raise TypeError(
                _("progress: {value} is not allowed; allowed: None, True, False").format(
                    value=repr(progress)
                )
            )
        inputs = number_values(numbers, "numbers")
        e164 = [None if is_blank(v) else international(v, region) for v in inputs]
        distinct = list(dict.fromkeys(n for n in e164 if n is not None))
        batches = lookup_batches(distinct)
        show = progress if progress is not None else len(batches) >= PROGRESS_FROM_REQUESTS
        found: dict[str, dict[str, Any]] = {}
        waited, sent, refused, last = 0.0, 0, 0, None
        bar = _progress_bar(len(distinct), show)
        try:
            for batch in batches:
                payload, raw, pause, limited = self._paced(
                    "lookup", "POST", "lookup", body=lookup_body(batch)
                )
                waited += pause
                refused += limited
                sent += 0 if raw.from_cache else 1
                found.update(zip(batch, lookup_records(payload, batch)))
                last = raw
                bar(len(batch))
        finally:
            bar(None)
        df = lookup_frame(
            [None if is_blank(v) else v for v in inputs],
            [None if n is None else found[n] for n in e164],
            source=self._context.source,
            synthetic=self._context.synthetic,
        )
        df = self._label(df, last)
        df.attrs.update(
            requests=sent,
            checked=len(distinct),
            unreadable=sum(1 for v, n in zip(inputs, e164) if n is None and not is_blank(v)),
            waited_s=round(waited, 3),
            rate_limited=refused,
        )
        return df

    def sending_costs(self, interval: Any = "last_twelve_months") -> pd.DataFrame:
        """What sending cost, one row per month (``month``, ``sms_sent``, ``cost_eur``,
        ``cost_per_sms_eur``): ``interval`` is ``"last_twelve_months"``, ``"last_month"``
        or a ``(start, end)`` pair of dates. Paced within the vendor's 5 requests a
        minute; reused from the cache and from memory."""
        params = interval_params(interval)
        dates = interval_dates(interval)
        key = (tuple(sorted(params.items())), self._transport.scope_changes)
        now = time.monotonic()
        held = self._memo.get(key)
        if held is not None and now - held[0] < COSTS_MEMO_SECONDS:
            out = held[1].copy()
            out.attrs = {**held[1].attrs, "from_cache": True}
            return out
        payload, raw, _pause, _limited = self._paced(
            "cost_resume", "GET", "statistics/cost-resume", params=params
        )
        df = sending_costs_frame(
            payload, source=self._context.source, synthetic=self._context.synthetic
        )
        df = self._label(df, raw)
        df.attrs.update(
            interval=params["interval"],
            start=None if dates is None else dates[0].isoformat(),
            end=None if dates is None else dates[1].isoformat(),
        )
        self._memo[key] = (now, df.copy())
        return df

    # -- helpers ---------------------------------------------------------------------------

    def _label(self, df: pd.DataFrame, raw: RawResponse | None) -> pd.DataFrame:
        now = pd.Timestamp.now(tz="UTC")
        if raw is None:  # nothing was asked (no readable number)
            return self._context.label(df, now, False)
        return self._context.label(df, now, raw.from_cache, server_time(raw, now))

    def _paced(
        self,
        endpoint: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[dict[str, Any], RawResponse, float, int]:
        """One read-only request within ``endpoint``'s rate window: waits for a slot, and
        after a 429 for its ``Retry-After``; the answer read (the endpoint's own error codes
        worded for it), the response, the seconds waited and the 429s met (those the
        transport's own retries waited out are not seen here)."""
        window = self.rate_windows[endpoint]
        mode: Mode = "read"
        waited = 0.0
        for tried in range(_MAX_TRIES):
            slot, pause = window.acquire()
            waited += pause
            self._context.count_call()
            try:
                _none, raw = self._transport.call(
                    method, path, mode=mode, kind=None, params=params, body=body
                )
            except RateLimitError as exc:
                window.settle(slot)
                pause = exc.retry_after if exc.retry_after is not None else window.window
                if pause > MAX_RATE_PAUSE:
                    raise
                window.hold(pause)
                continue
            except SmsPartnerError as exc:
                window.settle(slot)
                raise _worded(exc, endpoint) from None
            except BaseException:
                window.settle(slot)
                raise
            window.settle(slot, sent=not raw.from_cache)
            try:
                return read_answer(raw, endpoint), raw, waited, tried
            except SmsPartnerError as exc:
                raise _worded(exc, endpoint) from None
        raise RateLimitError(
            _("{path}: still rate limited (HTTP 429) after {tries} tries").format(
                path=path, tries=_MAX_TRIES
            ),
            http_status=429,
        )


def _worded(exc: SmsPartnerError, endpoint: str) -> SmsPartnerError:
    """``exc`` worded for ``endpoint`` when its code is one of the endpoint's own (the
    shared table reads them as the rental's), else ``exc`` itself."""
    codes = LOOKUP_CODES if endpoint == "lookup" else COST_RESUME_CODES
    if exc.code not in codes:
        return exc
    field, text = codes[exc.code]
    return exc.with_context(_(text), field=field)


def _progress_bar(total: int, show: bool) -> Callable[[int | None], None]:
    """``step(n)`` advances a tqdm.auto bar of ``total`` numbers; ``step(None)`` closes it."""
    if not show:
        return lambda n: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit=_("numbers"), desc=_("Checking numbers"))

    def step(n: int | None) -> None:
        if n is None:
            bar.close()
        else:
            bar.update(n)

    return step
