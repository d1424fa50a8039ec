"""Rows a lenient reader could not read (``errors="collect"``): each problem of its table becomes an issue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from .context import Context
from .registry import rule


def read_rows(ctx: Context, *, kind: str) -> Iterator[dict[str, Any]]:
    """The problems of the reader (of the dataset's ``meta["read_problems"]`` unless given) of one ``kind``:
    ``"swapped"`` (swapped coordinates), ``"duplicate"`` (a row typed twice) or ``"read"`` (the others).
    """
    p = ctx.read_problems
    if p is None:
        meta = ctx.full.meta.get("read_problems")
        p = meta if isinstance(meta, pd.DataFrame) else None
    if p is None:
        return
    for r in p.itertuples(index=False):
        en = _given(getattr(r, "message_en", None)) or str(r.message)
        found = "duplicate" if en.startswith("duplicate_id:") else "swapped" if "swapped" in en else "read"
        if found == kind:
            yield {"source": {"vi": vi_source(r.source), "en": r.source}, "row": str(r.row), "field": _field(r.field),
                   "message": {"vi": _vietnamese(r), "en": en}}


def vi_source(source: object) -> str:
    """A reader's source in Vietnamese: ``so.xlsx, sheet 'Cột mốc'`` → ``so.xlsx, trang tính 'Cột mốc'``."""
    return str(source).replace(", sheet '", ", trang tính '").replace(', sheet "', ', trang tính "')


def _given(v: object) -> str | None:
    return v if isinstance(v, str) and v else None


_VI_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _vietnamese(r: Any) -> str:
    """A reader's problem in Vietnamese: its ``message_vi``, its message when that is Vietnamese, else a plain
    Vietnamese sentence (the English detail stays in the ``lang="en"`` message).
    """
    vi = _given(getattr(r, "message_vi", None))
    if vi is not None:
        return vi
    if set(str(r.message).casefold()) & _VI_LETTERS:
        return str(r.message)
    value = getattr(r, "value", None)
    shown = "" if not isinstance(value, str) else f" {value}"
    return f"không đọc được giá trị{shown}; sửa ô này (chi tiết: chạy kiểm tra với ngôn ngữ tiếng Anh, lang=\"en\")"


def _field(field: object) -> dict[str, str] | None:
    """The field's label in each language (``'Số hộ'`` for ``people``), the key itself when it has none."""
    if not isinstance(field, str):
        return None
    from ..model import field_label

    return {"vi": field_label(field, "vi"), "en": field}


#: Where a reader's problem is (file, row, field), then the reader's own message.
READ_MESSAGE = {"vi": "{source}, hàng {row}, trường {field!r}: {message}",
                "en": "{source}, row/feature {row}, field {field!r}: {message}"}


@rule("read_error", "error", messages=READ_MESSAGE)
def read_error(ctx: Context) -> Iterator[dict[str, Any]]:
    """A row a reader could not read (lenient mode, ``errors="collect"``); the reader's own message follows."""
    for p in read_rows(ctx, kind="read"):
        yield {"params": p}
