"""The :class:`Dataset`: a border (one or several), its marker posts, the self-management assignments, and
optional administrative polygons — checked against the data model and located on the line.
"""

from __future__ import annotations

import math
import numbers
from functools import cached_property
from typing import Any

import geopandas as gpd
import pandas as pd

from .crs import WGS84
from .errors import InputError
from .io import check_frame, is_checked
from .referencing import Border

__all__ = ["Dataset"]


def _borders_from(border: Any, *, official_length_km: float | None, left: str | None, right: str | None,
                  name: str | None) -> dict[str, Border]:
    if isinstance(border, Border):
        b = border
        if official_length_km is not None or left is not None or right is not None:
            b = Border(border, official_length_km=official_length_km or border.official_length_km,
                       left=left or border.left, right=right or border.right, name=border.name)
        return {b.name or name or "border": b}
    if isinstance(border, dict):
        out = {}
        for k, v in border.items():
            out[str(k)] = v if isinstance(v, Border) else Border(v, name=str(k))
        return out
    if isinstance(border, gpd.GeoDataFrame):
        gdf = check_frame(border, "border") if "source_row" not in border else border
        if "border_id" in gdf and gdf["border_id"].notna().any() and gdf["border_id"].nunique() > 1:
            if gdf["border_id"].isna().any():
                raise InputError("border: some rows have a border_id and some do not; give every row one")
            out = {}
            for bid, rows in gdf.groupby("border_id", sort=False):
                out[str(bid)] = Border(rows, name=str(bid))
            if official_length_km is not None:
                raise InputError("official_length_km applies to one border; this dataset has "
                                 f"{len(out)} ({', '.join(out)}): put it in each border row instead")
            return out
        b = Border(gdf, official_length_km=official_length_km, left=left, right=right)
        label = b.name or name or "border"
        return {label: Border(b, name=label)}
    b = Border(border, official_length_km=official_length_km, name=name, left=left, right=right)
    return {b.name or "border": b}


def _check_options(*, name: object, official_length_km: object, left: object, right: object,
                   meta: object) -> None:
    """Refuse option values of the wrong type with the library's error (before they fail deep inside)."""
    if name is not None and not isinstance(name, str):
        raise InputError(f"Dataset: name must be a text, not {type(name).__name__} {name!r}")
    if official_length_km is not None:
        value = official_length_km
        km = float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan
        if not (math.isfinite(km) and km > 0):
            raise InputError(f"Dataset: official_length_km must be a positive number of kilometres, not "
                             f"{official_length_km!r}")
    for key, value in (("left", left), ("right", right)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"Dataset: {key} must be a country code such as 'VN', not {value!r}")
    if meta is not None and not isinstance(meta, dict):
        raise InputError(f"Dataset: meta must be a dict, not {type(meta).__name__}")


