"""Matching GPS fixes to the border: fixes → visits.

Rules (each fix located on the border with :meth:`~bien_gioi_geo.Border.locate`)
    * A fix is *in the corridor* when it is at most ``corridor_m`` from the line.
    * Consecutive in-corridor fixes of one track form a *visit*, which covers the chainage they span.
    * A visit ends at a fix outside the corridor, at a time gap longer than ``max_gap_s``, at a jump along the
      line faster than ``max_speed_kmh`` (plus ``jump_slack_m`` for GPS noise) — someone cut across a meander
      or the receiver jumped — and where the line changes part.
    * Where a fix's chainage is ambiguous (another stretch of the line passes almost as near, as in a meander),
      the candidate nearer the previous unambiguous fix of the track wins (continuity), then the previous fix's.
    * Chainages of a visit's fixes are smoothed by a running median of five, so one wild fix or a long pause
      (many fixes scattered around one spot) does not stretch the visit; a visit that ends because the next fix
      left the corridor ends where the straight line between the two fixes crosses the corridor edge.
    * A visit needs ``min_fixes`` distinct fixes (default 2): one fix says someone was there, not which stretch
      they walked. A repeat of a fix (same track, time and position) is dropped before matching.

Defaults, for people on foot in the mountains of the northern border
    ``corridor_m=100``: border paths run beside the line, not on it; a drawn 1:50,000 line is itself ±25 m, and
    phones under forest cover stray 10–30 m. ``max_gap_s=900``: receivers log every 1–60 s; a record silent for
    more than 15 minutes (a valley without signal, a flat battery) says nothing about the stretch in between.
    ``max_speed_kmh=6``: a brisk walk on the flat; patrols in the mountains make 1–4 km/h along the line, so a
    faster advance is a vehicle, a shortcut across a meander or a bad fix. ``jump_slack_m=60``: two fixes each
    ±30 m off can look 60 m apart along the line while standing still. ``ambiguity_m=30``: a GPS error of that
    size could move a fix to the other side of a meander.

Uses (layer ``patrols``): ``crs``, ``errors``, ``referencing``; in ``patrols/``: ``read``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..referencing import Border

__all__ = ["MatchOptions", "match_arrays", "match_frame", "match_located", "stitch", "VISIT_COLUMNS"]

VISIT_COLUMNS = ["track_id", "border_id", "start_km", "end_km", "start_time", "end_time", "n_fixes",
                 "first_row", "last_row"]


@dataclass(frozen=True)
class MatchOptions:
    """The matching parameters (see the module notes for the reasons behind the defaults)."""

    corridor_m: float = 100.0
    max_gap_s: float = 900.0
    max_speed_kmh: float = 6.0
    jump_slack_m: float = 60.0
    ambiguity_m: float = 30.0
    min_fixes: int = 2

    def __post_init__(self) -> None:
        for name in ("corridor_m", "max_gap_s", "max_speed_kmh", "jump_slack_m", "ambiguity_m"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and np.isfinite(v) and v > 0 or (name == "jump_slack_m" and v == 0)):
                raise InputError(f"{name} must be a positive number, not {v!r}")
        if not isinstance(self.min_fixes, int) or self.min_fixes < 1:
            raise InputError(f"min_fixes must be a whole number ≥ 1, not {self.min_fixes!r}")


def _prev_valid(valid: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Index of the last ``valid`` position strictly before each position, within its group (-1 if none)."""
    n = len(valid)
    idx = np.where(valid, np.arange(n), -1)
    last = np.maximum.accumulate(idx) if n else idx
    prev = np.concatenate([[-1], last[:-1]]) if n else last
    # a group's start index: anything before it belongs to another track
    return np.where(prev >= group_start, prev, -1)


def _running_median(x: np.ndarray, run_start: np.ndarray, run_end: np.ndarray, half: int = 2) -> np.ndarray:
    """Median of ``x`` over a centred window of ``2 * half + 1`` clipped to each run ``[run_start, run_end]``."""
    n = len(x)
    if n == 0:
        return x
    i = np.arange(n)
    stack = np.empty((2 * half + 1, n))
    for k, off in enumerate(range(-half, half + 1)):
        stack[k] = x[np.clip(i + off, run_start, run_end)]
    # clipping repeats the edge value; for short runs that weights the ends, which is what a median of a short
    # run should do anyway (the ends are real fixes)
    return np.median(stack, axis=0)


