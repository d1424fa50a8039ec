"""Message templates of the model layer, one per message and language (``vi`` default, ``en``).

The key stays English in code; the text a reader sees is Vietnamese unless ``lang="en"``.
"""

from __future__ import annotations

__all__ = ["msg", "check_lang"]

_MESSAGES: dict[str, tuple[str, str]] = {  # key: (vi, en)
    # numbers
    "not_number": ("không phải là số: {value!r}; cần một số như 97,229 hoặc 97.229",
                   "not a number: {value!r}; expected a number such as 97.229 or 97,229"),
    "bad_grouping": ("{value!r}: dấu phân cách hàng nghìn sai chỗ (mỗi nhóm phải có 3 chữ số, như 1.234.567)",
                     "{value!r}: not a number as written: misplaced thousands separator (each group has 3 "
                     "digits, as in 1,234,567)"),
    "too_large": ("{value!r}: số quá lớn", "{value!r}: the number is too large; expected a finite number"),
    "count_too_large": ("{value!r}: số lượng lớn hơn {max} là không hợp lý",
                        "{value!r}: a count larger than {max} is not plausible"),
    "not_marker_list": ("{value!r}: cần danh sách số hiệu mốc như 62(1);62(2);62/1",
                        "{value!r}: expected a list of marker ids such as 62(1);62(2);62/1"),
    "lat_swapped": ("{value!r}: giá trị này là kinh độ, không phải vĩ độ (vĩ độ trong khoảng ±90°): vĩ độ và kinh độ "
                    "có bị đổi chỗ không?", "{value!r}: this is a longitude, not a latitude (latitudes lie within "
                    "±90°): are latitude and longitude swapped?"),
    "lon_swapped": ("{value!r}: giá trị này là vĩ độ, không phải kinh độ: vĩ độ và kinh độ có bị đổi chỗ không?",
                    "{value!r}: this is a latitude, not a longitude: are latitude and longitude swapped?"),
    "not_degrees": ("{value!r}: không đọc được độ; cần độ thập phân như 22,5291 hoặc độ-phút-giây như "
                    "22°31'45,2\"N", "{value!r}: {detail}"),
    "not_finite": ("{value!r}: cần một số hữu hạn", "{value!r}: expected a finite number"),
    "boolean": ("{value!r}: cần một số, không phải giá trị đúng/sai", "{value!r}: expected a number, not a boolean"),
    "ambiguous_decimal": ("{value!r} có thể đọc hai cách ({a} hoặc {b}); đã đọc là {chosen} ({why})",
                          "{value!r} reads two ways ({a} or {b}); read as {chosen} ({why})"),
    "why_vi_comma": ("dấu phẩy là dấu thập phân theo cách viết Việt Nam",
                     "a comma is the decimal separator in Vietnamese usage"),
    "why_vi_dot": ("dấu chấm là dấu phân cách hàng nghìn theo cách viết Việt Nam",
                   "a dot separates thousands in Vietnamese usage"),
    "why_range": ("chỉ cách đọc này nằm trong khoảng hợp lý {lo:g}–{hi:g}",
                  "only this reading lies in the plausible range {lo:g}–{hi:g}"),
    "why_column": ("các ô khác trong cột dùng {sep!r} làm dấu thập phân",
                   "other cells of the column use {sep!r} as the decimal separator"),
    "negative_count": ("{value!r}: số lượng không thể âm",
                       "{value!r}: a count cannot be negative; expected a whole number of 0 or more"),
    "fraction_count": ("{value!r}: số lượng phải là số nguyên (số hộ, số người không có phần lẻ)",
                       "{value!r}: a count is a whole number (households and people have no fractions)"),
    "fraction_count_cell": ("{value!r}: số lượng phải là số nguyên; nếu ô được gõ là 16.010 (mười sáu nghìn) thì "
                            "Excel đã đọc dấu chấm là dấu thập phân — định dạng cột là Văn bản ('Text') hoặc gõ 16010",
                            "{value!r}: a count is a whole number; if the cell was typed 16.010 (sixteen thousand), "
                            "Excel read the dot as a decimal point — format the column as Text or type 16010"),
    # chainage, anchors, stretches
    "not_chainage": ("{value!r}: không đọc được lý trình; cần dạng Km 3+200, K3+200, 3+200 hoặc 3,2 (km)",
                     "{value!r}: not a chainage; expected a number of km (3.2) or Km 3+200, K3+200, 3+200"),
    "metres_part": ("{value!r}: phần mét sau dấu + phải nhỏ hơn 1000 (viết Km 4+200 thay cho Km 3+1200)",
                    "{value!r}: the metres after + must be under 1000 (write Km 4+200, not Km 3+1200)"),
    "negative_km": ("{value!r}: lý trình không thể âm", "{value!r}: a chainage cannot be negative"),
    "chainage_plus": ("{value!r} đọc là {km} km (km + mét)", "{value!r} read as {km} km (km + metres)"),
    "not_anchor": ("{value!r}: cần một số hiệu mốc, có thể kèm khoảng cách, như 62, 62(1), 62/1, 62+300 hoặc "
                   "mốc 62 - 150 m", "{value!r}: expected a marker id, optionally with a distance, such as 62, "
                   "62(1), 62/1, 62+300 or marker 62 - 150 m"),
    "anchor_minus_unit": ("{value!r}: dấu '-' không có đơn vị có thể là một dải mốc ({a} đến {b}); viết "
                          "'{a} - {b} m' nếu là khoảng cách, hoặc dùng hai cột Từ mốc/Đến mốc",
                          "{value!r}: a '-' without a unit may be a range of markers ({a} to {b}); write "
                          "'{a} - {b} m' for a distance, or use the from/to marker columns"),
    "anchor_offset": ("{value!r} đọc là mốc {marker} {sign} {dist} m dọc đường biên",
                      "{value!r} read as marker {marker} {sign} {dist} m along the border"),
    "stretch_from_description": ("đoạn tự quản lấy từ mô tả {text!r}: {start} đến {end}",
                                 "stretch taken from the description {text!r}: {start} to {end}"),
    "stretch_many": ("{value!r}: mô tả có nhiều đoạn ({n}); ghi mỗi đoạn một hàng hoặc điền các cột Từ/Đến",
                     "{value!r}: the description names {n} stretches; give one per row or fill the from/to "
                     "columns"),
    # categories
    "unknown_category": ("{value!r}: không phải {what} đã biết; chấp nhận: {accepted}",
                         "{value!r}: not a known {what}; expected one of: {accepted}"),
    "cat_kind": ("loại mốc", "marker kind"),
    "cat_side": ("bên (nước)", "side (country code)"),
    "cat_group_type": ("hình thức tự quản", "group type"),
    "implied_one": ("hình thức {group!r} không có số {what}: tính là 1 {what}",
                    "group type {group!r} with no {what} count: counted as one {what}"),
    # dates
    "not_date": ("{value!r}: không phải ngày; cần dạng 03/03/2024 (ngày/tháng/năm) hoặc 2024-03-03",
                 "{value!r}: not a date; expected a date such as 03/03/2024 (day/month/year) or 2024-03-03"),
    "bad_day_month": ("{value!r}: ngày hoặc tháng không hợp lệ (ngày viết trước tháng: ngày/tháng/năm)",
                      "{value!r}: invalid day or month; expected a date with the day first (day/month/year)"),
    "year_only": ("{value!r}: chỉ có năm; đọc là {date}", "{value!r}: a year only; read as {date}"),
    "year_only_refused": ("{value!r}: chỉ có năm; cần ngày đầy đủ (ngày/tháng/năm)",
                          "{value!r}: a year only; expected a date with day and month (day/month/year)"),
    "excel_serial": ("{value!r}: ô ngày là một số — Excel hiện ngày ở ô định dạng 'General' (Chung) thành số thứ tự "
                     "ngày: {value} là ngày {date}; định dạng cột là Ngày ('Date') hoặc gõ ngày dạng {date}",
                     "{value!r}: a number in a date column — Excel shows a date in a General-formatted cell as its "
                     "serial day number: {value} would be {date}; expected a date: format the column as Date or "
                     "type the date as {date}"),
    # marker ids
    "not_marker_id": ("{value!r}: cần số hiệu mốc như 62, 62(1), 62/1 hoặc 62/1(2)",
                      "{value!r}: expected a marker id such as 62, 62(1), 62/1 or 62/1(2)"),
    "marker_post": ("{value!r}: số cột trong ngoặc phải là 1, 2 hoặc 3",
                    "{value!r}: the post number must be 1, 2 or 3"),
    "marker_is_date": ("{value!r}: Excel đã đổi số hiệu mốc thành ngày (có lẽ là {guess!r}); định dạng cột số hiệu "
                       "mốc là Văn bản ('Text') rồi gõ lại",
                       "{value!r}: Excel turned the marker id into a date (probably {guess!r}); format the marker id "
                       "column as Text and type it again"),
    # headers
    "missing_columns": ("{source}thiếu cột bắt buộc: {missing}. Các cột đã đọc: {found}. Các cột cần có (tên "
                        "được chấp nhận): {expected}",
                        "{source}missing required column(s): {missing}. Columns found: {found}. Columns expected "
                        "(accepted names): {expected}"),
    "or": ("hoặc", "or"),
    "location": ("vị trí", "location"),
    "duplicate_header": ("các cột {headers} cùng là trường {field!r}; dùng cột {first!r}",
                         "columns {headers} are all field {field!r}; column {first!r} is used"),
    "ambiguous_header": ("cột {header!r} có thể là {fields}; đổi tên cột cho rõ",
                         "column {header!r} could be {fields}; rename it"),
    "unit_conflict": ("cột {header!r} ghi đơn vị {unit!r} nhưng trường {field!r} tính bằng {field_unit!r}; đổi giá "
                      "trị sang {field_unit} và sửa tên cột",
                      "column {header!r} says {unit!r} but field {field!r} is in {field_unit!r}; convert the "
                      "values to {field_unit} and rename the column"),
    "ascii_header": ("cột {header!r} (không dấu) đọc là trường {field!r}",
                     "column {header!r} (no diacritics) read as field {field!r}"),
    "no_header_row": ("{source}không tìm thấy hàng tiêu đề trong {n} hàng đầu; các cột cần có: {expected}",
                      "{source}no header row among the first {n} rows; columns expected: {expected}"),
    "header_row_found": ("hàng tiêu đề là hàng {number} ({matched} cột nhận ra){skipped}",
                         "header row is row {number} ({matched} columns recognised){skipped}"),
    "header_two_rows": ("; tiêu đề gồm hai hàng {number} và {next}", "; the header spans rows {number} and {next}"),
    "header_skipped": ("; bỏ qua {n} hàng phía trên", "; {n} row(s) above skipped"),
    "header_row_given": ("hàng tiêu đề là hàng {number} (do người dùng chỉ định)",
                         "header row is row {number} (as given)"),
    "header_row_out": ("header_row={number} nằm ngoài bảng ({n} hàng)", "header_row={number} is outside the table "
                       "({n} rows)"),
    "table_ends": ("bảng kết thúc ở hàng {last}: hàng {number} là hàng tiêu đề của bảng {other}",
                   "the table ends at row {last}: row {number} is the header of the {other} table"),
    "section_row": ("hàng {number}: {value!r} là dòng tiêu đề nhóm, không phải dữ liệu: bỏ qua",
                    "row {number}: {value!r} is a group heading, not data: skipped"),
    "total_row": ("hàng {number}: {value!r} là dòng tổng cộng, không tính là một dòng dữ liệu: bỏ qua",
                  "row {number}: {value!r} is a total row, not counted as a data row: skipped"),
    "merged_filled": ("ô gộp {ref} lấy giá trị {value!r} cho {n} ô", "merged cell {ref} gives {value!r} to {n} cells"),
    # axes
    "axis_magnitude": ("cột {x!r} là tung độ (Bắc, > 1.000.000 m) và {y!r} là hoành độ (Đông): X = Bắc theo quy "
                       "ước trắc địa Việt Nam", "column {x!r} is the northing (> 1,000,000 m) and {y!r} the easting: "
                       "X = north as Vietnamese surveying writes it"),
    "axis_magnitude_xy": ("cột {x!r} là hoành độ (Đông) và {y!r} là tung độ (Bắc, > 1.000.000 m)",
                          "column {x!r} is the easting and {y!r} the northing (> 1,000,000 m)"),
    "axis_forced": ("thứ tự trục do người dùng chỉ định: axis_order={order!r}",
                    "axis order given: axis_order={order!r}"),
    "axis_ambiguous": ("{source}không xác định được cột nào là Bắc từ độ lớn của {x!r}/{y!r} (cả hai dưới hoặc trên "
                       "1.000.000 m); cho biết axis_order='yx' (X = Bắc, cách viết trắc địa Việt Nam) hoặc 'xy' "
                       "(X = Đông)", "{source}cannot tell which of {x!r}/{y!r} is the northing from their magnitudes "
                       "(both under or both over 1,000,000 m); give axis_order='yx' (X = north, Vietnamese "
                       "surveying) or 'xy' (X = east)"),
    "axis_row_swapped": ("X={x!r}, Y={y!r} ngược thứ tự với các hàng khác ({order}); X và Y có bị đổi chỗ không?",
                         "X={x!r}, Y={y!r} are in the opposite order to the other rows ({order}); are X and Y "
                         "swapped?"),
    "bad_axis_order": ("axis_order phải là 'xy', 'yx' hoặc None, không phải {value!r}",
                       "axis_order must be 'xy', 'yx' or None, not {value!r}"),
    "outside_header": ("ô ở cột {n}, ngoài các cột có tiêu đề, không được đọc",
                       "cell in column {n}, right of the header, is not read"),
    "required_empty": ("thiếu giá trị của trường bắt buộc {field!r}", "the required field {field!r} is empty"),
}


def check_lang(lang: str) -> None:
    """Raise :class:`ValueError` unless ``lang`` is ``"vi"`` or ``"en"``."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")


def msg(key: str, lang: str = "vi", **kw: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``kw``.

    Examples
    --------
    >>> msg("negative_count", "en", value="-3")
    "'-3': a count cannot be negative; expected a whole number of 0 or more"
    """
    check_lang(lang)
    vi, en = _MESSAGES[key]
    return (vi if lang == "vi" else en).format(**kw)
