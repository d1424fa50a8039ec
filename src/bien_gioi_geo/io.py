"""Readers and writers.

Readers accept GeoJSON, GeoPackage, Shapefile, CSV and Excel sheets (read like CSV), convert every CRS to WGS 84
and validate each row against the data model (:mod:`bien_gioi_geo.schema`). With ``errors="raise"`` (the default)
a bad row raises :class:`~bien_gioi_geo.errors.InputError` whose message names the file, the feature/row (counted
from 1), the field, the bad value and what was expected — every bad row at once, not just the first. With
``errors="collect"`` the reader returns ``(good_rows, problems)``: nothing is dropped silently, every dropped
row is a row of ``problems``.

Where a problem is: GeoJSON/GeoPackage/Shapefile features are counted from 1; CSV rows are the physical line
the user's editor shows (header = line 1, blank lines and multi-line quoted cells counted); Excel rows are the
sheet's row numbers, and the place names the sheet (``moc.xlsx, sheet 'Mốc', row 12, field 'lat'``).

Nothing is silent. What a reader did to the data without refusing it is listed in ``gdf.attrs["read_notes"]``
(``Dataset.meta["read_notes"]`` for a dataset): a column kept as ``<name>_input`` because it had the name of a
column the library computes (``chainage_km``) or differed only by case from another (``NOTES`` beside ``notes``);
a Shapefile field cut to 10 characters read as the model field it begins (``emplaced_b`` → ``emplaced_by``); a
merged Excel range filled into each of its rows; title rows above an Excel header; a file of a dataset folder that
is not one of its tables. Excel formulas without a saved value are problems, never empty cells.

Text must be UTF-8 (with or without BOM); a file starting with a UTF-16 byte-order mark is read as UTF-16. Any
other encoding (Windows-1258, cp1252, TCVN3…) is refused naming the byte offset, never guessed. Inputs are bounded
before parsing: :data:`MAX_WKT_DEPTH` parentheses in WKT, JSON nesting (Python's recursion limit),
:data:`bien_gioi_geo._geojson.MAX_POSITIONS` positions per geometry, :data:`MAX_FILE_BYTES` per file,
:data:`MAX_COUNT` for counts and :data:`bien_gioi_geo.schema.MAX_MARKER_NUMBER` for marker numbers. Coordinates
converted from a declared CRS must fall in that CRS's area of use (pyproj, widened by
:data:`bien_gioi_geo.crs.AREA_MARGIN_DEG`), which catches degrees declared as VN-2000 metres.

Writers write to a temporary file in the destination folder and rename it into place, so an interrupted run
never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io as io_module
import json
import math
import os
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from . import _geojson
from .crs import WGS84, area_text, as_crs, check_lonlat, outside_area_of_use, parse_dms, to_wgs84
from .errors import CRSError, InputError, where
from .schema import (
    ASSIGNMENT_TEXT_COLUMNS,
    COUNT_COLUMNS,
    MARKER_TEXT_COLUMNS,
    NAME_COLUMNS,
    parse_kind,
    parse_marker_id,
)
from .text import nfc, normalise_names, read_text, short_repr

__all__ = [
    "read_markers",
    "read_assignments",
    "read_border",
    "read_admin",
    "read_dataset",
    "atomic_path",
    "write_geojson",
    "PROBLEM_COLUMNS",
]

Errors = Literal["raise", "collect"]
PROBLEM_COLUMNS = ["source", "row", "field", "value", "message"]
_MAX_LISTED = 20
#: Largest count (households, people…) accepted: more than the population of the country is a typo, and larger
#: integers would overflow the int64 columns.
MAX_COUNT = 10**9
#: Deepest parenthesis nesting accepted in a WKT cell (a MultiPolygon inside a GeometryCollection is 4); GEOS
#: parses WKT recursively and crashes the process on absurd nesting, so it is bounded before parsing.
MAX_WKT_DEPTH = 12
#: Largest CSV cell (characters), e.g. a long border line as WKT.
MAX_CELL_CHARS = 64 * 1024 * 1024
#: Largest input file read into memory (bytes).
MAX_FILE_BYTES = 2 * 1024**3

#: The model's fields by table: read, checked and converted by the readers.
MODEL_FIELDS = {
    "markers": ("marker_id", "number", "post", "kind", "emplaced_by", "elevation_m", "official_km",
                "last_inspected", "condition", "border_id", "notes"),
    "assignments": (*ASSIGNMENT_TEXT_COLUMNS, *COUNT_COLUMNS, "start_km", "end_km", "declared_km",
                    "valid_from", "valid_to", "markers"),
    "border": ("border_id", "name", "left", "right", "official_length_km"),
    "admin": (*NAME_COLUMNS, "name", "border_id"),
}
#: Columns the readers add (a file column of that name is kept as ``<name>_input``).
READER_COLUMNS = {
    "markers": ("source_row", "main_number", "aux", "kind_inferred"),
    "assignments": ("source_row", "stretch_by", "stretch_forms"),
    "border": ("source_row",),
    "admin": ("source_row",),
}
#: Columns the analysis adds to markers and assignments (located positions, coverage); a user column of that name
#: is kept as ``<name>_input`` so it is never overwritten.
COMPUTED_COLUMNS = {
    "markers": ("chainage_km", "offset_m", "distance_m", "side", "ambiguous", "alt_chainage_km", "carers",
                "n_carers", "self_managed", "marker_key"),
    "assignments": ("unresolved", "raw_start_km", "raw_end_km", "reversed", "out_of_range_km", "length_km",
                    "official_start_km", "official_end_km", "official_length_km", "from_marker_near",
                    "to_marker_near", "carers", "n_carers", "self_managed"),
    "border": (),
    "admin": (),
}

LON_NAMES = ("lon", "lng", "long", "longitude", "kinh_do", "kinh_độ", "kinhdo")
LAT_NAMES = ("lat", "latitude", "vi_do", "vĩ_độ", "vido")
X_NAMES = ("x", "easting", "e")
Y_NAMES = ("y", "northing", "n")
WKT_NAMES = ("wkt", "geometry", "geom")

COUNTRY_ALIASES = {
    "vn": "VN", "việt nam": "VN", "viet nam": "VN", "vietnam": "VN",
    "cn": "CN", "trung quốc": "CN", "trung quoc": "CN", "china": "CN", "tq": "CN",
    "la": "LA", "lào": "LA", "lao": "LA", "laos": "LA",
    "kh": "KH", "campuchia": "KH", "cambodia": "KH", "cpc": "KH",
}


# --------------------------------------------------------------------------------------------------- problems
class _Problems:
    """Collects row problems; raises them together or returns them as a table."""

    def __init__(self, source: str, unit: str) -> None:
        self.source = source
        self.unit = unit
        self.rows: list[dict[str, Any]] = []
        self.bad: set[int] = set()
        self.notes: list[str] = []  # things done to the data that the user should know (renamed columns…)

    def note(self, message: str) -> None:
        self.notes.append(f"{self.source}: {message}")

    def add(self, row: int | None, field: str | None, value: object, message: str) -> None:
        shown = None if value is None else repr(value)
        if shown is not None and len(shown) > 80:
            shown = shown[:79] + "…"
        if field is not None:  # a name with a lone surrogate cannot live in a pandas string column: show it escaped
            field = field.encode("utf-8", "backslashreplace").decode("utf-8")
        self.rows.append({"source": self.source, "row": row, "field": field, "value": shown, "message": message})
        if row is not None:
            self.bad.add(row)

    def text(self, item: dict[str, Any]) -> str:
        msg = item["message"]
        if item["value"] is not None and item["value"] not in msg:
            msg = f"{item['value']}: {msg}"
        return where(self.source, item["row"], item["field"], unit=self.unit) + ": " + msg

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS).astype({"row": "Int64"})

    def raise_if_any(self) -> None:
        if not self.rows:
            return
        lines = [self.text(r) for r in self.rows[:_MAX_LISTED]]
        more = len(self.rows) - _MAX_LISTED
        head = (f"{self.source}: {len(self.bad) or len(self.rows)} bad {self.unit}(s)"
                if len(self.rows) > 1 else None)
        body = "\n  ".join(lines)
        if more > 0:
            body += f"\n  … and {more} more (read with errors='collect' to get them all as a table)"
        raise InputError(body if head is None else f"{head}:\n  {body}")


def _check_errors_arg(errors: str) -> None:
    if errors not in ("raise", "collect"):
        raise InputError(f"errors must be 'raise' or 'collect', not {errors!r}")


# --------------------------------------------------------------------------------------------------- raw tables
class _Raw:
    """A table as read from a file, before the model's checks: records (dicts), geometries in WGS 84."""

    def __init__(self, source: str, unit: str, records: list[dict[str, Any]],
                 geoms: list[BaseGeometry | None], numbers: list[int], problems: _Problems) -> None:
        self.source, self.unit = source, unit
        self.records, self.geoms, self.numbers, self.problems = records, geoms, numbers, problems


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _as_path(path: object, what: str = "path") -> Path:
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise InputError(f"{what} must be a file name (str or pathlib.Path), not {type(path).__name__} "
                         f"{short_repr(path)}")
    try:
        p = Path(path)
        if "\x00" in str(p):
            raise ValueError("the name contains a NUL character")
        exists = p.exists()
    except (TypeError, ValueError, OSError) as exc:  # NUL in the name, a name too long…
        raise InputError(f"{short_repr(path)}: not a usable file name ({exc})") from None
    if not exists:
        raise InputError(f"{p}: no such file or folder")
    return p


