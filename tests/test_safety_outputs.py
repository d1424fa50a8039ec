"""Outputs: folders and files are never lost, never half-written; failures are OutputError with exit code 3.

Also: formula-like text stays text in CSV/XLSX while numbers stay numbers, hostile characters do not crash the
writers, a dataset without assignments or markers still reports, options are checked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely import LineString

import bien_gioi_geo as bg
from bien_gioi_geo.outputs import MARKER, atomic_file, check_folder_target, report_folder

_SCRIPT = Path(sys.executable).parent / "bien-gioi-geo"
RUNNERS = {"script": [str(_SCRIPT)], "module": [sys.executable, "-m", "bien_gioi_geo"]}


def run(*args, how="module", cwd=None, **kw):
    if how == "script" and not _SCRIPT.exists():
        pytest.skip("the console script bien-gioi-geo is not installed")
    return subprocess.run([*RUNNERS[how], *args], capture_output=True, text=True, cwd=cwd, timeout=300, **kw)


def small_ds(**cols):
    line = LineString([(103.0, 22.5), (103.1, 22.55), (103.2, 22.5)])
    b = bg.Border(line, official_length_km=25.0, left="CN", right="VN", name="b1")
    m = gpd.GeoDataFrame({"marker_id": ["1", "2"], "kind": ["single"] * 2, "emplaced_by": ["VN", "CN"],
                          "notes": pd.Series(cols.pop("notes", ["a", "b"]), dtype=object)},
                         geometry=[b.point_at(0.0), b.point_at(10.0)], crs="EPSG:4326")
    a = pd.DataFrame({"assignment_id": ["A1", "A2"], "village": ["Bản Một", "Bản Hai"], "commune": ["Xã A", "Xã B"],
                      "households": [3, 4], "start_km": [0.0, 5.0], "end_km": [5.0, 9.0], "markers": [["1"], []],
                      # object columns: a lone surrogate cannot live in pandas' (pyarrow) string dtype
                      **{k: pd.Series(v, dtype=object) for k, v in cols.items()}})
    return bg.Dataset(b, m, a)


@pytest.fixture
def ds_folder(tmp_path):
    """A small dataset folder written with the library's own GeoJSON writer."""
    ds = small_ds()
    folder = tmp_path / "input"
    folder.mkdir()
    bg.write_geojson(ds.borders["b1"].to_geodataframe(), folder / "border.geojson")
    bg.write_geojson(ds.markers, folder / "markers.geojson")
    a = gpd.GeoDataFrame(ds.assignments.drop(columns="geometry"), geometry=[None] * 2, crs="EPSG:4326")
    bg.write_geojson(a, folder / "assignments.geojson")
    assert bg.read_dataset(folder).assignments.shape[0] == 2
    return folder


# ------------------------------------------------------------------------------------------------ formulas
FORMULAS = ["=1+1", "=HYPERLINK(\"http://evil\",\"x\")", "+SUM(A1:A2)", "-2+3", "@cmd", "\tTAB", "\rCR",
            "＝1+1", "＋1", "－1", "＠x", "=cmd|' /C calc'!A0"]


