"""Quotes: ``calcul``, ``price`` and ``categories`` with their in-memory memo (:class:`Quotes`,
a part of :class:`~smsp_analytics.client.facade.Client`).

Its lower-level API serves sweeps (:func:`~smsp_analytics.analysis.sweeps.sweep`): the parsed
answer of one ``calcul``/``price`` (:meth:`Quotes.answer`), the one already in the memo
(:meth:`Quotes.memoised`) and whether the sandbox clock moved (:meth:`Quotes.clock_moved`).

>>> from smsp_analytics import Client, Targeting
>>> with Client(announce=False) as c:
...     a = c.quotes.answer("calcul", Targeting(interest=14, departments=["60"]))
...     again = c.quotes.memoised("calcul", Targeting(interest=14, departments=["60"]))
>>> a.rows.localities, a.from_cache, again.from_cache
(['60'], False, True)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from smsp_analytics.client.clock import SandboxClock
from smsp_analytics.display import fmt_int
from smsp_analytics.errors import (
    Arg,
    Call,
    InvalidRequestError,
    Parts,
    SmsPartnerError,
    TargetingError,
    not_allowed,
    parts_of,
    quoting_vendor,
)
from smsp_analytics.frames import (
    LocalityRows,
    categories_frame,
    locality_frame,
    parse_locality_rows,
)
from smsp_analytics.i18n import N_, _
from smsp_analytics.money.context import AnswerRecorder, ClientContext
from smsp_analytics.targeting import Catalogue, Targeting, normalize_volumes, validate_parameters
from smsp_analytics.wire.decoding import check_localities, server_time
from smsp_analytics.wire.transport import Transport

__all__ = ["Quotes", "OptinAnswer"]


class OptinAnswer(NamedTuple):
    """A parsed calcul/price answer: its rows, when it was fetched (UTC), whether it came
    from the HTTP cache or the in-memory memo, and the server's clock (``as_of``)."""

    rows: LocalityRows
    fetched_at: pd.Timestamp
    from_cache: bool
    as_of: pd.Timestamp


def _body(op: str, t: Targeting, volumes: dict[str, int] | None) -> tuple[dict, tuple]:
    body: dict[str, Any] = {"op": op, "parameters": t.to_parameters()}
    if volumes:
        body["volumes"] = volumes
    return body, (op, json.dumps(body, sort_keys=True))


