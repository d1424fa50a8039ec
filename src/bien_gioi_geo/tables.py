"""The report's tables: summary, by commune and village, assignments, gaps, overlaps, markers, problems.

Built once from a coverage and its issues (:func:`report_tables`) and shared by the report folder's CSV files and
Excel sheets (:mod:`bien_gioi_geo.report`) and the Word report (:mod:`bien_gioi_geo.printing.docx_report`); values
translated and headers labelled in the reader's language (``lang``).

Uses (layer ``tables``): ``admin``, ``analysis``, ``dataset``, ``labels``, ``table_files``.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from .analysis.coverage import Coverage
from .dataset import Dataset
from .labels import label, summary_rows, translate_values
from .table_files import flat

__all__ = ["report_tables", "summary_sheet", "units_title", "headers_in", "missing_notes"]


def report_tables(ds: Dataset, cov: Coverage, issues: gpd.GeoDataFrame, lang: str) -> dict[str, pd.DataFrame]:
    """The tables of the report folder, by name (``summary``, ``by_commune``, ``by_village``, ``assignments``,
    ``gaps``, ``overlaps``, ``markers``, ``problems``): flat columns, values translated into ``lang``, keys in English.
    """
    def nogeom(df: pd.DataFrame) -> pd.DataFrame:
        return flat(df.drop(columns=[c for c in ("geometry",) if c in df.columns]))

    summary = summary_sheet(cov, lang)

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
    # official_km of a post is a chainage, not a length
    markers = nogeom(cov.marker_posts).rename(columns={"official_km": "official_chainage_km"})
    tables = {"summary": summary, "by_commune": by_commune, "by_village": by_village,
              "assignments": nogeom(assign), "gaps": nogeom(cov.gaps), "overlaps": nogeom(cov.overlaps),
              "markers": markers, "problems": nogeom(issues)}
    return {name: translate_values(df, lang) for name, df in tables.items()}


def units_title(cov: Coverage, lang: str) -> str | None:
    """Which set of administrative units the coverage's rows are reported under, as a caption in ``lang``
    (:func:`bien_gioi_geo.admin.report.units_caption`; "as recorded, not reconciled" when the dataset did not go
    through :func:`bien_gioi_geo.admin.to_current`).
    """
    from .admin.report import units_caption  # lazily: the admin package is optional data

    return units_caption(cov, lang)


def summary_sheet(cov: Coverage, lang: str) -> pd.DataFrame:
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


def headers_in(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``df`` with its column keys replaced by their labels in ``lang`` (the headers a reader sees)."""
    names = [label(str(c), lang) for c in df.columns]
    # two keys with one label (a user's column named like a label): the second keeps its key beside the label
    seen: set[str] = set()
    for k, (c, n) in enumerate(zip(df.columns, names, strict=True)):
        names[k] = n if n not in seen else f"{n} ({c})"
        seen.add(names[k])
    out = df.copy()
    out.columns = names
    return out


def missing_notes(ds: Dataset, lang: str) -> list[str]:
    """What the reader should know is absent from the dataset (no assignments, no markers), in ``lang``."""
    notes = []
    if ds.assignments.empty:
        notes.append(label("note_no_assignments", lang))
    if ds.markers.empty:
        notes.append(label("note_no_markers", lang))
    return notes
