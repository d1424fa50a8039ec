"""The Word report and the printed map say which administrative units their figures are by, and as of when.

Read back as a reader gets them: the .docx with python-docx, the PDF's text with pypdf. The expected captions are
written out here (not imported from the library), and the communes of the tables are checked against
``coverage(...).by("commune_current")`` / ``by("commune")``.
"""

from __future__ import annotations

import importlib.util
import random
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely import LineString, box

import bien_gioi_geo as bg

if importlib.util.find_spec("vietnamadminunits") is None:  # pragma: no cover - the test extra installs it
    pytest.skip("vietnamadminunits is not installed", allow_module_level=True)

docx = pytest.importorskip("docx")

CURRENT_VI = "Theo đơn vị hành chính hiện nay (từ 01/7/2025)"
CURRENT_EN = "By current administrative units (since 1 July 2025)"
RECORDED_VI = "Theo đơn vị hành chính ghi trong hồ sơ (trước 01/7/2025)"
UNCHECKED_VI = "chưa đối chiếu với đơn vị hành chính từ 01/7/2025"


@pytest.fixture(scope="module")
def current():
    return bg.admin.to_current(bg.datasets.load("phong_tho"))


def _docx_text(path):
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs), d


def _first_column(table):
    return [r.cells[0].text for r in table.rows[1:]]


def test_word_report_names_current_units_and_lists_current_communes(current, tmp_path):
    path = bg.printing.word_report(current, path=tmp_path / "r.docx", include_map=False)
    text, d = _docx_text(path)
    assert CURRENT_VI in text
    expected = set(bg.coverage(current).by("commune_current").index)
    assert len(expected) == 5
    assert set(_first_column(d.tables[0])) == expected  # Table 1 is by current commune
    en = bg.printing.word_report(current, path=tmp_path / "en.docx", include_map=False, lang="en")
    assert CURRENT_EN in _docx_text(en)[0]


def test_word_report_before_the_reform_is_by_recorded_units(current, tmp_path):
    path = bg.printing.word_report(current, path=tmp_path / "r.docx", include_map=False, as_of="2024-12-31")
    text, d = _docx_text(path)
    assert RECORDED_VI in text and "31/12/2024" in text
    expected = set(bg.coverage(bg.datasets.load("phong_tho"), as_of="2024-12-31").by("commune").index)
    assert set(_first_column(d.tables[0])) == expected


def test_word_report_of_a_dataset_not_reconciled_says_so(tmp_path):
    path = bg.printing.word_report(bg.datasets.load("phong_tho"), path=tmp_path / "r.docx", include_map=False)
    assert UNCHECKED_VI in _docx_text(path)[0]


