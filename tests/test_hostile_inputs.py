"""A corpus of hostile and clumsy inputs: each ends with the library's own error or a problems row.

Every case builds its small file(s) in ``tmp_path`` and states what must come out:

* ``Err(cls, pattern)``: the call raises ``cls`` (a :class:`bien_gioi_geo.BienGioiError`) whose message matches
  ``pattern`` (which names the file, the row/feature and the field where there is one);
* ``Prob(row, field, pattern)``: with ``errors="collect"`` the reader returns a problems row at that row/feature
  and field whose message matches ``pattern``; with ``errors="raise"`` the same call raises
  :class:`~bien_gioi_geo.InputError` naming the file, the row/feature and the field.
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
from shapely import LineString, Point

import bien_gioi_geo as bg
from bien_gioi_geo.errors import BienGioiError
from bien_gioi_geo.io import check_frame


@dataclass
class Err:
    cls: type[BaseException]
    pattern: str


@dataclass
class Prob:
    row: int | None
    field: str | None
    pattern: str


Maker = Callable[[Path], Any]

# ------------------------------------------------------------------------------------------------ file makers


def text_file(name: str, text: str | bytes, encoding: str = "utf-8") -> Maker:
    def make(d: Path) -> Path:
        p = d / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding=encoding, newline="")
        return p
    return make


def feature(props: dict[str, Any], geom: Any = ("Point", [103.1, 22.5])) -> dict[str, Any]:
    g = geom if not isinstance(geom, tuple) else {"type": geom[0], "coordinates": geom[1]}
    return {"type": "Feature", "properties": props, "geometry": g}


def geojson(name: str, *features: dict[str, Any], extra: dict[str, Any] | None = None) -> Maker:
    doc = {"type": "FeatureCollection", **(extra or {}), "features": list(features)}
    return text_file(name, json.dumps(doc))


def raw_json(name: str, text: str) -> Maker:
    return text_file(name, text)


def xlsx(name: str, rows: list[list[Any]], *, sheet: str = "Mốc", merge: str | None = None) -> Maker:
    def make(d: Path) -> Path:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        for r in rows:
            ws.append(r)
        if merge:
            ws.merge_cells(merge)
        p = d / name
        wb.save(p)
        return p
    return make


def marker(mid: Any = "62", **props: Any) -> dict[str, Any]:
    return feature({"marker_id": mid, **props})


def assignment(**props: Any) -> dict[str, Any]:
    base = {"assignment_id": "A1", "village": "Bản A", "start_km": 1.0, "end_km": 2.0}
    base.update(props)
    return feature(base, None)


MARK_HEAD = "marker_id,kind,lon,lat,elevation_m\n"
ASSIGN_HEAD = "assignment_id,village,households,start_km,end_km\n"


# ------------------------------------------------------------------------------------------------ the corpus
# (id, maker, reader, kwargs, expectation). Row numbers: CSV physical line (header = 1), Excel sheet row,
# GeoJSON feature number.
CASES: list[tuple[str, Maker, str, dict[str, Any], Err | Prob]] = []


def case(cid: str, maker: Maker, reader: str, expect: Err | Prob, **kwargs: Any) -> None:
    CASES.append((cid, maker, reader, kwargs, expect))


# numbers that are not numbers, in a CSV marker table (elevation_m) and an assignment table (counts, chainage)
for i, bad in enumerate(["5km", "NaN", "inf", "-inf", "1e400", "12 m", "1.2.3", "--5", "0x10", "12e"]):
    case(f"csv-elevation-{i}", text_file("m.csv", MARK_HEAD + f"62,single,103.1,22.5,{bad}\n"), "read_markers",
         Prob(2, "elevation_m", "expected a (?:finite )?number|not a|too large"))
for i, bad in enumerate(["5 ngày", "NaN", "inf", "1e400", '"2,5,0"', "12 hộ"]):
    case(f"csv-start-km-{i}", text_file("a.csv", ASSIGN_HEAD + f"A1,Bản A,3,{bad},6\n"), "read_assignments",
         Prob(2, "start_km", "expected a|too large|finite"))
for i, bad in enumerate(["", "  "]):
    case(f"csv-blank-start-km-{i}", text_file("a.csv", ASSIGN_HEAD + f"A1,Bản A,3,{bad},6\n"), "read_assignments",
         Prob(2, "start_km", "needs both start_km and end_km"))
for i, bad in enumerate(["2.5", "12 hộ", "1e30", "10000000000000000000000000", "NaN", "ba"]):
    case(f"csv-households-{i}", text_file("a.csv", ASSIGN_HEAD + f"A1,Bản A,{bad},1,2\n"), "read_assignments",
         Prob(2, "households", "whole number|not plausible|expected a|finite"))

# GeoJSON values of the wrong JSON type or size
for i, (fld, bad) in enumerate([("elevation_m", True), ("elevation_m", "2024-01-01"), ("elevation_m", [1]),
                                 ("elevation_m", {"v": 1}), ("official_km", "5 ngày"), ("official_km", 10**400)]):
    case(f"gj-marker-number-{i}", geojson("m.geojson", marker("62"), marker("63", **{fld: bad})), "read_markers",
         Prob(2, fld, "expected a|boolean|too large|finite"))
for i, (fld, bad) in enumerate([("households", 10**25), ("people", 2**70), ("households", 1e30),
                                 ("collectives", -1.5), ("individuals", True), ("people", "nhiều"),
                                 ("start_km", "5 ngày"), ("end_km", None if False else "∞"), ("start_km", False),
                                 ("declared_km", "1e400")]):
    case(f"gj-assign-number-{i}", geojson("a.geojson", assignment(**{fld: bad})), "read_assignments",
         Prob(1, fld, "expected a|boolean|not plausible|whole number|finite|too large"))
# marker ids
for i, bad in enumerate(["62(4)", "abc", "62//1", 1e30, 2**70, "99999999999999999999", True, [62], {"id": 62},
                         "62(0)", "-5", "62/1/2", "x" * 5000, 62.5]):
    case(f"gj-marker-id-{i}", geojson("m.geojson", marker("61"), marker(bad)), "read_markers",
         Prob(2, "marker_id", "expected a marker id|post number|not marker ids"))
case("gj-marker-id-missing", geojson("m.geojson", feature({"kind": "single"})), "read_markers",
     Prob(1, "marker_id", "missing marker_id"))
# kinds, countries, dates
for i, (fld, bad, pat) in enumerate([
    ("kind", "giant", "expected one of"), ("kind", 5, "expected one of"), ("emplaced_by", "XYZ", "country code"),
    ("emplaced_by", "Mỹ", "country code"), ("last_inspected", "yesterday", "expected a date"),
    ("last_inspected", "2024-02-30", "expected a date"), ("last_inspected", 45000, "expected a date"),
    ("last_inspected", True, "expected a date"), ("last_inspected", [2024, 1, 1], "expected a date"),
]):
    case(f"gj-marker-field-{i}", geojson("m.geojson", marker("62", **{fld: bad})), "read_markers",
         Prob(1, fld, pat))
for i, (fld, bad) in enumerate([("valid_from", "31/31/2024"), ("valid_to", "mãi mãi"), ("valid_from", 3.5)]):
    case(f"gj-assign-date-{i}", geojson("a.geojson", assignment(**{fld: bad})), "read_assignments",
         Prob(1, fld, "expected a date"))
for i, (props, fld, pat) in enumerate([
    ({"from_marker": "62", "to_marker": "abc"}, "to_marker", "expected a marker id"),
    ({"from_marker": "62", "to_marker": None, "start_km": None, "end_km": None}, "to_marker", "needs both"),
    ({"markers": "[62, [1]]"}, "markers", "expected a marker id"),
    ({"markers": "[" * 5000}, "markers", "expected a list"),
    ({"markers": "62;x"}, "markers", "expected a marker id"),
    ({"start_km": None, "end_km": None}, None, "gives no stretch"),
]):
    case(f"gj-assign-terms-{i}", geojson("a.geojson", assignment(**props)), "read_assignments", Prob(1, fld, pat))
case("gj-no-assignment-id", geojson("a.geojson", assignment(assignment_id="  ")), "read_assignments",
     Prob(1, "assignment_id", "missing assignment_id"))

# geometries
for i, (geom, pat) in enumerate([
    (("Polygon", [[[103, 22], [103.1, 22], [103.1, 22.1], [103, 22]]]), "is a Point, not a Polygon"),
    (("LineString", [[103, 22], [103.1, 22]]), "is a Point, not a LineString"),
    (("Point", []), "empty position"),
    (("Point", [103.1]), "has 1 numbers"),
    (("Point", [103.1, "22.5"]), "finite numbers"),
    (("Point", [10**400, 22.5]), "finite numbers"),
    (("Point", [22.5, 103.1]), "swapped"),
    (("Point", [530669.5, 2489054.0]), "projected metres"),
    (("Point", [[103.1, 22.5]]), "finite numbers|must be a list|has 1 numbers"),
    (None, "needs a location"),
    ({"type": "Circle", "coordinates": [103, 22]}, "not a GeoJSON geometry type"),
    ({"type": "Point"}, "no \"coordinates\""),
    ("POINT (103 22)", "geometry is a JSON str"),
    ({"type": "GeometryCollection", "geometries": []}, "needs a location"),
]):
    case(f"gj-marker-geom-{i}", geojson("m.geojson", marker("62", kind="single") | {"geometry": None}
                                        if geom is None else feature({"marker_id": "62"}, geom)),
         "read_markers", Prob(1, "geometry", pat))


def _nested_collection(depth: int) -> dict[str, Any]:
    g: dict[str, Any] = {"type": "Point", "coordinates": [103, 22]}
    for _ in range(depth):
        g = {"type": "GeometryCollection", "geometries": [g]}
    return g


case("gj-coordinate-1e400", raw_json("m.geojson", '{"type":"Feature","properties":{"marker_id":"62"},'
                                     '"geometry":{"type":"Point","coordinates":[103.1, 1e400]}}'),
     "read_markers", Prob(1, "geometry", "finite numbers"))
case("gj-deep-collection", geojson("b.geojson", feature({}, _nested_collection(40))), "read_border",
     Prob(1, "geometry", "nested more than"))
case("gj-polygon-not-closed", geojson("b.geojson", feature({}, ("Polygon", [[[103, 22], [103.1, 22], [103.1, 22.1],
                                                                              [103.2, 22.2]]]))),
     "read_admin", Prob(1, "geometry", "not closed"))
case("gj-border-point", geojson("b.geojson", feature({})), "read_border", Prob(1, "geometry", "LineString"))
case("gj-border-left", geojson("b.geojson", feature({"left": "Narnia"}, ("LineString", [[103, 22], [103.1, 22]]))),
     "read_border", Prob(1, "left", "country code"))
case("gj-border-length", geojson("b.geojson", feature({"official_length_km": "97,229 km"},
                                                      ("LineString", [[103, 22], [103.1, 22]]))),
     "read_border", Prob(1, "official_length_km", "expected a number"))
case("gj-feature-not-object", geojson("m.geojson", marker("61"), "feature"), "read_markers",  # type: ignore[arg-type]
     Prob(2, None, "expected a Feature object"))
case("gj-properties-list", raw_json("m.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature",'
                                    '"properties":[1,2],"geometry":null}]}'), "read_markers",
     Prob(1, "properties", "expected an object"))
case("gj-feature-type", raw_json("m.geojson", '{"type":"FeatureCollection","features":[{"type":"feature",'
                                 '"properties":{},"geometry":null}]}'), "read_markers", Prob(1, "type", "Feature"))
case("gj-id-object", raw_json("m.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature","id":{},'
                              '"properties":{"marker_id":"62"},"geometry":{"type":"Point","coordinates":[103,22]}}]}'),
     "read_markers", Prob(1, "id", "feature id"))
# GeoJSON files that are not GeoJSON
case("gj-top-list", raw_json("m.geojson", "[1, 2]"), "read_markers", Err(bg.InputError, r"m\.geojson: the top level"))
case("gj-invalid-json", raw_json("m.geojson", '{"type": "FeatureCollection",'), "read_markers",
     Err(bg.InputError, r"m\.geojson: not valid JSON at line 1"))
case("gj-nan-literal", raw_json("m.geojson", '{"type":"Point","coordinates":[NaN, 1]}'), "read_markers",
     Err(bg.InputError, r"m\.geojson: NaN is not valid JSON"))
case("gj-deep-arrays", raw_json("m.geojson", "[" * 100_000 + "]" * 100_000), "read_markers",
     Err(bg.InputError, r"m\.geojson: JSON nested too deeply"))
case("gj-deep-objects", raw_json("m.geojson", '{"a":' * 50_000 + "1" + "}" * 50_000), "read_markers",
     Err(bg.InputError, r"m\.geojson: JSON nested too deeply"))
case("gj-duplicate-key", raw_json("m.geojson", '{"type":"FeatureCollection","features":[],"features":[]}'),
     "read_markers", Err(bg.InputError, r"m\.geojson: the key 'features' appears twice"))
case("gj-type-case", raw_json("m.geojson", '{"type":"featurecollection","features":[]}'), "read_markers",
     Err(bg.InputError, "case-sensitive"))
case("gj-png", text_file("m.geojson", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "read_markers",
     Err(bg.InputError, r"m\.geojson: not UTF-8 text at byte 0"))
case("gj-empty", text_file("m.geojson", b""), "read_markers", Err(bg.InputError, r"m\.geojson: the file is empty"))
case("gj-cp1252", text_file("m.geojson", '{"type":"FeatureCollection","features":[]} "Phong Thô"', "cp1258"),
     "read_markers", Err(bg.InputError, r"m\.geojson: not UTF-8"))
case("gj-features-object", raw_json("m.geojson", '{"type":"FeatureCollection","features":{}}'), "read_markers",
     Err(bg.InputError, r"\"features\" is a JSON dict"))
case("gj-bad-legacy-crs", geojson("m.geojson", marker("62"), extra={"crs": {"type": "name",
                                                                          "properties": {"name": "EPSG:99999"}}}),
     "read_markers", Err(bg.CRSError, r"m\.geojson: the file's \"crs\" member"))
case("gj-legacy-crs-shape", geojson("m.geojson", marker("62"), extra={"crs": "EPSG:9205"}), "read_markers",
     Err(bg.InputError, r"m\.geojson: the legacy \"crs\" member"))
case("gj-degrees-as-tm3", geojson("m.geojson", marker("62"), extra={"crs": {"type": "name",
                                                                          "properties": {"name": "EPSG:9205"}}}),
     "read_markers", Prob(1, "geometry", r"TM-3 103-00.*area of use"))
case("gj-crs-conflict", geojson("m.geojson", marker("62"), extra={"crs": {"type": "name",
                                                                        "properties": {"name": "EPSG:9205"}}}),
     "read_markers", Err(bg.CRSError, r"m\.geojson: the file declares crs"), crs="EPSG:4756")
case("gj-crs-degrees-given-tm3", geojson("m.geojson", marker("62")), "read_markers",
     Prob(1, "geometry", r"area of use"), crs="EPSG:9205")

# CSV structure
case("csv-cp1252", text_file("m.csv", "marker_id,lon,lat,notes\n62,103.1,22.5,Phong Thô\n", "cp1258"),
     "read_markers", Err(bg.InputError, r"m\.csv: not UTF-8 text at byte \d+.*Windows-1258"))
LATIN1_PREFIX = "marker_id,lon,lat,notes 62,103.1,22.5,Caf"  # the é is the first byte that is not UTF-8
case("csv-latin1", text_file("m.csv", "marker_id,lon,lat,notes\n62,103.1,22.5,Café\n", "latin-1"),
     "read_markers", Err(bg.InputError, rf"m\.csv: not UTF-8 text at byte {len(LATIN1_PREFIX)}\b"))
case("csv-nul", text_file("m.csv", b"marker_id,lon,lat\n62,103.1,2\x002.5\n"), "read_markers",
     Err(bg.InputError, r"m\.csv: NUL character"))
case("csv-utf16-no-bom", text_file("m.csv", "marker_id,lon,lat\n62,103.1,22.5\n".encode("utf-16-le")),
     "read_markers", Err(bg.InputError, r"m\.csv: NUL character"))
case("csv-empty", text_file("m.csv", b""), "read_markers", Err(bg.InputError, r"m\.csv: the file is empty"))
case("csv-blank-lines", text_file("m.csv", "\n \n\n"), "read_markers", Err(bg.InputError, r"m\.csv: the file is empty"))
case("csv-header-blank", text_file("m.csv", ",,,\n1,2,3,4\n"), "read_markers",
     Err(bg.InputError, r"m\.csv, line 1: the header row has no column names"))
case("csv-dup-header", text_file("m.csv", "marker_id,lon,lat,lat\n62,103,22,22\n"), "read_markers",
     Err(bg.InputError, r"m\.csv, line 1: column\(s\) \['lat'\] appear more than once"))
case("csv-bad-quote", text_file("m.csv", 'marker_id,lon,lat\n62,"103.1,22.5\n'), "read_markers",
     Err(bg.InputError, r"m\.csv, line \d: bad CSV quoting"))
case("csv-too-many-fields", text_file("m.csv", "marker_id,lon,lat\n62,103.1,22.5,9\n"), "read_markers",
     Prob(2, None, "has 4 fields; the header has 3"))
case("csv-too-few-fields", text_file("m.csv", "marker_id,lon,lat\n\n\n62,103.1\n"), "read_markers",
     Prob(4, None, "has 2 fields"))
case("csv-one-coordinate", text_file("m.csv", "marker_id,lon\n62,103.1\n"), "read_markers",
     Err(bg.InputError, r"m\.csv: found only one coordinate column"))
case("csv-xy-no-crs", text_file("m.csv", "marker_id,x,y\n62,530669,2489054\n"), "read_markers",
     Err(bg.CRSError, r"m\.csv: columns 'x'/'y' hold projected coordinates"))
case("csv-xy-geographic-crs", text_file("m.csv", "marker_id,x,y\n62,530669,2489054\n"), "read_markers",
     Err(bg.CRSError, r"m\.csv: .*geographic"), crs="EPSG:4326")
case("csv-xy-degrees-as-tm3", text_file("m.csv", "marker_id,x,y\n62,103.3,22.5\n"), "read_markers",
     Prob(2, "x", r"VN-2000 / TM-3 103-00.*area of use"), crs="EPSG:9205")
case("csv-xy-wrong-zone-far", text_file("m.csv", "marker_id,x,y\n62,530669,9489054\n"), "read_markers",
     Prob(2, "x", r"area of use|outside"), crs="EPSG:9205")
case("csv-lonlat-metres", text_file("m.csv", "marker_id,lon,lat\n62,530669.5,2489054\n"), "read_markers",
     Prob(2, "lon", r"outside ±180|projected"))
case("csv-lonlat-projected-crs", text_file("m.csv", "marker_id,lon,lat\n62,103,22\n"), "read_markers",
     Err(bg.CRSError, r"m\.csv: columns 'lon'/'lat' are degrees but crs='EPSG:9205' is projected"), crs="EPSG:9205")
for i, (lon, lat, fld) in enumerate([("abc", "22.5", "lon"), ("103.1", "95", "lat"), ("NaN", "22.5", "lon"),
                                     ("103.1", "inf", "lat"), ("103.1", "", "lat"), ('"22°31\'N"', "103.1", "lon"),
                                     ("103°61'E", "22.5", "lon"), ("1" * 500, "22.5", "lon")]):
    case(f"csv-lonlat-{i}", text_file("m.csv", f"marker_id,lon,lat\n62,{lon},{lat}\n"), "read_markers",
         Prob(2, fld, r"expected|outside|finite|cannot read|below 60|belongs to"))
case("csv-unknown-crs", text_file("m.csv", "marker_id,lon,lat\n62,103.1,22.5\n"), "read_markers",
     Err(bg.CRSError, r"m\.csv: crs: pyproj does not know the CRS 'EPSG:99999'"), crs="EPSG:99999")
case("csv-crs-list", text_file("m.csv", "marker_id,lon,lat\n62,103.1,22.5\n"), "read_markers",
     Err(bg.CRSError, r"m\.csv: crs"), crs=[1, 2])
case("csv-wkt-deep", text_file("b.csv", "wkt\n\"" + "GEOMETRYCOLLECTION (" * 100_000 + "POINT (1 2)" +
                               ")" * 100_000 + "\"\n"), "read_border", Prob(2, "wkt", "nested 100001 parentheses"))
case("csv-wkt-garbage", text_file("b.csv", 'wkt\n"LINESTRING (103 22, abc)"\n'), "read_border",
     Prob(2, "wkt", "not readable WKT"))
case("csv-wkt-curve", text_file("b.csv", "wkt\n\"CIRCULARSTRING (103 22, 103.1 22.1, 103.2 22)\"\n"),
     "read_border", Prob(2, "wkt", "curve"))
case("csv-wkt-nan", text_file("b.csv", "wkt\n\"LINESTRING (103 22, nan 22.1)\"\n"), "read_border",
     Prob(2, "geometry", "not finite"))
case("csv-wkt-point-border", text_file("b.csv", "wkt\nPOINT (103 22)\n"), "read_border",
     Prob(2, "geometry", "LineString"))
case("csv-wkt-empty-marker", text_file("m.csv", "marker_id,wkt\n62,POINT EMPTY\n"), "read_markers",
     Prob(2, "geometry", "needs a location"))
case("csv-wkt-polygon-marker", text_file("m.csv", "marker_id,wkt\n62,\"POLYGON ((103 22, 103.1 22, 103 22.1, "
                                         "103 22))\"\n"), "read_markers", Prob(2, "geometry", "not a Polygon"))
case("csv-wkt-collection", text_file("b.csv", "wkt\nGEOMETRYCOLLECTION (POINT (1 2))\n"), "read_border",
     Prob(2, "wkt", "unsupported geometry type"))
case("csv-multiline-row-number", text_file("m.csv", 'marker_id,notes,lon,lat\n61,"a\nb\nc",103.1,22.5\n\n'
                                           "62,x,103.1,95\n"), "read_markers", Prob(6, "lat", "outside"))
case("csv-blank-lines-counted", text_file("m.csv", "marker_id,lon,lat\n" + "\n" * 1000 + "62,103.1,95\n"),
     "read_markers", Prob(1002, "lat", "outside"))
case("gj-lone-surrogate", raw_json("m.geojson", '{"type":"Feature","properties":{"marker_id":"62","notes":'
                                   '"Ph\\ud800ng"},"geometry":{"type":"Point","coordinates":[103.1, 22.5]}}'),
     "read_markers", Prob(1, "notes", "unpaired surrogate code point U\\+D800 at position 3"))
case("gj-lone-surrogate-key", raw_json("m.geojson", '{"type":"Feature","properties":{"marker_id":"62","\\udc00":'
                                       '1},"geometry":{"type":"Point","coordinates":[103.1, 22.5]}}'),
     "read_markers", Prob(1, "\\udc00", "unpaired surrogate"))  # shown escaped: no pandas column holds it
case("shp-without-shx", lambda d: _shapefile(d, drop=".shx"), "read_markers", Err(bg.InputError, r"m\.shp"))
case("csv-semicolon-bad", text_file("m.csv", "marker_id;lon;lat\n62;103,1;9x\n"), "read_markers",
     Prob(2, "lat", "cannot read"))
case("txt-bad-row", text_file("m.txt", "marker_id\tlon\tlat\n62\t103.1\t22.5\n63\t\t22.5\n"), "read_markers",
     Prob(3, "lon", "expected degrees"))

# Excel
case("xlsx-zip-of-junk", lambda d: _zip_of_junk(d / "m.xlsx"), "read_markers",
     Err(bg.InputError, r"m\.xlsx: cannot read the workbook"))
case("xlsx-not-zip", text_file("m.xlsx", b"PK\x03\x04 not really"), "read_markers",
     Err(bg.InputError, r"m\.xlsx: cannot read the workbook"))
case("xlsx-csv-inside", text_file("m.xlsx", "marker_id,lon,lat\n62,103,22\n"), "read_markers",
     Err(bg.InputError, r"m\.xlsx: cannot read the workbook"))
case("xlsx-missing-sheet", xlsx("m.xlsx", [["marker_id", "lon", "lat"], ["62", 103.1, 22.5]]), "read_markers",
     Err(bg.InputError, r"m\.xlsx: no sheet 'Cột mốc'; sheets: Mốc"), layer="Cột mốc")
case("xlsx-empty-sheet", xlsx("m.xlsx", []), "read_markers",
     Err(bg.InputError, r"m\.xlsx, sheet 'Mốc': the sheet is empty"))
case("xlsx-header-blank", xlsx("m.xlsx", [["", "  ", None], ["62", 103.1, 22.5]]), "read_markers",
     Err(bg.InputError, r"m\.xlsx, sheet 'Mốc', row 1: the header row has no column names"))
case("xlsx-dup-header", xlsx("m.xlsx", [["marker_id", "lon", "lon", "lat"], ["62", 103.1, 103.1, 22.5]]),
     "read_markers", Err(bg.InputError, r"m\.xlsx, sheet 'Mốc', row 1: column\(s\) \['lon'\]"))
case("xlsx-formula-no-value", xlsx("m.xlsx", [["marker_id", "lon", "lat", "elevation_m"],
                                              ["61", 103.1, 22.5, 800], ["62", 103.1, 22.5, "=D2+10"]]),
     "read_markers", Prob(3, "elevation_m", r"formula without a saved value"))
case("xlsx-formula-in-id", xlsx("m.xlsx", [["marker_id", "lon", "lat"], ['=CONCAT("6","2")', 103.1, 22.5]]),
     "read_markers", Prob(2, "marker_id", r"formula without a saved value"))
case("xlsx-date-in-number", xlsx("m.xlsx", [["assignment_id", "start_km", "end_km"],
                                            ["A1", pd.Timestamp("2024-01-02").to_pydatetime(), 3]]),
     "read_assignments", Prob(2, "start_km", "expected a number"))
case("xlsx-bool-in-count", xlsx("m.xlsx", [["assignment_id", "households", "start_km", "end_km"],
                                           ["A1", True, 1, 3]]), "read_assignments",
     Prob(2, "households", "expected a number"))
case("xlsx-row-after-title", xlsx("m.xlsx", [[], ["marker_id", "lon", "lat"], ["61", 103.1, 22.5], [],
                                             ["62", 103.1, 95]]), "read_markers", Prob(5, "lat", "outside"))
case("xlsx-huge-int", xlsx("m.xlsx", [["marker_id", "lon", "lat"], [10**30, 103.1, 22.5]]), "read_markers",
     Prob(2, "marker_id", "expected a marker id|not marker ids"))

# Shapefile / GeoPackage
case("shp-without-dbf", lambda d: _shapefile(d, drop=".dbf"), "read_markers", Err(bg.InputError, r"m\.shp"))
case("shp-without-shp", lambda d: _shapefile(d, drop=".shp"), "read_markers",
     Err(bg.InputError, r"m\.shp: no such file"))
case("shp-bad-kind", lambda d: _shapefile(d, kind="giant"), "read_markers", Prob(1, "kind", "expected one of"))
case("shp-truncated-bad-date", lambda d: _shapefile(d, last_inspected="hôm qua"), "read_markers",
     Prob(1, "last_inspected", "expected a date"))
case("gpkg-missing-layer", lambda d: _gpkg(d), "read_markers", Err(bg.InputError, r"m\.gpkg: cannot read layer 'moc'"),
     layer="moc")
case("gpkg-junk", text_file("m.gpkg", b"SQLite format 3\x00" + b"\x00" * 100), "read_markers",
     Err(bg.InputError, r"m\.gpkg: cannot read"))
case("gpkg-bad-count", lambda d: _gpkg(d, kind="assignments"), "read_assignments",
     Prob(1, "households", "whole number"))
case("gpkg-no-crs-tm3", lambda d: _gpkg(d, xy=(103.3, 22.5), crs="EPSG:9205"), "read_markers",
     Prob(1, "geometry", "area of use"))

case("xlsx-0-bytes", text_file("m.xlsx", b""), "read_markers", Err(bg.InputError, r"m\.xlsx: cannot read"))
case("gpkg-0-bytes", text_file("m.gpkg", b""), "read_markers", Err(bg.InputError, r"m\.gpkg: cannot read"))
case("shp-0-bytes", text_file("m.shp", b""), "read_markers", Err(bg.InputError, r"m\.shp: cannot read"))
case("csv-is-xlsx", lambda d: _as(xlsx("x.xlsx", [["marker_id"], ["62"]])(d), "m.csv"), "read_markers",
     Err(bg.InputError, r"m\.csv: not UTF-8 text at byte \d+"))
case("geojson-is-csv", text_file("m.geojson", "marker_id,lon,lat\n62,103,22\n"), "read_markers",
     Err(bg.InputError, r"m\.geojson: not valid JSON at line 1"))
case("gpkg-lines-as-markers", lambda d: _gpkg(d, kind="assignments"), "read_markers",
     Prob(1, "marker_id", "missing marker_id"))

# files that are not files
case("directory-as-geojson", lambda d: _mkdir(d / "m.geojson"), "read_markers",
     Err(bg.InputError, r"m\.geojson: is a folder"))
case("directory-as-csv", lambda d: _mkdir(d / "m.csv"), "read_markers", Err(bg.InputError, r"m\.csv: is a folder"))
case("missing-file", lambda d: d / "nothing.csv", "read_markers", Err(bg.InputError, r"nothing\.csv: no such file"))
case("unknown-extension", text_file("m.docx", b"PK"), "read_markers", Err(bg.InputError, r"m\.docx: unknown file type"))
case("path-none", lambda d: None, "read_markers", Err(bg.InputError, "must be a file name"))
case("path-int", lambda d: 5, "read_markers", Err(bg.InputError, "must be a file name"))
case("path-bytes", lambda d: b"m.csv", "read_markers", Err(bg.InputError, "must be a file name"))
case("path-nul", lambda d: str(d / "m\x00.csv"), "read_markers", Err(bg.InputError, "not a usable file name"))
case("errors-bogus", text_file("m.csv", "marker_id,lon,lat\n"), "read_markers",
     Err(bg.InputError, "errors must be 'raise' or 'collect'"), errors="ignore")
case("layer-int", text_file("m.csv", "marker_id,lon,lat\n"), "read_markers", Err(bg.InputError, "layer must be"),
     layer=3)


def _as(p: Path, name: str) -> Path:
    return p.rename(p.with_name(name))


def _mkdir(p: Path) -> Path:
    p.mkdir()
    return p


def _zip_of_junk(p: Path) -> Path:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("junk.txt", "hello")
    return p


def _shapefile(d: Path, *, drop: str | None = None, **props: Any) -> Path:
    row = {"marker_id": "62", "kind": "single", "emplaced_by": "VN", "last_inspected": "2024-01-02"}
    row.update(props)
    with warnings.catch_warnings():  # geopandas warns that it cuts the names to 10 characters: that is the point
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's "laundered field name" warnings
        gpd.GeoDataFrame({k: [v] for k, v in row.items()}, geometry=[Point(103.1, 22.5)], crs="EPSG:4326").to_file(
            d / "m.shp", engine="pyogrio")
    if drop:
        (d / "m.shp").with_suffix(drop).unlink()
    return d / "m.shp"


def _gpkg(d: Path, *, kind: str = "markers", xy: tuple[float, float] = (103.1, 22.5),
          crs: str = "EPSG:4326") -> Path:
    if kind == "markers":
        gdf = gpd.GeoDataFrame({"marker_id": ["62"]}, geometry=[Point(*xy)], crs=crs)
    else:
        gdf = gpd.GeoDataFrame({"assignment_id": ["A1"], "households": [2.5]},
                               geometry=[LineString([(103, 22), (103.1, 22)])], crs=crs)
    gdf.to_file(d / "m.gpkg", layer=kind, engine="pyogrio")
    return d / "m.gpkg"


def _where_pattern(name: str, expect: Prob) -> str:
    unit = "feature" if name.endswith((".geojson", ".json", ".shp", ".gpkg")) else "row"
    parts = [re.escape(name) + r"(, sheet '[^']*')?"]
    if expect.row is not None:
        parts.append(f"{unit} {expect.row}")
    if expect.field is not None:
        parts.append(re.escape(f"field {expect.field!r}"))
    return ", ".join(parts)


@pytest.mark.parametrize(("maker", "reader", "kwargs", "expect"),
                         [pytest.param(m, r, k, e, id=cid) for cid, m, r, k, e in CASES])
def test_hostile_file(tmp_path, maker, reader, kwargs, expect):
    path = maker(tmp_path)
    fn = getattr(bg, reader)
    if isinstance(expect, Err):
        with pytest.raises(expect.cls, match=expect.pattern) as ei:
            fn(path, **kwargs)
        assert isinstance(ei.value, BienGioiError)
        return
    gdf, problems = fn(path, errors="collect", **kwargs)
    assert isinstance(gdf, gpd.GeoDataFrame)
    hits = problems[(problems["row"].astype("float").fillna(-1) == (expect.row if expect.row is not None else -1))
                    & (problems["field"].fillna("-") == (expect.field or "-"))]
    assert len(hits), problems.to_string()
    assert hits["message"].str.contains(expect.pattern, regex=True).any(), hits["message"].tolist()
    assert expect.row is None or expect.row not in set(gdf.get("source_row", []))  # the bad row is not also kept
    with pytest.raises(bg.InputError, match=_where_pattern(Path(path).name, expect)):
        fn(path, **kwargs)


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 150
    kinds = {cid.split("-")[0] for cid, *_ in CASES}
    assert {"csv", "gj", "xlsx", "shp", "gpkg", "path"} <= kinds


# ------------------------------------------------------------------------------------------------ dataset folders
BORDER = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"left": "CN", "right": "VN"},
     "geometry": {"type": "LineString", "coordinates": [[103.0, 22.5], [103.1, 22.55]]}}]}
MARKERS_CSV = "marker_id,kind,lon,lat\n62,single,103.05,22.52\n"


def folder(files: dict[str, str | bytes]) -> Maker:
    def make(d: Path) -> Path:
        ds = d / "ds"
        ds.mkdir()
        (ds / "border.geojson").write_text(json.dumps(BORDER))
        for name, content in files.items():
            if isinstance(content, bytes):
                (ds / name).write_bytes(content)
            elif name.endswith("/"):
                (ds / name).mkdir()
            else:
                (ds / name).write_text(content, encoding="utf-8")
        return ds
    return make


DATASET_CASES = [
    ("two-markers-files", {"markers.csv": MARKERS_CSV, "markers.geojson": json.dumps(BORDER)},
     r"2 files for the markers table \(markers\.csv, markers\.geojson\)"),
    ("markers-and-moc", {"markers.csv": MARKERS_CSV, "cot_moc.csv": MARKERS_CSV},
     r"2 files for the markers table \(cot_moc\.csv, markers\.csv\)"),
    ("dated-markers-file", {"markers_2024.geojson": json.dumps(BORDER)},
     r"'markers_2024\.geojson' looks like a markers table.*found border\.geojson, markers_2024\.geojson.*expected"),
    ("old-border-file", {"border_old.csv": "wkt\n"}, r"'border_old\.csv' looks like a border table"),
    ("meta-list", {"dataset.json": "[1, 2]"}, r"dataset\.json: the top level is a JSON list"),
    ("meta-string", {"dataset.json": '"phong tho"'}, r"dataset\.json: the top level is a JSON str"),
    ("meta-invalid", {"dataset.json": '{"name": "x",}'}, r"dataset\.json: not valid JSON at line 1"),
    ("meta-cp1252", {"dataset.json": '{"name": "Phong Thô"}'.encode("cp1258")}, r"dataset\.json: not UTF-8 text"),
    ("meta-nan", {"dataset.json": '{"official_length_km": NaN}'}, r"dataset\.json: not usable JSON"),
    ("meta-deep", {"dataset.json": "[" * 100_000}, r"dataset\.json: (not usable|not valid) JSON"),
    ("meta-length-text", {"dataset.json": '{"official_length_km": "97,229"}'},
     r"dataset\.json, key 'official_length_km': '97,229' is not a positive number"),
    ("meta-length-negative", {"dataset.json": '{"official_length_km": -5}'},
     r"dataset\.json, key 'official_length_km': -5 is not a positive"),
    ("meta-length-bool", {"dataset.json": '{"official_length_km": true}'},
     r"dataset\.json, key 'official_length_km': True is not"),
    ("meta-length-huge", {"dataset.json": '{"official_length_km": 1e400}'}, r"key 'official_length_km'"),
    ("meta-left-bad", {"dataset.json": '{"left": "Narnia"}'}, r"dataset\.json, key 'left': 'Narnia'"),
    ("meta-left-number", {"dataset.json": '{"left": 84}'}, r"dataset\.json, key 'left': 84 is not a country code"),
    ("meta-name-list", {"dataset.json": '{"name": ["a"]}'}, r"dataset\.json, key 'name'"),
    ("meta-unknown-key", {"dataset.json": '{"offical_length_km": 97.2}'},
     r"dataset\.json: unknown key 'offical_length_km'; dataset\.json may hold name"),
    ("meta-path-escape", {"dataset.json": '{"markers": "../../etc/passwd"}'},
     r"dataset\.json: unknown key 'markers'.*never by a path"),
    ("meta-absolute-path", {"dataset.json": '{"border_file": "/etc/passwd"}'}, r"unknown key 'border_file'"),
    ("meta-directory", {"dataset.json/": ""}, r"dataset\.json: is not a file"),
    ("bad-markers-inside", {"markers.csv": "marker_id,lon,lat\n62,abc,22.5\n"}, r"markers\.csv, row 2, field 'lon'"),
]


@pytest.mark.parametrize(("files", "pattern"), [pytest.param(f, p, id=i) for i, f, p in DATASET_CASES])
def test_hostile_dataset_folder(tmp_path, files, pattern):
    path = folder(files)(tmp_path)
    with pytest.raises(bg.InputError, match=pattern):
        bg.read_dataset(path)


def test_dataset_folder_without_border_lists_what_it_found(tmp_path):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "markers.csv").write_text(MARKERS_CSV)
    with pytest.raises(bg.InputError, match=r"no border file; found markers\.csv; expected border: border"):
        bg.read_dataset(d)
    with pytest.raises(bg.InputError, match=r"read_dataset takes a folder"):
        bg.read_dataset(d / "markers.csv")
    with pytest.raises(bg.InputError, match=r"no such file"):
        bg.read_dataset(tmp_path / "nothing")


def test_dataset_folder_unrelated_file_is_noted_not_read(tmp_path):
    path = folder({"markers.csv": MARKERS_CSV, "gap_bridges.geojson": json.dumps(BORDER),
                   "dataset.json": '{"name": "t", "official_length_km": 12.5, "left": "Trung Quốc"}'})(tmp_path)
    ds = bg.read_dataset(path)
    assert len(ds.markers) == 1 and ds.border.official_length_km == 12.5 and ds.name == "t"
    assert any("gap_bridges.geojson is not one of the dataset's tables" in n for n in ds.meta["read_notes"])


def test_dataset_collect_reports_bad_rows_of_each_table(tmp_path):
    path = folder({"markers.csv": MARKERS_CSV + "63,single,abc,22.5\n",
                   "assignments.csv": "assignment_id,households,start_km,end_km\nA1,2.5,0,1\nA2,3,5 ha,6\n"})(tmp_path)
    ds, problems = bg.read_dataset(path, errors="collect")
    got = sorted(zip(problems["source"], problems["row"], problems["field"], strict=True))
    assert got == [("assignments.csv", 2, "households"), ("assignments.csv", 3, "start_km"),
                   ("markers.csv", 3, "lon")]
    assert len(ds.markers) == 1 and len(ds.assignments) == 0


def test_geopackage_dataset_without_border_layer(tmp_path):
    p = tmp_path / "d.gpkg"
    gpd.GeoDataFrame({"marker_id": ["62"]}, geometry=[Point(103.1, 22.5)], crs=4326).to_file(p, layer="markers")
    with pytest.raises(bg.InputError, match=r"d\.gpkg: no border layer .*layers: markers"):
        bg.read_dataset(p)


# ------------------------------------------------------------------------------------------------ nothing silent
def test_columns_clashing_with_computed_or_by_case_are_kept_and_noted(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("marker_id,notes,NOTES,chainage_km,Side,source_row,lon,lat\n"
                 "62,a,b,12.5,left,99,103.05,22.52\n", encoding="utf-8")
    m = bg.read_markers(f)
    row = m.iloc[0]
    assert (row["notes"], row["NOTES_input"], row["chainage_km_input"], row["Side_input"]) == ("a", "b", "12.5",
                                                                                            "left")
    assert row["source_row"] == 2 and row["source_row_input"] == "99"
    notes = " ".join(m.attrs["read_notes"])
    for col in ("NOTES", "chainage_km", "Side", "source_row"):
        assert f"column {col!r}" in notes
    ds = bg.Dataset(bg.read_border(_border_file(tmp_path)), m)
    located = ds.markers_located
    assert located["chainage_km_input"].iloc[0] == "12.5"  # the user's figure survives location
    assert located["chainage_km"].iloc[0] == pytest.approx(ds.border.locate(located.geometry)["chainage_km"][0])


def test_case_variant_of_a_field_is_read_as_the_field(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("Marker_ID,KIND,lon,lat\n62(1),Đôi,103.05,22.52\n", encoding="utf-8")
    m = bg.read_markers(f)
    assert m["marker_id"].tolist() == ["62(1)"] and m["kind"].tolist() == ["double"]
    assert "Marker_ID" not in m and m.attrs["read_notes"] == []


def test_user_official_km_is_kept_beside_the_computed_one(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("marker_id,official_km,lon,lat\n62,1.25,103.05,22.52\n", encoding="utf-8")
    ds = bg.Dataset(bg.read_border(_border_file(tmp_path)), bg.read_markers(f), official_length_km=20.0)
    assert ds.markers_located["official_km_input"].tolist() == [1.25]


def _border_file(d: Path) -> Path:
    p = d / "border.geojson"
    p.write_text(json.dumps(BORDER))
    return p


def test_shapefile_truncated_names_are_matched(tmp_path):
    p = _shapefile(tmp_path, official_length_km=1.0)  # unknown to markers: kept, noted as ambiguous? no: not a field
    m = bg.read_markers(p)
    assert m["emplaced_by"].tolist() == ["VN"] and m["last_inspected"].astype(str).tolist() == ["2024-01-02"]
    notes = m.attrs["read_notes"]
    assert any("'emplaced_b'" in n and "'emplaced_by'" in n for n in notes)
    assert any("'last_inspe'" in n and "'last_inspected'" in n for n in notes)
    assert "official_l" in m  # not a marker field: kept under its own name
    b = bg.read_border(_shapefile(tmp_path / "x" if _mk(tmp_path / "x") else tmp_path, official_length_km=9.5),
                       errors="collect")[1]
    assert set(b["field"]) == {"geometry"}  # a Point is not a border: reported, names did not crash


def _mk(p: Path) -> bool:
    p.mkdir()
    return True


def test_shapefile_truncated_assignment_fields(tmp_path):
    gdf = gpd.GeoDataFrame({"assignment_id": ["A1"], "from_marker": ["62"], "individuals": [3],
                            "declared_km": [1.5]}, geometry=[None], crs=4326)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf.to_file(tmp_path / "a.shp", engine="pyogrio")
    a, problems = bg.read_assignments(tmp_path / "a.shp", errors="collect")
    assert list(problems["field"]) == ["to_marker"]  # from_marke read as from_marker: its partner is missing
    a = check_frame(pd.DataFrame({"assignment_id": ["A1"], "from_marke": ["62"], "start_km": [0], "end_km": [1],
                                  "individual": [3]}), "assignments")
    assert "from_marke" in a  # only Shapefiles cut names: an in-memory column is taken as written


def test_merged_cells_are_filled_and_noted(tmp_path):
    p = xlsx("m.xlsx", [["assignment_id", "commune", "households", "start_km", "end_km"],
                        ["A1", "Sì Lở Lầu", 3, 0, 1], ["A2", None, 4, 1, 2], ["A3", "Ma Li Pho", 5, 2, 3]],
             merge="B2:B3")(tmp_path)
    a = bg.read_assignments(p)
    assert a["commune"].tolist() == ["Sì Lở Lầu", "Sì Lở Lầu", "Ma Li Pho"]
    assert any("merged cells B2:B3" in n and "m.xlsx, sheet 'Mốc'" in n for n in a.attrs["read_notes"])


def test_formula_with_cached_value_is_read(tmp_path):
    p = xlsx("m.xlsx", [["assignment_id", "households", "start_km", "end_km"], ["A1", "=1+2", 0, 1]])(tmp_path)
    import openpyxl

    # simulate a workbook saved by Excel: the formula and its cached value (openpyxl cannot write both, so the
    # cached value is written as the cell's value in a copy and the formula check sees a value)
    wb = openpyxl.load_workbook(p)
    wb.active["B2"] = 3
    wb.save(p)
    assert bg.read_assignments(p)["households"].tolist() == [3]


def test_utf16_and_bom_csv_read(tmp_path):
    text = "marker_id,lon,lat,notes\n62,\"103,05\",\"22,52\",Phong Thổ\n"
    for enc in ("utf-16", "utf-8-sig"):
        f = tmp_path / f"m-{enc}.csv"
        f.write_bytes(text.encode(enc))
        m = bg.read_markers(f)
        assert m["notes"].tolist() == ["Phong Thổ"] and (m.geometry.x.iloc[0], m.geometry.y.iloc[0]) == (103.05, 22.52)


def test_a_million_blank_lines_do_not_hang(tmp_path):
    """Blank lines are counted (row numbers stay the user's line numbers) in one linear pass."""
    f = tmp_path / "m.csv"
    f.write_text("marker_id,lon,lat\n" + "\n" * 1_000_000 + "62,103.1,95\n")
    m, problems = bg.read_markers(f, errors="collect")
    assert len(m) == 0 and problems[["row", "field"]].values.tolist() == [[1_000_002, "lat"]]


def test_crs_given_for_geojson_is_noted(tmp_path):
    p = tmp_path / "m.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"marker_id": "70"},
         "geometry": {"type": "Point", "coordinates": [530669.52, 2489054.0]}}]}))
    m = bg.read_markers(p, crs="EPSG:9205")
    assert m.geometry.iloc[0].x == pytest.approx(103.3, abs=1e-6)
    assert any("RFC 7946" in n and "EPSG:9205" in n for n in m.attrs["read_notes"])


