"""Shared fixtures: copies of the shipped data that a test may break."""

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import data

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
