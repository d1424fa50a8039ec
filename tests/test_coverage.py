"""Coverage and the interval algebra: hand computations, property-based tests, the bundled sample's figures."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString

import bien_gioi_geo as bg
from bien_gioi_geo.analysis import intervals as iv

# ------------------------------------------------------------------------------------- interval algebra
intervals_st = st.lists(
    st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 30, allow_nan=False)).map(
        lambda t: (t[0], min(t[0] + t[1], 100.0))), max_size=40)


def _grid_cover(pairs, step=0.25):
    """Independent check: count coverage on a fine grid of midpoints (exact for multiples of step)."""
    xs = np.arange(0, 100, step) + step / 2
    cnt = np.zeros_like(xs, dtype=int)
    for s, e in pairs:
        cnt += (xs >= s) & (xs < e)
    return xs, cnt


@given(intervals_st)
@settings(max_examples=300, deadline=None)
def test_union_properties(pairs):
    s = [p[0] for p in pairs]
    e = [p[1] for p in pairs]
    total = iv.union_length(s, e)
    assert total <= sum(b - a for a, b in pairs) + 1e-9
    gs, ge = iv.gaps(s, e, 0.0, 100.0)
    assert total + float((ge - gs).sum()) == pytest.approx(100.0, abs=1e-9)
    # order-independent
    perm = np.random.default_rng(len(pairs)).permutation(len(pairs))
    assert iv.union_length(np.asarray(s)[perm] if pairs else [], np.asarray(e)[perm] if pairs else []) == \
        pytest.approx(total, abs=1e-9)
    us, ue = iv.union(s, e)
    assert (us[1:] > ue[:-1]).all()  # disjoint and not touching


@given(st.lists(st.tuples(st.integers(0, 399), st.integers(1, 40)), max_size=30))
@settings(max_examples=300, deadline=None)
def test_overlaps_exactly_where_count_at_least_two(raw):
    pairs = [(a * 0.25, min(a * 0.25 + b * 0.25, 100.0)) for a, b in raw]
    ids = [f"a{k}" for k in range(len(pairs))]
    xs, cnt = _grid_cover(pairs)
    ov = iv.overlaps([p[0] for p in pairs], [p[1] for p in pairs], ids)
    inside = np.zeros_like(xs, dtype=bool)
    for s, e, who in ov:
        sel = (xs >= s) & (xs < e)
        inside |= sel
        # every claimant really covers the piece, and no one else does
        for x in xs[sel]:
            covering = {ids[k] for k, (a, b) in enumerate(pairs) if a <= x < b}
            assert covering == set(who)
    assert np.array_equal(inside, cnt >= 2)
    assert iv.union_length([p[0] for p in pairs], [p[1] for p in pairs]) == pytest.approx((cnt >= 1).sum() * 0.25)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 399), st.integers(1, 40)), max_size=30))
@settings(max_examples=200, deadline=None)
def test_per_group_lengths_bounded(raw):
    groups = {}
    for g, a, b in raw:
        groups.setdefault(g, []).append((a * 0.25, min(a * 0.25 + b * 0.25, 100.0)))
    per = [iv.union_length([p[0] for p in v], [p[1] for p in v]) for v in groups.values()]
    allp = [p for v in groups.values() for p in v]
    assert sum(per) <= 100.0 * len(groups) + 1e-9
    assert sum(per) >= iv.union_length([p[0] for p in allp], [p[1] for p in allp]) - 1e-9


@pytest.mark.parametrize(("s", "e", "union", "overlaps"), [
    ([0, 1], [1, 2], 2.0, []),                      # touching: merged, not overlapping
    ([0, 1], [1, 1], 1.0, []),                      # zero length covers nothing
    ([0, 0.5], [1, 1.5], 1.5, [(0.5, 1.0)]),
    ([0, 0], [1, 1], 1.0, [(0.0, 1.0)]),            # identical
])
def test_half_open_rules(s, e, union, overlaps):
    assert iv.union_length(s, e) == pytest.approx(union)
    assert [(a, b) for a, b, _ in iv.overlaps(s, e, ["x", "y"])] == overlaps


def test_reversed_intervals_are_refused():
    with pytest.raises(ValueError, match="reversed"):
        iv.union([2.0], [1.0])


# ------------------------------------------------------------------------------------- coverage on a toy border
@pytest.fixture
def toy():
    line = LineString([(103.0, 22.5), (103.1, 22.55), (103.2, 22.5)])
    b = bg.Border(line, official_length_km=25.0, left="CN", right="VN")
    m = gpd.GeoDataFrame({"marker_id": ["1", "2(1)", "2(2)", "3"], "kind": ["single", "double", "double", "single"],
                          "emplaced_by": ["VN", "CN", "CN", "VN"]},
                         geometry=[b.point_at(0.0), b.point_at(9.9), b.point_at(10.1), b.point_at(b.length_km)],
                         crs="EPSG:4326")
    drawn = b.cut(16.0, 18.0)
    a = gpd.GeoDataFrame({"assignment_id": ["A", "B", "C", "D"], "village": ["v1", "v2", "v3", "v4"],
                          "commune": ["c1", "c1", "c2", "c2"], "households": [3, 4, 5, 6], "people": [9, 9, 9, 9],
                          "from_marker": ["1", None, None, None], "to_marker": ["2", None, None, None],
                          "start_km": [None, 8.0, None, None], "end_km": [None, 15.0, None, None],
                          "markers": [["1"], ["2(1)"], ["2"], []]},
                         geometry=[None, None, None, drawn], crs="EPSG:4326")
    return bg.Dataset(b, m, a), b


def test_coverage_hand_computed(toy):
    ds, b = toy
    cov = bg.coverage(ds)
    # A: marker 1 (km 0) to marker 2 (mean of its posts, km 10.0); B: 8–15; D: drawn 16–18. Union: 0–15, 16–18
    assert cov.intervals.loc[0, "end_km"] == pytest.approx(10.0, abs=1e-6)
    assert cov.covered_km == pytest.approx(17.0, abs=1e-6)
    assert cov.official_covered_km == pytest.approx(17.0 * 25.0 / b.length_km, abs=1e-6)
    gaps = cov.gaps
    assert gaps[["start_km", "end_km"]].to_numpy() == pytest.approx(np.array([[15.0, 16.0], [18.0, b.length_km]]),
                                                                   abs=1e-6)
    ov = cov.overlaps
    assert len(ov) == 1 and ov["assignment_ids"].iloc[0] == ["A", "B"]
    assert ov["start_km"].iloc[0] == pytest.approx(8.0) and ov["end_km"].iloc[0] == pytest.approx(10.0, abs=1e-6)
    assert ov.geometry.iloc[0].geom_type == "LineString"
    by = cov.by("commune")
    assert by.loc["c1", "covered_km"] == pytest.approx(15.0, abs=1e-6)  # union of A and B, not 10 + 7
    assert by.loc["c2", "covered_km"] == pytest.approx(2.0, abs=1e-6)
    s = cov.summary()
    assert s["markers_total"] == 3 and s["markers_self_managed"] == 2 and s["households"] == 18
    mn = cov.marker_numbers
    assert mn.loc["2", "carers"] == ["B", "C"] and mn.loc["3", "n_carers"] == 0


def test_coverage_does_not_change_the_callers_frames(toy):
    ds, _ = toy
    before = ds.assignments.copy()
    bg.coverage(ds).summary()
    pd.testing.assert_frame_equal(ds.assignments, before)


def test_validate_rules_on_planted_problems(toy):
    ds, b = toy
    a = ds.assignments.copy()
    extra = gpd.GeoDataFrame({
        "assignment_id": ["B", "E", "F", "G"], "village": ["V4", "v5", "v6", "v7"], "commune": ["c2"] * 4,
        "households": [-1, 10, 1, 1], "people": [1, 2, 1, 1], "from_marker": [None, "99", None, None],
        "to_marker": [None, "3", None, None], "start_km": [30.0, None, 5.0, None], "end_km": [20.0, None, 4.0, None],
        "markers": [[], [], [], ["3", "3"]], "declared_km": [None, None, 2.0, None]},
        geometry=[None, None, None, bg.Border(b.cut(19.0, 20.0)).cut(0, 1)], crs="EPSG:4326")
    # G: drawn 2 km north of the line
    import shapely

    extra.loc[3, "geometry"] = shapely.affinity.translate(b.cut(19.0, 20.0), yoff=0.02)
    ds2 = bg.Dataset(b, ds.markers, pd.concat([a, extra], ignore_index=True))
    issues = bg.validate(ds2)
    rules = set(issues["rule"])
    for r in ("duplicate_id", "bad_counts", "unknown_marker", "reversed_range", "out_of_range",
              "assignment_off_line", "length_mismatch", "gap", "overlap", "marker_assigned_twice", "name_variant"):
        assert r in rules, r
    assert set(issues.loc[issues["rule"] == "unknown_marker", "assignment_ids"].iloc[0]) == {"E"}


def test_clean_sample_reports_no_false_problem():
    ds = bg.datasets.load("phong_tho")
    issues = bg.validate(ds)
    assert set(issues["rule"]) == {"marker_unassigned"}  # 24 of 51 markers have no carer, as in the review
    assert (issues["rule"] == "marker_unassigned").sum() == 51 - 27


def test_phong_tho_summary_reproduces_the_review():
    ds = bg.datasets.load("phong_tho")
    s = bg.coverage(ds).summary()
    assert s["official_km"] == 97.229 and s["official_covered_km"] == 97.229
    assert s["markers_total"] == 51 and s["markers_self_managed"] == 27
    assert s["markers_by_kind"] == {"triple": 12, "double": 20, "single": 15, "auxiliary": 4}
    assert s["markers_by_emplaced_by"] == {"VN": 27, "CN": 24}
    assert (s["collectives"], s["individuals"], s["villages"], s["communes"]) == (63, 460, 125, 12)
    # covered = union computed independently: sort and sweep by hand
    iv_ = bg.coverage(ds).intervals.sort_values("start_km")
    covered, reach = 0.0, 0.0
    for a, e in zip(iv_["start_km"], iv_["end_km"], strict=True):
        if e > reach:
            covered += e - max(a, reach)
            reach = e
    assert covered == pytest.approx(ds.border.length_km, abs=1e-9)


def test_suspect_datum(toy):
    import pyproj

    ds, b = toy
    m = ds.markers.copy()
    # marker 3 given in VN-2000 lat/lon but read as WGS 84: move it by the inverse of the datum shift
    p = b.point_at(5.0)  # on the first segment, which runs across the VN-2000 → WGS 84 shift (~130 m here)
    t = pyproj.Transformer.from_crs(4326, 4756, always_xy=True)
    lon, lat = t.transform(p.x, p.y)
    shifted = gpd.GeoDataFrame({"marker_id": ["4"], "kind": ["single"], "emplaced_by": ["VN"]},
                               geometry=[shapely_point(lon, lat)], crs="EPSG:4326")
    ds2 = bg.Dataset(b, pd.concat([m, shifted], ignore_index=True), ds.assignments)
    issues = bg.validate(ds2, marker_tolerance_m=100)
    row = issues[issues["rule"] == "suspect_datum"]
    assert list(row["marker_ids"].iloc[0]) == ["4"] and "EPSG:4756" in row["hint"].iloc[0]


def shapely_point(x, y):
    from shapely import Point

    return Point(x, y)


def test_messy_frames_are_validated_not_refused(toy):
    """A post written (lat, lon) in an in-memory frame: Dataset(errors="collect") keeps the rest and validate
    reports the post under swapped_coordinates; the default refuses the frame with a message naming the row."""
    ds, b = toy
    m = ds.markers.drop(columns=["source_row"]).copy()
    p = m.geometry.iloc[3]
    m.loc[3, "geometry"] = shapely_point(p.y, p.x)
    with pytest.raises(bg.InputError, match="row 4.*look swapped"):
        bg.Dataset(b, m, ds.assignments)
    messy = bg.Dataset(b, m, ds.assignments, errors="collect")
    assert len(messy.markers) == 3
    issues = bg.validate(messy, lang="en")
    row = issues[issues["rule"] == "swapped_coordinates"]
    assert len(row) == 1 and "row/feature 4" in row["message"].iloc[0] and "marker_id '3'" in row["message"].iloc[0]
