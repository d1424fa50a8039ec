"""bg.admin: the crosswalk from the units recorded before 1 July 2025 to the current ones.

Expectations come from outside the code under test:
* the National Assembly Standing Committee resolutions as published (see docs/admin_crosswalk.md):
  Điện Biên NQ 1661/NQ-UBTVQH15 (composition of the new communes, as listed by the Ministry of Home Affairs),
  Quảng Ninh NQ of 16/6/2025 on arranging its communes (Tiên Yên district: which communes were divided),
  Lai Châu NQ 1670/NQ-UBTVQH15 and the provincial plan (Khổng Lào = Hoang Thèn + Bản Lang + Khổng Lào);
* elsewhere, the package's raw ``converter_2025.json`` read here with ``json`` by plain string keys, not through
  the library's matching.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, box

import bien_gioi_geo as bg
from bien_gioi_geo.errors import InputError

pytest.importorskip("bien_gioi_geo.admin")
if importlib.util.find_spec("vietnamadminunits") is None:  # pragma: no cover - the test extra installs it
    pytest.skip("vietnamadminunits is not installed", allow_module_level=True)

from bien_gioi_geo import admin  # noqa: E402

RAW = json.loads((Path(importlib.util.find_spec("vietnamadminunits").submodule_search_locations[0])
                  / "data" / "converter_2025.json").read_text(encoding="utf-8"))


def raw_targets(old_key: str) -> set[str]:
    """New ward keys of an old 'province_district_ward' key, straight from the package's JSON."""
    out = {new for wards in RAW["DICT_PROVINCE_WARD_NO_DIVIDED"].values() for new, olds in wards.items()
           if old_key in olds}
    for olds in RAW["DICT_PROVINCE_WARD_DIVIDED"].values():
        out |= {w["newWardKey"] for w in olds.get(old_key, [])}
    return out


def key(name: str) -> str:  # the package's key style: "Xã Sì Lở Lầu" -> "xasilolau"
    s = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "".join(c for c in s if c.isalnum() and not unicodedata.combining(c))


# (province, district, commune as an office writes it, expected current commune or set of candidates)
OFFICIAL = [
    # Điện Biên, NQ 1661/NQ-UBTVQH15 (MoHA's list of the 45 plans; all are whole mergers)
    ("Điện Biên", "Mường Nhé", "Chung Chải", "Xã Mường Nhé"),
    ("Điện Biên", "Mường Nhé", "Xã Nậm Vì", "Xã Mường Nhé"),
    ("tỉnh Điện Biên", "huyện Mường Nhé", "SEN THƯỢNG", "Xã Sín Thầu"),
    ("Dien Bien", "Muong Nhe", "Leng Su Sin", "Xã Sín Thầu"),
    ("Điện Biên", "Mường Nhé", "Pá Mì", "Xã Nậm Kè"),  # y/i variant of Pá Mỳ
    ("Điện Biên", "Mường Nhé", "Huổi Lếch", "Xã Mường Toong"),
    ("Điện Biên", "Nậm Pồ", "Na Cô Sa", "Xã Quảng Lâm"),
    ("Điện Biên", "Nậm Pồ", "Nậm Chua", "Xã Nà Hỳ"),
    ("Điện Biên", "Nậm Pồ", "Nà Khoa", "Xã Nà Hỳ"),
    # Lai Châu, NQ 1670/NQ-UBTVQH15: Khổng Lào from Hoang Thèn, Bản Lang, Khổng Lào
    ("Lai Châu", "Phong Thổ", "Hoang Thèn", "Xã Khổng Lào"),
    ("Lai Châu", "Phong Thổ", "xã bản lang", "Xã Khổng Lào"),
    # Quảng Ninh (NQ of 16/6/2025, art. 1 items 4-6): Tiên Lãng, Phong Dụ whole into Tiên Yên; Hà Lâu into
    # Điền Xá; Đông Hải into Đông Ngũ; Yên Than, Đại Dực, Đông Ngũ divided
    ("Quảng Ninh", "Tiên Yên", "Tiên Lãng", "Xã Tiên Yên"),
    ("Quảng Ninh", "Tiên Yên", "Phong Du", "Xã Tiên Yên"),
    ("Quảng Ninh", "Tiên Yên", "Hà Lâu", "Xã Điền Xá"),
    ("Quảng Ninh", "Tiên Yên", "Đông Hải", "Xã Đông Ngũ"),
    ("Quảng Ninh", "Tiên Yên", "Yên Than", {"Xã Tiên Yên", "Xã Điền Xá"}),
    ("Quảng Ninh", "Tiên Yên", "Xã Đại Dực", {"Xã Tiên Yên", "Xã Đông Ngũ"}),
    ("Quảng Ninh", "Tiên Yên", "Đông Ngũ", {"Xã Tiên Yên", "Xã Đông Ngũ"}),
]


