"""Cell parsers by value type, for the values offices really type.

Each parser takes one cell (text as typed, or the number/date object a spreadsheet gives) and returns
``(value, note)``: the parsed value (``None`` for an empty cell) and ``None`` or a note saying how a value that
could be read more than one way was read. A value that cannot be read raises
:class:`~bien_gioi_geo.errors.InputError` whose message shows the value and what was expected; the caller adds
the file, sheet, row and field. Messages are Vietnamese unless ``lang="en"``.

Rules
-----
Decimals (km, coordinates, elevation)
    A comma or a point may be the decimal separator (``97,229`` = ``97.229``). When both appear, the last one is
    the decimal separator and the other groups thousands (``1.234,5``, ``1,234.5``); a separator that appears
    twice or more groups thousands (``2.456.789``). Spaces, no-break and thin spaces group thousands
    (``16 010``). A single separator followed by exactly three digits (``1,234``, ``1.234``) reads two ways;
    it is resolved, in this order, by the separator the rest of the column uses (``decimal=``), by the one
    reading that lies in the plausible range of the column kind (degrees within ±180, km within 0–2,500 —
    Viet Nam's longest land border, with Laos, is 2,337 km —, projected metres within 100,000–10,000,000: a
    VN-2000 TM-3 coordinate is never under 100 km), and otherwise by Vietnamese usage (a comma is the decimal
    separator, a dot groups thousands), with a note saying which reading was taken.
Counts (households, people, collectives, individuals)
    Whole and non-negative. Dots, commas and spaces group thousands (``16.010``, ``16,010``, ``16 010`` → 16010);
    a fraction (``2,5``) is refused, never rounded.
Chainage
    ``Km 3+200``, ``K3+200``, ``3+200``, ``km 3+200,5``, ``Km3 + 200 m`` (kilometres + metres, the metres under
    1000) or a plain decimal number of km (``3,2``).
Marker-anchored positions
    ``62``, ``62+300``, ``mốc 62 + 300 m``, ``Mốc 62 - 150m``, ``62(1)+50``, ``62/1 + 0,3 km``: a marker and a
    signed distance along the border in metres (anchor + offset, as railway referencing writes positions). A
    ``+`` without a unit is metres; a ``-`` without a unit is refused (``62-63`` may be a range of markers).
Dates
    Day first, as Vietnamese writes dates: ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``,
    ``ngày 3 tháng 3 năm 2024``; ISO ``yyyy-mm-dd`` (with or without a time); a spreadsheet's date cell; an
    Excel serial day number. A year alone (``2024``, ``năm 2024``) is read as 1 January for a start date and
    31 December for an end date, with a note, and refused for a day-exact field (``year_only="refuse"``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from numbers import Number
from typing import Literal

from ..errors import InputError
from ..schema import parse_marker_id
from ._messages import msg
from .fields import category_key, category_spellings, category_values

__all__ = [
    "DecimalKind",
    "MarkerPosition",
    "Stretch",
    "parse_decimal",
    "infer_decimal_separator",
    "parse_count",
    "parse_chainage_km",
    "parse_marker_position",
    "parse_stretch",
    "parse_category",
    "parse_date",
    "parse_marker_id_cell",
    "implied_group_counts",
    "format_km",
]

Parsed = tuple[object, str | None]
DecimalKind = Literal["decimal", "km", "degree", "projected_m", "metres"]

#: Plausible ranges used only to resolve a value that reads two ways (``1,234``).
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "degree": (-180.0, 180.0),
    "km": (0.0, 2500.0),
    "projected_m": (1.0e5, 1.0e7),
}

_SPACE_CHARS = " \u00a0\u2007\u2009\u202f"  # space, no-break, figure, thin, narrow no-break
_SPACE_GROUPED = re.compile(rf"(\d{{1,3}}(?:[{_SPACE_CHARS}]\d{{3}})+)(?:([.,])(\d+))?")
_EXP = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _is_number(value: object) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _cell_number(value: object, lang: str) -> float | None:
    """The value of a numeric cell (refusing booleans and inf/NaN); ``None`` for anything else."""
    if isinstance(value, bool):
        raise InputError(msg("boolean", lang, value=value))
    if not _is_number(value):
        return None
    f = float(value)  # type: ignore[arg-type]
    if not math.isfinite(f):
        raise InputError(msg("not_finite", lang, value=value))
    return f


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def _split_sign(s: str) -> tuple[float, str]:
    if s[:1] in ("-", "\u2212"):
        return -1.0, s[1:].strip()
    if s[:1] == "+":
        return 1.0, s[1:].strip()
    return 1.0, s


def _grouped(intpart: str, sep: str) -> bool:
    return re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+", intpart) is not None


def _fmt(x: float) -> str:
    return f"{x:,.10g}".replace(",", " ") if x >= 1000 else f"{x:.10g}"


def parse_decimal(value: object, *, kind: DecimalKind = "decimal", decimal: str | None = None,
                  lang: str = "vi") -> Parsed:
    """Parse a decimal number written with a decimal comma or point, and maybe thousands separators.

    Parameters
    ----------
    value
        The cell: text, a number, or empty (``None``, ``""``).
    kind
        What the column holds: ``"km"``, ``"degree"``, ``"projected_m"`` (VN-2000 metres), ``"metres"`` or
        ``"decimal"``; used only to resolve a value that reads two ways (see the module notes).
    decimal
        The decimal separator the rest of the column uses (``","`` or ``"."``), from
        :func:`infer_decimal_separator`; ``None`` when unknown.
    lang
        Language of notes and messages.

    Returns
    -------
    tuple
        ``(float or None, note or None)``.

    Examples
    --------
    >>> parse_decimal("97,229", kind="km")  # 97 229 km is no chainage in Viet Nam
    (97.229, None)
    >>> parse_decimal("2.456.789,123", kind="projected_m")
    (2456789.123, None)
    >>> parse_decimal("1,234", kind="metres", lang="en")[0]
    1.234
    """
    if _empty(value):
        return None, None
    f = _cell_number(value, lang)
    if f is not None:
        return f, None
    s = _text(value)
    sign, body = _split_sign(s)
    if _EXP.fullmatch(body):
        return sign * float(body), None
    if not re.fullmatch(rf"[0-9.,{_SPACE_CHARS}]*[0-9][0-9.,{_SPACE_CHARS}]*", body):
        raise InputError(msg("not_number", lang, value=s))
    if any(c in body for c in _SPACE_CHARS):
        m = _SPACE_GROUPED.fullmatch(body)
        if m is None:
            raise InputError(msg("bad_grouping", lang, value=s))
        whole = re.sub(f"[{_SPACE_CHARS}]", "", m.group(1))
        return sign * float(f"{whole}.{m.group(3) or 0}"), None
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        grp = "." if dec == "," else ","
        intpart, _, frac = body.rpartition(dec)
        if body.count(dec) != 1 or not frac or not _grouped(intpart, grp):
            raise InputError(msg("bad_grouping", lang, value=s))
        return sign * float(intpart.replace(grp, "") + "." + frac), None
    if not commas and not dots:
        return sign * float(body), None
    sep = "," if commas else "."
    if body.count(sep) > 1:
        if decimal == sep or not _grouped(body, sep):
            raise InputError(msg("bad_grouping", lang, value=s))
        return sign * float(body.replace(sep, "")), None
    intpart, _, frac = body.partition(sep)
    if not frac:
        raise InputError(msg("not_number", lang, value=s))
    as_decimal = sign * float(f"{intpart or 0}.{frac}")
    two_ways = len(frac) == 3 and 1 <= len(intpart) <= 3 and not intpart.startswith("0")
    if not two_ways:
        if decimal is not None and decimal != sep:
            raise InputError(msg("bad_grouping", lang, value=s))
        return as_decimal, None
    as_thousands = sign * float(intpart + frac)
    if decimal is not None:
        return (as_decimal if decimal == sep else as_thousands), None
    lo_hi = PLAUSIBLE.get(kind)
    if lo_hi is not None:
        lo, hi = lo_hi
        ok_dec, ok_thou = lo <= as_decimal <= hi, lo <= as_thousands <= hi
        if ok_dec != ok_thou:
            return (as_decimal if ok_dec else as_thousands), None
    chosen = as_decimal if sep == "," else as_thousands
    why = msg("why_vi_comma" if sep == "," else "why_vi_dot", lang)
    return chosen, msg("ambiguous_decimal", lang, value=s, a=_fmt(as_decimal), b=_fmt(as_thousands),
                       chosen=_fmt(chosen), why=why)


def infer_decimal_separator(values: list[object] | tuple[object, ...]) -> str | None:
    """The decimal separator a column's text cells show unambiguously, or ``None`` (no evidence, or both).

    Evidence for a separator: it appears last after the other (``1.234,5``), or once followed by other than
    three digits (``97,2``, ``0.5``, ``0,123``); a separator appearing twice (``2.456.789``) groups thousands,
    which makes the other one the decimal separator.

    Examples
    --------
    >>> infer_decimal_separator(["1,234", "97,2"])
    ','
    >>> infer_decimal_separator(["1,234", "0.5", "97,2"]) is None  # both seen
    True
    """
    seen: set[str] = set()
    for v in values:
        if not isinstance(v, str):
            continue
        body = v.strip().lstrip("+-\u2212")
        if not re.fullmatch(r"[0-9.,]*[0-9][0-9.,]*", body):
            continue
        commas, dots = body.count(","), body.count(".")
        if commas and dots:
            seen.add("," if body.rfind(",") > body.rfind(".") else ".")
        elif commas > 1 or dots > 1:
            seen.add("." if commas > 1 else ",")
        elif commas or dots:
            sep = "," if commas else "."
            intpart, _, frac = body.partition(sep)
            if len(frac) != 3 or not 1 <= len(intpart) <= 3 or intpart.startswith("0"):
                seen.add(sep)
    return seen.pop() if len(seen) == 1 else None


def parse_count(value: object, *, lang: str = "vi") -> Parsed:
    """Parse a whole, non-negative count: ``16.010``, ``16,010``, ``16 010`` and ``16010`` are all 16010.

    Examples
    --------
    >>> parse_count("16.010")
    (16010, None)
    >>> parse_count("2,5", lang="en")
    Traceback (most recent call last):
    ...
    bien_gioi_geo.errors.InputError: '2,5': a count is a whole number (households and people have no fractions)
    """
    if _empty(value):
        return None, None
    f = _cell_number(value, lang)
    if f is not None:
        if f < 0:
            raise InputError(msg("negative_count", lang, value=value))
        if not f.is_integer():
            raise InputError(msg("fraction_count_cell", lang, value=value))
        return int(f), None
    s = _text(value)
    sign, body = _split_sign(s)
    if re.fullmatch(r"\d+", body):
        n = int(body)
    else:
        m = re.fullmatch(rf"\d{{1,3}}([.,{_SPACE_CHARS}])\d{{3}}(?:\1\d{{3}})*", body)
        if m is not None:
            n = int(re.sub(rf"[.,{_SPACE_CHARS}]", "", body))
        else:
            try:
                parse_decimal(body, lang=lang)
            except InputError:
                raise InputError(msg("not_number", lang, value=s)) from None
            raise InputError(msg("fraction_count", lang, value=s))
    if sign < 0 and n != 0:
        raise InputError(msg("negative_count", lang, value=s))
    return n, None


_CHAINAGE_PLUS = re.compile(r"(?:k(?:m)?\.?\s*)?(\d+)\s*\+\s*(\d+(?:[.,]\d+)?)\s*(?:m)?", re.IGNORECASE)
_CHAINAGE_KM = re.compile(r"(?:km?\.?\s*)?([0-9][0-9.,\s]*?)\s*(?:km)?", re.IGNORECASE)


def parse_chainage_km(value: object, *, decimal: str | None = None, lang: str = "vi") -> Parsed:
    """Parse a chainage in km: ``Km 3+200`` (3.2 km), ``K3+200``, ``3+200``, ``km 3+200,5``, ``3,2``.

    Examples
    --------
    >>> parse_chainage_km("Km 3+200", lang="en")
    (3.2, "'Km 3+200' read as 3.2 km (km + metres)")
    >>> parse_chainage_km("3,2")
    (3.2, None)
    """
    if _empty(value):
        return None, None
    if _is_number(value) or isinstance(value, bool):
        km, note = parse_decimal(value, kind="km", lang=lang)
    else:
        s = _text(value)
        if s[:1] in ("-", "\u2212"):
            raise InputError(msg("negative_km", lang, value=s))
        m = _CHAINAGE_PLUS.fullmatch(s)
        if m is not None:
            metres = float(m.group(2).replace(",", "."))
            if metres >= 1000:
                raise InputError(msg("metres_part", lang, value=s))
            km = round(int(m.group(1)) + metres / 1000.0, 9)
            return km, msg("chainage_plus", lang, value=s, km=_fmt(km))
        m = _CHAINAGE_KM.fullmatch(s)
        if m is None:
            raise InputError(msg("not_chainage", lang, value=s))
        try:
            km, note = parse_decimal(m.group(1).strip(), kind="km", decimal=decimal, lang=lang)
        except InputError:
            raise InputError(msg("not_chainage", lang, value=s)) from None
    if km is not None and float(km) < 0:  # type: ignore[arg-type]
        raise InputError(msg("negative_km", lang, value=value))
    return km, note


@dataclass(frozen=True)
class MarkerPosition:
    """A position along the border given as a marker and a signed distance from it (metres, + = onwards)."""

    marker: str
    offset_m: float = 0.0

    def __str__(self) -> str:
        if not self.offset_m:
            return self.marker
        sign = "+" if self.offset_m > 0 else "-"
        return f"{self.marker} {sign} {_fmt(abs(self.offset_m))} m"


_MARKER_ID_RE = r"\d+\s*(?:/\s*\d+)?\s*(?:\(\s*\d+\s*\))?"
_OFFSET_RE = r"(?P<sign>[+\-\u2212\u2013])\s*(?P<dist>\d+(?:[.,]\d+)?)\s*(?P<unit>km|m)?"
_ANCHOR = re.compile(rf"(?:(?:cột\s+)?mốc|marker)?\s*(?P<id>{_MARKER_ID_RE})\s*(?:{_OFFSET_RE})?", re.IGNORECASE)


def _marker_id_text(text: str, lang: str) -> str:
    try:
        return str(parse_marker_id(re.sub(r"\s+", "", text)))
    except ValueError as exc:
        key = "marker_post" if str(exc).startswith("post number") else "not_marker_id"
        raise InputError(msg(key, lang, value=text)) from None


def _excel_date_marker(value: dt.date, lang: str) -> InputError:
    return InputError(msg("marker_is_date", lang, value=value.isoformat(), guess=f"{value.day}/{value.month}"))


_MARKER_WORD = re.compile(r"^(?:cột\s+)?mốc\s*|^marker\s*", re.IGNORECASE)
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?")


def parse_marker_id_cell(value: object, *, lang: str = "vi") -> Parsed:
    """Parse a marker id cell (``62``, ``62(1)``, ``62/1``), refusing one that Excel turned into a date.

    A leading ``Mốc``/``Cột mốc`` is allowed (``Mốc 62`` in a ``Tên mốc`` column). A cell typed ``22/1`` in a
    General-format column becomes 22 January in Excel; the message says so and how
    to fix it (format the column as Text).

    Examples
    --------
    >>> parse_marker_id_cell(62.0)
    ('62', None)
    >>> import datetime
    >>> parse_marker_id_cell(datetime.datetime(2024, 1, 22), lang="en")
    Traceback (most recent call last):
    ...
    bien_gioi_geo.errors.InputError: '2024-01-22': Excel turned the marker id into a date (probably '22/1'); \
