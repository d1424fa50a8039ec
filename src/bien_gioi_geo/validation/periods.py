"""Rules on the periods of dated rows (``valid_from``/``valid_to``, see :mod:`bien_gioi_geo.analysis.ledger`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .context import Context, day_or_open, period_phrase
from .registry import rule


@rule("bad_period", "error", messages={
    "vi": "Đăng ký {aid!r}: ngày hết hiệu lực {to_date} không sau ngày có hiệu lực {from_date}; dòng này không có "
          "hiệu lực vào ngày nào",
    "en": "assignment {aid!r}: valid_to {to_date} is not after valid_from {from_date}; the row is valid on no date "
          "(periods are [valid_from, valid_to))"})
def bad_period(ctx: Context) -> Iterator[dict[str, Any]]:
    """An assignment whose ``valid_to`` is not after its ``valid_from`` (reported whatever ``as_of``)."""
    a = ctx.full.assignments
    for i, lo, hi in ctx.versions[0]:
        aid = a.loc[i, "assignment_id"]
        yield {"params": {"aid": aid, "from_date": day_or_open(lo), "to_date": day_or_open(hi)},
               "assignment_ids": [aid]}


@rule("period_overlap", "error", messages={
    "vi": "Đăng ký {aid!r} có hai phiên bản cùng hiệu lực {period}: ({from1} – {to1}) và ({from2} – {to2}); hãy "
          "cho phiên bản cũ hết hiệu lực vào ngày phiên bản mới bắt đầu",
    "en": "assignment {aid!r} has two versions valid at the same time, {period}: ({from1} – {to1}) and ({from2} – "
          "{to2}); end the older version where the newer one starts"})
def period_overlap(ctx: Context) -> Iterator[dict[str, Any]]:
    """Two versions (rows) of one assignment valid at the same time."""
    f, t = ctx.periods
    loc = ctx.full.assignments.index.get_loc
    for aid, i, j, lo, hi in ctx.versions[1]:
        if ctx.holds(lo, hi):
            yield {"params": {"aid": aid, "period": period_phrase(lo, hi),
                              "from1": day_or_open(f[loc(i)]), "to1": day_or_open(t[loc(i)]),
                              "from2": day_or_open(f[loc(j)]), "to2": day_or_open(t[loc(j)])},
                   "assignment_ids": [aid], **ctx.span(lo, hi)}
