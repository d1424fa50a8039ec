"""Header rows under titles, merged cells, VN-2000 axis order (model/layout.py, model/axes.py)."""

from __future__ import annotations

import unicodedata

import pytest

from bien_gioi_geo.errors import InputError
from bien_gioi_geo.model import fill_merged, find_header_row, resolve_axis_order

TITLE = "BẢNG THỐNG KÊ CỘT MỐC BIÊN GIỚI"


def office_rows(form: str = "NFC") -> list[list[object]]:
    n = lambda s: unicodedata.normalize(form, s)  # noqa: E731
    return [
        [n("UBND HUYỆN PHONG THỔ"), None, None, None, None],
        [n(TITLE), None, None, None, None],  # a title merged across A2:E2 shows in its first cell only
        [None, None, None, None, None],
        [n("STT"), n("Số hiệu mốc"), n("Toạ độ VN-2000"), None, n("Ghi chú")],
        [None, None, "X", "Y", None],
        [1, "62", "2.490.123,45", "545.678,90", None],
    ]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_header_under_title_rows_and_on_two_rows(form: str) -> None:
    h = find_header_row(office_rows(form), table="markers", lang="en")
    assert (h.index, h.number, h.n_rows, h.data_start) == (3, 4, 2, 5)
    assert h.match.columns == ["STT", "marker_id", "x", "y", "notes"]
    assert h.note == ("header row is row 4 (4 columns recognised); the header spans rows 4 and 5; "
                      "3 row(s) above skipped")


def test_one_row_header_is_preferred_when_the_next_row_is_data() -> None:
    rows = [["Số mốc", "Vĩ độ", "Kinh độ"], ["62", "22,5", "103,1"], ["63", "22,6", "103,2"]]
    h = find_header_row(rows, table="markers")
    assert (h.number, h.n_rows, h.data_start) == (1, 1, 1)


def test_the_row_with_most_known_headers_wins() -> None:
    rows = [["Mã", "Danh sách tổ tự quản"], ["Mã", "Bản", "Xã", "Số hộ"], ["MT-01", "Bản 1", "Xã A", "12"]]
    h = find_header_row(rows, table="assignments")
    assert h.number == 2
    assert h.match.columns == ["assignment_id", "village", "commune", "households"]


def test_header_row_given_by_the_user_counts_from_one() -> None:
    h = find_header_row(office_rows(), table="markers", header_row=4, lang="en")
    assert (h.index, h.n_rows) == (3, 1)
    assert h.match.columns == ["STT", "marker_id", "Toạ độ VN-2000", "column 4", "notes"]
    assert h.note == "header row is row 4 (as given)"
    with pytest.raises(InputError, match=r"header_row=9 nằm ngoài bảng \(6 hàng\)"):
        find_header_row(office_rows(), table="markers", header_row=9)


def test_no_header_row_names_what_was_expected() -> None:
    rows = [["Báo cáo"], [None], ["a", "b"]]
    with pytest.raises(InputError, match=r"so\.xlsx: no header row among the first 3 rows; columns expected: "
                                         r"marker_id \(Số hiệu mốc"):
        find_header_row(rows, table="markers", source="so.xlsx", lang="en")


def test_search_is_limited_to_max_rows() -> None:
    rows: list[list[object]] = [[None]] * 5 + [["Số mốc", "Vĩ độ", "Kinh độ"]]
    assert find_header_row(rows, table="markers").number == 6
    with pytest.raises(InputError, match="không tìm thấy hàng tiêu đề trong 5 hàng đầu"):
        find_header_row(rows, table="markers", max_rows=5)


def test_merged_cells_in_data_rows_take_their_value_over_the_range() -> None:
    rows: list[list[object]] = [["Xã", "Bản", "Số hộ"], ["Pa Vây Sử", "Bản 1", 10], [None, "Bản 2", 12],
                                [None, "Bản 3", 9], ["Mồ Sì San", "Bản 1", 7]]
    notes = fill_merged(rows, [(1, 2, 1, 4), (1, 1, 3, 1)], first_data_row=1)  # A2:A4; A1:C1 is the header
    assert [r[0] for r in rows] == ["Xã", "Pa Vây Sử", "Pa Vây Sử", "Pa Vây Sử", "Mồ Sì San"]
    assert rows[0] == ["Xã", "Bản", "Số hộ"]
    assert notes == ["ô gộp A2:A4 lấy giá trị 'Pa Vây Sử' cho 3 ô"]


# ------------------------------------------------------------------------------------------------ axes
NORTH, EAST = 2_490_123.45, 545_678.90  # a VN-2000 TM-3 position in Lai Châu


@pytest.mark.parametrize(("xs", "ys", "order"), [
    ([NORTH, NORTH + 10], [EAST, EAST + 5], "yx"),  # Vietnamese surveying: X = north
    ([EAST, EAST + 5], [NORTH, NORTH + 10], "xy"),
    ([NORTH, None], [EAST, None], "yx"),
])
def test_axis_order_from_magnitudes(xs: list[float | None], ys: list[float | None], order: str) -> None:
    r = resolve_axis_order(xs, ys, lang="en")
    assert (r.order, r.forced, r.swapped_rows) == (order, False, [])
    e, n = r.easting_northing(xs[0], ys[0])
    assert (e, n) == (EAST, NORTH)


def test_axis_order_forced_and_rows_against_it_reported() -> None:
    r = resolve_axis_order([NORTH, EAST], [EAST, NORTH], axis_order="yx", lang="en")
    assert (r.order, r.forced, r.swapped_rows) == ("yx", True, [1])
    assert r.note == "axis order given: axis_order='yx'"


def test_a_swapped_row_among_many_is_reported() -> None:
    xs = [NORTH, NORTH + 1, EAST, NORTH + 2]
    ys = [EAST, EAST + 1, NORTH, EAST + 2]
    r = resolve_axis_order(xs, ys)
    assert (r.order, r.swapped_rows) == ("yx", [2])


@pytest.mark.parametrize(("xs", "ys"), [
    ([960_000.0], [520_000.0]),  # southern Viet Nam: the northing is under 1,000,000 m as well
    ([NORTH, EAST], [EAST, NORTH]),  # as many rows each way
    ([None], [None]),
])
def test_axis_order_that_cannot_be_told_asks_for_it(xs: list[float | None], ys: list[float | None]) -> None:
    with pytest.raises(InputError, match=r"mocs\.xlsx: cannot tell which of 'X'/'Y' is the northing.*"
                                         r"axis_order='yx'"):
        resolve_axis_order(xs, ys, source="mocs.xlsx", lang="en")
    assert resolve_axis_order(xs, ys, axis_order="xy").order == "xy"


def test_bad_axis_order() -> None:
    with pytest.raises(InputError, match="axis_order phải là 'xy', 'yx' hoặc None, không phải 'ne'"):
        resolve_axis_order([NORTH], [EAST], axis_order="ne")