def test_no_row_is_lost_with_many_bad_rows(tmp_path):
    lines = ["marker_id,lon,lat,elevation_m"] + [f"{i},103.1,22.5,{'x' if i % 3 == 0 else i}" for i in range(1, 301)]
    f = tmp_path / "m.csv"
    f.write_text("\n".join(lines) + "\n")
    m, problems = bg.read_markers(f, errors="collect")
    assert len(m) + len(problems) == 300 and set(problems["row"]) == {i + 1 for i in range(3, 301, 3)}
    with pytest.raises(bg.InputError, match=r"(?s)m\.csv: 100 bad row\(s\):\n  m\.csv, row 4, field 'elevation_m'.*"
                                            r"and 80 more"):
        bg.read_markers(f)


# ------------------------------------------------------------------------------------------------ API misuse
API_CASES: list[tuple[str, Callable[[], Any], type[BaseException], str]] = [
    ("marker-id-text", lambda: bg.parse_marker_id("abc"), bg.InputError, "expected a marker id"),
    ("marker-id-none", lambda: bg.parse_marker_id(None), bg.InputError, "got None"),
    ("marker-id-post", lambda: bg.parse_marker_id("62(9)"), bg.InputError, "post number must be 1, 2 or 3"),
    ("marker-id-huge", lambda: bg.parse_marker_id(10**30), bg.InputError, "expected a marker id"),
    ("marker-id-long", lambda: bg.parse_marker_id("9" * 30), bg.InputError, "not marker ids"),
    ("marker-id-float", lambda: bg.parse_marker_id(62.5), bg.InputError, "got 62.5"),
    ("marker-id-megabyte", lambda: bg.parse_marker_id("6" * 10**6), bg.InputError, r"got '6666.*…$"),
    ("dms-text", lambda: bg.parse_dms("abc", "lat"), bg.InputError, "cannot read 'abc' as degrees"),
    ("dms-axis", lambda: bg.parse_dms("22", "z"), bg.InputError, "axis must be 'lat' or 'lon'"),
    ("dms-none", lambda: bg.parse_dms(None, "lat"), bg.InputError, "expected degrees"),
    ("dms-huge-int", lambda: bg.parse_dms(10**400, "lat"), bg.InputError, "not a finite number"),
    ("dms-nan", lambda: bg.parse_dms(float("nan"), "lon"), bg.InputError, "not a finite number"),
    ("dms-minutes", lambda: bg.parse_dms("22 75 00", "lat"), bg.InputError, "below 60"),
    ("dms-hemisphere", lambda: bg.parse_dms("103 E", "lat"), bg.InputError, "swapped"),
    ("check-frame-kind", lambda: check_frame(pd.DataFrame(), "villages"), bg.InputError, "kind must be one of"),
    ("check-frame-not-frame", lambda: check_frame([1, 2], "markers"), bg.InputError, "expected a \\(Geo\\)DataFrame"),
    ("check-frame-errors", lambda: check_frame(pd.DataFrame(), "markers", errors="skip"), bg.InputError,
     "errors must be"),
    ("check-frame-bad-value", lambda: check_frame(pd.DataFrame({"assignment_id": ["A"], "start_km": ["5 ngày"],
                                                                "end_km": [6]}), "assignments"),
     bg.InputError, r"assignments, row 1, field 'start_km'"),
    ("check-frame-overflow", lambda: check_frame(pd.DataFrame({"assignment_id": ["A"], "households": [10**25],
                                                               "start_km": [0], "end_km": [1]}), "assignments"),
     bg.InputError, r"row 1, field 'households'.*not plausible"),
    ("dataset-errors", lambda: bg.Dataset(LineString([(103, 22), (103.1, 22)]), errors="skip"), bg.InputError,
     "errors must be"),
    ("dataset-markers-type", lambda: bg.Dataset(LineString([(103, 22), (103.1, 22)]), "markers.csv"),
     bg.InputError, "markers: expected a \\(Geo\\)DataFrame, got str"),
    ("dataset-length-text", lambda: bg.Dataset(LineString([(103, 22), (103.1, 22)]), official_length_km="97 km"),
     bg.InputError, "official_length_km must be a positive number"),
    ("dataset-length-nan", lambda: bg.Dataset(LineString([(103, 22), (103.1, 22)]),
                                              official_length_km=float("nan")), bg.InputError, "positive number"),
    ("dataset-name-int", lambda: bg.Dataset(LineString([(103, 22), (103.1, 22)]), name=5), bg.InputError,
     "name must be a text"),
    ("dataset-left-int", lambda: bg.Dataset(LineString([(103, 22), (103.1, 22)]), left=84), bg.InputError,
     "left must be a country code"),
    ("read-dataset-errors", lambda: bg.read_dataset(".", errors="nope"), bg.InputError, "errors must be"),
    ("read-dataset-path-none", lambda: bg.read_dataset(None), bg.InputError, "must be a file name"),
    ("as-crs-bogus", lambda: bg.crs.as_crs("EPSG:0"), bg.CRSError, "pyproj does not know the CRS 'EPSG:0'"),
    ("as-crs-none", lambda: bg.crs.as_crs(None), bg.CRSError, "no CRS given"),
    ("to-wgs84-text", lambda: bg.crs.to_wgs84(["abc"], [22.5], 9205), bg.InputError, "x: expected numbers"),
    ("from-wgs84-shapes", lambda: bg.crs.from_wgs84([103.1], [None, 1], 9205), bg.InputError,
     "lon and lat differ in shape"),
    ("from-wgs84-text", lambda: bg.crs.from_wgs84([103.1], ["x"], 9205), bg.InputError, "lat: expected numbers"),
    ("datasets-unknown", lambda: bg.datasets.load("atlantis"), bg.InputError, "no bundled dataset 'atlantis'"),
    ("datasets-path-escape", lambda: bg.datasets.path("../../etc"), bg.InputError, "no bundled dataset"),
]


