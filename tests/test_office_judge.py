"""An office workbook kept the way a district office keeps it, read end to end (issue #13's held-out test).

The workbook is built here with openpyxl from the bundled Phong Thổ line and markers: a two-line merged title, a
blank row, headers with line breaks and units, a ``TT``/``STT`` serial column, sub-header rows between communes
(``I. Xã Sì Lở Lầu``), a ``Tổng cộng`` total row, DMS with B/Đ and decimal commas, VN-2000 X/Y with thousands dots
in the Vietnamese order, dates in four spellings, a hidden column, an unknown column, a commune merged down its
villages, ``Km a+b`` chainages, marker-anchored offsets, a stretch in a description, and planted mistakes.

Expectations are independent of the library: positions are the surveyed WGS 84 points (VN-2000 values made with
pyproj), chainages are computed here by projecting each post on the line's segments and summing geodesic lengths
(pyproj.Geod), covered km by a union of intervals written here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")
pyproj = pytest.importorskip("pyproj")

import bien_gioi_geo as bg  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "geojson" / "phong_tho"
GEOD = pyproj.Geod(ellps="WGS84")
TO_VN2000 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:9205", always_xy=True)
NFD = "NFD"

#: The posts used (surveyed WGS 84 positions from the bundled sample).
POSTS = ["33(1)", "33(2)", "33(3)", "34", "35", "36", "37(1)", "37(2)", "38(1)", "38(2)", "39(1)", "39(2)",
         "39(3)", "40", "41(1)", "41(2)", "42", "43(1)", "43(2)", "44", "45", "45/1"]
KIND_VI = {"triple": "mốc ba", "double": "Mốc đôi", "single": "mốc đơn", "auxiliary": "mốc phụ"}
SIDE_VI = {"CN": "Trung Quốc", "VN": "Việt Nam"}


def _line() -> list[tuple[float, float]]:
    d = json.loads((DATA / "border.geojson").read_text(encoding="utf-8"))
    return [tuple(c) for c in d["features"][0]["geometry"]["coordinates"]]


def _posts() -> dict[str, dict]:
    d = json.loads((DATA / "markers.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["marker_id"]: {**f["properties"], "lon": f["geometry"]["coordinates"][0],
                                          "lat": f["geometry"]["coordinates"][1]}
            for f in d["features"] if f["properties"]["marker_id"] in POSTS}


def _chainage_km(line: list[tuple[float, float]], lon: float, lat: float) -> float:
    """Chainage of the foot of the point on the nearest segment (local flat metric), geodesic along the line."""
    k = math.cos(math.radians(lat))
    best = (math.inf, 0, 0.0)
    for i in range(len(line) - 1):
        (x0, y0), (x1, y1) = line[i], line[i + 1]
        ax, ay, bx, by = (x0 - lon) * k, y0 - lat, (x1 - lon) * k, y1 - lat
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
        d2 = (ax + t * dx) ** 2 + (ay + t * dy) ** 2
        if d2 < best[0]:
            best = (d2, i, t)
    _, i, t = best
    before = sum(GEOD.inv(*line[j], *line[j + 1])[2] for j in range(i))
    (x0, y0), (x1, y1) = line[i], line[i + 1]
    foot = (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
    return (before + GEOD.inv(x0, y0, *foot)[2]) / 1000


def _union_km(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, -math.inf
    for a, b in sorted((min(p), max(p)) for p in intervals):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _dms(value: float, pos: str, neg: str) -> str:
    """``22°30'15,52"B``: degrees, minutes, seconds with a decimal comma and a Vietnamese hemisphere letter."""
    letter = pos if value >= 0 else neg
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 3)
    if s >= 60:
        m, s = m + 1, s - 60
    return f"{d}°{m:02d}'{s:06.3f}\"{letter}".replace(".", ",")


