"""A small fake vendor server for the money tests: a real HTTP server in a thread whose
answers each test sets (plausible but odd answers the sandbox never gives).

``fake.answer("price", {...})`` sets the JSON body of an operation (``calcul``, ``price``,
``rent``, ``me``, ``status``, ``download``, ``categories``); ``fake.answer(op, b"...",
status=502, ctype="text/html")`` sends raw bytes. ``fake.hits`` counts requests per op and
``fake.bodies`` keeps the decoded request bodies (the key included: tests check it is sent,
never stored elsewhere).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KEY = "sk_fake_vendor_SECRET_77"


def optin(
    op: str, rows: list[tuple[str, Any]], cost: dict[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    """An optin answer with department rows (code, volume) and a total row."""
    datas = [{"Type": "DEP", "Localite": code, "Volume": vol} for code, vol in rows]
    total = sum(v for _, v in rows if isinstance(v, (int, float)))
    datas.append({"Type": "total", "Localite": "total", "Volume": total})
    body: dict[str, Any] = {"success": True, "op": op, **extra, "datas": datas}
    if cost is not None:
        body["cost"] = cost
    return body


def defaults() -> dict[str, tuple[int, bytes, str]]:
    def js(obj: Any) -> tuple[int, bytes, str]:
        return 200, json.dumps(obj).encode(), "application/json"

    return {
        "calcul": js(
            optin("calcul", [("60", 120)], {"quantity": 120, "total": 10.8, "cost_unity": 0.09})
        ),
        "price": js(
            optin("price", [("60", 120)], {"quantity": 120, "total": 10.8, "cost_unity": 0.09})
        ),
        "rent": js(
            optin(
                "rent",
                [("60", 120)],
                {"quantity": 120, "total": 10.8, "cost_unity": 0.09},
                token="t" * 32,
            )
        ),
        "me": js(
            {"success": True, "code": 200, "credits": {"balance": "100.000", "currency": "EUR"}}
        ),
        "status": js(
            {
                "success": True,
                "token": "t" * 32,
                "status": "File ready to download",
                "location": {
                    "sexe": "femme",
                    "minAge": 25,
                    "maxAge": 35,
                    "interest": "14",
                    "department": "60",
                    "details_localisation": [
                        {"Type": "dep", "Location": "60", "VolumeDesired": "120", "Volume": "266"}
                    ],
                    "cost": {"quantity": 120, "total": "10.800", "cost_unity": "0.090"},
                },
            }
        ),
        "download": (200, b"phone_number\n+33639900001\n+33639900002\n", "text/csv"),
        "categories": js({"success": True, "categories": []}),
    }


class FakeVendor:
    """``with FakeVendor() as fake: Client(KEY, base_url=fake.base_url, ...)``."""

    def __init__(self) -> None:
        self.answers = defaults()
        self.hits: dict[str, int] = {}
        self.bodies: list[dict[str, Any]] = []
        self.headers: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _op(self, body: dict[str, Any]) -> str:
                path = urlsplit(self.path).path
                if path.endswith("/location/optin"):
                    return str(body.get("op"))
                return {
                    "/v1/me": "me",
                    "/v1/location/status": "status",
                    "/v1/location/file/download": "download",
                    "/v1/location/categories": "categories",
                }.get(path, "?")

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = (
                    json.loads(raw)
                    if raw
                    else {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                )
                op = self._op(body)
                with fake._lock:
                    fake.hits[op] = fake.hits.get(op, 0) + 1
                    fake.bodies.append(body)
                status, data, ctype = fake.answers.get(
                    op, (404, b'{"success": false, "code": 6}', "application/json")
                )
                self.send_response(status)
                for name, value in fake.headers.get(op, {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _serve
            do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def answer(
        self,
        op: str,
        body: Any,
        *,
        status: int = 200,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answers[op] = (status, data, ctype)
        self.headers[op] = dict(headers or {})

    def __enter__(self) -> FakeVendor:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
