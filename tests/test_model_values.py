"""Cell parsers for the values offices type (model/values.py): numbers, counts, chainage, anchors, dates..."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from bien_gioi_geo.errors import InputError
from bien_gioi_geo.model import (
    MarkerPosition,
    format_km,
    implied_group_counts,
    infer_decimal_separator,
    parse_category,
    parse_chainage_km,
    parse_count,
    parse_date,
    parse_decimal,
    parse_marker_id_cell,
    parse_marker_position,
    parse_stretch,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# ------------------------------------------------------------------------------------------------ decimals
@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("97,229", "km", 97.229),          # decimal comma; 97 229 km is outside any border
    ("97.229", "km", 97.229),
    ("0,5", "decimal", 0.5),
    ("12,75", "metres", 12.75),
    ("1.234,5", "decimal", 1234.5),     # both: the last is the decimal separator
    ("1,234.5", "decimal", 1234.5),
    ("2.456.789,123", "projected_m", 2456789.123),
    ("2,456,789.123", "projected_m", 2456789.123),
    ("2.456.789", "projected_m", 2456789.0),
    ("16 010", "decimal", 16010.0),
    ("16\u00a0010,5", "decimal", 16010.5),  # no-break space
    ("16\u202f010", "decimal", 16010.0),    # narrow no-break space (Babel fr)
    ("2\u2009456\u2009789,1", "projected_m", 2456789.1),  # thin spaces
    ("-8,5", "degree", -8.5),
    ("\u22128,5", "degree", -8.5),     # minus sign
    ("+3", "decimal", 3.0),
    ("22,500", "degree", 22.5),          # 22 500° is no latitude
    ("545.123", "projected_m", 545123.0),  # a VN-2000 coordinate is never under 100 km
    ("545,123", "projected_m", 545123.0),
    ("0,123", "decimal", 0.123),         # thousands groups never start with 0
    ("1.5E+06", "projected_m", 1.5e6),
    (97.229, "km", 97.229),
    (16010, "decimal", 16010.0),
])
def test_decimal_readings(text: object, kind: str, expected: float) -> None:
    value, note = parse_decimal(text, kind=kind)  # type: ignore[arg-type]
    assert value == pytest.approx(expected, rel=1e-15)
    assert note is None


@pytest.mark.parametrize(("text", "kind", "expected", "other"), [
    ("1,234", "km", 1.234, "1 234"),           # comma = decimal in Vietnamese usage
    ("1.234", "km", 1234.0, "1.234"),          # dot = thousands in Vietnamese usage
    ("1,234", "metres", 1.234, "1 234"),
    ("2.500", "metres", 2500.0, "2.5"),        # elevation 2.500 m reads 2500 m
    ("999,999", "decimal", 999.999, "999 999"),
])
def test_ambiguous_decimal_is_read_the_vietnamese_way_and_reported(text: str, kind: str, expected: float,
                                                                   other: str) -> None:
    value, note = parse_decimal(text, kind=kind)  # type: ignore[arg-type]
    assert value == pytest.approx(expected, rel=1e-15)
    assert note is not None and "hai cách" in note and other in note
    _, note_en = parse_decimal(text, kind=kind, lang="en")  # type: ignore[arg-type]
    assert note_en is not None and note_en.startswith(f"{text!r} reads two ways")


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1,234", ",", 1.234), ("1,234", ".", 1234.0), ("1.234", ".", 1.234), ("1.234", ",", 1234.0),
])
def test_column_evidence_resolves_the_ambiguous_reading_silently(text: str, decimal: str, expected: float) -> None:
    assert parse_decimal(text, decimal=decimal) == (expected, None)


@pytest.mark.parametrize(("values", "expected"), [
    (["1,234", "97,2"], ","), (["1.234", "0.5"], "."), (["1.234,5"], ","), (["1,234.5"], "."),
    (["2.456.789"], ","), (["2,456,789"], "."), (["1,234", "1.234"], None), (["0,5", "0.5"], None),
    ([97.2, None, "  "], None), (["Km 3+200"], None), (["-0,25"], ","),
])
def test_infer_decimal_separator(values: list[object], expected: str | None) -> None:
    assert infer_decimal_separator(values) == expected


@pytest.mark.parametrize(("text", "match"), [
    ("abc", "không phải là số"), ("1,2,3", "phân cách hàng nghìn sai chỗ"), ("12.34.5", "sai chỗ"),
    ("1.234.5,6", "sai chỗ"), ("1,23.4,5", "sai chỗ"), ("1 23", "sai chỗ"), ("5,", "không phải là số"),
    ("97,2 km", "không phải là số"), ("inf", "không phải là số"), (True, "đúng/sai"), (float("inf"), "hữu hạn"),
])
def test_decimal_refusals(text: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_decimal(text)


def test_decimal_refuses_a_separator_the_column_contradicts() -> None:
    with pytest.raises(InputError, match="sai chỗ"):
        parse_decimal("0.5", decimal=",")
    with pytest.raises(InputError, match="misplaced"):
        parse_decimal("1,234,567", decimal=",", lang="en")


@pytest.mark.parametrize("empty", [None, "", "   ", float("nan")])
def test_empty_cells_are_none(empty: object) -> None:
    assert parse_decimal(empty) == (None, None)
    assert parse_count(empty) == (None, None)
    assert parse_chainage_km(empty) == (None, None)
    assert parse_date(empty) == (None, None)
    assert parse_marker_position(empty) == (None, None)


@given(st.decimals(min_value=-10**7, max_value=10**7, places=3, allow_nan=False))
def test_babel_vietnamese_decimals_parse_back(x: object) -> None:
    text = format_decimal(x, format="#,##0.###", locale="vi")
    value, _ = parse_decimal(text, kind="metres")
    assert value == pytest.approx(float(x), abs=1e-9)  # type: ignore[arg-type]


@given(st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False), st.sampled_from(["en", "vi"]))
def test_babel_decimals_parse_back_with_the_column_separator(x: object, locale: str) -> None:
    text = format_decimal(x, format="#,##0.###", locale=locale)
    value, note = parse_decimal(text, decimal="," if locale == "vi" else ".")
    assert value == pytest.approx(float(x), abs=1e-9)  # type: ignore[arg-type]
    assert note is None


# ------------------------------------------------------------------------------------------------ counts
@pytest.mark.parametrize(("text", "expected"), [
    ("16.010", 16010), ("16,010", 16010), ("16 010", 16010), ("16\u00a0010", 16010), ("16\u2009010", 16010),
    ("16\u202f010", 16010), ("1.234.567", 1234567), ("2.000", 2000), ("0", 0), ("12", 12), (12, 12), (12.0, 12),
    (" 7 ", 7), ("-0", 0),
])
def test_counts(text: object, expected: int) -> None:
    assert parse_count(text) == (expected, None)


@pytest.mark.parametrize(("text", "match"), [
    ("2,5", "phải là số nguyên"), ("2.5", "phải là số nguyên"), ("1.234,5", "phải là số nguyên"),
    ("-3", "không thể âm"), (-3, "không thể âm"), ("16.01", "phải là số nguyên"), ("1.23.456", "không phải là số"),
    ("ba", "không phải là số"), (True, "đúng/sai"), ("16.010,", "không phải là số"), ("1,2345", "phải là số nguyên"),
])
def test_count_refusals(text: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_count(text)


def test_count_from_an_excel_cell_that_read_the_dot_as_decimal_explains_it() -> None:
    with pytest.raises(InputError, match=r"16\.01: a count is a whole number; if the cell was typed 16\.010"):
        parse_count(16.01, lang="en")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["vi", "en", "fr", "de"]))
def test_babel_counts_parse_back(n: int, locale: str) -> None:
    assert parse_count(format_decimal(n, locale=locale)) == (n, None)


# ------------------------------------------------------------------------------------------------ chainage
@pytest.mark.parametrize(("text", "km"), [
    ("Km 3+200", 3.2), ("K3+200", 3.2), ("3+200", 3.2), ("km 3+200,5", 3.2005), ("Km3 + 200 m", 3.2),
    ("KM 12+045", 12.045), ("k0+000", 0.0), ("Km 97+229.5", 97.2295), ("Km. 3+200", 3.2),
])
def test_chainage_plus_notation(text: str, km: float) -> None:
    value, note = parse_chainage_km(text)
    assert value == pytest.approx(km, abs=1e-12)
    assert note is not None and "km + mét" in note


@pytest.mark.parametrize(("text", "km"), [
    ("3,2", 3.2), ("3.2", 3.2), ("Km 5", 5.0), ("K5", 5.0), ("k 5,5", 5.5),
    ("97,229 km", 97.229), ("km 5,5", 5.5), (3.2, 3.2), (0, 0.0),
])
def test_chainage_plain_km(text: object, km: float) -> None:
    assert parse_chainage_km(text) == (pytest.approx(km, abs=1e-12), None)


@pytest.mark.parametrize(("text", "match"), [
    ("Km 3+1200", "nhỏ hơn 1000"), ("-3,2", "không thể âm"), (-1.0, "không thể âm"), ("Km -3+200", "lý trình"),
    ("mốc 62", "lý trình"), ("3+", "lý trình"), ("Km 3+200+5", "lý trình"), ("ba km", "lý trình"),
])
def test_chainage_refusals(text: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_chainage_km(text)


@pytest.mark.parametrize("km", [0.0, 3.2, 12.045, 97.229, 1449.566])
def test_format_km_reads_back(km: float) -> None:
    assert parse_chainage_km(format_km(km))[0] == pytest.approx(km, abs=5e-4)


# ------------------------------------------------------------------------------------------------ anchors
@pytest.mark.parametrize(("text", "marker", "offset"), [
    ("62", "62", 0.0), ("62+300", "62", 300.0), ("mốc 62 + 300 m", "62", 300.0), ("Mốc 62 - 150m", "62", -150.0),
    ("62(1)+50", "62(1)", 50.0), ("62/1 + 0,3 km", "62/1", 300.0), ("62 / 1 (2)", "62/1(2)", 0.0),
    ("MỐC 62 − 150 m", "62", -150.0), ("cột mốc 105(2) + 12,5 m", "105(2)", 12.5), ("marker 7 + 1.2 km", "7", 1200.0),
    (nfd("Mốc 62 - 150m"), "62", -150.0), ("62 + 0.5km", "62", 500.0), (62.0, "62", 0.0), (62, "62", 0.0),
])
def test_marker_anchored_positions(text: object, marker: str, offset: float) -> None:
    pos, note = parse_marker_position(text)
    assert pos == MarkerPosition(marker, pytest.approx(offset, abs=1e-9))  # type: ignore[arg-type]
    assert (note is None) == (offset == 0.0)


@pytest.mark.parametrize(("text", "match"), [
    ("62-63", r"dải mốc \(62 đến 63\)"), ("62 - 150", "dải mốc"), ("62(4)", "1, 2 hoặc 3"), ("mốc", "số hiệu mốc"),
    ("62+", "số hiệu mốc"), ("A62", "số hiệu mốc"), (62.5, "số hiệu mốc"), ("62 + 300 ft", "số hiệu mốc"),
    (dt.datetime(2024, 1, 22), "Excel đã đổi số hiệu mốc thành ngày"),
])
def test_anchor_refusals(text: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_marker_position(text)


# ------------------------------------------------------------------------------------------------ marker ids
@pytest.mark.parametrize(("cell", "expected"), [
    ("62", "62"), (" 62(2) ", "62(2)"), ("62/1", "62/1"), ("62/1(2)", "62/1(2)"), (62, "62"), (62.0, "62"),
    ("62 (1)", "62(1)"), ("Mốc 62", "62"), (nfd("Cột mốc 62(2)"), "62(2)"), ("mốc62/1", "62/1"),
])
def test_marker_id_cells(cell: object, expected: str) -> None:
    assert parse_marker_id_cell(cell) == (expected, None)


@pytest.mark.parametrize(("cell", "guess"), [
    (dt.datetime(2024, 1, 22), "22/1"), (dt.date(2023, 11, 5), "5/11"), ("2024-01-22T00:00:00", "22/1"),
    ("2024-03-01 00:00:00", "1/3"), ("2024-03-01", "1/3"),
])
def test_marker_id_turned_into_a_date_by_excel(cell: object, guess: str) -> None:
    with pytest.raises(InputError, match=rf"Excel turned the marker id into a date \(probably '{guess}'\); format "
                                         r"the marker id column as Text"):
        parse_marker_id_cell(cell, lang="en")


@pytest.mark.parametrize("cell", ["62a", "62/x", "(2)", 62.5, "62//1", "Mốc", "Mốc 62 + 300"])
def test_bad_marker_ids(cell: object) -> None:
    with pytest.raises(InputError, match="cần số hiệu mốc như 62, 62\\(1\\), 62/1"):
        parse_marker_id_cell(cell)


@pytest.mark.parametrize("cell", ["62(4)", "62(0)", "62/1(9)"])
def test_marker_post_out_of_range(cell: str) -> None:
    with pytest.raises(InputError, match="số cột trong ngoặc phải là 1, 2 hoặc 3"):
        parse_marker_id_cell(cell)


# ------------------------------------------------------------------------------------------------ stretches
@pytest.mark.parametrize(("text", "start", "end"), [
    ("Tổ tự quản từ mốc 27 đến mốc 28", MarkerPosition("27"), MarkerPosition("28")),
    ("Từ mốc 62(2) đến mốc 64", MarkerPosition("62(2)"), MarkerPosition("64")),
    ("tự quản từ cột mốc 62/1 tới mốc 63", MarkerPosition("62/1"), MarkerPosition("63")),
    ("từ mốc 62 + 300 m đến mốc 63 - 50 m", MarkerPosition("62", 300.0), MarkerPosition("63", -50.0)),
    ("từ mốc 62+300 đến mốc 63", MarkerPosition("62", 300.0), MarkerPosition("63")),
    (nfd("Đoạn từ mốc 27 đến mốc 28 (bản Pa Nậm Cúm)"), MarkerPosition("27"), MarkerPosition("28")),
    ("from marker 5 to marker 6", MarkerPosition("5"), MarkerPosition("6")),
])
def test_stretch_by_markers_from_a_description(text: str, start: MarkerPosition, end: MarkerPosition) -> None:
    stretch, note = parse_stretch(text)
    assert stretch is not None and stretch.by == "markers"
    assert (stretch.start, stretch.end) == (start, end)
    assert note is not None and note.startswith("đoạn tự quản lấy từ mô tả")


@pytest.mark.parametrize(("text", "start", "end"), [
    ("từ km 5,5 đến km 8,2", 5.5, 8.2), ("đoạn từ Km 3+200 đến Km 5+000", 3.2, 5.0), ("Từ K3+200 tới K4", 3.2, 4.0),
    ("tuần tra từ km 12 đến km 13,75", 12.0, 13.75), ("from km 5.5 to km 8.2", 5.5, 8.2),
    (nfd("Từ km 5,5 đến km 8,2"), 5.5, 8.2),
])
def test_stretch_by_chainage_from_a_description(text: str, start: float, end: float) -> None:
    stretch, _ = parse_stretch(text)
    assert stretch is not None and stretch.by == "chainage"
    assert (stretch.start, stretch.end) == (pytest.approx(start), pytest.approx(end))


@pytest.mark.parametrize("text", ["Tổ tự quản bản Pa Nậm Cúm", "mốc 27", "từ bản A đến bản B", "", None, 12.5])
def test_no_stretch_in_a_description(text: object) -> None:
    assert parse_stretch(text) == (None, None)


def test_two_stretches_in_one_description_are_refused() -> None:
    with pytest.raises(InputError, match=r"names 2 stretches"):
        parse_stretch("từ mốc 27 đến mốc 28 và từ km 5 đến km 6", lang="en")


# ------------------------------------------------------------------------------------------------ categories
@pytest.mark.parametrize(("text", "category", "expected"), [
    ("mốc đơn", "kind", "single"), ("Đơn", "kind", "single"), ("single", "kind", "single"),
    ("Mốc đôi", "kind", "double"), ("MỐC BA", "kind", "triple"), ("mốc  phụ", "kind", "auxiliary"),
    ("Cọc dấu", "kind", "stake"), ("Việt Nam", "side", "VN"), ("VN", "side", "VN"), ("vnm", "side", "VN"),
    ("Việt", "side", "VN"), ("Trung Quốc", "side", "CN"), ("CN", "side", "CN"), ("CHN", "side", "CN"),
    ("Lào", "side", "LA"), ("LA", "side", "LA"), ("LAO", "side", "LA"), ("Campuchia", "side", "KH"),
    ("KH", "side", "KH"), ("KHM", "side", "KH"), ("Hộ gia đình", "group_type", "household"),
    ("tập thể", "group_type", "collective"), ("Cá nhân", "group_type", "individual"),
    ("Tổ tự quản", "group_type", "group"),
])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_categories_in_both_unicode_forms(text: str, category: str, expected: str, form: str) -> None:
    assert parse_category(unicodedata.normalize(form, f" {text} "), category) == (expected, None)


@pytest.mark.parametrize(("text", "category", "match"), [
    ("mốc tư", "kind", r"'mốc tư': không phải loại mốc đã biết; chấp nhận: auxiliary \('mốc phụ'/'phụ'/'auxiliary'\)"),
    ("Thái Lan", "side", "không phải bên"), ("hộ nghèo", "group_type", "hình thức tự quản"),
    ("mốc đối", "kind", "loại mốc"),  # a different tone is a different word
])
def test_unknown_categories_list_the_accepted_ones(text: str, category: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_category(text, category)


# ------------------------------------------------------------------------------------------------ dates
@pytest.mark.parametrize(("cell", "expected"), [
    ("03/04/2024", dt.date(2024, 4, 3)), ("3/4/2024", dt.date(2024, 4, 3)), ("03-04-2024", dt.date(2024, 4, 3)),
    ("03.04.2024", dt.date(2024, 4, 3)), ("2024-04-03", dt.date(2024, 4, 3)),
    ("2024-04-03T00:00:00", dt.date(2024, 4, 3)), ("ngày 3 tháng 4 năm 2024", dt.date(2024, 4, 3)),
    (nfd("Ngày 03 tháng 04 năm 2024"), dt.date(2024, 4, 3)), ("31/12/2023", dt.date(2023, 12, 31)),
    (dt.datetime(2024, 4, 3, 15, 0), dt.date(2024, 4, 3)), (dt.date(2024, 4, 3), dt.date(2024, 4, 3)),
])
def test_dates_day_first(cell: object, expected: dt.date) -> None:
    assert parse_date(cell) == (expected, None)


@pytest.mark.parametrize("cell", [45385, 45385.0, "45385"])
def test_excel_serial_date_is_refused_with_the_date_it_would_be(cell: object) -> None:
    # 45385 days after 1899-12-30 (Excel's day zero for serials after 28 Feb 1900) is 3 April 2024: the message
    # names that date and the fix, and the value is not guessed
    assert dt.date(1899, 12, 30) + dt.timedelta(days=45385) == dt.date(2024, 4, 3)
    with pytest.raises(InputError, match=r"45385.*03/04/2024.*Date") as exc:
        parse_date(cell, lang="en")
    assert "format the column as Date" in str(exc.value)
    with pytest.raises(InputError, match=r"45385.*ngày 03/04/2024; định dạng cột là Ngày"):
        parse_date(cell)


@pytest.mark.parametrize(("cell", "year_only", "expected"), [
    ("năm 2024", "start", dt.date(2024, 1, 1)), ("2024", "end", dt.date(2024, 12, 31)),
    (2024, "start", dt.date(2024, 1, 1)), ("Năm 2023", "end", dt.date(2023, 12, 31)),
])
def test_a_year_alone(cell: object, year_only: str, expected: dt.date) -> None:
    value, note = parse_date(cell, year_only=year_only)  # type: ignore[arg-type]
    assert value == expected
    assert note is not None and "chỉ có năm" in note


@pytest.mark.parametrize(("cell", "match"), [
    ("năm 2024", "cần ngày đầy đủ"), ("13/13/2024", "ngày hoặc tháng không hợp lệ"),
    ("04/31/2024", "ngày viết trước tháng"), ("30/02/2024", "không hợp lệ"), ("3/4/24", "không phải ngày"),
    ("hôm qua", "không phải ngày"), (12.5, "không phải ngày"), (5, "không phải ngày"),
])
def test_date_refusals(cell: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_date(cell)


# ------------------------------------------------------------------------------------------------ group counts
@pytest.mark.parametrize(("group", "coll", "indiv", "expected", "noted"), [
    ("collective", None, None, (1, None), True), ("individual", None, None, (None, 1), True),
    ("collective", 2, None, (2, None), False), ("individual", None, 0, (None, 0), False),
    ("household", None, None, (None, None), False), (None, None, None, (None, None), False),
])
def test_countless_collective_or_individual_counts_as_one(group: str | None, coll: int | None, indiv: int | None,
                                                          expected: tuple[int | None, int | None],
                                                          noted: bool) -> None:
    c, i, note = implied_group_counts(group, coll, indiv)
    assert (c, i) == expected
    assert (note is not None) == noted
