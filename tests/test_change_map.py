"""The change map (no text from data compiled as a template) and the timeline chart."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

import bien_gioi_geo as bg
from bien_gioi_geo.maps.change_map import change_map, fmt_number, timeline_chart


@pytest.fixture(scope="module")
def change() -> bg.Comparison:
    pt = bg.datasets.load("phong_tho")
    a = pd.DataFrame([
        {"assignment_id": "A", "village": "{{7*7}}", "commune": "{% if true %}x{% endif %}", "start_km": 1.0,
         "end_km": 5.0, "valid_from": "2019-01-01", "valid_to": "2021-01-01", "markers": ["62"]},
        {"assignment_id": "B", "village": "</script><b>x", "start_km": 3.0, "end_km": 9.0,
         "valid_from": "2021-01-01", "valid_to": None, "markers": ["66"]}])
    return bg.compare(bg.Dataset(pt.border, pt.markers, a), "2020-12-31", "2021-12-31")


def test_village_names_are_shown_verbatim_never_compiled(change):
    html = change_map(change, tiles=None).get_root().render()
    assert "{{7*7}}" in html and "{% if true %}x{% endif %}" in html
    assert not re.search(r"\b49\b", html.split("bg-change-data")[1].split("</script>")[0])
    assert "</script><b>x" not in html and "\\u003c/script\\u003e\\u003cb\\u003ex" in html


def test_legend_states_both_dates_and_lengths(change):
    html = change_map(change, tiles=None).get_root().render()
    assert "31/12/2020 → 31/12/2021" in html
    # gained 5–9 (4 km), lost 1–3 (2 km): by hand from the two rows
    assert f"Đoạn mới được tự quản: {fmt_number(4.0)} km" in html and "Đoạn không còn được tự quản: 2,000 km" in html
    en = change_map(change, tiles=None, lang="en").get_root().render()
    assert "31 Dec 2020 → 31 Dec 2021" in en and "Stretches lost: 2.000 km" in en


def test_timeline_chart_png(tmp_path):
    pytest.importorskip("matplotlib")
    tl = bg.timeline(bg.datasets.load("phong_tho"))
    fig = timeline_chart(tl, tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == [f"31/12/{y}" for y in range(2019, 2025)]
    assert fig.axes[0].get_ylabel() == "Chiều dài tự quản (km)"
    assert fig.axes[0].texts[-1].get_text() == fmt_number(tl["official_covered_km"].iloc[-1]) == "97,229"


@pytest.mark.browser
def test_change_map_in_a_real_browser(change, tmp_path):
    """Offline, no script error, the legend shows both dates, tooltips show the hostile names as text."""
    from _browser import chromium_or_skip, offline_page, open_all_tooltips

    chromium = chromium_or_skip()
    path = bg.maps.save_map(change_map(change, tiles=None), tmp_path / "change.html")
    with offline_page(chromium) as (page, errors):
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelector('.bg-change-legend') !== null")
        assert "31/12/2020 → 31/12/2021" in page.inner_text(".bg-change-legend")
        texts = open_all_tooltips(page)
    assert errors == []
    joined = "\n".join(texts)
    assert "{{7*7}}" in joined and "</script><b>x" in joined


def test_coverage_map_as_of_states_its_date():
    ds = bg.datasets.load("phong_tho")
    m = bg.coverage_map(ds, as_of="31/12/2019", tiles=None, show_markers=False, issues=pd.DataFrame())
    html = m.get_root().render()
    assert "tính đến ngày 31/12/2019" in html  # in the title
    valid = set(bg.coverage(ds, as_of="2019-12-31").dataset.assignments["assignment_id"])
    absent = set(ds.assignments["assignment_id"]) - valid
    assert absent and not any(f'"{x}"' in html for x in absent)  # only the rows valid on that date are drawn


def _change_layers(m) -> dict[str, dict]:
    """The change map's layers by name, read back from the JSON data block of the rendered page."""
    html = m.get_root().render()
    block = re.search(r'<script type="application/json" id="bg-change-data-\d+">(.*?)</script>', html, re.S)
    assert block is not None
    return {layer["name"]: layer for layer in json.loads(block.group(1))["layers"]}


def test_each_layer_holds_the_stretches_and_markers_by_hand(change):
    layers = _change_layers(change_map(change, tiles=None))
    # A (1–5 km, marker 62) until 2021, B (3–9 km, marker 66) from 2021: by hand, 3–5 is kept, 5–9 gained,
    # 1–3 lost; marker 66 found a carer and 62 lost its own
    assert {k: (len(v["lines"]), len(v["points"])) for k, v in layers.items()} == {
        "Đường biên giới": (1, 0), "Đoạn tự quản ở cả hai thời điểm": (1, 0), "Đoạn mới được tự quản": (1, 0),
        "Đoạn không còn được tự quản": (1, 0), "Mốc có người tự quản mới": (0, 1),
        "Mốc không còn người tự quản": (0, 1)}
    gained = layers["Đoạn mới được tự quản"]["lines"][0]
    assert gained["t"] == ["Đoạn mới được tự quản", "5,000 – 9,000 km (4,000 km)", "Tổ tự quản: </script><b>x"]
    lost = layers["Đoạn không còn được tự quản"]["lines"][0]
    assert lost["t"] == ["Đoạn không còn được tự quản", "1,000 – 3,000 km (2,000 km)", "Tổ tự quản: {{7*7}}",
                         "Xã: {% if true %}x{% endif %}"]
    assert layers["Mốc có người tự quản mới"]["points"][0]["t"][1:] == ["Mốc 66", "Tổ tự quản: B"]
    assert layers["Mốc không còn người tự quản"]["points"][0]["t"][1:] == ["Mốc 62", "Tổ tự quản: A"]
    # the drawn lines start and end where the border's own chainage says (located back, within a metre)
    border = change.after.dataset.border
    for line, (s, e) in ((gained, (5.0, 9.0)), (lost, (1.0, 3.0)),
                         (layers["Đoạn tự quản ở cả hai thời điểm"]["lines"][0], (3.0, 5.0))):
        flat = line["c"] if isinstance(line["c"][0][0], float) else [p for part in line["c"] for p in part]
        ends = gpd.GeoSeries([Point(flat[0][1], flat[0][0]), Point(flat[-1][1], flat[-1][0])], crs="EPSG:4326")
        assert border.locate(ends)["chainage_km"].tolist() == pytest.approx([s, e], abs=1e-3)
