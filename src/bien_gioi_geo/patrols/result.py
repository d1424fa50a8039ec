"""The :class:`Patrols` result: visits, covered km over a period, last visit and overdue stretches.

Uses (layer ``patrols``): ``analysis``, ``crs``, ``dataset``, ``errors``, ``referencing``; in ``patrols/``:
``match``.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..analysis.intervals import union
from ..crs import WGS84
from ..dataset import Dataset
from ..errors import InputError
from ..referencing import Border
from .match import MatchOptions, utc_ns

__all__ = ["Patrols", "as_dataset"]


def as_dataset(dataset_or_border: Any) -> Dataset:
    """A :class:`Dataset` from a dataset, a :class:`Border` or a mapping ``{border_id: Border}``."""
    if isinstance(dataset_or_border, Dataset):
        return dataset_or_border
    if isinstance(dataset_or_border, Border):
        return Dataset({dataset_or_border.name or "border": dataset_or_border})
    if isinstance(dataset_or_border, dict) and all(isinstance(v, Border) for v in dataset_or_border.values()):
        return Dataset(dict(dataset_or_border))
    raise InputError(f"expected a Dataset or a Border, got {type(dataset_or_border).__name__}")


def _time(value: Any, what: str) -> pd.Timestamp | None:
    """A time argument as a UTC timestamp; naive values are Viet Nam time (UTC+7), as in the readers."""
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError(f"{what}: not a time: {value!r}; write e.g. '2024-05-01' or '2024-05-01 07:00+07:00'") \
            from None
    if ts.tzinfo is None:
        ts = (ts - pd.Timedelta(hours=7)).tz_localize("UTC")
    return ts.tz_convert("UTC")


def _delta(value: Any, what: str) -> pd.Timedelta:
    bare = isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
    if bare or not isinstance(value, (str, pd.Timedelta, dt.timedelta, np.timedelta64)):  # 30 would be 30 ns
        raise InputError(f"{what}: give a duration with its unit, e.g. '30D' (30 days) or '12h', not {value!r}")
    try:
        td = pd.Timedelta(value)
    except (ValueError, TypeError):
        raise InputError(f"{what}: not a duration: {value!r}; write e.g. '30D' (30 days) or '12h'") from None
    if td <= pd.Timedelta(0):
        raise InputError(f"{what}: must be positive, not {value!r}")
    return td


parse_duration = _delta  # the public name other packages use (the patrols output checks --every before matching)


class Patrols:
    """GPS tracks matched to the border (made by :func:`bien_gioi_geo.patrols`).

    Attributes
    ----------
    dataset
        The dataset (a bare border becomes a dataset without markers).
    options
        The matching parameters used.
    problems
        Bad fixes reported while reading (empty when the fixes came as a frame).
    """

    def __init__(self, dataset: Dataset, visits: pd.DataFrame, options: MatchOptions,
                 problems: pd.DataFrame | None = None, n_fixes: int | None = None) -> None:
        self.dataset = dataset
        self.options = options
        self._visits = visits.reset_index(drop=True)
        self.problems = problems if problems is not None else pd.DataFrame(
            columns=["source", "row", "field", "value", "message"])
        self.n_fixes = n_fixes

    # ------------------------------------------------------------------ visits
    @cached_property
    def visits(self) -> gpd.GeoDataFrame:
        """One row per visit: ``visit_id``, ``track_id``, ``border_id``, ``start_km``/``end_km`` (measured,
        ``start_km ≤ end_km``), ``length_km``, ``official_start_km``/``official_end_km`` (NaN without a
        calibration), ``start_time``/``end_time`` (UTC), ``n_fixes``, ``first_row``/``last_row`` (the fixes'
        rows in the input), attribute columns (value at the visit's first fix) and the stretch's geometry.
        """
        v = self._visits.copy()
        v.insert(0, "visit_id", np.arange(1, len(v) + 1))
        v.insert(v.columns.get_loc("end_km") + 1, "length_km", v["end_km"] - v["start_km"])
        off_s = np.full(len(v), np.nan)
        off_e = np.full(len(v), np.nan)
        geoms = np.full(len(v), None, dtype=object)
        for bid, idx in v.groupby("border_id", sort=False).indices.items():
            b = self.dataset.borders[bid]
            s, e = v["start_km"].to_numpy()[idx], v["end_km"].to_numpy()[idx]
            if b.calibration is not None:
                off_s[idx], off_e[idx] = b.to_official(s), b.to_official(e)
            geoms[idx] = list(b.cut(s, e).values)
        pos = v.columns.get_loc("length_km") + 1
        v.insert(pos, "official_start_km", off_s)
        v.insert(pos + 1, "official_end_km", off_e)
        return gpd.GeoDataFrame(v, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)

    def _window(self, start: Any, end: Any) -> np.ndarray:
        v = self._visits
        keep = np.ones(len(v), dtype=bool)
        t0, t1 = _time(start, "start"), _time(end, "end")
        if t0 is not None:
            keep &= (v["end_time"] >= t0).to_numpy()
        if t1 is not None:
            keep &= (v["start_time"] < t1).to_numpy()
        return keep

    def covered_km(self, start: Any = None, end: Any = None) -> float:
        """Length of the border walked at least once between ``start`` and ``end`` (km, a union of visits).

        A visit counts when it overlaps ``[start, end)``; naive times are Viet Nam time.
        """
        t0, t1 = _time(start, "start"), _time(end, "end")
        if t0 is not None and t1 is not None and t1 < t0:
            raise InputError(f"covered_km: end {end!r} is before start {start!r}; give the earlier time first")
        v = self._visits[self._window(start, end)]
        total = 0.0
        for _, g in v.groupby("border_id", sort=False):
            us, ue = union(g["start_km"], g["end_km"])
            total += float((ue - us).sum())
        return total

    @property
    def as_of_default(self) -> pd.Timestamp | None:
        """The end of the last visit: the default ``as_of`` (so results do not change with the clock)."""
        return None if self._visits.empty else pd.Timestamp(self._visits["end_time"].max())

    # ------------------------------------------------------------------ last visit
    def last_visit(self, as_of: Any = None, *, window: Any = "30D") -> gpd.GeoDataFrame:
        """The border cut into stretches, each with its last visit before ``as_of``.

        Parameters
        ----------
        as_of
            The date of the question (default: the end of the last visit). Visits starting after it are ignored.
        window
            Visits counted in ``visits_in_window`` are those ending within this duration before ``as_of``.

        Returns
        -------
        geopandas.GeoDataFrame
            ``border_id``, ``start_km``, ``end_km``, ``length_km``, official chainages, nearest markers,
            ``last_visit`` (UTC, NaT when never visited), ``days_since`` (NaN when never), ``visits_in_window``,
            ``last_track_id``, geometry. Adjacent stretches with the same answer are merged.
        """
        t = _time(as_of, "as_of") or self.as_of_default or pd.Timestamp.now(tz="UTC")
        win = _delta(window, "window")
        v = self._visits[(self._visits["start_time"] <= t).to_numpy()]
        rows: list[dict[str, Any]] = []
        for bid, b in self.dataset.borders.items():
            g = v[v["border_id"] == bid]
            rows.extend(_sweep(bid, b.length_km, g, t, win))
        return self._stretches(rows, t)

    def _stretches(self, rows: list[dict[str, Any]], as_of: pd.Timestamp) -> gpd.GeoDataFrame:
        from ..analysis.coverage import coverage

        if not rows:
            rows = []
        frame = coverage(self.dataset).stretch_frame(rows) if rows else None
        df = pd.DataFrame(rows, columns=["border_id", "start_km", "end_km", "last_visit", "visits_in_window",
                                         "last_track_id"])
        last = pd.to_datetime(df["last_visit"], utc=True)
        days = (as_of - last) / pd.Timedelta(days=1)
        if frame is None:
            empty = gpd.GeoDataFrame(df.assign(days_since=days), geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
            empty.attrs["as_of"] = as_of  # the map's title states its date even when there is nothing to draw
            return empty
        frame = frame.drop(columns=["last_visit", "visits_in_window", "last_track_id"])
        frame.insert(len(frame.columns) - 1, "last_visit", last.to_numpy())
        frame.insert(len(frame.columns) - 1, "days_since", days.to_numpy())
        frame.insert(len(frame.columns) - 1, "visits_in_window", df["visits_in_window"].to_numpy(dtype=np.int64))
        frame.insert(len(frame.columns) - 1, "last_track_id", df["last_track_id"].to_numpy())
        frame["last_visit"] = pd.to_datetime(frame["last_visit"], utc=True)
        frame.attrs["as_of"] = as_of
        return frame

    def overdue(self, every: Any = "30D", as_of: Any = None) -> gpd.GeoDataFrame:
        """Stretches not visited within ``every`` before ``as_of`` (or never), with the nearest markers.

        Adjacent overdue stretches are merged; ``last_visit`` is then the latest over the merged stretch.
        """
        t = _time(as_of, "as_of") or self.as_of_default or pd.Timestamp.now(tz="UTC")
        need = _delta(every, "every")
        lv = self.last_visit(t, window=need)
        late = (lv["last_visit"].isna() | (lv["last_visit"] < t - need)).to_numpy()
        rows: list[dict[str, Any]] = []
        for i in np.flatnonzero(late):
            r = lv.iloc[i]
            lv_t = r["last_visit"]
            if rows and rows[-1]["border_id"] == r["border_id"] and abs(rows[-1]["end_km"] - r["start_km"]) < 1e-12:
                prev = rows[-1]
                prev["end_km"] = float(r["end_km"])
                if pd.notna(lv_t) and (pd.isna(prev["last_visit"]) or lv_t > prev["last_visit"]):
                    prev["last_visit"], prev["last_track_id"] = lv_t, r["last_track_id"]
                continue
            rows.append({"border_id": r["border_id"], "start_km": float(r["start_km"]), "end_km": float(r["end_km"]),
                         "last_visit": lv_t, "visits_in_window": 0, "last_track_id": r["last_track_id"]})
        out = self._stretches(rows, t)
        return out.drop(columns=["visits_in_window"]) if "visits_in_window" in out else out

    # ------------------------------------------------------------------ groups and assignments
    def by(self, column: str, start: Any = None, end: Any = None) -> pd.DataFrame:
        """Per value of a visit column (``track_id``, or an attribute such as unit, station or group):
        ``n_visits``, ``n_tracks``, ``covered_km`` (union of its visits), ``first_visit``, ``last_visit``.
        """
        v = self._visits
        if column not in v:
            cols = [c for c in v.columns if c not in ("start_km", "end_km", "start_time", "end_time", "n_fixes",
                                                     "first_row", "last_row")]
            raise InputError(f"by: no visit column {column!r}; columns: {', '.join(cols)}")
        v = v[self._window(start, end)]
        rows = []
        for key, g in v.groupby(column, sort=True, dropna=False):
            km = 0.0
            for _, gb in g.groupby("border_id", sort=False):
                us, ue = union(gb["start_km"], gb["end_km"])
                km += float((ue - us).sum())
            rows.append({column: key, "n_visits": len(g), "n_tracks": g["track_id"].nunique(), "covered_km": km,
                         "first_visit": g["start_time"].min(), "last_visit": g["end_time"].max()})
        return pd.DataFrame(rows, columns=[column, "n_visits", "n_tracks", "covered_km", "first_visit",
                                           "last_visit"])

    def assignments(self, start: Any = None, end: Any = None) -> pd.DataFrame:
        """Each assignment's registered stretch against the visits inside it (registered vs. patrolled).

        Columns: ``assignment_id``, ``border_id``, ``start_km``, ``end_km``, ``registered_km``, ``patrolled_km``
        (union of visits within the stretch, between ``start`` and ``end``), ``percent``, ``n_visits`` (visits
        overlapping the stretch), ``last_visit``.
        """
        from ..analysis.coverage import resolve_intervals

        iv = resolve_intervals(self.dataset)
        v = self._visits[self._window(start, end)]
        rows = []
        for r in iv.itertuples(index=False):
            s, e = float(r.start_km), float(r.end_km)
            g = v[(v["border_id"] == r.border_id) & (v["end_km"] > s) & (v["start_km"] < e)]
            us, ue = union(np.clip(g["start_km"], s, e), np.clip(g["end_km"], s, e))
            km = float((ue - us).sum())
            reg = e - s if np.isfinite(s) and np.isfinite(e) else np.nan
            rows.append({"assignment_id": r.assignment_id, "border_id": r.border_id, "start_km": s, "end_km": e,
                         "registered_km": reg, "patrolled_km": km,
                         "percent": 100.0 * km / reg if reg and np.isfinite(reg) else np.nan,
                         "n_visits": len(g), "last_visit": g["end_time"].max() if len(g) else pd.NaT})
        return pd.DataFrame(rows, columns=["assignment_id", "border_id", "start_km", "end_km", "registered_km",
                                           "patrolled_km", "percent", "n_visits", "last_visit"])

    def __repr__(self) -> str:
        return (f"<Patrols: {len(self._visits)} visits by {self._visits['track_id'].nunique()} tracks; "
                f"{self.covered_km():.3f} km of {self.dataset.total_km:.3f} km walked>")


def _sweep(bid: str, length_km: float, g: pd.DataFrame, as_of: pd.Timestamp,
           window: pd.Timedelta) -> list[dict[str, Any]]:
    """Elementary stretches of one border with the latest visit covering each and the visits in the window."""
    s = np.clip(g["start_km"].to_numpy(dtype=float), 0.0, length_km)
    e = np.clip(g["end_km"].to_numpy(dtype=float), 0.0, length_km)
    good = e > s
    s, e = s[good], e[good]
    t_end = np.minimum(utc_ns(g["end_time"])[good], as_of.value)
    tracks = g["track_id"].to_numpy(dtype=object)[good]
    bp = np.unique(np.concatenate([[0.0, length_km], s, e]))
    npieces = len(bp) - 1
    last = np.full(npieces, np.iinfo(np.int64).min, dtype=np.int64)
    who = np.full(npieces, -1, dtype=np.int64)
    count = np.zeros(npieces, dtype=np.int64)
    if len(s):
        first = np.searchsorted(bp, s)
        stop = np.searchsorted(bp, e)
        n = stop - first
        owner = np.repeat(np.arange(len(s)), n)
        piece = np.repeat(first, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
        # latest visit per piece: sort by time, the last write wins
        order = np.argsort(t_end[owner], kind="stable")
        last[piece[order]] = t_end[owner][order]
        who[piece[order]] = owner[order]
        in_win = t_end[owner] > (as_of - window).value
        np.add.at(count, piece[in_win], 1)
    rows: list[dict[str, Any]] = []
    for k in range(npieces):
        lv = pd.Timestamp(int(last[k]), tz="UTC") if who[k] >= 0 else pd.NaT
        trk = tracks[who[k]] if who[k] >= 0 else None
        if rows and rows[-1]["last_visit"] is lv or (rows and rows[-1]["last_visit"] == lv
                                                     and rows[-1]["visits_in_window"] == count[k]
                                                     and rows[-1]["last_track_id"] == trk):
            rows[-1]["end_km"] = float(bp[k + 1])
            continue
        rows.append({"border_id": bid, "start_km": float(bp[k]), "end_km": float(bp[k + 1]), "last_visit": lv,
                     "visits_in_window": int(count[k]), "last_track_id": trk})
    return rows