@pytest.mark.parametrize(("call", "cls", "pattern"), [pytest.param(c, k, p, id=i) for i, c, k, p in API_CASES])
def test_api_misuse(call, cls, pattern):
    with pytest.raises(cls, match=pattern) as ei:
        call()
    assert isinstance(ei.value, BienGioiError)


def test_parse_errors_are_still_value_errors():
    with pytest.raises(ValueError, match="expected a marker id"):
        bg.parse_marker_id("x")
    assert bg.parse_marker_id("99999/99999(3)").main_number == 99_999


def test_area_of_use_check_against_pyproj():
    """Degrees read as VN-2000 TM-3 metres land near the equator, far outside the zone's published area."""
    from bien_gioi_geo.crs import outside_area_of_use

    area = pyproj.CRS.from_epsg(9205).area_of_use
    lon, lat = pyproj.Transformer.from_crs(9205, 4326, always_xy=True).transform(103.3, 22.5)
    assert lat < area.south - 3  # independent: pyproj alone shows it is outside
    assert outside_area_of_use([lon], [lat], 9205) == 0
    inside = pyproj.Transformer.from_crs(4326, 9205, always_xy=True).transform(103.3, 22.5)
    back = pyproj.Transformer.from_crs(9205, 4326, always_xy=True).transform(*inside)
    assert outside_area_of_use([back[0]], [back[1]], 9205) is None


