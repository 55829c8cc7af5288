"""Shared fixtures: copies of the shipped data that a test may break, and each notebook executed once."""

import csv
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock
from hypothesis import settings

from helpers import data, report

# Same examples on every run, so CI cannot pass one day and fail the next on a new random draw.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile("repeatable")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A folder holding copies of the three shipped CSV files."""
    for path in (data.FIGURES_CSV, data.SOURCES_CSV, data.SCENARIOS_CSV):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def stripped_copy(path: Path, folder: Path) -> Path:
    """A copy of a notebook with every output and execution count removed."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    copy = folder / path.name
    nbformat.write(notebook, copy)
    return copy


@pytest.fixture(scope="session")
def executed(tmp_path_factory) -> dict[str, Path]:
    """Every committed notebook stripped of its outputs and executed once per test session, by name.

    The strict comparison with the committed bytes, the report's link test and the scenario tests read
    these copies, so no notebook runs twice with the same parameters. Under pytest-xdist the first worker
    that asks executes them; the other waits on the lock and reads the same files.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every worker's own base folder sits in
    folder, failed = shared / "executed", shared / "executed.failed"
    with FileLock(str(shared / "executed.lock")):
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if not folder.exists():
            scratch = shared / "executing"
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            for path in report.notebook_paths():
                try:
                    report.execute(stripped_copy(path, scratch))
                except report.NotebookError as error:
                    failed.write_text(str(error), encoding="utf-8")
                    pytest.fail(str(error), pytrace=False)
            scratch.rename(folder)
    return {path.stem: folder / path.name for path in report.notebook_paths()}
