"""CSV files read as rows of text cells with their physical line numbers; the table of cells turned into a raw table."""

from __future__ import annotations

import csv
import io as io_module
import math
import re
import warnings
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import as_crs, parse_dms
from ..errors import CRSError, InputError
from ..model import (
    HeaderRow,
    fill_merged,
    find_header_row,
    header_below,
    heading_rows,
    next_table,
    table_end_note,
)
from ..text import read_text
from .common import LAT_NAMES, LON_NAMES, MAX_CELL_CHARS, MAX_WKT_DEPTH, MODEL_FIELDS, WKT_NAMES, X_NAMES, Y_NAMES
from .geometry import feature_label, geom_to_wgs84, to_points
from .office import is_office_header, raw_office
from .problems import Problems, Raw
from .texts import add


def raw_csv(p: Path, *, crs: object, kind: str, header_row: int | None = None,
             axis_order: str | None = None) -> Raw:
    """A CSV file as a raw table; rows numbered by the physical line the editor shows."""
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
    every: list[tuple[int, list[str]]] = []  # every line read, for an office table's header search
    header: list[str] | None = None
    header_line = 0
    old_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        last = 0
        for row in reader:
            start, last = last + 1, reader.line_num  # the row's first physical line (header line = 1)
            if not row:  # an empty line
                continue
            every.append((start, row))
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
    office = office_table(name, None, [r for _, r in every], [n for n, _ in every], crs=crs, kind=kind,
                           header_row=header_row, axis_order=axis_order)
    if office is not None:
        return office
    return raw_table(name, header, rows, crs=crs, kind=kind, header_line=header_line)


def office_table(name: str, sheet: str | None, rows: list[list[Any]], numbers: list[int], *, crs: object,
                  kind: str, header_row: int | None, axis_order: str | None,
                  merged: list[tuple[int, int, int, int]] | None = None) -> Raw | None:
    """Read ``rows`` with the office model when their header is an office header; else None."""
    if kind not in ("markers", "assignments"):
        return None
    where = f"{name}, sheet {sheet!r}" if sheet else name
    h: HeaderRow | None
    try:
        h = find_header_row(rows, table=kind, header_row=_header_index(header_row, numbers), source=where)
    except InputError:
        if header_row is not None:
            raise
        h = None
    if header_row is None and (h is None or h.match.missing):  # the table may start lower (under another one)
        h = header_below(rows, table=kind, start=0 if h is None else h.index + 1) or h
    if h is None:
        return None
    known = {*MODEL_FIELDS[kind], *LON_NAMES, *LAT_NAMES, *X_NAMES, *Y_NAMES, *WKT_NAMES}
    if header_row is None and not is_office_header(h.header, kind, known):
        return None
    start, end = h.data_start, len(rows)
    below = next_table(rows, table=kind, start=start)  # a sheet holding two tables, one under the other
    if below is not None:
        end = below[0]
    skip, headings = heading_rows(rows[start:end], numbers[start:end], merged=merged or ())
    if below is not None:
        headings.append(table_end_note(numbers[max(start, end - 1)], numbers[end], below[1]))
    skipped = {numbers[start + k] for k in skip}  # a heading merged across the table is not filled, only skipped
    notes = [] if merged is None else fill_merged(
        rows, [m for m in merged if not set(range(m[1], m[3] + 1)) <= skipped], first_data_row=start)
    body = [(numbers[k], rows[k]) for k in range(start, end) if k - start not in skip]
    raw, points, mode = raw_office(name, sheet, h.header, body, kind=kind, axis_order=axis_order)
    raw.problems.note(h.note)
    for n in headings + notes:
        raw.problems.note(n)
    if mode == "xy" and crs is None:
        raise CRSError(f"{where}: the table gives projected coordinates (X/Y, easting/northing); state their CRS, "
                       "e.g. crs='EPSG:9205' (VN-2000 TM-3 103°, Lai Châu / Điện Biên)")
    if mode == "lonlat" and crs is not None and not as_crs(crs).is_geographic:
        raise CRSError(f"{where}: the table gives degrees (lat/lon) but crs={crs!r} is projected")
    if mode is not None and points:
        idx = [k for k, _, _ in points]
        to_points(raw, idx, [a for _, a, _ in points], [b for _, _, b in points], crs,
                   "easting" if mode == "xy" else "lon")
    return raw


def _header_index(header_row: int | None, numbers: list[int]) -> int | None:
    """The 1-based position in the read rows of the header given as a line/row number."""
    if header_row is None:
        return None
    if header_row in numbers:
        return numbers.index(header_row) + 1
    raise InputError(f"header_row={header_row!r}: that row is blank or outside the table")


def raw_table(name: str, header: list[str], rows: list[tuple[int, list[str]]], *, crs: object,
               kind: str, header_line: int = 1, line_word: str = "line") -> Raw:
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
    probs = Problems(name, "row")
    for k, h in enumerate(header):
        if not h:
            header[k] = f"column_{k + 1}"
            if any(k < len(r) and r[k].strip() for _, r in rows):
                probs.note(f"column {k + 1} has values but no name in the header; read as {header[k]!r}")
    mode, (lon_c, lat_c, x_c, y_c, wkt_c) = _coordinate_columns(name, header, crs=crs, kind=kind)
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
            add(probs, number, None, None, "field_count", n=len(row), m=len(header))
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
                add(probs, number, lon_c, row[header.index(lon_c)].strip(), "degrees", detail=str(exc))
                lon = None
            try:
                lat = parse_dms(row[header.index(lat_c)].strip(), "lat")
            except ValueError as exc:
                add(probs, number, lat_c, row[header.index(lat_c)].strip(), "degrees", detail=_swap_hint(str(exc)))
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
                    add(probs, number, c, raw, "metres")
            if len(vals) == 2:
                pts_idx.append(k)
                xs.append(vals[0])
                ys.append(vals[1])
        elif mode == "wkt":
            geom = _wkt_cell(row[header.index(wkt_c or "")].strip(), probs, number, wkt_c, crs, rec)
        records.append(rec)
        geoms.append(geom)
        numbers.append(number)
    table = Raw(name, "row", records, geoms, numbers, probs)
    if pts_idx:
        to_points(table, pts_idx, xs, ys, crs, x_c or lon_c)
    return table


def _coordinate_columns(name: str, header: list[str], *, crs: object, kind: str
                        ) -> tuple[str | None, tuple[str | None, ...]]:
    """How a table gives positions: ``"lonlat"``, ``"xy"``, ``"wkt"`` or None, and the lon, lat, x, y, wkt
    columns; a CRS that does not fit the columns is refused.
    """
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
    return mode, (lon_c, lat_c, x_c, y_c, wkt_c)


def _wkt_cell(raw: str, probs: Problems, number: int, wkt_c: str | None, crs: object,
              rec: dict[str, Any]) -> BaseGeometry | None:
    """The geometry of a WKT cell in WGS 84, or None with a problem (or for an empty cell)."""
    geom: BaseGeometry | None = None
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
            geom = geom_to_wgs84(geom, crs, probs, number, feature_label(rec))
    return geom


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
