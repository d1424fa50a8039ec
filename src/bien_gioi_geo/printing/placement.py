"""Marker-number labels that never overlap: greedy placement by priority, tested on rendered text extents.

Each label is tried at a few positions around its anchor (right, left, above, below, then the diagonals); a
position is kept when the label's bounding box **as the renderer measures it** (display pixels) lies inside the
map frame and touches no label placed before it, nor any obstacle (the title block, the scale bar…). Labels are
placed in priority order (main markers before auxiliary ones, then by chainage), so when the map is crowded the
least important numbers are the ones left out — and the caller is told how many.

Uses (layer ``printing``): nothing else of the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LabelRequest", "place_labels", "overlaps"]

# directions from the anchor, in units of the symbol's radius plus a gap: (dx, dy, horizontal, vertical alignment)
_POSITIONS: tuple[tuple[float, float, str, str], ...] = (
    (1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"),
    (1, 1, "left", "bottom"), (-1, 1, "right", "bottom"), (1, -1, "left", "top"), (-1, -1, "right", "top"),
)


@dataclass(frozen=True)
class LabelRequest:
    """One label to place: anchor in data coordinates, its text, its priority (lower is placed first) and the
    radius of the symbol it names (points), which the label keeps clear of.
    """

    x: float
    y: float
    text: str
    priority: tuple[Any, ...]
    radius_pt: float = 3.0


def overlaps(a: Any, b: Any, pad: float = 0.0) -> bool:
    """Whether two display-space boxes (``matplotlib.transforms.Bbox``) overlap, each grown by ``pad`` pixels.

    >>> from matplotlib.transforms import Bbox
    >>> overlaps(Bbox([[0, 0], [10, 10]]), Bbox([[10.5, 0], [20, 10]]))
    False
    >>> overlaps(Bbox([[0, 0], [10, 10]]), Bbox([[10.5, 0], [20, 10]]), pad=1)
    True
    """
    return bool(a.x0 - pad < b.x1 + pad and b.x0 - pad < a.x1 + pad
                and a.y0 - pad < b.y1 + pad and b.y0 - pad < a.y1 + pad)


def place_labels(ax: Any, requests: Sequence[LabelRequest], *, renderer: Any, obstacles: Sequence[Any] = (),
                 fontsize: float = 6.5, pad_px: float = 2.0, **text_kw: Any) -> tuple[list[Any], list[LabelRequest]]:
    """Place labels on ``ax`` without overlap; return the text artists kept and the requests left out.

    Parameters
    ----------
    ax
        The map's matplotlib Axes (its limits already final).
    requests
        The labels; placed in order of ``priority``.
    renderer
        The renderer whose text measurement is used (``fig.canvas.get_renderer()``).
    obstacles
        Display-space boxes no label may touch (the marker symbols, the scale bar, the north arrow…).
    fontsize
        Label size, points.
    pad_px
        Clearance kept between boxes, display pixels.
    **text_kw
        Passed to :meth:`matplotlib.axes.Axes.annotate` (colour, weight, path effects…).
    """
    frame = ax.get_window_extent(renderer)
    placed_boxes: list[Any] = list(obstacles)
    kept: list[Any] = []
    left_out: list[LabelRequest] = []
    for req in sorted(requests, key=lambda r: r.priority):
        for ux, uy, ha, va in _POSITIONS:
            r = req.radius_pt + 2.5
            t = ax.annotate(req.text, (req.x, req.y), xytext=(ux * r, uy * r), textcoords="offset points", ha=ha, va=va,
                            fontsize=fontsize, annotation_clip=True, **text_kw)
            box = t.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(overlaps(box, other, pad_px / 2) for other in placed_boxes):
                placed_boxes.append(box)
                kept.append(t)
                break
            t.remove()
        else:
            left_out.append(req)
    return kept, left_out
