"""The printable map: one page (A4 or A3) for a commander's desk, drawn with matplotlib.

The map is drawn in the UTM zone of the data's centre (WGS 84; a conformal projection, so angles and local
scale are true) at a round scale (1:50.000, 1:100.000, 1:200.000…) chosen from the **geodesic** extent of the
data and the size of the map frame on the paper; the grid scale factor at the centre is applied, so a
kilometre on the scale bar is a kilometre on the ground. The page holds the border line, the self-managed
stretches coloured by commune, gaps and overlaps, markers by kind (shape and size) and by emplacing side
(colour) with their numbers (placed without overlap, see :mod:`.placement`), a title block, a legend, a scale
bar with the stated scale, a north arrow pointing to true north, longitude/latitude at the frame edges and the
sources with their licence.

This module draws the layers (stretches, gaps, overlaps, the line, markers) and lays out the page;
:mod:`.map_frame` owns the projection, the scale, the edge coordinates, the scale bar and the north arrow, and
:mod:`.map_panel` the title block, the legend and the sources.

Text is set in DejaVu Sans, the font matplotlib ships, which has every Vietnamese letter (precomposed forms such
as ``Đ``, ``ờ``, ``ổ``, ``ý``): no font has to be installed and nothing is fetched from the network.

Uses (layer ``printing``): ``analysis``, ``dataset``, ``dates``, ``errors``, ``formatting``, ``io``, ``labels``; in
``printing/``: ``map_frame``, ``map_panel``, ``placement``, ``strings``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyproj

from ..analysis.coverage import Coverage, coverage
from ..dataset import Dataset
from ..errors import InputError, OptionError, check_option
from ..formatting import check_lang, format_number
from ..labels import label
from .map_frame import Frame, edge_ticks, frame_of, map_crs, round_scale, scale_bar_and_north
from .map_panel import fitted_text, legend, sources, title_block
from .placement import LabelRequest, place_labels
from .strings import page_text as _nfc
from .strings import text

__all__ = ["print_map", "save", "PAPER_MM", "FONT", "map_crs", "round_scale"]

PAPER_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape (width, height)
FONT = "DejaVu Sans"
MM = 1 / 25.4  # inches per millimetre
PT_PER_MM = 72 / 25.4
PNG_DPI = 300  # the figure's own dpi: labels are measured in the pixels of the 300-dpi PNG

KIND_STYLE: dict[str, tuple[str, float]] = {  # kind: (matplotlib marker, size in points); main markers larger
    "triple": ("^", 8.5), "double": ("s", 6.5), "single": ("o", 6.5), "auxiliary": ("o", 4.0), "stake": (".", 4.0),
}
KIND_PRIORITY = {"triple": 0, "double": 0, "single": 0, "auxiliary": 1, "stake": 2}
SIDE_COLOUR = {"VN": "#d7191c", "CN": "#2b6cb0", "LA": "#1a9641", "KH": "#7b3294"}
OTHER_COLOUR = "#7f7f7f"
COMMUNE_COLOURS = ["#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#ffff99", "#8dd3c7", "#fccde5", "#bebada",
                   "#d9d9d9", "#ccebc5", "#ffed6f", "#80b1d3", "#fdb462", "#b3de69", "#bc80bd", "#fb8072"]
GAP_COLOUR = "#e31a1c"
OVERLAP_COLOUR = "#6a3d9a"


def _ensure_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ImportError("the printable map needs matplotlib, a dependency of bien_gioi_geo: reinstall it "
                          "(pip install bien_gioi_geo) or pip install matplotlib") from exc
    return matplotlib


@dataclass
class _Layout:
    """Rectangles in mm from the page's lower-left corner: (x, y, width, height)."""

    page: tuple[float, float]
    map: tuple[float, float, float, float]
    panel: tuple[float, float, float, float]


