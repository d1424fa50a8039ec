"""Where a problem is in the user's files: the file (and sheet) and the rows, as the user's program numbers them."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from .context import Context
from .read import vi_source
from .registry import Phrase

__all__ = ["where_of"]

_ROW_WORD = {"vi": "hàng", "en": "row"}


def _source(df: pd.DataFrame) -> str | None:
    """The reader's name of a table's source (``so.xlsx, sheet 'Cột mốc'``), or the file name."""
    src = df.attrs.get("source_name") or df.attrs.get("source")
    if not isinstance(src, str) or not src:
        return None
    return os.path.basename(src) if os.sep in src or "/" in src else src


def _rows_of(ctx: Context, table: str, ids: list[Any]) -> tuple[str | None, list[int]]:
    """The source and the rows of the rows whose id (assignment id; marker id or marker number) is in ``ids``."""
    cache = ctx.cache.setdefault(f"where:{table}", {})
    if not cache:
        df = getattr(ctx.full, table)
        keys = ("assignment_id",) if table == "assignments" else ("marker_id", "number")
        for key in keys:
            if "source_row" in df and key in df:
                for i, r in zip(df[key].astype(object).tolist(), df["source_row"].tolist(), strict=True):
                    if pd.notna(r):
                        cache.setdefault(str(i), set()).add(int(r))
        cache["__source__"] = _source(df)
    rows = sorted({r for i in ids for r in cache.get(str(i), ())})
    return cache.get("__source__"), rows


def where_of(ctx: Context, rid: str, hit: dict[str, Any], row: dict[str, Any], lang: str) -> str | None:
    """``"<file, sheet>, hàng 12, 15"`` for the rows an issue names (its read problem's row for ``read_error``)."""
    word = _ROW_WORD[lang]
    params = hit.get("params", {})
    read = params.get("what").params if isinstance(params.get("what"), Phrase) else params
    if isinstance(read, dict) and "source" in read and "row" in read:  # a reader's problem
        r, src = read["row"], read["source"]
        src = src[lang] if isinstance(src, dict) else src
        return f"{src}, {word} {r}" if r not in (None, "<NA>", "None", "nan") else str(src)
    parts = []
    for table, ids in (("assignments", row["assignment_ids"]), ("markers", row["marker_ids"])):
        if not ids:
            continue
        src, rows = _rows_of(ctx, table, ids)
        if rows:
            src = (vi_source(src) if lang == "vi" else src) if src else table
            parts.append(f"{src}, {word} {', '.join(map(str, rows))}")
    return "; ".join(parts) or None