def test_rows_map_to_the_official_current_commune_or_are_reported_split():
    f = pd.DataFrame(OFFICIAL, columns=["province", "district", "commune", "expected"])
    out = admin.to_current(f, errors="collect")
    for _, r in out.iterrows():
        if isinstance(r["expected"], set):
            assert r["admin_status"] == "split", r.to_dict()
            assert r["commune_current"] is None
            assert set(r["admin_candidates"]) == r["expected"]
        else:
            assert r["commune_current"] == r["expected"], r.to_dict()
            assert r["admin_status"] in ("exact", "normalised")
    assert out["commune"].tolist() == f["commune"].tolist()  # the recorded names are kept


# raw-data rows: (province key, district key, office spelling, old ward key)
RAW_ROWS = [
    ("Lai Châu", "Phong Thổ", "Ma Ly Pho", "tinhlaichau_huyenphongtho_xamalipho"),
    ("Lai Châu", "Phong Thổ", "Ma Li Pho", "tinhlaichau_huyenphongtho_xamalipho"),
    ("Lai Châu", "Phong Thổ", "Xã Sì Lở Lầu", "tinhlaichau_huyenphongtho_xasilolau"),
    ("Lai Châu", "Phong Thổ", "Mồ Sì San", "tinhlaichau_huyenphongtho_xamosisan"),
    ("Lai Châu", "Phong Thổ", "Lản Nhì Thàng", "tinhlaichau_huyenphongtho_xalannhithang"),
    ("Hà Giang", "Đồng Văn", "Lũng Cú", "tinhhagiang_huyendongvan_xalungcu"),
    ("Hà Giang", "Đồng Văn", "Thị trấn Phố Bảng", "tinhhagiang_huyendongvan_thitranphobang"),
    ("Hà Giang", "Đồng Văn", "TT. Đồng Văn", "tinhhagiang_huyendongvan_thitrandongvan"),
    ("Lạng Sơn", "Tràng Định", "Quốc Khánh", "tinhlangson_huyentrangdinh_xaquockhanh"),
    ("Quảng Trị", "Hướng Hóa", "Lao Bảo", "tinhquangtri_huyenhuonghoa_thitranlaobao"),
    ("Quảng Trị", "Hướng Hóa", "Xy", "tinhquangtri_huyenhuonghoa_xaxy"),
    ("An Giang", "Tịnh Biên", "Nhơn Hưng", "tinhangiang_thixatinhbien_phuongnhonhung"),
    ("An Giang", "Châu Đốc", "Vĩnh Châu", "tinhangiang_thanhphochaudoc_xavinhchau"),  # divided
    ("Lạng Sơn", "Đình Lập", "Kiên Mộc", "tinhlangson_huyendinhlap_xakienmoc"),  # divided
    ("Hà Giang", "Bắc Mê", "Yên Định", "tinhhagiang_huyenbacme_xayendinh"),  # divided
]


def test_rows_agree_with_the_packages_raw_json():
    f = pd.DataFrame(RAW_ROWS, columns=["province", "district", "commune", "raw"])
    out = admin.to_current(f, errors="collect")
    for _, r in out.iterrows():
        expected = raw_targets(r["raw"])
        assert expected, r["raw"]
        if len(expected) > 1:
            assert r["admin_status"] == "split"
            assert {key(c) for c in r["admin_candidates"]} == expected
        else:
            assert key(r["commune_current"]) == expected.pop(), r.to_dict()


def test_office_spellings_are_normalised_not_exact():
    nfd = unicodedata.normalize("NFD", "Pa Vây Sử")
    f = pd.DataFrame({"commune": ["Pa Vây Sử", nfd, "  pa   vây sử ", "PA VAY SU", "Xã Pa Vây Sử", "X. Pa Vây Sử"],
                      "district": "Phong Thổ", "province": "Lai Châu"})
    out = admin.to_current(f)
    assert out["admin_status"].tolist() == ["exact"] + ["normalised"] * 3 + ["exact", "normalised"]
    assert set(out["commune_current"]) == {"Xã Sì Lở Lầu"}


