"""Number cells: decimals with a comma or a point and thousands separators, counts, chainages (``Km 3+200``).

The rules are those of :mod:`bien_gioi_geo.model.values` (Decimals, Counts, Chainage).
"""

from __future__ import annotations

import math
import re
import unicodedata
from numbers import Number
from typing import Literal

from babel.numbers import format_decimal

from ..errors import InputError
from ._messages import msg

__all__ = ["DecimalKind", "Parsed", "parse_decimal", "infer_decimal_separator", "parse_count", "parse_chainage_km"]

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
    try:
        f = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise InputError(msg("too_large", lang, value=value)) from None
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


def _fmt(x: float, lang: str) -> str:
    """A number read, shown in a note: ``1 234.5`` (en), ``1.234,5`` in Vietnamese (Babel's locale data)."""
    if lang == "vi":
        return format_decimal(x, format="#,##0.##########", locale="vi")
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
        if not math.isfinite(float(body)):
            raise InputError(msg("too_large", lang, value=s))
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
    return chosen, msg("ambiguous_decimal", lang, value=s, a=_fmt(as_decimal, "en"), b=_fmt(as_thousands, "en"),
                       chosen=_fmt(chosen, "en"), why=why)  # space-grouped: unambiguous in both languages


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
        return _plausible_count(int(f), value, lang), None
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
    return _plausible_count(n, value, lang), None


#: The largest count read (households, people): larger ones are typing mistakes, not villages.
MAX_COUNT = 10**9


def _plausible_count(n: int, value: object, lang: str) -> int:
    if n > MAX_COUNT:
        raise InputError(msg("count_too_large", lang, value=value, max=f"{MAX_COUNT:,}".replace(",", ".")
                             if lang == "vi" else f"{MAX_COUNT:,}"))
    return n


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
            return km, msg("chainage_plus", lang, value=s, km=_fmt(km, lang))
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
