"""Malformed files fail with one message per problem naming file, line, column, value and rule."""

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import data
from helpers.data import load, schema
from tests.conftest import read_rows, write_rows


def load_folder(folder: Path) -> data.Ledger:
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
        load_folder(folder)
    message = str(caught.value)
    assert where in message, message
    assert rule in message, message
    return caught.value


CELL_CASES = [
    # (file, row selector, column, bad value, words of the rule)
    ("figures.csv", {"figure_id": "F009"}, "value", "one billion", "must be a number"),
    ("figures.csv", {"figure_id": "F009"}, "value", "-1", "must be at least 0"),
    ("figures.csv", {"figure_id": "F009"}, "value", "inf", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F009"}, "value", "NaN", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F009"}, "value", "-inf", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F009"}, "value", "1_000", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F009"}, "value", "1e3", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F009"}, "value", "\u0661\u0662", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F009"}, "value", "\uff11", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F004"}, "term_years", " 7", "must not start or end with a space"),
    ("figures.csv", {"figure_id": "F004"}, "term_years", " 7", "must be a number written with the digits 0-9"),
    ("figures.csv", {"figure_id": "F056"}, "start_year", " 2025", "must be a whole number written with the digits"),
    ("figures.csv", {"figure_id": "F056"}, "start_year", "2\u0660\u0662\u0665", "must be a whole number written"),
    ("scenarios.csv", {"scenario_id": "bear"}, "years_to_listing", "inf", "must be a number written with the digits"),
    ("scenarios.csv", {"scenario_id": "bear"}, "years_to_listing", "0", "must be above 0"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "2099-01-01", "must not be after the day of the check"),
    ("sources.csv", {"source_id": "S01"}, "published_on", "2099-01-01", "must not be after the day of the check"),
    ("sources.csv", {"source_id": "S07"}, "published_on", "2024-11-15", "is written as the 1st of its month"),
    ("figures.csv", {"figure_id": "F009"}, "event", "microsoft-2019\n", "holds a line break"),
    ("figures.csv", {"figure_id": "F009"}, "event", " microsoft-2019", "must not start or end with a space"),
    ("figures.csv", {"figure_id": "F009"}, "figure_id", "F009 ", "must not start or end with a space"),
    ("figures.csv", {"figure_id": "F009"}, "source_ids", "S01 ", "must not start or end with a space"),
    ("sources.csv", {"source_id": "S01"}, "source_id", "S01\n", "holds a line break"),
    ("sources.csv", {"source_id": "S01"}, "source_id", " S01", "must not start or end with a space"),
    ("scenarios.csv", {"scenario_id": "bear"}, "scenario_id", "bear\t", "must not start or end with a space"),
    ("figures.csv", {"figure_id": "F009"}, "source_ids", "S01;S01", "source id 'S01' is listed twice"),
    ("scenarios.csv", {"scenario_id": "secondary-2025-10"}, "figure_id", "F001", "must cite a valuation"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "2025-02-30", "must be a real calendar date"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "12/31/2025", "must match the pattern"),
    ("figures.csv", {"figure_id": "F009"}, "status", "rumoured", "must be one of: in_talks"),
    ("figures.csv", {"figure_id": "F009"}, "category", "grant", "must be one of: funding_round"),
    ("figures.csv", {"figure_id": "F009"}, "source_ids", "S01;S999", "source id 'S999' is not in sources.csv"),
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
    (
        "sources.csv",
        {"source_id": "S01"},
        "url",
        "",
        "a source without a url says in access_note how a reader can find it",
    ),
    ("sources.csv", {"source_id": "S01"}, "kind", "blog", "must be one of: company release"),
    ("scenarios.csv", {"scenario_id": "base"}, "dilution_to_listing", "1", "must be below 1"),
    ("scenarios.csv", {"scenario_id": "base"}, "figure_id", "F999", "figure id is not in figures.csv"),
    (
        "scenarios.csv",
        {"scenario_id": "secondary-2025-10"},
        "valuation_usd_bn",
        "450",
        "must equal the value of figure F050",
    ),
]


