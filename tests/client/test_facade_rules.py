"""The rules of a thin client facade (issue 16), read from the classes and the source (AST).

- ``Client`` mixes nothing in: its only base is ``object`` and no class defined outside
  ``client/facade.py`` is in its MRO. Its parts get what they need as constructor arguments.
- No module reads a private attribute (``x._name``, or ``getattr(x, "_name")``) of an object
  of another module: only ``self``/``cls``, ``super()`` and the module's own classes.
- A class reads through ``self`` only the private attributes it (or a base defined in the
  same module) sets or defines: a part never reads its host's state.
- The transport has no ``_key`` (a property that only a test used).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import smsp_analytics
from smsp_analytics.client.facade import Client
from smsp_analytics.wire.transport import Transport

PACKAGE = Path(smsp_analytics.__file__).parent

#: The private names of a namedtuple are its public API (underscored so as not to clash
#: with field names).
NAMEDTUPLE_API = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}

#: (module path under the package, expression) -> why it is unavoidable.
ALLOWED: dict[tuple[str, str], str] = {
    ("cli/main.py", "os._exit"): "the standard library's public exit without teardown",
    ("sandbox/process.py", "os._exit"): "the standard library's public exit without teardown",
    (
        "sandbox/faults.py",
        "rule._rng",
    ): "rule is a FaultRule, a class of that same module (the AST cannot see its type)",
    (
        "panel/_live.py",
        "getattr(self.widget, '_last_trace_edit_id', 0)",
    ): "plotly's FigureWidget says whether a trace edit is in flight only privately",
    (
        "panel/_live.py",
        "getattr(widget, '_view_count', 0)",
    ): "plotly's FigureWidget says whether it is displayed only privately",
    (
        "panel/_live.py",
        "getattr(widget, '_trace_edit_in_process', False)",
    ): "plotly's FigureWidget says whether a trace edit is in flight only privately",
    (
        "charts/_mapdraw.py",
        "fig._validate",
    ): "plotly turns its checks back on after an unchecked construction only privately",
    (
        "charts/_style.py",
        "layout._validate",
    ): "plotly sets an already checked template unchecked (as its own default) only privately",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def foreign_private_reads(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every private attribute read on something else than ``self``,
    ``cls``, ``super()`` or a class of this module."""
    tree = ast.parse(source)
    own = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}

    def mine(value: ast.expr) -> bool:
        if isinstance(value, ast.Name):
            return value.id in {"self", "cls"} | own
        return (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "super"
        )

    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and node.attr not in NAMEDTUPLE_API
            and not mine(node.value)
        ):
            found.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr", "setattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and not mine(node.args[0])
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


def _defined(cls: ast.ClassDef) -> set[str]:
    """Names a class defines: methods, class attributes, and what its methods assign to
    ``self.<name>``."""
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    for node in ast.walk(cls):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for t in targets:
            for sub in ast.walk(t):
                if (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "self"
                ):
                    names.add(sub.attr)
        # object.__setattr__(self, "_x", ...) in a frozen dataclass
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__setattr__"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
        ):
            names.add(str(node.args[1].value))
    return names


def _package_classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    """The classes of this module, and those it imports from the package by name."""
    classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("smsp_analytics."):
            path = PACKAGE.joinpath(*node.module.split(".")[1:]).with_suffix(".py")
            if not path.is_file():
                continue
            theirs = _package_classes_of(path)
            for alias in node.names:
                if alias.name in theirs:
                    classes.setdefault(alias.asname or alias.name, theirs[alias.name])
    return classes


_SEEN: dict[Path, dict[str, ast.ClassDef]] = {}


def _package_classes_of(path: Path) -> dict[str, ast.ClassDef]:
    if path not in _SEEN:
        _SEEN[path] = {}  # an import cycle ends here
        _SEEN[path] = _package_classes(ast.parse(path.read_text(encoding="utf-8")))
    return _SEEN[path]


def host_state_reads(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every ``self._name`` (or ``getattr(self, "_name")``) read in a
    class that neither it nor one of its base classes (of the package) defines. Classes
    with a base from a library are skipped: their privates are the library's."""
    tree = ast.parse(source)
    local = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    classes = _package_classes(tree)
    harmless = {"object", "Protocol", "NamedTuple", "Generic", "Exception"}
    found = []
    for cls in local:
        bases = [ast.unparse(b).split("[")[0] for b in cls.bases]
        if any(b not in classes and b not in harmless for b in bases):
            continue
        defined = _defined(cls)
        todo = [classes[b] for b in bases if b in classes]
        while todo:
            base = todo.pop()
            defined |= _defined(base)
            todo += [classes[b] for b in (ast.unparse(x) for x in base.bases) if b in classes]
        for node in ast.walk(cls):
            name = None
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and isinstance(node.ctx, ast.Load)
            ):
                name = node.attr
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"getattr", "hasattr"}
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "self"
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                name = node.args[1].value
            if name is not None and _private(name) and name not in defined:
                found.append((node.lineno, f"{cls.name}: self.{name}"))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
IDS = [str(p.relative_to(PACKAGE)) for p in MODULES]


def test_client_is_no_mixin_host() -> None:
    assert Client.__bases__ == (object,)
    foreign = [
        k
        for k in Client.__mro__
        if k is not object and k.__module__ != "smsp_analytics.client.facade"
    ]
    assert foreign == [], f"classes of other modules mixed into Client: {foreign}"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_no_private_attribute_is_read_across_modules(path: Path) -> None:
    rel = str(path.relative_to(PACKAGE))
    found = [
        f"line {line}: {expr}"
        for line, expr in foreign_private_reads(path.read_text(encoding="utf-8"))
        if (rel, expr) not in ALLOWED
    ]
    assert found == [], f"{rel} reads private attributes of other objects: {found}"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if p.parent.name in ("client", "money")],
    ids=[i for i in IDS if i.split("/")[0] in ("client", "money")],
)
def test_a_part_reads_only_its_own_private_state(path: Path) -> None:
    found = host_state_reads(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.name} reads state its class does not own: {found}"


def test_transport_has_no_key_accessor() -> None:
    t = Transport("sk_demo", "http://127.0.0.1:9/v1/", cache=False, retries=0, timeout=0.2)
    try:
        assert not hasattr(Transport, "_key") and not hasattr(t, "_key")
        assert "sk_demo" not in str(vars(t))
    finally:
        t.close()


def test_the_checks_can_fail() -> None:
    reads = foreign_private_reads(
        "class A:\n"
        "    def f(self, other):\n"
        "        return self._a, A._b, other._c, getattr(other, '_d'), super()._e, x._replace\n"
    )
    assert [e for _, e in reads] == ["other._c", "getattr(other, '_d')"]
    mixin = host_state_reads(
        "class Base:\n"
        "    _x = 1\n"
        "class Part(Base):\n"
        "    def __init__(self):\n"
        "        self._own = 1\n"
        "    def f(self):\n"
        "        return self._own, self._x, self._host, getattr(self, '_pending', None)\n"
    )
    assert [e for _, e in mixin] == ["Part: self._host", "Part: self._pending"]
