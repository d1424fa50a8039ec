"""``to_current``: give every row its current commune and province, or say why it cannot."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..analysis.units import REFORM_DATE, units_for_date  # moved down: coverage() uses it
from ..errors import InputError
from .crosswalk import OldUnit, _tables, bare_district, current_provinces, match_area, national_index, nearest
from .geometry import resolve_split, row_points, unit_index
from .names import bare_name, yi_key

__all__ = ["to_current", "admin_problems", "units_for_date", "REFORM_DATE", "STATUSES"]

#: match statuses, from surest to least sure
STATUSES = ("exact", "normalised", "fuzzy", "geometry", "split", "ambiguous", "unknown")
_RANK = {"exact": 0, "normalised": 1, "fuzzy": 2}
_TIER_STATUS = {"exact": "exact", "normalised": "normalised", "ascii": "normalised", "yi": "normalised",
                "fuzzy": "fuzzy"}
_FIELD_VI = {"province": "tỉnh", "district": "huyện", "commune": "xã"}

_MSG = {
    "unknown": ("Không tìm thấy {what} {value!r} trong danh mục trước 01/7/2025{where}; gần nhất: {cands}. "
                "Hãy sửa tên cho đúng.",
                "No {what_en} {value!r} in the list of units before 1 July 2025{where_en}; nearest: {cands}. "
                "Correct the name."),
    "empty": ("Hàng không ghi tên {what}; hãy điền tên {what} (hoặc xã hiện nay).",
              "The row has no {what_en} name; fill in the {what_en} (or the current commune)."),
    "ambiguous": ("Tên {what} {value!r} khớp với nhiều đơn vị: {cands}. Hãy ghi rõ huyện/tỉnh.",
                  "The {what_en} name {value!r} fits several units: {cands}. Give the district/province."),
    "split": ("{old} đã được chia cho nhiều xã/phường mới: {cands}; không xác định được đoạn này thuộc xã nào "
              "({why}). Hãy cung cấp ranh giới xã mới (units=) hoặc ghi xã hiện nay.",
              "{old} was divided among several new communes: {cands}; cannot tell which holds this row ({why}). "
              "Give the new communes' polygons (units=) or record the current commune."),
    "fuzzy": ("{what} {value!r} được hiểu là {old} (khác một ký tự); hãy kiểm tra.",
              "{what_en} {value!r} read as {old} (one letter apart); check it."),
    "no_new": ("{old} không có đơn vị mới tương ứng trong nguồn dữ liệu.",
               "{old} has no current unit in the source data."),
}
_WHY = {"no_position": ("hàng không có vị trí", "the row has no position"),
        "no_units": ("không có ranh giới xã mới", "no new-commune geometry given"),
        "outside": ("điểm giữa không nằm trong đúng một xã mới", "its midpoint is not in exactly one candidate"),
        "too_close": ("tâm các xã mới gần như cách đều", "the candidates' centroids are about equally far")}


def _msg(key: str, lang: str, **kw: Any) -> str:
    vi, en = _MSG[key]
    what = kw.get("what", "commune")
    kw.update(what=_FIELD_VI.get(what, what), what_en=what)
    kw.setdefault("where", "")
    kw.setdefault("where_en", "")
    return (vi if lang == "vi" else en).format(**kw)


def _blank(value: Any) -> bool:
    """No name at all: None, NaN/NA or only spaces."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.isna(value)) if not isinstance(value, (list, tuple)) else False


def _label(u: OldUnit) -> str:
    return f"{u.name} ({u.district}, {u.province})"


def _elsewhere(comm: Any, near: list[str], provinces: set[str] | None, *, limit: int = 8) -> list[str]:
    """Candidates for a name not found where the row says: ``near`` (the nearest names in the row's scope),
    then the old communes of that exact name (y read as i) anywhere, those of ``provinces`` first.
    """
    same = national_index().get(yi_key(comm), []) if isinstance(comm, str) else []
    same = sorted(same, key=lambda u: provinces is not None and u.province not in provinces)
    return list(dict.fromkeys(near + [_label(u) for u in same]))[:limit]


