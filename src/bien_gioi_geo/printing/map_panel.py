"""The printable map's side panel: the title block (title, place, border, date, who prepared it, lengths), the
legend (built from the handles the map's layers collected) and the sources with their licence.

Uses (layer ``printing``): ``admin``, ``analysis``, ``dataset``, ``formatting``, ``labels``; in ``printing/``:
``strings``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pyproj

from ..admin.report import units_caption
from ..analysis.coverage import Coverage
from ..dataset import Dataset
from ..formatting import format_date, format_km
from ..labels import dataset_title
from .strings import page_text, text

__all__ = ["where_text", "fitted_text", "title_block", "legend", "sources"]


def where_text(ds: Dataset, lang: str) -> str:
    """Where the map is: the district and province most rows name, else the dataset's title or name."""
    a = ds.assignments

    def common(col: str) -> str | None:
        if col not in a or a[col].dropna().empty:
            return None
        return page_text(a[col].dropna().astype(str).map(page_text).value_counts().index[0])

    district, province = common("district"), common("province")
    if district and province:
        return text("where_district", lang, district=district, province=province)
    return district or province or page_text(dataset_title(ds.meta, lang) or ds.name or "")


def fitted_text(fig: Any, renderer: Any, x: float, y: float, s: str, width_pt: float, **kw: Any) -> Any:
    """A figure text wrapped at word boundaries so that its rendered width stays within ``width_pt`` points."""
    import textwrap

    paragraphs = s.split("\n")
    limit_px = width_pt / 72 * fig.dpi
    for chars in range(max(len(p) for p in paragraphs), 9, -2):
        wrapped = "\n".join("\n".join(textwrap.wrap(p, chars)) or p for p in paragraphs)
        t = fig.text(x, y, wrapped, **kw)
        if t.get_window_extent(renderer).width <= limit_px:
            return t
        t.remove()
    return fig.text(x, y, s, **kw)


def title_block(fig: Any, renderer: Any, dataset: Dataset, cov: Coverage, *, x: float, top: float, page_h: float,
                width_pt: float, lang: str, title: str | None, prepared_by: str | None, as_of: Any,
                made_on: _dt.date | None) -> float:
    """Write the title block from ``top`` (figure fraction) down at ``x``; return the figure fraction below it."""
    names_b = "; ".join(page_text(n) for n in dataset.borders)
    made = made_on or _dt.date.today()
    lines = [(page_text(title) if title else text("map_title", lang), 10.5, "bold", "title"),
             (where_text(dataset, lang), 8.5, "normal", "where"),
             (text("border", lang, names=names_b), 7.0, "normal", "border")]
    if as_of is not None:
        lines.append((text("as_of", lang, date=format_date(as_of, lang=lang)), 8.0, "bold", "as_of"))
    lines.append((units_caption(cov, lang), 6.5, "normal", "admin_units"))  # current or recorded units
    lines.append((text("prepared_by", lang, who=page_text(prepared_by)) if prepared_by
                  else text("prepared_blank", lang), 7.5, "normal", "prepared_by"))
    lines.append((text("made_on", lang, date=format_date(made, lang=lang)), 7.0, "normal", "made_on"))
    s = cov.summary()
    off = s["official_km"]
    lines.append((text("lengths", lang, measured=format_km(s["total_km"], lang=lang),
                       official=format_km(off, lang=lang)) if off is not None
                  else text("lengths_measured", lang, measured=format_km(s["total_km"], lang=lang)),
                  6.5, "normal", "lengths"))
    cursor = top - 4 / page_h
    for content, size, weight, gid in lines:
        t = fitted_text(fig, renderer, x, cursor, content, width_pt, fontsize=size, weight=weight,
                        va="top", ha="left", gid=gid, linespacing=1.25)
        bb = t.get_window_extent(renderer)
        cursor -= bb.height / fig.bbox.height + 2.2 / page_h
    return cursor


def legend(pan: Any, handles: list[tuple[Any, str, bool]], *, anchor: tuple[float, float], portrait: bool,
           lang: str) -> Any:
    """The legend on the panel Axes ``pan``: ``handles`` are (artist, text, is a section heading)."""
    leg = pan.legend([h for h, _, _ in handles], [t for _, t, _ in handles], loc="upper left",
                     bbox_to_anchor=anchor, frameon=False, ncol=2 if portrait else 1, columnspacing=1.0,
                     fontsize=6.8, title=text("legend", lang), title_fontproperties={"weight": "bold",
                                                                                       "size": 8},
                     alignment="left", handlelength=2.6, labelspacing=0.45, borderaxespad=0.0)
    leg.set_gid("legend")
    for t, (_, _, is_heading) in zip(leg.get_texts(), handles, strict=True):
        if is_heading:
            t.set_fontweight("bold")
            t.set_fontstyle("italic")
    return leg


def sources(dataset: Dataset, mcrs: pyproj.CRS, basemap_source: str | None, lang: str) -> str:
    """The sources block: the projection, the line's source and licence, illustrative data, the basemap."""
    epsg = mcrs.to_epsg()
    utm = mcrs.utm_zone
    crs_name = text("utm", lang, zone=utm) if utm else page_text(mcrs.name)
    src = [text("projection", lang, name=crs_name, epsg=f"EPSG:{epsg}" if epsg else mcrs.to_string())]
    line_source = str(dataset.meta.get("line_source") or "")
    if "openstreetmap" in line_source.lower():
        src.append(text("src_osm", lang))
    elif line_source:
        src.append(text("src_line", lang, source=page_text(line_source)))
    if dataset.meta.get("illustrative"):
        src.append(text("src_illustrative", lang))
    if basemap_source:
        src.append(text("src_basemap", lang, source=page_text(basemap_source)))
    return "\n".join(src)
