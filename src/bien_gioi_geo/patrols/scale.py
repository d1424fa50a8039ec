"""Matching at scale: GeoParquet streamed in chunks of whole tracks, and dask(-geo)pandas frames.

In memory, :func:`bien_gioi_geo.patrols` matches at most ``chunk_fixes`` fixes at a time, so memory stays bounded
by the chunk, not the file: a GeoParquet file is read batch by batch (only track, time, position and the attribute
columns; point geometries decoded from WKB with numpy, never as Python objects), and a track that runs across a
batch edge is held back until it is whole. The file must list each track's fixes together (any order inside a
track), as an export per track or ``df.sort_values("track_id").to_parquet(...)`` does; otherwise the reader says so.

On a cluster (``pip install "bien_gioi_geo[scale]"``: dask, dask-geopandas, distributed)::

    from dask.distributed import Client
    import dask_geopandas
    client = Client("tcp://scheduler:8786")            # the scheduler's address
    fixes = dask_geopandas.read_parquet("/shared/fixes/*.parquet")  # shared storage every worker can read
    p = bg.patrols(ds, fixes, partitioned="time")      # border broadcast once; same visits as in memory

A frame partitioned by track is matched partition by partition with
:func:`~bien_gioi_geo.patrols.match.match_frame`; one partitioned by time goes through
:mod:`~bien_gioi_geo.patrols.timeparts` (context carried between partitions, visits stitched at the edges); any
other frame is first shuffled so that every track is in one partition. The README's Patrols section says how to
start the cluster and how much memory a worker needs.

Uses (layer ``patrols``): ``errors``; in ``patrols/``: ``match``, ``read``, ``timeparts``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .match import MatchOptions, _empty_visits, fixes_table, match_frame
from .read import TIME_NAMES, TRACK_NAMES, parse_times

__all__ = ["match_parquet", "match_dask"]

_NEED_SCALE = 'this needs the optional "scale" extra: pip install "bien_gioi_geo[scale]"'


def _wkb_points(arr: Any) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat of a pyarrow binary array of WKB points (fast path for 2-D little-endian points)."""
    import pyarrow as pa
    import shapely

    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    n = len(arr)
    if n and arr.null_count == 0 and pa.types.is_binary(arr.type):
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4)
        if (np.diff(offsets) == 21).all():
            raw = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(n, 21)
            if (raw[:, 0] == 1).all() and (raw[:, 1:5].view("<u4").ravel() == 1).all():
                xy = raw[:, 5:].copy().view("<f8")
                return xy[:, 0], xy[:, 1]
    g = shapely.from_wkb(arr.to_numpy(zero_copy_only=False))
    return shapely.get_x(g), shapely.get_y(g)


