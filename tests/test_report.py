"""The report: every local link and image resolves, and notebooks re-execute to the same bytes."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from helpers import report


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def local_targets(page: Path) -> list[str]:
    """Links and image sources in a page that point at files (not the web, anchors or inline data)."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    local = []
    for target in parser.targets:
        parsed = urlparse(target)
        if parsed.scheme or target.startswith(("#", "//")) or target.startswith("data:"):
            continue
        local.append(unquote(parsed.path))
    return local


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    report.build(folder, run=False)
    return folder


def test_every_local_link_and_image_resolves(built):
    pages = sorted(built.glob("*.html"))
    assert [p.name for p in pages][0] == "01-ledger.html" and (built / "index.html") in pages
    checked = 0
    for page in pages:
        for target in local_targets(page):
            assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"
            checked += 1
    assert checked >= 4 + 4 + 12  # notebook pages, downloads, charts


def test_front_page_has_each_notebooks_question_and_computed_bottom_line(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    for path in report.notebook_paths():
        notebook = nbformat.read(path, as_version=4)
        summary = report.summarize(notebook, path.name, 0.0)
        assert summary.title and summary.question and summary.bottom_line, path.name
        assert summary.title.replace("'", "&#x27;") in index
        # the bottom line is the notebook's computed output, not text typed into the page
        assert report._markdown_to_html(summary.bottom_line) in index, path.name
        assert re.search(r"\d", summary.bottom_line), path.name


def test_every_chart_is_exported(built):
    outputs = sum(
        1
        for path in report.notebook_paths()
        for cell in nbformat.read(path, as_version=4).cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )
    exported = sorted(p.name for p in (built / "figures").glob("*.png"))
    assert len(exported) == outputs
    assert all(re.fullmatch(r"\d\d-[a-z-]+--[a-z0-9-]+\.png", name) for name in exported)


def test_notebooks_reexecute_to_the_committed_bytes(tmp_path):
    """From a copy with every output stripped, execution must reproduce the committed file exactly."""
    for path in report.notebook_paths():
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        clean = tmp_path / path.name
        nbformat.write(notebook, clean)
        shutil.copy(clean, tmp_path / f"{path.stem}.clean.ipynb")
        report.execute(clean)
        assert clean.read_bytes() == path.read_bytes(), f"{path.name} does not re-execute to its committed bytes"


def test_precommit_nbstripout_leaves_committed_notebooks_alone(tmp_path):
    """The metadata cleaner in .pre-commit-config.yaml must not fight `make report`."""
    import subprocess
    import sys

    config = (Path(report.ROOT) / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    entry = re.search(r"entry: \.venv/bin/nbstripout (.+)", config).group(1)
    arguments = re.findall(r'"[^"]+"|\S+', entry)
    copies = []
    for path in report.notebook_paths():
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        copies.append(copy)
    command = [sys.executable, "-m", "nbstripout", *[a.strip('"') for a in arguments], *map(str, copies)]
    subprocess.run(command, check=True)
    for path, copy in zip(report.notebook_paths(), copies, strict=True):
        assert copy.read_bytes() == path.read_bytes(), path.name
