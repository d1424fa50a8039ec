"""The printable map: one page (A4 or A3) for a commander's desk, drawn with matplotlib.

The map is drawn in the UTM zone of the data's centre (WGS 84; a conformal projection, so angles and local
scale are true) at a round scale (1:50.000, 1:100.000, 1:200.000…) chosen from the **geodesic** extent of the
data and the size of the map frame on the paper; the grid scale factor at the centre is applied, so a
kilometre on the scale bar is a kilometre on the ground. The page holds the border line, the self-managed
stretches coloured by commune, gaps and overlaps, markers by kind (shape and size) and by emplacing side
(colour) with their numbers (placed without overlap, see :mod:`.placement`), a title block, a legend, a scale
bar with the stated scale, a north arrow pointing to true north, longitude/latitude at the frame edges and the
sources with their licence.

Text is set in DejaVu Sans, the font matplotlib ships, which has every Vietnamese letter (precomposed forms such
as ``Đ``, ``ờ``, ``ổ``, ``ý``): no font has to be installed and nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyproj

from ..analysis.coverage import Coverage, coverage
from ..dataset import Dataset
from ..errors import InputError, OptionError, check_option
from ..formatting import check_lang, format_date, format_km, format_number, format_scale
from ..labels import label
from .placement import LabelRequest, place_labels
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


def round_scale(min_denominator: float) -> int:
    """The smallest round scale denominator (1, 2, 2.5 or 5 × 10ⁿ) at least ``min_denominator``.

    >>> round_scale(83_000), round_scale(100_000), round_scale(200_001)
    (100000, 100000, 250000)
    """
    if not min_denominator > 0:
        raise InputError(f"a scale denominator must be positive, not {min_denominator!r}")
    exp = 10 ** math.floor(math.log10(min_denominator))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= min_denominator * (1 - 1e-12):
            return int(round(m * exp))
    raise AssertionError("unreachable")  # pragma: no cover


def map_crs(lon: float, lat: float) -> pyproj.CRS:
    """The WGS 84 UTM zone of a point (EPSG:326zz north, 327zz south): UTM 48N for Lai Châu.

    >>> map_crs(103.3, 22.6).to_epsg()
    32648
    """
    zone = int((lon + 180) // 6) % 60 + 1
    return pyproj.CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def _nfc(s: Any) -> str:
    """Text from data as the page shows it: NFC, white space as a space, and control, format, private-use and
    unassigned code points (no font draws them; a bidi override would reorder the page) as U+FFFD.
    """
    text = unicodedata.normalize("NFC", str(s))
    return "".join(" " if ch.isspace() else "\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in text)


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


def _where(ds: Dataset, lang: str) -> str:
    a = ds.assignments

    def common(col: str) -> str | None:
        if col not in a or a[col].dropna().empty:
            return None
        return _nfc(a[col].dropna().astype(str).map(_nfc).value_counts().index[0])

    district, province = common("district"), common("province")
    if district and province:
        return text("where_district", lang, district=district, province=province)
    return district or province or _nfc(ds.meta.get("title") or ds.name or "")


def _projected(geoms: Any, crs: pyproj.CRS) -> Any:
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(crs)


def _lines_xy(geom: Any) -> list[np.ndarray]:
    if geom is None or geom.is_empty:
        return []
    parts = getattr(geom, "geoms", [geom])
    return [np.asarray(p.coords)[:, :2] for p in parts if p.geom_type == "LineString" and not p.is_empty]


def _dms(value: float, step_min: float, pos: str, neg: str) -> str:
    hemi = pos if value >= 0 else neg
    total = round(abs(value) * 60 / step_min) * step_min  # minutes, on the tick step
    d, m = divmod(total, 60)
    return f"{int(d)}°{int(round(m)):02d}′{hemi}"


def _edge_ticks(ax: Any, tr_inv: pyproj.Transformer, lang: str) -> None:
    """Longitude ticks on the bottom and top edges, latitude ticks on the left and right, in degrees and minutes.

    Grid and geographic lines are not parallel in UTM, so each edge gets its own tick positions.
    """
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    xs = np.linspace(x0, x1, 400)
    ys = np.linspace(y0, y1, 400)
    span_min = abs(tr_inv.transform(x1, y0)[0] - tr_inv.transform(x0, y0)[0]) * 60
    step = next((s for s in (1, 2, 5, 10, 15, 30, 60, 120, 300) if span_min / s <= 6), 600)
    e, w_, n, s = (text(k, lang) for k in ("east", "west", "northern", "southern"))

    def ticks(values: np.ndarray, along: np.ndarray) -> tuple[list[float], list[float]]:
        """Positions along an edge of the round degree/minute values met on it, and those values."""
        lo, hi = np.nanmin(values), np.nanmax(values)
        first = math.ceil(lo * 60 / step) * step
        marks = np.arange(first, hi * 60 + 1e-9, step) / 60
        order = np.argsort(values)
        pos = np.interp(marks, values[order], along[order])
        return pos.tolist(), marks.tolist()

    for where in ("bottom", "top"):
        yy = y0 if where == "bottom" else y1
        lon, _ = tr_inv.transform(xs, np.full_like(xs, yy))
        pos, marks = ticks(np.asarray(lon), xs)
        labels = [_dms(v, step, e, w_) for v in marks]
        axis = ax.xaxis if where == "bottom" else ax.secondary_xaxis("top").xaxis
        axis.set_ticks(pos, labels)
    for where in ("left", "right"):
        xx = x0 if where == "left" else x1
        _, lat = tr_inv.transform(np.full_like(ys, xx), ys)
        pos, marks = ticks(np.asarray(lat), ys)
        labels = [_dms(v, step, n, s) for v in marks]
        axis = ax.yaxis if where == "left" else ax.secondary_yaxis("right").yaxis
        axis.set_ticks(pos, labels)
    for a in [ax, *ax.child_axes]:
        a.tick_params(labelsize=6, length=3, direction="in", pad=2)
    for t in ax.yaxis.get_ticklabels():
        t.set_rotation(90)
        t.set_va("center")


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
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    check_lang(lang)
    if not isinstance(dataset, Dataset):
        raise InputError(f"print_map expects a bien_gioi_geo.Dataset, got {type(dataset).__name__}")
    lay = _layout(paper, orientation)
    cov, as_of = _dated_coverage(dataset, coverage_, as_of)
    pw, ph = lay.page

    # ---------------------------------------------------------------- projection, extent, scale
    borders = dataset.borders
    lonlat = np.vstack([np.asarray(g.coords)[:, :2] for b in borders.values()
                        for g in getattr(b.geometry, "geoms", [b.geometry])])
    west, south = lonlat.min(axis=0)
    east, north = lonlat.max(axis=0)
    clon, clat = (west + east) / 2, (south + north) / 2
    mcrs = pyproj.CRS.from_user_input(crs) if crs is not None else map_crs(clon, clat)
    if not mcrs.is_projected:
        raise InputError(f"crs must be a projected CRS in metres (e.g. 'EPSG:32648'), not {mcrs.to_string()!r}")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", mcrs, always_xy=True)
    inv = pyproj.Transformer.from_crs(mcrs, "EPSG:4326", always_xy=True)
    geod = pyproj.Geod(ellps="WGS84")
    width_m = geod.line_length([west, east], [clat, clat])
    height_m = geod.line_length([clon, clon], [south, north])
    frame_w_m, frame_h_m = lay.map[2] / 1000, lay.map[3] / 1000  # the frame on paper, metres
    fit = max(width_m / frame_w_m, height_m / frame_h_m) * 1.03  # a small margin around the data
    denom = int(scale) if scale is not None else round_scale(fit)
    k = pyproj.Proj(mcrs).get_factors(clon, clat).meridional_scale  # grid metres per ground metre
    cx, cy = fwd.transform(clon, clat)
    half_w, half_h = frame_w_m * denom * k / 2, frame_h_m * denom * k / 2

    fig = Figure(figsize=(pw * MM, ph * MM), dpi=PNG_DPI)
    canvas = FigureCanvasAgg(fig)  # text is measured by the Agg renderer, the one that writes the PNG

    with _rc():
        ax = fig.add_axes((lay.map[0] / pw, lay.map[1] / ph, lay.map[2] / pw, lay.map[3] / ph))
        ax.set_xlim(cx - half_w, cx + half_w)
        ax.set_ylim(cy - half_h, cy + half_h)
        ax.set_aspect("equal", adjustable="box")
        ax.set_gid("map")
        ax.set_facecolor("#fbfbf8")
        if basemap is not None:
            if callable(basemap):
                basemap(ax, mcrs)
            else:
                image, extent = basemap
                if isinstance(image, (str, Path)):
                    import matplotlib.image as mimage

                    image = mimage.imread(str(image))
                ax.imshow(image, extent=tuple(extent), origin="upper", zorder=0, interpolation="bilinear")
            ax.set_xlim(cx - half_w, cx + half_w)
            ax.set_ylim(cy - half_h, cy + half_h)

        handles: list[tuple[Any, str, bool]] = []  # (artist, text, is a section heading)

        def heading(s: str) -> None:
            handles.append((Line2D([], [], linestyle="none"), s, True))

        # ---------------------------------------------------------------- stretches by commune
        iv = cov.intervals
        a = dataset.assignments
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
        # ---------------------------------------------------------------- overlaps, gaps, the line
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
            heading(text("leg_communes", lang))
            handles += [(Line2D([], [], color=colour[c], lw=6.0, solid_capstyle="butt"), c, False) for c in names]
        handles.append((Line2D([], [], color=GAP_COLOUR, lw=3.0, ls="--"),
                        text("leg_gap", lang) + f" ({format_number(len(cov.gaps), lang=lang)})", False))
        handles.append((Line2D([], [], color=OVERLAP_COLOUR, lw=3.0),
                        text("leg_overlap", lang) + f" ({format_number(len(cov.overlaps), lang=lang)})", False))

        # ---------------------------------------------------------------- markers
        mk = cov.markers
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
            heading(text("leg_kinds", lang))
            for kd in kinds_seen:
                shape, size = KIND_STYLE[kd]
                handles.append((Line2D([], [], ls="none", marker=shape, ms=size, mfc="white", mec="black", mew=0.6),
                                label(kd, lang), False))
        if sides_seen:
            heading(text("leg_sides", lang))
            for sd in sides_seen:
                handles.append((Line2D([], [], ls="none", marker="o", ms=6.0, mfc=SIDE_COLOUR.get(sd, OTHER_COLOUR),
                                       mec="black", mew=0.5), label(sd, lang), False))

        # ---------------------------------------------------------------- scale bar and north arrow
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        bar_km = _nice_bar_km(denom * 0.045 / 1000)  # about 45 mm on paper
        bar_len = bar_km * 1000 * k
        bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
        seg = 4
        bar_parts: list[Any] = []  # the bar's patches and texts, framed by one white box
        for i in range(seg):
            bar_parts.append(ax.add_patch(Rectangle((bx + i * bar_len / seg, by), bar_len / seg,
                                                    (y1 - y0) * 0.008, facecolor="black" if i % 2 == 0 else "white",
                                                    edgecolor="black", lw=0.5, zorder=9)))
        for i in (0, seg // 2, seg):
            v = bar_km * i / seg
            tick = format_number(v, decimals=0 if v == int(v) else 1, lang=lang) + (" km" if i == seg else "")
            bar_parts.append(ax.text(bx + i * bar_len / seg, by + (y1 - y0) * 0.013, tick, ha="center",
                                     va="bottom", fontsize=6.5, zorder=9))
        bar_parts.append(ax.text(bx, by - (y1 - y0) * 0.008,
                                 text("scale", lang, scale=format_scale(denom, lang=lang)) + " · "
                                 + text("scale_paper", lang, paper=paper), ha="left", va="top", fontsize=7,
                                 weight="bold", zorder=9, gid="scale"))
        renderer = canvas.get_renderer()
        from matplotlib.transforms import Bbox

        around = Bbox.union([p.get_window_extent(renderer) for p in bar_parts]).padded(8)
        (sx0, sy0), (sx1, sy1) = ax.transData.inverted().transform(around.get_points())
        scale_box = ax.add_patch(Rectangle((sx0, sy0), sx1 - sx0, sy1 - sy0, facecolor="white", edgecolor="0.3",
                                           lw=0.4, alpha=0.9, zorder=8))
        # north arrow: along the true meridian through the arrow's foot, 1 km northwards on the ground
        nx, ny = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.15
        nlon, nlat = inv.transform(nx, ny)
        tx, ty = fwd.transform(*geod.fwd(nlon, nlat, 0.0, 1000.0)[:2])
        d = np.array([tx - nx, ty - ny])
        d = d / np.hypot(*d) * (y1 - y0) * 0.07
        north_arrow = ax.annotate("", xy=(nx + d[0], ny + d[1]), xytext=(nx, ny), zorder=9,
                                  arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": "black",
                                              "lw": 1.4})
        north_text = ax.text(nx + d[0] * 1.18, ny + d[1] * 1.18, text("north", lang), ha="center", va="bottom",
                             fontsize=10, weight="bold", zorder=9, gid="north")

        _edge_ticks(ax, inv, lang)

        # ---------------------------------------------------------------- title block, legend, sources
        px, py, pwid, phei = lay.panel
        left, top = px / pw, (py + phei) / ph
        pan = fig.add_axes((px / pw, py / ph, pwid / pw, phei / ph))
        pan.set_axis_off()
        pan.set_gid("panel")
        pan.add_patch(Rectangle((0, 0), 1, 1, transform=pan.transAxes, fill=False, lw=0.8, ec="black", clip_on=False))
        names_b = "; ".join(_nfc(n) for n in borders)
        made = made_on or _dt.date.today()
        lines = [(_nfc(title) if title else text("map_title", lang), 10.5, "bold", "title"),
                 (_where(dataset, lang), 8.5, "normal", "where"),
                 (text("border", lang, names=names_b), 7.0, "normal", "border")]
        if as_of is not None:
            lines.append((text("as_of", lang, date=format_date(as_of, lang=lang)), 8.0, "bold", "as_of"))
        lines.append((text("prepared_by", lang, who=_nfc(prepared_by)) if prepared_by
                      else text("prepared_blank", lang), 7.5, "normal", "prepared_by"))
        lines.append((text("made_on", lang, date=format_date(made, lang=lang)), 7.0, "normal", "made_on"))
        s = cov.summary()
        off = s["official_km"]
        lines.append((text("lengths", lang, measured=format_km(s["total_km"], lang=lang),
                           official=format_km(off, lang=lang)) if off is not None
                      else text("lengths_measured", lang, measured=format_km(s["total_km"], lang=lang)),
                      6.5, "normal", "lengths"))
        cursor = top - 4 / ph
        portrait = orientation == "portrait"  # title block and sources on the left half, legend on the right
        wrap_w = ((pwid / 2 if portrait else pwid) - 7) * PT_PER_MM
        for content, size, weight, gid in lines:
            t = _fitted_text(fig, renderer, left + 4 / pw, cursor, content, wrap_w, fontsize=size, weight=weight,
                             va="top", ha="left", gid=gid, linespacing=1.25)
            bb = t.get_window_extent(renderer)
            cursor -= bb.height / fig.bbox.height + 2.2 / ph
        title_bottom = cursor

        # the labels go in before the legend, so the legend states how many were left out
        obstacles = [_symbol_box(ax, r, fig.dpi) for r in requests]
        obstacles += [a.get_window_extent(renderer) for a in (scale_box, north_text, north_arrow)]
        kept, left_out = place_labels(ax, requests, renderer=renderer, obstacles=obstacles, fontsize=6.5,
                                      color="black",
                                      zorder=7, gid="marker_label",
                                      bbox={"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none",
                                            "alpha": 0.75})
        heading_labels = text("leg_labels", lang, n=format_number(len(left_out), lang=lang)) if left_out \
            else text("leg_labels_all", lang)
        handles.append((Line2D([], [], ls="none", marker="$12$", ms=9, color="black"), heading_labels, False))

        anchor = (0.5, 0.97) if portrait else (0.03, (title_bottom * ph - py) / phei - 0.005)
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

        epsg = mcrs.to_epsg()
        utm = mcrs.utm_zone
        crs_name = text("utm", lang, zone=utm) if utm else _nfc(mcrs.name)
        src = [text("projection", lang, name=crs_name, epsg=f"EPSG:{epsg}" if epsg else mcrs.to_string())]
        line_source = str(dataset.meta.get("line_source") or "")
        if "openstreetmap" in line_source.lower():
            src.append(text("src_osm", lang))
        elif line_source:
            src.append(text("src_line", lang, source=_nfc(line_source)))
        if dataset.meta.get("illustrative"):
            src.append(text("src_illustrative", lang))
        if basemap_source:
            src.append(text("src_basemap", lang, source=_nfc(basemap_source)))
        _fitted_text(fig, renderer, left + 4 / pw, (py + 3) / ph, "\n".join(src), wrap_w, fontsize=6.0,
                     va="bottom", ha="left", gid="sources", linespacing=1.3)
    fig.bien_gioi_geo = {"scale": denom, "crs": mcrs, "labels_kept": len(kept),  # type: ignore[attr-defined]
                         "labels_left_out": [r.text for r in left_out], "grid_scale_factor": k}
    return fig


def _nice_bar_km(target_km: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ km not above ``target_km``."""
    exp = 10 ** math.floor(math.log10(target_km))
    return max(m * exp for m in (1, 2, 5) if m * exp <= target_km * (1 + 1e-12))


def _symbol_box(ax: Any, req: LabelRequest, dpi: float) -> Any:
    """The display-space box of a marker symbol of radius ``req.radius_pt`` points."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((req.x, req.y))
    r = req.radius_pt / 72 * dpi
    return Bbox([[x - r, y - r], [x + r, y + r]])


def _fitted_text(fig: Any, renderer: Any, x: float, y: float, s: str, width_pt: float, **kw: Any) -> Any:
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
