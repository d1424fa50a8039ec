"""Rules on the stretches of line the assignments look after: coverage (gaps, overlaps) and each row's stretch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..analysis.ledger import overlaps_over_time
from ..schema import parse_marker_id
from .context import Context, period_phrase
from .registry import Phrase, rule


def _rows(gdf: Any, cols: list[str]) -> Any:  # plain lists: no per-row pandas objects
    return zip(*[gdf[c].tolist() for c in cols], list(gdf.geometry.values), strict=True)


@rule("gap", "warning", messages={
    "vi": "{border}: đoạn km {start_km}–{end_km} ({length_km} km) chưa có tổ tự quản{ends}",
    "en": "{border}: km {start_km}–{end_km} ({length_km} km) has no self-management group{ends}"},
    phrases={"near_one": {"vi": " (gần mốc {near})", "en": " (near marker {near})"},
             "between": {"vi": " (giữa các mốc gần {near0} và {near1})",
                         "en": " (between markers near {near0} and {near1})"}})
def gap(ctx: Context) -> Iterator[dict[str, Any]]:
    """A stretch of border nobody looks after on ``as_of``, at least ``min_length_m`` long (of the coverage)."""
    cols = ["border_id", "start_km", "end_km", "length_km", "from_marker_near", "to_marker_near"]
    for bid, s0, s1, length, near0, near1, geom in _rows(ctx.cov.gaps, cols):
        if length * 1000 < ctx.opt.min_gap_m:
            continue
        ends: Any = "" if not near0 else Phrase("near_one", {"near": near0}) if near0 == near1 else \
            Phrase("between", {"near0": near0, "near1": near1})
        yield {"params": {"border": bid, "start_km": s0, "end_km": s1, "length_km": length, "ends": ends},
               "border_id": bid, "start_km": s0, "end_km": s1, "geometry": geom}


@rule("overlap", "warning", messages={
    "vi": "{border}: đoạn km {start_km}–{end_km} ({length_km} km) được nhiều đăng ký cùng nhận: {who}{period}",
    "en": "{border}: km {start_km}–{end_km} ({length_km} km) is claimed by {who}{period}"},
    phrases={"in": {"vi": " ({period})", "en": " {period}"}})
def overlap(ctx: Context) -> Iterator[dict[str, Any]]:
    """A stretch claimed by two or more assignments valid at the same moment, at least ``min_length_m`` long.

    On dated data, at every moment the set of valid rows changes, with the period in which it holds.
    """
    if ctx.dated:
        yield from _overlaps_over_time(ctx)
        return
    for bid, s0, s1, length, who, geom in _rows(ctx.cov.overlaps, ["border_id", "start_km", "end_km", "length_km",
                                                                   "assignment_ids"]):
        if length * 1000 < ctx.opt.min_overlap_m:
            continue
        yield {"params": {"border": bid, "start_km": s0, "end_km": s1, "length_km": length, "who": list(who),
                          "period": ""},
               "assignment_ids": list(who), "border_id": bid, "start_km": s0, "end_km": s1, "geometry": geom}


def _overlaps_over_time(ctx: Context) -> Iterator[dict[str, Any]]:
    f, t = ctx.periods
    ivs = ctx.every
    ok = ivs["start_km"].notna().to_numpy() & (t > f)
    found = [r for r in overlaps_over_time(ivs[ok], f[ok], t[ok]) if (r[2] - r[1]) * 1000 >= ctx.opt.min_overlap_m
             and ctx.holds(r[4], r[5])]
    geoms: dict[int, Any] = {}
    for bid in {r[0] for r in found}:  # one vectorised cut per border
        k = [j for j, r in enumerate(found) if r[0] == bid]
        cut = ctx.full.borders[bid].cut(np.array([found[j][1] for j in k]), np.array([found[j][2] for j in k]))
        geoms.update(zip(k, cut.values, strict=True))
    for j, (bid, s, e, who, lo, hi) in enumerate(found):
        yield {"params": {"border": bid, "start_km": s, "end_km": e, "length_km": e - s, "who": list(who),
                          "period": Phrase("in", {"period": period_phrase(lo, hi)})},
               "assignment_ids": list(who), "border_id": bid, "start_km": s, "end_km": e, "geometry": geoms[j],
               **ctx.span(lo, hi)}


def _unknown(ctx: Context) -> list[list[str]]:
    """Per checked row, the marker names that are not in the markers table."""
    m = ctx.cov.marker_posts
    known = set(m["marker_id"]) | set(m["number"])
    out = []
    for fm, tm, lst in zip(ctx.col("from_marker"), ctx.col("to_marker"), ctx.col("markers"), strict=True):
        named = [x for x in (fm, tm) if isinstance(x, str)]
        out.append([x for x in dict.fromkeys(named + list(lst)) if x not in known
                    and parse_marker_id(x).number not in known])
    return out


@rule("unknown_marker", "error", messages={
    "vi": "Đăng ký {aid!r} ghi mốc {unknown} không có trong bảng mốc",
    "en": "assignment {aid!r} names marker(s) {unknown} that are not in the markers table"})
def unknown_marker(ctx: Context) -> Iterator[dict[str, Any]]:
    """An assignment names a marker (``from_marker``, ``to_marker``, ``markers``) not in the markers table."""
    t = ctx.table
    for k, (aid, bid, unknown) in enumerate(zip(ctx.col("assignment_id"), ctx.col("border_id"), _unknown(ctx),
                                                strict=True)):
        if unknown:
            yield {"params": {"aid": aid, "unknown": unknown}, "assignment_ids": [aid], "marker_ids": unknown,
                   "border_id": bid, "geometry": ctx.stretch(t.iloc[k])}


@rule("unresolved_stretch", "error", messages={
    "vi": "Đăng ký {aid!r}: không xác định được đoạn biên giới ({why})",
    "en": "assignment {aid!r}: {why}"})
def unresolved_stretch(ctx: Context) -> Iterator[dict[str, Any]]:
    """An assignment's stretch could not be placed on a border (and no marker it names is unknown)."""
    for aid, bid, unres, by, unknown in zip(ctx.col("assignment_id"), ctx.col("border_id"), ctx.col("unresolved"),
                                            ctx.col("stretch_by"), _unknown(ctx), strict=True):
        if not unknown and isinstance(unres, str) and by != "none":
            yield {"params": {"aid": aid, "why": unresolved_reason(unres)}, "assignment_ids": [aid],
                   "border_id": bid}


