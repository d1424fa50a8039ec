"""Geometries converted to WGS 84, with the CRS's area of use checked."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import WGS84, area_text, as_crs, check_lonlat, outside_area_of_use, to_wgs84
from ..text import short_repr
from .problems import Problems, Raw
from .texts import add, text


def feature_label(props: dict[str, Any]) -> str:
    """A short name of a feature for messages: its marker_id / assignment_id / border_id, if it has one."""
    for key in ("marker_id", "assignment_id", "border_id", "name"):
        if props.get(key) not in (None, ""):
            return f"({key} {short_repr(props[key], 40)}) "
    return ""


def geom_to_wgs84(geom: BaseGeometry, src: object, probs: Problems, number: int,
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
                en = f"{label}vertex {k + 1}: coordinates ({before[k, 0]!r}, {before[k, 1]!r}) are not finite numbers"
                probs.add(number, "geometry", None, en, en=en, vi=f"{label}đỉnh {k + 1}: tọa độ "
                          f"({before[k, 0]!r}, {before[k, 1]!r}) không phải số hữu hạn")
                return None
            geom = shapely.transform(geom, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1], crs)))
            xy = shapely.get_coordinates(geom)
            k_out = outside_area_of_use(xy[:, 0], xy[:, 1], crs)
            if k_out is not None:
                en = _area_message(label, k_out, before[k_out], xy[k_out], crs)
                vi = text("outside_area", "vi", x=float(before[k_out][0]), y=float(before[k_out][1]),
                          crs=as_crs(crs).name, lon=float(xy[k_out][0]), lat=float(xy[k_out][1]))
                probs.add(number, "geometry", None, en, en=en, vi=f"{label}đỉnh {k_out + 1}: {vi}")
                return None
    xy = shapely.get_coordinates(geom)
    eps = 1e-9  # rounding noise such as 180.00000000000006 (Natural Earth) is not an error
    bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy[:, 0]) > 180 + eps) | (np.abs(xy[:, 1]) > 90 + eps)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        x, y = float(xy[k, 0]), float(xy[k, 1])
        msg = check_lonlat(x, y) or "coordinates out of range"
        vi = f"{label}đỉnh {k + 1}: tọa độ ({x!r}, {y!r}) nằm ngoài khoảng kinh độ ±180° / vĩ độ ±90°"
        if abs(x) > 1000 or abs(y) > 1000:
            vi += "; có vẻ là mét của một hệ tọa độ phẳng (như VN-2000 TM-3), không phải độ: cho biết hệ tọa độ " \
                  "(crs='EPSG:9205' …)"
        if check_lonlat(y, x) is None and abs(y) > 90:
            msg += f"; read as (longitude, latitude) = ({y!r}, {x!r}) it would be valid: latitude and longitude " \
                   "look swapped (GeoJSON and CSV lon/lat columns are longitude first)"
            vi += f"; đọc là (kinh độ, vĩ độ) = ({y!r}, {x!r}) thì hợp lệ: vĩ độ và kinh độ có vẻ bị đổi chỗ " \
                  "(GeoJSON và các cột lon/lat ghi kinh độ trước)"
        probs.add(number, "geometry", None, f"{label}vertex {k + 1}: {msg}", en=f"{label}vertex {k + 1}: {msg}",
                  vi=vi)
        return None
    return geom


def _area_message(label: str, k: int, given: np.ndarray, lonlat: np.ndarray, crs: object) -> str:
    return (f"{label}vertex {k + 1}: ({float(given[0])!r}, {float(given[1])!r}) in {as_crs(crs).name} is "
            f"({float(lonlat[0]):.5f}, {float(lonlat[1]):.5f}) in WGS 84, outside the area of use of "
            f"{area_text(crs)}; are the coordinates in another CRS or unit (degrees given as metres, or metres "
            "as degrees)?")


def to_points(raw: Raw, idx: list[int], xs: list[float], ys: list[float], crs: object, col: str | None) -> None:
    """Convert coordinates to WGS 84 points into ``raw.geoms[idx]``; a point off the earth or out of the CRS's
    area of use is a problem of its row.
    """
    src = crs if crs is not None else WGS84
    lon_a, lat_a = to_wgs84(np.array(xs), np.array(ys), src)
    converted = not as_crs(src).equals(WGS84)
    for k, x, y, lo, la in zip(idx, xs, ys, lon_a, lat_a, strict=True):
        msg = check_lonlat(float(lo), float(la))
        if msg:
            add(raw.problems, raw.numbers[k], col, None, "after_conversion", crs=as_crs(src).name, x=x, y=y,
                detail=msg)
        elif converted and outside_area_of_use(np.array([lo]), np.array([la]), src) is not None:
            add(raw.problems, raw.numbers[k], col, None, "outside_area", crs=as_crs(src).name, x=x, y=y,
                lon=float(lo), lat=float(la), detail=_area_message("", 0, np.array([x, y]), np.array([lo, la]),
                                                                    src).replace("vertex 1: ", ""))
        else:
            raw.geoms[k] = shapely.Point(float(lo), float(la))
