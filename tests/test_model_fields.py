"""Header names offices write → the model's fields (model/fields.py, fields.toml)."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources

import pytest

from bien_gioi_geo.errors import InputError
from bien_gioi_geo.model import field_label, header_key, match_headers, table_fields
from bien_gioi_geo.model import fields as fields_mod


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


MARKER_HEADERS = [
    ("Số hiệu mốc", "marker_id"), ("Số mốc", "marker_id"), ("Tên mốc", "marker_id"), ("marker_id", "marker_id"),
    ("Loại mốc", "kind"), ("Bên cắm", "emplaced_by"), ("Bên cắm mốc", "emplaced_by"), ("Vĩ độ", "lat"),
    ("Kinh độ", "lon"), ("X", "x"), ("Y", "y"), ("Tọa độ X", "x"), ("Toạ độ X", "x"), ("Tọa độ Y", "y"),
    ("Độ cao", "elevation_m"), ("Cao độ", "elevation_m"), ("Tình trạng", "condition"), ("Hiện trạng", "condition"),
    ("Ngày kiểm tra", "last_inspected"), ("Ghi chú", "notes"), ("Lý trình chính thức", "official_km"),
    ("easting", "easting"), ("northing", "northing"),
]
ASSIGNMENT_HEADERS = [
    ("Mã", "assignment_id"), ("Mã tổ", "assignment_id"), ("Bản", "village"), ("Thôn", "village"),
    ("Thôn, bản", "village"), ("Xã", "commune"), ("Huyện", "district"), ("Tỉnh", "province"),
    ("Hình thức", "group_type"), ("Hình thức tự quản", "group_type"), ("Số hộ", "households"),
    ("Số nhân khẩu", "people"), ("Số khẩu", "people"), ("Nhân khẩu", "people"), ("Tập thể", "collectives"),
    ("Cá nhân", "individuals"), ("Từ mốc", "from_marker"), ("Đến mốc", "to_marker"), ("Từ km", "start_km"),
    ("Đến km", "end_km"), ("Mốc tự quản", "markers"), ("Chiều dài (km)", "length_km"), ("Từ ngày", "valid_from"),
    ("Đến ngày", "valid_to"), ("Ghi chú", "notes"),
]


def _variants(h: str) -> list[str]:
    """The spellings an office produces for one header: NFD, upper case, padded and doubled spaces."""
    return [h, nfd(h), h.upper(), nfd(h.upper()), f"  {h.lower()} ", h.replace(" ", "  ")]


@pytest.mark.parametrize(("header", "key"), MARKER_HEADERS)
@pytest.mark.parametrize("variant", range(6))
def test_marker_headers_in_every_form(header: str, key: str, variant: int) -> None:
    h = _variants(header)[variant]
    m = match_headers(["Số hiệu mốc" if key != "marker_id" else "STT", h], table="markers")
    assert m.columns[1] == key
    assert m.mapping[unicodedata.normalize("NFC", h).strip()] == key  # headers are kept NFC, stripped


@pytest.mark.parametrize(("header", "key"), ASSIGNMENT_HEADERS)
@pytest.mark.parametrize("variant", range(6))
def test_assignment_headers_in_every_form(header: str, key: str, variant: int) -> None:
    h = _variants(header)[variant]
    m = match_headers([h], table="assignments")
    assert m.columns == [key]


@pytest.mark.parametrize("header", ["Chiều dài (km)", "Chiều dài, km", "CHIỀU DÀI(KM)", "chiều dài [km]",
                                    nfd("Chiều dài (km)"), "Chiều dài - km", "Chiều dài"])
def test_unit_and_punctuation_do_not_matter(header: str) -> None:
    assert match_headers([header], table="assignments").columns == ["length_km"]


def test_tone_placement_old_and_new_is_one_key() -> None:
    # "oa" with the dot below on o (old style) or on a (new style), composed or decomposed
    forms = ["Tọa độ X", "Toạ độ X", nfd("Tọa độ X"), nfd("Toạ độ X")]
    assert len({header_key(f) for f in forms}) == 1
    # ...but a different tone is a different word
    assert header_key("Tòa độ X") != header_key("Tọa độ X")


def test_a_conflicting_unit_is_reported_not_mapped() -> None:
    m = match_headers(["Mã", "Chiều dài (m)", "Độ cao (km)"], table="assignments")
    assert "length_km" not in m.fields
    assert set(m.unit_conflicts) == {"Chiều dài (m)"}
    assert "Chiều dài (m)" in m.columns and "Chiều dài (m)" not in m.unknown
    assert any("km" in p and "Chiều dài (m)" in p for p in m.problems())
    mk = match_headers(["Số mốc", "Độ cao (km)", "Độ cao (m)"], table="markers")
    assert mk.mapping == {"Số mốc": "marker_id", "Độ cao (m)": "elevation_m"}
    assert list(mk.unit_conflicts) == ["Độ cao (km)"]


def test_unknown_columns_are_kept_as_they_are() -> None:
    m = match_headers(["STT", "Số mốc", None, "Ghi chú thêm"], table="markers")
    assert m.columns == ["STT", "marker_id", "column 3", "Ghi chú thêm"]
    assert m.unknown == ["STT", "Ghi chú thêm"]


def test_duplicates_are_reported_and_the_first_used() -> None:
    m = match_headers(["Số hiệu mốc", "Số mốc", nfd("Số mốc")], table="markers")
    assert m.mapping == {"Số hiệu mốc": "marker_id"}
    assert m.duplicates == {"marker_id": ["Số hiệu mốc", "Số mốc", "Số mốc"]}
    assert m.columns == ["marker_id", "Số mốc", "Số mốc"]
    assert "'Số hiệu mốc'" in m.problems(lang="en")[0]


def test_no_fuzzy_guess_without_diacritics_by_default() -> None:
    m = match_headers(["So hieu moc", "Tinh trang", "Ngay kiem tra"], table="markers")
    assert m.fields == set()
    assert m.unknown == ["So hieu moc", "Tinh trang", "Ngay kiem tra"]
    assert m.missing == ["marker_id", "lat+lon|x+y|easting+northing|wkt"]


def test_ascii_fold_matches_only_unique_headers_and_says_so() -> None:
    m = match_headers(["So hieu moc", "Tinh trang", "Ngay kiem tra"], table="markers", ascii_fold=True,
                      lang="en")
    assert m.columns == ["marker_id", "condition", "last_inspected"]
    assert m.notes[0] == "column 'So hieu moc' (no diacritics) read as field 'marker_id'"
    assert len(m.notes) == 3


def test_ascii_fold_reports_an_ambiguous_header(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two fields whose names differ only by their marks ("Số hộ" households, "Số họ" clans): without marks,
    # "So ho" could be either, so it is reported and mapped to neither.
    data = {"assignments": {"one_of": [], "fields": [
        {"key": "households", "type": "count", "headers": ["Số hộ"], "label_vi": "Số hộ", "label_en": "H"},
        {"key": "clans", "type": "count", "headers": ["Số họ"], "label_vi": "Số họ", "label_en": "C"},
    ]}}
    monkeypatch.setattr(fields_mod, "_data", lambda: data)
    for f in (fields_mod.table_fields, fields_mod._keys):
        f.cache_clear()
    try:
        m = match_headers(["So ho", "Số họ"], table="assignments", ascii_fold=True, lang="en")
        assert m.ambiguous == {"So ho": ["households", "clans"]}
        assert m.mapping == {"Số họ": "clans"}
        assert m.problems("en") == ["column 'So ho' could be 'households' or 'clans'; rename it"]
    finally:
        for f in (fields_mod.table_fields, fields_mod._keys):
            f.cache_clear()


def test_missing_required_columns_one_message_vi_and_en() -> None:
    header = ["STT", "Vĩ độ", "Kinh độ", "Ghi chú"]
    m = match_headers(header, table="markers")
    assert m.missing == ["marker_id"]
    with pytest.raises(InputError, match=r"mocs\.xlsx: thiếu cột bắt buộc: marker_id\. Các cột đã đọc: 'STT', "
                                         r"'Vĩ độ', 'Kinh độ', 'Ghi chú'\. .*Số hiệu mốc, Số mốc, Tên mốc"):
        m.raise_for_missing(source="mocs.xlsx")
    with pytest.raises(InputError, match=r"missing required column\(s\): marker_id\. Columns found: 'STT'"):
        m.raise_for_missing(source="mocs.xlsx", lang="en")


def test_missing_location_lists_the_alternatives_with_vietnamese_names() -> None:
    m = match_headers(["Số mốc", "Ghi chú"], table="markers")
    text = m.missing_message(lang="en")
    assert "location: lat (latitude, Vĩ độ" in text
    assert " or x (Tọa độ X, Toạ độ X) + y (Tọa độ Y, Toạ độ Y)" in text


def test_every_listed_office_name_is_in_the_table() -> None:
    """The issue's list, spelled as the issue spells it, is in fields.toml (data, not code)."""
    data = tomllib.loads(resources.files("bien_gioi_geo.model").joinpath("fields.toml").read_text("utf-8"))
    listed = {(t, header_key(h)): f["key"] for t in ("markers", "assignments") for f in data[t]["fields"]
              for h in f["headers"]}
    for table, pairs in (("markers", MARKER_HEADERS), ("assignments", ASSIGNMENT_HEADERS)):
        for header, key in pairs:
            if header != "Chiều dài (km)":  # listed as "Chiều dài", the unit is split off
                assert listed[(table, header_key(header))] == key, header


def test_no_two_fields_share_a_header_key() -> None:
    for t in ("markers", "assignments", "border"):
        seen: dict[str, str] = {}
        for f in table_fields(t):
            for h in f.headers:
                assert seen.setdefault(header_key(h), f.key) == f.key, (t, h)


@pytest.mark.parametrize(("key", "lang", "label"), [
    ("official_km", "vi", "Lý trình chính thức (km)"), ("official_km", "en", "Official chainage (km)"),
    ("people", "vi", "Số nhân khẩu"), ("village", "vi", "Thôn, bản"), ("no_such_key", "vi", "no_such_key"),
])
def test_display_labels(key: str, lang: str, label: str) -> None:
    assert field_label(key, lang) == label


def test_bad_table_and_lang_are_refused() -> None:
    with pytest.raises(InputError, match="table must be one of markers, assignments, border, not 'tracks'"):
        match_headers(["x"], table="tracks")
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en', not 'fr'"):
        match_headers(["x"], table="markers", lang="fr")
