"""Validity periods of dated rows and the dataset as it stood on a date.

Every assignment row may carry ``valid_from``/``valid_to`` (dates). The period is half-open,
``[valid_from, valid_to)``: a row is valid on ``valid_from`` and no longer on ``valid_to``. An empty start means
"always", an empty end "still valid". Without ``as_of`` a dataset that has dates is taken as of **today**
(:func:`today`, a clock tests replace with ``monkeypatch.setattr(validity, "_clock", ...)``).

This module owns the day numbers (:data:`NO_START`/:data:`NO_END`), which rows are valid on a date (:func:`valid_at`,
:func:`at`) and the dates on which that changes (:func:`change_points`). It sits below
:mod:`~bien_gioi_geo.analysis.coverage` (which takes ``as_of=``) and the ledger's timeline sweep above it.

Uses (layer ``analysis``): ``dataset``, ``dates``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..dates import parse_date

__all__ = ["NO_START", "NO_END", "today", "periods", "is_dated", "resolve_as_of", "valid_at", "at",
           "change_points", "day_text", "default_dates"]

#: Day numbers standing for "always" (no start) and "still valid" (no end).
NO_START = np.iinfo(np.int64).min // 4
NO_END = np.iinfo(np.int64).max // 4

#: The clock :func:`today` reads; tests replace it (``monkeypatch.setattr(validity, "_clock", lambda: date)``).
_clock: Callable[[], dt.date] = dt.date.today


def today() -> dt.date:
    """Today's date, from the replaceable clock ``validity._clock``."""
    return _clock()


def _day(value: Any, missing: int, field: str) -> int:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return missing
    return parse_date(value, field=field).toordinal()


def periods(assignments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Start and end day numbers (proleptic ordinals) of each row's period; :data:`NO_START`/:data:`NO_END`
    where the date is empty.
    """
    n = len(assignments)

    def col(name: str, missing: int) -> np.ndarray:
        if name not in assignments:
            return np.full(n, missing, dtype=np.int64)
        return np.array([_day(v, missing, name) for v in assignments[name].astype(object).tolist()], dtype=np.int64)

    return col("valid_from", NO_START), col("valid_to", NO_END)


def is_dated(ds: Dataset) -> bool:
    """Whether any assignment row carries a ``valid_from`` or ``valid_to`` date."""
    a = ds.assignments
    return any(c in a and a[c].notna().any() for c in ("valid_from", "valid_to"))


def resolve_as_of(ds: Dataset, as_of: Any) -> dt.date | None:
    """The date a result describes: ``as_of`` read as a date; else today for a dataset with dates; else None."""
    if as_of is not None:
        return parse_date(as_of)
    return today() if is_dated(ds) else None


def valid_at(assignments: pd.DataFrame, as_of: dt.date | None) -> np.ndarray:
    """Boolean mask of the rows valid on ``as_of`` (every row when ``as_of`` is None)."""
    if as_of is None:
        return np.ones(len(assignments), dtype=bool)
    f, t = periods(assignments)
    d = as_of.toordinal()
    return (f <= d) & (d < t)


def at(ds: Dataset, as_of: dt.date | None, *, mask: np.ndarray | None = None) -> Dataset:
    """The dataset as it stood on ``as_of``: the same border and (already located) markers, only the assignment
    rows valid on that date (or the rows of ``mask``), with their original index. ``ds`` itself when every row is
    valid.
    """
    mask = valid_at(ds.assignments, as_of) if mask is None else mask
    if mask.all():
        return ds
    view = copy.copy(ds)  # shares the located markers (a cached property) and the borders
    view.assignments = ds.assignments[mask]
    return view


def change_points(ds: Dataset) -> list[dt.date]:
    """Every date on which the set of valid rows changes (a row starts or ends), sorted."""
    f, t = periods(ds.assignments)
    days = np.unique(np.concatenate([f[f != NO_START], t[t != NO_END]]))
    return [dt.date.fromordinal(int(d)) for d in days]


def day_text(d: int) -> str | None:
    """ISO text of a day number, None for the open ends."""
    return None if d in (NO_START, NO_END) else dt.date.fromordinal(int(d)).isoformat()


def default_dates(ds: Dataset, freq: str = "YE") -> list[dt.date]:
    """The period ends (``freq``, default year ends) from the first to the last change point of the data, or today
    for a dataset without dates.
    """
    cps = change_points(ds)
    if not cps:
        return [today()]
    first, last = pd.Timestamp(cps[0]), pd.Timestamp(cps[-1])
    end = pd.tseries.frequencies.to_offset(freq).rollforward(last)  # the period end at or after the last change
    return [x.date() for x in pd.date_range(first, end, freq=freq)]
