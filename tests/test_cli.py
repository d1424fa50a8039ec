"""The command line, run both as the installed script and with ``python -m``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

# the console script installed beside this interpreter (a venv's bin/), else on PATH
_SCRIPT = Path(sys.executable).parent / "bien-gioi-geo"
SCRIPT = str(_SCRIPT) if _SCRIPT.exists() else shutil.which("bien-gioi-geo")
RUNNERS = {"script": [SCRIPT], "module": [sys.executable, "-m", "bien_gioi_geo"]}


def run(how, *args, cwd=None):
    if how == "script" and SCRIPT is None:
        pytest.skip("the console script bien-gioi-geo is not installed")
    return subprocess.run([*RUNNERS[how], *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("how", ["script", "module"])
def test_report_on_bundled_sample(how, tmp_path):
    out = tmp_path / "rep"
    r = run(how, "report", "--out", str(out), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "97.229" in r.stdout and "Markers self-managed" in r.stdout
    names = {p.name for p in out.iterdir()}
    assert {"map.html", "report.xlsx", "report.gpkg", "summary.csv", "by_commune.csv", "problems.csv"} <= names
    xl = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert {"summary", "by_commune", "by_village", "gaps", "overlaps", "markers", "problems"} <= set(xl)
    layers = {name for name, _ in pyogrio.list_layers(out / "report.gpkg")}
    assert layers == {"border", "markers", "assignments", "gaps", "overlaps", "problems"}
    assert len(gpd.read_file(out / "report.gpkg", layer="markers")) == 95
    # an existing folder is not clobbered without --force
    r2 = run(how, "report", "--out", str(out))
    assert r2.returncode == 3 and "--force" in r2.stderr  # exit code 3: an output that may not be written
    assert run(how, "report", "--out", str(out), "--force", "--quiet").returncode == 0


def test_exit_codes_and_messages(tmp_path):
    bad = tmp_path / "border.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    r = run("module", "validate", str(tmp_path))
    assert r.returncode == 2 and "border.geojson: not valid JSON at line 1" in r.stderr
    assert "Traceback" not in r.stderr
    r = run("module", "coverage", "phong_tho", "--by", "commune", "--format", "csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("commune,")
    assert len(r.stdout.splitlines()) == 13
    r = run("module", "validate", "phong_tho", "--format", "json")
    assert r.returncode == 0 and "marker_unassigned" in r.stdout


def test_convert_vn2000_csv(tmp_path):
    import pyproj

    x, y = pyproj.Transformer.from_crs(4326, 9205, always_xy=True).transform(103.3, 22.5)
    src = tmp_path / "moc.csv"
    src.write_text(f"marker_id,kind,x,y\n70,single,{x:.3f},{y:.3f}\n", encoding="utf-8")
    dst = tmp_path / "moc.geojson"
    r = run("module", "convert", str(src), str(dst))
    assert r.returncode == 2 and "EPSG:9205" in r.stderr
    r = run("module", "convert", str(src), str(dst), "--crs", "EPSG:9205")
    assert r.returncode == 0, r.stderr
    g = gpd.read_file(dst)
    assert g.geometry.iloc[0].x == pytest.approx(103.3, abs=1e-6)


@pytest.mark.parametrize("sub", ["report", "validate", "coverage", "map", "convert"])
def test_help_has_an_example(sub):
    r = run("module", sub, "--help")
    assert r.returncode == 0 and "example:" in r.stdout


def test_no_progress_bar_in_a_pipe(tmp_path):
    r = run("module", "report", "--out", str(tmp_path / "r"))
    assert r.returncode == 0 and r.stderr == ""


def test_convert_dms_csv_to_geopackage(tmp_path):
    src = tmp_path / "moc.csv"
    src.write_text('marker_id,kind,lat,lon\n62(1),double,"22°31\'45.2""N","103°08\'15""E"\n'
                   '62(2),double,22°31\'46"N,103°08\'16"E\n', encoding="utf-8")
    dst = tmp_path / "moc.gpkg"
    r = run("module", "convert", str(src), str(dst))
    assert r.returncode == 0, r.stderr
    g = gpd.read_file(dst, layer="markers")
    assert g["marker_id"].tolist() == ["62(1)", "62(2)"]
    assert g.geometry.iloc[0].y == pytest.approx(22 + 31 / 60 + 45.2 / 3600, abs=1e-9)
    r = run("module", "convert", str(src), str(dst))
    assert r.returncode == 3 and "exists" in r.stderr  # not clobbered without --force


def test_report_as_of_and_compare(tmp_path):
    out = tmp_path / "rep"
    r = run("module", "report", "--out", str(out), "--as-of", "31/12/2019", "--compare", "2019-12-31",
            "31/12/2024")
    assert r.returncode == 0, r.stderr
    assert {"change_map.html", "timeline.png", "change_summary.csv"} <= {p.name for p in out.iterdir()}
    xl = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert {"change_summary", "change_by_commune", "change_gained", "change_lost", "markers_found",
            "timeline"} <= set(xl)
    summary = xl["summary"].set_index(xl["summary"].columns[0]).iloc[:, 0]
    assert summary["Tính đến ngày"] == "31/12/2019"  # a date as a Vietnamese reader writes it
    ch = xl["change_summary"]
    assert list(ch.columns[1:3]) == ["31/12/2019", "31/12/2024"]
    layers = {name for name, _ in pyogrio.list_layers(out / "report.gpkg")}
    assert {"change_gained", "change_lost"} <= layers
    gained = gpd.read_file(out / "report.gpkg", layer="change_gained")
    change_km = float(ch.iloc[0, 3].replace(".", "").replace(",", "."))  # Vietnamese text: 52,522
    assert gained["length_km"].sum() == pytest.approx(change_km, abs=1e-3)  # covered_km change
