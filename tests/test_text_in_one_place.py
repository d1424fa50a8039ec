"""Vietnamese words a reader sees live in the text tables, not scattered through the code (issue #12).

A string literal with a Vietnamese letter (docstrings aside) may stand only in a module that is a text table, a
module whose Vietnamese words are the vocabulary it *reads* from users' files (header names, kinds, countries,
hemisphere letters), or the rule modules (each rule is registered with its message, vi and en, beside its code).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bien_gioi_geo

SRC = Path(bien_gioi_geo.__file__).parent
VI_LETTER = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)

TEXT_TABLES = {"labels.py", "printing/strings.py", "io/texts.py", "model/_messages.py"}
READ_VOCABULARY = {"schema.py", "crs.py", "patrols/read.py", "io/common.py", "model/fields.py", "model/normalise.py",
                   "model/positions.py", "model/values.py", "io/tabular.py", "model/layout.py"}
RULES_AND_PLACES = ("validation/", "admin/")  # rule messages beside their rule; place names of the crosswalk
#: Reader-facing Vietnamese still outside io/texts.py, in modules another issue is editing now (listed for the lead)
KNOWN = {"io/checks.py", "io/geometry.py", "io/office.py", "io/repeats.py"}


def vietnamese_literals(source: str) -> list[int]:
    """Lines of string literals (not docstrings) holding a Vietnamese letter."""
    tree = ast.parse(source)
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return sorted({n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and id(n) not in docs and VI_LETTER.search(n.value)})


def test_finder_skips_docstrings_and_finds_literals():
    source = 'def f():\n    """Phong Thổ."""\n    return "Đường biên" + "border"\n'
    assert vietnamese_literals(source) == [3]


def test_vietnamese_text_only_in_the_text_tables():
    allowed = TEXT_TABLES | READ_VOCABULARY | KNOWN
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in allowed or rel.startswith(RULES_AND_PLACES):
            continue
        lines = vietnamese_literals(path.read_text(encoding="utf-8"))
        if lines:
            offenders[rel] = lines
    assert offenders == {}