_M_PER_DEG = 111_320.0


def _local_m(xy: np.ndarray) -> np.ndarray:
    """lon/lat → metres of an equirectangular plane scaled at each coordinate's own latitude (fine over 1 km)."""
    return np.column_stack([xy[:, 0] * np.cos(np.radians(xy[:, 1])) * _M_PER_DEG, xy[:, 1] * 110_574.0])


def _snap_jumps(border: Border, ch: np.ndarray, dist: np.ndarray, lon: np.ndarray, lat: np.ndarray,
                jump: np.ndarray, prev_i: np.ndarray, reach_m: np.ndarray, tol_m: float) -> np.ndarray:
    """Chainage of each jumping fix on the stretch reachable from the previous fix, NaN where it is not near it.

    At a hairpin bend the nearest point of the line can leap a hundred metres along it between two fixes a few
    metres apart; the fix is then also near the stretch within walking reach, and takes its chainage there.
    """
    out = np.full(len(ch), np.nan)
    k = np.flatnonzero(jump)
    if len(k) == 0:
        return out
    lo_all, hi_all = border.part_ranges_km[0][0], border.part_ranges_km[-1][1]
    a = np.clip(ch[prev_i[k]] - reach_m[k] / 1000.0, lo_all, hi_all)
    b = np.clip(ch[prev_i[k]] + reach_m[k] / 1000.0, lo_all, hi_all)
    ok = b > a
    k, a, b = k[ok], a[ok], b[ok]
    subs = np.asarray(border.cut(a, b).values, dtype=object)
    subs_m = shapely.transform(subs, _local_m)
    pts_m = shapely.points(_local_m(np.column_stack([lon[k], lat[k]])))
    d = shapely.distance(subs_m, pts_m)
    frac = shapely.line_locate_point(subs_m, pts_m, normalized=True)
    near = np.isfinite(d) & (d <= dist[k] + tol_m)
    out[k[near]] = (a + frac * (b - a))[near]
    return out


