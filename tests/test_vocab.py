"""The vocabulary lives in one module: :mod:`smsp_analytics.vocab`.

Issue 16: the vendor's words and the toolkit's shared constants (gender and category
spellings, vendor <-> field names, department codes and their normalisation, Paris and the
overseas time zones, instant parsing to UTC, the synthetic mark, the app-data folder name)
are defined once, at the bottom, and every other module imports them. These tests walk the
AST of every package module (the sealed sandbox excepted: it keeps its own reading of the
vendor's words) for the copies that used to exist.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from smsp_analytics import display, refdata, vocab

PACKAGE = Path(vocab.__file__).parent
VOCAB = PACKAGE / "vocab.py"

# Concepts only vocab may define (as a function, a class or an assigned name).
OWNED_NAMES = {
    "APP_NAME",
    "SYNTHETIC_MARK",
    "SYNTHETIC_MARK_SEEDED",
    "PARIS",
    "TIME_ZONES",
    "HOLIDAY_SUBDIVISIONS",
    "DEPARTMENT_CODES",
    "TARGETING_FIELDS",
    "TARGETING_COLUMNS",
    "VENDOR_FIELDS",
    "VENDOR_COLUMNS",
    "GENDER_SPELLINGS",
    "GENDER_WORDS",
    "GENDER_ALLOWED",
    "CATEGORY_CODES",
    "CATEGORY_ALIASES",
    "CATEGORY_ALLOWED",
    "normalize_department",
    "pad_department",
    "parse_when",
    "parse_utc",
    "to_utc",
    "time_zone",
    # the private copies they replace
    "_PARIS",
    "_GENDER_ALIASES",
    "_GENDER_WORDS",
    "_GENDER_ALLOWED",
    "_CATEGORY_ALIASES",
    "_CATEGORY_NAMES",
    "_FIELD_OF",
    "_VENDOR",
    "_DATE_ONLY",
}
# Spellings that only a gender table holds: a literal with one of them is a copy.
GENDER_ONLY = {"femmes", "femme", "hommes", "homme", "mixte", "women", "woman"}


def _modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if "sandbox" not in p.relative_to(PACKAGE).parts and p != VOCAB
    )


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants (prose and doctests may name the concepts)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _strings(tree: ast.Module) -> list[ast.Constant]:
    docs = _docstrings(tree)
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', '?')}"


def _bound(target: ast.AST) -> list[str]:
    """Names an assignment target binds (``a``, ``a, b``, ``*a``; not ``x[a]`` nor ``x.a``)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _bound(t)]
    if isinstance(target, ast.Starred):
        return _bound(target.value)
    return []