@pytest.mark.parametrize(
    "file, selector, column, value, rule", CELL_CASES, ids=[f"{c[0]}-{c[2]}={c[3]!r}" for c in CELL_CASES]
)
def test_bad_cell_is_named(data_copy, file, selector, column, value, rule):
    path = data_copy / file
    line = first_line(path, **selector)
    set_cell(path, line, column, value)
    expect(data_copy, f"{file}:{line}: column '{column}' = '{shown(value)}'", rule)


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


@pytest.mark.parametrize("name", ["figures.csv", "sources.csv", "scenarios.csv"])
def test_a_surplus_cell_on_the_first_data_row_is_named_not_dropped(data_copy, name):
    # pandas' C reader drops it with only a ParserWarning (the adversarial run found `make check` passing)
    path = data_copy / name
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = len(lines[0].split(","))
    lines[1] += ",EXTRA"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect(data_copy, f"{name}:2: column '(cell {cells + 1})' = 'EXTRA'", f"row has {cells + 1} cells")


def test_missing_cells(data_copy):
    path = data_copy / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = ",".join(lines[3].split(",")[:2])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect(data_copy, "sources.csv:4: column 'original_outlet' = ''", "row has 2 cells; the header has 10")


def test_undecodable_bytes(data_copy):
    path = data_copy / "figures.csv"
    raw = path.read_bytes().split(b"\n")
    raw[4] = raw[4].replace(b"Amazon", b"Amaz\xff\xfen", 1)
    path.write_bytes(b"\n".join(raw))
    expect(data_copy, "figures.csv:5: column 'counterparty' = 'bytes ff'", "file is not UTF-8")