class Quotes:
    """``calcul``, ``price``, ``categories`` and the catalogue interest ids are checked
    against; live answers go to ``recorder``; the memo (``memo=True``) keeps parsed answers
    until ``clear_cache()`` or until the sandbox's clock moves (``clock``)."""

    def __init__(
        self,
        context: ClientContext,
        transport: Transport,
        recorder: AnswerRecorder,
        clock: SandboxClock,
        *,
        memo: bool = True,
    ) -> None:
        self._context = context
        self._transport = transport
        self._recorder = recorder
        self._clock = clock
        self._memo: dict[tuple, Any] | None = {} if memo else None
        self._memo_scope = 0
        self._memo_lock = threading.Lock()
        self._catalogue: Catalogue | None = None

    # -- the catalogue ---------------------------------------------------------------------

    def use_categories(self, frame: pd.DataFrame | None) -> None:
        """Check interest ids against this catalogue (None turns the check off)."""
        self._catalogue = None if frame is None else Catalogue.from_frame(frame)

    def targeting(self, t: Targeting | Mapping[str, Any]) -> Targeting:
        """A validated Targeting from a Targeting or a vendor ``parameters`` dict."""
        if isinstance(t, Targeting):
            if self._catalogue is not None:
                validate_parameters(t.to_parameters(), catalogue=self._catalogue)
            return t
        if isinstance(t, Mapping):
            return Targeting.from_parameters(t, catalogue=self._catalogue)
        raise TargetingError("targeting", t, N_("a Targeting or a parameters dict"), code=3)

    # -- the memo --------------------------------------------------------------------------

    def clear_cache(self) -> None:
        """Forget cached responses (SQLite cache and in-memory memo)."""
        self._transport.clear_cache()
        if self._memo is not None:
            with self._memo_lock:
                self._memo.clear()

    def clock_moved(self) -> bool:
        """Whether the sandbox's seed or date moved since the cache scope was set (then no
        memoised or cached answer is served). Always False for the real API."""
        return self._clock.moved()

    def _sync_memo(self) -> None:
        """Drop the memo when the sandbox's seed or date moved (its answers are stale)."""
        changes = self._transport.scope_changes
        if changes != self._memo_scope:
            with self._memo_lock:
                if self._memo is not None:
                    self._memo.clear()
                self._memo_scope = changes

    def memoised(
        self,
        op: str,
        t: Targeting,
        volumes: dict[str, int] | None = None,
        *,
        check_clock: bool = True,
    ) -> OptinAnswer | None:
        """The parsed answer already in the in-memory memo, or None (no HTTP; but a hit on
        a sandbox whose clock or seed may have moved is checked first: then None).
        ``check_clock=False``: the caller has just seen :meth:`clock_moved` False (a sweep
        checks once for all its cells)."""
        if self._memo is None:
            return None
        self._sync_memo()
        hit = self._memo.get(_body(op, t, volumes)[1])
        if hit is None or (check_clock and self.clock_moved()):
            return None
        return hit._replace(from_cache=True)

    def answer(
        self, op: str, t: Targeting, volumes: dict[str, int] | None = None, *, fresh: bool = False
    ) -> OptinAnswer:
        """The parsed rows of a ``calcul`` or ``price`` answer, from the memo when already
        parsed (warm sweeps skip HTTP and parsing); ``fresh=True`` bypasses memo and cache.
        ``t`` is a validated Targeting (:meth:`targeting`)."""
        if op not in ("calcul", "price"):
            raise ValueError(not_allowed("op", op, "'calcul', 'price'"))
        hit = None if fresh else self.memoised(op, t, volumes)
        if hit is not None:
            return hit
        body, memo_key = _body(op, t, volumes)
        self._context.count_call()  # sweeps call from many threads: the count locks
        try:
            payload, raw = self._transport.call(
                "POST", "location/optin", mode="fresh" if fresh else "read", kind="optin", body=body
            )
            if raw.from_cache and self.clock_moved():  # cached under an older sandbox date
                payload, raw = self._transport.call(
                    "POST", "location/optin", mode="fresh", kind="optin", body=body
                )
        except InvalidRequestError as exc:
            self._explain_refusal(exc, t, volumes)
            raise
        now = pd.Timestamp.now(tz="UTC")
        rows = parse_locality_rows(payload, op=op)
        check_localities(rows, set(t.departments) | set(t.zipcodes))
        entry = OptinAnswer(rows, now, raw.from_cache, server_time(raw, now))
        if not raw.from_cache:
            self._recorder.record(
                rows, op=op, targeting=t, volumes=volumes, as_of=entry.as_of, fetched_at=now
            )
        self._sync_memo()
        if self._memo is not None and not fresh:
            with self._memo_lock:
                self._memo[memo_key] = entry
        return entry

    # -- the operations --------------------------------------------------------------------

    def calcul(self, t: Targeting | Mapping[str, Any]) -> pd.DataFrame:
        """Available contacts and their cost, one row per targeted locality."""
        t = self.targeting(t)
        ans = self.answer("calcul", t, None)
        df = locality_frame(
            ans.rows,
            op="calcul",
            targeting=t,
            source=self._context.source,
            synthetic=self._context.synthetic,
        )
        return self._context.label(df, ans.fetched_at, ans.from_cache, ans.as_of)

    def price(
        self,
        t: Targeting | Mapping[str, Any],
        volumes: Mapping[Any, int] | None = None,
        *,
        fresh: bool = False,
    ) -> pd.DataFrame:
        """The cost of ``volumes`` (locality -> contacts) of a targeting (all if None)."""
        t = self.targeting(t)
        vols = normalize_volumes(volumes, t)
        ans = self.answer("price", t, vols, fresh=fresh)
        df = locality_frame(
            ans.rows,
            op="price",
            targeting=t,
            source=self._context.source,
            synthetic=self._context.synthetic,
        )
        df.attrs["volumes"] = vols
        return self._context.label(df, ans.fetched_at, ans.from_cache, ans.as_of)

    def categories(self) -> pd.DataFrame:
        """Main interests and sub-interests; the catalogue interest ids are checked against
        from then on."""
        key = ("categories", "")
        self._sync_memo()
        hit = self._memo.get(key) if self._memo is not None else None
        if hit is None:
            self._context.count_call()
            payload, raw = self._transport.call(
                "GET", "location/categories", mode="read", kind="categories"
            )
            now = pd.Timestamp.now(tz="UTC")
            hit = (payload, now, raw.from_cache, server_time(raw, now))
            if self._memo is not None:
                self._memo[key] = hit
        else:
            hit = (*hit[:2], True, hit[3])
        df = categories_frame(
            hit[0], source=self._context.source, synthetic=self._context.synthetic
        )
        self._catalogue = Catalogue.from_frame(df)
        return self._context.label(df, hit[1], hit[2], hit[3])

    # -- refusals said in the reader's language --------------------------------------------

    def _volume_limits(self, t: Targeting, volumes: dict[str, int], exc: SmsPartnerError) -> Parts:
        """Code 27/28 in the language in force (after the field's label): which locality
        asked for how many, how many it has; in French the vendor's words quoted too."""
        avail = self.calcul(t)
        have = dict(zip(avail["locality"], avail["volume"].fillna(0).astype(int)))
        over = [
            _("{locality} asked {asked}, available {available}").format(
                locality=loc, asked=fmt_int(n), available=fmt_int(have.get(loc, 0))
            )
            for loc, n in volumes.items()
            if loc != "total" and n > have.get(loc, 0)
        ]
        total = sum(have.values())
        head = (
            _("a desired volume exceeds what its locality has")
            if exc.code == 27
            else _("the desired volumes exceed the total available")
        )
        asked = sum(n for loc, n in volumes.items())
        detail = (
            "; ".join(over)
            if over
            else _("asked {asked} in all, available {available}").format(
                asked=fmt_int(asked), available=fmt_int(total)
            )
        )
        said = parts_of(
            _("{head}: {detail} ({calcul} shows what is available)"),
            head=head,
            detail=detail,
            calcul=Call("smsp calcul", "client.calcul(targeting)"),
        )
        return quoting_vendor(said, exc.vendor_message)

    def _explain_refusal(
        self, exc: InvalidRequestError, t: Targeting, volumes: dict[str, int] | None
    ) -> None:
        """Codes 27/28 (volumes) and 61 (interest ids) of a calcul/price: raise them again
        in full English (which locality, which ids); other codes return unchanged."""
        if exc.code in (27, 28) and volumes:
            raise exc.with_context(
                self._volume_limits(t, volumes, exc),
                field="volumes",
                value=volumes,
                label="volumes",
            ) from None
        if exc.code == 61:
            asked = [
                Arg(n, v, shown=str(v))
                for n, v in (
                    ("interest", t.interest),
                    ("sub_interest", t.sub_interest),
                    ("category", t.category),
                )
                if v is not None
            ]
            listed: list[Any] = []
            for i, arg in enumerate(asked):
                listed += [", "] * bool(i) + [arg]
            said = parts_of(
                _(
                    "no contact matched {asked} (the vendor answers code 61 for an interest or "
                    "sub-interest id it does not know; {categories} lists the valid ids), or "
                    "the category, ages and localities matched nothing"
                ),
                asked=Parts(listed),
                categories=Call("smsp categories", _("client.categories() or `smsp categories`")),
            )
            raise exc.with_context(
                quoting_vendor(said, exc.vendor_message), field="interest", label="interest"
            ) from None
