"""The committed notebooks are exactly what today's code and data produce: strict nbval's check, from one execution.

Each notebook is stripped of its outputs and executed once per session (the `executed` fixture in conftest.py).
Byte identity with the committed file implies everything strict nbval compares, with no sanitizing: every
cell's text/plain, text/html, SVG, stdout and stderr (and PNG bytes, which nbval skips), the execution counts
(an unrun cell with outputs differs), and the notebook metadata. Execution itself fails on any cell that raises,
as nbval does, and also on an error the kernel carried on from or any output on stderr. `make nbval` still runs
nbval itself (CI does too).
"""

import difflib
import json
from pathlib import Path

import nbformat
import pytest

from helpers.build import report

NAMES = [path.stem for path in report.notebook_paths()]


def _text(output: dict) -> str:
    return json.dumps(output, indent=1, sort_keys=True)


def differences(committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode, limit: int = 4) -> list[str]:
    """What differs between two versions of a notebook, cell by cell, in a few lines each (like nbval's report)."""
    found = []
    if committed.metadata != fresh.metadata:
        found.append(f"notebook metadata: committed {dict(committed.metadata)} != fresh {dict(fresh.metadata)}")
    if len(committed.cells) != len(fresh.cells):
        found.append(f"{len(committed.cells)} committed cells, {len(fresh.cells)} after executing")
    for number, (old, new) in enumerate(zip(committed.cells, fresh.cells, strict=False), start=1):
        if old == new:
            continue
        first = next((line for line in old.source.splitlines() if line.strip()), "")
        lines = [f"cell {number} ({first[:60]!r})"]
        if old.get("execution_count") != new.get("execution_count"):
            lines.append(f"  execution count {old.get('execution_count')} committed, {new.get('execution_count')} now")
        committed_outputs = "\n".join(map(_text, old.get("outputs", []))).splitlines()
        fresh_outputs = "\n".join(map(_text, new.get("outputs", []))).splitlines()
        diff = difflib.unified_diff(committed_outputs, fresh_outputs, "committed", "executed", n=0, lineterm="")
        lines += ["  " + line[:160] for line in list(diff)[:12]]
        found.append("\n".join(lines))
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])


@pytest.mark.parametrize("name", NAMES)
def test_notebook_reexecutes_to_its_committed_bytes(executed, name):
    committed = report.NOTEBOOKS_DIR / f"{name}.ipynb"
    fresh = executed[name]
    if fresh.read_bytes() == committed.read_bytes():
        return
    found = differences(nbformat.read(committed, as_version=4), nbformat.read(fresh, as_version=4))
    found = found or ["same content, different bytes (formatting or encoding)"]
    pytest.fail(f"{committed.name} does not re-execute to its committed bytes (run make report):\n" + "\n".join(found))


def test_a_changed_output_is_named_with_its_cell(tmp_path: Path):
    """The comparison above can fail, and says where: one changed number in one table output."""
    committed = nbformat.read(report.NOTEBOOKS_DIR / f"{NAMES[0]}.ipynb", as_version=4)
    changed = nbformat.read(report.NOTEBOOKS_DIR / f"{NAMES[0]}.ipynb", as_version=4)
    number, cell = next((i, c) for i, c in enumerate(changed.cells, start=1) if c.get("outputs"))
    output = cell.outputs[0]
    if "text" in output:
        output["text"] += "1"
    else:
        output["data"]["text/plain"] += "1"
    found = differences(committed, changed)
    assert len(found) == 1 and found[0].startswith(f"cell {number} ")
    assert "+" in found[0] and "-" in found[0]
