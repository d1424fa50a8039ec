"""Patrols: GPS tracks matched to the border — which stretches were walked, when, and which are overdue.

:func:`read_tracks` reads fixes, :func:`patrols` matches them (rules in :mod:`.match`), :class:`Patrols` answers.

Uses (layer ``patrols``): nothing else of the package; in ``patrols/``: ``api``, ``match``, ``read``, ``result``.
"""

from __future__ import annotations

from .api import patrols
from .match import MatchOptions
from .read import read_tracks
from .result import Patrols

__all__ = ["patrols", "read_tracks", "Patrols", "MatchOptions"]
