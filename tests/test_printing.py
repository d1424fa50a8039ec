"""The printable map and the Word report (issue #17), on the bundled Phong Thổ sample.

Expectations come from outside the code under test: Babel called directly, the seed's published figures typed by
hand, pyproj's geodesic for distances, pypdf for the page size, the renderer's own text extents for overlaps.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_decimal

import bien_gioi_geo as bg
from bien_gioi_geo.formatting import format_count, format_date, format_km, format_percent

mpl = pytest.importorskip("matplotlib")
docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

from bien_gioi_geo.printing import placement  # noqa: E402
from bien_gioi_geo.printing.paper_map import FONT, PAPER_MM, print_map, save  # noqa: E402

MM_PT = 72 / 25.4


# ---------------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def ds():
    return bg.datasets.load("phong_tho")


@pytest.fixture(scope="module")
def cov(ds):
    return bg.coverage(ds)


@pytest.fixture(scope="module")
def fig_vi(ds, cov):
    return print_map(ds, as_of="2024-12-31", prepared_by="Đồn Biên phòng Ma Lù Thàng")


@pytest.fixture(scope="module")
def report_dir(ds, cov, tmp_path_factory):
    """The report folder written by the main job (map.pdf, map.png and report.docx among its files)."""
    from bien_gioi_geo.report import write_report

    out = tmp_path_factory.mktemp("rep") / "report"
    write_report(ds, out, cov=cov)
    return out


def _texts(fig):
    out = []
    for a in fig.findobj(mpl.text.Text):
        if a.get_text():
            out.append(a.get_text())
    return out


# ---------------------------------------------------------------------------------------------------- formatting
@pytest.mark.parametrize("value", [97.229, 0.0, 1234567.8915, 3.0715])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_format_km_is_babels_decimal_format(value, lang):
    assert format_km(value, lang=lang) == format_decimal(value, format="#,##0.000", locale=lang)


def test_formatting_against_the_seed():
    # "dài 97,229 km", "16.010 hộ/59.848 khẩu", "ngày 20/6/2023" (the seed writes 20/6; we pad: 20/06)
    assert format_km(97.229) == "97,229"
    assert f"{format_count(16010)} hộ/{format_count(59848)} khẩu" == "16.010 hộ/59.848 khẩu"
    assert format_date("2023-06-20") == "20/06/2023"
    assert format_percent(96.19) == "96,2%"
    assert format_percent(96.19, lang="en") == "96.2%"
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en', not 'de'"):
        format_km(1.0, lang="de")


# ---------------------------------------------------------------------------------------------------- the page
def test_pdf_is_one_page_of_the_paper(report_dir):
    reader = pypdf.PdfReader(report_dir / "map.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    w, h = PAPER_MM["A4"]
    assert float(box.width) == pytest.approx(w * MM_PT, abs=0.5)
    assert float(box.height) == pytest.approx(h * MM_PT, abs=0.5)


def test_png_is_300_dpi_of_the_paper(report_dir):
    from PIL import Image

    with Image.open(report_dir / "map.png") as im:
        w, h = PAPER_MM["A4"]
        assert abs(im.size[0] - w / 25.4 * 300) <= 1
        assert abs(im.size[1] - h / 25.4 * 300) <= 1


def test_a3_portrait_english_with_a_basemap(ds, cov, tmp_path):
    import pyproj

    # the analyst's own raster, georeferenced in the map's CRS (UTM 48N): a grey gradient over the area
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True).transform(103.35, 22.68)
    image = np.linspace(0.6, 1.0, 64 * 64).reshape(64, 64)
    basemap = (np.dstack([image] * 3), (x - 30_000, x + 30_000, y - 30_000, y + 30_000))
    fig = print_map(ds, cov, paper="A3", orientation="portrait", lang="en", basemap=basemap,
                    basemap_source="own hillshade, CC BY 4.0")
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    assert len(ax.get_images()) == 1
    _assert_panel_fits(fig)
    save(fig, pdf=tmp_path / "m.pdf")
    box = pypdf.PdfReader(tmp_path / "m.pdf").pages[0].mediabox
    w, h = PAPER_MM["A3"]
    assert (float(box.width), float(box.height)) == (pytest.approx(h * MM_PT, abs=0.5), pytest.approx(w * MM_PT,
                                                                                                      abs=0.5))
    assert [p.name for p in tmp_path.iterdir()] == ["m.pdf"]  # no temporary file left behind
    texts = "\n".join(_texts(fig))
    assert "SELF-MANAGEMENT OF THE BORDER LINE AND MARKERS" in texts
    assert f"Scale 1:{fig.bien_gioi_geo['scale']:,}" in texts
    for word in ("single", "double", "triple", "China", "Viet Nam", "Border line", "Basemap: own hillshade"):
        assert word in texts
    assert "mốc" not in texts and "Tỷ lệ" not in texts


@pytest.mark.parametrize("bad, match", [({"paper": "A5"}, "paper='A5' is not allowed; choose one of 'A4', 'A3'"),
                                        ({"orientation": "sideways"}, "orientation='sideways' is not allowed"),
                                        ({"crs": "EPSG:4326"}, "crs must be a projected CRS")])
def test_bad_options(ds, cov, bad, match):
    with pytest.raises(bg.BienGioiError, match=match):
        print_map(ds, cov, **bad)


# ---------------------------------------------------------------------------------------------------- the scale
def test_stated_scale_is_true_on_the_ground(ds, cov, fig_vi):
    """Two markers' distance on the 300-dpi page × the stated scale = their geodesic distance on WGS 84."""
    import pyproj

    denom = fig_vi.bien_gioi_geo["scale"]
    ax = next(a for a in fig_vi.axes if a.get_gid() == "map")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", fig_vi.bien_gioi_geo["crs"], always_xy=True)
    m = cov.marker_posts.drop_duplicates("number")
    a, b = m.iloc[0].geometry, m.iloc[-1].geometry
    ground_m = pyproj.Geod(ellps="WGS84").line_length([a.x, b.x], [a.y, b.y])
    pa = ax.transData.transform(fwd.transform(a.x, a.y))
    pb = ax.transData.transform(fwd.transform(b.x, b.y))
    paper_m = math.dist(pa, pb) / fig_vi.dpi * 0.0254
    assert paper_m * denom == pytest.approx(ground_m, rel=2e-3)  # UTM's scale varies by < 0.01 % over 40 km


