"""Held-out registration tables, typed as border offices type them, through the whole admin pipeline.

Written by a reviewer who did not start from the other admin tests. Each table is a province's registration list
with the headers offices use (``Xã``, ``Huyện``, ``Tỉnh``, ``Thôn``/``Bản``), written to CSV and to an Excel
workbook and read back, then given to :func:`bien_gioi_geo.admin.to_current`. The expected current commune of
each mapped row is read here from the package's raw ``converter_2025.json`` and ``dataset.db`` by the OFFICIAL
spelling of the old commune (plain SQL and dict look-ups, not the library's name matching); a few answers are also
the reviewer's own knowledge of the 2025 resolutions (Lũng Cú, Sa Loong and Vĩnh Xương kept their names, old
Pờ Y is in the new Bờ Y; Khổng Lào = Khổng Lào + Bản Lang + Hoang Thèn). Rows that must not be guessed are
asserted to be ``split``, ``ambiguous`` or ``unknown`` with the right old or new unit among the candidates.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import bien_gioi_geo as bg

pytest.importorskip("vietnamadminunits")

from bien_gioi_geo.admin.crosswalk import _data_dir  # noqa: E402


def _official(province: str, district: str, commune: str) -> list[str]:
    """The new units of an old commune given by its official names, from the package's raw files."""
    folder = _data_dir()
    con = sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)
    try:
        rows = con.execute("select provinceKey, districtKey, wardKey from admin_units_legacy where provinceShort=? "
                           "and districtShort=? and ward=?", (province, district, commune)).fetchall()
        new = dict(con.execute("select provinceKey || '_' || wardKey, ward from admin_units").fetchall())
    finally:
        con.close()
    assert len(rows) == 1, (province, district, commune, rows)
    key = "_".join(rows[0])
    conv = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    out = [new[f"{pk}_{wk}"] for pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items()
           for wk, olds in wards.items() if key in olds]
    out += [new[f"{pk}_{w['newWardKey']}"] for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items()
            for old, parts in olds.items() if old == key for w in parts]
    return out


