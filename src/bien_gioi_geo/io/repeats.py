"""Rows typed twice: an identical row, or a marker post typed twice at one place, is reported and counted once."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from .. import model
from ..formatting import format_number
from .problems import Problems
from .texts import add

__all__ = ["drop_repeated_rows"]


_ID_COLUMN = {"markers": "marker_id", "assignments": "assignment_id"}


def drop_repeated_rows(gdf: gpd.GeoDataFrame, probs: Problems, kind: str) -> gpd.GeoDataFrame:
    """A row typed twice (same id, same values) is reported as ``duplicate_id`` and counted once.

    Rows sharing an id with different values are kept (which one is right is for validation to report), except
    a marker post typed twice at one place (:func:`_drop_repeated_posts`).
    """
    key = _ID_COLUMN.get(kind)
    if key is None or key not in gdf or len(gdf) < 2 or not gdf[key].duplicated().any():
        return gdf
    cols = [c for c in gdf.columns if not _bookkeeping(c)]  # values, not typing, not the row's serial number
    text = pd.DataFrame({c: [repr(v) if c != gdf.geometry.name or v is None else v.wkb
                             for v in gdf[c].tolist()] for c in cols}, index=gdf.index)
    repeated = text.duplicated(keep="first")
    if repeated.any():
        first_of = text.drop_duplicates(keep="first").reset_index().set_index(cols)["index"]
        for i in gdf.index[repeated.to_numpy()]:
            j = first_of.loc[tuple(text.loc[i, cols])]
            add(probs, int(gdf.at[i, "source_row"]), key, gdf.at[i, key], "duplicate_id",
                first=int(gdf.at[j, "source_row"]), name=key, label=model.field_label(key, "vi"))
        gdf = gdf.loc[~repeated.to_numpy()]
    return _drop_repeated_posts(gdf, probs) if kind == "markers" else gdf


#: An office's serial-number column (``TT``, ``STT``): numbers the rows, says nothing about them.
_SERIAL = {"tt", "stt", "số tt", "số thứ tự", "no", "no."}


def _bookkeeping(column: object) -> bool:
    """Columns that differ between two copies of one row without the row saying anything else."""
    c = str(column)
    return c == "source_row" or c.endswith("_typed") or " ".join(c.casefold().split()) in _SERIAL


#: Two marker rows with one id closer than this are one post typed twice (survey positions are given to the cm).
SAME_POST_M = 0.5


def _drop_repeated_posts(gdf: gpd.GeoDataFrame, probs: Problems) -> gpd.GeoDataFrame:
    """A marker post typed twice with other details differing (elevation, date, notes) is one post: the later row
    is reported as ``duplicate_id`` naming what differs, and counted once. Two rows of one id at different places
    are both kept (validation reports which marker is in doubt).
    """
    if not gdf["marker_id"].duplicated().any() or gdf.crs is None or not gdf.crs.is_geographic:
        return gdf
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    drop = []
    kept: dict[str, list[Any]] = {}
    for i, mid, g in zip(gdf.index, gdf["marker_id"], gdf.geometry, strict=True):
        same = next((j for j in kept.get(mid, []) if g is not None and gdf.geometry[j] is not None
                     and geod.inv(g.x, g.y, gdf.geometry[j].x, gdf.geometry[j].y)[2] <= SAME_POST_M), None)
        if same is None:
            kept.setdefault(mid, []).append(i)
            continue
        differ = [c for c in gdf.columns if c != gdf.geometry.name and not _bookkeeping(c)
                  and repr(gdf.at[i, c]) != repr(gdf.at[same, c])]
        add(probs, int(gdf.at[i, "source_row"]), "marker_id", mid, "duplicate_post", first=int(gdf.at[same,
            "source_row"]), name="marker_id", label=model.field_label("marker_id", "vi"), tol=SAME_POST_M,
            tol_vi=format_number(SAME_POST_M, decimals=1, lang="vi"),
            fields=", ".join(repr(model.field_label(c, "vi")) for c in differ) or "không",
            fields_en=", ".join(map(repr, differ)) or "nothing")
        drop.append(i)
    return gdf.drop(index=drop)
