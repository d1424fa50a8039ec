"""Readers: real formats, every bad file answered with the library's own error or a problems row."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point

import bien_gioi_geo as bg
from bien_gioi_geo.io import atomic_path, check_frame


def _bad_files(reference: Path) -> list[Path]:
    base = reference / "bad-input"
    files = sorted((base / "geojsonhint" / "bad").glob("*.geojson"))
    for sub in ("invalid_geometries", "invalid_structure", "problematic_geometries", "problematic_structure"):
        files += sorted((base / "geojson-validator" / sub).glob("*.geojson"))
    return files


@pytest.mark.parametrize("reader", ["read_markers", "read_assignments", "read_border"])
def test_every_bad_geojson_gets_a_clean_answer(reference, reader):
    """No raw KeyError/TypeError/JSONDecodeError/GEOS error: a result, the library's error, or problem rows."""
    files = _bad_files(reference)
    assert len(files) >= 44 + 6 + 32 + 13
    fn = getattr(bg, reader)
    for f in files:
        try:
            gdf, problems = fn(f, errors="collect")
        except bg.BienGioiError as exc:
            assert f.name in str(exc)
            continue
        assert isinstance(gdf, gpd.GeoDataFrame)
        # nothing silently dropped: every input feature is either a row or named in the problems table
        doc_rows = set(gdf["source_row"]) if len(gdf) else set()
        prob_rows = set(problems["row"].dropna().astype(int))
        n = _n_features(f)
        assert doc_rows | prob_rows == set(range(1, n + 1)), f.name
        assert not (doc_rows & prob_rows), f.name
        # and each problem says where and what: this file, a known field (or the whole feature), a message
        assert (problems["source"] == f.name).all(), f.name
        assert set(problems["field"].dropna()) <= {"geometry", "properties", "id", "type", "marker_id",
                                                   "assignment_id", "left", "right"}, f.name
        assert problems["message"].str.len().gt(10).all(), f.name


def _n_features(f: Path) -> int:
    doc = json.loads(f.read_text(encoding="utf-8-sig"))
    if doc.get("type") == "FeatureCollection":
        return len(doc["features"])
    return 1


@pytest.mark.parametrize("name", [
    "bad-json.geojson", "bad-object-type.geojson", "bad-featurelist.geojson", "bad-duplicate-properties.geojson",
])
def test_geojsonhint_errors_name_the_file(reference, name):
    f = reference / "bad-input/geojsonhint/bad" / name
    with pytest.raises(bg.InputError, match=name.replace(".", r"\.")):
        bg.read_border(f)


def test_bad_json_reports_line_number(tmp_path):
    f = tmp_path / "border.geojson"
    f.write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }]}')
    with pytest.raises(bg.InputError, match=r"border\.geojson: not valid JSON at line 3"):
        bg.read_border(f)


def test_geojsonhint_good_files_read(reference):
    for f in sorted((reference / "bad-input/geojsonhint/good").glob("*.geojson")):
        try:
            bg.read_border(f, errors="collect")
        except bg.BienGioiError as exc:  # a file-level problem must still be ours
            assert f.name in str(exc)


