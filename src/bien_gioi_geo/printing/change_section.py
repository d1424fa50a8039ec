"""The Word report's paragraph of what changed between two dates (``report --compare D1 D2``).

It states, from :func:`bien_gioi_geo.compare`, the km of border gained and lost and the net change, the markers
that found or lost a carer and the assignments that joined or left, every figure formatted by
:mod:`bien_gioi_geo.formatting`; :func:`change_section` is a ``sections=`` hook of
:func:`~bien_gioi_geo.printing.docx_report.word_report`.

Uses (layer ``printing``): ``analysis``, ``formatting``; in ``printing/``: ``strings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..analysis.compare import Comparison
from ..formatting import format_count, format_date, format_km
from .strings import text

__all__ = ["change_paragraph", "change_section"]

_MAX_IDS = 12  # ids listed in a sentence; more are counted ("… và 30 mốc khác")


def _ids(values: list[Any], lang: str) -> str:
    shown = ", ".join(map(str, values[:_MAX_IDS]))
    more = len(values) - _MAX_IDS
    if more > 0:
        shown += text("ids_more", lang, n=format_count(more, lang=lang))
    return shown


def _signed_km(value: float, lang: str) -> str:
    km = format_km(abs(value), lang=lang)
    return km if round(value, 3) == 0 else ("+" if value > 0 else "−") + km


def change_paragraph(change: Comparison, *, lang: str = "vi") -> str:
    """One paragraph: km gained, lost and net; markers that found or lost a carer; assignments joined or left.

    Lengths are measured km of the drawn line (as the change map's); marker numbers and assignment ids are listed
    (the first twelve of each, then a count).
    """
    d0, d1 = (format_date(d, lang=lang) if d is not None else "—" for d in change.dates)
    gained = float(change.gained["length_km"].sum())
    lost = float(change.lost["length_km"].sum())
    before, after = change.before.covered_km, change.after.covered_km
    out = text("chg_km", lang, d0=d0, d1=d1, gained=format_km(gained, lang=lang), lost=format_km(lost, lang=lang),
               net=_signed_km(after - before, lang), before=format_km(before, lang=lang),
               after=format_km(after, lang=lang))
    found, lost_m = change.markers_found, change.markers_lost
    if len(found):
        out += text("chg_found", lang, n=format_count(len(found), lang=lang), ids=_ids(list(found["number"]), lang))
    if len(lost_m):
        out += text("chg_lost", lang, n=format_count(len(lost_m), lang=lang), ids=_ids(list(lost_m["number"]), lang))
    if not len(found) and not len(lost_m):
        out += text("chg_no_markers", lang)
    for key, rows in (("chg_joined", change.joined), ("chg_left", change.left)):
        ids = list(dict.fromkeys(rows["assignment_id"].astype(str)))
        if ids:
            out += text(key, lang, n=format_count(len(ids), lang=lang), ids=_ids(ids, lang))
    return out + "."


def change_section(change: Comparison) -> Callable[[Any, Any], None]:
    """A ``sections=`` hook of :func:`word_report` adding a heading and :func:`change_paragraph`."""

    def section(document: Any, ctx: Any) -> None:
        d0, d1 = (format_date(d, lang=ctx.lang) if d is not None else "—" for d in change.dates)
        document.add_heading(text("chg_title", ctx.lang, d0=d0, d1=d1), level=1)
        document.add_paragraph(change_paragraph(change, lang=ctx.lang))

    return section