#: The reasons :func:`bien_gioi_geo.analysis.resolve.resolve_intervals` gives (English) and their Vietnamese.
_REASONS_VI = [
    (re.compile(r"unknown marker\(s\) (?P<x>.*)"), "không có mốc {x} trong danh sách mốc"),
    (re.compile(r"the dataset has several borders; give border_id for a stretch by chainage"),
     "bộ dữ liệu có nhiều đường biên giới; cần ghi mã đường biên (border_id) cho đoạn theo lý trình"),
    (re.compile(r"no stretch \(markers only\)"), "không có đoạn, chỉ có mốc tự quản"),
    (re.compile(r"unknown border_id (?P<x>.*)"), "không có đường biên giới mã {x}"),
]


def unresolved_reason(reason: str) -> dict[str, str]:
    """Why a stretch could not be placed, in each language (a reason not listed is put in plain Vietnamese).

    >>> unresolved_reason("unknown border_id 'B9'")["vi"]
    "không có đường biên giới mã 'B9'"
    """
    for pattern, vi in _REASONS_VI:
        m = pattern.fullmatch(reason)
        if m is not None:
            return {"vi": vi.format(**m.groupdict()), "en": reason}
    return {"vi": "không định vị được đoạn trên đường biên giới", "en": reason}


@rule("reversed_range", "error", messages={
    "vi": "Đăng ký {aid!r}: {given}; đoạn này ngược chiều đường biên (được tính theo chiều thuận khi tính tự quản)",
    "en": "assignment {aid!r}: {given}; the stretch runs against the border's direction (counted as its reverse "
          "for coverage)"},
    phrases={"markers": {"vi": "từ mốc {fm!r} (km {raw_start_km}) đến mốc {tm!r} (km {raw_end_km})",
                         "en": "from marker {fm!r} (km {raw_start_km}) to {tm!r} (km {raw_end_km})"},
             "km": {"vi": "từ km {raw_start_km} lớn hơn đến km {raw_end_km}",
                    "en": "start_km {raw_start_km} > end_km {raw_end_km}"}})
def reversed_range(ctx: Context) -> Iterator[dict[str, Any]]:
    """An assignment's stretch runs against the border's direction (start after end)."""
    t = ctx.table
    for k in np.flatnonzero(t["reversed"].to_numpy(dtype=bool)).tolist():
        r = t.iloc[k]
        km = {"raw_start_km": r["raw_start_km"], "raw_end_km": r["raw_end_km"]}
        given = Phrase("markers", {"fm": r["from_marker"], "tm": r["to_marker"], **km}) \
            if r["stretch_by"] == "markers" else Phrase("km", km)
        yield {"params": {"aid": r["assignment_id"], "given": given}, "assignment_ids": [r["assignment_id"]],
               "border_id": r["border_id"], "start_km": r["start_km"], "end_km": r["end_km"],
               "geometry": ctx.stretch(r)}


@rule("out_of_range", "error", messages={
    "vi": "Đăng ký {aid!r}: đoạn km {lo_km}–{hi_km} vượt {beyond_km} km ra ngoài đường biên (0–{total_km} km); "
          "phần vượt không được tính",
    "en": "assignment {aid!r}: km {lo_km}–{hi_km} reaches {beyond_km} km beyond the border (0–{total_km} km); "
          "clipped for coverage"})