def test_printed_map_states_the_units_in_its_title_block(current, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    fig = bg.printing.print_map(current)
    pdf = bg.printing.save(fig, pdf=tmp_path / "map.pdf")[0]
    text = " ".join(unicodedata.normalize("NFC", p.extract_text()) for p in pypdf.PdfReader(str(pdf)).pages)
    flat = " ".join(text.split())
    assert CURRENT_VI in flat
    assert "Xã Sì Lở Lầu" in flat  # the legend's communes are the current ones
    fig_en = bg.printing.print_map(current, lang="en", as_of="2024-12-31")
    texts = {t.get_gid(): t.get_text() for t in fig_en.texts}
    assert " ".join(texts["admin_units"].split()) == "By recorded administrative units (before 1 July 2025)"


def test_readme_tour_shows_the_phong_tho_summary_by_current_commune(current):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split('bg.coverage(cur).by("commune_current")', 1)[1].split("checked =", 1)[0]
    shown = {}
    for line in block.splitlines()[2:]:
        m = re.match(r"# ((?:Xã|Phường) [^\d]+?)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+← (.*)", line)
        if m:
            shown[m[1]] = (int(m[2]), float(m[3]), int(m[4]), int(m[5]), set(m[6].split(", ")))
    t = bg.coverage(current).by("commune_current")
    olds = current.assignments.groupby("commune_current")["commune"].agg(set)
    assert set(shown) == set(t.index)
    for name, (n, km, hh, people, old) in shown.items():
        r = t.loc[name]
        assert (r["assignments"], r["households"], r["people"]) == (n, hh, people)
        assert r["official_km"] == pytest.approx(km, abs=5e-4)
        assert olds[name] == old


def _split_dataset(seed: int):
    """Stretches on a line across two current communes (Xã Tiên Yên west of 107.40°E, Xã Điền Xá east of it),
    recorded under Yên Than (divided between them), Tiên Lãng (whole into Tiên Yên) and Hà Lâu (whole into
    Điền Xá); the midpoints stay 0.8 km or more from the communes' shared edge.
    """
    rng = random.Random(seed)
    line = LineString([(107.31, 21.35), (107.49, 21.35)])
    border = bg.Border(line)
    edge_km = Geod(ellps="WGS84").inv(107.31, 21.35, 107.40, 21.35)[2] / 1000.0  # chainage of the shared edge
    rows, expected = [], []
    while len(rows) < 40:
        s = rng.uniform(0.0, border.length_km - 2.0)
        e = s + rng.uniform(0.2, 2.0)
        mid = (s + e) / 2
        if abs(mid - edge_km) < 0.8:
            continue
        west = mid < edge_km
        commune = rng.choice(["Yên Than", "Yên Than", "Tiên Lãng" if west else "Hà Lâu"])
        rows.append({"assignment_id": f"A{len(rows)}", "group_type": "household", "village": f"Bản {len(rows)}",
                     "commune": commune, "district": "Tiên Yên", "province": "Quảng Ninh",
                     "households": rng.randint(1, 9), "people": rng.randint(5, 40), "start_km": s, "end_km": e})
        expected.append("Xã Tiên Yên" if west else "Xã Điền Xá")
    ds = bg.Dataset(line, assignments=pd.DataFrame(rows), left="CN", right="VN")
    units = gpd.GeoDataFrame({"commune": ["Xã Tiên Yên", "Điền Xá"]},
                             geometry=[box(107.30, 21.30, 107.40, 21.40), box(107.40, 21.30, 107.50, 21.40)],
                             crs="EPSG:4326")
    return ds, units, expected


@pytest.mark.parametrize("seed", [3, 4])
def test_split_communes_decided_by_geometry_coverage_equals_rekeyed_rows(seed):
    ds, units, expected = _split_dataset(seed)
    cur = bg.admin.to_current(ds, units=units)
    a = cur.assignments
    assert a["commune_current"].tolist() == expected  # the side of 107.40°E the stretch's midpoint is on
    assert set(a.loc[a["commune"] == "Yên Than", "admin_status"]) == {"geometry"}
    by = bg.coverage(cur).by("commune_current")
    rekeyed = ds.assignments.copy()
    rekeyed["commune"] = expected
    ref = bg.coverage(bg.Dataset(dict(ds.borders), ds.markers, rekeyed, name=ds.name)).by("commune")
    ref.index.name = "commune_current"
    pd.testing.assert_frame_equal(by, ref)
    # totals per current province and per old district, from the same crosswalk
    prov = bg.admin.by_units(bg.coverage(cur), level="province")
    rekeyed["province"] = a["province_current"].tolist()
    ref_p = bg.coverage(bg.Dataset(dict(ds.borders), ds.markers, rekeyed, name=ds.name)).by("province")
    assert prov.index.tolist() == ["Quảng Ninh"] and prov.index.tolist() == ref_p.index.tolist()
    assert prov["covered_km"].tolist() == pytest.approx(ref_p["covered_km"].tolist(), abs=1e-9)
    dist = bg.admin.by_units(bg.coverage(cur), level="district", units="recorded")
    pd.testing.assert_frame_equal(dist, bg.coverage(ds).by("district"), check_like=True)


def test_bundled_sample_has_a_vietnamese_title_and_an_english_one_for_lang_en():
    import json

    from bien_gioi_geo.labels import dataset_title

    ds = bg.datasets.load("phong_tho")
    vi, en = dataset_title(ds.meta, "vi"), dataset_title(ds.meta, "en")
    assert vi == "Phong Thổ (Lai Châu) – tự quản đường biên giới Việt Nam – Trung Quốc"
    assert en == "Phong Thổ (Lai Châu) – Viet Nam–China border, self-management"
    for lang, title in (("vi", vi), ("en", en)):
        html = bg.coverage_map(ds, lang=lang).get_root().render()
        assert json.dumps(title)[1:-1] in html or title in html  # the map's title script carries it
    other = en if lang == "vi" else vi
    assert other not in html and json.dumps(other)[1:-1] not in html


def test_rows_left_split_are_left_out_of_both_tables_alike():
    # no geometry of the new communes: the Yên Than rows stay split (no current commune); the table by current
    # commune and the table of the re-keyed rows treat them the same way
    ds, _, expected = _split_dataset(5)
    cur = bg.admin.to_current(ds, errors="collect")
    a = cur.assignments
    split = a["commune"].eq("Yên Than")
    assert split.any() and a.loc[split, "commune_current"].isna().all()
    assert set(a.loc[split, "admin_status"]) == {"split"}
    assert len(cur.meta["admin_problems"]) == split.sum()
    rekeyed = ds.assignments.copy()
    rekeyed["commune"] = [None if s else e for s, e in zip(split, expected, strict=True)]
    ref = bg.coverage(bg.Dataset(dict(ds.borders), ds.markers, rekeyed, name=ds.name)).by("commune")
    ref.index.name = "commune_current"
    pd.testing.assert_frame_equal(bg.coverage(cur).by("commune_current"), ref)


@pytest.mark.parametrize(("as_of", "caption"), [(None, CURRENT_VI), ("2024-12-31", RECORDED_VI)])
def test_html_map_states_the_units_under_its_title(current, tmp_path, as_of, caption):
    from _browser import chromium_or_skip, offline_page
    from bien_gioi_geo.maps import save_map

    chromium = chromium_or_skip()
    path = save_map(bg.coverage_map(current, tiles=None, as_of=as_of), tmp_path / "map.html")
    with offline_page(chromium, console_errors=True) as (page, errors):
        page.goto(path.as_uri())
        page.wait_for_selector(".bg-title-sub")
        assert page.text_content(".bg-title-sub") == caption
        assert caption not in page.text_content(".bg-title")  # the title itself stays the dataset and date
        assert page.locator(".bg-title-box").is_visible()
        assert errors == []
