"""Vietnamese text handling: Unicode normalisation and name keys.

"Phong Thổ" can arrive composed (``ổ`` as one code point, NFC) or decomposed (``o`` + combining marks, NFD),
from different keyboards and office software. They look the same and must be the same name. Readers normalise
name columns to NFC and keep the original in ``<column>_original`` where it differed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from .errors import InputError

__all__ = ["nfc", "name_key", "normalise_names", "read_text", "short_repr"]

_SPACE = re.compile(r"\s+")


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, so a hostile megabyte-long cell does not flood a message.

    Examples
    --------
    >>> short_repr("x" * 100, 10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nfc(value: object) -> object:
    """Return ``value`` in Unicode NFC when it is a string, unchanged otherwise.

    Examples
    --------
    >>> nfc("Pho\u0302\u0309ng") == nfc("Phổng")
    True
    >>> nfc(None) is None
    True
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def name_key(value: object) -> str:
    """A comparison key for names: NFC, case-folded, inner white space collapsed, ends stripped.

    Two spellings with the same key but different text are *name variants* (see the ``name_variant`` rule).

    Examples
    --------
    >>> name_key("  Sì  Lở Lầu ") == name_key("sì lở lầu")
    True
    """
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip().casefold()


def normalise_names(df: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Normalise the given text columns of ``df`` to NFC in place, keeping originals that differed.

    For each column ``c`` whose values change, a column ``c_original`` is added holding the text as read
    (``None`` where it was already NFC), so nothing typed by the user is lost.
    """
    for col in columns:
        if col not in df.columns:
            continue
        original = df[col]
        normalised = original.map(nfc)
        changed = [isinstance(a, str) and a != b for a, b in zip(original, normalised, strict=True)]
        if any(changed):
            df[f"{col}_original"] = pd.Series([a if c else None for a, c in zip(original, changed, strict=True)],
                                              index=df.index, dtype=object)
        df[col] = normalised
    return df


def read_text(path: Path) -> str:
    """The text of a file: UTF-8 (with or without BOM), or UTF-16 when it starts with a UTF-16 byte-order mark.

    Any other encoding is refused with :class:`~bien_gioi_geo.errors.InputError` naming the file and the byte
    offset (never guessed: a wrong guess turns "Thổ" into mojibake silently); so is a NUL character (a binary
    file, or UTF-16 without a byte-order mark).
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: starts as UTF-16 text but is not valid UTF-16 at byte {exc.start}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text at byte {exc.start} ({data[exc.start:exc.start + 4]!r}); the file is "
            "probably in a legacy code page (Windows-1258, cp1252, TCVN3) — save it as UTF-8 ('CSV UTF-8' in "
            "Excel, 'UTF-8' in QGIS or your editor)"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"{name}: NUL character at position {nul}; this is not a text file (a binary file, "
                         "or UTF-16 without a byte-order mark? save it as UTF-8)")
    return text