def _match_row(prov: Any, dist: Any, comm: Any, lang: str) -> dict[str, Any]:
    """Name matching for one (province, district, commune) triple."""
    t = _tables()
    worst = "exact"
    notes: list[str] = []

    def bump(tier: str | None) -> None:
        nonlocal worst
        s = _TIER_STATUS.get(tier or "exact", "exact")
        worst = s if _RANK[s] > _RANK[worst] else worst

    def fail(status: str, field: str, value: Any, cands: list[str], **kw: Any) -> dict[str, Any]:
        return {"admin_status": status, "admin_field": field, "admin_candidates": cands, "commune_official": None,
                "commune_current": None, "province_current": None, "_new": [],
                "admin_note": _msg("empty" if _blank(value) else status, lang, what=field, value=value,
                                   cands="; ".join(cands) or "—", **kw)}

    pks = list(t.provinces)
    if isinstance(prov, str) and prov.strip():
        pks, tier = match_area(prov, t.provinces)
        # a province since 1 July 2025 (Tuyên Quang) stands for every old one merged into it (Hà Giang too)
        cur, cur_tier = match_area(prov, {k: a for k, (a, _) in current_provinces().items()}, fuzzy=False)
        merged = [p for k in cur for p in sorted(current_provinces()[k][1]) if p not in pks]
        if merged:
            tier = tier or cur_tier
        pks = pks + merged
        if not pks:
            return fail("unknown", "province", prov, _elsewhere(comm, [], None)
                        + [t.provinces[k].name for k in nearest(prov, t.provinces)])
        bump(tier)
    dists = {k: a for k, a in t.districts.items() if k[0] in pks}
    if isinstance(dist, str) and dist.strip():
        dks, tier = match_area(dist, dists, fuzzy=False)
        if not dks and bare_district(dist) != dist.strip():
            # "Tx. Tây Ninh" for what is now TP. Tây Ninh: the type word changed, the district did not
            dks, tier = match_area(bare_district(dist), dists, fuzzy=False)
            tier = "normalised" if dks else tier
        if not dks:
            dks, tier = match_area(dist, dists)
        if not dks:
            where = f" ({', '.join(t.provinces[p].name for p in pks[:3])})"
            return fail("unknown", "district", dist, _elsewhere(comm, [], {t.provinces[p].name for p in pks})
                        + [dists[k].name for k in nearest(dist, dists)],
                        where=f" của tỉnh{where}", where_en=f" of{where}")
        bump(tier)
        dists = {k: dists[k] for k in dks}
    scope = {(k, i): u for k in dists for i, u in enumerate(t.communes.get(k, []))}
    narrowed = isinstance(prov, str) and bool(prov.strip())  # without a province, no one-letter reading
    hits, tier = match_area(comm, scope, fuzzy=narrowed)
    if tier == "fuzzy" and yi_key(comm) in national_index():
        # one letter from a commune here, but exactly the name of a commune elsewhere: a wrong district or
        # province as likely as a typo, so no guess
        return fail("unknown", "commune", comm, _elsewhere(comm, [_label(scope[k]) for k in hits],
                                                           {t.provinces[p].name for p in pks}))
    if not hits and _blank(comm) and len(scope) <= 40:
        # no commune written (only the village): the communes of the district given are the candidates
        return fail("unknown", "commune", comm, [_label(u) for u in scope.values()])
    if not hits:
        near = [_label(scope[k]) for k in nearest(comm, scope)] if narrowed else []
        # the same name with another type word ("Phường Bình Thạnh" for Xã Bình Thạnh): first among candidates
        bare = yi_key(bare_name(comm)) if isinstance(comm, str) else ""
        near = [_label(u) for u in scope.values()
                if bare in {yi_key(bare_name(u.name)), *(k.replace("y", "i") for k in u.keywords)}] + near
        return fail("unknown", "commune", comm, _elsewhere(comm, near, {t.provinces[p].name for p in pks}))
    bump(tier)
    units = [scope[k] for k in hits]
    targets = {tuple(n for n in u.new) for u in units}
    if len(units) > 1 and len(targets) > 1:
        return fail("ambiguous", "commune", comm, [_label(u) for u in units])
    u = units[0]
    if tier == "fuzzy":
        notes.append(_msg("fuzzy", lang, what="commune", value=comm, old=_label(u)))
    out = {"admin_field": None, "commune_official": u.name, "_new": u.new, "_old": u,
           "admin_candidates": [n.name for n in u.new] if len(u.new) > 1 else []}
    if not u.new:
        return {**out, "admin_status": "unknown", "admin_field": "commune", "commune_current": None,
                "province_current": None, "admin_note": _msg("no_new", lang, old=_label(u))}
    if len(u.new) > 1:
        return {**out, "admin_status": "split", "admin_field": "commune", "commune_current": None,
                "province_current": u.new[0].province if len({n.province for n in u.new}) == 1 else None,
                "admin_note": None}
    return {**out, "admin_status": worst, "commune_current": u.new[0].name, "province_current": u.new[0].province,
            "admin_note": " ".join(notes) or None}


