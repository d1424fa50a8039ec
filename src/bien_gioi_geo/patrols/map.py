"""Deprecated: the patrol map moved to :mod:`bien_gioi_geo.maps.patrol_map` (import it from there)."""

from __future__ import annotations

import warnings

from ..maps.patrol_map import CLASSES, day_class, fmt_km, patrol_map

__all__ = ["patrol_map", "CLASSES", "fmt_km", "day_class"]

warnings.warn("bien_gioi_geo.patrols.map moved to bien_gioi_geo.maps.patrol_map; import it from there",
              DeprecationWarning, stacklevel=2)