def _read_raw(path: str | os.PathLike[str], *, crs: object, layer: str | None, kind: str) -> _Raw:
    p = _as_path(path)
    if crs is not None:
        as_crs(crs, what=f"{p.name}: crs")  # an unknown CRS is refused before anything is read
    if layer is not None and not isinstance(layer, str):
        raise InputError(f"{p.name}: layer must be a layer or sheet name (str), not {short_repr(layer)}")
    suf = _suffix(p)
    if p.is_dir() and suf not in (".gdb", ".shp", ""):
        raise InputError(f"{p}: is a folder; expected a {suf or 'data'} file (read a dataset folder with "
                         "read_dataset)")
    if p.is_file() and p.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{p.name}: the file is {p.stat().st_size:,} bytes, more than this library reads "
                         f"({MAX_FILE_BYTES:,})")
    if suf in (".geojson", ".json"):
        raw = _raw_geojson(p, crs=crs)
    elif suf in (".csv", ".txt"):
        raw = _raw_csv(p, crs=crs, kind=kind)
    elif suf in (".xlsx", ".xlsm"):
        raw = _raw_excel(p, crs=crs, kind=kind, sheet=layer)
    elif suf in (".gpkg", ".shp", ".zip", ".fgb", ".gdb") or p.is_dir():
        raw = _raw_ogr(p, crs=crs, layer=layer)
    else:
        raise InputError(f"{p.name}: unknown file type {suf!r}; expected .geojson, .gpkg, .shp, .csv or .xlsx")
    _rename_columns(raw, kind, from_file=True, shapefile=suf in (".shp", ".zip", ".dbf") or p.is_dir())
    _check_text(raw)
    return raw


def _check_text(raw: _Raw) -> None:
    """Report text that no file can hold: unpaired UTF-16 surrogates (``"\\ud800"`` in JSON) in names or values."""
    for rec, number in zip(raw.records, raw.numbers, strict=True):
        for k, v in rec.items():
            for text in (k, v):
                if isinstance(text, str) and not text.isascii():
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError as exc:
                        raw.problems.add(number, k, v, f"contains an unpaired surrogate code point "
                                         f"U+{ord(text[exc.start]):04X} at position {exc.start + 1}; this is not "
                                         "text any file can hold — retype the value")


def _rename_columns(raw: _Raw, kind: str, *, from_file: bool, shapefile: bool = False) -> None:
    """Match the file's column names to the model's, never dropping or overwriting one.

    A column differing only by case from a model field is read as that field (``Marker_ID``); if the field is
    also present (``NOTES`` beside ``notes``), or the column has the name of a column the library computes
    (``chainage_km``), it is kept as ``<name>_input`` with a note. Shapefile names cut to 10 characters
    (``emplaced_b``) are read as the one field they begin (or noted when several fit).
    """
    known = MODEL_FIELDS.get(kind, ())  # tables of other modules (patrol fixes) have no model fields here
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


def _raw_geojson(p: Path, *, crs: object) -> _Raw:
    coll = _geojson.load(p)
    probs = _Problems(p.name, "feature")
    declared = None if coll.crs is None else as_crs(coll.crs, what=f"{p.name}: the file's \"crs\" member")
    if declared is not None and crs is not None and not declared.equals(as_crs(crs)):
        raise CRSError(f"{p.name}: the file declares crs {coll.crs!r} but crs={crs!r} was given")
    src = crs if crs is not None else declared
    if crs is not None and declared is None and not as_crs(crs).equals(WGS84):
        probs.note(f"crs={crs!r} applied to the coordinates; GeoJSON (RFC 7946) is WGS 84 unless the file says "
                   "otherwise, so check that the file really is in that CRS")
    records, geoms, numbers = [], [], []
    for f in coll.features:
        for fld, val, msg in f.problems:
            probs.add(f.number, fld, val, msg)
        geom = f.geometry
        if geom is not None and not f.problems:
            geom = _to_wgs84_geom(geom, src, probs, f.number, _label(f.properties))
        records.append({str(k): v for k, v in f.properties.items()})
        geoms.append(geom)
        numbers.append(f.number)
    return _Raw(p.name, "feature", records, geoms, numbers, probs)


def _label(props: dict[str, Any]) -> str:
    """A short name of a feature for messages: its marker_id / assignment_id / border_id, if it has one."""
    for key in ("marker_id", "assignment_id", "border_id", "name"):
        if props.get(key) not in (None, ""):
            return f"({key} {short_repr(props[key], 40)}) "
    return ""


