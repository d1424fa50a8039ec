"""Locating points on a line: candidate segments from the index, planar pre-filter, geodesic measurement.

The indexed path (:func:`locate_indexed`) asks the k-d tree of pieces (:mod:`.index`) for candidate segments,
measures them in the local planar frame (vectorised over an ``(n, k)`` matrix), and measures on the ellipsoid
only the planar-nearest segment of each point and any as near (0.1 % + 0.1 m + ``LocalFrame.bend_m``: ties at
joints, and the bend of a long segment's image; the frame is conformal, so planar and geodesic nearest agree
closer than that), by the geodesic inverse problem (:func:`.geodesy.measure`), or with ``CLOSED_FORM`` set, short
segments in closed form (:func:`.geodesy.measure_near`, chainage to 0.5 mm) and the rest by :func:`.geodesy.measure`.
The exact path (:func:`locate_exact`) measures every candidate pair geodesically: used for lines without a frame,
lines with very long segments, and points far from the line.

Edge-case rules: the nearest distance wins, then the smaller chainage; a point nearest to a vertex lies outside
the bend there, so its side is the outer side of the turn.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .geodesy import Layout, Measured, Segments, measure, measure_near
from .index import WIDEN, Candidates, LocalFrame, PieceIndex, nearest_pieces, spatial_order, strtree_candidates

__all__ = ["LocateResult", "ambiguity", "locate_exact", "locate_indexed", "vertex_sides"]

# True: the fast path measures short segments with geodesy.measure_near (chainage within 0.5 mm of measure(),
# 1.1-1.3x faster locate). Off by default: the bundled data were built with measure()'s chainages, and stretches
# that meet at a marker then stop meeting by micrometres (a coverage union splits; build_datasets --check fails)
CLOSED_FORM = False
THREAD_CHUNK = 65_536  # points per task when locating on several threads
BLOCK = 8_192  # points per block of the planar check (its arrays stay in cache)
MIN_SPLIT = 2 * BLOCK  # up to this many points, one thread


@dataclass(frozen=True, eq=False)
class LocateResult:
    """Per point: ``chainage_km``, ``offset_m`` (+ left), ``segment``, ``ambiguous`` and ``alt_chainage_km``."""

    chainage_km: np.ndarray
    offset_m: np.ndarray
    segment: np.ndarray
    ambiguous: np.ndarray
    alt_chainage_km: np.ndarray

    @classmethod
    def empty(cls, n: int) -> LocateResult:
        """NaN chainages and offsets, segment 0, not ambiguous, for ``n`` points."""
        return cls(np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool),
                   np.full(n, np.nan))

    def put(self, rows: np.ndarray, other: LocateResult) -> None:
        """Write ``other`` (one entry per row) into ``rows`` of this result."""
        self.chainage_km[rows] = other.chainage_km
        self.offset_m[rows] = other.offset_m
        self.segment[rows] = other.segment
        self.ambiguous[rows] = other.ambiguous
        self.alt_chainage_km[rows] = other.alt_chainage_km


def ambiguity(owner: np.ndarray, dist: np.ndarray, chain_m: np.ndarray, dmin: np.ndarray, chosen_m: np.ndarray,
              ambiguity_m: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Flag points with another candidate almost as near (within ``ambiguity_m``) but far along the line.

    ``owner``, ``dist`` and ``chain_m`` describe candidates (point index, distance m, chainage m); ``dmin`` and
    ``chosen_m`` are each point's nearest distance and chosen chainage. "Far along the line" means farther than the
    way round through the two feet (``2 (d + dmin) + ambiguity_m``), so a corner never counts, a meander does.
    Returns the flags and, for flagged points, the farthest such alternative chainage (km).

    Examples
    --------
    >>> amb, alt = ambiguity(np.array([0, 0, 1]), np.array([5.0, 8.0, 5.0]), np.array([100.0, 900.0, 40.0]),
    ...                      np.array([5.0, 5.0]), np.array([100.0, 40.0]), 10.0, 2)
    >>> amb.tolist(), alt.tolist()
    ([True, False], [0.9, nan])
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


def vertex_sides(seg: Segments, layout: Layout, k: np.ndarray, end: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Correct the side of points whose nearest point is a vertex (``end`` ≠ 0 on segment ``k``).

    Such a point lies outside the bend at that vertex (in its normal cone), so its side is the outer side of
    the turn: the left after a right (clockwise) turn, the right after a left turn. The side of one adjacent
    segment alone can be wrong at a sharp turn. ``offset`` is positive on the left.
    """
    at = np.flatnonzero(end != 0)
    if not len(at):
        return offset
    k, e = k[at], end[at]
    part = seg.part[k]
    first, last, closed = layout.first[part], layout.last[part], layout.closed[part]
    # the segments before and after the vertex, within the part (wrapping round a closed ring)
    kin = np.where(e > 0, k, np.where(k > first, k - 1, np.where(closed, last, -1)))
    kout = np.where(e > 0, np.where(k < last, k + 1, np.where(closed, first, -1)), k)
    inner = (kin >= 0) & (kout >= 0) & (kin != kout)
    kin, kout = np.maximum(kin, 0), np.maximum(kout, 0)
    inner &= (seg.length[kin] > 0) & (seg.length[kout] > 0)
    turn = (seg.az[kout] - seg.azb[kin] + 540.0) % 360.0 - 180.0  # > 0: a right (clockwise) turn
    inner &= np.abs(turn) > 1e-9
    mag = np.abs(offset[at])
    out = offset.copy()
    out[at] = np.where(inner, np.where(turn > 0, mag, -mag), offset[at])
    return out


