"""What every rule reads: the dataset checked, its coverage, the options, computed once and shared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.coverage import Coverage, resolve_intervals
from ..analysis.ledger import NO_END, NO_START, at, is_dated, periods, version_problems
from ..dataset import Dataset
from .registry import Phrase

__all__ = ["Context", "Options", "period_phrase"]


@dataclass(frozen=True)
class Options:
    """The tolerances of :func:`~bien_gioi_geo.validate` (see its parameters)."""

    marker_tolerance_m: float = 300.0
    assignment_tolerance_m: float = 200.0
    post_spread_m: float = 1000.0
    length_tolerance_m: float = 100.0
    datum_shift_min_m: float = 100.0
    min_gap_m: float = 1.0
    min_overlap_m: float = 1.0


def _day(d: int) -> Any:
    return None if d in (NO_START, NO_END) else dt.date.fromordinal(int(d))


def period_phrase(lo: int, hi: int) -> Phrase:
    """The period ``[lo, hi)`` (day numbers) as a phrase: ``from … until …`` or ``from … on``."""
    start = _day(lo) or Phrase("records_start")
    end = _day(hi)
    return Phrase("period", {"from_date": start, "to_date": end}) if end else Phrase("period_open",
                                                                                       {"from_date": start})


def day_or_open(d: int) -> Any:
    """A day number as a date, or the phrase for an open end."""
    return _day(d) or Phrase("open")


class Context:
    """The dataset as the rules see it.

    ``full`` is every row (every version of a dated dataset); ``ds`` the rows checked (those valid on ``as_of``
    when it is given); ``cov`` the coverage on ``when``; ``iv`` the resolved intervals of ``ds``'s rows.
    """

    def __init__(self, dataset: Dataset, cov: Coverage, when: dt.date | None, as_of_given: bool,
                 options: Options, read_problems: pd.DataFrame | None) -> None:
        self.full = dataset
        self.dated = is_dated(dataset)
        self.when = when
        self.as_of_given = as_of_given
        self.cov = cov
        self.opt = options
        self.ds = at(dataset, when) if self.dated and as_of_given else dataset
        self.read_problems = read_problems
        self.cache: dict[str, Any] = {}  # what several rules share (computed by the first that needs it)

    @cached_property
    def every(self) -> pd.DataFrame:
        """Resolved intervals of every row of ``full``."""
        return resolve_intervals(self.full)

    @cached_property
    def iv(self) -> pd.DataFrame:
        """Resolved intervals of the checked rows."""
        return self.every.loc[self.ds.assignments.index] if self.dated else self.cov.intervals

    @cached_property
    def table(self) -> pd.DataFrame:
        """The checked rows: resolved intervals joined with the assignment columns."""
        a = self.ds.assignments
        return self.iv.join(a.drop(columns=[c for c in self.iv.columns if c in a.columns]))

    def col(self, name: str) -> list[Any]:
        """Column ``name`` of :attr:`table` as a plain list (``None`` each when the column is missing)."""
        t = self.table
        return t[name].astype(object).tolist() if name in t else [None] * len(t)

    def stretch(self, r: Any) -> Any:
        """The resolved stretch of one row of :attr:`table`, drawn only for rows that have a problem."""
        b = self.ds.borders.get(r["border_id"])
        return b.cut(r["start_km"], r["end_km"]) if b is not None and np.isfinite(r["start_km"]) else None

    @cached_property
    def periods(self) -> tuple[np.ndarray, np.ndarray]:
        """Day numbers ``[from, to)`` of every row of ``full``."""
        return periods(self.full.assignments)

    @cached_property
    def versions(self) -> Any:
        """:func:`bien_gioi_geo.analysis.ledger.version_problems` of ``full``."""
        return version_problems(self.full.assignments, *self.periods)

    def holds(self, lo: int, hi: int) -> bool:
        """Whether a problem of period ``[lo, hi)`` is reported: always without ``as_of``, else if it holds then."""
        return not self.as_of_given or self.when is None or lo <= self.when.toordinal() < hi

    @staticmethod
    def span(lo: int, hi: int) -> dict[str, Any]:
        """The ``valid_from``/``valid_to`` columns of a problem holding in ``[lo, hi)``."""
        from ..analysis.ledger import day_text

        return {"valid_from": day_text(lo), "valid_to": day_text(hi)}