def match_parquet(path: Path, borders: dict[str, Any], opts: MatchOptions, attributes: list[str] | None, *,
                  chunk_fixes: int) -> tuple[pd.DataFrame, int]:
    """Visits of a GeoParquet file of fixes, streamed in chunks of whole tracks (WGS 84 points)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(f"reading GeoParquet: {_NEED_SCALE}") from None
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{path.name}: cannot read the GeoParquet file: {exc}") from None
    meta = json.loads((pf.schema_arrow.metadata or {}).get(b"geo", b"{}"))
    gcol = meta.get("primary_column", "geometry")
    crs = (meta.get("columns", {}).get(gcol, {}) or {}).get("crs")
    if crs not in (None, "OGC:CRS84") and not (isinstance(crs, dict) and crs.get("id", {}).get("code") in
                                               (4326, "CRS84")):
        raise InputError(f"{path.name}: streaming needs lon/lat (WGS 84) points; read other CRSs with "
                         "bg.read_tracks and pass the frame")
    names = pf.schema_arrow.names
    lower = {n.casefold(): n for n in names}
    tcol = next((lower[n] for n in TRACK_NAMES if n in lower), None)
    hcol = next((lower[n] for n in TIME_NAMES if n in lower), None)
    if tcol is None or hcol is None or gcol not in names:
        raise InputError(f"{path.name}: expected a track column ({', '.join(TRACK_NAMES[:3])}…), a time column "
                         f"({', '.join(TIME_NAMES[:3])}…) and a point geometry; columns: {', '.join(names)}")
    attrs = [c for c in names if c not in (tcol, hcol, gcol)] if attributes is None else list(attributes)
    out: list[pd.DataFrame] = []
    pending: list[pd.DataFrame] = []
    n_pending = 0
    done: set[Any] = set()
    row0 = 0
    total = 0

    def flush(frames: list[pd.DataFrame]) -> None:
        chunk = pd.concat(frames, ignore_index=True)
        tracks = set(pd.unique(chunk["track_id"]))
        again = tracks & done
        if again:
            raise InputError(f"{path.name}: track {sorted(map(str, again))[0]!r} appears again after other tracks; "
                             "write the file with each track's fixes together (sort by track) to stream it")
        done.update(tracks)
        out.append(match_frame(chunk, borders, opts, attrs))

    for batch in pf.iter_batches(batch_size=min(chunk_fixes, 1_000_000), columns=[tcol, hcol, gcol, *attrs]):
        lon, lat = _wkb_points(batch.column(gcol))
        df = pd.DataFrame({"track_id": batch.column(tcol).to_pandas(), "time": parse_times(
            batch.column(hcol).to_pandas()), "lon": lon, "lat": lat})
        for c in attrs:
            df[c] = batch.column(c).to_pandas()
        df["row"] = np.arange(row0 + 1, row0 + len(df) + 1)
        row0 += len(df)
        ok = df["time"].notna() & df["track_id"].notna()
        df = df[ok.to_numpy()]
        total += len(df)
        if len(df) == 0:
            continue
        last_track = df["track_id"].iat[-1]
        tail = (df["track_id"] == last_track).to_numpy()
        head = df[~tail]
        if len(head):
            pending.append(head)
            n_pending += len(head)
        if n_pending >= chunk_fixes:
            flush(pending)
            pending, n_pending = [], 0
        pending.append(df[tail])
        n_pending += int(tail.sum())
    if pending:
        flush(pending)
    visits = pd.concat(out, ignore_index=True) if out else _empty_visits(attrs)
    visits = visits.sort_values(["track_id", "start_time", "border_id"], kind="stable").reset_index(drop=True)
    return visits, total


def _match_partition(part: pd.DataFrame, borders: dict[str, Any], opts: MatchOptions,
                     attrs: list[str]) -> pd.DataFrame:
    part = part.reset_index() if part.index.name in ("track_id", "time") else part
    visits = match_frame(fixes_table(part), borders, opts, attrs)
    if "row" not in part:  # a partition's own positions mean nothing to the caller
        visits["first_row"] = visits["last_row"] = -1
    return visits


def match_dask(ddf: Any, borders: dict[str, Any], opts: MatchOptions, attributes: list[str] | None,
               partitioned: str = "auto") -> tuple[pd.DataFrame, int]:
    """Visits of a dask(-geo)pandas frame of fixes, matched partition by partition on the workers.

    ``partitioned`` says how the fixes are split: ``"track"`` (each track whole in one partition), ``"time"``
    (partitions follow one another in time; tracks run across them, see :mod:`.timeparts`), or ``"auto"``: by
    track when the frame is indexed by ``track_id`` with known divisions, by time when indexed by ``time`` with
    known divisions, otherwise shuffled by track first. ``first_row``/``last_row`` come from the frame's ``row``
    column; without one they are -1 (a partition does not know its rows' places in the whole).
    """
    try:
        import dask
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(f"a dask frame of fixes: {_NEED_SCALE}") from None
    if partitioned not in ("auto", "track", "time"):
        raise InputError(f"partitioned must be 'auto', 'track' or 'time', not {partitioned!r}")
    cols = list(ddf.columns)
    names = {*cols, ddf.index.name}
    if not {"track_id", "time"} <= names:
        raise InputError(f"dask fixes: need 'track_id' and 'time' columns; columns: {', '.join(map(str, cols))}")
    skip = {"track_id", "time", "lon", "lat", "row", "geometry"}
    attrs = [c for c in cols if c not in skip] if attributes is None else list(attributes)
    if partitioned == "auto" and ddf.known_divisions and ddf.index.name in ("track_id", "time"):
        partitioned = "track" if ddf.index.name == "track_id" else "time"
    if partitioned == "time":
        from .timeparts import match_time_partitions

        return match_time_partitions(ddf, borders, opts, attrs)
    if partitioned == "auto":
        ddf = ddf.shuffle(on="track_id")
    shared = dask.delayed(borders, pure=True)  # one copy in the graph, sent once to each worker
    meta = _empty_visits(attrs)
    visits = ddf.map_partitions(_match_partition, shared, opts, attrs, meta=meta,
                                **({"align_dataframes": False} if _has_align(ddf) else {}))
    n_fixes = ddf.map_partitions(len).sum()
    res, n = dask.compute(visits, n_fixes)
    res = res.sort_values(["track_id", "start_time", "border_id"], kind="stable").reset_index(drop=True)
    return res, int(n)


def _has_align(ddf: Any) -> bool:
    import inspect

    return "align_dataframes" in inspect.signature(ddf.map_partitions).parameters
