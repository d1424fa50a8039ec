"""Bundled datasets.

``phong_tho``
    The former Phong Thổ district's stretch of the Viet Nam–China border (official 97.229 km). The line is
    OpenStreetMap-derived (ODbL 1.0, © OpenStreetMap contributors). **The markers and assignments are
    ILLUSTRATIVE**: generated with a seeded procedure along the real line so that the coverage summary reproduces
    the figures of Phong Thổ's 2019–2024 review (51 markers: 12 triple, 20 double, 15 single, 4 auxiliary; 27
    emplaced by Viet Nam, 24 by China; 12 communes, 125 villages; 63 collectives and 460 individuals self-managing
    97.229 km and 27 markers). They are not the real positions or groups.

Each dataset's folder has a ``dataset.json`` stating its source, licence and what is illustrative; ``data/README.md``
in the repository says how each file was made (``scripts/build_datasets.py`` rebuilds them).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["available", "load", "path"]


def _root() -> Path:
    try:
        base = resources.files("bien_gioi_geo._data") / "geojson"
        p = Path(str(base))
        if p.is_dir():
            return p
    except ModuleNotFoundError:
        pass
    p = Path(__file__).resolve().parents[2] / "data" / "geojson"  # a source checkout
    if p.is_dir():
        return p
    raise InputError("the bundled datasets are missing from this installation (data/geojson)")


def available() -> list[str]:
    """Names of the bundled datasets.

    Examples
    --------
    >>> "phong_tho" in available()
    True
    """
    return sorted(p.name for p in _root().iterdir() if p.is_dir() and (p / "dataset.json").exists())


def path(name: str) -> Path:
    """The folder of a bundled dataset (to copy or to read with other tools)."""
    names = available()
    if name not in names:
        raise InputError(f"no bundled dataset {name!r}; available: {', '.join(names)}")
    return _root() / name


def load(name: str, **kwargs: Any) -> Any:
    """Load a bundled dataset as a :class:`bien_gioi_geo.Dataset`.

    ``phong_tho``'s markers and assignments are ILLUSTRATIVE (see the module docstring): generated along the
    real, OpenStreetMap-derived line to reproduce the review's figures, not real positions or groups.

    Examples
    --------
    >>> ds = load("phong_tho")
    >>> round(ds.border.length_km, 3), ds.border.official_length_km
    (93.523, 97.229)
    """
    from .io import read_dataset

    return read_dataset(path(name), **kwargs)