def test_fuzzy_only_one_letter_from_a_single_commune():
    f = pd.DataFrame({"commune": ["Huổi Luôn", "Mường Sô Sô"], "district": "Phong Thổ", "province": "Lai Châu"})
    out = admin.to_current(f, errors="collect")
    assert out.loc[0, "admin_status"] == "fuzzy" and out.loc[0, "commune_current"] == "Xã Phong Thổ"
    assert out.loc[1, "admin_status"] == "unknown" and out.loc[1, "commune_current"] is None
    assert any("Mường So" in c for c in out.loc[1, "admin_candidates"])  # nearest candidates are offered
    p = admin.admin_problems(out)
    assert p.set_index("row").loc[0, "severity"] == "warning"
    assert p.set_index("row").loc[1, "rule"] == "admin_unknown"


def test_same_name_in_two_districts_is_ambiguous_without_the_district():
    # Tả Lủng exists in Đồng Văn and in Mèo Vạc (Hà Giang), merged into different new communes
    assert len(raw_targets("tinhhagiang_huyendongvan_xatalung") | raw_targets("tinhhagiang_huyenmeovac_xatalung")) == 2
    f = pd.DataFrame({"commune": ["Tả Lủng", "Tả Lủng"], "district": [None, "Mèo Vạc"], "province": "Hà Giang"})
    out = admin.to_current(f, errors="collect")
    assert out.loc[0, "admin_status"] == "ambiguous" and len(out.loc[0, "admin_candidates"]) == 2
    assert out.loc[1, "admin_status"] == "exact"
    assert key(out.loc[1, "commune_current"]) in raw_targets("tinhhagiang_huyenmeovac_xatalung")


def test_unmatched_rows_raise_by_default_in_vietnamese_and_english():
    f = pd.DataFrame({"commune": ["Yên Than"], "district": ["Tiên Yên"], "province": ["Quảng Ninh"]})
    with pytest.raises(InputError, match="đã được chia cho nhiều xã"):
        admin.to_current(f)
    with pytest.raises(InputError, match="was divided among several new communes"):
        admin.to_current(f, lang="en")
    with pytest.raises(InputError, match="errors must be"):
        admin.to_current(f, errors="ignore")


def _tien_yen_units(kind: str) -> gpd.GeoDataFrame:
    a, b = box(107.30, 21.30, 107.40, 21.40), box(107.40, 21.30, 107.50, 21.40)
    geoms = [a, b] if kind == "polygon" else [a.centroid, b.centroid]
    return gpd.GeoDataFrame({"commune": ["Tiên Yên", "Xã Điền Xá"]}, geometry=geoms, crs="EPSG:4326")


@pytest.mark.parametrize("kind", ["polygon", "centroid"])
def test_divided_commune_resolved_by_the_stretch_position(kind):
    lines = [LineString([(107.31, 21.35), (107.36, 21.36)]),   # inside the first box
             LineString([(107.44, 21.31), (107.48, 21.33)]),   # inside the second
             LineString([(107.399, 21.35), (107.401, 21.35)])]  # on the shared edge: midpoint equidistant
    f = gpd.GeoDataFrame({"commune": "Yên Than", "district": "Tiên Yên", "province": "Quảng Ninh"},
                         index=[0, 1, 2], geometry=lines, crs="EPSG:4326")
    out = admin.to_current(f, units=_tien_yen_units(kind), errors="collect")
    assert out["commune_current"].tolist()[:2] == ["Xã Tiên Yên", "Xã Điền Xá"]
    assert out["admin_status"].tolist()[:2] == ["geometry", "geometry"]
    assert out.loc[2, "admin_status"] == "split" and out.loc[2, "commune_current"] is None


def test_divided_commune_by_chainage_midpoint_on_a_border():
    border = bg.Border(LineString([(107.31, 21.35), (107.49, 21.35)]))
    f = pd.DataFrame({"commune": ["Yên Than", "Yên Than"], "district": "Tiên Yên", "province": "Quảng Ninh",
                      "start_km": [0.0, 14.0], "end_km": [4.0, 18.0]})
    out = admin.to_current(f, units=_tien_yen_units("polygon"), border=border)
    assert out["commune_current"].tolist() == ["Xã Tiên Yên", "Xã Điền Xá"]


