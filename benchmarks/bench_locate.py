"""Benchmark: Border.locate against vectorised shapely.line_locate_point on UTM 48N, in the same process.

    python benchmarks/bench_locate.py [--quick] [--reps N] [--shapes vnla,smooth,walk,zigzag,spiral,finezig,vncn,vnkh]
                                      [--line PATH ...] [--skip-builtin]

Lines: the real Viet Nam–Laos line (10,095 vertices, ../shared/reference/borders/vn_la_border.geojson), a smooth
synthetic 100,000-vertex curve, a 100,000-vertex line that meanders like a random walk (a correlated random walk:
~30 m steps whose heading drifts randomly, seeded), and any line given with ``--line`` (a vector file read by
geopandas, all rows joined in order; a held-out line the index was never tuned on). Points lie within 200 m of the
line (random chainage, random offset across the line), 100,000 and 1,000,000 of them (``--quick``: 100,000).
Two more 100,000-vertex shapes that the index was NOT tuned on: a sawtooth (``zigzag_line``) and a spiral whose
turns are 600 m apart (``spiral_line``). Two more held out, added in round 3 after the index was last tuned: a
5 m zigzag (``fine_zigzag_line``: 100,000 vertices 5 m apart, alternating 2 m either side of a winding path) and
the real Viet Nam–China line resampled to 100,000 vertices (``resampled_line``) — the grouping of short pieces
(``index.GROUP_M``) was added after seeing these two, so they are no longer unseen — and the Viet Nam–Cambodia line
resampled the same way, first run in the final benchmark only. ``--shapes`` picks built-in lines, ``--reps`` the
repetitions.

Every timing is repeated (``--reps``, default 3), ours, the floor, the projection and the baseline interleaved in
the same process; ratios are medians of per-repetition ratios, reported with each repetition's figures and the
1-minute load average (the machine is shared: paired ratios mean more than rates). A line per run is printed as
it finishes, with the load average.

For each line and size, with one thread and with all cores (``locate(..., workers=1 / -1)``):

* **baseline**: ``shapely.line_locate_point`` on the line and points in UTM 48N, timed on a subsample (it runs at a
  few hundred points per second on long lines) inside every repetition, interleaved with ours and the floor; the
  ratio is the median over repetitions of (our rate / its rate in the same repetition);
* **floor**: a bare nearest-vertex query of a ``scipy.spatial.cKDTree`` of the line's vertices on the same points,
  already projected (the least any nearest-segment search must do); reported as our time / floor time, and also
  with the projection of the points included.

Agreement with the baseline on its subsample: same nearest segment and the same position within it to 1 m (UTM
grid vs geodesic metres, corrected by the grid's scale), for points whose nearest segment is unambiguous (the
second-nearest segment at least 1 m farther). Memory: peak resident set size growth while locating.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
import bien_gioi_geo as bg  # noqa: E402
from bien_gioi_geo.referencing import GEOD  # noqa: E402

UTM48 = pyproj.Transformer.from_crs(4326, 32648, always_xy=True)


def points_near(border: bg.Border, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ch = rng.uniform(0, border.length_km, n)
    base = border.point_at(ch)
    x, y = shapely.get_x(base.values), shapely.get_y(base.values)
    lon, lat, _ = GEOD.fwd(x, y, rng.uniform(0, 360, n), rng.uniform(0, 200, n))
    return np.column_stack([lon, lat])


def smooth_line(n: int = 100_000) -> shapely.LineString:
    """A smooth synthetic curve across northern Laos / Viet Nam (~10 m between vertices)."""
    t = np.linspace(0, 1, n)
    lon = 102.2 + 5.6 * t + 0.02 * np.sin(t * 2 * np.pi * 180)
    lat = 18.0 + 1.5 * np.sin(t * 2 * np.pi * 3) + 0.03 * np.cos(t * 2 * np.pi * 240)
    return shapely.LineString(np.column_stack([lon, lat]))


def random_walk_line(n: int = 100_000, *, seed: int = 3, step_m: float = 30.0, turn_sd: float = 0.6,
                     drift_m: float = 8.0) -> shapely.LineString:
    """A line that meanders like a random walk: steps of ``step_m`` whose heading changes by a normal angle
    (``turn_sd`` radians) at every vertex, plus an eastward drift of ``drift_m`` per step (it loops, doubles back
    and passes near itself, as a border along a river or a ridge crest does, but does not stay in one spot).
    """
    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0.0, turn_sd, n - 1))
    x = np.concatenate([[0.0], np.cumsum(step_m * np.cos(heading) + drift_m)])
    y = np.concatenate([[0.0], np.cumsum(step_m * np.sin(heading))])
    lon0, lat0 = 102.0, 19.0
    # metres to degrees near (lon0, lat0): a small line, so a local scale is enough for a test shape
    lon = lon0 + x / (111_320.0 * np.cos(np.radians(lat0)))
    lat = lat0 + y / 110_574.0
    return shapely.LineString(np.column_stack([lon, lat]))


def zigzag_line(n: int = 100_000, *, tooth_m: float = 400.0, step_m: float = 25.0) -> shapely.LineString:
    """A sawtooth that was never used to tune the index (a held-out shape): teeth ``tooth_m`` high and about a
    quarter as wide, ``tooth_m / step_m`` vertices per flank, a sharp turn at every tip, running east ~600 km
    (so a point 200 m away sees several flanks).
    """
    k = np.arange(n)
    per = int(round(tooth_m / step_m))  # vertices per flank
    flank, pos = np.divmod(k, per)
    x = k * 6.0  # eastward progress (m)
    y = np.where(flank % 2 == 0, pos, per - pos) * step_m + k * step_m * 0.05
    lon0, lat0 = 103.0, 21.0
    lon = lon0 + x / (111_320.0 * np.cos(np.radians(lat0)))
    lat = lat0 + y / 110_574.0
    return shapely.LineString(np.column_stack([lon, lat]))


def spiral_line(n: int = 100_000, *, turns: float = 40.0, gap_m: float = 600.0) -> shapely.LineString:
    """An Archimedean spiral whose turns are ``gap_m`` apart: every point near it is also near the next turn
    (another held-out shape, hard for the completeness check)."""
    theta = np.sqrt(np.linspace(0.0, 1.0, n)) * turns * 2 * np.pi  # ~even spacing along the curve
    r = gap_m * theta / (2 * np.pi) + gap_m
    lon0, lat0 = 105.5, 22.0
    lon = lon0 + r * np.cos(theta) / (111_320.0 * np.cos(np.radians(lat0)))
    lat = lat0 + r * np.sin(theta) / 110_574.0
    return shapely.LineString(np.column_stack([lon, lat]))


def fine_zigzag_line(n: int = 100_000, *, step_m: float = 5.0, amp_m: float = 2.0) -> shapely.LineString:
    """Held out, added in round 3 and never tuned on: 5 m steps that zigzag ``amp_m`` either side of a gently
    winding path (a river bank digitised from a noisy GPS track), 500 km long.
    """
    s = np.arange(n) * step_m
    heading = 0.6 * np.sin(s / 7_000.0) + 0.3 * np.sin(s / 1_900.0)
    ds = np.full(n, step_m)
    ds[0] = 0.0
    x, y = np.cumsum(ds * np.cos(heading)), np.cumsum(ds * np.sin(heading))
    side = np.where(np.arange(n) % 2 == 0, amp_m, -amp_m)
    x, y = x - side * np.sin(heading), y + side * np.cos(heading)
    lon0, lat0 = 104.0, 20.5
    lon = lon0 + x / (111_320.0 * np.cos(np.radians(lat0)))
    lat = lat0 + y / 110_574.0
    return shapely.LineString(np.column_stack([lon, lat]))


def resampled_line(path: Path, n: int = 100_000) -> shapely.LineString:
    """Held out, added in round 3: a real border line (its first part) resampled to ``n`` vertices evenly
    spaced along its geodesic chainage (``Border.point_at``)."""
    g = gpd.read_file(path).geometry.iloc[0]
    g = max(g.geoms, key=lambda p: p.length) if g.geom_type == "MultiLineString" else g
    b = bg.Border(g)
    pts = b.point_at(np.linspace(0.0, b.length_km, n))
    return shapely.LineString(np.column_stack([shapely.get_x(pts.values), shapely.get_y(pts.values)]))


def line_from_file(path: Path) -> shapely.LineString | shapely.MultiLineString:
    gdf = gpd.read_file(path)
    if gdf.crs is not None and not gdf.crs.equals(4326):
        gdf = gdf.to_crs(4326)
    geoms = [g for g in gdf.geometry if g is not None and not g.is_empty]
    return geoms[0] if len(geoms) == 1 else shapely.MultiLineString(
        [p for g in geoms for p in (g.geoms if g.geom_type == "MultiLineString" else [g])])


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def agreement(border: bg.Border, pts: np.ndarray, base_m: np.ndarray, ux: np.ndarray, uy: np.ndarray) -> dict:
    """Same nearest segment and position within 1 m as the baseline, where its nearest segment is unambiguous."""
    n = len(pts)
    upts = shapely.points(*UTM48.transform(pts[:, 0], pts[:, 1]))
    ours = border.locate(pts)
    useg = shapely.linestrings(np.repeat(np.column_stack([ux, uy]), 2, axis=0)[1:-1],
                               indices=np.repeat(np.arange(len(ux) - 1), 2))
    tree = shapely.STRtree(useg)
    (pi, si), d = tree.query_nearest(upts, return_distance=True, all_matches=False)
    base_seg = np.full(n, -1)
    base_seg[pi] = si
    # second-nearest distance: unambiguous if the next segment (not adjacent) is ≥ 1 m farther
    cand_pi, cand_si = tree.query(upts, predicate="dwithin", distance=d[np.argsort(pi)] + 1.0)
    amb = np.zeros(n, dtype=bool)
    amb[cand_pi[np.abs(cand_si - base_seg[cand_pi]) > 1]] = True
    # the baseline's position as a fraction of its segment, carried to geodesic chainage on the same segment
    vtx_m = np.concatenate([[0], np.cumsum(np.hypot(np.diff(ux), np.diff(uy)))])
    ulen = np.hypot(np.diff(ux), np.diff(uy))
    bseg = np.clip(base_seg, 0, None)
    frac = (base_m - vtx_m[bseg]) / ulen[bseg]
    s = border.segments
    base_chain = s.start[bseg] + frac * s.length[bseg]
    seg = ours["segment"].to_numpy(dtype=int)
    our_chain = ours["chainage_km"].to_numpy() * 1000
    # a point nearest to a vertex is nearest to both segments that share it: either counts as the same segment
    at_shared_vertex = (np.abs(seg - base_seg) == 1) & (np.abs(our_chain - s.start[np.maximum(seg, base_seg)]) < 1)
    same_seg = (seg == base_seg) | at_shared_vertex
    clear = ~amb
    agree = clear & same_seg & (np.abs(base_chain - our_chain) < 1.0)
    return {"unambiguous": int(clear.sum()), "same_segment_and_within_1m": int(agree.sum()),
            "disagree": int((clear & ~agree).sum()),
            "max_position_difference_m": round(float(np.abs(base_chain - our_chain)[clear].max()), 4)}


def timed(fn, *args, **kw) -> float:
    t0 = time.perf_counter()
    fn(*args, **kw)
    return time.perf_counter() - t0


def bench(name: str, line: shapely.LineString, sizes: list[int], baseline_n: int, reps: int) -> dict:
    border = bg.Border(line)
    build = timed(border.locate, np.array([shapely.get_coordinates(line)[0]]))  # builds the index
    res = {"line": name, "vertices": border.n_vertices, "length_km": round(border.length_km, 3),
           "index_build_s": round(build, 3), "cores": os.cpu_count(), "repetitions": reps, "runs": []}
    # the baseline's subsample: its answers feed the agreement check; its timing is taken inside every repetition
    # below, interleaved with ours and the floor, so each ratio compares runs under the same load
    pts = points_near(border, baseline_n, seed=1)
    ux, uy = UTM48.transform(*shapely.get_coordinates(line).T)
    uline = shapely.LineString(np.column_stack([ux, uy]))
    upts = shapely.points(*UTM48.transform(pts[:, 0], pts[:, 1]))
    base_m = shapely.line_locate_point(uline, upts)
    res["baseline"] = {"method": "shapely.line_locate_point on UTM 48N (vectorised), timed in every repetition",
                       "points": baseline_n}
    res["agreement"] = agreement(border, pts, base_m, ux, uy)
    vertex_tree = cKDTree(np.column_stack([ux, uy]))
    for n in sizes:
        pts = points_near(border, n, seed=n)
        qxy = np.column_stack(UTM48.transform(pts[:, 0], pts[:, 1]))
        for workers in (1, -1):
            before = rss_mib()
            ours, floor, proj, base, load = [], [], [], [], []
            for _ in range(reps):  # interleaved, so a burst of load from elsewhere hits all three alike
                ours.append(timed(border.locate, pts, workers=workers))
                floor.append(timed(vertex_tree.query, qxy, k=1, workers=workers))
                proj.append(timed(UTM48.transform, pts[:, 0], pts[:, 1]))
                base.append(timed(shapely.line_locate_point, uline, upts))
                load.append(os.getloadavg()[0])
            ours_a, floor_a, proj_a, base_a = np.array(ours), np.array(floor), np.array(proj), np.array(base)
            # per repetition: our rate over the baseline's rate in the same repetition; the median of those
            vs_base = (n / ours_a) / (baseline_n / base_a)
            loc = border.locate(pts[:1000], workers=workers)
            dt = float(np.median(ours_a))
            res["runs"].append({
                "points": n, "threads": "all cores" if workers == -1 else 1, "median_seconds": round(dt, 3),
                "points_per_s": round(n / dt), "ratio_vs_baseline": round(float(np.median(vs_base)), 1),
                "ratio_vs_baseline_each": [round(float(v), 1) for v in vs_base],
                "baseline_points_per_s_each": [round(baseline_n / v, 1) for v in base],
                "floor_points_per_s": round(n / float(np.median(floor_a))),
                "times_floor": round(float(np.median(ours_a / floor_a)), 2),
                "times_floor_each": [round(float(v), 2) for v in ours_a / floor_a],
                "times_floor_with_projection": round(float(np.median(ours_a / (floor_a + proj_a))), 2),
                "seconds_each": [round(v, 3) for v in ours], "load_average_1min": [round(v, 2) for v in load],
                "peak_rss_growth_mib": round(rss_mib() - before, 1),
                "ambiguous_share_first_1000": round(float(loc["ambiguous"].mean()), 4)})
            r = res["runs"][-1]
            print(f"  {name[:40]:40s} {n:>9,d} pts threads={r['threads']!s:9s} ×baseline {r['ratio_vs_baseline']:8.1f} "
                  f"×floor {r['times_floor']:5.2f}  load {os.getloadavg()[0]:.2f}", flush=True)
    return res


def summary(out: list[dict]) -> str:
    """One line per run: the figures the issue asks for."""
    rows = [f"{'line':42s} {'points':>9s} {'threads':>9s} {'pts/s':>9s} {'×baseline':>9s} {'×floor':>7s} "
            f"{'floor pts/s':>11s} {'load':>5s}"]
    for r in out:
        for run in r["runs"]:
            rows.append(f"{r['line'][:42]:42s} {run['points']:9d} {run['threads']!s:>9s} {run['points_per_s']:9d} "
                        f"{run['ratio_vs_baseline']:9.1f} {run['times_floor']:7.2f} {run['floor_points_per_s']:11d} "
                        f"{float(np.median(run['load_average_1min'])):5.2f}")
        rows.append(f"{'':42s} index build {r['index_build_s']} s; agreement: {r['agreement']['disagree']} "
                    f"disagreements in {r['agreement']['unambiguous']} unambiguous points")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100,000 points only")
    ap.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    ap.add_argument("--line", type=Path, action="append", default=[], help="a held-out line (vector file)")
    ap.add_argument("--skip-builtin", action="store_true", help="only the --line lines")
    ap.add_argument("--reps", type=int, default=3, help="repetitions of every timing (the median is reported)")
    ap.add_argument("--shapes", default="vnla,smooth,walk,zigzag,spiral,finezig,vncn,vnkh",
                    help="built-in lines to run, comma-separated (default: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "locate.json")
    args = ap.parse_args(argv)
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    lines: list[tuple[str, shapely.LineString, int]] = []
    if not args.skip_builtin:
        la = gpd.read_file(args.reference / "borders" / "vn_la_border.geojson").geometry.iloc[0]
        builtin = {"vnla": lambda: ("VN-LA (real, OSM)", la, 1_000),
                   "smooth": lambda: ("smooth synthetic 100k vertices", smooth_line(), 300),
                   "walk": lambda: ("random-walk 100k vertices (seed 3)", random_walk_line(), 300),
                   "zigzag": lambda: ("held-out shape: sawtooth 100k vertices", zigzag_line(), 300),
                   "spiral": lambda: ("held-out shape: spiral 100k vertices", spiral_line(), 300),
                   "finezig": lambda: ("held-out (new): 5 m zigzag 100k vertices", fine_zigzag_line(), 300),
                   "vncn": lambda: ("held-out (new): VN-CN resampled to 100k vertices",
                                    resampled_line(args.reference / "borders" / "vn_cn_border.geojson"), 300),
                   "vnkh": lambda: ("held-out (unseen): VN-KH resampled to 100k vertices",
                                    resampled_line(args.reference / "borders" / "vn_kh_border.geojson"), 300)}
        lines += [builtin[k.strip()]() for k in args.shapes.split(",") if k.strip()]
    lines += [(f"held-out {p.name}", line_from_file(p), 300) for p in args.line]
    out = []
    for name, line, baseline_n in lines:
        out.append(bench(name, line, sizes, baseline_n, args.reps))
        print(json.dumps(out[-1], indent=1), flush=True)
    args.out.parent.mkdir(exist_ok=True, parents=True)
    args.out.write_text(json.dumps(out, indent=1))
    print(summary(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
