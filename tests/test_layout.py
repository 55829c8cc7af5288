"""The shape of helpers/: rooms by role, imports that point one way, modules small enough to hold one job."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers.data import ROOT

HELPERS = ROOT / "helpers"
# each room may import only the rooms listed before it (build/ may import everything, and nothing imports it)
ROOMS = ("notebook", "data", "analysis", "charts", "build")
MAX_LINES = 600


def modules() -> list[Path]:
    return sorted(p for p in HELPERS.rglob("*.py") if "__pycache__" not in p.parts)


def room_of(path: Path) -> str | None:
    parts = path.relative_to(HELPERS).parts
    return parts[0] if len(parts) > 1 else None


def helpers_imports(path: Path) -> set[str]:
    """The rooms of helpers/ that a module imports from."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "helpers" and len(parts) > 1 and parts[1] in ROOMS:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(HELPERS)))
def test_a_module_imports_only_the_rooms_below_it(path):
    room = room_of(path)
    if room is None:
        return
    allowed = set(ROOMS[: ROOMS.index(room) + 1])
    assert helpers_imports(path) <= allowed, f"{path.relative_to(ROOT)} imports {helpers_imports(path) - allowed}"


def test_no_module_does_two_jobs():
    long = {str(p.relative_to(ROOT)): n for p in modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_the_tree_shows_the_rooms():
    loose = [p.name for p in HELPERS.glob("*.py") if p.name != "__init__.py"]
    assert len(loose) <= 2, loose
    assert {p.name for p in HELPERS.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ROOMS)


def test_the_grammar_is_the_only_chart_module_that_defines_colours():
    """A colour literal in a chart builder is a second grammar; company colours live in the vocabulary."""
    for path in (HELPERS / "charts").glob("*.py"):
        if path.name in ("grammar.py", "frame.py"):  # frame: the house rcParams (axes and text greys)
            continue
        text = path.read_text(encoding="utf-8")
        assert '"#' not in text, f"{path.name} defines a colour: move it to charts/grammar.py"
