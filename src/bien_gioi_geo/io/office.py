"""Office tables (Vietnamese headers, title rows, VN-2000 ``X``/``Y``…) read through :mod:`bien_gioi_geo.model`.

A CSV table or Excel sheet of markers or assignments whose header uses names the model knows but the library's
own column names do not (``Số hiệu mốc``, ``Vĩ độ``, ``Số hộ``, ``Từ km``…) is read here: the model maps the
headers (:func:`~bien_gioi_geo.model.match_headers`), parses every cell by its field's type (decimal commas,
thousands dots in counts, ``Km 3+200``, ``62+300`` offsets, day-first dates, Excel-date ids, Vietnamese
categories in either Unicode form), takes the VN-2000 axis order of ``X``/``Y`` and reads a stretch from a
description. Its problems become the reader's problems (same row numbers), its notes the reader's notes; the
records then go through the same row checks as every other file.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from ..model import field_label, find_header_row, header_below, header_key, match_headers, normalise_rows
from .problems import Problems, Raw

__all__ = ["is_office_header", "raw_office", "workbook_tables"]

#: Office fields whose column in the library has another name: the declared length (``Chiều dài (km)``) is
#: ``declared_km`` (``length_km`` is the length the library measures).
_LIBRARY_NAME = {"length_km": "declared_km", "length_km_typed": "declared_km_typed"}
#: Columns of the model's frame that become the geometry, not record fields.
_GEO_KEYS = ("lat", "lon", "x", "y", "easting", "northing", "wkt")


def is_office_header(header: Sequence[object], kind: str, library_names: set[str]) -> bool:
    """True when a header names at least one model field by a name that is not the library's own column name."""
    if kind not in ("markers", "assignments"):
        return False
    m = match_headers(list(header), table=kind, lang="en")
    return any(str(h).strip().casefold() not in library_names and header_key(str(h)) != key
               for h, key in m.mapping.items())


def _plain(v: object) -> object:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return v
    return v


def raw_office(source: str, sheet: str | None, header: Sequence[object], rows: Sequence[tuple[int, Sequence[object]]],
               *, kind: str, axis_order: str | None, lang: str = "vi") -> tuple[Raw, list[tuple[int, float, float]],
                                                                             str | None]:
    """Read an office table with the model; return the raw table and the points still to convert.

    Returns
    -------
    raw, points, mode
        ``points`` are ``(index, a, b)``: lon/lat degrees (``mode == "lonlat"``) or easting/northing metres
        (``mode == "xy"``); ``mode`` is None when the table has no coordinates.
    """
    where = f"{source}, sheet {sheet!r}" if sheet else source
    norm = normalise_rows(list(header), [list(r) for _, r in rows], table=kind, source=source, sheet=sheet,
                          row_numbers=[n for n, _ in rows], axis_order=axis_order, lang=lang)
    probs = Problems(where, "row")
    other = "en" if lang == "vi" else "vi"  # the problems in the other language too (same rows, same order)
    in_other = [] if norm.problems.empty else normalise_rows(
        list(header), [list(r) for _, r in rows], table=kind, source=source, sheet=sheet,
        row_numbers=[n for n, _ in rows], axis_order=axis_order, lang=other).problems["message"].tolist()
    for r, m_other in zip(norm.problems.itertuples(index=False), in_other, strict=True):
        row = None if pd.isna(r.row) else int(r.row)
        texts = {lang: str(r.message), other: str(m_other)}
        shown = _plain(r.value)  # a problem without a value has NaN in the model's table
        fld = _plain(r.field)
        probs.add(row, None if fld is None else str(fld), None, r.message,
                  shown=None if shown is None else str(shown), vi=texts["vi"], en=texts["en"])
    row_word = "hàng" if lang == "vi" else "row"
    for r in norm.notes.itertuples(index=False):
        at = "" if pd.isna(r.row) else f"{row_word} {int(r.row)}, "
        fld = _plain(r.field)
        at += "" if fld is None else f"{field_label(str(fld), lang, table=kind)!r}: "
        probs.note(at + str(r.message))
    frame = norm.frame
    mode = None
    if "lat" in frame and "lon" in frame:
        mode, a_col, b_col = "lonlat", "lon", "lat"
    elif "easting" in frame and "northing" in frame:
        mode, a_col, b_col = "xy", "easting", "northing"
    records: list[dict[str, Any]] = []
    geoms: list[BaseGeometry | None] = []
    numbers: list[int] = []
    points: list[tuple[int, float, float]] = []
    for k, rec in enumerate(frame.to_dict("records")):
        number = int(rec.pop("source_row"))
        clean = {}
        for c, v in rec.items():
            v = _plain(v)
            if c.endswith("_original"):
                c = c[: -len("_original")] + "_typed"  # the text as typed where the model rewrote it
            c = _LIBRARY_NAME.get(c, c)
            if c not in _GEO_KEYS and v is not None:
                clean[c] = v
        if mode is not None:
            a, b = _plain(rec[a_col]), _plain(rec[b_col])
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                points.append((k, float(a), float(b)))
        records.append(clean)
        geoms.append(None)
        numbers.append(number)
    return Raw(where, "row", records, geoms, numbers, probs), points, mode


def workbook_tables(path: Path) -> dict[str, str]:
    """The sheets of a workbook that hold markers or assignments, told by their headers: ``{table: sheet}``.

    A sheet is the table whose required columns its header has, with the most fields recognised; a sheet that is
    neither is left unread. Two sheets for one table are refused.
    """
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/KeyError/InvalidFileException for broken files
        raise InputError(f"{path.name}: cannot read the workbook ({type(exc).__name__}: {exc})") from None
    out: dict[str, str] = {}
    try:
        for ws in wb.worksheets:
            every = [list(r) for r in ws.iter_rows(values_only=True)]
            rows = every[:30]
            found: dict[str, tuple[int, int]] = {}  # table: (fields, header index)
            for table in ("markers", "assignments"):
                try:
                    h = find_header_row(rows, table=table, lang="en")
                except InputError:
                    continue
                if not h.match.missing:
                    found[table] = (len(h.match.fields), h.index)
            if len({i for _, i in found.values()}) < len(found):  # one header row fits both: the better one
                found = dict([max(found.items(), key=lambda kv: kv[1][0])])
            if len(found) == 1:  # the other table may start lower, under the first
                other = "assignments" if "markers" in found else "markers"
                low = header_below(every, table=other, start=next(iter(found.values()))[1] + 1, lang="en")
                if low is not None:
                    found[other] = (len(low.match.fields), low.index)
            for table in found:  # two header rows: the sheet holds both tables, one under the other
                if table in out:
                    raise InputError(f"{path.name}: sheets {out[table]!r} and {ws.title!r} both look like the "
                                     f"{table} table; keep one")
                out[table] = ws.title
    finally:
        wb.close()
    return out
