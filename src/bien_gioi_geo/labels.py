"""Readable labels in Vietnamese (default for maps and reports) and English."""

from __future__ import annotations

__all__ = ["label", "LABELS"]

LABELS: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "figure": ("Chỉ tiêu", "Figure"),
    "value": ("Giá trị", "Value"),
    "covered_km": ("Chiều dài tự quản (km, đo trắc địa)", "Self-managed length (km, geodesic)"),
    "total_km": ("Tổng chiều dài đường biên (km, đo trắc địa)", "Border length (km, geodesic)"),
    "official_km": ("Chiều dài chính thức (km)", "Official length (km)"),
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
}


def label(key: str, lang: str = "vi") -> str:
    """The label of ``key`` in ``lang`` (``"vi"`` or ``"en"``); unknown keys are returned as they are."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]
