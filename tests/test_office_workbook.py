"""An office workbook as a district office keeps it, read as a dataset (issue #13).

Expectations are independent of the library: true marker positions are chosen in WGS 84 and written to the
workbook as VN-2000 X/Y (X = northing) with pyproj; chainages and the covered length are computed with
pyproj.Geod along the border's vertices.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import numpy as np
import pytest
from pyproj import Geod, Transformer

import bien_gioi_geo as bg

GEOD = Geod(ellps="WGS84")
BORDER = [(103.00, 22.50), (103.05, 22.52), (103.10, 22.51), (103.15, 22.53), (103.20, 22.52)]
#: Marker id → (segment index, fraction along it): posts on the border line.
MARKERS = {"1": (0, 0.1), "2": (0, 0.7), "3": (1, 0.4), "4": (2, 0.2), "5": (2, 0.9), "6": (3, 0.5)}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def position(seg: int, frac: float) -> tuple[float, float, float]:
    """lon, lat and geodesic chainage (km) of a point ``frac`` of the way along border segment ``seg``."""
    (x0, y0), (x1, y1) = BORDER[seg], BORDER[seg + 1]
    az, _, length = GEOD.inv(x0, y0, x1, y1)
    lon, lat, _ = GEOD.fwd(x0, y0, az, frac * length)
    before = sum(GEOD.inv(*BORDER[k], *BORDER[k + 1])[2] for k in range(seg))
    return lon, lat, (before + frac * length) / 1000


def union_km(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, -np.inf
    for a, b in sorted((min(a, b), max(a, b)) for a, b in intervals):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def vn(value: float, decimals: int = 3) -> str:
    """A number written the Vietnamese way: decimal comma."""
    return f"{value:.{decimals}f}".replace(".", ",")


@pytest.fixture
def office(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    to_vn2000 = Transformer.from_crs("EPSG:4326", "EPSG:9205", always_xy=True)
    truth = {mid: position(*where) for mid, where in MARKERS.items()}
    folder = tmp_path / "so_theo_doi"
    folder.mkdir()
    (folder / "border.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"border_id": "b1"},
         "geometry": {"type": "LineString", "coordinates": BORDER}}]}), encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cột mốc"
    ws.append(["BẢNG THỐNG KÊ CỘT MỐC BIÊN GIỚI"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Số hiệu mốc", nfd("Loại mốc"), "Bên cắm", "Tọa độ X", "Tọa độ Y", "Độ cao"])
    rows = {}
    for k, (mid, (lon, lat, _)) in enumerate(truth.items()):
        e, n = to_vn2000.transform(lon, lat)
        kind = nfd("Mốc đơn") if k % 2 else "mốc đơn"
        ws.append([mid, kind, "Việt Nam", vn(n), vn(e), vn(1200.5 + k, 1)])  # X = northing, Vietnamese order
        rows[mid] = ws.max_row
    ws.append(["4", "mốc đơn", "Việt Nam", *[ws.cell(rows["4"], c).value for c in (4, 5)], vn(1203.5, 1)])
    rows["dup"] = ws.max_row  # marker 4 typed twice
    ws.append([dt.datetime(2024, 1, 22), "mốc đơn", "Việt Nam", *[ws.cell(rows["5"], c).value for c in (4, 5)],
               "1.000"])
    rows["date"] = ws.max_row  # '22/1' turned into a date by Excel
    ws.append(["7", "mốc đơn", "Việt Nam", ws.cell(rows["6"], 4).value, ws.cell(rows["6"], 5).value, "cao"])
    rows["elev"] = ws.max_row  # an elevation that is not a number

    wa = wb.create_sheet("Tổ tự quản")
    wa.append(["DANH SÁCH TỔ TỰ QUẢN ĐƯỜNG BIÊN, CỘT MỐC"])
    wa.merge_cells("A1:J1")
    wa.append(["Xã Mù Cả, huyện Mường Tè"])
    wa.append(["Mã tổ", "Xã", nfd("Thôn, bản"), "Hình thức", "Số hộ", "Số nhân khẩu", "Từ mốc", "Đến mốc",
               "Từ km", "Đến km", "Ghi chú"])
    first = wa.max_row + 1
    wa.append(["MT-01", "Mù Cả", "Bản 1", "Hộ gia đình", "1.234", "4.567", "1", "2+300", None, None, None])
    wa.append(["MT-02", None, "Bản 2", nfd("Tập thể"), None, None, None, None, "Km 3+200", "5,5", None])
    wa.append(["MT-03", None, "Bản 3", "cá nhân", None, None, None, None, None, None,
               "Tự quản từ mốc 5 đến mốc 6"])
    wa.merge_cells(f"B{first}:B{first + 2}")  # the commune merged down its villages
    wa.append(["MT-04", "Ka Lăng", "Bản 4", "hộ gia đình", "16.010", "52.300", "3", "4 - 150m", None, None, None])
    wa.append(["MT-01", "Mù Cả", "Bản 1", "Hộ gia đình", "1.234", "4.567", "1", "2+300", None, None, None])
    dup_row = wa.max_row  # MT-01 typed twice
    wa.append(["MT-05", "Ka Lăng", "Bản 5", "hộ gia đình", "12", "2,5", "5", "6", None, None, None])
    frac_row = wa.max_row  # 2,5 people
    wb.save(folder / "so_theo_doi.xlsx")
    return folder, truth, rows, {"dup": dup_row, "frac": frac_row, "first": first}


def test_office_workbook_reads_as_a_dataset(office):
    folder, truth, mrows, arows = office
    ds, problems = bg.read_dataset(folder, crs={"markers": "EPSG:9205"}, errors="collect")
    m = ds.markers.set_index("marker_id")
    assert sorted(m.index) == sorted(truth)  # the duplicate counted once, bad rows reported not kept
    for mid, (lon, lat, _) in truth.items():
        _, _, dist = GEOD.inv(lon, lat, m.geometry[mid].x, m.geometry[mid].y)
        assert dist < 0.5, (mid, dist)
    assert set(m["kind"]) == {"single"} and set(m["emplaced_by"]) == {"VN"}
    notes = " ".join(ds.meta["read_notes"])
    assert "yx" in notes or "X" in notes  # the axis order used is said

    def problem(sheet, row, field=None):
        sel = problems[(problems["source"].str.contains(sheet)) & (problems["row"] == row)]
        if field is not None:
            sel = sel[sel["field"] == field]
        assert len(sel), (sheet, row, field, problems.to_string())
        return " ".join(sel["message"])

    assert "duplicate_id" in problem("Cột mốc", mrows["dup"], "marker_id")
    assert "Excel" in problem("Cột mốc", mrows["date"], "marker_id")
    problem("Cột mốc", mrows["elev"], "elevation_m")
    assert "duplicate_id" in problem("Tổ tự quản", arows["dup"], "assignment_id")
    problem("Tổ tự quản", arows["frac"], "people")

    a = ds.assignments.set_index("assignment_id")
    assert sorted(a.index) == ["MT-01", "MT-02", "MT-03", "MT-04"]
    assert a.loc["MT-01", "households"] == 1234 and a.loc["MT-04", "people"] == 52300
    assert a.loc["MT-02", "commune"] == "Mù Cả" and a.loc["MT-03", "commune"] == "Mù Cả"  # merged cell
    assert a.loc["MT-02", "collectives"] == 1 and a.loc["MT-03", "individuals"] == 1
    assert a.loc["MT-03", "from_marker"] == "5" and a.loc["MT-03", "to_marker"] == "6"  # from the description

    km = {mid: c for mid, (_, _, c) in truth.items()}
    expected = union_km([(km["1"], km["2"] + 0.3), (3.2, 5.5), (km["5"], km["6"]), (km["3"], km["4"] - 0.15)])
    cov = bg.coverage(ds)
    assert cov.covered_km == pytest.approx(expected, abs=0.001)


def test_dms_with_decimal_commas_and_header_row(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    lon, lat, _ = position(1, 0.5)

    def dms(v: float, pos: str) -> str:
        d = int(v)
        m = int((v - d) * 60)
        s = ((v - d) * 60 - m) * 60
        return f"{d}°{m}'{vn(s, 3)}\"{pos}"

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mốc"
    ws.append(["Sổ theo dõi"])
    ws.append(["Tên mốc", "Vĩ độ", "Kinh độ"])
    ws.append(["Mốc 12", dms(lat, "N"), dms(lon, "E")])
    wb.save(tmp_path / "moc.xlsx")
    m = bg.read_markers(tmp_path / "moc.xlsx", header_row=2)
    assert m["marker_id"].tolist() == ["12"]
    assert GEOD.inv(lon, lat, m.geometry.iloc[0].x, m.geometry.iloc[0].y)[2] < 0.5
    with pytest.raises(bg.InputError, match="header_row"):
        bg.read_markers(tmp_path / "moc.xlsx", header_row=0)


def test_cli_reads_the_workbook_and_converts_to_every_format(office, tmp_path, capsys):
    from bien_gioi_geo.cli import main

    folder, truth, mrows, _ = office
    # validate lists every bad row of every sheet in one run (collect by default), with sheet and Excel row
    code = main(["validate", str(folder), "--markers-crs", "EPSG:9205", "--format", "csv", "--lang", "en"])
    assert code == 1  # the data has errors
    out = capsys.readouterr().out
    assert f"sheet 'Cột mốc', row/feature {mrows['elev']}" in out and "sheet 'Tổ tự quản'" in out
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(folder / "so_theo_doi.xlsx")
    for r in sorted((mrows["dup"], mrows["date"], mrows["elev"]), reverse=True):
        wb["Cột mốc"].delete_rows(r)
    wb.save(tmp_path / "clean.xlsx")
    got = {}
    for suffix in (".csv", ".xlsx", ".gpkg", ".geojson"):
        dest = tmp_path / f"moc{suffix}"
        assert main(["convert", str(tmp_path / "clean.xlsx"), str(dest), "--sheet", "Cột mốc", "--header-row", "3",
                     "--crs", "EPSG:9205", "--axis-order", "yx", "--quiet"]) == 0
        got[suffix] = bg.read_markers(dest)
    for suffix, m in got.items():
        for mid, g in zip(m["marker_id"], m.geometry, strict=True):
            lon, lat, _ = truth[mid]
            assert GEOD.inv(lon, lat, g.x, g.y)[2] < 0.5, (suffix, mid)
        assert sorted(m["marker_id"]) == sorted(truth)
