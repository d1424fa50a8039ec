"""The fixed text of the printed map and the Word report, in Vietnamese (default) and English.

Figures are never written here: they are formatted by :mod:`bien_gioi_geo.formatting` and put into these
templates with :meth:`str.format` (named fields only; data text is a value, never a template).

Uses (layer ``printing``): ``formatting``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..formatting import check_lang

__all__ = ["TEXT", "text", "page_text"]

TEXT: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "map_title": ("SƠ ĐỒ TỰ QUẢN ĐƯỜNG BIÊN GIỚI, CỘT MỐC", "SELF-MANAGEMENT OF THE BORDER LINE AND MARKERS"),
    "where_district": ("huyện {district}, tỉnh {province}", "{district} district, {province} province"),
    "border": ("Tuyến biên giới: {names}", "Border: {names}"),
    "as_of": ("Số liệu tính đến ngày {date}", "Figures as of {date}"),
    "made_on": ("Ngày lập: {date}", "Made on {date}"),
    "prepared_by": ("Người lập: {who}", "Prepared by: {who}"),
    "prepared_blank": ("Người lập: ……………………………", "Prepared by: ……………………………"),
    "lengths": ("Chiều dài đo trắc địa theo đường vẽ: {measured} km; chiều dài chính thức: {official} km",
                "Geodesic length of the drawn line: {measured} km; official length: {official} km"),
    "lengths_measured": ("Chiều dài đo trắc địa theo đường vẽ: {measured} km",
                         "Geodesic length of the drawn line: {measured} km"),
    "utm": ("UTM múi {zone}", "UTM zone {zone}"),
    "legend": ("CHÚ GIẢI", "LEGEND"),
    "leg_line": ("Đường biên giới", "Border line"),
    "leg_communes": ("Đoạn tự quản theo xã", "Self-managed stretches by commune"),
    "leg_gap": ("Đoạn chưa có tổ tự quản", "Gap (nobody looks after it)"),
    "leg_overlap": ("Đoạn nhận trùng", "Overlap (claimed twice)"),
    "leg_kinds": ("Cột mốc theo loại", "Markers by kind"),
    "leg_sides": ("Bên cắm mốc", "Emplaced by"),
    "leg_labels": ("Số hiệu mốc (không ghi {n} số vì chật)", "Marker number ({n} left out where crowded)"),
    "leg_labels_all": ("Số hiệu mốc", "Marker number"),
    "scale": ("Tỷ lệ {scale}", "Scale {scale}"),
    "scale_paper": ("khi in khổ {paper}", "printed on {paper}"),
    "km": ("km", "km"),
    "north": ("B", "N"),
    "projection": ("Lưới chiếu {name} ({epsg}), hệ WGS 84; tọa độ ở khung là kinh độ, vĩ độ.",
                   "Projection {name} ({epsg}), WGS 84; frame coordinates are longitude and latitude."),
    "src_osm": ("Đường biên giới: dữ liệu © những người đóng góp OpenStreetMap, giấy phép ODbL 1.0.",
                "Border line: data © OpenStreetMap contributors, licence ODbL 1.0."),
    "src_line": ("Đường biên giới: {source}", "Border line: {source}"),
    "src_illustrative": ("Mốc và đoạn tự quản: DỮ LIỆU MINH HỌA, không phải vị trí thật.",
                         "Markers and stretches: ILLUSTRATIVE DATA, not the real positions."),
    "src_basemap": ("Nền: {source}", "Basemap: {source}"),
    "report_title": ("BÁO CÁO KẾT QUẢ TỰ QUẢN ĐƯỜNG BIÊN GIỚI, CỘT MỐC QUỐC GIỚI",
                     "REPORT ON THE SELF-MANAGEMENT OF THE BORDER LINE AND MARKERS"),
    "fig_map": ("Sơ đồ tự quản đường biên giới, cột mốc", "Map of the self-managed border line and markers"),
    "tbl_by_commune": ("Bảng 1. Kết quả tự quản theo xã", "Table 1. Self-management by commune"),
    "tbl_gaps": ("Bảng 2. Các đoạn chưa có tổ tự quản ({n} đoạn)", "Table 2. Gaps: stretches nobody looks after ({n})"),
    "tbl_overlaps": ("Bảng 3. Các đoạn nhận trùng ({n} đoạn)", "Table 3. Overlaps: stretches claimed twice ({n})"),
    "tbl_markers_unassigned": ("Bảng 4. Cột mốc chưa có người tự quản ({n} cột)",
                               "Table 4. Marker posts with no carer ({n})"),
    "tbl_problems": ("Bảng 5. Lỗi và cảnh báo về dữ liệu ({n})", "Table 5. Data errors and warnings ({n})"),
    "none": ("Không có.", "None."),
    "and": (" và ", " and "),
    "sum_place": ("Khu vực", "The area"),
    "sum_head": ("{place} có đường biên giới{neighbours} dài {length} km",
                 "{place} has a border{neighbours} {length} km long"),
    "sum_neighbours": (" tiếp giáp với {names}", " with {names}"),
    "sum_measured": (" (đo trắc địa theo đường vẽ: {measured} km)",
                     " (geodesic length of the drawn line: {measured} km)"),
    "sum_markers": (", với {n} cột mốc", ", with {n} markers"),
    "sum_kinds": (", trong đó ", ": "),
    "sum_side": ("{side} cắm {n} mốc", "{side} emplaced {n}"),
    "sum_self": (". Đến nay, đã có {collectives} tập thể và {individuals} cá nhân tham gia tự quản {km} km đường biên, "
                 "{markers} mốc quốc giới, với {households} hộ/{people} khẩu của {villages} bản thuộc {communes} xã",
                 ". To date, {collectives} collectives and {individuals} individuals take part in self-managing "
                 "{km} km of the border line and {markers} markers, with {households} households ({people} people) of "
                 "{villages} villages in {communes} communes"),
    "sum_gaps": ("; còn {n} đoạn dài {km} km (đo trắc địa) chưa có tổ tự quản",
                 "; {n} stretches, {km} km (geodesic), have no group yet"),
    "sum_unassigned": ("; {n} mốc chưa có người tự quản", "; {n} markers have no carer"),
    "official_chainage": ("Lý trình chính thức (km)", "Official chainage (km)"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "sev_error": ("lỗi", "error"),
    "sev_warning": ("cảnh báo", "warning"),
    "method_title": ("Ghi chú về phương pháp", "Note on method"),
    "method_official": (
        "Chiều dài đo là chiều dài trắc địa trên elipxoit WGS 84 theo đường biên giới đã số hóa ({measured} km); "
        "chiều dài chính thức ({official} km) là số liệu công bố. Lý trình đo được quy đổi sang lý trình chính "
        "thức bằng nội suy tuyến tính từng đoạn, vì vậy các chiều dài trong báo cáo được ghi cả hai loại. Chiều dài "
        "tự quản là độ dài phần hợp của các đoạn tự quản trên lý trình ({covered} km đo trắc địa): đoạn do hai tổ "
        "cùng nhận chỉ tính một lần, không cộng dồn chiều dài các đoạn.",
        "Measured length is the geodesic length on the WGS 84 ellipsoid along the digitised border line "
        "({measured} km); the official length ({official} km) is the published figure. Measured chainage is mapped "
        "onto official chainage piecewise-linearly, so the report gives both. Self-managed length is the length of "
        "the union of the stretches on chainage ({covered} km geodesic): a stretch claimed by two groups counts "
        "once; it is not the sum of the stretches' lengths."),
    "method_measured": (
        "Chiều dài là chiều dài trắc địa trên elipxoit WGS 84 theo đường biên giới đã số hóa ({measured} km); "
        "chưa có chiều dài chính thức để quy đổi. Chiều dài tự quản là độ dài phần hợp của các đoạn tự quản trên "
        "lý trình ({covered} km): đoạn do hai tổ cùng nhận chỉ tính một lần, không cộng dồn chiều dài các đoạn.",
        "Lengths are geodesic on the WGS 84 ellipsoid along the digitised border line ({measured} km); no official "
        "length is given to calibrate against. Self-managed length is the length of the union of the stretches on "
        "chainage ({covered} km): a stretch claimed by two groups counts once; it is not the sum of the lengths."),
    "east": ("Đ", "E"),
    "west": ("T", "W"),
    "northern": ("B", "N"),
    # the comparison paragraph of the Word report (report --compare D1 D2): see .change_section
    "chg_title": ("Thay đổi từ ngày {d0} đến ngày {d1}", "Change from {d0} to {d1}"),
    "chg_km": ("So với ngày {d0}, đến ngày {d1} chiều dài đường biên được tự quản tăng {gained} km, giảm {lost} km, "
               "thay đổi thuần {net} km ({before} km → {after} km)",
               "From {d0} to {d1} the self-managed length of the border gained {gained} km and lost {lost} km, "
               "a net change of {net} km ({before} km → {after} km)"),
    "chg_found": ("; {n} mốc có người tự quản mới ({ids})", "; {n} markers found a carer ({ids})"),
    "chg_lost": ("; {n} mốc không còn người tự quản ({ids})", "; {n} markers lost their carer ({ids})"),
    "chg_no_markers": ("; không có mốc nào thay đổi người tự quản", "; no marker found or lost a carer"),
    "chg_joined": ("; {n} đăng ký tự quản mới ({ids})", "; {n} assignments joined ({ids})"),
    "chg_left": ("; {n} đăng ký thôi tự quản ({ids})", "; {n} assignments left ({ids})"),
    "southern": ("N", "S"),
    "ids_more": (" và {n} khác", " and {n} more"),  # ids listed, then the rest counted
}


def text(key: str, lang: str = "vi", **values: object) -> str:
    """The fixed text ``key`` in ``lang``, with ``values`` put into its named fields.

    >>> text("scale", "vi", scale="1:100.000")
    'Tỷ lệ 1:100.000'
    """
    vi, en = TEXT[key]
    template = vi if check_lang(lang) == "vi" else en
    return template.format(**values) if values else template


def page_text(s: Any) -> str:
    """Text from data as the page shows it: NFC, white space as a space, and control, format, private-use and
    unassigned code points (no font draws them; a bidi override would reorder the page) as U+FFFD.
    """
    text = unicodedata.normalize("NFC", str(s))
    return "".join(" " if ch.isspace() else "\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in text)
