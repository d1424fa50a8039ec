"""The report: from a dataset to a folder an office can use (map, GeoPackage, CSV tables, Excel workbook).

The folder is written complete or not at all: everything goes into a temporary folder beside the destination,
which is renamed into place at the end.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .coverage import Coverage, coverage
from .dataset import Dataset
from .errors import OutputError
from .labels import label

__all__ = ["write_report", "Report"]


@dataclass
class Report:
    """What :func:`write_report` produced."""

    folder: Path
    coverage: Coverage
    issues: gpd.GeoDataFrame
    files: list[Path]

    @property
    def n_errors(self) -> int:
        """Number of ``error`` rows in the issues table."""
        return int((self.issues["severity"] == "error").sum())


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for CSV/Excel/GeoPackage: lists joined with '; ', dates as text, no geometry objects."""
    out = pd.DataFrame(df).copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            if out[c].map(lambda v: hasattr(v, "isoformat")).any():
                out[c] = out[c].map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return out


def _tables(ds: Dataset, cov: Coverage, issues: gpd.GeoDataFrame, lang: str) -> dict[str, pd.DataFrame]:
    def nogeom(df: pd.DataFrame) -> pd.DataFrame:
        return _flat(df.drop(columns=[c for c in ("geometry",) if c in df.columns]))

    summary = cov.summary_table(lang)
    by_commune = cov.by("commune").reset_index() if "commune" in ds.assignments else pd.DataFrame()
    by_village = cov.by("village").reset_index() if "village" in ds.assignments else pd.DataFrame()
    given = ds.assignments.drop(columns=["assignment_id", "geometry", "stretch_by"], errors="ignore")
    given = given.rename(columns={"start_km": "start_km_given", "end_km": "end_km_given"})
    assign = cov.intervals.join(given.drop(columns=[c for c in given if c in cov.intervals]))
    return {"summary": summary, "by_commune": by_commune, "by_village": by_village,
            "assignments": nogeom(assign), "gaps": nogeom(cov.gaps), "overlaps": nogeom(cov.overlaps),
            "markers": nogeom(cov.markers), "problems": nogeom(issues)}


def _headers(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c: label(str(c), lang) for c in df.columns})


def write_report(dataset: Dataset, out: str | Path, *, lang: str = "vi", force: bool = False,
                 cov: Coverage | None = None, issues: gpd.GeoDataFrame | None = None,
                 map_options: dict[str, Any] | None = None,
                 progress: Callable[[str], None] | None = None) -> Report:
    """Validate, compute coverage and write the report folder.

    Files: ``map.html`` (the coverage map), ``map.pdf`` and ``map.png`` (the printable map, 300 dpi),
    ``report.docx`` (the Word report), ``report.gpkg`` (layers border, markers, assignments, gaps, overlaps,
    problems), ``summary.csv``, ``by_commune.csv``, ``by_village.csv``, ``assignments.csv``, ``gaps.csv``,
    ``overlaps.csv``, ``markers.csv``, ``problems.csv`` (UTF-8 with BOM, so Excel shows Vietnamese correctly),
    and ``report.xlsx`` with one sheet per table, headers in ``lang``.

    ``progress``, if given, is called with the name of each step as it starts (the command line shows them).

    Raises
    ------
    OutputError
        When ``out`` exists and ``force`` is false.
    """
    step = progress or (lambda _name: None)
    from .maps import coverage_map, save_map
    from .validation import validate

    out = Path(out)
    if out.exists() and not force:
        raise OutputError(f"{out} exists; choose another folder or pass force=True (--force) to replace it")
    parent = out.resolve().parent
    if not parent.exists():
        raise OutputError(f"{out}: the folder {parent} does not exist")
    step("coverage")
    cov = cov if cov is not None else coverage(dataset)
    step("validation")
    issues = issues if issues is not None else validate(dataset, cov=cov)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the report is an ordinary folder
    try:
        step("map")
        m = coverage_map(dataset, cov, lang=lang, issues=issues, **(map_options or {}))
        save_map(m, tmp / "map.html")
        # --- printable map and Word report (issue #17, bien_gioi_geo.printing) ---
        step("printable map and Word report")
        from .printing.outputs import write_paper

        write_paper(dataset, cov, issues, tmp, lang=lang)
        # --- end printable map and Word report ---
        step("tables")
        tables = _tables(dataset, cov, issues, lang)
        for name, df in tables.items():
            df.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")
        with pd.ExcelWriter(tmp / "report.xlsx", engine="openpyxl") as xl:
            for name, df in tables.items():
                _headers(df, lang).to_excel(xl, sheet_name=name[:31], index=False)
        step("GeoPackage")
        gpkg = tmp / "report.gpkg"
        layers: dict[str, gpd.GeoDataFrame] = {
            "border": pd.concat([b.to_geodataframe() for b in dataset.borders.values()], ignore_index=True),
            "markers": cov.markers,
            "assignments": gpd.GeoDataFrame(
                tables["assignments"], geometry=[dataset.borders[b].cut(s, e) if b in dataset.borders else None
                                                 for b, s, e in zip(cov.intervals["border_id"],
                                                                    cov.intervals["start_km"],
                                                                    cov.intervals["end_km"], strict=True)],
                crs="EPSG:4326"),
            "gaps": cov.gaps, "overlaps": cov.overlaps, "problems": issues,
        }
        for name, gdf in layers.items():
            g = gpd.GeoDataFrame(_flat(gdf.drop(columns="geometry")), geometry=gdf.geometry.values, crs="EPSG:4326")
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=RuntimeWarning)  # GDAL: mixed geometry types in a layer
                g.to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Report(out, cov, issues, sorted(out.iterdir()))
