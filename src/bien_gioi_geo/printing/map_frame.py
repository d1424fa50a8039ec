"""The printable map's frame: its projection and round scale, the coordinates on its edges, the scale bar and the
north arrow. Everything here measures the ground geodesically (pyproj's ``Geod`` on WGS 84) and applies the grid
scale factor of the map's CRS, so a kilometre on the scale bar is a kilometre on the ground.

Uses (layer ``printing``): ``errors``, ``formatting``; in ``printing/``: ``strings``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj

from ..errors import InputError
from ..formatting import format_number, format_scale
from .strings import text

__all__ = ["round_scale", "map_crs", "Frame", "frame_of", "edge_ticks", "scale_bar_and_north"]


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


@dataclass
class Frame:
    """The map's CRS, its transformers to and from WGS 84 longitude/latitude, the scale denominator, the grid
    scale factor at the centre and the frame's extent in the map's CRS (centre and half sizes, metres).
    """

    crs: pyproj.CRS
    fwd: pyproj.Transformer
    inv: pyproj.Transformer
    geod: pyproj.Geod
    denom: int
    k: float
    cx: float
    cy: float
    half_w: float
    half_h: float


def frame_of(lonlat: np.ndarray, map_mm: tuple[float, float, float, float], *, crs: Any = None,
             scale: int | None = None) -> Frame:
    """The frame that shows the points ``lonlat`` (longitude, latitude rows) in a map frame of ``map_mm`` (x, y,
    width, height on paper, mm): the UTM zone of their centre (or ``crs``) at the smallest round scale at which
    their geodesic extent fits, with a 3 % margin (or ``scale``).
    """
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
    frame_w_m, frame_h_m = map_mm[2] / 1000, map_mm[3] / 1000  # the frame on paper, metres
    fit = max(width_m / frame_w_m, height_m / frame_h_m) * 1.03  # a small margin around the data
    denom = int(scale) if scale is not None else round_scale(fit)
    k = pyproj.Proj(mcrs).get_factors(clon, clat).meridional_scale  # grid metres per ground metre
    cx, cy = fwd.transform(clon, clat)
    return Frame(mcrs, fwd, inv, geod, denom, k, cx, cy, frame_w_m * denom * k / 2, frame_h_m * denom * k / 2)


def _dms(value: float, step_min: float, pos: str, neg: str) -> str:
    hemi = pos if value >= 0 else neg
    total = round(abs(value) * 60 / step_min) * step_min  # minutes, on the tick step
    d, m = divmod(total, 60)
    return f"{int(d)}°{int(round(m)):02d}′{hemi}"


def edge_ticks(ax: Any, tr_inv: pyproj.Transformer, lang: str) -> None:
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


def _nice_bar_km(target_km: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ km not above ``target_km``."""
    exp = 10 ** math.floor(math.log10(target_km))
    return max(m * exp for m in (1, 2, 5) if m * exp <= target_km * (1 + 1e-12))


def scale_bar_and_north(ax: Any, renderer: Any, fr: Frame, paper: str, lang: str) -> list[Any]:
    """Draw the scale bar (in a white box, with the stated scale and paper size) in the lower left corner and the
    north arrow (along the true meridian, 1 km northwards on the ground) in the upper right; return the artists
    marker labels must avoid: the scale box, the word "north" and the arrow.
    """
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bar_km = _nice_bar_km(fr.denom * 0.045 / 1000)  # about 45 mm on paper
    bar_len = bar_km * 1000 * fr.k
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
                             text("scale", lang, scale=format_scale(fr.denom, lang=lang)) + " · "
                             + text("scale_paper", lang, paper=paper), ha="left", va="top", fontsize=7,
                             weight="bold", zorder=9, gid="scale"))
    around = Bbox.union([p.get_window_extent(renderer) for p in bar_parts]).padded(8)
    (sx0, sy0), (sx1, sy1) = ax.transData.inverted().transform(around.get_points())
    scale_box = ax.add_patch(Rectangle((sx0, sy0), sx1 - sx0, sy1 - sy0, facecolor="white", edgecolor="0.3",
                                       lw=0.4, alpha=0.9, zorder=8))
    # north arrow: along the true meridian through the arrow's foot, 1 km northwards on the ground
    nx, ny = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.15
    nlon, nlat = fr.inv.transform(nx, ny)
    tx, ty = fr.fwd.transform(*fr.geod.fwd(nlon, nlat, 0.0, 1000.0)[:2])
    d = np.array([tx - nx, ty - ny])
    d = d / np.hypot(*d) * (y1 - y0) * 0.07
    north_arrow = ax.annotate("", xy=(nx + d[0], ny + d[1]), xytext=(nx, ny), zorder=9,
                              arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": "black",
                                          "lw": 1.4})
    north_text = ax.text(nx + d[0] * 1.18, ny + d[1] * 1.18, text("north", lang), ha="center", va="bottom",
                         fontsize=10, weight="bold", zorder=9, gid="north")
    return [scale_box, north_text, north_arrow]