def _dated_coverage(dataset: Dataset, cov: Coverage | None, as_of: Any) -> tuple[Coverage, Any]:
    """The coverage the page draws and the date it states: the figures are those of ``as_of`` (read as a date,
    ``2024-12-31`` or ``31/12/2024``), else of the coverage's own date, else ``dataset.meta["as_of"]``.
    """
    from ..dates import parse_date

    when = None if as_of is None else parse_date(as_of)
    if cov is None:
        cov = coverage(dataset, as_of=when)
    elif when is not None and cov.as_of is not None and cov.as_of != when:
        raise OptionError(f"as_of={as_of!r} but the coverage given is as of {cov.as_of.isoformat()}; pass "
                          "coverage(dataset, as_of=...) of the same date, or leave out one of them")
    return cov, when or cov.as_of or dataset.meta.get("as_of")


def _layout(paper: str, orientation: str) -> _Layout:
    check_option("paper", paper, PAPER_MM)
    check_option("orientation", orientation, ("landscape", "portrait"))
    w, h = PAPER_MM[paper] if orientation == "landscape" else PAPER_MM[paper][::-1]
    margin, edge = 8.0, 11.0  # page margin; room for the frame's coordinates
    if orientation == "landscape":
        panel_w = 82.0 if paper == "A4" else 100.0
        mx, my = margin + edge, margin + edge
        mw = w - mx - edge - 6.0 - panel_w - margin
        mh = h - my - edge - margin
        return _Layout((w, h), (mx, my, mw, mh), (w - margin - panel_w, margin, panel_w, h - 2 * margin))
    panel_h = 78.0 if paper == "A4" else 100.0
    mx, my = margin + edge, margin + panel_h + 6.0 + edge
    mw = w - mx - edge - margin
    mh = h - my - edge - margin
    return _Layout((w, h), (mx, my, mw, mh), (margin, margin, w - 2 * margin, panel_h))


def _projected(geoms: Any, crs: pyproj.CRS) -> Any:
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(crs)


def _lines_xy(geom: Any) -> list[np.ndarray]:
    if geom is None or geom.is_empty:
        return []
    parts = getattr(geom, "geoms", [geom])
    return [np.asarray(p.coords)[:, :2] for p in parts if p.geom_type == "LineString" and not p.is_empty]


