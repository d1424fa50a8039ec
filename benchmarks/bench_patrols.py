"""Patrols at scale: GeoParquet of N fixes on the 1,384 km Viet Nam–China line → visits table.

    python benchmarks/bench_patrols.py --n 10000000            # end to end, peak RSS, ratio vs bare locate
    python benchmarks/bench_patrols.py --n 1000000 --dask 1,2  # dask LocalCluster, 1 and 2 workers
    python benchmarks/bench_patrols.py --n 1000000 --dask 1,2 --by time  # partitions by time, tracks split

``--by track`` (default) writes each track's fixes together, so each dask partition (a row group of 250,000 fixes)
holds whole tracks (``partitioned="track"``); ``--by time`` writes the same fixes sorted by time within each block
of a million, so tracks run across row groups and the visits are stitched (``partitioned="time"``). Both are checked
against the in-memory visits of the track-ordered file (same fixes).

The fixes are synthetic walks (3 km/h, a fix every 10 s, 8 m noise) of 1,000 fixes each on random stretches of the
line, written once to a GeoParquet file beside the system's temp folder. Each measurement runs in a fresh child
process, so its peak RSS is its own. The baseline, in the same child, is the bare ``Border.locate`` on a sample:
``ratio`` = end-to-end time / (N / bare locate rate) — how much reading, sorting and matching add to locating.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PER_TRACK = 1000


def _border():
    import bien_gioi_geo as bg

    return bg.datasets.load("vietnam").borders["VN-CN"]


def _geo_metadata(gdf) -> bytes:
    """The GeoParquet ``geo`` metadata geopandas writes for this frame (read back from a one-row file)."""
    import io

    import pyarrow.parquet as pq

    buf = io.BytesIO()
    gdf.head(1).to_parquet(buf)
    buf.seek(0)
    return pq.read_schema(buf).metadata[b"geo"]


def generate(path: Path, n: int, seed: int = 0, by: str = "track") -> None:
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    b = _border()
    rng = np.random.default_rng(seed)
    block = 1_000_000
    writer = None
    tracks = 0
    for lo in range(0, n, block):
        m = min(block, n - lo)
        k = m // PER_TRACK
        start = rng.uniform(1.0, 1380.0, k)
        sign = rng.choice([-1.0, 1.0], k)
        step = np.arange(PER_TRACK) * (3.0 / 3.6 * 10.0 / 1000.0)
        km = np.clip(start[:, None] + sign[:, None] * step[None, :], 0.0, 1384.0).ravel()
        xy = shapely.get_coordinates(b.point_at(km))
        lat0 = np.radians(xy[:, 1])
        xy[:, 0] += rng.normal(0, 8.0, len(km)) / (111_320.0 * np.cos(lat0))
        xy[:, 1] += rng.normal(0, 8.0, len(km)) / 110_574.0
        t0 = pd.Timestamp("2024-01-01T00:00Z") + pd.to_timedelta(rng.integers(0, 365 * 86400, k), unit="s")
        times = (np.asarray(t0.tz_localize(None), dtype="datetime64[ns]")[:, None]
                 + (np.arange(PER_TRACK) * 10).astype("timedelta64[s]")[None, :]).ravel()
        ids = np.repeat(np.array([f"T{tracks + i:07d}" for i in range(k)], dtype=object), PER_TRACK)
        tracks += k
        gdf = gpd.GeoDataFrame({"track_id": ids, "time": pd.to_datetime(times).tz_localize("UTC"),
                                "unit": np.repeat(rng.integers(0, 40, k), PER_TRACK).astype(str)},
                               geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:4326")
        if by == "time":
            gdf = gdf.sort_values("time", kind="stable").reset_index(drop=True)
        table = pa.table(gdf.to_arrow(geometry_encoding="WKB"))
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"geo": _geo_metadata(gdf)})
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=250_000)
    assert writer is not None
    writer.close()


def run_local(path: Path, n: int) -> dict:
    import shapely

    import bien_gioi_geo as bg

    b = _border()
    t = time.perf_counter()
    p = bg.patrols(b, path)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    # baseline in the same process: the bare locate of a sample of the fixes
    rng = np.random.default_rng(1)
    km = rng.uniform(0, 1384, 200_000)
    xy = shapely.get_coordinates(b.point_at(km)) + rng.normal(0, 1e-4, (len(km), 2))
    t = time.perf_counter()
    b.locate(xy, ambiguity_m=30.0)
    rate = len(km) / (time.perf_counter() - t)
    return {"n_fixes": p.n_fixes, "visits": len(p._visits), "seconds": round(elapsed, 1),
            "fixes_per_s": round(p.n_fixes / elapsed), "peak_rss_gib": round(peak, 2),
            "bare_locate_per_s": round(rate), "ratio_vs_bare_locate": round(elapsed / (n / rate), 2)}


def run_dask(path: Path, workers: int, by: str, track_path: Path) -> dict:
    import dask_geopandas
    from distributed import Client, LocalCluster

    import bien_gioi_geo as bg

    b = _border()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as c, \
            Client(c):
        ddf = dask_geopandas.read_parquet(path, split_row_groups=True)
        t = time.perf_counter()
        p = bg.patrols(b, ddf, partitioned=by)
        elapsed = time.perf_counter() - t
    # the largest worker process (the cluster's processes are this process's children, ended by now)
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2
    t = time.perf_counter()
    mem = bg.patrols(b, track_path)
    t_mem = time.perf_counter() - t
    same = mem._visits.drop(columns=["first_row", "last_row"]).equals(
        p._visits.drop(columns=["first_row", "last_row"]))
    return {"workers": workers, "by": by, "partitions": ddf.npartitions, "n_fixes": p.n_fixes,
            "seconds": round(elapsed, 1), "worker_peak_rss_gib": round(workers_peak, 2),
            "in_memory_seconds": round(t_mem, 1), "ratio_vs_in_memory": round(elapsed / t_mem, 2),
            "same_visits": bool(same)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dask", default="")
    ap.add_argument("--by", choices=["track", "time"], default="track")
    ap.add_argument("--child", default="")
    args = ap.parse_args()
    track_path = Path(tempfile.gettempdir()) / f"bg_patrols_{args.n}.parquet"
    path = track_path if args.by == "track" else track_path.with_name(f"bg_patrols_{args.n}_by_time.parquet")
    if args.child == "generate":
        generate(path, args.n, by=args.by)
        return
    if args.child == "local":
        print(json.dumps(run_local(path, args.n)))
        return
    if args.child.startswith("dask"):
        print(json.dumps(run_dask(path, int(args.child[4:]), args.by, track_path)))
        return
    for by, f in {"track": track_path, args.by: path}.items():
        if not f.exists():
            t = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--n", str(args.n), "--by", by, "--child", "generate"],
                           check=True)
            print(f"generated {f} in {time.perf_counter() - t:.0f} s")
    kinds = [f"dask{w}" for w in args.dask.split(",") if w] if args.dask else ["local"]
    for kind in kinds:
        out = subprocess.run([sys.executable, __file__, "--n", str(args.n), "--by", args.by, "--child", kind],
                             capture_output=True, text=True)
        print(kind, out.stdout.strip() if out.returncode == 0 else "FAILED\n" + out.stderr[-3000:])


if __name__ == "__main__":
    main()
