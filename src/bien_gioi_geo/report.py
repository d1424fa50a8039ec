"""The report: from a dataset to a folder an office can use (map, GeoPackage, CSV tables, Excel workbook).

The folder is written complete or not at all: everything goes into a temporary folder beside the destination,
which is renamed into place at the end; an existing folder is replaced only when asked and only when an earlier
report wrote it (see :mod:`bien_gioi_geo.outputs`). Text from the data never becomes a spreadsheet formula.

Uses (layer ``report``): ``analysis``, ``dataset``, ``errors``, ``maps``, ``outputs``, ``printing``,
``report_change``, ``table_files``, ``tables``, ``validation``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .analysis.coverage import Coverage, coverage
from .dataset import Dataset
from .errors import check_option
from .outputs import MARKER, check_folder_target, report_folder
from .table_files import flat, gpkg_safe, write_csv, write_gpkg_layer, write_xlsx
from .tables import headers_in, missing_notes, report_tables

__all__ = ["write_report", "Report", "write_csv", "write_xlsx", "write_gpkg_layer"]  # writers: see table_files


@dataclass
class Report:
    """What :func:`write_report` produced."""

    folder: Path
    coverage: Coverage
    issues: gpd.GeoDataFrame
    files: list[Path]
    #: What the reader of the report should know: missing tables, renamed columns.
    notes: list[str] = field(default_factory=list)

    @property
    def n_errors(self) -> int:
        """Number of ``error`` rows in the issues table."""
        return int((self.issues["severity"] == "error").sum())


def write_report(dataset: Dataset, out: str | Path, *, lang: str = "vi", force: bool = False,
                 cov: Coverage | None = None, issues: gpd.GeoDataFrame | None = None,
                 map_options: dict[str, Any] | None = None,
                 progress: Callable[[str], None] | None = None,
                 inputs: Iterable[str | os.PathLike[str]] = (), as_of: Any = None,
                 compare: tuple[Any, Any] | None = None, admin: str = "auto") -> Report:
    """Validate, compute coverage and write the report folder.

    Files: ``map.html`` (the coverage map), ``map.pdf`` and ``map.png`` (the printable map, 300 dpi),
    ``report.docx`` (the Word report), ``report.gpkg`` (layers border, markers, assignments, gaps, overlaps,
    problems), ``summary.csv``, ``by_commune.csv``, ``by_village.csv``, ``assignments.csv``, ``gaps.csv``,
    ``overlaps.csv``, ``markers.csv``, ``problems.csv`` (UTF-8 with BOM, so Excel shows Vietnamese correctly),
    ``report.xlsx`` with one sheet per table, headers in ``lang``, and the marker file
    ``.bien_gioi_geo_report.json`` (tool, version, time, files) that lets a later run replace the folder.

    The folder appears complete or not at all, and ``force`` replaces only an empty folder or an earlier report;
    see :mod:`bien_gioi_geo.outputs`. Text that a spreadsheet would take for a formula stays text (see
    :func:`write_csv`, :func:`write_xlsx`).

    ``progress``, if given, is called with the name of each step as it starts (the command line shows them).
    ``inputs`` are the files or folders the dataset was read from: ``out`` may not hold them or lie inside them.

    ``as_of`` describes the dataset on that date (default: today for dated data); ``compare=(date1, date2)`` adds
    the change tables (sheets and layers ``change_*``, ``markers_found``/``markers_lost``, ``timeline``),
    ``change_map.html`` and ``timeline.png`` (see :mod:`bien_gioi_geo.report_change`).

    ``admin`` chooses the administrative units of a dataset that went through :func:`bien_gioi_geo.admin.to_current`
    (see :func:`~bien_gioi_geo.analysis.coverage.coverage`); the summary then names the set it uses and the commune and
    province tables group by it.

    Raises
    ------
    OutputError
        When ``out`` exists and ``force`` is false, cannot be replaced safely, or cannot be written.
    OptionError
        When ``lang`` is not ``"vi"`` or ``"en"``.
    """
    check_option("lang", lang, ("vi", "en"))
    step = progress or (lambda _name: None)
    from .maps import coverage_map, save_map
    from .validation import validate

    out = Path(out)
    check_folder_target(out, force=force, inputs=inputs)  # fail before the long computation
    step("coverage")
    cov = cov if cov is not None else coverage(dataset, as_of=as_of, admin=admin)
    step("validation")
    issues = issues if issues is not None else validate(dataset, cov=cov, as_of=as_of, lang=lang)
    notes = missing_notes(dataset, lang)
    with report_folder(out, force=force, inputs=inputs) as tmp:
        step("map")
        m = coverage_map(dataset, cov, lang=lang, issues=issues, **(map_options or {}))
        save_map(m, tmp / "map.html")
        # --- printable map and Word report (issue #17, bien_gioi_geo.printing) ---
        comparison = None
        if compare is not None:  # computed once, for the change tables and the Word report's paragraph
            from .analysis.compare import compare as compare_dates

            comparison = compare_dates(dataset, *compare)
        step("printable map and Word report")
        from .printing.outputs import write_paper

        write_paper(dataset, cov, issues, tmp, lang=lang, as_of=cov.as_of if as_of is not None else None,
                    comparison=comparison)
        # --- end printable map and Word report ---
        step("tables")
        tables = report_tables(dataset, cov, issues, lang)
        change_layers: dict[str, gpd.GeoDataFrame] = {}
        if compare is not None:
            from .report_change import change_outputs

            step("change")
            change_tables, change_layers = change_outputs(dataset, compare, tmp, lang, comparison=comparison)
            tables.update({k: flat(v) for k, v in change_tables.items()})
        for name, df in tables.items():
            write_csv(df, tmp / f"{name}.csv")
        write_xlsx({name: headers_in(df, lang) for name, df in tables.items()}, tmp / "report.xlsx")
        step("GeoPackage")
        gpkg = tmp / "report.gpkg"
        layers: dict[str, gpd.GeoDataFrame] = {
            "border": pd.concat([b.to_geodataframe() for b in dataset.borders.values()], ignore_index=True),
            "markers": cov.marker_posts,
            "assignments": gpd.GeoDataFrame(
                tables["assignments"], geometry=[dataset.borders[b].cut(s, e)
                                                 if b in dataset.borders and pd.notna(s) and pd.notna(e)
                                                 else None  # a row whose stretch could not be resolved
                                                 for b, s, e in zip(cov.intervals["border_id"],
                                                                    cov.intervals["start_km"],
                                                                    cov.intervals["end_km"], strict=True)],
                crs="EPSG:4326"),
            "gaps": cov.gaps, "overlaps": cov.overlaps, "problems": issues, **change_layers,
        }
        for name, gdf in layers.items():
            attrs = gpkg_safe(flat(gdf.drop(columns="geometry")), name, notes)
            g = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs="EPSG:4326")
            write_gpkg_layer(g, gpkg, name)
    files = sorted(p for p in out.iterdir() if p.name != MARKER)
    return Report(out, cov, issues, files, notes)


