"""The spatial index behind :meth:`Border.locate`: a local planar frame, the line cut into short pieces grouped
in a k-d tree.

The line is drawn in a local transverse Mercator frame (conformal: nearest stays nearest) and every segment is cut
into pieces of at most ``h`` metres (the 90th percentile of the segment lengths, between 5 and 100 m; more
for very long lines: most segments stay whole, the pieces stay near-uniform and few). Consecutive pieces of a part
are grouped ``G`` at a time, ``G = GROUP_M // h`` (1 to ``MAX_GROUP``: 1, i.e. one piece per group, unless the
pieces are under 25 m, as on a line of 5 m steps). A k-d tree (scipy) holds each group's centre (the middle of
its pieces' bounding box) and each group knows its segments and its radius (the farthest end of its pieces from
the centre). For a point P, the planar distance ``d`` to the nearest segment among the groups of its ``k`` nearest
centres bounds the distance ``d*`` to the line from above, and the nearest point of the line lies in some group j
with ``|P − centre_j| − radius_j ≤ d*``. So when the ``k``-th centre is farther than
``d + max_radius + ambiguity_m`` (+1 m of slack), the ``k`` groups contain the nearest segment and every
nearly-nearest one. The first query asks for ``k_first`` centres (enough for a point 200 m from a straight stretch
of this line); the points not settled are asked again with twice as many (most of them settle there: measured
95–96 % settled after the first query, over 99.7 % after the second, on the benchmark's smooth and random-walk
lines), then four times as many, and the few still not settled (far from the line) go through an STRtree of the
segments instead (exact, slower).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely

from ..crs import WGS84
from .geodesy import MIN_RADIUS_M, Segments

__all__ = ["Candidates", "LocalFrame", "PieceIndex", "build_frame", "build_pieces", "nearest_pieces", "spatial_order",
           "strtree_candidates"]

LONG_SEGMENT_M = 50_000.0  # segments longer than this are candidates for every point (their TM image bends)
BRUTE_FORCE_SEGMENTS = 16  # up to this many segments, measuring all of them beats building an index
PIECE_M = 100.0  # longest piece (TM metres)
MIN_PIECE_M = 5.0  # segments are not cut finer than this
MAX_PIECES = 2_000_000  # the piece length grows for very long lines to keep the index below this size
TYPICAL_OFFSET_M = 200.0  # the first k-d query asks for enough pieces to settle a point this far from a straight line
WIDEN = (2, 4)  # points not settled by the first query are asked again for these many times more pieces
PIECE_QUANTILE = 0.9  # pieces are cut to this quantile of the segments' lengths (within the bounds above)
GROUP_M = 50.0  # pieces shorter than this are grouped, GROUP_M // piece length of them per group (at most MAX_GROUP)
MAX_GROUP = 8


@dataclass(frozen=True, eq=False)
class LocalFrame:
    """The local transverse Mercator frame of a line and its segments drawn in it.

    ``tm`` is None when no single frame serves (a few segments, or a continental extent): then every segment is a
    candidate for every point. ``x0, y0, x1, y1`` are the segments' end points in the frame (m), also as the rows of
    ``ends`` (``(n, 4)``, one gather per lookup); ``long_idx`` the segments too long for a planar search.
    """

    tm: pyproj.Transformer | None
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    long_idx: np.ndarray

    @property
    def ends(self) -> np.ndarray:
        """``x0, y0, x1, y1`` as one C-contiguous ``(n, 4)`` array (built on first use)."""
        ends = self.__dict__.get("_ends")
        if ends is None:
            ends = np.ascontiguousarray(np.column_stack([self.x0, self.y0, self.x1, self.y1]))
            object.__setattr__(self, "_ends", ends)
        return ends

    def project(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points in the frame (m); NaN where the projection fails."""
        assert self.tm is not None
        x, y = self.tm.transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    @property
    def bend_m(self) -> float:
        """How far (m) the frame's straight chords may stray from the geodesic segments they draw, twice over: the
        image of a geodesic of length ``L`` bends with curvature at most ``κ = 1.1 · X / R_min²`` (``X`` its
        largest ``|x|``; see :func:`.geodesy.measure_near`), so it strays at most ``L² κ / 8`` from its chord.
        Two segments' planar distances can thus be out of order by ``2 · L² κ / 8`` at most (0.33 m · 2 for a
        19 km segment 300 km from the central meridian; nil for short segments).
        """
        bend = self.__dict__.get("_bend_m")
        if bend is None:
            length = np.hypot(self.x1 - self.x0, self.y1 - self.y0)
            reach = np.maximum(np.abs(self.x0), np.abs(self.x1)) + length
            bend = float((length * length * 1.1 * reach / MIN_RADIUS_M ** 2).max(initial=0.0) / 4.0)
            object.__setattr__(self, "_bend_m", bend)
        return bend

    @property
    def strtree(self) -> shapely.STRtree:
        """An STRtree of the segments in the frame (built on first use, for the exact fallback)."""
        tree = self.__dict__.get("_strtree")
        if tree is None:
            coords = np.empty((len(self.x0) * 2, 2))
            coords[0::2, 0], coords[0::2, 1] = self.x0, self.y0
            coords[1::2, 0], coords[1::2, 1] = self.x1, self.y1
            segs = shapely.linestrings(coords, indices=np.repeat(np.arange(len(self.x0)), 2))
            tree = shapely.STRtree(segs)
            object.__setattr__(self, "_strtree", tree)
        return tree


