"""List the package's modules over ~500 lines and functions over 80 lines (issue #12: a module or a function that
long must say why in a comment).

    python scripts/long_functions.py            # every module over 500 lines and function over 80, longest first
    python scripts/long_functions.py --max-function 60 --max-module 400

A function's length counts its lines from ``def`` to its last statement, its docstring left out (a long
docstring documents, it does not make the code longer to follow). A function whose body carries a comment
starting ``# long:`` is listed with that reason.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "bien_gioi_geo"


def long_functions(root: Path, limit: int) -> list[tuple[int, str, str]]:
    """``(lines, "path:line name", reason)`` of every function longer than ``limit`` lines, longest first."""
    out = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                        and isinstance(first.value.value, str):
                    n -= (first.end_lineno or first.lineno) - first.lineno + 1
                if n > limit:
                    body = lines[node.lineno - 1:node.end_lineno]
                    reason = next((b.split("# long:", 1)[1].strip() for b in body if "# long:" in b), "")
                    out.append((n, f"{path.relative_to(root.parent)}:{node.lineno} {node.name}", reason))
    return sorted(out, reverse=True)


def long_modules(root: Path, limit: int) -> list[tuple[int, str]]:
    """``(lines, path)`` of every module longer than ``limit`` lines, longest first."""
    sizes = [(len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(root.parent)))
             for p in sorted(root.rglob("*.py"))]
    return sorted((s for s in sizes if s[0] > limit), reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-function", type=int, default=80)
    ap.add_argument("--max-module", type=int, default=500)
    args = ap.parse_args(argv)
    for n, name in long_modules(ROOT, args.max_module):
        print(f"module   {n:5d}  {name}")
    for n, name, reason in long_functions(ROOT, args.max_function):
        print(f"function {n:5d}  {name}" + (f"  — {reason}" if reason else "  — NO REASON GIVEN"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
