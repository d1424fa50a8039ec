"""The command line: ``bien-gioi-geo`` (also ``python -m bien_gioi_geo``).

Exit codes: 0 the data is clean (warnings allowed), 1 the data has errors, 2 the input could not be read or the
command was misused (the message names file, feature/row and field), 3 an output could not be written (the message
names the path and the cause), 70 an unexpected error, a bug of bien_gioi_geo (please report it). A traceback is
printed only with ``--debug``. When the reader of the output goes away (``| head``), the command ends quietly.

Uses (layer ``cli``): ``_version``, ``admin``, ``errors``, ``formatting``, ``io``, ``labels``, ``maps``, ``outputs``,
``patrols``, ``report``, ``report_patrols``, ``table_files``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

EXIT_CLEAN, EXIT_DATA_ERRORS, EXIT_INPUT, EXIT_OUTPUT, EXIT_BUG = 0, 1, 2, 3, 70
EXIT_CODES = ("exit codes: 0 clean (warnings allowed), 1 the data has errors, 2 the input could not be read "
              "(or a bad option), 3 an output could not be written, 70 a bug of bien-gioi-geo (please report it)")
ISSUES_URL = "the bien_gioi_geo issue tracker"

EPILOG = {
    "report": "example:\n  bien-gioi-geo report --out phong_tho_report\n"
              "  bien-gioi-geo report my_data.gpkg --out report --lang en --force",
    "validate": "example:\n  bien-gioi-geo validate my_folder/ --format csv > problems.csv",
    "coverage": "example:\n  bien-gioi-geo coverage phong_tho --by commune",
    "map": "example:\n  bien-gioi-geo map phong_tho -o map.html --lang en",
    "convert": "example:\n  bien-gioi-geo convert markers_vn2000.csv markers.geojson --crs EPSG:9205",
}


def _load(path: str | None, args: argparse.Namespace) -> Any:
    import bien_gioi_geo as bg

    target = path or "phong_tho"
    kw: dict[str, Any] = {}
    if getattr(args, "crs", None):
        kw["crs"] = args.crs
    if getattr(args, "official_km", None) is not None:
        kw["official_length_km"] = args.official_km
    per_table = {t: getattr(args, f"{t}_crs", None) for t in ("markers", "assignments")}
    try:
        if not Path(target).exists() and target in bg.datasets.available():
            return bg.datasets.load(target, **kw)
        if any(per_table.values()):  # a CRS per table; --crs for the others (never applied to GeoJSON)
            kw["crs"] = {t: c or args.crs for t, c in {**per_table, "border": None, "admin": None}.items()
                         if c or args.crs}
        if getattr(args, "axis_order", None):
            kw["axis_order"] = args.axis_order
        if getattr(args, "collect", False) and args.command in ("validate", "report"):  # every bad row listed
            ds, _ = bg.read_dataset(target, errors="collect", **kw)
            return ds
        return bg.read_dataset(target, **kw)
    except bg.BienGioiError:
        raise
    except OSError as exc:  # the reader met the file system, not the data: still an unreadable input
        raise bg.InputError(f"{target}: cannot read: {exc.strerror or exc}") from exc


def _inputs(path: str | None) -> list[str]:
    """The files or folders a command reads (a bundled dataset name is not a path of the user's)."""
    return [path] if path and Path(path).exists() else []


def _print_table(df: Any, fmt: str) -> None:
    import pandas as pd

    df = pd.DataFrame(df)
    if "geometry" in df.columns:
        df = df.drop(columns="geometry")
    if fmt == "csv":
        from .table_files import write_csv

        write_csv(df, sys.stdout)
    elif fmt == "json":
        print(df.to_json(orient="records", force_ascii=False, default_handler=str))
    else:
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                               "display.max_colwidth", 120):
            print(df.to_string(index=False))


