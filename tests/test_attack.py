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
    from bien_gioi_geo.patrols.cli import write_patrols

    out = tmp_path / "mine"
    out.mkdir()
    (out / "patrols.xlsx").write_text("an analyst's own workbook")  # once enough to be deleted with --force
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(bg.OutputError, match=r"did not write .*'notes.txt'"):
        write_patrols(ds, two_tracks, out, as_of="2024-07-01", force=True)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "patrols.xlsx"]
    assert (out / "notes.txt").read_text() == "keep me"


def test_patrols_folder_rules_are_the_reports(ds, two_tracks, tmp_path, monkeypatch):
    from bien_gioi_geo.patrols.cli import write_patrols

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
    from bien_gioi_geo.patrols.cli import write_patrols

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