def out_of_range(ctx: Context) -> Iterator[dict[str, Any]]:
    """An assignment's stretch reaches beyond the ends of the border (by more than a millimetre)."""
    t = ctx.table
    for k in np.flatnonzero(t["out_of_range_km"].to_numpy(dtype=float) > 1e-6).tolist():
        r = t.iloc[k]
        bid = r["border_id"]
        if bid not in ctx.ds.borders:
            continue
        yield {"params": {"aid": r["assignment_id"], "lo_km": min(r["raw_start_km"], r["raw_end_km"]),
                          "hi_km": max(r["raw_start_km"], r["raw_end_km"]), "beyond_km": r["out_of_range_km"],
                          "total_km": ctx.ds.borders[bid].length_km},
               "assignment_ids": [r["assignment_id"]], "border_id": bid, "start_km": r["start_km"],
               "end_km": r["end_km"], "geometry": ctx.stretch(r)}


@rule("assignment_off_line", "error", messages={
    "vi": "Đăng ký {aid!r}: đoạn vẽ lệch tới {offset_m} m so với đường biên (dung sai {tolerance_m} m){side}",
    "en": "assignment {aid!r}: the drawn stretch strays up to {offset_m} m from the border (tolerance "
          "{tolerance_m} m){side}"},
    phrases={"side": {"vi": ", trung bình lệch về phía {side_name}", "en": ", on the {side_name} side on average"}})
def assignment_off_line(ctx: Context) -> Iterator[dict[str, Any]]:
    """A stretch drawn as a line has a vertex farther from the border than ``assignment_tolerance_m``."""
    from ..labels import label

    t = ctx.table
    tol = ctx.opt.assignment_tolerance_m
    far = (t["stretch_by"] == "line").to_numpy() & (t["max_offset_m"].to_numpy(dtype=float) > tol)
    for k in np.flatnonzero(far).tolist():
        r = t.iloc[k]
        b = ctx.ds.borders.get(r["border_id"])
        side: Any = ""
        if b is not None and (b.left or b.right):
            code = str(b.left if r["mean_offset_m"] > 0 else b.right)
            side = Phrase("side", {"side_name": {"vi": label(code, "vi"), "en": label(code, "en")}})
        yield {"params": {"aid": r["assignment_id"], "offset_m": r["max_offset_m"], "tolerance_m": tol,
                          "side": side},
               "assignment_ids": [r["assignment_id"]], "border_id": r["border_id"], "start_km": r["start_km"],
               "end_km": r["end_km"], "geometry": r["geometry"]}


@rule("length_mismatch", "warning", messages={
    "vi": "Đăng ký {aid!r}: khai {declared_km} km nhưng đoạn đo được {measured}; chênh ít nhất {off_m} m",
    "en": "assignment {aid!r}: declared {declared_km} km but its stretch measures {measured}; off by at least "
          "{off_m} m"},
    phrases={"measured": {"vi": "{measured_km} km (đo trắc địa)", "en": "{measured_km} km measured"},
             "both": {"vi": "{measured_km} km (đo trắc địa) và {official_km} km (lý trình chính thức)",
                      "en": "{measured_km} km measured and {official_km} km official"}})
def length_mismatch(ctx: Context) -> Iterator[dict[str, Any]]:
    """An assignment's declared length differs from its measured length (and from its official one, on a
    calibrated border) by more than ``length_tolerance_m``.
    """
    t = ctx.table
    length = t["length_km"].to_numpy(dtype=float)
    declared = t["declared_km"].to_numpy(dtype=float) if "declared_km" in t else np.full(len(t), np.nan)
    official = (t["official_end_km"] - t["official_start_km"]).to_numpy(dtype=float)
    tol = ctx.opt.length_tolerance_m
    off_m = np.where(np.isfinite(official), np.abs(declared - official), np.inf) * 1000
    mismatch = np.isfinite(declared) & np.isfinite(length) & (np.abs(declared - length) * 1000 > tol) & (off_m > tol)
    for k in np.flatnonzero(mismatch).tolist():
        r = t.iloc[k]
        has_official = bool(np.isfinite(official[k]))
        refs = [length[k]] + ([official[k]] if has_official else [])
        measured = Phrase("both", {"measured_km": length[k], "official_km": official[k]}) if has_official \
            else Phrase("measured", {"measured_km": length[k]})
        yield {"params": {"aid": r["assignment_id"], "declared_km": declared[k], "measured": measured,
                          "off_m": min(abs(declared[k] - v) for v in refs) * 1000},
               "assignment_ids": [r["assignment_id"]], "border_id": r["border_id"], "start_km": r["start_km"],
               "end_km": r["end_km"], "geometry": ctx.stretch(r)}