def _defined_names(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    out: list[tuple[str, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append((node.name, node))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out += [(name, node) for t in targets for name in _bound(t)]
    return out


def test_the_scan_sees_the_package():
    # A walk over nothing would pass every test below.
    names = {p.relative_to(PACKAGE).as_posix() for p in _modules()}
    assert {
        "display/formats.py",
        "targeting.py",
        "frames.py",
        "campaign/sendwindows.py",
        "history/_fields.py",
        "report/changes.py",
        "cli/options.py",
    } <= names
    assert not any(n.startswith("sandbox/") for n in names)


def test_vocab_imports_nothing_of_the_package():
    # Only the language layer below it (floor -1), to mark the words people read.
    for node in ast.walk(_tree(VOCAB)):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, "vocab: no relative import"
            module = node.module or ""
            assert module == "smsp_analytics.i18n" or not module.startswith("smsp_analytics")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith("smsp_analytics"), alias.name


def test_no_module_outside_vocab_defines_its_concepts():
    found = [
        f"{_where(p, node)} defines {name}"
        for p in _modules()
        for name, node in _defined_names(_tree(p))
        if name in OWNED_NAMES
    ]
    assert not found, "\n".join(found)


def test_no_gender_table_outside_vocab():
    found = []
    for p in _modules():
        for node in ast.walk(_tree(p)):
            if isinstance(node, (ast.Dict, ast.Set)):  # a table of spellings or words
                items = node.keys + node.values if isinstance(node, ast.Dict) else node.elts
                words = {
                    i.value.strip().lower()
                    for i in items
                    if isinstance(i, ast.Constant) and isinstance(i.value, str)
                }
                if words & GENDER_ONLY:
                    found.append(f"{_where(p, node)}: {sorted(words & GENDER_ONLY)}")
    assert not found, "\n".join(found)


def test_no_category_alias_table_outside_vocab():
    found = []
    for p in _modules():
        for node in ast.walk(_tree(p)):
            if isinstance(node, ast.Dict):
                pairs = {
                    (k.value, v.value)
                    for k, v in zip(node.keys, node.values)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                }
                if pairs & {(102, "CSP+"), ("csp+", 102), ("CSP+", 102)}:
                    found.append(_where(p, node))
    assert not found, "\n".join(found)


def test_no_paris_time_zone_outside_vocab():
    found = []
    for p in _modules():
        tree = _tree(p)
        for node in _strings(tree):
            if node.value in ("Europe/Paris", "America/Guadeloupe", "Indian/Reunion"):
                found.append(f"{_where(p, node)}: {node.value!r}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, (ast.Name, ast.Attribute))
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "ZoneInfo"
            ):
                found.append(f"{_where(p, node)}: ZoneInfo(...)")
    assert not found, "\n".join(found)


def test_no_app_name_or_synthetic_mark_outside_vocab():
    found = []
    for p in _modules():
        for node in _strings(_tree(p)):
            if "smsp-analytics" in node.value or "SYNTHETIC DATA" in node.value:
                found.append(f"{_where(p, node)}: {node.value[:60]!r}")
    assert not found, "\n".join(found)


def test_vendor_field_names_are_mapped_once():
    # A dict literal mapping vendor parameters to names is a copy of VENDOR_FIELDS (a dict
    # of vendor parameters to values, a request, is not).
    found = []
    for p in _modules():
        for node in ast.walk(_tree(p)):
            if isinstance(node, ast.Dict):
                keys = {
                    k.value
                    for k, v in zip(node.keys, node.values)
                    if isinstance(k, ast.Constant)
                    and isinstance(v, ast.Constant)
                    and isinstance(v.value, str)
                }
                if len(keys & {"sexe", "minAge", "maxAge", "subInterest"}) >= 2:
                    found.append(_where(p, node))
    assert not found, "\n".join(found)


# -- what the vocabulary says --------------------------------------------------------------


def test_department_codes_are_the_reference_data():
    assert vocab.DEPARTMENT_CODES == refdata.department_codes()


@pytest.mark.parametrize(
    "raw, code",
    [
        ("2", "02"),
        (2, "02"),
        (" 2a ", "2A"),
        ("971", "971"),
        ("60", "60"),
        ("20", None),
        ("975", None),
        (True, None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_department(raw, code):
    assert vocab.normalize_department(raw) == code


def test_time_zone_of_each_department():
    assert vocab.time_zone("75") is vocab.PARIS
    assert vocab.time_zone("974").key == "Indian/Reunion"
    assert set(vocab.TIME_ZONES) | set(vocab.HOLIDAY_SUBDIVISIONS) <= set(vocab.DEPARTMENT_CODES)


def test_every_gender_spelling_has_words():
    assert set(vocab.GENDER_SPELLINGS.values()) == set(vocab.GENDER_WORDS) == {"m", "h", "f"}
    assert vocab.GENDER_WORDS["m"] == "men and women"


def test_vendor_fields_name_targeting_fields_and_columns():
    assert set(vocab.VENDOR_FIELDS.values()) == set(vocab.TARGETING_FIELDS)
    assert set(vocab.VENDOR_COLUMNS.values()) == set(vocab.TARGETING_COLUMNS)
    assert vocab.VENDOR_COLUMNS.keys() == vocab.VENDOR_FIELDS.keys()


def test_parse_utc():
    assert vocab.parse_utc("2026-10-01T14:00:00+02:00", "at") == pd.Timestamp(
        "2026-10-01 12:00", tz="UTC"
    )
    assert vocab.parse_utc(dt.date(2026, 10, 1), "since") == pd.Timestamp("2026-10-01", tz="UTC")
    assert vocab.parse_utc("2026-10-01", "until", end_of_day=True).hour == 23
    assert vocab.parse_utc(None, "since") is None
    with pytest.raises(ValueError, match="^since: 'soon' is not a valid date"):
        vocab.parse_utc("soon", "since")


# -- one formatter for displayed numbers -----------------------------------------------------


def test_unit_prices_show_three_decimals():
    assert display.UNIT_PRICE_COLUMNS
    for column in display.UNIT_PRICE_COLUMNS:
        assert display.fmt_value(0.038, column) == "€0.038", column


def test_price_per_sms_reads_three_decimals_and_costs_two():
    assert display.fmt_value(0.038, "price_per_sms_eur") == "€0.038"
    assert display.fmt_value(0.045, "unit_cost_eur") == "€0.045"
    assert display.fmt_value(12.5, "cost_eur") == "€12.50"
    assert {"unit_cost_eur", "price_per_sms_eur"} <= display.UNIT_PRICE_COLUMNS
