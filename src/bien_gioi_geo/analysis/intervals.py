"""Interval algebra on chainage: union, gaps and overlaps by sort-and-sweep.

Rules
    Intervals are half-open, ``[start, end)``. Touching intervals (``[0, 1)`` and ``[1, 2)``) merge in a union and
    do *not* overlap. Zero-length intervals (``start == end``) cover nothing. Reversed intervals
    (``start > end``) are not allowed here: callers swap them and report them (rule ``reversed_range``). NaN
    intervals are ignored (callers report why they could not be resolved).

Computing on numbers, not geometry, is exact: a geometric union of cut stretches over-counts where nearly
collinear overlapping pieces fail to merge.

Uses (layer ``analysis``): nothing else of the package.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["union", "union_length", "gaps", "overlaps", "depth"]


def _clean(starts: ArrayLike, ends: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    s = np.asarray(starts, dtype=float)
    e = np.asarray(ends, dtype=float)
    if s.shape != e.shape:
        raise ValueError(f"starts and ends differ in length ({s.size} and {e.size})")
    keep = np.isfinite(s) & np.isfinite(e) & (e > s)
    if (np.isfinite(s) & np.isfinite(e) & (e < s)).any():
        raise ValueError("reversed interval (start > end); swap it and report it before the union")
    idx = np.flatnonzero(keep)
    return s[keep], e[keep], idx


def union(starts: ArrayLike, ends: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Merge intervals into disjoint, sorted ``[start, end)`` pieces.

    Examples
    --------
    >>> union([0, 1, 5], [1, 3, 6])
    (array([0., 5.]), array([3., 6.]))
    """
    s, e, _ = _clean(starts, ends)
    if s.size == 0:
        return np.empty(0), np.empty(0)
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    run_end = np.maximum.accumulate(e)
    # a new piece starts where an interval begins after everything before it has ended
    new = np.concatenate([[True], s[1:] > run_end[:-1]])
    starts_u = s[new]
    last = np.concatenate([np.flatnonzero(new)[1:] - 1, [s.size - 1]])
    return starts_u, run_end[last]


def union_length(starts: ArrayLike, ends: ArrayLike) -> float:
    """Total length of the union (same unit as the input).

    >>> union_length([0, 0.5, 2], [1, 1.5, 3])
    2.5
    """
    us, ue = union(starts, ends)
    return float((ue - us).sum())


def gaps(starts: ArrayLike, ends: ArrayLike, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """The pieces of ``[lo, hi)`` that no interval covers.

    >>> gaps([1, 4], [2, 5], 0, 6)
    (array([0., 2., 5.]), array([1., 4., 6.]))
    """
    us, ue = union(starts, ends)
    us = np.clip(us, lo, hi)
    ue = np.clip(ue, lo, hi)
    gs = np.concatenate([[lo], ue])
    ge = np.concatenate([us, [hi]])
    keep = ge > gs
    return gs[keep], ge[keep]


def depth(starts: ArrayLike, ends: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Elementary pieces with the number of intervals covering each (count ≥ 1 only)."""
    s, e, _ = _clean(starts, ends)
    if s.size == 0:
        return np.empty(0), np.empty(0), np.empty(0, dtype=int)
    xs = np.concatenate([s, e])
    delta = np.concatenate([np.ones(s.size, dtype=int), -np.ones(e.size, dtype=int)])
    order = np.lexsort((delta, xs))  # at equal x, ends (-1) before starts (+1): half-open
    xs, delta = xs[order], delta[order]
    count = np.cumsum(delta)
    a, b, c = xs[:-1], xs[1:], count[:-1]
    keep = (b > a) & (c > 0)
    return a[keep], b[keep], c[keep]


def overlaps(starts: ArrayLike, ends: ArrayLike,
             ids: Sequence[Hashable]) -> list[tuple[float, float, tuple[Hashable, ...]]]:
    """Stretches covered by two or more intervals, with the ids that claim each (adjacent pieces with the same
    ids merged; ids in the order of the input).

    The elementary pieces come from :func:`depth`; each interval claims the contiguous run of pieces inside it,
    found by binary search, so the work is O(n log n) plus the size of the answer.

    Examples
    --------
    >>> overlaps([0, 2, 3], [4, 5, 3.5], ["a", "b", "c"])
    [(2.0, 3.0, ('a', 'b')), (3.0, 3.5, ('a', 'b', 'c')), (3.5, 4.0, ('a', 'b'))]
    """
    s, e, idx = _clean(starts, ends)
    if s.size == 0:
        return []
    a, b, c = depth(s, e)
    multi = c >= 2
    a, b = a[multi], b[multi]
    if a.size == 0:
        return []
    # pieces never straddle an interval's end, so interval k covers pieces first[k]..last[k]-1 exactly
    first = np.searchsorted(a, s, side="left")
    last = np.searchsorted(b, e, side="right")
    n = np.maximum(last - first, 0)
    owner = np.repeat(np.arange(s.size), n)
    piece = np.repeat(first, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
    order = np.lexsort((idx[owner], piece))
    owner, piece = owner[order], piece[order]
    bounds = np.flatnonzero(np.concatenate([[True], piece[1:] != piece[:-1], [True]]))
    out: list[tuple[float, float, tuple[Hashable, ...]]] = []
    for k in range(len(bounds) - 1):
        p = int(piece[bounds[k]])
        claim = tuple(ids[int(idx[o])] for o in owner[bounds[k]:bounds[k + 1]])
        if out and out[-1][1] == a[p] and out[-1][2] == claim:
            out[-1] = (out[-1][0], float(b[p]), claim)
        else:
            out.append((float(a[p]), float(b[p]), claim))
    return out
