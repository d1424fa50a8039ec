"""Rows a lenient reader could not read (``errors="collect"``): each problem of its table becomes an issue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from .context import Context
from .registry import rule


def read_rows(ctx: Context, *, swapped: bool) -> Iterator[dict[str, Any]]:
    """The problems of the reader (of the dataset's ``meta["read_problems"]`` unless given), those about swapped
    coordinates or the others.
    """
    p = ctx.read_problems
    if p is None:
        meta = ctx.full.meta.get("read_problems")
        p = meta if isinstance(meta, pd.DataFrame) else None
    if p is None:
        return
    for r in p.itertuples(index=False):
        if ("swapped" in str(r.message)) == swapped:
            yield {"source": r.source, "row": str(r.row), "field": r.field, "message": r.message}


#: Where a reader's problem is (file, row, field), then the reader's own message.
READ_MESSAGE = {"vi": "{source}, dòng/đối tượng {row}, trường {field!r}: {message}",
                "en": "{source}, row/feature {row}, field {field!r}: {message}"}


@rule("read_error", "error", messages=READ_MESSAGE)
def read_error(ctx: Context) -> Iterator[dict[str, Any]]:
    """A row a reader could not read (lenient mode, ``errors="collect"``); the reader's own message follows."""
    for p in read_rows(ctx, swapped=False):
        yield {"params": p}
