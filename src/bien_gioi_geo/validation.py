"""Validation: every problem in the data as one row of one issues table.

:func:`validate` runs every rule and collects every problem; it never stops at the first and never changes the
data. Each row has ``rule``, ``severity`` (``error``/``warning``), ``message`` (naming ids and values),
``assignment_ids``, ``marker_ids``, ``border_id``, ``start_km``/``end_km`` and a ``geometry`` to show on a map.

Rules (ids as in the table)
    ``gap``, ``overlap``, ``unknown_marker``, ``reversed_range``, ``out_of_range``, ``unresolved_stretch``,
    ``assignment_off_line``, ``marker_off_line``, ``marker_unassigned``, ``marker_assigned_twice``,
    ``marker_post_mismatch``, ``marker_order``, ``duplicate_id``, ``suspect_datum``, ``swapped_coordinates``,
    ``name_variant``, ``bad_counts``, ``length_mismatch``, and ``read_error`` for rows a lenient reader could not
    read (see :func:`bien_gioi_geo.read_dataset` with ``errors="collect"``).
Over time (rows with ``valid_from``/``valid_to``, see :mod:`bien_gioi_geo.ledger`)
    ``overlap`` and ``marker_assigned_twice`` are found only among rows valid at the same moment, at every moment
    the set of valid rows changes, and give the period (``valid_from``/``valid_to`` of the issue) in which they
    hold; ``bad_period`` and ``period_overlap`` check the periods themselves; ``gap`` and ``marker_unassigned``
    describe the state on ``as_of`` (default today).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .coverage import Coverage, coverage, resolve_intervals
from .crs import VN2000, WGS84, to_wgs84
from .dataset import Dataset
from .schema import POSTS_BY_KIND, parse_marker_id
from .text import name_key

__all__ = ["validate", "RULES", "ISSUE_COLUMNS"]

ISSUE_COLUMNS = ["rule", "severity", "message", "assignment_ids", "marker_ids", "border_id", "start_km", "end_km",
                 "valid_from", "valid_to", "geometry"]

RULES = {
    "gap": "a stretch of border nobody looks after",
    "overlap": "a stretch claimed by two or more assignments",
    "unknown_marker": "an assignment names a marker that is not in the markers table",
    "reversed_range": "an assignment's stretch runs against the border's direction (start after end)",
    "out_of_range": "an assignment's stretch reaches beyond the ends of the border",
    "unresolved_stretch": "an assignment's stretch could not be placed on a border",
    "assignment_off_line": "a drawn stretch lies farther from the border than the tolerance",
    "marker_off_line": "a marker post stands farther from the border line than the tolerance",
    "marker_unassigned": "a marker nobody looks after",
    "marker_assigned_twice": "a marker two or more assignments look after",
    "marker_post_mismatch": "a double marker without two posts, a triple without three, or posts far apart",
    "marker_order": "marker numbers that do not increase along the border",
    "duplicate_id": "two rows with the same assignment_id or marker_id",
    "suspect_datum": "a marker that fits the line after the VN-2000 → WGS 84 shift (VN-2000 read as WGS 84?)",
    "swapped_coordinates": "a marker whose latitude and longitude seem swapped",
    "name_variant": "one village or commune spelled in two ways (Unicode form, case, spacing)",
    "bad_counts": "negative counts, or more households than people",
    "length_mismatch": "an assignment's declared length differs from its measured length",
    "read_error": "a row a reader could not read (lenient mode)",
    "bad_period": "an assignment whose valid_to is not after its valid_from",
    "period_overlap": "two versions (rows) of one assignment valid at the same time",
}


class _Issues:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, rule: str, severity: str, message: str, *, assignment_ids: list[str] | None = None,
            marker_ids: list[str] | None = None, border_id: str | None = None, start_km: float = np.nan,
            end_km: float = np.nan, geometry: Any = None, valid_from: str | None = None,
            valid_to: str | None = None) -> None:
        assert rule in RULES, rule
        self.rows.append({"rule": rule, "severity": severity, "message": message,
                          "assignment_ids": list(assignment_ids or []), "marker_ids": list(marker_ids or []),
                          "border_id": border_id, "start_km": float(start_km), "end_km": float(end_km),
                          "valid_from": valid_from, "valid_to": valid_to, "geometry": geometry})

    def frame(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(self.rows, columns=ISSUE_COLUMNS, geometry="geometry", crs=WGS84)


def validate(dataset: Dataset, *, cov: Coverage | None = None, marker_tolerance_m: float = 300.0,
             assignment_tolerance_m: float = 200.0, post_spread_m: float = 1000.0,
             length_tolerance_m: float = 100.0, datum_shift_min_m: float = 100.0, min_gap_m: float = 1.0,
             min_overlap_m: float = 1.0, read_problems: pd.DataFrame | None = None,
             as_of: Any = None) -> gpd.GeoDataFrame:
    """Check a dataset and return every problem as one issues table.

    Parameters
    ----------
    dataset
        The dataset.
    cov
        A coverage already computed for ``dataset`` (computed here when not given).
    marker_tolerance_m
        ``marker_off_line``: a post farther than this from the line (default 300 m: the bundled lines are
        OpenStreetMap-derived and generalised; use a smaller value on surveyed lines).
    assignment_tolerance_m
        ``assignment_off_line``: a drawn stretch with a vertex farther than this from the line (default 200 m).
    post_spread_m
        ``marker_post_mismatch``: posts of one number farther apart along the line than this (default 1,000 m).
    length_tolerance_m
        ``length_mismatch``: declared and measured (or, on a calibrated border, official) length differing by
        more than this (default 100 m).
    datum_shift_min_m
        ``suspect_datum``: only posts at least this far from the line are tested (default 100 m).
    min_gap_m, min_overlap_m
        Gaps and overlaps shorter than this are not reported (default 1 m).
    read_problems
        The problems table of a lenient reader; its rows become ``read_error`` (or ``swapped_coordinates``) rows.
    as_of
        Check the dataset as it stood on this date (rows valid then). Default for a dataset with dates: every
        moment for overlaps and double carers, today for gaps and markers without a carer.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``rule``, ``severity``, ``message``, ``assignment_ids``, ``marker_ids``, ``border_id``,
        ``start_km``, ``end_km``, ``valid_from``/``valid_to`` (the period a problem holds in, dated data only),
        ``geometry`` (EPSG:4326); sorted by severity then rule.
    """
    from .ledger import at, is_dated, period_issues, resolve_as_of

    ds = dataset
    dated = is_dated(ds)
    when = resolve_as_of(ds, as_of)
    cov = cov if cov is not None else coverage(ds, as_of=when)
    out = _Issues()
    iv = cov.intervals
    if dated:  # per-row rules on every version (or the rows valid on as_of); time-aware rules from the ledger
        every = resolve_intervals(ds)
        for r in period_issues(ds, every, as_of=None if as_of is None else when, min_overlap_m=min_overlap_m):
            out.add(**r)
        ds = ds if as_of is None else at(ds, when)
        iv = every.loc[ds.assignments.index]
    a = ds.assignments
    m = cov.markers
    known = set(m["marker_id"]) | set(m["number"])

    # ---------------------------------------------------------------- coverage
    def lists(gdf: gpd.GeoDataFrame, cols: list[str]) -> Any:  # plain lists: no per-row pandas objects
        return zip(*[gdf[c].tolist() for c in cols], list(gdf.geometry.values), strict=True)

    gap_cols = ["border_id", "start_km", "end_km", "length_km", "from_marker_near", "to_marker_near"]
    for bid, s0, s1, length, near0, near1, geom in lists(cov.gaps, gap_cols):
        if length * 1000 < min_gap_m:
            continue
        if not near0:
            ends = ""
        elif near0 == near1:
            ends = f" (near marker {near0})"
        else:
            ends = f" (between markers near {near0} and {near1})"
        out.add("gap", "warning", f"{bid}: km {s0:.3f}–{s1:.3f} ({length:.3f} km) has no self-management group"
                f"{ends}", border_id=bid, start_km=s0, end_km=s1, geometry=geom)
    overlaps = cov.overlaps.iloc[:0] if dated else cov.overlaps  # dated: over time, from the ledger (above)
    for bid, s0, s1, length, who, geom in lists(overlaps, ["border_id", "start_km", "end_km", "length_km",
                                                           "assignment_ids"]):
        if length * 1000 < min_overlap_m:
            continue
        out.add("overlap", "warning", f"{bid}: km {s0:.3f}–{s1:.3f} ({length:.3f} km) is claimed by "
                f"{', '.join(map(repr, who))}", assignment_ids=who, border_id=bid, start_km=s0, end_km=s1,
                geometry=geom)

    # ---------------------------------------------------------------- assignments
    def stretch(r: Any) -> Any:  # the resolved stretch, drawn only for rows that have a problem
        b = ds.borders.get(r["border_id"])
        return b.cut(r["start_km"], r["end_km"]) if b is not None and np.isfinite(r["start_km"]) else None

    t = iv.join(a.drop(columns=[c for c in iv.columns if c in a.columns]))
    counts = [c for c in ("households", "people", "collectives", "individuals") if c in t]

    def col(name: str) -> list[Any]:
        return t[name].astype(object).tolist() if name in t else [None] * len(t)

    # unknown markers: a pass over plain lists
    for k, (aid, bid, fm, tm, lst, unres, by) in enumerate(zip(
            col("assignment_id"), col("border_id"), col("from_marker"), col("to_marker"), col("markers"),
            col("unresolved"), col("stretch_by"), strict=True)):
        named = [x for x in (fm, tm) if isinstance(x, str)]
        unknown = [x for x in dict.fromkeys(named + list(lst)) if x not in known
                   and parse_marker_id(x).number not in known]
        if unknown:
            out.add("unknown_marker", "error", f"assignment {aid!r} names marker(s) "
                    f"{', '.join(map(repr, unknown))} that are not in the markers table",
                    assignment_ids=[aid], marker_ids=unknown, border_id=bid, geometry=stretch(t.iloc[k]))
        elif isinstance(unres, str) and by != "none":
            out.add("unresolved_stretch", "error", f"assignment {aid!r}: {unres}", assignment_ids=[aid],
                    border_id=bid)
    # the other rules: masks first, then a row each for the flagged ones only
    length = t["length_km"].to_numpy(dtype=float)
    declared = t["declared_km"].to_numpy(dtype=float) if "declared_km" in t else np.full(len(t), np.nan)
    official = (t["official_end_km"] - t["official_start_km"]).to_numpy(dtype=float)
    off_m = np.where(np.isfinite(official), np.abs(declared - official), np.inf) * 1000
    mismatch = np.isfinite(declared) & np.isfinite(length) & (np.abs(declared - length) * 1000 > length_tolerance_m) \
        & (off_m > length_tolerance_m)
    neg = np.zeros(len(t), dtype=bool)
    for c in counts:
        neg = neg | (t[c].fillna(0) < 0).to_numpy(dtype=bool)
    hh_pp = np.zeros(len(t), dtype=bool)
    if "households" in t and "people" in t:
        hh_pp = (t["households"].notna() & t["people"].notna()
                 & (t["households"].fillna(0) > t["people"].fillna(0))).to_numpy(dtype=bool)
    flagged = (t["reversed"].to_numpy(dtype=bool) | (t["out_of_range_km"].to_numpy(dtype=float) > 1e-6)
               | ((t["stretch_by"] == "line").to_numpy() & (t["max_offset_m"].to_numpy(dtype=float)
                                                            > assignment_tolerance_m))
               | mismatch | neg | hh_pp)
    for k in np.flatnonzero(flagged).tolist():
        r = t.iloc[k]
        aid, bid = r["assignment_id"], r["border_id"]
        geom = stretch(r)
        if r["reversed"]:
            given = (f"from marker {r['from_marker']!r} (km {r['raw_start_km']:.3f}) to {r['to_marker']!r} "
                     f"(km {r['raw_end_km']:.3f})" if r["stretch_by"] == "markers"
                     else f"start_km {r['raw_start_km']:g} > end_km {r['raw_end_km']:g}")
            out.add("reversed_range", "error", f"assignment {aid!r}: {given}; the stretch runs against the "
                    "border's direction (counted as its reverse for coverage)", assignment_ids=[aid],
                    border_id=bid, start_km=r["start_km"], end_km=r["end_km"], geometry=geom)
        if r["out_of_range_km"] > 1e-6 and bid in ds.borders:
            out.add("out_of_range", "error", f"assignment {aid!r}: km {min(r['raw_start_km'], r['raw_end_km']):.3f}–"
                    f"{max(r['raw_start_km'], r['raw_end_km']):.3f} reaches {r['out_of_range_km']:.3f} km beyond the "
                    f"border (0–{ds.borders[bid].length_km:.3f} km); clipped for coverage", assignment_ids=[aid],
                    border_id=bid, start_km=r["start_km"], end_km=r["end_km"], geometry=geom)
        if r["stretch_by"] == "line" and r["max_offset_m"] > assignment_tolerance_m:
            b = ds.borders.get(bid)
            side = ""
            if b is not None and (b.left or b.right):
                side = f", on the {b.left if r['mean_offset_m'] > 0 else b.right} side on average"
            out.add("assignment_off_line", "error", f"assignment {aid!r}: the drawn stretch strays up to "
                    f"{r['max_offset_m']:.0f} m from the border (tolerance {assignment_tolerance_m:g} m){side}",
                    assignment_ids=[aid], border_id=bid, start_km=r["start_km"], end_km=r["end_km"],
                    geometry=r["geometry"])
        if mismatch[k]:
            refs = [("measured", length[k])] + ([("official", official[k])] if np.isfinite(official[k]) else [])
            what = " and ".join(f"{v:.3f} km {name}" for name, v in refs)
            out.add("length_mismatch", "warning", f"assignment {aid!r}: declared {declared[k]:.3f} km but its "
                    f"stretch measures {what}; off by at least "
                    f"{min(abs(declared[k] - v) for _, v in refs) * 1000:.0f} m", assignment_ids=[aid],
                    border_id=bid, start_km=r["start_km"], end_km=r["end_km"], geometry=geom)
        if neg[k] or hh_pp[k]:
            bad = [f"{c} = {r[c]}" for c in counts if pd.notna(r[c]) and r[c] < 0]
            if hh_pp[k]:
                bad.append(f"households ({r['households']}) > people ({r['people']})")
            out.add("bad_counts", "error", f"assignment {aid!r}: {'; '.join(bad)}", assignment_ids=[aid],
                    border_id=bid, geometry=geom)
    dup = a["assignment_id"][a["assignment_id"].duplicated(keep=False) & (not dated)]
    for aid in dict.fromkeys(dup):
        out.add("duplicate_id", "error", f"assignment_id {aid!r} is used by {int((a['assignment_id'] == aid).sum())} "
                "rows", assignment_ids=[aid])
    _names(a, out)

    # ---------------------------------------------------------------- markers
    # a marker id is unique on its border (numbers restart on each border)
    # (built in Python: pandas 3's string columns drop the NUL separator when concatenated)
    key = pd.Series([f"{b}\x00{i}" for b, i in zip(m["border_id"].astype(str), m["marker_id"].astype(str),
                                                    strict=True)], index=m.index, dtype=object)
    for k in dict.fromkeys(key[key.duplicated(keep=False)]):
        bid, mid = k.split("\x00")
        rows = m[key == k]
        where = f" on {bid}" if len(ds.borders) > 1 else ""
        out.add("duplicate_id", "error", f"marker_id {mid!r} is used by {len(rows)} rows{where}",
                marker_ids=[mid], border_id=bid, geometry=rows.geometry.iloc[0])
    if not m.empty:
        _markers(ds, cov, out, marker_tolerance_m=marker_tolerance_m, post_spread_m=post_spread_m,
                 datum_shift_min_m=datum_shift_min_m, twice=not dated)
    if read_problems is None:
        read_problems = ds.meta.get("read_problems") if isinstance(ds.meta.get("read_problems"),
                                                                   pd.DataFrame) else None
    if read_problems is not None:
        for p in read_problems.itertuples(index=False):
            rule = "swapped_coordinates" if "swapped" in str(p.message) else "read_error"
            out.add(rule, "error", f"{p.source}, row/feature {p.row}, field {p.field!r}: {p.message}")
    issues = out.frame()
    order = {"error": 0, "warning": 1}
    issues = issues.assign(_s=issues["severity"].map(order)).sort_values(["_s", "rule", "start_km"], kind="stable")
    return issues.drop(columns="_s").reset_index(drop=True)


def _names(a: pd.DataFrame, out: _Issues) -> None:
    for col in ("village", "commune", "district"):
        if col not in a:
            continue
        orig = a.get(f"{col}_original")
        if orig is not None:
            for aid, o, v in zip(a["assignment_id"].tolist(), orig.tolist(), a[col].tolist(), strict=True):
                if isinstance(o, str):
                    out.add("name_variant", "warning", f"assignment {aid!r}: {col} {v!r} was typed in decomposed "
                            "Unicode (NFD); read as the same name (NFC)", assignment_ids=[aid])
        groups: dict[str, set[str]] = defaultdict(set)
        ids: dict[str, list[str]] = defaultdict(list)
        values = a[col].astype(object).tolist()
        keys = {v: name_key(v) for v in set(values) if isinstance(v, str)}
        for aid, v in zip(a["assignment_id"].tolist(), values, strict=True):
            if isinstance(v, str):
                groups[keys[v]].add(v)
                ids[keys[v]].append(aid)
        for k, spellings in groups.items():
            if len(spellings) > 1:
                out.add("name_variant", "warning", f"{col} spelled {len(spellings)} ways: "
                        f"{', '.join(map(repr, sorted(spellings)))} (differ in case or spacing)",
                        assignment_ids=ids[k])


def _markers(ds: Dataset, cov: Coverage, out: _Issues, *, marker_tolerance_m: float, post_spread_m: float,
             datum_shift_min_m: float, twice: bool = True) -> None:
    m = cov.markers
    mn = cov.marker_numbers
    # off the line, with datum and swap diagnosis
    far = m[m["distance_m"] > marker_tolerance_m]
    for _idx, r in far.iterrows():
        b = ds.borders[r["border_id"]]
        msg = f"marker {r['marker_id']!r} stands {r['distance_m']:.0f} m from the border (tolerance " \
              f"{marker_tolerance_m:g} m)"
        out.add("marker_off_line", "warning", msg, marker_ids=[r["marker_id"]], border_id=r["border_id"],
                start_km=r["chainage_km"], end_km=r["chainage_km"], geometry=r.geometry)
        x, y = r.geometry.x, r.geometry.y
        sw = b.locate([(y, x)]) if abs(x) <= 90 else None
        if sw is not None and sw["distance_m"].iloc[0] <= marker_tolerance_m:
            out.add("swapped_coordinates", "error", f"marker {r['marker_id']!r}: ({x:.6f}, {y:.6f}) is "
                    f"{r['distance_m']:.0f} m off the line, but read as (lon, lat) = ({y:.6f}, {x:.6f}) it is "
                    f"{sw['distance_m'].iloc[0]:.0f} m from it: latitude and longitude look swapped",
                    marker_ids=[r["marker_id"]], border_id=r["border_id"], geometry=r.geometry)
    # suspect datum: posts that fit the line after treating their coordinates as VN-2000
    cand = m[m["distance_m"] > datum_shift_min_m]
    if not cand.empty:
        lon, lat = to_wgs84(shapely.get_x(cand.geometry.values), shapely.get_y(cand.geometry.values), VN2000)
        for (_idx, r), lo, la in zip(cand.iterrows(), lon, lat, strict=True):
            fixed = ds.borders[r["border_id"]].locate([(lo, la)])["distance_m"].iloc[0]
            if fixed < r["distance_m"] / 3 and fixed < marker_tolerance_m:
                out.add("suspect_datum", "warning", f"marker {r['marker_id']!r} is {r['distance_m']:.0f} m from the "
                        f"line, but {fixed:.0f} m once its coordinates are read as VN-2000 (EPSG:4756): were "
                        "VN-2000 coordinates read as WGS 84? Re-read them with crs='EPSG:4756' (or the province's "
                        "VN-2000 TM-3 zone, e.g. EPSG:9205, for grid coordinates)", marker_ids=[r["marker_id"]],
                        border_id=r["border_id"], start_km=r["chainage_km"], end_km=r["chainage_km"],
                        geometry=r.geometry)
    # carers and posts, per marker number (thousands of markers: no per-number pandas lookups)
    g = m.groupby("marker_key", sort=False)
    first_geom = g["geometry"].first().to_dict()
    several = len(ds.borders) > 1
    post = g["post"].agg(["count", "nunique", "min", "max"]).to_dict("index")
    spread_m = ((g["chainage_km"].max() - g["chainage_km"].min()) * 1000).to_dict()
    mids = m["marker_id"].to_numpy(dtype=object)
    ids = {k: mids[v].tolist() for k, v in g.indices.items()}
    for key, r in zip(mn.index.tolist(), mn.itertuples(index=False), strict=True):
        number = f"{r.number} ({r.border_id})" if several else r.number
        common = {"border_id": r.border_id, "start_km": r.chainage_km, "end_km": r.chainage_km,
                  "geometry": first_geom[key]}
        if r.n_carers == 0:
            out.add("marker_unassigned", "warning", f"marker {number!r} ({r.kind}) has no self-management group",
                    marker_ids=[r.number], **common)
        elif r.n_carers > 1 and twice:
            out.add("marker_assigned_twice", "warning", f"marker {number!r} is looked after by "
                    f"{', '.join(map(repr, r.carers))}", marker_ids=[r.number], assignment_ids=r.carers, **common)
        want = POSTS_BY_KIND.get(r.kind)
        p = post[key]
        problem = None
        if want is not None and r.posts != want:
            problem = f"a {r.kind} marker has {want} post(s), but {r.posts} were found ({', '.join(ids[key])})"
        elif want and want > 1 and not (p["count"] == want and p["nunique"] == want and p["min"] == 1
                                        and p["max"] == want):
            problem = f"a {r.kind} marker has posts (1)…({want}), found {', '.join(ids[key])}"
        elif np.isfinite(spread_m[key]) and spread_m[key] > post_spread_m:
            problem = f"its posts are {spread_m[key]:.0f} m apart along the line (more than {post_spread_m:g} m)"
        if problem:
            out.add("marker_post_mismatch", "error", f"marker {number!r}: {problem}", marker_ids=ids[key],
                    **common)
    # order: numbers must increase along each border; markers off the longest increasing run are out of order
    for bid, grp in mn.groupby("border_id"):
        g = grp[np.isfinite(grp["chainage_km"])].sort_values("chainage_km")
        keys = list(zip(g["main_number"].tolist(), g["aux"].tolist(), strict=True))
        keep = _longest_increasing(keys)
        for k, (key, number, km) in enumerate(zip(g.index.tolist(), g["number"].tolist(),
                                                  g["chainage_km"].tolist(), strict=True)):
            if k not in keep:
                out.add("marker_order", "warning", f"marker {number!r} at km {km:.3f} of {bid} is out of order "
                        "along the border (numbers should increase with chainage)", marker_ids=[number],
                        border_id=bid, start_km=km, end_km=km, geometry=first_geom[key])


def _longest_increasing(keys: list[tuple[int, int]]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting, O(n log n))."""
    import bisect

    tails: list[tuple[int, int]] = []
    tail_idx: list[int] = []
    prev = [-1] * len(keys)
    for i, k in enumerate(keys):
        j = bisect.bisect_left(tails, k)
        if j == len(tails):
            tails.append(k)
            tail_idx.append(i)
        else:
            tails[j] = k
            tail_idx[j] = i
        prev[i] = tail_idx[j - 1] if j > 0 else -1
    out = set()
    i = tail_idx[-1] if tail_idx else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out
