"""Names, limits and small helpers shared by the readers.

The model's columns per table, coordinate column names, input bounds.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import (
    ASSIGNMENT_TEXT_COLUMNS,
    COUNT_COLUMNS,
    NAME_COLUMNS,
)
from ..text import short_repr

Errors = Literal["raise", "collect"]
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


def plain_value(v: object) -> object:
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


def suffix_of(path: Path) -> str:
    """The file's suffix in lower case (``.xlsx``)."""
    return path.suffix.lower()


def as_path(path: object, what: str = "path") -> Path:
    """``path`` as an existing :class:`~pathlib.Path`, or an :class:`InputError` saying what is wrong."""
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
