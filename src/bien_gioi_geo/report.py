"""The report: from a dataset to a folder an office can use (map, GeoPackage, CSV tables, Excel workbook).

The folder is written complete or not at all: everything goes into a temporary folder beside the destination,
which is renamed into place at the end; an existing folder is replaced only when asked and only when an earlier
report wrote it (see :mod:`bien_gioi_geo.outputs`). Text from the data never becomes a spreadsheet formula.
"""

from __future__ import annotations

import csv
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .analysis.coverage import Coverage, coverage
from .dataset import Dataset
from .errors import check_option
from .labels import label, summary_rows, translate_values
from .outputs import (
    MARKER,
    cells,
    check_folder_target,
    csv_text,
    encodable,
    is_formula_like,
    output_error,
    report_folder,
    xlsx_text,
)

__all__ = ["write_report", "Report", "write_csv", "write_xlsx"]


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

    summary = _summary_sheet(cov, lang)

    def by(column: str) -> pd.DataFrame:
        a = cov.dataset.assignments
        if f"{column}_report" in a:  # went through bg.admin: the units chosen by coverage(admin=...)
            column = f"{column}_report"
        if column not in a or a.empty:  # nothing to group: an empty table, still there
            return pd.DataFrame(columns=[column, "assignments", "covered_km"])
        return cov.by(column).reset_index()

    by_commune, by_village = by("commune"), by("village")
    given = ds.assignments.drop(columns=["assignment_id", "geometry", "stretch_by"], errors="ignore")
    given = given.rename(columns={"start_km": "start_km_given", "end_km": "end_km_given"})
    assign = cov.intervals.join(given.drop(columns=[c for c in given if c in cov.intervals]))
    markers = nogeom(cov.markers).rename(columns={"official_km": "official_chainage_km"})  # a chainage, not a length
    tables = {"summary": summary, "by_commune": by_commune, "by_village": by_village,
              "assignments": nogeom(assign), "gaps": nogeom(cov.gaps), "overlaps": nogeom(cov.overlaps),
              "markers": markers, "problems": nogeom(issues)}
    return {name: translate_values(df, lang) for name, df in tables.items()}


def units_title(cov: Coverage, lang: str) -> str | None:
    """Which set of administrative units the coverage's rows are reported under, as a caption in ``lang``
    (``None`` when the dataset did not go through :func:`bien_gioi_geo.admin.to_current`).
    """
    from .admin.report import UNIT_SET_LABELS

    units = cov.dataset.meta.get("admin_units")
    pair = UNIT_SET_LABELS.get(units) if isinstance(units, str) else None
    return None if pair is None else pair[0 if lang == "vi" else 1]


def _summary_sheet(cov: Coverage, lang: str) -> pd.DataFrame:
    """The summary for a spreadsheet: labels in ``lang``; figures as numbers (km to the metre) so the
    spreadsheet shows them in its user's format, the rest (dates, counts by kind) as text (see
    :meth:`Coverage.summary_table <bien_gioi_geo.analysis.coverage.Coverage.summary_table>` for the text form).
    """
    text = cov.summary_table(lang)
    s = cov.summary()
    units = units_title(cov, lang)
    if units:
        s = {**s, "admin_units": units}
        text = summary_rows(s, lang=lang)
    values = [round(v, 3) if isinstance(v, float) else v if isinstance(v, int) and not isinstance(v, bool) else t
              for v, t in zip(s.values(), text.iloc[:, 1], strict=True)]
    return pd.DataFrame({text.columns[0]: text.iloc[:, 0], text.columns[1]: pd.Series(values, dtype=object)})


def _headers(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c: label(str(c), lang) for c in df.columns})


def _round_km(df: pd.DataFrame) -> pd.DataFrame:
    """Lengths and chainages (float columns named with ``km``) rounded to the metre (3 decimals)."""
    out = df.copy()
    for c in out.columns:
        if "km" in str(c) and pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(3)
    return out


def write_csv(df: pd.DataFrame, dest: str | Path | Any) -> None:
    """Write ``df`` as CSV (UTF-8 with BOM when ``dest`` is a path) with formula-like text neutralised (OWASP).

    Text cells and headers starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
    full-width forms) get a leading ``'``; every text cell is quoted; numbers are written as numbers.
    """
    df = cells(_round_km(pd.DataFrame(df)), csv_text)
    header = pd.DataFrame(columns=df.columns)
    if isinstance(dest, (str, Path)):
        with open(dest, "w", encoding="utf-8-sig", newline="") as f:
            header.to_csv(f, index=False)
            df.to_csv(f, index=False, header=False, quoting=csv.QUOTE_NONNUMERIC)
    else:
        header.to_csv(dest, index=False)
        df.to_csv(dest, index=False, header=False, quoting=csv.QUOTE_NONNUMERIC)