def print_map(dataset: Dataset, coverage_: Coverage | None = None, *, paper: str = "A4",
              orientation: str = "landscape", lang: str = "vi", title: str | None = None,
              prepared_by: str | None = None, as_of: _dt.date | str | None = None,
              basemap: Any = None, basemap_source: str | None = None, crs: Any = None,
              scale: int | None = None, made_on: _dt.date | None = None) -> Any:
    """Draw the printable map of a dataset on one page; return the matplotlib ``Figure``.

    Parameters
    ----------
    dataset
        The dataset.
    coverage_
        Its coverage (computed when not given).
    paper
        ``"A4"`` or ``"A3"``; the figure is exactly that size.
    orientation
        ``"landscape"`` (default) or ``"portrait"``.
    lang
        ``"vi"`` (default) or ``"en"``, for every text and number on the page.
    title
        The title (default: the kind of map, in ``lang``).
    prepared_by
        Who prepared it (unit or person); a dotted line to fill in by hand when not given.
    as_of
        The date the figures refer to, stated in the title block (``dataset.meta["as_of"]`` when not given).
    basemap
        The analyst's own background: either a callable ``basemap(ax, crs)`` that draws on the map Axes (in
        the map's CRS, e.g. from a local tile folder), or a pair ``(image, (xmin, xmax, ymin, ymax))`` where
        ``image`` is an array or a PNG path georeferenced in the map's CRS (pass ``crs=`` to choose it).
    basemap_source
        Source and licence of the basemap, printed with the other sources.
    crs
        The map's projected CRS (default: the UTM zone of the data's centre). It must be projected in metres.
    scale
        Scale denominator (default: the smallest round scale at which the data fits the frame).
    made_on
        The date printed as the day the map was made (default: today).

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`save` (PDF and 300-dpi PNG, atomically).
    """
    _ensure_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    check_lang(lang)
    if not isinstance(dataset, Dataset):
        raise InputError(f"print_map expects a bien_gioi_geo.Dataset, got {type(dataset).__name__}")
    lay = _layout(paper, orientation)
    cov, as_of = _dated_coverage(dataset, coverage_, as_of)
    pw, ph = lay.page
    lonlat = np.vstack([np.asarray(g.coords)[:, :2] for b in dataset.borders.values()
                        for g in getattr(b.geometry, "geoms", [b.geometry])])
    fr = frame_of(lonlat, lay.map, crs=crs, scale=scale)

    fig = Figure(figsize=(pw * MM, ph * MM), dpi=PNG_DPI)
    canvas = FigureCanvasAgg(fig)  # text is measured by the Agg renderer, the one that writes the PNG

    with _rc():
        ax = fig.add_axes((lay.map[0] / pw, lay.map[1] / ph, lay.map[2] / pw, lay.map[3] / ph))
        _map_axes(ax, fr, basemap)
        handles: list[tuple[Any, str, bool]] = []  # (artist, text, is a section heading)
        _draw_lines(ax, dataset, cov, fr.crs, lang, handles)
        requests = _draw_markers(ax, cov, fr.fwd, lang, handles)
        renderer = canvas.get_renderer()
        avoid = scale_bar_and_north(ax, renderer, fr, paper, lang)
        edge_ticks(ax, fr.inv, lang)

        # ---------------------------------------------------------------- title block, legend, sources
        px, py, pwid, phei = lay.panel
        left, top = px / pw, (py + phei) / ph
        pan = fig.add_axes((px / pw, py / ph, pwid / pw, phei / ph))
        pan.set_axis_off()
        pan.set_gid("panel")
        pan.add_patch(Rectangle((0, 0), 1, 1, transform=pan.transAxes, fill=False, lw=0.8, ec="black", clip_on=False))
        portrait = orientation == "portrait"  # title block and sources on the left half, legend on the right
        wrap_w = ((pwid / 2 if portrait else pwid) - 7) * PT_PER_MM
        title_bottom = title_block(fig, renderer, dataset, cov, x=left + 4 / pw, top=top, page_h=ph, width_pt=wrap_w,
                                   lang=lang, title=title, prepared_by=prepared_by, as_of=as_of, made_on=made_on)

        # the labels go in before the legend, so the legend states how many were left out
        obstacles = [_symbol_box(ax, r, fig.dpi) for r in requests]
        obstacles += [a.get_window_extent(renderer) for a in avoid]
        kept, left_out = place_labels(ax, requests, renderer=renderer, obstacles=obstacles, fontsize=6.5,
                                      color="black",
                                      zorder=7, gid="marker_label",
                                      bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none",
                                            "alpha": 0.75})
        heading_labels = text("leg_labels", lang, n=format_number(len(left_out), lang=lang)) if left_out \
            else text("leg_labels_all", lang)
        handles.append((Line2D([], [], ls="none", marker="$12$", ms=9, color="black"), heading_labels, False))
        anchor = (0.5, 0.97) if portrait else (0.03, (title_bottom * ph - py) / phei - 0.005)
        legend(pan, handles, anchor=anchor, portrait=portrait, lang=lang)
        fitted_text(fig, renderer, left + 4 / pw, (py + 3) / ph, sources(dataset, fr.crs, basemap_source, lang),
                    wrap_w, fontsize=6.0, va="bottom", ha="left", gid="sources", linespacing=1.3)
    fig.bien_gioi_geo = {"scale": fr.denom, "crs": fr.crs, "labels_kept": len(kept),  # type: ignore[attr-defined]
                         "labels_left_out": [r.text for r in left_out], "grid_scale_factor": fr.k}
    return fig


def _map_axes(ax: Any, fr: Frame, basemap: Any) -> None:
    """The map Axes: the frame's extent, equal aspect, and the analyst's basemap under everything."""
    ax.set_xlim(fr.cx - fr.half_w, fr.cx + fr.half_w)
    ax.set_ylim(fr.cy - fr.half_h, fr.cy + fr.half_h)
    ax.set_aspect("equal", adjustable="box")
    ax.set_gid("map")
    ax.set_facecolor("#fbfbf8")
    if basemap is not None:
        if callable(basemap):
            basemap(ax, fr.crs)
        else:
            image, extent = basemap
            if isinstance(image, (str, Path)):
                import matplotlib.image as mimage

                image = mimage.imread(str(image))
            ax.imshow(image, extent=tuple(extent), origin="upper", zorder=0, interpolation="bilinear")
        ax.set_xlim(fr.cx - fr.half_w, fr.cx + fr.half_w)
        ax.set_ylim(fr.cy - fr.half_h, fr.cy + fr.half_h)


