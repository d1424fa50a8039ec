"""The command line: ``bien-gioi-geo`` (also ``python -m bien_gioi_geo``).

Exit codes: 0 the data is clean (warnings allowed), 1 the data has errors, 2 the input could not be read or the
command was misused (the message names file, feature/row and field).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_CLEAN, EXIT_DATA_ERRORS, EXIT_INPUT = 0, 1, 2

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
    if not Path(target).exists() and target in bg.datasets.available():
        ds = bg.datasets.load(target, **kw)
    else:
        ds = bg.read_dataset(target, **kw)
    return ds


def _print_table(df: Any, fmt: str) -> None:
    import pandas as pd

    df = pd.DataFrame(df)
    if "geometry" in df.columns:
        df = df.drop(columns="geometry")
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
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
    from .report import write_report

    progress = _Progress(args.quiet)
    progress("reading")
    ds = _load(args.path, args)
    try:
        rep = write_report(ds, args.out, lang=args.lang, force=args.force, progress=progress)
    finally:
        progress.close()
    if not args.quiet:
        _print_summary(rep.coverage, args.lang)
        print(f"\n{len(rep.issues)} problem(s): {rep.n_errors} error(s), {len(rep.issues) - rep.n_errors} warning(s)")
        print(f"written to {rep.folder}/: " + ", ".join(p.name for p in rep.files))
    return EXIT_DATA_ERRORS if rep.n_errors else EXIT_CLEAN


def cmd_validate(args: argparse.Namespace) -> int:
    """Print the problems table."""
    import bien_gioi_geo as bg

    ds = _load(args.path, args)
    issues = bg.validate(ds)
    if not args.quiet:
        _print_table(issues[["rule", "severity", "message", "start_km", "end_km"]], args.format)
    return EXIT_DATA_ERRORS if (issues["severity"] == "error").any() else EXIT_CLEAN


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print coverage figures."""
    import bien_gioi_geo as bg

    ds = _load(args.path, args)
    cov = bg.coverage(ds)
    if args.by:
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

    ds = _load(args.path, args)
    out = Path(args.output)
    if out.exists() and not args.force:
        raise FileExistsError(f"{out} exists; pass --force to replace it")
    save_map(bg.coverage_map(ds, lang=args.lang, tiles=None if args.no_tiles else "OpenStreetMap"), out)
    if not args.quiet:
        print(f"written {out}")
    return EXIT_CLEAN


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a file to WGS 84 GeoJSON or GeoPackage."""
    import bien_gioi_geo as bg

    from .io import atomic_path

    src, dst = Path(args.input), Path(args.output)
    if dst.exists() and not args.force:
        raise FileExistsError(f"{dst} exists; pass --force to replace it")
    reader = {"markers": bg.read_markers, "assignments": bg.read_assignments, "border": bg.read_border}[args.kind]
    gdf = reader(src, crs=args.crs)
    if dst.suffix.lower() in (".geojson", ".json"):
        bg.write_geojson(gdf, dst)
    elif dst.suffix.lower() == ".gpkg":
        import geopandas as gpd

        from .report import _flat

        g = gpd.GeoDataFrame(_flat(gdf.drop(columns="geometry")), geometry=gdf.geometry.values, crs="EPSG:4326")
        with atomic_path(dst) as tmp:
            g.to_file(tmp, layer=args.kind, driver="GPKG", engine="pyogrio")
    else:
        raise ValueError(f"{dst.name}: write .geojson or .gpkg")
    if not args.quiet:
        print(f"{len(gdf)} {args.kind} row(s) written to {dst} (EPSG:4326)")
    return EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from . import __version__

    p = argparse.ArgumentParser(prog="bien-gioi-geo", description="Analyse a land border: coverage of the border "
                                "line and markers by self-management groups, data validation, maps.",
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="exit codes: 0 clean, 1 the data has errors, 2 the input could not be read")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--official-km", type=float, default=None, help="official length of the border (km)")
        sp.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of labels (default vi)")
        sp.add_argument("--crs", default=None, help="CRS of inputs that carry none, e.g. EPSG:9205")
        sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
        sp.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_, epilog=EPILOG[name],
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        common(sp)
        return sp

    sp = add("report", "validate a dataset, compute coverage and write map, GeoPackage, CSV and Excel tables")
    sp.add_argument("path", nargs="?", help="folder, GeoPackage or bundled name (default: phong_tho)")
    sp.add_argument("--out", required=True, help="output folder (must not exist unless --force)")
    sp.add_argument("--force", action="store_true", help="replace an existing output folder")
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
    sp.add_argument("--force", action="store_true")
    sp.set_defaults(func=cmd_convert)
    from .patrols.cli import add_parser as add_patrols  # the patrols command lives with its module

    add_patrols(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from .errors import BienGioiError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BienGioiError as exc:
        print(f"bien-gioi-geo: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (FileExistsError, ValueError) as exc:
        print(f"bien-gioi-geo: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
