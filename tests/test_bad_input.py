"""Malformed files fail with one message per problem naming file, line, column, value and rule."""

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import data
from tests.conftest import read_rows, write_rows


def load(folder: Path) -> data.Ledger:
    return data.load_ledger(folder / "figures.csv", folder / "sources.csv", folder / "scenarios.csv")


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def first_line(path: Path, **match: str) -> int:
    """File line of the first row whose cells equal `match`."""
    rows = read_rows(path)
    for number, row in enumerate(rows[1:], start=2):
        if all(row[rows[0].index(k)] == v for k, v in match.items()):
            return number
    raise LookupError(match)


def expect(folder: Path, where: str, rule: str) -> data.LedgerError:
    with pytest.raises(data.LedgerError) as caught:
        load(folder)
    message = str(caught.value)
    assert where in message, message
    assert rule in message, message
    return caught.value


CELL_CASES = [
    # (file, row selector, column, bad value, words of the rule)
    ("figures.csv", {"figure_id": "F009"}, "value", "one billion", "must be a number"),
    ("figures.csv", {"figure_id": "F009"}, "value", "-1", "must be at least 0"),
    ("figures.csv", {"figure_id": "F009"}, "value", "inf", "must be a finite number"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "2025-02-30", "must be a real calendar date"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "12/31/2025", "must match the pattern"),
    ("figures.csv", {"figure_id": "F009"}, "status", "rumoured", "must be one of: in_talks"),
    ("figures.csv", {"figure_id": "F009"}, "category", "grant", "must be one of: funding_round"),
    ("figures.csv", {"figure_id": "F009"}, "source_ids", "S01;S99", "source id 'S99' is not in sources.csv"),
    ("figures.csv", {"figure_id": "F009"}, "figure_id", "F001", "must be unique"),
    ("figures.csv", {"figure_id": "F009"}, "unit", "pct", "unit must be the one its metric is stated in"),
    ("figures.csv", {"figure_id": "F009"}, "start_year", "2019.5", "must be a whole number"),
    ("figures.csv", {"figure_id": "F001"}, "low", "", "store the bound as low = value"),
    ("figures.csv", {"figure_id": "F005"}, "value", "3", "'undisclosed' means value, low and high are all empty"),
    ("figures.csv", {"figure_id": "F004"}, "term_basis", "", "says whether a term was reported"),
    (
        "figures.csv",
        {"figure_id": "F004"},
        "term_years",
        "",
        "term_years is given exactly when term_basis is 'reported'",
    ),
    ("figures.csv", {"figure_id": "F155"}, "low", "1200", "'range' needs both low and high, with low below high"),
    ("figures.csv", {"figure_id": "F009"}, "subject", "", "must not be empty"),
    ("figures.csv", {"figure_id": "F009"}, "deal", "", "must not be empty"),
    ("figures.csv", {"figure_id": "F009"}, "deal", " March 2025 round", "no space at either end"),
    ("figures.csv", {"figure_id": "F002"}, "deal", "Amazon deal", "the deal name of the event's first row"),
    ("figures.csv", {"figure_id": "F009"}, "deal", "2026 funding round", "a deal name belongs to one event only"),
    ("sources.csv", {"source_id": "S01"}, "url", "", "a source without a url must name its local_copy"),
    ("sources.csv", {"source_id": "S01"}, "kind", "blog", "must be one of: company release"),
    ("scenarios.csv", {"scenario_id": "base"}, "dilution_to_listing", "1", "must be below 1"),
    ("scenarios.csv", {"scenario_id": "base"}, "figure_id", "F999", "figure id is not in figures.csv"),
    (
        "scenarios.csv",
        {"scenario_id": "amazon-talks-2025-12"},
        "valuation_usd_bn",
        "450",
        "must equal the value of figure F002",
    ),
]


@pytest.mark.parametrize(
    "file, selector, column, value, rule", CELL_CASES, ids=[f"{c[0]}-{c[2]}={c[3]!r}" for c in CELL_CASES]
)
def test_bad_cell_is_named(data_copy, file, selector, column, value, rule):
    path = data_copy / file
    line = first_line(path, **selector)
    set_cell(path, line, column, value)
    expect(data_copy, f"{file}:{line}: column '{column}' = '{value}'", rule)


