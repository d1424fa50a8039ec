"""Which administrative units a row is reported under on a date: those recorded, or those since 1 July 2025.

:func:`bien_gioi_geo.admin.to_current` adds the current units (``commune_current``, ``province_current``);
:func:`units_for_date` picks, row by row, the set a report as of a date uses. It lives here, below
:mod:`~bien_gioi_geo.analysis.coverage` (whose ``admin=`` option calls it), and is re-exported by
:mod:`bien_gioi_geo.admin`; it needs only pandas and the dataset, not the crosswalk's data.

Uses (layer ``analysis``): ``dataset``, ``errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..dataset import Dataset
from ..errors import InputError

__all__ = ["REFORM_DATE", "units_for_date"]

#: the day the 34 provinces and the two-level local government took effect
REFORM_DATE = dt.date(2025, 7, 1)


def units_for_date(frame: Any, *, as_of: Any = None, admin: str = "auto") -> Any:
    """Choose, row by row, the set of units a row is reported under: ``recorded`` or ``current``.

    Rule (``admin="auto"``): a report as of a day before 1 July 2025 uses the recorded units for every row; else
    a row whose ``valid_to`` is before 1 July 2025 (it ended under the old units) keeps its recorded units, and
    every other row uses the current ones. ``admin="recorded"`` or ``"current"`` forces one set for all rows.

    Adds ``commune_report``, ``province_report`` and ``admin_units`` (``"recorded"``/``"current"``); report by
    ``cov.by("commune_report")``. The frame (or a :class:`~bien_gioi_geo.Dataset`, whose assignments are used and
    a new Dataset returned) must have gone through :func:`bien_gioi_geo.admin.to_current`.
    """
    if isinstance(frame, Dataset):
        a = units_for_date(frame.assignments, as_of=as_of, admin=admin)
        ds = Dataset(dict(frame.borders), frame.markers, a, frame.admin, name=frame.name, meta=dict(frame.meta))
        ds.meta["admin_units"] = admin if admin != "auto" else "report"
        return ds
    if admin not in ("auto", "recorded", "current"):
        raise InputError(f"admin must be 'auto', 'recorded' or 'current', not {admin!r}")
    if "commune_current" not in frame:
        raise InputError("the table has no commune_current column; run bg.admin.to_current on it first")
    if admin == "auto":
        if as_of is not None and pd.Timestamp(as_of).date() < REFORM_DATE:
            old = pd.Series(True, index=frame.index)
        elif "valid_to" in frame:
            vt = pd.to_datetime(frame["valid_to"], errors="coerce")
            old = vt.notna() & (vt < pd.Timestamp(REFORM_DATE))
        else:
            old = pd.Series(False, index=frame.index)
    else:
        old = pd.Series(admin == "recorded", index=frame.index)
    out = frame.copy()
    out["commune_report"] = frame["commune"].where(old, frame["commune_current"])
    if "province" in frame:
        out["province_report"] = frame["province"].where(old, frame["province_current"])
    else:
        out["province_report"] = frame["province_current"].where(~old, None)
    out["admin_units"] = old.map({True: "recorded", False: "current"})
    return out