def _draw_lines(ax: Any, dataset: Dataset, cov: Coverage, mcrs: pyproj.CRS, lang: str,
                handles: list[tuple[Any, str, bool]]) -> None:
    """The self-managed stretches coloured by commune, overlaps, gaps and the border line; their legend rows."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    borders = dataset.borders
    iv = cov.intervals
    a = dataset.assignments
    if "commune_report" in cov.dataset.assignments:  # went through bg.admin: the units the figures are by
        a = cov.dataset.assignments.assign(commune=cov.dataset.assignments["commune_report"])
    communes = a["commune"].map(lambda v: _nfc(v) if isinstance(v, str) else None) if "commune" in a \
        else pd.Series(None, index=a.index, dtype=object)
    ok = iv["unresolved"].isna() & (iv["length_km"] > 0) & iv["border_id"].isin(list(borders))
    names = sorted({c for c in communes[ok[ok].index] if c})
    colour = {c: COMMUNE_COLOURS[i % len(COMMUNE_COLOURS)] for i, c in enumerate(names)}
    if ok.any():
        sel = iv[ok]
        geoms = []
        for bid, rows in sel.groupby("border_id", sort=False):
            cut = borders[bid].cut(rows["start_km"].to_numpy(), rows["end_km"].to_numpy())
            geoms += list(zip(rows.index, cut.values, strict=True))
        proj = _projected([g for _, g in geoms], mcrs)
        segs, cols = [], []
        for (idx, _), g in zip(geoms, proj.values, strict=True):
            for xy in _lines_xy(g):
                segs.append(xy)
                cols.append(colour.get(communes.get(idx), "#cccccc"))
        ax.add_collection(LineCollection(segs, colors=cols, linewidths=6.0, capstyle="butt", zorder=2),
                          autolim=False)
    for frame, col, lw, style in ((cov.overlaps, OVERLAP_COLOUR, 3.0, "-"), (cov.gaps, GAP_COLOUR, 3.0, "--")):
        if len(frame):
            for g in _projected(frame.geometry.values, mcrs).values:
                for xy in _lines_xy(g):
                    ax.plot(xy[:, 0], xy[:, 1], color=col, lw=lw, ls=style, zorder=3)
    for b in borders.values():
        for g in _projected([b.geometry], mcrs).values:
            for xy in _lines_xy(g):
                ax.plot(xy[:, 0], xy[:, 1], color="black", lw=0.9, zorder=4)
    handles.append((Line2D([], [], color="black", lw=0.9), text("leg_line", lang), False))
    if names:
        handles.append((Line2D([], [], linestyle="none"), text("leg_communes", lang), True))
        handles += [(Line2D([], [], color=colour[c], lw=6.0, solid_capstyle="butt"), c, False) for c in names]
    handles.append((Line2D([], [], color=GAP_COLOUR, lw=3.0, ls="--"),
                    text("leg_gap", lang) + f" ({format_number(len(cov.gaps), lang=lang)})", False))
    handles.append((Line2D([], [], color=OVERLAP_COLOUR, lw=3.0),
                    text("leg_overlap", lang) + f" ({format_number(len(cov.overlaps), lang=lang)})", False))


def _draw_markers(ax: Any, cov: Coverage, fwd: pyproj.Transformer, lang: str,
                  handles: list[tuple[Any, str, bool]]) -> list[LabelRequest]:
    """One symbol per marker (shape and size by kind, colour by emplacing side) and their legend rows; return the
    label requests of their numbers.
    """
    from matplotlib.lines import Line2D

    mk = cov.marker_posts
    requests: list[LabelRequest] = []
    kinds_seen: list[str] = []
    sides_seen: list[str] = []
    if len(mk):
        xy = np.array(fwd.transform(mk.geometry.x.to_numpy(), mk.geometry.y.to_numpy())).T
        pts = pd.DataFrame({"key": mk["marker_key"].astype(str).to_numpy(), "x": xy[:, 0], "y": xy[:, 1],
                            "kind": mk["kind"].astype(str).to_numpy(),
                            "side": mk["emplaced_by"].astype(object).to_numpy(),
                            "number": mk["number"].astype(str).to_numpy(),
                            "ch": mk["chainage_km"].to_numpy(dtype=float)})
        per = pts.groupby("key", sort=False).agg(x=("x", "mean"), y=("y", "mean"), kind=("kind", "first"),
                                                  side=("side", "first"), number=("number", "first"),
                                                  ch=("ch", "mean"))
        for (kind, side), rows in per.groupby(["kind", "side"], sort=True, dropna=False):
            shape, size = KIND_STYLE.get(str(kind), ("o", 5.0))
            ax.plot(rows["x"], rows["y"], ls="none", marker=shape, ms=size,
                    mfc=SIDE_COLOUR.get(str(side), OTHER_COLOUR), mec="black", mew=0.5, zorder=6)
        kinds_seen = [k for k in KIND_STYLE if k in set(per["kind"])]
        sides_seen = sorted({str(s) for s in per["side"] if isinstance(s, str)})
        requests = [LabelRequest(float(r.x), float(r.y), _nfc(r.number),
                                 (KIND_PRIORITY.get(str(r.kind), 3), float(r.ch) if np.isfinite(r.ch) else 1e18,
                                  str(r.number)), KIND_STYLE.get(str(r.kind), ("o", 5.0))[1] / 2)
                    for r in per.itertuples()]
    if kinds_seen:
        handles.append((Line2D([], [], linestyle="none"), text("leg_kinds", lang), True))
        for kd in kinds_seen:
            shape, size = KIND_STYLE[kd]
            handles.append((Line2D([], [], ls="none", marker=shape, ms=size, mfc="white", mec="black", mew=0.6),
                            label(kd, lang), False))
    if sides_seen:
        handles.append((Line2D([], [], linestyle="none"), text("leg_sides", lang), True))
        for sd in sides_seen:
            handles.append((Line2D([], [], ls="none", marker="o", ms=6.0, mfc=SIDE_COLOUR.get(sd, OTHER_COLOUR),
                                   mec="black", mew=0.5), label(sd, lang), False))
    return requests


def _symbol_box(ax: Any, req: LabelRequest, dpi: float) -> Any:
    """The display-space box of a marker symbol of radius ``req.radius_pt`` points."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((req.x, req.y))
    r = req.radius_pt / 72 * dpi
    return Bbox([[x - r, y - r], [x + r, y + r]])