class _Progress:
    """Step-by-step progress on standard error, only when it is a terminal (nothing in pipes or files)."""

    STEPS = ("reading", "coverage", "validation", "map", "tables", "GeoPackage")

    def __init__(self, quiet: bool) -> None:
        self.on = not quiet and sys.stderr.isatty()
        self.k = 0

    def __call__(self, name: str) -> None:
        if not self.on:
            return
        self.k += 1
        width = 24
        done = int(width * (self.k - 1) / len(self.STEPS))
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {self.k}/{len(self.STEPS)} {name:<12}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _print_summary(cov: Any, lang: str) -> None:
    t = cov.summary_table(lang)
    width = max(len(str(x)) for x in t.iloc[:, 0])
    for k, v in zip(t.iloc[:, 0], t.iloc[:, 1], strict=True):
        print(f"{str(k).ljust(width)}  {v}")


def cmd_report(args: argparse.Namespace) -> int:
    """The main job: validate, compute coverage, write the report folder."""
    from .labels import label
    from .report import write_report

    progress = _Progress(args.quiet)
    progress("reading")
    ds = _load(args.path, args)
    if args.admin == "current" and ds.assignments is not None and "commune_current" not in ds.assignments:
        import bien_gioi_geo.admin as admin  # the recorded names, mapped to the current communes (or an error)

        ds = admin.to_current(ds)
    cov = None
    if args.chainage == "official":
        import bien_gioi_geo as bg

        cov = bg.coverage(ds, chainage="official", as_of=args.as_of, admin=args.admin)
    try:
        rep = write_report(ds, args.out, lang=args.lang, force=args.force, progress=progress, cov=cov,
                           inputs=_inputs(args.path), as_of=args.as_of, compare=args.compare,
                           admin=args.admin)
    finally:
        progress.close()
    for note in rep.notes:
        print(f"bien-gioi-geo: note: {note}", file=sys.stderr)
    if not args.quiet:
        _print_summary(rep.coverage, args.lang)
        n, n_err = len(rep.issues), rep.n_errors
        print("\n" + label("cli_problems", args.lang).format(n=n, errors=n_err, warnings=n - n_err))
        print(label("cli_written_to", args.lang).format(folder=rep.folder, files=", ".join(p.name for p in rep.files)))
    return EXIT_DATA_ERRORS if rep.n_errors else EXIT_CLEAN


