"""The Word report states its date and, given two dates, what changed between them (issue #17, ``report --as-of``
and ``--compare``). Expectations are computed by hand from two assignment rows, read back with python-docx.
"""

from __future__ import annotations

import pytest

import bien_gioi_geo as bg
from bien_gioi_geo.formatting import format_km

docx = pytest.importorskip("docx")


def _paragraphs(path):
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_change_paragraph_in_vietnamese(dated):
    from bien_gioi_geo.printing.change_section import change_paragraph

    ch = bg.compare(dated, "2020-12-31", "2021-12-31")
    text = change_paragraph(ch)
    # before: A covers 1–5 (4 km); after: B covers 3–9 (6 km): gained 5–9 = 4 km, lost 1–3 = 2 km, net +2 km
    assert text.startswith("So với ngày 31/12/2020, đến ngày 31/12/2021")
    assert f"tăng {format_km(4.0)} km, giảm {format_km(2.0)} km, thay đổi thuần +{format_km(2.0)} km" in text
    assert f"({format_km(4.0)} km → {format_km(6.0)} km)" in text
    assert "1 đăng ký tự quản mới (B)" in text and "1 đăng ký thôi tự quản (A)" in text
    found = ch.markers_found["number"].astype(str).tolist()
    lost = ch.markers_lost["number"].astype(str).tolist()
    assert found and lost  # B brings marker 66, A took marker 62 with it
    assert f"{len(found)} mốc có người tự quản mới ({', '.join(found)})" in text
    assert f"{len(lost)} mốc không còn người tự quản ({', '.join(lost)})" in text
    en = change_paragraph(ch, lang="en")
    assert "gained 4.000 km and lost 2.000 km, a net change of +2.000 km" in en


def test_word_report_states_the_date_and_the_change(dated, tmp_path):
    from bien_gioi_geo.printing.outputs import write_paper

    cov = bg.coverage(dated, as_of="2021-12-31")
    issues = bg.validate(dated, cov=cov, as_of="2021-12-31")
    write_paper(dated, cov, issues, tmp_path, as_of=cov.as_of, compare=("2020-12-31", "2021-12-31"))
    paras = _paragraphs(tmp_path / "report.docx")
    assert any("Số liệu tính đến ngày 31/12/2021" in p for p in paras)
    assert "Thay đổi từ ngày 31/12/2020 đến ngày 31/12/2021" in paras
    change = paras[paras.index("Thay đổi từ ngày 31/12/2020 đến ngày 31/12/2021") + 1]
    assert change.startswith("So với ngày 31/12/2020") and "Bản {{7*7}}" not in change
    (tmp_path / "plain").mkdir()
    write_paper(dated, cov, issues, tmp_path / "plain")
    assert not any(p.startswith("Thay đổi từ ngày") for p in _paragraphs(tmp_path / "plain" / "report.docx"))
