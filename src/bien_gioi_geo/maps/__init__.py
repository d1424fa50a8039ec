"""Interactive HTML maps (folium/Leaflet), each one self-contained and safe with any text in the data.

:mod:`.elements` holds the safe building blocks (never-compiled branca elements, JSON for ``<script>``, inlined
Leaflet); :mod:`.coverage_map` draws the coverage map with its legend (:mod:`.legend`), :mod:`.change_map` the
change between two dates, :mod:`.patrol_map` the days since the last patrol; :func:`save_map` writes any of them.
folium and branca are imported only when a map is drawn.

Uses (layer ``maps``): nothing else of the package; in ``maps/``: ``change_map``, ``coverage_map``, ``patrol_map``,
``save``.
"""

from __future__ import annotations

from .change_map import change_map, timeline_chart
from .coverage_map import PALETTE, coverage_map
from .patrol_map import patrol_map
from .save import save_map

__all__ = ["coverage_map", "change_map", "patrol_map", "timeline_chart", "save_map", "PALETTE"]
