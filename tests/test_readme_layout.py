"""The README's Layout section names every module of the package, and only modules that exist (issue #12).

A line ``- `pkg/` — …`` opens a subpackage: the file names in backticks on it and on its indented continuation lines
are read inside ``pkg/``; a line ``- `name.py` …`` is at the top of the package. Subpackages' ``__init__.py`` are
not listed (the subpackage's line is their description).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bien_gioi_geo"
FILE = re.compile(r"`([\w/]+\.(?:py|js|toml))`")


def layout_files(readme: str) -> set[str]:
    """The package files the Layout section names, as paths relative to the package."""
    section = readme.split("## Layout", 1)[1].split("`src/bien_gioi_geo/`", 1)[1]
    section = section.split("\n\n", 1)[0]
    named: set[str] = set()
    package = ""
    for line in section.splitlines():
        if line.startswith("- "):
            first = re.match(r"- `([\w/.]+)`", line)
            package = first.group(1) if first and first.group(1).endswith("/") else ""
        named |= {package + name for name in FILE.findall(line)}
    return named


def package_files() -> set[str]:
    out = set()
    for path in PACKAGE.rglob("*"):
        rel = path.relative_to(PACKAGE).as_posix()
        if path.suffix not in (".py", ".js", ".toml") or "_data/" in rel or "__pycache__" in rel:
            continue
        if path.name == "__init__.py" and path.parent != PACKAGE:
            continue
        out.add(rel)
    return out


def test_layout_names_every_module_and_no_other():
    named = layout_files((ROOT / "README.md").read_text(encoding="utf-8"))
    files = package_files()
    assert sorted(files - named) == [], "modules missing from the README's Layout section"
    assert sorted(named - files) == [], "the README's Layout section names files that do not exist"


def test_reader_of_layout_sees_subpackages():
    # the parser itself: a subpackage line scopes its files, a top-level line does not
    text = ("## Layout\n\n`src/bien_gioi_geo/`\n- `a.py` — x. `b.py` — y.\n- `pkg/` — z: `c.py`,\n"
            "  `d.py`, `static/e.js`.\n  - `f.py` — w.\n- `g.py` — v.\n\nafter: `h.py`\n")
    assert layout_files(text) == {"a.py", "b.py", "pkg/c.py", "pkg/d.py", "pkg/static/e.js", "pkg/f.py", "g.py"}

