"""The title and legend of the coverage map: every layer has an entry, drawn as it shows on the map.

Each entry is ``[colour, text, symbol, edge colour, size]``: ``symbol`` is ``"line"``, ``"dash"``, ``"dot"`` (a
circle of ``size`` pixels across, as the marker is drawn), ``"ring"`` (a dashed circle), ``"label"`` (a marker
number as drawn beside the markers) or ``"none"`` (text only). Entries hold our labels and the data's category
names; the runtime writes them with ``textContent``.

Uses (layer ``maps``): ``formatting``, ``labels``.
"""

from __future__ import annotations

from typing import Any

from ..formatting import format_date, format_km, format_percent
from ..labels import MAP_TEXT as TEXT
from ..labels import label

__all__ = ["title_text", "legend_head", "legend_groups", "TEXT"]


def t(key: str, lang: str) -> str:
    """A map word of :data:`TEXT` (:data:`bien_gioi_geo.labels.MAP_TEXT`) in ``lang``."""
    return TEXT[key][0 if lang == "vi" else 1]


def title_text(name: str | None, as_of: Any, lang: str) -> str:
    """``"<dataset> — tính đến ngày dd/mm/yyyy"`` (the date only for dated data; a generic title without a name).

    >>> import datetime
    >>> title_text("Phong Thổ", datetime.date(2024, 6, 30), "vi")
    'Phong Thổ — tính đến ngày 30/06/2024'
    """
    head = name or t("map", lang)
    return head if as_of is None else f"{head} — {t('as_of_day', lang)} {format_date(as_of, lang=lang)}"


def legend_head(summary: dict[str, Any], lang: str) -> str:
    """The legend's one heading line: covered / total km and per cent (and the official figures when known)."""
    s = summary
    km = lambda v: format_km(v, lang=lang)  # noqa: E731
    head = (f"{t('covered', lang)}: {km(s['covered_km'])} / {km(s['total_km'])} km "
            f"({format_percent(s['percent'], lang=lang)})")
    if s.get("official_km") is not None and s.get("official_covered_km") is not None:
        head += f"; {km(s['official_covered_km'])} / {km(s['official_km'])} km {t('official', lang)}"
    return head


def legend_groups(*, lang: str, color_by: str, colours: dict[str, str], sides: list[str], kinds: list[str],
                  radius: dict[str, float], side_colour: dict[str, str], gap: str, overlap: str,
                  problems: tuple[bool, bool], markers: bool) -> list[list[Any]]:
    """The legend's groups ``[heading, entries]``: one entry for every layer (empty groups are left out)."""
    L = lambda k: label(k, lang)  # noqa: E731
    lines = [["#111", L("border"), "line"], [gap, L("gap_layer"), "dash"], [overlap, L("overlap_layer"), "line"]]
    marker_items: list[list[Any]] = [[side_colour.get(s, "#BBBBBB"), f"{L('emplaced_by')}: {L(s)}", "dot", "#1b1b1b",
                                      10] for s in sides]
    marker_items += [["#fff", L(k), "dot", "#1b1b1b", 2 * radius[k]] for k in kinds]
    if markers:
        marker_items += [["#fff", L("no_carer"), "ring", gap, 16], ["#000", t("marker_number", lang), "label"]]
    problem_items: list[list[Any]] = []
    if problems[0]:
        problem_items.append(["#000", t("problem_line", lang), "dot-line"])
    if problems[1]:
        problem_items.append(["#000", t("problem_point", lang), "ring", "#000", 18])
    if not problem_items:  # the layer is in the layer control: say that it is empty
        problem_items.append(["#000", t("no_problem", lang), "none"])
    groups = [[f"{L('stretches')} ({L(color_by).lower()})", [[colours[c], c, "line"] for c in colours]],
              [t("line_group", lang), lines], [L("marker_layer"), marker_items if markers else []],
              [L("problem_layer"), problem_items]]
    return [g for g in groups if g[1]]