def match_arrays(track: np.ndarray, time_s: np.ndarray, loc: pd.DataFrame, opts: MatchOptions,
                 border: Border | None = None, lon: np.ndarray | None = None,
                 lat: np.ndarray | None = None) -> dict[str, Any]:
    """Visits of fixes already sorted by track and time and located on one border.

    Parameters
    ----------
    track
        Integer track codes, sorted (equal codes contiguous).
    time_s
        Times in seconds (float), increasing within a track.
    loc
        :meth:`Border.locate` output for the fixes (same order).
    opts
        Matching parameters.

    Returns
    -------
    dict
        Arrays, one item per fix: ``run`` (its visit's number, -1 outside the corridor), ``lo``/``hi`` (the
        chainage it gives its visit: smoothed, and at a visit's ends stretched to the corridor edge), ``start`` and
        ``end`` (first/last fix of its visit), ``chainage_km`` (after continuity and snapping).
    """
    n = len(track)
    ch = loc["chainage_km"].to_numpy(dtype=float).copy()
    alt = loc["alt_chainage_km"].to_numpy(dtype=float)
    amb = loc["ambiguous"].to_numpy(dtype=bool) & np.isfinite(alt)
    dist = loc["distance_m"].to_numpy(dtype=float)
    part = loc["part"].to_numpy(dtype=float, na_value=np.nan)
    inside = dist <= opts.corridor_m
    new_track = np.ones(n, dtype=bool)
    new_track[1:] = track[1:] != track[:-1]
    group_start = np.maximum.accumulate(np.where(new_track, np.arange(n), 0)) if n else np.zeros(0, dtype=int)
    # continuity: an ambiguous fix takes the candidate nearer the last unambiguous in-corridor fix of its track
    if amb.any():
        anchor_i = _prev_valid(inside & ~amb, group_start)
        has = amb & (anchor_i >= 0)
        anchor = ch[np.where(anchor_i >= 0, anchor_i, 0)]
        swap = has & (np.abs(alt - anchor) < np.abs(ch - anchor))
        ch = np.where(swap, alt, ch)
        for _ in range(2):  # then follow the previous fix, a step at a time, along runs of ambiguous fixes
            prev = np.concatenate([[np.nan], ch[:-1]])
            prev = np.where(new_track, np.nan, prev)
            other = np.where(ch == alt, loc["chainage_km"].to_numpy(dtype=float), alt)
            better = amb & np.isfinite(prev) & (np.abs(other - prev) < np.abs(ch - prev)) & (anchor_i < 0)
            ch = np.where(better, other, ch)
    dt = np.diff(time_s, prepend=np.nan)
    allowed = opts.max_speed_kmh / 3.6 * dt + opts.jump_slack_m
    inside_prev = np.concatenate([[False], inside[:-1]])
    if border is not None and lon is not None and lat is not None:
        prev_i = np.maximum(np.arange(n) - 1, 0)
        for _ in range(3):  # a jump snapped back may reveal the next one
            dc_m = np.abs(np.diff(ch, prepend=np.nan)) * 1000.0
            jump = ~new_track & inside & inside_prev & (dt <= opts.max_gap_s) & (dc_m > allowed + 0.01)
            if not jump.any():
                break
            snapped = _snap_jumps(border, ch, dist, lon, lat, jump, prev_i, allowed, opts.ambiguity_m)
            fix = np.isfinite(snapped)
            if not fix.any():
                break
            ch = np.where(fix, snapped, ch)
    dc_m = np.abs(np.diff(ch, prepend=np.nan)) * 1000.0
    same_part = np.concatenate([[False], part[1:] == part[:-1]])
    joined = ~new_track & inside & inside_prev & (dt <= opts.max_gap_s) & (dc_m <= allowed + 0.01) & same_part
    starts = inside & ~joined
    run = np.cumsum(starts) - 1
    visit_of = np.where(inside, run, -1)
    first = np.flatnonzero(starts)
    # a run ends at the last inside fix before the next start or an outside fix
    if len(first):
        inside_idx = np.flatnonzero(inside)
        last = inside_idx[np.searchsorted(inside_idx, np.concatenate([first[1:], [n]])) - 1]
    else:
        last = first
    run_start = np.where(inside, first[np.clip(run, 0, None)] if len(first) else 0, np.arange(n))
    run_end = np.where(inside, last[np.clip(run, 0, None)] if len(first) else 0, np.arange(n))
    smooth = _running_median(ch, run_start, run_end)
    lo = np.where(inside, smooth, np.nan)
    hi = lo.copy()
    # ends placed on the corridor edge, between the edge fix and its outside neighbour (same track, in time)
    for edge, nb in ((first, first - 1), (last, last + 1)):
        ok = (nb >= 0) & (nb < n)
        nbc = np.clip(nb, 0, max(n - 1, 0))
        ok &= ~inside[nbc] & (track[nbc] == track[edge]) & np.isfinite(ch[nbc])
        ok &= np.abs(time_s[nbc] - time_s[edge]) <= opts.max_gap_s
        ok &= np.abs(ch[nbc] - ch[edge]) * 1000 <= opts.max_speed_kmh / 3.6 * np.abs(time_s[nbc] - time_s[edge]) \
            + opts.jump_slack_m
        ok &= part[nbc] == part[edge]
        d0, d1 = dist[edge], dist[nbc]
        t = np.clip((opts.corridor_m - d0) / np.where(d1 > d0, d1 - d0, np.inf), 0.0, 1.0)
        at = smooth[edge] + t * (ch[nbc] - ch[edge])
        e = edge[ok]
        lo[e] = np.minimum(lo[e], at[ok])
        hi[e] = np.maximum(hi[e], at[ok])
    ends = np.zeros(n, dtype=bool)
    ends[last] = True
    return {"run": visit_of, "lo": lo, "hi": hi, "start": starts, "end": ends, "chainage_km": ch}


def utc_ns(times: pd.Series) -> np.ndarray:
    """Times as int64 nanoseconds since the epoch (UTC)."""
    t = pd.to_datetime(times, utc=True).dt.tz_localize(None)
    return t.to_numpy(dtype="datetime64[ns]").astype(np.int64)


_ORIGIN_NS = 1_600_000_000 * 10**9  # seconds are counted from a fixed moment, so any cut of the data rounds alike


