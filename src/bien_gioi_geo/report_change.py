"""The change part of the report (``report --compare DATE1 DATE2``): change tables as Excel sheets/CSV and
GeoPackage layers, the change map and the timeline chart, written into the report's (temporary) folder.

Uses (layer ``report_change``): ``analysis``, ``dataset``, ``maps``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .analysis.compare import Comparison, compare
from .dataset import Dataset

__all__ = ["change_outputs"]


def change_outputs(dataset: Dataset, dates: tuple[Any, Any], folder: Path, lang: str = "vi", *,
                   comparison: Comparison | None = None,
                   ) -> tuple[dict[str, pd.DataFrame], dict[str, gpd.GeoDataFrame]]:
    """Write ``change_map.html`` and ``timeline.png`` into ``folder``; return the change tables (for the workbook
    and CSV files: ``change_summary``, ``change_by_commune``, ``change_gained``, ``change_lost``,
    ``change_joined``, ``change_left``, ``markers_found``, ``markers_lost``, ``timeline``) and the layers for the
    GeoPackage (``change_gained``, ``change_lost``). ``comparison``: ``compare(dataset, *dates)`` when the caller
    already has it (the report computes it once for these tables and the Word report's paragraph).
    """
    from .analysis.ledger import timeline
    from .maps import save_map
    from .maps.change_map import change_map, timeline_chart

    ch = comparison if comparison is not None else compare(dataset, *dates)
    save_map(change_map(ch, lang=lang), folder / "change_map.html")
    d0, d1 = ch.dates
    tl = timeline(dataset)
    extra = [d for d in (d0, d1) if d is not None and pd.Timestamp(d) not in tl.index]
    if extra:  # the two compared dates always appear in the chart
        tl = timeline(dataset, sorted([*tl.index.date, *extra]))
    timeline_chart(tl, folder / "timeline.png", lang=lang)

    def plain(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(df.drop(columns=[c for c in ("geometry",) if c in df.columns]))

    tables = {"change_summary": ch.summary_table(lang), "timeline": tl.reset_index(),
              "change_gained": plain(ch.gained), "change_lost": plain(ch.lost),
              "change_joined": plain(ch.joined), "change_left": plain(ch.left),
              "markers_found": ch.markers_found.reset_index(), "markers_lost": ch.markers_lost.reset_index()}
    if "commune" in dataset.assignments:
        tables["change_by_commune"] = ch.by("commune").reset_index()
    return tables, {"change_gained": ch.gained, "change_lost": ch.lost}
