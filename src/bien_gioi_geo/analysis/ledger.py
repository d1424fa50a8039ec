"""The dated ledger of assignments: validity periods, the state on a date, change points, and the timeline sweep.

Rules
    Every assignment row may carry ``valid_from``/``valid_to`` (dates). The period is half-open,
    ``[valid_from, valid_to)``: a row is valid on ``valid_from`` and no longer on ``valid_to``. An empty start means
    "always", an empty end "still valid". A row whose end is not after its start is valid on no date (rule
    ``bad_period``). The same ``assignment_id`` in several rows with disjoint periods is the history of one group's
    stretch (versions), not a duplicate.
As of a date
    :func:`bien_gioi_geo.coverage` and :func:`bien_gioi_geo.validate` take ``as_of=``; without it a dataset that
    has dates is taken as of **today** (:func:`today`, a clock tests can replace), and every result states the
    date it describes. A dataset without any date describes no particular date (``as_of`` is ``None``).
Timeline
    :func:`timeline` resolves every row's stretch once and sweeps the change points in date order, keeping running
    totals (counts, villages, communes, carers of each marker) as rows enter and leave; covered length at each date
    is the union of the rows then valid, computed by the same code as :class:`~bien_gioi_geo.Coverage`, so each
    row of the timeline equals ``coverage(ds, as_of=date).summary()``.

Uses (layer ``analysis``): ``dataset``, ``dates``, ``errors``, ``schema``, ``text``; in ``analysis/``: ``coverage``,
``intervals``, ``validity``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..dataset import Dataset
from ..dates import parse_date
from ..errors import InputError
from ..schema import COUNT_COLUMNS
from ..text import name_key
from . import intervals as iv
from .coverage import Coverage, resolve_intervals
from .validity import (
    NO_END,
    NO_START,
    at,
    change_points,
    day_text,
    default_dates,
    is_dated,
    periods,
    resolve_as_of,
    today,
    valid_at,
)

__all__ = ["today", "parse_date", "periods", "is_dated", "resolve_as_of", "valid_at", "at", "change_points",
           "timeline", "TIMELINE_COLUMNS"]

#: The summary figures a timeline holds, in the order of :meth:`Coverage.summary`.
TIMELINE_COLUMNS = ["covered_km", "official_covered_km", "percent", "markers_self_managed", "markers_unassigned",
                    "assignments", *COUNT_COLUMNS, "line_households", "line_people", "marker_households",
                    "marker_people", "villages", "communes"]



# ----------------------------------------------------------------------------------------------- the sweep
def marker_keys_of_rows(ds: Dataset) -> list[list[str]]:
    """For each assignment row, the keys of the markers it looks after, as :attr:`Coverage.markers` matches them:
    a listed id names the post with that id and every post of the marker with that number, on the row's border
    when it names one.
    """
    m = ds.markers_located
    several = len(ds.borders) > 1
    index: dict[str, list[tuple[str, str]]] = {}
    for mid, number, bid in zip(m["marker_id"].tolist(), m["number"].tolist(), m["border_id"].tolist(), strict=True):
        key = f"{bid}:{number}" if several else number
        for x in dict.fromkeys((mid, number)):
            index.setdefault(x, []).append((bid, key))
    a = ds.assignments
    bids = a["border_id"].astype(object).tolist() if "border_id" in a else [None] * len(a)
    out = []
    for lst, bid in zip(a["markers"].tolist(), bids, strict=True):
        bid = bid if isinstance(bid, str) else None
        keys = {k for x in lst for b, k in index.get(x, []) if bid is None or b == bid}
        out.append(sorted(keys))
    return out


class _Running:
    """Running totals over the valid rows, updated as rows enter and leave."""

    def __init__(self, ds: Dataset) -> None:
        a = ds.assignments
        n = len(a)
        self.active = np.zeros(n, dtype=bool)
        self.counts = {c: (a[c].fillna(0).to_numpy(dtype=np.int64) if c in a else np.zeros(n, dtype=np.int64))
                       for c in COUNT_COLUMNS}
        self.line = (a["stretch_by"] != "none").to_numpy() if n else np.zeros(0, dtype=bool)
        self.mk = (a["markers"].map(len).to_numpy() > 0) if n else np.zeros(0, dtype=bool)
        communes = a["commune"].tolist() if "commune" in a else [None] * n
        villages = a["village"].tolist() if "village" in a else [None] * n
        self.village_key = [(name_key(c), name_key(v)) if isinstance(v, str) else None
                            for c, v in zip(communes, villages, strict=True)]
        self.commune_key = [name_key(c) if isinstance(c, str) else None for c in communes]
        self.marker_keys = marker_keys_of_rows(ds)
        self.all_markers = len(ds.markers_located.groupby(
            [ds.markers_located["border_id"], ds.markers_located["number"]] if len(ds.borders) > 1
            else [ds.markers_located["number"]]).size()) if len(ds.markers_located) else 0
        self.sums = dict.fromkeys([*COUNT_COLUMNS, "line_households", "line_people", "marker_households",
                                   "marker_people", "assignments"], 0)
        self.villages: Counter[Any] = Counter()
        self.communes: Counter[Any] = Counter()
        self.carers: Counter[str] = Counter()

    def toggle(self, i: int, sign: int) -> None:
        self.active[i] = sign > 0
        s = self.sums
        s["assignments"] += sign
        for c in COUNT_COLUMNS:
            s[c] += sign * int(self.counts[c][i])
        if self.line[i]:
            s["line_households"] += sign * int(self.counts["households"][i])
            s["line_people"] += sign * int(self.counts["people"][i])
        if self.mk[i]:
            s["marker_households"] += sign * int(self.counts["households"][i])
            s["marker_people"] += sign * int(self.counts["people"][i])
        for counter, key in ((self.villages, self.village_key[i]), (self.communes, self.commune_key[i])):
            if key is not None:
                counter[key] += sign
                if counter[key] == 0:
                    del counter[key]
        for k in self.marker_keys[i]:
            self.carers[k] += sign
            if self.carers[k] == 0:
                del self.carers[k]


def timeline(dataset: Dataset, dates: Iterable[Any] | None = None, *, freq: str = "YE",
             chainage: str = "measured") -> pd.DataFrame:
    """The summary figures at each of several dates, in one sweep over the change points.

    Parameters
    ----------
    dataset
        The dataset (rows with ``valid_from``/``valid_to``).
    dates
        The dates (anything :func:`parse_date` reads). Default: each period end of ``freq`` from the first to the
        last change point of the data (with ``"YE"``, every 31 December the history covers).
    freq
        A pandas offset alias for the default dates (``"YE"`` year ends, ``"QE"`` quarter ends, ``"ME"``…).
    chainage
        As in :func:`bien_gioi_geo.coverage`.

    Returns
    -------
    pandas.DataFrame
        One row per date (index ``as_of``, a DatetimeIndex, in the order given), columns
        :data:`TIMELINE_COLUMNS`: covered length (km measured and official), percent, markers self-managed and
        without a carer, assignments, the counts, villages, communes — each equal to
        ``coverage(dataset, as_of=date).summary()[column]``. Ready for ``.plot()``.
    """
    if not isinstance(dataset, Dataset):
        raise InputError(f"timeline expects a bien_gioi_geo.Dataset, got {type(dataset).__name__}")
    wanted = default_dates(dataset, freq) if dates is None else [parse_date(d, field="dates") for d in dates]
    a = dataset.assignments
    ivs = resolve_intervals(dataset, chainage=chainage)  # every row, once
    f, t = periods(a)
    enter = np.argsort(f, kind="stable")
    leave = np.argsort(t, kind="stable")
    run = _Running(dataset)
    pe = pl = 0
    rows: dict[dt.date, dict[str, Any]] = {}
    for d in sorted(set(wanted)):
        day = d.toordinal()
        while pe < len(enter) and f[enter[pe]] <= day:  # rows that have started by d
            i = int(enter[pe])
            pe += 1
            if t[i] > day and f[i] < t[i]:
                run.toggle(i, +1)
        while pl < len(leave) and t[leave[pl]] <= day:  # rows that have ended by d
            i = int(leave[pl])
            pl += 1
            if run.active[i]:
                run.toggle(i, -1)
        # lengths by the very code of coverage(), on the rows the sweep holds valid
        cov = Coverage(at(dataset, d, mask=run.active.copy()), ivs[run.active], as_of=d)
        off = cov.official_covered_km
        sm = len(run.carers)
        rows[d] = {"covered_km": cov.covered_km, "official_covered_km": off,  # unrounded, as summary()
                   "percent": cov.percent, "markers_self_managed": sm,
                   "markers_unassigned": run.all_markers - sm, **run.sums,
                   "villages": len(run.villages), "communes": len(run.communes)}
    out = pd.DataFrame([rows[d] for d in wanted], columns=TIMELINE_COLUMNS,
                       index=pd.DatetimeIndex([pd.Timestamp(d) for d in wanted], name="as_of"))
    return out


# ----------------------------------------------------------------------------------------------- over time
def active_periods(starts: ArrayLike, ends: ArrayLike, min_active: int = 2) -> list[tuple[int, int, tuple[int, ...]]]:
    """Elementary periods ``(lo, hi, rows)`` in which at least ``min_active`` of the given periods are valid
    (``rows`` are positions in the input). Consecutive periods with the same rows are merged.

    Examples
    --------
    >>> active_periods([0, 5, 10], [10, 20, 30])
    [(5, 10, (0, 1)), (10, 20, (1, 2))]
    """
    f = np.asarray(starts, dtype=np.int64)
    t = np.asarray(ends, dtype=np.int64)
    bounds = np.unique(np.concatenate([f, t]))
    out: list[tuple[int, int, tuple[int, ...]]] = []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        rows = tuple(np.flatnonzero((f <= lo) & (t >= hi) & (f < t)).tolist())
        if len(rows) < min_active:
            continue
        if out and out[-1][1] == lo and out[-1][2] == rows:
            out[-1] = (out[-1][0], hi, rows)
        else:
            out.append((lo, hi, rows))
    return out


def period_text(lo: int, hi: int) -> str:
    """``"2021-03-01 – 2022-07-01 (end excluded)"``, with "always"/"still valid" for open ends."""
    a = day_text(lo) or "the start of the records"
    b = day_text(hi)
    return f"from {a} until {b} (end excluded)" if b else f"from {a} on (still valid)"


def overlaps_over_time(ivs: pd.DataFrame, f: np.ndarray, t: np.ndarray,
                       ) -> list[tuple[str, float, float, tuple[str, ...], int, int]]:
    """Stretches claimed by two or more rows **valid at the same moment**, each with the period in which they
    overlap: ``(border_id, start_km, end_km, assignment_ids, lo, hi)`` (day numbers, ``hi`` excluded).

    Candidates come from one chainage sweep over every row regardless of date (rows that never overlap in space
    are never compared); each candidate piece is then swept over the dates of its own claimants only. Adjacent
    pieces with the same claimants in the same period are merged, then contiguous periods with the same stretch
    and claimants.
    """
    ivs = ivs.assign(_f=f, _t=t)
    recs: list[tuple[str, float, float, tuple[str, ...], int, int]] = []
    aids = ivs["assignment_id"].tolist()
    for bid, sel in ivs.groupby("border_id", sort=False):
        pos: list[Hashable] = list(range(len(sel)))
        fs, ts = sel["_f"].to_numpy(), sel["_t"].to_numpy()
        ids_here = [aids[k] for k in ivs.index.get_indexer(sel.index)]
        for s, e, claim in iv.overlaps(sel["start_km"].to_numpy(), sel["end_km"].to_numpy(), pos):
            rows = [int(k) for k in claim]  # type: ignore[call-overload]
            for lo, hi, act in active_periods(fs[rows], ts[rows]):
                who = tuple(dict.fromkeys(ids_here[rows[k]] for k in act))
                if len(who) < 2:
                    continue  # versions of one assignment: period_overlap says so
                recs.append((str(bid), s, e, who, lo, hi))
    recs.sort(key=lambda r: (r[0], r[3], r[4], r[5], r[1]))
    merged: list[tuple[str, float, float, tuple[str, ...], int, int]] = []
    for r in recs:  # along the line
        p = merged[-1] if merged else None
        if p and (p[0], p[3], p[4], p[5]) == (r[0], r[3], r[4], r[5]) and p[2] == r[1]:
            merged[-1] = (p[0], p[1], r[2], p[3], p[4], p[5])
        else:
            merged.append(r)
    merged.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    out: list[tuple[str, float, float, tuple[str, ...], int, int]] = []
    for r in merged:  # over time
        p = out[-1] if out else None
        if p and p[:4] == r[:4] and p[5] == r[4]:
            out[-1] = (*p[:5], r[5])
        else:
            out.append(r)
    return out


def carers_over_time(ds: Dataset, f: np.ndarray, t: np.ndarray) -> list[tuple[str, tuple[str, ...], int, int]]:
    """Markers looked after by two or more assignments at the same moment: ``(marker_key, assignment_ids, lo,
    hi)``.
    """
    by_key: dict[str, list[int]] = {}
    for i, keys in enumerate(marker_keys_of_rows(ds)):
        for k in keys:
            by_key.setdefault(k, []).append(i)
    aids = ds.assignments["assignment_id"].tolist()
    out: list[tuple[str, tuple[str, ...], int, int]] = []
    for key, rows in by_key.items():
        if len({aids[i] for i in rows}) < 2:
            continue
        last: tuple[str, tuple[str, ...], int, int] | None = None
        for lo, hi, act in active_periods(f[rows], t[rows]):
            who = tuple(dict.fromkeys(aids[rows[k]] for k in act))
            if len(who) < 2:
                continue
            if last is not None and last[1] == who and last[3] == lo:
                last = (key, who, last[2], hi)
                out[-1] = last
            else:
                last = (key, who, lo, hi)
                out.append(last)
    return out


def version_problems(assignments: pd.DataFrame, f: np.ndarray, t: np.ndarray,
                     ) -> tuple[list[tuple[Any, int, int]], list[tuple[str, Any, Any, int, int]], list[str]]:
    """Rows whose period ends before it starts (``bad_period``: ``(index, from, to)``), versions of one
    assignment valid at the same time (``period_overlap``: ``(assignment_id, index1, index2, lo, hi)``), and ids
    used by several rows none of which carries a date (plain ``duplicate_id``).
    """
    idx = assignments.index.tolist()
    bad = [(idx[i], int(f[i]), int(t[i])) for i in np.flatnonzero(t <= f).tolist()]
    groups: dict[str, list[int]] = {}
    for i, aid in enumerate(assignments["assignment_id"].tolist()):
        groups.setdefault(aid, []).append(i)
    both, dup = [], []
    for aid, rows in groups.items():
        if len(rows) < 2:
            continue
        if all(f[i] == NO_START and t[i] == NO_END for i in rows):
            dup.append(aid)
            continue
        rows = sorted(rows, key=lambda i: (f[i], t[i]))
        for k, i in enumerate(rows):
            for j in rows[k + 1:]:
                if f[j] >= t[i]:
                    break
                lo, hi = max(f[i], f[j]), min(t[i], t[j])
                if lo < hi and f[i] < t[i] and f[j] < t[j]:
                    both.append((aid, idx[i], idx[j], int(lo), int(hi)))
    return bad, both, dup
