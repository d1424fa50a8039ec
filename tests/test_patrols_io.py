"""read_tracks (GPX, CSV, Excel, GeoParquet) and bg.patrols on a dask LocalCluster."""

from __future__ import annotations

import pandas as pd
import pytest

import bien_gioi_geo as bg
from bien_gioi_geo.patrols.synthetic import walk

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><name>Tổ 1</name><trkseg>
<trkpt lat="22.5" lon="103.3"><time>2024-05-01T00:00:00Z</time></trkpt>
<trkpt lat="22.5001" lon="103.3001"><time>2024-05-01T00:00:10Z</time></trkpt>
</trkseg></trk>
<trk><trkseg><trkpt lat="22.6" lon="103.4"><time>2024-05-01T01:00:00Z</time></trkpt></trkseg></trk>
</gpx>
"""


def test_gpx_is_utc_and_names_tracks(tmp_path):
    f = tmp_path / "a.gpx"
    f.write_text(GPX, encoding="utf-8")
    fx = bg.read_tracks(f)
    assert fx["track_id"].tolist() == ["Tổ 1", "Tổ 1", "a#2"]
    assert fx["time"].iloc[1] == pd.Timestamp("2024-05-01T00:00:10Z")
    assert fx.geometry.x.iloc[2] == pytest.approx(103.4)


def test_csv_naive_times_are_vietnam_time_and_bad_rows_are_reported(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("thiet_bi,thoi_gian,lat,lon,don_vi\n"
                 "A,2024-05-01 07:00:00,22°30'00\"N,103°18'00\"E,Đồn 1\n"
                 "A,2024-05-01T00:00:10Z,22.5001,103.3001,Đồn 1\n"
                 "A,,22.5002,103.3002,Đồn 1\n"
                 "A,2024-05-01 07:00:00,22.5003,103.3003,Đồn 1\n"
                 ",2024-05-01 07:00:20,22.5004,103.3004,Đồn 1\n"
                 "A,hôm qua,22.5005,103.3005,Đồn 1\n"
                 "A,2024-05-01 07:00:30,95.0,103.3,Đồn 1\n", encoding="utf-8")
    fx, probs = bg.read_tracks(f, errors="collect")
    assert fx["time"].tolist() == [pd.Timestamp("2024-05-01T00:00:00Z"), pd.Timestamp("2024-05-01T00:00:10Z")]
    assert fx.geometry.y.iloc[0] == pytest.approx(22.5)
    assert fx["don_vi"].tolist() == ["Đồn 1", "Đồn 1"]
    # nothing dropped silently; rows are the physical lines of the file (the header is line 1)
    assert sorted(probs["row"].tolist()) == [4, 5, 6, 7, 8]
    assert probs.set_index("row").loc[5, "message"].startswith("duplicate fix")
    with pytest.raises(bg.InputError, match=r"t.csv: 5 bad row\(s\)"):
        bg.read_tracks(f)


def test_excel_and_vn2000(tmp_path):
    import openpyxl
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:9205", always_xy=True).transform(103.3, 22.5)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["track", "time", "x", "y"])
    ws.append(["B", "2024-05-01 07:00:00+07:00", x, y])
    wb.save(tmp_path / "t.xlsx")
    fx = bg.read_tracks(tmp_path / "t.xlsx", crs="EPSG:9205")
    assert fx.geometry.x.iloc[0] == pytest.approx(103.3, abs=1e-7)
    assert fx["time"].iloc[0] == pd.Timestamp("2024-05-01T00:00:00Z")


@pytest.fixture(scope="module")
def cn():
    return bg.datasets.load("vietnam").borders["VN-CN"]


@pytest.fixture(scope="module")
def fixes(cn):
    # a 1 km gap at 3 km/h is 20 minutes without a fix: longer than max_gap_s (15 min)
    ws = [walk(cn, 700.0 + 3 * k, [("walk", 700.8 + 3 * k), ("gap", 701.8 + 3 * k), ("walk", 702.2 + 3 * k)],
               track_id=f"T{k}", seed=k) for k in range(6)]
    fx = pd.concat([w[0] for w in ws], ignore_index=True)
    fx["unit"] = ["Đồn " + t[-1] for t in fx["track_id"]]
    return fx


def test_geoparquet_streamed_equals_in_memory(cn, fixes, tmp_path):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(fixes.drop(columns=["lon", "lat"]), geometry=gpd.points_from_xy(fixes.lon, fixes.lat),
                           crs="EPSG:4326")
    gdf.to_parquet(tmp_path / "f.parquet")
    read = bg.read_tracks(tmp_path / "f.parquet")
    assert len(read) == len(fixes)
    mem = bg.patrols(cn, read).visits.drop(columns="geometry")
    streamed = bg.patrols(cn, tmp_path / "f.parquet", chunk_fixes=250).visits.drop(columns="geometry")
    pd.testing.assert_frame_equal(mem, streamed)
    assert len(mem) == 12  # the gap splits each walk in two


# distributed's HTTP server may leave a socket for the garbage collector on shutdown: its warning, not ours
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_dask_local_cluster_same_visits(cn, fixes):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    mem = bg.patrols(cn, fixes).visits.drop(columns=["geometry", "first_row", "last_row"])
    ddf = dd.from_pandas(fixes.sort_values("time"), npartitions=3)  # tracks spread over partitions
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster):
        on_dask = bg.patrols(cn, ddf)
    got = on_dask.visits.drop(columns=["geometry", "first_row", "last_row"])
    pd.testing.assert_frame_equal(mem, got, check_dtype=False)
    assert on_dask.n_fixes == len(fixes)


SAMPLE = bg.datasets._root() / "phong_tho_patrols" / "tracks.csv"


def test_map_shows_data_text_verbatim_never_as_template(tmp_path):
    from bien_gioi_geo.maps import save_map
    from bien_gioi_geo.maps.patrol_map import patrol_map

    ds = bg.datasets.load("phong_tho")
    fx = bg.read_tracks(SAMPLE)
    fx.loc[fx["track_id"] == "TT-01", "unit"] = "{{7*7}}"
    fx.loc[fx["track_id"] == "TT-02", "unit"] = "{% if %}</script><b>x</b>"
    fx["track_id"] = fx["track_id"].replace({"TT-03": "{{ 6*7 }}"})
    p = bg.patrols(ds, fx)
    m = patrol_map(p, fixes=fx, as_of="2024-07-01")
    html = save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "{{7*7}}" in html and "{% if %}" in html and "{{ 6*7 }}" in html
    assert "</script><b>x" not in html  # and nothing closes the script element
    assert "\\u003c/script\\u003e\\u003cb\\u003ex" in html
    assert "Số ngày từ lần tuần tra gần nhất (tính đến 01/07/2024)" in html
    assert "Chưa tuần tra" in html and "≤ 7 ngày" in html and "\\u003e 90 ngày" in html


def test_map_title_has_its_date_when_no_track_matched():
    from bien_gioi_geo.maps.patrol_map import patrol_map

    la = bg.datasets.load("vietnam").borders["VN-LA"]
    far = pd.DataFrame({"track_id": ["X", "X"], "time": ["2024-05-01 08:00", "2024-05-01 08:01"],
                        "lon": [105.0, 105.001], "lat": [10.0, 10.0]})  # the Mekong delta, far from Laos
    p = bg.patrols(la, far)
    assert p.visits.empty
    html = patrol_map(p, fixes=far, as_of="2024-06-01", tiles=None).get_root().render()
    assert "Số ngày từ lần tuần tra gần nhất (tính đến 01/06/2024)" in html
    today = pd.Timestamp.now(tz="Asia/Ho_Chi_Minh").strftime("%d/%m/%Y")
    html = patrol_map(p, fixes=far, tiles=None).get_root().render()
    assert f"(tính đến {today})" in html  # no visit, no as_of: today, stated


def test_cli_writes_tables_and_map(tmp_path):
    from bien_gioi_geo.cli import main

    out = tmp_path / "tt"
    code = main(["patrols", str(SAMPLE), "phong_tho", "--out", str(out), "--as-of", "2024-07-01", "--quiet"])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [".bien_gioi_geo_report.json", "assignments.csv", "by_track.csv", "last_visit.csv",
                     "overdue.csv", "patrols.xlsx", "patrols_map.html", "problems.csv", "visits.csv"]
    visits = pd.read_csv(out / "visits.csv", encoding="utf-8-sig")
    assert visits["start_time"].str.endswith("+0700").all()  # local time for the reader
    assert code == 0 and main(["patrols", str(SAMPLE), "--out", str(out), "--quiet"]) == 3  # exists: refused
    import openpyxl

    wb = openpyxl.load_workbook(out / "patrols.xlsx")
    assert wb["visits"]["B1"].value == "Chuyến/thiết bị"


def test_excel_output_keeps_formula_like_text_as_text(tmp_path):
    from bien_gioi_geo.report_patrols import write_patrols

    ds = bg.datasets.load("phong_tho")
    fx = bg.read_tracks(SAMPLE)
    fx["unit"] = "=HYPERLINK(\"http://x\")"
    write_patrols(ds, fx, tmp_path / "o", as_of="2024-07-01")
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "o" / "patrols.xlsx")["visits"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