def test_formulas_stay_text_in_xlsx_and_csv(tmp_path):
    n = len(FORMULAS)
    df = pd.DataFrame({"name": FORMULAS, "offset_km": [-(k + 0.5) for k in range(n)], "count": range(-3, n - 3)})
    bg.report.write_xlsx({"t": df}, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    rows = list(ws.iter_rows(min_row=2))
    # a CR is kept (openpyxl with lxml) or read back as LF (XML end-of-line handling without lxml)
    assert [r[0].value for r in rows] in ([f.replace("\r", "\n") for f in FORMULAS], list(FORMULAS))
    assert all(r[0].data_type == "s" and r[0].quotePrefix for r in rows)
    assert [r[1].value for r in rows] == [-(k + 0.5) for k in range(n)]  # real numbers stay numbers
    assert all(r[1].data_type == "n" and r[2].data_type == "n" for r in rows)
    bg.report.write_csv(df, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfname,offset_km,count\n")
    back = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in back[1:]] == ["'" + f for f in FORMULAS]
    assert [float(r[1]) for r in back[1:]] == [-(k + 0.5) for k in range(n)]
    text = raw.decode("utf-8-sig")
    assert '"\'=1+1",-0.5,-3' in text  # the text quoted and prefixed, the numbers bare
    assert ",-1.5,-2" in text


def test_formula_in_report_and_cli_csv(tmp_path):
    ds = small_ds(group_type=["=1+1", "@SUM(1)"])
    rep = bg.report.write_report(ds, tmp_path / "r", lang="en")
    ws = openpyxl.load_workbook(rep.folder / "report.xlsx")["assignments"]
    vals = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert vals["=1+1"] == "s" and vals["@SUM(1)"] == "s"
    assert not any(t == "f" for t in vals.values())
    assert "\"'=1+1\"" in (rep.folder / "assignments.csv").read_text(encoding="utf-8-sig")
    folder = tmp_path / "in"
    folder.mkdir()
    bg.write_geojson(ds.borders["b1"].to_geodataframe(), folder / "border.geojson")
    a = gpd.GeoDataFrame(ds.assignments.drop(columns="geometry"), geometry=[None] * 2, crs="EPSG:4326")
    bg.write_geojson(a, folder / "assignments.geojson")
    r = run("coverage", str(folder), "--by", "group_type", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][0] == "group_type" and sorted(x[0] for x in rows[1:]) == ["'=1+1", "'@SUM(1)"]
    assert rows[1][1] == "1" and '"\'=1+1",1,' in r.stdout  # the count is a bare number


# ------------------------------------------------------------------------------------------------ hostile text
HOSTILE_TEXT = ["lone \ud800 surrogate", "bell \x07 and nul \x00", "form\x0cfeed", "\ufffe noncharacter",
                "ok Bản Mò"]


def test_control_characters_do_not_crash_writers(tmp_path):
    ds = small_ds(village=["plain", HOSTILE_TEXT[1]], commune=HOSTILE_TEXT[2:4], notes=[HOSTILE_TEXT[4], "x"])
    rep = bg.report.write_report(ds, tmp_path / "r", lang="en")
    villages = set(pd.read_csv(rep.folder / "assignments.csv", encoding="utf-8-sig")["village"])
    assert villages == {"plain", "bell \x07 and nul \x00"}
    xl = pd.read_excel(rep.folder / "report.xlsx", sheet_name="assignments")
    assert "bell \ufffd and nul \ufffd" in set(xl.to_numpy().ravel().tolist())
    g = gpd.read_file(rep.folder / "report.gpkg", layer="assignments")
    assert "form\x0cfeed" in set(g["commune"])


def test_lone_surrogates_are_refused_at_input_naming_row_and_field():
    """Broken UTF-16 is no text any file can hold: the dataset refuses it, so no writer ever meets it."""
    with pytest.raises(bg.InputError, match=r"row 1, field 'village'.*unpaired surrogate code point U\+D800"):
        small_ds(village=[HOSTILE_TEXT[0], "ok"])


@pytest.mark.parametrize("name", ["fid", "FID", "Fid"])
def test_fid_column_is_kept_under_another_name(tmp_path, name):
    ds = small_ds(**{name: ["x1", "x2"]})
    rep = bg.report.write_report(ds, tmp_path / "r", lang="en")
    g = gpd.read_file(rep.folder / "report.gpkg", layer="assignments")
    assert sorted(g[f"{name}_1"]) == ["x1", "x2"]
    assert any(f"{name!r} is kept as '{name}_1'" in n for n in rep.notes)


def test_columns_equal_but_for_case_in_geopackage(tmp_path):
    """SQLite does not tell column names apart by case: the second is kept under a new name, with a note."""
    from bien_gioi_geo.table_files import gpkg_safe, write_gpkg_layer

    notes: list[str] = []
    df = pd.DataFrame({"notes_x": ["a", "b"], "NOTES_X": ["c", "d"], "fid": ["p", "q"]})
    g = gpd.GeoDataFrame(gpkg_safe(df, "t", notes), geometry=[None, None], crs="EPSG:4326")
    write_gpkg_layer(g, tmp_path / "t.gpkg", "t")
    back = gpd.read_file(tmp_path / "t.gpkg", layer="t")
    assert back[["notes_x", "NOTES_X_1", "fid_1"]].to_numpy().tolist() == [["a", "c", "p"], ["b", "d", "q"]]
    assert len(notes) == 2 and "'NOTES_X' is kept as 'NOTES_X_1'" in notes[0]


def test_dataset_without_assignments_or_markers_still_reports(tmp_path):
    line = LineString([(103.0, 22.5), (103.1, 22.55)])
    ds = bg.Dataset(bg.Border(line))
    rep = bg.report.write_report(ds, tmp_path / "r", lang="en")
    assert (rep.folder / "map.html").exists() and (rep.folder / "report.xlsx").exists()
    assert any("no assignments" in n for n in rep.notes) and any("no markers" in n for n in rep.notes)
    assert rep.coverage.summary()["covered_km"] == 0


# ------------------------------------------------------------------------------------------------ options
@pytest.mark.parametrize(("call", "match"), [
    (lambda ds: bg.coverage_map(ds, lang="fr"), r"lang='fr' is not allowed; choose one of 'vi', 'en'"),
    (lambda ds: bg.coverage_map(ds, color_by="nope"), r"color_by='nope' is not allowed; choose one of .*'commune'"),
    (lambda ds: bg.report.write_report(ds, "never", lang="fr"), r"lang='fr'"),
    (lambda ds: bg.coverage(ds).by("markers"), r"'markers': the column holds lists"),
])
def test_bad_options_are_library_errors(call, match):
    with pytest.raises(bg.BienGioiError, match=match) as info:
        call(small_ds())
    assert isinstance(info.value, ValueError)
    assert not Path("never").exists()


# ------------------------------------------------------------------------------------------------ folders
def _report(ds, out, **kw):
    return bg.report.write_report(ds, out, lang="en", **kw)


def test_marker_file_and_force(tmp_path):
    ds = small_ds()
    out = tmp_path / "r"
    _report(ds, out)
    info = json.loads((out / MARKER).read_text())
    assert info["tool"] == "bien_gioi_geo" and info["version"] == bg.__version__
    assert set(info["files"]) == {p.name for p in out.iterdir()} - {MARKER}
    with pytest.raises(bg.OutputError, match="exists; choose another folder or pass --force"):
        _report(ds, out)
    before = (out / MARKER).stat().st_ino
    _report(ds, out, force=True)  # an earlier report: replaced
    assert (out / MARKER).stat().st_ino != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary or lock file left beside


@pytest.mark.parametrize("case", ["cwd", "input", "input_parent", "inside_input", "foreign", "file", "symlink",
                                  "marked_plus_foreign", "root"])
def test_report_refuses_to_destroy(tmp_path, ds_folder, monkeypatch, case):
    ds = small_ds()
    monkeypatch.chdir(tmp_path)
    targets = {"cwd": (tmp_path, "current folder"), "input": (ds_folder, "holds, or is inside, the input"),
               "input_parent": (ds_folder.parent, "holds, or is inside, the input"),
               "inside_input": (ds_folder / "rep", "holds, or is inside, the input"),
               "foreign": (tmp_path / "foreign", "did not write"), "file": (tmp_path / "f.txt", "is a file"),
               "symlink": (tmp_path / "link", "symbolic link"),
               "marked_plus_foreign": (tmp_path / "marked", "also holds other files"),
               "root": (Path("/"), "current folder|root")}
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "thesis.docx").write_text("years of work")
    (tmp_path / "f.txt").write_text("keep me")
    (tmp_path / "link").symlink_to(tmp_path / "foreign")
    _report(ds, tmp_path / "marked")
    (tmp_path / "marked" / "my notes.txt").write_text("mine")
    if case in ("root", "input_parent"):
        monkeypatch.chdir(tmp_path.parent if case == "input_parent" else "/tmp")
    out, match = targets[case]
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    with pytest.raises(bg.OutputError, match=match):
        _report(ds, out, force=True, inputs=[ds_folder])
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    assert after == snapshot