def _nearest(seg: Segments, layout: Layout, gpi: np.ndarray, gsi: np.ndarray, m: Measured,
             n: int) -> tuple[LocateResult, np.ndarray]:
    """Each point's nearest pair (smallest distance, then smallest chainage), and its distance (m)."""
    # pairs come grouped by point; only points with several pairs need a choice
    first = np.flatnonzero(np.concatenate([[True], gpi[1:] != gpi[:-1]])) if len(gpi) else gpi
    count = np.diff(np.append(first, len(gpi)))
    best = first.copy()
    many = np.flatnonzero(count > 1)
    if len(many):
        sel = np.flatnonzero(np.repeat(count > 1, count))
        order = sel[np.lexsort((m.chain_m[sel], m.dist[sel], gpi[sel]))]
        pi_o = gpi[order]
        best[many] = order[np.concatenate([[True], pi_o[1:] != pi_o[:-1]])]
    res = LocateResult.empty(n)
    dmin = np.full(n, np.nan)
    bp = gpi[best]
    res.chainage_km[bp], res.segment[bp], dmin[bp] = m.chain_m[best], gsi[best], m.dist[best]
    res.offset_m[bp] = vertex_sides(seg, layout, gsi[best], m.end[best], -m.offset[best])
    return res, dmin


def locate_exact(seg: Segments, layout: Layout, frame: LocalFrame, lon: np.ndarray, lat: np.ndarray,
                 ambiguity_m: float) -> LocateResult:
    """The general path: candidate pairs from the STRtree (or every segment), all measured geodesically."""
    n = len(lon)
    if frame.tm is None:  # every segment is a candidate
        gpi, gsi = np.repeat(np.arange(n), len(frame.long_idx)), np.tile(frame.long_idx, n)
    else:
        gpi, gsi = strtree_candidates(frame, *frame.project(lon, lat), ambiguity_m + 1.0)
        grouped = np.argsort(gpi, kind="stable")  # pairs grouped by point, as _nearest wants them
        gpi, gsi = gpi[grouped], gsi[grouped]
    m = measure(seg, gsi, lon[gpi], lat[gpi])
    res, dmin = _nearest(seg, layout, gpi, gsi, m, n)
    amb, alt = ambiguity(gpi, m.dist, m.chain_m, dmin, res.chainage_km, ambiguity_m, n)
    res.chainage_km[:] /= 1000.0
    res.ambiguous[:], res.alt_chainage_km[:] = amb, alt
    return res


