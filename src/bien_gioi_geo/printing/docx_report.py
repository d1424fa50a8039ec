"""The Word report (``report.docx``) in the form of the provincial reviews: figures typed into sentences, then
the tables, the map and a note of method.

The first paragraph is the seeds' sentence generated from :meth:`Coverage.summary` ("… có đường biên giới tiếp
giáp với Trung Quốc dài 97,229 km, với 51 cột mốc, trong đó 12 mốc ba, 20 mốc đôi, 15 mốc đơn, 4 mốc phụ; Việt
Nam cắm 27 mốc, Trung Quốc cắm 24 mốc. Đến nay, đã có 63 tập thể và 460 cá nhân tham gia tự quản 97,229 km đường
biên, 27 mốc quốc giới …"), every number formatted by :mod:`bien_gioi_geo.formatting`. The tables are the report
folder's tables (the same frames the Excel sheets are written from), as real Word tables with headers in the
reader's language.

Extension point: ``sections`` takes callables ``section(document, context)`` run after the summary paragraph —
the place for a dated comparison ("what changed since …") without touching this module.

Uses (layer ``printing``): ``admin``, ``analysis``, ``dataset``, ``errors``, ``formatting``, ``io``, ``labels``,
``outputs``, ``tables``, ``validation``; in ``printing/``: ``map_panel``, ``paper_map``, ``strings``.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..admin.report import units_caption
from ..analysis.coverage import Coverage
from ..dataset import Dataset
from ..errors import InputError
from ..formatting import check_lang, format_count, format_date, format_km, format_percent
from ..labels import label
from ..outputs import xlsx_text
from .strings import text

__all__ = ["word_report", "summary_sentence", "TABLES", "ReportContext", "format_cell"]

KIND_ORDER = ("triple", "double", "single", "auxiliary", "stake")  # the seeds' order: mốc ba, đôi, đơn, phụ

# the report's tables: (key of the report folder's table, key of its heading, columns shown)
TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("by_commune", "tbl_by_commune", ("commune", "commune_report", "assignments", "covered_km", "official_km",
                                      "villages", "households", "people", "collectives", "individuals", "markers")),
    ("gaps", "tbl_gaps", ("start_km", "end_km", "length_km", "official_start_km", "official_end_km",
                          "from_marker_near", "to_marker_near")),
    ("overlaps", "tbl_overlaps", ("start_km", "end_km", "length_km", "official_start_km", "official_end_km",
                                  "assignment_ids")),
    ("markers_unassigned", "tbl_markers_unassigned", ("marker_id", "kind", "emplaced_by", "chainage_km",
                                                      "official_km")),
    ("problems", "tbl_problems", ("severity", "rule", "message", "assignment_ids", "marker_ids")),
)
_VALUE_LABELS = {"kind", "emplaced_by"}  # columns whose values are codes with a label


@dataclass
class ReportContext:
    """What a report section gets besides the document: the inputs and the language."""

    dataset: Dataset
    coverage: Coverage
    issues: pd.DataFrame | None
    lang: str
    as_of: _dt.date | str | None


def _docx() -> Any:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ImportError("the Word report needs python-docx, a dependency of bien_gioi_geo: reinstall it "
                          "(pip install bien_gioi_geo) or pip install python-docx") from exc
    return docx


def format_cell(column: str, value: Any, *, lang: str = "vi") -> str:
    """One table cell as the reader sees it: km with three decimals, counts grouped, codes by their label.

    >>> format_cell("covered_km", 7.3498)
    '7,350'
    >>> format_cell("households", 1892)
    '1.892'
    >>> format_cell("kind", "triple")
    'mốc ba'
    """
    if isinstance(value, (list, tuple)):
        return "; ".join(format_cell(column, v, lang=lang) for v in value)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if column in _VALUE_LABELS:
        return label(str(value), lang)
    if column == "severity" and value in ("error", "warning"):
        return text(f"sev_{value}", lang)
    if isinstance(value, (bool, np.bool_)):
        return text("yes" if value else "no", lang)
    if column.endswith("_km"):
        return format_km(float(value), lang=lang)
    if column == "percent":
        return format_percent(float(value), lang=lang)
    if isinstance(value, (int, np.integer)):
        return format_count(int(value), lang=lang)
    if isinstance(value, (float, np.floating)):
        return format_km(float(value), lang=lang) if not float(value).is_integer() else format_count(value, lang=lang)
    return str(value)


def _other_sides(cov: Coverage) -> list[str]:
    sides: list[str] = []
    for b in cov.dataset.borders.values():
        for s in (b.left, b.right):
            if s and s != "VN" and s not in sides:
                sides.append(s)
    return sides


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + text("and", lang) + items[-1]


def summary_sentence(cov: Coverage, *, lang: str = "vi", place: str | None = None) -> str:
    """The seeds' summary paragraph, generated from ``cov.summary()`` with the reader's number format.

    Lengths are the official (calibrated) km where the border has an official length, else the geodesic km of
    the drawn line, and the sentence says which. The wording is in :mod:`.strings` (``sum_*``).
    """
    check_lang(lang)
    s = cov.summary()
    f_km, f_n = (lambda v: format_km(v, lang=lang)), (lambda v: format_count(v, lang=lang))
    official = s["official_km"] is not None and s["official_covered_km"] is not None
    neighbours = _join([label(c, lang) for c in _other_sides(cov)], lang)
    kinds = [(k, s["markers_by_kind"][k]) for k in KIND_ORDER if s["markers_by_kind"].get(k)]
    kinds += [(k, v) for k, v in s["markers_by_kind"].items() if k not in KIND_ORDER and v]
    sides = sorted(s["markers_by_emplaced_by"].items(), key=lambda kv: (kv[0] != "VN", kv[0]))
    out = text("sum_head", lang, place=place or text("sum_place", lang),
               neighbours=text("sum_neighbours", lang, names=neighbours) if neighbours else "",
               length=f_km(s["official_km"] if official else s["total_km"]))
    if official:
        out += text("sum_measured", lang, measured=f_km(s["total_km"]))
    out += text("sum_markers", lang, n=f_n(s["markers_total"]))
    if kinds:
        out += text("sum_kinds", lang) + ", ".join(f"{f_n(v)} {label(k, lang)}" for k, v in kinds)
    if sides:
        out += "; " + ", ".join(text("sum_side", lang, side=label(c, lang), n=f_n(v)) for c, v in sides)
    out += text("sum_self", lang, collectives=f_n(s["collectives"]), individuals=f_n(s["individuals"]),
                km=f_km(s["official_covered_km"] if official else s["covered_km"]),
                markers=f_n(s["markers_self_managed"]), households=f_n(s["households"]), people=f_n(s["people"]),
                villages=f_n(s["villages"]), communes=f_n(s["communes"]))
    if s["gaps"]:
        out += text("sum_gaps", lang, n=f_n(s["gaps"]), km=f_km(s["gap_km"]))
    if s["markers_unassigned"]:
        out += text("sum_unassigned", lang, n=f_n(s["markers_unassigned"]))
    return out + "."


def method_note(cov: Coverage, *, lang: str = "vi") -> str:
    """How the figures were computed: measured and official km, and coverage as a union on chainage."""
    s = cov.summary()
    measured = format_km(s["total_km"], lang=lang)
    official = None if s["official_km"] is None else format_km(s["official_km"], lang=lang)
    return text("method_official" if official else "method_measured", lang, measured=measured,
                official=official or "", covered=format_km(s["covered_km"], lang=lang))


def _report_tables(ds: Dataset, cov: Coverage, issues: pd.DataFrame, lang: str) -> dict[str, pd.DataFrame]:
    """The report folder's tables (the frames its CSV files and Excel sheets are written from), plus the markers
    without a carer (the markers sheet's rows with no carer).
    """
    from ..tables import report_tables

    tables = report_tables(ds, cov, issues, lang)
    m = tables["markers"]
    tables["markers_unassigned"] = m[~m["self_managed"].astype(bool)].reset_index(drop=True)
    return tables


def _add_table(document: Any, df: pd.DataFrame, columns: Sequence[str], lang: str,
               headers: dict[str, str] | None = None) -> None:
    cols = [c for c in columns if c in df.columns]
    if df.empty or not cols:
        document.add_paragraph(text("none", lang))
        return
    table = document.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, c in zip(table.rows[0].cells, cols, strict=True):
        cell.text = (headers or {}).get(c) or label(c, lang)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for rec in df[cols].itertuples(index=False):
        cells = table.add_row().cells
        for cell, c, v in zip(cells, cols, rec, strict=True):
            cell.text = xlsx_text(format_cell(c, v, lang=lang))  # Word XML holds no control characters


def word_report(dataset: Dataset, coverage_: Coverage | None = None, issues: pd.DataFrame | None = None, *,
                path: str | Path = "report.docx", lang: str = "vi", as_of: _dt.date | str | None = None,
                title: str | None = None, prepared_by: str | None = None, map_png: str | Path | None = None,
                include_map: bool = True, sections: Sequence[Callable[[Any, ReportContext], None]] = (),
                print_options: dict[str, Any] | None = None) -> Path:
    """Write the Word report of a dataset; return its path.

    Parameters
    ----------
    dataset
        The dataset.
    coverage_, issues
        Its coverage and issues table (computed when not given).
    path
        Where to write the ``.docx`` (atomically: a temporary file in the same folder, then a rename).
    lang
        ``"vi"`` (default) or ``"en"``.
    as_of
        The date the figures refer to, stated under the title (``dataset.meta["as_of"]`` when not given).
    title, prepared_by
        The report's title (default: the kind of report) and who prepared it.
    map_png
        The printable map already rendered (``map.png``); drawn here with :func:`print_map` when not given.
    include_map
        Whether to put the map in the report.
    sections
        Callables ``section(document, context)`` that add paragraphs after the summary (e.g. a comparison with
        an earlier date).
    print_options
        Keyword arguments for :func:`print_map` when the map is drawn here.
    """
    docx = _docx()
    from docx.shared import Mm

    from ..io import atomic_path
    from .map_panel import where_text
    from .paper_map import _dated_coverage

    check_lang(lang)
    if not isinstance(dataset, Dataset):
        raise InputError(f"word_report expects a bien_gioi_geo.Dataset, got {type(dataset).__name__}")
    cov, as_of = _dated_coverage(dataset, coverage_, as_of)  # the figures are those of the date stated
    if issues is None:
        from ..validation import validate

        issues = validate(dataset, cov=cov, as_of=cov.as_of, lang=lang)
    path = Path(path)
    place = where_text(dataset, lang)

    document = docx.Document()
    document.core_properties.title = title or text("report_title", lang)
    document.core_properties.author = prepared_by or "bien_gioi_geo"
    document.core_properties.language = lang
    document.add_heading(xlsx_text(title) if title else text("report_title", lang), level=0)
    sub = place + (" – " + text("as_of", lang, date=format_date(as_of, lang=lang)) if as_of is not None else "")
    document.add_heading(xlsx_text(sub), level=2)
    document.add_heading(units_caption(cov, lang), level=3)  # which administrative units the figures are by
    document.add_paragraph(xlsx_text(summary_sentence(cov, lang=lang, place=place[:1].upper() + place[1:])))
    ctx = ReportContext(dataset, cov, issues, lang, as_of)
    for section in sections:
        section(document, ctx)
    if prepared_by:
        document.add_paragraph(xlsx_text(text("prepared_by", lang, who=prepared_by)))

    if include_map:
        document.add_heading(text("fig_map", lang), level=1)
        with tempfile.TemporaryDirectory() as tmp:
            png = Path(map_png) if map_png is not None else None
            if png is None:
                from .paper_map import print_map, save

                fig = print_map(dataset, cov, lang=lang, as_of=as_of, prepared_by=prepared_by,
                                **(print_options or {}))
                png = save(fig, png=Path(tmp) / "map.png")[0]
            document.add_picture(str(png), width=Mm(165))

    tables = _report_tables(dataset, cov, issues, lang)
    for key, heading, columns in TABLES:
        document.add_heading(text(heading, lang, n=format_count(len(tables[key]), lang=lang)), level=1)
        # a marker's official_km is its official chainage, not a length
        headers = {"official_km": text("official_chainage", lang)} if key == "markers_unassigned" else None
        _add_table(document, tables[key], columns, lang, headers)

    document.add_heading(text("method_title", lang), level=1)
    document.add_paragraph(method_note(cov, lang=lang))
    with atomic_path(path) as tmp_path:
        document.save(str(tmp_path))
    return path
