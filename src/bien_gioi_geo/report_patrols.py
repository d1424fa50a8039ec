"""The patrols output folder (``bien-gioi-geo patrols TRACKS [DATASET] --out DIR``): the patrol tables (CSV,
Excel) and the map, and the command's arguments (:func:`add_parser`; the command itself runs in :mod:`.cli`).

It sits beside :mod:`.report_change`, above :mod:`.maps` (it draws the patrol map) and :mod:`.patrols` (it matches).

Uses (layer ``report_patrols``): ``errors``, ``labels``, ``maps``, ``outputs``, ``patrols``, ``table_files``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import check_option
from .labels import PATROL_HEADERS_VI as HEADERS_VI
from .outputs import MARKER, check_folder_target, report_folder

__all__ = ["add_parser", "write_patrols"]

EPILOG = ("example:\n  bien-gioi-geo patrols tracks.gpx phong_tho --out tuan_tra --every 30D\n"
          "  bien-gioi-geo patrols fixes.parquet my_dataset/ --out out --as-of 2024-06-30 --lang en")



def add_parser(sub: Any, common: Any, command: Callable[[argparse.Namespace], int]) -> None:
    """Register the ``patrols`` subcommand, run by ``command`` (called by :func:`bien_gioi_geo.cli.build_parser`)."""
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
    sp.set_defaults(func=command)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """No geometry; times in Viet Nam time (UTC+7) as text, so a reader sees local time."""
    out = pd.DataFrame(df.drop(columns=[c for c in ("geometry",) if c in df.columns])).copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_convert("Asia/Ho_Chi_Minh").dt.strftime("%Y-%m-%d %H:%M:%S%z").astype(object)
            out[c] = out[c].where(out[c].notna(), None)
    return out


def write_patrols(dataset: Any, fixes: pd.DataFrame, out: str | Path, *, problems: pd.DataFrame | None = None,
                  every: str = "30D", as_of: Any = None, lang: str = "vi", force: bool = False,
                  inputs: Iterable[str | os.PathLike[str]] = (), **options: Any) -> list[Path]:
    """Match ``fixes`` and write ``visits``, ``last_visit``, ``overdue``, ``by_track``, ``assignments``,
    ``problems`` (CSV, UTF-8 with BOM), ``patrols.xlsx`` (one sheet each, headers in ``lang``) and
    ``patrols_map.html`` into a new folder ``out``, with the marker file of a report folder.

    The folder is made like the report's (:func:`bien_gioi_geo.outputs.report_folder`): complete or not at all,
    one run at a time; ``force`` replaces only an empty folder or an earlier output of this tool; the current
    folder, a file, a symbolic link and a folder holding (or inside) one of ``inputs`` are refused. Text that a
    spreadsheet would take for a formula stays text (:func:`bien_gioi_geo.table_files.write_csv`,
    :func:`~bien_gioi_geo.table_files.write_xlsx`).

    Raises
    ------
    OutputError
        When ``out`` cannot be written safely (see above) or a write fails.
    OptionError
        When ``lang`` is not ``"vi"`` or ``"en"``.
    """
    from .maps import save_map
    from .maps.patrol_map import patrol_map
    from .patrols import patrols
    from .patrols.result import parse_duration
    from .table_files import write_csv, write_xlsx

    check_option("lang", lang, ("vi", "en"))
    parse_duration(every, "every")  # named as the caller knows it, before the matching
    inputs = list(inputs)
    out = check_folder_target(out, force=force, inputs=inputs)  # fail before the matching
    result = patrols(dataset, fixes, **options)
    tables = {"visits": result.visits, "last_visit": result.last_visit(as_of, window=every),
              "overdue": result.overdue(every, as_of), "by_track": result.by("track_id"),
              "assignments": result.assignments(),
              "problems": problems if problems is not None else result.problems}
    with report_folder(out, force=force, inputs=inputs) as tmp:
        save_map(patrol_map(result, as_of=as_of, fixes=fixes, lang=lang), tmp / "patrols_map.html")
        plain = {k: _plain(v) for k, v in tables.items()}
        for name, df in plain.items():
            write_csv(df, tmp / f"{name}.csv")
        write_xlsx({name: df.rename(columns=HEADERS_VI) if lang == "vi" else df for name, df in plain.items()},
                   tmp / "patrols.xlsx")
    return sorted(p for p in out.iterdir() if p.name != MARKER)
