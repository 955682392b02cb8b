"""The FastAPI application of the sandbox: ``create_app(config)``.

Endpoints take the raw Request and validate it themselves (rules.py), so FastAPI's own 422
never appears; the middleware calls them directly (entry.py). Blocking SQLite work runs in
the threadpool; model answers of large targetings (over 200 localities: the model takes
microseconds below that) are cached per normalised targeting and month, and whole
calcul / price answers per request and month (answercache.py, bounded in bytes), so a
repeated calcul costs only reading its body. The admin endpoints live in admin.py, the
account endpoints in account_routes.py.

>>> from smsp_analytics.sandbox.config import SandboxConfig
>>> app = create_app(SandboxConfig(api_key="k"))
>>> "/v1/location/optin" in app.openapi()["paths"]
True
>>> app.state.sandbox.store.close()
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

import numpy as np
from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from smsp_analytics.sandbox import pricing, respond, rules
from smsp_analytics.sandbox.account_routes import AccountSettings, add_account_routes
from smsp_analytics.sandbox.admin import add_admin_routes
from smsp_analytics.sandbox.answercache import AnswerCache, BodyCache
from smsp_analytics.sandbox.catalogue import catalogue
from smsp_analytics.sandbox.clock import http_date, month_offset, unit_price_on
from smsp_analytics.sandbox.config import SandboxConfig
from smsp_analytics.sandbox.entry import SandboxApp, threaded
from smsp_analytics.sandbox.evolution import Evolution, evolution
from smsp_analytics.sandbox.faults import FaultSet
from smsp_analytics.sandbox.fiction import MAX_RENTAL, phone_numbers
from smsp_analytics.sandbox.messages import VendorError
from smsp_analytics.sandbox.middleware import BODY_KEY, RAW_KEY, SandboxMiddleware
from smsp_analytics.sandbox.model import AudienceModel, audience_model
from smsp_analytics.sandbox.network import Latency, RateLimiter
from smsp_analytics.sandbox.openapi import (
    DOWNLOAD_RESPONSES,
    OPTIN_BODY,
    VENDOR_RESPONSES,
    query_params,
)
from smsp_analytics.sandbox.optinjson import optin_json
from smsp_analytics.sandbox.respond import answer, client_host, error_answer, is_xml, query_value
from smsp_analytics.sandbox.statusanswer import (
    STATUS_LOCATION_KEYS,
    STATUS_TEXT,
    status_answer,
    status_location,
)
from smsp_analytics.sandbox.store import Rental, Store, status_of

__all__ = [
    "create_app",
    "SandboxState",
    "MAX_RENTAL",
    "STATUS_TEXT",
    "STATUS_LOCATION_KEYS",
    "phone_numbers",
]

_VENDOR_TAG: list[str | Enum] = ["Contact rental (vendor API)"]  # FastAPI's tags type
_COMPUTED_UP_TO = 200  # localities; beyond, model answers are kept (answercache.py)


@dataclass
class SandboxState:
    """Per-app state (no module-level singletons): config, model, store, faults, stats,
    the answer cache, the clock (``date``, moved by ``POST /_sandbox/clock``) and the
    account endpoints' knobs and rate limiters (``account``)."""

    config: SandboxConfig
    model: AudienceModel
    store: Store
    evolution: Evolution
    date: dt.date
    account: AccountSettings
    faults: FaultSet = field(default_factory=FaultSet)
    stats: dict[str, int] = field(default_factory=dict)
    answers: AnswerCache = field(default_factory=AnswerCache)
    bodies: BodyCache = field(default_factory=BodyCache)
    #: Random per app start: with seed and date it names the answers' "instance".
    boot: str = field(default_factory=lambda: secrets.token_hex(6))
    _headers_of: tuple = field(default=(None, [], []), repr=False)
    _day_of: tuple = field(default=(None, Decimal(0), 0), repr=False)

    def volumes(self, t: rules.Targeting, day: dt.date) -> tuple[list[int], int]:
        """Available volume per locality row and the total, on ``day`` (cached)."""
        rows, total = self.volume_rows(t, day)
        return rows.tolist(), total

    def volume_rows(self, t: rules.Targeting, day: dt.date) -> tuple[np.ndarray, int]:
        """:meth:`volumes`, the rows as an int64 array (kept if over _COMPUTED_UP_TO)."""
        query, offset = t.query(), self.day_terms(day)[1]

        def compute() -> tuple[np.ndarray, int]:
            factors = None  # the reference month's (offset 0)
            if offset:
                main = self.model.main_interest(query.interest)
                factors = self.evolution.factors(offset, day.month, main)
            return self.model.volume_rows(query, t.departments, t.zipcodes, factors)

        if len(t.departments) + len(t.zipcodes) > _COMPUTED_UP_TO:
            return self.answers.packed((query, offset), t.departments, t.zipcodes, compute)
        return compute()

    def unit_price(self, day: dt.date) -> Decimal:
        """The unit price on ``day`` (clock.py: one documented step)."""
        return unit_price_on(day, self.config.unit_price)

    def day_terms(self, day: dt.date) -> tuple[Decimal, int]:
        """The unit price and the month offset of ``day`` (worked out once per date)."""
        memo = self._day_of  # read once: another thread may replace it
        if memo[0] != day:
            memo = self._day_of = (day, self.unit_price(day), month_offset(day))
        return memo[1], memo[2]

    def info(self) -> dict:
        """``GET /_sandbox/info``: what a client's cache must be scoped to."""
        day = self.date.isoformat()
        return {
            "seed": self.config.seed,
            "date": day,
            "instance": f"{self.boot}-s{self.config.seed}-{day}",
        }

    def headers(self, api: bool) -> list[tuple[bytes, bytes]]:
        """Headers of every answer: ``Date`` (the clock at 12:00:00 GMT); on the vendor
        paths also ``X-Sandbox-Seed`` and ``X-Sandbox-Date`` (sandbox-only)."""
        day = self.date
        if self._headers_of[0] != day:  # formatted once per date, not per request
            common = [(b"date", http_date(day).encode())]
            self._headers_of = (
                day,
                common,
                common
                + [
                    (b"x-sandbox-seed", str(self.config.seed).encode()),
                    (b"x-sandbox-date", day.isoformat().encode()),
                ],
            )
        return list(self._headers_of[2] if api else self._headers_of[1])


