"""What each layer of the coverage map holds, read back from the rendered HTML: feature counts and values per
layer, against the coverage they are drawn from and the published figures (not just that a function name appears).
"""

from __future__ import annotations

import json
import re

import folium
import pytest

import bien_gioi_geo as bg
from bien_gioi_geo.formatting import format_km
from bien_gioi_geo.labels import label


def _layer_data(m) -> dict[str, list[dict]]:
    """For each layer (FeatureGroup, by its name): the data objects passed to ``bgGeo.lines``/``bgGeo.points``."""
    html = m.get_root().render()
    names = {fg.get_name(): fg.layer_name for fg in m._children.values() if isinstance(fg, folium.FeatureGroup)}
    out: dict[str, list[dict]] = {}
    decoder = json.JSONDecoder()
    for call in re.finditer(r"bgGeo\.(lines|points|chainage)\((?:map_\w+, )?(feature_group_\w+), ", html):
        data, _ = decoder.raw_decode(html, call.end())
        out.setdefault(names[call.group(2)], []).append(data)
    assert set(out) == set(names.values())  # every layer was found in the page
    return out


@pytest.fixture(scope="module")
def pt():
    ds = bg.datasets.load("phong_tho")
    cov = bg.coverage(ds)
    return ds, cov, _layer_data(bg.coverage_map(ds, cov, tiles=None, issues=bg.validate(ds, cov=cov)))


def test_border_layer_runs_to_the_official_length(pt):
    ds, _, layers = pt
    (parts,) = layers[label("border", "vi")]
    assert len(parts) == ds.border.n_parts
    assert parts[0][1][0] == 0.0
    assert parts[-1][1][-1] == pytest.approx(97.229, abs=5e-4)  # Phong Thổ's published length, calibrated chainage


def test_stretch_layer_has_one_feature_per_resolved_stretch(pt):
    ds, cov, layers = pt
    (data,) = layers[label("stretches", "vi")]
    iv = cov.intervals
    drawn = iv[iv["unresolved"].isna() & (iv["length_km"] > 0)]
    assert len(data["feats"]) == len(drawn) > 0
    by_id = {f["t"][0]: f for f in data["feats"]}
    assert set(by_id) == set(ds.assignments.loc[drawn.index, "assignment_id"])
    first = drawn.iloc[0]
    assert by_id[ds.assignments.loc[drawn.index[0], "assignment_id"]]["t"][6] == format_km(first["length_km"])


def test_gap_and_overlap_layers_hold_the_coverage_rows(pt):
    _, cov, layers = pt
    (gaps,) = layers[label("gap_layer", "vi")]
    assert len(gaps["feats"]) == len(cov.gaps)
    assert [f["t"][2] for f in gaps["feats"]] == [format_km(v) for v in cov.gaps["length_km"]]
    (overlaps,) = layers[label("overlap_layer", "vi")]
    assert len(overlaps["feats"]) == len(cov.overlaps)  # none in the sample (its registrations do not overlap)


def test_marker_layer_has_every_post_and_a_ring_for_each_without_carer(pt):
    ds, cov, layers = pt
    (data,) = layers[label("marker_layer", "vi")]
    posts = [f for f in data["feats"] if "n" in f]
    rings = [f for f in data["feats"] if "n" not in f]
    assert len(posts) == len(ds.markers)
    assert sorted(f["n"] for f in posts) == sorted(ds.markers["marker_id"].astype(str))
    assert len(rings) == int((cov.marker_posts["n_carers"] == 0).sum())
    # the review: 27 of Phong Thổ's 51 markers are self-managed, so 24 markers have no carer
    assert cov.summary()["markers_unassigned"] == 24


def test_overlap_layer_lists_who_claims_each_overlap():
    ds = bg.datasets.load("phong_tho_problems")
    cov = bg.coverage(ds)
    issues = bg.validate(ds, cov=cov, lang="en")
    layers = _layer_data(bg.coverage_map(ds, cov, tiles=None, issues=issues, lang="en"))
    (overlaps,) = layers[label("overlap_layer", "en")]
    assert len(overlaps["feats"]) == len(cov.overlaps) > 0
    for f, ids in zip(overlaps["feats"], cov.overlaps["assignment_ids"], strict=True):
        assert all(str(i) in f["t"][1] for i in ids)  # every claimant named in the tooltip
    lines, points = layers[label("problem_layer", "en")]  # the problems drawn as lines, then as points
    shown = [f["t"][0] for part in (lines, points) for f in part["feats"]]
    placed = issues[issues.geometry.notna() & ~issues["rule"].isin(["gap", "overlap", "marker_unassigned"])]
    assert sorted(shown) == sorted(placed["message"]) and shown  # each placed problem once, its message the tip