def test_missing_column(data_copy):
    rows = read_rows(data_copy / "figures.csv")
    drop = rows[0].index("status")
    write_rows(data_copy / "figures.csv", [r[:drop] + r[drop + 1 :] for r in rows])
    expect(data_copy, "figures.csv:1: column 'status'", "required column is missing")


def test_extra_column(data_copy):
    rows = read_rows(data_copy / "sources.csv")
    write_rows(data_copy / "sources.csv", [rows[0] + ["rumour"]] + [r + ["x"] for r in rows[1:]])
    expect(data_copy, "sources.csv:1: column 'rumour'", "unknown column")


def test_duplicate_header(data_copy):
    rows = read_rows(data_copy / "scenarios.csv")
    write_rows(data_copy / "scenarios.csv", [rows[0] + ["note"]] + [r + ["x"] for r in rows[1:]])
    expect(data_copy, "scenarios.csv:1: column 'note'", "appears twice")


def test_empty_file(data_copy):
    (data_copy / "figures.csv").write_bytes(b"")
    expect(data_copy, "figures.csv:1: column '(header)'", "file is empty")


def test_header_only(data_copy):
    path = data_copy / "scenarios.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    expect(data_copy, "scenarios.csv:2:", "header but no data rows")


def test_surplus_cells(data_copy):
    path = data_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] += ",surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect(data_copy, "figures.csv:7: column '(cell 27)' = 'surplus'", "row has 27 cells; the header has 26")


def test_missing_cells(data_copy):
    path = data_copy / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = ",".join(lines[3].split(",")[:2])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect(data_copy, "sources.csv:4: column 'original_outlet' = ''", "row has 2 cells; the header has 9")


def test_undecodable_bytes(data_copy):
    path = data_copy / "figures.csv"
    raw = path.read_bytes().split(b"\n")
    raw[4] = raw[4].replace(b"Amazon", b"Amaz\xff\xfen", 1)
    path.write_bytes(b"\n".join(raw))
    expect(data_copy, "figures.csv:5: column 'counterparty' = 'bytes ff'", "must be UTF-8")


def test_every_problem_is_listed_at_once(data_copy):
    path = data_copy / "figures.csv"
    set_cell(path, 2, "status", "rumoured")
    set_cell(path, 3, "value", "lots")
    set_cell(path, 4, "reported_on", "2025-13-01")
    error = expect(data_copy, "figures.csv:2:", "must be one of")
    assert {(p.line, p.column) for p in error.problems} >= {(2, "status"), (3, "value"), (4, "reported_on")}


def test_loading_writes_nothing(data_copy):
    set_cell(data_copy / "figures.csv", 2, "status", "rumoured")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    with pytest.raises(data.LedgerError):
        load(data_copy)
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_command_line_exits_non_zero_with_the_message(data_copy):
    set_cell(data_copy / "figures.csv", 2, "status", "rumoured")
    result = subprocess.run(
        [sys.executable, "-m", "helpers.data", "check", "--figures", str(data_copy / "figures.csv")],
        capture_output=True,
        text=True,
        cwd=data.ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "figures.csv:2: column 'status' = 'rumoured': must be one of" in result.stderr


def test_command_line_summary_on_good_data():
    result = subprocess.run(
        [sys.executable, "-m", "helpers.data", "check"], capture_output=True, text=True, cwd="/", check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ledger ok: ")


# --- harmless variations -------------------------------------------------------------------


def shipped() -> data.Ledger:
    return data.load_ledger()


@pytest.mark.parametrize("variation", ["bom", "crlf", "trailing_blank_line", "all"])
def test_harmless_variations_load(data_copy, variation):
    for name in ("figures.csv", "sources.csv", "scenarios.csv"):
        path = data_copy / name
        text = path.read_bytes()
        if variation in ("crlf", "all"):
            text = text.replace(b"\n", b"\r\n")
        if variation in ("trailing_blank_line", "all"):
            text += b"\r\n" if variation == "all" else b"\n"
        if variation in ("bom", "all"):
            text = b"\xef\xbb\xbf" + text
        path.write_bytes(text)
    loaded = load(data_copy)
    original = shipped()
    assert loaded.figures.equals(original.figures)
    assert loaded.sources.equals(original.sources)
    assert loaded.scenarios.equals(original.scenarios)