def write_xlsx(tables: dict[str, pd.DataFrame], dest: Path) -> None:
    """Write one sheet per table; text is always text (a cell reading ``=1+1`` is never a formula).

    Numbers stay numbers, so the spreadsheet shows them in its user's format: lengths and chainages (float columns
    whose header names km) with the number format ``0.000`` (metres), other decimals ``0.0##``, whole numbers
    ``#,##0``. Each sheet has a frozen header row, an autofilter and columns as wide as their text (at most 60).
    """
    with pd.ExcelWriter(dest, engine="openpyxl") as xl:
        for name, df in tables.items():
            cells(df, xlsx_text).to_excel(xl, sheet_name=name[:31], index=False)
            _sheet_layout(xl.book[name[:31]], df)
        for ws in xl.book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and (cell.data_type == "f" or is_formula_like(cell.value)):
                        cell.data_type = "s"  # openpyxl made '=...' a formula: store it as a string
                        cell.quotePrefix = True  # and Excel keeps it text even when the cell is edited


def _sheet_layout(ws: Any, df: pd.DataFrame) -> None:
    """Number formats, widths, frozen header row and autofilter of one sheet written from ``df``."""
    from openpyxl.utils import get_column_letter

    for j, c in enumerate(df.columns, start=1):
        col = df[c]
        fmt = None
        if pd.api.types.is_float_dtype(col):
            fmt = "0.000" if "km" in str(c).lower() else "0.0##"
        elif pd.api.types.is_integer_dtype(col) and not pd.api.types.is_bool_dtype(col):
            fmt = "#,##0"
        letter = get_column_letter(j)
        width = len(str(c))
        for cell in ws[letter][1:]:
            if fmt is not None and isinstance(cell.value, (int, float)):
                cell.number_format = fmt
            elif isinstance(cell.value, float):  # figures among text (the summary sheet)
                cell.number_format = "#,##0.0##"
            width = max(width, len(str(cell.value)) if cell.value is not None else 0)
        ws.column_dimensions[letter].width = min(width + 2, 60)
    ws.freeze_panes = "A2"
    if ws.max_row > 0 and ws.max_column > 0:
        ws.auto_filter.ref = ws.dimensions


def _gpkg_safe(df: pd.DataFrame, layer: str, notes: list[str]) -> pd.DataFrame:
    """Rename columns GeoPackage cannot hold as they are: ``fid`` (its row id) and names equal but for case."""
    seen: set[str] = {"geom", "geometry"}
    names = []
    for c in map(str, df.columns):
        new = c
        if c.lower() == "fid" or c.lower() in seen:
            k = 1
            while f"{c}_{k}".lower() in seen or f"{c}_{k}" in df.columns:
                k += 1
            new = f"{c}_{k}"
            notes.append(f"report.gpkg, layer {layer!r}: column {c!r} is kept as {new!r} "
                         "(GeoPackage reserves 'fid' and does not tell names apart by case)")
        seen.add(new.lower())
        names.append(new)
    out = cells(df, encodable)
    out.columns = names
    return out


def _missing(ds: Dataset, lang: str) -> list[str]:
    notes = []
    if ds.assignments.empty:
        notes.append("Bộ dữ liệu không có đăng ký tự quản nào: toàn tuyến là đoạn chưa tự quản." if lang == "vi"
                     else "The dataset has no assignments: the whole border is a gap.")
    if ds.markers.empty:
        notes.append("Bộ dữ liệu không có mốc nào: không có số liệu về mốc." if lang == "vi"
                     else "The dataset has no markers: there are no marker figures.")
    return notes


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
    (see :func:`~bien_gioi_geo.coverage.coverage`); the summary then names the set it uses and the commune and
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
    notes = _missing(dataset, lang)
    with report_folder(out, force=force, inputs=inputs) as tmp:
        step("map")
        m = coverage_map(dataset, cov, lang=lang, issues=issues, **(map_options or {}))
        save_map(m, tmp / "map.html")
        # --- printable map and Word report (issue #17, bien_gioi_geo.printing) ---
        step("printable map and Word report")
        from .printing.outputs import write_paper

        write_paper(dataset, cov, issues, tmp, lang=lang, as_of=cov.as_of if as_of is not None else None,
                    compare=compare)
        # --- end printable map and Word report ---
        step("tables")
        tables = _tables(dataset, cov, issues, lang)
        change_layers: dict[str, gpd.GeoDataFrame] = {}
        if compare is not None:
            from .report_change import change_outputs

            step("change")
            change_tables, change_layers = change_outputs(dataset, compare, tmp, lang)
            tables.update({k: _flat(v) for k, v in change_tables.items()})
        for name, df in tables.items():
            write_csv(df, tmp / f"{name}.csv")
        write_xlsx({name: _headers(df, lang) for name, df in tables.items()}, tmp / "report.xlsx")
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
            "gaps": cov.gaps, "overlaps": cov.overlaps, "problems": issues, **change_layers,
        }
        for name, gdf in layers.items():
            attrs = _gpkg_safe(_flat(gdf.drop(columns="geometry")), name, notes)
            g = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs="EPSG:4326")
            write_gpkg_layer(g, gpkg, name)
    files = sorted(p for p in out.iterdir() if p.name != MARKER)
    return Report(out, cov, issues, files, notes)


def write_gpkg_layer(gdf: gpd.GeoDataFrame, dest: Path, layer: str) -> None:
    """Add ``layer`` to the GeoPackage ``dest``; GDAL's failures become :class:`OutputError` naming the file."""
    import pyogrio.errors

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning)  # GDAL: mixed geometry types in a layer
            gdf.to_file(dest, layer=layer, driver="GPKG", engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError) as exc:
        raise output_error(dest, exc, f"cannot write layer {layer!r}") from exc
