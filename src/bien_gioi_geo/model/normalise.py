"""Rows of cells (a CSV table or a sheet) → a frame with the model's columns and parsed values.

This is the layer the readers call once they have found the header (:func:`~.layout.find_header_row`): it
maps the headers (:func:`~.fields.match_headers`), parses every cell by its field's value type
(:mod:`~.values`), takes the VN-2000 axis order of ``X``/``Y`` columns (:mod:`~.axes`), fills a stretch from
the description when the from/to columns are empty, applies the one-collective/one-individual rule, and
returns what it did as notes and what it could not do as problems — one row each, naming source, sheet, row
(as the user's program numbers it), field and value. No row is dropped: a cell that cannot be read is ``None``
in the frame and a row of ``problems``.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import pandas as pd

from ..crs import parse_dms
from ..errors import InputError
from ._messages import check_lang, msg
from .axes import resolve_axis_order
from .fields import Field, HeaderMatch, match_headers, table_fields
from .numbers import _fmt
from .values import (
    MarkerPosition,
    implied_group_counts,
    infer_decimal_separator,
    parse_category,
    parse_chainage_km,
    parse_count,
    parse_date,
    parse_decimal,
    parse_marker_id_cell,
    parse_marker_position,
    parse_stretch,
)

__all__ = ["Normalised", "NOTE_COLUMNS", "field_parser", "normalise_rows"]

#: Columns of the notes and problems tables.
NOTE_COLUMNS = ["source", "sheet", "row", "field", "value", "message"]
_DMS_CHARS = set("°'\"′″ NSEWBĐnsewbđ")
_HASHABLE = (str, int, float, dt.date, type(None))
_KIND_OF_UNIT = {"km": "km", "m": "metres", "degree": "degree"}


class Normalised(NamedTuple):
    """What :func:`normalise_rows` returns: unpack as ``frame, notes, problems = normalise_rows(...)``."""

    frame: pd.DataFrame
    notes: pd.DataFrame
    problems: pd.DataFrame


class _Log:
    def __init__(self, source: str, sheet: str | None) -> None:
        self.source, self.sheet = source, sheet
        self.notes: list[dict[str, Any]] = []
        self.problems: list[dict[str, Any]] = []

    def _row(self, row: int | None, fld: str | None, value: object, message: str) -> dict[str, Any]:
        return {"source": self.source, "sheet": self.sheet, "row": row, "field": fld,
                "value": None if value is None else repr(value), "message": message}

    def note(self, row: int | None, fld: str | None, value: object, message: str) -> None:
        self.notes.append(self._row(row, fld, value, message))

    def problem(self, row: int | None, fld: str | None, value: object, message: str) -> None:
        self.problems.append(self._row(row, fld, value, message))

    @staticmethod
    def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=NOTE_COLUMNS).astype({"row": "Int64"})


def _degrees(value: object, axis: str, lang: str, decimal: str | None) -> tuple[object, str | None]:
    if isinstance(value, str) and (set(value.strip()) & _DMS_CHARS):
        try:
            return parse_dms(value.strip(), axis), None
        except ValueError as exc:
            raise _degree_error(value.strip(), axis, str(exc), lang) from None
    deg, note = parse_decimal(value, kind="degree", decimal=decimal, lang=lang)
    if deg is not None and axis == "lat" and 90 < abs(float(deg)) <= 180:  # type: ignore[arg-type]
        shown = _fmt(float(value), lang) if isinstance(value, (int, float)) and lang == "vi" else value
        raise InputError(msg("lat_swapped", lang, value=shown))  # a number in the reader's way: '103,22'
    return deg, note


def _degree_error(value: str, axis: str, detail: str, lang: str) -> InputError:
    """A DMS cell that cannot be read: swapped latitude/longitude said so, else what is expected."""
    outside = "outside ±90" in detail and axis == "lat"
    if "swapped" in detail or outside:
        return InputError(msg("lat_swapped" if axis == "lat" else "lon_swapped", lang, value=value))
    return InputError(msg("not_degrees", lang, value=value, detail=detail))


def _marker_list(value: object, lang: str) -> tuple[object, str | None]:
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # a numpy array (or scalar) of a frame
        value = value.tolist()
    if value is None or (isinstance(value, str) and not value.strip()):
        return [], None
    if isinstance(value, (list, tuple)):  # a list property (GeoJSON) or a list built by a reader
        parts: list[object] = [p for p in value if not (isinstance(p, str) and not p.strip())]
    elif isinstance(value, str) and value.strip().startswith("["):  # a JSON list, as the library writes lists
        try:
            items = json.loads(value)
        except (ValueError, RecursionError):
            raise InputError(msg("not_marker_list", lang, value=value[:40])) from None
        if not isinstance(items, list):
            raise InputError(msg("not_marker_list", lang, value=value[:40]))
        parts = [p for p in items if not (isinstance(p, str) and not p.strip())]
    elif isinstance(value, str):
        parts = [p for p in value.replace(";", ",").replace("\n", ",").split(",") if p.strip()]
    else:
        parts = [value]
    return [parse_marker_id_cell(p, lang=lang)[0] for p in parts], None


def field_parser(f: Field, table: str, decimal: str | None, lang: str
                 ) -> Callable[[object], tuple[object, str | None]]:
    """The cell parser of field ``f`` (by its value type in ``fields.toml``): a cell → ``(value, note)``, raising
    :class:`~bien_gioi_geo.errors.InputError` for a cell it cannot read. ``decimal`` is the column's decimal
    separator when known (:func:`~bien_gioi_geo.model.infer_decimal_separator`).
    """
    t = f.type
    if t == "id":
        if table == "markers":
            return lambda v: parse_marker_id_cell(v, lang=lang)
        return lambda v: (_text(v), None)
    if t == "text":
        return lambda v: (_text(v), None)
    if t == "category":
        cat = f.categories or f.key
        return lambda v: parse_category(v, cat, lang=lang)
    if t == "count":
        return lambda v: _signed_count(v, lang)
    if t == "chainage_km":
        return lambda v: parse_chainage_km(v, decimal=decimal, lang=lang)
    if t == "date":
        year_only = {"valid_from": "start", "valid_to": "end"}.get(f.key, "refuse")
        return lambda v: parse_date(v, year_only=year_only, lang=lang)  # type: ignore[arg-type]
    if t == "marker_ref":
        return lambda v: parse_marker_position(v, lang=lang)
    if t == "marker_list":
        return lambda v: _marker_list(v, lang)
    if t == "coordinate" and f.unit == "degree":
        axis = "lat" if f.key == "lat" else "lon"
        return lambda v: _degrees(v, axis, lang, decimal)
    kind = "projected_m" if t == "coordinate" else _KIND_OF_UNIT.get(f.unit or "", "decimal")
    return lambda v: parse_decimal(v, kind=kind, decimal=decimal, lang=lang)  # type: ignore[arg-type]


def _signed_count(value: object, lang: str) -> tuple[object, str | None]:
    """A count (:func:`~.values.parse_count`), a negative one kept as it is: it is a mistake of the data that
    validation's ``bad_counts`` reports with its assignment, not a cell that cannot be read.
    """
    if isinstance(value, str) and value.strip()[:1] in ("-", "\u2212"):
        n, note = parse_count(value.strip()[1:], lang=lang)
        return (None if n is None else -int(n)), note  # type: ignore[call-overload]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        n, note = parse_count(-value, lang=lang)
        return -int(n), note  # type: ignore[call-overload]
    return parse_count(value, lang=lang)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = unicodedata.normalize("NFC", str(value)).strip()
    return s or None


def _same(raw: object, parsed: object) -> bool:
    """Whether ``parsed`` shows the cell as typed (no ``_original`` needed)."""
    if not isinstance(raw, str):
        return True
    s = raw.strip()
    if isinstance(parsed, MarkerPosition):
        return parsed.offset_m == 0 and parsed.marker == s
    if isinstance(parsed, list):
        return False if len(parsed) != 1 else parsed[0] == s
    if isinstance(parsed, float):
        return s in (repr(parsed), str(int(parsed)) if parsed.is_integer() else "")
    return str(parsed) == s if parsed is not None else not s


def _unique_names(columns: Sequence[str]) -> list[str]:
    """Unique frame column names: a duplicate header keeps its own name, numbered (``Ghi chú (2)``)."""
    used: dict[str, int] = {}
    names = []
    for c in columns:
        used[c] = used.get(c, 0) + 1
        names.append(c if used[c] == 1 else f"{c} ({used[c]})")
    return names


def _data_rows(rows: Sequence[Sequence[object]], width: int, log: _Log, *, first_row_number: int,
               row_numbers: Sequence[int] | None, lang: str) -> list[tuple[int, list[object]]]:
    """The non-blank rows as ``(row number, cells cut to the header's width)``; a cell right of the header is a
    note (a remark beside the table is not a field, but never lost silently).
    """
    body: list[tuple[int, list[object]]] = []
    for k, row in enumerate(rows):
        allcells = [None if isinstance(c, str) and not c.strip() else c for c in row]
        cells = allcells[:width] + [None] * (width - len(allcells))
        number = row_numbers[k] if row_numbers is not None else first_row_number + k
        for j, extra in enumerate(allcells[width:], start=width + 1):
            if extra is not None:
                log.note(number, None, extra, msg("outside_header", lang, n=j))
        if all(c is None for c in cells):
            continue
        body.append((number, cells))
    return body


def normalise_rows(header: Sequence[object], rows: Sequence[Sequence[object]], *, table: str, source: str,
                   sheet: str | None = None, first_row_number: int = 2, row_numbers: Sequence[int] | None = None,
                   axis_order: str | None = None, match: HeaderMatch | None = None, ascii_fold: bool = False,
                   lang: str = "vi") -> Normalised:
    """Turn rows of cells into a frame with the model's column names and parsed values.

    Parameters
    ----------
    header
        The header cells (as :func:`~bien_gioi_geo.model.layout.find_header_row` returns them).
    rows
        The data rows, each a list of cells (text, numbers, dates, ``None``), aligned to ``header``. A row whose
        cells are all empty is not data and is skipped; a cell right of the last header is kept as a note.
    table
        ``"markers"``, ``"assignments"`` or ``"border"``.
    source, sheet
        File name and sheet name, for notes and problems.
    first_row_number
        The row number of ``rows[0]`` as the user's program shows it (Excel: header row + 1).
    row_numbers
        The row number of each row, when rows were skipped (blank rows); overrides ``first_row_number``.
    axis_order
        ``"yx"``/``"xy"`` forces the order of ``X``/``Y`` columns (see :mod:`~bien_gioi_geo.model.axes`).
    match
        A header match already made (else made here).
    ascii_fold, lang
        As in :func:`~bien_gioi_geo.model.fields.match_headers`.

    Returns
    -------
    Normalised
        ``(frame, notes, problems)``. ``frame`` has ``source_row`` (the row number), one column per field found
        (canonical key, parsed value; ``None`` where a cell could not be read), ``<field>_original`` where a
        value was rewritten (text as typed), ``from_offset_m``/``to_offset_m`` for marker-anchored positions
        (metres along the border, 0 without an offset), ``easting``/``northing`` from ``X``/``Y`` columns (the
        order used is in ``frame.attrs["axis_order"]`` and in the notes), ``stretch_from`` (``"description"``
        where the stretch was read from the description), and the unknown columns as they were. ``notes`` and
        ``problems`` have the columns
        :data:`NOTE_COLUMNS`.

    Raises
    ------
    InputError
        When required columns are missing (one message listing the columns found and expected), or the
        axis order of ``X``/``Y`` cannot be told.

    Examples
    --------
    >>> frame, notes, problems = normalise_rows(
    ...     ["Mã", "Hình thức", "Số hộ", "Từ km", "Đến km"],
    ...     [["MT-01", "Tập thể", "16.010", "Km 3+200", "5,5"]], table="assignments", source="so.xlsx",
    ...     sheet="Tổ tự quản", first_row_number=5, lang="en")
    >>> r = frame.iloc[0]
    >>> r.assignment_id, r.group_type, int(r.households), float(r.start_km), float(r.end_km), int(r.collectives)
    ('MT-01', 'collective', 16010, 3.2, 5.5, 1)
    >>> problems.empty
    True
    """
    check_lang(lang)
    if match is None:
        match = match_headers(list(header), table=table, ascii_fold=ascii_fold, lang=lang)
    where = f"{source}, sheet {sheet!r}" if sheet else source
    match.raise_for_missing(source=where, lang=lang)
    log = _Log(source, sheet)
    for text in match.notes + match.problems(lang):
        log.note(None, None, None, text)
    fields = {f.key: f for f in table_fields(table)}
    body = _data_rows(rows, len(match.columns), log, first_row_number=first_row_number, row_numbers=row_numbers,
                      lang=lang)
    names = _unique_names(match.columns)
    out: dict[str, list[object]] = {"source_row": [n for n, _ in body]}
    originals: dict[str, list[object]] = {}
    for i, name in enumerate(names):
        raw = [cells[i] for _, cells in body]
        f = fields.get(name) if match.mapping.get(match.headers[i]) == name else None
        if f is None:
            out[name] = [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in raw]
            continue
        decimal = infer_decimal_separator(raw) if f.type in ("decimal", "coordinate", "chainage_km") else None
        parse = field_parser(f, table, decimal, lang)
        values: list[object] = []
        orig: list[object] = []
        memo: dict[tuple[type, object], tuple[object, str | None] | InputError] = {}  # offices repeat values
        for (number, _), v in zip(body, raw, strict=True):
            key = (v.__class__, v) if isinstance(v, _HASHABLE) else None
            got = memo.get(key) if key is not None else None
            if got is None:
                try:
                    got = parse(v)
                except InputError as exc:
                    got = exc
                if key is not None:
                    memo[key] = got
            if isinstance(got, InputError):
                log.problem(number, name, v, str(got))
                parsed, note = None, None
            else:
                parsed, note = got
            if note:
                log.note(number, name, v, note)
            if parsed is None and f.required and v is None:
                log.problem(number, name, None, msg("required_empty", lang, field=name))
            values.append(list(parsed) if isinstance(parsed, list) else parsed)
            orig.append(None if parsed is None or _same(v, parsed) else v)
        if f.type == "marker_ref":
            out[name] = [p.marker if isinstance(p, MarkerPosition) else None for p in values]
            out[name.replace("_marker", "") + "_offset_m"] = [
                p.offset_m if isinstance(p, MarkerPosition) else None for p in values]
        else:
            out[name] = values
        if any(o is not None for o in orig):
            originals[f"{name}_original"] = orig
    attrs: dict[str, str] = {}
    if ("x" in out and "y" in out and "easting" not in out and "northing" not in out
            and any(x is not None and y is not None for x, y in zip(out["x"], out["y"], strict=True))):
        attrs["axis_order"] = _axes(out, match, log, axis_order=axis_order, where=where, lang=lang)
    if table == "assignments":
        _assignment_rules(out, log, lang)
    out.update(originals)
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in out.items()})
    frame["source_row"] = frame["source_row"].astype("int64")
    for c, f in fields.items():
        if c in frame and f.type == "count":
            frame[c] = frame[c].astype("Int64")
        elif c in frame and f.type in ("decimal", "coordinate", "chainage_km"):
            frame[c] = frame[c].astype("float64")
    for c in ("from_offset_m", "to_offset_m", "easting", "northing"):
        if c in frame:
            frame[c] = frame[c].astype("float64")
    frame.attrs.update(attrs)
    return Normalised(frame, _Log.frame(log.notes), _Log.frame(log.problems))


def _axes(out: dict[str, list[Any]], match: HeaderMatch, log: _Log, *, axis_order: str | None, where: str,
          lang: str) -> str:
    x_name = next((h for h, k in match.mapping.items() if k == "x"), "X")
    y_name = next((h for h, k in match.mapping.items() if k == "y"), "Y")
    xs, ys = out["x"], out["y"]
    order = resolve_axis_order(xs, ys, axis_order=axis_order, x_name=x_name, y_name=y_name, source=where,
                               lang=lang)
    log.note(None, "x", None, order.note)
    for i in order.swapped_rows:
        log.problem(out["source_row"][i], "x", (xs[i], ys[i]),
                    msg("axis_row_swapped", lang, x=xs[i], y=ys[i], order=order.order))
    pairs = [order.easting_northing(x, y) for x, y in zip(xs, ys, strict=True)]
    out["easting"] = [e for e, _ in pairs]
    out["northing"] = [n for _, n in pairs]
    return order.order


def _assignment_rules(out: dict[str, list[Any]], log: _Log, lang: str) -> None:
    """The one-collective/one-individual rule and stretches read from descriptions."""
    rows = out["source_row"]
    n = len(rows)
    if "group_type" in out:
        coll = out.get("collectives", [None] * n)
        indiv = out.get("individuals", [None] * n)
        for i, g in enumerate(out["group_type"]):
            c1, i1, note = implied_group_counts(g, coll[i], indiv[i], lang=lang)
            if note:
                log.note(rows[i], "collectives" if c1 != coll[i] else "individuals", g, note)
            coll[i], indiv[i] = c1, i1
        for key, vals in (("collectives", coll), ("individuals", indiv)):
            if key in out or any(v is not None for v in vals):
                out[key] = vals
    text_col = next((c for c in ("description", "notes") if c in out), None)
    if text_col is None:
        return
    given = [out[c] for c in ("from_marker", "to_marker", "start_km", "end_km") if c in out]
    stretch_from: list[str | None] = [None] * n
    for i, text in enumerate(out[text_col]):
        if text is None or any(col[i] is not None for col in given):
            continue
        try:
            st, note = parse_stretch(text, lang=lang)
        except InputError as exc:
            log.problem(rows[i], text_col, text, str(exc))
            continue
        if st is None:
            continue
        if st.by == "markers":
            assert isinstance(st.start, MarkerPosition) and isinstance(st.end, MarkerPosition)
            cells = {"from_marker": st.start.marker, "from_offset_m": st.start.offset_m,
                     "to_marker": st.end.marker, "to_offset_m": st.end.offset_m}
        else:
            cells = {"start_km": st.start, "end_km": st.end}
        for col, value in cells.items():
            out.setdefault(col, [None] * n)[i] = value
        stretch_from[i] = "description"
        log.note(rows[i], text_col, text, str(note))
    if any(s is not None for s in stretch_from):
        out["stretch_from"] = stretch_from
