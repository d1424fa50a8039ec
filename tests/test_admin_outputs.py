"""The Word report and the printed map say which administrative units their figures are by, and as of when.

Read back as a reader gets them: the .docx with python-docx, the PDF's text with pypdf. The expected captions are
written out here (not imported from the library), and the communes of the tables are checked against
``coverage(...).by("commune_current")`` / ``by("commune")``.
"""

from __future__ import annotations

import importlib.util
import unicodedata

import pytest

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
