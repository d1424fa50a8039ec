"""Every module of the outputs, analysis and command-line layers says in its docstring what it uses (issue #12).

The last paragraph of the module docstring is ``Uses (layer ``X``): ``a``, ``b``; in ``pkg/``: ``c``.`` — the
package's modules it imports (lazy imports included), outside its own subpackage and then inside it. This test draws
the same list from the code, so the sentence cannot rot; the layers themselves are the import-linter contracts of
``pyproject.toml``.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

import bien_gioi_geo

SRC = Path(bien_gioi_geo.__file__).parent
DOCUMENTED = ("analysis", "maps", "printing", "patrols", "report.py", "report_change.py", "report_patrols.py",
              "cli.py", "tables.py", "table_files.py", "labels.py")
USES = re.compile(r"Uses \(layer ``(?P<layer>\w+)``\): (?P<rest>.*?)\.\s*$", re.DOTALL)


def package_imports(path: Path) -> tuple[str, list[str], list[str]]:
    """``(layer, modules outside its subpackage, modules inside it)`` that the module at ``path`` imports."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    package, top = parts[:-1], parts[0]
    outside, inside = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[list[str]] = []
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            targets += [base + node.module.split(".")] if node.module else [base + [a.name] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bien_gioi_geo."):
            targets.append(node.module.split(".")[1:])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            targets += [a.name.split(".")[1:] for a in node.names if a.name.startswith("bien_gioi_geo.")]
        for t in targets:
            if t[0] != top:
                outside.add(t[0])
            elif len(parts) > 1 and len(t) > 1 and t[1] != parts[-1]:
                inside.add(t[1])
    return top, sorted(outside), sorted(inside)


def uses_sentence(path: Path) -> str:
    """The sentence the docstring of the module at ``path`` must end with."""
    layer, outside, inside = package_imports(path)
    names = ", ".join(f"``{n}``" for n in outside) or "nothing else of the package"
    if inside:
        names += f"; in ``{layer}/``: " + ", ".join(f"``{n}``" for n in inside)
    return f"Uses (layer ``{layer}``): {names}."


def documented_modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py"))
            if any(p.relative_to(SRC).as_posix() == d or p.relative_to(SRC).as_posix().startswith(d + "/")
                   for d in DOCUMENTED)]


def test_sentence_of_a_planted_module(tmp_path, monkeypatch):
    pkg = tmp_path / "maps"
    pkg.mkdir()
    (pkg / "demo.py").write_text("from ..labels import label\nfrom .elements import x\n\n"
                                 "def f():\n    from ..analysis.coverage import coverage\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    expected = "Uses (layer ``maps``): ``analysis``, ``labels``; in ``maps/``: ``elements``."
    assert uses_sentence(pkg / "demo.py") == expected


@pytest.mark.parametrize("path", documented_modules(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_docstring_says_what_the_module_uses(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    said = " ".join(doc.split("\n\n")[-1].split())
    assert said == uses_sentence(path)
