"""Maps: hostile names stay text, the page runs without errors and without internet, inputs are not changed."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString

import bien_gioi_geo as bg
from _browser import chromium_or_skip, offline_page, open_all_tooltips
from bien_gioi_geo.maps import save_map
from bien_gioi_geo.maps.elements import js_json as _js_json

HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned = 2">',
    "back`tick ${window.__pwned = 3}",
    "back\\1slash \\u0041 </script><script>window.__pwned = 4</script>",
    "Sì Lở Lầu “Bản 'Chà' \"Gia\"”",
]


@pytest.fixture
def hostile_ds():
    line = LineString([(103.0, 22.5), (103.1, 22.55), (103.2, 22.5)])
    b = bg.Border(line, official_length_km=25.0, left="CN", right="VN")
    m = gpd.GeoDataFrame({"marker_id": ["1", "2", "3"], "kind": ["single"] * 3, "emplaced_by": ["VN", "CN", "VN"],
                          "notes": HOSTILE[:3]},
                         geometry=[b.point_at(0.0), b.point_at(10.0), b.point_at(b.length_km)], crs="EPSG:4326")
    n = len(HOSTILE)
    a = pd.DataFrame({"assignment_id": [f"A{k}{HOSTILE[k]}" for k in range(n)], "village": HOSTILE,
                      "commune": HOSTILE[::-1], "group_type": HOSTILE, "households": range(1, n + 1),
                      "start_km": [k * 3.0 for k in range(n)], "end_km": [k * 3.0 + 4.0 for k in range(n)],
                      "markers": [["1"], ["2"], [], [], []]})
    return bg.Dataset(b, m, a)


def test_js_json_cannot_close_a_script():
    s = _js_json({"x": "</script><!-- & \u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s


def test_no_data_text_reaches_html_or_js_source(hostile_ds):
    html = bg.coverage_map(hostile_ds, lang="en").get_root().render()
    for text in HOSTILE:
        if "<" in text or ">" in text:
            assert text not in html
    assert "window.__pwned" in html  # present, but only inside escaped JSON strings
    assert "<img src=x" not in html and "</script><script>window" not in html


def test_rendering_does_not_change_the_data(hostile_ds):
    before_a = hostile_ds.assignments.copy()
    before_m = hostile_ds.markers.copy()
    bg.coverage_map(hostile_ds).get_root().render()
    pd.testing.assert_frame_equal(hostile_ds.assignments, before_a)
    pd.testing.assert_frame_equal(hostile_ds.markers, before_m)


def test_map_has_its_parts(hostile_ds):
    m = bg.coverage_map(hostile_ds, lang="vi")
    html = " ".join(m.get_root().render().split())
    # one border line with chainage, one legend, search, measure, full-screen, layer and scale control each
    for piece in ("bgGeo.chainage(", "bgGeo.legend(", "bgGeo.search(", "bgGeo.measure(", "bgGeo.fullscreen(",
                  "L.control.layers(", "L.control.scale("):
        assert html.count(piece) == 1, piece
    for piece in (_js_json("Đoạn chưa có tổ tự quản")[1:-1], "OpenStreetMap contributors"):
        assert piece in html, piece
    assert "code.jquery.com" not in html and "cdn.jsdelivr.net" not in html  # self-contained: no CDN assets
    en = " ".join(bg.coverage_map(hostile_ds, lang="en").get_root().render().split())
    assert "Gaps (nobody looks after)" in en and "Đoạn" not in en
    with pytest.raises(ValueError, match="lang"):
        bg.coverage_map(hostile_ds, lang="fr")


@pytest.mark.browser
def test_hostile_names_in_a_real_browser(hostile_ds, tmp_path):
    chromium = chromium_or_skip()
    path = save_map(bg.coverage_map(hostile_ds, lang="en"), tmp_path / "map.html")
    with offline_page(chromium) as (page, errors):  # no network at all: the page must work offline
        page.goto(path.as_uri())
        page.wait_for_function("typeof L !== 'undefined' && typeof bgGeo !== 'undefined' && "
                               "document.querySelector('.bg-legend') !== null")
        # open every tooltip: hostile names must show as text
        texts = open_all_tooltips(page)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
        assert errors == []
        joined = "\n".join(texts)
        for text in HOSTILE:
            assert text in joined, text
        # the legend shows the (hostile) commune names as text too
        legend = page.inner_text(".bg-legend")
        assert HOSTILE[0] in legend
        # search by marker number
        page.fill(".bg-search input", "2")
        page.press(".bg-search input", "Enter")
        assert page.inner_text(".bg-search div") == ""
        page.fill(".bg-search input", "999")
        page.press(".bg-search input", "Enter")
        assert page.inner_text(".bg-search div") == "No such marker"
