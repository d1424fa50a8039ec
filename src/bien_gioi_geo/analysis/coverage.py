"""Coverage: how much of the border self-management groups look after, by whom, and which markers have a carer.

Every assignment resolves to a chainage interval on its border (:mod:`.resolve`, where the three ways an
assignment can be given are read).

Covered length is the length of the **union** of the intervals (never the sum), computed on chainage numbers
(:mod:`bien_gioi_geo.analysis.intervals`). A reversed interval is swapped and an interval beyond the ends is clipped for
the union — and both are reported by :func:`bien_gioi_geo.validate`, never silently.

Uses (layer ``analysis``): ``crs``, ``dataset``, ``deprecation``, ``errors``, ``labels``, ``schema``, ``text``; in
``analysis/``: ``intervals``, ``resolve``, ``units``, ``validity``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..crs import WGS84
from ..dataset import Dataset
from ..deprecation import renamed
from ..errors import InputError, OptionError, check_option
from ..schema import COUNT_COLUMNS, parse_marker_id
from ..text import name_key
from . import intervals as iv
from .resolve import resolve_intervals
from .units import units_for_date
from .validity import at, resolve_as_of

__all__ = ["coverage", "Coverage", "resolve_intervals"]


class Coverage:
    """The result of :func:`coverage`. Lengths are km; ``*_km`` measured (geodesic), ``official_*`` calibrated."""

    def __init__(self, ds: Dataset, intervals: pd.DataFrame, *, as_of: dt.date | None = None,
                 min_length_m: float = 1.0) -> None:
        self.dataset = ds
        self.intervals = intervals
        #: The date this coverage describes (None for a dataset without dates); see :mod:`.validity`.
        self.as_of = as_of
        #: Gaps and overlaps shorter than this (m) are not counted: by the summary, the tables, validation, maps.
        self.min_length_m = float(min_length_m)

    # ------------------------------------------------------------------ lengths
    def _union_by_border(self, mask: np.ndarray | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The union of the (masked) intervals on each border, as sorted disjoint ``(starts, ends)`` in km."""
        df = self.intervals if mask is None else self.intervals[mask]
        out = {}
        for bid in self.dataset.borders:
            sel = df[df["border_id"] == bid]
            out[bid] = iv.union(sel["start_km"].to_numpy(), sel["end_km"].to_numpy())
        return out

    @cached_property
    def _union(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return self._union_by_border()

    @property
    def union_km(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The covered stretches of each border: ``{border_id: (starts, ends)}``, sorted and disjoint, measured km."""
        return self._union

    @property
    def total_km(self) -> float:
        """Geodesic length of the border(s), km."""
        return self.dataset.total_km

    @property
    def covered_km(self) -> float:
        """Length of the union of all resolved stretches, km (measured)."""
        return float(sum((e - s).sum() for s, e in self._union.values()))

    def _official(self, pieces: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> float | None:
        total = 0.0
        for bid, (s, e) in pieces.items():
            b = self.dataset.borders[bid]
            if b.calibration is None:
                return None
            total += float((np.asarray(b.to_official(e)) - np.asarray(b.to_official(s))).sum()) if len(s) else 0.0
        return total

    @property
    def official_total_km(self) -> float | None:
        """Official length of the border(s), when every border has one."""
        vals = [b.official_length_km for b in self.dataset.borders.values()]
        return None if any(v is None for v in vals) else float(sum(vals))  # type: ignore[arg-type]

    @property
    def official_covered_km(self) -> float | None:
        """Covered length in official (calibrated) km, when every border is calibrated."""
        return self._official(self._union)

    @property
    def percent(self) -> float:
        """Covered share of the measured length, %."""
        return 100.0 * self.covered_km / self.total_km if self.total_km else float("nan")

    # ------------------------------------------------------------------ gaps & overlaps
    @cached_property
    def _marker_chainages(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per border: marker numbers' mean chainages, sorted, and the numbers."""
        m = self.dataset.markers_located
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if m.empty:
            return out
        g = m.groupby(["border_id", "number"], sort=False)["chainage_km"].mean().reset_index()
        for bid, rows in g.groupby("border_id", sort=False):
            rows = rows[np.isfinite(rows["chainage_km"])].sort_values("chainage_km")
            out[str(bid)] = (rows["chainage_km"].to_numpy(), rows["number"].to_numpy(dtype=object))
        return out

    def _markers_near(self, bid: str, km: np.ndarray) -> np.ndarray:
        """The marker number nearest to each chainage on border ``bid`` (None without markers)."""
        km = np.asarray(km, dtype=float)
        ch, numbers = self._marker_chainages.get(bid, (np.empty(0), np.empty(0, dtype=object)))
        if len(ch) == 0:
            return np.full(len(km), None, dtype=object)
        j = np.clip(np.searchsorted(ch, km), 1, len(ch) - 1) if len(ch) > 1 else np.zeros(len(km), dtype=int)
        if len(ch) > 1:
            j = np.where(np.abs(ch[j - 1] - km) <= np.abs(ch[j] - km), j - 1, j)
        return numbers[j]

    def stretch_frame(self, rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
        """Stretches of this dataset's borders as a GeoDataFrame laid out like :attr:`gaps`.

        Each row of ``rows`` gives ``border_id``, ``start_km`` and ``end_km`` (measured chainage, km) and any further
        columns; the frame adds the length, the official chainage (when the border is calibrated), the markers nearest
        the ends and the geometry cut from the border. Used by :func:`bien_gioi_geo.compare` and the patrols.
        """
        cols = ["border_id", "start_km", "end_km", "length_km", "official_start_km", "official_end_km",
                "official_length_km", "from_marker_near", "to_marker_near"]
        extra = [c for c in (rows[0] if rows else {}) if c not in cols and c != "geometry"]
        df = pd.DataFrame(rows, columns=["border_id", "start_km", "end_km", *extra])
        df["start_km"] = df["start_km"].astype(float)
        df["end_km"] = df["end_km"].astype(float)
        df["length_km"] = df["end_km"] - df["start_km"]
        for c in ("official_start_km", "official_end_km", "official_length_km"):
            df[c] = np.nan
        df["from_marker_near"] = pd.Series(dtype=object)
        df["to_marker_near"] = pd.Series(dtype=object)
        geoms = np.full(len(df), None, dtype=object)
        for bid, sel in df.groupby("border_id", sort=False).groups.items():
            b = self.dataset.borders[bid]
            pos = df.index.get_indexer(sel)
            s0 = df["start_km"].to_numpy()[pos]
            s1 = df["end_km"].to_numpy()[pos]
            if b.calibration is not None:
                df.loc[sel, "official_start_km"] = np.atleast_1d(b.to_official(s0))
                df.loc[sel, "official_end_km"] = np.atleast_1d(b.to_official(s1))
            df.loc[sel, "from_marker_near"] = self._markers_near(bid, s0)
            df.loc[sel, "to_marker_near"] = self._markers_near(bid, s1)
            geoms[pos] = list(b.cut(s0, s1).values)
        df["official_length_km"] = df["official_end_km"] - df["official_start_km"]
        return gpd.GeoDataFrame(df[[*cols, *extra]], geometry=gpd.GeoSeries(geoms, index=df.index, crs=WGS84),
                                crs=WGS84)

    @cached_property
    def gaps(self) -> gpd.GeoDataFrame:
        """Stretches nobody looks after, at least :attr:`min_length_m` long: chainage, length, official chainage,
        the markers nearest their ends and the geometry.
        """
        rows = []
        for bid, b in self.dataset.borders.items():
            sel = self.intervals[self.intervals["border_id"] == bid]
            gs, ge = iv.gaps(sel["start_km"].to_numpy(), sel["end_km"].to_numpy(), 0.0, b.length_km)
            rows += [{"border_id": bid, "start_km": float(s), "end_km": float(e)} for s, e in zip(gs, ge, strict=True)
                     if (e - s) * 1000 >= self.min_length_m]
        return self.stretch_frame(rows)

    @cached_property
    def overlaps(self) -> gpd.GeoDataFrame:
        """Stretches claimed by two or more assignments, at least :attr:`min_length_m` long, with the
        ``assignment_ids`` claiming each.
        """
        rows = []
        for bid in self.dataset.borders:
            sel = self.intervals[self.intervals["border_id"] == bid]
            for s, e, ids in iv.overlaps(sel["start_km"].to_numpy(), sel["end_km"].to_numpy(),
                                         sel["assignment_id"].tolist()):
                if (e - s) * 1000 < self.min_length_m:
                    continue
                rows.append({"border_id": bid, "start_km": s, "end_km": e, "assignment_ids": list(ids),
                             "n_assignments": len(ids)})
        if not rows:
            f = self.stretch_frame([])
            f.insert(len(f.columns) - 1, "assignment_ids", pd.Series(dtype=object))
            f.insert(len(f.columns) - 1, "n_assignments", pd.Series(dtype="int64"))
            return f
        return self.stretch_frame(rows)

    # ------------------------------------------------------------------ groups
    def by(self, column: str) -> pd.DataFrame:
        """Totals per value of an assignment column (``"commune"``, ``"village"``, ``"group_type"``…).

        ``covered_km`` is the union of that group's own stretches (so a group's overlapping rows are not
        double-counted); ``assignments`` counts rows; counts are sums of the rows' counts; ``markers`` counts
        marker numbers named in the group's ``markers`` lists.
        """
        a = self.dataset.assignments
        if column not in a.columns:
            hint = " (run bg.admin.to_current(ds) first)" if column.endswith(("_current", "_report")) else ""
            raise InputError(f"assignments have no column {column!r}{hint}; columns: {', '.join(map(str, a.columns))}")
        keys = a[column].astype(object).where(a[column].notna(), "(none)")
        if a[column].map(lambda v: isinstance(v, (list, tuple, set, dict, np.ndarray))).any():
            raise InputError(f"coverage by {column!r}: the column holds lists (several values in one row); "
                             "choose a column with one value per row, e.g. commune, village or group_type")
        out = []
        for key, idx in keys.groupby(keys, sort=True).groups.items():
            pieces = self._union_by_border(self.intervals.index.isin(idx))
            km = float(sum((e - s).sum() for s, e in pieces.values()))
            off = self._official(pieces)
            rows_a = a.loc[idx]
            markers = {parse_marker_id(x).number for lst in rows_a["markers"] for x in lst}
            rec = {column: key, "assignments": len(idx), "covered_km": km,
                   "official_km": off if off is not None else np.nan,
                   "percent": 100.0 * km / self.total_km if self.total_km else np.nan, "markers": len(markers)}
            for c in COUNT_COLUMNS:
                rec[c] = int(rows_a[c].fillna(0).sum()) if c in rows_a else 0
            if column != "village" and "village" in rows_a:
                rec["villages"] = len({name_key(v) for v in rows_a["village"].dropna()})
            out.append(rec)
        return pd.DataFrame(out).set_index(column)

    # ------------------------------------------------------------------ markers
    @cached_property
    def marker_posts(self) -> gpd.GeoDataFrame:
        """One row per marker post (``markers`` before; one row per marker is :attr:`marker_numbers`) with its
        location on the line and who looks after it (``carers``: the assignment ids whose ``markers`` list names
        the post or its marker number). An assignment with a ``border_id`` names markers of that border only
        (marker numbers repeat from one border to the next).
        """
        m = self.dataset.markers_located.copy()
        a = self.dataset.assignments
        by_id: dict[tuple[str | None, str], list[str]] = {}
        bids = a["border_id"].astype(object).tolist() if "border_id" in a else [None] * len(a)
        for aid, lst, bid in zip(a["assignment_id"].tolist(), a["markers"].tolist(), bids, strict=True):
            bid = bid if isinstance(bid, str) else None
            for x in dict.fromkeys(lst):
                by_id.setdefault((bid, x), []).append(aid)
        carers = []
        for mid, number, bid in zip(m["marker_id"].tolist(), m["number"].tolist(), m["border_id"].tolist(),
                                    strict=True):
            keys = [(None, mid), (bid, mid)] + ([(None, number), (bid, number)] if mid != number else [])
            carers.append(list(dict.fromkeys(x for k in keys for x in by_id.get(k, []))))
        m["carers"] = carers
        m["n_carers"] = [len(c) for c in carers]
        m["self_managed"] = m["n_carers"] > 0
        # the key of the marker a post belongs to: its number, prefixed by the border when there are several
        # (marker numbers restart on each border)
        if len(self.dataset.borders) > 1:
            m["marker_key"] = [f"{b}:{n}" for b, n in zip(m["border_id"].tolist(), m["number"].tolist(), strict=True)]
        else:
            m["marker_key"] = m["number"]
        return m

    @cached_property
    def marker_numbers(self) -> pd.DataFrame:
        """One row per marker: number, border, kind, emplacing side, posts, mean chainage, carers (union over its
        posts). Indexed by the marker number, or by ``border_id:number`` when the dataset has several borders.
        """
        m = self.marker_posts
        if m.empty:
            return pd.DataFrame(columns=["number", "border_id", "kind", "emplaced_by", "posts", "chainage_km",
                                         "main_number", "aux", "carers", "n_carers", "self_managed"])
        g = m.groupby("marker_key", sort=False)
        df = pd.DataFrame({
            "number": g["number"].first(),
            "border_id": g["border_id"].first(),
            "kind": g["kind"].first(),
            "emplaced_by": g["emplaced_by"].first(),
            "posts": g.size(),
            "chainage_km": g["chainage_km"].mean(),
            "main_number": g["main_number"].first(),
            "aux": g["aux"].first(),
        })
        carers: dict[str, dict[str, None]] = {}
        for key, lst in zip(m["marker_key"].tolist(), m["carers"].tolist(), strict=True):
            carers.setdefault(key, {}).update(dict.fromkeys(lst))
        df["carers"] = [list(carers[n]) for n in df.index]
        df["n_carers"] = df["carers"].map(len)
        df["self_managed"] = df["n_carers"] > 0
        df.index.name = "marker"
        return df.sort_values(["border_id", "main_number", "aux"])

    markers = renamed("markers", "marker_posts", " (one row per marker post; one row per marker: marker_numbers)")

    # ------------------------------------------------------------------ summary
    def summary(self) -> dict[str, Any]:
        """The figures in the shape the seeds report them (see the README), unrounded (km as computed); round
        only to show them (:meth:`summary_table`, :mod:`bien_gioi_geo.formatting`). Computed once per coverage.
        """
        return dict(self._summary)

    @cached_property
    def _summary(self) -> dict[str, Any]:
        a = self.dataset.assignments
        mn = self.marker_numbers
        counts = {c: int(a[c].fillna(0).sum()) if c in a and len(a) else 0 for c in COUNT_COLUMNS}
        villages = {(name_key(c), name_key(v)) for c, v in zip(a.get("commune", []), a.get("village", []),
                                                                strict=True) if isinstance(v, str)}
        communes = {name_key(c) for c in a.get("commune", []) if isinstance(c, str)}
        official_total = self.official_total_km
        off_cov = self.official_covered_km
        return {
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "covered_km": self.covered_km,
            "total_km": self.total_km,
            "official_km": official_total,
            "official_covered_km": off_cov,
            "percent": self.percent,
            "gaps": len(self.gaps),
            "gap_km": float(self.gaps["length_km"].sum()),
            "overlaps": len(self.overlaps),
            "overlap_km": float(self.overlaps["length_km"].sum()),
            "markers_total": len(mn),
            "marker_posts": len(self.marker_posts),
            "markers_by_kind": {k: int(v) for k, v in mn["kind"].value_counts().sort_index().items()},
            "markers_by_emplaced_by": {k: int(v) for k, v in mn["emplaced_by"].value_counts().sort_index().items()},
            "markers_self_managed": int(mn["self_managed"].sum()) if len(mn) else 0,
            "markers_unassigned": int((~mn["self_managed"]).sum()) if len(mn) else 0,
            "assignments": len(a),
            **counts,
            **self._split_counts(),
            "villages": len(villages),
            "communes": len(communes),
            "chainage": "; ".join(b.chainage_note for b in self.dataset.borders.values()),
        }

    def _split_counts(self) -> dict[str, int]:
        """Households and people of the rows that look after a stretch of line, and of the rows that look after
        markers (a row doing both counts in both), as the provincial reports give them.
        """
        a = self.dataset.assignments
        if a.empty:
            return {"line_households": 0, "line_people": 0, "marker_households": 0, "marker_people": 0}
        line = (a["stretch_by"] != "none").to_numpy()
        mk = a["markers"].map(len).to_numpy() > 0

        def total(col: str, sel: np.ndarray) -> int:
            return int(a.loc[sel, col].fillna(0).sum()) if col in a else 0

        return {"line_households": total("households", line), "line_people": total("people", line),
                "marker_households": total("households", mk), "marker_people": total("people", mk)}

    def summary_table(self, lang: str = "vi") -> pd.DataFrame:
        """The summary as a two-column table for a reader: labels and figures written in ``lang`` (``"vi"``, the
        default, or ``"en"``): ``97,229`` km, ``16.010`` households, categories translated.
        """
        from ..labels import summary_rows

        return summary_rows(self.summary(), lang=lang)

    def __repr__(self) -> str:
        s = self.summary()
        off = f" (official {s['official_covered_km']:.3f} of {s['official_km']:.3f} km)" \
            if s["official_km"] is not None and s["official_covered_km"] is not None else ""
        when = f" as of {s['as_of']}" if s["as_of"] else ""
        return (f"<Coverage{when}: {s['covered_km']:.3f} of {s['total_km']:.3f} km measured "
                f"({s['percent']:.1f} %){off}; "
                f"{s['gaps']} gap(s), {s['overlaps']} overlap(s); markers {s['markers_self_managed']} of "
                f"{s['markers_total']} self-managed>")

    def _repr_html_(self) -> str:
        return self.summary_table().to_html(index=False)


def coverage(dataset: Dataset, *, chainage: str = "measured", as_of: Any = None,
             min_length_m: float = 1.0, admin: str = "auto") -> Coverage:
    """Compute coverage of the border by the dataset's assignments.

    Parameters
    ----------
    dataset
        The dataset.
    chainage
        How ``start_km``/``end_km`` columns are read: ``"measured"`` (geodesic km along the drawn line, default)
        or ``"official"`` (calibrated km; needs ``official_length_km`` or a calibrated border).
    as_of
        The date to describe (``"2024-12-31"``, ``"31/12/2024"``, a date): only the rows valid on it count. Default:
        today for a dataset with ``valid_from``/``valid_to`` dates (see :mod:`bien_gioi_geo.analysis.ledger`).
    min_length_m
        Gaps and overlaps shorter than this are not counted (default 1 m): one minimum for the summary, the
        tables, :func:`~bien_gioi_geo.validate` and the maps, which all read this coverage.
    admin
        Which administrative units the rows are reported under, for a dataset that went through
        :func:`bien_gioi_geo.admin.to_current` (:func:`bien_gioi_geo.admin.units_for_date` adds
        ``commune_report``/``province_report``; ``dataset.meta["admin_units"]`` says which set):
        ``"auto"`` (default: rows valid before 1 July 2025 under the units of their time, the others under the
        current ones), ``"recorded"`` or ``"current"``. Other datasets are left as they are (``"auto"``) or
        refused.

    Returns
    -------
    Coverage
        With ``covered_km``, ``total_km``, ``gaps``, ``overlaps``, ``by(column)``, ``markers``, ``summary()``.
    """
    if not isinstance(dataset, Dataset):
        raise InputError(f"coverage expects a bien_gioi_geo.Dataset, got {type(dataset).__name__}")
    check_option("admin", admin, ("auto", "recorded", "current"))
    when = resolve_as_of(dataset, as_of)
    a = dataset.assignments
    if "commune_current" in a and (admin != "auto" or "commune_report" not in a):  # (keep a choice made earlier)
        dataset = units_for_date(dataset, as_of=None if as_of is None else when, admin=admin)
    elif admin != "auto":
        raise OptionError(f"admin={admin!r} needs current administrative units: run bg.admin.to_current on the "
                          "dataset first")
    ds = at(dataset, when)
    if not (isinstance(min_length_m, (int, float)) and min_length_m >= 0):
        raise OptionError(f"min_length_m must be a length in metres, 0 or more, not {min_length_m!r}")
    return Coverage(ds, resolve_intervals(ds, chainage=chainage), as_of=when, min_length_m=float(min_length_m))