def save(fig: Any, pdf: str | Path | None = None, png: str | Path | None = None, *, dpi: int = PNG_DPI) -> list[Path]:
    """Write the map as PDF (one page, the figure's paper size) and/or PNG (``dpi``, default 300), atomically.

    Each file is written to a temporary file in its folder and renamed into place, so a reader never sees a
    half-written map. Returns the paths written.
    """
    from ..io import atomic_path

    out = []
    for path, fmt in ((pdf, "pdf"), (png, "png")):
        if path is None:
            continue
        path = Path(path)
        with atomic_path(path) as tmp, _rc():
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_metadata(fig, fmt))
        out.append(path)
    return out


def _metadata(fig: Any, fmt: str) -> dict[str, Any]:
    title = next((t.get_text() for t in fig.texts if t.get_gid() == "title"), "")
    if fmt == "pdf":
        return {"Title": title.replace("\n", " "), "Creator": "bien_gioi_geo"}
    return {"Title": title.replace("\n", " "), "Software": "bien_gioi_geo"}


def _rc() -> Any:
    """DejaVu Sans for every text; TrueType (not Type 3) fonts in the PDF, so its text can be searched and copied."""
    import matplotlib as mpl

    # text.parse_math off: a name like '$x^{$' from the data is text, never matplotlib mathtext (code)
    return mpl.rc_context({"font.family": FONT, "pdf.fonttype": 42, "text.parse_math": False,
                           "text.usetex": False})
