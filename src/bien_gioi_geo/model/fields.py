"""The fields of each table and the header names offices write for them, read from ``fields.toml``.

Header matching
---------------
A header is reduced to a *key*: Unicode NFD, case-folded, every run of punctuation and white space made one
space, and the tone mark of each word moved to the end of the word, so that ``Tọa`` and ``Toạ`` (old and new
tone placement), composed and decomposed text, ``THÔN, BẢN`` and ``thôn bản`` are the same key. A header
matches a field when its key is the key of one of the field's accepted names. Failing that, a trailing unit
(``(km)``, ``, m``, ``(độ)``) is split off and the rest is matched; a unit different from the field's
(``Chiều dài (m)`` for a field in km) is reported, never mapped. With ``ascii_fold=True`` a header typed
without diacritics (``So hieu moc``) matches when exactly one field of the table has that spelling, with a
note; two or more candidates are reported as ambiguous. Nothing else is guessed.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..errors import InputError
from ._messages import check_lang, msg

__all__ = [
    "TABLES",
    "Field",
    "HeaderMatch",
    "header_key",
    "category_key",
    "category_values",
    "category_spellings",
    "table_fields",
    "field_label",
    "match_headers",
]

TABLES = ("markers", "assignments", "border")
VALUE_TYPES = ("id", "text", "category", "count", "decimal", "chainage_km", "date", "marker_ref", "marker_list",
               "coordinate")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
#: Unit words that may close a header, and the unit they name.
UNITS = {"km": "km", "m": "m", "mét": "m", "met": "m", "độ": "degree", "do": "degree"}


def _fold(text: str, *, strip_marks: bool) -> str:
    out: list[str] = []
    tone = ""
    for ch in unicodedata.normalize("NFD", text).casefold():
        if unicodedata.category(ch).startswith("M"):
            if ch in _TONES:
                tone = "" if strip_marks else ch
            elif not strip_marks:
                out.append(ch)
        elif ch.isalnum():
            out.append("d" if strip_marks and ch == "đ" else ch)
        else:
            out.append(tone + " ")
            tone = ""
    out.append(tone)
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))


def header_key(text: object) -> str:
    """The matching key of a header (see the module notes).

    Examples
    --------
    >>> header_key("Tọa độ X") == header_key("Toạ độ X") == header_key("TOẠ  ĐỘ-X")
    True
    >>> header_key("Chiều dài (km)") == header_key("CHIỀU DÀI(KM)") == header_key("Chiều dài, km")
    True
    """
    return _fold(str(text), strip_marks=False)


def _ascii_key(text: str) -> str:
    return _fold(text, strip_marks=True)


def category_key(text: str) -> str:
    """The matching key of a category value: like :func:`header_key` (``"Mốc  ĐÔI"`` = ``"mốc đôi"``)."""
    return header_key(text)


@dataclass(frozen=True)
class Field:
    """One field of a table: its key in code, value type, whether it is required, accepted header names, labels."""

    key: str
    type: str
    required: bool
    headers: tuple[str, ...]
    label_vi: str
    label_en: str
    unit: str | None = None
    categories: str | None = None

    def label(self, lang: str = "vi") -> str:
        """The display label in ``lang``."""
        check_lang(lang)
        return self.label_vi if lang == "vi" else self.label_en


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("fields.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def table_fields(table: str) -> tuple[Field, ...]:
    """The fields of ``table`` (``"markers"``, ``"assignments"``, ``"border"``) in table order.

    Examples
    --------
    >>> [f.key for f in table_fields("markers")][:3]
    ['marker_id', 'kind', 'emplaced_by']
    """
    if table not in TABLES:
        raise InputError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    out = []
    for f in _data()[table]["fields"]:
        if f["type"] not in VALUE_TYPES:
            raise ValueError(f"fields.toml: {table}.{f['key']}: unknown value type {f['type']!r}")
        out.append(Field(key=f["key"], type=f["type"], required=bool(f.get("required", False)),
                         headers=tuple(unicodedata.normalize("NFC", h) for h in f["headers"]),
                         label_vi=f["label_vi"], label_en=f["label_en"], unit=f.get("unit"),
                         categories=f.get("categories")))
    return tuple(out)


def one_of_groups(table: str) -> list[list[str]]:
    """Groups of fields of which at least one must be complete (e.g. a location: lat+lon or x+y)."""
    table_fields(table)
    return [list(g) for g in _data()[table].get("one_of", [])]


@cache
def _keys(table: str, ascii_fold: bool) -> dict[str, tuple[str, ...]]:
    """Header key → field keys having it (more than one only for ASCII-folded keys)."""
    fold = _ascii_key if ascii_fold else header_key
    out: dict[str, list[str]] = {}
    for f in table_fields(table):
        for h in f.headers:
            k = fold(h)
            if f.key not in out.setdefault(k, []):
                out[k].append(f.key)
    if not ascii_fold:
        clash = {k: v for k, v in out.items() if len(v) > 1}
        if clash:
            raise ValueError(f"fields.toml: {table}: header keys shared by several fields: {clash}")
    return {k: tuple(v) for k, v in out.items()}


def field_label(key: str, lang: str = "vi", *, table: str | None = None) -> str:
    """The display label of field ``key`` (the first table that has it, or ``table``); unknown keys as they are.

    Examples
    --------
    >>> field_label("official_km")
    'Lý trình chính thức (km)'
    >>> field_label("people", "en")
    'People'
    """
    check_lang(lang)
    for t in (table,) if table else TABLES:
        for f in table_fields(t):
            if f.key == key:
                return f.label(lang)
    return key


@cache
def category_spellings(category: str) -> dict[str, list[str]]:
    """Canonical value → accepted spellings of a category (``"kind"``, ``"side"``, ``"group_type"``)."""
    cats = _data()["categories"]
    if category not in cats:
        raise InputError(f"category must be one of {', '.join(cats)}, not {category!r}")
    return {k: [unicodedata.normalize("NFC", s) for s in v] for k, v in cats[category].items()}


@cache
def category_values(category: str) -> dict[str, str]:
    """Matching key → canonical value for a category."""
    out: dict[str, str] = {}
    for canonical, spellings in category_spellings(category).items():
        for s in (canonical, *spellings):
            k = category_key(s)
            if out.setdefault(k, canonical) != canonical:
                raise ValueError(f"fields.toml: category {category}: {s!r} names two values")
    return out


@dataclass
class HeaderMatch:
    """How the header cells of a table map to its fields.

    Attributes
    ----------
    table
        Table kind.
    headers
        The header cells as read.
    columns
        One name per header cell: the field key where it matched, the header itself (stripped, NFC) otherwise;
        an empty header cell becomes ``"column N"`` (N counted from 1).
    mapping
        Header → field key, for matched headers (the first of duplicates only).
    unknown
        Headers that match no field, kept as they are.
    duplicates
        Field key → headers that all matched it (the first is used).
    ambiguous
        Header → candidate field keys (only with ``ascii_fold=True``).
    unit_conflicts
        Header → message for a header whose unit differs from its field's.
    missing
        Required fields not found, and one entry per unsatisfied ``one_of`` group (``"lat+lon|x+y|…"``).
    notes
        What a reader should know (headers matched without diacritics).
    """

    table: str
    headers: list[str]
    columns: list[str]
    mapping: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    unit_conflicts: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        """The field keys found."""
        return set(self.mapping.values())

    @property
    def ok(self) -> bool:
        """Whether every required field (and one of each ``one_of`` group) was found."""
        return not self.missing

    def problems(self, lang: str = "vi") -> list[str]:
        """Messages for duplicates, ambiguous headers and unit conflicts (not for missing columns)."""
        out = [msg("duplicate_header", lang, headers=", ".join(repr(h) for h in hs), field=k, first=hs[0])
               for k, hs in self.duplicates.items()]
        out += [msg("ambiguous_header", lang, header=h, fields=f" {msg('or', lang)} ".join(repr(c) for c in cs))
                for h, cs in self.ambiguous.items()]
        out += list(self.unit_conflicts.values())
        return out

    def missing_message(self, *, source: str | None = None, lang: str = "vi") -> str:
        """The one message for missing required columns: what was found, what is expected, with accepted names."""
        return missing_columns_message(self, source=source, lang=lang)

    def raise_for_missing(self, *, source: str | None = None, lang: str = "vi") -> None:
        """Raise :class:`~bien_gioi_geo.errors.InputError` with :meth:`missing_message` if anything is missing."""
        if self.missing:
            raise InputError(self.missing_message(source=source, lang=lang))


def _expected_text(table: str, lang: str) -> str:
    fields = {f.key: f for f in table_fields(table)}

    def names(key: str) -> str:
        f = fields[key]
        return f"{key} ({', '.join(h for h in f.headers if h != key)})"

    parts = [names(f.key) for f in fields.values() if f.required]
    groups = one_of_groups(table)
    if groups:
        alts = f" {msg('or', lang)} ".join(" + ".join(names(k) for k in g) for g in groups)
        parts.append(f"{msg('location', lang)}: {alts}")
    return "; ".join(parts)


def missing_columns_message(match: HeaderMatch, *, source: str | None = None, lang: str = "vi") -> str:
    """The message for a table whose required columns are missing.

    Examples
    --------
    >>> m = match_headers(["Tên", "Ghi chú"], table="assignments")
    >>> print(m.missing_message(source="so.xlsx", lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    so.xlsx: missing required column(s): assignment_id. Columns found: 'Tên', 'Ghi chú'. Columns expected
    (accepted names): assignment_id (Mã, Mã tổ, Mã đăng ký, Mã tổ tự quản)
    """
    check_lang(lang)
    found = ", ".join(repr(h) for h in match.headers if str(h).strip()) or "—"
    return msg("missing_columns", lang, source=f"{source}: " if source else "", missing=", ".join(match.missing),
               found=found, expected=_expected_text(match.table, lang))


def _split_unit(key: str) -> tuple[str, str | None]:
    words = key.split(" ")
    if len(words) > 1 and words[-1] in UNITS:
        return " ".join(words[:-1]), UNITS[words[-1]]
    return key, None


def match_headers(headers: list[object] | tuple[object, ...], *, table: str, ascii_fold: bool = False,
                  lang: str = "vi") -> HeaderMatch:
    """Map the header cells of a table to its fields.

    Parameters
    ----------
    headers
        The header cells, in column order (``None`` or ``""`` for an empty cell).
    table
        ``"markers"``, ``"assignments"`` or ``"border"``.
    ascii_fold
        Also match headers typed without diacritics when that is unambiguous within the table.
    lang
        Language of the notes and messages.

    Examples
    --------
    >>> m = match_headers(["STT", "Số hiệu mốc", "Toạ độ X", "Tọa độ Y", "Loại mốc"], table="markers")
    >>> m.columns
    ['STT', 'marker_id', 'x', 'y', 'kind']
    >>> m.missing
    []
    """
    check_lang(lang)
    fields = {f.key: f for f in table_fields(table)}
    exact = _keys(table, False)
    folded = _keys(table, True) if ascii_fold else {}
    texts = ["" if h is None else unicodedata.normalize("NFC", str(h)).strip() for h in headers]
    result = HeaderMatch(table=table, headers=texts, columns=[])
    first_header: dict[str, str] = {}
    for i, h in enumerate(texts):
        if not h:
            result.columns.append(f"column {i + 1}")
            continue
        key = header_key(h)
        found: str | None = None
        if key in exact:
            found = exact[key][0]
        else:
            base, unit = _split_unit(key)
            if unit is not None and base in exact:
                cand = fields[exact[base][0]]
                if cand.unit == unit or (cand.unit is None and cand.type in ("text", "id")):
                    found = cand.key
                else:
                    result.unit_conflicts[h] = msg("unit_conflict", lang, header=h, unit=unit, field=cand.key,
                                                   field_unit=cand.unit or "—")
            elif ascii_fold:
                akey = _ascii_key(h)
                abase, aunit = _split_unit(akey)
                cands = folded.get(akey) or (folded.get(abase) if aunit else None) or ()
                if len(cands) == 1 and (akey in folded or fields[cands[0]].unit == aunit):
                    found = cands[0]
                    result.notes.append(msg("ascii_header", lang, header=h, field=found))
                elif len(cands) > 1:
                    result.ambiguous[h] = list(cands)
        if found is None:
            result.columns.append(h)
            if h not in result.unit_conflicts and h not in result.ambiguous:
                result.unknown.append(h)
        elif found in first_header:
            result.duplicates.setdefault(found, [first_header[found]]).append(h)
            result.columns.append(h)
        else:
            first_header[found] = h
            result.mapping[h] = found
            result.columns.append(found)
    present = set(result.mapping.values())
    result.missing = [f.key for f in fields.values() if f.required and f.key not in present]
    groups = one_of_groups(table)
    if groups and not any(all(k in present for k in g) for g in groups):
        result.missing.append("|".join("+".join(g) for g in groups))
    return result
