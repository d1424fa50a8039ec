"""Reading what the user gives: the border's geometry and the points to locate, as WGS 84 lon/lat arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import WGS84, as_crs, to_wgs84
from ..errors import ReferencingError

__all__ = ["check_lonlat", "parts_of", "points_lonlat"]


def parts_of(geometry: Any, crs: object) -> tuple[list[np.ndarray], dict[str, Any]]:
    """The line's parts as (n, 2) lon/lat arrays, plus attributes found on a GeoDataFrame."""
    attrs: dict[str, Any] = {}
    src_crs: object = crs
    if isinstance(geometry, gpd.GeoDataFrame):
        for col in ("official_length_km", "left", "right", "name", "border_id"):
            if col in geometry.columns:
                vals = [v for v in geometry[col].tolist() if v is not None and not pd.isna(v)]
                if vals:
                    attrs[col] = vals[0]
        geometry = geometry.geometry
    if isinstance(geometry, gpd.GeoSeries):
        if geometry.crs is not None:
            src_crs = geometry.crs
        geoms = [g for g in geometry if g is not None and not g.is_empty]
    elif isinstance(geometry, BaseGeometry):
        geoms = [geometry]
    elif isinstance(geometry, str):
        try:
            geoms = [shapely.from_wkt(geometry)]
        except shapely.errors.GEOSException as exc:
            raise ReferencingError(f"border: not readable WKT ({exc})") from None
    elif isinstance(geometry, Sequence) and all(isinstance(g, BaseGeometry) for g in geometry):
        geoms = list(geometry)
    else:
        raise ReferencingError(
            f"border: expected a LineString, MultiLineString, GeoSeries or GeoDataFrame, got {type(geometry).__name__}")
    parts: list[np.ndarray] = []
    for g in geoms:
        if g.geom_type == "LineString":
            lines = [g]
        elif g.geom_type == "MultiLineString":
            lines = list(g.geoms)
        else:
            raise ReferencingError(f"border: a border is a LineString or MultiLineString, not a {g.geom_type}")
        for line in lines:
            xy = shapely.get_coordinates(line)
            if len(xy) == 0:
                continue
            if len(xy) < 2:
                raise ReferencingError("border: a line part needs at least two vertices")
            parts.append(xy)
    if not parts:
        raise ReferencingError("border: the geometry is empty")
    crs_obj = as_crs(src_crs, what="border crs")
    if not crs_obj.equals(WGS84):
        parts = [np.column_stack(to_wgs84(p[:, 0], p[:, 1], crs_obj)) for p in parts]
    for k, p in enumerate(parts):
        if not np.isfinite(p).all() or (np.abs(p[:, 0]) > 180).any() or (np.abs(p[:, 1]) > 90).any():
            raise ReferencingError(f"border: part {k + 1} has coordinates outside longitude ±180° / latitude ±90° "
                                   "(projected coordinates? give crs=...)")
    return parts, attrs


def points_lonlat(points: Any, crs: object) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """The points to locate as an index and WGS 84 lon/lat arrays (NaN for missing or empty points).

    Raises :class:`~bien_gioi_geo.errors.ReferencingError` naming the row(s) and value(s) of points that are not
    Points or whose coordinates cannot be longitude/latitude (see :func:`check_lonlat`).

    Examples
    --------
    >>> index, lon, lat = points_lonlat([(105.0, 21.0), (105.1, 21.1)], None)
    >>> list(index), lon.tolist(), lat.tolist()
    ([0, 1], [105.0, 105.1], [21.0, 21.1])
    """
    index, given, lon, lat = _read_points(points, crs)
    check_lonlat(index, given, lon, lat)
    return index, lon, lat


def check_lonlat(index: pd.Index, given: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
    """Refuse given points whose WGS 84 coordinates are not finite or outside longitude ±180° / latitude ±90°.

    ``given`` marks the points that were given (not missing or empty); the message names the first few bad rows
    by their index label and shows the values.

    Examples
    --------
    >>> check_lonlat(pd.RangeIndex(2), np.array([True, True]), np.array([105.0, 2e6]), np.array([21.0, 3e5]))
    Traceback (most recent call last):
    ...
    bien_gioi_geo.errors.ReferencingError: locate: 1 point(s) cannot be WGS 84 longitude/latitude ...
    """
    with np.errstate(invalid="ignore"):
        bad = given & ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0))
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    shown = ", ".join(f"row {index[k]!r}: ({float(lon[k])!r}, {float(lat[k])!r})" for k in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    raise ReferencingError(
        f"locate: {len(rows)} point(s) cannot be WGS 84 longitude/latitude (after conversion from their CRS): "
        f"{shown}{more}; give crs=... for projected coordinates, check for swapped or missing values")


def _read_points(points: Any, crs: object) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Index, "given" mask and WGS 84 lon/lat of the points (before any range check)."""
    if isinstance(points, gpd.GeoDataFrame):
        points = points.geometry
    if isinstance(points, BaseGeometry):
        points = [points]
    if isinstance(points, gpd.GeoSeries):
        src = points.crs if points.crs is not None else (crs if crs is not None else WGS84)
        index = points.index
        geoms = points.to_numpy()
    else:
        src = crs if crs is not None else WGS84
        arr = points if isinstance(points, np.ndarray) else None
        if arr is not None and arr.dtype != object and arr.ndim == 2 and arr.shape[1] == 2:
            x, y = arr[:, 0].astype(float), arr[:, 1].astype(float)
            lon, lat = to_wgs84(x, y, src)
            return pd.RangeIndex(len(lon)), np.ones(len(lon), dtype=bool), lon, lat
        seq = list(points)
        index = pd.RangeIndex(len(seq))
        if seq and not isinstance(seq[0], BaseGeometry) and seq[0] is not None:
            xy = np.asarray(seq, dtype=float)
            if xy.ndim != 2 or xy.shape[1] != 2:
                raise ReferencingError("locate: expected points or (lon, lat) pairs")
            lon, lat = to_wgs84(xy[:, 0], xy[:, 1], src)
            return index, np.ones(len(lon), dtype=bool), lon, lat
        geoms = np.asarray(seq, dtype=object)
    n = len(geoms)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    good = np.zeros(n, dtype=bool)
    if n:
        types = shapely.get_type_id(geoms)
        bad = (types != 0) & (types != -1)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ReferencingError(f"locate: item {k + 1} is a {geoms[k].geom_type}, not a Point")
        good = (types == 0) & ~shapely.is_empty(geoms)
        if good.any():
            lon[good] = shapely.get_x(geoms[good])
            lat[good] = shapely.get_y(geoms[good])
        if not as_crs(src).equals(WGS84):
            lon, lat = to_wgs84(lon, lat, src)
    return index, good, lon, lat