def _to_wgs84_geom(geom: BaseGeometry, src: object, probs: _Problems, number: int,
                   label: str = "") -> BaseGeometry | None:
    """Transform ``geom`` from ``src`` (None = WGS 84) and check that every vertex is a real lon/lat."""
    if geom.is_empty:
        return geom
    if src is not None:
        crs = as_crs(src)
        if not crs.equals(WGS84):
            before = shapely.get_coordinates(geom)
            if not np.isfinite(before).all():
                k = int(np.flatnonzero(~np.isfinite(before).all(axis=1))[0])
                probs.add(number, "geometry", None, f"{label}vertex {k + 1}: coordinates "
                          f"({before[k, 0]!r}, {before[k, 1]!r}) are not finite numbers")
                return None
            geom = shapely.transform(geom, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1], crs)))
            xy = shapely.get_coordinates(geom)
            k_out = outside_area_of_use(xy[:, 0], xy[:, 1], crs)
            if k_out is not None:
                probs.add(number, "geometry", None, _area_message(label, k_out, before[k_out], xy[k_out], crs))
                return None
    xy = shapely.get_coordinates(geom)
    eps = 1e-9  # rounding noise such as 180.00000000000006 (Natural Earth) is not an error
    bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy[:, 0]) > 180 + eps) | (np.abs(xy[:, 1]) > 90 + eps)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        x, y = float(xy[k, 0]), float(xy[k, 1])
        msg = check_lonlat(x, y) or "coordinates out of range"
        if check_lonlat(y, x) is None and abs(y) > 90:
            msg += f"; read as (longitude, latitude) = ({y!r}, {x!r}) it would be valid: latitude and longitude " \
                   "look swapped (GeoJSON and CSV lon/lat columns are longitude first)"
        probs.add(number, "geometry", None, f"{label}vertex {k + 1}: {msg}")
        return None
    return geom


def _area_message(label: str, k: int, given: np.ndarray, lonlat: np.ndarray, crs: object) -> str:
    return (f"{label}vertex {k + 1}: ({float(given[0])!r}, {float(given[1])!r}) in {as_crs(crs).name} is "
            f"({float(lonlat[0]):.5f}, {float(lonlat[1]):.5f}) in WGS 84, outside the area of use of "
            f"{area_text(crs)}; are the coordinates in another CRS or unit (degrees given as metres, or metres "
            "as degrees)?")


def _raw_ogr(p: Path, *, crs: object, layer: str | None) -> _Raw:
    import pyogrio

    name = p.name
    try:
        with warnings.catch_warnings():
            # Z and M are dropped below (force_2d); GDAL's warning about M would only repeat that.
            warnings.filterwarnings("ignore", message="Measured \\(M\\) geometry types", category=UserWarning)
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own warnings; errors are raised below
            gdf = pyogrio.read_dataframe(p, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"{name}: cannot read {'layer ' + repr(layer) + ' of ' if layer else ''}the file: {exc}")\
            from None
    except Exception as exc:  # GDAL surfaces many error types; never let one escape raw
        raise InputError(f"{name}: cannot read the file: {exc}") from None
    file_crs = gdf.crs
    if file_crs is None:
        if crs is None:
            if len(gdf) and "geometry" in gdf and gdf.geometry.notna().any():
                hint = "a Shapefile without .prj" if _suffix(p) == ".shp" else "a layer without a CRS"
                raise CRSError(f"{name}: {hint}; state the CRS, e.g. crs='EPSG:4326' (lon/lat) or "
                               "crs='EPSG:9205' (VN-2000 TM-3 103°)")
        src: object = crs
    else:
        if crs is not None and not as_crs(crs).equals(file_crs):
            raise CRSError(f"{name}: the file's CRS is {file_crs.to_string()!r} but crs={crs!r} was given")
        src = file_crs
    probs = _Problems(name, "feature")
    records: list[dict[str, Any]] = []
    geoms: list[BaseGeometry | None] = []
    cols = [c for c in gdf.columns if c != gdf.geometry.name] if isinstance(gdf, gpd.GeoDataFrame) else list(gdf)
    values = gdf[cols].to_dict("records")
    geom_values = list(gdf.geometry) if isinstance(gdf, gpd.GeoDataFrame) else [None] * len(gdf)
    for i, (rec, geom) in enumerate(zip(values, geom_values, strict=True)):
        number = i + 1
        clean = {k: _py(v) for k, v in rec.items()}
        if geom is not None:
            geom = shapely.force_2d(geom)
            geom = _to_wgs84_geom(geom, src, probs, number, _label(clean))
        records.append(clean)
        geoms.append(geom)
    return _Raw(name, "feature", records, geoms, list(range(1, len(records) + 1)), probs)


