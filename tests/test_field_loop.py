"""One field table, one loop: English-headed CSV and GeoJSON read their values by the model's parsers too."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import bien_gioi_geo as bg


def test_english_csv_reads_counts_and_km_as_an_office_would(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("assignment_id,households,people,start_km,end_km,declared_km,valid_from\n"
                 'A1,2.000,"16 010",Km 3+200,"5,5","97,229",03/04/2024\n', encoding="utf-8")
    a = bg.read_assignments(f).iloc[0]
    # 2.000 households is two thousand (a dot groups thousands in a count); 16 010 people; Km 3+200 = 3.2 km
    assert (a["households"], a["people"]) == (2000, 16010)
    assert (a["start_km"], a["end_km"], a["declared_km"]) == (3.2, 5.5, 97.229)
    assert a["valid_from"] == dt.date(2024, 4, 3)  # day first


def test_geojson_numbers_stay_numbers(tmp_path) -> None:
    f = tmp_path / "a.geojson"
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None,
                 "properties": {"assignment_id": "A1", "households": 12.0, "start_km": 1.234, "end_km": 2.5,
                                "from_marker": None}}]}), encoding="utf-8")
    a = bg.read_assignments(f).iloc[0]
    # a float is a number already: 1.234 km is not re-read as the text '1.234' (which a count would take as 1234)
    assert (a["households"], a["start_km"], a["end_km"]) == (12, 1.234, 2.5)


@pytest.mark.parametrize(("cell", "shown"), [("31/02/2024", "'31/02/2024'"), ("45123", "16/07/2023")])
def test_a_bad_date_in_collect_mode_shows_the_value(tmp_path, cell, shown) -> None:
    f = tmp_path / "a.csv"
    f.write_text(f"assignment_id,start_km,end_km,valid_from\nA1,0,1,{cell}\n", encoding="utf-8")
    _, problems = bg.read_assignments(f, errors="collect")
    row = problems.set_index("field").loc["valid_from"]
    assert shown in row["message"] and shown in row["message_vi"]
    assert int(row["row"]) == 2  # the line the editor shows


def test_an_anchored_marker_in_an_english_table(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("assignment_id,from_marker,to_marker\nA1,62+300,mốc 63 - 150 m\n", encoding="utf-8")
    a = bg.read_assignments(f).iloc[0]
    assert (a["from_marker"], a["from_offset_m"], a["to_marker"], a["to_offset_m"]) == ("62", 300.0, "63", -150.0)


def test_a_value_that_reads_two_ways_is_noted_in_an_english_table(tmp_path) -> None:
    f = tmp_path / "a.csv"
    f.write_text('assignment_id,start_km,end_km\nA1,0,"1,234"\n', encoding="utf-8")
    a = bg.read_assignments(f)
    assert a.iloc[0]["end_km"] == 1.234  # both 1.234 and 1234 km are plausible: Vietnamese usage, said so
    assert any("'1,234' reads two ways" in n and "row 2" in n for n in a.attrs["read_notes"])