def _geojson_geometries(path):
    """The geometry of each feature of a GeoJSON file (a bare geometry or Feature is one feature), read with json."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("type") == "FeatureCollection":
        return [f.get("geometry") for f in doc["features"]]
    return [doc.get("geometry") if doc.get("type") == "Feature" else doc]


def test_geojson_validator_valid_files_every_feature_kept_or_reported(reference):
    files = sorted((reference / "bad-input/geojson-validator/valid").glob("*.geojson"))
    assert len(files) >= 20
    for f in files:
        geoms = _geojson_geometries(f)
        lines = [g for g in geoms if g and g["type"] in ("LineString", "MultiLineString")]
        others = [(i, g) for i, g in enumerate(geoms, start=1) if not (g and g in lines)]
        good, problems = bg.read_border(f, errors="collect")
        assert good.geom_type.tolist() == [g["type"] for g in lines], f.name
        assert problems["row"].tolist() == [i for i, _ in others], f.name
        assert set(problems["field"]) <= {"geometry"}, f.name
        for (_, g), msg in zip(others, problems["message_en"], strict=True):
            empty = g is None or g.get("geometries") == [] or g.get("coordinates") == []
            expected = "needs a LineString or MultiLineString" if empty else f"not a {g['type']}"
            assert expected in msg, (f.name, msg)


def test_outside_lat_lon_is_refused_with_a_hint(reference, tmp_path):
    f = reference / "bad-input/geojson-validator/problematic_geometries/problematic_outside_lat_lon_boundaries.geojson"
    with pytest.raises(bg.InputError, match="feature 1, field 'geometry'"):
        bg.read_border(f)
    g = tmp_path / "border.geojson"
    g.write_text(json.dumps({"type": "Feature", "properties": {},
                             "geometry": {"type": "LineString", "coordinates": [[530669.5, 2489054.0], [0, 0]]}}))
    with pytest.raises(bg.InputError, match="look like projected metres"):
        bg.read_border(g)


# ------------------------------------------------------------------------------------- real formats
def test_shapefile_with_prj_and_geojson_parity(reference):
    shp = bg.read_admin(reference / "readers/fiona/gre.shp", errors="collect")[0]
    gj = bg.read_admin(reference / "readers/fiona/grenada.geojson", errors="collect")[0]
    assert len(shp) == len(gj) >= 1
    assert shp.geometry.iloc[0].symmetric_difference(gj.geometry.iloc[0]).area < 1e-9
    wild = bg.read_admin(reference / "readers/fiona/coutwildrnp.shp")
    assert len(wild) == 67
    assert tuple(round(v, 4) for v in wild.total_bounds) == (-113.5642, 37.069, -104.9709, 41.9963)


def test_shapefile_without_prj_is_refused_unless_crs_given(reference, tmp_path):
    for ext in ("shp", "shx", "dbf"):
        (tmp_path / f"gre.{ext}").write_bytes((reference / f"readers/fiona/gre.{ext}").read_bytes())
    with pytest.raises(bg.CRSError, match=r"gre\.shp: a Shapefile without \.prj"):
        bg.read_admin(tmp_path / "gre.shp")
    assert len(bg.read_admin(tmp_path / "gre.shp", crs="EPSG:4326")) == 1


def test_geopackage_zm_curve_and_nulls(reference):
    zm = bg.read_border(reference / "readers/pyogrio/line_zm.gpkg")
    assert zm.geometry.iloc[0].geom_type == "LineString" and not zm.geometry.iloc[0].has_z
    curve = bg.read_border(reference / "readers/pyogrio/curve.gpkg")
    assert curve.geometry.iloc[0].geom_type == "LineString"
    # the null-attribute layer has no marker_id: every row is named, none dropped silently
    m, problems = bg.read_markers(reference / "readers/pyogrio/test_gpkg_nulls.gpkg", errors="collect")
    assert len(m) == 0 and problems["row"].tolist() == [1, 2, 3, 4]
    assert (problems["field"] == "marker_id").all()


def test_csv_with_bom_inf_nan_and_bad_quoting(reference, tmp_path):
    with pytest.raises(bg.InputError, match=r"unbalanced_double_quotes\.csv, line 3: bad CSV quoting"):
        bg.read_markers(reference / "readers/gdal/unbalanced_double_quotes.csv")
    f = tmp_path / "m.csv"
    f.write_text("\ufeffmarker_id,lon,lat\n62,inf,22.5\n63,103.1,NaN\n64,103.2,22.6\n", encoding="utf-8")
    m, problems = bg.read_markers(f, errors="collect")
    assert m["marker_id"].tolist() == ["64"]
    # rows are the physical lines the user's editor shows (header = line 1)
    assert problems[["row", "field"]].values.tolist() == [[2, "lon"], [3, "lat"]]
    with pytest.raises(bg.InputError, match=r"m\.csv, row 2, field 'lon'"):
        bg.read_markers(f)


def test_gdal_bom_geojson_reads(reference):
    gdf, problems = bg.read_border(reference / "readers/gdal/point_with_utf8bom.json", errors="collect")
    assert problems["message"].str.contains("LineString or MultiLineString").all() and len(problems) == 1


def test_dms_csv_missing_hemisphere_and_mid_field_quote(reference):
    # GDAL's file: DMS text with an unescaped quote mid-field, no E/W letter; the column is not lon/lat here
    with pytest.raises(bg.InputError, match="assignment_id"):
        bg.read_assignments(reference / "readers/gdal/double_quotes_in_middle_of_field.csv")


# ------------------------------------------------------------------------------------- CSV coordinates
def test_csv_dms_and_decimal_degrees(tmp_path):
    f = tmp_path / "markers.csv"
    f.write_text('marker_id,kind,emplaced_by,lat,lon\n'
                 '62(1),double,VN,"22°31\'45.2""N","103°08\'15""E"\n'
                 '62(2),double,Trung Quốc,22.5292,103.1375\n', encoding="utf-8")
    m = bg.read_markers(f)
    assert m.geometry.iloc[0].y == pytest.approx(22 + 31 / 60 + 45.2 / 3600, abs=1e-12)
    assert m.geometry.iloc[0].x == pytest.approx(103 + 8 / 60 + 15 / 3600, abs=1e-12)
    assert m["emplaced_by"].tolist() == ["VN", "CN"]
    assert m["post"].tolist() == [1, 2] and m["number"].tolist() == ["62", "62"]


def test_csv_vn2000_needs_crs_and_is_datum_shifted(tmp_path):
    import pyproj

    # a point in Lai Châu, expressed in VN-2000 TM-3 103° by pyproj from WGS 84
    x, y = pyproj.Transformer.from_crs(4326, 9205, always_xy=True).transform(103.3, 22.5)
    f = tmp_path / "vn2000.csv"
    f.write_text(f"marker_id,x,y\n70,{x:.3f},{y:.3f}\n")
    with pytest.raises(bg.CRSError, match="state their CRS"):
        bg.read_markers(f)
    m = bg.read_markers(f, crs="EPSG:9205")
    assert m.geometry.iloc[0].x == pytest.approx(103.3, abs=1e-7)
    assert m.geometry.iloc[0].y == pytest.approx(22.5, abs=1e-7)
    # the same grid numbers read as if the datum were WGS 84 land ~220 m away: the shift is not ignored
    naive = pyproj.Transformer.from_crs(pyproj.CRS.from_proj4(
        "+proj=tmerc +lon_0=103 +k=0.9999 +x_0=500000 +ellps=WGS84"), 4326, always_xy=True).transform(x, y)
    d = pyproj.Geod(ellps="WGS84").inv(naive[0], naive[1], 103.3, 22.5)[2]
    assert 150 < d < 300


def test_swapped_lat_lon_gets_a_hint(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("marker_id,lat,lon\n62,103.1,22.5\n")
    with pytest.raises(bg.InputError, match="swapped"):
        bg.read_markers(f)


@pytest.mark.parametrize(("text", "axis", "value"), [
    ("22°31'45.2\"N", "lat", 22 + 31 / 60 + 45.2 / 3600),
    ("22° 31′ 45,2″ B", "lat", 22 + 31 / 60 + 45.2 / 3600),
    ("103°08'E", "lon", 103 + 8 / 60),
    ("103 08 00 Đ", "lon", 103 + 8 / 60),
    ("S 8 30", "lat", -8.5),
    ("-8.5", "lat", -8.5),
])
def test_parse_dms(text, axis, value):
    assert bg.parse_dms(text, axis) == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize(("text", "axis", "match"), [
    ("22°61'N", "lat", "below 60"),
    ("103°E", "lat", "longitude"),
    ("95°N", "lat", "outside"),
    ("abc", "lon", "cannot read"),
    ("", "lon", "expected degrees"),
])
def test_parse_dms_errors(text, axis, match):
    with pytest.raises(ValueError, match=match):
        bg.parse_dms(text, axis)


# ------------------------------------------------------------------------------------- model checks
def test_marker_rows_checked_with_row_numbers(tmp_path):
    f = tmp_path / "markers.geojson"
    feats = [
        {"type": "Feature", "properties": {"marker_id": "62(1)", "kind": "double", "emplaced_by": "VN"},
         "geometry": {"type": "Point", "coordinates": [103.1, 22.5]}},
        {"type": "Feature", "properties": {"marker_id": "62(4)", "kind": "double"},
         "geometry": {"type": "Point", "coordinates": [103.1, 22.5]}},
        {"type": "Feature", "properties": {"marker_id": "63", "kind": "giant"},
         "geometry": {"type": "Point", "coordinates": [103.1, 22.5]}},
        {"type": "Feature", "properties": {"marker_id": "64", "kind": "single"}, "geometry": None},
    ]
    f.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    with pytest.raises(bg.InputError, match=r"markers\.geojson, feature 2, field .marker_id.") as ei:
        bg.read_markers(f)
    msg = str(ei.value)
    assert "markers.geojson, feature 2, field 'marker_id'" in msg and "'62(4)'" in msg
    assert "feature 3, field 'kind'" in msg and "'giant'" in msg
    assert "feature 4, field 'geometry'" in msg
    m, problems = bg.read_markers(f, errors="collect")
    assert m["marker_id"].tolist() == ["62(1)"] and sorted(problems["row"]) == [2, 3, 4]


def test_assignments_mixed_forms_and_lists(tmp_path):
    f = tmp_path / "assignments.csv"
    f.write_text("assignment_id,village,commune,households,from_marker,to_marker,start_km,end_km,markers\n"
                 "A1,Bản A,Sì Lở Lầu,12,62,63,,,62(1);62(2)\n"
                 "A2,Bản B,Sì Lở Lầu,3,,,1.5,2.25,\n"
                 "A3,Bản C,Ma Li Pho,2.5,,,,,\n"
                 "A4,Bản D,Ma Li Pho,4,62,,,,\n", encoding="utf-8")
    a, problems = bg.read_assignments(f, errors="collect")
    assert a["assignment_id"].tolist() == ["A1", "A2"]
    assert a["stretch_by"].tolist() == ["markers", "chainage"]
    assert a["markers"].iloc[0] == ["62(1)", "62(2)"]
    assert problems[["row", "field"]].fillna("-").values.tolist() == [[4, "households"], [4, "-"],
                                                                      [5, "to_marker"]]


def test_vietnamese_names_nfc_and_original_kept(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Phong Thổ")
    f = tmp_path / "a.csv"
    f.write_text(f"assignment_id,district,start_km,end_km\nA1,{decomposed},0,1\nA2,Phong Thổ,1,2\n", encoding="utf-8")
    a = bg.read_assignments(f)
    assert a["district"].nunique() == 1 and a["district"].iloc[0] == "Phong Thổ"
    assert a["district_original"].tolist() == [decomposed, None]


def test_check_frame_accepts_in_memory_frames():
    df = gpd.GeoDataFrame({"marker_id": ["1", "2(1)", "2(2)", "2/1"]},
                          geometry=[Point(103, 22), Point(103.1, 22), Point(103.1, 22.001), Point(103.2, 22)],
                          crs="EPSG:4326")
    m = check_frame(df, "markers")
    assert m["kind"].tolist() == ["single", "double", "double", "auxiliary"] and m["kind_inferred"].all()


def test_read_dataset_folder_and_geopackage(tmp_path):
    line = LineString([(103.0, 22.5), (103.1, 22.55)])
    border = gpd.GeoDataFrame({"left": ["CN"], "right": ["VN"]}, geometry=[line], crs="EPSG:4326")
    markers = gpd.GeoDataFrame({"marker_id": ["1", "2"], "kind": ["single", "single"], "emplaced_by": ["VN", "CN"]},
                               geometry=[Point(103.0, 22.5), Point(103.1, 22.55)], crs="EPSG:4326")
    assignments = pd.DataFrame({"assignment_id": ["A"], "from_marker": ["1"], "to_marker": ["2"]})
    folder = tmp_path / "ds"
    folder.mkdir()
    bg.write_geojson(border, folder / "border.geojson")
    bg.write_geojson(markers, folder / "markers.geojson")
    assignments.to_csv(folder / "assignments.csv", index=False)
    ds = bg.read_dataset(folder)
    assert ds.border.left == "CN" and len(ds.markers) == 2 and len(ds.assignments) == 1
    gpkg = tmp_path / "ds.gpkg"
    border.to_file(gpkg, layer="border")
    markers.to_file(gpkg, layer="markers")
    ds2 = bg.read_dataset(gpkg)
    assert ds2.border.length_km == pytest.approx(ds.border.length_km) and len(ds2.markers) == 2


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    dest = tmp_path / "out.txt"
    dest.write_text("old")
    with pytest.raises(RuntimeError, match="interrupted"), atomic_path(dest) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert dest.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_error_tree():
    assert issubclass(bg.InputError, bg.BienGioiError) and issubclass(bg.InputError, ValueError)
    assert issubclass(bg.CRSError, ValueError)
    with pytest.raises(bg.CRSError, match="does not know the CRS 'EPSG:99999'"):
        bg.read_markers(__file__, crs="EPSG:99999")  # the CRS is refused before the file is read


def test_csv_wkt_with_curves_is_reported_not_crashed(reference):
    """fiona's curves_line.csv mixes MULTILINESTRING with MULTICURVE/COMPOUNDCURVE/CIRCULARSTRING WKT."""
    gdf, problems = bg.read_border(reference / "readers/fiona/curves_line.csv", errors="collect")
    assert len(gdf) + problems["row"].nunique() == 9  # every row is either read or reported
    assert (gdf.geometry.geom_type.isin(["LineString", "MultiLineString"])).all()
    assert problems["field"].eq("WKT").all()


