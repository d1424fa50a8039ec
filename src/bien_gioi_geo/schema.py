"""The data model: column names, marker identifiers and the checks shared by every reader.

Markers
    One row per physical post. ``marker_id`` as written on the post: ``62`` (single), ``62(1)``/``62(2)``
    (the two posts of double marker 62, on both banks), ``62(1)``…``62(3)`` (triple marker at a confluence or
    tri-point), ``62/1`` (auxiliary marker after main marker 62), ``62/1(2)`` (a post of a double auxiliary).
    Derived: ``number`` (the marker without its post: ``62``, ``62/1``), ``post`` (1..3 or missing),
    ``main_number`` and ``aux`` (``62/1`` → 62 and 1) which order markers along the border.
Assignments
    One row per stretch and/or set of markers entrusted to a self-management group. The stretch is given by
    marker terms (``from_marker``/``to_marker``), by chainage (``start_km``/``end_km``) or by a drawn line
    (the row's geometry); ``stretch_by`` records which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from .errors import InputError
from .text import short_repr

__all__ = [
    "MARKER_KINDS",
    "POSTS_BY_KIND",
    "COUNT_COLUMNS",
    "NAME_COLUMNS",
    "MarkerId",
    "parse_marker_id",
]

MARKER_KINDS = ("single", "double", "triple", "auxiliary", "stake")
#: Number of posts a marker of each kind has (auxiliary markers are usually single posts).
POSTS_BY_KIND = {"single": 1, "double": 2, "triple": 3}
COUNT_COLUMNS = ("households", "people", "collectives", "individuals")
NAME_COLUMNS = ("village", "commune", "district", "province", "group_type", "station")
ASSIGNMENT_TEXT_COLUMNS = ("assignment_id", "group_type", "village", "commune", "district", "province",
                           "station", "from_marker", "to_marker", "border_id", "notes")
MARKER_TEXT_COLUMNS = ("marker_id", "kind", "emplaced_by", "condition", "border_id", "notes")

#: Vietnamese spellings accepted in a ``kind`` column.
KIND_ALIASES = {
    "single": "single", "đơn": "single", "mốc đơn": "single",
    "double": "double", "đôi": "double", "mốc đôi": "double",
    "triple": "triple", "ba": "triple", "mốc ba": "triple", "mốc 3": "triple",
    "auxiliary": "auxiliary", "phụ": "auxiliary", "mốc phụ": "auxiliary",
    "stake": "stake", "cọc dấu": "stake",
}

#: Largest main number and auxiliary number accepted in a marker id (the longest Vietnamese land border has
#: fewer than 2,000 main markers; anything longer is a typo or hostile input, and would overflow int64 columns).
MAX_MARKER_NUMBER = 99_999
_MARKER_ID = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+))?\s*(?:\(\s*(\d+)\s*\))?\s*$")


@total_ordering
@dataclass(frozen=True)
class MarkerId:
    """A parsed marker identifier; orders as markers follow each other along the border (a marker without post
    numbers sorts before its posts).
    """

    main_number: int
    aux: int
    post: int | None

    def _key(self) -> tuple[int, int, int]:
        return (self.main_number, self.aux, 0 if self.post is None else self.post)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, MarkerId):
            return NotImplemented
        return self._key() < other._key()

    @property
    def number(self) -> str:
        """The marker's number without its post: ``"62"`` or ``"62/1"``."""
        return f"{self.main_number}/{self.aux}" if self.aux else str(self.main_number)

    def __str__(self) -> str:
        return self.number + (f"({self.post})" if self.post is not None else "")


def parse_marker_id(text: object) -> MarkerId:
    """Parse a marker identifier such as ``62``, ``62(2)``, ``62/1`` or ``62/1(2)``.

    Raises
    ------
    InputError
        (a :class:`ValueError`) when ``text`` is not of that form, or its numbers exceed
        :data:`MAX_MARKER_NUMBER`; the message shows the value and the expected forms.

    Examples
    --------
    >>> parse_marker_id("62(2)")
    MarkerId(main_number=62, aux=0, post=2)
    >>> parse_marker_id("62/1").number
    '62/1'
    >>> sorted(["63", "62/1", "62(2)", "62"], key=parse_marker_id)
    ['62', '62(2)', '62/1', '63']
    """
    expected = "expected a marker id such as '62', '62(1)' or '62/1'"
    if isinstance(text, bool) or text is None:
        raise InputError(f"{expected}, got {text!r}")
    if isinstance(text, int):
        text = str(text) if abs(text) <= MAX_MARKER_NUMBER else None
    elif isinstance(text, float) and text.is_integer():
        text = str(int(text)) if abs(text) <= MAX_MARKER_NUMBER else None
    if not isinstance(text, str) or len(text) > 40:
        raise InputError(f"{expected}, got {short_repr(text)}")
    m = _MARKER_ID.match(text)
    if m is None:
        raise InputError(f"{expected}, got {text!r}")
    if len(m.group(1)) > 6 or len(m.group(2) or "") > 6 or len(m.group(3) or "") > 2:
        raise InputError(f"marker numbers above {MAX_MARKER_NUMBER:,} are not marker ids, got {text!r}")
    main, aux = int(m.group(1)), int(m.group(2) or 0)
    if main > MAX_MARKER_NUMBER or aux > MAX_MARKER_NUMBER:
        raise InputError(f"marker numbers above {MAX_MARKER_NUMBER:,} are not marker ids, got {text!r}")
    post = int(m.group(3)) if m.group(3) is not None else None
    if post is not None and not 1 <= post <= 3:
        raise InputError(f"post number must be 1, 2 or 3 in a marker id, got {text!r}")
    return MarkerId(main, aux, post)


def parse_kind(value: object) -> str:
    """Return the canonical marker kind for ``value`` (English or Vietnamese)."""
    if not isinstance(value, str):
        raise InputError(f"expected one of {', '.join(MARKER_KINDS)}, got {short_repr(value)}")
    key = " ".join(value.strip().casefold().split())
    if key not in KIND_ALIASES:
        raise InputError(f"expected one of {', '.join(MARKER_KINDS)}, got {short_repr(value)}")
    return KIND_ALIASES[key]