def test_scale_is_the_largest_round_scale_that_fits(ds, fig_vi):
    """The data's geodesic extent fits the frame at the stated scale, and not at the next larger round scale."""
    import pyproj

    west, south, east, north = ds.border.geometry.bounds
    g = pyproj.Geod(ellps="WGS84")
    width = g.line_length([west, east], [(south + north) / 2] * 2)
    height = g.line_length([(west + east) / 2] * 2, [south, north])
    ax = next(a for a in fig_vi.axes if a.get_gid() == "map")
    bb = ax.get_position()
    frame_w, frame_h = bb.width * PAPER_MM["A4"][0] / 1000, bb.height * PAPER_MM["A4"][1] / 1000
    denom = fig_vi.bien_gioi_geo["scale"]
    assert width / denom <= frame_w and height / denom <= frame_h
    rounds = sorted(m * 10 ** e for m in (1, 2, 2.5, 5) for e in range(3, 8))
    larger = max(r for r in rounds if r < denom)
    assert width / larger > frame_w / 1.03 or height / larger > frame_h / 1.03
    assert f"Tỷ lệ 1:{format_decimal(denom, locale='vi')}" in "\n".join(_texts(fig_vi))


# ---------------------------------------------------------------------------------------------------- content
def test_every_element_is_on_the_page(ds, cov, fig_vi):
    texts = "\n".join(_texts(fig_vi))
    for expected in ("SƠ ĐỒ TỰ QUẢN ĐƯỜNG BIÊN GIỚI", "huyện Phong Thổ, tỉnh Lai Châu", "31/12/2024",
                     "Người lập: Đồn Biên phòng Ma Lù Thàng", "CHÚ GIẢI", "Đường biên giới", "mốc ba", "mốc đôi",
                     "mốc đơn", "mốc phụ", "Việt Nam", "Trung Quốc", "Đoạn chưa có tổ tự quản", "Đoạn nhận trùng",
                     "OpenStreetMap", "ODbL", "MINH HỌA", "UTM múi 48N", "km", "B"):
        assert expected in texts, expected
    for commune in sorted(set(ds.assignments["commune"])):
        assert commune in texts
    # the lengths in the title block, formatted with Babel here
    assert format_decimal(cov.summary()["official_km"], format="#,##0.000", locale="vi") in texts
    # coordinates at the frame edges, degrees and minutes, east/north in Vietnamese
    ax = next(a for a in fig_vi.axes if a.get_gid() == "map")
    xt = [t.get_text() for t in ax.get_xticklabels()]
    yt = [t.get_text() for t in ax.get_yticklabels()]
    assert len(xt) >= 3 and all(re.fullmatch(r"10[34]°\d\d′Đ", t) for t in xt), xt
    assert len(yt) >= 3 and all(re.fullmatch(r"2[23]°\d\d′B", t) for t in yt), yt