def sorted_unique(df: pd.DataFrame) -> pd.DataFrame:
    """Fixes (``track_id``, ``time_ns``, ``lon``, ``lat``, ``row``, …) sorted by track, time, position and row;
    a repeat of a fix (same track, time and position) is dropped, so it neither counts nor weighs twice.
    """
    codes, _ = pd.factorize(df["track_id"], sort=True)
    t, x, y = (df[c].to_numpy() for c in ("time_ns", "lon", "lat"))
    order = np.lexsort((df["row"].to_numpy(), y, x, t, codes))
    c, t, x, y = codes[order], t[order], x[order], y[order]
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] = (c[1:] == c[:-1]) & (t[1:] == t[:-1]) & (x[1:] == x[:-1]) & (y[1:] == y[:-1])
    return df.iloc[order[~dup]].reset_index(drop=True)


def prepared(fixes: pd.DataFrame, attributes: list[str]) -> pd.DataFrame:
    """The fixes in matching form: ``track_id``, ``time_ns``, ``lon``, ``lat``, ``row`` and attributes,
    sorted and without repeats (:func:`sorted_unique`).
    """
    n = len(fixes)
    df = pd.DataFrame({"track_id": fixes["track_id"].array, "time_ns": utc_ns(fixes["time"]),
                       "lon": fixes["lon"].to_numpy(dtype=float), "lat": fixes["lat"].to_numpy(dtype=float),
                       "row": fixes["row"].to_numpy() if "row" in fixes else np.full(n, -1)})
    for c in attributes:
        df[c] = fixes[c].to_numpy() if c in fixes else None
    return sorted_unique(df)


def locate_frame(pf: pd.DataFrame, borders: dict[str, Border], opts: MatchOptions) -> pd.DataFrame:
    """``pf`` (from :func:`prepared`) with each fix located on every border (columns ``ch0``, ``alt0``, ``amb0``,
    ``dist0``, ``part0``, ``ch1``, … in the order of ``borders``) and ``nearest``, the index of its nearest border
    (a fix belongs to its nearest border; the others see it as outside).
    """
    out = pf.copy()
    xy = np.column_stack([pf["lon"].to_numpy(), pf["lat"].to_numpy()])
    d = []
    for k, b in enumerate(borders.values()):
        loc = b.locate(xy, ambiguity_m=opts.ambiguity_m)
        out[f"ch{k}"] = loc["chainage_km"].to_numpy(dtype=float)
        out[f"alt{k}"] = loc["alt_chainage_km"].to_numpy(dtype=float)
        out[f"amb{k}"] = loc["ambiguous"].to_numpy(dtype=bool)
        out[f"dist{k}"] = loc["distance_m"].to_numpy(dtype=float)
        out[f"part{k}"] = loc["part"].to_numpy(dtype=float, na_value=np.nan)
        d.append(np.nan_to_num(out[f"dist{k}"].to_numpy(), nan=np.inf))
    out["nearest"] = np.argmin(np.column_stack(d), axis=1) if len(pf) else np.zeros(0, dtype=int)
    return out


def anchor_mask(lf: pd.DataFrame, k: int, opts: MatchOptions) -> np.ndarray:
    """Fixes that anchor continuity on border ``k``: in its corridor, nearest to it, and unambiguous."""
    return ((lf["nearest"].to_numpy() == k) & (lf[f"dist{k}"].to_numpy() <= opts.corridor_m)
            & ~(lf[f"amb{k}"].to_numpy() & np.isfinite(lf[f"alt{k}"].to_numpy())))


PIECE_COLUMNS = [*VISIT_COLUMNS, "opens", "closes"]