def _py(v: object) -> object:
    """Turn numpy/pandas scalars into plain Python values; missing values into None."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def _raw_csv(p: Path, *, crs: object, kind: str) -> _Raw:
    name = p.name
    text = read_text(p)
    if not text.strip():
        raise InputError(f"{name}: the file is empty; expected a header row")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    # newline="" keeps quoted line breaks inside a field and lets the reader count physical lines
    reader = csv.reader(io_module.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    header_line = 0
    old_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        last = 0
        for row in reader:
            start, last = last + 1, reader.line_num  # the row's first physical line (header line = 1)
            if not row:  # an empty line
                continue
            if header is None:  # the first non-empty line is the header, even if its cells are blank
                header, header_line = row, start
                continue
            if not any(c.strip() for c in row):  # a line of separators only
                continue
            rows.append((start, row))
    except csv.Error as exc:
        raise InputError(f"{name}, line {reader.line_num}: bad CSV quoting or a cell too long ({exc}); a field "
                         "that contains a double quote must be quoted and the quote doubled") from None
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        raise InputError(f"{name}: the file has only blank lines; expected a header row")
    return _raw_table(name, header, rows, crs=crs, kind=kind, header_line=header_line)


def _raw_excel(p: Path, *, crs: object, kind: str, sheet: str | None) -> _Raw:
    """An Excel sheet read as text cells (the first sheet unless ``sheet`` names one), then as a CSV table.

    Cells are read with their cached values; a formula without one (a workbook written by a program, never
    opened in Excel) is reported, and a merged range in the data is filled with its value and noted.
    """
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions, data validation…
            wb = openpyxl.load_workbook(p, data_only=True)
            wb_f = openpyxl.load_workbook(p, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for broken files
        raise InputError(f"{p.name}: cannot read the workbook ({type(exc).__name__}: {exc}); is it really an "
                         ".xlsx file? save it again from Excel as 'Excel Workbook (.xlsx)'") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError(f"{p.name}: no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    ws_f = wb_f[ws.title]
    source = f"{p.name}, sheet {ws.title!r}"
    notes: list[str] = []
    formulas: dict[tuple[int, int], str] = {}

    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return v.isoformat() if hasattr(v, "isoformat") else str(v)

    values = [[cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for r, row in enumerate(ws_f.iter_rows(values_only=True)):
        for c, v in enumerate(row):
            if isinstance(v, str) and v.startswith("=") and r < len(values) and c < len(values[r]) \
                    and values[r][c] == "":
                formulas[(r, c)] = v
    for rng in ws.merged_cells.ranges:
        # a range merged down several rows holds one value for each of them: fill it into its column
        if rng.max_row > rng.min_row and rng.min_row - 1 < len(values):
            c = rng.min_col - 1
            top = values[rng.min_row - 1][c] if c < len(values[rng.min_row - 1]) else ""
            for r in range(rng.min_row, min(rng.max_row, len(values))):
                if c < len(values[r]):
                    values[r][c] = top
            notes.append(f"merged cells {rng.coord} filled with {top!r} in each of their rows")
    if not values or not any(c.strip() for r in values for c in r):
        raise InputError(f"{source}: the sheet is empty; expected a header row")
    nonblank = [k for k, r in enumerate(values) if any(c != "" for c in r)]
    first = next((k for k in nonblank[:20] if _looks_like_header(values[k], kind)), nonblank[0])
    if first != nonblank[0]:
        notes.append(f"rows {nonblank[0] + 1}–{first} above the header row {first + 1} (a title?) were not read: "
                     f"{' '.join(c for c in values[nonblank[0]] if c)[:60]!r}")
    width = max(len(r) for r in values)
    header = values[first] + [""] * (width - len(values[first]))
    while header and not header[-1].strip():  # trailing empty header cells
        header.pop()
    rows = [(k + 1, r[: len(header)] + [""] * (len(header) - len(r))) for k, r in enumerate(values)
            if k > first and any(c.strip() for c in r[: max(len(header), 1)])]
    raw = _raw_table(source, header, rows, crs=crs, kind=kind, header_line=first + 1, line_word="row")
    header_at = {c: h.strip() for c, h in enumerate(header)}
    for (r, c), formula in sorted(formulas.items()):
        if r > first and c in header_at:
            raw.problems.add(r + 1, header_at[c], formula, "a formula without a saved value (the workbook was "
                             "written by a program and never recalculated); open and save it in Excel or "
                             "LibreOffice so the values are stored, or type the values")
    for n in notes:
        raw.problems.note(n)
    return raw


def _looks_like_header(cells: list[str], kind: str) -> bool:
    names = {c.strip().casefold() for c in cells}
    return bool(names & {*MODEL_FIELDS.get(kind, ()), *LON_NAMES, *LAT_NAMES, *X_NAMES, *Y_NAMES, *WKT_NAMES})


def _raw_table(name: str, header: list[str], rows: list[tuple[int, list[str]]], *, crs: object,
               kind: str, header_line: int = 1, line_word: str = "line") -> _Raw:
    """Rows of text cells (CSV or a spreadsheet) with their line numbers, as a raw table with geometries.

    Rows are numbered by the physical line (CSV) or the sheet row (Excel) the user sees, header line = 1.
    """
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(f"{name}, {line_word} {header_line}: the header row has no column names")
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if h and header.count(h) > 1})
        if dup:
            raise InputError(f"{name}, {line_word} {header_line}: column(s) {dup!r} appear more than once in the "
                             "header; give each column its own name")
    probs = _Problems(name, "row")
    for k, h in enumerate(header):
        if not h:
            header[k] = f"column_{k + 1}"
            if any(k < len(r) and r[k].strip() for _, r in rows):
                probs.note(f"column {k + 1} has values but no name in the header; read as {header[k]!r}")
    lower = {h.casefold(): h for h in header}
    lon_c = next((lower[n] for n in LON_NAMES if n in lower), None)
    lat_c = next((lower[n] for n in LAT_NAMES if n in lower), None)
    x_c = next((lower[n] for n in X_NAMES if n in lower), None)
    y_c = next((lower[n] for n in Y_NAMES if n in lower), None)
    wkt_c = next((lower[n] for n in WKT_NAMES if n in lower), None)
    mode = None
    if lon_c and lat_c:
        mode = "lonlat"
    elif x_c and y_c:
        mode = "xy"
        if crs is None:
            raise CRSError(f"{name}: columns {x_c!r}/{y_c!r} hold projected coordinates; state their CRS, e.g. "
                           "crs='EPSG:9205' (VN-2000 TM-3 103°, Lai Châu / Điện Biên)")
        if as_crs(crs).is_geographic:
            raise CRSError(f"{name}: columns {x_c!r}/{y_c!r} are easting/northing but crs={crs!r} is geographic "
                           "(degrees); name the columns lon/lat or give a projected CRS")
    elif wkt_c:
        mode = "wkt"
    elif (lon_c or lat_c or x_c or y_c) and kind == "markers":
        raise InputError(f"{name}: found only one coordinate column; expected lon and lat (or x and y)")
    if mode == "lonlat" and crs is not None and not as_crs(crs).is_geographic:
        raise CRSError(f"{name}: columns {lon_c!r}/{lat_c!r} are degrees but crs={crs!r} is projected; "
                       "name the columns x/y (easting/northing) or give a geographic CRS")
    geo_cols = {c for c in (lon_c, lat_c, x_c, y_c, wkt_c) if c and mode and c in
                {"lonlat": (lon_c, lat_c), "xy": (x_c, y_c), "wkt": (wkt_c,)}[mode]}
    records: list[dict[str, Any]] = []
    geoms: list[BaseGeometry | None] = []
    numbers: list[int] = []
    pts_idx: list[int] = []
    xs: list[float] = []
    ys: list[float] = []
    for k, (line, row) in enumerate(rows):
        number = line
        if len(row) != len(header):
            probs.add(number, None, None, f"has {len(row)} fields; the header has {len(header)}")
            records.append({})
            geoms.append(None)
            numbers.append(number)
            continue
        rec = {h: (v.strip() if v.strip() != "" else None) for h, v in zip(header, row, strict=True)
               if h not in geo_cols}
        geom: BaseGeometry | None = None
        if mode == "lonlat":
            assert lon_c is not None and lat_c is not None
            try:
                lon = parse_dms(row[header.index(lon_c)].strip(), "lon")
            except ValueError as exc:
                probs.add(number, lon_c, None, str(exc))
                lon = None
            try:
                lat = parse_dms(row[header.index(lat_c)].strip(), "lat")
            except ValueError as exc:
                probs.add(number, lat_c, None, _swap_hint(str(exc)))
                lat = None
            if lon is not None and lat is not None:
                pts_idx.append(k)
                xs.append(lon)
                ys.append(lat)
        elif mode == "xy":
            vals = []
            for c in (x_c or "", y_c or ""):
                raw = row[header.index(c)].strip()
                try:
                    v = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
                    if not math.isfinite(v):
                        raise ValueError
                    vals.append(v)
                except ValueError:
                    probs.add(number, c, raw, "expected a finite number of metres")
            if len(vals) == 2:
                pts_idx.append(k)
                xs.append(vals[0])
                ys.append(vals[1])
        elif mode == "wkt":
            raw = row[header.index(wkt_c or "")].strip()
            depth = _paren_depth(raw)
            if depth > MAX_WKT_DEPTH:
                probs.add(number, wkt_c, raw[:60], f"WKT nested {depth} parentheses deep (at most {MAX_WKT_DEPTH} "
                          "are read); this is not a geometry")
            elif raw:
                try:
                    with warnings.catch_warnings():  # NaN coordinates are reported below, not warned about
                        warnings.simplefilter("ignore", RuntimeWarning)
                        geom = shapely.force_2d(shapely.from_wkt(raw))
                except (shapely.errors.GEOSException, NotImplementedError, ValueError, TypeError) as exc:
                    probs.add(number, wkt_c, raw[:60], f"not readable WKT, or a curve type this library does not "
                              f"take (give curves as LINESTRING) ({exc})")
                    geom = None
                if geom is not None and geom.geom_type not in ("Point", "LineString", "MultiLineString",
                                                               "Polygon", "MultiPolygon", "MultiPoint"):
                    probs.add(number, wkt_c, raw[:60], f"unsupported geometry type {geom.geom_type}")
                    geom = None
                if geom is not None:
                    geom = _to_wgs84_geom(geom, crs, probs, number, _label(rec))
        records.append(rec)
        geoms.append(geom)
        numbers.append(number)
    if pts_idx:
        src = crs if crs is not None else WGS84
        lon_a, lat_a = to_wgs84(np.array(xs), np.array(ys), src)
        converted = not as_crs(src).equals(WGS84)
        for k, x, y, lo, la in zip(pts_idx, xs, ys, lon_a, lat_a, strict=True):
            msg = check_lonlat(float(lo), float(la))
            if msg:
                probs.add(numbers[k], x_c or lon_c, None, f"after conversion from {as_crs(src).name}: {msg}")
            elif converted and outside_area_of_use(np.array([lo]), np.array([la]), src) is not None:
                probs.add(numbers[k], x_c or lon_c, None,
                          _area_message("", 0, np.array([x, y]), np.array([lo, la]), src).replace("vertex 1: ", ""))
            else:
                geoms[k] = shapely.Point(float(lo), float(la))
    return _Raw(name, "row", records, geoms, numbers, probs)


_PARENS = re.compile(r"[()]")


def _paren_depth(text: str) -> int:
    """Deepest nesting of ``(`` in ``text`` (unbalanced closing parentheses are left to the WKT parser)."""
    depth = deepest = 0
    for m in _PARENS.finditer(text):
        if m.group() == "(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _swap_hint(msg: str) -> str:
    return msg + " — are the lat and lon columns swapped?" if "outside ±90" in msg else msg


# --------------------------------------------------------------------------------------------------- field parsers
def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None  # NFC is applied per column by normalise_names, which keeps the original


def _float(v: object) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        raise ValueError(f"expected a number, got a date/time ({v})")
    if isinstance(v, str) and len(v) > 60:
        raise ValueError("expected a number, got a long text")
    try:
        f = float(v.strip().replace(",", ".") if isinstance(v, str) and v.count(",") == 1 and "." not in v
                  else v)  # type: ignore[arg-type]  # anything float() refuses is reported below
    except OverflowError:
        raise ValueError("the number is too large") from None
    except (TypeError, ValueError):
        raise ValueError("expected a number (digits, with '.' or one ',' as the decimal mark; no units)") from None
    if not math.isfinite(f):
        raise ValueError("expected a finite number (not inf or NaN, and not too large)")
    return f


def _count(v: object) -> int | None:
    f = _float(v)
    if f is None:
        return None
    if not f.is_integer():
        raise ValueError("expected a whole number")
    if abs(f) > MAX_COUNT:
        raise ValueError(f"a count larger than {MAX_COUNT:,} is not plausible")
    return int(f)


def _date(v: object) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise ValueError(f"expected a date such as 2024-03-03 or 03/03/2024, got a {type(v).__name__}")
    s = str(v).strip()
    if len(s) > 40:
        raise ValueError("expected a date such as 2024-03-03 or 03/03/2024, got a long text")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError("expected a date such as 2024-03-03 or 03/03/2024")


def _country(v: object) -> str | None:
    text = _text(v)
    if text is None:
        return None
    s = str(nfc(text))
    key = s.casefold()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(s) == 2 and s.isascii() and s.isalpha():
        return s.upper()
    raise ValueError("expected an ISO 3166 country code such as 'VN', 'CN', 'LA' or 'KH'")


def _marker_text(v: object) -> str | None:
    text = _text(v)
    return None if text is None else str(parse_marker_id(text))


def _marker_list(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple, np.ndarray)):
        items = list(v)
    else:
        s = str(v).strip()
        if not s:
            return []
        if s.startswith("["):
            try:
                items = json.loads(s)
            except (ValueError, RecursionError):
                raise ValueError("expected a list of marker ids such as 62(1);62(2);62/1") from None
            if not isinstance(items, list):
                raise ValueError("expected a list of marker ids")
        else:
            items = [t for t in s.replace(",", ";").split(";")]
    out = []
    for it in items:
        if isinstance(it, str) and not it.strip():
            continue
        out.append(str(parse_marker_id(it)))
    return out


def _parse(row: dict[str, Any], rec: dict[str, Any], fld: str, parser: Callable[[object], object],
           probs: _Problems, number: int) -> bool:
    """Set ``row[fld]`` to ``parser`` of the record's value; on failure set it to None, add a problem naming the
    field and the value, and return False.
    """
    value = _get(rec, fld)
    try:
        row[fld] = parser(value)
        return True
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        row[fld] = None
        probs.add(number, fld, value, str(exc))
        return False


def _get(rec: dict[str, Any], name: str) -> object:
    if name in rec:
        return rec[name]
    for k, v in rec.items():
        if k.casefold() == name:
            return v
    return None


# --------------------------------------------------------------------------------------------------- markers
def _check_markers(raw: _Raw) -> gpd.GeoDataFrame:
    probs = raw.problems
    out: list[dict[str, Any]] = []
    posts_of: dict[str, int] = {}
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        row: dict[str, Any] = {"source_row": rec.get("source_row") or number}
        ok = True
        mid = _get(rec, "marker_id")
        try:
            parsed = parse_marker_id(mid)
        except ValueError as exc:
            probs.add(number, "marker_id", None, str(exc) if mid is not None else "missing marker_id")
            continue
        row.update(marker_id=str(parsed), number=parsed.number, post=parsed.post,
                   main_number=parsed.main_number, aux=parsed.aux)
        posts_of[parsed.number] = posts_of.get(parsed.number, 0) + 1
        given_number = _text(_get(rec, "number"))
        if given_number is not None:
            try:
                gn = parse_marker_id(given_number)
            except ValueError as exc:
                probs.add(number, "number", None, str(exc))
                ok = False
            else:
                if str(gn) != parsed.number:
                    probs.add(number, "number", given_number,
                              f"does not match marker_id {str(parsed)!r} (its number is {parsed.number!r})")
                    ok = False
        given_post = _get(rec, "post")
        if given_post is not None and str(given_post).strip() != "":
            try:
                gp = _count(given_post)
            except ValueError as exc:
                probs.add(number, "post", given_post, str(exc))
                ok = False
            else:
                if gp != parsed.post:
                    probs.add(number, "post", given_post,
                              f"does not match marker_id {str(parsed)!r} (post {parsed.post!r})")
                    ok = False
        kind = _get(rec, "kind")
        if kind is not None and str(kind).strip():
            try:
                row["kind"] = parse_kind(kind)
            except ValueError as exc:
                probs.add(number, "kind", kind, str(exc))
                ok = False
        else:
            row["kind"] = None
        ok &= _parse(row, rec, "emplaced_by", _country, probs, number)
        for fld in ("elevation_m", "official_km"):
            ok &= _parse(row, rec, fld, _float, probs, number)
        ok &= _parse(row, rec, "last_inspected", _date, probs, number)
        for fld in ("condition", "border_id", "notes"):
            row[fld] = _text(_get(rec, fld))
        if geom is None or geom.is_empty:
            probs.add(number, "geometry", None, "a marker post needs a location (a Point)")
            ok = False
        elif geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        elif geom.geom_type != "Point":
            probs.add(number, "geometry", None, f"a marker post is a Point, not a {geom.geom_type}")
            ok = False
        # keep any other columns the user had
        for k, v in rec.items():
            if k not in row and k not in ("post", "number", "kind", "marker_id"):
                row[k] = nfc(v) if isinstance(v, str) else v
        if ok:
            row["geometry"] = geom
            out.append(row)
    gdf = _frame(out, ["marker_id", "number", "post", "kind", "emplaced_by"])
    if len(gdf):
        inferred = gdf["kind"].isna()
        if inferred.any():
            gdf["kind_inferred"] = inferred
            gdf.loc[inferred, "kind"] = [_infer_kind(n, a, posts_of) for n, a in
                                         zip(gdf.loc[inferred, "number"], gdf.loc[inferred, "aux"], strict=True)]
        gdf["post"] = gdf["post"].astype("Int64")
        gdf["main_number"] = gdf["main_number"].astype("int64")
        gdf["aux"] = gdf["aux"].astype("int64")
    normalise_names(gdf, [c for c in MARKER_TEXT_COLUMNS if c != "marker_id"])
    return gdf


def _infer_kind(number: str, aux: int, posts_of: dict[str, int]) -> str:
    """When no ``kind`` column exists: ``62/1`` → auxiliary, else by the number of posts read (1, 2, 3)."""
    if aux:
        return "auxiliary"
    return {1: "single", 2: "double", 3: "triple"}.get(posts_of.get(number, 1), "single")


def _frame(rows: list[dict[str, Any]], first: list[str]) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in first},
                                geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    df = pd.DataFrame(rows)
    cols = [c for c in first if c in df] + [c for c in df if c not in first and c != "geometry"] + ["geometry"]
    df = df[cols]
    return gpd.GeoDataFrame(df, geometry="geometry", crs=WGS84)


# --------------------------------------------------------------------------------------------------- assignments
def _check_assignments(raw: _Raw) -> gpd.GeoDataFrame:
    probs = raw.problems
    out: list[dict[str, Any]] = []
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        row: dict[str, Any] = {"source_row": rec.get("source_row") or number}
        ok = True
        aid = _text(_get(rec, "assignment_id"))
        if aid is None:
            probs.add(number, "assignment_id", None, "missing assignment_id (each stretch needs an id)")
            continue
        row["assignment_id"] = aid
        n_before = len(probs.rows)
        for fld in ASSIGNMENT_TEXT_COLUMNS:
            if fld not in row:
                row[fld] = _text(_get(rec, fld))
        for fld in COUNT_COLUMNS:
            ok &= _parse(row, rec, fld, _count, probs, number)
        for fld in ("start_km", "end_km", "declared_km"):
            ok &= _parse(row, rec, fld, _float, probs, number)
        for fld in ("valid_from", "valid_to"):
            ok &= _parse(row, rec, fld, _date, probs, number)
        for fld in ("from_marker", "to_marker"):
            ok &= _parse(row, rec, fld, _marker_text, probs, number)
        ok &= _parse(row, rec, "markers", _marker_list, probs, number)
        if geom is not None and not geom.is_empty and geom.geom_type not in ("LineString", "MultiLineString"):
            probs.add(number, "geometry", None, f"a drawn stretch is a LineString, not a {geom.geom_type}")
            ok = False
        if geom is not None and geom.is_empty:
            geom = None
        has_m = row["from_marker"] is not None or row["to_marker"] is not None
        has_c = row["start_km"] is not None or row["end_km"] is not None
        failed = {r["field"] for r in probs.rows[n_before:]}  # an unreadable term is not also "missing"
        if has_m and (row["from_marker"] is None or row["to_marker"] is None) and not \
                failed & {"from_marker", "to_marker"}:
            probs.add(number, "to_marker" if row["to_marker"] is None else "from_marker", None,
                      "a stretch by markers needs both from_marker and to_marker")
            ok = False
        if has_c and (row["start_km"] is None or row["end_km"] is None) and not failed & {"start_km", "end_km"}:
            probs.add(number, "end_km" if row["end_km"] is None else "start_km", None,
                      "a stretch by chainage needs both start_km and end_km")
            ok = False
        forms = [f for f, given in (("markers", has_m), ("chainage", has_c), ("line", geom is not None)) if given]
        row["stretch_by"] = forms[0] if forms else "none"
        row["stretch_forms"] = ",".join(forms)
        if not forms and not row["markers"] and not failed & {"from_marker", "to_marker", "start_km", "end_km",
                                                               "markers"}:
            probs.add(number, None, None, "gives no stretch (from_marker/to_marker, start_km/end_km or a line) "
                                          "and no markers to look after")
            ok = False
        for k, v in rec.items():
            if k not in row:
                row[k] = nfc(v) if isinstance(v, str) else v
        if ok:
            row["geometry"] = geom
            out.append(row)
    gdf = _frame(out, ["assignment_id", "group_type", "village", "commune", "district", "province",
                       *COUNT_COLUMNS, "from_marker", "to_marker", "start_km", "end_km", "markers",
                       "stretch_by"])
    if len(gdf):
        for c in COUNT_COLUMNS:
            gdf[c] = gdf[c].astype("Int64")
        for c in ("start_km", "end_km", "declared_km"):
            gdf[c] = gdf[c].astype("float64")
    normalise_names(gdf, list(dict.fromkeys([*NAME_COLUMNS, *ASSIGNMENT_TEXT_COLUMNS])))
    return gdf


# --------------------------------------------------------------------------------------------------- border
def _check_border(raw: _Raw) -> gpd.GeoDataFrame:
    probs = raw.problems
    out: list[dict[str, Any]] = []
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        if geom is None or geom.is_empty:
            probs.add(number, "geometry", None, "a border feature needs a LineString or MultiLineString")
            continue
        if geom.geom_type not in ("LineString", "MultiLineString"):
            probs.add(number, "geometry", None, f"a border is a LineString or MultiLineString, not a "
                                                f"{geom.geom_type}")
            continue
        row: dict[str, Any] = {"source_row": rec.get("source_row") or number}
        ok = True
        for fld in ("border_id", "name"):
            row[fld] = _text(_get(rec, fld))
        for fld in ("left", "right"):
            ok &= _parse(row, rec, fld, _country, probs, number)
        ok &= _parse(row, rec, "official_length_km", _float, probs, number)
        for k, v in rec.items():
            if k not in row:
                row[k] = v
        if ok:
            row["geometry"] = geom
            out.append(row)
    return _frame(out, ["border_id", "name", "left", "right", "official_length_km"])


def _check_admin(raw: _Raw) -> gpd.GeoDataFrame:
    probs = raw.problems
    out: list[dict[str, Any]] = []
    for rec, geom, number in zip(raw.records, raw.geoms, raw.numbers, strict=True):
        if number in probs.bad:
            continue
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            probs.add(number, "geometry", None, "an administrative unit is a Polygon or MultiPolygon")
            continue
        row = {k: (nfc(v) if isinstance(v, str) else v) for k, v in rec.items()}
        row["source_row"] = number
        row["geometry"] = geom
        out.append(row)
    gdf = _frame(out, [])
    normalise_names(gdf, list(NAME_COLUMNS) + ["name"])
    return gdf


# --------------------------------------------------------------------------------------------------- public readers
def _read(check: Callable[[_Raw], gpd.GeoDataFrame], path: str | os.PathLike[str], *, crs: object,
          layer: str | None, errors: str, kind: str) -> Any:
    _check_errors_arg(errors)
    raw = _read_raw(path, crs=crs, layer=layer, kind=kind)
    gdf = check(raw)
    gdf.attrs["source"] = str(path)
    gdf.attrs["read_notes"] = list(raw.problems.notes)
    if errors == "raise":
        raw.problems.raise_if_any()
        return gdf
    return gdf, raw.problems.frame()


def read_markers(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                 errors: Errors = "raise") -> Any:
    """Read marker posts (one row per physical post) from GeoJSON, GeoPackage, Shapefile or CSV.

    CSV files give positions as ``lon``/``lat`` (decimal degrees or text such as ``22°31'45.2"N``; WGS 84
    unless ``crs`` names another geographic CRS such as EPSG:4756 VN-2000) or as ``x``/``y`` (or
    ``easting``/``northing``) metres, which need ``crs`` (e.g. ``"EPSG:9205"``, VN-2000 TM-3 103°).

    Parameters
    ----------
    path
        The file.
    crs
        CRS of the coordinates when the file does not say (any input pyproj accepts).
    layer
        Layer name in a GeoPackage.
    errors
        ``"raise"``: raise :class:`~bien_gioi_geo.errors.InputError` listing every bad row. ``"collect"``:
        return ``(markers, problems)``, problems being a DataFrame with one row per problem
        (``source``, ``row``, ``field``, ``value``, ``message``).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326 with ``marker_id``, ``number``, ``post``, ``kind``, ``emplaced_by``, ``main_number``,
        ``aux``, ``source_row`` (1-based) and any other columns of the file.

    Examples
    --------
    >>> import io, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> text = 'marker_id,kind,emplaced_by,lat,lon\\n62(1),double,VN,"22°31\\'45.2""N",103°10\\'E\\n'
    >>> _ = (d / "m.csv").write_text(text)
    >>> m = read_markers(d / "m.csv")
    >>> [str(v) for v in m.loc[0, ["marker_id", "number", "post", "kind"]]]
    ['62(1)', '62', '1', 'double']
    """
    return _read(_check_markers, path, crs=crs, layer=layer, errors=errors, kind="markers")


def read_assignments(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                     errors: Errors = "raise") -> Any:
    """Read self-management assignments (one row per stretch and/or set of markers).

    Each row gives its stretch by marker terms (``from_marker``/``to_marker``), by chainage
    (``start_km``/``end_km``), or by its drawn LineString; rows may mix the three forms. ``markers`` lists the
    marker ids the group looks after (a JSON list, or ``62(1);62(2)`` text in CSV). Counts (``households``,
    ``people``, ``collectives``, ``individuals``) must be whole numbers; negative counts are read and reported
    later by :func:`bien_gioi_geo.validate` (rule ``bad_counts``), not silently changed.

    Parameters and the ``errors`` modes are as in :func:`read_markers`.
    """
    return _read(_check_assignments, path, crs=crs, layer=layer, errors=errors, kind="assignments")


def read_border(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                errors: Errors = "raise") -> Any:
    """Read border line features (LineString/MultiLineString), with optional ``border_id``, ``left``,
    ``right`` (country codes) and ``official_length_km`` properties.

    Returns a GeoDataFrame; :class:`bien_gioi_geo.Border` (or :class:`bien_gioi_geo.Dataset`) turns it into an
    oriented border.
    """
    return _read(_check_border, path, crs=crs, layer=layer, errors=errors, kind="border")


def read_admin(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
               errors: Errors = "raise") -> Any:
    """Read administrative polygons (communes, districts) with their name columns normalised to NFC."""
    return _read(_check_admin, path, crs=crs, layer=layer, errors=errors, kind="admin")


#: What ``dataset.json`` may hold: key → (accepted types, description for messages).
META_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "name": ((str,), "a text"),
    "title": ((str,), "a text"),
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


def _read_meta(meta_file: Path) -> dict[str, Any]:
    """Read and check ``dataset.json``: an object of the keys in :data:`META_KEYS`, each of its type."""
    name = meta_file.name
    if not meta_file.is_file():
        raise InputError(f"{meta_file}: is not a file")
    text = read_text(meta_file)
    try:
        meta = json.loads(text, parse_constant=_geojson._reject_constant)
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
                meta[key] = _country(meta[key])
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
    return {role: (fs[0], None) for role, fs in found.items()}, notes


_LAYER_NAMES = {
    "border": ("border", "borders", "duong_bien", "line"),
    "markers": ("markers", "marker", "cot_moc", "moc"),
    "assignments": ("assignments", "assignment", "to_tu_quan", "self_management"),
    "admin": ("admin", "communes", "districts"),
}


def read_dataset(path: str | os.PathLike[str], *, crs: object = None, errors: Errors = "raise",
                 official_length_km: float | None = None) -> Any:
    """Read a whole dataset: a folder of GeoJSON/CSV files or one GeoPackage with layers.

    The files (or layers) are found by name: ``border``, ``markers``, ``assignments`` and optionally ``admin``
    (``border.geojson``, ``markers.csv``…). A ``dataset.json`` file in the folder may carry ``name``,
    ``official_length_km`` and ``left``/``right`` country codes.

    Returns
    -------
    Dataset
        Or ``(Dataset, problems)`` with ``errors="collect"``.
    """
    from .dataset import Dataset

    _check_errors_arg(errors)
    p = _as_path(path)
    found: dict[str, tuple[Path, str | None]] = {}
    meta: dict[str, Any] = {}
    notes: list[str] = []
    if p.is_dir():
        found, notes = _dataset_files(p)
        meta_file = p / "dataset.json"
        if meta_file.exists():
            meta = _read_meta(meta_file)
    elif _suffix(p) == ".gpkg":
        import pyogrio

        try:
            layers = [str(lay[0]) for lay in pyogrio.list_layers(p)]
        except Exception as exc:  # GDAL raises several types for a broken file
            raise InputError(f"{p.name}: cannot list the GeoPackage's layers: {exc}") from None
        lower = {lay.casefold(): lay for lay in layers}
        for role, names in _LAYER_NAMES.items():
            for n in names:
                if n in lower:
                    found[role] = (p, lower[n])
                    break
        if "border" not in found:
            raise InputError(f"{p.name}: no border layer (expected one named "
                             f"{' / '.join(_LAYER_NAMES['border'])}); layers: {', '.join(layers) or 'none'}")
    else:
        raise InputError(f"{p.name}: read_dataset takes a folder of files or a GeoPackage; "
                         "use read_markers/read_assignments/read_border for single files")
    if "border" not in found:
        raise InputError(f"{p}: no border layer or file (expected one named {' / '.join(_LAYER_NAMES['border'])})")
    readers = {"border": read_border, "markers": read_markers, "assignments": read_assignments, "admin": read_admin}
    parts: dict[str, Any] = {}
    problems = []
    for role, (fp, layer) in found.items():
        res = readers[role](fp, crs=crs, layer=layer, errors=errors)
        if errors == "collect":
            gdf, pr = res
            problems.append(pr)
        else:
            gdf = res
        parts[role] = gdf
    border = parts["border"]
    if official_length_km is None:
        official_length_km = meta.get("official_length_km")
    ds = Dataset(border=border, markers=parts.get("markers"), assignments=parts.get("assignments"),
                 admin=parts.get("admin"), name=meta.get("name") or p.stem,
                 official_length_km=official_length_km, left=meta.get("left"), right=meta.get("right"),
                 meta=meta)
    ds.meta["read_notes"] = notes + [n for role in parts for n in parts[role].attrs.get("read_notes", [])]
    if errors == "collect":
        probs = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=PROBLEM_COLUMNS)
        ds.meta["read_problems"] = probs  # validate() reports them as read_error rows
        return ds, probs
    return ds


# --------------------------------------------------------------------------------------------------- writers
@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success rename it onto ``dest``, on failure delete it.

    The temporary file is in the same folder, so the rename is atomic on the same file system: readers see
    either the old file or the complete new one, never half of it. See :func:`bien_gioi_geo.outputs.atomic_file`
    (naming of the temporary file, lock, clean-up after a killed run, :class:`OutputError` on failure).
    """
    from .outputs import atomic_file

    with atomic_file(dest) as tmp:
        yield tmp


def _jsonable(v: object) -> object:
    v = _py(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def write_geojson(gdf: gpd.GeoDataFrame, dest: str | os.PathLike[str], *, properties: dict[str, Any] | None = None,
                  precision: int = 7) -> Path:
    """Write ``gdf`` as an RFC 7946 GeoJSON FeatureCollection (WGS 84), atomically and deterministically.

    List columns (such as ``markers``) are written as JSON arrays; dates as ISO text. Keys are written in
    column order and coordinates rounded to ``precision`` decimals (1e-7° ≈ 1 cm), so the same data always
    gives the same bytes.
    """
    if gdf.crs is not None and not pyproj.CRS(gdf.crs).equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    feats = []
    for rec, geom in zip(gdf[cols].to_dict("records"), gdf.geometry, strict=True):
        g = None
        if geom is not None and not geom.is_empty:
            g = json.loads(shapely.to_geojson(geom))
            g = _round_coords(g, precision)
        feats.append({"type": "Feature", "properties": {k: _jsonable(v) for k, v in rec.items()}, "geometry": g})
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    if properties:
        doc.update(properties)
    doc["features"] = feats
    from .outputs import json_surrogates  # a lone surrogate in a name stays a JSON escape

    with atomic_path(dest) as tmp:
        tmp.write_text(json_surrogates(json.dumps(doc, ensure_ascii=False, indent=None, separators=(",", ":")))
                       + "\n", encoding="utf-8")
    return Path(dest)


def _round_coords(g: dict[str, Any], precision: int) -> dict[str, Any]:
    def r(c: Any) -> Any:
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(x), precision) for x in c]
        return [r(x) for x in c]

    if "coordinates" in g:
        g["coordinates"] = r(g["coordinates"])
    if "geometries" in g:
        g["geometries"] = [_round_coords(x, precision) for x in g["geometries"]]
    return g


