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
    ``ngày 3 tháng 3 năm 2024``; ISO ``yyyy-mm-dd`` (with or without a time); a spreadsheet's date cell.
    ``03/04/2024`` is always 3 April. A number in a date column (``45385``: an Excel date cell formatted General,
    which Excel shows as its serial day number, or the same number exported to CSV) is REFUSED, never guessed:
    the message says which date it would be as an Excel serial (03/04/2024) and asks to format the column as
    Date or type the date. (The number might be anything else; an office fixes the column once.) A year alone
    (``2024``, ``năm 2024``) is read as 1 January for a start date and
    31 December for an end date, with a note, and refused for a day-exact field (``year_only="refuse"``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from ..errors import InputError
from ._messages import msg
from .fields import category_key, category_spellings, category_values
from .numbers import (
    DecimalKind,
    Parsed,
    _empty,
    _is_number,
    _text,
    infer_decimal_separator,
    parse_chainage_km,
    parse_count,
    parse_decimal,
)
from .positions import ISO_DATETIME, MarkerPosition, Stretch, parse_marker_id_cell, parse_marker_position, parse_stretch

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
    spellings = ", ".join(f"{c} ({'/'.join(map(repr, category_spellings(category)[c]))})" for c in accepted)
    raise InputError(msg("unknown_category", lang, value=_text(value), what=msg(f"cat_{category}", lang),
                         accepted=spellings))


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_VI_DATE = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?:năm\s*)?(\d{4})", re.IGNORECASE)
_SERIAL_MIN, _SERIAL_MAX = 61, 2958465  # 1 March 1900 – 31 December 9999, Excel's serial days
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
    if isinstance(value, bool) or not (isinstance(value, str) or _is_number(value)):
        raise InputError(msg("not_date", lang, value=str(value)))
    if _is_number(value):
        try:
            f = float(value)  # type: ignore[arg-type]
        except OverflowError:
            raise InputError(msg("not_date", lang, value=value)) from None
        if f.is_integer() and 1900 <= f <= 2100:
            return _year(int(f), value, year_only, lang)
        raise _serial_refused(value, f, lang)
    s = _text(value)
    m = ISO_DATETIME.fullmatch(s) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T[0-9:.+\-Z]+", s)
    if m is not None:
        y, mo, d_ = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _DMY.fullmatch(s) or _VI_DATE.fullmatch(s)) is not None:
        d_, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _YEAR.fullmatch(s)) is not None:
        return _year(int(m.group(1)), s, year_only, lang)
    elif re.fullmatch(r"\d{1,7}(?:[.,]\d+)?", s):  # a serial day number exported as text (CSV)
        raise _serial_refused(s, float(s.replace(",", ".")), lang)
    else:
        raise InputError(msg("not_date", lang, value=s))
    try:
        return dt.date(y, mo, d_), None
    except ValueError:
        raise InputError(msg("bad_day_month", lang, value=s)) from None


def _serial_refused(value: object, f: float, lang: str) -> InputError:
    """A number in a date column: refused, with the date it would be as an Excel serial when that is one."""
    if f.is_integer() and _SERIAL_MIN <= f <= _SERIAL_MAX:
        d = _EXCEL_EPOCH + dt.timedelta(days=int(f))
        return InputError(msg("excel_serial", lang, value=value, date=f"{d.day:02d}/{d.month:02d}/{d.year}"))
    return InputError(msg("not_date", lang, value=value))


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
        word = _count_word("collectives", lang)
        return 1, individuals, msg("implied_one", lang, group=group_type if lang == "en" else word, what=word)
    if group_type == "individual" and individuals is None:
        word = _count_word("individuals", lang)
        return collectives, 1, msg("implied_one", lang, group=group_type if lang == "en" else word, what=word)
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
