"""Regression tests of the attack on the merged first round: output folders, formula-like text, clumsy data."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import bien_gioi_geo as bg
from bien_gioi_geo.outputs import MARKER

SAMPLE = bg.datasets._root() / "phong_tho_patrols" / "tracks.csv"
FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(1)", "\tTAB"]


@pytest.fixture(scope="module")
def ds():
    return bg.datasets.load("phong_tho")


@pytest.fixture(scope="module")
def two_tracks():
    """The first two tracks of the illustrative patrol set, read as plain text (no reader in between)."""
    fx = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    fx = fx[fx["track_id"].isin(["TT-01", "TT-02"])].copy()
    fx["time"] = pd.to_datetime(fx["time"], utc=True)
    fx["lon"], fx["lat"] = fx["lon"].astype(float), fx["lat"].astype(float)
    return fx


def test_patrols_force_never_deletes_a_foreign_folder(ds, two_tracks, tmp_path):
    from bien_gioi_geo.report_patrols import write_patrols

    out = tmp_path / "mine"
    out.mkdir()
    (out / "patrols.xlsx").write_text("an analyst's own workbook")  # once enough to be deleted with --force
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(bg.OutputError, match=r"did not write .*'notes.txt'"):
        write_patrols(ds, two_tracks, out, as_of="2024-07-01", force=True)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "patrols.xlsx"]
    assert (out / "notes.txt").read_text() == "keep me"


def test_patrols_folder_rules_are_the_reports(ds, two_tracks, tmp_path, monkeypatch):
    from bien_gioi_geo.report_patrols import write_patrols

    monkeypatch.chdir(tmp_path)
    (tmp_path / "patrols.xlsx").write_text("x")
    with pytest.raises(bg.OutputError, match="current folder"):
        write_patrols(ds, two_tracks, ".", force=True)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "tracks.csv").write_text("x")
    with pytest.raises(bg.OutputError, match="holds, or is inside, the input"):
        write_patrols(ds, two_tracks, inp / "out", inputs=[inp])
    with pytest.raises(bg.OutputError, match="is a file"):
        write_patrols(ds, two_tracks, inp / "tracks.csv", force=True)
    out = tmp_path / "o"
    first = write_patrols(ds, two_tracks, out, as_of="2024-07-01")
    assert json.loads((out / MARKER).read_text())["files"] == [p.name for p in first]
    with pytest.raises(bg.OutputError, match="exists"):
        write_patrols(ds, two_tracks, out)
    again = write_patrols(ds, two_tracks, out, as_of="2024-07-01", force=True)  # an earlier output: replaced
    assert [p.name for p in again] == [p.name for p in first]
    assert not [p for p in tmp_path.iterdir() if "bien_gioi_geo" in p.name]  # no temporary, no lock left


def test_patrols_csv_and_excel_keep_formula_like_text_as_text(ds, two_tracks, tmp_path):
    from bien_gioi_geo.report_patrols import write_patrols

    fx = two_tracks.copy()
    fx["unit"] = [FORMULAS[i % len(FORMULAS)] for i in range(len(fx))]
    fx["track_id"] = fx["track_id"].map({"TT-01": "+TT-01", "TT-02": "-TT-02"})
    write_patrols(ds, fx, tmp_path / "o", as_of="2024-07-01")
    with open(tmp_path / "o" / "visits.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and {r["track_id"] for r in rows} == {"'+TT-01", "'-TT-02"}
    assert {r["unit"] for r in rows} <= {"'" + t for t in FORMULAS}
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "o" / "patrols.xlsx")["visits"]
    texts = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
             and c.value.startswith(("=", "+", "-", "@", "\t"))]
    assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)
    assert {c.value for c in texts} >= {"+TT-01", "-TT-02"}


# ---------------------------------------------------------------------------------------------------- printing
def _texts(fig):
    import matplotlib.text

    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_print_map_draws_data_text_as_text_never_mathtext(ds):
    pytest.importorskip("matplotlib")
    from bien_gioi_geo.printing.paper_map import print_map

    a = ds.assignments.copy()
    names = ["$x^{$", "$\\frac{1}{2}$", "Bản\x07 Mò", "{{7*7}}"]
    a["commune"] = [names[i % len(names)] for i in range(len(a))]
    hostile = bg.Dataset(ds.borders, ds.markers, a)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font would be a warning
        fig = print_map(hostile, as_of="2024-12-31", prepared_by="$\\alpha$")
        fig.canvas.draw()  # mathtext used to be parsed here: '$x^{$' raised ValueError
    texts = _texts(fig)
    shown = {t.get_text() for t in texts}
    assert {"$x^{$", "$\\frac{1}{2}$", "Bản\ufffd Mò", "{{7*7}}"} <= shown
    assert not any(t._parse_math for t in texts if "$" in t.get_text())


def test_print_map_draws_the_figures_of_the_date_it_states(ds):
    pytest.importorskip("matplotlib")
    from bien_gioi_geo.printing.paper_map import print_map

    with pytest.raises(bg.OptionError, match=r"as_of='31/12/2019' but the coverage given is as of 2024-12-31"):
        print_map(ds, bg.coverage(ds, as_of="2024-12-31"), as_of="31/12/2019")
    with pytest.raises(bg.InputError, match="expected a date such as '2024-12-31' or '31/12/2024', got 'hôm qua'"):
        print_map(ds, as_of="hôm qua")
    with pytest.raises(bg.OptionError, match="lang must be 'vi' or 'en', not 'fr'"):
        print_map(ds, lang="fr")
    fig = print_map(ds, bg.coverage(ds, as_of="2019-12-31"), paper="A3", orientation="portrait")
    shown = " ".join(t.get_text() for t in _texts(fig))
    assert "31/12/2019" in shown  # the coverage's own date is stated when as_of is not given


def test_format_date_reads_day_first_text_and_refuses_garbage():
    from bien_gioi_geo.formatting import format_date

    assert format_date("31/12/2024") == "31/12/2024" and format_date("2024-02-29", lang="en") == "29 Feb 2024"
    with pytest.raises(bg.InputError, match="got '31/02/2024'"):
        format_date("31/02/2024")


# ---------------------------------------------------------------------------------------------------- admin
def test_admin_empty_names_say_empty():
    pytest.importorskip("vietnamadminunits")
    t = pd.DataFrame({"commune": ["Mù Sang", "", None, "  "], "district": "Phong Thổ", "province": "Lai Châu"})
    p = bg.admin.admin_problems(bg.admin.to_current(t, errors="collect"))
    assert p["row"].tolist() == [1, 2, 3]
    assert set(p["message"]) == {"Hàng không ghi tên xã; hãy điền tên xã (hoặc xã hiện nay)."}
    p_en = bg.admin.admin_problems(bg.admin.to_current(t, errors="collect", lang="en"))
    assert set(p_en["message"]) == {"The row has no commune name; fill in the commune (or the current commune)."}


# ---------------------------------------------------------------------------------------------------- patrols data
def test_naive_times_in_a_frame_are_vietnam_time_like_the_readers(ds, two_tracks):
    aware = two_tracks[two_tracks["track_id"] == "TT-01"].copy()
    aware["time"] = aware["time"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    mixed = aware.copy()
    mixed.iloc[::2, mixed.columns.get_loc("time")] = aware["time"].iloc[::2].str[:19]  # offset dropped: naive
    a, m = bg.patrols(ds, aware).visits, bg.patrols(ds, mixed).visits
    assert len(a) >= 1 and a["start_time"].tolist() == m["start_time"].tolist()
    assert a["end_time"].tolist() == m["end_time"].tolist()
    doubled = pd.concat([aware.iloc[:3]] * 2)  # a repeated index label (concatenated frames) is not an error
    assert len(bg.patrols(ds, doubled).visits) <= 1


@pytest.mark.parametrize("column, value, match", [
    ("time", None, r"107 without a readable time \(row\(s\) 1, 2, 3, 4, 5, …\)"),
    ("time", "hôm qua", r"107 without a readable time"),
    ("lon", float("nan"), r"107 without a readable lon/lat"),
    ("track_id", " ", r"107 without a readable track_id")])
def test_fixes_without_time_track_or_position_are_refused_by_row(ds, two_tracks, column, value, match):
    fx = two_tracks[two_tracks["track_id"] == "TT-01"].copy()
    assert len(fx) == 107
    fx[column] = value
    with pytest.raises(bg.InputError, match=match + r".*errors='collect'"):
        bg.patrols(ds, fx)


def test_patrol_questions_refuse_reversed_windows_and_unitless_durations(ds, two_tracks):
    p = bg.patrols(ds, two_tracks)
    with pytest.raises(bg.InputError, match="end '2024-01-01' is before start '2024-07-01'"):
        p.covered_km("2024-07-01", "2024-01-01")
    for bare in (30, "30", 30.0):
        with pytest.raises(bg.InputError, match=r"give a duration with its unit, e.g. '30D'"):
            p.overdue(bare, "2024-07-01")
    assert p.covered_km("2024-01-01", "2024-07-01") > 0


# ---------------------------------------------------------------------------------------------------- compare
def test_compare_refuses_reversed_or_equal_dates_and_writes_dates_like_formatting(ds):
    for d0, d1 in (("2024-12-31", "2019-12-31"), ("31/12/2024", "2024-12-31")):
        with pytest.raises(bg.InputError, match=r"the second date \(.*\) must be later than the first"):
            bg.compare(ds, d0, d1)
    with pytest.raises(bg.InputError, match="before: expected a date .* got '31/02/2024'"):
        bg.compare(ds, "31/02/2024", "2024-12-31")
    c = bg.compare(ds, "2019-12-31", "2024-12-31")
    assert list(c.summary_table("en").columns)[1:3] == ["31 Dec 2019", "31 Dec 2024"]
    assert list(c.summary_table("vi").columns)[1:3] == ["31/12/2019", "31/12/2024"]



def test_write_patrols_checks_every_before_matching(ds, two_tracks, tmp_path):
    from bien_gioi_geo.report_patrols import write_patrols

    with pytest.raises(bg.InputError, match=r"^every: give a duration with its unit"):
        write_patrols(ds, two_tracks, tmp_path / "o", every="30")
    assert list(tmp_path.iterdir()) == []
