"""The coverage map explains itself (issue #17): title, legend for every layer, fits a 1366×768 screen, marker
numbers as labels when zoomed in, problem messages as tooltips, km-only scale in Vietnamese, a print stylesheet —
and template/HTML payloads in any of it stay text.

Expectations are independent of the map code: the payload strings themselves, the dataset's own marker ids and
problem messages, the layer names Leaflet's layer control shows, the viewport size, Babel via ``formatting``.
"""

from __future__ import annotations

import datetime

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point

import bien_gioi_geo as bg
from bien_gioi_geo.formatting import format_date
from bien_gioi_geo.maps import save_map
from bien_gioi_geo.maps.legend import legend_groups

PAYLOADS = ["{{7*7}}", "{% if x %}", "</script>", '"><img src=x onerror=alert(1)>']
W, H = 1366, 768


@pytest.fixture(scope="module")
def payload_ds():
    """30 communes (the legend must fold to fit), payloads as names, dated assignments."""
    line = LineString([(103.0, 22.5), (103.1, 22.55), (103.2, 22.5)])
    b = bg.Border(line, official_length_km=25.0, left="CN", right="VN")
    m = gpd.GeoDataFrame({"marker_id": ["1", "2", "3/1"], "kind": ["single", "double", "triple"],
                          "emplaced_by": ["VN", "CN", "VN"]},
                         geometry=[b.point_at(0.5), b.point_at(10.0), b.point_at(b.length_km - 0.5)], crs="EPSG:4326")
    n = 30
    communes = PAYLOADS + [f"Xã số {k}" for k in range(n - len(PAYLOADS))]
    a = pd.DataFrame({"assignment_id": [f"A{k}" for k in range(n)], "village": [PAYLOADS[k % 4] for k in range(n)],
                      "commune": communes, "start_km": [k * 0.6 for k in range(n)],
                      "end_km": [k * 0.6 + 0.8 for k in range(n)], "valid_from": "2020-01-01",
                      "markers": [["1"]] + [[]] * (n - 1)})
    return bg.Dataset(b, m, a, name="Bản " + " ".join(PAYLOADS))


@pytest.fixture(scope="module")
def payload_issues(payload_ds):
    b = next(iter(payload_ds.borders.values()))
    return gpd.GeoDataFrame({"rule": ["custom_point", "custom_line"], "severity": ["warning", "error"],
                             "message": [f"Mốc {PAYLOADS[0]} {PAYLOADS[3]}", f"Đoạn {PAYLOADS[1]} {PAYLOADS[2]}"]},
                            geometry=[Point(103.1, 22.55), b.cut(2.0, 4.0)], crs="EPSG:4326")


def test_every_layer_has_a_legend_group_even_when_empty():
    groups = legend_groups(lang="vi", color_by="commune", colours={"Xã A": "#000"}, sides=[], kinds=[],
                           radius={}, side_colour={}, gap="#f00", overlap="#00f", problems=(False, False),
                           markers=False)
    heads = [g[0] for g in groups]
    assert bg.labels.label("problem_layer") in heads  # the problems layer has its entry with nothing to show
    assert all(g[1] for g in groups)


def test_page_has_scale_print_css_and_no_pixel_radii(payload_ds, payload_issues):
    vi = bg.coverage_map(payload_ds, issues=payload_issues, tiles=None, as_of="2024-06-30").get_root().render()
    assert "bgGeo.scale(" in vi and "@media print" in vi and "(r = " not in vi
    assert "bgGeo.scale(map_" in vi.replace(" ", "") and ", false);" in vi  # km only in Vietnamese
    assert "cdn.jsdelivr.net" not in vi and "code.jquery.com" not in vi


def _legend_lines(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.bg-legend .bg-group-head, .bg-legend .bg-group-body > div')).map(e => e.textContent.replace(/^[▾▸] /, ''))""")


@pytest.mark.browser
def test_self_explaining_map_in_chromium(payload_ds, payload_issues, tmp_path):
    from _browser import chromium_or_skip, offline_page, open_all_tooltips

    chromium = chromium_or_skip()
    path = save_map(bg.coverage_map(payload_ds, issues=payload_issues, tiles=None, as_of="2024-06-30"),
                    tmp_path / "map.html")
    with offline_page(chromium, viewport={"width": W, "height": H}, console_errors=True) as (page, errors):
        page.goto(path.as_uri())
        page.wait_for_selector(".bg-legend")
        # the whole legend and the title on the screen
        box = page.locator(".bg-legend").bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= W and box["y"] + box["height"] <= H
        assert page.evaluate("(e => e.scrollHeight <= e.clientHeight)(document.querySelector('.bg-legend'))")
        title = page.locator(".bg-title")
        assert title.is_visible()
        tbox = title.bounding_box()
        assert tbox is not None and tbox["y"] >= 0 and tbox["y"] + tbox["height"] <= H
        assert title.text_content() == f"Bản {' '.join(PAYLOADS)} — tính đến ngày " + format_date(
            datetime.date(2024, 6, 30))
        # every layer of the layer control has a legend entry
        overlays = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.leaflet-control-layers-overlays label > span > span')).map(e => e.textContent.trim())""")
        lines = _legend_lines(page)
        assert len(overlays) == 6
        for name in overlays:
            assert any(name in line for line in lines), name
        # all 30 communes are in the legend (folded or not), payloads verbatim
        text = page.text_content(".bg-legend")
        for c in payload_ds.assignments["commune"]:
            assert c in text, c
        # marker numbers: none at a low zoom, every marker's id when zoomed in
        mapvar = page.evaluate("Object.keys(window).find(k => window[k] instanceof L.Map)")
        page.evaluate(f"void window['{mapvar}'].setZoom(8, {{animate: false}})")
        assert page.locator(".bg-mlabel").count() == 0
        page.evaluate(f"void window['{mapvar}'].setView([22.55, 103.1], 15, {{animate: false}})")
        labels = page.evaluate("Array.from(document.querySelectorAll('.bg-mlabel')).map(e => e.textContent)")
        assert sorted(labels) == sorted(payload_ds.markers["marker_id"])
        # problems: the tooltip is the message, exactly
        tips = open_all_tooltips(page)
        for msg in payload_issues["message"]:
            assert msg in tips, msg
        for village in PAYLOADS:
            assert any(village in t for t in tips), village
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
        page.screenshot(path=str(tmp_path / "map.png"))
        assert errors == []


@pytest.mark.browser
def test_real_problem_messages_are_the_tooltips(tmp_path):
    from _browser import chromium_or_skip, offline_page, open_all_tooltips

    chromium = chromium_or_skip()
    ds = bg.datasets.load("phong_tho_problems")
    cov = bg.coverage(ds)
    issues = bg.validate(ds, cov=cov)
    placed = issues[issues.geometry.notna() & ~issues["rule"].isin(["gap", "overlap", "marker_unassigned"])]
    assert len(placed) > 0
    path = save_map(bg.coverage_map(ds, cov, issues=issues, tiles=None), tmp_path / "map.html")
    with offline_page(chromium, viewport={"width": W, "height": H}) as (page, _errors):
        page.goto(path.as_uri())
        page.wait_for_selector(".bg-legend")
        tips = set(open_all_tooltips(page))
        for msg in placed["message"]:
            assert msg in tips, msg
        box = page.locator(".bg-legend").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= H
