"""The table :meth:`Border.locate` returns, and the checks of its arguments.

:func:`locate_table` runs a locating function over the finite points in batches (bounding memory) and lays the
answer out as a DataFrame aligned to the caller's index: chainage, official chainage, signed offset, side, part,
segment and ambiguity. Points that are empty or missing give NaN rows, never a dropped row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ReferencingError
from .calibration import Calibration
from .locating import LocateResult

__all__ = ["BATCH", "check_workers", "locate_table", "tolerance"]

BATCH = 250_000  # points per batch in locate (bounds memory)


def tolerance(value: Any, name: str) -> float:
    """A tolerance in metres: a finite number ≥ 0, else an error naming the argument.

    Examples
    --------
    >>> tolerance("2.5", "ambiguity_m")
    2.5
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ReferencingError(f"{name} must be a number of metres, got {value!r}") from None
    if not (math.isfinite(v) and v >= 0):
        raise ReferencingError(f"{name} must be a finite number of metres ≥ 0, got {value!r}")
    return v


def check_workers(workers: Any) -> int:
    """``workers`` as an int: -1 (all cores) or a positive whole number, else an error saying so."""
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers == 0 or workers < -1:
        raise ReferencingError(f"locate: workers must be -1 (all cores) or a positive whole number, "
                               f"got {workers!r}")
    return int(workers)


def locate_table(index: pd.Index, lon: np.ndarray, lat: np.ndarray,
                 locate_lonlat: Callable[[np.ndarray, np.ndarray], LocateResult], *, part_of_segment: np.ndarray,
                 calibration: Calibration | None, left: str | None, right: str | None, note: str) -> pd.DataFrame:
    """Locate the finite points with ``locate_lonlat`` (batches of ``BATCH``) and lay out the result table.

    ``part_of_segment`` gives each segment's part; ``left``/``right`` the sides' countries; ``note`` goes in
    ``attrs["chainage"]``.
    """
    n = len(lon)
    res = {k: np.full(n, np.nan) for k in ("chainage_km", "offset_m", "alt_chainage_km")}
    part = np.full(n, -1, dtype=np.int64)
    segment = np.full(n, -1, dtype=np.int64)
    ambiguous = np.zeros(n, dtype=bool)
    ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    for lo in range(0, len(ok), BATCH):
        sel = ok[lo:lo + BATCH]
        r = locate_lonlat(lon[sel], lat[sel])
        res["chainage_km"][sel] = r.chainage_km
        res["offset_m"][sel] = r.offset_m
        res["alt_chainage_km"][sel] = r.alt_chainage_km
        segment[sel] = r.segment
        part[sel] = part_of_segment[r.segment]
        ambiguous[sel] = r.ambiguous
    side = np.full(n, None, dtype=object)
    side[res["offset_m"] > 0] = left
    side[res["offset_m"] < 0] = right
    missing = part < 0
    out = pd.DataFrame({
        "chainage_km": res["chainage_km"],
        "official_km": calibration.to_official(res["chainage_km"]) if calibration is not None else np.full(n, np.nan),
        "offset_m": res["offset_m"],
        "distance_m": np.abs(res["offset_m"]),
        "side": side,
        "part": pd.arrays.IntegerArray(np.where(missing, 0, part), missing),
        "segment": pd.arrays.IntegerArray(np.where(missing, 0, segment), missing),
        "ambiguous": ambiguous,
        "alt_chainage_km": res["alt_chainage_km"],
    }, index=index)
    out.attrs["chainage"] = note
    return out
