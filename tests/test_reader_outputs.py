"""What a reader sees: one minimum length for gaps and overlaps, Vietnamese figures and words in the summary and
the report tables, spreadsheet cells as numbers with formats, and the set of administrative units named."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

import bien_gioi_geo as bg
from bien_gioi_geo import admin
from bien_gioi_geo.admin.report import UNIT_SET_LABELS
from bien_gioi_geo.formatting import format_count
from bien_gioi_geo.report import write_csv, write_xlsx
from bien_gioi_geo.tables import report_tables, summary_sheet


@pytest.fixture(scope="module")
def pt() -> bg.Dataset:
    return bg.datasets.load("phong_tho")


def _hand(pt: bg.Dataset) -> bg.Dataset:
    """A 0.5 m overlap (A/B at km 5), a 2 m gap (km 8–8.002) and the rest of the line free from km 10."""
    a = pd.DataFrame({"assignment_id": ["A", "B", "C"], "start_km": [0.0, 4.9995, 8.002],
                      "end_km": [5.0, 8.0, 10.0]})
    return bg.Dataset(pt.border, None, a)


def test_one_minimum_length_on_a_hand_built_case(pt):
    ds = _hand(pt)
    total = pt.border.length_km
    cov = bg.coverage(ds)  # 1 m: the 0.5 m overlap is not one, the 2 m gap is
    assert cov.overlaps.empty
    assert cov.gaps[["start_km", "end_km"]].to_numpy() == pytest.approx(np.array([[8.0, 8.002], [10.0, total]]))
    s = cov.summary()
    assert (s["overlaps"], s["gaps"]) == (0, 2) and s["gap_km"] == pytest.approx(0.002 + total - 10.0)
    issues = bg.validate(ds, cov=cov)
    assert (issues["rule"] == "overlap").sum() == 0 and (issues["rule"] == "gap").sum() == 2
    cov3 = bg.coverage(ds, min_length_m=3)  # 3 m: the 2 m gap goes from the summary, the tables and validation
    assert len(cov3.gaps) == 1 and cov3.summary()["gaps"] == 1
    assert (bg.validate(ds, cov=cov3)["rule"] == "gap").sum() == 1
    cov0 = bg.coverage(ds, min_length_m=0)
    assert cov0.overlaps["length_km"].to_numpy() == pytest.approx([0.0005])
    with pytest.raises(bg.OptionError, match="min_length_m"):
        bg.coverage(ds, min_length_m=-1)


def test_bundled_sample_summary_and_validation_agree(pt):
    cov = bg.coverage(pt)
    issues = bg.validate(pt, cov=cov)
    s = cov.summary()
    raw = bg.coverage(pt, min_length_m=0).overlaps
    assert s["overlaps"] == int((raw["length_km"] * 1000 >= 1.0).sum()) == (issues["rule"] == "overlap").sum()
    assert s["gaps"] == (issues["rule"] == "gap").sum()


def test_summary_is_unrounded_and_the_table_vietnamese(pt):
    cov = bg.coverage(pt)
    s = cov.summary()
    assert s["covered_km"] == cov.covered_km and s["percent"] == cov.percent  # no rounding in the figures
    t = cov.summary_table()  # Vietnamese by default
    assert list(t.columns) == ["Chỉ tiêu", "Giá trị"]
    values = dict(zip(t.iloc[:, 0], t.iloc[:, 1], strict=True))
    assert values["Chiều dài chính thức (km)"] == "97,229"  # the published figure, Vietnamese decimals
    assert values["Số hộ"] == format_count(s["households"]) and "." in values["Số hộ"]  # thousands with '.'
    assert "mốc đôi 20" in values["Mốc theo loại"] and "Việt Nam 27" in values["Mốc theo bên cắm"]
    en = dict(cov.summary_table("en").values.tolist())
    assert en["Official length (km)"] == "97.229" and en["Households"] == f"{s['households']:,}"


def test_report_tables_translate_words_not_numbers(pt):
    cov = bg.coverage(pt)
    issues = bg.validate(pt, cov=cov)
    t = report_tables(pt, cov, issues, "vi")
    assert "official_chainage_km" in t["markers"] and "official_km" not in t["markers"]
    assert set(t["markers"]["kind"]) == {"mốc đơn", "mốc đôi", "mốc ba", "mốc phụ"}
    assert set(t["markers"]["emplaced_by"]) == {"Việt Nam", "Trung Quốc"}
    assert set(t["problems"]["severity"]) <= {"lỗi", "cảnh báo"}
    sheet = summary_sheet(cov, "vi")
    km = dict(zip(sheet.iloc[:, 0], sheet.iloc[:, 1], strict=True))["Chiều dài tự quản (km, đo trắc địa)"]
    assert km == round(cov.covered_km, 3)  # a number, to the metre: the spreadsheet formats it


def test_csv_rounds_km_to_the_metre():
    buf = io.StringIO()
    write_csv(pd.DataFrame({"length_km": [0.3999886567852965], "people": [3]}), buf)
    assert buf.getvalue().splitlines()[1] == "0.4,3"


def test_xlsx_numbers_formats_frozen_header_and_filter(tmp_path):
    dest = tmp_path / "r.xlsx"
    write_xlsx({"gaps": pd.DataFrame({"Từ km": [1.23456, 2.0], "Số hộ": [16010, 3], "Xã": ["A", "=1+1"]})}, dest)
    ws = openpyxl.load_workbook(dest)["gaps"]
    assert ws["A2"].value == 1.23456 and ws["A2"].number_format == "0.000"  # the number, shown to the metre
    assert ws["B2"].value == 16010 and ws["B2"].number_format == "#,##0"
    assert ws["C3"].data_type == "s"  # still text, never a formula
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws.column_dimensions["A"].width >= len("1.23456")


def test_admin_units_chosen_and_named(pt):
    with pytest.raises(bg.OptionError, match="to_current"):
        bg.coverage(pt, admin="current")
    with pytest.raises(bg.OptionError, match="admin"):
        bg.coverage(pt, admin="newest")
    cur = admin.to_current(pt)
    cov = bg.coverage(cur, admin="current")
    a = cov.dataset.assignments
    assert cov.dataset.meta["admin_units"] == "current"
    assert a["commune_report"].tolist() == a["commune_current"].tolist()
    old = bg.coverage(cur, as_of="2025-06-30")  # before the reform: the units of that time
    assert old.dataset.assignments["commune_report"].tolist() == old.dataset.assignments["commune"].tolist()
    sheet = dict(summary_sheet(cov, "vi").values.tolist())
    assert sheet["Đơn vị hành chính"] == UNIT_SET_LABELS["current"][0]
    t = report_tables(cur, cov, bg.validate(cur, cov=cov), "vi")
    assert set(t["by_commune"].iloc[:, 0]) == set(a["commune_current"])  # grouped by the chosen units


def test_cli_report_has_admin_option():
    from bien_gioi_geo.cli import build_parser

    args = build_parser().parse_args(["report", "phong_tho", "--out", "x", "--admin", "current"])
    assert args.admin == "current"
    assert build_parser().parse_args(["report", "--out", "x"]).admin == "auto"
