"""A/B in one process: Border.locate with the closed-form short-segment step (``locating.CLOSED_FORM = True``,
:func:`~bien_gioi_geo.referencing.geodesy.measure_near`) against the geodesic step (``False``, pyproj's
``Geod.inv`` per point), interleaved, on the benchmark's lines; also the largest difference of their answers.

    python benchmarks/ab_locate_step.py [--reps 5] [--points 200000] [--shapes walk,smooth,finezig,vnla]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_locate as bl  # noqa: E402

import bien_gioi_geo as bg  # noqa: E402
from bien_gioi_geo.referencing import locating  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--points", type=int, default=200_000)
    ap.add_argument("--shapes", default="walk,smooth,finezig,vnla")
    args = ap.parse_args(argv)
    import geopandas as gpd
    ref = bl.ROOT.parent / "shared" / "reference" / "borders"
    make = {"walk": bl.random_walk_line, "smooth": bl.smooth_line, "finezig": bl.fine_zigzag_line,
            "zigzag": bl.zigzag_line, "spiral": bl.spiral_line,
            "vnla": lambda: gpd.read_file(ref / "vn_la_border.geojson").geometry.iloc[0],
            "vnkh": lambda: bl.resampled_line(ref / "vn_kh_border.geojson")}
    for name in args.shapes.split(","):
        border = bg.Border(make[name]())
        pts = bl.points_near(border, args.points, seed=5)
        answers = {}
        for flag in (False, True):
            locating.CLOSED_FORM = flag
            answers[flag] = border.locate(pts, workers=1)
        new, old = answers[True], answers[False]
        ratios = []
        for _ in range(args.reps):
            t = {}
            for flag in (False, True):
                locating.CLOSED_FORM = flag
                t0 = time.perf_counter()
                border.locate(pts, workers=1)
                t[flag] = time.perf_counter() - t0
            ratios.append(t[False] / t[True])
        locating.CLOSED_FORM = False  # the default
        dc = np.abs(new["chainage_km"] - old["chainage_km"]).max() * 1000
        dd = np.abs(new["distance_m"] - old["distance_m"]).max()
        print(f"{name:8s} geodesic/closed-form time: median {np.median(ratios):.3f} "
              f"(each {[round(r, 3) for r in ratios]}); max |Δchainage| {dc:.2e} m, max |Δdistance| {dd:.2e} m, "
              f"segments differ {int((new['segment'] != old['segment']).sum())}, "
              f"sides differ {int((np.sign(new['offset_m']) != np.sign(old['offset_m'])).sum())}; "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
