"""Keys for comparing Vietnamese administrative unit names as offices really spell them.

The same commune arrives as ``Xã Ma Li Pho``, ``Ma Ly Pho``, ``MA LI PHO``, ``Ma Li Pho`` typed in decomposed
Unicode (NFD) or without diacritics (``Ma Li Pho`` from a keyboard without Telex). A name is compared through
successively looser keys, and the loosest key that matched is reported, so a reader can see how sure the match is:

1. :func:`text_key` — NFC, case-folded, white space collapsed (``normalised`` match);
2. :func:`ascii_key` — the same without diacritics, ``đ`` → ``d``, without spaces and punctuation;
3. :func:`yi_key` — the ascii key with ``y`` read as ``i`` (``Ma Ly Pho`` = ``Ma Li Pho``; both spellings are in
   official use, the 2018 orthography rule is not applied uniformly).

Unit type words (``Xã``, ``Phường``, ``Thị trấn``, ``Huyện``…) are never cut off a name — ``Xà Phìn`` starts with
``xa`` once its marks are gone. Instead, each official unit offers its keys both with and without its type word
(and the usual abbreviations ``TT.``, ``TX.``, ``TP.``), and the recorded name is compared with all of them.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import name_key

__all__ = ["text_key", "ascii_key", "yi_key", "levenshtein", "name_has_marks", "bare_name", "TYPE_WORDS"]

#: NFC, case-folded, white space collapsed — the library's one name key (:func:`bien_gioi_geo.text.name_key`)
text_key = name_key
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_TYPE_NOTE = re.compile(r"\s*\((?:Xã|Thị trấn|Phường|Huyện|Thị xã|Thành phố|Quận)\)$")

#: type word of a unit → abbreviations offices write instead of it
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "Xã": ("X.",),
    "Phường": ("P.",),
    "Thị trấn": ("TT", "TT."),
    "Huyện": ("H.",),
    "Quận": ("Q.",),
    "Thị xã": ("TX", "TX."),
    "Thành phố": ("TP", "TP."),
    "Tỉnh": ("T.",),
    "Đặc khu": (),
}


def ascii_key(value: object) -> str:
    """The name without diacritics, case, spaces or punctuation (``đ`` → ``d``).

    Examples
    --------
    >>> ascii_key("Xã Sì Lở Lầu")
    'xasilolau'
    >>> ascii_key("Đoàn Kết") == ascii_key("doan ket")
    True
    """
    s = text_key(value).replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", s)


def yi_key(value: object) -> str:
    """:func:`ascii_key` with ``y`` read as ``i``.

    Examples
    --------
    >>> yi_key("Ma Ly Pho") == yi_key("Ma Li Pho")
    True
    """
    return ascii_key(value).replace("y", "i")


def name_has_marks(value: str) -> bool:
    """Whether the name itself (after a leading type word such as ``Xã``, ``TT.``) carries Vietnamese marks.

    A name written without them (``Nga Thanh``) may stand for any unit whose name differs only in marks
    (``Nga Thanh``, ``Nga Thành``), so it is compared without marks even when one unit matches it exactly.

    Examples
    --------
    >>> name_has_marks("XÃ NGA THANH"), name_has_marks("Xã Nga Thành"), name_has_marks("Xa Phin")
    (False, True, False)
    """
    s = bare_name(value)
    return "đ" in s or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", s))


def bare_name(value: str) -> str:
    """The name (:func:`text_key`) without a leading type word such as ``Xã``, ``TT.``, ``Phường``.

    Used only to offer candidates and to see whether the name carries marks, never to match (``Xà Phìn``).

    Examples
    --------
    >>> bare_name("Phường Bình Thạnh"), bare_name("TT.Lao Bảo"), bare_name("Xà Phìn")
    ('bình thạnh', 'lao bảo', 'xà phìn')
    """
    s = text_key(value)
    words = sorted((w.casefold() for word, abbrevs in TYPE_WORDS.items() for w in (word, *abbrevs)), key=len,
                   reverse=True)
    for w in words:
        if s.startswith(w + " ") or (w.endswith(".") and s.startswith(w)):
            return s[len(w):].strip()
    return s


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between two short strings.

    Examples
    --------
    >>> levenshtein("lannhithang", "lanhithang")
    1
    """
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def unit_forms(short: str, full: str) -> list[str]:
    """Every written form an official unit may take: its short and full names and the abbreviated type.

    Examples
    --------
    >>> unit_forms("Phong Thổ", "Thị trấn Phong Thổ")
    ['Phong Thổ', 'Thị trấn Phong Thổ', 'TT Phong Thổ', 'TT. Phong Thổ']
    >>> unit_forms("Mường Tè (Xã)", "Xã Mường Tè")
    ['Mường Tè (Xã)', 'Xã Mường Tè', 'Mường Tè', 'X. Mường Tè']
    """
    bare = _TYPE_NOTE.sub("", short)  # "Mường Tè (Xã)": the package's short name of a town's namesake commune
    forms = [short, full, bare]
    for word, abbrevs in TYPE_WORDS.items():
        if full.casefold().startswith(word.casefold() + " "):  # the package writes a few "Thị Trấn …"
            forms += [f"{a} {bare}" for a in abbrevs]
            break
    return list(dict.fromkeys(f for f in forms if f))
