"""Geodesic linear referencing on an oriented border line.

A :class:`Border` is built once from a LineString or MultiLineString in WGS 84 and answers three questions fast:

* **where along the line** a point lies (:meth:`Border.locate`): chainage (km from the start), signed offset
  (m, positive on the left of the direction of travel) and the side's country;
* **which point** lies at a chainage (:meth:`Border.point_at`);
* **which stretch** lies between two chainages (:meth:`Border.cut`).

The model
    Segments between vertices are geodesics on the WGS 84 ellipsoid (as in PostGIS ``geography``); every length is
    a geodesic length computed by pyproj's :class:`~pyproj.Geod` (GeographicLib), never degrees and never a grid
    length. Parts of a MultiLineString are kept in order; the gap between two parts has zero chainage length and
    is never bridged: a cut across a gap gives a MultiLineString.

Locating
    The line is drawn in a local transverse Mercator frame (conformal: nearest stays nearest) and cut into pieces of
    at most 100 m; a k-d tree (scipy) holds each piece's middle point. The nearest piece middle (distance ``r0``)
    bounds the distance to the line, and every point of the nearest segment is within 50 m of some piece middle,
    so the segments of the pieces within ``r0 + 50 m + ambiguity_m`` contain the nearest one and every nearly-nearest
    one; their planar distances keep the nearest (ties at joints included). Points so far away that more pieces are
    in reach than the query returned go through an STRtree of the segments instead (exact, slower). Each kept
    segment AB is then measured geodesically: the point P is measured from A by the geodesic inverse problem:
    distance ``s`` and azimuth difference ``θ = az(A→P) − az(A→B)``; the along-segment distance is ``s·cos θ``
    and the offset ``s·sin θ`` (an azimuthal-equidistant frame centred on A, in which the geodesic AB is exactly
    the straight ray at its azimuth). A point *on* the geodesic has θ = 0, so its chainage is exact to
    GeographicLib's precision (nanometres) however long the segment. Off the line, the error of the foot of the
    perpendicular grows like ``offset² · s / R²`` — under 1 mm for offsets below 1 km on segments below 100 km.
    A point nearest to a vertex lies outside the bend there, so its side is the outer side of the turn.

Edge-case rules (written down because linear-referencing libraries disagree)
    * chainage outside ``[0, length]`` is **clamped** to the nearest end in :meth:`point_at` and :meth:`cut`
      (as shapely's ``interpolate``/``substring`` and turf's ``along`` do); :func:`bien_gioi_geo.validate` reports
      out-of-range stretches separately (rule ``out_of_range``);
    * ``cut(a, b)`` with ``a > b`` returns the stretch from ``a`` back to ``b`` (reversed direction), as shapely's
      ``substring``; ``cut(a, a)`` returns a Point;
    * a chainage exactly at a gap between parts belongs to the *following* part in :meth:`point_at`;
    * points far from the line are located at their nearest point (an end, when beyond the ends), and the
      distance is reported, never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from .crs import WGS84, as_crs, to_wgs84
from .errors import ReferencingError

__all__ = ["Border", "Calibration", "GEOD"]

#: The WGS 84 ellipsoid, for every length in the library.
GEOD = pyproj.Geod(ellps="WGS84")
_EQUAL_M = 1e-9  # positions closer than this along a segment are the vertex itself
_LONG_SEGMENT_M = 50_000.0  # segments longer than this are candidates for every point (their TM image bends)
_CHUNK = 250_000  # points per batch in locate (bounds memory)
_BRUTE_FORCE_SEGMENTS = 16  # up to this many segments, measuring all of them beats building an index
_SAMPLE_SPACING_M = 100.0  # length of the line pieces whose middle points the k-d tree holds (TM metres)
_MAX_SAMPLES = 2_000_000  # the spacing grows for very long lines to keep the index below this size
_K_SAMPLES = 8  # pieces looked at per point before falling back to the STRtree
_WORKERS = -1  # threads for the k-d query (-1: all cores); bien_gioi_geo.referencing._WORKERS = 1 for one


# --------------------------------------------------------------------------------------------------- calibration
@dataclass(frozen=True)
class Calibration:
    """A piecewise-linear map from measured chainage to official chainage (route calibration).

    ``measured_km`` and ``official_km`` are matching control points, both strictly increasing. Between control
    points chainage is interpolated linearly; beyond the first/last control point the nearest section's scale is
    extended. ``source`` says where the control points came from.

    Examples
    --------
    >>> c = Calibration((0.0, 93.523), (0.0, 97.229), "official length")
    >>> round(float(c.to_official(46.7615)), 4)
    48.6145
    >>> float(c.to_measured(97.229))
    93.523
    """

    measured_km: tuple[float, ...]
    official_km: tuple[float, ...]
    source: str

    def __post_init__(self) -> None:
        m = np.asarray(self.measured_km, dtype=float)
        o = np.asarray(self.official_km, dtype=float)
        if m.shape != o.shape or m.size < 2:
            raise ReferencingError("calibration needs at least two (measured_km, official_km) control points")
        if not (np.isfinite(m).all() and np.isfinite(o).all()):
            raise ReferencingError("calibration control points must be finite numbers")
        if (np.diff(m) <= 0).any():
            k = int(np.flatnonzero(np.diff(m) <= 0)[0])
            raise ReferencingError(
                f"calibration control points must increase along the line: measured {m[k]!r} km is followed by "
                f"{m[k + 1]!r} km (are the markers in order and the border oriented?)")
        if (np.diff(o) <= 0).any():
            k = int(np.flatnonzero(np.diff(o) <= 0)[0])
            raise ReferencingError(
                f"official chainages must increase along the line: {o[k]!r} km is followed by {o[k + 1]!r} km")

    @staticmethod
    def _interp(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
        y = np.interp(x, xp, fp)
        lo = x < xp[0]
        hi = x > xp[-1]
        if lo.any():
            y[lo] = fp[0] + (x[lo] - xp[0]) * (fp[1] - fp[0]) / (xp[1] - xp[0])
        if hi.any():
            y[hi] = fp[-1] + (x[hi] - xp[-1]) * (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
        return y

    def to_official(self, measured_km: Any) -> Any:
        """Official chainage (km) for measured chainage(s) (km)."""
        x = np.atleast_1d(np.asarray(measured_km, dtype=float))
        y = self._interp(x, np.asarray(self.measured_km), np.asarray(self.official_km))
        return y if np.ndim(measured_km) else y[0]

    def to_measured(self, official_km: Any) -> Any:
        """Measured chainage (km) for official chainage(s) (km)."""
        x = np.atleast_1d(np.asarray(official_km, dtype=float))
        y = self._interp(x, np.asarray(self.official_km), np.asarray(self.measured_km))
        return y if np.ndim(official_km) else y[0]


def _ambiguity(owner: np.ndarray, dist: np.ndarray, chain_m: np.ndarray, dmin: np.ndarray, chosen_m: np.ndarray,
               ambiguity_m: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Flag points with another candidate almost as near (within ``ambiguity_m``) but far along the line.

    ``owner``, ``dist`` and ``chain_m`` describe candidates (point index, distance m, chainage m); ``dmin`` and
    ``chosen_m`` are each point's nearest distance and chosen chainage. "Far along the line" means farther than the
    way round through the two feet (``2 (d + dmin) + ambiguity_m``), so a corner never counts, a meander does.
    Returns the flags and, for flagged points, the farthest such alternative chainage (km).
    """
    jump = (dist <= dmin[owner] + ambiguity_m) & (
        np.abs(chain_m - chosen_m[owner]) > 2.0 * (dist + dmin[owner]) + ambiguity_m)
    amb = np.zeros(n, dtype=bool)
    alt = np.full(n, np.nan)
    if jump.any():
        ji = np.flatnonzero(jump)
        amb[owner[ji]] = True
        far = np.abs(chain_m[ji] - chosen_m[owner[ji]])
        ji = ji[np.lexsort((-far, owner[ji]))]
        keep = np.concatenate([[True], owner[ji][1:] != owner[ji][:-1]])
        alt[owner[ji[keep]]] = chain_m[ji[keep]] / 1000.0
    return amb, alt


