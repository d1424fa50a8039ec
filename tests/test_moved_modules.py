"""The module paths that moved into ``analysis/`` (issue #12) still import, warn, and never shadow ``bg.coverage``."""

import importlib
import subprocess
import sys

import pytest

import bien_gioi_geo as bg
from bien_gioi_geo._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_path_gives_the_new_objects_with_a_warning(old):
    new = importlib.import_module(f"bien_gioi_geo.{MOVED[old]}")
    name = next(n for n in new.__all__ if not n.startswith("_"))
    with pytest.warns(DeprecationWarning, match=rf"bien_gioi_geo\.{old} moved to bien_gioi_geo\.analysis\.{old}"):
        got = getattr(importlib.import_module(f"bien_gioi_geo.{old}"), name)
    assert got is getattr(new, name)


def test_from_import_of_an_old_path_in_a_fresh_interpreter_keeps_bg_coverage_a_function():
    code = ("import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
            "import bien_gioi_geo as bg\n"
            "try:\n    from bien_gioi_geo.coverage import Coverage\nexcept DeprecationWarning as w:\n"
            "    print('warned', w)\n"
            "warnings.simplefilter('ignore')\n"
            "from bien_gioi_geo.coverage import Coverage\nimport bien_gioi_geo.coverage\n"
            "print(callable(bg.coverage), type(bg.coverage).__name__, Coverage is bg.Coverage)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "warned bien_gioi_geo.coverage moved to bien_gioi_geo.analysis.coverage" in out
    assert out.strip().endswith("True function True")


def test_unknown_name_on_an_old_path_is_an_attribute_error():
    mod = importlib.import_module("bien_gioi_geo.intervals")
    with pytest.warns(DeprecationWarning, match="moved"), pytest.raises(AttributeError, match="no_such_name"):
        mod.no_such_name  # noqa: B018
    assert callable(bg.coverage)