def _assert_panel_fits(fig):
    """The legend, title block and sources lie inside the panel's frame and do not overlap one another."""
    renderer = fig.canvas.get_renderer()
    panel = next(a for a in fig.axes if a.get_gid() == "panel")
    frame = panel.get_window_extent(renderer)
    parts = [panel.get_legend()] + [t for t in fig.texts if t.get_gid()]
    boxes = {p.get_gid(): p.get_window_extent(renderer) for p in parts}
    for gid, b in boxes.items():
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1, gid
    for (g1, b1), (g2, b2) in itertools.combinations(boxes.items(), 2):
        assert not b1.overlaps(b2), (g1, g2)


def test_title_block_legend_and_sources_fit_the_panel(fig_vi):
    _assert_panel_fits(fig_vi)


def test_marker_labels_do_not_overlap(cov, fig_vi):
    renderer = fig_vi.canvas.get_renderer()
    labels = [t for t in fig_vi.findobj(mpl.text.Text) if t.get_gid() == "marker_label"]
    info = fig_vi.bien_gioi_geo
    # every marker number is either drawn or counted as left out, never silently lost
    assert len(labels) + len(info["labels_left_out"]) == cov.summary()["markers_total"]
    assert len(labels) >= 0.8 * cov.summary()["markers_total"]
    boxes = np.array([[b.x0, b.y0, b.x1, b.y1] for b in (t.get_window_extent(renderer) for t in labels)])
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (labels[i].get_text(), labels[j].get_text())
    frame = next(a for a in fig_vi.axes if a.get_gid() == "map").get_window_extent(renderer)
    assert (boxes[:, 0] >= frame.x0).all() and (boxes[:, 2] <= frame.x1).all()
    # legible: 6.5 pt at 300 dpi is 27 px of em height
    assert all(t.get_fontsize() >= 6 for t in labels)


def test_thinning_keeps_main_markers_first():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    reqs = [placement.LabelRequest(0.5, 0.5, f"{i}/1", (1, i)) for i in range(20)]
    reqs += [placement.LabelRequest(0.5, 0.5, str(i), (0, i)) for i in range(20)]
    kept, left_out = placement.place_labels(ax, reqs, renderer=fig.canvas.get_renderer())
    assert 1 <= len(kept) <= 8  # eight positions around one point at most
    assert all("/" not in t.get_text() for t in kept)  # auxiliary numbers go first when crowded
    assert len(kept) + len(left_out) == 40


def test_vietnamese_glyphs_are_in_the_font(fig_vi):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(FONT, fallback_to_default=False)
    charmap = FT2Font(path).get_charmap()
    sample = "Đường biên giới – mốc ba – Phong Thổ – Lý trình – Sì Lở Lầu – Mồ Sì San"
    every = sample + "".join(_texts(fig_vi))
    missing = sorted({c for c in every if not c.isspace() and ord(c) not in charmap})
    assert missing == []
    fig = mpl.figure.Figure()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.text(0.1, 0.5, sample, family=FONT)
    fig.canvas.draw()  # a missing glyph would warn, and warnings are errors here


# ---------------------------------------------------------------------------------------------------- Word report
def _body(document):
    return [p for p in document.paragraphs if not p.style.name.startswith(("Heading", "Title")) and p.text.strip()]


def test_report_folder_has_the_paper_files(report_dir):
    for name in ("map.pdf", "map.png", "report.docx", "map.html", "report.xlsx"):
        assert (report_dir / name).stat().st_size > 0


