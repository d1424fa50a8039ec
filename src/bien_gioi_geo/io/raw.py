"""Picking a reader by file type, and what every reader does after it.

Column names are matched to the model's; text is checked.
"""

from __future__ import annotations

import os

from ..crs import as_crs
from ..errors import InputError
from ..schema import (
    NAME_COLUMNS,
)
from ..text import short_repr
from .common import COMPUTED_COLUMNS, MAX_FILE_BYTES, MODEL_FIELDS, READER_COLUMNS, as_path, suffix_of
from .excel import raw_excel
from .geojson import raw_geojson
from .ogr import raw_ogr
from .problems import Raw
from .tabular import raw_csv
from .texts import add


def read_raw(path: str | os.PathLike[str], *, crs: object, layer: str | None, kind: str,
             header_row: int | None = None, axis_order: str | None = None) -> Raw:
    """Read a file of any supported format as a raw table (records, WGS 84 geometries, problems)."""
    p = as_path(path)
    if crs is not None:
        as_crs(crs, what=f"{p.name}: crs")  # an unknown CRS is refused before anything is read
    if layer is not None and not isinstance(layer, str):
        raise InputError(f"{p.name}: layer must be a layer or sheet name (str), not {short_repr(layer)}")
    suf = suffix_of(p)
    if p.is_dir() and suf not in (".gdb", ".shp", ""):
        raise InputError(f"{p}: is a folder; expected a {suf or 'data'} file (read a dataset folder with "
                         "read_dataset)")
    if p.is_file() and p.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{p.name}: the file is {p.stat().st_size:,} bytes, more than this library reads "
                         f"({MAX_FILE_BYTES:,})")
    if suf in (".geojson", ".json"):
        raw = raw_geojson(p, crs=crs)
    elif suf in (".csv", ".txt"):
        raw = raw_csv(p, crs=crs, kind=kind, header_row=header_row, axis_order=axis_order)
    elif suf in (".xlsx", ".xlsm"):
        raw = raw_excel(p, crs=crs, kind=kind, sheet=layer, header_row=header_row, axis_order=axis_order)
    elif suf in (".gpkg", ".shp", ".zip", ".fgb", ".gdb") or p.is_dir():
        raw = raw_ogr(p, crs=crs, layer=layer)
    else:
        raise InputError(f"{p.name}: unknown file type {suf!r}; expected .geojson, .gpkg, .shp, .csv or .xlsx")
    rename_columns(raw, kind, from_file=True, shapefile=suf in (".shp", ".zip", ".dbf") or p.is_dir())
    check_text(raw)
    return raw


def check_text(raw: Raw) -> None:
    """Report text that no file can hold: unpaired UTF-16 surrogates (``"\\ud800"`` in JSON) in names or values."""
    for rec, number in zip(raw.records, raw.numbers, strict=True):
        for k, v in rec.items():
            for text in (k, v):
                if isinstance(text, str) and not text.isascii():
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError as exc:
                        add(raw.problems, number, k, v, "surrogate", code=ord(text[exc.start]), pos=exc.start + 1)


def rename_columns(raw: Raw, kind: str, *, from_file: bool, shapefile: bool = False) -> None:
    """Match the file's column names to the model's, never dropping or overwriting one.

    A column differing only by case from a model field is read as that field (``Marker_ID``); if the field is
    also present (``NOTES`` beside ``notes``), or the column has the name of a column the library computes
    (``chainage_km``), it is kept as ``<name>_input`` with a note. Shapefile names cut to 10 characters
    (``emplaced_b``) are read as the one field they begin (or noted when several fit).
    """
    known = MODEL_FIELDS.get(kind, ())
    computed = set(COMPUTED_COLUMNS.get(kind, ()))
    if from_file:
        computed |= set(READER_COLUMNS.get(kind, ())) | {f"{c}_original" for c in (*NAME_COLUMNS, *known)}
    keys = list(dict.fromkeys(k for rec in raw.records for k in rec))
    present = set(keys)
    mapping: dict[str, str] = {}
    taken: set[str] = set()

    def free(name: str) -> str:
        new, k = f"{name}_input", 2
        while new in present or new in taken:
            new, k = f"{name}_input{k}", k + 1
        return new

    for k in keys:
        new = k
        cf = k.casefold()
        if k in known:
            new = k
        elif cf in computed:
            new = free(k)
            raw.problems.note(f"column {k!r} has the name of a column the library computes; kept as {new!r}")
        elif cf in known:
            if cf in present or cf in taken:
                new = free(k)
                raw.problems.note(f"column {k!r} differs only by case from column {cf!r}; kept as {new!r}")
            else:
                new = cf
        elif shapefile and len(k) == 10:
            fits = [f for f in known if f.startswith(cf) and f != cf and f not in present and f not in taken]
            if len(fits) == 1:
                new = fits[0]
                raw.problems.note(f"Shapefile field {k!r} (names are cut to 10 characters) read as {new!r}")
            elif len(fits) > 1:
                raw.problems.note(f"Shapefile field {k!r} (names are cut to 10 characters) could be any of "
                                  f"{', '.join(fits)}; kept as {k!r} — rename it in the file")
        if new != k:
            mapping[k] = new
        taken.add(new)
    if mapping:
        raw.records = [{mapping.get(k, k): v for k, v in rec.items()} for rec in raw.records]
