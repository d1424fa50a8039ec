"""Administrative units after 1 July 2025: map the communes recorded before the reform to the current ones.

Since 1 July 2025 Viet Nam has 34 provinces, no district level and about 3,300 communes and wards formed by
merging the old ones. Registration tables still carry the old names; reports are due per current commune.

>>> import bien_gioi_geo as bg                                   # doctest: +SKIP
>>> ds = bg.admin.to_current(bg.datasets.load("phong_tho"))      # doctest: +SKIP
>>> bg.coverage(ds).by("commune_current")                        # doctest: +SKIP

Needs the optional package ``vietnamadminunits`` (``pip install "bien_gioi_geo[admin]"``); see
``docs/admin_crosswalk.md`` for the source, what was checked against the resolutions, and the matching rules.
"""

from __future__ import annotations

from .convert import REFORM_DATE, STATUSES, admin_problems, to_current, units_for_date
from .crosswalk import crosswalk, package_version
from .names import ascii_key, text_key, yi_key
from .report import by_units

__all__ = ["to_current", "admin_problems", "units_for_date", "crosswalk", "package_version", "by_units",
           "REFORM_DATE", "STATUSES", "text_key", "ascii_key", "yi_key"]