@pytest.mark.parametrize("name", ["phong_tho", "dien_bien"])
def test_coverage_by_current_commune_equals_coverage_of_rekeyed_rows(name):
    ds = bg.datasets.load(name)
    cur = admin.to_current(ds)
    assert cur.assignments["commune"].tolist() == ds.assignments["commune"].tolist()
    by = bg.coverage(cur).by("commune_current")
    a = ds.assignments.copy()
    a["commune"] = cur.assignments["commune_current"].tolist()
    rekeyed = bg.Dataset(dict(ds.borders), ds.markers, a, name=ds.name)
    ref = bg.coverage(rekeyed).by("commune")
    ref.index.name = "commune_current"
    pd.testing.assert_frame_equal(by, ref)
    prov = admin.by_units(bg.coverage(cur), level="province")
    assert prov.attrs["units"] == "current" and "01/7/2025" in prov.attrs["title"]
    assert prov["covered_km"].sum() == pytest.approx(bg.coverage(ds).covered_km, abs=1e-9)
    dist = admin.by_units(bg.coverage(cur), level="district", units="recorded", lang="en")
    assert dist["covered_km"].sum() == pytest.approx(bg.coverage(ds).covered_km, abs=1e-9)
    with pytest.raises(InputError, match="districts exist only as recorded"):
        admin.by_units(bg.coverage(cur), level="district")


def test_phong_tho_border_communes_go_into_five_current_units():
    cur = admin.to_current(bg.datasets.load("phong_tho")).assignments
    assert cur["commune"].nunique() == 12
    # the 12 border communes, by the package's raw JSON keys
    official = {"Tông Qua Lìn": "Tung Qua Lìn", "Lả Nhì Thàng": "Lản Nhì Thàng", "Ma Ly Pho": "Ma Li Pho"}
    expected = {c: raw_targets("tinhlaichau_huyenphongtho_xa" + key(official.get(c, c)))
                for c in cur["commune"].unique()}
    assert all(len(v) == 1 for v in expected.values())
    got = dict(zip(cur["commune"], cur["commune_current"].map(key), strict=True))
    assert got == {c: v.pop() for c, v in expected.items()}
    assert cur["commune_current"].nunique() == 5


def test_units_for_date_keeps_old_units_for_rows_that_ended_before_the_reform():
    f = pd.DataFrame({"commune": ["Ma Li Pho", "Ma Li Pho", "Hoang Thèn"], "district": "Phong Thổ",
                      "province": "Lai Châu", "valid_from": ["2019-01-01", "2019-01-01", "2024-03-01"],
                      "valid_to": ["2024-12-31", None, None]})
    cur = admin.to_current(f)
    r = admin.units_for_date(cur)
    assert r["commune_report"].tolist() == ["Ma Li Pho", "Xã Phong Thổ", "Xã Khổng Lào"]
    assert r["admin_units"].tolist() == ["recorded", "current", "current"]
    assert admin.units_for_date(cur, as_of="2025-06-30")["admin_units"].eq("recorded").all()
    assert admin.units_for_date(cur, admin="current")["commune_report"].str.startswith("Xã").all()
    with pytest.raises(InputError, match="admin must be"):
        admin.units_for_date(cur, admin="new")


def test_dated_dataset_reported_in_the_units_of_each_rows_time():
    ds = admin.to_current(bg.datasets.load("phong_tho"))
    a = ds.assignments[ds.assignments["valid_to"].isna()].copy()  # the sample's current rows (not its history)
    a["valid_to"] = [("2024-12-31" if i % 2 else None) for i in range(len(a))]  # every other row ended in 2024
    dated = bg.Dataset(dict(ds.borders), ds.markers, a, name=ds.name)
    rep = admin.units_for_date(dated)
    t = admin.by_units(bg.coverage(rep, as_of="2024-12-30"), units="report")  # a day when every row is valid
    old_rows = a["valid_to"].notna()
    expected = pd.concat([a.loc[old_rows, "commune"], a.loc[~old_rows, "commune_current"]]).value_counts()
    assert t["assignments"].sort_index().to_dict() == expected.sort_index().to_dict()
    assert t.attrs["units"] == "report"


def test_by_column_missing_says_how_to_add_it():
    with pytest.raises(InputError, match="to_current"):
        bg.coverage(bg.datasets.load("phong_tho")).by("commune_current")


