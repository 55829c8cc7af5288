"""The data files offered for download beside the report: neutralised against spreadsheet formulas, never copied
over the files they come from."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from helpers.build.commands import OutputError
from helpers.data.load import DATA_DIR

DOWNLOADS = {
    "figures.csv": "every reported figure, one row per figure as one source reported it",
    "sources.csv": "every source, with outlet, date and URL",
    "scenarios.csv": "the valuation marks and named listing cases",
    "README.md": "the codebook: every column and rule, generated from the schema",
    "CHANGELOG.md": "what was added, corrected or re-sourced in the data, when and why, and what was searched",
    "LICENSE": "the ledger's licence, CC BY 4.0, and what it covers",
}


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that opens the file with another separator (';' in much of Europe, tab, '|') splits a cell there, and
# each piece is read as a cell of its own: every piece must be checked, not only the first character of the cell.
_PIECES = re.compile(r"[;,\t|\r\n]")


def _formula_like(piece: str) -> bool:
    piece = piece.lstrip(" ")
    return piece[:1] in _FORMULA_START and not _NUMBER.fullmatch(piece)


def neutralise_cell(cell: str) -> str:
    """OWASP CSV injection rule: a cell a spreadsheet would run as a formula, whole or split at a separator, gets a
    leading quote."""
    if cell[:1] in ("\t", "\r") or any(_formula_like(piece) for piece in _PIECES.split(cell)):
        return "'" + cell
    return cell


def neutralise_csv(text: str) -> str:
    """A CSV file with every formula-like cell neutralised; numbers, quoting of other cells and order kept."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([neutralise_cell(cell) for cell in row])
    return out.getvalue()


def copy_downloads(folder: Path, data_dir: Path = DATA_DIR) -> None:
    """The downloadable data files; CSVs neutralised for spreadsheets (the repository's files stay as they are)."""
    if folder.resolve() == data_dir.resolve():
        raise OutputError(f"{folder}: the downloads would overwrite the data files they are copied from")
    folder.mkdir(parents=True, exist_ok=True)
    for name in DOWNLOADS:
        text = (data_dir / name).read_text(encoding="utf-8")
        if name.endswith(".csv"):
            text = neutralise_csv(text)
        (folder / name).write_text(text, encoding="utf-8")
