"""Every name the README uses on ``bg`` and on the results it shows (``cov.``, ``ch.``, ``p.``, ``border.``) exists,
and reaching it raises no DeprecationWarning (renamed names warn; the README must show the new ones)."""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import bien_gioi_geo as bg

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
RESULTS = {"cov": bg.Coverage, "ch": bg.Comparison, "p": bg.Patrols, "border": bg.Border}


def test_readme_results_attributes_exist():
    used = {(var, name) for var, name in re.findall(r"(?<!`)\b(cov|ch|p|border)\.([a-z_]+)\b", README)}
    assert ("cov", "marker_posts") in used and ("p", "overdue") in used  # the README's tour is what is read
    missing = sorted((v, n) for v, n in used if not hasattr(RESULTS[v], n))
    assert missing == []


def test_readme_bg_names_exist_without_a_warning():
    used = set(re.findall(r"\bbg\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)", README)) - {"__all__"}
    assert {"coverage", "maps.save_map", "admin.to_current"} <= used
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for dotted in sorted(used):
            head, _, tail = dotted.partition(".")
            obj = getattr(bg, head) if hasattr(bg, head) else importlib.import_module(f"bien_gioi_geo.{head}")
            if tail:
                obj = getattr(obj, tail) if hasattr(obj, tail) else importlib.import_module(
                    f"bien_gioi_geo.{head}.{tail}")
            assert obj is not None, dotted


def test_all_names_resolve_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert [n for n in bg.__all__ if getattr(bg, n, None) is None] == []