def to_current(data: Any, *, commune: str = "commune", district: str = "district", province: str = "province",
               units: Any = None, units_name: str = "commune", border: Any = None, errors: str = "raise",
               lang: str = "vi") -> Any:
    """Add the current (since 1 July 2025) commune and province to rows recorded with the old units.

    Parameters
    ----------
    data
        A DataFrame/GeoDataFrame of registrations, or a :class:`~bien_gioi_geo.Dataset` (its assignments gain
        the columns; a new Dataset is returned, with the problems in ``meta["admin_problems"]``).
    commune, district, province
        The columns holding the recorded (pre-2025) names. ``district`` and ``province`` may be missing
        columns; they only narrow the search.
    units
        Optional GeoDataFrame of current communes (polygons or centroid points, any CRS) with their names in
        ``units_name``; used only to resolve divided communes (see :mod:`bien_gioi_geo.admin.geometry`).
    border
        A :class:`~bien_gioi_geo.Border` on which ``start_km``/``end_km`` place a frame's rows (a Dataset
        places its own rows).
    errors
        ``"raise"`` (default): any row that is ``split``, ``ambiguous`` or ``unknown`` raises
        :class:`~bien_gioi_geo.errors.InputError` naming the rows. ``"collect"``: such rows keep empty current
        units and are listed by :func:`admin_problems`.
    lang
        ``"vi"`` or ``"en"``, for the notes and messages.

    Returns
    -------
    Same type as ``data``
        A copy with ``commune_current`` (full name with type, e.g. ``"Xã Sì Lở Lầu"``), ``province_current``,
        ``commune_official`` (the old unit the recorded name was matched to), ``admin_status`` (one of
        ``exact``, ``normalised``, ``fuzzy``, ``geometry``, ``split``, ``ambiguous``, ``unknown``),
        ``admin_candidates`` (the new communes of a divided one; the old units an unknown or ambiguous name is
        nearest to), ``admin_field`` and ``admin_note``. The recorded columns are kept as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"commune": ["Ma Ly Pho"], "district": ["Phong Thổ"], "province": ["Lai Châu"]})
    >>> to_current(f)[["commune_current", "admin_status"]].values.tolist()
    [['Xã Phong Thổ', 'normalised']]
    """
    if errors not in ("raise", "collect"):
        raise InputError(f"errors must be 'raise' or 'collect', not {errors!r}")
    if lang not in ("vi", "en"):
        raise InputError(f"lang must be 'vi' or 'en', not {lang!r}")
    from ..dataset import Dataset

    if isinstance(data, Dataset):
        a = _convert(data.assignments, commune, district, province, units, units_name, None, data, lang)
        ds = Dataset(dict(data.borders), data.markers, a, data.admin, name=data.name, meta=dict(data.meta))
        ds.meta["admin_problems"] = admin_problems(a, lang=lang)
        ds.meta["admin_units"] = "current"
        _maybe_raise(a, errors, lang)
        return ds
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"to_current expects a DataFrame or a Dataset, got {type(data).__name__}")
    out = _convert(data, commune, district, province, units, units_name, border, None, lang)
    _maybe_raise(out, errors, lang)
    return out


