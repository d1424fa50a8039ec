"""Benchmark: coverage map of all of Viet Nam's land borders — HTML size and load in headless Chromium.

    python benchmarks/bench_map.py

All three borders (bundled `vietnam`, about 4,770 km and 22,400 vertices) with 2,000 assignments and 1,000 / 3,000
/ 10,000 marker posts spread along them (synthetic). For each: render time, HTML size, and in headless Chromium
(Debian's chromium, no network) the time until the page is built and any JavaScript error. Baseline in the same
run: the same markers and stretches drawn as plain folium GeoJson layers with GeoJsonTooltip (what geopandas'
``explore`` writes), whose HTML size is reported beside ours.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/_browser.py: the one chromium launch
import bien_gioi_geo as bg  # noqa: E402
from _browser import find_chromium, offline_page  # noqa: E402
from bien_gioi_geo.maps import save_map  # noqa: E402


def make(n_markers: int, n_assign: int = 2000, seed: int = 0) -> bg.Dataset:
    vn = bg.datasets.load("vietnam")
    rng = np.random.default_rng(seed)
    rows, geoms, arows = [], [], []
    total = sum(b.length_km for b in vn.borders.values())
    for bid, b in vn.borders.items():
        k = int(round(n_markers * b.length_km / total))
        km = np.sort(rng.uniform(0, b.length_km, k))
        pts = b.point_at(km)
        for j, p in enumerate(pts):
            rows.append({"border_id": bid, "marker_id": str(j + 1), "kind": "single",
                         "emplaced_by": "VN" if j % 2 else b.left if b.left != "VN" else b.right})
            geoms.append(p)
        na = int(round(n_assign * b.length_km / total))
        cuts = np.sort(rng.uniform(0, b.length_km, 2 * na)).reshape(-1, 2)
        for j, (s, e) in enumerate(cuts):
            arows.append({"assignment_id": f"{bid}-{j}", "border_id": bid, "village": f"Bản {j % 300}",
                          "commune": f"Xã {j % 40}", "households": 10, "people": 40, "start_km": s, "end_km": e,
                          "markers": [str(rng.integers(1, max(k, 1) + 1))]})
    markers = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    return bg.Dataset(vn.borders, markers, pd.DataFrame(arows), name="vietnam-bench")


def chromium_load(path: Path) -> dict:
    chromium = find_chromium()
    if chromium is None:
        return {"chromium": "not installed"}
    with offline_page(chromium) as (page, errors):
        t0 = time.perf_counter()
        page.goto(path.as_uri(), timeout=120_000)
        page.wait_for_function("document.querySelector('.bg-legend') !== null", timeout=120_000)
        dt = time.perf_counter() - t0
    return {"load_s": round(dt, 2), "js_errors": errors}


def main() -> int:
    out = []
    tmp = Path(tempfile.mkdtemp())
    for n in (1_000, 3_000, 10_000):
        ds = make(n)
        cov = bg.coverage(ds)
        t0 = time.perf_counter()
        m = bg.coverage_map(ds, cov)
        path = save_map(m, tmp / f"map_{n}.html")
        render = time.perf_counter() - t0
        import folium

        base = folium.Map(location=[16, 106], zoom_start=6)
        mk = cov.marker_posts[["marker_id", "kind", "emplaced_by", "chainage_km", "geometry"]]
        folium.GeoJson(mk.to_json(), tooltip=folium.GeoJsonTooltip(["marker_id", "kind", "emplaced_by"])).add_to(base)
        stretches = gpd.GeoDataFrame(ds.assignments[["assignment_id", "village", "commune"]], crs="EPSG:4326",
                                     geometry=[ds.borders[b].cut(s, e) for b, s, e in zip(
                                         cov.intervals["border_id"], cov.intervals["start_km"],
                                         cov.intervals["end_km"], strict=True)])
        folium.GeoJson(stretches.to_json(), tooltip=folium.GeoJsonTooltip(["assignment_id", "village",
                                                                           "commune"])).add_to(base)
        base_path = tmp / f"explore_{n}.html"
        base.save(str(base_path))
        row = {"marker_posts": len(ds.markers), "assignments": len(ds.assignments),
               "border_vertices": sum(b.n_vertices for b in ds.borders.values()), "render_s": round(render, 2),
               "html_mb": round(path.stat().st_size / 1e6, 2),
               "baseline_explore_html_mb": round(base_path.stat().st_size / 1e6, 2), **chromium_load(path)}
        out.append(row)
        print(json.dumps(row))
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "map.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