def test_crosswalk_table_lists_every_part_of_a_divided_commune():
    t = admin.crosswalk(province="Quảng Ninh")
    yt = t[t["commune"] == "Xã Yên Than"]
    assert set(yt["commune_current"]) == {"Xã Tiên Yên", "Xã Điền Xá"} and yt["split"].all()
    with pytest.raises(InputError, match="unknown province"):
        admin.crosswalk(province="Atlantis")


def test_current_units_of_lai_chau_and_dien_bien_match_the_resolutions_lists():
    # NQ 1670/NQ-UBTVQH15 (16/6/2025) as reported by Lao Động: 34 new communes + 2 wards + 2 unchanged communes.
    # The report (in English) writes "Pa Do" and "Bum mua"; the same report in Vietnamese (Người Tây Bắc,
    # nguoitaybac.vn/print-11566.html) has "Pa Ủ" and "Bum Nưa", as the package does (docs/admin_crosswalk.md).
    published = ("Muong Kim, Khoen On, Than Uyen, Muong Than, Pac Ta, Nam So, Tan Uyen, Muong Khoa, Ban Bo, Binh Lu, "
                 "Ta Leng, Khun Ha, Sin Suoi Ho, Phong Tho, Dao San, Si Lo Lau, Khong Lao, Tua Sin Chai, Sin Ho, "
                 "Hong Thu, Nam Tam, Pu Sam Cap, Nam Cuoi, Nam Ma, Le Loi, Nam Hang, Muong Mo, Hua Bum, Pa Tan, "
                 "Bum Nua, Bum To, Muong Te, Thu Lum, Pa U, Tan Phong, Doan Ket, Mu Ca, Ta Tong")
    expected = {key(n) for n in published.split(", ")}
    assert len(expected) == 38
    lc = admin.crosswalk(province="Lai Châu")
    got = {key(n.split(" ", 1)[1]) if n.startswith(("Xã ", "Phường ")) else key(n) for n in lc["commune_current"]}
    assert got == expected
    # NQ 1661/NQ-UBTVQH15: Điện Biên has 45 commune-level units (42 communes, 3 wards), all whole mergers
    db = admin.crosswalk(province="Điện Biên")
    assert db["commune_current"].nunique() == 45
    assert db["commune_current"].str.startswith("Phường").groupby(db["commune_current"]).first().sum() == 3
    assert not db["split"].any()


def test_unknown_province_and_district_name_the_users_column_and_the_nearest_names():
    f = pd.DataFrame({"xa": ["Ma Li Pho", "Ma Li Pho"], "huyen": ["Phong Thổ", "Phong Thọ Mới"],
                      "tinh": ["Lai Chau Moi", "Lai Châu"]})
    out = admin.to_current(f, commune="xa", district="huyen", province="tinh", errors="collect", lang="en")
    p = admin.admin_problems(out)
    assert p["field"].tolist() == ["tinh", "huyen"]
    assert p["value"].tolist() == ["Lai Chau Moi", "Phong Thọ Mới"]
    assert "Lai Châu" in p.loc[0, "candidates"] and "Phong Thổ" in p.loc[1, "candidates"]
    assert p.loc[0, "message"].startswith("No province 'Lai Chau Moi'")
    with pytest.raises(InputError, match=r"row 0, field 'tinh': Không tìm thấy tỉnh 'Lai Chau Moi'"):
        admin.to_current(f, commune="xa", district="huyen", province="tinh")


def test_divided_commune_in_a_dataset_decided_by_the_chainage_midpoint_of_its_stretch():
    border = LineString([(107.31, 21.35), (107.49, 21.35)])
    a = pd.DataFrame({"assignment_id": ["A", "B"], "group_type": "household", "village": ["Bản A", "Bản B"],
                      "commune": "Yên Than", "district": "Tiên Yên", "province": "Quảng Ninh",
                      "households": 5, "people": 20, "start_km": [0.0, 14.0], "end_km": [4.0, 18.0]})
    ds = bg.Dataset(border, assignments=a, left="CN", right="VN")
    cur = admin.to_current(ds, units=_tien_yen_units("polygon"))
    assert cur.assignments["commune_current"].tolist() == ["Xã Tiên Yên", "Xã Điền Xá"]
    assert len(cur.meta["admin_problems"]) == 0
    with pytest.raises(InputError, match="row 'A', field 'commune'"):
        admin.to_current(ds)  # no geometry of the new communes: both rows are split
