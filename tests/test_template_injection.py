"""Text from the data never becomes a Jinja2/branca template: payloads stay verbatim, evaluate nothing, create nothing.

branca compiles element output as a Jinja2 template; a village named ``{{7*7}}`` once showed as ``49`` and a name
calling ``os.system`` ran it. Expectations here are the payload strings themselves (verbatim) and the absence of
the files the payloads would create.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString

import bien_gioi_geo as bg


def payloads(flag):
    """Template payloads; the last two create ``flag`` when a Jinja2 template evaluates them."""
    return [
        "Xã {{7*7}}",
        "Bản {% if x %}",
        "Tổ {# c",
        "unbalanced {{",
        "end %} and }}",
        "{%- raw %}",
        f"{{{{ lipsum.__globals__['os'].system('touch {flag}') }}}}",
        f"{{{{ cycler.__init__.__globals__.os.popen('touch {flag}') }}}}",
    ]


def payload_dataset(flag, border_name="border {{7*7}}"):
    p = payloads(flag)
    line = LineString([(103.0, 22.5), (103.1, 22.55), (103.2, 22.5)])
    b = bg.Border(line, official_length_km=25.0, left="CN", right="VN", name=border_name)
    n = len(p)
    m = gpd.GeoDataFrame({"marker_id": ["1", "2", "3"], "kind": ["single"] * 3, "emplaced_by": ["VN", "CN", "VN"],
                          "notes": p[:3], "condition": p[3:6]},
                         geometry=[b.point_at(0.0), b.point_at(10.0), b.point_at(b.length_km)], crs="EPSG:4326")
    a = pd.DataFrame({"assignment_id": [f"A{k} {p[k]}" for k in range(n)], "village": p, "commune": p[::-1],
                      "group_type": p, "households": range(1, n + 1),
                      "start_km": [k * 2.0 for k in range(n)], "end_km": [k * 2.0 + 3.0 for k in range(n)],
                      "markers": [["1"], ["2"]] + [[]] * (n - 2)})
    return bg.Dataset(b, m, a, name="dataset {{7*7}} {% if %}")


@pytest.fixture
def flag(tmp_path):
    return tmp_path / "PWNED"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_html_shows_payloads_verbatim_and_runs_nothing(flag, lang):
    ds = payload_dataset(flag)
    html = bg.coverage_map(ds, lang=lang).get_root().render()
    for text in payloads(flag):
        assert json.dumps(text, ensure_ascii=False)[1:-1] in html, text
    assert "Xã 49" not in html
    assert not flag.exists()


def test_save_map_without_touching_coverage_map_first(flag, tmp_path):
    import subprocess
    import sys

    code = ("import bien_gioi_geo as bg, sys\n"
            "m = bg.maps.coverage_map(bg.datasets.load('phong_tho'), tiles=None)\n"
            "print(bg.maps.save_map(m, sys.argv[1]))\n")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m.html")], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.html").stat().st_size > 100_000


def test_report_folder_and_tables_keep_payloads(flag, tmp_path):
    ds = payload_dataset(flag)
    out = tmp_path / "rep {{7*7}}"
    rep = bg.report.write_report(ds, out, lang="en")
    assert not flag.exists()
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "Xã {{7*7}}" in html and "Xã 49" not in html
    villages = pd.read_csv(out / "by_village.csv", encoding="utf-8-sig")["village"].tolist()
    assert sorted(villages) == sorted(payloads(flag))
    xl = pd.read_excel(out / "report.xlsx", sheet_name="markers")
    assert set(payloads(flag)[:6]) <= set(xl.to_numpy().ravel().tolist())
    g = gpd.read_file(out / "report.gpkg", layer="markers")
    assert sorted(g["notes"]) == sorted(payloads(flag)[:3])
    assert sorted(g["condition"]) == sorted(payloads(flag)[3:6])
    assert rep.folder == out


def test_no_template_of_ours_holds_data(flag):
    """The page's script section is made only of our elements and folium's own (no data), checked by name."""
    ds = payload_dataset(flag)
    m = bg.coverage_map(ds, lang="en")
    html = m.get_root().render()
    # every occurrence of a payload is inside a JSON string of a bgGeo.* call
    for line in html.splitlines():
        if "{{7*7}}" in line:
            assert re.search(r"bgGeo\.\w+\(", line), line[:200]


@pytest.mark.browser
def test_payloads_verbatim_in_chromium(flag, tmp_path):
    from _browser import chromium_or_skip, offline_page, open_all_tooltips

    chromium = chromium_or_skip()
    ds = payload_dataset(flag)
    path = bg.maps.save_map(bg.coverage_map(ds, lang="en", tiles=None), tmp_path / "map.html")
    with offline_page(chromium, console_errors=True) as (page, errors):
        page.goto(path.as_uri())
        page.wait_for_function("typeof bgGeo !== 'undefined' && document.querySelector('.bg-legend') !== null")
        texts = "\n".join(open_all_tooltips(page))
        legend = page.inner_text(".bg-legend")
        for text in payloads(flag):
            assert text in texts, text
            assert text.strip() in legend, text  # communes colour the stretches: the legend lists them all
        assert "Xã 49" not in texts
        for word in ("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "{{7*7}}", "49"):
            page.fill(".bg-search input", word)
            page.press(".bg-search input", "Enter")
            assert page.inner_text(".bg-search div") == "No such marker", word
        page.fill(".bg-search input", "2")
        page.press(".bg-search input", "Enter")
        assert page.inner_text(".bg-search div") == ""
        assert errors == []
    assert not flag.exists()
