"""Patrols: synthetic walks on the real Viet Nam–China line (known truth) matched back to visits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

import bien_gioi_geo as bg
from bien_gioi_geo.patrols.synthetic import walk


@pytest.fixture(scope="module")
def cn():
    return bg.datasets.load("vietnam").borders["VN-CN"]


def _ends_m(visits, truth):
    assert len(visits) == len(truth), (visits[["start_km", "end_km"]], truth)
    v = visits.sort_values(["track_id", "start_time"]).reset_index(drop=True)
    t = truth.sort_values(["track_id", "start_time"]).reset_index(drop=True)
    return np.abs(np.r_[v["start_km"] - t["start_km"], v["end_km"] - t["end_km"]]) * 1000


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_walk_with_pause_excursion_and_gap(cn, seed):
    legs = [("walk", 201.5), ("pause", 30), ("walk", 202.2), ("out", 400), ("walk", 203.0), ("gap", 204.0),
            ("walk", 204.8), ("walk", 204.3)]  # ... and back a little
    fx, truth = walk(cn, 200.0, legs, track_id="T", seed=seed, noise_m=10)
    p = bg.patrols(cn, fx)
    assert len(truth) == 3  # the excursion and the gap each end a visit
    assert _ends_m(p.visits, truth).max() < 30
    # covered km: a union of the true stretches, within 50 m
    true_km = (truth["end_km"] - truth["start_km"]).sum()
    assert p.covered_km() == pytest.approx(true_km, abs=0.05)


def test_meander_continuity(cn):
    # the line loops back within 30 m of itself between km 37.42 and 37.52: fixes there are ambiguous
    loc = cn.locate(shapely.get_coordinates(cn.point_at([37.42])), ambiguity_m=30)
    assert bool(loc["ambiguous"].iloc[0])
    fx, truth = walk(cn, 37.0, [("walk", 38.0)], track_id="M", seed=5, noise_m=8)
    p = bg.patrols(cn, fx)
    assert _ends_m(p.visits, truth).max() < 30
    assert p.covered_km() == pytest.approx(1.0, abs=0.05)


def test_shortcut_faster_than_walking_ends_the_visit(cn):
    a, _ = walk(cn, 300.0, [("walk", 300.5)], track_id="J", seed=1)
    b, _ = walk(cn, 310.0, [("walk", 310.5)], track_id="J", seed=2,
                start_time=a["time"].iloc[-1] + pd.Timedelta(seconds=60))
    p = bg.patrols(cn, pd.concat([a, b], ignore_index=True))  # 9.5 km in a minute: not on foot
    assert len(p.visits) == 2
    assert p.covered_km() == pytest.approx(1.0, abs=0.05)


def test_last_visit_and_overdue_at_sampled_chainages(cn):
    walks = [walk(cn, 400.0, [("walk", 402.0)], track_id="A", start_time="2024-01-05T01:00Z", seed=1),
             walk(cn, 401.0, [("walk", 403.0)], track_id="B", start_time="2024-03-01T01:00Z", seed=2),
             walk(cn, 405.0, [("walk", 406.0)], track_id="C", start_time="2024-03-20T01:00Z", seed=3)]
    fx = pd.concat([w[0] for w in walks], ignore_index=True)
    p = bg.patrols(cn, fx)
    as_of = pd.Timestamp("2024-03-31T00:00Z")
    lv = p.last_visit(as_of)
    truth = {400.5: "A", 401.5: "B", 402.5: "B", 404.0: None, 405.5: "C", 800.0: None}
    for km, who in truth.items():
        row = lv[(lv["start_km"] <= km) & (lv["end_km"] > km)].iloc[0]
        if who is None:
            assert pd.isna(row["last_track_id"]) and pd.isna(row["last_visit"]) and np.isnan(row["days_since"])
        else:
            assert row["last_track_id"] == who, km
            end = fx[fx["track_id"] == who]["time"].max()
            assert row["days_since"] == pytest.approx((as_of - end) / pd.Timedelta(days=1), abs=0.01)
    od = p.overdue(every="30D", as_of=as_of)

    def late(km):
        return bool(((od["start_km"] <= km) & (od["end_km"] > km)).any())

    assert late(400.5) and not late(401.5) and not late(402.5) and late(404.0) and not late(405.5)
    assert late(1000.0)
    # the whole line is either overdue or recently walked
    recent = p.covered_km(start=as_of - pd.Timedelta("30D"), end=as_of)
    assert od["length_km"].sum() + recent == pytest.approx(cn.length_km, abs=0.05)


def test_by_and_window(cn):
    a, _ = walk(cn, 500.0, [("walk", 501.0)], track_id="A", seed=1, start_time="2024-01-01T00:00Z")
    b, _ = walk(cn, 500.5, [("walk", 502.0)], track_id="B", seed=2, start_time="2024-02-01T00:00Z")
    a["unit"], b["unit"] = "Đồn 1", "Đồn 1"
    p = bg.patrols(cn, pd.concat([a, b], ignore_index=True))
    by = p.by("unit").set_index("unit")
    assert by.loc["Đồn 1", "n_visits"] == 2
    assert by.loc["Đồn 1", "covered_km"] == pytest.approx(2.0, abs=0.05)  # union, not 2.5
    assert p.covered_km("2024-01-15", "2024-03-01") == pytest.approx(1.5, abs=0.05)
    with pytest.raises(bg.InputError, match="no visit column 'station'"):
        p.by("station")


def test_assignments_registered_vs_patrolled():
    ds = bg.datasets.load("phong_tho")
    b = ds.border
    from bien_gioi_geo.analysis.coverage import resolve_intervals

    iv = resolve_intervals(ds).dropna(subset=["start_km"]).iloc[0]
    mid = (iv["start_km"] + iv["end_km"]) / 2
    fx, _ = walk(b, iv["start_km"], [("walk", mid)], track_id="X", seed=4)
    res = bg.patrols(ds, fx).assignments().set_index("assignment_id").loc[iv["assignment_id"]]
    assert res["registered_km"] == pytest.approx(iv["end_km"] - iv["start_km"])
    assert res["patrolled_km"] == pytest.approx(mid - iv["start_km"], abs=0.05)


def test_options_are_checked(cn):
    with pytest.raises(bg.InputError, match="corridor_m must be a positive number"):
        bg.patrols(cn, pd.DataFrame(columns=["track_id", "time", "lon", "lat"]), corridor_m=-5)


def test_chunked_equals_whole(cn):
    ws = [walk(cn, 600.0 + 3 * k, [("walk", 601.0 + 3 * k)], track_id=f"T{k}", seed=k) for k in range(5)]
    fx = pd.concat([w[0] for w in ws], ignore_index=True).sample(frac=1.0, random_state=0)
    whole = bg.patrols(cn, fx).visits.drop(columns="geometry")
    chunked = bg.patrols(cn, fx, chunk_fixes=200).visits.drop(columns="geometry")
    pd.testing.assert_frame_equal(whole, chunked)
    assert len(whole) == 5
