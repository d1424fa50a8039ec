"""Readable labels in Vietnamese (default for maps and reports) and English: column headers, figures of the
summary and categorical values (marker kinds, sides, severities), all reader-facing words in one table.

:func:`summary_rows` writes a coverage summary for a reader (labels and figures in the language, numbers through
:mod:`bien_gioi_geo.formatting`).

Uses (layer ``labels``): ``formatting``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["label", "LABELS", "CATEGORICAL", "VALUE_LABELS", "summary_rows", "translate_values", "MAP_TEXT",
           "CHANGE_MAP_TEXT", "PATROL_MAP_TEXT", "PATROL_HEADERS_VI"]

LABELS: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "figure": ("Chỉ tiêu", "Figure"),
    "as_of": ("Tính đến ngày", "As of"),
    "change": ("Thay đổi", "Change"),
    "value": ("Giá trị", "Value"),
    "covered_km": ("Chiều dài tự quản (km, đo trắc địa)", "Self-managed length (km, geodesic)"),
    "total_km": ("Tổng chiều dài đường biên (km, đo trắc địa)", "Border length (km, geodesic)"),
    "official_km": ("Chiều dài chính thức (km)", "Official length (km)"),
    "official_chainage_km": ("Lý trình chính thức (km)", "Official chainage (km)"),
    "official_covered_km": ("Chiều dài tự quản theo lý trình chính thức (km)", "Self-managed length, official (km)"),
    "percent": ("Tỷ lệ tự quản (%)", "Share self-managed (%)"),
    "gaps": ("Số đoạn chưa có tổ tự quản", "Gaps (stretches nobody looks after)"),
    "gap_km": ("Chiều dài chưa tự quản (km)", "Gap length (km)"),
    "overlaps": ("Số đoạn bị nhận trùng", "Overlaps (stretches claimed twice)"),
    "overlap_km": ("Chiều dài nhận trùng (km)", "Overlap length (km)"),
    "markers_total": ("Tổng số mốc", "Markers"),
    "marker_posts": ("Số cột mốc (kể cả mốc đôi, mốc ba)", "Marker posts"),
    "markers_by_kind": ("Mốc theo loại", "Markers by kind"),
    "markers_by_emplaced_by": ("Mốc theo bên cắm", "Markers by emplacing side"),
    "markers_self_managed": ("Số mốc được tự quản", "Markers self-managed"),
    "markers_unassigned": ("Số mốc chưa có người tự quản", "Markers with no carer"),
    "assignments": ("Số đăng ký tự quản", "Assignments"),
    "households": ("Số hộ", "Households"),
    "people": ("Số nhân khẩu", "People"),
    "collectives": ("Số tập thể", "Collectives"),
    "line_households": ("Số hộ tự quản đường biên", "Households looking after the line"),
    "line_people": ("Số nhân khẩu tự quản đường biên", "People looking after the line"),
    "marker_households": ("Số hộ tự quản cột mốc", "Households looking after markers"),
    "marker_people": ("Số nhân khẩu tự quản cột mốc", "People looking after markers"),
    "individuals": ("Số cá nhân", "Individuals"),
    "villages": ("Số bản", "Villages"),
    "communes": ("Số xã", "Communes"),
    "chainage": ("Cách tính lý trình", "How chainage is measured"),
    "single": ("mốc đơn", "single"),
    "double": ("mốc đôi", "double"),
    "triple": ("mốc ba", "triple"),
    "auxiliary": ("mốc phụ", "auxiliary"),
    "stake": ("cọc dấu", "stake"),
    "VN": ("Việt Nam", "Viet Nam"),
    "CN": ("Trung Quốc", "China"),
    "LA": ("Lào", "Laos"),
    "KH": ("Campuchia", "Cambodia"),
    "commune": ("Xã", "Commune"),
    "village": ("Bản", "Village"),
    "group_type": ("Hình thức tự quản", "Group type"),
    "assignment_id": ("Mã đăng ký", "Assignment"),
    "start_km": ("Từ km", "From km"),
    "end_km": ("Đến km", "To km"),
    "length_km": ("Chiều dài (km)", "Length (km)"),
    "official_length_km": ("Chiều dài chính thức (km)", "Official length (km)"),
    "marker_id": ("Cột mốc", "Marker post"),
    "kind": ("Loại mốc", "Kind"),
    "emplaced_by": ("Bên cắm mốc", "Emplaced by"),
    "carers": ("Người/tổ tự quản", "Looked after by"),
    "rule": ("Quy tắc", "Rule"),
    "severity": ("Mức độ", "Severity"),
    "message": ("Mô tả", "Message"),
    "border": ("Đường biên giới", "Border line"),
    "stretches": ("Đoạn tự quản", "Self-managed stretches"),
    "gap_layer": ("Đoạn chưa có tổ tự quản", "Gaps (nobody looks after)"),
    "overlap_layer": ("Đoạn nhận trùng", "Overlaps (claimed twice)"),
    "problem_layer": ("Lỗi dữ liệu", "Data problems"),
    "marker_layer": ("Cột mốc", "Markers"),
    "no_carer": ("chưa có người tự quản", "no carer"),
    "chainage_km": ("Lý trình (km)", "Chainage (km)"),
    "legend_title": ("Chú giải", "Legend"),
    "markers": ("Số mốc tự quản", "Markers looked after"),
    "official_start_km": ("Từ km (chính thức)", "From km (official)"),
    "official_end_km": ("Đến km (chính thức)", "To km (official)"),
    "from_marker_near": ("Gần mốc (đầu)", "Nearest marker (start)"),
    "to_marker_near": ("Gần mốc (cuối)", "Nearest marker (end)"),
    "assignment_ids": ("Các đăng ký", "Assignments"),
    "n_assignments": ("Số đăng ký", "Number of assignments"),
    "border_id": ("Tuyến biên giới", "Border"),
    "number": ("Số mốc", "Marker number"),
    "post": ("Cột", "Post"),
    "n_carers": ("Số tổ tự quản", "Number of carers"),
    "self_managed": ("Được tự quản", "Self-managed"),
    "offset_m": ("Lệch khỏi đường biên (m, + bên trái)", "Offset from the line (m, + left)"),
    "distance_m": ("Khoảng cách tới đường biên (m)", "Distance to the line (m)"),
    "side": ("Phía", "Side"),
    "district": ("Huyện", "District"),
    "province": ("Tỉnh", "Province"),
    "marker_ids": ("Các mốc", "Markers"),
    "stretch_by": ("Cách xác định đoạn", "Stretch given by"),
    "raw_start_km": ("Từ km (như khai)", "From km (as given)"),
    "raw_end_km": ("Đến km (như khai)", "To km (as given)"),
    "reversed": ("Ngược chiều", "Reversed"),
    "out_of_range_km": ("Vượt ra ngoài đường biên (km)", "Beyond the line (km)"),
    "unresolved": ("Không xác định được", "Unresolved"),
    "max_offset_m": ("Lệch tối đa (m)", "Largest offset (m)"),
    "mean_offset_m": ("Lệch trung bình (m)", "Mean offset (m)"),
    "commune_current": ("Xã/phường hiện nay (từ 01/7/2025)", "Current commune (since 1 July 2025)"),
    "province_current": ("Tỉnh hiện nay (từ 01/7/2025)", "Current province (since 1 July 2025)"),
    "commune_report": ("Xã/phường (theo thời kỳ hiệu lực)", "Commune (units of the row's time)"),
    "admin_status": ("Kết quả đối chiếu đơn vị hành chính", "Administrative unit match"),
    "admin_units": ("Đơn vị hành chính", "Administrative units"),
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "hint": ("Gợi ý xử lý", "Hint"),
    "where": ("Vị trí trong tệp (trang tính, hàng)", "Where in the file (sheet, row)"),
    "valid_from": ("Có hiệu lực từ", "Valid from"),
    "valid_to": ("Hết hiệu lực từ", "Valid until"),
    "group": ("Nhóm", "Group"),
    "triggered_by": ("Khi nào báo", "Triggered by"),
    "min_length_m": ("Chiều dài tối thiểu được tính (m)", "Minimum length counted (m)"),
    "left": ("trái", "left"),
    "right": ("phải", "right"),
    "on_line": ("trên đường biên", "on the line"),
    "cli_problems": ("{n} vấn đề: {errors} lỗi, {warnings} cảnh báo",
                     "{n} problem(s): {errors} error(s), {warnings} warning(s)"),
    "cli_written_to": ("đã ghi vào {folder}/: {files}", "written to {folder}/: {files}"),
    "note_no_assignments": ("Bộ dữ liệu không có đăng ký tự quản nào: toàn tuyến là đoạn chưa tự quản.",
                            "The dataset has no assignments: the whole border is a gap."),
    "note_no_markers": ("Bộ dữ liệu không có mốc nào: không có số liệu về mốc.",
                        "The dataset has no markers: there are no marker figures."),
    # columns of the data tables as read (report.xlsx's assignments and markers sheets)
    "from_marker": ("Từ mốc", "From marker"),
    "to_marker": ("Đến mốc", "To marker"),
    "start_km_given": ("Từ km (như ghi)", "From km (as written)"),
    "end_km_given": ("Đến km (như ghi)", "To km (as written)"),
    "from_offset_m": ("Cách mốc đầu (m)", "Offset from the first marker (m)"),
    "to_offset_m": ("Cách mốc cuối (m)", "Offset from the last marker (m)"),
    "stretch_forms": ("Các cách ghi đoạn", "Stretch given as"),
    "stretch_from": ("Đoạn lấy từ cột", "Stretch read from"),
    "declared_km": ("Chiều dài ghi trong sổ (km)", "Declared length (km)"),
    "source_row": ("Hàng trong tệp", "Row in the file"),
    "station": ("Đồn biên phòng", "Border post"),
    "notes": ("Ghi chú", "Notes"),
    "description": ("Mô tả", "Description"),
    "commune_code": ("Mã xã", "Commune code"),
    "main_number": ("Số hiệu chính", "Main number"),
    "aux": ("Số mốc phụ", "Auxiliary number"),
    "elevation_m": ("Độ cao (m)", "Elevation (m)"),
    "condition": ("Tình trạng", "Condition"),
    "last_inspected": ("Ngày kiểm tra", "Last inspected"),
    "ambiguous": ("Lý trình không chắc chắn", "Chainage ambiguous"),
    "alt_chainage_km": ("Lý trình khả dĩ khác (km)", "Alternative chainage (km)"),
    "marker_key": ("Mã mốc", "Marker"),
    "lat": ("Vĩ độ", "Latitude"),
    "lon": ("Kinh độ", "Longitude"),
    "easting": ("Hoành độ (m)", "Easting (m)"),
    "northing": ("Tung độ (m)", "Northing (m)"),
}

#: Words of the coverage map and its runtime (:mod:`bien_gioi_geo.maps.legend`), key: (vi, en)
MAP_TEXT: dict[str, tuple[str, str]] = {
    "official": ("chính thức", "official"),
    "problem_line": ("Đoạn có lỗi dữ liệu", "Stretch with a data problem"),
    "problem_point": ("Điểm có lỗi dữ liệu", "Place with a data problem"),
    "no_problem": ("không có lỗi nào có vị trí trên bản đồ", "no problem with a place on the map"),
    "marker_number": ("Số hiệu mốc (khi phóng to)", "Marker number (when zoomed in)"),
    "as_of_day": ("tính đến ngày", "as of"),
    "covered": ("Đã tự quản", "Self-managed"),
    "search": ("Tìm số mốc…", "Find marker…"),
    "not_found": ("Không có mốc này", "No such marker"),
    "measure": ("Đo khoảng cách", "Measure"),
    "click": ("bấm lên bản đồ", "click on the map"),
    "fullscreen": ("Toàn màn hình", "Full screen"),
    "line_group": ("Đường biên và độ phủ", "Border and cover"),
    "map": ("Bản đồ tự quản đường biên, mốc quốc giới", "Self-management of the border line and markers"),
}

#: Words of the change map and the timeline chart (:mod:`bien_gioi_geo.maps.change_map`), key: (vi, en)
CHANGE_MAP_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Thay đổi đoạn biên giới được tự quản", "Change in self-managed stretches"),
    "gained": ("Đoạn mới được tự quản", "Stretches gained"),
    "lost": ("Đoạn không còn được tự quản", "Stretches lost"),
    "unchanged": ("Đoạn tự quản ở cả hai thời điểm", "Self-managed on both dates"),
    "border": ("Đường biên giới", "Border line"),
    "found": ("Mốc có người tự quản mới", "Markers that found a carer"),
    "lost_m": ("Mốc không còn người tự quản", "Markers that lost their carer"),
    "marker": ("Mốc", "Marker"),
    "by": ("Tổ tự quản", "Groups"),
    "commune": ("Xã", "Commune"),
    "km": ("km", "km"),
    "year": ("Năm", "Year"),
    "covered": ("Chiều dài tự quản (km)", "Self-managed length (km)"),
    "markers": ("Số mốc được tự quản", "Markers self-managed"),
    "chart_title": ("Tự quản đường biên, mốc quốc giới theo thời gian", "Self-management of the border over time"),
}

#: Words of the patrol map (:mod:`bien_gioi_geo.maps.patrol_map`), per language
PATROL_MAP_TEXT: dict[str, dict[str, str]] = {
    "vi": {"title": "Số ngày từ lần tuần tra gần nhất", "as_of": "tính đến", "never": "Chưa tuần tra",
           "le": "≤ {n} ngày", "gt": "> {n} ngày", "layer": "Tuần tra: số ngày từ lần gần nhất",
           "tracks": "Vết GPS (đã giản lược)", "km": "km", "days": "ngày", "track": "Chuyến"},
    "en": {"title": "Days since the last patrol", "as_of": "as of", "never": "Never patrolled",
           "le": "≤ {n} days", "gt": "> {n} days", "layer": "Patrols: days since the last visit",
           "tracks": "GPS tracks (simplified)", "km": "km", "days": "days", "track": "Track"},
}

#: Vietnamese headers of the patrol tables (:mod:`bien_gioi_geo.report_patrols`; keys stay English in code)
PATROL_HEADERS_VI: dict[str, str] = {
    "visit_id": "Lượt", "track_id": "Chuyến/thiết bị", "border_id": "Tuyến biên giới", "start_km": "Từ km",
    "end_km": "Đến km", "length_km": "Chiều dài (km)", "official_start_km": "Từ km (chính thức)",
    "official_end_km": "Đến km (chính thức)", "official_length_km": "Chiều dài chính thức (km)",
    "start_time": "Bắt đầu", "end_time": "Kết thúc", "n_fixes": "Số điểm GPS", "first_row": "Dòng đầu",
    "last_row": "Dòng cuối", "last_visit": "Lần tuần tra gần nhất", "days_since": "Số ngày",
    "visits_in_window": "Số lượt trong kỳ", "last_track_id": "Chuyến gần nhất",
    "from_marker_near": "Gần mốc (đầu)", "to_marker_near": "Gần mốc (cuối)", "n_visits": "Số lượt",
    "n_tracks": "Số chuyến", "covered_km": "Đã tuần tra (km)", "first_visit": "Lượt đầu",
    "assignment_id": "Mã phân công", "registered_km": "Đăng ký (km)", "patrolled_km": "Đã tuần tra (km)",
    "percent": "Tỷ lệ (%)", "source": "Tệp", "row": "Dòng", "field": "Trường", "value": "Giá trị",
    "message": "Nội dung",
}

#: Values of categorical columns whose words are not shared by every column (``markers`` is a way to give a
#: stretch in ``stretch_by``, a header elsewhere): ``{column: {value: (vi, en)}}``.
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "group_type": {"household": ("hộ gia đình", "household"), "collective": ("tập thể", "collective"),
                   "individual": ("cá nhân", "individual"), "group": ("tổ tự quản", "group")},
    "stretch_by": {"markers": ("theo mốc", "by markers"), "chainage": ("theo lý trình (km)", "by chainage"),
                   "line": ("theo đường vẽ", "drawn line"), "none": ("chưa xác định", "none")},
    "stretch_from": {"description": ("cột Mô tả", "description column"), "notes": ("cột Ghi chú", "notes column")},
}
#: A column keeping the text as typed where the reader rewrote it (``kind_typed``) is labelled by its field.
_TYPED = ("_typed", " (nguyên văn)", " (as typed)")

#: Columns whose values are words a reader sees translated (``single`` → ``mốc đơn``, ``VN`` → ``Việt Nam``).
CATEGORICAL = ("kind", "emplaced_by", "severity", "side")


def label(key: str, lang: str = "vi") -> str:
    """The label of ``key`` in ``lang`` (``"vi"`` or ``"en"``); unknown keys are returned as they are."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    pair = LABELS.get(key)
    if pair is None and key.endswith(_TYPED[0]) and key[: -len(_TYPED[0])] in LABELS:
        base = LABELS[key[: -len(_TYPED[0])]]
        pair = (base[0] + _TYPED[1], base[1] + _TYPED[2])
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]


