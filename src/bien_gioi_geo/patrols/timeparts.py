"""Dask frames of fixes partitioned by time: a track's fixes run across partitions, visits are stitched at the edges.

A frame indexed by time, or read from files written day by day, splits each track between partitions. Matching it
gives the same visits as in memory, with dask's own machinery (one task per partition, a scan, a final reduction):

1. every partition is put in matching form and located on the border, on the workers, in parallel;
2. a scan carries from partition to partition, for every track seen so far, its last ``CONTEXT`` fixes (located)
   and its last continuity anchor on each border (the last unambiguous fix in the corridor): a few rows per
   track, the same pattern as dask's cumulative sums;
3. each partition is matched with that context put before its own fixes, and decides the result of its own
   fixes except each track's last ``OPEN`` ones (they need the fixes after them) plus the ``OPEN`` fixes the
   partitions before it left open; a last task decides the fixes still open at the end;
4. the decided fixes of each visit come back as pieces, which :func:`~bien_gioi_geo.patrols.match.stitch` joins
   (same track and border, consecutive in time, the later piece not opening a visit of its own).

Why this is exact: a fix's result depends on the fixes at most 8 before it (continuity follows the previous fix
twice, jump snapping three times, the running median and the joining rule look two back) and 2 after it (the
median, the visit's end and the corridor-edge interpolation), apart from the continuity anchor, which the scan
carries however far back it is. ``CONTEXT = 16`` covers ``OPEN + 8`` with room to spare.

Each track's partitions must follow one another in time (a fix of a track in partition ``i`` is never earlier
than one in partition ``i - 1``): true of a frame indexed by time (``ddf.set_index("time")``) and of files
written in time order; otherwise the matching stops and says so.

Uses (layer ``patrols``): ``errors``; in ``patrols/``: ``match``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .match import MatchOptions, anchor_mask, fixes_table, locate_frame, match_located, prepared, sorted_unique, stitch

__all__ = ["match_time_partitions", "CONTEXT", "OPEN"]

CONTEXT = 16
"""Fixes of each track carried into the next partition."""
OPEN = 2
"""Fixes at the end of a track whose result waits for the fixes after them."""


def _located(part: pd.DataFrame, borders: dict[str, Any], opts: MatchOptions, attrs: list[str]) -> pd.DataFrame:
    part = part.reset_index() if part.index.name in ("track_id", "time") else part
    table = fixes_table(part)
    if "row" not in part:  # a partition's own positions mean nothing to the caller
        table["row"] = -1
    return locate_frame(prepared(table, attrs), borders, opts)


def _keep(lf: pd.DataFrame, opts: MatchOptions, n_borders: int) -> pd.DataFrame:
    """Of sorted located fixes, each track's last ``CONTEXT`` and its last anchor on each border."""
    if len(lf) == 0:
        return lf
    keep = lf.groupby("track_id", sort=False).cumcount(ascending=False).to_numpy() < CONTEXT
    tracks, _ = pd.factorize(lf["track_id"])
    for k in range(n_borders):
        idx = np.flatnonzero(anchor_mask(lf, k, opts))
        if len(idx):
            keep[pd.Series(idx).groupby(tracks[idx]).last().to_numpy()] = True
    return lf[keep]


def _carry(state: pd.DataFrame | None, lf: pd.DataFrame, opts: MatchOptions, n_borders: int) -> pd.DataFrame:
    """The context after a partition: the context before it and the partition's own last fixes."""
    tail = _keep(lf, opts, n_borders)
    if state is None or len(state) == 0:
        return tail
    return _keep(sorted_unique(pd.concat([state, tail], ignore_index=True)), opts, n_borders)


def _check_order(ctx: pd.DataFrame, lf: pd.DataFrame) -> None:
    before = ctx.groupby("track_id", sort=False)["time_ns"].max()
    now = lf.groupby("track_id", sort=False)["time_ns"].min()
    both = before.index.intersection(now.index)
    bad = both[(now[both] < before[both]).to_numpy()]
    if len(bad):
        raise InputError(f"dask fixes partitioned by time: track {bad[0]!r} has fixes in one partition earlier than "
                         "fixes of the partition before it; order the partitions by time "
                         "(ddf.set_index('time')) or pass partitioned='track' (each track in one partition)")


def _match_part(lf: pd.DataFrame, state: pd.DataFrame | None, borders: dict[str, Any], opts: MatchOptions,
                attrs: list[str], at_end: bool = False) -> pd.DataFrame:
    """Pieces of visits decided by one partition (or, ``at_end``, by the context left open at the end)."""
    if at_end:
        ext = sorted_unique((state if state is not None else lf).assign(ctx=True))
    elif state is not None and len(state):
        ctx = state[state["track_id"].isin(lf["track_id"].unique())]
        _check_order(ctx, lf)
        ext = sorted_unique(pd.concat([ctx.assign(ctx=True), lf.assign(ctx=False)], ignore_index=True))
    else:
        ext = lf.assign(ctx=False)
    by_track = ext.groupby("track_id", sort=False)
    from_end = by_track.cumcount(ascending=False).to_numpy()
    is_ctx = ext["ctx"].to_numpy(dtype=bool)
    ctx_from_end = np.full(len(ext), CONTEXT + 1)
    ctx_from_end[is_ctx] = ext[is_ctx].groupby("track_id", sort=False).cumcount(ascending=False).to_numpy()
    if at_end:
        final = from_end < OPEN
    else:
        final = (from_end >= OPEN) & (~is_ctx | (ctx_from_end < OPEN))
    return match_located(ext, borders, opts, attrs, final)


def match_time_partitions(ddf: Any, borders: dict[str, Any], opts: MatchOptions,
                          attrs: list[str]) -> tuple[pd.DataFrame, int]:
    """Visits of a dask frame whose partitions follow one another in time (tracks split between them)."""
    import dask

    parts = ddf.to_delayed()
    if not parts:
        return stitch(match_located(pd.DataFrame(), borders, opts, attrs), opts, attrs), 0
    shared = dask.delayed(borders, pure=True)  # one copy in the graph, sent once to each worker
    state = None
    pieces = []
    for p in parts:
        lf = dask.delayed(_located)(p, shared, opts, attrs)
        pieces.append(dask.delayed(_match_part)(lf, state, shared, opts, attrs))
        state = dask.delayed(_carry)(state, lf, opts, len(borders))
    pieces.append(dask.delayed(_match_part)(None, state, shared, opts, attrs, at_end=True))
    got, lens = dask.compute(pieces, [dask.delayed(len)(p) for p in parts])
    return stitch(pd.concat(got, ignore_index=True), opts, attrs), int(sum(lens))
