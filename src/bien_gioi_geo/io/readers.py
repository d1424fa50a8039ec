"""The public readers: one file of one table kind, checked, with ``errors='raise'`` or ``'collect'``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import geopandas as gpd

from ..errors import InputError
from .checks import check_admin, check_assignments, check_border, check_markers, mark_checked
from .common import Errors
from .problems import Raw, check_errors_arg
from .raw import read_raw
from .repeats import drop_repeated_rows


def _read(check: Callable[[Raw], gpd.GeoDataFrame], path: str | os.PathLike[str], *, crs: object,
          layer: str | None, errors: str, kind: str, header_row: int | None = None,
          axis_order: str | None = None) -> Any:
    check_errors_arg(errors)
    if axis_order not in (None, "xy", "yx"):
        raise InputError(f"axis_order must be 'xy', 'yx' or None, not {axis_order!r}")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1):
        raise InputError(f"header_row must be a row number counted from 1, not {header_row!r}")
    raw = read_raw(path, crs=crs, layer=layer, kind=kind, header_row=header_row, axis_order=axis_order)
    gdf = drop_repeated_rows(check(raw), raw.problems, kind)
    gdf.attrs["source"] = str(path)
    gdf.attrs["source_name"] = raw.source  # as the problems name it: file, and sheet of a workbook
    gdf.attrs["read_notes"] = list(raw.problems.notes)
    mark_checked(gdf, kind)
    if errors == "raise":
        raw.problems.raise_if_any()
        return gdf
    return gdf, raw.problems.frame()


def read_markers(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                 errors: Errors = "raise", header_row: int | None = None, axis_order: str | None = None) -> Any:
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
    header_row
        CSV/Excel: the header's row number as Excel or the editor shows it (counted from 1); by default the
        header is found among the first rows (title rows above it are skipped).
    axis_order
        ``X``/``Y`` columns in a projected CRS: ``"yx"`` (X = northing, the Vietnamese surveying order) or
        ``"xy"``; by default the order is taken from the magnitudes and a note says which was used.

    Office tables (Vietnamese headers such as ``Số hiệu mốc``, ``Vĩ độ``, ``Số hộ``, ``Từ km``; title rows;
    merged cells) are read through :mod:`bien_gioi_geo.model` (see :mod:`bien_gioi_geo.io.office`).

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
    return _read(check_markers, path, crs=crs, layer=layer, errors=errors, kind="markers", header_row=header_row,
                 axis_order=axis_order)


def read_assignments(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                     errors: Errors = "raise", header_row: int | None = None, axis_order: str | None = None) -> Any:
    """Read self-management assignments (one row per stretch and/or set of markers).

    Each row gives its stretch by marker terms (``from_marker``/``to_marker``), by chainage
    (``start_km``/``end_km``), or by its drawn LineString; rows may mix the three forms. ``markers`` lists the
    marker ids the group looks after (a JSON list, or ``62(1);62(2)`` text in CSV). Counts (``households``,
    ``people``, ``collectives``, ``individuals``) must be whole numbers; negative counts are read and reported
    later by :func:`bien_gioi_geo.validate` (rule ``bad_counts``), not silently changed.

    Parameters and the ``errors`` modes are as in :func:`read_markers`.
    """
    return _read(check_assignments, path, crs=crs, layer=layer, errors=errors, kind="assignments",
                 header_row=header_row, axis_order=axis_order)


def read_border(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
                errors: Errors = "raise") -> Any:
    """Read border line features (LineString/MultiLineString), with optional ``border_id``, ``left``,
    ``right`` (country codes) and ``official_length_km`` properties.

    Returns a GeoDataFrame; :class:`bien_gioi_geo.Border` (or :class:`bien_gioi_geo.Dataset`) turns it into an
    oriented border.
    """
    return _read(check_border, path, crs=crs, layer=layer, errors=errors, kind="border")


def read_admin(path: str | os.PathLike[str], *, crs: object = None, layer: str | None = None,
               errors: Errors = "raise") -> Any:
    """Read administrative polygons (communes, districts) with their name columns normalised to NFC."""
    return _read(check_admin, path, crs=crs, layer=layer, errors=errors, kind="admin")