# (Xã, Huyện, Tỉnh, Thôn as typed) → expectation: ("map", official (province, district, commune)),
# ("split", that official old commune), ("ambiguous"|"unknown", a label that must be among the candidates)
TABLES: dict[str, list[tuple[tuple[str, str, str, str], tuple[str, object]]]] = {
    "ha_giang": [
        (("Xa Lung Cu", "H. Dong Van", "Ha Giang", "Thôn Lô Lô Chải"), ("map", ("Hà Giang", "Đồng Văn", "Xã Lũng Cú"))),
        (("Xã Lũng Cú", "Huyện Đồng Văn", "Tuyên Quang", "Thôn Thèn Pả"),
         ("map", ("Hà Giang", "Đồng Văn", "Xã Lũng Cú"))),
        (("TT. Đồng Văn", "H. Đồng Văn", "T. Hà Giang", ""), ("map", ("Hà Giang", "Đồng Văn", "Thị trấn Đồng Văn"))),
        (("X. Xà Phìn", "Đồng Văn", "Hà Giang", ""), ("map", ("Hà Giang", "Đồng Văn", "Xã Sà Phìn"))),
        (("Phường Quang Trung", "TP. Hà Giang", "Hà Giang", ""),
         ("split", ("Hà Giang", "Hà Giang", "Phường Quang Trung"))),
        (("Xã Yên Định", "Bắc Mê", "Tuyên Quang", ""), ("split", ("Hà Giang", "Bắc Mê", "Xã Yên Định"))),
        (("Xã Sủng Trà", "Đồng Văn", "Hà Giang", ""), ("unknown", "Xã Sủng Trà (Mèo Vạc, Hà Giang)")),
        (("Xã Tân Lập", "", "Hà Giang", ""), ("map", ("Hà Giang", "Bắc Quang", "Xã Tân Lập"))),
    ],
    "cao_bang": [
        (("Xã Đàm Thuỷ", "H. Trùng Khánh", "Cao Bằng", "Bản Giốc"),
         ("map", ("Cao Bằng", "Trùng Khánh", "Xã Đàm Thủy"))),
        (("XÃ NGỌC CÔN", "TRÙNG KHÁNH", "CAO BẰNG", ""), ("map", ("Cao Bằng", "Trùng Khánh", "Xã Ngọc Côn"))),
        (("Ngoc Con", "Trung Khanh", "Cao Bang", ""), ("map", ("Cao Bằng", "Trùng Khánh", "Xã Ngọc Côn"))),
    ],
    "quang_tri": [
        (("TT. Lao Bảo", "H. Hướng Hoá", "Quảng Trị", "Khóm Duy Tân"),
         ("map", ("Quảng Trị", "Hướng Hóa", "Thị trấn Lao Bảo"))),
        (("Xã Lao Bảo", "Hướng Hóa", "Quảng Trị", ""), ("unknown", "Thị trấn Lao Bảo (Hướng Hóa, Quảng Trị)")),
        (("Xã Xi", "Hướng Hóa", "Quảng Trị", ""), ("map", ("Quảng Trị", "Hướng Hóa", "Xã Xy"))),
        (("Xã A Dơi", "Hướng Hóa", "Quảng Trị", ""), ("map", ("Quảng Trị", "Hướng Hóa", "Xã A Dơi"))),
        (("Xã Tân Lập", "Hướng Hoá", "Quảng Trị", ""), ("map", ("Quảng Trị", "Hướng Hóa", "Xã Tân Lập"))),
    ],
    "kon_tum": [
        (("Xã Bờ Y", "Ngọc Hồi", "Kon Tum", "Thôn Iệc"), ("map", ("Kon Tum", "Ngọc Hồi", "Xã Pờ Y"))),
        (("Xã Bờ Y", "Ngọc Hồi", "Quảng Ngãi", ""), ("map", ("Kon Tum", "Ngọc Hồi", "Xã Pờ Y"))),
        (("Xa Sa Loong", "H. Ngoc Hoi", "Kon Tum", ""), ("map", ("Kon Tum", "Ngọc Hồi", "Xã Sa Loong"))),
        (("Xã Đăk Dục", "Ngọc Hồi", "Kon Tum", ""), ("map", ("Kon Tum", "Ngọc Hồi", "Xã Đăk Dục"))),
    ],
    "an_giang": [
        (("Xã Vĩnh Xương", "Tx. Tân Châu", "An Giang", "Ấp Vĩnh Lợi"),
         ("map", ("An Giang", "Tân Châu", "Xã Vĩnh Xương"))),
        (("Xã Vĩnh Châu", "TP. Châu Đốc", "An Giang", ""), ("split", ("An Giang", "Châu Đốc", "Xã Vĩnh Châu"))),
        (("P. Vĩnh Ngươn", "TP Châu Đốc", "An Giang", ""), ("map", ("An Giang", "Châu Đốc", "Phường Vĩnh Nguơn"))),
        (("Xã Phú Hữu", "", "", ""), ("ambiguous", "Xã Phú Hữu (An Phú, An Giang)")),
    ],
    "tay_ninh_long_an": [
        (("Xã Tân Lập", "Tân Biên", "Tây Ninh", ""), ("map", ("Tây Ninh", "Tân Biên", "Xã Tân Lập"))),
        # written after July 2025: "Tây Ninh" is also old Long An, which has two Tân Lập of its own
        (("Xã Tân Lập", "", "Tây Ninh", ""), ("ambiguous", "Xã Tân Lập (Mộc Hóa, Long An)")),
        (("Xã Bình Hiệp", "Tx. Kiến Tường", "Long An", ""), ("map", ("Long An", "Kiến Tường", "Xã Bình Hiệp"))),
        (("Xã Bình Hiệp", "Kiến Tường", "Tây Ninh", ""), ("map", ("Long An", "Kiến Tường", "Xã Bình Hiệp"))),
        (("Xã Mỹ Quý Tây", "Đức Huệ", "Long An", ""), ("map", ("Long An", "Đức Huệ", "Xã Mỹ Quý Tây"))),
        (("Phường 1", "Tx. Tây Ninh", "Tây Ninh", ""), ("map", ("Tây Ninh", "Tây Ninh", "Phường 1"))),
        (("Phường Ninh Sơn", "TX. Tây Ninh", "Tây Ninh", ""), ("map", ("Tây Ninh", "Tây Ninh", "Phường Ninh Sơn"))),
        # Xã Bình Thạnh went into Xã Phước Bình before 2025 (the package keeps the old name as a spelling of it);
        # written as a ward it is not guessed, but offered
        (("Xã Bình Thạnh", "Trảng Bàng", "Tây Ninh", ""), ("map", ("Tây Ninh", "Trảng Bàng", "Xã Phước Bình"))),
        (("Phường Bình Thạnh", "Tx. Trảng Bàng", "Tây Ninh", ""), ("unknown", "Xã Phước Bình (Trảng Bàng, Tây Ninh)")),
        (("", "Phong Thổ", "Lai Châu", "Bản Sin Chải"), ("unknown", "Xã Dào San (Phong Thổ, Lai Châu)")),
    ],
}