def _error(state: SandboxState, code: int, xml: bool) -> Response:
    return error_answer(code, xml, state.config.errors_http_200)


def _cost_json(quantity: int, unit: Decimal) -> dict:
    total, unity = pricing.cost_floats(quantity, unit)
    return {"quantity": quantity, "total": total, "cost_unity": unity}


def create_app(config: SandboxConfig) -> SandboxApp:
    """A new sandbox app for ``config``: its own store, faults, counters and cache.

    The audience model and its evolution are shared per process and seed (read-only).
    """
    state = SandboxState(
        config=config,
        model=audience_model(config.seed),
        store=Store(config.state_path, config.credit_eur),
        evolution=evolution(config.seed),
        date=config.date,
        account=AccountSettings.of(config),
    )
    app = SandboxApp(
        title="SMS Partner Contact Rental API (offline sandbox, synthetic data)",
        version="1.0-sandbox",
        description="Emulates https://api.smspartner.fr/v1/ location endpoints. Data are "
        "synthetic. See smsp_analytics/sandbox/README.md.",
        servers=[{"url": "/"}],
    )
    app.state.sandbox = state

    # ---------------------------------------------------------------- vendor endpoints
    @app.post(
        "/v1/location/optin",
        tags=_VENDOR_TAG,
        responses=VENDOR_RESPONSES,
        openapi_extra={"requestBody": OPTIN_BODY, "parameters": query_params(key_required=False)},
        summary="Targeting and calculation (ops calcul, price, rent)",
    )
    async def optin(request: Request) -> Response:
        scope = request.scope
        body = scope[BODY_KEY]  # read and parsed once by SandboxMiddleware
        day = state.date  # one date for the whole request, even if the clock moves
        unit, offset = state.day_terms(day)
        # calcul and price change nothing: the same request in the same month gets the
        # same answer, kept whole (a sweep or a panel asks the same quotes again and again).
        # An allow list makes the answer depend on the client: then nothing is kept.
        pure = body.get("op") in ("calcul", "price") and config.allowed_ips is None
        key = (scope[RAW_KEY], scope["query_string"], offset, unit)
        if pure:
            found = state.bodies.get(key)
            if found is not None:
                return respond.BytesAnswer(found[0], found[1])
        xml = is_xml(request, body)
        try:
            t = rules.validate_optin(
                body,
                config.api_key,
                None if config.allowed_ips is None else client_host(request),
                config.allowed_ips,
                query_value(request, "apiKey"),
            )
            available, total = state.volumes(t, day)
            if t.op == "calcul":  # the rows are this request's own list: no copy needed
                desired, quantity = available, total
            else:
                desired, quantity = rules.desired_volumes(
                    body.get("volumes"), t, list(available), total
                )
            token = None
            if t.op == "rent":
                cost = pricing.cost(quantity, unit)
                details = status_location(t, available, desired, total, quantity, cost, unit)
                token = await run_in_threadpool(
                    state.store.rent,
                    quantity,
                    cost,
                    config.rental_delay,
                    details,
                    MAX_RENTAL,
                    day.isoformat(),
                )
        except VendorError as exc:
            return _error(state, exc.code, xml)
        cost_json = _cost_json(quantity, unit)
        if xml:
            datas = [
                {"Type": typ, "Localite": code, "Volume": vol}
                for (typ, code), vol in zip(t.localities(), desired)
            ]
            datas.append({"Type": "total", "Localite": "total", "Volume": quantity})
            payload: dict[str, Any] = {"success": True, "op": t.op}
            if token is not None:
                payload["token"] = token
            payload["datas"] = datas
            payload["cost"] = cost_json
            response = answer(payload, xml)
        else:  # the same JSON, written from the localities' template (optinjson.py)
            body_json = optin_json(
                t.op, token, t.departments, t.zipcodes, desired, quantity, cost_json
            )
            response = respond.BytesAnswer(body_json, "application/json")
        if pure:
            state.bodies.put(key, bytes(response.body), response.media_type or "")
        return response

    def _check_caller(request: Request) -> None:
        """96, then 1 / 10, for the GET endpoints (key in the query string)."""
        rules.check_ip(client_host(request), config.allowed_ips)
        rules.check_key(request.query_params.get("apiKey"), config.api_key)

    def _rental(request: Request) -> Rental:
        token = rules.validate_token(
            request.query_params, config.api_key, client_host(request), config.allowed_ips
        )
        rental = state.store.get(token)
        if rental is None:
            raise VendorError(32)
        return rental

    @app.get(
        "/v1/location/status",
        tags=_VENDOR_TAG,
        responses=VENDOR_RESPONSES,
        openapi_extra={"parameters": query_params(token=True)},
        summary="Rental status",
    )
    def status(request: Request) -> Response:  # sync: SQLite runs in the threadpool
        xml = is_xml(request)
        try:
            rental = _rental(request)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        return answer(status_answer(rental, status_of(rental)), xml)

    @app.get(
        "/v1/location/file/download",
        tags=_VENDOR_TAG,
        responses=DOWNLOAD_RESPONSES,
        openapi_extra={"parameters": query_params(token=True)},
        summary="Download the rented numbers (once)",
    )
    def download(request: Request) -> Response:
        xml = is_xml(request)
        try:
            rental = _rental(request)
            code = status_of(rental)
            if code in (0, 1):
                raise VendorError(35)
            if code == 3:
                raise VendorError(36)
            if code == 5 or not state.store.mark_downloaded(rental.token):
                raise VendorError(34)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        lines = ["phone_number", *phone_numbers(rental.token, rental.quantity)]
        return Response(
            ("\n".join(lines) + "\n").encode(),
            200,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="rental-{rental.token}.csv"'},
        )

    @app.get(
        "/v1/me",
        tags=_VENDOR_TAG,
        responses=VENDOR_RESPONSES,
        openapi_extra={"parameters": query_params()},
        summary="Account and credits",
    )
    def me(request: Request) -> Response:
        xml = is_xml(request)
        try:
            _check_caller(request)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        balance = pricing.money3(state.store.balance())
        return answer(
            {
                "success": True,
                "code": 200,
                "user": {
                    "username": "sandbox@example.invalid",
                    "firstname": "Sandbox",
                    "lastname": "Données synthétiques",
                },
                "credits": {
                    "creditSms": 0,
                    "creditSmsECO": 0,
                    "creditHlr": 0,
                    "toSend": 0,
                    "solde": balance,
                    "currency": "EUR",
                    "balance": balance,
                },
            },
            xml,
        )

    @app.get(
        "/v1/location/categories",
        tags=_VENDOR_TAG,
        responses=VENDOR_RESPONSES,
        openapi_extra={"parameters": query_params()},
        summary="Interest categories (path chosen by the sandbox)",
    )
    async def categories(request: Request) -> Response:
        xml = is_xml(request)
        try:
            _check_caller(request)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        return answer({"success": True, "categories": catalogue().as_json()}, xml)

    account = add_account_routes(app, state)
    add_admin_routes(app, state)

    # Outermost (entry.py): headers, counts, latency, rate limits and faults wrap routing
    # and validation; the vendor endpoints are called directly, the rest by the framework.
    latency = Latency(config.latency_ms, config.seed) if config.latency_ms > 0 else None
    limiter = RateLimiter(config.rate_limit) if config.rate_limit else None
    direct = {
        ("POST", "/v1/location/optin"): optin,
        ("GET", "/v1/location/status"): threaded(status),
        ("GET", "/v1/location/file/download"): threaded(download),
        ("GET", "/v1/me"): threaded(me),
        ("GET", "/v1/location/categories"): categories,
        **account,
    }
    app.entry = SandboxMiddleware(
        app.framework,
        stats=state.stats,
        faults=state.faults,
        headers=state.headers,
        latency=latency,
        limiter=limiter,
        limits=state.account.limits,
        direct=direct,
    )
    return app
