"""The FastAPI application of the sandbox: ``create_app(config)``.

Endpoints take the raw Request and validate it themselves (rules.py), so FastAPI's own 422
never appears. Blocking SQLite work runs in the threadpool; model answers are cached per
normalised targeting and month (answercache.py, bounded in bytes), so a repeated calcul
costs only parsing and serialisation. The admin endpoints live in admin.py.

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
import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from smsp_analytics.sandbox import pricing, rules
from smsp_analytics.sandbox.admin import add_admin_routes
from smsp_analytics.sandbox.answercache import AnswerCache
from smsp_analytics.sandbox.catalogue import catalogue
from smsp_analytics.sandbox.clock import http_date, month_offset, unit_price_on
from smsp_analytics.sandbox.config import SandboxConfig
from smsp_analytics.sandbox.evolution import Evolution, evolution
from smsp_analytics.sandbox.faults import FaultSet
from smsp_analytics.sandbox.messages import VendorError, error_body, http_status
from smsp_analytics.sandbox.middleware import BODY_KEY, SandboxMiddleware
from smsp_analytics.sandbox.model import AudienceModel, audience_model, stable_int
from smsp_analytics.sandbox.network import Latency, RateLimiter
from smsp_analytics.sandbox.openapi import (
    DOWNLOAD_RESPONSES,
    OPTIN_BODY,
    VENDOR_RESPONSES,
    query_params,
)
from smsp_analytics.sandbox.statusanswer import (
    STATUS_LOCATION_KEYS,
    STATUS_TEXT,
    status_answer,
    status_location,
)
from smsp_analytics.sandbox.store import Rental, Store, status_of
from smsp_analytics.sandbox.xmlout import to_xml, wants_xml

__all__ = [
    "create_app",
    "SandboxState",
    "MAX_RENTAL",
    "STATUS_TEXT",
    "STATUS_LOCATION_KEYS",
    "phone_numbers",
]

#: Size of the ARCEP fiction block 06 39 98 00 00 - 06 39 98 99 99.
MAX_RENTAL = 10_000
_VENDOR_TAG: list[str | Enum] = ["Contact rental (vendor API)"]  # FastAPI's tags type


def phone_numbers(token: str, quantity: int) -> list[str]:
    """Distinct E.164 numbers of the fiction block, in a deterministic order for a token.

    >>> nums = phone_numbers("abc", 3)
    >>> len(set(nums)), all(n.startswith("+3363998") and len(n) == 12 for n in nums)
    (3, True)
    """
    rng = np.random.default_rng(stable_int("numbers", token))
    picks = rng.choice(MAX_RENTAL, size=quantity, replace=False)
    return [f"+3363998{n:04d}" for n in picks.tolist()]


@dataclass
class SandboxState:
    """Per-app state (no module-level singletons): config, model, store, faults, stats,
    the answer cache and the clock (``date``, moved by ``POST /_sandbox/clock``)."""

    config: SandboxConfig
    model: AudienceModel
    store: Store
    evolution: Evolution
    date: dt.date
    faults: FaultSet = field(default_factory=FaultSet)
    stats: dict[str, int] = field(default_factory=dict)
    answers: AnswerCache = field(default_factory=AnswerCache)
    #: Random per app start: with seed and date it names the answers' "instance".
    boot: str = field(default_factory=lambda: secrets.token_hex(6))
    _headers_of: tuple = field(default=(None, [], []), repr=False)

    def volumes(self, t: rules.Targeting, day: dt.date) -> tuple[list[int], int]:
        """Available volume per locality row and the total, on ``day`` (cached)."""
        query, offset = t.query(), month_offset(day)

        def compute() -> tuple[list[int], int]:
            factors = self.evolution.factors(
                offset, day.month, self.model.main_interest(query.interest)
            )
            return self.model.volumes(query, t.departments, t.zipcodes, factors)

        return self.answers.get_or_compute((query, offset), t.departments, t.zipcodes, compute)

    def unit_price(self, day: dt.date) -> Decimal:
        """The unit price on ``day`` (clock.py: one documented step)."""
        return unit_price_on(day, self.config.unit_price)

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


def _is_xml(request: Request, body: dict | None = None) -> bool:
    return wants_xml(request.query_params.get("_format"), body)


def _answer(payload: dict, xml: bool, status: int = 200) -> Response:
    if xml:
        return Response(to_xml(payload), status, media_type="application/xml; charset=utf-8")
    return Response(orjson.dumps(payload), status, media_type="application/json")


def _error(state: SandboxState, code: int, xml: bool) -> Response:
    return _answer(error_body(code), xml, http_status(code, state.config.errors_http_200))


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _cost_json(quantity: int, unit: Any) -> dict:
    total = pricing.cost(quantity, unit)
    return {"quantity": quantity, "total": float(total), "cost_unity": float(unit)}


def create_app(config: SandboxConfig) -> FastAPI:
    """A new sandbox app for ``config``: its own store, faults, counters and cache.

    The audience model and its evolution are shared per process and seed (read-only).
    """
    state = SandboxState(
        config=config,
        model=audience_model(config.seed),
        store=Store(config.state_path, config.credit_eur),
        evolution=evolution(config.seed),
        date=config.date,
    )
    app = FastAPI(
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
        body = request.scope[BODY_KEY]  # read and parsed once by SandboxMiddleware
        xml = _is_xml(request, body)
        day = state.date  # one date for the whole request, even if the clock moves
        unit = state.unit_price(day)
        try:
            t = rules.validate_optin(
                body,
                config.api_key,
                _client(request),
                config.allowed_ips,
                request.query_params.get("apiKey"),
            )
            available, total = state.volumes(t, day)
            if t.op == "calcul":
                desired, quantity = list(available), total
            else:
                desired, quantity = rules.desired_volumes(
                    body.get("volumes"), t, list(available), total
                )
            token = None
            if t.op == "rent":
                cost = pricing.cost(quantity, unit)
                details = status_location(t, list(available), desired, total, quantity, cost, unit)
                token = await run_in_threadpool(
                    state.store.rent, quantity, cost, config.rental_delay, details, MAX_RENTAL
                )
        except VendorError as exc:
            return _error(state, exc.code, xml)
        datas = [
            {"Type": typ, "Localite": code, "Volume": vol}
            for (typ, code), vol in zip(t.localities(), desired)
        ]
        datas.append({"Type": "total", "Localite": "total", "Volume": quantity})
        payload: dict[str, Any] = {"success": True, "op": t.op}
        if token is not None:
            payload["token"] = token
        payload["datas"] = datas
        payload["cost"] = _cost_json(quantity, unit)
        return _answer(payload, xml)

    def _check_caller(request: Request) -> None:
        """96, then 1 / 10, for the GET endpoints (key in the query string)."""
        rules.check_ip(_client(request), config.allowed_ips)
        rules.check_key(request.query_params.get("apiKey"), config.api_key)

    def _rental(request: Request) -> Rental:
        token = rules.validate_token(
            request.query_params, config.api_key, _client(request), config.allowed_ips
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
        xml = _is_xml(request)
        try:
            rental = _rental(request)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        return _answer(status_answer(rental, status_of(rental)), xml)

    @app.get(
        "/v1/location/file/download",
        tags=_VENDOR_TAG,
        responses=DOWNLOAD_RESPONSES,
        openapi_extra={"parameters": query_params(token=True)},
        summary="Download the rented numbers (once)",
    )
    def download(request: Request) -> Response:
        xml = _is_xml(request)
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
        xml = _is_xml(request)
        try:
            _check_caller(request)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        balance = pricing.money3(state.store.balance())
        return _answer(
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
        xml = _is_xml(request)
        try:
            _check_caller(request)
        except VendorError as exc:
            return _error(state, exc.code, xml)
        return _answer({"success": True, "categories": catalogue().as_json()}, xml)

    add_admin_routes(app, state)

    # Outermost: headers, counts, latency, rate limit and faults wrap routing and validation.
    latency = Latency(config.latency_ms, config.seed) if config.latency_ms > 0 else None
    limiter = RateLimiter(config.rate_limit) if config.rate_limit else None
    app.add_middleware(
        SandboxMiddleware,
        stats=state.stats,
        faults=state.faults,
        headers=state.headers,
        latency=latency,
        limiter=limiter,
    )
    return app
