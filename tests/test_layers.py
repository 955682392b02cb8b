"""The import rules of ARCHITECTURE.md, read from the source (AST), so that a wrong import
fails here rather than in a reviewer's head.

- Floors: a module imports only its own unit (package or root module) and units on lower
  floors. The order is the data flow: vocabulary -> wire -> frames -> client parts -> analyses
  -> charts -> panel/report/app -> cli.
- Public names only: no module imports a ``_private`` name of another module (a package may
  import its own private submodules, ``from smsp_analytics.charts import _style``).
- The sandbox is sealed (tests/sandbox/test_isolation.py) and the vocabulary imports nothing
  of the package (tests/test_vocab.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import smsp_analytics

PACKAGE = Path(smsp_analytics.__file__).parent

#: Unit -> floor. A unit is a subpackage or a module at the package root.
FLOORS: dict[str, int] = {
    "i18n": -1,  # the language: errors and vocabulary speak it
    "vocab": 0,
    "refdata": 0,
    "errors": 0,
    "_compat": 0,
    "sandbox": 1,  # sealed; the client starts it in the no-key mode
    "display": 1,
    "wire": 2,
    "targeting": 3,
    "accounts": 3,  # frames of the account: below frames, which re-exports them
    "account_data": 3,  # frames of the account's own data (STOP list, lookup, costs)
    "frames": 4,
    "exports": 4,
    "history": 5,
    "money": 5,
    "client": 6,
    "analysis": 7,
    "campaign": 7,
    "charts": 8,
    "panel": 9,
    "report": 9,
    "app": 10,
    "cli": 11,
}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        found.append((name.removesuffix(".__init__"), path))
    return found


def _imports(path: Path) -> list[tuple[str, str | None, int]]:
    """(module, imported name or None, line) for every smsp_analytics import in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] == "smsp_analytics"
        ):
            for alias in node.names:
                sub = PACKAGE / alias.name
                if node.module == "smsp_analytics" and (
                    sub.is_dir() or sub.with_suffix(".py").exists()
                ):
                    # from smsp_analytics import charts: the subpackage itself
                    out.append((f"smsp_analytics.{alias.name}", None, node.lineno))
                else:
                    out.append((node.module, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            out += [
                (a.name, None, node.lineno)
                for a in node.names
                if a.name.split(".")[0] == "smsp_analytics"
            ]
    return out


MODULES = _modules()


def test_every_unit_has_a_floor() -> None:
    units = {_unit(name) for name, _ in MODULES} - {"__init__"}
    assert units <= set(FLOORS), f"give these a floor: {sorted(units - set(FLOORS))}"


@pytest.mark.parametrize("name, path", MODULES, ids=[n for n, _ in MODULES])
def test_imports_only_go_down(name: str, path: Path) -> None:
    unit = _unit(name)
    if unit == "__init__":  # the package's lazy public names reach every floor
        return
    wrong = []
    for module, imported, line in _imports(path):
        target = _unit(module)
        if target in {unit, "__init__"} and imported != "__version__":
            if target == "__init__":
                wrong.append(f"line {line}: {module} (import the defining module)")
            continue
        if target == "__init__":
            continue
        if FLOORS[target] >= FLOORS[unit]:
            wrong.append(f"line {line}: {module} (floor {FLOORS[target]} >= {FLOORS[unit]})")
    assert wrong == [], f"{name} (floor {FLOORS[unit]}) imports upward or sideways: {wrong}"


@pytest.mark.parametrize("name, path", MODULES, ids=[n for n, _ in MODULES])
def test_no_private_name_is_imported_from_another_module(name: str, path: Path) -> None:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    wrong = []
    for module, imported, line in _imports(path):
        if imported is None or not imported.startswith("_") or imported == "__version__":
            continue
        if (module, imported) == ("smsp_analytics.i18n", "_"):
            continue  # gettext's conventional name: public by convention, listed in __all__
        if (
            module == package
            and (PACKAGE.parent / module.replace(".", "/") / f"{imported}.py").exists()
        ):
            continue  # a private submodule of its own package
        wrong.append(f"line {line}: {imported} from {module}")
    assert wrong == [], f"{name} reaches private names: {wrong}"


def test_the_checks_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from smsp_analytics.cli.main import main\n"
        "from smsp_analytics.money.journal import _alive\n"
    )
    assert [(m, n) for m, n, _ in _imports(bad)] == [
        ("smsp_analytics.cli.main", "main"),
        ("smsp_analytics.money.journal", "_alive"),
    ]
    assert FLOORS["cli"] > FLOORS["wire"]


#: The style guide's bound on a module (formatted by ruff): past it, split by concern.
MAX_LINES = 400


def test_no_module_is_over_the_size_bound() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES}
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert over == {}, f"split these modules by concern: {over}"
