"""normalise_rows: an office table of cells → the model's columns, with notes and problems by row and field."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import pytest
from babel.numbers import format_decimal

from bien_gioi_geo.errors import InputError
from bien_gioi_geo.model import NOTE_COLUMNS, fill_merged, find_header_row, normalise_rows


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def vi_number(x: float, decimals: int = 3) -> str:
    return format_decimal(x, format="#,##0." + "#" * decimals, locale="vi")


# Surveyed posts (WGS 84) of the illustrative Phong Thổ line; the office writes them in VN-2000 TM-3 103° with
# X = northing, Y = easting, thousands dots and a decimal comma.
POSTS = {"62": (103.1641654, 22.5816699), "62(1)": (103.16321, 22.58287), "63": (103.1621, 22.58377)}


def _vn2000(lon: float, lat: float) -> tuple[float, float]:
    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:9205", always_xy=True)
    e, n = t.transform(lon, lat)
    return float(e), float(n)


def test_vn2000_x_northing_rows_come_back_within_a_centimetre() -> None:
    header = [nfd("Số hiệu mốc"), "Loại mốc", "X", "Y", "Độ cao (m)"]
    rows = []
    for mid, (lon, lat) in POSTS.items():
        e, n = _vn2000(lon, lat)
        rows.append([mid, nfd("Mốc đôi") if "(" in mid else "mốc đơn", vi_number(n), vi_number(e), "1.234"])
    frame, notes, problems = normalise_rows(header, rows, table="markers", source="mocs.xlsx", sheet="Mốc",
                                            first_row_number=6, lang="en")
    assert problems.empty
    assert frame.attrs["axis_order"] == "yx"
    back = pyproj.Transformer.from_crs("EPSG:9205", "EPSG:4326", always_xy=True)
    lon, lat = back.transform(frame["easting"].to_numpy(), frame["northing"].to_numpy())
    geod = pyproj.Geod(ellps="WGS84")
    want = np.array(list(POSTS.values()))
    _, _, dist = geod.inv(lon, lat, want[:, 0], want[:, 1])
    assert np.max(np.abs(dist)) < 0.01  # metres: the values were written to the millimetre
    assert list(frame["kind"]) == ["single", "double", "single"]
    assert list(frame["elevation_m"]) == [1234.0] * 3  # "1.234" m: the Vietnamese reading, noted
    assert list(frame["source_row"]) == [6, 7, 8]
    axis_note = notes[notes["field"] == "x"]["message"].iloc[0]
    assert axis_note.startswith("column 'X' is the northing")
    assert len(notes[notes["field"] == "elevation_m"]) == 3


def test_assignments_from_an_office_sheet() -> None:
    header = ["Mã tổ", "Thôn, bản", "Xã", "Hình thức tự quản", "Số hộ", "Số nhân khẩu", "Từ mốc", "Đến mốc",
              "Từ km", "Đến km", "Chiều dài (km)", "Từ ngày", "Ghi chú"]
    rows = [
        ["MT-01", nfd("Bản Pa Nậm Cúm"), "Pa Vây Sử", nfd("Tập thể"), "16.010", "2.000", "62+300", "mốc 63 - 150m",
         None, None, "1,234", "năm 2024", None],
        ["MT-02", "Bản 2", "Pa Vây Sử", "Cá nhân", "1", "4", None, None, "Km 3+200", "K5+000", "1,8", "03/04/2024",
         None],
        ["MT-03", "Bản 3", "Pa Vây Sử", "hộ gia đình", "2,5", "-4", None, None, None, None, None, "31/02/2024",
         "Tự quản từ mốc 27 đến mốc 28"],
        ["MT-04", "Bản 4", "Pa Vây Sử", "Tập thể", "3", "9", None, None, None, None, None, None,
         "từ km 5,5 đến km 8,2"],
        [None, None, None, None, None, None, None, None, None, None, None, None, None],  # blank row: not data
        [None, "Bản 5", "Pa Vây Sử", "Tập thể", None, None, "62/1", "63", None, None, None, None, None],
    ]
    frame, notes, problems = normalise_rows(header, rows, table="assignments", source="so_theo_doi.xlsx",
                                            sheet="Tổ tự quản", first_row_number=12)
    assert list(frame["source_row"]) == [12, 13, 14, 15, 17]
    r = frame.set_index("source_row")
    assert r.loc[12, "village"] == "Bản Pa Nậm Cúm" and r.loc[12, "village_original"] == nfd("Bản Pa Nậm Cúm")
    assert (r.loc[12, "households"], r.loc[12, "people"]) == (16010, 2000)
    assert (r.loc[12, "from_marker"], r.loc[12, "from_offset_m"]) == ("62", 300.0)
    assert (r.loc[12, "to_marker"], r.loc[12, "to_offset_m"]) == ("63", -150.0)
    assert r.loc[12, "length_km"] == 1.234  # "1,234" km: decimal comma (column also has "1,8")
    assert r.loc[12, "valid_from"] == dt.date(2024, 1, 1)
    assert r.loc[12, "group_type"] == "collective" and r.loc[12, "group_type_original"] == nfd("Tập thể")
    assert r.loc[12, "collectives"] == 1  # no count column: one collective, noted
    assert (r.loc[13, "start_km"], r.loc[13, "end_km"], r.loc[13, "individuals"]) == (3.2, 5.0, 1)
    assert r.loc[13, "start_km_original"] == "Km 3+200"
    assert (r.loc[14, "from_marker"], r.loc[14, "to_marker"], r.loc[14, "stretch_from"]) == ("27", "28",
                                                                                             "description")
    assert (r.loc[15, "start_km"], r.loc[15, "end_km"]) == (5.5, 8.2)
    assert pd.isna(r.loc[14, "households"])  # refused, reported below
    assert r.loc[14, "people"] == -4  # read: a negative count is validation's bad_counts, with its assignment
    got = {(int(p.row), p.field) for p in problems.itertuples()}
    assert got == {(14, "households"), (14, "valid_from"), (17, "assignment_id")}
    assert list(problems.columns) == NOTE_COLUMNS
    assert set(problems["source"]) == {"so_theo_doi.xlsx"} and set(problems["sheet"]) == {"Tổ tự quản"}
    assert problems.set_index("field").loc["households", "value"] == "'2,5'"
    note_fields = set(zip(notes["row"].astype(object), notes["field"], strict=True))
    assert {(12, "collectives"), (13, "individuals"), (14, "notes"), (15, "notes"), (12, "from_marker"),
            (13, "start_km"), (12, "valid_from")} <= note_fields


def test_missing_required_columns_raise_one_message_naming_the_sheet() -> None:
    with pytest.raises(InputError, match=r"so\.xlsx, sheet 'Tổ tự quản': missing required column\(s\): "
                                         r"assignment_id\. Columns found: 'Bản', 'Xã'"):
        normalise_rows(["Bản", "Xã"], [["a", "b"]], table="assignments", source="so.xlsx", sheet="Tổ tự quản",
                       lang="en")


def test_excel_date_in_a_marker_id_column_is_a_problem_of_that_row() -> None:
    header = ["Số mốc", "Vĩ độ", "Kinh độ"]
    rows = [["62", "22,5816699", "103,1641654"], [dt.datetime(2024, 1, 22), "22.58", "103.16"],
            ["63", "22°35'01,5\"B", "103°09'43,6\"Đ"]]
    frame, _, problems = normalise_rows(header, rows, table="markers", source="m.csv", first_row_number=2)
    assert problems[["row", "field"]].values.tolist() == [[3, "marker_id"]]
    assert "Văn bản ('Text')" in problems["message"].iloc[0] and "22/1" in problems["message"].iloc[0]
    assert frame["lat"].tolist()[0] == 22.5816699
    assert frame["lat"].tolist()[2] == pytest.approx(22 + 35 / 60 + 1.5 / 3600, abs=1e-12)
    assert frame["lon"].tolist()[2] == pytest.approx(103 + 9 / 60 + 43.6 / 3600, abs=1e-12)


def test_duplicate_and_unknown_columns_are_kept_under_their_own_names() -> None:
    header = ["Số mốc", "Số hiệu mốc", "Vĩ độ", "Kinh độ", "STT", "STT"]
    frame, notes, _ = normalise_rows(header, [["62", "62", "22.5", "103.1", 1, 2]], table="markers", source="m",
                                     lang="en")
    assert list(frame.columns) == ["source_row", "marker_id", "Số hiệu mốc", "lat", "lon", "STT", "STT (2)"]
    assert "columns 'Số mốc', 'Số hiệu mốc' are all field 'marker_id'" in notes["message"].iloc[0]


def test_rows_against_the_axis_order_are_reported() -> None:
    header = ["Tọa độ X", "Tọa độ Y", "Số mốc"]
    rows = [["2.490.123,4", "545.678,9", "62"], ["545.680,0", "2.490.130,0", "63"], ["2.490.140,1", "545.690,2",
                                                                                    "64"]]
    frame, _, problems = normalise_rows(header, rows, table="markers", source="m", first_row_number=5)
    assert problems[["row", "field"]].values.tolist() == [[6, "x"]]
    assert "đổi chỗ" in problems["message"].iloc[0]
    assert frame["northing"].tolist()[0] == 2490123.4


def test_an_excel_workbook_with_a_title_merged_cells_and_a_two_row_header(tmp_path: Path) -> None:
    """The way a reader will call the layer: openpyxl rows → fill_merged → find_header_row → normalise_rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tổ tự quản"
    ws.append(["DANH SÁCH TỔ TỰ QUẢN ĐƯỜNG BIÊN, CỘT MỐC"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Xã", "Mã", "Hình thức", "Số hộ", "Đoạn tự quản", None])
    ws.append([None, None, None, None, "Từ km", "Đến km"])
    ws.merge_cells("E3:F3")
    ws.append(["Pa Vây Sử", "MT-01", "Tập thể", 12, "Km 3+200", "Km 5+000"])
    ws.append([None, "MT-02", "Cá nhân", 2.5, "5,0", "6,25"])
    ws.append([None, "MT-03", "Tập thể", "1.000", "6,25", "7"])
    ws.merge_cells("A5:A7")
    path = tmp_path / "so.xlsx"
    wb.save(path)

    wb2 = openpyxl.load_workbook(path, data_only=True)
    ws2 = wb2["Tổ tự quản"]
    rows = [list(r) for r in ws2.iter_rows(values_only=True)]
    ranges = [r.bounds for r in ws2.merged_cells.ranges]
    wb2.close()
    h = find_header_row(rows, table="assignments")
    merged_notes = fill_merged(rows, ranges, first_data_row=h.data_start)
    frame, notes, problems = normalise_rows(h.header, rows[h.data_start:], table="assignments", source=path.name,
                                            sheet=ws2.title, first_row_number=h.data_start + 1, lang="en")
    assert (h.number, h.n_rows) == (3, 2)
    assert merged_notes == ["ô gộp A5:A7 lấy giá trị 'Pa Vây Sử' cho 3 ô"]
    assert frame["commune"].tolist() == ["Pa Vây Sử"] * 3
    assert frame["source_row"].tolist() == [5, 6, 7]  # Excel's row numbers
    assert frame["start_km"].tolist() == [3.2, 5.0, 6.25]
    assert frame["end_km"].tolist() == [5.0, 6.25, 7.0]
    assert frame["households"].tolist()[::2] == [12, 1000]
    assert problems[["row", "field"]].values.tolist() == [[6, "households"]]
    assert "Excel read the dot as a decimal point" in problems["message"].iloc[0]


def test_vietnamese_and_english_messages() -> None:
    rows = [["MT-01", "2,5"]]
    _, _, p_vi = normalise_rows(["Mã", "Số hộ"], rows, table="assignments", source="s")
    _, _, p_en = normalise_rows(["Mã", "Số hộ"], rows, table="assignments", source="s", lang="en")
    assert p_vi["message"].iloc[0] == "'2,5': số lượng phải là số nguyên (số hộ, số người không có phần lẻ)"
    assert p_en["message"].iloc[0] == "'2,5': a count is a whole number (households and people have no fractions)"


def test_marker_lists_from_text_and_from_a_list_cell() -> None:
    header = ["Mã", "Mốc tự quản", "Hình thức"]
    rows = [["MT-01", "62(1); 62(2), 62/1", "hộ gia đình"], ["MT-02", ["63", 64.0], "hộ gia đình"],
            ["MT-03", "62(1); 62(2), 62/1", None], ["MT-04", "62; mốc x", None]]
    frame, _, problems = normalise_rows(header, rows, table="assignments", source="s")
    assert frame["markers"].tolist()[:3] == [["62(1)", "62(2)", "62/1"], ["63", "64"], ["62(1)", "62(2)", "62/1"]]
    assert frame["markers"].iloc[0] is not frame["markers"].iloc[2]  # equal cells, separate lists
    assert problems[["row", "field"]].values.tolist() == [[5, "markers"]]
    assert "collectives" not in frame and "individuals" not in frame  # households: no implied counts


def test_a_cell_right_of_the_header_is_noted_not_lost() -> None:
    frame, notes, problems = normalise_rows(["Mã", "Bản"], [["MT-01", "Bản 1", None, "đã kiểm tra"]],
                                            table="assignments", source="s", first_row_number=4, lang="en")
    assert problems.empty and list(frame.columns) == ["source_row", "assignment_id", "village"]
    assert notes[["row", "value", "message"]].values.tolist() == [
        [4, "'đã kiểm tra'", "cell in column 4, right of the header, is not read"]]


def test_empty_x_y_columns_beside_lat_lon_need_no_axis_order() -> None:
    frame, notes, problems = normalise_rows(["Số mốc", "Vĩ độ", "Kinh độ", "X", "Y"],
                                            [["62", "22,58", "103,16", None, None]], table="markers", source="s")
    assert problems.empty and "easting" not in frame and notes.empty
