"""A whole dataset read from a folder (files named by table, or one workbook) or a GeoPackage."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from ..errors import InputError
from ..text import read_text, short_repr
from .checks import parse_country
from .common import Errors, as_path, suffix_of
from .geojson import reject_constant
from .office import workbook_tables
from .problems import PROBLEM_COLUMNS, check_errors_arg
from .readers import read_admin, read_assignments, read_border, read_markers

#: What ``dataset.json`` may hold: key → (accepted types, description for messages).
META_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "name": ((str,), "a text"),
    "title": ((str,), "a text"),
    "title_en": ((str,), "a text (the title in English, used with lang='en')"),
    "official_length_km": ((int, float), "a positive number of kilometres"),
    "left": ((str,), "a country code such as 'CN'"),
    "right": ((str,), "a country code such as 'VN'"),
    "lenient": ((bool,), "true or false"),
    "illustrative": ((str, bool), "a text saying what is illustrative"),
    "line_source": ((str,), "a text"),
    "source": ((str,), "a text"),
    "licence": ((str,), "a text"),
    "license": ((str,), "a text"),
    "description": ((str,), "a text"),
    "notes": ((str,), "a text"),
    "seed": ((int,), "a whole number"),
    "planted": ((list,), "a list"),
}


def read_meta(meta_file: Path) -> dict[str, Any]:
    """Read and check ``dataset.json``: an object of the keys in :data:`META_KEYS`, each of its type."""
    name = meta_file.name
    if not meta_file.is_file():
        raise InputError(f"{meta_file}: is not a file")
    text = read_text(meta_file)
    try:
        meta = json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{name}: not usable JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{name}: the top level is a JSON {type(meta).__name__}; expected an object such as "
                         '{"name": "phong_tho", "official_length_km": 97.229, "left": "CN", "right": "VN"}')
    for key, value in meta.items():
        if key not in META_KEYS:
            raise InputError(f"{name}: unknown key {key!r}; dataset.json may hold {', '.join(META_KEYS)} (the "
                             "data files are found by their names in the folder, never by a path in this file)")
        types, what = META_KEYS[key]
        if value is None:
            continue
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise InputError(f"{name}, key {key!r}: {short_repr(value)} is not {what}")
    km = meta.get("official_length_km")
    if km is not None and not (math.isfinite(km) and 0 < km < 1e5):
        raise InputError(f"{name}, key 'official_length_km': {km!r} is not {META_KEYS['official_length_km'][1]}")
    for key in ("left", "right"):
        if meta.get(key) is not None:
            try:
                meta[key] = parse_country(meta[key])
            except ValueError as exc:
                raise InputError(f"{name}, key {key!r}: {meta[key]!r}: {exc}") from None
    return meta


_DATA_SUFFIXES = (".geojson", ".json", ".csv", ".xlsx", ".gpkg", ".shp")


def _dataset_files(folder: Path) -> tuple[dict[str, tuple[Path, str | None]], list[str]]:
    """The data file of each role in a dataset folder, and notes on the files left unread.

    Two candidate files for one role, or a file whose name contains a role's name without being it
    (``markers_2024.geojson``), raise :class:`InputError` listing what was found and what was expected.
    """
    files = sorted(f for f in folder.iterdir() if f.suffix.lower() in _DATA_SUFFIXES and f.stem != "dataset")
    expected = "; ".join(f"{role}: {' / '.join(names)}" for role, names in _LAYER_NAMES.items())
    found: dict[str, list[Path]] = {}
    sheets: dict[str, str] = {}
    unknown = []
    for f in files:
        role = next((r for r, names in _LAYER_NAMES.items() if f.stem.casefold() in names), None)
        if role is None:
            unknown.append(f)
        else:
            found.setdefault(role, []).append(f)
    for role, fs in found.items():
        if len(fs) > 1:
            raise InputError(f"{folder}: {len(fs)} files for the {role} table ({', '.join(f.name for f in fs)}); "
                             "keep one (move the others out of the folder)")
    notes = []
    books = [f for f in unknown if f.suffix.lower() in (".xlsx", ".xlsm")]
    if len(books) == 1:  # one workbook: its sheets are the tables missing from the folder, told by their headers
        unknown.remove(books[0])
        for role, sheet in workbook_tables(books[0]).items():
            if role in found:
                raise InputError(f"{folder}: the {role} table is both {found[role][0].name} and sheet {sheet!r} of "
                                 f"{books[0].name}; keep one")
            found[role] = [books[0]]
            sheets[role] = sheet
    for f in unknown:
        stem = f.stem.casefold()
        like = [r for r, names in _LAYER_NAMES.items() if any(n in stem for n in names if len(n) > 4)]
        if like:
            raise InputError(f"{folder}: the file {f.name!r} looks like a {like[0]} table but is not named as one; "
                             f"found {', '.join(x.name for x in files)}; expected names (any of .geojson, .csv, "
                             f".xlsx, .gpkg, .shp) — {expected}. Rename it, or move it out of the folder")
        notes.append(f"{folder.name}: {f.name} is not one of the dataset's tables ({expected}); not read")
    if "border" not in found:
        raise InputError(f"{folder}: no border file; found {', '.join(f.name for f in files) or 'no data files'}; "
                         f"expected {expected}")
    return {role: (fs[0], sheets.get(role)) for role, fs in found.items()}, notes


class DatasetTables(NamedTuple):
    """What :func:`read_dataset_tables` read: the tables by role, ``dataset.json``, the dataset's name, its
    official length, notes for the reader and (``errors="collect"``) the problems table.
    """

    tables: dict[str, Any]
    meta: dict[str, Any]
    name: str
    official_length_km: float | None
    notes: list[str]
    problems: pd.DataFrame | None


_LAYER_NAMES = {
    "border": ("border", "borders", "duong_bien", "line"),
    "markers": ("markers", "marker", "cot_moc", "moc"),
    "assignments": ("assignments", "assignment", "to_tu_quan", "self_management"),
    "admin": ("admin", "communes", "districts"),
}


def read_dataset_tables(path: str | os.PathLike[str], *, crs: object = None, errors: Errors = "raise",
                        official_length_km: float | None = None, axis_order: str | None = None) -> DatasetTables:
    """The tables of a dataset folder or GeoPackage, each read and checked by its reader, and ``dataset.json``;
    :func:`bien_gioi_geo.read_dataset` builds the :class:`~bien_gioi_geo.Dataset` from them (files found, options
    and errors as documented there).
    """
    check_errors_arg(errors)
    p = as_path(path)
    found: dict[str, tuple[Path, str | None]] = {}
    meta: dict[str, Any] = {}
    notes: list[str] = []
    if p.is_dir():
        found, notes = _dataset_files(p)
        meta_file = p / "dataset.json"
        if meta_file.exists():
            meta = read_meta(meta_file)
    elif suffix_of(p) == ".gpkg":
        found = _gpkg_tables(p)
    else:
        raise InputError(f"{p.name}: read_dataset takes a folder of files or a GeoPackage; "
                         "use read_markers/read_assignments/read_border for single files")
    if "border" not in found:
        raise InputError(f"{p}: no border layer or file (expected one named {' / '.join(_LAYER_NAMES['border'])})")
    readers = {"border": read_border, "markers": read_markers, "assignments": read_assignments, "admin": read_admin}
    parts: dict[str, Any] = {}
    problems = []
    if isinstance(crs, dict):
        wrong = sorted(set(map(str, crs)) - set(readers))
        if wrong:
            raise InputError(f"crs: unknown table(s) {wrong!r}; expected keys among {', '.join(readers)}")
    for role, (fp, layer) in found.items():
        table_crs = crs.get(role) if isinstance(crs, dict) else crs
        if isinstance(crs, dict) and suffix_of(fp) in (".geojson", ".json"):
            table_crs = None
        extra = {"axis_order": axis_order} if role in ("markers", "assignments") else {}
        res = readers[role](fp, crs=table_crs, layer=layer, errors=errors, **extra)
        if errors == "collect":
            gdf, pr = res
            problems.append(pr)
        else:
            gdf = res
        parts[role] = gdf
    if official_length_km is None:
        official_length_km = meta.get("official_length_km")
    notes = notes + [n for role in parts for n in parts[role].attrs.get("read_notes", [])]
    probs = None
    if errors == "collect":
        probs = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return DatasetTables(parts, meta, meta.get("name") or p.stem, official_length_km, notes, probs)


def _gpkg_tables(p: Path) -> dict[str, tuple[Path, str | None]]:
    """The layer of each table in a GeoPackage, found by name; a border layer is required."""
    import pyogrio

    try:
        layers = [str(lay[0]) for lay in pyogrio.list_layers(p)]
    except Exception as exc:  # GDAL raises several types for a broken file
        raise InputError(f"{p.name}: cannot list the GeoPackage's layers: {exc}") from None
    lower = {lay.casefold(): lay for lay in layers}
    found: dict[str, tuple[Path, str | None]] = {}
    for role, names in _LAYER_NAMES.items():
        for n in names:
            if n in lower:
                found[role] = (p, lower[n])
                break
    if "border" not in found:
        raise InputError(f"{p.name}: no border layer (expected one named "
                         f"{' / '.join(_LAYER_NAMES['border'])}); layers: {', '.join(layers) or 'none'}")
    return found