def _frame(rows: list) -> pd.DataFrame:
    return pd.DataFrame([r for r, _ in rows], columns=["Xã", "Huyện", "Tỉnh", "Thôn"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_held_out_table_maps_right_or_reports_with_candidates(tmp_path: Path, name: str, fmt: str) -> None:
    rows = TABLES[name]
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "csv":
        _frame(rows).to_csv(path, index=False, encoding="utf-8-sig")
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        _frame(rows).to_excel(path, index=False, sheet_name="Đăng ký")
        table = pd.read_excel(path, dtype=str).fillna("")
    out = bg.admin.to_current(table, commune="Xã", district="Huyện", province="Tỉnh", errors="collect")
    assert len(out) == len(rows)  # no row dropped
    for i, (typed, (kind, what)) in enumerate(rows):
        got = out.iloc[i]
        if kind == "map":
            expected = _official(*what)  # type: ignore[misc]
            assert len(expected) == 1, (typed, expected)
            assert got["commune_current"] == expected[0], (typed, got.to_dict())
            assert got["admin_status"] in {"exact", "normalised"}, typed
        elif kind == "split":
            expected = _official(*what)  # type: ignore[misc]
            assert len(expected) > 1
            assert got["admin_status"] == "split" and got["commune_current"] is None, typed
            assert sorted(got["admin_candidates"]) == sorted(expected), typed
        else:
            assert got["admin_status"] == kind and got["commune_current"] is None, (typed, got.to_dict())
            assert what in got["admin_candidates"], (typed, got["admin_candidates"])
    problems = bg.admin.admin_problems(out)
    assert len(problems[problems["severity"].eq("error")] if "severity" in problems else problems) == sum(
        k in {"split", "ambiguous", "unknown"} for _, (k, _w) in rows)


def test_own_knowledge_agrees_with_the_package() -> None:
    # the reviewer's knowledge of the resolutions, independent of the package: these kept their names
    for old, new in [(("Hà Giang", "Đồng Văn", "Xã Lũng Cú"), "Xã Lũng Cú"),
                     (("Kon Tum", "Ngọc Hồi", "Xã Pờ Y"), "Xã Bờ Y"),
                     (("Kon Tum", "Ngọc Hồi", "Xã Sa Loong"), "Xã Sa Loong"),
                     (("An Giang", "Tân Châu", "Xã Vĩnh Xương"), "Xã Vĩnh Xương"),
                     (("Lai Châu", "Phong Thổ", "Xã Bản Lang"), "Xã Khổng Lào"),
                     (("Lai Châu", "Phong Thổ", "Xã Hoang Thèn"), "Xã Khổng Lào")]:
        assert _official(*old) == [new], old


def _office_typed(ds: bg.Dataset) -> bg.Dataset:
    """The Phong Thổ sample as typed after July 2025: abbreviations, no marks, upper case."""
    a = ds.assignments.copy()
    typed = {"Pa Vây Sử": "X. Pa Vay Su", "Mồ Sì San": "XÃ MỒ SÌ SAN", "Sì Lở Lầu": "Si Lo Lau",
             "Ma Ly Pho": "Xã Ma Li Pho", "Bản Lang": "xã bản lang"}
    a["commune"] = [typed.get(c, c) for c in a["commune"]]
    a["district"] = "H. Phong Thổ"
    a["province"] = ["Lai Chau" if i % 2 else "T. Lai Châu" for i in range(len(a))]
    return bg.Dataset(dict(ds.borders), ds.markers, a, name=ds.name)


def test_coverage_by_current_commune_equals_recomputed_on_rekeyed_rows() -> None:
    ds = _office_typed(bg.datasets.load("phong_tho"))
    cur = bg.admin.to_current(ds)
    a = cur.assignments
    assert a["commune_current"].notna().all()
    rekeyed = ds.assignments.copy()
    rekeyed["commune"] = [_official("Lai Châu", "Phong Thổ", o)[0] for o in a["commune_official"]]
    rekeyed["province"] = "Lai Châu"
    ref = bg.coverage(bg.Dataset(dict(ds.borders), ds.markers, rekeyed, name=ds.name)).by("commune")
    ref.index.name = "commune_current"
    pd.testing.assert_frame_equal(bg.coverage(cur).by("commune_current"), ref)
    # the old communes' stretches are summed into the new one, not lost: 12 old communes, 5 current units
    assert set(ref.index) == {"Xã Sì Lở Lầu", "Xã Dào San", "Xã Phong Thổ", "Xã Khổng Lào", "Phường Đoàn Kết"}


def test_rows_before_the_reform_keep_their_units_unless_asked() -> None:
    ds = bg.admin.to_current(_office_typed(bg.datasets.load("phong_tho")))
    before = bg.coverage(ds, as_of="2024-12-31", admin="auto")
    after = bg.coverage(ds, as_of="2025-12-31", admin="auto")
    forced = bg.coverage(ds, as_of="2024-12-31", admin="current")
    assert bg.admin.report.units_in_use(before) == "recorded"
    assert bg.admin.report.units_in_use(after) == "current"
    assert bg.admin.report.units_in_use(forced) == "current"


def test_cli_report_in_current_units_names_them_in_word_and_excel(tmp_path: Path) -> None:
    # `bien-gioi-geo report --admin current` on the recorded sample: mapped through the crosswalk, tables by
    # the current communes, and the Word report, the workbook and the printed map say so, in Vietnamese
    import subprocess
    import sys

    import docx
    import openpyxl
    import pypdf

    out = tmp_path / "rep"
    r = subprocess.run([sys.executable, "-m", "bien_gioi_geo", "report", "--admin", "current", "--out", str(out),
                        "--quiet"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    caption = "Theo đơn vị hành chính hiện nay (từ 01/7/2025)"
    by = pd.read_csv(out / "by_commune.csv", encoding="utf-8-sig")
    ref = bg.coverage(bg.admin.to_current(bg.datasets.load("phong_tho"))).by("commune_current")
    assert sorted(by.iloc[:, 0]) == sorted(ref.index)
    got = by.set_index(by.columns[0])["covered_km"]
    assert got.to_dict() == pytest.approx(ref["covered_km"].to_dict(), abs=5e-4)  # the CSV keeps 3 decimals
    assert caption in [p.text for p in docx.Document(str(out / "report.docx")).paragraphs]
    summary = openpyxl.load_workbook(out / "report.xlsx")["summary"]
    assert ("Đơn vị hành chính", caption) in list(summary.iter_rows(values_only=True))
    assert "hiện nay (từ 01/7/2025)" in "".join(p.extract_text() for p in pypdf.PdfReader(out / "map.pdf").pages)


def test_five_year_comparison_in_current_units_equals_the_rekeyed_rows() -> None:
    ds = _office_typed(bg.datasets.load("phong_tho"))
    cur = bg.admin.to_current(ds)
    t = bg.compare(cur, "2020-12-31", "2025-12-31").by("commune_current")
    rekeyed = ds.assignments.copy()
    rekeyed["commune"] = list(cur.assignments["commune_current"])
    plain = bg.Dataset(dict(ds.borders), ds.markers, rekeyed, name=ds.name)
    for when, col in [("2020-12-31", "km_before"), ("2025-12-31", "km_after")]:
        ref = bg.coverage(plain, as_of=when).by("commune")["covered_km"]
        assert t[col].to_dict() == pytest.approx(ref.to_dict(), abs=1e-9), when
    assert (t["km_after"] - t["km_before"]).to_dict() == pytest.approx(t["km_change"].to_dict(), abs=1e-9)
