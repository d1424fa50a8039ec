"""No English in Vietnamese output, no Vietnamese in English output (issue #13).

Hostile office inputs (a workbook with bad numbers, bad dates, a date serial, unknown markers, a row typed twice,
an id Excel turned into a date, unreadable cells) and hostile English-headed CSV files go through ``validate``
and ``write_report``; every message, hint and place of the issues table, and every text cell of the Excel
report and paragraph of the Word report, is checked for common English words (``lang="vi"``) or for
Vietnamese letters outside quoted values (``lang="en"``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import bien_gioi_geo as bg

BORDER = [(103.00, 22.50), (103.05, 22.52), (103.10, 22.51), (103.15, 22.53), (103.20, 22.52)]
#: Common English words no Vietnamese sentence has (rule ids, column keys and quoted values are removed first).
ENGLISH = re.compile(r"\b(the|is|not|must|row|rows|column|value|expected|invalid|cannot|missing|unknown|sheet|"
                     r"field|should|read|number|date|marker|with|from|give|type)\b", re.IGNORECASE)
VI_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
KEYS = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[\w.-]+\.(?:xlsx|csv|geojson)\b|EPSG:\d+|\blang=")


def _border(folder: Path) -> None:
    (folder / "border.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"border_id": "b1"},
         "geometry": {"type": "LineString", "coordinates": BORDER}}]}), encoding="utf-8")


def _office(tmp_path: Path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    folder = tmp_path / "office"
    folder.mkdir()
    _border(folder)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cột mốc"
    ws.append(["BẢNG THỐNG KÊ CỘT MỐC"])
    ws.append(["Số hiệu mốc", "Loại mốc", "Vĩ độ", "Kinh độ", "Độ cao", "Ngày kiểm tra"])
    for k, (lon, lat) in enumerate(BORDER, start=1):
        ws.append([str(k), "mốc đơn", str(lat).replace(".", ","), str(lon).replace(".", ","), "1.200,5",
                   "03/04/2024"])
    ws.append(["2", "mốc đơn", "22,52", "103,05", "1.200,5", "03/04/2024"])  # typed twice
    ws.append([dt.datetime(2024, 1, 22), "mốc đơn", "22,51", "103,1", "cao", "31/02/2024"])  # id became a date
    ws.append(["7", "mốc khổng lồ", "22,51", "103,1", "12", 45123])  # unknown kind, date serial
    wa = wb.create_sheet("Tổ tự quản")
    wa.append(["Mã tổ", "Thôn, bản", "Hình thức", "Số hộ", "Số nhân khẩu", "Từ mốc", "Đến mốc", "Từ km", "Đến km",
               "Từ ngày"])
    wa.append(["MT-01", "Bản 1", "hộ gia đình", "12", "40", "1", "2", None, None, "01/01/2024"])
    wa.append(["MT-01", "Bản 1", "hộ gia đình", "12", "40", "1", "2", None, None, "01/01/2024"])  # twice
    wa.append(["MT-02", "Bản 2", "hộ gia đình", "2,5", "-3", "99", "3", None, None, None])  # fraction, unknown
    wa.append(["MT-03", "Bản 3", "tập thể", None, None, "4", "3", None, None, None])  # reversed
    wa.append(["MT-04", "Bản 4", "hộ gia đình", "5", "4", None, None, "abc", "Km 9+000", "31/02/2024"])
    wa.append(["MT-05", "Bản 5", "hộ gia đình", "5", "20", None, None, "Km 15+000", "Km 40+000", None])
    wb.save(folder / "so_theo_doi.xlsx")
    return folder


def _english_csv(tmp_path: Path) -> Path:
    folder = tmp_path / "csv"
    folder.mkdir()
    _border(folder)
    (folder / "markers.csv").write_text(
        "marker_id,kind,lon,lat,last_inspected\n1,single,103.0,22.5,2024-13-01\n2,giant,103.05,22.52,\n"
        "3,single,abc,22.51,\n3,single,103.1,22.51,\n", encoding="utf-8")
    (folder / "assignments.csv").write_text(
        "assignment_id,households,people,start_km,end_km,from_marker,to_marker,valid_from\n"
        "A1,2.000,1.000,0,5,,,\nA2,2.5,3,5,1e400,,,\nA3,1,2,,,1,42,\nA4,1,2,,,,,yesterday\n", encoding="utf-8")
    return folder


def _english_words(text: str) -> list[str]:
    return ENGLISH.findall(KEYS.sub(" ", QUOTED.sub(" ", text)))


def _texts_of_reports(out: Path) -> list[str]:
    import docx
    import openpyxl

    texts = []
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    for ws in wb.worksheets:
        texts.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            texts += [c for c in row if isinstance(c, str)]
    wb.close()
    doc = docx.Document(str(out / "report.docx"))
    texts += [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return texts


@pytest.fixture(params=["office", "english_csv"])
def hostile(request, tmp_path):
    folder = _office(tmp_path) if request.param == "office" else _english_csv(tmp_path)
    ds, problems = bg.read_dataset(folder, errors="collect")
    return ds, problems


def test_every_message_is_vietnamese_with_lang_vi_and_english_with_lang_en(hostile) -> None:
    ds, problems = hostile
    assert len(problems) >= 5  # the planted rows are reported, not dropped
    vi = bg.validate(ds, read_problems=problems, lang="vi")
    en = bg.validate(ds, read_problems=problems, lang="en")
    assert len(vi) == len(en) and "read_error" in set(vi["rule"])
    for col in ("message", "hint", "where"):
        for text in vi[col].dropna():
            assert not _english_words(text), (col, text)
    for col in ("message", "where"):
        for text in en[col].dropna():
            assert not VI_LETTERS.search(QUOTED.sub(" ", text)), (col, text)
    # the reader's own detail is there in both languages: a bad date shows the value
    dates = [m for m in vi["message"] if "31/02/2024" in m or "2024-13-01" in m]
    assert dates and all("ngày" in m for m in dates)


def test_checker_finds_english(hostile) -> None:
    """The word check is not blind: English messages fail it."""
    ds, problems = hostile
    en = bg.validate(ds, read_problems=problems, lang="en")
    assert sum(bool(_english_words(m)) for m in en["message"]) >= len(en) // 2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_files_speak_the_readers_language(tmp_path, lang) -> None:
    pytest.importorskip("docx")
    ds, problems = bg.read_dataset(_office(tmp_path), errors="collect")
    out = tmp_path / f"report_{lang}"
    from bien_gioi_geo.report import write_report

    write_report(ds, out, lang=lang, issues=bg.validate(ds, read_problems=problems, lang=lang))
    texts = _texts_of_reports(out)
    assert any("31/02/2024" in t for t in texts)  # the problems sheet is there, with the bad value
    if lang == "vi":
        bad = [(t, _english_words(t)) for t in texts if _english_words(t)]
        assert not bad, bad[:10]
    else:
        assert sum(bool(_english_words(t)) for t in texts) > 10
