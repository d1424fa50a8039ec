"""Change over a period: what was looked after on one date and on another, what was gained and lost, where and by
whom, which assignments joined or left and which markers found or lost a carer.

Lengths gained and lost are differences of the two unions, computed on chainage numbers like coverage itself
(:mod:`bien_gioi_geo.analysis.intervals`): ``after - before == gained - lost`` holds to rounding.

Uses (layer ``analysis``): ``dataset``, ``dates``, ``errors``, ``formatting``, ``labels``; in ``analysis/``:
``coverage``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..errors import InputError
from .coverage import Coverage, coverage

__all__ = ["compare", "Comparison", "COMPARE_FIGURES", "difference"]

#: The figures of :meth:`Comparison.summary`, in order.
COMPARE_FIGURES = ["covered_km", "official_covered_km", "percent", "markers_self_managed", "households", "people",
                   "collectives", "individuals", "villages", "communes", "assignments"]


def difference(a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The parts of the disjoint sorted pieces ``a`` that the disjoint sorted pieces ``b`` do not cover.

    Examples
    --------
    >>> difference(np.array([0.0, 5.0]), np.array([3.0, 8.0]), np.array([1.0]), np.array([6.0]))
    (array([0., 6.]), array([1., 8.]))
    """
    out_s: list[float] = []
    out_e: list[float] = []
    j = 0
    for s, e in zip(np.asarray(a_s, dtype=float).tolist(), np.asarray(a_e, dtype=float).tolist(), strict=True):
        cur = s
        while j < len(b_s) and b_e[j] <= cur:
            j += 1
        k = j
        while k < len(b_s) and b_s[k] < e:
            if b_s[k] > cur:
                out_s.append(cur)
                out_e.append(float(b_s[k]))
            cur = max(cur, float(b_e[k]))
            if cur >= e:
                break
            k += 1
        if cur < e:
            out_s.append(cur)
            out_e.append(e)
    return np.array(out_s, dtype=float), np.array(out_e, dtype=float)


