"""The paper files of a report folder: ``map.pdf``, ``map.png`` (300 dpi) and ``report.docx``.

Uses (layer ``printing``): ``analysis``, ``dataset``; in ``printing/``: ``change_section``, ``docx_report``,
``paper_map``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.compare import Comparison
from ..analysis.coverage import Coverage
from ..dataset import Dataset

__all__ = ["write_paper"]


def write_paper(dataset: Dataset, cov: Coverage, issues: pd.DataFrame, folder: str | Path, *, lang: str = "vi",
                as_of: _dt.date | str | None = None, prepared_by: str | None = None,
                print_options: dict[str, Any] | None = None, compare: tuple[Any, Any] | None = None,
                comparison: Comparison | None = None) -> list[Path]:
    """Write ``map.pdf``, ``map.png`` and ``report.docx`` into ``folder``; return their paths.

    The map is drawn once and the Word report embeds its PNG. ``print_options`` go to :func:`print_map`
    (``paper``, ``orientation``, ``basemap``…). ``as_of`` is stated under the report's title; ``compare=(d1, d2)``
    adds the paragraph of what changed between the two dates (:mod:`.change_section`); a caller that has already
    computed that comparison passes it as ``comparison`` (then ``compare`` is not needed, and not recomputed).
    """
    from .docx_report import word_report
    from .paper_map import print_map, save

    folder = Path(folder)
    fig = print_map(dataset, cov, lang=lang, as_of=as_of, prepared_by=prepared_by, **(print_options or {}))
    pdf, png = save(fig, pdf=folder / "map.pdf", png=folder / "map.png")
    as_of = as_of if as_of is not None else cov.as_of  # the date of the figures, stated in the Word report too
    sections = []
    if comparison is None and compare is not None:
        from ..analysis.compare import compare as compare_dates

        comparison = compare_dates(dataset, *compare)
    if comparison is not None:
        from .change_section import change_section

        sections.append(change_section(comparison))
    docx = word_report(dataset, cov, issues, path=folder / "report.docx", lang=lang, as_of=as_of,
                       prepared_by=prepared_by, map_png=png, sections=sections)
    return [pdf, png, docx]
