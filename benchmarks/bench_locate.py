"""Benchmark: Border.locate against vectorised shapely.line_locate_point on UTM 48N, in the same process.

    python benchmarks/bench_locate.py [--quick]

Lines: the real Viet Nam–Laos line (10,095 vertices, ../shared/reference/borders/vn_la_border.geojson) and a
synthetic 100,000-vertex meandering line. Points lie within 200 m of the line (random chainage, random offset
across the line). The baseline is timed on a subsample (it runs at a few hundred to a few thousand points per
second) and its rate compared with ours; its answers are compared with ours on that subsample: same nearest
segment and the same position within it to 1 m (UTM grid vs geodesic metres, corrected by the grid's scale), for
points whose nearest segment is unambiguous (the second-nearest segment at least 1 m farther).
Memory: peak resident set size growth while locating 1,000,000 points.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

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


def synthetic_line(n: int = 100_000) -> shapely.LineString:
    t = np.linspace(0, 1, n)
    lon = 102.2 + 5.6 * t + 0.02 * np.sin(t * 2 * np.pi * 180)
    lat = 18.0 + 1.5 * np.sin(t * 2 * np.pi * 3) + 0.03 * np.cos(t * 2 * np.pi * 240)
    return shapely.LineString(np.column_stack([lon, lat]))


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench(name: str, line: shapely.LineString, sizes: list[int], baseline_n: int) -> dict:
    border = bg.Border(line)
    t0 = time.perf_counter()
    border.locate(np.array([[line.coords[0][0], line.coords[0][1]]]))  # builds the index
    build = time.perf_counter() - t0
    res = {"line": name, "vertices": border.n_vertices, "length_km": round(border.length_km, 3),
           "index_build_s": round(build, 3), "runs": []}
    # baseline on a subsample
    pts = points_near(border, baseline_n, seed=1)
    ux, uy = UTM48.transform(*shapely.get_coordinates(line).T)
    uline = shapely.LineString(np.column_stack([ux, uy]))
    px, py = UTM48.transform(pts[:, 0], pts[:, 1])
    upts = shapely.points(px, py)
    t0 = time.perf_counter()
    base_m = shapely.line_locate_point(uline, upts)
    base_rate = baseline_n / (time.perf_counter() - t0)
    ours = border.locate(pts)
    # agreement: same nearest segment and position within it, where the nearest segment is unambiguous
    useg = shapely.linestrings(np.repeat(np.column_stack([ux, uy]), 2, axis=0)[1:-1],
                               indices=np.repeat(np.arange(len(ux) - 1), 2))
    tree = shapely.STRtree(useg)
    (pi, si), d = tree.query_nearest(upts, return_distance=True, all_matches=False)
    base_seg = np.full(baseline_n, -1)
    base_seg[pi] = si
    # second-nearest distance: unambiguous if the next segment (not adjacent) is ≥ 1 m farther
    cand_pi, cand_si = tree.query(upts, predicate="dwithin", distance=d[np.argsort(pi)] + 1.0)
    amb = np.zeros(baseline_n, dtype=bool)
    for p_, s_ in zip(cand_pi, cand_si, strict=True):
        if abs(s_ - base_seg[p_]) > 1:
            amb[p_] = True
    # the baseline's position as a fraction of its segment, carried to geodesic chainage on the same segment
    vtx_m = np.concatenate([[0], np.cumsum(np.hypot(np.diff(ux), np.diff(uy)))])
    ulen = np.hypot(np.diff(ux), np.diff(uy))
    bseg = np.clip(base_seg, 0, None)
    frac = (base_m - vtx_m[bseg]) / ulen[bseg]
    s = border._seg
    base_chain = s["start"][bseg] + frac * s["len"][bseg]
    seg = ours["segment"].to_numpy(dtype=int)
    our_chain = ours["chainage_km"].to_numpy() * 1000
    # a point nearest to a vertex is nearest to both segments that share it: either counts as the same segment
    at_shared_vertex = (np.abs(seg - base_seg) == 1) & (np.abs(our_chain - s["start"][np.maximum(seg, base_seg)]) < 1)
    same_seg = (seg == base_seg) | at_shared_vertex
    clear = ~amb
    agree = clear & same_seg & (np.abs(base_chain - our_chain) < 1.0)
    res["baseline"] = {"method": "shapely.line_locate_point on UTM 48N (vectorised)", "points": baseline_n,
                       "points_per_s": round(base_rate, 1)}
    res["agreement"] = {"unambiguous": int(clear.sum()), "same_segment_and_within_1m": int(agree.sum()),
                        "disagree": int((clear & ~agree).sum()),
                        "max_position_difference_m": round(float(np.abs(base_chain - our_chain)[clear].max()), 4)}
    import bien_gioi_geo.referencing as ref

    for n, workers in [(n, w) for n in sizes for w in (1, -1)]:
        ref._WORKERS = workers
        pts = points_near(border, n, seed=n)
        before = rss_mib()
        t0 = time.perf_counter()
        loc = border.locate(pts)
        dt = time.perf_counter() - t0
        rate = n / dt
        res["runs"].append({"points": n, "kd_query_threads": "all cores" if workers == -1 else 1,
                            "seconds": round(dt, 3), "points_per_s": round(rate),
                            "ratio_vs_baseline": round(rate / base_rate, 1),
                            "peak_rss_growth_mib": round(rss_mib() - before, 1),
                            "ambiguous_share": round(float(loc["ambiguous"].mean()), 4)})
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100,000 points only")
    ap.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    args = ap.parse_args(argv)
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    out = []
    la = gpd.read_file(args.reference / "borders" / "vn_la_border.geojson").geometry.iloc[0]
    out.append(bench("VN-LA (real, OSM)", la, sizes, baseline_n=2_000))
    out.append(bench("synthetic 100k vertices", synthetic_line(), sizes, baseline_n=300))
    print(json.dumps(out, indent=1))
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "locate.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