# --------------------------------------------------------------------------------------------------- border
def _parts_of(geometry: Any, crs: object) -> tuple[list[np.ndarray], dict[str, Any]]:
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


class Border:
    """An oriented border line with geodesic chainage, built once and queried many times.

    Parameters
    ----------
    geometry
        LineString or MultiLineString (parts in order), or a GeoSeries/GeoDataFrame of them (rows in order;
        a GeoDataFrame's ``official_length_km``/``left``/``right``/``name`` columns are used when the keywords are
        not given).
    crs
        CRS of ``geometry`` when it is not a GeoSeries/GeoDataFrame with its own (default WGS 84).
    official_length_km
        The official length of this stretch (e.g. 97.229 for Phong Thổ). When given, chainages are also reported
        calibrated to it (see :meth:`calibrated`).
    left, right
        ISO country codes of the sides, seen along the direction of chainage.
    name
        A label for messages and maps.

    Examples
    --------
    >>> from shapely import LineString
    >>> b = Border(LineString([(105.0, 21.0), (105.0, 21.1), (105.1, 21.1)]), left="CN", right="VN")
    >>> round(b.length_km, 3)    # 11.07 km along the meridian + 10.39 km along 21.1°N
    21.462
    >>> loc = b.locate([(104.99, 21.05), (105.06, 21.09)])
    >>> loc["chainage_km"].round(3).tolist(), loc["offset_m"].round(1).tolist(), loc["side"].tolist()
    ([5.536, 17.306], [1039.4, -1108.0], ['CN', 'VN'])
    """

    __slots__ = ("_parts", "_official_length_km", "_left", "_right", "_name", "_calibration", "__dict__")

    def __init__(self, geometry: Any, *, crs: object = "EPSG:4326", official_length_km: float | None = None,
                 left: str | None = None, right: str | None = None, name: str | None = None,
                 calibration: Calibration | None = None) -> None:
        if isinstance(geometry, Border):
            parts = [p.copy() for p in geometry._parts]
            attrs = {"official_length_km": geometry.official_length_km, "left": geometry.left,
                     "right": geometry.right, "name": geometry.name}
            calibration = calibration or geometry._calibration
        else:
            parts, attrs = _parts_of(geometry, crs)
        for p in parts:
            p.setflags(write=False)
        self._parts: tuple[np.ndarray, ...] = tuple(parts)
        olk = official_length_km if official_length_km is not None else attrs.get("official_length_km")
        if olk is not None:
            olk = float(olk)
            if not (math.isfinite(olk) and olk > 0):
                raise ReferencingError(f"official_length_km must be a positive number, got {olk!r}")
        self._official_length_km = olk
        def text(v: Any) -> str | None:
            return None if v is None else str(v)

        self._left: str | None = left if left is not None else text(attrs.get("left"))
        self._right: str | None = right if right is not None else text(attrs.get("right"))
        self._name: str | None = name if name is not None else text(attrs.get("name", attrs.get("border_id")))
        self._calibration: Calibration | None = calibration

    # ------------------------------------------------------------------ basic facts
    @property
    def name(self) -> str | None:
        """Label of the border."""
        return self._name

    @property
    def left(self) -> str | None:
        """Country code of the left side (seen along increasing chainage)."""
        return self._left

    @property
    def right(self) -> str | None:
        """Country code of the right side."""
        return self._right

    @property
    def official_length_km(self) -> float | None:
        """The official length, if given (km)."""
        return self._official_length_km

    @property
    def n_parts(self) -> int:
        """Number of parts (1 for a LineString)."""
        return len(self._parts)

    @property
    def n_vertices(self) -> int:
        """Number of vertices over all parts."""
        return int(sum(len(p) for p in self._parts))

    @cached_property
    def _seg(self) -> dict[str, np.ndarray]:
        a = np.concatenate([p[:-1] for p in self._parts])
        b = np.concatenate([p[1:] for p in self._parts])
        part = np.concatenate([np.full(len(p) - 1, k) for k, p in enumerate(self._parts)])
        az, back, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        length = np.asarray(length, dtype=float)
        start = np.concatenate([[0.0], np.cumsum(length)[:-1]])
        return {"ax": a[:, 0], "ay": a[:, 1], "bx": b[:, 0], "by": b[:, 1], "part": part,
                "az": np.asarray(az, dtype=float), "azb": (np.asarray(back, dtype=float) + 180.0) % 360.0,
                "len": length, "start": start}

    @cached_property
    def length_m(self) -> float:
        """Geodesic length of the drawn line on WGS 84 (metres); gaps between parts count zero."""
        return float(self._seg["len"].sum())

    @property
    def length_km(self) -> float:
        """Geodesic length of the drawn line on WGS 84 (km); gaps between parts count zero."""
        return self.length_m / 1000.0

    @cached_property
    def part_ranges_km(self) -> list[tuple[float, float]]:
        """Chainage range ``(start_km, end_km)`` of each part; consecutive parts touch (gaps have zero length)."""
        return [(float(v[0] / 1000), float(v[-1] / 1000)) for v, _ in self._part_index]

    @cached_property
    def gaps(self) -> gpd.GeoDataFrame:
        """The gaps between consecutive parts: chainage (km), straight-line width (m) and a connector line."""
        rows = []
        for k in range(self.n_parts - 1):
            a = self._parts[k][-1]
            b = self._parts[k + 1][0]
            width = GEOD.inv(a[0], a[1], b[0], b[1])[2]
            rows.append({"after_part": k, "chainage_km": self.part_ranges_km[k][1], "width_m": float(width),
                         "geometry": shapely.LineString([a, b])})
        return gpd.GeoDataFrame(rows, columns=["after_part", "chainage_km", "width_m", "geometry"],
                                geometry="geometry", crs=WGS84)

    @property
    def geometry(self) -> BaseGeometry:
        """The line as drawn (LineString, or MultiLineString with several parts), WGS 84."""
        if len(self._parts) == 1:
            return shapely.LineString(self._parts[0])
        return shapely.MultiLineString([shapely.LineString(p) for p in self._parts])

    @property
    def vertex_chainage_km(self) -> np.ndarray:
        """Chainage (km) of every vertex, parts in order."""
        return np.concatenate([v for v, _ in self._part_index]) / 1000.0

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        sides = f", left={self.left!r}, right={self.right!r}" if self.left or self.right else ""
        off = f", official {self.official_length_km:g} km" if self.official_length_km else ""
        return (f"<Border{name}: {self.length_km:.3f} km geodesic (WGS 84), {self.n_parts} part(s), "
                f"{self.n_vertices} vertices{off}{sides}>")

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(repr(self))}</pre>"

    # ------------------------------------------------------------------ orientation & calibration
    def reversed(self) -> Border:
        """The same line with its direction (and so left/right) reversed; calibration is dropped."""
        parts = [p[::-1].copy() for p in reversed(self._parts)]
        geom = shapely.MultiLineString([shapely.LineString(p) for p in parts]) if len(parts) > 1 \
            else shapely.LineString(parts[0])
        return Border(geom, official_length_km=self.official_length_km, left=self.right, right=self.left,
                      name=self.name)

    def oriented_by(self, markers: gpd.GeoDataFrame | gpd.GeoSeries, numbers: Iterable[float] | None = None) -> Border:
        """Return this border, or its reverse, so that marker numbers increase along the chainage.

        Parameters
        ----------
        markers
            Marker posts with a ``main_number`` (or ``number``) column, or a GeoSeries with ``numbers`` given.

        Notes
        -----
        The direction is chosen by the sign of the rank correlation between marker number and chainage; a border
        whose numbers do not follow it in either direction (correlation near 0) raises
        :class:`~bien_gioi_geo.errors.ReferencingError`.
        """
        if numbers is None:
            if "main_number" in markers:
                numbers = markers["main_number"].to_numpy(dtype=float) + markers.get(
                    "aux", pd.Series(0, index=markers.index)).to_numpy(dtype=float) / 1000.0
            elif "number" in markers:
                from .schema import parse_marker_id

                ids = [parse_marker_id(n) for n in markers["number"]]
                numbers = [i.main_number + i.aux / 1000.0 for i in ids]
            else:
                raise ReferencingError("oriented_by: markers need a main_number or number column")
        nums = np.asarray(list(numbers), dtype=float)
        if len(nums) < 2:
            raise ReferencingError("oriented_by: need at least two markers to tell the direction")
        ch = self.locate(markers.geometry if hasattr(markers, "geometry") else markers)["chainage_km"].to_numpy()
        r = pd.Series(nums).rank().corr(pd.Series(ch).rank())
        if not np.isfinite(r) or abs(r) < 0.5:
            raise ReferencingError(
                f"oriented_by: marker numbers do not follow the line in either direction (rank correlation "
                f"{r:.2f}); check the markers' positions and numbers")
        return self if r > 0 else self.reversed()

    @property
    def calibration(self) -> Calibration | None:
        """The calibration in force: explicit control points, else the official length, else None."""
        if self._calibration is not None:
            return self._calibration
        if self.official_length_km is not None:
            return Calibration((0.0, self.length_km), (0.0, self.official_length_km), "official length")
        return None

    def calibrated(self, *, official_length_km: float | None = None,
                   control_points: Iterable[tuple[float, float]] | None = None,
                   markers: gpd.GeoDataFrame | None = None, official_column: str = "official_km") -> Border:
        """A copy of this border whose chainages are also reported as official chainages.

        Give one of:

        * ``official_length_km``: the whole line is scaled (0 ↦ 0, measured length ↦ official length);
        * ``control_points``: ``(measured_km, official_km)`` pairs;
        * ``markers`` with an ``official_km`` column (from the demarcation protocol): each marker is located on
          the line and its measured chainage paired with its official one (posts of one number are averaged). The
          ends of the line are added as control points (0 ↦ 0 and, when ``official_length_km`` is known, the end
          ↦ official length).
        """
        olk = official_length_km if official_length_km is not None else self.official_length_km
        if control_points is not None:
            pts = sorted((float(m), float(o)) for m, o in control_points)
            cal = Calibration(tuple(p[0] for p in pts), tuple(p[1] for p in pts), "control points")
        elif markers is not None:
            if official_column not in markers:
                raise ReferencingError(f"calibrated: markers have no {official_column!r} column")
            have = markers[markers[official_column].notna()]
            if have.empty:
                raise ReferencingError(f"calibrated: no marker has an {official_column!r} value")
            loc = self.locate(have.geometry)
            key = have["number"] if "number" in have else have.index.to_series()
            df = pd.DataFrame({"key": key.to_numpy(), "m": loc["chainage_km"].to_numpy(),
                               "o": have[official_column].to_numpy(dtype=float)})
            g = df.groupby("key", sort=False).agg(m=("m", "mean"), o=("o", "mean")).sort_values("m")
            m = [0.0, *g["m"].tolist()]
            o = [0.0, *g["o"].tolist()]
            if olk is not None:
                m.append(self.length_km)
                o.append(float(olk))
            # drop control points that coincide with the ends
            pairs = sorted(dict(zip(m, o, strict=True)).items())
            cal = Calibration(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs),
                              f"{len(g)} marker(s) with official chainage")
        elif olk is not None:
            cal = Calibration((0.0, self.length_km), (0.0, float(olk)), "official length")
        else:
            raise ReferencingError("calibrated: give official_length_km, control_points or markers")
        return Border(self.geometry, official_length_km=olk, left=self.left, right=self.right, name=self.name,
                      calibration=cal)

    def to_official(self, chainage_km: Any) -> Any:
        """Official chainage (km) for measured chainage(s); raises when the border is not calibrated."""
        cal = self.calibration
        if cal is None:
            raise ReferencingError("this border has no calibration: give official_length_km or use calibrated()")
        return cal.to_official(chainage_km)

    def to_measured(self, official_km: Any) -> Any:
        """Measured chainage (km) for official chainage(s)."""
        cal = self.calibration
        if cal is None:
            raise ReferencingError("this border has no calibration: give official_length_km or use calibrated()")
        return cal.to_measured(official_km)

    # ------------------------------------------------------------------ index
    @cached_property
    def _frame(self) -> tuple[pyproj.Transformer | None, Any, np.ndarray]:
        """The local TM frame, the STRtree of segments in it, and the indices of long segments."""
        s = self._seg
        allx = np.concatenate([s["ax"], s["bx"][-1:]])
        ally = np.concatenate([s["ay"], s["by"][-1:]])
        lon0 = float((allx.min() + allx.max()) / 2)
        lat0 = float((ally.min() + ally.max()) / 2)
        long_idx = np.flatnonzero(s["len"] > _LONG_SEGMENT_M)
        if len(s["len"]) <= _BRUTE_FORCE_SEGMENTS or allx.max() - allx.min() > 60 or ally.max() - ally.min() > 60:
            # a few segments, or a global extent no single TM frame serves: every segment is a candidate
            return None, None, np.arange(len(s["len"]))
        tm = pyproj.Transformer.from_crs(
            WGS84, pyproj.CRS.from_proj4(f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +ellps=WGS84 +units=m"),
            always_xy=True)
        ax, ay = tm.transform(s["ax"], s["ay"])
        bx, by = tm.transform(s["bx"], s["by"])
        coords = np.empty((len(ax) * 2, 2))
        coords[0::2, 0], coords[0::2, 1] = ax, ay
        coords[1::2, 0], coords[1::2, 1] = bx, by
        segs = shapely.linestrings(coords, indices=np.repeat(np.arange(len(ax)), 2))
        return tm, shapely.STRtree(segs), long_idx

    # ------------------------------------------------------------------ locate
    def locate(self, points: Any, *, crs: object = None, ambiguity_m: float = 10.0) -> pd.DataFrame:
        """Locate points on the border.

        Parameters
        ----------
        points
            GeoSeries/GeoDataFrame (its CRS is used), array of shapely Points, ``(n, 2)`` array or list of
            ``(lon, lat)`` pairs, or one Point.
        crs
            CRS of ``points`` when they carry none (default WGS 84).
        ambiguity_m
            Another stretch of the line passing within this many metres of the nearest distance makes the result
            ``ambiguous`` (a small GPS error could move the chainage there; see ``alt_chainage_km``).

        Returns
        -------
        pandas.DataFrame
            Aligned to the input's index, with ``chainage_km`` (geodesic km from the start), ``official_km``
            (calibrated chainage, when the border has a calibration; NaN otherwise), ``offset_m`` (signed geodesic
            distance in metres, positive on the left of the direction of travel), ``distance_m`` (its absolute
            value), ``side`` (country code of that side, when known), ``part`` and ``segment`` (0-based),
            ``ambiguous`` and ``alt_chainage_km``. Points that are empty or missing give NaN rows.
            ``attrs["chainage"]`` says how chainage was measured and which calibration was used.
        """
        index, lon, lat = self._points_lonlat(points, crs)
        n = len(lon)
        res = {k: np.full(n, np.nan) for k in ("chainage_km", "offset_m", "alt_chainage_km")}
        part = np.full(n, -1, dtype=np.int64)
        segment = np.full(n, -1, dtype=np.int64)
        ambiguous = np.zeros(n, dtype=bool)
        ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        for lo in range(0, len(ok), _CHUNK):
            sel = ok[lo:lo + _CHUNK]
            ch, off, seg, amb, alt = self._locate_lonlat(lon[sel], lat[sel], ambiguity_m)
            res["chainage_km"][sel] = ch
            res["offset_m"][sel] = off
            res["alt_chainage_km"][sel] = alt
            segment[sel] = seg
            part[sel] = self._seg["part"][seg]
            ambiguous[sel] = amb
        cal = self.calibration
        side = np.full(n, None, dtype=object)
        side[res["offset_m"] > 0] = self.left
        side[res["offset_m"] < 0] = self.right
        missing = part < 0
        out = pd.DataFrame({
            "chainage_km": res["chainage_km"],
            "official_km": cal.to_official(res["chainage_km"]) if cal is not None else np.full(n, np.nan),
            "offset_m": res["offset_m"],
            "distance_m": np.abs(res["offset_m"]),
            "side": side,
            "part": pd.arrays.IntegerArray(np.where(missing, 0, part), missing),
            "segment": pd.arrays.IntegerArray(np.where(missing, 0, segment), missing),
            "ambiguous": ambiguous,
            "alt_chainage_km": res["alt_chainage_km"],
        }, index=index)
        out.attrs["chainage"] = self.chainage_note
        return out

    @property
    def chainage_note(self) -> str:
        """How chainages of this border are measured and calibrated (for reports)."""
        cal = self.calibration
        note = f"chainage_km: geodesic on WGS 84 along the drawn line ({self.length_km:.3f} km)"
        if cal is not None:
            note += (f"; official_km: calibrated piecewise-linearly from {cal.source} "
                     f"({len(cal.measured_km)} control points)")
        return note

    def _points_lonlat(self, points: Any, crs: object) -> tuple[pd.Index, np.ndarray, np.ndarray]:
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
                return pd.RangeIndex(len(lon)), lon, lat
            seq = list(points)
            index = pd.RangeIndex(len(seq))
            if seq and not isinstance(seq[0], BaseGeometry) and seq[0] is not None:
                xy = np.asarray(seq, dtype=float)
                if xy.ndim != 2 or xy.shape[1] != 2:
                    raise ReferencingError("locate: expected points or (lon, lat) pairs")
                lon, lat = to_wgs84(xy[:, 0], xy[:, 1], src)
                return index, lon, lat
            geoms = np.asarray(seq, dtype=object)
        n = len(geoms)
        lon = np.full(n, np.nan)
        lat = np.full(n, np.nan)
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
        return index, lon, lat

    @cached_property
    def _samples(self) -> tuple[Any, np.ndarray, np.ndarray, float, np.ndarray]:
        """The index behind :meth:`locate`: each part is cut into pieces of at most ``h`` metres of TM length
        (``h`` = 100 m, more for very long lines); a k-d tree holds the middle point of each piece. Every point of
        a piece is within ``h/2`` of its sample. Returns the tree, the first and last segment of each piece,
        ``h`` and the segments' TM end points.
        """
        from scipy.spatial import cKDTree

        tm, _, _ = self._frame
        assert tm is not None  # _samples is used only when the border has a TM frame
        s = self._seg
        ax, ay = tm.transform(s["ax"], s["ay"])
        bx, by = tm.transform(s["bx"], s["by"])
        ab = np.column_stack([ax, ay, bx, by])
        tm_len = np.hypot(bx - ax, by - ay)
        h = max(_SAMPLE_SPACING_M, float(tm_len.sum()) / _MAX_SAMPLES)
        xs, ys, lo, hi = [], [], [], []
        for k in range(self.n_parts):
            idx = np.flatnonzero(s["part"] == k)
            ln = tm_len[idx]
            c0 = np.concatenate([[0.0], np.cumsum(ln)[:-1]])
            c1 = c0 + ln
            total = float(c1[-1])
            m = max(1, int(np.ceil(total / h)))
            edges = np.linspace(0.0, total, m + 1)
            mid = (edges[:-1] + edges[1:]) / 2
            j = np.clip(np.searchsorted(c0, mid, side="right") - 1, 0, len(idx) - 1)
            t = np.where(ln[j] > 0, (mid - c0[j]) / np.where(ln[j] > 0, ln[j], 1.0), 0.0)
            xs.append(ax[idx][j] + t * (bx - ax)[idx][j])
            ys.append(ay[idx][j] + t * (by - ay)[idx][j])
            first = np.clip(np.searchsorted(c1, edges[:-1], side="right"), 0, len(idx) - 1)
            last = np.clip(np.searchsorted(c0, edges[1:], side="left") - 1, 0, len(idx) - 1)
            last = np.maximum(last, first)
            lo.append(idx[first])
            hi.append(idx[last])
        tree = cKDTree(np.column_stack([np.concatenate(xs), np.concatenate(ys)]))
        return tree, np.concatenate(lo), np.concatenate(hi), h, ab

    def _candidates(self, lon: np.ndarray, lat: np.ndarray, ambiguity_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (point index, segment index) to measure geodesically, for the general path: the STRtree's
        planar-nearest segment and every segment within 0.5 % + ``ambiguity_m`` + 1 m of it (or every segment, with
        no frame or outside it), plus the long segments whose TM image bends.
        """
        tm, tree, long_idx = self._frame
        n = len(lon)
        if tree is None or tm is None:
            return np.repeat(np.arange(n), len(long_idx)), np.tile(long_idx, n)
        px, py = (np.asarray(v, dtype=float) for v in tm.transform(lon, lat))
        finite = np.isfinite(px) & np.isfinite(py)
        ok = np.flatnonzero(finite)
        pts = shapely.points(px[ok], py[ok])
        (q0, _), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
        reach = np.empty(len(pts))
        reach[q0] = dist * 1.005 + ambiguity_m + 1.0
        q1, s1 = tree.query(pts, predicate="dwithin", distance=reach)
        pi, si = ok[q1], s1
        bad = np.flatnonzero(~finite)
        if len(bad):  # outside the TM frame's reach: every segment is a candidate (rare, very far points)
            nseg = len(self._seg["len"])
            pi = np.concatenate([pi, np.repeat(bad, nseg)])
            si = np.concatenate([si, np.tile(np.arange(nseg), len(bad))])
        if len(long_idx):
            pi = np.concatenate([pi, np.repeat(np.arange(n), len(long_idx))])
            si = np.concatenate([si, np.tile(long_idx, n)])
        return pi, si

    def _geodesic(self, pi: np.ndarray, si: np.ndarray, lon: np.ndarray,
                  lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each pair: geodesic distance to the segment (m), signed offset (m, + right), chainage (m), and
        where the nearest point is: -1 the segment's first vertex, +1 its last, 0 inside.
        """
        s = self._seg
        az_ap, _, s_ap = GEOD.inv(s["ax"][si], s["ay"][si], lon[pi], lat[pi])
        theta = np.radians(np.asarray(az_ap) - s["az"][si])
        s_ap = np.asarray(s_ap)
        along = s_ap * np.cos(theta)
        cross = s_ap * np.sin(theta)  # positive when P is clockwise of AB, i.e. on the right
        seglen = s["len"][si]
        beyond = along > seglen
        behind = along < 0
        # distance to the segment: perpendicular inside, to the nearer end outside
        dist = np.where(behind, s_ap, np.where(beyond, np.hypot(along - seglen, cross), np.abs(cross)))
        along_c = np.clip(along, 0.0, seglen)
        off = np.where(behind | beyond, np.sign(cross) * dist, cross)
        end = np.where(behind, -1, np.where(beyond, 1, 0))
        zero = seglen <= 0  # zero-length segments: the distance from A
        if zero.any():
            along_c[zero] = 0.0
            off[zero] = np.sign(cross[zero]) * s_ap[zero]
            dist[zero] = s_ap[zero]
            end[zero] = -1
        return dist, off, s["start"][si] + along_c, end

    def _vertex_sides(self, seg: np.ndarray, end: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """Correct the side of points whose nearest point is a vertex.

        Such a point lies outside the bend at that vertex (in its normal cone), so its side is the outer side of
        the turn: the left after a right (clockwise) turn, the right after a left turn. The side of one adjacent
        segment alone can be wrong at a sharp turn. ``offset`` is positive on the left.
        """
        at = np.flatnonzero(end != 0)
        if not len(at):
            return offset
        s = self._seg
        k, e = seg[at], end[at]
        part = s["part"][k]
        first = np.array([f for _, f in self._part_index])[part]
        last = first + np.array([len(p) - 2 for p in self._parts])[part]
        closed = np.array([bool((p[0] == p[-1]).all()) for p in self._parts])[part]
        # the segments before and after the vertex, within the part (wrapping round a closed ring)
        kin = np.where(e > 0, k, np.where(k > first, k - 1, np.where(closed, last, -1)))
        kout = np.where(e > 0, np.where(k < last, k + 1, np.where(closed, first, -1)), k)
        inner = (kin >= 0) & (kout >= 0) & (kin != kout)
        kin, kout = np.maximum(kin, 0), np.maximum(kout, 0)
        inner &= (s["len"][kin] > 0) & (s["len"][kout] > 0)
        turn = (s["az"][kout] - s["azb"][kin] + 540.0) % 360.0 - 180.0  # > 0: a right (clockwise) turn
        inner &= np.abs(turn) > 1e-9
        mag = np.abs(offset[at])
        out = offset.copy()
        out[at] = np.where(inner, np.where(turn > 0, mag, -mag), offset[at])
        return out

    def _locate_lonlat(self, lon: np.ndarray, lat: np.ndarray, ambiguity_m: float) -> tuple[np.ndarray, ...]:
        """Chainage (km), offset (m, + left), segment, ambiguous, alt_chainage_km for each point."""
        n = len(lon)
        tm, tree, long_idx = self._frame
        if tree is None or tm is None or len(long_idx):
            return self._locate_pairs(lon, lat, ambiguity_m)
        s = self._seg
        kd, lo_seg, hi_seg, h, ab = self._samples
        px, py = (np.asarray(v, dtype=float) for v in tm.transform(lon, lat))
        finite = np.isfinite(px) & np.isfinite(py)
        xy = np.column_stack([np.where(finite, px, 0.0), np.where(finite, py, 0.0)])
        # query in spatial order (neighbouring queries walk the same branches of the tree), then restore order
        order = np.lexsort((xy[:, 1] // 2000.0, xy[:, 0] // 2000.0))
        dk = np.empty((n, _K_SAMPLES))
        ik = np.empty((n, _K_SAMPLES), dtype=np.int64)
        dk[order], ik[order] = kd.query(xy[order], k=_K_SAMPLES, workers=_WORKERS)
        # the nearest segment lies on a piece whose sample is within r0 + h/2 (r0: the nearest sample's distance,
        # an upper bound of the distance to the line); ambiguity_m more keeps the nearly-nearest ones too
        found = dk <= dk[:, :1] + h / 2 + ambiguity_m + 1.0
        fast = ~found[:, -1] & finite  # the others may have more pieces in reach than were returned
        r, c = np.nonzero(found & fast[:, None])  # row-major: sorted by point
        j = ik[r, c]
        cnt = hi_seg[j] - lo_seg[j] + 1
        pr = np.repeat(r, cnt)
        ps = np.repeat(lo_seg[j], cnt) + (np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        x0, y0, x1, y1 = ab[ps].T
        vx, vy = x1 - x0, y1 - y0
        vv = vx * vx + vy * vy
        qx, qy = xy[pr, 0], xy[pr, 1]
        t = np.clip(((qx - x0) * vx + (qy - y0) * vy) / np.where(vv > 0, vv, 1.0), 0.0, 1.0)
        dp = np.hypot(qx - (x0 + t * vx), qy - (y0 + t * vy))
        starts = np.flatnonzero(np.concatenate([[True], pr[1:] != pr[:-1]])) if len(pr) else pr
        dmin_p = np.full(n, np.inf)
        if len(pr):
            dmin_p[pr[starts]] = np.minimum.reduceat(dp, starts)
        # geodesic step: the planar-nearest segment and any as near (0.1 % + 0.1 m: ties at joints; TM is conformal
        # and these segments are short, so planar and geodesic nearest agree far closer than that)
        g = np.flatnonzero(dp <= dmin_p[pr] * 1.001 + 0.1)
        nseg = len(s["len"])
        key = np.sort(pr[g] * nseg + ps[g])  # a segment reached through two pieces is measured once
        key = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key
        gpi, gsi = key // nseg, key % nseg
        dist, off, chain_m, end = self._geodesic(gpi, gsi, lon, lat)
        # pairs are sorted by point, then segment (so by chainage): the first of the smallest distances wins
        first = np.flatnonzero(np.concatenate([[True], gpi[1:] != gpi[:-1]])) if len(gpi) else gpi
        dmin_g = np.minimum.reduceat(dist, first) if len(gpi) else dist
        cand = np.flatnonzero(dist <= np.repeat(dmin_g, np.diff(np.append(first, len(gpi)))))
        best = cand[np.concatenate([[True], gpi[cand][1:] != gpi[cand][:-1]])] if len(cand) else cand
        ch = np.full(n, np.nan)
        offset = np.full(n, np.nan)
        seg = np.zeros(n, dtype=np.int64)
        bp = gpi[best]
        ch[bp], seg[bp] = chain_m[best], gsi[best]
        offset[bp] = self._vertex_sides(gsi[best], end[best], -off[best])
        # ambiguity from the planar candidates: another stretch almost as near, far away along the line
        chainE = s["start"][ps] + t * s["len"][ps]
        amb, alt = _ambiguity(pr, dp, chainE, dmin_p, ch, ambiguity_m, n)
        ch /= 1000.0
        slow = np.flatnonzero(~fast)
        if len(slow):  # far from the line (or outside the frame): the exact STRtree search
            res = self._locate_pairs(lon[slow], lat[slow], ambiguity_m)
            ch[slow], offset[slow], seg[slow], amb[slow], alt[slow] = res
        return ch, offset, seg, amb, alt

    def _locate_pairs(self, lon: np.ndarray, lat: np.ndarray, ambiguity_m: float) -> tuple[np.ndarray, ...]:
        """The general path: candidate pairs from the STRtree (or every segment), measured geodesically."""
        n = len(lon)
        gpi, gsi = self._candidates(lon, lat, ambiguity_m)
        dist, off, chain_m, end = self._geodesic(gpi, gsi, lon, lat)
        order = np.lexsort((chain_m, dist, gpi))
        pi_o = gpi[order]
        best = order[np.concatenate([[True], pi_o[1:] != pi_o[:-1]])] if len(order) else order
        ch = np.full(n, np.nan)
        offset = np.full(n, np.nan)
        seg = np.zeros(n, dtype=np.int64)
        dmin = np.full(n, np.nan)
        bp = gpi[best]
        ch[bp], seg[bp], dmin[bp] = chain_m[best], gsi[best], dist[best]
        offset[bp] = self._vertex_sides(gsi[best], end[best], -off[best])
        amb, alt = _ambiguity(gpi, dist, chain_m, dmin, ch, ambiguity_m, n)
        return ch / 1000.0, offset, seg, amb, alt

    def locate_line(self, line: BaseGeometry) -> dict[str, float]:
        """Locate a drawn stretch: chainage range of its vertices and how far it strays from the border.

        Returns
        -------
        dict
            ``start_km``/``end_km`` (smallest and largest chainage of its vertices, km), ``first_km``/``last_km``
            (chainage of its first and last vertex: ``first_km > last_km`` means it was drawn against the
            border's direction), ``max_offset_m`` and ``mean_offset_m`` (metres, signed mean: which side).
        """
        xy = shapely.get_coordinates(line)
        loc = self.locate(xy)
        ch = loc["chainage_km"].to_numpy()
        off = loc["offset_m"].to_numpy()
        return {"start_km": float(np.nanmin(ch)), "end_km": float(np.nanmax(ch)), "first_km": float(ch[0]),
                "last_km": float(ch[-1]), "max_offset_m": float(np.nanmax(np.abs(off))),
                "mean_offset_m": float(np.nanmean(off))}

    # ------------------------------------------------------------------ point_at / cut
    def _position(self, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """lon, lat, segment index at chainage ``m`` (metres, already clamped)."""
        s = self._seg
        k = np.searchsorted(s["start"], m, side="right") - 1
        k = np.clip(k, 0, len(s["start"]) - 1)
        d = m - s["start"][k]
        lon, lat, _ = GEOD.fwd(s["ax"][k], s["ay"][k], s["az"][k], d)
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        at_a = d <= _EQUAL_M
        at_b = d >= s["len"][k] - _EQUAL_M
        lon = np.where(at_a, s["ax"][k], np.where(at_b, s["bx"][k], lon))
        lat = np.where(at_a, s["ay"][k], np.where(at_b, s["by"][k], lat))
        return lon, lat, k

    def point_at(self, chainage_km: Any, *, official: bool = False) -> Any:
        """The point(s) at the given chainage(s), exact on the geodesic segments.

        Parameters
        ----------
        chainage_km
            A number or array of chainages (km). Values outside ``[0, length]`` are clamped to the ends; NaN
            gives an empty point.
        official
            Read ``chainage_km`` as official (calibrated) chainage.

        Returns
        -------
        shapely.Point or geopandas.GeoSeries
            One Point for a scalar, else a GeoSeries (EPSG:4326).
        """
        scalar = np.ndim(chainage_km) == 0
        km = np.atleast_1d(np.asarray(chainage_km, dtype=float))
        if official:
            km = np.asarray(self.to_measured(km), dtype=float)
        nan = ~np.isfinite(km)
        m = np.clip(np.where(nan, 0.0, km) * 1000.0, 0.0, self.length_m)
        lon, lat, _ = self._position(m)
        pts = shapely.points(lon, lat)
        pts[nan] = shapely.from_wkt("POINT EMPTY")
        if scalar:
            return pts[0]
        index = chainage_km.index if isinstance(chainage_km, pd.Series) else None
        return gpd.GeoSeries(pts, crs=WGS84, index=index)

    def cut(self, start_km: Any, end_km: Any, *, official: bool = False) -> Any:
        """The stretch between two chainages, keeping every vertex in between.

        Parameters
        ----------
        start_km, end_km
            Chainages (km), numbers or equal-length arrays. Clamped to ``[0, length]``.
        official
            Read the chainages as official (calibrated) chainage.

        Returns
        -------
        shapely geometry or geopandas.GeoSeries
            A LineString, or a MultiLineString when the stretch crosses a gap between parts. ``start > end`` gives
            the stretch drawn from ``start`` back to ``end``; ``start == end`` gives a Point; NaN gives an empty
            LineString. Arrays give a GeoSeries.

        Examples
        --------
        >>> from shapely import LineString
        >>> b = Border(LineString([(105.0, 21.0), (105.0, 21.1), (105.1, 21.1)]))
        >>> len(b.cut(5.0, 15.0).coords)   # the corner vertex is kept
        3
        >>> b.cut(3.0, 3.0).geom_type
        'Point'
        """
        scalar = np.ndim(start_km) == 0 and np.ndim(end_km) == 0
        a = np.atleast_1d(np.asarray(start_km, dtype=float))
        b = np.atleast_1d(np.asarray(end_km, dtype=float))
        if a.shape != b.shape:
            a, b = np.broadcast_arrays(a, b)
        if official:
            a = np.asarray(self.to_measured(a), dtype=float)
            b = np.asarray(self.to_measured(b), dtype=float)
        if scalar:
            return self._cut_one(float(a[0]), float(b[0]))
        geoms = self._cut_many(a, b) if self.n_parts == 1 else \
            [self._cut_one(x, y) for x, y in zip(a, b, strict=True)]
        index = start_km.index if isinstance(start_km, pd.Series) else None
        return gpd.GeoSeries(geoms, crs=WGS84, index=index)

    def _cut_many(self, a_km: np.ndarray, b_km: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`cut` for a one-part border (same rules as :meth:`_cut_one`)."""
        n = len(a_km)
        out = np.empty(n, dtype=object)
        nan = ~(np.isfinite(a_km) & np.isfinite(b_km))
        out[nan] = shapely.from_wkt("LINESTRING EMPTY")
        total = self.length_m
        a = np.clip(np.where(nan, 0.0, a_km) * 1000.0, 0.0, total)
        b = np.clip(np.where(nan, 0.0, b_km) * 1000.0, 0.0, total)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        lon0, lat0, _ = self._position(lo)
        lon1, lat1, _ = self._position(hi)
        point = ~nan & (lo == hi)
        out[point] = shapely.points(lon0[point], lat0[point])
        line = np.flatnonzero(~nan & (lo < hi))
        if len(line):
            vch, _ = self._part_index[0]
            p = self._parts[0]
            i0 = np.searchsorted(vch, lo[line] + _EQUAL_M, side="right")
            i1 = np.maximum(np.searchsorted(vch, hi[line] - _EQUAL_M, side="left"), i0)
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

    def _cut_one(self, a_km: float, b_km: float) -> BaseGeometry:
        if not (math.isfinite(a_km) and math.isfinite(b_km)):
            return shapely.from_wkt("LINESTRING EMPTY")
        total = self.length_m
        a = min(max(a_km * 1000.0, 0.0), total)
        b = min(max(b_km * 1000.0, 0.0), total)
        if a == b:
            lon, lat, _ = self._position(np.array([a]))
            return shapely.Point(lon[0], lat[0])
        reverse = a > b
        lo, hi = (b, a) if reverse else (a, b)
        pieces = []
        for k, p in enumerate(self._parts):
            vch, first_seg = self._part_index[k]
            p0, p1 = vch[0], vch[-1]
            if p1 <= lo or p0 >= hi or p1 == p0:
                continue
            s0, s1 = max(lo, p0), min(hi, p1)
            if s1 <= s0:
                continue
            # vertices strictly inside (s0, s1): a slice of the part, found by binary search
            i0 = int(np.searchsorted(vch, s0 + _EQUAL_M, side="right"))
            i1 = int(np.searchsorted(vch, s1 - _EQUAL_M, side="left"))
            start = self._point_in_part(k, s0)
            end = self._point_in_part(k, s1)
            coords = np.vstack([start, p[i0:i1], end])
            pieces.append(coords[::-1] if reverse else coords)
        if not pieces:
            lon, lat, _ = self._position(np.array([lo]))
            return shapely.Point(lon[0], lat[0])
        if reverse:
            pieces = pieces[::-1]
        if len(pieces) == 1:
            return shapely.LineString(pieces[0])
        return shapely.MultiLineString([shapely.LineString(c) for c in pieces])

    @cached_property
    def _part_index(self) -> list[tuple[np.ndarray, int]]:
        """For each part: the chainage (m) of its vertices and the index of its first segment."""
        s = self._seg
        out = []
        first = 0
        for p in self._parts:
            nseg = len(p) - 1
            st = s["start"][first:first + nseg]
            out.append((np.concatenate([st, [st[-1] + s["len"][first + nseg - 1]]]), first))
            first += nseg
        return out

    def _point_in_part(self, k: int, m: float) -> np.ndarray:
        """Position at chainage ``m`` (metres) restricted to part ``k`` (so a gap end belongs to its own part)."""
        s = self._seg
        vch, first = self._part_index[k]
        j = first + int(np.clip(np.searchsorted(vch, m, side="right") - 1, 0, len(vch) - 2))
        d = m - s["start"][j]
        if d <= _EQUAL_M:
            return np.array([s["ax"][j], s["ay"][j]])
        if d >= s["len"][j] - _EQUAL_M:
            return np.array([s["bx"][j], s["by"][j]])
        lon, lat, _ = GEOD.fwd(s["ax"][j], s["ay"][j], s["az"][j], d)
        return np.array([lon, lat])

    # ------------------------------------------------------------------ export
    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """One row per part, with chainage range (measured and official), length and sides."""
        rows = []
        cal = self.calibration
        for k, p in enumerate(self._parts):
            a, b = self.part_ranges_km[k]
            rows.append({"border": self.name, "part": k, "start_km": a, "end_km": b, "length_km": b - a,
                         "official_start_km": float(cal.to_official(a)) if cal else np.nan,
                         "official_end_km": float(cal.to_official(b)) if cal else np.nan,
                         "left": self.left, "right": self.right, "geometry": shapely.LineString(p)})
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
