"""Coverage on a real line against an independent computation: hundreds of assignments in all three forms."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import bien_gioi_geo as bg


def _union_km(pairs):
    """A plain sort-and-sweep, written here independently of bien_gioi_geo.intervals."""
    total, reach = 0.0, -np.inf
    for s, e in sorted(pairs):
        if e > reach:
            total += e - max(s, reach)
            reach = e
    return total


@pytest.mark.parametrize("seed", [1, 2])
def test_three_forms_on_the_china_border(seed):
    border = bg.datasets.load("vietnam").borders["VN-CN"]
    rng = np.random.default_rng(seed)
    L = border.length_km
    n = 300
    s = rng.uniform(0, L - 5, n)
    e = s + rng.uniform(0.2, 5.0, n)
    # markers at every interval end, numbered in order along the line (posts exactly on the line)
    ends = np.unique(np.concatenate([s, e]))
    numbers = {km: str(k + 1) for k, km in enumerate(ends)}
    markers = gpd.GeoDataFrame({"marker_id": list(numbers.values()), "kind": "single", "emplaced_by": "VN",
                                "border_id": "VN-CN"}, geometry=border.point_at(ends).values, crs="EPSG:4326")
    rows, geoms = [], []
    for k in range(n):
        form = k % 3
        row = {"assignment_id": f"A{k}", "border_id": "VN-CN", "village": f"Bản {k}", "commune": f"Xã {k % 7}",
               "households": 5, "people": 20, "markers": []}
        g = None
        if form == 0:
            row.update(start_km=s[k], end_km=e[k])
        elif form == 1:
            row.update(from_marker=numbers[s[k]], to_marker=numbers[e[k]])
        else:
            g = shapely.transform(border.cut(s[k], e[k]), lambda xy: np.round(xy, 7))  # drawn to 1 cm
        rows.append(row)
        geoms.append(g)
    a = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    ds = bg.Dataset({"VN-CN": border}, markers, a)
    cov = bg.coverage(ds)
    expected = _union_km(list(zip(s, e, strict=True)))
    assert cov.covered_km == pytest.approx(expected, abs=0.001)  # to 1 m
    # per commune, likewise
    by = cov.by("commune")
    for c, grp in pd.DataFrame({"c": a["commune"], "s": s, "e": e}).groupby("c"):
        assert by.loc[c, "covered_km"] == pytest.approx(_union_km(list(zip(grp["s"], grp["e"], strict=True))),
                                                        abs=0.001)
    # a clean dataset: no errors, and warnings only of the kinds the data really has
    issues = bg.validate(ds)
    assert (issues["severity"] == "error").sum() == 0, issues[issues["severity"] == "error"]["message"].tolist()
    assert set(issues["rule"]) <= {"gap", "overlap", "marker_unassigned"}
    gaps_km = L - expected
    assert cov.gaps["length_km"].sum() == pytest.approx(gaps_km, abs=0.001)
