"""Which of two ``X``/``Y`` columns is the northing: VN-2000 axis order.

Vietnamese surveying writes ``X`` for the northing and ``Y`` for the easting (the geodetic convention), the
opposite of a mathematician's x/y. In Viet Nam a VN-2000 TM-3 northing exceeds 1,000,000 m north of about
9°N (everywhere along the land border) and an easting stays under 1,000,000 m (false easting 500,000 m), so the
magnitudes tell the order whenever one column is above 1,000,000 m and the other below. When they do not,
``axis_order`` must be given: ``"yx"`` (X = north, Vietnamese surveying) or ``"xy"`` (X = east). Columns named
``easting``/``northing`` are never reordered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError
from ._messages import check_lang, msg

__all__ = ["AxisOrder", "NORTHING_MIN_M", "resolve_axis_order"]

#: A VN-2000 northing along Viet Nam's land borders is above this; an easting below it.
NORTHING_MIN_M = 1_000_000.0


@dataclass(frozen=True)
class AxisOrder:
    """The order chosen for a pair of ``X``/``Y`` columns.

    Attributes
    ----------
    order
        ``"yx"``: the X column is the northing (Vietnamese surveying); ``"xy"``: X is the easting.
    forced
        Whether ``axis_order=`` gave it.
    note
        Which order was used and why, in the reader's language.
    swapped_rows
        Positions (0-based) of rows whose magnitudes say the opposite order: each is a problem to report.
    """

    order: Literal["xy", "yx"]
    forced: bool
    note: str
    swapped_rows: list[int] = field(default_factory=list)

    def easting_northing(self, x: float | None, y: float | None) -> tuple[float | None, float | None]:
        """``(easting, northing)`` of one row's X and Y values."""
        return (y, x) if self.order == "yx" else (x, y)


def _order_of(x: float | None, y: float | None) -> str | None:
    if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
        return None
    if abs(x) > NORTHING_MIN_M > abs(y):
        return "yx"
    if abs(y) > NORTHING_MIN_M > abs(x):
        return "xy"
    return None


def resolve_axis_order(xs: Sequence[float | None], ys: Sequence[float | None], *,
                       axis_order: str | None = None, x_name: str = "X", y_name: str = "Y",
                       source: str | None = None, lang: str = "vi") -> AxisOrder:
    """Decide which of the ``X``/``Y`` columns is the northing.

    Parameters
    ----------
    xs, ys
        The values of the two columns in metres (``None`` where a cell could not be read).
    axis_order
        ``"yx"`` or ``"xy"`` to force the order; ``None`` to take it from the magnitudes.
    x_name, y_name
        The column headers as the user wrote them, for notes and messages.
    source
        File (and sheet) name for messages.
    lang
        Language of notes and messages.

    Returns
    -------
    AxisOrder
        The order of the majority of rows that show one; rows showing the other are listed in ``swapped_rows``.

    Raises
    ------
    InputError
        When ``axis_order`` is not given and no row shows an order (both columns under, or both over,
        1,000,000 m), or as many rows show one order as the other.

    Examples
    --------
    >>> resolve_axis_order([2_456_789.1], [545_123.4], lang="en").order
    'yx'
    >>> resolve_axis_order([545_123.4], [2_456_789.1], axis_order="yx").order
    'yx'
    """
    check_lang(lang)
    if axis_order not in (None, "xy", "yx"):
        raise InputError(msg("bad_axis_order", lang, value=axis_order))
    orders = [_order_of(x, y) for x, y in zip(xs, ys, strict=True)]
    if axis_order is not None:
        chosen = axis_order
        note = msg("axis_forced", lang, order=axis_order)
        forced = True
    else:
        n_yx, n_xy = orders.count("yx"), orders.count("xy")
        if n_yx == n_xy:
            raise InputError(msg("axis_ambiguous", lang, source=f"{source}: " if source else "", x=x_name,
                                 y=y_name))
        chosen = "yx" if n_yx > n_xy else "xy"
        note = msg("axis_magnitude" if chosen == "yx" else "axis_magnitude_xy", lang, x=x_name, y=y_name)
        forced = False
    swapped = [i for i, o in enumerate(orders) if o is not None and o != chosen]
    return AxisOrder("yx" if chosen == "yx" else "xy", forced, note, swapped)
