"""Rules on what the rows say about themselves: ids, names, counts of households and people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ..text import name_key
from .context import Context
from .read import READ_MESSAGE, read_rows
from .registry import Phrase, rule

_COUNTS = ("households", "people", "collectives", "individuals")
_FIELD = {c: {"vi": vi, "en": c} for c, vi in [("village", "tên bản"), ("commune", "tên xã"),
                                                ("district", "tên huyện"), ("households", "số hộ"),
                                                ("people", "số nhân khẩu"), ("collectives", "số tập thể"),
                                                ("individuals", "số cá nhân")]}


@rule("duplicate_id", "error", messages={"vi": "{what}", "en": "{what}"},
    phrases={"ids": {"vi": "Mã {kind} {id!r} bị dùng cho {n} dòng{where}",
                     "en": "{kind} {id!r} is used by {n} rows{where}"},
             "on": {"vi": " trên tuyến {border}", "en": " on {border}"},
             "read": READ_MESSAGE})
def duplicate_id(ctx: Context) -> Iterator[dict[str, Any]]:
    """Two rows with the same ``assignment_id`` (none of them dated: versions carry dates), or the same
    ``marker_id`` on one border (numbers restart on each border); or a row typed twice (same id, same values),
    which the reader counts once and names with its file, sheet and row.
    """
    a = ctx.ds.assignments if not ctx.dated else ctx.full.assignments
    what_a = {"vi": "đăng ký", "en": "assignment_id"}
    if ctx.dated:
        ids: list[Any] = list(ctx.versions[2])
    else:
        ids = list(dict.fromkeys(a["assignment_id"][a["assignment_id"].duplicated(keep=False)]))
    for aid in ids:
        n = int((a["assignment_id"] == aid).sum())
        yield {"params": {"what": Phrase("ids", {"kind": what_a, "id": aid, "n": n, "where": ""})},
               "assignment_ids": [aid]}
    m = ctx.cov.marker_posts
    # (built in Python: pandas 3's string columns drop the NUL separator when concatenated)
    key = pd.Series([f"{b}\x00{i}" for b, i in zip(m["border_id"].astype(str), m["marker_id"].astype(str),
                                                    strict=True)], index=m.index, dtype=object)
    for k in dict.fromkeys(key[key.duplicated(keep=False)]):
        bid, mid = k.split("\x00")
        rows = m[key == k]
        where: Any = Phrase("on", {"border": bid}) if len(ctx.ds.borders) > 1 else ""
        yield {"params": {"what": Phrase("ids", {"kind": {"vi": "mốc", "en": "marker_id"}, "id": mid,
                                                 "n": len(rows), "where": where})},
               "marker_ids": [mid], "border_id": bid, "geometry": rows.geometry.iloc[0]}
    for p in read_rows(ctx, kind="duplicate"):  # a row typed twice, counted once by the reader
        yield {"params": {"what": Phrase("read", p)}}


@rule("name_variant", "warning", messages={
    "vi": "{what}", "en": "{what}"},
    phrases={"nfd": {"vi": "Đăng ký {aid!r}: {field} {value!r} được gõ ở dạng Unicode tổ hợp (NFD); đã đọc như "
                           "cùng một tên (NFC)",
                     "en": "assignment {aid!r}: {field} {value!r} was typed in decomposed Unicode (NFD); read as the "
                           "same name (NFC)"},
             "ways": {"vi": "{field} được viết theo {n} cách: {spellings} (khác chữ hoa/thường hoặc dấu cách)",
                      "en": "{field} spelled {n} ways: {spellings} (differ in case or spacing)"}})
def name_variant(ctx: Context) -> Iterator[dict[str, Any]]:
    """One village, commune or district spelled in two ways (Unicode form, case, spacing)."""
    a = ctx.ds.assignments
    for col in ("village", "commune", "district"):
        if col not in a:
            continue
        orig = a.get(f"{col}_original")
        if orig is not None:
            for aid, o, v in zip(a["assignment_id"].tolist(), orig.tolist(), a[col].tolist(), strict=True):
                if isinstance(o, str):
                    yield {"params": {"what": Phrase("nfd", {"aid": aid, "field": _FIELD[col], "value": v})},
                           "assignment_ids": [aid]}
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
                yield {"params": {"what": Phrase("ways", {"field": _FIELD[col], "n": len(spellings),
                                                          "spellings": sorted(spellings)})},
                       "assignment_ids": ids[k]}


@rule("bad_counts", "error", messages={
    "vi": "Đăng ký {aid!r}: {bad}", "en": "assignment {aid!r}: {bad}"},
    phrases={"negative": {"vi": "{field} = {value} (số âm)", "en": "{field} = {value}"},
             "hh_pp": {"vi": "số hộ ({households}) lớn hơn số nhân khẩu ({people})",
                       "en": "households ({households}) > people ({people})"},
             "and": {"vi": "{a}; {b}", "en": "{a}; {b}"}})
def bad_counts(ctx: Context) -> Iterator[dict[str, Any]]:
    """Negative counts (households, people, collectives, individuals), or more households than people."""
    t = ctx.table
    counts = [c for c in _COUNTS if c in t]
    neg = np.zeros(len(t), dtype=bool)
    for c in counts:
        neg = neg | (t[c].fillna(0) < 0).to_numpy(dtype=bool)
    hh_pp = np.zeros(len(t), dtype=bool)
    if "households" in t and "people" in t:
        hh_pp = (t["households"].notna() & t["people"].notna()
                 & (t["households"].fillna(0) > t["people"].fillna(0))).to_numpy(dtype=bool)
    for k in np.flatnonzero(neg | hh_pp).tolist():
        r = t.iloc[k]
        bad: list[Phrase] = [Phrase("negative", {"field": _FIELD[c], "value": int(r[c])}) for c in counts
                             if pd.notna(r[c]) and r[c] < 0]
        if hh_pp[k]:
            bad.append(Phrase("hh_pp", {"households": int(r["households"]), "people": int(r["people"])}))
        joined = bad[0]
        for b in bad[1:]:
            joined = Phrase("and", {"a": joined, "b": b})
        yield {"params": {"aid": r["assignment_id"], "bad": joined}, "assignment_ids": [r["assignment_id"]],
               "border_id": r["border_id"], "geometry": ctx.stretch(r)}
