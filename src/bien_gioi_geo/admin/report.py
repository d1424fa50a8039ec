"""Totals per commune, district or province, labelled with the set of units they use."""

from __future__ import annotations

import pandas as pd

from ..errors import InputError

__all__ = ["by_units", "UNIT_SET_LABELS"]

#: (vi, en) caption of each set of units
UNIT_SET_LABELS = {
    "current": ("Theo đơn vị hành chính hiện nay (từ 01/7/2025)",
                "By current administrative units (since 1 July 2025)"),
    "recorded": ("Theo đơn vị hành chính ghi trong hồ sơ (trước 01/7/2025)",
                 "By recorded administrative units (before 1 July 2025)"),
    "report": ("Theo đơn vị hành chính của thời kỳ hiệu lực", "By the administrative units of each row's time"),
}
_COLUMNS = {("commune", "current"): "commune_current", ("province", "current"): "province_current",
            ("commune", "recorded"): "commune", ("province", "recorded"): "province",
            ("district", "recorded"): "district", ("commune", "report"): "commune_report",
            ("province", "report"): "province_report"}


def by_units(cov: object, *, level: str = "commune", units: str = "current", lang: str = "vi") -> pd.DataFrame:
    """``cov.by(...)`` for a level (``commune``, ``district``, ``province``) in a set of units.

    ``units``: ``"current"`` (after :func:`~bien_gioi_geo.admin.to_current`), ``"recorded"`` (as written; the
    only set that has districts, kept for continuity with earlier reviews), or ``"report"`` (after
    :func:`~bien_gioi_geo.admin.units_for_date`). The table's ``attrs["title"]`` and ``attrs["units"]`` say which
    set it uses.
    """
    column = _COLUMNS.get((level, units))
    if column is None:
        raise InputError(f"no {level!r} totals in the {units!r} units; districts exist only as recorded "
                         "(units='recorded')")
    if lang not in ("vi", "en"):
        raise InputError(f"lang must be 'vi' or 'en', not {lang!r}")
    table = cov.by(column)  # type: ignore[attr-defined]
    table.attrs["units"] = units
    table.attrs["title"] = UNIT_SET_LABELS[units][0 if lang == "vi" else 1]
    return table
