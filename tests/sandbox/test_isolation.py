"""The sandbox imports nothing from the client side of smsp_analytics."""

import ast
from pathlib import Path

import smsp_analytics.sandbox as pkg

ALLOWED = ("smsp_analytics.sandbox", "smsp_analytics.refdata")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports stay inside the package by construction
                names.append("smsp_analytics.sandbox")
                continue
            base = node.module or ""
            names.append(base)
            if base == "smsp_analytics":  # "from smsp_analytics import X" imports X
                names += [f"smsp_analytics.{a.name}" for a in node.names]
    return names


def test_sandbox_imports_only_itself_and_refdata():
    files = sorted(Path(pkg.__file__).parent.rglob("*.py"))
    assert len(files) >= 10
    offenders = []
    for path in files:
        for name in _imports(path):
            if name == "smsp_analytics" or not name.startswith("smsp_analytics"):
                continue
            if not any(name == a or name.startswith(a + ".") for a in ALLOWED):
                offenders.append((path.name, name))
    assert offenders == []


def test_the_checker_catches_a_client_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from smsp_analytics import client\nimport smsp_analytics.charts\n")
    names = _imports(bad)
    assert "smsp_analytics.client" in names and "smsp_analytics.charts" in names
