"""The account's own data, read-only (README "Account data"): its STOP list, the free format
check of numbers, and what sending cost per month.

``GET /v1/stop-sms/list``, ``POST /v1/lookup`` and ``GET /v1/statistics/cost-resume``, in
JSON or XML like the rental endpoints. Their documented rate limits (360 lookups and 5
cost-resume a minute, per key) are applied by the middleware from :class:`AccountSettings`;
nothing here writes to the account.

>>> from smsp_analytics.sandbox import SandboxConfig, create_app
>>> app = create_app(SandboxConfig(api_key="k"))
>>> sorted(p for p in app.openapi()["paths"] if not p.startswith("/v1/location"))
['/v1/lookup', '/v1/me', '/v1/statistics/cost-resume', '/v1/stop-sms/list']
>>> app.state.sandbox.store.close()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from smsp_analytics.sandbox import rules
from smsp_analytics.sandbox.config import SandboxConfig, check_rate_window
from smsp_analytics.sandbox.costresume import INTERVALS, cost_resume, parse_day
from smsp_analytics.sandbox.entry import threaded
from smsp_analytics.sandbox.lookup import lookup_item, split_numbers
from smsp_analytics.sandbox.messages import ACCOUNT_MESSAGES, VendorError
from smsp_analytics.sandbox.middleware import BODY_KEY, Handler
from smsp_analytics.sandbox.network import RateLimiter
from smsp_analytics.sandbox.openapi import (
    COST_RESUME_PARAMS,
    LOOKUP_BODY,
    account_responses,
    query_params,
)
from smsp_analytics.sandbox.respond import answer, client_host, error_answer, is_xml, query_value
from smsp_analytics.sandbox.stoplist import stop_entries

__all__ = ["AccountSettings", "ACCOUNT_LIMITS", "add_account_routes"]

#: The vendor's documented limits: requests per "minute" (AccountSettings.rate_window).
ACCOUNT_LIMITS = {"lookup": 360, "cost_resume": 5}
_TAG: list[str | Enum] = ["Account data, read-only (vendor API)"]  # FastAPI's tags type
_KNOBS = ("rate_window", "sending_history", "stop_list")


@dataclass
class AccountSettings:
    """The account endpoints' knobs (admin ``/_sandbox/account``) and their rate limiters."""

    rate_window: float = 60.0
    sending_history: bool = True
    stop_list: bool = True
    limits: dict[str, RateLimiter] = field(default_factory=dict)

    @classmethod
    def of(cls, config: SandboxConfig) -> AccountSettings:
        settings = cls(limits={op: RateLimiter(n) for op, n in ACCOUNT_LIMITS.items()})
        settings.reset(config)
        return settings

    def reset(self, config: SandboxConfig) -> None:
        """Back to the configuration's values, every rate window empty."""
        self.sending_history = config.sending_history
        self.stop_list = config.stop_list
        self._set_window(config.rate_window)
        for limiter in self.limits.values():
            limiter.clear()

    def _set_window(self, seconds: float) -> None:
        self.rate_window = seconds
        for limiter in self.limits.values():
            limiter.window = seconds

    def update(self, spec: Any) -> None:
        """Apply the admin's ``{"rate_window": s, "sending_history": b, "stop_list": b}``
        (any of them); ValueError naming the field, nothing changed, when one is invalid."""
        if not isinstance(spec, dict) or not spec or set(spec) - set(_KNOBS):
            raise ValueError(f"the body must be a JSON object with some of the fields {_KNOBS}")
        window = check_rate_window(spec.get("rate_window", self.rate_window))
        for name in ("sending_history", "stop_list"):
            if name in spec and not isinstance(spec[name], bool):
                raise ValueError(f"{name} must be true or false, got {spec[name]!r}")
        self._set_window(window)
        self.sending_history = spec.get("sending_history", self.sending_history)
        self.stop_list = spec.get("stop_list", self.stop_list)

    def as_json(self) -> dict[str, Any]:
        return {
            "rate_window": self.rate_window,
            "sending_history": self.sending_history,
            "stop_list": self.stop_list,
            "limits": {
                op: {"requests": n, "window": self.rate_window} for op, n in ACCOUNT_LIMITS.items()
            },
        }


