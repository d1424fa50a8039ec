"""The import graph drawn from the code: no cycle among the package's modules, no private name across packages.

grimp (the graph import-linter builds its contracts on) reads every ``import`` statement of every module, those
inside functions (lazy imports) included, so a cycle hidden behind a lazy import is found too. The layers
themselves are import-linter's contracts in ``pyproject.toml`` (``lint-imports``, run by ``.ci/run``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

import bien_gioi_geo

PACKAGE = "bien_gioi_geo"
SRC = Path(bien_gioi_geo.__file__).parent


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(PACKAGE, cache_dir=None)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
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
    return found


def test_cycle_finder_finds_a_planted_cycle():
    # a → b → c → a is one cycle; d → a hangs off it; e stands alone
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_module_import_graph_has_no_cycle(graph):
    modules = {m for m in graph.modules if m == PACKAGE or m.startswith(PACKAGE + ".")}
    assert len(modules) > 80  # the whole package was read (a wrong root would make this test pass vacuously)
    edges = {m: {x for x in graph.find_modules_directly_imported_by(m) if x in modules} for m in modules}
    # lazy imports are edges too: write_report imports validation and the maps inside the function
    assert {"bien_gioi_geo.validation", "bien_gioi_geo.maps"} <= edges["bien_gioi_geo.report"]
    assert _cycles(edges) == []


def test_no_module_imports_a_private_name_of_another_package():
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = parts[:-1] if rel.name != "__init__" else parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = package[: len(package) - (node.level - 1)]
            target = [*base, *(node.module.split(".") if node.module else [])]
            # the same subpackage (bien_gioi_geo.X...) may share private names; another one may not
            if target[:2] == parts[:2]:
                continue
            offences += [f"{'.'.join(parts)} imports {'.'.join(target)}.{a.name}" for a in node.names
                         if a.name.startswith("_") and not a.name.startswith("__")]
    assert offences == []


def _private_attributes_used_elsewhere(source: str) -> list[str]:
    """``x._name`` in ``source`` where ``x`` is not ``self``/``cls`` and ``_name`` is not defined in that module:
    a private name of another module reached through an attribute (``coverage(ds)._stretch_frame``)."""
    tree = ast.parse(source)
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                and node.attr not in defined):
            out.append(f"line {node.lineno}: .{node.attr}")
    return out


def test_private_attribute_finder_finds_a_planted_one():
    planted = "from .coverage import coverage\n\ndef f(ds):\n    return coverage(ds)._union\n"
    assert _private_attributes_used_elsewhere(planted) == ["line 4: ._union"]
    own = ("class A:\n    def __init__(self):\n        self._x = 1\n\n"
           "    def same(self, other):\n        return other._x\n")
    assert _private_attributes_used_elsewhere(own) == []


def test_no_module_reads_a_private_attribute_of_another_module():
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        offences += [f"{path.relative_to(SRC)} {hit}"
                     for hit in _private_attributes_used_elsewhere(path.read_text(encoding="utf-8"))]
    assert offences == []
