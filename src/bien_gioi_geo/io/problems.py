"""The problems collector of the readers, and the raw table a reader hands to the row checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from ..errors import InputError, where

__all__ = ["PROBLEM_COLUMNS", "Problems", "Raw", "check_errors_arg"]

#: Columns of a reader's problems table.
#: ``message`` is the reader's text as before (English, or Vietnamese for an office table); ``message_vi`` and
#: ``message_en`` the same in each language, which validation shows by its ``lang``.
PROBLEM_COLUMNS = ["source", "row", "field", "value", "message", "message_vi", "message_en"]
_MAX_LISTED = 20


class Problems:
    """Collects row problems; raises them together or returns them as a table."""

    def __init__(self, source: str, unit: str) -> None:
        self.source = source
        self.unit = unit
        self.rows: list[dict[str, Any]] = []
        self.bad: set[int] = set()
        self.notes: list[str] = []  # things done to the data that the user should know (renamed columns…)

    def note(self, message: str) -> None:
        """Record something done to the data that the user should know."""
        self.notes.append(f"{self.source}: {message}")

    def add(self, row: int | None, field: str | None, value: object, message: str, *,
            shown: str | None = None, vi: str | None = None, en: str | None = None) -> None:
        """Add a problem; ``shown`` is the value already as text (``repr``), else ``repr(value)``; ``vi`` and
        ``en`` the message in Vietnamese and English when ``message`` is in only one of them.
        """
        if shown is None:
            shown = None if value is None else repr(value)
        if shown is not None and len(shown) > 80:
            shown = shown[:79] + "…"
        if field is not None:  # a name with a lone surrogate cannot live in a pandas string column: show it escaped
            field = field.encode("utf-8", "backslashreplace").decode("utf-8")
        self.rows.append({"source": self.source, "row": row, "field": field, "value": shown, "message": message,
                          "message_vi": vi, "message_en": en})
        if row is not None:
            self.bad.add(row)

    def text(self, item: dict[str, Any]) -> str:
        """One problem as a line of text naming where it is."""
        msg = item["message"]
        if item["value"] is not None and item["value"] not in msg:
            msg = f"{item['value']}: {msg}"
        return where(self.source, item["row"], item["field"], unit=self.unit) + ": " + msg

    def frame(self) -> pd.DataFrame:
        """The problems as a table with :data:`PROBLEM_COLUMNS`."""
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS).astype({"row": "Int64"})

    def raise_if_any(self) -> None:
        """Raise :class:`~bien_gioi_geo.errors.InputError` listing the problems, if there are any."""
        if not self.rows:
            return
        lines = [self.text(r) for r in self.rows[:_MAX_LISTED]]
        more = len(self.rows) - _MAX_LISTED
        head = (f"{self.source}: {len(self.bad) or len(self.rows)} bad {self.unit}(s)"
                if len(self.rows) > 1 else None)
        body = "\n  ".join(lines)
        if more > 0:
            body += f"\n  … and {more} more (read with errors='collect' to get them all as a table)"
        raise InputError(body if head is None else f"{head}:\n  {body}")


def check_errors_arg(errors: str) -> None:
    """Refuse an ``errors=`` value other than ``"raise"`` or ``"collect"``."""
    if errors not in ("raise", "collect"):
        raise InputError(f"errors must be 'raise' or 'collect', not {errors!r}")


class Raw:
    """A table as read from a file, before the model's checks: records (dicts), geometries in WGS 84."""

    def __init__(self, source: str, unit: str, records: list[dict[str, Any]],
                 geoms: list[BaseGeometry | None], numbers: list[int], problems: Problems) -> None:
        self.source, self.unit = source, unit
        self.records, self.geoms, self.numbers, self.problems = records, geoms, numbers, problems