def dataset_title(meta: Mapping[str, Any], lang: str = "vi") -> str | None:
    """A dataset's title in ``lang``: ``dataset.json``'s ``title`` (Vietnamese), or its ``title_en`` with
    ``lang="en"`` when there is one.

    >>> dataset_title({"title": "Phong Thổ – tự quản", "title_en": "Phong Thổ – self-management"}, "en")
    'Phong Thổ – self-management'
    """
    label("title", lang)  # checks lang
    title = meta.get("title_en") if lang == "en" and meta.get("title_en") else meta.get("title")
    return str(title) if title else None


def translate_values(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A copy of ``df`` with the values of its :data:`CATEGORICAL` columns written in ``lang``."""
    out = df.copy()
    for c in CATEGORICAL:
        if c in out.columns:
            out[c] = out[c].map(lambda v: label(v, lang) if isinstance(v, str) else v)
    k = 0 if lang == "vi" else 1
    for c, words in VALUE_LABELS.items():
        if c in out.columns:
            out[c] = out[c].map(lambda v, w=words: w[v][k] if isinstance(v, str) and v in w else v)
    if "stretch_forms" in out.columns:  # "markers,chainage"
        words = VALUE_LABELS["stretch_by"]
        out["stretch_forms"] = out["stretch_forms"].map(
            lambda v: ", ".join(words[f][k] if f in words else f for f in v.split(",") if f)
            if isinstance(v, str) else v)
    return out


def _figure(key: str, value: Any, lang: str) -> Any:
    from .formatting import format_count, format_date, format_km, format_percent

    if value is None:
        return "–"
    if isinstance(value, Mapping):
        return ", ".join(f"{label(str(k), lang)} {_figure('n', v, lang)}" for k, v in value.items())
    if key == "as_of":
        return format_date(value, lang=lang)
    if key == "percent":
        return format_percent(value, decimals=1, lang=lang)
    if key == "chainage" and lang == "vi" and isinstance(value, str):
        return chainage_note_vi(value)
    if key.endswith("_km"):
        return format_km(value, lang=lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_count(value, lang=lang)
    return value


_NOTE_VI = [
    (re.compile(r"chainage_km: geodesic on WGS 84 along the drawn line \((?P<km>[0-9.]+) km\)"),
     "lý trình: đo theo đường trắc địa trên ellipsoid WGS 84 dọc đường biên giới đã vẽ ({km} km)"),
    (re.compile(r"official_km: calibrated piecewise-linearly from (?P<src>.*) \((?P<n>\d+) control points\)"),
     "lý trình chính thức: hiệu chỉnh tuyến tính từng đoạn theo {src} ({n} điểm khống chế)"),
]


#: Where a calibration's control points came from (``Calibration.source``), in Vietnamese.
_SOURCE_VI = {"official length": "chiều dài chính thức", "control points": "các điểm khống chế"}


def chainage_note_vi(note: str) -> str:
    """The borders' note of how chainage is measured (:attr:`Border.chainage_note`), in Vietnamese.

    >>> chainage_note_vi("chainage_km: geodesic on WGS 84 along the drawn line (97.229 km)")
    'lý trình: đo theo đường trắc địa trên ellipsoid WGS 84 dọc đường biên giới đã vẽ (97,229 km)'
    >>> chainage_note_vi("official_km: calibrated piecewise-linearly from official length (2 control points)")
    'lý trình chính thức: hiệu chỉnh tuyến tính từng đoạn theo chiều dài chính thức (2 điểm khống chế)'
    """
    from .formatting import format_km

    out = []
    for part in note.split("; "):
        for pattern, vi in _NOTE_VI:
            m = pattern.fullmatch(part)
            if m is not None:
                kw = m.groupdict()
                if "km" in kw:
                    kw["km"] = format_km(float(kw["km"]), lang="vi")
                if "src" in kw:
                    kw["src"] = _SOURCE_VI.get(kw["src"], kw["src"])
                part = vi.format(**kw)
                break
        out.append(part)
    return "; ".join(out)


def summary_rows(summary: Mapping[str, Any], *, lang: str = "vi") -> pd.DataFrame:
    """A summary (:meth:`Coverage.summary <bien_gioi_geo.analysis.coverage.Coverage.summary>`) as a two-column table of
    text: labels and figures in ``lang`` (``97,229`` km, ``16.010`` households in Vietnamese).

    >>> t = summary_rows({"covered_km": 97.22949, "households": 16010, "markers_by_kind": {"double": 2}})
    >>> t["Giá trị"].tolist()
    ['97,229', '16.010', 'mốc đôi 2']
    >>> summary_rows({"households": 16010}, lang="en").values.tolist()
    [['Households', '16,010']]
    """
    from .formatting import check_lang

    check_lang(lang)
    return pd.DataFrame([{label("figure", lang): label(k, lang), label("value", lang): _figure(k, v, lang)}
                         for k, v in summary.items()])
