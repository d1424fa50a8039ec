"""Write a map as one HTML file, atomically.

Uses (layer ``maps``): ``outputs``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..outputs import atomic_file

__all__ = ["save_map"]


def save_map(m: Any, path: str | Path) -> Path:
    """Write the map as one HTML file, atomically (a temporary file in the same folder, then a rename).

    Raises
    ------
    OutputError
        When the file cannot be written (see :func:`bien_gioi_geo.outputs.atomic_file`).
    """
    path = Path(path)
    html = m.get_root().render()
    with atomic_file(path) as tmp:
        tmp.write_text(html, encoding="utf-8", errors="backslashreplace")
    return path
