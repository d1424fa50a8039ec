"""Rules on the boundary markers: where the posts stand, who looks after them, their numbers."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import shapely

from ..crs import VN2000, to_wgs84
from ..schema import POSTS_BY_KIND
from .context import Context, period_phrase
from .read import READ_MESSAGE, read_rows
from .registry import Phrase, rule


def _kind(kind: Any) -> dict[str, str]:
    from ..labels import label

    return {"vi": label(str(kind), "vi"), "en": label(str(kind), "en")}


def _far(ctx: Context) -> Any:
    m = ctx.cov.marker_posts
    return m[m["distance_m"] > ctx.opt.marker_tolerance_m]


@rule("marker_off_line", "warning", messages={
    "vi": "Mốc {mid!r} cách đường biên {distance_m} m (dung sai {tolerance_m} m)",
    "en": "marker {mid!r} stands {distance_m} m from the border (tolerance {tolerance_m} m)"})
def marker_off_line(ctx: Context) -> Iterator[dict[str, Any]]:
    """A marker post stands farther from the border line than ``marker_tolerance_m``."""
    for _idx, r in _far(ctx).iterrows():
        yield {"params": {"mid": r["marker_id"], "distance_m": r["distance_m"],
                          "tolerance_m": ctx.opt.marker_tolerance_m},
               "marker_ids": [r["marker_id"]], "border_id": r["border_id"], "start_km": r["chainage_km"],
               "end_km": r["chainage_km"], "geometry": r.geometry}


@rule("swapped_coordinates", "error", messages={
    "vi": "{what}", "en": "{what}"},
    phrases={"marker": {"vi": "Mốc {mid!r}: ({x}, {y}) cách đường biên {distance_m} m, nhưng đọc thành (kinh độ, vĩ "
                              "độ) = ({y}, {x}) thì chỉ cách {swapped_m} m: vĩ độ và kinh độ có vẻ bị đảo chỗ",
                        "en": "marker {mid!r}: ({x}, {y}) is {distance_m} m off the line, but read as (lon, lat) = "
                              "({y}, {x}) it is {swapped_m} m from it: latitude and longitude look swapped"},
             "read": READ_MESSAGE})
def swapped_coordinates(ctx: Context) -> Iterator[dict[str, Any]]:
    """A marker off the line that fits it with latitude and longitude exchanged, or a row a lenient reader found
    with swapped coordinates.
    """
    for _idx, r in _far(ctx).iterrows():
        x, y = r.geometry.x, r.geometry.y
        if abs(x) > 90:
            continue
        sw = ctx.ds.borders[r["border_id"]].locate([(y, x)])["distance_m"].iloc[0]
        if sw <= ctx.opt.marker_tolerance_m:
            xy = {"x": f"{x:.6f}", "y": f"{y:.6f}"}  # coordinates as typed, never localised
            yield {"params": {"what": Phrase("marker", {"mid": r["marker_id"], "distance_m": r["distance_m"],
                                                        "swapped_m": sw, **xy})},
                   "marker_ids": [r["marker_id"]], "border_id": r["border_id"], "geometry": r.geometry}
    for p in read_rows(ctx, kind="swapped"):
        yield {"params": {"what": Phrase("read", p)}}


@rule("suspect_datum", "warning", messages={
    "vi": "Mốc {mid!r} cách đường biên {distance_m} m, nhưng chỉ cách {fixed_m} m nếu đọc tọa độ theo hệ VN-2000: "
          "có thể tọa độ VN-2000 đã bị đọc như WGS 84",
    "en": "marker {mid!r} is {distance_m} m from the line, but {fixed_m} m once its coordinates are read as VN-2000 "
          "(EPSG:4756): were VN-2000 coordinates read as WGS 84?"},
    hint={"vi": "Đọc lại tọa độ với crs='EPSG:4756' (hoặc múi chiếu TM-3 VN-2000 của tỉnh, ví dụ EPSG:9205, với tọa độ "
                "phẳng)",
          "en": "Re-read them with crs='EPSG:4756' (or the province's VN-2000 TM-3 zone, e.g. EPSG:9205, for grid "
                "coordinates)"})
def suspect_datum(ctx: Context) -> Iterator[dict[str, Any]]:
    """A marker at least ``datum_shift_min_m`` off the line that fits it (a third of the distance, within the
    tolerance) once its coordinates are read as VN-2000 (EPSG:4756).
    """
    m = ctx.cov.marker_posts
    cand = m[m["distance_m"] > ctx.opt.datum_shift_min_m]
    if cand.empty:
        return
    lon, lat = to_wgs84(shapely.get_x(cand.geometry.values), shapely.get_y(cand.geometry.values), VN2000)
    for (_idx, r), lo, la in zip(cand.iterrows(), lon, lat, strict=True):
        fixed = ctx.ds.borders[r["border_id"]].locate([(lo, la)])["distance_m"].iloc[0]
        if fixed < r["distance_m"] / 3 and fixed < ctx.opt.marker_tolerance_m:
            yield {"params": {"mid": r["marker_id"], "distance_m": r["distance_m"], "fixed_m": fixed},
                   "marker_ids": [r["marker_id"]], "border_id": r["border_id"], "start_km": r["chainage_km"],
                   "end_km": r["chainage_km"], "geometry": r.geometry}


class _Numbers:
    """Per marker number (thousands of markers: no per-number pandas lookups)."""

    def __init__(self, ctx: Context) -> None:
        m = ctx.cov.marker_posts
        self.mn = ctx.cov.marker_numbers
        g = m.groupby("marker_key", sort=False)
        self.first_geom = g["geometry"].first().to_dict()
        self.several = len(ctx.ds.borders) > 1
        self.post = g["post"].agg(["count", "nunique", "min", "max"]).to_dict("index")
        self.spread_m = ((g["chainage_km"].max() - g["chainage_km"].min()) * 1000).to_dict()
        mids = m["marker_id"].to_numpy(dtype=object)
        self.ids = {k: mids[v].tolist() for k, v in g.indices.items()}

    def rows(self) -> Iterator[tuple[Any, Any, str, dict[str, Any]]]:
        for key, r in zip(self.mn.index.tolist(), self.mn.itertuples(index=False), strict=True):
            number = f"{r.number} ({r.border_id})" if self.several else r.number
            yield key, r, number, {"border_id": r.border_id, "start_km": r.chainage_km, "end_km": r.chainage_km,
                                   "geometry": self.first_geom[key]}


def _numbers(ctx: Context) -> _Numbers:
    if "numbers" not in ctx.cache:
        ctx.cache["numbers"] = _Numbers(ctx)
    return ctx.cache["numbers"]  # type: ignore[no-any-return]


@rule("marker_unassigned", "warning", messages={
    "vi": "Mốc {number!r} ({kind}) chưa có tổ tự quản{on}",
    "en": "marker {number!r} ({kind}) has no self-management group{on}"},
    phrases={"on": {"vi": " (mốc nằm trên đoạn biên giới do {who} tự quản, nhưng không tổ nào nhận tự quản mốc "
                          "này trong danh sách mốc tự quản)",
                    "en": " (it lies on the stretch looked after by {who}, but no group lists it among the "
                          "markers it looks after)"}})
def marker_unassigned(ctx: Context) -> Iterator[dict[str, Any]]:
    """A marker no assignment valid on ``as_of`` lists among the markers it looks after.

    What decides is the ``markers`` list (``Mốc tự quản``), not the stretch: DESIGN.md defines an assignment as
    "a stretch and/or marker set entrusted to a group", so a stretch and a set of markers are entrusted
    separately, and the reviews count "mốc tự quản" (27 of Phong Thổ's 51 markers) apart from the km looked
    after (the whole line). A marker strictly inside or at an end (within 1 m of chainage) of a looked-after
    stretch but in no ``markers`` list is still reported, and the message names whose stretch it lies on, so the
    office can add it to that group's list.
    """
    if ctx.cov.marker_posts.empty:
        return
    on_stretch = _stretches_at(ctx)
    for _key, r, number, common in _numbers(ctx).rows():
        if r.n_carers == 0:
            who = on_stretch(r.border_id, r.chainage_km)
            on = Phrase("on", {"who": who}) if who else ""
            yield {"params": {"number": number, "kind": _kind(r.kind), "on": on}, "marker_ids": [r.number],
                   **common}


_END_TOLERANCE_KM = 0.001  # a marker within 1 m of a stretch's end is at that end


def _stretches_at(ctx: Context) -> Callable[[Any, float], list[str]]:
    """The assignment ids whose resolved stretch (ends included) holds a chainage of a border."""
    iv = ctx.cov.intervals
    spans: dict[Any, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    if len(iv) and {"start_km", "end_km", "border_id", "assignment_id"} <= set(iv.columns):
        lo = iv["start_km"].to_numpy(dtype=float)
        hi = iv["end_km"].to_numpy(dtype=float)
        bid = iv["border_id"].astype(object).to_numpy()
        aid = iv["assignment_id"].astype(object).to_numpy()
        ok = np.isfinite(lo) & np.isfinite(hi)
        for b in dict.fromkeys(bid[ok].tolist()):
            sel = ok & (bid == b)
            spans[b] = (np.fmin(lo[sel], hi[sel]) - _END_TOLERANCE_KM,
                        np.fmax(lo[sel], hi[sel]) + _END_TOLERANCE_KM, aid[sel])

    def at(border_id: Any, km: float) -> list[str]:
        s = spans.get(border_id)
        if s is None or km is None or not np.isfinite(km):
            return []
        return list(dict.fromkeys(str(x) for x in s[2][(s[0] <= km) & (km <= s[1])].tolist()))

    return at


@rule("marker_assigned_twice", "warning", messages={
    "vi": "Mốc {number!r} được nhiều tổ cùng tự quản: {who}{period}",
    "en": "marker {number!r} is looked after by {who}{period}"},
    phrases={"in": {"vi": " ({period})", "en": " {period}"}})
def marker_assigned_twice(ctx: Context) -> Iterator[dict[str, Any]]:
    """A marker two or more assignments valid at the same moment look after (on dated data, with the period)."""
    if ctx.dated:
        yield from _twice_over_time(ctx)
        return
    if ctx.cov.marker_posts.empty:
        return
    for _key, r, number, common in _numbers(ctx).rows():
        if r.n_carers > 1:
            yield {"params": {"number": number, "who": list(r.carers), "period": ""}, "marker_ids": [r.number],
                   "assignment_ids": list(r.carers), **common}


def _twice_over_time(ctx: Context) -> Iterator[dict[str, Any]]:
    from ..analysis.ledger import carers_over_time

    m = ctx.full.markers_located
    several = len(ctx.full.borders) > 1
    where: dict[str, tuple[str, float, Any]] = {}
    for number, bid, km, geom in zip(m["number"].tolist(), m["border_id"].tolist(), m["chainage_km"].tolist(),
                                     m.geometry.tolist(), strict=True):
        where.setdefault(f"{bid}:{number}" if several else number, (bid, km, geom))
    for key, who, lo, hi in carers_over_time(ctx.full, *ctx.periods):
        if not ctx.holds(lo, hi):
            continue
        bid, km, geom = where[key]
        number = key.split(":", 1)[1] if several else key
        yield {"params": {"number": key, "who": list(who), "period": Phrase("in", {"period": period_phrase(lo, hi)})},
               "marker_ids": [number], "assignment_ids": list(who), "border_id": bid, "start_km": km, "end_km": km,
               "geometry": geom, **ctx.span(lo, hi)}


@rule("marker_post_mismatch", "error", messages={
    "vi": "Mốc {number!r}: {problem}", "en": "marker {number!r}: {problem}"},
    phrases={"count": {"vi": "{kind} có {want} cột, nhưng tìm thấy {found} ({ids})",
                       "en": "a {kind} marker has {want} post(s), but {found} were found ({ids})"},
             "numbering": {"vi": "{kind} có các cột (1)…({want}), nhưng tìm thấy {ids}",
                           "en": "a {kind} marker has posts (1)…({want}), found {ids}"},
             "spread": {"vi": "các cột cách nhau {spread_m} m dọc đường biên (quá {limit_m} m)",
                        "en": "its posts are {spread_m} m apart along the line (more than {limit_m} m)"}})
def marker_post_mismatch(ctx: Context) -> Iterator[dict[str, Any]]:
    """A double marker without two posts, a triple without three, posts not numbered (1)…(n), or posts of one
    number farther apart along the line than ``post_spread_m``.
    """
    if ctx.cov.marker_posts.empty:
        return
    nums = _numbers(ctx)
    for key, r, number, common in nums.rows():
        want = POSTS_BY_KIND.get(r.kind)
        p = nums.post[key]
        ids = ", ".join(nums.ids[key])  # post ids as typed, without quotes
        kind = _kind(r.kind)
        problem = None
        if want is not None and r.posts != want:
            problem = Phrase("count", {"kind": kind, "want": want, "found": int(r.posts), "ids": ids})
        elif want and want > 1 and not (p["count"] == want and p["nunique"] == want and p["min"] == 1
                                        and p["max"] == want):
            problem = Phrase("numbering", {"kind": kind, "want": want, "ids": ids})
        elif np.isfinite(nums.spread_m[key]) and nums.spread_m[key] > ctx.opt.post_spread_m:
            problem = Phrase("spread", {"spread_m": nums.spread_m[key], "limit_m": ctx.opt.post_spread_m})
        if problem:
            yield {"params": {"number": number, "problem": problem}, "marker_ids": nums.ids[key], **common}


@rule("marker_order", "warning", messages={
    "vi": "Mốc {number!r} tại km {km_km} của tuyến {border} không đúng thứ tự dọc đường biên (số hiệu mốc phải tăng "
          "theo lý trình)",
    "en": "marker {number!r} at km {km_km} of {border} is out of order along the border (numbers should increase "
          "with chainage)"})
def marker_order(ctx: Context) -> Iterator[dict[str, Any]]:
    """Marker numbers that do not increase along the border: the markers off one longest increasing run."""
    if ctx.cov.marker_posts.empty:
        return
    nums = _numbers(ctx)
    for bid, grp in nums.mn.groupby("border_id"):
        g = grp[np.isfinite(grp["chainage_km"])].sort_values("chainage_km")
        keys = list(zip(g["main_number"].tolist(), g["aux"].tolist(), strict=True))
        keep = _longest_increasing(keys)
        for k, (key, number, km) in enumerate(zip(g.index.tolist(), g["number"].tolist(),
                                                  g["chainage_km"].tolist(), strict=True)):
            if k not in keep:
                yield {"params": {"number": number, "km_km": km, "border": bid}, "marker_ids": [number],
                       "border_id": bid, "start_km": km, "end_km": km, "geometry": nums.first_geom[key]}


def _longest_increasing(keys: list[tuple[int, int]]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting, O(n log n)).

    >>> sorted(_longest_increasing([(1, 0), (3, 0), (2, 0), (4, 0)]))
    [0, 2, 3]
    """
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
