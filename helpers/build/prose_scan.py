"""Find internal codes in reader prose: ledger and source ids, event keys, seeds, parameter names, build paths,
mime types. Ids belong in tables and the Sources section; the prose a reader reads must not show them.

`python -m helpers.build.prose_scan` lists what it finds in the notebooks and the built report's front page.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat

from helpers.data.load import ROOT

NOTEBOOKS = ROOT / "notebooks"
REPORT = ROOT / "build" / "report"

# what a reader must never meet in prose, each with the reason a test failure prints
PATTERNS: dict[str, re.Pattern[str]] = {
    "a ledger id": re.compile(r"\bF\d{3,4}\b"),
    "a source id": re.compile(r"\b[AS]\d{2,3}\b"),
    # 'seed article' is a glossary word (one of the two articles the project started from), not a random seed
    "a seed or date key": re.compile(r"\bseed\b(?! articles?\b)|\b20\d{6}\b"),
    "a parameter name": re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"),
    "a snake_case name": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "a build path or command": re.compile(r"\bbuild/|\bmake (?:report|scenarios|test|bench|check)\b|\.ipynb\b"),
    "a mime type": re.compile(r"\b(?:application|text|image)/[a-z+.-]+"),
}
# the Sources section is a table of ids by design; everything after its heading is not prose
SOURCES_HEADING = re.compile(r"^#+\s*Sources\b", re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|href=\"[^\"]*\"|src=\"[^\"]*\"")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def event_keys(figures_csv: Path = ROOT / "data" / "figures.csv") -> re.Pattern[str]:
    """The ledger's event keys ('round-2026', 'amazon-35b-trigger') as one pattern."""
    import csv

    with figures_csv.open(encoding="utf-8") as handle:
        keys = sorted({row["event"] for row in csv.DictReader(handle) if row["event"]}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")


def readable(text: str) -> str:
    """The words a reader reads: entities decoded, link targets and code spans dropped."""
    return html.unescape(_CODE.sub("", _LINK_TARGET.sub("]", text)))


def notebook_prose(notebook: nbformat.NotebookNode) -> Iterator[tuple[str, str]]:
    """(where, text) for every markdown cell and every markdown output above the Sources section."""
    for number, cell in enumerate(notebook.cells, start=1):
        where = f"cell {number} ({cell.get('id', '?')})"
        if cell.cell_type == "markdown":
            if SOURCES_HEADING.search(cell.source):
                return
            yield where, cell.source
            continue
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                yield where, text if isinstance(text, str) else "".join(text)


_TAGS = re.compile(r"<(table|style|script|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
# a code cell's source as nbconvert renders it: highlighted, in a <pre> inside div.highlight (outputs are not)
_SOURCE = re.compile(r'<div class="highlight[^"]*">\s*<pre>.*?</pre>', re.DOTALL)


def page_prose(page: str) -> str:
    """A report page's words outside tables, code cells' source and styles (tables keep their ids by design); text
    outputs are kept, because a reader sees them."""
    page = page[: SOURCES_HEADING_HTML.search(page).start()] if SOURCES_HEADING_HTML.search(page) else page
    return re.sub(r"<[^>]+>", " ", _TAGS.sub(" ", _SOURCE.sub(" ", _LINK_TARGET.sub(" ", page))))


SOURCES_HEADING_HTML = re.compile(r"<h\d[^>]*>\s*Sources\b", re.IGNORECASE)


def problems_in(text: str, where: str, events: re.Pattern[str] | None = None) -> list[str]:
    """One line per internal code found in a piece of prose."""
    words = readable(text)
    found = [f"{where}: {why} {m.group()!r}" for why, pattern in PATTERNS.items() for m in pattern.finditer(words)]
    if events is not None:
        found += [f"{where}: an event key {m.group()!r}" for m in events.finditer(words)]
    return found


def scan(notebooks: list[Path], pages: list[Path]) -> list[str]:
    """Every internal code in the notebooks' prose and the report pages' prose."""
    events = event_keys()
    found: list[str] = []
    for path in notebooks:
        for where, text in notebook_prose(nbformat.read(path, as_version=4)):
            found += problems_in(text, f"{path.name} {where}", events)
    for page in pages:
        found += problems_in(page_prose(page.read_text(encoding="utf-8")), page.name, events)
    return found


REFERENCE_PAGES = ("changelog.html", "codebook.html")


def report_pages(folder: Path = REPORT) -> list[Path]:
    """The report's reader pages. The data changelog (a dated record of ledger rows, by id) and the codebook (the
    columns and their allowed values, by name) are references for contributors, and are left out."""
    return sorted(p for p in folder.glob("*.html") if p.name not in REFERENCE_PAGES)


def main() -> int:
    """List every internal code in reader prose; exit 1 when there is one."""
    found = scan(sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")), report_pages())
    print("\n".join(found) or "no internal codes in reader prose")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