def test_naturalearth_and_other_fiona_files(reference):
    ne = bg.read_admin(reference / "readers/pyogrio/naturalearth_lowres/naturalearth_lowres.shp")
    assert len(ne) == 177 and "Vietnam" in set(ne["name"])
    for name in ("trio.geojson", "test_tz.geojson"):
        for reader in (bg.read_markers, bg.read_assignments, bg.read_border):
            try:
                gdf, problems = reader(reference / "readers/fiona" / name, errors="collect")
            except bg.BienGioiError as exc:
                assert name in str(exc)


def test_excel_sheet_with_dms_and_vn2000(tmp_path):
    """An office's spreadsheet: DMS text in one sheet, VN-2000 TM-3 metres in another."""
    import pyproj

    x, y = pyproj.Transformer.from_crs(4326, 9205, always_xy=True).transform(103.3, 22.5)
    path = tmp_path / "moc.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"marker_id": ["62(1)", "63"], "kind": ["double", "single"], "emplaced_by": ["Việt Nam", "CN"],
                      "lat": ['22°31\'45.2"N', "22.6"], "lon": ['103°08\'15"E', "103.2"]}).to_excel(
            xl, sheet_name="dms", index=False)
        pd.DataFrame({"marker_id": [70], "kind": ["single"], "x": [round(x, 3)], "y": [round(y, 3)]}).to_excel(
            xl, sheet_name="vn2000", index=False)
    m = bg.read_markers(path)  # the first sheet
    assert m["marker_id"].tolist() == ["62(1)", "63"] and m["emplaced_by"].tolist() == ["VN", "CN"]
    assert m.geometry.iloc[0].y == pytest.approx(22 + 31 / 60 + 45.2 / 3600, abs=1e-12)
    with pytest.raises(bg.CRSError, match="state their CRS"):
        bg.read_markers(path, layer="vn2000")
    v = bg.read_markers(path, layer="vn2000", crs="EPSG:9205")
    assert v["marker_id"].tolist() == ["70"] and v.geometry.iloc[0].x == pytest.approx(103.3, abs=1e-7)
    with pytest.raises(bg.InputError, match="no sheet 'x'; sheets: dms, vn2000"):
        bg.read_markers(path, layer="x")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(bg.InputError, match=r"bad\.xlsx: cannot read the workbook"):
        bg.read_markers(bad)