def cmd_validate(args: argparse.Namespace) -> int:
    """Print the problems table."""
    import bien_gioi_geo as bg

    ds = _load(args.path, args)
    issues = bg.validate(ds, lang=args.lang)
    if not args.quiet:
        import pandas as pd

        from .formatting import format_km
        from .labels import label, translate_values

        shown = issues[["rule", "severity", "message", "start_km", "end_km", "where"]]
        if args.format == "table":  # for a reader: the language's words and numbers (0,469), where in the file
            shown = translate_values(shown, args.lang)
            for c in ("start_km", "end_km"):
                shown[c] = [format_km(v, lang=args.lang) if pd.notna(v) else "" for v in shown[c]]
            shown = shown.fillna("").rename(columns={c: label(c, args.lang) for c in shown.columns})
        _print_table(shown, args.format)
    return EXIT_DATA_ERRORS if (issues["severity"] == "error").any() else EXIT_CLEAN


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print coverage figures."""
    import bien_gioi_geo as bg

    ds = _load(args.path, args)
    cov = bg.coverage(ds, chainage=args.chainage)
    if args.by:
        from .errors import check_option

        check_option("--by", args.by, [c for c in ds.assignments.columns if c != "geometry"])
        _print_table(cov.by(args.by).reset_index(), args.format)
    elif args.format == "json":
        print(json.dumps(cov.summary(), ensure_ascii=False, indent=1))
    elif args.format == "csv":
        _print_table(cov.summary_table(args.lang), "csv")
    else:
        _print_summary(cov, args.lang)
    return EXIT_CLEAN


def cmd_map(args: argparse.Namespace) -> int:
    """Write the coverage map."""
    import bien_gioi_geo as bg

    from .maps import save_map
    from .outputs import check_file_target

    out = check_file_target(args.output)
    if out.exists() and not args.force:
        raise bg.OutputError(f"{out}: exists; pass --force to replace it")
    ds = _load(args.path, args)
    save_map(bg.coverage_map(ds, lang=args.lang, tiles=None if args.no_tiles else "OpenStreetMap"), out)
    if not args.quiet:
        print(f"written {out}")
    return EXIT_CLEAN


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a file to WGS 84 GeoJSON or GeoPackage."""
    import bien_gioi_geo as bg

    from .errors import OptionError
    from .io import atomic_path
    from .outputs import check_file_target

    src, dst = Path(args.input), check_file_target(args.output)
    if dst.exists() and not args.force:
        raise bg.OutputError(f"{dst}: exists; pass --force to replace it")
    if dst.suffix.lower() not in (".geojson", ".json", ".gpkg", ".csv", ".xlsx"):
        raise OptionError(f"{dst.name}: write .geojson, .gpkg, .csv or .xlsx")
    if dst.resolve() == src.resolve():
        raise bg.OutputError(f"{dst}: is the input; write to another file")
    reader = {"markers": bg.read_markers, "assignments": bg.read_assignments, "border": bg.read_border}[args.kind]
    opts: dict[str, Any] = {"layer": args.layer}
    if args.kind != "border":
        opts.update(header_row=args.header_row, axis_order=args.axis_order)
    gdf = reader(src, crs=args.crs, **opts)
    if dst.suffix.lower() in (".geojson", ".json"):
        bg.write_geojson(gdf, dst)
    elif dst.suffix.lower() in (".csv", ".xlsx"):
        from .table_files import flat, write_csv, write_xlsx

        table = flat(gdf.drop(columns="geometry"))
        if args.kind == "markers":  # a table keeps the position as WGS 84 degrees
            table["lon"], table["lat"] = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()
        else:
            table["wkt"] = [None if g is None else g.wkt for g in gdf.geometry]
        with atomic_path(dst) as tmp:
            if dst.suffix.lower() == ".csv":
                write_csv(table, tmp)
            else:
                write_xlsx({args.kind: table}, tmp)
    else:
        import geopandas as gpd

        from .table_files import flat, gpkg_safe, write_gpkg_layer

        notes: list[str] = []
        attrs = gpkg_safe(flat(gdf.drop(columns="geometry")), args.kind, notes)
        g = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs="EPSG:4326")
        with atomic_path(dst) as tmp:
            write_gpkg_layer(g, tmp, args.kind)
        for note in notes:
            print(f"bien-gioi-geo: note: {note.replace('report.gpkg', dst.name)}", file=sys.stderr)
    if not args.quiet:
        print(f"{len(gdf)} {args.kind} row(s) written to {dst} (EPSG:4326)")
    return EXIT_CLEAN


