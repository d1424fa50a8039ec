"""``bien-gioi-geo patrols TRACKS [DATASET] --out DIR``: the patrol tables (CSV, Excel) and the map."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import OutputError

__all__ = ["add_parser", "write_patrols"]

EPILOG = ("example:\n  bien-gioi-geo patrols tracks.gpx phong_tho --out tuan_tra --every 30D\n"
          "  bien-gioi-geo patrols fixes.parquet my_dataset/ --out out --as-of 2024-06-30 --lang en")

#: Vietnamese headers of the patrol tables (keys stay English in code)
HEADERS_VI = {
    "visit_id": "Lượt", "track_id": "Chuyến/thiết bị", "border_id": "Tuyến biên giới", "start_km": "Từ km",
    "end_km": "Đến km", "length_km": "Chiều dài (km)", "official_start_km": "Từ km (chính thức)",
    "official_end_km": "Đến km (chính thức)", "official_length_km": "Chiều dài chính thức (km)",
    "start_time": "Bắt đầu", "end_time": "Kết thúc", "n_fixes": "Số điểm GPS", "first_row": "Dòng đầu",
    "last_row": "Dòng cuối", "last_visit": "Lần tuần tra gần nhất", "days_since": "Số ngày",
    "visits_in_window": "Số lượt trong kỳ", "last_track_id": "Chuyến gần nhất",
    "from_marker_near": "Gần mốc (đầu)", "to_marker_near": "Gần mốc (cuối)", "n_visits": "Số lượt",
    "n_tracks": "Số chuyến", "covered_km": "Đã tuần tra (km)", "first_visit": "Lượt đầu",
    "assignment_id": "Mã phân công", "registered_km": "Đăng ký (km)", "patrolled_km": "Đã tuần tra (km)",
    "percent": "Tỷ lệ (%)", "source": "Tệp", "row": "Dòng", "field": "Trường", "value": "Giá trị",
    "message": "Nội dung",
}


def add_parser(sub: Any, common: Any) -> None:
    """Register the ``patrols`` subcommand (called by :func:`bien_gioi_geo.cli.build_parser`)."""
    help_ = "match GPS tracks to the border: visits, last visit, overdue stretches (CSV, Excel) and the map"
    sp = sub.add_parser("patrols", help=help_, description=help_, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    common(sp)
    sp.add_argument("tracks", help="GPX, CSV, Excel, GeoJSON or GeoParquet file of GPS fixes")
    sp.add_argument("path", nargs="?", help="dataset folder, GeoPackage or bundled name (default: phong_tho)")
    sp.add_argument("--out", required=True, help="output folder (must not exist unless --force)")
    sp.add_argument("--force", action="store_true", help="replace an existing output folder")
    sp.add_argument("--every", default="30D", help="required patrol interval (default 30D)")
    sp.add_argument("--as-of", default=None, help="date of the question (default: the end of the last visit)")
    sp.add_argument("--corridor-m", type=float, default=100.0, help="corridor half-width in metres (default 100)")
    sp.set_defaults(func=cmd_patrols)


def cmd_patrols(args: argparse.Namespace) -> int:
    """Read tracks and dataset, match, write the folder."""
    from ..cli import EXIT_CLEAN, EXIT_DATA_ERRORS, _load
    from .read import read_tracks

    ds = _load(args.path, args)
    fixes, problems = read_tracks(args.tracks, crs=args.crs, errors="collect")
    written = write_patrols(ds, fixes, args.out, problems=problems, every=args.every, as_of=args.as_of,
                            lang=args.lang, force=args.force, corridor_m=args.corridor_m)
    if not args.quiet:
        print(f"{len(fixes)} GPS fixes, {len(problems)} bad; written to {args.out}/: "
              + ", ".join(p.name for p in written))
    return EXIT_DATA_ERRORS if len(problems) else EXIT_CLEAN


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """No geometry; times in Viet Nam time (UTC+7) as text, so a reader sees local time."""
    out = pd.DataFrame(df.drop(columns=[c for c in ("geometry",) if c in df.columns])).copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_convert("Asia/Ho_Chi_Minh").dt.strftime("%Y-%m-%d %H:%M:%S%z").astype(object)
            out[c] = out[c].where(out[c].notna(), None)
    return out


def _no_formulas(path: Path) -> None:
    """Cells that openpyxl would store as formulas (text from data beginning with '=') become plain text."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    changed = False
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed = True
    if changed:
        wb.save(path)


def write_patrols(dataset: Any, fixes: pd.DataFrame, out: str | Path, *, problems: pd.DataFrame | None = None,
                  every: str = "30D", as_of: Any = None, lang: str = "vi", force: bool = False,
                  **options: Any) -> list[Path]:
    """Match ``fixes`` and write ``visits``, ``last_visit``, ``overdue``, ``by_track``, ``assignments``,
    ``problems`` (CSV, UTF-8 with BOM), ``patrols.xlsx`` (one sheet each, headers in ``lang``) and
    ``patrols_map.html`` into a new folder ``out`` — written beside it first, then renamed, so a failed run
    leaves nothing half-written.
    """
    from ..maps import save_map
    from ..maps.patrol_map import patrol_map
    from .api import patrols

    out = Path(out)
    if out.exists() and not force:
        raise OutputError(f"{out} exists; choose another folder or pass --force to replace it")
    parent = out.resolve().parent
    if not parent.exists():
        raise OutputError(f"{out}: the folder {parent} does not exist")
    result = patrols(dataset, fixes, **options)
    tables = {"visits": result.visits, "last_visit": result.last_visit(as_of, window=every),
              "overdue": result.overdue(every, as_of), "by_track": result.by("track_id"),
              "assignments": result.assignments(),
              "problems": problems if problems is not None else result.problems}
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    tmp.chmod(0o755)
    try:
        save_map(patrol_map(result, as_of=as_of, fixes=fixes, lang=lang), tmp / "patrols_map.html")
        plain = {k: _plain(v) for k, v in tables.items()}
        for name, df in plain.items():
            df.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")
        with pd.ExcelWriter(tmp / "patrols.xlsx", engine="openpyxl") as xl:
            for name, df in plain.items():
                head = df.rename(columns=HEADERS_VI) if lang == "vi" else df
                head.to_excel(xl, sheet_name=name[:31], index=False)
        _no_formulas(tmp / "patrols.xlsx")
        if out.exists():
            if not (out / "patrols.xlsx").exists():
                raise OutputError(f"{out} exists and was not written by this command; choose another folder")
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(out.iterdir())
