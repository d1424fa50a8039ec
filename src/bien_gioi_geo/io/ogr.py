"""GeoPackage, Shapefile and other OGR formats (through pyogrio) read as a raw table."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import as_crs
from ..errors import CRSError, InputError
from .common import plain_value, suffix_of
from .geometry import feature_label, geom_to_wgs84
from .problems import Problems, Raw


def raw_ogr(p: Path, *, crs: object, layer: str | None) -> Raw:
    """A layer of an OGR data source (GeoPackage, Shapefile…) as a raw table, geometries in WGS 84."""
    import pyogrio

    name = p.name
    try:
        with warnings.catch_warnings():
            # Z and M are dropped below (force_2d); GDAL's warning about M would only repeat that.
            warnings.filterwarnings("ignore", message="Measured \\(M\\) geometry types", category=UserWarning)
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own warnings; errors are raised below
            gdf = pyogrio.read_dataframe(p, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"{name}: cannot read {'layer ' + repr(layer) + ' of ' if layer else ''}the file: {exc}")\
            from None
    except Exception as exc:  # GDAL surfaces many error types; never let one escape raw
        raise InputError(f"{name}: cannot read the file: {exc}") from None
    file_crs = gdf.crs
    if file_crs is None:
        if crs is None:
            if len(gdf) and "geometry" in gdf and gdf.geometry.notna().any():
                hint = "a Shapefile without .prj" if suffix_of(p) == ".shp" else "a layer without a CRS"
                raise CRSError(f"{name}: {hint}; state the CRS, e.g. crs='EPSG:4326' (lon/lat) or "
                               "crs='EPSG:9205' (VN-2000 TM-3 103°)")
        src: object = crs
    else:
        if crs is not None and not as_crs(crs).equals(file_crs):
            raise CRSError(f"{name}: the file's CRS is {file_crs.to_string()!r} but crs={crs!r} was given")
        src = file_crs
    probs = Problems(name, "feature")
    records: list[dict[str, Any]] = []
    geoms: list[BaseGeometry | None] = []
    cols = [c for c in gdf.columns if c != gdf.geometry.name] if isinstance(gdf, gpd.GeoDataFrame) else list(gdf)
    values = gdf[cols].to_dict("records")
    geom_values = list(gdf.geometry) if isinstance(gdf, gpd.GeoDataFrame) else [None] * len(gdf)
    for i, (rec, geom) in enumerate(zip(values, geom_values, strict=True)):
        number = i + 1
        clean = {k: plain_value(v) for k, v in rec.items()}
        if geom is not None:
            geom = shapely.force_2d(geom)
            geom = geom_to_wgs84(geom, src, probs, number, feature_label(clean))
        records.append(clean)
        geoms.append(geom)
    return Raw(name, "feature", records, geoms, list(range(1, len(records) + 1)), probs)
