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
:data:`bien_gioi_geo.io.geojson.MAX_POSITIONS` positions per geometry, :data:`MAX_FILE_BYTES` per file,
:data:`MAX_COUNT` for counts and :data:`bien_gioi_geo.schema.MAX_MARKER_NUMBER` for marker numbers. Coordinates
converted from a declared CRS must fall in that CRS's area of use (pyproj, widened by
:data:`bien_gioi_geo.crs.AREA_MARGIN_DEG`), which catches degrees declared as VN-2000 metres.

Writers write to a temporary file in the destination folder and rename it into place, so an interrupted run
never leaves a half-written file.
"""

from __future__ import annotations

from .checks import check_frame, is_checked
from .common import MAX_CELL_CHARS, MAX_COUNT, MAX_FILE_BYTES, MAX_WKT_DEPTH, Errors
from .dataset_folder import META_KEYS, read_dataset_tables, read_meta
from .problems import PROBLEM_COLUMNS, Problems, Raw, check_errors_arg
from .raw import read_raw
from .readers import read_admin, read_assignments, read_border, read_markers
from .writers import atomic_path, write_geojson

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COUNT",
    "MAX_FILE_BYTES",
    "MAX_WKT_DEPTH",
    "META_KEYS",
    "PROBLEM_COLUMNS",
    "Errors",
    "Problems",
    "Raw",
    "atomic_path",
    "check_errors_arg",
    "check_frame",
    "is_checked",
    "read_admin",
    "read_assignments",
    "read_border",
    "read_dataset_tables",
    "read_markers",
    "read_meta",
    "read_raw",
    "write_geojson",
]