def _interval(query: QueryParams) -> tuple[str, Any, Any]:
    """``interval`` (and ``from`` / ``to`` for custom); VendorError 4 to 7 (sandbox codes)."""
    interval = (query.get("interval") or "").strip(" \t")
    if not interval:
        raise VendorError(4, ACCOUNT_MESSAGES)
    if interval not in INTERVALS:
        raise VendorError(5, ACCOUNT_MESSAGES)
    if interval != "custom":
        return interval, None, None
    start, end = query.get("from") or "", query.get("to") or ""
    if not start.strip() or not end.strip():
        raise VendorError(6, ACCOUNT_MESSAGES)
    first, last = parse_day(start), parse_day(end)
    if first is None or last is None:
        raise VendorError(7, ACCOUNT_MESSAGES)
    return interval, first, last


def add_account_routes(app: FastAPI, state: Any) -> dict[tuple[str, str], Handler]:
    """Register the three account endpoints of ``state`` (an app's SandboxState); returns
    their handlers by (method, path), for the middleware to call directly."""
    config: SandboxConfig = state.config

    def failed(exc: VendorError, xml: bool) -> Response:
        return error_answer(exc.code, xml, config.errors_http_200, exc.table)

    def check_caller(request: Request, key: Any) -> None:
        rules.check_ip(client_host(request), config.allowed_ips)
        rules.check_key(key, config.api_key)

    @app.get(
        "/v1/stop-sms/list",
        tags=_TAG,
        responses=account_responses("stop-sms/list"),
        openapi_extra={"parameters": query_params()},
        summary="The account's STOP list (numbers that replied STOP)",
    )
    def stop_list(request: Request) -> Response:  # sync: SQLite runs in the threadpool
        xml = is_xml(request)
        try:
            check_caller(request, request.query_params.get("apiKey"))
        except VendorError as exc:
            return failed(exc, xml)
        day, settings = state.date, state.account
        data = (
            stop_entries(config.seed, day, state.store.downloaded()) if settings.stop_list else []
        )
        return answer({"success": True, "code": 200, "nbData": len(data), "data": data}, xml)

    @app.post(
        "/v1/lookup",
        tags=_TAG,
        responses=account_responses("lookup"),
        openapi_extra={"requestBody": LOOKUP_BODY, "parameters": query_params(key_required=False)},
        summary="Format check of up to 500 numbers (free; 360 requests a minute)",
    )
    async def lookup(request: Request) -> Response:
        body = request.scope[BODY_KEY]  # read and parsed once by SandboxMiddleware
        xml = is_xml(request, body)
        key = body.get("apiKey")
        try:
            check_caller(request, query_value(request, "apiKey") if rules.is_empty(key) else key)
            numbers = body.get("phoneNumbers")
            if numbers is None:
                numbers = query_value(request, "phoneNumbers")
            items = split_numbers(numbers)
        except VendorError as exc:
            return failed(exc, xml)
        found = [lookup_item(item, config.seed) for item in items]
        return answer({"success": True, "code": 200, "lookup": found}, xml)

    @app.get(
        "/v1/statistics/cost-resume",
        tags=_TAG,
        responses=account_responses("statistics/cost-resume"),
        openapi_extra={"parameters": query_params() + COST_RESUME_PARAMS},
        summary="SMS sent and their cost per month (5 requests a minute)",
    )
    async def statistics(request: Request) -> Response:
        xml = is_xml(request)
        try:
            check_caller(request, request.query_params.get("apiKey"))
            interval, start, end = _interval(request.query_params)
        except VendorError as exc:
            return failed(exc, xml)
        day = state.date
        rows = (
            cost_resume(config.seed, day, interval, start, end)
            if state.account.sending_history
            else []
        )
        return answer({"success": True, "datas": rows}, xml)

    return {
        ("GET", "/v1/stop-sms/list"): threaded(stop_list),
        ("POST", "/v1/lookup"): lookup,
        ("GET", "/v1/statistics/cost-resume"): statistics,
    }
