"""``Sandbox(process=True)``: the sandbox served by a child process (`sandbox/process.py`).
Over real HTTP: the answers, the state kept across a restart, a child closed before its
configuration, a child that dies, a parent that dies, and the key kept out of the child's
arguments and environment."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smsp_analytics.sandbox import Sandbox
from smsp_analytics.sandbox.process import SandboxProcess

from .conftest import SEED_PARAMS, Api

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the child process needs POSIX")

KEY = "sbx-process-test-key-0123456789"


def gone(pid: int, within: float = 10.0) -> bool:
    """True once ``pid`` has ended (a zombie waiting for its reaper counts as ended)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_a_process_sandbox_answers_as_the_thread_one() -> None:
    options = {"api_key": KEY, "rental_delay": 0, "date": "2026-11-01"}
    with Sandbox(**options) as thread, Sandbox(**options, process=True) as child:
        assert child.running and child.app is None
        for fmt in ("json", "xml"):
            ours, theirs = (
                Api(child).optin("calcul", SEED_PARAMS, fmt=fmt),
                Api(thread).optin("calcul", SEED_PARAMS, fmt=fmt),
            )
            assert ours.status_code == theirs.status_code == 200
            assert ours.text == theirs.text
        assert child.info()["date"] == "2026-11-01"
    assert not child.running


def test_the_state_outlives_the_process(tmp_path) -> None:
    path = tmp_path / "state.sqlite"
    with Sandbox(api_key=KEY, rental_delay=0, state_path=path, process=True) as sb:
        api = Api(sb)
        token = api.optin("rent", SEED_PARAMS, {"60200": 10}).json()["token"]
    with Sandbox(api_key=KEY, rental_delay=0, state_path=path, process=True) as sb:
        api = Api(sb)
        assert api.balance() == "999.100"
        assert api.get("location/status", token=token).json()["statusCode"] == 2


def test_a_process_stopped_before_serving_leaves_no_state(tmp_path) -> None:
    proc = SandboxProcess()
    proc.stop()
    assert not proc.alive
    sb = Sandbox(api_key=KEY, state_path=tmp_path / "s.sqlite", process=proc)
    with pytest.raises(RuntimeError, match="served a sandbox already"):
        sb.start()
    assert not (tmp_path / "s.sqlite").exists()


def test_a_dead_child_refuses_connections_at_once() -> None:
    with Sandbox(api_key=KEY, rental_delay=0, process=True) as sb:
        assert sb.info()["seed"] == 0
        pid = sb._process.pid  # noqa: SLF001 - the test kills the child on purpose
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while sb.running and time.monotonic() < deadline:  # reaped once all its threads end
            time.sleep(0.02)
        assert not sb.running
        conn = http.client.HTTPConnection(sb.host, sb.port, timeout=5)
        with pytest.raises(ConnectionRefusedError):
            conn.request("GET", "/_sandbox/health")


def test_the_child_ends_with_its_parent(tmp_path) -> None:
    code = (
        "import os, signal, sys\n"
        "from smsp_analytics.sandbox import Sandbox\n"
        f"sb = Sandbox(api_key={KEY!r}, rental_delay=0, process=True).start()\n"
        "sb.info()\n"
        "print(sb._process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert gone(int(done.stdout.split()[0]))


def test_the_key_is_not_in_the_childs_arguments_or_environment() -> None:
    with Sandbox(api_key=KEY, rental_delay=0, process=True) as sb:
        assert sb.info()["seed"] == 0
        proc = Path(f"/proc/{sb._process.pid}")  # noqa: SLF001
        assert KEY.encode() not in (proc / "cmdline").read_bytes()
        assert KEY.encode() not in (proc / "environ").read_bytes()
        assert KEY not in repr(sb) and KEY not in repr(sb._process)  # noqa: SLF001


def test_process_must_be_a_switch_or_a_process() -> None:
    with pytest.raises(ValueError, match="process: 'yes' is not allowed; allowed: True, False"):
        Sandbox(api_key=KEY, process="yes")  # type: ignore[arg-type]


def test_reset_brings_the_process_clock_back() -> None:
    with Sandbox(api_key=KEY, rental_delay=0, date="2026-11-01", process=True) as sb:
        assert sb.set_date("2027-02-01").isoformat() == sb.info()["date"] == "2027-02-01"
        sb.reset()
        assert sb.date.isoformat() == sb.info()["date"] == "2026-11-01"
