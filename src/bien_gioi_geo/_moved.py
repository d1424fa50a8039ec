"""Old import paths of modules that moved in the restructuring (issue #12), kept working with a warning.

``bien_gioi_geo.coverage``, ``.intervals``, ``.ledger`` and ``.compare`` now live in :mod:`bien_gioi_geo.analysis`.
Code that still writes ``from bien_gioi_geo.coverage import Coverage`` gets the same object and a
:class:`DeprecationWarning` naming the new path. The old paths are not files: a file ``coverage.py`` beside
``__init__`` would, when imported late, rebind ``bg.coverage`` (the function) to the module; an entry in
``sys.modules`` is found before any file and is never bound on the package.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings
from typing import Any

__all__ = ["MOVED", "install"]

#: old submodule name -> new dotted path inside the package
MOVED = {
    "intervals": "analysis.intervals",
    "coverage": "analysis.coverage",
    "ledger": "analysis.ledger",
    "compare": "analysis.compare",
}


class _MovedModule(types.ModuleType):
    """A stand-in for a moved module: every attribute is looked up in the new module, with a warning."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(old, f"Moved to {new}; import from there.")
        self._new = new

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):  # the import machinery probing: not a user's name
            raise AttributeError(name)
        warnings.warn(f"{self.__name__} moved to {self._new} (issue #12); import {name!r} from there",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(self._new), name)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self._new))


def install(package: str) -> None:
    """Register the old paths of ``package`` in :data:`sys.modules` (once; a real module there is left alone)."""
    for old, new in MOVED.items():
        sys.modules.setdefault(f"{package}.{old}", _MovedModule(f"{package}.{old}", f"{package}.{new}"))
