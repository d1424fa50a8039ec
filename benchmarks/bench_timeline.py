"""Benchmark: the timeline (one sweep over the change points) against coverage(as_of=…) per date.

    python benchmarks/bench_timeline.py

10,000 dated assignments (a third each by chainage, by marker terms and as drawn lines; random periods over
2015–2025, some open-ended, versions sharing ids) and 3,000 marker posts on the 1,384 km Viet Nam–China line
(../shared/reference/borders/vn_cn_border.geojson); 20 dates. Baseline, in the same process: ``bg.coverage(ds,
as_of=d).summary()`` for each date. Both must give the same figures; the report is the ratio of the times.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_coverage import make  # noqa: E402

import bien_gioi_geo as bg  # noqa: E402
from bien_gioi_geo.analysis.ledger import TIMELINE_COLUMNS  # noqa: E402


def dated(ds: bg.Dataset, seed: int) -> bg.Dataset:
    rng = np.random.default_rng(seed)
    a = ds.assignments.copy()
    n = len(a)
    start = np.array([dt.date(2015, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 10 * 365, n)])
    end = np.array([s + dt.timedelta(days=int(d)) for s, d in zip(start, rng.integers(30, 6 * 365, n), strict=True)])
    a["valid_from"] = [None if k % 13 == 0 else s for k, s in enumerate(start)]
    a["valid_to"] = [None if k % 4 == 0 else e for k, e in enumerate(end)]
    a["assignment_id"] = [f"A{k // 2}" for k in range(n)]
    return bg.Dataset(ds.borders, ds.markers, a.drop(columns=["source_row", "stretch_by", "stretch_forms"],
                                                      errors="ignore"))


def main() -> int:
    ref = ROOT.parent / "shared" / "reference" / "borders" / "vn_cn_border.geojson"
    border = bg.Border(gpd.read_file(ref).geometry.iloc[0], left="CN", right="VN")
    ds = dated(make(border, 10_000, 3_000, 1), 2)
    ds.markers_located  # noqa: B018 - located once, shared by both ways (as a loaded dataset would be)
    dates = [d.date() for d in pd.date_range("2015-06-30", periods=20, freq="6ME")]
    t0 = time.perf_counter()
    tl = bg.timeline(ds, dates)
    t_sweep = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = [bg.coverage(ds, as_of=d).summary() for d in dates]
    t_base = time.perf_counter() - t0
    same = all(tl.iloc[k][c] == rows[k][c] or (pd.isna(tl.iloc[k][c]) and rows[k][c] is None)
               for k in range(len(dates)) for c in TIMELINE_COLUMNS)
    t0 = time.perf_counter()
    bg.coverage(ds, as_of=dates[-1]).summary()
    t_one = time.perf_counter() - t0
    print(f"{len(ds.assignments):,} dated assignments, {len(ds.markers):,} marker posts, {len(dates)} dates, "
          f"line {border.length_km:,.1f} km")
    print(f"timeline (one sweep):          {t_sweep:8.2f} s")
    print(f"coverage(as_of=…) per date:    {t_base:8.2f} s   (one coverage run: {t_one:.2f} s)")
    print(f"ratio baseline / timeline:     {t_base / t_sweep:8.1f}×; timeline = {t_sweep / t_one:.1f} coverage runs")
    print(f"figures identical at every date: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