def _dotted(value: float) -> str:
    """``2.493.512,35``: thousands dots, decimal comma, as Vietnamese surveyors type it."""
    whole, frac = f"{value:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ".".join(groups) + "," + frac


def _title(ws, lines: list[str], width: int) -> None:
    for r, text in enumerate(lines, start=1):
        ws.cell(r, 1, text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)


def _mean_chainage(line, posts, mid: str) -> float:
    ps = [p for k, p in posts.items() if k == mid or k.startswith(mid + "(")]
    return sum(_chainage_km(line, p["lon"], p["lat"]) for p in ps) / len(ps)


MARKER_HEADER = ["TT", "Số hiệu\nmốc", "Loại mốc", "Bên cắm mốc", "Vĩ độ", "Kinh độ", "Độ cao (m)",
                 "Ngày kiểm tra", "Người kiểm tra", "Ghi chú"]
DATES = ["15/3/2020", "15-03-2020", "15.03.2020", dt.datetime(2020, 3, 15)]
FIRST_COMMUNE = POSTS[:13]  # 33(1)…39(3) under "I. Xã Sì Lở Lầu", the rest under "II. Xã Ma Ly Pho"


def _marker_sheet(ws, posts: dict[str, dict]) -> dict[str, int]:
    """Fill the markers sheet; return the Excel row of each planted mistake."""
    _title(ws, ["UBND HUYỆN PHONG THỔ", "SỔ THEO DÕI CỘT MỐC BIÊN GIỚI QUỐC GIA NĂM 2024"], len(MARKER_HEADER))
    ws.append([])
    ws.append(MARKER_HEADER)
    ws.column_dimensions["I"].hidden = True
    planted: dict[str, int] = {}

    def group(title: str) -> None:
        ws.append([title])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(MARKER_HEADER))

    group("I. Xã Sì Lở Lầu")
    for n, mid in enumerate(POSTS, start=1):
        p = posts[mid]
        if n % 3 == 0:  # DMS, Vietnamese hemisphere letters, decimal comma
            lat, lon = _dms(p["lat"], "B", "N"), _dms(p["lon"], "Đ", "T")
        elif n % 3 == 1:  # decimal degrees typed as text with a decimal comma
            lat, lon = f"{p['lat']:.7f}".replace(".", ","), f" {p['lon']:.7f} ".replace(".", ",")
        else:
            lat, lon = p["lat"], p["lon"]
        kind = KIND_VI[p["kind"]]
        kind = unicodedata.normalize(NFD, kind) if n % 2 else kind
        side = SIDE_VI[p["emplaced_by"]]
        side = unicodedata.normalize(NFD, side) if n % 4 == 0 else side
        elev = "1 234,5" if n % 5 == 0 else 850 + n
        if mid == "42":  # planted: latitude and longitude typed in each other's column
            lat, lon = lon, lat
            planted["swapped"] = ws.max_row + 1
        ws.append([n, mid, kind, side, lat, lon, elev, DATES[n % 4], "Lò Văn A", None])
        if mid == FIRST_COMMUNE[-1]:
            group("II. Xã Ma Ly Pho")
    p = posts["36"]  # planted: marker 36 typed twice
    ws.append([len(POSTS) + 1, "36", "mốc đơn", "Việt Nam", p["lat"], p["lon"], 900, "15/3/2020", None,
               "nhập trùng"])
    planted["duplicate"] = ws.max_row
    p = posts["44"]  # planted: "22/1" turned into a date by Excel
    ws.append([len(POSTS) + 2, dt.datetime(2024, 1, 22), "mốc phụ", "Việt Nam", p["lat"], p["lon"] + 0.001, 900,
               "15/3/2020", None, None])
    planted["date_id"] = ws.max_row
    ws.append(["Tổng cộng", f"{len(POSTS)} cột mốc"])
    planted["total"] = ws.max_row
    return planted


