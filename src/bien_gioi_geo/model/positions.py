"""Marker cells: marker ids (refusing ids Excel turned into dates), marker-anchored positions (``62+300``) and
stretches read from a description (``tự quản từ mốc 27 đến mốc 28``).

The rules are those of :mod:`bien_gioi_geo.model.values` (Marker-anchored positions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ..errors import InputError
from ..schema import parse_marker_id
from ._messages import msg
from .numbers import Parsed, _empty, _fmt, _is_number, _text, parse_chainage_km

__all__ = ["MarkerPosition", "Stretch", "parse_marker_id_cell", "parse_marker_position", "parse_stretch",
           "ISO_DATETIME"]


@dataclass(frozen=True)
class MarkerPosition:
    """A position along the border given as a marker and a signed distance from it (metres, + = onwards)."""

    marker: str
    offset_m: float = 0.0

    def __str__(self) -> str:
        if not self.offset_m:
            return self.marker
        sign = "+" if self.offset_m > 0 else "-"
        return f"{self.marker} {sign} {_fmt(abs(self.offset_m), 'en')} m"


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
ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?")


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
        return _marker_id_text(str(int(f)), lang), None
    s = _text(value)
    m = ISO_DATETIME.fullmatch(s)
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
    if ISO_DATETIME.fullmatch(s):
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
                                               sign="-" if minus else "+", dist=_fmt(dist, lang))


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
    ends = [str(e) if isinstance(e, MarkerPosition) else f"km {_fmt(e, lang)}" for e in (st.start, st.end)]
    return st, msg("stretch_from_description", lang, text=st.text, start=ends[0], end=ends[1])
