"""Shared fixtures for the client tests: one real sandbox over HTTP for the session.

The sandbox accepts a distinctive key so that any leak is easy to find; ``admin`` resets it
(balance, rentals, faults, counters) before each test that asks for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Bytecode as an installed package has it: the suite starts hundreds of Python processes (the
# CLI, notebook kernels, Voila, the sandbox's process), and with PYTHONDONTWRITEBYTECODE set
# (some sandboxed machines set it) each one would compile the toolkit's modules afresh, about
# 0.3 s of CPU every time. Set before the toolkit is imported, so this worker writes them too.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

import pytest  # noqa: E402
import requests  # noqa: E402

from smsp_analytics.client.facade import Client  # noqa: E402
from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox  # noqa: E402

KEY = "sk_test_NEVER_SHOW_4242"

#: The modules that take longest, longest first (wall time of each in a four-worker run on
#: the 2-core machine: 50 s down to 9 s). xdist hands whole modules to the workers in
#: collection order (``--no-loadscope-reorder``; its default order puts the modules with the
#: most tests first, which left these few-test, long modules for the end): started first,
#: none of them keeps one worker busy after the others have finished. The rest follow in
#: their usual order.
RUN_FIRST = (
    "tests/report/test_report.py",
    "tests/app/test_app_browser.py",
    "tests/panel/test_panel_writes.py",
    "tests/money/test_money_inflight.py",
    "tests/panel/test_panel.py",
    "tests/charts/test_charts_browser.py",
    "tests/report/test_report_browser.py",
    "tests/history/test_history_faults_waits.py",
    "notebooks/02_audience_explorer.ipynb",
    "tests/client/test_account_data.py",
    "tests/money/test_money_deadline.py",
    "tests/money/test_money_journal.py",
    "tests/test_doctests.py",
    "tests/sandbox/test_sandbox_process.py",
    "tests/history/test_history_pg.py",
    "tests/charts/test_charts_common.py",
    "tests/report/test_report_french.py",
    "tests/report/test_report_account.py",
    "tests/money/test_money_downloads_disk.py",
    "notebooks/06_en_francais.ipynb",
    "notebooks/05_quote_drift.ipynb",
    "tests/report/test_report_first_hour.py",
    "tests/app/test_app_french.py",
    "tests/panel/test_region.py",
    "tests/wire/test_differential.py",
    "tests/cli/test_cli_process.py",
    "notebooks/03_cost_comparison_report.ipynb",
)

#: Run last, once the machine is quieter: the app bench's figure (its first chart) then says
#: more about the app than about the other workers' load.
RUN_LAST = ("tests/app/test_app_bench.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of :data:`RUN_FIRST` first, in its order, those of :data:`RUN_LAST` last;
    a stable sort, so each module's tests keep their order. A listed module that no longer
    exists is an error, not a quietly weaker order."""
    root = Path(str(config.rootpath))
    gone = [path for path in RUN_FIRST + RUN_LAST if not (root / path).is_file()]
    if gone:
        raise pytest.UsageError(f"tests/conftest.py lists missing modules: {gone}")
    rank = {path: i for i, path in enumerate(RUN_FIRST)}
    rank.update({path: len(RUN_FIRST) + 1 for path in RUN_LAST})
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(RUN_FIRST)))


# The tests (and the notebooks' kernels, which inherit this) read English unless a test asks
# for French (use_lang("fr") or SMSP_LANG=fr in a subprocess): the machine's locale must not
# change an expected sentence.
os.environ["SMSP_LANG"] = "en"

#: The API contract lives in shared/ beside the repository (so in CI's clone too); a developer
#: elsewhere points SMSP_CONTRACT_MD at it.
CONTRACT_MD = Path(
    os.environ.get("SMSP_CONTRACT_MD")
    or Path(__file__).resolve().parents[2] / "shared" / "api" / "CONTRACT.md"
)


@pytest.fixture(scope="session")
def contract_md() -> str:
    """The text of the API contract (the tests that check a copy against it skip only where
    the contract is not on the machine: never in CI)."""
    if not CONTRACT_MD.is_file():
        pytest.skip(f"the API contract is not at {CONTRACT_MD}; set SMSP_CONTRACT_MD")
    return CONTRACT_MD.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sbx() -> Iterator[Sandbox]:
    # The date is pinned: without one the sandbox lives on today's date, and the tests'
    # numbers (volumes, send windows, quote dates) are those of the reference month.
    with Sandbox(api_key=KEY, seed=0, credit_eur=1000, rental_delay=0.0, date=REFERENCE_DATE) as sb:
        yield sb


class Admin:
    """The sandbox's ``/_sandbox/`` endpoints."""

    def __init__(self, sb: Sandbox) -> None:
        self.url = sb.admin_url

    def reset(self) -> None:
        requests.post(self.url + "reset", timeout=10).raise_for_status()

    def fault(self, **rule: Any) -> None:
        requests.post(self.url + "faults", json=rule, timeout=10).raise_for_status()

    def clear_faults(self) -> None:
        requests.delete(self.url + "faults", timeout=10).raise_for_status()

    def stats(self) -> dict[str, int]:
        return requests.get(self.url + "stats", timeout=10).json()["requests"]


@pytest.fixture(scope="session", autouse=True)
def session_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every client of the session records into a temporary store, never the user's
    (tests of SMSP_HISTORY_URL itself set their own with monkeypatch)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'session-history.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SMSP_HISTORY_URL", url)
        yield url


@pytest.fixture()
def admin(sbx: Sandbox) -> Iterator[Admin]:
    a = Admin(sbx)
    a.reset()
    yield a
    a.clear_faults()


@pytest.fixture()
def make_client(sbx: Sandbox, tmp_path: Path) -> Iterator[Callable[..., Client]]:
    """Clients on the session sandbox, with their cache, journal and quote history under
    tmp_path."""
    made: list[Client] = []

    def make(**kw: Any) -> Client:
        kw.setdefault("history", tmp_path / "client-history.sqlite")
        kw.setdefault("cache", tmp_path / "cache.sqlite")
        kw.setdefault("journal", tmp_path / "journal.sqlite")
        kw.setdefault("rentals_dir", tmp_path / "rentals")
        kw.setdefault("backoff_factor", 0.01)
        c = Client(kw.pop("api_key", KEY), base_url=kw.pop("base_url", sbx.base_url), **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture()
def client(make_client: Callable[..., Client]) -> Client:
    return make_client()


@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch, sbx: Sandbox, tmp_path: Path, admin: Admin) -> Admin:
    """The ``smsp`` CLI pointed at the session sandbox, its user dirs and history in tmp."""
    monkeypatch.setenv("SMSPARTNER_API_KEY", sbx.api_key)
    monkeypatch.setenv("SMSPARTNER_BASE_URL", sbx.base_url)
    # The CLI's cache, journal, kept downloads and quote history live in the user dirs.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("SMSP_HISTORY_URL", f"sqlite:///{tmp_path / 'h.sqlite'}")
    return admin
