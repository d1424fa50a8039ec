"""Numbers and dates as a reader expects them, through Babel's locale data (CLDR).

Vietnamese (the default) groups thousands with ``.`` and writes decimals with ``,`` (``97,229 km``, ``16.010
hộ``) and dates day first (``31/12/2024``); ``lang="en"`` gives ``97.229``, ``16,010`` and ``31 Dec 2024``.
Every reader-facing number of a map or a report goes through these helpers, never through ``f"{x:.3f}"``.

>>> format_km(97.229)
'97,229'
>>> format_count(16010)
'16.010'
>>> format_count(16010, lang="en")
'16,010'
>>> format_percent(96.19)
'96,2%'
>>> import datetime
>>> format_date(datetime.date(2024, 12, 31))
'31/12/2024'
>>> format_date(datetime.date(2024, 12, 31), lang="en")
'31 Dec 2024'
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

__all__ = ["LANGS", "check_lang", "format_km", "format_number", "format_count", "format_percent", "format_date",
           "format_scale"]

LANGS = ("vi", "en")


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"vi"`` or ``"en"``; else an :class:`~bien_gioi_geo.errors.OptionError` (a
    :class:`ValueError`) saying so.

    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    bien_gioi_geo.errors.OptionError: lang must be 'vi' or 'en', not 'fr'
    """
    if not isinstance(lang, str) or lang not in LANGS:
        from .errors import OptionError

        raise OptionError(f"lang must be 'vi' or 'en', not {lang!r}")
    return lang


def format_number(value: Any, *, decimals: int = 0, lang: str = "vi") -> str:
    """``value`` with ``decimals`` digits after the decimal sign and grouped thousands; ``–`` when missing.

    >>> format_number(1029.25, decimals=2)
    '1.029,25'
    >>> format_number(None)
    '–'
    """
    check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(_babel_decimal(value, format=pattern, locale=lang))


def format_km(value: Any, *, decimals: int = 3, lang: str = "vi") -> str:
    """A length in km, three decimals by default (metres), without the unit: ``97,229``.

    >>> format_km(97.229, lang="en")
    '97.229'
    >>> format_km(1234.5, decimals=1)
    '1.234,5'
    """
    return format_number(value, decimals=decimals, lang=lang)


def format_count(value: Any, *, lang: str = "vi") -> str:
    """A whole number with grouped thousands: ``16.010`` (vi), ``16,010`` (en).

    >>> format_count(59848)
    '59.848'
    """
    return format_number(value, decimals=0, lang=lang)


def format_percent(value: Any, *, decimals: int = 1, lang: str = "vi") -> str:
    """A percentage given in per cent (``96.19`` → ``96,2%``), as Babel writes percentages for ``lang``.

    >>> format_percent(100.0, decimals=0, lang="en")
    '100%'
    """
    check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return str(_babel_percent(float(value) / 100.0, format=pattern, locale=lang))


def format_date(value: _dt.date | _dt.datetime | str, *, lang: str = "vi") -> str:
    """A date: ``31/12/2024`` (vi), ``31 Dec 2024`` (en). Text is read as ISO (``"2024-12-31"``) or day-first
    (``"31/12/2024"``); other text raises :class:`~bien_gioi_geo.errors.InputError`.

    >>> format_date("2024-06-20"), format_date("31/12/2024", lang="en")
    ('20/06/2024', '31 Dec 2024')
    """
    check_lang(lang)
    if isinstance(value, str):  # ISO or day-first text; anything else is an InputError saying what it expects
        from .dates import parse_date

        value = parse_date(value, field="date")
    pattern = "dd/MM/yyyy" if lang == "vi" else "d MMM yyyy"
    return str(_babel_date(value, format=pattern, locale=lang))


def format_scale(denominator: int, *, lang: str = "vi") -> str:
    """A map scale: ``1:100.000`` (vi), ``1:100,000`` (en).

    >>> format_scale(50000)
    '1:50.000'
    """
    return "1:" + format_count(int(denominator), lang=lang)