# --------------------------------------------------------------------------------------------------- frames
def _raw_from_frame(df: pd.DataFrame, source: str) -> _Raw:
    """Wrap an in-memory (Geo)DataFrame as a raw table, so it passes the same checks as a file."""
    probs = _Problems(source, "row")
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        geom_col = df.geometry.name
        src = df.crs
        geoms_in: list[BaseGeometry | None] = list(df.geometry)
    else:
        geom_col, src, geoms_in = None, None, [None] * len(df)
    cols = [c for c in df.columns if c != geom_col]
    records = [{str(k): _py(v) if not isinstance(v, (list, tuple, np.ndarray)) else v for k, v in r.items()}
               for r in df[cols].to_dict("records")]
    geoms: list[BaseGeometry | None] = []
    for i, g in enumerate(geoms_in):
        if g is not None and not g.is_empty:
            g = _to_wgs84_geom(shapely.force_2d(g), src, probs, i + 1, _label(records[i]))
        geoms.append(g)
    return _Raw(source, "row", records, geoms, list(range(1, len(records) + 1)), probs)


def check_frame(df: pd.DataFrame, kind: str, *, source: str | None = None, errors: Errors = "raise") -> Any:
    """Check an in-memory table against the data model, as the readers check files.

    ``kind`` is ``"markers"``, ``"assignments"``, ``"border"`` or ``"admin"``. Returns the cleaned GeoDataFrame
    (or ``(gdf, problems)`` with ``errors="collect"``).
    """
    _check_errors_arg(errors)
    checks = {"markers": _check_markers, "assignments": _check_assignments, "border": _check_border,
              "admin": _check_admin}
    if kind not in checks:
        raise InputError(f"kind must be one of {sorted(checks)}, not {kind!r}")
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{kind}: expected a (Geo)DataFrame, got {type(df).__name__}")
    raw = _raw_from_frame(df, source or str(df.attrs.get("source", kind)))
    _rename_columns(raw, kind, from_file=False)
    _check_text(raw)
    gdf = checks[kind](raw)
    gdf.attrs.update(df.attrs)
    gdf.attrs["read_notes"] = list(df.attrs.get("read_notes", [])) + [
        n for n in raw.problems.notes if n not in df.attrs.get("read_notes", [])]
    if errors == "raise":
        raw.problems.raise_if_any()
        return gdf
    return gdf, raw.problems.frame()