class Comparison:
    """The result of :func:`compare`: two coverages (:attr:`before`, :attr:`after`) and what changed between."""

    def __init__(self, before: Coverage, after: Coverage) -> None:
        self.before = before
        self.after = after

    @property
    def dates(self) -> tuple[Any, Any]:
        """The two dates compared."""
        return self.before.as_of, self.after.as_of

    def summary(self) -> pd.DataFrame:
        """One row per figure (:data:`COMPARE_FIGURES`) with columns ``before``, ``after``, ``change``."""
        b, a = self.before.summary(), self.after.summary()
        rows = []
        for k in COMPARE_FIGURES:
            x, y = b.get(k), a.get(k)
            ch = None if x is None or y is None else round(y - x, 3) if isinstance(x, float) else y - x
            rows.append({"figure": k, "before": x, "after": y, "change": ch})
        return pd.DataFrame(rows).set_index("figure")

    def summary_table(self, lang: str = "vi") -> pd.DataFrame:
        """:meth:`summary` for readers: figure names, headers naming the dates, numbers as text in the format of
        ``lang`` (``"vi"``: ``97,229``; ``"en"``: ``97.229``).
        """
        from ..formatting import format_number
        from ..labels import label

        s = self.summary()
        d0, d1 = (_date_text(d, lang) for d in self.dates)

        def fmt(k: str, v: Any) -> str:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                return "–"
            return format_number(v, decimals=3 if k.endswith("_km") else 2 if k == "percent" else 0, lang=lang)

        return pd.DataFrame({label("figure", lang): [label(k, lang) for k in s.index],
                             **{col: [fmt(k, v) for k, v in zip(s.index, s[key], strict=True)]
                                for col, key in ((d0, "before"), (d1, "after"), (label("change", lang), "change"))}})

    def _changed(self, gain: bool) -> gpd.GeoDataFrame:
        new, old = (self.after, self.before) if gain else (self.before, self.after)
        rows = []
        ivs = new.intervals
        a = new.dataset.assignments
        for bid in new.dataset.borders:
            ns, ne = new.union_km[bid]
            os_, oe = old.union_km.get(bid, (np.empty(0), np.empty(0)))
            ds_, de = difference(ns, ne, os_, oe)
            sel = ivs[(ivs["border_id"] == bid) & ivs["start_km"].notna()]
            st, en = sel["start_km"].to_numpy(), sel["end_km"].to_numpy()
            for s, e in zip(ds_.tolist(), de.tolist(), strict=True):
                if e <= s:
                    continue
                hit = sel.index[(st < e) & (en > s)]
                who = a.loc[hit]
                rows.append({"border_id": bid, "start_km": s, "end_km": e,
                             "assignment_ids": list(dict.fromkeys(who["assignment_id"].tolist())),
                             "villages": list(dict.fromkeys(who["village"].dropna().tolist()))
                             if "village" in who else [],
                             "communes": list(dict.fromkeys(who["commune"].dropna().tolist()))
                             if "commune" in who else []})
        if not rows:
            f = new.stretch_frame([])
            for c in ("assignment_ids", "villages", "communes"):
                f.insert(len(f.columns) - 1, c, pd.Series(dtype=object))
            return f
        return new.stretch_frame(rows)

    @cached_property
    def gained(self) -> gpd.GeoDataFrame:
        """Stretches looked after on the later date and not on the earlier one: chainage, length (measured and
        official), nearest markers, the ``assignment_ids``, ``villages`` and ``communes`` that hold them, geometry.
        """
        return self._changed(True)

    @cached_property
    def lost(self) -> gpd.GeoDataFrame:
        """Stretches looked after on the earlier date and no longer on the later one, with who held them then."""
        return self._changed(False)

    def by(self, column: str) -> pd.DataFrame:
        """Covered km before and after per value of an assignment column (``"commune"``, ``"village"``…):
        columns ``km_before``, ``km_after``, ``km_change`` and the same in official km.
        """
        parts = []
        for cov, when in ((self.before, "before"), (self.after, "after")):
            if column not in cov.dataset.assignments.columns:
                raise InputError(f"assignments have no column {column!r}")
            t = cov.by(column)[["covered_km", "official_km"]] if len(cov.dataset.assignments) else \
                pd.DataFrame(columns=["covered_km", "official_km"])
            parts.append(t.rename(columns={"covered_km": f"km_{when}", "official_km": f"official_km_{when}"}))
        df = parts[0].join(parts[1], how="outer").astype(float).fillna(0.0)
        df["km_change"] = df["km_after"] - df["km_before"]
        df["official_km_change"] = df["official_km_after"] - df["official_km_before"]
        df.index.name = column
        return df[["km_before", "km_after", "km_change", "official_km_before", "official_km_after",
                   "official_km_change"]]

    def _ids(self, cov: Coverage) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for i, aid in zip(cov.dataset.assignments.index.tolist(), cov.dataset.assignments["assignment_id"].tolist(),
                          strict=True):
            out.setdefault(aid, []).append(i)
        return out

    @property
    def joined(self) -> gpd.GeoDataFrame:
        """Assignment rows valid on the later date whose ``assignment_id`` was not valid on the earlier one."""
        old = self._ids(self.before)
        a = self.after.dataset.assignments
        return a[~a["assignment_id"].isin(list(old))]

    @property
    def left(self) -> gpd.GeoDataFrame:
        """Assignment rows valid on the earlier date whose ``assignment_id`` is no longer valid on the later one."""
        new = self._ids(self.after)
        a = self.before.dataset.assignments
        return a[~a["assignment_id"].isin(list(new))]

    @property
    def changed(self) -> gpd.GeoDataFrame:
        """Rows valid on the later date of assignments valid on both dates under another version (row)."""
        old, new = self._ids(self.before), self._ids(self.after)
        keep = [i for aid, rows in new.items() if aid in old and set(rows) != set(old[aid]) for i in rows]
        return self.after.dataset.assignments.loc[keep]

    def _markers(self, found: bool) -> pd.DataFrame:
        b = self.before.marker_numbers["self_managed"]
        a = self.after.marker_numbers
        was = b.reindex(a.index).fillna(False).astype(bool)
        sel = (a["self_managed"] & ~was) if found else (~a["self_managed"] & was)
        out = a[sel].copy()
        if not found:
            out["carers"] = self.before.marker_numbers.loc[out.index, "carers"]
        return out

    @property
    def markers_found(self) -> pd.DataFrame:
        """Markers without a carer on the earlier date that have one on the later date (carers: the later ones)."""
        return self._markers(True)

    @property
    def markers_lost(self) -> pd.DataFrame:
        """Markers looked after on the earlier date and by nobody on the later date (carers: the earlier ones)."""
        return self._markers(False)

    def __repr__(self) -> str:
        b, a = self.before.summary(), self.after.summary()
        return (f"<Comparison {b['as_of']} → {a['as_of']}: {b['covered_km']:.3f} → {a['covered_km']:.3f} km "
                f"(gained {self.gained['length_km'].sum():.3f}, lost {self.lost['length_km'].sum():.3f}); markers "
                f"self-managed {b['markers_self_managed']} → {a['markers_self_managed']}>")


def _date_text(d: Any, lang: str) -> str:
    from ..formatting import format_date

    return "—" if d is None else format_date(d, lang=lang)


def compare(dataset: Dataset, before: Any, after: Any, *, chainage: str = "measured") -> Comparison:
    """Compare the dataset on two dates.

    Parameters
    ----------
    dataset
        A dataset whose assignment rows carry ``valid_from``/``valid_to``.
    before, after
        The two dates (``"2019-12-31"``, ``"31/12/2019"``, a date); ``after`` must be later than ``before``.
    chainage
        As in :func:`bien_gioi_geo.coverage`.

    Returns
    -------
    Comparison
        ``summary()``, ``gained``, ``lost``, ``by(column)``, ``joined``, ``left``, ``changed``,
        ``markers_found``, ``markers_lost``.
    """
    if not isinstance(dataset, Dataset):
        raise InputError(f"compare expects a bien_gioi_geo.Dataset, got {type(dataset).__name__}")
    if before is None or after is None:
        raise InputError(f"compare needs two dates, got before={before!r}, after={after!r}")
    from ..dates import parse_date

    d0, d1 = parse_date(before, field="before"), parse_date(after, field="after")
    if d1 <= d0:
        raise InputError(f"compare: the second date ({after!r}) must be later than the first ({before!r}); give the "
                         "earlier date first, e.g. compare(ds, '2019-12-31', '2024-12-31')")
    return Comparison(coverage(dataset, as_of=before, chainage=chainage),
                      coverage(dataset, as_of=after, chainage=chainage))
