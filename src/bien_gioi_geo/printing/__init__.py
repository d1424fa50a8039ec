"""Paper output for the commander's desk: the printable map (PDF/PNG) and the Word report.

``print_map`` and ``save`` live in :mod:`.paper_map`, ``word_report`` in :mod:`.docx_report`; matplotlib and
python-docx are imported only when a map or a report is made.

Uses (layer ``printing``): nothing else of the package.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["print_map", "save", "word_report"]

_WHERE = {"print_map": ".paper_map", "save": ".paper_map", "word_report": ".docx_report"}


def __getattr__(name: str) -> Any:  # lazy: matplotlib / python-docx load only when used
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module 'bien_gioi_geo.printing' has no attribute {name!r}")
