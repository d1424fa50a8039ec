"""Writers that never leave a half-written file."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from ..crs import WGS84
from .common import plain_value


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success rename it onto ``dest``, on failure delete it.

    The temporary file is in the same folder, so the rename is atomic on the same file system: readers see
    either the old file or the complete new one, never half of it. See :func:`bien_gioi_geo.outputs.atomic_file`
    (naming of the temporary file, lock, clean-up after a killed run, :class:`OutputError` on failure).
    """
    from ..outputs import atomic_file

    with atomic_file(dest) as tmp:
        yield tmp


def _jsonable(v: object) -> object:
    v = plain_value(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def write_geojson(gdf: gpd.GeoDataFrame, dest: str | os.PathLike[str], *, properties: dict[str, Any] | None = None,
                  precision: int = 7) -> Path:
    """Write ``gdf`` as an RFC 7946 GeoJSON FeatureCollection (WGS 84), atomically and deterministically.

    List columns (such as ``markers``) are written as JSON arrays; dates as ISO text. Keys are written in
    column order and coordinates rounded to ``precision`` decimals (1e-7° ≈ 1 cm), so the same data always
    gives the same bytes.
    """
    if gdf.crs is not None and not pyproj.CRS(gdf.crs).equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    feats = []
    for rec, geom in zip(gdf[cols].to_dict("records"), gdf.geometry, strict=True):
        g = None
        if geom is not None and not geom.is_empty:
            g = json.loads(shapely.to_geojson(geom))
            g = _round_coords(g, precision)
        feats.append({"type": "Feature", "properties": {k: _jsonable(v) for k, v in rec.items()}, "geometry": g})
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    if properties:
        doc.update(properties)
    doc["features"] = feats
    from ..outputs import json_surrogates  # a lone surrogate in a name stays a JSON escape

    with atomic_path(dest) as tmp:
        tmp.write_text(json_surrogates(json.dumps(doc, ensure_ascii=False, indent=None, separators=(",", ":")))
                       + "\n", encoding="utf-8")
    return Path(dest)


def _round_coords(g: dict[str, Any], precision: int) -> dict[str, Any]:
    def r(c: Any) -> Any:
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(x), precision) for x in c]
        return [r(x) for x in c]

    if "coordinates" in g:
        g["coordinates"] = r(g["coordinates"])
    if "geometries" in g:
        g["geometries"] = [_round_coords(x, precision) for x in g["geometries"]]
    return g
