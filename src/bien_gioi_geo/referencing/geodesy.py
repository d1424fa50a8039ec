"""Geodesic kernels on WGS 84: the segments of a line and the measurement of points against them.

Every function here is a pure function of arrays. Segments between vertices are geodesics on the WGS 84 ellipsoid
(as in PostGIS ``geography``); lengths come from pyproj's :class:`~pyproj.Geod` (GeographicLib).

A point P is measured against a segment AB by the geodesic inverse problem from A: distance ``s`` and azimuth
difference ``θ = az(A→P) − az(A→B)``; the along-segment distance is ``s·cos θ`` and the offset ``s·sin θ`` (an
azimuthal-equidistant frame centred on A, in which the geodesic AB is exactly the straight ray at its azimuth). A
point *on* the geodesic has θ = 0, so its chainage is exact to GeographicLib's precision however long the segment.
Off the line, the error of the foot of the perpendicular grows like ``offset² · s / R²`` — under 1 mm for offsets
below 1 km on segments below 100 km.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyproj

__all__ = ["GEOD", "Layout", "Measured", "Segments", "ecef", "layout_of", "measure", "measure_near", "position",
           "segments_of"]

#: The WGS 84 ellipsoid, for every length in the library.
GEOD = pyproj.Geod(ellps="WGS84")
EQUAL_M = 1e-9  # positions closer than this along a segment are the vertex itself
_A, _E2 = GEOD.a, GEOD.es
MEAN_RADIUS_M = 6_371_008.8  # for the chord-to-arc step of a short distance
MIN_RADIUS_M = 6_335_439.0  # the smallest radius of curvature of WGS 84 (the meridian's, at the equator)
NEAR_ERROR_M = 5e-4  # measure_near's bound on the chainage error; pairs beyond it are measured by measure()
NEAR_MAX_SEGMENT_M = 1_000.0  # measure_near takes segments up to this long (its chord steps are exact below it)
ON_LINE_M = 0.01  # points this near a segment go to measure(): a point on the geodesic gets its chainage exactly


@dataclass(frozen=True, eq=False)
class Segments:
    """The geodesic segments of a line, parts in order (all arrays have one entry per segment).

    Attributes: ``ax, ay`` and ``bx, by`` (lon/lat of the first and last vertex, degrees), ``part`` (0-based part
    number), ``az`` (azimuth at A towards B, degrees), ``azb`` (azimuth at B continuing beyond B, degrees),
    ``length`` (geodesic length, m) and ``start`` (chainage of A, m; gaps between parts count zero).

    Examples
    --------
    >>> s = segments_of([np.array([[105.0, 21.0], [105.0, 21.1], [105.1, 21.1]])])
    >>> s.start.round(1).tolist(), s.az.round(3).tolist()
    ([0.0, 11071.8], [0.0, 89.982])
    """

    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    part: np.ndarray
    az: np.ndarray
    azb: np.ndarray
    length: np.ndarray
    start: np.ndarray

    def __len__(self) -> int:
        return len(self.length)

    @property
    def chords(self) -> np.ndarray:
        """``(n, 9)``: per segment the geocentric (ECEF) A, B − A and the sagitta ``M − (A + B)/2`` of its
        midpoint M (m), for :func:`measure_near` (built on first use).
        """
        chords = self.__dict__.get("_chords")
        if chords is None:
            mx, my, _ = GEOD.fwd(self.ax, self.ay, self.az, self.length / 2.0)
            a, b, m = ecef(self.ax, self.ay), ecef(self.bx, self.by), ecef(np.asarray(mx), np.asarray(my))
            chords = np.ascontiguousarray(np.concatenate([a, b - a, m - (a + b) / 2.0], axis=1))
            object.__setattr__(self, "_chords", chords)
        return chords


def segments_of(parts: Sequence[np.ndarray]) -> Segments:
    """The :class:`Segments` of a line given as its parts, each an ``(n, 2)`` lon/lat array."""
    a = np.concatenate([p[:-1] for p in parts])
    b = np.concatenate([p[1:] for p in parts])
    part = np.concatenate([np.full(len(p) - 1, k) for k, p in enumerate(parts)])
    az, back, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    length = np.asarray(length, dtype=float)
    start = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    return Segments(ax=np.ascontiguousarray(a[:, 0]), ay=np.ascontiguousarray(a[:, 1]),
                    bx=np.ascontiguousarray(b[:, 0]), by=np.ascontiguousarray(b[:, 1]), part=part,
                    az=np.asarray(az, dtype=float), azb=(np.asarray(back, dtype=float) + 180.0) % 360.0,
                    length=length, start=start)


@dataclass(frozen=True, eq=False)
class Layout:
    """How segments group into parts: for each part its ``first`` and ``last`` segment, whether it is ``closed``
    (a ring) and the chainage of its vertices ``vertex_m`` (m).
    """

    first: np.ndarray
    last: np.ndarray
    closed: np.ndarray
    vertex_m: tuple[np.ndarray, ...]


def layout_of(parts: Sequence[np.ndarray], seg: Segments) -> Layout:
    """The :class:`Layout` of a line given as its parts and their segments.

    Examples
    --------
    >>> p = [np.array([[105.0, 21.0], [105.0, 21.1]]), np.array([[105.2, 21.1], [105.3, 21.1], [105.3, 21.2]])]
    >>> lay = layout_of(p, segments_of(p))
    >>> lay.first.tolist(), lay.last.tolist(), [v.round(-2).tolist() for v in lay.vertex_m]
    ([0, 1], [0, 2], [[0.0, 11100.0], [11100.0, 21500.0, 32500.0]])
    """
    nseg = np.array([len(p) - 1 for p in parts])
    first = np.concatenate([[0], np.cumsum(nseg)[:-1]])
    last = first + nseg - 1
    vertex_m = tuple(np.append(seg.start[f:f + k], seg.start[f + k - 1] + seg.length[f + k - 1])
                     for f, k in zip(first, nseg, strict=True))
    closed = np.array([bool((p[0] == p[-1]).all()) for p in parts])
    return Layout(first=first, last=last, closed=closed, vertex_m=vertex_m)


@dataclass(frozen=True, eq=False)
class Measured:
    """Points measured against segments, one entry per (point, segment) pair.

    ``dist`` is the geodesic distance to the segment (m), ``offset`` the signed offset (m, positive on the
    *right*), ``chain_m`` the chainage of the nearest point of the segment (m) and ``end`` where that point is:
    -1 the segment's first vertex, +1 its last, 0 inside.
    """

    dist: np.ndarray
    offset: np.ndarray
    chain_m: np.ndarray
    end: np.ndarray


def measure(seg: Segments, si: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> Measured:
    """Measure points ``(lon[k], lat[k])`` against segments ``si[k]`` geodesically (see the module notes).

    Examples
    --------
    >>> s = segments_of([np.array([[105.0, 21.0], [105.0, 21.1]])])
    >>> m = measure(s, np.array([0]), np.array([105.01]), np.array([21.05]))
    >>> round(float(m.dist[0]), 1), round(float(m.chain_m[0]), 1), int(m.end[0])
    (1039.4, 5535.9, 0)
    """
    az_ap, _, s_ap = GEOD.inv(seg.ax[si], seg.ay[si], lon, lat)
    theta = np.radians(np.asarray(az_ap) - seg.az[si])
    s_ap = np.asarray(s_ap)
    along = s_ap * np.cos(theta)
    cross = s_ap * np.sin(theta)  # positive when P is clockwise of AB, i.e. on the right
    seglen = seg.length[si]
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
    return Measured(dist=dist, offset=off, chain_m=seg.start[si] + along_c, end=end)


def ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Geocentric coordinates ``(n, 3)`` (m) of points on the WGS 84 ellipsoid (height 0).

    Examples
    --------
    >>> ecef(np.array([0.0, 90.0]), np.array([0.0, 0.0])).round(1).tolist()
    [[6378137.0, 0.0, 0.0], [0.0, 6378137.0, 0.0]]
    """
    lam, phi = np.radians(lon), np.radians(lat)
    sphi, cphi = np.sin(phi), np.cos(phi)
    nu = _A / np.sqrt(1.0 - _E2 * sphi * sphi)
    out = np.empty((len(lam), 3))
    out[:, 0] = nu * cphi * np.cos(lam)
    out[:, 1] = nu * cphi * np.sin(lam)
    out[:, 2] = nu * (1.0 - _E2) * sphi
    return out