def test_replace_without_atomic_exchange(tmp_path, monkeypatch):
    """Where renameat2 is missing, the old report is moved aside, the new one renamed in, the old one removed."""
    import bien_gioi_geo.outputs as outputs

    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    out = tmp_path / "r"
    with report_folder(out) as tmp:
        (tmp / "a.txt").write_text("old")
    with report_folder(out, force=True) as tmp:
        (tmp / "a.txt").write_text("new")
    assert (out / "a.txt").read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_empty_folder_is_used_with_force(tmp_path):
    (tmp_path / "e").mkdir()
    with pytest.raises(bg.OutputError, match="exists"):
        _report(small_ds(), tmp_path / "e")
    rep = _report(small_ds(), tmp_path / "e", force=True)
    assert (rep.folder / "map.html").exists()


def test_failure_inside_leaves_nothing(tmp_path):
    out = tmp_path / "r"
    with pytest.raises(RuntimeError, match="boom"), report_folder(out) as tmp:
        (tmp / "half.html").write_text("<html>")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    stale = tmp_path / f".r.bien_gioi_geo-tmp-{dead}-0badc0de"
    stale.mkdir()
    (stale / "map.html").write_text("<html>truncated")
    stale_file = tmp_path / f".m.html.bien_gioi_geo-tmp-{dead}-0badc0de.html"
    stale_file.write_text("trunc")
    alive = tmp_path / f".r.bien_gioi_geo-tmp-{os.getppid()}-0badc0de"  # our parent lives: not ours to remove
    alive.mkdir()
    _report(small_ds(), tmp_path / "r")
    with atomic_file(tmp_path / "m.html") as t:
        t.write_text("ok")
    assert not stale.exists() and not stale_file.exists() and alive.exists()
    assert (tmp_path / "m.html").read_text() == "ok"


