"""The readers' own messages (those not about one cell's value), one template per language: ``(vi, en)``.

Cell values are read by the model's parsers (:mod:`bien_gioi_geo.model`), whose messages come in both languages
too; a problem keeps both (``message_vi``, ``message_en``) and validation shows the one of its ``lang``.
"""

from __future__ import annotations

from typing import Any

from .problems import Problems

__all__ = ["TEXTS", "add", "text"]

TEXTS: dict[str, tuple[str, str]] = {
    "missing_id": ("thiếu {label} (mỗi hàng cần có)", "missing {name}"),
    "missing_assignment_id": ("thiếu mã đăng ký (mỗi đoạn tự quản cần có mã)",
                              "missing assignment_id (each stretch needs an id)"),
    "number_mismatch": ("số mốc {given!r} không khớp với số hiệu {mid!r} (số mốc là {number!r})",
                        "does not match marker_id {mid!r} (its number is {number!r})"),
    "post_mismatch": ("cột số {given!r} không khớp với số hiệu {mid!r} (cột {post!r})",
                      "does not match marker_id {mid!r} (post {post!r})"),
    "marker_no_location": ("cột mốc cần có vị trí (một điểm)", "a marker post needs a location (a Point)"),
    "marker_not_point": ("cột mốc là một điểm, không phải {kind}", "a marker post is a Point, not a {kind}"),
    "stretch_not_line": ("đoạn vẽ phải là đường (LineString), không phải {kind}",
                         "a drawn stretch is a LineString, not a {kind}"),
    "needs_both_markers": ("đoạn theo mốc cần cả Từ mốc và Đến mốc",
                           "a stretch by markers needs both from_marker and to_marker"),
    "needs_both_km": ("đoạn theo lý trình cần cả Từ km và Đến km",
                      "a stretch by chainage needs both start_km and end_km"),
    "no_stretch": ("không có đoạn tự quản (Từ mốc/Đến mốc, Từ km/Đến km hoặc một đường vẽ) và không có mốc tự "
                   "quản nào", "gives no stretch (from_marker/to_marker, start_km/end_km or a line) and no markers "
                   "to look after"),
    "border_no_line": ("đường biên giới cần có hình học dạng đường (LineString hoặc MultiLineString)",
                       "a border feature needs a LineString or MultiLineString"),
    "border_not_line": ("đường biên giới là LineString hoặc MultiLineString, không phải {kind}",
                        "a border is a LineString or MultiLineString, not a {kind}"),
    "admin_not_polygon": ("đơn vị hành chính là Polygon hoặc MultiPolygon",
                          "an administrative unit is a Polygon or MultiPolygon"),
    "duplicate_id": ("hàng này lặp lại hàng {first} (cùng {label} và cùng các giá trị); chỉ tính "
                     "một lần — hãy xoá bản sao",
                     "duplicate_id: the row repeats row {first} (same {name} and values); it is counted once — "
                     "delete the copy"),
    "duplicate_post": ("hàng này ghi lại mốc của hàng {first} (cùng {label}, cùng vị trí trong phạm vi {tol_vi} m, "
                       "khác {fields}); chỉ tính một cột mốc — kiểm tra hai hàng và xoá một hàng",
                       "duplicate_id: the row repeats the post of row {first} (same {name}, same position within "
                       "{tol:g} m, different {fields_en}); it is counted as one post — check both rows and delete "
                       "one"),
    "formula": ("công thức không có giá trị đã lưu (tệp do một chương trình ghi và chưa được tính lại); mở và lưu "
                "tệp bằng Excel hoặc LibreOffice để lưu giá trị, hoặc gõ giá trị vào",
                "a formula without a saved value (the workbook was written by a program and never recalculated); "
                "open and save it in Excel or LibreOffice so the values are stored, or type the values"),
    "field_count": ("hàng có {n} ô; hàng tiêu đề có {m} cột", "has {n} fields; the header has {m}"),
    "metres": ("{value!r}: cần một số mét hữu hạn", "expected a finite number of metres"),
    "degrees": ("{value!r}: không đọc được tọa độ (cần độ thập phân như 22,5 hoặc độ-phút-giây như "
                "22°47'30,5\"); {detail}", "{detail}"),
    "after_conversion": ("sau khi đổi từ {crs}: tọa độ ({x}, {y}) không phải kinh độ/vĩ độ hợp lệ; tọa độ có thuộc "
                         "hệ khác, hoặc X và Y có bị đổi chỗ không?", "after conversion from {crs}: {detail}"),
    "outside_area": ("tọa độ ({x}, {y}) theo {crs} là ({lon:.5f}, {lat:.5f}) theo WGS 84, nằm ngoài vùng sử dụng "
                     "của hệ này; tọa độ có thuộc hệ khác hoặc đơn vị khác không (độ ghi như mét, hoặc mét như "
                     "độ), hoặc X và Y có bị đổi chỗ không?", "{detail}"),
    "surrogate": ("chứa một ký tự không hợp lệ (U+{code:04X}) ở vị trí {pos}; không tệp nào lưu được — gõ lại giá "
                  "trị", "contains an unpaired surrogate code point U+{code:04X} at position {pos}; this is not "
                  "text any file can hold — retype the value"),
    "unreadable": ("không đọc được ô này ({detail})", "{detail}"),
}


def text(key: str, lang: str, **kw: Any) -> str:
    """The message ``key`` in ``lang`` (``"vi"`` or ``"en"``), formatted with ``kw``."""
    vi, en = TEXTS[key]
    return (vi if lang == "vi" else en).format(**kw)


def add(probs: Problems, row: int | None, field: str | None, value: object, key: str, **kw: Any) -> None:
    """Add the problem ``key`` to ``probs`` in both languages (``message`` in English, as readers always wrote)."""
    kw.setdefault("value", value)
    en = text(key, "en", **kw)
    probs.add(row, field, value, en, vi=text(key, "vi", **kw), en=en)
