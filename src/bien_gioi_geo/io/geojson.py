"""A strict GeoJSON (RFC 7946) parser that reports problems by feature number.

GDAL and pyogrio are lenient about malformed GeoJSON and report problems as tracebacks or silently skip
features. Border data must not lose a marker quietly, so GeoJSON is parsed here with :mod:`json` and checked
member by member; every problem is attached to the 1-based feature number it came from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import WGS84, as_crs
from ..errors import CRSError, InputError
from ..text import read_text, short_repr
from .geometry import feature_label, geom_to_wgs84
from .problems import Problems, Raw

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection")
# Depth of nesting of "coordinates" for each type: Point = a position (depth 1), LineString = list of
# positions (2), Polygon = list of rings (3), MultiPolygon (4).
#: Deepest nesting of GeometryCollections accepted (GEOS and Python recurse on it; real data nests 1 deep).
MAX_COLLECTION_DEPTH = 8
#: Most positions accepted in one geometry (a detailed national border has a few hundred thousand).
MAX_POSITIONS = 5_000_000
_DEPTH = {"Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}


@dataclass
class RawFeature:
    """One feature as read: its 1-based number, properties, geometry (or None) and its problems."""

    number: int
    properties: dict[str, Any]
    geometry: BaseGeometry | None
    problems: list[tuple[str | None, object, str]] = field(default_factory=list)  # (field, value, message)


@dataclass
class RawCollection:
    """The features of one GeoJSON file and its (legacy) declared CRS, if any."""

    features: list[RawFeature]
    crs: str | None


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def reject_constant(name: str) -> float:
    """Refuse ``NaN``/``Infinity`` in JSON (``parse_constant`` of :func:`json.loads`)."""
    raise ValueError(f"{name} is not valid JSON (JSON has no NaN or Infinity)")


def load(path: Path) -> RawCollection:
    """Read and check a GeoJSON file. File-level problems raise :class:`InputError`; feature-level problems
    are returned on each :class:`RawFeature`.
    """
    name = path.name
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{name}: the file is empty; expected a GeoJSON FeatureCollection")
    try:
        root = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=reject_constant)
    except _DuplicateKey as exc:
        raise InputError(f"{name}: the key {exc.args[0]!r} appears twice in one object; JSON keys must be unique")\
            from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply (GeoJSON nests at most 6 arrays deep)") from None
    except MemoryError:
        raise InputError(f"{name}: the file is too large to read into memory") from None
    if not isinstance(root, dict):
        raise InputError(f"{name}: the top level is a JSON {type(root).__name__}; expected a GeoJSON object "
                         "with \"type\": \"FeatureCollection\"")
    typ = root.get("type")
    crs = _legacy_crs(root, name)
    if typ == "FeatureCollection":
        feats = root.get("features")
        if "features" not in root:
            raise InputError(f"{name}: FeatureCollection has no \"features\" member")
        if not isinstance(feats, list):
            raise InputError(f"{name}: \"features\" is a JSON {type(feats).__name__}; expected a list")
        return RawCollection([_feature(f, i + 1) for i, f in enumerate(feats)], crs)
    if typ == "Feature":
        return RawCollection([_feature(root, 1)], crs)
    if typ in GEOMETRY_TYPES:
        feat = RawFeature(1, {}, None)
        try:
            feat.geometry = _geometry(root)
        except (ValueError, RecursionError) as exc:
            feat.problems.append(("geometry", None, str(exc)))
        return RawCollection([feat], crs)
    if isinstance(typ, str) and typ.casefold() in {t.casefold() for t in (*GEOMETRY_TYPES, "Feature",
                                                                         "FeatureCollection")}:
        raise InputError(f"{name}: \"type\" is {typ!r}; GeoJSON types are case-sensitive (e.g. 'FeatureCollection')")
    raise InputError(f"{name}: \"type\" is {typ!r}; expected 'FeatureCollection', 'Feature' or a geometry type")


def _legacy_crs(root: dict[str, Any], name: str) -> str | None:
    """The pre-RFC 7946 ``crs`` member, honoured as GDAL does (``{"type": "name", "properties": {"name": ..}}``)."""
    if "crs" not in root or root["crs"] is None:
        return None
    crs = root["crs"]
    try:
        value = crs["properties"]["name"]
        if crs.get("type") != "name" or not isinstance(value, str):
            raise TypeError
    except (TypeError, KeyError, AttributeError):
        raise InputError(f"{name}: the legacy \"crs\" member {crs!r} is not of the form "
                         "{\"type\": \"name\", \"properties\": {\"name\": \"EPSG:…\"}}") from None
    if value.upper().endswith("CRS84") or value.upper().replace("::", ":").endswith("EPSG:4326"):
        return None
    return value


def _feature(obj: object, number: int) -> RawFeature:
    feat = RawFeature(number, {}, None)
    if not isinstance(obj, dict):
        feat.problems.append((None, obj, f"is a JSON {type(obj).__name__}; expected a Feature object"))
        return feat
    if obj.get("type") != "Feature":
        feat.problems.append(("type", obj.get("type"), "expected \"type\": \"Feature\""))
        return feat
    props = obj.get("properties", None)
    if props is None:
        props = {}
    if not isinstance(props, dict):
        feat.problems.append(("properties", props, "expected an object of properties or null"))
        props = {}
    feat.properties = dict(props)
    if "id" in obj and obj["id"] is not None and not isinstance(obj["id"], (str, int, float)):
        feat.problems.append(("id", obj["id"], "a feature id must be a string or a number"))
    if "geometry" not in obj:
        feat.problems.append(("geometry", None, "the feature has no \"geometry\" member (use null for none)"))
        return feat
    geom = obj["geometry"]
    if geom is None:
        return feat
    try:
        feat.geometry = _geometry(geom)
    except RecursionError:
        feat.problems.append(("geometry", None, "the geometry is nested too deeply"))
    except ValueError as exc:
        feat.problems.append(("geometry", None, str(exc)))
    return feat


def _geometry(obj: object, level: int = 0) -> BaseGeometry:
    if level > MAX_COLLECTION_DEPTH:
        raise ValueError(f"GeometryCollections nested more than {MAX_COLLECTION_DEPTH} deep; this is not a "
                         "geometry this library reads")
    if not isinstance(obj, dict):
        raise ValueError(f"geometry is a JSON {type(obj).__name__}; expected a geometry object")
    typ = obj.get("type")
    if typ not in GEOMETRY_TYPES:
        raise ValueError(f"geometry type {typ!r} is not a GeoJSON geometry type ({', '.join(GEOMETRY_TYPES)})")
    if "bbox" in obj:
        bbox = obj["bbox"]
        if not isinstance(bbox, list) or len(bbox) not in (4, 6) or not all(_is_number(v) for v in bbox):
            raise ValueError(f"bbox {bbox!r} must be a list of 4 or 6 numbers")
    if typ == "GeometryCollection":
        geoms = obj.get("geometries")
        if not isinstance(geoms, list):
            raise ValueError("a GeometryCollection needs a \"geometries\" list")
        parts = [_geometry(g, level + 1) for g in geoms]
        return shapely.geometrycollections(parts) if parts else shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    if "coordinates" not in obj:
        raise ValueError(f"{typ} has no \"coordinates\" member")
    coords = obj["coordinates"]
    _check_depth(coords, _DEPTH[typ], typ)
    n_positions = _count_positions(coords, _DEPTH[typ])
    if n_positions > MAX_POSITIONS:
        raise ValueError(f"{typ} has {n_positions:,} positions, more than this library reads ({MAX_POSITIONS:,})")
    if typ in ("LineString",):
        _check_line(coords, typ)
    elif typ == "MultiLineString":
        for part in coords:
            _check_line(part, typ)
    elif typ == "Polygon":
        _check_polygon(coords)
    elif typ == "MultiPolygon":
        for poly in coords:
            _check_polygon(poly)
    try:
        geom = shapely.geometry.shape({"type": typ, "coordinates": coords})
    except Exception as exc:  # shapely/GEOS raise several types; report as a geometry problem
        raise ValueError(f"{typ} coordinates cannot be built into a geometry ({exc})") from None
    return shapely.force_2d(geom)


def _is_number(v: object) -> bool:
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer beyond float range, e.g. 10**400
        return False


def _count_positions(coords: list[Any], depth: int) -> int:
    if depth == 1:
        return 1
    if depth == 2:
        return len(coords)
    return sum(_count_positions(c, depth - 1) for c in coords)


def _check_depth(coords: object, depth: int, typ: str) -> None:
    if depth == 1:
        if not isinstance(coords, list):
            raise ValueError(f"{typ} position {short_repr(coords)} must be a list of numbers [longitude, latitude]")
        if len(coords) == 0 and typ == "Point":
            raise ValueError("Point has an empty position; expected [longitude, latitude]")
        if not 2 <= len(coords) <= 3:
            raise ValueError(f"position {short_repr(coords)} has {len(coords)} numbers; expected [longitude, latitude] "
                             "or [longitude, latitude, elevation]")
        if not all(_is_number(v) for v in coords):
            raise ValueError(f"position {short_repr(coords)} must hold finite numbers only")
        return
    if not isinstance(coords, list):
        raise ValueError(f"{typ} coordinates {short_repr(coords)} are not nested {depth} lists deep as {typ} requires")
    for c in coords:
        _check_depth(c, depth - 1, typ)


def _check_line(coords: list[Any], typ: str) -> None:
    if len(coords) < 2:
        raise ValueError(f"{typ} has {len(coords)} position(s); a line needs at least 2")


def _check_polygon(rings: list[Any]) -> None:
    for k, ring in enumerate(rings):
        if len(ring) < 4:
            raise ValueError(f"Polygon ring {k + 1} has {len(ring)} positions; a ring needs at least 4")
        if ring[0][:2] != ring[-1][:2]:
            raise ValueError(f"Polygon ring {k + 1} is not closed (first {ring[0]!r} ≠ last {ring[-1]!r})")


def raw_geojson(p: Path, *, crs: object) -> Raw:
    """A GeoJSON file as a raw table, geometries in WGS 84."""
    coll = load(p)
    probs = Problems(p.name, "feature")
    declared = None if coll.crs is None else as_crs(coll.crs, what=f"{p.name}: the file's \"crs\" member")
    if declared is not None and crs is not None and not declared.equals(as_crs(crs)):
        raise CRSError(f"{p.name}: the file declares crs {coll.crs!r} but crs={crs!r} was given")
    src = crs if crs is not None else declared
    if crs is not None and declared is None and not as_crs(crs).equals(WGS84):
        probs.note(f"crs={crs!r} applied to the coordinates; GeoJSON (RFC 7946) is WGS 84 unless the file says "
                   "otherwise, so check that the file really is in that CRS")
    records, geoms, numbers = [], [], []
    for f in coll.features:
        for fld, val, msg in f.problems:
            probs.add(f.number, fld, val, msg)
        geom = f.geometry
        if geom is not None and not f.problems:
            geom = geom_to_wgs84(geom, src, probs, f.number, feature_label(f.properties))
        records.append({str(k): v for k, v in f.properties.items()})
        geoms.append(geom)
        numbers.append(f.number)
    return Raw(p.name, "feature", records, geoms, numbers, probs)
