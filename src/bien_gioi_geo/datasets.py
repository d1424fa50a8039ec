"""Bundled datasets.

``phong_tho``
    The former Phong Thổ district's stretch of the Viet Nam–China border (official 97.229 km). The line is
    OpenStreetMap-derived (ODbL 1.0, © OpenStreetMap contributors). **The markers and assignments are
    ILLUSTRATIVE**: generated with a seeded procedure along the real line so that the coverage summary reproduces
    the figures of Phong Thổ's 2019–2024 review (51 markers: 12 triple, 20 double, 15 single, 4 auxiliary; 27
    emplaced by Viet Nam, 24 by China; 12 communes, 125 villages; 63 collectives and 460 individuals self-managing
    97.229 km and 27 markers). They are not the real positions or groups.

``phong_tho_problems``
    The same sample with realistic mistakes planted (a gap, an overlap, an unknown marker, a stretch drawn in
    China, VN-2000 coordinates read as WGS 84, swapped latitude/longitude, a decomposed-Unicode name, a reversed
    range…), listed in its README; loaded leniently so that :func:`bien_gioi_geo.validate` shows every one.
``dien_bien``
    Điện Biên's borders with China (official 40.86 km) and Laos (414.712 km), OpenStreetMap-derived lines;
    **ILLUSTRATIVE** markers (145) and assignments matching the province's directive: 102 villages with 4,301
    households / 16,528 people self-managing 374.361 km of line, 3,502 households / 14,374 people self-managing
    145 markers.
``vietnam``
    Viet Nam's land borders with China, Laos and Cambodia (OpenStreetMap-derived, ODbL), oriented away from the
    Viet Nam–Laos–China tri-point, with their official lengths. Lines only.

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


def available(root: Path | None = None) -> list[str]:
    """Names of the bundled datasets.

    Examples
    --------
    >>> "phong_tho" in available()
    True
    """
    base = Path(root) if root is not None else _root()
    return sorted(p.name for p in base.iterdir() if p.is_dir() and (p / "dataset.json").exists())


def path(name: str, root: Path | None = None) -> Path:
    """The folder of a bundled dataset (to copy or to read with other tools)."""
    names = available(root)
    if not isinstance(name, str) or name not in names:
        raise InputError(f"no bundled dataset {name!r}; available: {', '.join(names)}")
    return (Path(root) if root is not None else _root()) / name


def load(name: str, *, root: Path | None = None, **kwargs: Any) -> Any:
    """Load a bundled dataset as a :class:`bien_gioi_geo.Dataset`.

    ``phong_tho``'s markers and assignments are ILLUSTRATIVE (see the module docstring): generated along the
    real, OpenStreetMap-derived line to reproduce the review's figures, not real positions or groups.

    Examples
    --------
    >>> ds = load("phong_tho")
    >>> round(ds.border.length_km, 3), ds.border.official_length_km
    (93.523, 97.229)
    """
    from .dataset_reader import read_dataset
    from .io import read_meta

    folder = path(name, root)
    meta = read_meta(folder / "dataset.json")
    if meta.get("lenient") and "errors" not in kwargs:
        # a sample with planted mistakes: rows the reader rejects become rows of bg.validate(ds)
        ds, _problems = read_dataset(folder, errors="collect", **kwargs)
        return ds
    return read_dataset(folder, **kwargs)