def _convert(frame: pd.DataFrame, commune: str, district: str, province: str, units: Any, units_name: str,
             border: Any, dataset: Any, lang: str) -> pd.DataFrame:
    if commune not in frame:
        raise InputError(f"the table has no column {commune!r} (the recorded commune); "
                         f"columns: {', '.join(map(str, frame.columns))}")
    col = {c: frame[c].tolist() if c in frame else [None] * len(frame) for c in (province, district, commune)}
    cache: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    rows = []
    for p, d, c in zip(col[province], col[district], col[commune], strict=True):
        key = (p if isinstance(p, str) else None, d if isinstance(d, str) else None, c)
        if key not in cache:
            cache[key] = _match_row(*key, lang)
        rows.append(dict(cache[key]))
    split = [i for i, r in enumerate(rows) if r["admin_status"] == "split"]
    if split:
        index = unit_index(units, units_name)
        points = row_points(frame, border=border, dataset=dataset) if index else [None] * len(frame)
        for i in split:
            r = rows[i]
            name, how = resolve_split(points[i], r["admin_candidates"], index)
            new = next((n for n in r["_new"] if n.name == name), None)
            if new is not None:
                r.update(admin_status="geometry", commune_current=new.name, province_current=new.province,
                         admin_field=None,
                         admin_note=f"Xác định theo vị trí ({how})" if lang == "vi" else f"Decided by position ({how})")
            else:
                why = _WHY[how][0 if lang == "vi" else 1]
                r["admin_note"] = _msg("split", lang, old=_label(r["_old"]), cands="; ".join(r["admin_candidates"]),
                                       why=why)
    names = {"province": province, "district": district, "commune": commune}
    for r in rows:  # name the user's column, as the readers do
        r["admin_field"] = names.get(r["admin_field"], r["admin_field"])
    out = frame.copy()
    for c in ("commune_current", "province_current", "commune_official", "admin_status", "admin_candidates",
              "admin_field", "admin_note"):
        out[c] = pd.Series([r[c] for r in rows], index=frame.index, dtype=object)
    return out


def admin_problems(frame: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """The rows :func:`to_current` could not map surely, one problem per row.

    Columns: ``rule`` (``admin_unknown``, ``admin_ambiguous``, ``admin_split`` — errors; ``admin_fuzzy`` — a
    warning), ``severity``, ``row`` (the row's ``assignment_id`` when there is one, else its index label),
    ``field``, ``value``, ``candidates``, ``message``.
    """
    if "admin_status" not in frame:
        raise InputError("the table has no admin_status column; run bg.admin.to_current on it first")
    ids = frame["assignment_id"].tolist() if "assignment_id" in frame else frame.index.tolist()
    commune = "commune" if "commune" in frame else None
    out = []
    for rid, (_, r) in zip(ids, frame.iterrows(), strict=True):
        st = r["admin_status"]
        if st not in ("split", "ambiguous", "unknown", "fuzzy"):
            continue
        field = r["admin_field"] or commune
        out.append({"rule": f"admin_{st}", "severity": "warning" if st == "fuzzy" else "error", "row": rid,
                    "field": field, "value": r.get(field), "candidates": list(r["admin_candidates"] or []),
                    "message": r["admin_note"]})
    cols = ["rule", "severity", "row", "field", "value", "candidates", "message"]
    return pd.DataFrame(out, columns=cols)


def _maybe_raise(frame: pd.DataFrame, errors: str, lang: str) -> None:
    if errors != "raise":
        return
    p = admin_problems(frame, lang=lang)
    p = p[p["severity"] == "error"]
    if len(p):
        items = list(zip(p["row"], p["field"], p["message"], strict=True))[:5]
        head = "; ".join(f"row {r!r}, field {f!r}: {m}" for r, f, m in items)
        more = f" (+{len(p) - 5})" if len(p) > 5 else ""
        hint = (" Dùng errors='collect' để nhận bảng các hàng cần xem lại." if lang == "vi"
                else " Use errors='collect' to get a table of the rows to review.")
        raise InputError(f"{len(p)} row(s) not mapped to a current commune: {head}{more}.{hint}")
