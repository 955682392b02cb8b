"""A report section is one unit (issue 16): its key, data, figures and text in one module,
registered once, in the report's order.

- Each section's keys (its page anchor, its tables, its figures) are typed in its own module
  only: no other module of ``smsp_analytics/report`` holds them as string literals (read
  from the source, docstrings aside).
- The registry's order is the report's: the page's sections, tables and figures, the
  report's ``tables``, ``figures`` and ``table_titles``, and the workbook's sheets.
- Every section has data (its tables), a text (title, and an intro when it draws figures)
  and, where it has one, its figures.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pytest

from smsp_analytics.client.facade import Client
from smsp_analytics.history import QuoteHistory, key_hash
from smsp_analytics.report import Scenario, build_report
from smsp_analytics.report import sections as registry
from smsp_analytics.report.excel import sheet_name
from smsp_analytics.report.sections import SECTIONS, TABLE_TITLES
from smsp_analytics.sandbox import REFERENCE_DATE, Sandbox
from smsp_analytics.vocab import TARGETING_FIELDS

KEY = "sk-sections-test-4e1b"
REPORT = Path(registry.__file__).parent.parent
SECTIONS_DIR = Path(registry.__file__).parent
#: The modules that put a report together: any section key in them is a second copy.
ASSEMBLY = {
    "build.py",
    "model.py",
    "texts.py",
    "html.py",
    "excel.py",
    "__init__.py",
    "sections/__init__.py",
    "sections/base.py",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A report holding every section (earlier quotes give the "What changed" one), with
    its page and workbook."""
    tmp = tmp_path_factory.mktemp("sections")
    scen = [
        Scenario.of("Oise and Aisne", interest=14, departments=["60", "02"]),
        Scenario.of("Moselle", gender="women", interest=14, departments=["57"]),
    ]
    earlier = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date="2026-08-15")
    earlier.start()
    try:
        store = QuoteHistory.open(tmp / "history.sqlite")
        with Client(KEY, base_url=earlier.base_url, cache=False, history=False) as c:
            frame = c.calcul(scen[0].targeting)
            store.record(
                frame,
                op="calcul",
                targeting_params=scen[0].targeting,
                volumes=None,
                key_hash=key_hash(KEY),
                source="sandbox:seed=0",
            )
    finally:
        earlier.stop()
    sb = Sandbox(api_key=KEY, seed=0, rental_delay=0.0, date=REFERENCE_DATE)
    sb.start()
    try:
        with Client(KEY, base_url=sb.base_url, cache=False, history=False) as c:
            # rented numbers (some on the account's STOP list) give the cleaning section
            numbers = [*c.stop_list()["phone_number"][:3], "0612345678", "0145678901"]
            rep = build_report(
                c, scenarios=scen, interests=[14], history=store.frame(), numbers=numbers
            )
    finally:
        sb.stop()
    page = rep.to_html()
    workbook = openpyxl.load_workbook(rep.to_excel(tmp / "report.xlsx"))
    return rep, page, workbook


def _module_of(section) -> Path:
    import sys

    return Path(sys.modules[section.data.__module__].__file__)


def _literals(path: Path) -> list[ast.Constant]:
    """The string literals of a module, its docstrings (prose, examples) aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docs.add(id(body[0].value))
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def _keys(section, report) -> set[str]:
    """A section's keys: its anchor, its tables and the figures it drew."""
    page = next((p for p in report.sections if p.key == section.key), None)
    return {section.key, *section.tables, *(page.figures if page else ())}


def test_every_section_module_is_registered_once():
    modules = sorted(
        p.stem for p in SECTIONS_DIR.glob("*.py") if p.stem not in ("__init__", "base")
    )
    registered = [_module_of(s).stem for s in SECTIONS]
    assert sorted(registered) == modules
    assert len(set(registered)) == len(registered)
    # The module is named after its section's key, so "its own module" is unambiguous.
    assert [s.key for s in SECTIONS] == registered


def test_each_section_key_is_typed_only_in_its_own_module(built):
    report = built[0]
    columns = {c for df in report.tables.values() for c in df.columns}
    # Words that are also a column or a targeting field name (gender, interest, csp...)
    # may name that column in the modules computing tables; never where sections are put
    # together. The about table's row labels ("scenarios", "budget") are its data too.
    vocabulary = columns | set(TARGETING_FIELDS)
    about = next(s for s in SECTIONS if s.key == "about")
    labels = {str(v) for key in about.tables for v in report.tables[key]["field"]}
    owners = {s.key: _module_of(s) for s in SECTIONS}
    scanned = sorted(REPORT.rglob("*.py"))
    assert {p.relative_to(REPORT).as_posix() for p in scanned} >= ASSEMBLY
    found = []
    for section in SECTIONS:
        keys = _keys(section, report)
        assert keys, section.key
        for path in scanned:
            if path == owners[section.key]:
                continue
            rel = path.relative_to(REPORT).as_posix()
            for node in _literals(path):
                if node.value not in keys:
                    continue
                if rel not in ASSEMBLY and node.value in vocabulary:
                    continue
                if path == owners["about"] and node.value in labels:
                    continue
                found.append(
                    f"report/{rel}:{node.lineno}: {node.value!r} (section {section.key!r})"
                )
    assert not found, "a section key typed outside its module:\n" + "\n".join(found)


def test_the_registry_order_is_the_page_order(built):
    report, page, _ = built
    present = [s.key for s in SECTIONS if any(t in report.tables for t in s.tables)]
    assert [p.key for p in report.sections] == present
    assert "changes" in present  # every section is on this page
    assert re.findall(r'<section id="([^"]+)"', page) == [*present, "method", "source"]
    toc = re.search(r"<nav>(.*?)</nav>", page, re.S).group(1)
    assert re.findall(r'href="#([^"]+)"', toc) == [*present, "method", "source"]
    tables = [t for s in SECTIONS for t in s.tables if t in report.tables]
    assert re.findall(r'<table class="data" id="table-([^"]+)"', page) == tables
    figures = [f for p in report.sections for f in p.figures]
    assert re.findall(r'<div class="figure" data-figure="([^"]+)"', page) == figures
    assert list(report.figures) == figures


def test_the_registry_order_is_the_workbook_order(built):
    report, _, workbook = built
    tables = [t for s in SECTIONS for t in s.tables if t in report.tables]
    assert list(report.tables) == tables
    assert workbook.sheetnames == [sheet_name(t) for t in tables]
    assert (
        list(report.table_titles) == list(TABLE_TITLES) == [t for s in SECTIONS for t in s.tables]
    )


def test_every_section_has_data_text_and_figures(built):
    report = built[0]
    pages = {p.key: p for p in report.sections}
    for section in SECTIONS:
        page = pages[section.key]
        assert section.tables and page.tables == tuple(section.tables), section.key
        for key in section.tables:
            assert len(report.tables[key]) > 0, key
            assert report.table_titles[key] == section.tables[key]
        assert page.title, section.key
        if section.figures is None:
            assert page.figures == ()
            continue
        assert page.figures and page.intro, section.key
        for key in page.figures:
            assert report.figures[key].data, key