format the marker id column as Text and type it again
    """
    if _empty(value):
        return None, None
    if isinstance(value, (dt.date, dt.datetime)):
        raise _excel_date_marker(value.date() if isinstance(value, dt.datetime) else value, lang)
    if _is_number(value):
        f = float(value)  # type: ignore[arg-type]
        if not f.is_integer():
            raise InputError(msg("not_marker_id", lang, value=value))
        return str(int(f)), None
    s = _text(value)
    m = _ISO_DATETIME.fullmatch(s)
    if m is not None:
        raise _excel_date_marker(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), lang)
    return _marker_id_text(_MARKER_WORD.sub("", s), lang), None


def parse_marker_position(value: object, *, lang: str = "vi") -> Parsed:
    """Parse a marker, maybe with a distance along the border: ``62+300`` → marker 62, +300 m.

    Returns
    -------
    tuple
        ``(MarkerPosition or None, note or None)``; the note says how an offset was read.

    Examples
    --------
    >>> parse_marker_position("mốc 62 + 300 m")[0]
    MarkerPosition(marker='62', offset_m=300.0)
    >>> parse_marker_position("62/1 + 0,3 km")[0]
    MarkerPosition(marker='62/1', offset_m=300.0)
    """
    if _empty(value):
        return None, None
    if isinstance(value, (dt.date, dt.datetime)) or _is_number(value) or isinstance(value, bool):
        marker, _ = parse_marker_id_cell(value, lang=lang)
        return MarkerPosition(str(marker)), None
    s = _text(value)
    if _ISO_DATETIME.fullmatch(s):
        parse_marker_id_cell(s, lang=lang)  # raises the Excel-date hint
    m = _ANCHOR.fullmatch(s)
    if m is None:
        raise InputError(msg("not_anchor", lang, value=s))
    marker = _marker_id_text(m.group("id"), lang)
    if m.group("sign") is None:
        return MarkerPosition(marker), None
    unit = (m.group("unit") or "").lower()
    minus = m.group("sign") != "+"
    if minus and not unit:
        raise InputError(msg("anchor_minus_unit", lang, value=s, a=marker, b=m.group("dist")))
    dist = float(m.group("dist").replace(",", ".")) * (1000.0 if unit == "km" else 1.0)
    offset = -dist if minus else dist
    return MarkerPosition(marker, offset), msg("anchor_offset", lang, value=s, marker=marker,
                                               sign="-" if minus else "+", dist=_fmt(dist))


@dataclass(frozen=True)
class Stretch:
    """A stretch read from a description: by markers (:class:`MarkerPosition` ends) or by chainage (km)."""

    by: Literal["markers", "chainage"]
    start: MarkerPosition | float
    end: MarkerPosition | float
    text: str


_POS = rf"{_MARKER_ID_RE}(?:\s*[+\-\u2212\u2013]\s*\d+(?:[.,]\d+)?\s*(?:km|m)\b)?(?:\s*\+\s*\d+(?:[.,]\d+)?)?"
_KM = r"\d+(?:\s*\+\s*\d+(?:[.,]\d+)?|[.,]\d+)?"
_STRETCH_MARKERS = re.compile(
    rf"(?:từ|from)\s+(?:cột\s+)?(?:mốc|marker)\s*(?P<a>{_POS})\s*(?:đến|tới|to|-|–)\s*(?:cột\s+)?(?:mốc|marker)\s*"
    rf"(?P<b>{_POS})", re.IGNORECASE)
_STRETCH_KM = re.compile(rf"(?:từ|from)\s+(?:km|k)\s*(?P<a>{_KM})\s*(?:km\s*)?(?:đến|tới|to|-|–)\s*(?:km|k)\s*"
                         rf"(?P<b>{_KM})", re.IGNORECASE)


def parse_stretch(value: object, *, lang: str = "vi") -> tuple[Stretch | None, str | None]:
    """Find a stretch in a description such as ``tự quản từ mốc 27 đến mốc 28`` or ``từ km 5,5 đến km 8,2``.

    Returns ``(None, None)`` when the text names no stretch; raises when it names more than one.

    Examples
    --------
    >>> s, note = parse_stretch("Tổ tự quản từ mốc 27 đến mốc 28")
    >>> (s.by, str(s.start), str(s.end))
    ('markers', '27', '28')
    >>> parse_stretch("đoạn từ Km 3+200 đến Km 5+000")[0].end
    5.0
    """
    if _empty(value) or not isinstance(value, str):
        return None, None
    s = _text(value)
    found: list[Stretch] = []
    for m in _STRETCH_MARKERS.finditer(s):
        a, _ = parse_marker_position(m.group("a"), lang=lang)
        b, _ = parse_marker_position(m.group("b"), lang=lang)
        assert isinstance(a, MarkerPosition) and isinstance(b, MarkerPosition)
        found.append(Stretch("markers", a, b, m.group(0)))
    for m in _STRETCH_KM.finditer(s):
        ka, _ = parse_chainage_km(m.group("a"), lang=lang)
        kb, _ = parse_chainage_km(m.group("b"), lang=lang)
        assert isinstance(ka, float) and isinstance(kb, float)
        found.append(Stretch("chainage", ka, kb, m.group(0)))
    if not found:
        return None, None
    if len(found) > 1:
        raise InputError(msg("stretch_many", lang, value=s, n=len(found)))
    st = found[0]
    ends = [str(e) if isinstance(e, MarkerPosition) else f"km {_fmt(e)}" for e in (st.start, st.end)]
    return st, msg("stretch_from_description", lang, text=st.text, start=ends[0], end=ends[1])


def parse_category(value: object, category: str, *, lang: str = "vi") -> Parsed:
    """The canonical value of a category cell: ``"Mốc đôi"`` → ``"double"``, ``"VNM"`` → ``"VN"``.

    ``category`` is ``"kind"``, ``"side"`` or ``"group_type"``; the accepted spellings are in ``fields.toml``.
    Matching ignores Unicode form, case, spacing and tone-mark placement.

    Examples
    --------
    >>> parse_category("Mốc đôi", "kind")
    ('double', None)
    >>> parse_category("Trung Quốc", "side")
    ('CN', None)
    """
    if _empty(value):
        return None, None
    aliases = category_values(category)
    key = category_key(str(value))
    if key in aliases:
        return aliases[key], None
    accepted = sorted({a for a in aliases.values()})
    spellings = ", ".join(f"{c} ({'/'.join(category_spellings(category)[c])})" for c in accepted)
    raise InputError(msg("unknown_category", lang, value=_text(value), what=msg(f"cat_{category}", lang),
                         accepted=spellings))


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_VI_DATE = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?:năm\s*)?(\d{4})", re.IGNORECASE)
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29 Feb 1900 (serials > 60)


def parse_date(value: object, *, year_only: Literal["start", "end", "refuse"] = "refuse",
               lang: str = "vi") -> Parsed:
    """Parse a date, day first as Vietnamese writes it.

    Examples
    --------
    >>> parse_date("03/04/2024")
    (datetime.date(2024, 4, 3), None)
    >>> parse_date("năm 2024", year_only="end", lang="en")
    (datetime.date(2024, 12, 31), "'năm 2024': a year only; read as 2024-12-31")
    """
    if _empty(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if _is_number(value):
        f = float(value)  # type: ignore[arg-type]
        if f.is_integer() and 1900 <= f <= 2100:
            return _year(int(f), value, year_only, lang)
        if not f.is_integer() or not 61 <= f <= 2958465:
            raise InputError(msg("not_date", lang, value=value))
        d = _EXCEL_EPOCH + dt.timedelta(days=int(f))
        return d, msg("excel_serial", lang, value=value, date=d.isoformat())
    s = _text(value)
    m = _ISO_DATETIME.fullmatch(s) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T[0-9:.+\-Z]+", s)
    if m is not None:
        y, mo, d_ = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _DMY.fullmatch(s) or _VI_DATE.fullmatch(s)) is not None:
        d_, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _YEAR.fullmatch(s)) is not None:
        return _year(int(m.group(1)), s, year_only, lang)
    else:
        raise InputError(msg("not_date", lang, value=s))
    try:
        return dt.date(y, mo, d_), None
    except ValueError:
        raise InputError(msg("bad_day_month", lang, value=s)) from None


def _year(year: int, value: object, year_only: str, lang: str) -> Parsed:
    if year_only == "refuse":
        raise InputError(msg("year_only_refused", lang, value=value))
    d = dt.date(year, 1, 1) if year_only == "start" else dt.date(year, 12, 31)
    return d, msg("year_only", lang, value=value, date=d.isoformat())


def implied_group_counts(group_type: str | None, collectives: int | None, individuals: int | None, *,
                         lang: str = "vi") -> tuple[int | None, int | None, str | None]:
    """Apply the rule that a ``tập thể``/``cá nhân`` row without a count counts as one collective/individual.

    An office's register often lists a collective (a school, a unit) or one person per row without a count
    column. ``group_type`` is the canonical value (``"collective"``, ``"individual"``); a missing count of the
    matching kind (``None``: no column, or an empty cell) becomes 1 and a note says so. Given counts are never
    changed.

    Examples
    --------
    >>> implied_group_counts("collective", None, None, lang="en")
    (1, None, "group type 'collective' with no collective count: counted as one collective")
    >>> implied_group_counts("individual", None, 3)
    (None, 3, None)
    """
    if group_type == "collective" and collectives is None:
        return 1, individuals, msg("implied_one", lang, group=group_type, what=_count_word("collectives", lang))
    if group_type == "individual" and individuals is None:
        return collectives, 1, msg("implied_one", lang, group=group_type, what=_count_word("individuals", lang))
    return collectives, individuals, None


def _count_word(field: str, lang: str) -> str:
    return {"collectives": ("tập thể", "collective"), "individuals": ("cá nhân", "individual")}[field][
        0 if lang == "vi" else 1]


def format_km(km: float) -> str:
    """``3.2`` → ``"Km 3+200"``: chainage notation, metres rounded to whole metres.

    Examples
    --------
    >>> format_km(3.2)
    'Km 3+200'
    >>> format_km(12.0456)
    'Km 12+046'
    """
    metres = round(km * 1000)
    return f"Km {metres // 1000}+{metres % 1000:03d}"
