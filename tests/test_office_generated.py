"""Office workbooks made by a seeded generator, attacked as the held-out workbook of issue #13 will be.

Each seed makes a DIFFERENT workbook (a markers sheet and an assignments sheet read as one dataset folder):
header spellings from the issue's lists in random order, title rows (merged or not) and blank rows, headers and
values in NFC or NFD, ``Tọa độ``/``Toạ độ``, DMS with decimal commas or spaces, VN-2000 X/Y in either order
(one workbook with ``axis_order=`` forced), thousands dots and spaces, ``Km 3+200``/``K3+200``/``3+200``,
marker-anchored offsets, stretches from descriptions, an id Excel turned into a date, rows typed twice, and
planted mistakes of every rule a workbook can carry.

Expectations are independent of the library: true posts are chosen along the border with pyproj's ``Geod`` and
written in VN-2000 with a pyproj ``Transformer``; the covered length is the union of the intended intervals,
computed here by hand; each planted mistake is looked for under its rule, with its sheet and Excel row.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod, Transformer

import bien_gioi_geo as bg

GEOD = Geod(ellps="WGS84")
BORDER = [(103.00, 22.50), (103.05, 22.52), (103.10, 22.51), (103.15, 22.53), (103.20, 22.52)]
SEG_M = [GEOD.inv(*BORDER[k], *BORDER[k + 1])[2] for k in range(len(BORDER) - 1)]
TOTAL_KM = sum(SEG_M) / 1000
TO_VN2000 = Transformer.from_crs("EPSG:4326", "EPSG:9205", always_xy=True)
N_MARKERS = 10


def at_km(km: float) -> tuple[float, float]:
    """lon, lat of the point ``km`` along the border (geodesic, WGS 84)."""
    left = km * 1000
    for k, seg in enumerate(SEG_M):
        if left <= seg or k == len(SEG_M) - 1:
            (x0, y0), (x1, y1) = BORDER[k], BORDER[k + 1]
            az = GEOD.inv(x0, y0, x1, y1)[0]
            lon, lat, _ = GEOD.fwd(x0, y0, az, left)
            return lon, lat
        left -= seg
    raise AssertionError(km)


def union_km(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, -np.inf
    for a, b in sorted((min(a, b), max(a, b)) for a, b in intervals):
        a, b = max(a, 0.0), min(b, TOTAL_KM)
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def thousands(v: float, decimals: int, sep: str = ".") -> str:
    """``2520123.456`` → ``2.520.123,456`` (Vietnamese: dots group thousands, comma is the decimal mark)."""
    whole, frac = f"{v:,.{decimals}f}".split(".") if decimals else (f"{v:,.0f}", "")
    return whole.replace(",", sep) + ("," + frac if frac else "")


def dms(v: float, style: str, hemi: str) -> str:
    d = int(v)
    m = int((v - d) * 60)
    s = ((v - d) * 60 - m) * 60
    if style == "symbols":
        return f"{d}°{m:02d}'{s:06.3f}\"{hemi}".replace(".", ",")
    return f"{d} {m} {s:.3f}"


@dataclass
class Planted:
    rule: str
    sheet: str
    row: int
    what: str


@dataclass
class Workbook:
    folder: Path
    axis_order: str | None
    crs: dict[str, str] | None
    truth: dict[str, tuple[float, float]]  # marker id → lon, lat where it was surveyed
    moved: set[str]  # markers planted off their true place
    intervals: list[tuple[float, float]]  # the stretches that must count (km)
    planted: list[Planted] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)  # sheet → every data row written


def _maybe_nfd(rng: random.Random, text: str) -> str:
    return unicodedata.normalize("NFD", text) if rng.random() < 0.5 else text


def _layout(ws, rng: random.Random, width: int, title: str) -> None:
    """Title rows (merged across the table or not) and blank rows above the header."""
    for k in range(rng.randint(1, 2)):
        ws.append([title if k == 0 else "Kèm theo báo cáo số 12/BC-UBND"])
        if rng.random() < 0.7:
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    for _ in range(rng.randint(0, 2)):
        ws.append([None])


def make_workbook(tmp: Path, seed: int) -> Workbook:
    openpyxl = pytest.importorskip("openpyxl")
    rng = random.Random(seed)
    folder = tmp / f"office_{seed}"
    folder.mkdir()
    (folder / "border.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"border_id": "b1"},
         "geometry": {"type": "LineString", "coordinates": BORDER}}]}), encoding="utf-8")
    kms = sorted(rng.uniform(0.3, TOTAL_KM - 0.3) for _ in range(N_MARKERS))
    ids = [str(k + 1) for k in range(N_MARKERS)]
    truth = {mid: at_km(km) for mid, km in zip(ids, kms, strict=True)}
    km_of = dict(zip(ids, kms, strict=True))
    coords = ["dms_symbols", "dms_spaces", "vn2000_yx", "vn2000_xy"][seed % 4]
    forced = "xy" if coords == "vn2000_xy" and seed % 8 == 3 else None
    wb = openpyxl.Workbook()

    # ---------------------------------------------------------------- markers
    ms = wb.active
    ms.title = rng.choice(["Cột mốc", "Mốc quốc giới", "DS mốc"])
    if coords.startswith("dms"):
        loc_headers = [("lat", "Vĩ độ"), ("lon", "Kinh độ")]
    else:
        x_name = rng.choice(["Tọa độ X", "Toạ độ X", "X"])
        y_name = {"Tọa độ X": "Tọa độ Y", "Toạ độ X": "Toạ độ Y", "X": "Y"}[x_name]
        loc_headers = [("x", x_name), ("y", y_name)]
    cols = [("id", rng.choice(["Số hiệu mốc", "Số mốc", "Tên mốc"])), ("kind", "Loại mốc"),
            ("side", rng.choice(["Bên cắm", "Bên cắm mốc"])), *loc_headers,
            ("elev", rng.choice(["Độ cao", "Cao độ"])), ("cond", rng.choice(["Tình trạng", "Hiện trạng"])),
            ("date", "Ngày kiểm tra")]
    rng.shuffle(cols)
    _layout(ms, rng, len(cols), "BẢNG THỐNG KÊ CỘT MỐC BIÊN GIỚI")
    ms.append([_maybe_nfd(rng, h) for _, h in cols])
    wbk = Workbook(folder, forced, None if coords.startswith("dms") else {"markers": "EPSG:9205"}, truth, set(),
                   [])
    wbk.rows = {ms.title: [], "assign": []}

    def marker_row(mid: object, lon: float, lat: float, *, kind: str = "mốc đơn", date: object = "03/04/2024",
                   elev: str | None = None) -> int:
        cells = {"id": mid, "kind": _maybe_nfd(rng, rng.choice([kind, kind.capitalize()])),
                 "side": rng.choice(["Việt Nam", "VN", "Trung Quốc", "CHN"]), "cond": _maybe_nfd(rng, "Tốt"),
                 "elev": elev or thousands(rng.uniform(900, 2400), 1, rng.choice([".", " "])), "date": date}
        if coords.startswith("dms"):
            style = coords.split("_")[1]
            cells["lat"], cells["lon"] = dms(lat, style, "N"), dms(lon, style, "E")
        else:
            e, n = TO_VN2000.transform(lon, lat)
            xv, yv = (n, e) if coords == "vn2000_yx" else (e, n)
            cells["x"], cells["y"] = thousands(xv, 3), thousands(yv, 3)
        ms.append([cells[c] for c, _ in cols])
        wbk.rows[ms.title].append(ms.max_row)
        return ms.max_row

    swapped = ids[4]
    rows_of = {}
    for mid in ids:
        lon, lat = truth[mid]
        if mid == ids[6]:  # planted: marker 2 km south of the line
            lon2, lat2, _ = GEOD.fwd(lon, lat, 180.0, 2000.0)
            rows_of[mid] = marker_row(mid, lon2, lat2)
            wbk.planted.append(Planted("marker_off_line", ms.title, rows_of[mid], f"marker {mid} 2 km off"))
            wbk.moved.add(mid)
        elif mid == ids[2]:  # planted: a double marker with one post
            rows_of[mid] = marker_row(f"{mid}(1)", lon, lat, kind="mốc đôi")
            wbk.truth[f"{mid}(1)"] = wbk.truth.pop(mid)
            wbk.planted.append(Planted("marker_post_mismatch", ms.title, rows_of[mid], "double with one post"))
        elif mid == swapped and coords.startswith("dms"):  # planted: latitude and longitude exchanged
            cells_row = marker_row(mid, lat, lon)
            rows_of[mid] = cells_row
            wbk.planted.append(Planted("swapped_coordinates", ms.title, cells_row, "lat/lon swapped"))
            wbk.moved.add(mid)
        else:
            rows_of[mid] = marker_row(mid, lon, lat)
    # planted: numbers 8 and 9 exchanged (out of order along the line)
    a, b = ids[7], ids[8]
    r_a, r_b = rows_of[a], rows_of[b]
    id_col = [c for c, _ in cols].index("id") + 1
    ms.cell(r_a, id_col).value, ms.cell(r_b, id_col).value = b, a
    wbk.truth[a], wbk.truth[b] = wbk.truth[b], wbk.truth[a]
    km_of[a], km_of[b] = km_of[b], km_of[a]
    wbk.planted.append(Planted("marker_order", ms.title, r_a, "markers exchanged"))
    # planted: a row typed twice, an id Excel turned into a date, a bad date, a date serial
    dup = marker_row(ids[1], *truth[ids[1]])
    ms.delete_rows(dup)
    wbk.rows[ms.title].pop()
    src = ms.cell(rows_of[ids[1]], 1).row
    ms.append([ms.cell(src, c).value for c in range(1, len(cols) + 1)])
    wbk.rows[ms.title].append(ms.max_row)
    wbk.planted.append(Planted("duplicate_id", ms.title, ms.max_row, "marker row typed twice"))
    r = marker_row(dt.datetime(2024, 1, 22), *truth[ids[3]])
    wbk.planted.append(Planted("read_error", ms.title, r, "id turned into a date"))
    r = marker_row("11", *at_km(0.1), date="31/02/2024")
    wbk.planted.append(Planted("read_error", ms.title, r, "bad date '31/02/2024'"))
    r = marker_row("12", *at_km(0.2), date=45123)
    wbk.planted.append(Planted("read_error", ms.title, r, "date serial 45123"))

    # ---------------------------------------------------------------- assignments
    wa = wb.create_sheet(rng.choice(["Tổ tự quản", "Danh sách tổ TQ"]))
    wbk.rows[wa.title] = wbk.rows.pop("assign")
    acols = [("id", rng.choice(["Mã", "Mã tổ"])), ("village", rng.choice(["Bản", "Thôn", "Thôn, bản"])),
             ("commune", "Xã"), ("type", rng.choice(["Hình thức", "Hình thức tự quản"])), ("hh", "Số hộ"),
             ("pp", rng.choice(["Số nhân khẩu", "Số khẩu", "Nhân khẩu"])), ("fm", "Từ mốc"), ("tm", "Đến mốc"),
             ("sk", "Từ km"), ("ek", "Đến km"), ("mk", "Mốc tự quản"), ("len", "Chiều dài (km)"),
             ("vf", "Từ ngày"), ("vt", "Đến ngày"), ("note", "Ghi chú")]
    rng.shuffle(acols)
    _layout(wa, rng, len(acols), "DANH SÁCH TỔ TỰ QUẢN ĐƯỜNG BIÊN, CỘT MỐC")
    wa.append([_maybe_nfd(rng, h) for _, h in acols])
    n_row = [0]

    def assign(**cells: object) -> int:
        n_row[0] += 1
        base = {"id": f"TQ-{n_row[0]:02d}", "village": f"Bản {n_row[0]}", "commune": "Mù Cả",
                "type": _maybe_nfd(rng, rng.choice(["Hộ gia đình", "hộ gia đình"])),
                "hh": thousands(rng.randint(3, 40), 0), "pp": thousands(rng.randint(1000, 9000), 0,
                                                                         rng.choice([".", " "]))}
        base.update(cells)
        wa.append([base.get(c) for c, _ in acols])
        wbk.rows[wa.title].append(wa.max_row)
        return wa.max_row

    def km_text(km: float) -> str:
        whole, metres = int(km), round((km - int(km)) * 1000)
        return rng.choice([f"Km {whole}+{metres:03d}", f"K{whole}+{metres:03d}", f"{whole}+{metres:03d}"])

    i1, i2 = ids[0], ids[1]
    assign(fm=i1, tm=i2, mk=f"{i1};{i2}")
    wbk.intervals.append((km_of[i1], km_of[i2]))
    anchored = assign(fm=f"mốc {ids[3]} + 300 m", tm=f"{ids[5]} - 150m")
    wbk.intervals.append((km_of[ids[3]] + 0.3, km_of[ids[5]] - 0.15))
    lo = round(km_of[ids[5]] + 0.2, 3)
    hi = round(lo + 1.1, 3)
    assign(sk=km_text(lo), ek=km_text(hi), type="tập thể", hh=None, pp=None)
    wbk.intervals.append((lo, hi))
    first_desc = assign(note=_maybe_nfd(rng, f"Tổ tự quản từ mốc {ids[8]} đến mốc {ids[9]}"), commune=None)
    wbk.intervals.append((km_of[ids[8]], km_of[ids[9]]))
    wa.merge_cells(start_row=first_desc - 1, start_column=[c for c, _ in acols].index("commune") + 1,
                   end_row=first_desc, end_column=[c for c, _ in acols].index("commune") + 1)
    # planted mistakes, each on its own row
    r = assign(fm=i1, tm=i2, mk=i1)  # overlaps the first stretch and claims marker 1 twice
    wbk.intervals.append((km_of[i1], km_of[i2]))
    wbk.planted += [Planted("overlap", wa.title, r, "same stretch twice"),
                    Planted("marker_assigned_twice", wa.title, r, "marker 1 in two lists")]
    r = assign(fm="99", tm=ids[1])
    wbk.planted.append(Planted("unknown_marker", wa.title, r, "marker 99"))
    r = assign(fm=ids[9], tm=ids[8])
    wbk.intervals.append((km_of[ids[8]], km_of[ids[9]]))
    wbk.planted.append(Planted("reversed_range", wa.title, r, "from 10 to 9"))
    r = assign(sk=km_text(TOTAL_KM - 0.5), ek="Km 30+000")
    wbk.intervals.append((TOTAL_KM - 0.5, TOTAL_KM))
    wbk.planted.append(Planted("out_of_range", wa.title, r, "beyond the end"))
    r = assign(hh="500", pp="20", sk="0,1", ek="0,2")
    wbk.intervals.append((0.1, 0.2))
    wbk.planted.append(Planted("bad_counts", wa.title, r, "more households than people"))
    r = assign(sk="0,3", ek="0,4", vf="01/01/2024", vt="01/01/2023")
    wbk.planted.append(Planted("bad_period", wa.title, r, "ends before it starts"))
    r = assign(sk="1,0", ek="1,5", len="9,5")
    wbk.intervals.append((1.0, 1.5))
    wbk.planted.append(Planted("length_mismatch", wa.title, r, "declared 9.5 km for 0.5 km"))
    r = assign(sk="1,6", ek="1,7", village="bản 1")
    wbk.intervals.append((1.6, 1.7))
    wbk.planted.append(Planted("name_variant", wa.title, r, "'Bản 1' and 'bản 1'"))
    r = assign(sk="1,8", ek="1,9", hh="2,5")
    wbk.planted.append(Planted("read_error", wa.title, r, "2,5 households"))
    r = assign(sk="2,0", ek="2,1", vf="31/02/2024")
    wbk.planted.append(Planted("read_error", wa.title, r, "bad date '31/02/2024'"))
    src = wbk.rows[wa.title][0]
    wa.append([wa.cell(src, c).value for c in range(1, len(acols) + 1)])
    wbk.rows[wa.title].append(wa.max_row)
    wbk.planted.append(Planted("duplicate_id", wa.title, wa.max_row, "assignment row typed twice"))
    wbk.planted.append(Planted("gap", wa.title, 0, "uncovered stretches"))
    wb.save(folder / f"so_theo_doi_{seed}.xlsx")
    assert anchored
    return wbk


SEEDS = [1, 2, 3, 4, 11]


@pytest.fixture(scope="module", params=SEEDS)
def generated(request, tmp_path_factory):
    wbk = make_workbook(tmp_path_factory.mktemp(f"gen{request.param}"), request.param)
    kw = {} if wbk.axis_order is None else {"axis_order": wbk.axis_order}
    ds, problems = bg.read_dataset(wbk.folder, crs=wbk.crs, errors="collect", **kw)
    issues = bg.validate(ds, read_problems=problems)
    return wbk, ds, problems, issues


def test_every_post_within_half_a_metre(generated) -> None:
    wbk, ds, _, _ = generated
    m = ds.markers.set_index("marker_id")
    for mid, (lon, lat) in wbk.truth.items():
        if mid in wbk.moved:
            continue
        assert mid in m.index, (mid, sorted(m.index))
        g = m.geometry[mid]
        g = g.iloc[0] if hasattr(g, "iloc") else g
        assert GEOD.inv(lon, lat, g.x, g.y)[2] < 0.5, mid


def test_covered_km_within_a_metre(generated) -> None:
    wbk, ds, _, _ = generated
    assert bg.coverage(ds).covered_km == pytest.approx(union_km(wbk.intervals), abs=0.001)


def test_every_planted_mistake_under_its_rule_with_sheet_and_row(generated) -> None:
    wbk, _, _, issues = generated
    for p in wbk.planted:
        rows = issues[issues["rule"] == p.rule]
        assert len(rows), (p, sorted(set(issues["rule"])))
        if p.row == 0:
            continue
        hit = [w for w in rows["where"].dropna() if f"'{p.sheet}'" in w and re.search(rf"\b{p.row}\b", w)]
        assert hit, (p, rows["where"].tolist())


def test_no_row_silently_dropped(generated) -> None:
    wbk, ds, problems, _ = generated
    kept = {("m", int(r)) for r in ds.markers["source_row"]} | {("a", int(r)) for r in ds.assignments["source_row"]}
    reported = {(s, int(r)) for s, r in zip(problems["source"], problems["row"], strict=True) if r is not None}
    for sheet, rows in wbk.rows.items():
        kind = "m" if sheet == list(wbk.rows)[0] else "a"
        for r in rows:
            assert (kind, r) in kept or any(sheet in s and rr == r for s, rr in reported), (sheet, r)
