"""Geodesic linear referencing on an oriented border line.

A :class:`Border` is built once from a LineString or MultiLineString in WGS 84 and answers three questions fast:

* **where along the line** a point lies (:meth:`Border.locate`): chainage (km from the start), signed offset
  (m, positive on the left of the direction of travel) and the side's country;
* **which point** lies at a chainage (:meth:`Border.point_at`);
* **which stretch** lies between two chainages (:meth:`Border.cut`).

Segments between vertices are geodesics on the WGS 84 ellipsoid (as in PostGIS ``geography``); every length is a
geodesic length computed by pyproj's :class:`~pyproj.Geod` (GeographicLib), never degrees and never a grid length.
Parts of a MultiLineString are kept in order; the gap between two parts has zero chainage length and is never
bridged: a cut across a gap gives a MultiLineString.

Modules: :mod:`.geodesy` (segments and geodesic measurement), :mod:`.index` (local frame, pieces, k-d tree),
:mod:`.locating` (locate), :mod:`.cutting` (point_at, cut), :mod:`.calibration` (official chainage),
:mod:`.inputs` (reading geometries and points), :mod:`.table` (the table locate returns), :mod:`.border` (the
:class:`Border`).
"""

from .border import Border
from .calibration import Calibration
from .geodesy import GEOD

__all__ = ["GEOD", "Border", "Calibration"]