def locate_indexed(seg: Segments, layout: Layout, frame: LocalFrame, pieces: PieceIndex, lon: np.ndarray,
                   lat: np.ndarray, ambiguity_m: float, workers: int) -> LocateResult:
    """The fast path (see the module notes); points it cannot settle go through :func:`locate_exact`.

    With ``workers`` other than 1 and more than ``MIN_SPLIT`` points, the points are cut into equal chunks (at
    most ``THREAD_CHUNK``) that run whole (projection, k-d query, planar check, step on the ellipsoid) on a thread
    pool of ``workers`` threads (-1: one per core): numpy, scipy's k-d tree and pyproj release the GIL in their
    array loops. Each chunk's answer does not depend on the other chunks, so the result is the same for any number
    of threads.
    """
    n = len(lon)
    threads = (os.cpu_count() or 1) if workers == -1 else workers
    if threads <= 1 or n <= MIN_SPLIT:
        return _locate_chunk(seg, layout, frame, pieces, lon, lat, ambiguity_m, workers)
    out = LocateResult.empty(n)
    # equal chunks, a multiple of the thread count of them, none over THREAD_CHUNK: no thread waits on a last
    # short chunk (100,000 points on 2 threads were cut 65,536 + 34,464 before)
    count = threads * -(-n // (threads * THREAD_CHUNK))
    bounds = np.linspace(0, n, count + 1).astype(np.int64)

    def run(c: int) -> LocateResult:
        sl = slice(bounds[c], bounds[c + 1])
        return _locate_chunk(seg, layout, frame, pieces, lon[sl], lat[sl], ambiguity_m, 1)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for c, res in enumerate(pool.map(run, range(count))):
            out.put(np.arange(bounds[c], bounds[c + 1]), res)
    return out


def _locate_chunk(seg: Segments, layout: Layout, frame: LocalFrame, pieces: PieceIndex, lon: np.ndarray,
                  lat: np.ndarray, ambiguity_m: float, workers: int) -> LocateResult:
    """:func:`locate_indexed` on one chunk of points (``workers``: threads of the k-d query).

    The points are put in :func:`.index.spatial_order` and worked through in blocks of ``BLOCK``, so that the
    ``(block, k)`` arrays of the planar check stay in the core's cache; the points a block leaves unsettled are
    gathered and asked again together, with more pieces.
    """
    x, y = frame.project(lon, lat)
    order = spatial_order(x, y)
    x, y, lon, lat = x[order], y[order], lon[order], lat[order]
    out = LocateResult.empty(len(lon))
    todo = np.arange(len(lon))
    for k in (pieces.k_first, *(w * pieces.k_first for w in WIDEN)):
        left = []
        for lo in range(0, len(todo), BLOCK):
            b = todo[lo:lo + BLOCK]
            cand = nearest_pieces(pieces, x[b], y[b], k=k, workers=workers)
            res, settled = _settle(seg, layout, frame, pieces, cand, x[b], y[b], lon[b], lat[b], ambiguity_m)
            out.put(order[b[settled]], res)
            left.append(b[~settled])
        todo = np.concatenate(left)
        if not len(todo):
            return out
    out.put(order[todo], locate_exact(seg, layout, frame, lon[todo], lat[todo], ambiguity_m))
    return out


def _settle(seg: Segments, layout: Layout, frame: LocalFrame, pieces: PieceIndex, cand: Candidates,
            x: np.ndarray, y: np.ndarray, lon: np.ndarray, lat: np.ndarray,
            ambiguity_m: float) -> tuple[LocateResult, np.ndarray]:
    """Locate the points whose candidates are complete; returns their result and the mask of those points."""
    s = cand.segment
    ends = np.take(frame.ends, s, axis=0)  # (n, k, 4); np.take: several times faster than fancy indexing here
    # planar distance to each candidate segment, in place (these (n, k) arrays dominate the time)
    x0, y0 = ends[..., 0], ends[..., 1]
    vx, vy = ends[..., 2] - x0, ends[..., 3] - y0
    qx, qy = x[:, None] - x0, y[:, None] - y0
    t = qx * vx
    t += qy * vy
    vv = vx * vx
    vv += vy * vy
    np.copyto(vv, 1.0, where=vv == 0)  # a zero-length segment: t = 0
    t /= vv
    np.clip(t, 0.0, 1.0, out=t)
    vx *= t
    vy *= t
    qx -= vx
    qy -= vy
    dp = np.hypot(qx, qy, out=qx)
    col = dp.argmin(axis=1)
    dmin_p = np.take_along_axis(dp, col[:, None], axis=1)[:, 0]
    # complete: no group beyond the k-th centre can hold a point within ambiguity_m (+1 m) of the nearest
    # (+ the frame's bend_m: planar distances to long segments may be out of order by that much)
    settled = cand.finite & (cand.distance[:, -1] - pieces.max_radius > dmin_p + ambiguity_m + 1.0 + frame.bend_m)
    rows = np.flatnonzero(settled)
    if len(rows) < len(x):  # most blocks settle whole: no copies then
        s, t, dp, dmin_p, col = s[rows], t[rows], dp[rows], dmin_p[rows], col[rows]
        lon, lat, x, y = lon[rows], lat[rows], x[rows], y[rows]
    best = np.take_along_axis(s, col[:, None], axis=1)[:, 0]
    chain_m, dist, segment, end, off = _geodesic_step(seg, frame, s, dp, dmin_p, best, lon, lat, x, y)
    res = LocateResult(chain_m / 1000.0, vertex_sides(seg, layout, segment, end, -off), segment,
                       np.zeros(len(rows), dtype=bool), np.full(len(rows), np.nan))
    # ambiguity from the planar candidates: another segment almost as near, far away along the line (pieces of the
    # chosen segment itself lie at its chainage, so they never count)
    r, c = np.nonzero((dp <= dmin_p[:, None] + ambiguity_m) & (s != segment[:, None]))
    if len(r):
        sc = s[r, c]
        chain_e = seg.start[sc] + t[r, c] * seg.length[sc]
        res.ambiguous[:], res.alt_chainage_km[:] = ambiguity(r, dp[r, c], chain_e, dmin_p, chain_m, ambiguity_m,
                                                             len(rows))
    return res, settled


def _measure(seg: Segments, frame: LocalFrame, si: np.ndarray, lon: np.ndarray, lat: np.ndarray, x: np.ndarray,
             y: np.ndarray) -> Measured:
    """Pairs measured by :func:`.geodesy.measure_near` where its bound allows, by :func:`.geodesy.measure` else."""
    if not CLOSED_FORM:
        return measure(seg, si, lon, lat)
    m, ok = measure_near(seg, frame.ends, si, lon, lat, x, y)
    if not ok.all():
        bad = np.flatnonzero(~ok)
        mb = measure(seg, si[bad], lon[bad], lat[bad])
        for name in ("dist", "offset", "chain_m", "end"):
            getattr(m, name)[bad] = getattr(mb, name)
    return m


def _geodesic_step(seg: Segments, frame: LocalFrame, s: np.ndarray, dp: np.ndarray, dmin_p: np.ndarray,
                   best: np.ndarray, lon: np.ndarray, lat: np.ndarray, x: np.ndarray,
                   y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Measure on the ellipsoid each point's planar-nearest segment ``best`` and any other candidate as near
    (0.1 % + 0.1 m + the frame's ``bend_m``: ties at joints, long segments), each segment once; keep the nearest
    (then the smaller chainage).

    Returns chainage (m), distance (m), segment, end and offset (m, + right) of each point's nearest pair.
    """
    m = _measure(seg, frame, best, lon, lat, x, y)
    chain_m, dist, segment, end, off = m.chain_m, m.dist, best.copy(), m.end, m.offset
    # planar and ellipsoidal distances differ by the frame's scale (0.1 % covers it) and by the bend of a long
    # segment's image (frame.bend_m: a 19 km segment 300 km from the central meridian strays 0.33 m from its chord)
    tied = (dp <= dmin_p[:, None] * 1.001 + (0.1 + frame.bend_m)) & (s != best[:, None])
    many = np.flatnonzero(tied.any(axis=1))
    if len(many):  # a long segment is cut into several pieces: sort each point's tied segments, drop repeats
        extra = np.where(tied[many], s[many], -1)
        extra.sort(axis=1)
        extra[:, 1:][extra[:, 1:] == extra[:, :-1]] = -1
        r, c = np.nonzero(extra >= 0)
        pi, si = many[r], extra[r, c]
        m1 = _measure(seg, frame, si, lon[pi], lat[pi], x[pi], y[pi])
        order = np.lexsort((m1.chain_m, m1.dist, pi))  # per point, nearest first
        first = order[np.concatenate([[True], pi[order][1:] != pi[order][:-1]])]
        p1 = pi[first]
        better = (m1.dist[first] < dist[p1]) | ((m1.dist[first] == dist[p1]) & (m1.chain_m[first] < chain_m[p1]))
        p1, first = p1[better], first[better]
        chain_m[p1], dist[p1], segment[p1], end[p1], off[p1] = (m1.chain_m[first], m1.dist[first], si[first],
                                                                 m1.end[first], m1.offset[first])
    return chain_m, dist, segment, end, off
