"""Shared fixtures: the reference folder (../shared/reference beside the repo) and small toy geometries."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from shapely import LineString, MultiLineString

import bien_gioi_geo as bg

ROOT = Path(__file__).resolve().parents[1]


def _find_reference() -> Path | None:
    env = os.environ.get("BIEN_GIOI_REFERENCE")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "reference", ROOT.parent.parent / "shared" / "reference"]
    for c in candidates:
        if c.is_dir():
            return c
    return None


REFERENCE = _find_reference()


@pytest.fixture(scope="session")
def reference() -> Path:
    if REFERENCE is None:
        pytest.skip("../shared/reference is not beside the repository (set BIEN_GIOI_REFERENCE to its path)")
    return REFERENCE


@pytest.fixture
def l_line() -> LineString:
    """An L: 0.1° north along 105°E, then 0.1° east along 21.1°N."""
    return LineString([(105.0, 21.0), (105.0, 21.1), (105.1, 21.1)])


@pytest.fixture
def two_parts() -> MultiLineString:
    """Two parts along the equator with a 0.1° gap between them."""
    return MultiLineString([[(0.0, 0.0), (0.1, 0.0), (0.2, 0.0)], [(0.3, 0.0), (0.4, 0.0)]])


@pytest.fixture(scope="session")
def dated():
    """Phong Thổ's line and markers with two dated rows: A (2019-2021, marker 62) hands over to B (2021-, 66)."""
    pt = bg.datasets.load("phong_tho")
    a = pd.DataFrame([
        {"assignment_id": "A", "village": "Bản {{7*7}}", "commune": "Xã X", "start_km": 1.0, "end_km": 5.0,
         "valid_from": "2019-01-01", "valid_to": "2021-01-01", "markers": ["62"]},
        {"assignment_id": "B", "village": "Bản Y", "commune": "Xã X", "start_km": 3.0, "end_km": 9.0,
         "valid_from": "2021-01-01", "valid_to": None, "markers": ["66"]}])
    return bg.Dataset(pt.border, pt.markers, a)