def cmd_patrols(args: argparse.Namespace) -> int:
    """Read tracks and dataset, match, write the folder (:func:`bien_gioi_geo.report_patrols.write_patrols`)."""
    from .patrols import read_tracks
    from .report_patrols import write_patrols

    ds = _load(args.path, args)
    fixes, problems = read_tracks(args.tracks, crs=args.crs, errors="collect")
    written = write_patrols(ds, fixes, args.out, problems=problems, every=args.every, as_of=args.as_of,
                            lang=args.lang, force=args.force, corridor_m=args.corridor_m,
                            inputs=[*_inputs(args.tracks), *_inputs(args.path)])
    if not args.quiet:
        print(f"{len(fixes)} GPS fixes, {len(problems)} bad; written to {args.out}/: "
              + ", ".join(p.name for p in written))
    return EXIT_DATA_ERRORS if len(problems) else EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from ._version import __version__

    p = argparse.ArgumentParser(prog="bien-gioi-geo", description="Analyse a land border: coverage of the border "
                                "line and markers by self-management groups, data validation, maps.",
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=EXIT_CODES)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--official-km", type=float, default=None, help="official length of the border (km)")
        sp.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of labels (default vi)")
        sp.add_argument("--crs", default=None, help="CRS of inputs that carry none, e.g. EPSG:9205")
        sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
        sp.add_argument("--quiet", action="store_true", help="print nothing but errors")
        sp.add_argument("--markers-crs", default=None, help="CRS of the markers table, e.g. EPSG:9205")
        sp.add_argument("--assignments-crs", default=None, help="CRS of the assignments table")
        sp.add_argument("--axis-order", choices=["xy", "yx"], default=None,
                        help="X/Y columns: yx = X is northing (Vietnamese surveying); default: from magnitudes")
        sp.add_argument("--chainage", choices=["measured", "official"], default="measured",
                        help="read start_km/end_km as measured (geodesic) or official chainage")
        sp.add_argument("--strict", dest="collect", action="store_false",
                        help="stop at the first bad file instead of listing every bad row")
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the Python traceback of an error")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_, epilog=EPILOG[name] + "\n\n" + EXIT_CODES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        common(sp)
        return sp

    sp = add("report", "validate a dataset, compute coverage and write map, GeoPackage, CSV and Excel tables")
    sp.add_argument("path", nargs="?", help="folder, GeoPackage or bundled name (default: phong_tho)")
    sp.add_argument("--out", required=True, help="output folder (must not exist unless --force)")
    sp.add_argument("--force", action="store_true",
                    help="replace an existing output folder, only if it is empty or an earlier report")
    sp.add_argument("--as-of", default=None, metavar="DATE", help="describe the data on DATE (2024-12-31 or "
                    "31/12/2024; default: today)")
    sp.add_argument("--admin", choices=["auto", "recorded", "current"], default="auto",
                    help="administrative units of a dataset with current units (bg.admin.to_current): auto = "
                         "rows before 1 July 2025 under the units of their time (default), or one set for all")
    sp.add_argument("--compare", nargs=2, default=None, metavar=("DATE1", "DATE2"),
                    help="add the change between two dates: tables, change_map.html, timeline.png")
    sp.set_defaults(func=cmd_report)
    sp = add("validate", "print the problems table of a dataset")
    sp.add_argument("path")
    sp.set_defaults(func=cmd_validate)
    sp = add("coverage", "print coverage figures, in total or per column")
    sp.add_argument("path")
    sp.add_argument("--by", default=None, help="assignment column, e.g. commune, village, group_type")
    sp.set_defaults(func=cmd_coverage)
    sp = add("map", "write the coverage map as one HTML file")
    sp.add_argument("path")
    sp.add_argument("-o", "--output", required=True)
    sp.add_argument("--force", action="store_true")
    sp.add_argument("--no-tiles", action="store_true", help="no background tiles")
    sp.set_defaults(func=cmd_map)
    sp = add("convert", "convert a CSV/GeoJSON/GeoPackage of markers, assignments or border lines to WGS 84 "
                        "GeoJSON or GeoPackage")
    sp.add_argument("input")
    sp.add_argument("output")
    sp.add_argument("--kind", choices=["markers", "assignments", "border"], default="markers")
    sp.add_argument("--layer", "--sheet", default=None, help="GeoPackage layer or Excel sheet to read")
    sp.add_argument("--header-row", type=int, default=None, metavar="N",
                    help="row of the column names, counted from 1 as Excel shows it (default: found)")
    sp.add_argument("--force", action="store_true")
    sp.set_defaults(func=cmd_convert)
    from .report_patrols import add_parser as add_patrols  # the patrols command's arguments, beside its writer

    add_patrols(sub, common, cmd_patrols)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from ._version import __version__
    from .errors import BienGioiError, OutputError

    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a name must not end the run
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(getattr(args, "debug", False))
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("bien-gioi-geo: interrupted", file=sys.stderr)
        return 130
    except BienGioiError as exc:
        if debug:
            traceback.print_exc()
        print(f"bien-gioi-geo: error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT if isinstance(exc, OutputError) else EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, said as such
        if debug:
            traceback.print_exc()
        print(f"bien-gioi-geo: internal error (a bug of bien-gioi-geo {__version__}, please report it to "
              f"{ISSUES_URL} with the command and, if you can, the data): {type(exc).__name__}: {exc}"
              + ("" if debug else "\n(run again with --debug to see the traceback)"), file=sys.stderr)
        return EXIT_BUG


def _quiet_broken_pipe() -> int:
    """The reader of standard output went away (``| head``): stop quietly, like other Unix tools."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
    return 141  # 128 + SIGPIPE, what a shell reports for a command that was writing into a closed pipe