def measure_near(seg: Segments, ends: np.ndarray, si: np.ndarray, lon: np.ndarray, lat: np.ndarray, x: np.ndarray,
                 y: np.ndarray) -> tuple[Measured, np.ndarray]:
    """Measure points against short segments without a geodesic problem; the same answer as :func:`measure` to
    under ``NEAR_ERROR_M`` (0.5 mm) in chainage and far less in distance, where the bound below allows.

    ``ends`` are the segments' ends in a local transverse Mercator frame (rows ``x0, y0, x1, y1``, m, central
    meridian at x = 0) and ``x, y`` the points in it. Returns the :class:`Measured` pairs and the mask of the pairs
    this bound covers and that lie more than ``ON_LINE_M`` (1 cm) from the segment; the caller measures the others
    with :func:`measure` (a point on the line, such as a vertex of a piece cut from it, then keeps the chainage
    :func:`measure` gives it exactly, rather than one within the bound).

    The method: the foot of the perpendicular is found in the frame (parameter ``t`` along the segment's chord);
    the chainage is ``start + t · length``; the foot's geocentric position is ``F = A + t (B − A) + 4 t (1 − t) S``
    (the chord plus a parabola through the arc's midpoint, sagitta ``S``), and the distance is the chord
    ``c = |P − F|`` carried to the arc, ``c + c³ / (24 R²)``.

    The bound. The frame is conformal with scale ``k ≈ cosh(x / R)``, so the image of a geodesic bends with
    curvature at most ``|∇ ln k| ≤ κ = 1.1 · X / R_min²``, ``X`` the largest ``|x|`` on the way (the point's
    ``|x|`` plus the distance plus the segment length; ``R_min`` = 6,335 km, the 1.1 covers the ellipsoid). (1) The
    frame's scale changes along a segment of length ``L`` by a factor of at most ``L κ``, so a uniform ``t``
    misplaces the foot along the segment by at most ``L² κ / 8``. (2) The perpendicular from P, a geodesic of
    length ``d``, bends by at most ``d κ`` over its length, so the straight perpendicular in the frame lands at
    most ``d² κ / 2`` from its foot. Chainage error ``δ ≤ (L² / 4 + d² / 2) κ``, required ≤ ``NEAR_ERROR_M``.
    (3) F is a point of the geodesic AB (the parabola through A, M, B misses the arc by O(L⁴ / R³), and the chord
    parameter differs from the arc's by O(L³ / R²): both under 1e-6 m for ``L ≤ NEAR_MAX_SEGMENT_M``), so the
    distance errs by at most ``δ`` and, being stationary at the foot, by about ``δ² / (2 d)`` once ``d ≫ δ``.
    (4) The chord-to-arc step with the mean radius errs by ``c³ / (24 R²)`` times the ±1.4 % spread of the
    ellipsoid's radii: under 2e-9 m for ``c`` ≤ 400 m. Numerically, geocentric coordinates carry ~1e-9 m.

    Examples
    --------
    >>> s = segments_of([np.array([[105.0, 21.0], [105.0, 21.001]])])
    >>> ends = np.array([[0.0, 0.0, 0.0, 110.7]])   # the segment, near enough, in a frame centred on it
    >>> m, ok = measure_near(s, ends, np.array([0]), np.array([105.0005]), np.array([21.0005]),
    ...                      np.array([51.9]), np.array([55.35]))
    >>> e = measure(s, np.array([0]), np.array([105.0005]), np.array([21.0005]))
    >>> bool(ok[0]), abs(float(m.dist[0] - e.dist[0])) < 1e-3, abs(float(m.chain_m[0] - e.chain_m[0])) < 0.1
    (True, True, True)
    """
    e = np.take(ends, si, axis=0)
    vx, vy = e[:, 2] - e[:, 0], e[:, 3] - e[:, 1]
    qx, qy = x - e[:, 0], y - e[:, 1]
    raw = qx * vx + qy * vy
    vv = vx * vx + vy * vy
    zero = vv == 0
    t = np.clip(raw / np.where(zero, 1.0, vv), 0.0, 1.0)
    cross = vx * qy - vy * qx  # > 0: P on the left of AB in the frame
    ch = np.take(seg.chords, si, axis=0)
    w = 4.0 * t * (1.0 - t)
    f = ch[:, 0:3] + t[:, None] * ch[:, 3:6] + w[:, None] * ch[:, 6:9]
    c = np.sqrt(((ecef(lon, lat) - f) ** 2).sum(axis=1))
    dist = c + c ** 3 / (24.0 * MEAN_RADIUS_M ** 2)
    seglen = seg.length[si]
    end = np.where(zero | (raw < 0), -1, np.where(raw > vv, 1, 0))
    kappa = 1.1 * (np.abs(x) + dist + seglen) / MIN_RADIUS_M ** 2
    ok = (seglen <= NEAR_MAX_SEGMENT_M) & ((seglen * seglen / 4.0 + dist * dist / 2.0) * kappa <= NEAR_ERROR_M)
    ok &= dist > ON_LINE_M
    off = np.where(cross > 0, -dist, dist)  # positive on the right, as measure() gives it
    return Measured(dist=dist, offset=off, chain_m=seg.start[si] + t * seglen, end=end), ok


def position(seg: Segments, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lon, lat (degrees) and segment index at chainage ``m`` (metres, already clamped to the line).

    Examples
    --------
    >>> s = segments_of([np.array([[105.0, 21.0], [105.0, 21.1]])])
    >>> lon, lat, k = position(s, np.array([0.0, 5536.0]))
    >>> lat.round(4).tolist(), k.tolist()
    ([21.0, 21.05], [0, 0])
    """
    k = np.searchsorted(seg.start, m, side="right") - 1
    k = np.clip(k, 0, len(seg) - 1)
    d = m - seg.start[k]
    lon, lat, _ = GEOD.fwd(seg.ax[k], seg.ay[k], seg.az[k], d)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    at_a = d <= EQUAL_M
    at_b = d >= seg.length[k] - EQUAL_M
    lon = np.where(at_a, seg.ax[k], np.where(at_b, seg.bx[k], lon))
    lat = np.where(at_a, seg.ay[k], np.where(at_b, seg.by[k], lat))
    return lon, lat, k
