"""bien_gioi_geo — analyse a land border, its boundary markers and the stretches self-management groups look after.

>>> import bien_gioi_geo as bg
>>> ds = bg.datasets.load("phong_tho")          # doctest: +SKIP
>>> bg.coverage(ds).summary()                   # doctest: +SKIP
"""

from __future__ import annotations

from . import _moved, datasets
from ._version import __version__  # the version is typed once, in pyproject.toml
from .analysis.compare import Comparison, compare
from .analysis.coverage import Coverage, coverage  # binds bg.coverage to the function, not the submodule
from .analysis.ledger import timeline
from .crs import parse_dms
from .dataset import Dataset
from .dataset_reader import read_dataset
from .errors import BienGioiError, CRSError, InputError, OptionError, OutputError, ReferencingError
from .io import read_admin, read_assignments, read_border, read_markers, write_geojson
from .maps.change_map import change_map  # binds bg.change_map to the function (folium is imported when drawing)
from .patrols import Patrols, patrols, read_tracks  # binds bg.patrols to the function, not the subpackage
from .referencing import Border, Calibration
from .schema import parse_marker_id
from .validation import validate

_moved.install(__name__)  # bien_gioi_geo.coverage & co. (moved into analysis/) still import, with a warning

__all__ = [
    "Border",
    "Calibration",
    "Dataset",
    "BienGioiError",
    "InputError",
    "CRSError",
    "ReferencingError",
    "OutputError",
    "OptionError",
    "read_dataset",
    "read_markers",
    "read_assignments",
    "read_border",
    "read_admin",
    "write_geojson",
    "parse_dms",
    "parse_marker_id",
    "datasets",
    "coverage",
    "Coverage",
    "validate",
    "coverage_map",
    "admin",
    "compare",
    "Comparison",
    "timeline",
    "change_map",
    "read_tracks",
    "patrols",
    "Patrols",
    "print_map",
    "word_report",
    "__version__",
]


def __getattr__(name: str):  # lazy: folium is imported only when a map is drawn
    if name == "admin":  # the 2025 administrative crosswalk (optional data package, loaded on first use)
        import importlib

        return importlib.import_module(".admin", __name__)
    if name == "coverage_map":
        from .maps import coverage_map

        return coverage_map
    if name in ("maps", "report", "outputs"):  # bg.maps.save_map works before anything drew a map
        import importlib

        return importlib.import_module(f".{name}", __name__)
    if name in ("print_map", "word_report", "printing"):  # issue #17: matplotlib / python-docx load when used
        import importlib

        printing = importlib.import_module(".printing", __name__)
        return printing if name == "printing" else getattr(printing, name)
    raise AttributeError(f"module 'bien_gioi_geo' has no attribute {name!r}")
