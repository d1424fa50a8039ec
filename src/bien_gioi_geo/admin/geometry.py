"""Resolving a divided commune by geometry: which of the new communes holds a stretch.

A name lookup cannot say which part of a divided commune a stretch lies in. Where the user gives the current
communes as polygons (or as centroid points) and the row has a position — a drawn line, a point, or a stretch given
by chainage on a border — the position decides:

* polygons: the stretch's midpoint lies in exactly one candidate's polygon (communes do not overlap, so this is
  conclusive even when the other candidates' polygons are missing);
* centroids: every candidate has a centroid and the midpoint is at most half as far (geodesic) from the nearest
  as from the next — otherwise the row stays ``split``.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from .names import TYPE_WORDS, yi_key

__all__ = ["row_points", "resolve_split", "CENTROID_MARGIN"]

WGS84 = "EPSG:4326"
_GEOD = Geod(ellps="WGS84")
#: a centroid decides only when the nearest candidate is at most this fraction of the next one's distance
CENTROID_MARGIN = 0.5


def _midpoint(geom: BaseGeometry | None) -> BaseGeometry | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return geom
    if geom.geom_type in ("LineString", "MultiLineString"):
        merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        if merged.geom_type == "LineString":
            return shapely.line_interpolate_point(merged, 0.5, normalized=True)
    return geom.representative_point()


def row_points(frame: pd.DataFrame, *, border: Any = None, dataset: Any = None) -> list[BaseGeometry | None]:
    """The position of each row: the midpoint of its stretch (by chainage on ``dataset``'s or ``border``'s line,
    else of its drawn geometry), a point row itself; ``None`` where there is none (WGS 84).
    """
    out: list[BaseGeometry | None] = [None] * len(frame)
    if dataset is not None:
        from ..analysis.coverage import resolve_intervals

        iv = resolve_intervals(dataset)
        for i, (s, e, bid) in enumerate(zip(iv["start_km"], iv["end_km"], iv["border_id"], strict=True)):
            if np.isfinite(s) and np.isfinite(e) and bid in dataset.borders:
                out[i] = dataset.borders[bid].point_at((s + e) / 2.0)
        return out
    geoms = None
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        g = frame.geometry
        geoms = (g.to_crs(WGS84) if g.crs is not None and not g.crs.equals(WGS84) else g).tolist()
    starts = frame["start_km"].tolist() if border is not None and "start_km" in frame else None
    ends = frame["end_km"].tolist() if border is not None and "end_km" in frame else None
    for i in range(len(frame)):
        if starts is not None and ends is not None and pd.notna(starts[i]) and pd.notna(ends[i]):
            out[i] = border.point_at((float(starts[i]) + float(ends[i])) / 2.0)
        elif geoms is not None:
            out[i] = _midpoint(geoms[i])
    return out


def _short(name: str) -> str:
    for word in TYPE_WORDS:
        if name.startswith(word + " "):
            return name[len(word) + 1:]
    return name


def _unit_index(units: gpd.GeoDataFrame, name: str) -> dict[str, list[BaseGeometry]]:
    if not isinstance(units, gpd.GeoDataFrame):
        raise InputError("units must be a GeoDataFrame of the current communes (polygons or centroid points)")
    if name not in units:
        raise InputError(f"units have no column {name!r} (the current commune names); "
                         f"columns: {', '.join(map(str, units.columns))}")
    g = units.geometry
    if g.crs is None:
        raise InputError("units have no CRS; set one, e.g. units.set_crs('EPSG:4326')")
    g = g.to_crs(WGS84) if not g.crs.equals(WGS84) else g
    idx: dict[str, list[BaseGeometry]] = {}
    for n, geom in zip(units[name].tolist(), g.tolist(), strict=True):
        if isinstance(n, str) and geom is not None and not geom.is_empty:
            idx.setdefault(yi_key(_short(n)), []).append(geom)
    return idx


def resolve_split(point: BaseGeometry | None, candidates: list[str], index: dict[str, list[BaseGeometry]]
                  ) -> tuple[str | None, str]:
    """Pick the candidate (a current commune's full name) holding ``point``, or ``None`` with the reason.

    Returns ``(name, how)`` where ``how`` is ``"polygon"``, ``"centroid"``, or why nothing was decided:
    ``"no_position"``, ``"no_units"``, ``"outside"`` (in no or several candidate polygons), ``"too_close"``.
    """
    if point is None:
        return None, "no_position"
    geoms = {c: index.get(yi_key(_short(c)), []) for c in candidates}
    if not any(geoms.values()):
        return None, "no_units"
    areal = {c: [g for g in gs if g.geom_type in ("Polygon", "MultiPolygon")] for c, gs in geoms.items()}
    if any(areal.values()):
        inside = [c for c, gs in areal.items() if any(g.covers(point) for g in gs)]
        return (inside[0], "polygon") if len(inside) == 1 else (None, "outside")
    if not all(geoms.values()):
        return None, "no_units"
    dist = sorted((min(_GEOD.inv(point.x, point.y, g.x, g.y)[2] for g in gs), c) for c, gs in geoms.items())
    if len(dist) == 1 or dist[0][0] <= CENTROID_MARGIN * dist[1][0]:
        return dist[0][1], "centroid"
    return None, "too_close"


def unit_index(units: gpd.GeoDataFrame | None, name: str) -> dict[str, list[BaseGeometry]]:
    """Index the user's current-commune geometries by name key (empty when no units were given)."""
    return {} if units is None else _unit_index(units, name)