class Dataset:
    """A border with its markers and self-management assignments.

    Parameters
    ----------
    border
        A :class:`Border`, a line geometry, a GeoDataFrame of border lines (several ``border_id`` values give
        several borders, e.g. Điện Biên's with Laos and with China), or a mapping ``{border_id: Border}``.
    markers
        GeoDataFrame of marker posts (see :func:`bien_gioi_geo.read_markers`); checked here if it was not read
        by a reader.
    assignments
        GeoDataFrame (or DataFrame, when no row is drawn) of assignments.
    admin
        Optional commune/district polygons.
    name, official_length_km, left, right
        Applied to a single border given as a geometry or GeoDataFrame.
    errors
        ``"raise"`` (default): a row that breaks the data model raises :class:`~bien_gioi_geo.errors.InputError`
        listing every bad row. ``"collect"``: such rows are left out of the frames and listed in
        ``meta["read_problems"]``, which :func:`bien_gioi_geo.validate` reports (``swapped_coordinates`` for a
        latitude/longitude written the wrong way round, ``read_error`` otherwise) — use it to validate messy data.

    Notes
    -----
    The frames are copied: later changes to the caller's frames do not change the dataset, and nothing the
    library computes is written back into them.
    """

    def __init__(self, border: Any, markers: pd.DataFrame | None = None, assignments: pd.DataFrame | None = None,
                 admin: gpd.GeoDataFrame | None = None, *, name: str | None = None,
                 official_length_km: float | None = None, left: str | None = None, right: str | None = None,
                 meta: dict[str, Any] | None = None, errors: str = "raise") -> None:
        if errors not in ("raise", "collect"):
            raise InputError(f"errors must be 'raise' or 'collect', not {errors!r}")
        _check_options(name=name, official_length_km=official_length_km, left=left, right=right, meta=meta)
        self.name = name
        self.meta = dict(meta or {})
        self.borders: dict[str, Border] = _borders_from(border, official_length_km=official_length_km, left=left,
                                                        right=right, name=name)
        self._errors = errors
        self._problems: list[pd.DataFrame] = []
        self.markers = self._checked(markers, "markers")
        self.assignments = self._checked(assignments, "assignments")
        self.admin = self._checked(admin, "admin") if admin is not None else None
        if self._problems:
            old = self.meta.get("read_problems")
            frames = ([old] if isinstance(old, pd.DataFrame) and len(old) else []) + self._problems
            self.meta["read_problems"] = pd.concat(frames, ignore_index=True)

    def _checked(self, df: pd.DataFrame | None, kind: str) -> gpd.GeoDataFrame:
        if df is None:
            return check_frame(gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=WGS84)}, crs=WGS84), kind)
        if not isinstance(df, pd.DataFrame):
            raise InputError(f"{kind}: expected a (Geo)DataFrame, got {type(df).__name__}")
        if not isinstance(df, gpd.GeoDataFrame):
            df = gpd.GeoDataFrame(df.copy(), geometry=gpd.GeoSeries([None] * len(df), index=df.index, crs=WGS84))
        if is_checked(df, kind):  # read by a reader: checked once, there
            return df.copy()
        if self._errors == "raise":
            return check_frame(df.copy(), kind)
        gdf, problems = check_frame(df.copy(), kind, errors="collect")
        if len(problems):
            self._problems.append(problems)
        return gdf

    # ------------------------------------------------------------------ borders
    @property
    def border(self) -> Border:
        """The border, when the dataset has exactly one (else use :attr:`borders`)."""
        if len(self.borders) != 1:
            raise InputError(f"this dataset has {len(self.borders)} borders ({', '.join(self.borders)}); "
                             "use dataset.borders[border_id]")
        return next(iter(self.borders.values()))

    @property
    def total_km(self) -> float:
        """Geodesic length of all borders (km)."""
        return float(sum(b.length_km for b in self.borders.values()))

    def border_of(self, geoms: gpd.GeoSeries, hint: pd.Series | None = None) -> pd.Series:
        """The border each geometry belongs to: ``hint`` (a ``border_id`` column) where given, else the nearest."""
        ids = list(self.borders)
        if len(ids) == 1:
            return pd.Series(ids[0], index=geoms.index, dtype=object)
        dist = pd.DataFrame({bid: self.borders[bid].locate(geoms.representative_point() if
                                                            not (geoms.geom_type == "Point").all() else geoms)
                             ["distance_m"] for bid in ids})
        nearest = dist.idxmin(axis=1).astype(object)
        if hint is not None:
            given = hint.where(hint.notna(), None)
            nearest = given.where(given.notna(), nearest)
        return nearest

    # ------------------------------------------------------------------ located markers
    @cached_property
    def markers_located(self) -> gpd.GeoDataFrame:
        """Markers with ``border_id``, ``chainage_km``, ``official_km``, ``offset_m``, ``distance_m``, ``side``
        and ``ambiguous``, located on their border (the one named in their ``border_id`` column, else the
        nearest).
        """
        m = self.markers.copy()
        cols = ["chainage_km", "official_km", "offset_m", "distance_m", "side", "ambiguous", "alt_chainage_km"]
        if m.empty:
            for c in ["border_id", *cols]:
                m[c] = pd.Series(dtype=object)
            return m
        if "official_km" in m and m["official_km"].notna().any():
            m["official_km_input"] = m["official_km"]  # the user's own figure, kept beside the computed one
        hint = m["border_id"] if "border_id" in m else None
        m["border_id"] = self.border_of(m.geometry, hint).to_numpy()
        parts = []
        for bid, rows in m.groupby("border_id", sort=False):
            if bid not in self.borders:
                loc = pd.DataFrame(index=rows.index, columns=cols)
            else:
                loc = self.borders[bid].locate(rows.geometry)
            parts.append(loc[cols])
        loc = pd.concat(parts).reindex(m.index)
        for c in cols:
            m[c] = loc[c]
        return m

    def __repr__(self) -> str:
        b = "; ".join(f"{k}: {v.length_km:.3f} km" for k, v in self.borders.items())
        return (f"<Dataset {self.name or ''}: border(s) {b}; {len(self.markers)} marker posts; "
                f"{len(self.assignments)} assignments>")

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(repr(self))}</pre>"

    def copy(self) -> Dataset:
        """A copy with copied frames."""
        return Dataset(dict(self.borders), self.markers.copy(), self.assignments.copy(),
                       None if self.admin is None else self.admin.copy(), name=self.name, meta=dict(self.meta))

