"""The data model of office tables: fields and their header names, cell parsers, header rows, axis order.

Pure, table-driven and independent of the file format: the readers give rows of cells, this package says
which column is which field and what each cell means. ``fields.toml`` (package data) lists every field of each
table kind with its value type, whether it is required, the header names offices write and its labels.
"""

from __future__ import annotations

from .axes import AxisOrder, resolve_axis_order
from .fields import Field, HeaderMatch, field_label, header_key, match_headers, table_fields
from .layout import HeaderRow, fill_merged, find_header_row, header_below, heading_rows, next_table, table_end_note
from .normalise import NOTE_COLUMNS, Normalised, field_parser, normalise_rows
from .values import (
    MarkerPosition,
    Stretch,
    format_km,
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

__all__ = [
    "AxisOrder",
    "Field",
    "HeaderMatch",
    "HeaderRow",
    "MarkerPosition",
    "NOTE_COLUMNS",
    "Normalised",
    "Stretch",
    "field_label",
    "field_parser",
    "fill_merged",
    "header_below",
    "heading_rows",
    "next_table",
    "table_end_note",
    "find_header_row",
    "format_km",
    "header_key",
    "implied_group_counts",
    "infer_decimal_separator",
    "match_headers",
    "normalise_rows",
    "parse_category",
    "parse_chainage_km",
    "parse_count",
    "parse_date",
    "parse_decimal",
    "parse_marker_id_cell",
    "parse_marker_position",
    "parse_stretch",
    "resolve_axis_order",
    "table_fields",
]