def test_first_paragraph_reads_like_the_seed(report_dir, cov):
    first = _body(docx.Document(str(report_dir / "report.docx")))[0].text
    # typed from the seed (000_019c82b1cf276d3c): the published figures of Phong Thổ
    assert first.startswith("Huyện Phong Thổ, tỉnh Lai Châu có đường biên giới tiếp giáp với Trung Quốc dài 97,229 km")
    assert "với 51 cột mốc, trong đó 12 mốc ba, 20 mốc đôi, 15 mốc đơn, 4 mốc phụ" in first
    assert "Việt Nam cắm 27 mốc, Trung Quốc cắm 24 mốc" in first
    assert "Đến nay, đã có 63 tập thể và 460 cá nhân tham gia tự quản 97,229 km đường biên, 27 mốc quốc giới" in first
    s = cov.summary()
    hh = f"{format_decimal(s['households'], locale='vi')} hộ/{format_decimal(s['people'], locale='vi')} khẩu"
    assert hh in first
    assert f"{s['villages']} bản thuộc {s['communes']} xã" in first


def test_tables_match_the_excel_sheets(report_dir):
    document = docx.Document(str(report_dir / "report.docx"))
    xl = pd.read_excel(report_dir / "report.xlsx", sheet_name=None)
    by_commune = xl["by_commune"]
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "Xã" and "Số hộ" in header
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(by_commune)
    for row, (_, sheet_row) in zip(rows, by_commune.iterrows(), strict=True):
        for head, cell in zip(header, row, strict=True):
            v = sheet_row[head]  # the Excel sheet has the same Vietnamese headers
            if isinstance(v, str):
                assert cell == v
            elif "km" in head:
                assert cell == format_decimal(v, format="#,##0.000", locale="vi")
            else:
                assert cell == format_decimal(int(v), locale="vi")
    problems = xl["problems"]
    ptable = next(t for t in document.tables if t.rows[0].cells[0].text == "Mức độ")
    assert len(ptable.rows) - 1 == len(problems)
    assert [r.cells[2].text for r in ptable.rows[1:]] == problems["Mô tả"].tolist()


def test_no_english_in_the_fixed_text_of_the_vietnamese_report(report_dir):
    document = docx.Document(str(report_dir / "report.docx"))
    fixed = [p.text for p in document.paragraphs] + [c.text for t in document.tables for c in t.rows[0].cells]
    words = set(re.findall(r"[A-Za-z]+", " ".join(fixed)))
    english = {"the", "and", "of", "with", "markers", "marker", "border", "length", "Table", "None", "yes", "no",
               "error", "warning", "gap", "overlap", "Figure", "Map", "From", "To", "official", "measured"}
    assert words & english == set()


def test_english_report(ds, report_dir, tmp_path):
    from bien_gioi_geo.printing.docx_report import word_report

    path = word_report(ds, path=tmp_path / "r.docx", lang="en", map_png=report_dir / "map.png",
                       as_of="2024-12-31")  # the figures of that date (a coverage of today would be refused)
    d = docx.Document(str(path))
    first = _body(d)[0].text
    assert "with China 97.229 km long" in first
    assert "51 markers: 12 triple, 20 double, 15 single, 4 auxiliary; Viet Nam emplaced 27, China emplaced 24" in first
    assert "63 collectives and 460 individuals" in first
    assert any("31 Dec 2024" in p.text for p in d.paragraphs)
    assert len(d.inline_shapes) == 1  # the map


def test_sections_hook_runs_after_the_summary(ds, tmp_path):
    from bien_gioi_geo.printing.docx_report import word_report

    def compare(document, ctx):
        document.add_paragraph(f"So với kỳ trước: {ctx.lang} {ctx.as_of}")

    d = docx.Document(str(word_report(ds, path=tmp_path / "r.docx", include_map=False, as_of="2024-12-31",
                                      sections=[compare])))
    body = [p.text for p in _body(d)]
    assert body[1] == "So với kỳ trước: vi 2024-12-31"


def test_public_names_and_lazy_imports():
    import subprocess
    import sys

    code = ("import sys, bien_gioi_geo as bg; assert 'matplotlib' not in sys.modules and 'docx' not in sys.modules; "
            "assert callable(bg.print_map) and callable(bg.word_report) and callable(bg.printing.save); "
            "print(bg.print_map.__module__, bg.word_report.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["bien_gioi_geo.printing.paper_map", "bien_gioi_geo.printing.docx_report"]
