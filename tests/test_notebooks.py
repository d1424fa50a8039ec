"""Every notebook runs from top to bottom; committed notebooks carry no outputs."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_six_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_quick_start.ipynb", "02_validating_assignments.ipynb",
                                           "03_survey_to_map.ipynb", "04_dien_bien_two_borders.ipynb",
                                           "05_five_year_review.ipynb", "06_patrols.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in book.cells if c.cell_type == "code")
    assert book.cells[0].cell_type == "markdown" and "Question" in book.cells[0].source


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    from nbclient import NotebookClient

    book = nbformat.read(path, as_version=4)
    shutil.copy(path, tmp_path / path.name)
    client = NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, naming the cell, when a cell fails
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []


# ---- patrols (issue 16): notebook 06 is listed, and runs with the others above
def test_patrols_notebook_is_there():
    assert "06_patrols.ipynb" in [p.name for p in NOTEBOOKS]
