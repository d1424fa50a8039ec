"""``read_dataset``: a folder of files or a GeoPackage → a :class:`~bien_gioi_geo.Dataset`.

The io layer finds and reads the tables (:func:`bien_gioi_geo.io.dataset_folder.read_dataset_tables`, each checked
once by its reader); this module, one layer above, builds the Dataset from them, so io never imports the Dataset.
"""

from __future__ import annotations

import os
from typing import Any

from .dataset import Dataset
from .io.common import Errors
from .io.dataset_folder import read_dataset_tables

__all__ = ["read_dataset"]


def read_dataset(path: str | os.PathLike[str], *, crs: object = None, errors: Errors = "raise",
                 official_length_km: float | None = None, axis_order: str | None = None) -> Any:
    """Read a whole dataset: a folder of GeoJSON/CSV files or one GeoPackage with layers.

    The files (or layers) are found by name: ``border``, ``markers``, ``assignments`` and optionally ``admin``
    (``border.geojson``, ``markers.csv``…). A folder may instead hold the border file and ONE Excel workbook
    whose sheets are the markers and assignments tables, recognised by their headers (Vietnamese or not). A
    ``dataset.json`` file in the folder may carry ``name``, ``official_length_km`` and ``left``/``right``
    country codes.

    ``crs`` is one CRS for every table, or a dict per table (``{"markers": "EPSG:9205"}``); a per-table CRS is
    never applied to a GeoJSON file (WGS 84 by definition). ``axis_order`` is as in
    :func:`~bien_gioi_geo.io.read_markers`.

    Returns
    -------
    Dataset
        Or ``(Dataset, problems)`` with ``errors="collect"``.
    """
    t = read_dataset_tables(path, crs=crs, errors=errors, official_length_km=official_length_km,
                            axis_order=axis_order)
    ds = Dataset(border=t.tables["border"], markers=t.tables.get("markers"), assignments=t.tables.get("assignments"),
                 admin=t.tables.get("admin"), name=t.name, official_length_km=t.official_length_km,
                 left=t.meta.get("left"), right=t.meta.get("right"), meta=t.meta)
    ds.meta["read_notes"] = t.notes
    if t.problems is not None:
        ds.meta["read_problems"] = t.problems  # validate() reports them as read_error rows
        return ds, t.problems
    return ds
