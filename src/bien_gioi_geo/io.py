"""Readers and writers.

Readers accept GeoJSON, GeoPackage, Shapefile, CSV and Excel sheets (read like CSV), convert every CRS to WGS 84
and validate each row against the data model (:mod:`bien_gioi_geo.schema`). With ``errors="raise"`` (the default)
a bad row raises :class:`~bien_gioi_geo.errors.InputError` whose message names the file, the feature/row (counted
from 1), the field, the bad value and what was expected — every bad row at once, not just the first. With
``errors="collect"`` the reader returns ``(good_rows, problems)``: nothing is dropped silently, every dropped
row is a row of ``problems``.

Writers write to a temporary file in the destination folder and rename it into place, so an interrupted run
never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import math
import os
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
from .crs import WGS84, as_crs, check_lonlat, parse_dms, to_wgs84
from .errors import CRSError, InputError, where
from .schema import (
    ASSIGNMENT_TEXT_COLUMNS,
    COUNT_COLUMNS,
    MARKER_TEXT_COLUMNS,
    NAME_COLUMNS,
    parse_kind,
    parse_marker_id,
)
from .text import nfc, normalise_names

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

    def add(self, row: int | None, field: str | None, value: object, message: str) -> None:
        self.rows.append({"source": self.source, "row": row, "field": field,
                          "value": None if value is None else repr(value), "message": message})
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


def _read_raw(path: str | os.PathLike[str], *, crs: object, layer: str | None, kind: str) -> _Raw:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    suf = _suffix(p)
    if suf in (".geojson", ".json"):
        return _raw_geojson(p, crs=crs)
    if suf in (".csv", ".txt"):
        return _raw_csv(p, crs=crs, kind=kind)
    if suf in (".xlsx", ".xlsm"):
        return _raw_excel(p, crs=crs, kind=kind, sheet=layer)
    if suf in (".gpkg", ".shp", ".zip", ".fgb") or p.is_dir():
        return _raw_ogr(p, crs=crs, layer=layer)
    raise InputError(f"{p.name}: unknown file type {suf!r}; expected .geojson, .gpkg, .shp, .csv or .xlsx")


def _raw_geojson(p: Path, *, crs: object) -> _Raw:
    coll = _geojson.load(p)
    probs = _Problems(p.name, "feature")
    declared = coll.crs
    if declared is not None and crs is not None and not as_crs(declared).equals(as_crs(crs)):
        raise CRSError(f"{p.name}: the file declares crs {declared!r} but crs={crs!r} was given")
    src = crs if crs is not None else declared
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
            return f"({key} {props[key]!r}) "
    return ""


def _to_wgs84_geom(geom: BaseGeometry, src: object, probs: _Problems, number: int,
                   label: str = "") -> BaseGeometry | None:
    """Transform ``geom`` from ``src`` (None = WGS 84) and check that every vertex is a real lon/lat."""
    if geom.is_empty:
        return geom
    if src is not None:
        crs = as_crs(src)
        if not crs.equals(WGS84):
            geom = shapely.transform(geom, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1], crs)))
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


def _raw_ogr(p: Path, *, crs: object, layer: str | None) -> _Raw:
    import pyogrio

    name = p.name
    try:
        with warnings.catch_warnings():
            # Z and M are dropped below (force_2d); GDAL's warning about M would only repeat that.
            warnings.filterwarnings("ignore", message="Measured \\(M\\) geometry types", category=UserWarning)
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
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text at byte {exc.start}; save the CSV as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror or exc})") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delim, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            rows.append((reader.line_num, row))
    except StopIteration:
        raise InputError(f"{name}: the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise InputError(f"{name}, line {reader.line_num}: bad CSV quoting ({exc}); a field that contains "
                         "a double quote must be quoted and the quote doubled") from None
    return _raw_table(name, header, rows, crs=crs, kind=kind)


def _raw_excel(p: Path, *, crs: object, kind: str, sheet: str | None) -> _Raw:
    """An Excel sheet read as text cells (the first sheet unless ``sheet`` names one), then as a CSV table."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for broken files
        raise InputError(f"{p.name}: cannot read the workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise InputError(f"{p.name}: no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]

        def cell(v: object) -> str:
            if v is None:
                return ""
            if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
                return str(int(v))
            return v.isoformat() if hasattr(v, "isoformat") else str(v)

        values = [[cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not values:
        raise InputError(f"{p.name}: the sheet is empty; expected a header row")
    width = max(len(r) for r in values)
    header = values[0] + [""] * (width - len(values[0]))
    while header and not header[-1].strip():  # trailing empty header cells
        header.pop()
    rows = [(k + 2, r[: len(header)] + [""] * (len(header) - len(r))) for k, r in enumerate(values[1:])
            if any(c.strip() for c in r)]
    return _raw_table(p.name, header, rows, crs=crs, kind=kind)


def _raw_table(name: str, header: list[str], rows: list[tuple[int, list[str]]], *, crs: object,
               kind: str) -> _Raw:
    """Rows of text cells (CSV or a spreadsheet) with their line numbers, as a raw table with geometries."""
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise InputError(f"{name}: column(s) {dup!r} appear more than once in the header")
    probs = _Problems(name, "row")
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
        number = k + 1
        if len(row) != len(header):
            probs.add(number, None, None, f"(line {line}) has {len(row)} fields; the header has {len(header)}")
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
            if raw:
                try:
                    geom = shapely.force_2d(shapely.from_wkt(raw))
                except (shapely.errors.GEOSException, NotImplementedError) as exc:
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
        for k, lo, la in zip(pts_idx, lon_a, lat_a, strict=True):
            msg = check_lonlat(float(lo), float(la))
            if msg:
                probs.add(k + 1, x_c or lon_c, None, f"after conversion from {as_crs(src).name}: {msg}")
            else:
                geoms[k] = shapely.Point(float(lo), float(la))
    return _Raw(name, "row", records, geoms, numbers, probs)


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
    try:
        f = float(v.replace(",", ".") if isinstance(v, str) and v.count(",") == 1 and "." not in v
                  else v)  # type: ignore[arg-type]  # anything float() refuses is reported below
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None
    if not math.isfinite(f):
        raise ValueError("expected a finite number (not inf or NaN)")
    return f


def _count(v: object) -> int | None:
    f = _float(v)
    if f is None:
        return None
    if not f.is_integer():
        raise ValueError("expected a whole number")
    return int(f)


def _date(v: object) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
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
            except json.JSONDecodeError:
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
        try:
            row["emplaced_by"] = _country(_get(rec, "emplaced_by"))
        except ValueError as exc:
            probs.add(number, "emplaced_by", _get(rec, "emplaced_by"), str(exc))
            ok = False
        for fld in ("elevation_m", "official_km"):
            try:
                row[fld] = _float(_get(rec, fld))
            except ValueError as exc:
                probs.add(number, fld, _get(rec, fld), str(exc))
                ok = False
        try:
            row["last_inspected"] = _date(_get(rec, "last_inspected"))
        except ValueError as exc:
            probs.add(number, "last_inspected", _get(rec, "last_inspected"), str(exc))
            ok = False
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
            if k not in row and k.casefold() not in row and k not in ("post", "number", "kind", "marker_id"):
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
        for fld in ASSIGNMENT_TEXT_COLUMNS:
            if fld not in row:
                row[fld] = _text(_get(rec, fld))
        for fld in COUNT_COLUMNS:
            try:
                row[fld] = _count(_get(rec, fld))
            except ValueError as exc:
                probs.add(number, fld, _get(rec, fld), str(exc))
                ok = False
        for fld in ("start_km", "end_km", "declared_km"):
            try:
                row[fld] = _float(_get(rec, fld))
            except ValueError as exc:
                probs.add(number, fld, _get(rec, fld), str(exc))
                ok = False
        for fld in ("valid_from", "valid_to"):
            try:
                row[fld] = _date(_get(rec, fld))
            except ValueError as exc:
                probs.add(number, fld, _get(rec, fld), str(exc))
                ok = False
        for fld in ("from_marker", "to_marker"):
            if row[fld] is not None:
                try:
                    row[fld] = str(parse_marker_id(row[fld]))
                except ValueError as exc:
                    probs.add(number, fld, row[fld], str(exc))
                    ok = False
        try:
            row["markers"] = _marker_list(_get(rec, "markers"))
        except ValueError as exc:
            probs.add(number, "markers", _get(rec, "markers"), str(exc))
            ok = False
        if geom is not None and not geom.is_empty and geom.geom_type not in ("LineString", "MultiLineString"):
            probs.add(number, "geometry", None, f"a drawn stretch is a LineString, not a {geom.geom_type}")
            ok = False
        if geom is not None and geom.is_empty:
            geom = None
        has_m = row["from_marker"] is not None or row["to_marker"] is not None
        has_c = row["start_km"] is not None or row["end_km"] is not None
        if has_m and (row["from_marker"] is None or row["to_marker"] is None):
            probs.add(number, "to_marker" if row["to_marker"] is None else "from_marker", None,
                      "a stretch by markers needs both from_marker and to_marker")
            ok = False
        if has_c and (row["start_km"] is None or row["end_km"] is None):
            probs.add(number, "end_km" if row["end_km"] is None else "start_km", None,
                      "a stretch by chainage needs both start_km and end_km")
            ok = False
        forms = [f for f, given in (("markers", has_m), ("chainage", has_c), ("line", geom is not None)) if given]
        row["stretch_by"] = forms[0] if forms else "none"
        row["stretch_forms"] = ",".join(forms)
        if not forms and not row["markers"]:
            probs.add(number, None, None, "gives no stretch (from_marker/to_marker, start_km/end_km or a line) "
                                          "and no markers to look after")
            ok = False
        for k, v in rec.items():
            if k not in row and k.casefold() not in row:
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
            try:
                row[fld] = _country(_get(rec, fld))
            except ValueError as exc:
                probs.add(number, fld, _get(rec, fld), str(exc))
                ok = False
        try:
            row["official_length_km"] = _float(_get(rec, "official_length_km"))
        except ValueError as exc:
            probs.add(number, "official_length_km", _get(rec, "official_length_km"), str(exc))
            ok = False
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
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    found: dict[str, tuple[Path, str | None]] = {}
    meta: dict[str, Any] = {}
    if p.is_dir():
        files = {f.stem.casefold(): f for f in sorted(p.iterdir())
                 if f.suffix.lower() in (".geojson", ".json", ".csv", ".xlsx", ".gpkg", ".shp")
                 and f.stem != "dataset"}
        for role, names in _LAYER_NAMES.items():
            for n in names:
                if n in files:
                    found[role] = (files[n], None)
                    break
        meta_file = p / "dataset.json"
        if meta_file.exists():
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8-sig"))
            except json.JSONDecodeError as exc:
                raise InputError(f"{meta_file.name}: not valid JSON at line {exc.lineno}: {exc.msg}") from None
    elif _suffix(p) == ".gpkg":
        import fiona

        try:
            layers = fiona.listlayers(p)
        except Exception as exc:
            raise InputError(f"{p.name}: cannot list the GeoPackage's layers: {exc}") from None
        lower = {lay.casefold(): lay for lay in layers}
        for role, names in _LAYER_NAMES.items():
            for n in names:
                if n in lower:
                    found[role] = (p, lower[n])
                    break
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
    raw = _raw_from_frame(df, source or df.attrs.get("source", kind))
    gdf = checks[kind](raw)
    gdf.attrs.update(df.attrs)
    if errors == "raise":
        raw.problems.raise_if_any()
        return gdf
    return gdf, raw.problems.frame()
