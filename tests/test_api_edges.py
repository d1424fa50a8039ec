"""The rough edges of the public API that issue #12 named, each checked: names that say what they are (old names
warn), summary() unrounded, one default language, bg.maps usable on its own, the version typed once."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import shapely

import bien_gioi_geo as bg
from _sweep import union_length

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pt_cov():
    return bg.coverage(bg.datasets.load("phong_tho"))


def test_marker_posts_is_the_new_name_and_markers_warns(pt_cov):
    posts = pt_cov.marker_posts
    assert len(posts) == len(pt_cov.dataset.markers)  # one row per post
    assert len(pt_cov.marker_numbers) == posts["marker_key"].nunique()  # one row per marker
    with pytest.warns(DeprecationWarning, match=r"Coverage\.markers is renamed Coverage\.marker_posts"):
        old = pt_cov.markers
    assert old is posts


def test_border_part_breaks_is_the_new_name_and_gaps_warns():
    # two parts 0.1° of longitude apart on the equator: one break, as wide as the geodesic between the ends
    b = bg.Border(shapely.MultiLineString([[(0.0, 0.0), (0.2, 0.0)], [(0.3, 0.0), (0.5, 0.0)]]))
    breaks = b.part_breaks
    assert len(breaks) == 1
    assert breaks["width_m"].iloc[0] == pytest.approx(11_131.949, abs=0.01)  # 0.1° on the WGS 84 equator
    with pytest.warns(DeprecationWarning, match=r"Border\.gaps is renamed Border\.part_breaks"):
        old = b.gaps
    assert old is breaks


def test_summary_is_not_rounded_inside_the_library(pt_cov):
    iv = pt_cov.intervals
    iv = iv[iv["unresolved"].isna()]
    expected = sum(union_length(zip(np.clip(g["start_km"], 0, None), g["end_km"], strict=True))
                   for _, g in iv.groupby("border_id"))
    got = pt_cov.summary()["covered_km"]
    assert got == pytest.approx(expected, abs=1e-9)
    assert got != round(got, 3)  # full precision: rounding is for display only (summary_table, formatting)
    assert pt_cov.summary_table()["Giá trị"].str.contains(",").any()  # shown the Vietnamese way


def _lang_defaults():
    """Every function or method of the package with a ``lang`` parameter, and its default."""
    found = {}
    for info in pkgutil.walk_packages(bg.__path__, "bien_gioi_geo."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != info.name:
                continue
            members = [(name, obj)] if inspect.isfunction(obj) else \
                [(f"{name}.{m}", f) for m, f in vars(obj).items() if inspect.isfunction(f)] if inspect.isclass(obj) \
                else []
            for qual, fn in members:
                p = inspect.signature(fn).parameters.get("lang")
                if p is not None:
                    found[f"{info.name}.{qual}"] = p.default
    return found


def test_lang_defaults_to_vietnamese_everywhere():
    defaults = _lang_defaults()
    assert len(defaults) > 30  # the walk reached the whole package
    for name in ("bien_gioi_geo.analysis.coverage.Coverage.summary_table",
                 "bien_gioi_geo.maps.coverage_map.coverage_map", "bien_gioi_geo.validation.validate",
                 "bien_gioi_geo.printing.paper_map.print_map"):
        assert name in defaults
    other = {k: v for k, v in defaults.items() if v not in ("vi", inspect.Parameter.empty)}
    assert other == {}


def test_save_map_works_in_a_fresh_interpreter(tmp_path):
    out = tmp_path / "m.html"
    code = ("import folium, bien_gioi_geo as bg, sys; "
            "bg.maps.save_map(folium.Map(location=[22.5, 103.3], tiles=None), sys.argv[1])")
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, timeout=120)
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_version_is_typed_once():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert bg.__version__ == declared
    literal = re.compile(r"""["']""" + re.escape(declared) + r"""["']""")
    typed = [str(p) for p in (ROOT / "src").rglob("*.py") if literal.search(p.read_text(encoding="utf-8"))]
    assert typed == []
