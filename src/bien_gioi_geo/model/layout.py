"""Where a table starts in a sheet: the header row under title rows, and merged cells.

Office workbooks open with a title (``BẢNG THỐNG KÊ CỘT MỐC …``, often a cell merged across the sheet), a date
line and blank rows; the header row comes after them, sometimes on two rows (``Tọa độ VN-2000`` merged over
``X`` and ``Y``). :func:`find_header_row` picks, among the first rows, the row that matches the most known
headers of the table; :func:`fill_merged` gives a merged range's value to every cell it covers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from ._messages import check_lang, msg
from .fields import HeaderMatch, _expected_text, match_headers

__all__ = ["HeaderRow", "find_header_row", "fill_merged", "heading_rows", "next_table", "table_end_note",
           "header_below"]

#: The tables one sheet may hold one under the other.
_TABLES = ("markers", "assignments")

#: A total row starts with these words (``Tổng cộng``, ``Cộng``, ``Tổng số``, ``Total``), NFC, casefolded.
_TOTAL = re.compile(r"^\s*(tổng cộng|tổng số|tổng|cộng|total)\b", re.IGNORECASE)
#: A group heading: ``I. Xã Sì Lở Lầu``, ``1) Thôn …``, ``A - Đồn Biên phòng …``, or an administrative word first.
_HEADING = re.compile(r"^\s*(([ivxlcdm]+|\d{1,2}|[a-z])\s*[.)/–-]\s*\w|(xã|phường|thị trấn|huyện|tỉnh|thôn|bản|"
                      r"đồn|khu vực|cụm)\s+\w)", re.IGNORECASE)


@dataclass(frozen=True)
class HeaderRow:
    """The header found in a sheet.

    Attributes
    ----------
    index
        0-based index of the (first) header row in the rows given.
    number
        The same row counted from 1 (as Excel shows it when the rows given start at the sheet's first row).
    n_rows
        1, or 2 for a header on two rows (group cells above sub-headers).
    header
        The header cells (for a two-row header: the lower cell where there is one, else the upper).
    match
        :class:`~bien_gioi_geo.model.fields.HeaderMatch` of ``header``.
    note
        What was found, in the reader's language.
    """

    index: int
    number: int
    n_rows: int
    header: list[object]
    match: HeaderMatch
    note: str

    @property
    def data_start(self) -> int:
        """0-based index of the first data row."""
        return self.index + self.n_rows


def _cells(row: Sequence[object]) -> list[object]:
    return [None if c is None or (isinstance(c, str) and not c.strip()) else c for c in row]


def _combined(top: Sequence[object], sub: Sequence[object]) -> list[object]:
    width = max(len(top), len(sub))
    t, s = list(top) + [None] * (width - len(top)), list(sub) + [None] * (width - len(sub))
    return [b if b is not None else a for a, b in zip(t, s, strict=True)]


def _score(match: HeaderMatch) -> int:
    return len(match.fields)


def find_header_row(rows: Sequence[Sequence[object]], *, table: str, header_row: int | None = None,
                    max_rows: int = 30, ascii_fold: bool = False, source: str | None = None,
                    lang: str = "vi") -> HeaderRow:
    """Find the header row of a table among the first ``max_rows`` rows.

    Parameters
    ----------
    rows
        The sheet's rows as lists of cell values, from its first row.
    table
        ``"markers"``, ``"assignments"`` or ``"border"``.
    header_row
        The header's row number counted from 1 (as Excel shows it), to skip detection.
    max_rows
        How many rows to search.
    ascii_fold, lang
        As in :func:`~bien_gioi_geo.model.fields.match_headers`.
    source
        File (and sheet) name for messages.

    Returns
    -------
    HeaderRow
        The row with the most recognised fields (the first such row on a tie); a header on two rows when the row
        under it adds fields (the way a ``Tọa độ`` cell is merged over ``X`` and ``Y``).

    Raises
    ------
    InputError
        When no row within ``max_rows`` has a known header, or ``header_row`` is outside the rows.

    Examples
    --------
    >>> rows = [["BẢNG THỐNG KÊ CỘT MỐC", None, None], [None, None, None],
    ...         ["Số hiệu mốc", "Vĩ độ", "Kinh độ"], ["62", "22,5", "103,1"]]
    >>> h = find_header_row(rows, table="markers", lang="en")
    >>> (h.number, h.match.columns, h.note)
    (3, ['marker_id', 'lat', 'lon'], 'header row is row 3 (3 columns recognised); 2 row(s) above skipped')
    """
    check_lang(lang)
    where = f"{source}: " if source else ""
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            raise InputError(where + msg("header_row_out", lang, number=header_row, n=len(rows)))
        header = _cells(rows[header_row - 1])
        return HeaderRow(header_row - 1, header_row, 1, header,
                         match_headers(header, table=table, ascii_fold=ascii_fold, lang=lang),
                         msg("header_row_given", lang, number=header_row))
    singles: list[tuple[list[object], HeaderMatch] | None] = []
    for row in rows[:max_rows]:
        cells = _cells(row)
        singles.append(None if all(c is None for c in cells) else
                       (cells, match_headers(cells, table=table, ascii_fold=ascii_fold, lang=lang)))
    best: tuple[int, int, int, list[object], HeaderMatch] | None = None
    for i, single in enumerate(singles):
        if single is None:
            continue
        cells, m = single
        cand = (_score(m), i, 1, cells, m)
        below = singles[i + 1] if i + 1 < len(singles) else None
        if below is not None:  # a two-row header must beat each of its rows alone
            two = _combined(cells, below[0])
            m2 = match_headers(two, table=table, ascii_fold=ascii_fold, lang=lang)
            if _score(m2) > max(_score(m), _score(below[1])) and not m2.duplicates:
                cand = (_score(m2), i, 2, two, m2)
        if best is None or cand[0] > best[0]:
            best = cand
    if best is None or best[0] == 0:
        raise InputError(msg("no_header_row", lang, source=where, n=min(max_rows, len(rows)),
                             expected=_expected_text(table, lang)))
    score, i, n_rows, header, match = best
    note = msg("header_row_found", lang, number=i + 1, matched=score,
               skipped=(msg("header_two_rows", lang, number=i + 1, next=i + 2) if n_rows == 2 else "")
               + (msg("header_skipped", lang, n=i) if i else ""))
    return HeaderRow(i, i + 1, n_rows, header, match, note)


def fill_merged(rows: list[list[object]], ranges: Sequence[tuple[int, int, int, int]], *,
                first_data_row: int = 0, lang: str = "vi") -> list[str]:
    """Give each merged range's value (its top-left cell) to every cell of the range, in place.

    This is how an office reads a commune name merged down across its villages. Only ranges that reach row
    ``first_data_row`` or below are filled (title and header cells are left alone).

    Parameters
    ----------
    rows
        The sheet's rows (lists of cell values), from its first row; modified in place.
    ranges
        Merged ranges as 1-based inclusive ``(min_col, min_row, max_col, max_row)``, the order of openpyxl's
        ``[r.bounds for r in ws.merged_cells.ranges]`` (a worksheet opened without ``read_only=True``: read-only
        sheets do not list their merged cells).
    first_data_row
        0-based index of the first data row.
    lang
        Language of the notes.

    Returns
    -------
    list of str
        One note per range filled, naming the range in A1 form.

    Examples
    --------
    >>> rows = [["Xã", "Bản"], ["Pa Vây Sử", "Bản 1"], [None, "Bản 2"]]
    >>> fill_merged(rows, [(1, 2, 1, 3)], first_data_row=1, lang="en")
    ["merged cell A2:A3 gives 'Pa Vây Sử' to 2 cells"]
    >>> rows[2]
    ['Pa Vây Sử', 'Bản 2']
    """
    from openpyxl.utils import get_column_letter

    notes = []
    for c0, r0, c1, r1 in ranges:
        if r1 - 1 < first_data_row or r0 - 1 >= len(rows):
            continue
        top = rows[r0 - 1]
        value = top[c0 - 1] if c0 - 1 < len(top) else None
        if value is None:
            continue
        n = 0
        for r in range(r0 - 1, min(r1, len(rows))):
            row = rows[r]
            if len(row) < c1:
                row.extend([None] * (c1 - len(row)))
            for c in range(c0 - 1, c1):
                row[c] = value
                n += 1
        ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
        notes.append(msg("merged_filled", lang, ref=ref, value=value, n=n))
    return notes


def heading_rows(rows: Sequence[Sequence[object]], numbers: Sequence[int], *,
                 merged: Sequence[tuple[int, int, int, int]] = (), lang: str = "vi") -> tuple[set[int], list[str]]:
    """The rows of a table body that are not data: group headings and total rows.

    Office tables put a heading between groups (``I. Xã Sì Lở Lầu``, often merged across the table) and a
    ``Tổng cộng`` row at the bottom. A **heading** is a row with one non-empty cell, a text with a letter, that is
    merged across two or more columns, numbered like a heading (``I.``, ``2)``, ``A -``) or starts with an
    administrative word (``Xã``, ``Thôn``…). A **total row** is a row whose first non-empty cell is a text starting
    with ``Tổng cộng``, ``Tổng``, ``Cộng`` or ``Total``. Neither is data; each gets a note.

    Parameters
    ----------
    rows
        The body rows (before merged cells are filled).
    numbers
        Each row's number as the user's program shows it.
    merged
        Merged ranges as 1-based inclusive ``(min_col, min_row, max_col, max_row)`` in sheet rows.
    lang
        Language of the notes.

    Returns
    -------
    skip, notes
        Positions in ``rows`` to leave out, and one note each.

    Examples
    --------
    >>> rows = [["I. Xã Sì Lở Lầu", None], ["1", "62"], ["Tổng cộng", 1], ["2", "Bản Mồ Sì San"]]
    >>> skip, notes = heading_rows(rows, [5, 6, 7, 8], lang="en")
    >>> skip
    {0, 2}
    >>> print(*notes, sep="\\n")
    row 5: 'I. Xã Sì Lở Lầu' is a group heading, not data: skipped
    row 7: 'Tổng cộng' is a total row, not counted as a data row: skipped
    """
    wide = {r0 for c0, r0, c1, _ in merged if c1 > c0}
    skip: set[int] = set()
    notes: list[str] = []
    for k, (row, number) in enumerate(zip(rows, numbers, strict=True)):
        filled = [c for c in row if c is not None and not (isinstance(c, str) and not c.strip())]
        if not filled or not isinstance(filled[0], str):
            continue
        text = unicodedata.normalize("NFC", filled[0]).strip()
        if _TOTAL.match(text):
            skip.add(k)
            notes.append(msg("total_row", lang, number=number, value=text))
        elif len(filled) == 1 and any(ch.isalpha() for ch in text) and (number in wide or _HEADING.match(text)):
            skip.add(k)
            notes.append(msg("section_row", lang, number=number, value=text))
    return skip, notes


def next_table(rows: Sequence[Sequence[object]], *, table: str, start: int) -> tuple[int, str] | None:
    """Where another table's header starts below ``start``: ``(index, table)``, else None.

    An office sheet may hold the markers and, under them, the assignments, each with its own header row. A row is
    another table's header when it has that table's required columns, at least two fields of it and more than of
    ``table`` (a data row has values, not names, and matches nothing).

    Examples
    --------
    >>> rows = [["Số hiệu mốc", "Vĩ độ", "Kinh độ"], ["62", "22,5", "103,1"], [],
    ...         ["Mã tổ", "Từ mốc", "Đến mốc"], ["T1", "62", "63"]]
    >>> next_table(rows, table="markers", start=1)
    (3, 'assignments')
    """
    others = [t for t in _TABLES if t != table]
    for k in range(start, len(rows)):
        cells = _cells(rows[k])
        if not _may_be_header(cells):
            continue
        own = len(match_headers(cells, table=table, lang="en").fields)
        for other in others:
            m = match_headers(cells, table=other, lang="en")
            if not m.missing and len(m.fields) >= 2 and len(m.fields) > own:
                return k, other
    return None


def table_end_note(last: int, number: int, other: str, lang: str = "vi") -> str:
    """The note that a table ends at row ``last`` because row ``number`` is the header of table ``other``."""
    name = {"markers": ("mốc", "markers"), "assignments": ("tự quản", "assignments")}[other][0 if lang == "vi" else 1]
    return msg("table_ends", lang, last=last, number=number, other=name)


def _may_be_header(cells: Sequence[object]) -> bool:
    """A cheap test before matching: two texts or more, no number, at most one cell with a digit (a data row has
    ids, counts, dates).
    """
    texts = [c for c in cells if isinstance(c, str)]
    return (len(texts) >= 2 and not any(isinstance(c, (int, float)) for c in cells)
            and sum(any(ch.isdigit() for ch in c) for c in texts) <= 1)


def header_below(rows: Sequence[Sequence[object]], *, table: str, start: int, lang: str = "vi") -> HeaderRow | None:
    """The first full header of ``table`` (its required columns, two fields or more) at or below row ``start``.

    For a table that starts lower than :func:`find_header_row` looks (the assignments under a long markers table).

    Examples
    --------
    >>> rows = [["Số hiệu mốc", "Vĩ độ", "Kinh độ"]] + [[str(n), "22,5", "103,1"] for n in range(40)] + [
    ...     ["Mã tổ", "Từ mốc", "Đến mốc"], ["T1", "1", "2"]]
    >>> h = header_below(rows, table="assignments", start=1, lang="en")
    >>> (h.index, h.number, h.match.columns)
    (41, 42, ['assignment_id', 'from_marker', 'to_marker'])
    """
    for k in range(start, len(rows)):
        cells = _cells(rows[k])
        if not _may_be_header(cells):
            continue
        m = match_headers(cells, table=table, lang=lang)
        if not m.missing and len(m.fields) >= 2:
            note = msg("header_row_found", lang, number=k + 1, matched=len(m.fields),
                       skipped=msg("header_skipped", lang, n=k))
            return HeaderRow(k, k + 1, 1, cells, m, note)
    return None
