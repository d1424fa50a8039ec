"""Benchmark: coverage + validation on the Viet Nam–China line against unioning shapely substrings.

    python benchmarks/bench_coverage.py

10,000 assignments (a third each by chainage, by marker terms and as drawn lines) and 3,000 marker posts on the
1,384 km VN–CN line (../shared/reference/borders/vn_cn_border.geojson). Baseline, in the same process: project the
line to UTM 48N, cut each assignment with shapely.ops.substring and measure the length of their unary_union (the
"geometric union" the design warns against; it is also what over-counts). Scaling: the same with 1,000
assignments, to check that 10× the assignments cost at most 15× the time.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.ops import substring

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
import bien_gioi_geo as bg  # noqa: E402


def make(border: bg.Border, n_assign: int, n_markers: int, seed: int) -> bg.Dataset:
    rng = np.random.default_rng(seed)
    L = border.length_km
    mk = np.sort(rng.uniform(0, L, n_markers))
    markers = gpd.GeoDataFrame({"marker_id": [str(k + 1) for k in range(n_markers)], "kind": "single",
                                "emplaced_by": np.where(rng.random(n_markers) < 0.5, "VN", "CN")},
                               geometry=border.point_at(mk).values, crs="EPSG:4326")
    s = rng.uniform(0, L - 2, n_assign)
    e = s + rng.uniform(0.05, 2.0, n_assign)
    form = np.arange(n_assign) % 3
    rows, geoms = [], []
    for k in range(n_assign):
        row = {"assignment_id": f"A{k}", "village": f"v{k % 700}", "commune": f"c{k % 90}", "households": 5,
               "people": 20, "markers": [str(rng.integers(1, n_markers + 1))]}
        g = None
        if form[k] == 0:
            row.update(start_km=s[k], end_km=e[k])
        elif form[k] == 1:
            a, b = np.searchsorted(mk, [s[k], e[k]])
            a, b = min(a, n_markers - 1), min(max(b, a + 1), n_markers - 1)
            row.update(from_marker=str(a + 1), to_marker=str(b + 1))
        else:
            g = border.cut(s[k], e[k])
        rows.append(row)
        geoms.append(g)
    a = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    return bg.Dataset(border, markers, a)


def ours(ds: bg.Dataset) -> tuple[float, float]:
    t0 = time.perf_counter()
    cov = bg.coverage(ds)
    km = cov.covered_km
    issues = bg.validate(ds, cov=cov)
    dt = time.perf_counter() - t0
    del issues
    return dt, km


def baseline(ds: bg.Dataset, cov: bg.Coverage) -> tuple[float, float]:
    t = pyproj.Transformer.from_crs(4326, 32648, always_xy=True)
    line = ds.border.geometry
    xy = shapely.get_coordinates(line)
    uline = shapely.LineString(np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    # UTM length per km of geodesic chainage: convert the resolved chainages to fractions of the line
    frac_s = cov.intervals["start_km"].to_numpy() / ds.border.length_km
    frac_e = cov.intervals["end_km"].to_numpy() / ds.border.length_km
    t0 = time.perf_counter()
    pieces = [substring(uline, a, b, normalized=True) for a, b in zip(frac_s, frac_e, strict=True)
              if np.isfinite(a) and b > a]
    km = shapely.unary_union(pieces).length / 1000.0
    return time.perf_counter() - t0, km


def main() -> int:
    ref = ROOT.parent / "shared" / "reference" / "borders" / "vn_cn_border.geojson"
    line = gpd.read_file(ref).geometry.iloc[0]
    border = bg.Border(line, left="CN", right="VN")
    out = []
    for n in (1_000, 10_000):
        ds = make(border, n, 3_000, seed=n)
        bg.coverage(ds)  # warm the border's index
        dt, km = ours(ds)
        cov = bg.coverage(ds)
        bdt, bkm = baseline(ds, cov)
        # independent check of the union: a sweep written here, on the resolved intervals
        iv = cov.intervals.sort_values("start_km")
        covered, reach = 0.0, 0.0
        for a, e in zip(iv["start_km"], iv["end_km"], strict=True):
            if e > reach:
                covered += e - max(a, reach)
                reach = e
        out.append({"assignments": n, "markers": 3000, "coverage_and_validation_s": round(dt, 3),
                    "covered_km": round(km, 4), "independent_sweep_km": round(covered, 4),
                    "baseline_substring_union_s": round(bdt, 3), "baseline_km_utm": round(bkm, 4),
                    "ratio_vs_baseline": round(bdt / dt, 1)})
    out.append({"scaling_10x_assignments_time_ratio": round(out[1]["coverage_and_validation_s"]
                                                            / out[0]["coverage_and_validation_s"], 2)})
    print(json.dumps(out, indent=1))
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "coverage.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
