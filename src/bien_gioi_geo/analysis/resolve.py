"""Resolving assignments to chainage: each row of the assignments table becomes an interval on its border.

Every assignment resolves to a chainage interval on its border, whichever way it was given:

* **marker terms** — ``from_marker``/``to_marker`` are the markers' positions on the line. A marker number with
  several posts (``62`` of a double or triple marker) stands at the **mean chainage of its posts**; a post id
  (``62(2)``) stands at that post. Auxiliary ``62/1`` is its own marker after main marker 62.
* **chainage** — ``start_km``/``end_km`` on the measured (geodesic) chainage, or on the official chainage with
  ``coverage(..., chainage="official")``.
* **a drawn line** — its vertices are located on the border; the interval spans their smallest to largest
  chainage.

A row that cannot be resolved (an unknown marker, a line off the border) keeps an empty interval and says why in
``unresolved``; the union, the gaps and the overlaps are computed from these intervals by
:mod:`~bien_gioi_geo.analysis.coverage` and :mod:`~bien_gioi_geo.analysis.intervals`.

Uses (layer ``analysis``): ``crs``, ``dataset``, ``errors``.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import WGS84
from ..dataset import Dataset
from ..errors import InputError

__all__ = ["resolve_intervals"]


def _marker_positions(ds: Dataset) -> tuple[dict[tuple[str, str], float], dict[str, str]]:
    """Chainage (km) of each post id and of each marker number (mean of its posts), per border; and the border
    of each id/number.
    """
    m = ds.markers_located
    pos: dict[tuple[str, str], float] = {}
    border_of: dict[str, str] = {}
    if m.empty:
        return pos, border_of
    means = m.groupby(["border_id", "number"], sort=False)["chainage_km"].mean()
    keys = means.index.tolist()
    pos.update({(str(b), str(n)): v for (b, n), v in zip(keys, means.to_numpy(dtype=float).tolist(), strict=True)})
    bids, mids = m["border_id"].tolist(), m["marker_id"].tolist()
    pos.update({(str(b), str(i)): v for b, i, v in zip(bids, mids, m["chainage_km"].to_numpy(dtype=float).tolist(),
                                                       strict=True)})
    for b, n in reversed(keys):  # the first border a number appears on wins
        border_of[str(n)] = str(b)
    for b, i in zip(reversed(bids), reversed(mids), strict=True):
        border_of[str(i)] = str(b)
    return pos, border_of


def resolve_intervals(ds: Dataset, *, chainage: str = "measured") -> pd.DataFrame:
    """One row per assignment with its resolved chainage interval.

    Columns: ``assignment_id``, ``border_id``, ``stretch_by``, ``raw_start_km``/``raw_end_km`` (as resolved,
    before swapping or clipping), ``start_km``/``end_km`` (swapped and clipped, used for coverage),
    ``length_km``, ``official_start_km``/``official_end_km``, ``reversed``, ``out_of_range_km`` (how far the raw
    interval reaches beyond the ends), ``unresolved`` (why no interval, or None), and for drawn lines
    ``max_offset_m`` and ``mean_offset_m``.
    """
    if chainage not in ("measured", "official"):
        raise InputError(f"chainage must be 'measured' or 'official', not {chainage!r}")
    a = ds.assignments
    pos, border_of_marker = _marker_positions(ds)
    rows = []
    lines: list[tuple[Any, str | None]] = []
    single = next(iter(ds.borders)) if len(ds.borders) == 1 else None
    def col(name: str) -> list[Any]:  # plain Python lists: iterating pandas extension arrays is slow
        return a[name].astype(object).tolist() if name in a else [None] * len(a)

    cols = zip(a.index.tolist(), col("assignment_id"), col("stretch_by"), col("border_id"), col("from_marker"),
               col("to_marker"), col("start_km"), col("end_km"), col("from_offset_m"), col("to_offset_m"),
               strict=True)
    for i, aid, by, given_bid, fm, tm, sk, ek, fo, to in cols:
        rec: dict[str, Any] = {"row": i, "assignment_id": aid, "stretch_by": by,
                               "raw_start_km": np.nan, "raw_end_km": np.nan, "unresolved": None,
                               "max_offset_m": np.nan, "mean_offset_m": np.nan}
        bid = given_bid if isinstance(given_bid, str) else single
        if by == "markers":
            if bid is None:
                bid = border_of_marker.get(fm) or border_of_marker.get(tm)
            s = pos.get((bid, fm)) if bid else None
            e = pos.get((bid, tm)) if bid else None
            missing = [m for m, v in ((fm, s), (tm, e)) if v is None]
            if s is None or e is None:
                rec["unresolved"] = f"unknown marker(s) {', '.join(map(repr, missing))}"
            else:  # an anchored position (``62+300``) is the marker's chainage plus the offset
                rec["raw_start_km"], rec["raw_end_km"] = s + _offset_km(fo), e + _offset_km(to)
        elif by == "chainage":
            if bid is None:
                rec["unresolved"] = "the dataset has several borders; give border_id for a stretch by chainage"
            else:
                s, e = float(sk), float(ek)
                if chainage == "official":
                    b = ds.borders[bid]
                    s, e = float(b.to_measured(s)), float(b.to_measured(e))
                rec["raw_start_km"], rec["raw_end_km"] = s, e
        elif by == "line":
            lines.append((i, bid))  # located below, all lines of a border at once
        else:
            rec["unresolved"] = "no stretch (markers only)"
        if bid is not None and bid not in ds.borders and rec["unresolved"] is None:
            rec["unresolved"] = f"unknown border_id {bid!r}"
        rec["border_id"] = bid
        rows.append(rec)
    df = pd.DataFrame(rows, columns=["row", "assignment_id", "border_id", "stretch_by", "raw_start_km",
                                     "raw_end_km", "unresolved", "max_offset_m", "mean_offset_m"])
    df = df.set_index("row")
    df.index.name = None
    if lines:
        _locate_lines(ds, df, lines)
    s = df["raw_start_km"].to_numpy(dtype=float)
    e = df["raw_end_km"].to_numpy(dtype=float)
    df["reversed"] = (s > e) & (df["stretch_by"] != "line")
    lo, hi = np.fmin(s, e), np.fmax(s, e)
    total = np.array([ds.borders[b].length_km if b in ds.borders else np.nan for b in df["border_id"]])
    df["out_of_range_km"] = np.fmax(np.fmax(0.0 - lo, hi - total), 0.0)
    df["start_km"] = np.clip(lo, 0.0, total)
    df["end_km"] = np.clip(hi, 0.0, total)
    df["length_km"] = df["end_km"] - df["start_km"]
    off_s = np.full(len(df), np.nan)
    off_e = np.full(len(df), np.nan)
    for bid, idx in df.groupby("border_id", sort=False).groups.items():
        bb = ds.borders.get(bid)
        if bb is not None and bb.calibration is not None:
            sel = df.index.get_indexer(idx)
            off_s[sel] = bb.to_official(df["start_km"].to_numpy()[sel])
            off_e[sel] = bb.to_official(df["end_km"].to_numpy()[sel])
    df["official_start_km"] = off_s
    df["official_end_km"] = off_e
    return df


def _locate_lines(ds: Dataset, df: pd.DataFrame, lines: list[tuple[Any, str | None]]) -> None:
    """Resolve drawn stretches: locate all their vertices in one call per border; the interval spans the
    smallest to the largest chainage of a line's vertices.
    """
    a = ds.assignments
    idx = [i for i, _ in lines]
    geoms = gpd.GeoSeries(a.loc[idx].geometry.values, index=idx, crs=WGS84)
    hint = pd.Series([b for _, b in lines], index=idx, dtype=object)
    bids = ds.border_of(geoms, hint if hint.notna().any() else None)
    for bid, sel in bids.groupby(bids, sort=False).groups.items():
        if bid not in ds.borders:
            df.loc[sel, "unresolved"] = f"unknown border_id {bid!r}"
            df.loc[sel, "border_id"] = bid
            continue
        xy, owner = shapely.get_coordinates(geoms.loc[sel].values, return_index=True)
        loc = ds.borders[bid].locate(xy)
        t = pd.DataFrame({"row": np.asarray(sel)[owner], "ch": loc["chainage_km"].to_numpy(),
                          "off": loc["offset_m"].to_numpy(), "absoff": loc["distance_m"].to_numpy()})
        g = t.groupby("row", sort=False)
        agg = pd.DataFrame({"s": g["ch"].min(), "e": g["ch"].max(), "mx": g["absoff"].max(),
                            "mean": g["off"].mean()})
        df.loc[agg.index, "raw_start_km"] = agg["s"].to_numpy()
        df.loc[agg.index, "raw_end_km"] = agg["e"].to_numpy()
        df.loc[agg.index, "max_offset_m"] = agg["mx"].to_numpy()
        df.loc[agg.index, "mean_offset_m"] = agg["mean"].to_numpy()
        df.loc[agg.index, "border_id"] = bid


def _offset_km(offset_m: object) -> float:
    """An anchored offset in metres (``62+300``: 300) as km; none or missing is 0."""
    if offset_m is None or offset_m is pd.NA:
        return 0.0
    v = float(offset_m)  # type: ignore[arg-type]
    return 0.0 if np.isnan(v) else v / 1000.0