def match_located(lf: pd.DataFrame, borders: dict[str, Border], opts: MatchOptions, attributes: list[str],
                  final: np.ndarray | None = None) -> pd.DataFrame:
    """Pieces of visits (:data:`PIECE_COLUMNS` and attributes) of located fixes (:func:`locate_frame`).

    A piece is a visit's fixes among the ``final`` ones (default all): whole visits in memory; on dask, where a
    partition holds part of a track, the part whose result its partition decides (see
    :mod:`bien_gioi_geo.patrols.timeparts`). ``opens``/``closes`` say whether the piece holds its visit's first
    and last fix; :func:`stitch` joins the pieces.
    """
    if len(lf) == 0:
        return _empty_pieces(attributes)
    code, _ = pd.factorize(lf["track_id"], sort=True)
    tsec = (lf["time_ns"].to_numpy() - _ORIGIN_NS) / 1e9
    lon, lat = lf["lon"].to_numpy(dtype=float), lf["lat"].to_numpy(dtype=float)
    nearest = lf["nearest"].to_numpy()
    out = [_empty_pieces(attributes)]
    for k, (bid, border) in enumerate(borders.items()):
        dist = np.where(nearest == k, lf[f"dist{k}"].to_numpy(), np.inf) if len(borders) > 1 else lf["dist0"]
        loc = pd.DataFrame({"chainage_km": lf[f"ch{k}"], "alt_chainage_km": lf[f"alt{k}"],
                            "ambiguous": lf[f"amb{k}"], "distance_m": dist, "part": lf[f"part{k}"]})
        res = match_arrays(code, tsec, loc, opts, border, lon, lat)
        sel = res["run"] >= 0
        if final is not None:
            sel &= final
        idx = np.flatnonzero(sel)
        if not len(idx):
            continue
        runs = res["run"][idx]
        b = np.flatnonzero(np.r_[True, runs[1:] != runs[:-1]])
        e = np.r_[b[1:], len(idx)] - 1
        first, last = idx[b], idx[e]
        df = pd.DataFrame({
            "track_id": lf["track_id"].iloc[first].to_numpy(dtype=object), "border_id": bid,
            "start_km": np.minimum.reduceat(res["lo"][idx], b), "end_km": np.maximum.reduceat(res["hi"][idx], b),
            "start_time": lf["time_ns"].to_numpy()[first], "end_time": lf["time_ns"].to_numpy()[last],
            "n_fixes": (e - b + 1).astype(np.int64), "first_row": lf["row"].to_numpy()[first],
            "last_row": lf["row"].to_numpy()[last], "opens": res["start"][first], "closes": res["end"][last]})
        for c in attributes:
            df[c] = lf[c].to_numpy()[first]
        out.append(df)
    return pd.concat(out, ignore_index=True) if len(out) > 1 else out[0]


def stitch(pieces: pd.DataFrame, opts: MatchOptions, attributes: list[str]) -> pd.DataFrame:
    """Visits from pieces (:func:`match_located`): a piece that does not open its visit continues the one before
    (same track and border, in time); visits with fewer than ``min_fixes`` distinct fixes are dropped.
    """
    if len(pieces) == 0:
        return _empty_visits(attributes)
    p = pieces.sort_values(["track_id", "border_id", "start_time", "end_time"], kind="stable").reset_index(drop=True)
    same = np.r_[False, (p["track_id"].to_numpy()[1:] == p["track_id"].to_numpy()[:-1])
                 & (p["border_id"].to_numpy()[1:] == p["border_id"].to_numpy()[:-1])]
    b = np.flatnonzero(p["opens"].to_numpy(dtype=bool) | ~same)
    e = np.r_[b[1:], len(p)] - 1
    n = np.add.reduceat(p["n_fixes"].to_numpy(dtype=np.int64), b)
    v = p.iloc[b].drop(columns=["opens", "closes"]).reset_index(drop=True)
    v["start_km"] = np.minimum.reduceat(p["start_km"].to_numpy(dtype=float), b)
    v["end_km"] = np.maximum.reduceat(p["end_km"].to_numpy(dtype=float), b)
    v["n_fixes"] = n
    for c in ("end_time", "last_row"):
        v[c] = p[c].to_numpy()[e]
    for c in ("start_time", "end_time"):
        v[c] = pd.to_datetime(v[c].to_numpy(dtype=np.int64), utc=True)
    for c in ("first_row", "last_row"):
        v[c] = v[c].astype(np.int64)
    v = v[n >= opts.min_fixes]
    return v.sort_values(["track_id", "start_time", "border_id"], kind="stable").reset_index(drop=True)


