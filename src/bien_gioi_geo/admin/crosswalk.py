"""The crosswalk from the administrative units before 1 July 2025 to the current ones.

Source: the data files of the PyPI package ``vietnamadminunits`` (MIT, © 2025 Tran Ngoc Minh Hieu), read
directly — its SQLite table ``admin_units_legacy`` (the 63 provinces, their districts and 10,040 communes, wards and
towns, with official names and the spellings offices use as keywords), its table ``admin_units`` (the 34 provinces
and 3,321 current communes and wards) and its ``converter_2025.json`` (which old commune went into which new one;
an old commune divided among several new ones is listed with all of them). The package's own converter is not
used: for a divided commune it silently picks a "default" new commune, which this library must never do.

The package is an optional dependency (``pip install "bien_gioi_geo[admin]"``): it weighs about 12 MB and pulls
``geopy``, ``tqdm`` and ``unidecode``, none of which the rest of the library needs; only its data files are
opened, and only when a crosswalk is first asked for.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .names import ascii_key, levenshtein, name_has_marks, text_key, unit_forms, yi_key

__all__ = ["crosswalk", "package_version", "match_area", "nearest", "national_index", "OldUnit", "NewUnit", "TIERS",
           "PROVINCE_ALIASES", "current_provinces", "bare_district"]

INSTALL_HINT = 'pip install "bien_gioi_geo[admin]"'
#: names a province went by in registration tables that the package does not list: Thừa Thiên Huế became the
#: centrally-run city of Huế on 1 January 2025, and older tables still carry the province's name
PROVINCE_ALIASES = {"Huế": ("Thừa Thiên Huế", "Tỉnh Thừa Thiên Huế", "TT Huế", "TT-Huế")}


@dataclass(frozen=True)
class NewUnit:
    """A commune-level unit existing since 1 July 2025."""

    province: str  #: short name, e.g. "Lai Châu"
    name: str  #: full name with its type, e.g. "Xã Sì Lở Lầu"
    code: str | None


@dataclass
class OldUnit:
    """A commune-level unit as it was before 1 July 2025, with every key it can be recognised by."""

    province: str  #: short names
    district: str
    name: str  #: full name with its type, e.g. "Xã Ma Li Pho"
    short: str
    code: str | None
    keywords: list[str] = field(default_factory=list)  #: the package's ascii spellings of the name
    new: list[NewUnit] = field(default_factory=list)
    _keys: dict[str, set[str]] | None = field(default=None, repr=False)

    @property
    def keys(self) -> dict[str, set[str]]:
        """Tier → the keys this unit is recognised by (computed on first use: most units are never searched)."""
        if self._keys is None:
            self._keys = _keys(unit_forms(self.short, self.name), self.keywords)
        return self._keys


@dataclass
class Area:
    """A province or district before 1 July 2025, with its keys."""

    name: str
    keys: dict[str, set[str]]


def _keys(forms: list[str], keywords: list[str] | None = None) -> dict[str, set[str]]:
    # ``forms`` is unit_forms(): the short and full names first (exact), then abbreviations (normalised)
    ascii_ = {ascii_key(f) for f in forms}
    # the package's spellings are bare (``xaphin`` for Sà Phìn): offer them with the unit's type words too
    # (``X. Xà Phìn``), as the official name is
    prefixes = {a[:-len(b)] for a in ascii_ for b in ascii_ if b and a != b and a.endswith(b)}
    ascii_ |= {p + k for k in keywords or () for p in prefixes | {""}}
    return {"exact": set(forms[:2]), "normalised": {text_key(f) for f in forms}, "ascii": ascii_,
            "yi": {k.replace("y", "i") for k in ascii_}}


TIERS = ("exact", "normalised", "ascii", "yi")
_RECORDED_KEY: dict[str, Callable[[str], str]] = {"exact": str.strip, "normalised": text_key, "ascii": ascii_key,
                                                  "yi": yi_key}
#: fuzzy rule: the recorded name is one edit (a letter added, dropped or changed) away from exactly one unit of the
#: scope, is at least this long, and every other unit of the scope is at least FUZZY_GAP edits away
FUZZY_MIN_LEN = 6
FUZZY_GAP = 3


def match_area(text: str, areas: dict, *, fuzzy: bool = True) -> tuple[list, str | None]:
    """Match a recorded name against units that carry ``keys`` (tier → set of keys).

    Returns the keys of the matching units and the tier that matched (``"exact"``, ``"normalised"``, ``"ascii"``,
    ``"yi"`` or ``"fuzzy"``); several keys when the name fits several units at the first tier that matches any;
    ``([], None)`` when nothing matches.
    """
    if not isinstance(text, str) or not text.strip():
        return [], None
    # a name written without marks is compared without them: "Nga Thanh" may be Nga Thanh or Nga Thành
    for tier in TIERS if name_has_marks(text) else TIERS[2:]:
        rec = _RECORDED_KEY[tier](text)
        if not rec:
            continue
        hits = [k for k, a in areas.items() if rec in _keys_of(a)[tier]]
        if hits:
            return hits, tier
    if not fuzzy:
        return [], None
    rec = yi_key(text)
    if len(rec) < FUZZY_MIN_LEN:
        return [], None
    dist = _distances(rec, areas, cap=FUZZY_GAP)
    if dist and dist[0][0] <= 1 and (len(dist) == 1 or dist[1][0] >= FUZZY_GAP):
        return [dist[0][2]], "fuzzy"
    return [], None


def nearest(text: str, areas: dict, *, n: int = 3) -> list:
    """The keys of the ``n`` units whose names are closest to ``text`` (edit distance on :func:`yi_key`)."""
    rec = yi_key(text)
    if not rec or not areas:
        return []
    limit = max(3, len(rec) // 2)
    dist = _distances(rec, areas, cap=limit)
    return [key for d, _, key in dist[:n] if d <= limit]


def _distances(rec: str, areas: dict, *, cap: int) -> list[tuple[int, int, object]]:
    """(edit distance of ``rec`` to the unit's nearest key, position, unit key), nearest first; distances above
    ``cap`` are reported as ``cap + 1`` (a key whose length differs by more than ``cap`` is not compared).
    """
    def d(k: str) -> int:
        return levenshtein(rec, k) if abs(len(k) - len(rec)) <= cap else cap + 1

    return sorted((min(cap + 1, *(d(k) for k in _keys_of(a)["yi"])), i, key)
                  for i, (key, a) in enumerate(areas.items()))


def _keys_of(unit: object) -> dict[str, set[str]]:
    return unit.keys  # type: ignore[attr-defined,no-any-return]


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")  # located, not imported: only its data files are read
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the administrative crosswalk needs the package 'vietnamadminunits': {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def package_version() -> str:
    """The installed version of ``vietnamadminunits`` (the source of the crosswalk)."""
    from importlib.metadata import version

    return version("vietnamadminunits")


@dataclass
class _Tables:
    provinces: dict[str, Area]  #: old province key → area
    districts: dict[tuple[str, str], Area]  #: (old province key, district key) → area
    communes: dict[tuple[str, str], list[OldUnit]]  #: (old province key, district key) → communes
    new_units: dict[tuple[str, str], NewUnit]  #: (new province key, ward key) → unit


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    folder = _data_dir()
    with open(folder / "converter_2025.json", encoding="utf-8") as f:
        conv = json.load(f)
    con = sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)
    try:
        new_rows = con.execute(
            "select provinceKey, wardKey, provinceShort, ward, wardCode from admin_units").fetchall()
        old_rows = con.execute(
            "select provinceKey, districtKey, wardKey, province, provinceShort, provinceKeywords, district, "
            "districtShort, districtKeywords, ward, wardShort, wardKeywords, wardCode from admin_units_legacy "
            "where ward is not null").fetchall()
    finally:
        con.close()
    new_units = {(pk, wk): NewUnit(province=ps, name=w, code=c) for pk, wk, ps, w, c in new_rows}
    # old "province_district_ward" key → new (province key, ward key)s
    targets: dict[str, list[tuple[str, str]]] = {}
    for new_pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, olds in wards.items():
            for old in olds:
                targets.setdefault(old, []).append((new_pk, new_wk))
    for new_pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, wards in olds.items():
            for w in wards:
                targets.setdefault(old, []).append((new_pk, w["newWardKey"]))
    provinces: dict[str, Area] = {}
    districts: dict[tuple[str, str], Area] = {}
    communes: dict[tuple[str, str], list[OldUnit]] = {}
    for (pk, dk, wk, prov, prov_s, prov_kw, dist, dist_s, dist_kw, ward, ward_s, ward_kw, code) in old_rows:
        if pk not in provinces:
            forms = unit_forms(prov_s, prov) + list(PROVINCE_ALIASES.get(prov_s, ()))
            provinces[pk] = Area(prov_s, _keys(forms, json.loads(prov_kw or "[]")))
        if (pk, dk) not in districts:
            districts[(pk, dk)] = Area(dist_s, _keys(unit_forms(dist_s, dist), json.loads(dist_kw or "[]")))
        unit = OldUnit(province=prov_s, district=dist_s, name=ward, short=ward_s, code=code,
                       keywords=json.loads(ward_kw or "[]"))
        unit.new = [new_units[t] for t in dict.fromkeys(targets.get(f"{pk}_{dk}_{wk}", [])) if t in new_units]
        communes.setdefault((pk, dk), []).append(unit)
    return _Tables(provinces, districts, communes, new_units)


@lru_cache(maxsize=1)
def current_provinces() -> dict[str, tuple[Area, frozenset[str]]]:
    """Each province since 1 July 2025 → (its keys, the keys of the old provinces whose communes went into it).

    Records written after the reform often give the current province (``Tuyên Quang``) with an old commune of
    a province merged into it (Hà Giang's ``Lũng Cú``): the recorded province then stands for all of them.
    """
    t = _tables()
    olds: dict[str, set[str]] = {}
    for (pk, _dk), units in t.communes.items():
        for u in units:
            for n in u.new:
                olds.setdefault(n.province, set()).add(pk)
    out: dict[str, tuple[Area, frozenset[str]]] = {}
    for name, pks in olds.items():
        forms = (unit_forms(name, f"Tỉnh {name}") + unit_forms(name, f"Thành phố {name}")[1:]
                 + list(PROVINCE_ALIASES.get(name, ())))
        out[name] = (Area(name, _keys(forms)), frozenset(pks))
    return out


_DISTRICT_TYPE = re.compile(r"^\s*(?:huyện|h\.|quận|q\.|thị xã|tx\.?|thành phố|tp\.?)\s*", re.IGNORECASE)


def bare_district(text: str) -> str:
    """A recorded district without its type word: ``Tx. Tây Ninh`` → ``Tây Ninh`` (the town became a city).

    Examples
    --------
    >>> bare_district("Tx. Tây Ninh"), bare_district("TP.Châu Đốc"), bare_district("Huyện Đồng Văn")
    ('Tây Ninh', 'Châu Đốc', 'Đồng Văn')
    """
    return _DISTRICT_TYPE.sub("", unicodedata.normalize("NFC", text), count=1).strip()


@lru_cache(maxsize=1)
def national_index() -> dict[str, list[OldUnit]]:
    """Every old commune of the country under each of its loosest (y read as i) keys: where else a name exists.

    Used only to offer candidates (and to refuse a one-letter guess when the name is exactly a commune
    elsewhere), never to map a row.
    """
    out: dict[str, list[OldUnit]] = {}
    for units in _tables().communes.values():
        for u in units:
            for k in u.keys["yi"]:
                out.setdefault(k, []).append(u)
    return out


def crosswalk(*, province: str | None = None) -> pd.DataFrame:
    """The crosswalk as a table: one row per (old commune, new commune) pair.

    Parameters
    ----------
    province
        Keep only the old communes of this old province (any spelling :func:`to_current` accepts).

    Returns
    -------
    pandas.DataFrame
        ``province``, ``district``, ``commune`` (old, full names with type), ``commune_code``,
        ``province_current``, ``commune_current``, ``commune_current_code``, ``split`` (the old commune was
        divided among several new ones; one row per part).
    """
    t = _tables()
    keys = list(t.communes)
    if province is not None:
        pks, _ = match_area(province, {pk: a for pk, a in t.provinces.items()})
        if not pks:
            raise InputError(f"unknown province {province!r}; "
                             "give its name as before 1 July 2025, e.g. 'Lai Châu'")
        keys = [k for k in keys if k[0] in pks]
    rows = []
    for k in keys:
        for u in t.communes[k]:
            parts: list[NewUnit | None] = list(u.new) or [None]
            for n in parts:
                rows.append({"province": u.province, "district": u.district, "commune": u.name,
                             "commune_code": u.code, "province_current": n.province if n else None,
                             "commune_current": n.name if n else None, "commune_current_code": n.code if n else None,
                             "split": len(u.new) > 1})
    return pd.DataFrame(rows)
