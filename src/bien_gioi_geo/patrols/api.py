"""``bg.patrols``: fixes (a frame, a file, or a dask frame) → a :class:`Patrols` result.

Uses (layer ``patrols``): ``errors``; in ``patrols/``: ``match``, ``read``, ``result``, ``scale``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .match import MatchOptions, fixes_table, match_frame
from .result import Patrols, as_dataset

__all__ = ["patrols", "CHUNK_FIXES"]

CHUNK_FIXES = 1_000_000
"""Fixes matched at a time (whole tracks per chunk): bounds memory whatever the size of the input."""

_NOT_ATTRIBUTES = {"track_id", "time", "lon", "lat", "row", "geometry"}


def patrols(dataset_or_border: Any, fixes: Any, *, corridor_m: float = 100.0, max_gap_s: float = 900.0,
            max_speed_kmh: float = 6.0, jump_slack_m: float = 60.0, ambiguity_m: float = 30.0, min_fixes: int = 2,
            attributes: list[str] | None = None, chunk_fixes: int = CHUNK_FIXES,
            partitioned: str = "auto") -> Patrols:
    """Match GPS fixes to the border: which stretches were walked, when, by whom.

    Parameters
    ----------
    dataset_or_border
        A :class:`~bien_gioi_geo.Dataset` (markers and assignments make ``overdue`` and ``assignments`` richer)
        or a :class:`~bien_gioi_geo.Border`.
    fixes
        A GeoDataFrame from :func:`~bien_gioi_geo.read_tracks`; a DataFrame with ``track_id``, ``time``, ``lon``,
        ``lat``; a path (GeoParquet is streamed in chunks of whole tracks; other formats are read with
        ``read_tracks(errors="collect")`` and their bad fixes kept in ``Patrols.problems``); or a
        dask(-geo)pandas DataFrame partitioned by track or by time (needs the ``scale`` extra; see
        :mod:`bien_gioi_geo.patrols.scale`).
    corridor_m, max_gap_s, max_speed_kmh, jump_slack_m, ambiguity_m, min_fixes
        Matching rules, see :mod:`bien_gioi_geo.patrols.match` (defaults suit people on foot in mountains).
    attributes
        Columns of the fixes carried to each visit (value at its first fix); default every column other than
        track, time and position (unit, station, group, …).
    chunk_fixes
        About how many fixes are matched at a time (whole tracks); bounds memory.
    partitioned
        For a dask frame: ``"track"`` (each track whole in one partition), ``"time"`` (partitions follow one
        another in time, tracks run across them; visits are stitched at the edges), or ``"auto"`` (by the
        frame's index: ``track_id`` or ``time`` with known divisions; otherwise shuffled by track).

    Returns
    -------
    Patrols
    """
    ds = as_dataset(dataset_or_border)
    opts = MatchOptions(corridor_m=corridor_m, max_gap_s=max_gap_s, max_speed_kmh=max_speed_kmh,
                        jump_slack_m=jump_slack_m, ambiguity_m=ambiguity_m, min_fixes=min_fixes)
    problems = None
    if _is_dask(fixes):
        from .scale import match_dask

        visits, n = match_dask(fixes, ds.borders, opts, attributes, partitioned)
        return Patrols(ds, visits, opts, n_fixes=n)
    if isinstance(fixes, (str, os.PathLike)):
        p = Path(fixes)
        if p.suffix.lower() in (".parquet", ".geoparquet"):
            from .scale import match_parquet

            visits, n = match_parquet(p, ds.borders, opts, attributes, chunk_fixes=chunk_fixes)
            return Patrols(ds, visits, opts, n_fixes=n)
        from .read import read_tracks

        fixes, problems = read_tracks(p, errors="collect")
    table = fixes_table(fixes)
    attrs = _attributes(table.columns, attributes)
    visits = match_chunked(table, ds.borders, opts, attrs, chunk_fixes=chunk_fixes)
    return Patrols(ds, visits, opts, problems=problems, n_fixes=len(table))


def _attributes(columns: Any, attributes: list[str] | None) -> list[str]:
    if attributes is None:
        return [str(c) for c in columns if c not in _NOT_ATTRIBUTES]
    missing = [c for c in attributes if c not in columns]
    if missing:
        raise InputError(f"attributes: no column(s) {missing!r} in the fixes; columns: {', '.join(map(str, columns))}")
    return list(attributes)


def track_chunks(track: pd.Series, chunk_fixes: int) -> list[np.ndarray]:
    """Row positions of ``track`` cut into chunks of about ``chunk_fixes`` rows, never splitting a track."""
    codes, _ = pd.factorize(track, sort=True)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    cuts = [0]
    while cuts[-1] + chunk_fixes < len(order):
        k = int(np.searchsorted(sorted_codes, sorted_codes[cuts[-1] + chunk_fixes], side="right"))
        cuts.append(k)
    cuts.append(len(order))
    return [order[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]


def match_chunked(table: pd.DataFrame, borders: dict[str, Any], opts: MatchOptions, attrs: list[str], *,
                  chunk_fixes: int = CHUNK_FIXES) -> pd.DataFrame:
    """:func:`match_frame` over chunks of whole tracks, results concatenated in track order."""
    if len(table) <= chunk_fixes:
        return match_frame(table, borders, opts, attrs)
    parts = [match_frame(table.iloc[idx], borders, opts, attrs) for idx in track_chunks(table["track_id"],
                                                                                        chunk_fixes)]
    return pd.concat(parts, ignore_index=True)


def _is_dask(obj: Any) -> bool:
    return type(obj).__module__.split(".")[0] in ("dask", "dask_geopandas")
