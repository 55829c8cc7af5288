"""Shared fixtures: copies of the shipped data that a test may break, and each notebook executed once."""

import csv
import os
import shutil
import sys
from pathlib import Path

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, and that module builds three
# Earley parsers at import: 1 to 2.5 s in every test process. No test validates IRIs, so it is left unimported
# (a None entry makes the import fail, and jsonschema skips that format). `make test` passes -p no:nbval,
# because nbval's plugin would import nbformat before this file runs.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import pytest  # noqa: E402
from filelock import FileLock  # noqa: E402
from hypothesis import settings  # noqa: E402

from helpers import data  # noqa: E402
from helpers.build import report  # noqa: E402

# Every kernel the tests start runs with the backend headless servers and CI images often set. Charts are drawn
# by frame.show whatever the backend, so the notebooks must still re-execute to the bytes `make report` wrote
# without it; `MPLBACKEND=Agg make test` and CI's `MPLBACKEND=Agg make nbval` are then the same check.
os.environ["MPLBACKEND"] = "Agg"

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


class Executions:
    """Each committed notebook stripped of its outputs and executed at most once per test session, on demand.

    `executions[name]` is the path of the executed copy. Under pytest-xdist the workers share one folder and
    one lock per notebook: the first worker that asks for a notebook executes it, another that asks meanwhile
    waits and reads the same file, and two workers asking for different notebooks execute them side by side.
    """

    def __init__(self, shared: Path) -> None:
        self.folder = shared / "executed"
        self.folder.mkdir(exist_ok=True)

    def __getitem__(self, name: str) -> Path:
        committed = report.NOTEBOOKS_DIR / f"{name}.ipynb"
        done, failed = self.folder / committed.name, self.folder / f"{name}.failed"
        with FileLock(str(self.folder / f"{name}.lock")):
            if failed.exists():
                pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
            if not done.exists():
                scratch = self.folder / f"{name}.executing"
                shutil.rmtree(scratch, ignore_errors=True)
                scratch.mkdir()
                try:
                    report.execute(stripped_copy(committed, scratch))
                except report.NotebookError as error:
                    failed.write_text(str(error), encoding="utf-8")
                    pytest.fail(str(error), pytrace=False)
                (scratch / committed.name).rename(done)
        return done

    def all(self) -> list[Path]:
        """Every numbered notebook, executed, in order."""
        return [self[path.stem] for path in report.notebook_paths()]


@pytest.fixture(scope="session")
def executed(tmp_path_factory) -> Executions:
    """The session's one execution of each notebook, shared by the byte comparison, the link and scenario tests."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every worker's own base folder sits in
    return Executions(shared)