def build_frame(seg: Segments) -> LocalFrame:
    """The :class:`LocalFrame` of a line, centred on its extent.

    Examples
    --------
    >>> from .geodesy import segments_of
    >>> line = np.column_stack([np.linspace(105, 105.5, 40), np.full(40, 21.0)])
    >>> f = build_frame(segments_of([line]))
    >>> round(float(f.x1[-1] - f.x0[0]))    # 0.5° of longitude at 21°N, in TM metres
    51985
    """
    allx = np.concatenate([seg.ax, seg.bx[-1:]])
    ally = np.concatenate([seg.ay, seg.by[-1:]])
    empty = np.empty(0)
    if len(seg) <= BRUTE_FORCE_SEGMENTS or allx.max() - allx.min() > 60 or ally.max() - ally.min() > 60:
        return LocalFrame(None, empty, empty, empty, empty, np.arange(len(seg)))
    lon0 = float((allx.min() + allx.max()) / 2)
    lat0 = float((ally.min() + ally.max()) / 2)
    tm = pyproj.Transformer.from_crs(
        WGS84, pyproj.CRS.from_proj4(f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +ellps=WGS84 +units=m"),
        always_xy=True)
    ax, ay = tm.transform(seg.ax, seg.ay)
    bx, by = tm.transform(seg.bx, seg.by)
    x0, y0, x1, y1 = (np.ascontiguousarray(v, dtype=float) for v in (ax, ay, bx, by))
    return LocalFrame(tm, x0, y0, x1, y1, np.flatnonzero(seg.length > LONG_SEGMENT_M))


@dataclass(frozen=True, eq=False)
class PieceIndex:
    """The k-d tree of group centres: ``segment`` (``(groups, G)``: the segments of each group's pieces, a short
    group padded with its first), ``radius`` (m: no point of the group's pieces is farther from its centre),
    ``max_radius`` (m), and ``k_first``, the number of centres asked for first.
    """

    tree: Any
    segment: np.ndarray
    radius: np.ndarray
    max_radius: float
    k_first: int


def build_pieces(frame: LocalFrame, part: np.ndarray) -> PieceIndex:
    """Cut every segment into pieces of at most ``PIECE_M`` frame metres, group consecutive pieces of a part
    ``G`` at a time (``G`` = 1 unless the pieces are much shorter than ``GROUP_M``) and index the groups' centres.
    """
    from scipy.spatial import cKDTree

    dx, dy = frame.x1 - frame.x0, frame.y1 - frame.y0
    tm_len = np.hypot(dx, dy)
    # pieces of about the longer segments' length: the bound uses the largest radius, so uniform pieces keep it
    # tight; cutting at the 90th percentile rather than the median leaves most segments whole (a median cut splits
    # every longer-than-median segment into two short pieces: 1.5 pieces per segment and a larger k_first); measured
    # about 15-30 % less CPU time for locate on the benchmark's smooth and random-walk lines
    h = min(PIECE_M, max(MIN_PIECE_M, float(np.quantile(tm_len, PIECE_QUANTILE))))
    h = max(h, float(tm_len.sum()) / MAX_PIECES)
    count = np.maximum(1, np.ceil(tm_len / h)).astype(np.int64)
    segment = np.repeat(np.arange(len(tm_len)), count)
    k = np.arange(len(segment)) - np.repeat(np.cumsum(count) - count, count)  # piece number within its segment
    t0, t1 = k / count[segment], (k + 1) / count[segment]
    ex0, ey0 = frame.x0[segment] + t0 * dx[segment], frame.y0[segment] + t0 * dy[segment]
    ex1, ey1 = frame.x0[segment] + t1 * dx[segment], frame.y0[segment] + t1 * dy[segment]
    # groups of G consecutive pieces of one part: a line of many tiny segments (a 5 m zigzag) then asks the tree
    # for a few groups rather than dozens of pieces; each group's pieces are measured together
    g = int(np.clip(GROUP_M // h, 1, MAX_GROUP))
    pp = part[segment]
    ordinal = np.arange(len(segment)) - np.searchsorted(pp, pp)  # piece number within its part
    new = np.concatenate([[True], (pp[1:] != pp[:-1]) | (ordinal[1:] // g != ordinal[:-1] // g)])
    starts = np.flatnonzero(new)
    gid = np.cumsum(new) - 1
    members = np.full((len(starts), g), -1, dtype=np.int64)
    members[gid, ordinal % g] = segment
    members = np.where(members < 0, members[:, :1], members)
    cx = (np.minimum.reduceat(np.minimum(ex0, ex1), starts) + np.maximum.reduceat(np.maximum(ex0, ex1), starts)) / 2
    cy = (np.minimum.reduceat(np.minimum(ey0, ey1), starts) + np.maximum.reduceat(np.maximum(ey0, ey1), starts)) / 2
    # a piece is straight: its farthest point from the centre is one of its ends
    far = np.maximum(np.hypot(ex0 - cx[gid], ey0 - cy[gid]), np.hypot(ex1 - cx[gid], ey1 - cy[gid]))
    radius = np.maximum.reduceat(far, starts) * (1.0 + 1e-12) + 1e-9
    # a point d from a straight stretch needs the groups along a chord of 2·sqrt(2·d·(max_radius + slack)); ask for
    # that many at TYPICAL_OFFSET_M (10 m slack: the default ambiguity), the rest are asked again with more
    max_radius = float(radius.max())
    chord = 2.0 * np.sqrt(2.0 * TYPICAL_OFFSET_M * (max_radius + 11.0))
    k_first = int(np.clip(np.ceil(chord / (2.0 * float(np.median(radius)))) + 1, 4, 16))
    return PieceIndex(cKDTree(np.column_stack([cx, cy])), members, radius, max_radius, k_first)


@dataclass(frozen=True, eq=False)
class Candidates:
    """The ``k`` nearest group centres of each point: ``distance`` (m, ``(n, k)``) and the groups' segments
    (``(n, k·G)``), in the caller's order; ``finite`` marks the points the frame could project.
    """

    distance: np.ndarray
    segment: np.ndarray
    finite: np.ndarray


def spatial_order(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """An order of the points by 2 km cells: neighbouring queries then walk the same branches of the tree."""
    with np.errstate(invalid="ignore"):
        key = np.nan_to_num(np.floor(x / 2000.0)) * 1e7 + np.nan_to_num(np.floor(y / 2000.0))
    return np.argsort(key, kind="stable")


def nearest_pieces(index: PieceIndex, x: np.ndarray, y: np.ndarray, *, k: int, workers: int) -> Candidates:
    """The ``k`` nearest group centres of points ``(x, y)`` in the frame (best given in :func:`spatial_order`).

    The candidates are complete for a point whose nearest segment among them is at ``d`` when the ``k``-th centre
    is farther than ``d + max_radius + slack`` (see the module notes); the caller checks that.
    """
    k = min(k, len(index.radius))
    finite = np.isfinite(x) & np.isfinite(y)
    xy = np.column_stack([np.where(finite, x, 0.0), np.where(finite, y, 0.0)])
    d, i = index.tree.query(xy, k=k, workers=workers)
    d, i = d.reshape(len(x), k), i.reshape(len(x), k)
    if k == len(index.radius):
        d[:, -1] = np.inf  # every group was returned: complete
    return Candidates(distance=d, segment=np.take(index.segment, i, axis=0).reshape(len(x), -1), finite=finite)


def strtree_candidates(frame: LocalFrame, x: np.ndarray, y: np.ndarray,
                       slack_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (point index, segment index) for the exact fallback: the STRtree's planar-nearest segment and every
    segment within 0.5 % + ``slack_m`` of it (every segment for points the frame cannot project), plus the long
    segments whose frame image bends.
    """
    n = len(x)
    finite = np.isfinite(x) & np.isfinite(y)
    ok = np.flatnonzero(finite)
    pts = shapely.points(x[ok], y[ok])
    tree = frame.strtree
    (q0, _), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    reach = np.empty(len(pts))
    reach[q0] = dist * 1.005 + slack_m
    q1, s1 = tree.query(pts, predicate="dwithin", distance=reach)
    pi, si = ok[q1], s1
    bad = np.flatnonzero(~finite)
    nseg = len(frame.x0)
    if len(bad):  # outside the TM frame's reach: every segment is a candidate (rare, very far points)
        pi = np.concatenate([pi, np.repeat(bad, nseg)])
        si = np.concatenate([si, np.tile(np.arange(nseg), len(bad))])
    if len(frame.long_idx):
        pi = np.concatenate([pi, np.repeat(np.arange(n), len(frame.long_idx))])
        si = np.concatenate([si, np.tile(frame.long_idx, n)])
    return pi, si
