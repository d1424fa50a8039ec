"""Route calibration: the map from measured (geodesic) chainage to official chainage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ReferencingError

__all__ = ["Calibration", "calibration_from_markers"]


@dataclass(frozen=True)
class Calibration:
    """A piecewise-linear map from measured chainage to official chainage (route calibration).

    ``measured_km`` and ``official_km`` are matching control points, both strictly increasing. Between control
    points chainage is interpolated linearly; beyond the first/last control point the nearest section's scale is
    extended. ``source`` says where the control points came from.

    Examples
    --------
    >>> c = Calibration((0.0, 93.523), (0.0, 97.229), "official length")
    >>> round(float(c.to_official(46.7615)), 4)
    48.6145
    >>> float(c.to_measured(97.229))
    93.523
    """

    measured_km: tuple[float, ...]
    official_km: tuple[float, ...]
    source: str

    def __post_init__(self) -> None:
        m = np.asarray(self.measured_km, dtype=float)
        o = np.asarray(self.official_km, dtype=float)
        if m.shape != o.shape or m.size < 2:
            raise ReferencingError("calibration needs at least two (measured_km, official_km) control points")
        if not (np.isfinite(m).all() and np.isfinite(o).all()):
            raise ReferencingError("calibration control points must be finite numbers")
        if (np.diff(m) <= 0).any():
            k = int(np.flatnonzero(np.diff(m) <= 0)[0])
            raise ReferencingError(
                f"calibration control points must increase along the line: measured {m[k]!r} km is followed by "
                f"{m[k + 1]!r} km (are the markers in order and the border oriented?)")
        if (np.diff(o) <= 0).any():
            k = int(np.flatnonzero(np.diff(o) <= 0)[0])
            raise ReferencingError(
                f"official chainages must increase along the line: {o[k]!r} km is followed by {o[k + 1]!r} km")

    @staticmethod
    def _interp(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
        y = np.interp(x, xp, fp)
        lo = x < xp[0]
        hi = x > xp[-1]
        if lo.any():
            y[lo] = fp[0] + (x[lo] - xp[0]) * (fp[1] - fp[0]) / (xp[1] - xp[0])
        if hi.any():
            y[hi] = fp[-1] + (x[hi] - xp[-1]) * (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
        return y

    def to_official(self, measured_km: Any) -> Any:
        """Official chainage (km) for measured chainage(s) (km)."""
        x = np.atleast_1d(np.asarray(measured_km, dtype=float))
        y = self._interp(x, np.asarray(self.measured_km), np.asarray(self.official_km))
        return y if np.ndim(measured_km) else y[0]

    def to_measured(self, official_km: Any) -> Any:
        """Measured chainage (km) for official chainage(s) (km)."""
        x = np.atleast_1d(np.asarray(official_km, dtype=float))
        y = self._interp(x, np.asarray(self.official_km), np.asarray(self.measured_km))
        return y if np.ndim(official_km) else y[0]


def calibration_from_markers(markers: pd.DataFrame, locate: Callable[[Any], np.ndarray], *, end_km: float,
                             official_length_km: float | None, official_column: str) -> Calibration:
    """A :class:`Calibration` pairing each marker's measured chainage with its official one.

    ``locate`` gives the measured chainage (km) of a GeoSeries; markers without an official value are left out
    and posts of one ``number`` are averaged. The ends are added: 0 ↦ 0 and, when ``official_length_km`` is
    known, ``end_km`` ↦ ``official_length_km``.

    Examples
    --------
    >>> m = pd.DataFrame({"number": ["1", "2", "2", "3"], "official_km": [2.0, 6.0, 6.0, None],
    ...                   "geometry": [1.9, 5.8, 6.0, 7.0]})    # stands for the points; here their chainage
    >>> c = calibration_from_markers(m, lambda g: g.to_numpy(), end_km=9.5, official_length_km=10.0,
    ...                              official_column="official_km")
    >>> c.measured_km, c.official_km
    ((0.0, 1.9, 5.9, 9.5), (0.0, 2.0, 6.0, 10.0))
    """
    if official_column not in markers:
        raise ReferencingError(f"calibrated: markers have no {official_column!r} column")
    have = markers[official_column].notna().to_numpy()
    if not have.any():
        raise ReferencingError(f"calibrated: no marker has an {official_column!r} value")
    rows = markers[have]
    key = rows["number"] if "number" in rows else rows.index.to_series()
    df = pd.DataFrame({"key": key.to_numpy(), "m": np.asarray(locate(rows.geometry), dtype=float),
                       "o": rows[official_column].to_numpy(dtype=float)})
    g = df.groupby("key", sort=False).agg(m=("m", "mean"), o=("o", "mean")).sort_values("m")
    m = [0.0, *g["m"].tolist()]
    o = [0.0, *g["o"].tolist()]
    if official_length_km is not None:
        m.append(end_km)
        o.append(float(official_length_km))
    # drop control points that coincide with the ends
    pairs = sorted(dict(zip(m, o, strict=True)).items())
    return Calibration(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs),
                       f"{len(g)} marker(s) with official chainage")
