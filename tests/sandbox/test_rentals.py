"""The whole rental life, and fifty rents at once against a balance that covers ten."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from decimal import Decimal

from smsp_analytics.sandbox import Sandbox

from .conftest import RENTAL_DELAY, SEED_PARAMS, Api

E164_FICTION = re.compile(r"^\+3363998\d{4}$")  # ARCEP fiction block 06 39 98 xx xx


def test_rental_life(api: Api):
    before = Decimal(api.balance())
    quantity = 17
    rent = api.optin("rent", SEED_PARAMS, {"60200": quantity})
    assert rent.status_code == 200
    body = rent.json()
    token = body["token"]
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    cost = (Decimal(quantity) * Decimal("0.09")).quantize(Decimal("0.01"))
    assert Decimal(str(body["cost"]["total"])) == cost

    seen: list[int] = []
    started = time.monotonic()
    while time.monotonic() - started < RENTAL_DELAY * 5:
        status = api.get("location/status", token=token).json()
        code = status["statusCode"]
        if not seen or seen[-1] != code:
            seen.append(code)
        if code == 2:
            break
        time.sleep(0.03)
    assert seen == [0, 1, 2], seen
    assert status["status"] == "File ready to download"
    assert time.monotonic() - started >= RENTAL_DELAY * 0.9

    download = api.get("location/file/download", token=token)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0] == ["phone_number"]
    numbers = [r[0] for r in rows[1:]]
    assert len(numbers) == quantity == len(set(numbers))
    assert all(E164_FICTION.match(n) for n in numbers)

    after = api.get("location/status", token=token).json()
    assert after["statusCode"] == 5 and after["status"] == "File downloaded by user from api"
    again = api.get("location/file/download", token=token)
    assert again.json()["code"] == 34
    assert Decimal(api.balance()) == before - cost  # debited exactly once


def test_zero_delay_is_ready_at_once():
    with Sandbox(api_key="k", rental_delay=0) as sb:
        api = Api(sb)
        token = api.optin("rent", SEED_PARAMS, {"60200": 2}).json()["token"]
        assert api.get("location/status", token=token).json()["statusCode"] == 2


def test_state_file_survives_a_restart(tmp_path):
    path = tmp_path / "state.sqlite"
    with Sandbox(api_key="k", rental_delay=0, state_path=path) as sb:
        api = Api(sb)
        token = api.optin("rent", SEED_PARAMS, {"60200": 10}).json()["token"]
        balance = api.balance()
    with Sandbox(api_key="k", rental_delay=0, state_path=path) as sb:
        api = Api(sb)
        assert api.balance() == balance == "999.100"
        assert api.get("location/status", token=token).json()["statusCode"] == 2


def test_fifty_rents_at_once_never_overspend():
    quantity = 20
    cost = Decimal(quantity) * Decimal("0.09")
    with Sandbox(api_key="k", rental_delay=0, credit_eur=cost * 10 + Decimal("0.5")) as sb:
        barrier = threading.Barrier(50)
        results: list[dict] = []
        lock = threading.Lock()

        def rent() -> None:
            api = Api(sb)
            barrier.wait()
            body = api.optin("rent", SEED_PARAMS, {"60200": quantity}).json()
            with lock:
                results.append(body)

        threads = [threading.Thread(target=rent) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(results) == 50
        ok = [r for r in results if r["success"]]
        refused = [r for r in results if not r["success"]]
        assert len(ok) == 10
        assert {r["code"] for r in refused} == {11}
        assert len({r["token"] for r in ok}) == 10
        assert Api(sb).balance() == "0.500"
        assert sb.stats()["rent"] == 50


def test_head_on_download_does_not_consume_the_file():
    # HEAD must be safe: it may not use up the single download (so it is not routed).
    with Sandbox(api_key="k", rental_delay=0) as sb:
        api = Api(sb)
        token = api.optin("rent", SEED_PARAMS, {"60200": 2}).json()["token"]
        head = api.session.head(
            sb.base_url + "location/file/download",
            timeout=10,
            params={"apiKey": "k", "token": token},
        )
        assert head.status_code == 405
        resp = api.get("location/file/download", token=token)
        assert resp.status_code == 200 and resp.text.startswith("phone_number\n")
