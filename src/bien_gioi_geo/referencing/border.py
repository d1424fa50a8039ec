"""The :class:`Border`: an oriented line with geodesic chainage, built once and queried many times.

It holds the line's parts and, computed on first use, its geodesic segments (:mod:`.geodesy`), its spatial index
(:mod:`.index`) and its calibration (:mod:`.calibration`); the work is done by :mod:`.locating`,
:mod:`.table` (the table :meth:`Border.locate` returns) and :mod:`.cutting`.

Edge-case rules (written down because linear-referencing libraries disagree)
    * chainage outside ``[0, length]`` is **clamped** to the nearest end in :meth:`Border.point_at` and
      :meth:`Border.cut` (as shapely's ``interpolate``/``substring`` and turf's ``along`` do);
      :func:`bien_gioi_geo.validate` reports out-of-range stretches separately (rule ``out_of_range``);
    * ``cut(a, b)`` with ``a > b`` returns the stretch from ``a`` back to ``b`` (reversed direction), as shapely's
      ``substring``; ``cut(a, a)`` returns a Point;
    * a chainage exactly at a gap between parts belongs to the *following* part in :meth:`Border.point_at`;
    * points far from the line are located at their nearest point (an end, when beyond the ends), and the
      distance is reported, never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ..crs import WGS84
from ..deprecation import renamed
from ..errors import ReferencingError
from .calibration import Calibration, calibration_from_markers
from .cutting import cut_many, cut_one
from .geodesy import GEOD, Layout, Segments, layout_of, position, segments_of
from .index import LocalFrame, PieceIndex, build_frame, build_pieces
from .inputs import parts_of, points_lonlat
from .locating import LocateResult, locate_exact, locate_indexed
from .table import check_workers, locate_table, tolerance

__all__ = ["Border"]

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
            parts, attrs = parts_of(geometry, crs)
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
        if self._left is not None and self._left == self._right:
            raise ReferencingError(
                f"border {self._name or ''}: left and right are the same country ({self._left!r}); a border "
                "separates two sides: give the country on each side, seen along the direction of chainage")

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
    def segments(self) -> Segments:
        """The geodesic segments of the line (start/end, azimuths, lengths and chainages), parts in order."""
        return segments_of(self._parts)

    @cached_property
    def _layout(self) -> Layout:
        return layout_of(self._parts, self.segments)

    @cached_property
    def _frame(self) -> LocalFrame:
        return build_frame(self.segments)

    @cached_property
    def _pieces(self) -> PieceIndex:
        return build_pieces(self._frame, self.segments.part)

    @cached_property
    def length_m(self) -> float:
        """Geodesic length of the drawn line on WGS 84 (metres); gaps between parts count zero."""
        return float(self.segments.length.sum())

    @property
    def length_km(self) -> float:
        """Geodesic length of the drawn line on WGS 84 (km); gaps between parts count zero."""
        return self.length_m / 1000.0

    @cached_property
    def part_ranges_km(self) -> list[tuple[float, float]]:
        """Chainage range ``(start_km, end_km)`` of each part; consecutive parts touch (gaps have zero length)."""
        return [(float(v[0] / 1000), float(v[-1] / 1000)) for v in self._layout.vertex_m]

    @cached_property
    def part_breaks(self) -> gpd.GeoDataFrame:
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

    gaps = renamed("gaps", "part_breaks", " (breaks between the line's parts, not Coverage.gaps)")

    @property
    def geometry(self) -> BaseGeometry:
        """The line as drawn (LineString, or MultiLineString with several parts), WGS 84."""
        if len(self._parts) == 1:
            return shapely.LineString(self._parts[0])
        return shapely.MultiLineString([shapely.LineString(p) for p in self._parts])

    @property
    def vertex_chainage_km(self) -> np.ndarray:
        """Chainage (km) of every vertex, parts in order."""
        return np.concatenate(self._layout.vertex_m) / 1000.0

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
                from ..schema import parse_marker_id

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
            cal = calibration_from_markers(markers, lambda g: self.locate(g)["chainage_km"].to_numpy(),
                                           end_km=self.length_km, official_length_km=olk,
                                           official_column=official_column)
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


    # ------------------------------------------------------------------ locate
    def locate(self, points: Any, *, crs: object = None, ambiguity_m: float = 10.0, workers: int = -1) -> pd.DataFrame:
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
            ``ambiguous`` (a small GPS error could move the chainage there; see ``alt_chainage_km``). A finite
            number ≥ 0.
        workers
            Threads: -1 (the default) uses all cores, 1 one thread. Up to 16,384 points, only the k-d tree
            query is threaded (scipy's ``workers``); beyond, the points are cut into equal chunks (at most 65,536
            points, a multiple of the thread count of them) located whole on a pool of this many threads. The
            answer does not depend on it.

        Returns
        -------
        pandas.DataFrame
            Aligned to the input's index, with ``chainage_km`` (geodesic km from the start), ``official_km``
            (calibrated chainage, when the border has a calibration; NaN otherwise), ``offset_m`` (signed geodesic
            distance in metres, positive on the left of the direction of travel), ``distance_m`` (its absolute
            value), ``side`` (country code of that side, when known), ``part`` and ``segment`` (0-based),
            ``ambiguous`` and ``alt_chainage_km``. Points that are empty or missing give NaN rows.
            ``attrs["chainage"]`` says how chainage was measured and which calibration was used.

        Raises
        ------
        ReferencingError
            For items that are not Points, coordinates that cannot be WGS 84 longitude/latitude (naming the rows
            and values), a negative or NaN ``ambiguity_m`` or a bad ``workers``.
        """
        ambiguity_m = tolerance(ambiguity_m, "ambiguity_m")
        threads = check_workers(workers)
        index, lon, lat = points_lonlat(points, crs)
        return locate_table(index, lon, lat, lambda x, y: self._locate_lonlat(x, y, ambiguity_m, threads),
                            part_of_segment=self.segments.part, calibration=self.calibration, left=self.left,
                            right=self.right, note=self.chainage_note)

    @property
    def chainage_note(self) -> str:
        """How chainages of this border are measured and calibrated (for reports)."""
        cal = self.calibration
        note = f"chainage_km: geodesic on WGS 84 along the drawn line ({self.length_km:.3f} km)"
        if cal is not None:
            note += (f"; official_km: calibrated piecewise-linearly from {cal.source} "
                     f"({len(cal.measured_km)} control points)")
        return note

    def _locate_lonlat(self, lon: np.ndarray, lat: np.ndarray, ambiguity_m: float, workers: int) -> LocateResult:
        frame = self._frame
        if frame.tm is None or len(frame.long_idx):
            return locate_exact(self.segments, self._layout, frame, lon, lat, ambiguity_m)
        return locate_indexed(self.segments, self._layout, frame, self._pieces, lon, lat, ambiguity_m, workers)

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

    def point_at(self, chainage_km: Any, *, official: bool = False) -> Any:
        """The point(s) at the given chainage(s), exact on the geodesic segments.

        Parameters
        ----------
        chainage_km
            A number or array of chainages (km). Values outside ``[0, length]`` (±inf included) are clamped to
            the ends; in an array, NaN (a missing value) gives an empty point; a NaN number raises.
        official
            Read ``chainage_km`` as official (calibrated) chainage.

        Returns
        -------
        shapely.Point or geopandas.GeoSeries
            One Point for a scalar, else a GeoSeries (EPSG:4326).
        """
        scalar = np.ndim(chainage_km) == 0
        km = np.atleast_1d(np.asarray(chainage_km, dtype=float))
        if scalar and np.isnan(km[0]):
            raise ReferencingError(f"point_at: chainage_km must be a number, got {chainage_km!r}")
        if official:
            km = np.asarray(self.to_measured(km), dtype=float)
        nan = np.isnan(km)
        m = np.clip(np.where(nan, 0.0, km) * 1000.0, 0.0, self.length_m)
        lon, lat, _ = position(self.segments, m)
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
            Chainages (km), numbers or equal-length arrays. Clamped to ``[0, length]`` (so ``cut(0, inf)`` is
            the whole line). A NaN number raises; in arrays NaN (a missing value) gives an empty LineString.
        official
            Read the chainages as official (calibrated) chainage.

        Returns
        -------
        shapely geometry or geopandas.GeoSeries
            A LineString, or a MultiLineString when the stretch crosses a gap between parts. ``start > end`` gives
            the stretch drawn from ``start`` back to ``end``; ``start == end`` gives a Point. Arrays give a
            GeoSeries.

        Examples
        --------
        >>> from shapely import LineString
        >>> b = Border(LineString([(105.0, 21.0), (105.0, 21.1), (105.1, 21.1)]))
        >>> len(b.cut(5.0, 15.0).coords)   # the corner vertex is kept
        3
        >>> b.cut(3.0, 3.0).geom_type
        'Point'
        >>> b.cut(0.0, float("inf")).equals(b.geometry)   # clamped to the whole line
        True
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
            for name, v in (("start_km", start_km), ("end_km", end_km)):
                if np.isnan(float(v)):
                    raise ReferencingError(f"cut: {name} must be a number, got {v!r}")
            return cut_one(self._parts, self.segments, self._layout, float(a[0]), float(b[0]))
        geoms = cut_many(self._parts, self.segments, self._layout, a, b) if self.n_parts == 1 else \
            [cut_one(self._parts, self.segments, self._layout, x, y) for x, y in zip(a, b, strict=True)]
        index = start_km.index if isinstance(start_km, pd.Series) else None
        return gpd.GeoSeries(geoms, crs=WGS84, index=index)

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
