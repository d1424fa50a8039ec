"""Bundled datasets: provenance, lengths against the reference measurements, the seeds' figures, planted problems."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import bien_gioi_geo as bg
from conftest import ROOT


def test_available_and_unknown_name():
    assert bg.datasets.available() == ["dien_bien", "phong_tho", "phong_tho_problems", "vietnam"]
    with pytest.raises(bg.InputError, match="available: dien_bien, phong_tho, phong_tho_problems, vietnam"):
        bg.datasets.load("lai_chau")


@pytest.mark.parametrize("name", ["dien_bien", "phong_tho", "phong_tho_problems", "vietnam"])
def test_every_dataset_states_source_and_illustrative_parts(name):
    meta = json.loads((bg.datasets.path(name) / "dataset.json").read_text(encoding="utf-8"))
    assert "OpenStreetMap" in meta["line_source"] and "ODbL" in meta["line_source"]
    assert "illustrative" in meta
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert f"geojson/{name}/" in readme


def test_vietnam_lengths_and_sides(reference):
    meas = {r["label"]: r["geod_km"] for r in json.loads((reference / "borders/measurements.json").read_text())["rows"]}
    vn = bg.datasets.load("vietnam")
    assert vn.borders["VN-CN"].part_ranges_km[0][1] == pytest.approx(meas["VN-CN bridged (geo-maps 10m)"], abs=5e-4)
    assert vn.borders["VN-CN"].length_km == pytest.approx(
        meas["VN-CN geo-maps bridged + Bac Luan estuary tail from omim"], abs=5e-4)
    assert vn.borders["VN-LA"].length_km == pytest.approx(meas["VN-LA bridged (geo-maps 10m)"], abs=5e-4)
    assert vn.borders["VN-KH"].length_km == pytest.approx(meas["VN-KH bridged (geo-maps 10m)"], abs=5e-4)
    # the Viet Nam side, checked with cities on either side of each border
    cities = {"VN-CN": [((105.85, 21.03), "VN"), ((106.0, 23.3), "CN")],  # Hà Nội; Guangxi
              "VN-LA": [((107.58, 16.46), "VN"), ((104.75, 16.55), "LA")],  # Huế; Savannakhet
              "VN-KH": [((106.70, 10.80), "VN"), ((104.92, 11.55), "KH"), ((105.80, 11.09), "KH")]}
    for bid, pts in cities.items():
        sides = vn.borders[bid].locate([p for p, _ in pts])["side"].tolist()
        assert sides == [s for _, s in pts], bid
    # oriented away from the Viet Nam–Laos–China tri-point: both lines start within 1 m of each other
    cn0 = vn.borders["VN-CN"].point_at(0.0)
    la0 = vn.borders["VN-LA"].point_at(0.0)
    assert bg.referencing.GEOD.inv(cn0.x, cn0.y, la0.x, la0.y)[2] < 1.0


def test_dien_bien_reproduces_the_directive():
    s = bg.coverage(bg.datasets.load("dien_bien")).summary()
    assert s["official_covered_km"] == pytest.approx(374.361, abs=5e-4)  # published to the metre
    assert (s["villages"], s["line_households"], s["line_people"]) == (102, 4301, 16528)
    assert (s["markers_self_managed"], s["marker_households"], s["marker_people"]) == (145, 3502, 14374)


def test_phong_tho_problems_every_planted_problem_is_reported():
    ds = bg.datasets.load("phong_tho_problems")
    issues = bg.validate(ds)
    planted = json.loads((bg.datasets.path("phong_tho_problems") / "dataset.json").read_text())["planted"]
    assert len(planted) >= 15
    for p in planted:
        rows = issues[issues["rule"] == p["rule"]]
        assert len(rows), p
        if "assignment_id" in p:
            assert any(p["assignment_id"] in ids or repr(p["assignment_id"]) in msg
                       for ids, msg in zip(rows["assignment_ids"], rows["message"], strict=True)), p
        elif "km" in p:
            assert ((rows["start_km"] <= p["km"] + 1e-3) & (rows["end_km"] >= p["km"] - 1e-3)).any(), p
    clean = bg.validate(bg.datasets.load("phong_tho"))
    assert set(clean["rule"]) == {"marker_unassigned"}


def test_rebuild_is_byte_identical(reference):
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_datasets.py"), "--check", "--reference",
                        str(reference)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith("ok")