def shown(value: str) -> str:
    """A value as the error message writes it (escaped, on one line; outside printable ASCII as \\uXXXX)."""
    escaped = value.replace("\n", "\\n").replace("\t", "\\t")
    return "".join(
        c if " " <= c <= "~" else (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") for c in escaped
    )


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
        load_folder(data_copy)
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
    loaded = load_folder(data_copy)
    original = shipped()
    assert loaded.figures.equals(original.figures)
    assert loaded.sources.equals(original.sources)
    assert loaded.scenarios.equals(original.scenarios)


# --- inputs that used to pass or crash (issue 11) ----------------------------------------------


def run_check(*args: str, cli: bool = False) -> subprocess.CompletedProcess:
    """`python -m helpers.data check ARGS`: in a subprocess when `cli`, else through load.main in this process.

    In-process, main's return value is the exit status and its stdout and stderr are captured; an exception main
    let through fails the test as it would print a traceback on the command line. The subprocess tests below keep one
    command-line run per kind of failure (a broken rule, unparseable CSV, a file that cannot be read).
    """
    if cli:
        return subprocess.run(
            [sys.executable, "-m", "helpers.data", "check", *args],
            capture_output=True,
            text=True,
            cwd=data.ROOT,
            check=False,
        )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = load.main(["check", *args])
    return subprocess.CompletedProcess(["helpers.data", "check", *args], status, out.getvalue(), err.getvalue())


def check_folder(folder: Path, cli: bool = False) -> subprocess.CompletedProcess:
    return run_check(
        "--figures",
        str(folder / "figures.csv"),
        "--sources",
        str(folder / "sources.csv"),
        "--scenarios",
        str(folder / "scenarios.csv"),
        cli=cli,
    )


def assert_stops(result: subprocess.CompletedProcess, where: str, rule: str, max_lines: int = 6) -> None:
    """Non-zero exit, the place and the rule on stderr, a few lines, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert where in result.stderr, result.stderr
    assert rule in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= max_lines, result.stderr


def test_unclosed_quote_names_the_line_it_opened_on(data_copy):
    path = data_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # F009's note gains an opening quote that is never closed: it would swallow F010's row
    line = first_line(path, figure_id="F009")
    cells = lines[line - 1].rsplit(",", 1)
    lines[line - 1] = cells[0] + ',"' + cells[1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_folder(data_copy, cli=True)
    assert_stops(result, f"figures.csv:{line}: column 'note'", "a quote opened on this line is not closed")
    assert "ledger ok" not in result.stdout


def test_unclosed_quote_in_the_last_row(data_copy):
    path = data_copy / "scenarios.csv"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    head, note = text.rsplit(",", 1)
    path.write_text(head + ',"' + note + "\n", encoding="utf-8")
    last = len(text.splitlines())
    assert_stops(check_folder(data_copy), f"scenarios.csv:{last}: column 'note'", "never closed")


def test_quoted_line_break_in_a_cell(data_copy):
    line = first_line(data_copy / "figures.csv", figure_id="F009")
    set_cell(data_copy / "figures.csv", line, "subject", "Micro\nsoft")
    assert_stops(
        check_folder(data_copy), f"figures.csv:{line}: column 'subject' = 'Micro\\nsoft'", "holds a line break"
    )


def test_oversized_note(data_copy):
    line = first_line(data_copy / "figures.csv", figure_id="F009")
    set_cell(data_copy / "figures.csv", line, "note", "x" * 131_073)
    result = check_folder(data_copy)
    assert_stops(result, f"figures.csv:{line}: column 'note'", "longer than 131,072 characters")
    assert len(result.stderr) < 2_000


def test_long_note_over_the_schema_limit(data_copy):
    line = first_line(data_copy / "figures.csv", figure_id="F009")
    set_cell(data_copy / "figures.csv", line, "note", "y" * 1_001)
    assert_stops(check_folder(data_copy), f"figures.csv:{line}: column 'note'", "must be at most 1000 characters")


def test_trailing_newline_in_a_key_does_not_split_a_deal(data_copy):
    path = data_copy / "figures.csv"
    line = first_line(path, figure_id="F075")
    set_cell(path, line, "event", "aws-2025\n")
    assert_stops(check_folder(data_copy), f"figures.csv:{line}: column 'event' = 'aws-2025\\n'", "holds a line break")


def test_month_precision_not_on_the_first(data_copy):
    line = first_line(data_copy / "figures.csv", figure_id="F009")
    set_cell(data_copy / "figures.csv", line, "date_precision", "month")
    expect(data_copy, f"figures.csv:{line}: column 'reported_on' = '2019-07-22'", "1st of its month")


def test_nul_byte_in_text(data_copy):
    path = data_copy / "figures.csv"
    raw = path.read_bytes().split(b"\n")
    raw[5] = raw[5].replace(b"OpenAI", b"Open\x00AI", 1)
    path.write_bytes(b"\n".join(raw))
    assert_stops(check_folder(data_copy), "figures.csv:6: column", "NUL byte")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_is_not_utf8(data_copy, encoding):
    path = data_copy / "sources.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    result = check_folder(data_copy)
    assert_stops(result, "sources.csv:1:", "not UTF-8")


def test_latin1_file_is_not_utf8(data_copy):
    path = data_copy / "figures.csv"
    line = first_line(path, figure_id="F009")
    set_cell(path, line, "subject", "Microsoft Corporation (Redmond, \u00e9t\u00e9)")
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert_stops(check_folder(data_copy), f"figures.csv:{line}: column 'subject' = 'bytes e9'", "not UTF-8")


def test_conflict_group_with_one_row(data_copy):
    path = data_copy / "figures.csv"
    line = first_line(path, figure_id="F009")
    set_cell(path, line, "conflict", "lonely-conflict")
    expect(data_copy, f"figures.csv:{line}: column 'conflict' = 'lonely-conflict'", "at least two rows")


def test_conflict_group_without_a_used_reading(data_copy):
    path = data_copy / "figures.csv"
    for figure_id in ("F009", "F010"):
        line = first_line(path, figure_id=figure_id)
        set_cell(path, line, "conflict", "no-used-reading")
        set_cell(path, line, "reading", "alternative")
    assert_stops(check_folder(data_copy), "column 'reading' = 'alternative'", "at least one row with reading 'used'")


def test_circular_part_of(data_copy):
    path = data_copy / "figures.csv"
    first, second = first_line(path, figure_id="F009"), first_line(path, figure_id="F010")
    set_cell(path, first, "part_of", "microsoft-2021")
    set_cell(path, second, "part_of", "microsoft-2019")
    error = expect(data_copy, f"figures.csv:{first}: column 'part_of' = 'microsoft-2021'", "never leads back")
    assert {p.line for p in error.problems if p.column == "part_of"} == {first, second}


def test_a_share_may_name_its_own_round(data_copy):
    # the shipped ledger keys investor shares to their round (event = part_of): not a loop
    assert (load_folder(data_copy).figures.eval("event == part_of")).any()


def test_scenario_citing_a_figure_that_is_not_a_valuation(data_copy):
    line = first_line(data_copy / "scenarios.csv", scenario_id="base")
    set_cell(data_copy / "scenarios.csv", line, "figure_id", "F153")
    assert_stops(check_folder(data_copy), f"scenarios.csv:{line}: column 'figure_id' = 'F153'", "must cite a valuation")


@pytest.mark.parametrize("scenario_id", load.REQUIRED_SCENARIOS)
def test_scenarios_without_a_required_row(data_copy, scenario_id):
    path = data_copy / "scenarios.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r[0] != scenario_id])
    assert_stops(check_folder(data_copy), f"column 'scenario_id' = '{scenario_id}'", "required row is missing")


def test_case_with_zero_years_to_listing_stops_the_check(data_copy):
    line = first_line(data_copy / "scenarios.csv", scenario_id="base")
    set_cell(data_copy / "scenarios.csv", line, "years_to_listing", "0")
    assert_stops(check_folder(data_copy), f"scenarios.csv:{line}: column 'years_to_listing' = '0'", "must be above 0")


def test_figures_path_missing(tmp_path):
    missing = tmp_path / "nope.csv"
    assert_stops(run_check("--figures", str(missing), cli=True), "nope.csv:1: column '(file)'", "no such file")


def test_figures_path_is_a_folder(tmp_path):
    assert_stops(run_check("--figures", str(tmp_path)), f"{tmp_path.name}:1: column '(file)'", "is a folder")


def test_many_problems_are_capped_on_the_command_line(data_copy):
    path = data_copy / "figures.csv"
    rows = read_rows(path)
    status = rows[0].index("status")
    write_rows(path, [rows[0]] + [r[:status] + ["rumoured"] + r[status + 1 :] for r in rows[1:]])
    result = check_folder(data_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"and {len(rows) - 1 - load.MAX_PROBLEMS_SHOWN} more" in result.stderr
    assert len(result.stderr.splitlines()) == load.MAX_PROBLEMS_SHOWN + 2


def test_month_precision_on_the_first_passes(data_copy):
    line = first_line(data_copy / "figures.csv", figure_id="F009")
    set_cell(data_copy / "figures.csv", line, "date_precision", "month")
    set_cell(data_copy / "figures.csv", line, "reported_on", "2019-07-01")
    assert len(load_folder(data_copy).figures) == len(shipped().figures)


def test_a_pattern_is_checked_cell_by_cell_even_when_checked_in_one_pass():
    # the one-pass check joins cells with NUL; an open class such as \\S must not run across two cells
    cells = pd.Series(["https://example.org/a", "not a url", None, "https://example.org/b"], dtype=object)
    assert schema._all_match(cells.iloc[[0, 3]], schema.URL) is True
    assert schema._all_match(cells, schema.URL).tolist() == [True, False, True, True]
    assert schema._all_match(pd.Series(["https://x.example", "junk"]), schema.URL).tolist() == [True, False]
    assert schema._all_match(pd.Series(["March 2025 round", "x" * 61]), schema.DEAL_NAME).tolist() == [True, False]