# What each bad file must be answered with, read as a border: the file's own name says what is wrong with it.
# (feature, field, message pattern) for a problem row; (None, "ERR", pattern) for a file-level InputError.
BAD_GEOJSON_EXPECTED = {
    "geojsonhint/bad/bad-duplicate-properties.geojson": (None, "ERR", r"key 'type' appears twice"),
    "geojsonhint/bad/bad-json.geojson": (None, "ERR", r"not valid JSON at line 3"),
    "geojsonhint/bad/bad-object-type.geojson": (None, "ERR", r"\"type\" is \{\}"),
    "geojsonhint/bad/bad-properties-as-array.geojson": (1, "properties", "expected an object of properties"),
    "geojsonhint/bad/badcoord.geojson": (1, "geometry", "must hold finite numbers"),
    "geojsonhint/bad/badfeature.geojson": (1, None, "expected a Feature object"),
    "geojsonhint/bad/badfeatureid.geojson": (1, "id", "feature id must be a string or a number"),
    "geojsonhint/bad/bbox-4or6elements.geojson": (1, "geometry", "bbox .* 4 or 6 numbers"),
    "geojsonhint/bad/bbox-string.geojson": (1, "geometry", "bbox 'string'"),
    "geojsonhint/bad/different-first-last.geojson": (1, "geometry", "ring 1 is not closed"),
    "geojsonhint/bad/false.geojson": (1, "geometry", "geometry is a JSON bool"),
    "geojsonhint/bad/featurecollection-obj.geojson": (None, "ERR", "\"features\" is a JSON dict"),
    "geojsonhint/bad/featurecollection-type-case.geojson": (None, "ERR", "case-sensitive"),
    "geojsonhint/bad/featurecollection.geojson": (None, "ERR", "has no \"features\" member"),
    "geojsonhint/bad/nofeaturetype.geojson": (1, "type", "expected \"type\": \"Feature\""),
    "geojsonhint/bad/point-string.geojson": (1, "geometry", "must hold finite numbers"),
    "geojsonhint/bad/point-toofew.geojson": (1, "geometry", "has 1 numbers"),
    "geojsonhint/bad/point-toomany.geojson": (1, "geometry", "has 4 numbers"),
    "geojsonhint/bad/point.geojson": (1, "geometry", "has no \"coordinates\" member"),
    "geojsonhint/bad/rootstring.geojson": (None, "ERR", "the top level is a JSON"),
    "geojsonhint/bad/short-line.geojson": (1, "geometry", "a line needs at least 2"),
    "geojsonhint/bad/short-linearring.geojson": (1, "geometry", "a ring needs at least 4"),
    "geojsonhint/bad/unknowntype.geojson": (None, "ERR", "'FooBar'"),
    "geojsonhint/bad/polygon_winding_order.geojson": (1, "geometry", "not a Polygon"),
    "geojson-validator/invalid_structure/invalid_feature_wrong_geometry_key.geojson":
        (1, "geometry", "no \"geometry\" member"),
    "geojson-validator/invalid_structure/invalid_feature_properties_is_int.geojson":
        (1, "properties", "expected an object"),
    "geojson-validator/invalid_structure/invalid_geometry_coordinates_empty_position.geojson":
        (1, "geometry", "has 0 numbers"),
    "geojson-validator/invalid_structure/invalid_geometry_coordinates_missing.geojson":
        (1, "geometry", "no \"coordinates\" member"),
    "geojson-validator/invalid_structure/invalid_geometry_depth_shallow_linestring.geojson":
        (1, "geometry", "must be a list of numbers"),
    "geojson-validator/invalid_structure/invalid_featurecollection_feature_nullfeature.geojson":
        (1, None, "is a JSON NoneType"),
    "geojson-validator/invalid_structure/invalid_geometry_wrong_geometry_type.geojson":
        (None, "ERR", "'SomeThingElse'"),
    "geojson-validator/invalid_geometries/invalid_unclosed.geojson": (1, "geometry", "is not closed"),
    "geojson-validator/invalid_geometries/invalid_less_three_unique_nodes.geojson":
        (1, "geometry", "a ring needs at least 4"),
    "geojson-validator/problematic_geometries/problematic_crosses_antimeridian.geojson":
        (1, "geometry", r"outside longitude ±180"),
    "geojson-validator/problematic_geometries/problematic_feature_null_geometry.geojson":
        (1, "geometry", "needs a LineString"),
}


@pytest.mark.parametrize("name", sorted(BAD_GEOJSON_EXPECTED))
def test_bad_geojson_reports_what_is_wrong(reference, name):
    f = reference / "bad-input" / name
    row, field, pattern = BAD_GEOJSON_EXPECTED[name]
    if field == "ERR":
        with pytest.raises(bg.InputError, match=re.escape(f.name) + ": .*" + pattern):
            bg.read_border(f, errors="collect")
        return
    gdf, problems = bg.read_border(f, errors="collect")
    hit = problems[(problems["row"] == row) & (problems["field"].fillna("-") == (field or "-"))]
    assert hit["message"].str.contains(pattern).any(), problems.to_dict("records")
    where = f"{re.escape(f.name)}, feature {row}" + (f", field '{field}'" if field else "")
    with pytest.raises(bg.InputError, match=where):
        bg.read_border(f)
