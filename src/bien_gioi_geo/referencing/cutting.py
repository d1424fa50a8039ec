"""Cutting a line: the point at a chainage and the stretch between two chainages, exact on the geodesics.

Rules: chainages are clamped to ``[0, length]``; ``a > b`` gives the stretch from ``a`` back to ``b``; ``a == b``
gives a Point; NaN gives an empty geometry; a stretch across a gap between parts gives a MultiLineString; a
chainage exactly at a gap belongs to the following part in :func:`.geodesy.position` and to its own part at the
ends of a cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .geodesy import EQUAL_M, GEOD, Layout, Segments, position

__all__ = ["cut_many", "cut_one", "point_in_part"]


def cut_many(parts: Sequence[np.ndarray], seg: Segments, layout: Layout, a_km: np.ndarray,
             b_km: np.ndarray) -> np.ndarray:
    """Vectorised :func:`cut_one` for a one-part line (same rules)."""
    n = len(a_km)
    out = np.empty(n, dtype=object)
    nan = np.isnan(a_km) | np.isnan(b_km)
    out[nan] = shapely.from_wkt("LINESTRING EMPTY")
    total = float(seg.length.sum())
    a = np.clip(np.where(nan, 0.0, a_km) * 1000.0, 0.0, total)
    b = np.clip(np.where(nan, 0.0, b_km) * 1000.0, 0.0, total)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    lon0, lat0, _ = position(seg, lo)
    lon1, lat1, _ = position(seg, hi)
    point = ~nan & (lo == hi)
    out[point] = shapely.points(lon0[point], lat0[point])
    line = np.flatnonzero(~nan & (lo < hi))
    if len(line):
        vch = layout.vertex_m[0]
        p = parts[0]
        i0 = np.searchsorted(vch, lo[line] + EQUAL_M, side="right")
        i1 = np.maximum(np.searchsorted(vch, hi[line] - EQUAL_M, side="left"), i0)
        inner = i1 - i0
        count = inner + 2
        first = np.concatenate([[0], np.cumsum(count)[:-1]])
        coords = np.empty((int(count.sum()), 2))
        coords[first] = np.column_stack([lon0[line], lat0[line]])
        coords[first + count - 1] = np.column_stack([lon1[line], lat1[line]])
        k = np.arange(int(inner.sum())) - np.repeat(np.cumsum(inner) - inner, inner)
        coords[np.repeat(first + 1, inner) + k] = p[np.repeat(i0, inner) + k]
        geoms = shapely.linestrings(coords, indices=np.repeat(np.arange(len(line)), count))
        rev = a[line] > b[line]
        if rev.any():
            geoms[rev] = shapely.reverse(geoms[rev])
        out[line] = geoms
    return out

def cut_one(parts: Sequence[np.ndarray], seg: Segments, layout: Layout, a_km: float, b_km: float) -> BaseGeometry:
    """The stretch between chainages ``a_km`` and ``b_km`` (see :meth:`Border.cut` for the rules)."""
    if math.isnan(a_km) or math.isnan(b_km):
        return shapely.from_wkt("LINESTRING EMPTY")
    total = float(seg.length.sum())
    a = min(max(a_km * 1000.0, 0.0), total)
    b = min(max(b_km * 1000.0, 0.0), total)
    if a == b:
        lon, lat, _ = position(seg, np.array([a]))
        return shapely.Point(lon[0], lat[0])
    reverse = a > b
    lo, hi = (b, a) if reverse else (a, b)
    pieces = []
    for k, p in enumerate(parts):
        vch = layout.vertex_m[k]
        p0, p1 = vch[0], vch[-1]
        if p1 <= lo or p0 >= hi or p1 == p0:
            continue
        s0, s1 = max(lo, p0), min(hi, p1)
        if s1 <= s0:
            continue
        # vertices strictly inside (s0, s1): a slice of the part, found by binary search
        i0 = int(np.searchsorted(vch, s0 + EQUAL_M, side="right"))
        i1 = int(np.searchsorted(vch, s1 - EQUAL_M, side="left"))
        start = point_in_part(seg, layout, k, s0)
        end = point_in_part(seg, layout, k, s1)
        coords = np.vstack([start, p[i0:i1], end])
        pieces.append(coords[::-1] if reverse else coords)
    if not pieces:
        lon, lat, _ = position(seg, np.array([lo]))
        return shapely.Point(lon[0], lat[0])
    if reverse:
        pieces = pieces[::-1]
    if len(pieces) == 1:
        return shapely.LineString(pieces[0])
    return shapely.MultiLineString([shapely.LineString(c) for c in pieces])


def point_in_part(seg: Segments, layout: Layout, k: int, m: float) -> np.ndarray:
    """Position at chainage ``m`` (metres) restricted to part ``k`` (so a gap end belongs to its own part)."""
    vch, first = layout.vertex_m[k], int(layout.first[k])
    j = first + int(np.clip(np.searchsorted(vch, m, side="right") - 1, 0, len(vch) - 2))
    d = m - seg.start[j]
    if d <= EQUAL_M:
        return np.array([seg.ax[j], seg.ay[j]])
    if d >= seg.length[j] - EQUAL_M:
        return np.array([seg.bx[j], seg.by[j]])
    lon, lat, _ = GEOD.fwd(seg.ax[j], seg.ay[j], seg.az[j], d)
    return np.array([lon, lat])
