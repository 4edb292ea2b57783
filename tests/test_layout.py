"""The package's shape: short modules, no import cycles, no module hiding a public function's
name, and a documented ``__init__`` in every subpackage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import govdisclose

PACKAGE = Path(govdisclose.__file__).resolve().parent
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its name, from ``__init__.py``)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = ["govdisclose", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, *, in_function: bool = False):
    """(statement, inside a function?) for every import that runs: module level and inside
    functions, but not under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, in_function
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), in_function=in_function)
        else:
            inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            yield from _imports(node, in_function=inner)


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The govdisclose modules an import statement in module ``name`` imports."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    if node.level:  # relative: resolved against the importing module's package
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        base_parts = package[: len(package) - (node.level - 1)]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in MODULES:
            out.append(sub)  # ``from pkg import submodule``
        elif base in MODULES:
            out.append(base)
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _imports(tree):
            for target in _targets(name, path, node):
                if target == name:
                    continue
                if path.name == "__init__.py" and in_function and target.startswith(name + "."):
                    continue  # a package loading its own submodules on demand
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_module_list_is_the_package():
    assert {"govdisclose", "govdisclose.corpus.loader", "govdisclose.readers", "govdisclose.viz.render"} <= set(MODULES)


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines: split them along a real seam"


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_cycles():
    # the checker itself: a cycle through a function-level import is one
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("import os\ndef f():\n    from govdisclose.corpus import paths\nif TYPE_CHECKING:\n    import govdisclose.cli\n")
    found = [t for node, _ in _imports(tree) for t in _targets("govdisclose.tidy", PACKAGE / "tidy.py", node)]
    assert found == ["govdisclose.corpus.paths"]
    relative = ast.parse("from ..exceptions import GovDiscloseError\nfrom . import model\n").body
    assert _targets("govdisclose.readers.text", PACKAGE / "readers" / "text.py", relative[0]) == ["govdisclose.exceptions"]
    assert _targets("govdisclose.readers", PACKAGE / "readers" / "__init__.py", relative[1]) == ["govdisclose.readers.model"]


def test_no_top_level_module_is_named_after_a_public_function():
    functions = {name for name in govdisclose.__all__ if name != "__version__" and not isinstance(getattr(govdisclose, name), type)}
    top_level = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    assert functions and "report" in top_level
    assert sorted(top_level & functions) == []


@pytest.mark.parametrize("package", sorted({p.parent for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}),
                         ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_every_subpackage_has_a_documented_init(package):
    init = package / "__init__.py"
    assert init.is_file(), f"{package} has modules but no __init__.py"
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{init} has no docstring"
