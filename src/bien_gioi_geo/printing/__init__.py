"""Paper output for the commander's desk: the printable map (PDF/PNG) and the Word report.

matplotlib and python-docx are imported only when a map or a report is made.
"""

from __future__ import annotations

from typing import Any

__all__ = ["print_map", "save", "word_report"]


def __getattr__(name: str) -> Any:  # lazy: matplotlib / python-docx load only when used
    if name in ("print_map", "save"):
        from . import print_map as _pm

        return getattr(_pm, name)
    if name == "word_report":
        from .docx_report import word_report

        return word_report
    raise AttributeError(f"module 'bien_gioi_geo.printing' has no attribute {name!r}")