def test_check_folder_target_does_not_touch_anything(tmp_path):
    assert check_folder_target(tmp_path / "new", force=False) == tmp_path / "new"
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------------ files
@pytest.mark.parametrize(("target", "match"), [
    ("/dev/full", "not a regular file"), ("{tmp}", "is a folder"), ("{tmp}/nope/m.html", "does not exist"),
    ("{tmp}/link.html", "symbolic link"),
])
def test_file_targets_refused(tmp_path, target, match):
    (tmp_path / "link.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(bg.OutputError, match=match), atomic_file(target.format(tmp=tmp_path)) as t:
        t.write_text("x")
    assert not (tmp_path / "elsewhere.html").exists()


def _readonly_dir(tmp_path):
    if os.geteuid() == 0:  # root writes through permissions: use a folder the kernel refuses (sysfs)
        return Path("/sys")
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o555)
    return d


def test_read_only_folder_is_an_output_error(tmp_path):
    ro = _readonly_dir(tmp_path)
    with (pytest.raises(bg.OutputError, match=rf"{ro}/m.html: .*(denied|not permitted)"),
          atomic_file(ro / "m.html") as t):
        t.write_text("x")
    with pytest.raises(bg.OutputError, match=rf"{ro}/rep: .*(denied|not permitted)"):
        _report(small_ds(), ro / "rep")


# ------------------------------------------------------------------------------------------------ command line
@pytest.mark.parametrize("how", ["script", "module"])
def test_exit_codes(tmp_path, ds_folder, how):
    r = run("report", str(ds_folder), "--out", str(ds_folder), "--force", how=how)
    assert r.returncode == 3 and "the input" in r.stderr and "Traceback" not in r.stderr
    r = run("map", str(ds_folder), "-o", "/dev/full", how=how)
    assert r.returncode == 3 and "/dev/full: not a regular file" in r.stderr
    if how == "script":  # the same main(); the rest once is enough
        return
    r = run("coverage", str(ds_folder), "--by", "markers", how=how)
    assert r.returncode == 2 and "--by='markers'" not in r.stderr and "holds lists" in r.stderr
    r = run("coverage", str(ds_folder), "--by", "nope", how=how)
    assert r.returncode == 2 and "--by='nope' is not allowed" in r.stderr
    r = run("validate", str(tmp_path / "missing"), how=how)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("report", str(ds_folder), "--out", str(tmp_path / "ok"), how=how)
    assert r.returncode in (0, 1) and (tmp_path / "ok" / "map.html").exists(), r.stderr
    r = run("--help", how=how)
    assert "3 an output could not be written" in " ".join(r.stdout.split()) and "70" in r.stdout


def test_file_size_limit_is_an_output_error(tmp_path, ds_folder):
    """RLIMIT_FSIZE stands for a full disk: writes fail with EFBIG; nothing half-written appears."""
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))\n"
            "from bien_gioi_geo.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")

    def limited(*args):
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)

    out = tmp_path / "rep"
    r = limited("report", str(ds_folder), "--out", str(out))
    assert r.returncode == 3 and "Traceback" not in r.stderr, r.stderr
    assert f"{out}/map.html: cannot write: File too large" in r.stderr
    r = limited("map", str(ds_folder), "-o", str(tmp_path / "m.html"))
    assert r.returncode == 3 and f"{tmp_path / 'm.html'}: cannot write: File too large" in r.stderr
    r = limited("convert", str(ds_folder / "markers.geojson"), str(tmp_path / "m.gpkg"))  # GDAL's own error path
    assert r.returncode == 3 and f"{tmp_path / 'm.gpkg'}: cannot write layer 'markers'" in r.stderr, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["input"]


def test_unexpected_error_is_reported_as_a_bug(tmp_path, ds_folder):
    code = ("import sys, bien_gioi_geo.cli as c\n"
            "def boom(args): raise KeyError('oops')\n"
            "p = c.build_parser\n"
            "def bp():\n"
            "    parser = p()\n"
            "    parser._subparsers._group_actions[0].choices['validate'].set_defaults(func=boom)\n"
            "    return parser\n"
            "c.build_parser = bp\n"
            "sys.exit(c.main(sys.argv[1:]))\n")
    r = subprocess.run([sys.executable, "-c", code, "validate", str(ds_folder)], capture_output=True, text=True)
    assert r.returncode == 70 and "please report" in r.stderr and bg.__version__ in r.stderr
    assert "Traceback" not in r.stderr and "KeyError: 'oops'" in r.stderr
    r = subprocess.run([sys.executable, "-c", code, "--debug", "validate", str(ds_folder)], capture_output=True,
                       text=True)
    assert r.returncode == 70 and "Traceback" in r.stderr