ASSIGN_HEADER = ["STT", "Mã tổ", "Xã", "Thôn, bản", "Hình thức\ntự quản", "Số hộ", "Số nhân khẩu", "Từ mốc",
                 "Đến mốc", "Từ km", "Đến km", "Chiều dài (km)", "Từ ngày", "Ghi chú", "Số điện thoại tổ trưởng"]


def _assignment_sheet(ws) -> dict[str, int]:
    _title(ws, ["UBND HUYỆN PHONG THỔ", "DANH SÁCH TỔ TỰ QUẢN ĐƯỜNG BIÊN, MỐC QUỐC GIỚI"], len(ASSIGN_HEADER))
    ws.append([])
    ws.append(ASSIGN_HEADER)
    planted: dict[str, int] = {}
    ws.append(["I. Xã Sì Lở Lầu"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(ASSIGN_HEADER))
    first = ws.max_row + 1
    hgd = unicodedata.normalize(NFD, "Hộ gia đình")
    ws.append([1, "TT-01", "Sì Lở Lầu", "Bản Sì Lở Lầu", hgd, "12", "1.050", "33", "35", None, None, None,
               "15/3/2020", None, "0912 345 678"])
    ws.append([2, "TT-02", None, "Bản Lầu Sáu Chải", "hộ gia đình", 8, " 32 ", None, None, "Km 1+200", "K2+800,5",
               "1,6005", "15-03-2020", None, None])
    ws.append([3, "TT-03", None, "Bản Vàng Ma Chải", "Tập thể", "1", "45", "mốc 36 + 300 m", "38 - 150m", None, None,
               None, dt.datetime(2020, 3, 15), None, None])
    ws.merge_cells(start_row=first, start_column=3, end_row=ws.max_row, end_column=3)
    ws.append(["II. Xã Ma Ly Pho"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(ASSIGN_HEADER))
    ws.append([4, "TT-04", "Ma Ly Pho", "Bản Ma Ly Pho", "tập thể", "20", "80", None, None, None, None, None,
               "15.03.2020", "Tổ tự quản từ mốc 40 đến mốc 42", None])
    planted["description"] = ws.max_row
    ws.append([5, "TT-05", "Ma Ly Pho", "Bản Hoang Thèn", "hộ gia đình", "16.010", "59.848", None, None, None, None,
               None, "15/3/2020", "Tự quản từ km 20,5 đến km 22,25", None])
    ws.append([6, "TT-06", "Ma Ly Pho", "Bản Nậm Cáy", "cá nhân", "2,5", "3", "43", "44", None, None, None,
               "15/3/2020", None, None])
    planted["fraction"] = ws.max_row
    ws.append([7, "TT-07", "Ma Ly Pho", "Bản Nậm Cáy", "cá nhân", "1", "4", "44", "99", None, None, None,
               "15/3/2020", None, None])
    planted["unknown_marker"] = ws.max_row
    ws.append([8, "TT-05", "Ma Ly Pho", "Bản Hoang Thèn", "hộ gia đình", "16.010", "59.848", None, None, None, None,
               None, "15/3/2020", "Tự quản từ km 20,5 đến km 22,25", None])  # its serial number differs
    planted["duplicate"] = ws.max_row
    ws.append(["Tổng cộng", None, None, None, None, 16051, "61.062"])
    planted["total"] = ws.max_row
    return planted


def build_workbook(folder: Path) -> dict[str, dict[str, int]]:
    """The office's workbook and the line, in a dataset folder; the Excel rows of the planted mistakes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "border.geojson").write_bytes((DATA / "border.geojson").read_bytes())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cột mốc"
    posts = _posts()
    planted = {"markers": _marker_sheet(ws, posts)}
    planted["assignments"] = _assignment_sheet(wb.create_sheet("Tổ tự quản"))
    wb.create_sheet("Hướng dẫn").append(["Sổ này ghi theo Hướng dẫn số 12/HD-BĐBP"])
    wb.save(folder / "so_theo_doi.xlsx")
    return planted


#: Households and people of the rows that must be counted, by hand from the rows written above: TT-06 is refused
#: (2,5 households), the second TT-05 is a copy counted once, headings and the total row are not data.
COUNTED = {"TT-01": (12, 1050), "TT-02": (8, 32), "TT-03": (1, 45), "TT-04": (20, 80), "TT-05": (16010, 59848),
           "TT-07": (1, 4)}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("so_theo_doi")
    planted = build_workbook(folder)
    ds, problems = bg.read_dataset(folder, errors="collect")
    return folder, planted, ds, problems


def test_every_post_within_half_a_metre_of_where_it_was_surveyed(office):
    _, _, ds, _ = office
    posts = _posts()
    m = ds.markers
    expected = set(POSTS) - {"42"}  # 42 has its coordinates swapped: refused, reported
    assert sorted(m["marker_id"]) == sorted(expected)  # 36, typed twice at one place, is one post
    assert bg.coverage(ds).summary()["marker_posts"] == len(expected)
    for mid, geom in zip(m["marker_id"], m.geometry, strict=True):
        p = posts[mid]
        assert GEOD.inv(geom.x, geom.y, p["lon"], p["lat"])[2] < 0.5, mid


def test_kinds_sides_and_dates_read_in_either_unicode_form_and_every_spelling(office):
    _, _, ds, _ = office
    posts = _posts()
    m = ds.markers.drop_duplicates("marker_id")
    assert list(m["kind"]) == [posts[i]["kind"] for i in m["marker_id"]]
    assert list(m["emplaced_by"]) == [posts[i]["emplaced_by"] for i in m["marker_id"]]
    assert {str(v)[:10] for v in ds.markers["last_inspected"]} == {"2020-03-15"}
    assert {str(v)[:10] for v in ds.assignments["valid_from"]} == {"2020-03-15"}
    assert 1234.5 in set(ds.markers["elevation_m"])  # "1 234,5" typed as text


def test_headings_and_total_rows_are_not_data_and_are_noted(office):
    _, planted, ds, problems = office
    notes = "\n".join(ds.meta["read_notes"])
    for table, heading_rows in (("markers", (5, 19)), ("assignments", (5, 9))):
        frame = getattr(ds, table)
        skipped = {*heading_rows, planted[table]["total"]}
        assert not skipped & set(frame["source_row"].astype(int))
        assert not skipped & set(problems["row"].dropna().astype(int)[problems["source"].str.contains(
            "Cột mốc" if table == "markers" else "Tổ tự quản")])
    assert notes.count("dòng tiêu đề nhóm") == 4 and notes.count("dòng tổng cộng") == 2
    a = ds.assignments.drop_duplicates("assignment_id").set_index("assignment_id")
    assert sorted(a.index) == sorted(COUNTED)
    assert {k: (int(a.at[k, "households"]), int(a.at[k, "people"])) for k in COUNTED} == COUNTED
    s = bg.coverage(ds).summary()
    assert (s["households"], s["people"]) == tuple(map(sum, zip(*COUNTED.values(), strict=True)))


def test_unknown_and_hidden_columns_are_kept_as_typed(office):
    _, _, ds, _ = office
    assert set(ds.markers["Người kiểm tra"].dropna()) == {"Lò Văn A"}  # a hidden column, unknown to the model
    phone = ds.assignments.set_index("assignment_id")["Số điện thoại tổ trưởng"]
    assert phone["TT-01"] == "0912 345 678"  # a phone number stays text, not a number


def test_covered_km_within_a_metre_of_an_independent_union(office):
    _, _, ds, _ = office
    line, posts = _line(), _posts()
    c = {mid: _mean_chainage(line, posts, mid) for mid in ("33", "35", "36", "38")}
    stretches = [(c["33"], c["35"]),                   # TT-01: markers 33 → 35
                 (1.2, 2.8005),                        # TT-02: Km 1+200 → K2+800,5
                 (c["36"] + 0.3, c["38"] - 0.15),      # TT-03: mốc 36 + 300 m → 38 - 150m
                 (20.5, 22.25)]                        # TT-05: from its description (TT-04 names the refused 42)
    covered = bg.coverage(ds).summary()["covered_km"]
    assert covered == pytest.approx(_union_km(stretches), abs=0.001)


def _where(issues, rule: str) -> list[str]:
    return [str(w) for w in issues.loc[issues["rule"] == rule, "where"]]


def test_every_planted_mistake_reported_under_its_rule_with_sheet_and_row(office):
    _, planted, ds, _ = office
    issues = bg.validate(ds)
    pm, pa = planted["markers"], planted["assignments"]
    assert f"trang tính 'Cột mốc', hàng {pm['swapped']}" in _where(issues, "swapped_coordinates")[0]
    dup = _where(issues, "duplicate_id")
    assert any(w.endswith(f"trang tính 'Cột mốc', hàng {pm['duplicate']}") for w in dup)
    assert "marker_post_mismatch" not in set(issues["rule"])  # the post typed twice is one post, not two
    assert any(w.endswith(f"trang tính 'Tổ tự quản', hàng {pa['duplicate']}") for w in dup)
    read = issues[issues["rule"] == "read_error"]
    assert any(w.endswith(f"'Cột mốc', hàng {pm['date_id']}") and "22/1" in msg
               for w, msg in zip(read["where"], read["message"], strict=True))
    assert any(w.endswith(f"'Tổ tự quản', hàng {pa['fraction']}") and "'2,5'" in msg
               for w, msg in zip(read["where"], read["message"], strict=True))
    assert any(w.endswith(f"'Tổ tự quản', hàng {pa['unknown_marker']}") for w in _where(issues, "unknown_marker"))
    assert len(read) == 2  # nothing else in the workbook is a read error: not the headings, not the totals


def test_vn2000_x_northing_with_thousands_dots_lands_within_half_a_metre(tmp_path):
    posts = _posts()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tọa độ mốc"
    _title(ws, ["BẢNG TỌA ĐỘ CỘT MỐC (HỆ VN-2000, KINH TUYẾN TRỤC 103°, MÚI 3°)"], 5)
    ws.append([])
    ws.append(["STT", "Số hiệu mốc", "Tọa độ VN-2000", None, "Ghi chú"])
    ws.merge_cells(start_row=3, start_column=3, end_row=3, end_column=4)
    ws.append([None, None, "X (m)", "Y (m)", None])
    for n, mid in enumerate(POSTS, start=1):
        e, nth = TO_VN2000.transform(posts[mid]["lon"], posts[mid]["lat"])
        x, y = (_dotted(nth), _dotted(e)) if n % 2 else (round(nth, 2), round(e, 2))
        ws.append([n, mid, x, y, None])
    path = tmp_path / "toa_do.xlsx"
    wb.save(path)
    m = bg.read_markers(path, crs="EPSG:9205")
    assert list(m["marker_id"]) == POSTS
    for mid, geom in zip(m["marker_id"], m.geometry, strict=True):
        assert GEOD.inv(geom.x, geom.y, posts[mid]["lon"], posts[mid]["lat"])[2] < 0.5, mid
    assert any("X = Bắc" in n or "X = north" in n for n in m.attrs["read_notes"])


def test_report_reads_as_vietnamese(office, tmp_path):
    """The report folder of the workbook, read as a Vietnamese analyst reads it: every header and value in
    Vietnamese (rule ids excepted), no number with a point where a Vietnamese reader expects a comma."""
    docx = pytest.importorskip("docx")
    from bien_gioi_geo.cli import main

    folder, _, _, _ = office
    out = tmp_path / "rep"
    assert main(["report", str(folder), "--out", str(out), "--quiet"]) == 1  # errors in the data: exit 1
    wb = openpyxl.load_workbook(out / "report.xlsx")
    english = []
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        english += [(ws.title, h) for h in header if isinstance(h, str) and h.isascii() and "_" in h]
        rule_col = header.index("Quy tắc") if "Quy tắc" in header else None
        for row in ws.iter_rows(min_row=2, values_only=True):
            english += [(ws.title, v) for k, v in enumerate(row)
                        if k != rule_col and isinstance(v, str) and v.isascii() and v.isalpha() and v.islower()]
    assert english == []
    text = "\n".join(p.text for p in docx.Document(out / "report.docx").paragraphs)
    for t in docx.Document(out / "report.docx").tables:
        text += "\n" + "\n".join(c.text for r in t.rows for c in r.cells)
    import re

    assert not re.search(r"\b\d+\.\d{3}\s*km", text)  # 13.800 km would read as thirteen thousand eight hundred
    assert not re.search(r"\b(the|is|not|row|sheet|field|marker)\b", text)


@pytest.mark.parametrize("copies", [1, 3])  # 3: the assignments' header lies below the rows searched for headers
def test_one_sheet_holding_markers_then_assignments_reads_both(tmp_path, copies):
    """A 'Sổ theo dõi' with the markers table and, under it, the assignments table: both read, none lost."""
    posts = _posts()
    ids = [f"{mid}" if c == 0 else f"{100 * c + k}" for c in range(copies) for k, mid in enumerate(POSTS[:6])]
    spots = [posts[mid] for _ in range(copies) for mid in POSTS[:6]]
    (tmp_path / "border.geojson").write_bytes((DATA / "border.geojson").read_bytes())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi"
    _title(ws, ["SỔ THEO DÕI ĐƯỜNG BIÊN, MỐC QUỐC GIỚI"], 8)
    ws.append([])
    ws.append(["A. CỘT MỐC"])
    ws.append(["TT", "Số hiệu\nmốc", "Loại mốc", "Vĩ độ", "Kinh độ"])
    for n, (mid, p) in enumerate(zip(ids, spots, strict=True), start=1):
        ws.append([n, mid, KIND_VI[p["kind"]] if n <= 6 else "mốc đơn", p["lat"], p["lon"]])
    ws.append([])
    ws.append(["B. TỔ TỰ QUẢN"])
    ws.append(["TT", "Mã tổ", "Thôn, bản", "Xã", "Số hộ", "Số nhân khẩu", "Từ mốc", "Đến mốc"])
    ws.append([1, "TT-01", "Bản Sì Lở Lầu", "Sì Lở Lầu", 10, 40, "33", "35"])
    ws.append([2, "TT-02", "Bản Lầu Sáu Chải", "Sì Lở Lầu", 12, 50, "35", "36"])
    wb.save(tmp_path / "so_theo_doi.xlsx")
    ds, problems = bg.read_dataset(tmp_path, errors="collect")
    n = len(ids)
    assert problems.empty
    assert list(ds.markers["marker_id"]) == ids
    assert list(ds.markers["source_row"]) == list(range(5, 5 + n))
    assert list(ds.assignments["assignment_id"]) == ["TT-01", "TT-02"]
    assert list(ds.assignments["source_row"]) == [8 + n, 9 + n]
    assert any(f"bảng kết thúc ở hàng {6 + n}" in t for t in ds.meta["read_notes"])


def test_validate_on_the_command_line_says_where_each_problem_is(office, capsys):
    from bien_gioi_geo.cli import main

    folder, planted, _, _ = office
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "Vị trí trong tệp" in out and "Từ km" in out
    line = next(t for t in out.splitlines() if "'99'" in t)
    assert line.rstrip().endswith(f"trang tính 'Tổ tự quản', hàng {planted['assignments']['unknown_marker']}")
    assert "'103,2254253'" in out  # the swapped latitude, written the Vietnamese way
    assert not any(t.strip().startswith("gap") and "0.469" in t for t in out.splitlines())
