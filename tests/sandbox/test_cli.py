"""``python -m smsp_analytics.sandbox``: prints URL, key, synthetic notice; stops on Ctrl-C."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from smsp_analytics.sandbox.cli import parse_args

ROOT = Path(__file__).resolve().parents[2]


def test_parser_options():
    args = parse_args(
        [
            "--port",
            "0",
            "--api-key",
            "K",
            "--seed",
            "5",
            "--credit",
            "12.5",
            "--rental-delay",
            "0.5",
            "--state",
            "s.sqlite",
            "--unit-price",
            "0.1",
            "--errors-http-200",
        ]
    )
    assert (
        args.port,
        args.api_key,
        args.seed,
        str(args.credit),
        args.rental_delay,
        args.state,
        str(args.unit_price),
        args.errors_http_200,
    ) == (0, "K", 5, "12.5", 0.5, "s.sqlite", "0.1", True)


def start(*options: str) -> tuple[subprocess.Popen, str]:
    """Start ``python -m smsp_analytics.sandbox`` and return it with its base URL."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "smsp_analytics.sandbox", "--port", "0", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 20
    for line in iter(proc.stdout.readline, ""):
        if "base URL" in line:
            return proc, line.split(":", 1)[1].strip()
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise AssertionError(f"no base URL printed: {proc.communicate()[0]}")


def test_state_survives_a_restart_and_sigterm_stops_cleanly(tmp_path):
    # The client's CLI keeps one state file across commands: a restart (even with another
    # --credit) must keep the balance and the rentals; only /_sandbox/reset restores it.
    state = str(tmp_path / "state.sqlite")
    proc, base = start("--api-key", "k", "--credit", "50", "--rental-delay", "0", "--state", state)
    try:
        body = requests.post(
            base + "location/optin",
            timeout=10,
            json={
                "apiKey": "k",
                "op": "rent",
                "parameters": {
                    "sexe": "m",
                    "minAge": 25,
                    "maxAge": 35,
                    "zipcode": "60200",
                    "interest": 14,
                },
                "volumes": {"60200": 10},
            },
        ).json()
        token = body["token"]
        proc.send_signal(signal.SIGTERM)  # what service managers and Popen.terminate send
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    proc, base = start("--api-key", "k", "--credit", "70", "--rental-delay", "0", "--state", state)
    try:
        me = requests.get(base + "me", params={"apiKey": "k"}, timeout=10).json()
        assert me["credits"]["balance"] == "49.100"
        status = requests.get(
            base + "location/status", timeout=10, params={"apiKey": "k", "token": token}
        ).json()
        assert status["statusCode"] == 2
        requests.post(base.replace("/v1/", "/_sandbox/reset"), timeout=10).raise_for_status()
        me = requests.get(base + "me", params={"apiKey": "k"}, timeout=10).json()
        assert me["credits"]["balance"] == "70.000"
        proc.terminate()
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_module_serves_until_interrupted():
    before = dt.date.today()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smsp_analytics.sandbox",
            "--port",
            "0",
            "--api-key",
            "cli-key",
            "--credit",
            "50",
            "--unit-price",
            "0.10",
            "--rental-delay",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines, base = [], None
        deadline = time.monotonic() + 20
        while base is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "base URL" in line:
                base = line.split(":", 1)[1].strip()
        output = "".join(lines)
        assert base and base.endswith("/v1/"), output
        assert "SYNTHETIC" in output.upper()
        for line in iter(proc.stdout.readline, ""):
            output += line
            if "Ctrl-C" in line:
                break
        assert "cli-key" in output
        # No --date: the banner shows today's date (read before and after, for midnight).
        assert any(
            f"date     : {day} (today's date" in output for day in (before, dt.date.today())
        ), output
        me = requests.get(base + "me", params={"apiKey": "cli-key"}, timeout=10).json()
        assert me["credits"]["balance"] == "50.000"
        body = requests.post(
            base + "location/optin",
            timeout=10,
            json={
                "apiKey": "cli-key",
                "op": "price",
                "parameters": {
                    "sexe": "m",
                    "minAge": 25,
                    "maxAge": 35,
                    "zipcode": "60200",
                    "interest": 14,
                },
                "volumes": {"60200": 3},
            },
        ).json()
        assert body["cost"] == {"quantity": 3, "total": 0.3, "cost_unity": 0.1}
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_bad_options_are_usage_errors_not_tracebacks(capsys):
    import pytest

    for argv in (
        ["--port", "99999"],
        ["--port", "-1"],
        ["--seed", "-1"],
        ["--credit", "nan"],
        ["--rental-delay", "inf"],
        ["--unit-price", "x"],
    ):
        with pytest.raises(SystemExit) as info:
            parse_args(argv)
        assert info.value.code == 2, argv
        assert "Invalid value for" in capsys.readouterr().err