def test_unencodable_names_end_with_a_clear_message(tmp_path):
    ds = small_ds()
    folder = tmp_path / "in"
    folder.mkdir()
    bg.write_geojson(ds.borders["b1"].to_geodataframe(), folder / "border.geojson")
    feature = {"type": "Feature", "geometry": None,
               "properties": {"assignment_id": "A1", "village": "lone \ud800", "start_km": 0.0, "end_km": 5.0}}
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})  # the JSON escape \ud800, valid JSON
    (folder / "assignments.geojson").write_text(text, encoding="utf-8")
    r = run("coverage", str(folder), "--by", "village", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 2, r.stderr
    assert "unpaired surrogate" in r.stderr and "Traceback" not in r.stderr


def test_broken_pipe_ends_quietly():
    cmd = f"{sys.executable} -m bien_gioi_geo validate phong_tho --format csv | head -1"
    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=300)
    assert r.stdout.startswith("rule,") and r.stderr == ""


@pytest.mark.parametrize("sub", ["map", "convert"])
def test_map_and_convert_refuse_without_force(tmp_path, ds_folder, sub):
    dst = tmp_path / ("out.html" if sub == "map" else "out.geojson")
    dst.write_text("precious")
    args = ([sub, str(ds_folder), "-o", str(dst)] if sub == "map"
            else [sub, str(ds_folder / "markers.geojson"), str(dst)])
    r = run(*args)
    assert r.returncode == 3 and "exists; pass --force" in r.stderr
    assert dst.read_text() == "precious"
    r = run(*args, "--force")
    assert r.returncode == 0, r.stderr
    assert dst.read_text() != "precious" and sorted(p.name for p in tmp_path.iterdir()) == ["input", dst.name]


# ------------------------------------------------------------------------------------------------ concurrency
def _complete(folder):
    info = json.loads((folder / MARKER).read_text())
    names = {p.name for p in folder.iterdir()}
    assert names == set(info["files"]) | {MARKER}
    assert (folder / "map.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    openpyxl.load_workbook(folder / "report.xlsx")
    assert len(gpd.read_file(folder / "report.gpkg", layer="markers")) == 2


@pytest.mark.slow
def test_concurrent_runs_one_wins(tmp_path, ds_folder):
    out = tmp_path / "shared"
    procs = [subprocess.Popen([*RUNNERS["module"], "report", str(ds_folder), "--out", str(out), "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    wins = [r for r in results if r[0] in (0, 1)]
    losers = [r for r in results if r[0] not in (0, 1)]
    assert len(wins) == 1  # without --force, a run that comes after the winner finds the folder and stops
    for code, err in losers:  # a loser either met the lock or the finished folder; never a crash
        assert code == 3 and ("another bien-gioi-geo run" in err or "exists" in err), err
    _complete(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input", "shared"]


@pytest.mark.slow
def test_kill_at_random_moments(tmp_path, ds_folder):
    """kill -9 at random moments: the folder is absent, old or complete, and the next run leaves no temporary.

    Half the kills fall anywhere in a run; the other half while the temporary folder is being filled (the moment
    a non-atomic writer would leave a truncated file).
    """
    rng = random.Random(20261122)
    out = tmp_path / "rep"
    cmd = [*RUNNERS["module"], "report", str(ds_folder), "--out", str(out), "--force", "--quiet"]
    t0 = time.monotonic()
    assert subprocess.run(cmd, capture_output=True, timeout=300).returncode in (0, 1)
    duration = time.monotonic() - t0
    _complete(out)
    during_write = 0
    for k in range(12):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if k % 2:
            time.sleep(rng.uniform(0.0, duration))
        else:
            deadline = time.monotonic() + 2 * duration
            while not any(".bien_gioi_geo-tmp-" in q.name for q in tmp_path.iterdir()) and p.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.5))
            during_write += any(".bien_gioi_geo-tmp-" in q.name for q in tmp_path.iterdir())
        p.send_signal(signal.SIGKILL)
        p.wait()
        _complete(out)  # the previous report, whole, or the new one, whole
    assert during_write >= 3  # the test did kill runs in the middle of writing
    r = run("report", str(ds_folder), "--out", str(out), "--force", "--quiet")
    assert r.returncode in (0, 1), r.stderr
    _complete(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input", "rep"]
