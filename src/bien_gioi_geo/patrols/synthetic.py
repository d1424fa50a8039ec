"""Synthetic patrols with a known truth: walks along known stretches of a real line, with seeded GPS noise.

Used by the tests, the benchmarks and the illustrative bundled patrol set. A walk is a list of legs:

``("walk", to_km)``
    walk along the line to chainage ``to_km`` (either direction);
``("pause", minutes)``
    stand still (the receiver keeps logging);
``("gap", to_km)``
    walk to ``to_km`` while the receiver logs nothing (signal or battery lost);
``("out", metres)``
    step off the line at right angles to ``metres`` and come back (a detour out of the corridor).

The truth is the list of visits a perfect matcher would report: runs of logged positions within ``corridor_m`` of
the line, split at gaps, each with the chainage it spans (noise-free).

Uses (layer ``patrols``): ``referencing``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..referencing import Border

__all__ = ["walk"]

_M_PER_DEG_LAT = 110_574.0


def walk(border: Border, start_km: float, legs: list[tuple[str, float]], *, track_id: str,
         start_time: Any = "2024-05-01T00:00:00Z", speed_kmh: float = 3.0, interval_s: float = 10.0,
         noise_m: float = 8.0, corridor_m: float = 100.0, offset_m: float = 0.0,
         seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fixes (``track_id``, ``time``, ``lon``, ``lat``) of one walk and its true visits.

    ``offset_m`` walks beside the line: to its left (positive, looking along increasing chainage) or its right
    (negative), e.g. on the other country's side; an ``("out", m)`` leg steps ``m`` further away on that side.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The fixes, and the truth: ``track_id``, ``start_km``, ``end_km``, ``start_time``, ``end_time``.
    """
    rng = np.random.default_rng(seed)
    step_m = speed_kmh / 3.6 * interval_s
    km, perp, rec = [start_km], [0.0], [True]
    for kind, value in legs:
        here = km[-1]
        if kind in ("walk", "gap"):
            n = max(int(np.ceil(abs(value - here) * 1000.0 / step_m)), 1)
            km += list(np.linspace(here, value, n + 1)[1:])
            perp += [0.0] * n
            rec += [kind == "walk"] * n
            if kind == "gap":
                rec[-1] = True  # logging resumes on arrival
        elif kind == "pause":
            n = int(value * 60 / interval_s)
            km += [here] * n
            perp += [0.0] * n
            rec += [True] * n
        elif kind == "out":
            n = max(int(np.ceil(value / step_m)), 1)
            ramp = list(np.linspace(0, value, n + 1)[1:]) + list(np.linspace(value, 0, n + 1)[1:])
            km += [here] * len(ramp)
            perp += ramp
            rec += [True] * len(ramp)
        else:
            raise ValueError(f"unknown leg {kind!r}")
    km_a, rec_a = np.array(km), np.array(rec)
    perp_a = offset_m + np.sign(offset_m or 1.0) * np.array(perp)
    lo, hi = border.part_ranges_km[0][0], border.part_ranges_km[-1][1]
    km_a = np.clip(km_a, lo, hi)
    base = shapely.get_coordinates(border.point_at(km_a))
    ahead = shapely.get_coordinates(border.point_at(np.clip(km_a + 0.005, lo, hi)))
    behind = shapely.get_coordinates(border.point_at(np.clip(km_a - 0.005, lo, hi)))
    cos = np.cos(np.radians(base[:, 1]))
    dx = (ahead[:, 0] - behind[:, 0]) * cos * _M_PER_DEG_LAT
    dy = ahead[:, 1] - behind[:, 1]
    dy = dy * _M_PER_DEG_LAT
    norm = np.hypot(dx, dy)
    norm[norm == 0] = 1.0
    nx, ny = -dy / norm, dx / norm  # left normal, metres
    ex = nx * perp_a + rng.normal(0.0, noise_m, len(km_a))
    ey = ny * perp_a + rng.normal(0.0, noise_m, len(km_a))
    lon = base[:, 0] + ex / (_M_PER_DEG_LAT * cos)
    lat = base[:, 1] + ey / _M_PER_DEG_LAT
    t0 = pd.Timestamp(start_time)
    t0 = t0.tz_localize("UTC") if t0.tzinfo is None else t0.tz_convert("UTC")
    times = t0 + pd.to_timedelta(np.arange(len(km_a)) * interval_s, unit="s")
    fixes = pd.DataFrame({"track_id": track_id, "time": times[rec_a], "lon": lon[rec_a], "lat": lat[rec_a]})
    # truth: runs of logged samples within the corridor, split where logging stopped
    idx = np.flatnonzero(rec_a)
    inside = np.abs(perp_a[idx]) <= corridor_m
    new = np.ones(len(idx), dtype=bool)
    new[1:] = (np.diff(idx) > 1) | ~inside[:-1]
    truth = []
    run = np.cumsum(new & inside)
    for r in np.unique(run[inside]):
        sel = idx[inside & (run == r)]
        if len(sel) < 2:
            continue
        truth.append({"track_id": track_id, "start_km": float(km_a[sel].min()), "end_km": float(km_a[sel].max()),
                      "start_time": times[sel[0]], "end_time": times[sel[-1]]})
    return fixes, pd.DataFrame(truth, columns=["track_id", "start_km", "end_km", "start_time", "end_time"])