def test_excel_title_row_above_the_header_is_skipped_and_noted(tmp_path):
    p = xlsx("m.xlsx", [["DANH SÁCH CỘT MỐC XÃ SÌ LỞ LẦU"], [], ["marker_id", "lon", "lat"], ["62", 103.1, 22.5],
                        ["63", 103.1, 95]], merge="A1:C1")(tmp_path)
    m, problems = bg.read_markers(p, errors="collect")
    assert m["marker_id"].tolist() == ["62"] and m["source_row"].tolist() == [4]
    assert problems[["source", "row", "field"]].values.tolist() == [["m.xlsx, sheet 'Mốc'", 5, "lat"]]
    assert any("rows 1–2 above the header row 3" in n and "DANH SÁCH" in n for n in m.attrs["read_notes"])


def test_duplicate_marker_ids_are_reported_not_crashed(tmp_path):
    """Two rows with marker 62 (a clerk's copy-paste): validate names the duplicate, whatever pandas' string type."""
    f = tmp_path / "m.csv"
    f.write_text("marker_id,kind,lon,lat\n62,single,103.05,22.52\n62,single,103.06,22.53\n", encoding="utf-8")
    ds = bg.Dataset(bg.read_border(_border_file(tmp_path)), bg.read_markers(f))
    problems = bg.validate(ds, lang="en")
    dup = problems[problems["rule"] == "duplicate_id"]
    assert len(dup) == 1 and "marker_id '62' is used by 2 rows" in dup["message"].iloc[0]