def match_frame(fixes: pd.DataFrame, borders: dict[str, Border], opts: MatchOptions,
                attributes: list[str] | None = None) -> pd.DataFrame:
    """Visits of a frame of fixes with ``track_id``, ``time`` (UTC), ``lon``, ``lat`` (and ``row``).

    The frame need not be sorted; tracks must be whole (every fix of a track in this frame). Returns one row per
    visit with :data:`VISIT_COLUMNS` and, for each of ``attributes``, its value at the visit's first fix; sorted by
    track and start time.
    """
    attributes = list(attributes or [])
    if len(fixes) == 0:
        return _empty_visits(attributes)
    lf = locate_frame(prepared(fixes, attributes), borders, opts)
    return stitch(match_located(lf, borders, opts, attributes), opts, attributes)


def _empty_pieces(attributes: list[str]) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=np.int64) for c in PIECE_COLUMNS})
    for c in ("track_id", "border_id"):
        df[c] = pd.Series(dtype=object)
    for c in ("start_km", "end_km"):
        df[c] = df[c].astype(float)
    for c in ("opens", "closes"):
        df[c] = df[c].astype(bool)
    for c in attributes:
        df[c] = pd.Series(dtype=object)
    return df


def _empty_visits(attributes: list[str]) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in VISIT_COLUMNS})
    for c in ("start_km", "end_km"):
        df[c] = df[c].astype(float)
    for c in ("start_time", "end_time"):
        df[c] = pd.Series(dtype="datetime64[ns, UTC]")
    for c in ("n_fixes", "first_row", "last_row"):
        df[c] = df[c].astype(np.int64)
    for c in attributes:
        df[c] = pd.Series(dtype=object)
    return df


def fixes_table(fixes: pd.DataFrame) -> pd.DataFrame:
    """``track_id``, ``time``, ``lon``, ``lat``, ``row`` and attribute columns from a GeoDataFrame of fixes."""
    import geopandas as gpd
    import shapely

    from ..crs import WGS84, to_wgs84

    if isinstance(fixes, gpd.GeoDataFrame):
        missing = [c for c in ("track_id", "time") if c not in fixes]
        if missing:
            raise InputError(f"fixes: no column(s) {missing!r}; read them with bg.read_tracks")
        g = fixes.geometry.to_numpy()
        x, y = shapely.get_x(g), shapely.get_y(g)
        if fixes.crs is not None and not fixes.crs.equals(WGS84):
            x, y = to_wgs84(x, y, fixes.crs)
        out = pd.DataFrame(fixes.drop(columns=fixes.geometry.name))
        out["lon"], out["lat"] = x, y
    elif isinstance(fixes, pd.DataFrame) and {"track_id", "time", "lon", "lat"} <= set(fixes.columns):
        out = fixes.copy()
    else:
        raise InputError("fixes: expected a GeoDataFrame from bg.read_tracks, or a DataFrame with track_id, time, "
                         f"lon and lat; got {type(fixes).__name__}")
    out = out.reset_index(drop=True)  # rows are named by "row"; a repeated index label must not matter
    if "row" not in out:
        out["row"] = np.arange(1, len(out) + 1)
    from .read import parse_times

    out["time"] = parse_times(out["time"])  # naive times are Viet Nam time (UTC+7), as read_tracks reads them
    _refuse_incomplete(out)
    return out


def _refuse_incomplete(fixes: pd.DataFrame) -> None:
    """An :class:`InputError` naming the rows with no readable time, no track or no finite position."""
    lon = pd.to_numeric(fixes["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(fixes["lat"], errors="coerce").to_numpy(dtype=float)
    track = fixes["track_id"]
    blank = track.astype("string").str.strip().eq("").fillna(False) if track.dtype.kind in "OSU" \
        or isinstance(track.dtype, pd.StringDtype) else pd.Series(False, index=track.index)
    reasons = {"time": fixes["time"].isna().to_numpy(),
               "track_id": (track.isna() | blank).to_numpy(dtype=bool),
               "lon/lat": ~(np.isfinite(lon) & np.isfinite(lat))}
    bad = [(field, np.flatnonzero(mask)) for field, mask in reasons.items() if mask.any()]
    if not bad:
        return
    rows = fixes["row"].to_numpy()
    what = "; ".join(f"{len(idx)} without a readable {field} (row(s) {', '.join(map(str, rows[idx[:5]]))}"
                     + (", …)" if len(idx) > 5 else ")") for field, idx in bad)
    raise InputError(f"fixes: {what}; fix or remove those rows, or read the file with "
                     "bg.read_tracks(path, errors='collect'), which keeps them in a problems table")
