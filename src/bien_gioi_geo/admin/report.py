"""Totals per commune, district or province, labelled with the set of units they use."""

from __future__ import annotations

import pandas as pd

from ..errors import InputError

__all__ = ["by_units", "units_in_use", "units_caption", "UNIT_SET_LABELS"]

#: (vi, en) caption of each set of units
UNIT_SET_LABELS = {
    "current": ("Theo đơn vị hành chính hiện nay (từ 01/7/2025)",
                "By current administrative units (since 1 July 2025)"),
    "recorded": ("Theo đơn vị hành chính ghi trong hồ sơ (trước 01/7/2025)",
                 "By recorded administrative units (before 1 July 2025)"),
    "report": ("Theo đơn vị hành chính của thời kỳ hiệu lực (đăng ký hết hiệu lực trước 01/7/2025 theo đơn vị cũ, "
               "còn lại theo đơn vị hiện nay)",
               "By the administrative units of each row's time (registrations that ended before 1 July 2025 under "
               "the old units, the others under the current ones)"),
    "unchecked": ("Theo đơn vị hành chính ghi trong hồ sơ (chưa đối chiếu với đơn vị hành chính từ 01/7/2025)",
                  "By the administrative units as recorded (not reconciled with the units in force since "
                  "1 July 2025)"),
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


def units_in_use(cov: object) -> str:
    """Which set of units a coverage's figures are by: ``"current"``, ``"recorded"``, ``"report"`` (some rows by
    each) — read from the rows it counts (``admin_units``, set by :func:`~bien_gioi_geo.admin.units_for_date`) — or
    ``"unchecked"`` when the dataset did not go through :func:`~bien_gioi_geo.admin.to_current`.

    A coverage as of a day holds only the rows valid that day, so a dated report in the units of each row's time is
    wholly ``"recorded"`` before 1 July 2025 and wholly ``"current"`` from then on.
    """
    ds = cov.dataset  # type: ignore[attr-defined]
    a = ds.assignments
    if "admin_units" in a:
        used = set(a["admin_units"].dropna())
        if len(used) == 1:
            return str(used.pop())
        if used:
            return "report"
    meta = ds.meta.get("admin_units")
    if "commune_current" in a or "commune_report" in a:
        return meta if meta in UNIT_SET_LABELS else "current"
    return "unchecked"


def units_caption(cov: object, lang: str = "vi") -> str:
    """:func:`units_in_use` as a caption in ``lang`` ("Theo đơn vị hành chính hiện nay (từ 01/7/2025)" …).

    >>> import bien_gioi_geo as bg
    >>> units_caption(bg.coverage(bg.datasets.load("phong_tho")), "en")
    'By the administrative units as recorded (not reconciled with the units in force since 1 July 2025)'
    """
    if lang not in ("vi", "en"):
        raise InputError(f"lang must be 'vi' or 'en', not {lang!r}")
    return UNIT_SET_LABELS[units_in_use(cov)][0 if lang == "vi" else 1]
