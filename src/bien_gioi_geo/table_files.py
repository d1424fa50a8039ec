"""Tables to files: CSV (UTF-8 with BOM), Excel workbooks and GeoPackage layers, written safely.

Used by every command that writes tables (the report, the patrols output, ``coverage --output``). Text that a
spreadsheet would take for a formula stays text (OWASP CSV injection; see :mod:`bien_gioi_geo.outputs`), lengths and
chainages are rounded to the metre, and GDAL's failures become :class:`~bien_gioi_geo.errors.OutputError`.

Uses (layer ``table_files``): ``outputs``.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .outputs import cells, csv_text, encodable, is_formula_like, output_error, xlsx_text

__all__ = ["flat", "round_km", "write_csv", "write_xlsx", "gpkg_safe", "write_gpkg_layer"]


def flat(df: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for CSV/Excel/GeoPackage: lists joined with '; ', dates as text, no geometry objects."""
    out = pd.DataFrame(df).copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            if out[c].map(lambda v: hasattr(v, "isoformat")).any():
                out[c] = out[c].map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return out


def round_km(df: pd.DataFrame) -> pd.DataFrame:
    """Lengths and chainages (float columns named with ``km``) rounded to the metre (3 decimals)."""
    out = df.copy()
    for c in out.columns:
        if "km" in str(c) and pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(3)
    return out


def write_csv(df: pd.DataFrame, dest: str | Path | Any) -> None:
    """Write ``df`` as CSV (UTF-8 with BOM when ``dest`` is a path) with formula-like text neutralised (OWASP).

    Text cells and headers starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
    full-width forms) get a leading ``'``; every text cell is quoted; numbers are written as numbers.
    """
    df = cells(round_km(pd.DataFrame(df)), csv_text)
    header = pd.DataFrame(columns=df.columns)
    if isinstance(dest, (str, Path)):
        with open(dest, "w", encoding="utf-8-sig", newline="") as f:
            header.to_csv(f, index=False)
            df.to_csv(f, index=False, header=False, quoting=csv.QUOTE_NONNUMERIC)
    else:
        header.to_csv(dest, index=False)
        df.to_csv(dest, index=False, header=False, quoting=csv.QUOTE_NONNUMERIC)


def write_xlsx(tables: dict[str, pd.DataFrame], dest: Path) -> None:
    """Write one sheet per table; text is always text (a cell reading ``=1+1`` is never a formula).

    Numbers stay numbers, so the spreadsheet shows them in its user's format: lengths and chainages (float columns
    whose header names km) with the number format ``0.000`` (metres), other decimals ``0.0##``, whole numbers
    ``#,##0``. Each sheet has a frozen header row, an autofilter and columns as wide as their text (at most 60).
    """
    with pd.ExcelWriter(dest, engine="openpyxl") as xl:
        for name, df in tables.items():
            cells(df, xlsx_text).to_excel(xl, sheet_name=name[:31], index=False)
            _sheet_layout(xl.book[name[:31]], df)
        for ws in xl.book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and (cell.data_type == "f" or is_formula_like(cell.value)):
                        cell.data_type = "s"  # openpyxl made '=...' a formula: store it as a string
                        cell.quotePrefix = True  # and Excel keeps it text even when the cell is edited


def _sheet_layout(ws: Any, df: pd.DataFrame) -> None:
    """Number formats, widths, frozen header row and autofilter of one sheet written from ``df``."""
    from openpyxl.utils import get_column_letter

    for j, c in enumerate(df.columns, start=1):
        col = df[c]
        fmt = None
        if pd.api.types.is_float_dtype(col):
            fmt = "0.000" if "km" in str(c).lower() else "0.0##"
        elif pd.api.types.is_integer_dtype(col) and not pd.api.types.is_bool_dtype(col):
            fmt = "#,##0"
        letter = get_column_letter(j)
        width = len(str(c))
        for cell in ws[letter][1:]:
            if fmt is not None and isinstance(cell.value, (int, float)):
                cell.number_format = fmt
            elif isinstance(cell.value, float):  # figures among text (the summary sheet)
                cell.number_format = "#,##0.0##"
            width = max(width, len(str(cell.value)) if cell.value is not None else 0)
        ws.column_dimensions[letter].width = min(width + 2, 60)
    ws.freeze_panes = "A2"
    if ws.max_row > 0 and ws.max_column > 0:
        ws.auto_filter.ref = ws.dimensions


def gpkg_safe(df: pd.DataFrame, layer: str, notes: list[str]) -> pd.DataFrame:
    """Rename columns GeoPackage cannot hold as they are: ``fid`` (its row id) and names equal but for case."""
    seen: set[str] = {"geom", "geometry"}
    names = []
    for c in map(str, df.columns):
        new = c
        if c.lower() == "fid" or c.lower() in seen:
            k = 1
            while f"{c}_{k}".lower() in seen or f"{c}_{k}" in df.columns:
                k += 1
            new = f"{c}_{k}"
            notes.append(f"report.gpkg, layer {layer!r}: column {c!r} is kept as {new!r} "
                         "(GeoPackage reserves 'fid' and does not tell names apart by case)")
        seen.add(new.lower())
        names.append(new)
    out = cells(df, encodable)
    out.columns = names
    return out


def write_gpkg_layer(gdf: gpd.GeoDataFrame, dest: Path, layer: str) -> None:
    """Add ``layer`` to the GeoPackage ``dest``; GDAL's failures become :class:`OutputError` naming the file."""
    import pyogrio.errors

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning)  # GDAL: mixed geometry types in a layer
            gdf.to_file(dest, layer=layer, driver="GPKG", engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError) as exc:
        raise output_error(dest, exc, f"cannot write layer {layer!r}") from exc
