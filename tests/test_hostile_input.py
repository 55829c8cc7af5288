"""Hostile and careless input (issue 23): every family of the robustness review, one case per failure group and more.

Each case goes through a public entry point (`helpers.data.load_ledger` / `python -m helpers.data check`,
`helpers.notebook.parameters.check`, `python -m helpers.build.report`, `python -m helpers.build.scenario_runs`, the prose
and download
writers) and asserts both that the input is stopped and that the message names the place and the rule in a few lines.
Cases that need a kernel, a signal or `make` itself are in tests/robustness/check_faults.py (`make robustness`).
Groups (H1.., M.., L..) are those of ../shared/research/robustness-2026-12.md.
"""

import ast
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from helpers import data
from helpers.analysis import funding
from helpers.analysis import listing_odds as montecarlo
from helpers.analysis import listing_odds_words as odds_words
from helpers.build import commands, downloads, report, scenario_runs
from helpers.data import vocabulary
from helpers.data.read import Problem
from helpers.data.vocabulary import PARTY_NAMES
from helpers.notebook import parameters, prose, tables
from helpers.notebook.parameters import ParameterError, Spec
from tests.conftest import read_rows, write_rows


def load(folder: Path) -> data.Ledger:
    return data.load_ledger(folder / "figures.csv", folder / "sources.csv", folder / "scenarios.csv")


def line_of(path: Path, **match: str) -> int:
    """File line of the first row whose cells equal `match`."""
    rows = read_rows(path)
    for number, row in enumerate(rows[1:], start=2):
        if all(row[rows[0].index(k)] == v for k, v in match.items()):
            return number
    raise LookupError(match)


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def refused(folder: Path) -> str:
    """The LedgerError message for the files in `folder` (the test fails if they load)."""
    with pytest.raises(data.LedgerError) as caught:
        load(folder)
    return str(caught.value)


def check_cli(folder: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m helpers.data check` on the files in `folder`, as `make check` runs it."""
    files = [f"--{name}={folder / f'{name}.csv'}" for name in ("figures", "sources", "scenarios")]
    return subprocess.run(
        [sys.executable, "-m", "helpers.data", "check", *files],
        capture_output=True,
        text=True,
        cwd=data.ROOT,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


def escaped(value: str) -> str:
    """How a message writes a value: every character outside printable ASCII as \\uXXXX."""
    return "".join(
        c if " " <= c <= "~" else (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") for c in value
    )


# === 1. data ==========================================================================================================

# H1: names used as keys are a closed vocabulary; a look-alike, invisible or mis-cased character is refused by name.
KEY_CASES = [
    # (column, bad value, words the message must hold)
    ("subject", "Micr\u043esoft", "character U+043E CYRILLIC SMALL LETTER O is not allowed in a name"),
    ("subject", "Mi\u0441rosoft", "character U+0441 CYRILLIC SMALL LETTER ES is not allowed in a name"),
    ("subject", "Microsoft\u200b", "character U+200B ZERO WIDTH SPACE is not allowed in a name"),
    ("subject", "\ufeffMicrosoft", "character U+FEFF ZERO WIDTH NO-BREAK SPACE is not allowed in a name"),
    ("subject", "\u202eMicrosoft", "character U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a name"),
    ("subject", "Micro\u00adsoft", "character U+00AD SOFT HYPHEN is not allowed in a name"),
    ("subject", "\uff2dicrosoft", "character U+FF2D FULLWIDTH LATIN CAPITAL LETTER M is not allowed in a name"),
    ("counterparty", "Open\u00a0AI", "character U+00A0 NO-BREAK SPACE is not allowed in a name"),
    ("counterparty", "Open\u200dAI", "character U+200D ZERO WIDTH JOINER is not allowed in a name"),
    ("counterparty", "openai", "did you mean 'OpenAI'?"),
    ("counterparty", "OPENAI", "did you mean 'OpenAI'?"),
    ("subject", "microsoft", "did you mean 'Microsoft'?"),
    ("subject", "Microsoft Corp", "must be one of: "),
    ("counterparty", "Open AI", "did you mean 'OpenAI'?"),
    ("counterparty", "Oracel", "did you mean 'Oracle'?"),
]


@pytest.mark.parametrize("column, value, words", KEY_CASES, ids=[f"{c}={v!r}" for c, v, _ in KEY_CASES])
def test_a_name_outside_the_vocabulary_is_refused(data_copy, column, value, words):
    path = data_copy / "figures.csv"
    line = line_of(path, figure_id="F009")  # Microsoft's 2019 investment in OpenAI: money 02 counts by name
    set_cell(path, line, column, value)
    message = refused(data_copy)
    assert f"figures.csv:{line}: column '{column}' = '{escaped(value)}': " in message, message
    assert words in message, message


def test_every_name_in_the_shipped_ledger_is_in_the_vocabulary():
    figures = data.load_ledger().figures
    names = set(figures["subject"]) | set(figures["counterparty"].dropna())
    assert names <= set(PARTY_NAMES), names - set(PARTY_NAMES)


# free text (deal names, labels, notes, outlets, titles): printable text the chart font draws, in composed (NFC) form
TEXT_CASES = [
    ("figures.csv", {"figure_id": "F009"}, "deal", "Micro\u200bsoft's 2019 investment", "U+200B ZERO WIDTH SPACE"),
    ("figures.csv", {"figure_id": "F009"}, "deal", "Cafe\u0301 deal", "U+0301 COMBINING ACUTE ACCENT"),
    ("figures.csv", {"figure_id": "F009"}, "note", "Paid in\u2028two parts.", "U+2028 LINE SEPARATOR"),
    ("figures.csv", {"figure_id": "F009"}, "note", "Paid \u202ein full.", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("scenarios.csv", {"scenario_id": "base"}, "label", "Ba\u0455e", "U+0455 CYRILLIC SMALL LETTER DZE"),
    ("scenarios.csv", {"scenario_id": "base"}, "label", "\u57fa\u672c", "U+57FA CJK UNIFIED IDEOGRAPH-57FA"),  # M11
    ("sources.csv", {"source_id": "S01"}, "outlet_read", "Reu\u200bters", "U+200B ZERO WIDTH SPACE"),
    ("sources.csv", {"source_id": "S01"}, "title", "OpenAI \U0001f680 Microsoft", "U+1F680 ROCKET"),
]


@pytest.mark.parametrize(
    "file, selector, column, value, words", TEXT_CASES, ids=[f"{c[0]}-{c[2]}={c[3]!r}" for c in TEXT_CASES]
)
def test_free_text_with_invisible_or_undrawable_characters_is_refused(data_copy, file, selector, column, value, words):
    path = data_copy / file
    line = line_of(path, **selector)
    set_cell(path, line, column, value)
    message = refused(data_copy)
    assert f"{file}:{line}: column '{column}' = '{escaped(value)}': character {words}" in message, message


def test_typographic_text_in_free_text_still_loads(data_copy):
    """Curly quotes, dashes, an ellipsis, a euro sign and Latin accents are ordinary text the chart font draws."""
    path = data_copy / "sources.csv"
    set_cell(
        path, line_of(path, source_id="S01"), "title", "Microsoft\u2019s \u20ac1B \u201cbet\u201d \u2013 Zo\u00eb\u2026"
    )
    load(data_copy)


# M5: messages print invisible and look-alike characters escaped, so the value shown is the value that broke the rule
@pytest.mark.parametrize("value", ["Micr\u043esoft", "Microsoft\u200b", "Cafe\u0301", "\ufeffOpenAI", "x\x1by"])
def test_messages_show_invisible_characters_escaped(value):
    shown = str(Problem("figures.csv", 2, "subject", value, "rule"))
    assert shown == f"figures.csv:2: column 'subject' = '{escaped(value)}': rule"
    assert all(" " <= c <= "~" for c in shown)


# H3: quoting that a strict CSV reader refuses is refused, not silently repaired
@pytest.mark.parametrize(
    "old, new, column",
    [
        (",Microsoft,", ',"Micro"soft,', "subject"),
        (",1,exact,", ',"1"0,exact,', "value"),
        (",S01,", ',"S0"1,', "source_ids"),
    ],
)
def test_a_quote_closed_inside_a_cell_is_refused(data_copy, old, new, column):
    path = data_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = line_of(path, figure_id="F009")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    message = refused(data_copy)
    assert f"figures.csv:{line}: column '{column}'" in message, message
    assert "a quote closes in the middle of the cell" in message, message


def test_an_unclosed_quote_in_the_last_row_without_a_final_newline_is_refused(data_copy):
    """A quote opened in the last cell of the file that never closes used to be read as if it were closed."""
    path = data_copy / "scenarios.csv"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    head, last = text.rsplit("\n", 1)
    path.write_text(head + "\n" + last.rsplit(",", 1)[0] + ',"An assumed case, not a forecast', encoding="utf-8")
    last_line = text.count("\n") + 1
    message = refused(data_copy)
    assert f"scenarios.csv:{last_line}: column 'note'" in message and "never closed" in message, message


def test_an_unclosed_quote_that_swallows_the_next_rows_is_refused(data_copy):
    path = data_copy / "scenarios.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = line_of(path, scenario_id="bear")
    lines[line - 1] = lines[line - 1].rsplit(",", 1)[0] + ',"A low case'
    path.write_text("\n".join(lines), encoding="utf-8")
    message = refused(data_copy)
    assert f"scenarios.csv:{line}: column 'note'" in message, message
    assert "quote" in message


# M4: bare CR characters
def test_a_file_with_bare_cr_line_endings_is_refused_in_one_line(data_copy):
    path = data_copy / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    message = refused(data_copy)
    assert "sources.csv:1:" in message and "bare CR" in message, message
    assert len([line for line in message.splitlines() if line.startswith("sources.csv")]) == 1, message


def test_a_bare_cr_inside_a_cell_is_named_and_later_lines_keep_their_numbers(data_copy):
    path = data_copy / "figures.csv"
    cr_line, bad_line = line_of(path, figure_id="F009"), line_of(path, figure_id="F010")
    set_cell(path, bad_line, "status", "rumoured")
    text = path.read_text(encoding="utf-8").split("\n")
    text[cr_line - 1] = text[cr_line - 1].replace("capped-profit", "capped-\rprofit", 1)
    path.write_text("\n".join(text), encoding="utf-8")
    message = refused(data_copy)
    assert f"figures.csv:{cr_line}: column 'note' = 'Invested in the capped-\\rprofit" in message, message
    assert "bare CR" in message, message
    assert f"figures.csv:{bad_line}: column 'status' = 'rumoured'" in message, message


# M6 and M1: plausible dates and amounts, and what the notebooks rely on, are rules `make check` enforces
USD_BN_RANGE = "a value in usd_bn is 0, or from 0.001 (US$1M) to 10000 (US$10T)"
RANGE_CASES = [
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "1600-01-01", "must not be before 2015-01-01"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "2010-06-01", "must not be before 2015-01-01"),
    ("figures.csv", {"figure_id": "F009"}, "reported_on", "0000-01-01", "must not be before 2015-01-01"),
    ("sources.csv", {"source_id": "S01"}, "published_on", "1999-12-31", "must not be before 2015-01-01"),
    ("figures.csv", {"figure_id": "F009"}, "value", "1000000000", USD_BN_RANGE),
    ("figures.csv", {"figure_id": "F009"}, "value", "0.0000000001", USD_BN_RANGE),
    ("figures.csv", {"figure_id": "F009"}, "value", "10001", USD_BN_RANGE),
    ("figures.csv", {"figure_id": "F009"}, "value", "0.0001", USD_BN_RANGE),
    ("scenarios.csv", {"scenario_id": "bear"}, "valuation_usd_bn", "1000000000", "must be at most 100000"),
]


@pytest.mark.parametrize(
    "file, selector, column, value, words", RANGE_CASES, ids=[f"{c[0]}-{c[2]}={c[3]}" for c in RANGE_CASES]
)
def test_implausible_dates_and_amounts_are_refused(data_copy, file, selector, column, value, words):
    path = data_copy / file
    line = line_of(path, **selector)
    set_cell(path, line, column, value)
    message = refused(data_copy)
    assert f"{file}:{line}: column '{column}' = '{value}'" in message and words in message, message


@pytest.mark.parametrize(
    "file, selector, column, limit",
    [
        ("sources.csv", {"source_id": "S01"}, "outlet_read", 120),
        ("sources.csv", {"source_id": "S01"}, "original_outlet", 120),
        ("sources.csv", {"source_id": "S01"}, "title", 300),
        ("scenarios.csv", {"scenario_id": "bear"}, "label", 60),
    ],
)
def test_text_that_goes_into_a_chart_has_a_length_limit(data_copy, file, selector, column, limit):
    """L2 (O11): an outlet name of thousands of characters once made a chart footer 27,800 px tall."""
    path = data_copy / file
    line = line_of(path, **selector)
    set_cell(path, line, column, "Outlet " * (limit // 7 + 1))
    message = refused(data_copy)
    assert f"{file}:{line}: column '{column}'" in message and f"must be at most {limit} characters long" in message


def test_the_plausible_ranges_are_in_the_codebook():
    codebook = (data.ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "2015-01-01" in codebook and "10000" in codebook and "0.001" in codebook
    assert "U+" in codebook or "Unicode" in codebook  # the character rules are written down too


@pytest.mark.parametrize(
    "scenario_id, kind, words",
    [("listing", "mark", "must have kind 'listing'"), ("round-2026-close", "listing", "must have kind 'mark'")],
)
def test_a_required_scenario_of_the_wrong_kind_is_refused(data_copy, scenario_id, kind, words):
    path = data_copy / "scenarios.csv"
    line = line_of(path, scenario_id=scenario_id)
    set_cell(path, line, "kind", kind)
    message = refused(data_copy)
    assert f"scenarios.csv:{line}: column 'kind' = '{kind}'" in message and words in message, message


def test_scenarios_without_any_case_are_refused(data_copy):
    path = data_copy / "scenarios.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0]] + [r for r in rows[1:] if r[rows[0].index("kind")] != "case"])
    message = refused(data_copy)
    assert "scenarios.csv" in message and "at least one case" in message, message


def test_a_case_citing_a_figure_that_is_not_a_listing_figure_is_refused(data_copy):
    path = data_copy / "scenarios.csv"
    line = line_of(path, scenario_id="base")
    set_cell(path, line, "figure_id", "F110")  # the 2026 round's post-money: a private mark, not a listing value
    set_cell(path, line, "valuation_usd_bn", "852")
    message = refused(data_copy)
    assert f"scenarios.csv:{line}: column 'figure_id' = 'F110'" in message and "listing figure" in message, message


@pytest.mark.parametrize("scenario_id", ["summary", "results", "odds-down-to-bear", "index", "mathjax"])
def test_a_case_named_like_a_generated_page_is_refused_by_the_check(data_copy, scenario_id):
    """H5 at its root: make check refuses it, so make scenarios never meets it."""
    path = data_copy / "scenarios.csv"
    line = line_of(path, scenario_id="bear")
    set_cell(path, line, "scenario_id", scenario_id)
    message = refused(data_copy)
    assert f"scenarios.csv:{line}: column 'scenario_id' = '{scenario_id}'" in message, message
    assert "make scenarios writes" in message, message


@pytest.mark.parametrize("label", ["Base", "base", "BASE"])
def test_two_scenarios_with_one_label_are_refused_by_the_check(data_copy, label):
    path = data_copy / "scenarios.csv"
    line = line_of(path, scenario_id="bear")
    set_cell(path, line, "label", label)
    message = refused(data_copy)
    assert f"scenarios.csv:{line}: column 'label' = '{label}'" in message and "label of its own" in message, message


# L3: small message inaccuracies
def test_a_fifo_is_not_reported_as_a_missing_file(tmp_path):
    fifo = tmp_path / "figures.csv"
    os.mkfifo(fifo)
    with pytest.raises(data.LedgerError) as caught:
        data.load_ledger(fifo)
    assert "not a regular file" in str(caught.value) and "no such file" not in str(caught.value)


def test_an_unreadable_file_is_one_problem_not_a_traceback(data_copy, monkeypatch):
    real = Path.read_bytes

    def broken_disk(self):
        if self.name == "sources.csv":
            raise OSError(5, "Input/output error")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", broken_disk)
    message = refused(data_copy)
    assert "sources.csv:1: column '(file)'" in message and "cannot be read: Input/output error" in message, message


def test_a_scenario_citing_an_undisclosed_figure_says_so(data_copy):
    figures = data_copy / "figures.csv"
    line = line_of(figures, figure_id="F110")
    for column, value in (("value", ""), ("qualifier", "undisclosed")):
        set_cell(figures, line, column, value)
    message = refused(data_copy)
    assert "nan" not in message, message
    assert "figure F110 gives no value" in message, message


# L4: the future-date rule uses the UTC date, whatever the machine's time zone
@pytest.mark.parametrize("zone", ["Etc/GMT-14", "Etc/GMT+12"])  # UTC+14 and UTC-12 (POSIX signs are reversed)
def test_the_future_date_rule_does_not_depend_on_the_time_zone(data_copy, zone):
    today = datetime.datetime.now(datetime.UTC).date()
    path = data_copy / "figures.csv"
    line = line_of(path, figure_id="F009")
    set_cell(path, line, "reported_on", f"{today:%Y-%m-%d}")
    accepted = check_cli(data_copy, {"TZ": zone})
    assert accepted.returncode == 0, accepted.stderr
    set_cell(path, line, "reported_on", f"{today + datetime.timedelta(days=1):%Y-%m-%d}")
    result = check_cli(data_copy, {"TZ": zone})
    assert result.returncode == 1 and "must not be after the day of the check" in result.stderr, result.stderr


def test_the_check_command_ends_a_key_failure_in_a_few_lines(data_copy):
    path = data_copy / "figures.csv"
    set_cell(path, line_of(path, figure_id="F009"), "subject", "Micr\u043esoft")
    result = check_cli(data_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr
    assert "U+043E CYRILLIC SMALL LETTER O" in result.stderr


# === 2. parameters ====================================================================================================

SPECS = [
    Spec("LISTING_VALUATION_USD_BN", "number", "listing value, $B", low=0, low_open=True),
    Spec("YEARS_TO_LISTING", "number", "years", low=0, low_open=True),
]
GOOD = {"LISTING_VALUATION_USD_BN": 1000.0, "YEARS_TO_LISTING": 1.0}


@pytest.mark.parametrize(
    "name, right",
    [
        ("listing_valuation_usd_bn", "LISTING_VALUATION_USD_BN"),
        ("Listing_Valuation_Usd_Bn", "LISTING_VALUATION_USD_BN"),
        ("years_to_LISTING", "YEARS_TO_LISTING"),
    ],
)
def test_a_parameter_name_in_another_case_is_refused_with_the_right_name(name, right):
    """H2: papermill injects `-p listing_valuation_usd_bn 1500` as typed; the run must not report the default."""
    with pytest.raises(ParameterError) as caught:
        parameters.check({**GOOD, name: 1500}, SPECS)
    assert f"{name}: not a parameter of this notebook; parameter names are upper case: write {right}" in str(
        caught.value
    )


def test_a_near_miss_upper_case_name_suggests_the_declared_one():
    with pytest.raises(ParameterError, match=r"YEARS_TO_LISTNG: not a parameter of this notebook \(did you mean "):
        parameters.check({**GOOD, "YEARS_TO_LISTNG": 2}, SPECS)


def test_modules_and_functions_of_the_setup_cell_are_not_parameters():
    namespace = {**GOOD, "pd": pd, "np": np, "display": print, "data": data, "_ledger": object(), "_i1": "x"}
    namespace |= {"In": [""], "Out": {}, "get_ipython": print, "exit": object(), "quit": object()}
    assert parameters.check(namespace, SPECS) == GOOD


@pytest.mark.parametrize(
    "name, value, hint",
    [
        ("listing_valuation", 1500, " (did you mean LISTING_VALUATION_USD_BN?)"),
        ("Listing_Value_USD_BN", 1500, " (did you mean LISTING_VALUATION_USD_BN?)"),
        ("years_to_list", 2, " (did you mean YEARS_TO_LISTING?)"),
        ("seed", 1, "; declared: LISTING_VALUATION_USD_BN, YEARS_TO_LISTING"),
        ("foo_bar", "x", "; declared: LISTING_VALUATION_USD_BN, YEARS_TO_LISTING"),
        ("book", object(), "; declared: LISTING_VALUATION_USD_BN"),
    ],
)
def test_any_undeclared_public_global_is_refused(name, value, hint):
    """Issue 23 run 2: `-p listing_valuation 1500` (or seed, foo_bar) once ran with the default and exited 0."""
    with pytest.raises(ParameterError) as caught:
        parameters.check({**GOOD, name: value}, SPECS)
    assert f"{name}: not a parameter of this notebook{hint}" in str(caught.value)


@pytest.mark.parametrize("notebook", sorted(p.name for p in report.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")))
def test_every_setup_cell_checks_the_parameters_before_making_public_globals(notebook):
    """check() refuses every public non-module global, so a setup cell may define none before it (issue 23)."""
    cells = json.loads((report.NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    setup = next("".join(c["source"]) for c in cells if "parameters.check(globals()" in "".join(c["source"]))
    before = setup.split("parameters.check(globals()")[0]
    assigned = [t.id for node in ast.parse(before + "0").body if isinstance(node, ast.Assign) for t in node.targets]
    assert [name for name in assigned if not name.startswith("_") and name != "params"] == []


@pytest.mark.parametrize("notebook, specs_of", [("04", "scenarios"), ("05", "montecarlo")])
@pytest.mark.parametrize("as_of", ["2206-11-22", "2262-06-01", "9999-12-31"])
def test_an_as_of_decades_after_the_ledger_is_refused(notebook, specs_of, as_of):
    """Issue 23 run 2: AS_OF 2206-11-22 ran 24 minutes in 22 GB; 2262 and 9999 ended in tracebacks."""
    from helpers.analysis import scenarios

    book = data.load_ledger()
    module = scenarios if specs_of == "scenarios" else montecarlo
    spec = next(s for s in module.parameter_specs(book) if s.name == "AS_OF")
    value, problem = parameters.coerce(spec, as_of)
    newest = book.figures["reported_on"].max()
    assert value is None and f"is more than 5 years after {newest:%Y-%m-%d}, the newest date in the ledger" in problem
    latest = newest + pd.DateOffset(years=5)
    assert parameters.coerce(spec, f"{latest:%Y-%m-%d}") == (latest, "")


def test_the_as_of_date_before_the_newest_mark_is_named():
    """M1 (P78): 05 once said 'years must be above 0'; now the parameter and the mark it must follow are named."""
    book = data.load_ledger()
    marks = montecarlo.marks(book.scenarios, book.figures)
    dists = montecarlo.distributions(parameters.check(montecarlo_defaults(), montecarlo.parameter_specs()))
    sample = montecarlo.draw(dists, 1_000, 1)
    with pytest.raises(ParameterError, match=r"AS_OF = '2020-01-01': must be after the newest mark"):
        montecarlo.simulate(marks, sample, pd.Timestamp("2020-01-01"))


def montecarlo_defaults() -> dict[str, object]:
    notebook = json.loads((report.NOTEBOOKS_DIR / "05-listing-odds.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    namespace: dict[str, object] = {}
    exec("".join(cell["source"]), namespace)  # the committed Assumptions cell: plain literals
    return {k: v for k, v in namespace.items() if k.isupper()}


def test_degenerate_ranges_print_no_nan():
    """M14: with every range a single value nothing varies: shares of a spread are 0, never 0/0, and no 'nan' shows."""
    given = montecarlo_defaults()
    for name in ("LISTING", "YEARS", "DILUTION"):
        keys = [k for k in given if k.startswith(name) and k.split("_")[1] in ("LOW", "LIKELY", "HIGH")]
        keys += [
            k for k in given if k.startswith(name) and k.endswith(("_LOW_USD_BN", "_LIKELY_USD_BN", "_HIGH_USD_BN"))
        ]
        point = given[sorted(keys)[0]]
        given.update({k: point for k in keys})
    book = data.load_ledger()
    params = parameters.check({**given, "DRAWS": 1_000}, montecarlo.parameter_specs(book))
    dists = montecarlo.distributions(params)
    marks = montecarlo.marks(book.scenarios, book.figures)
    latest = montecarlo.latest(marks)
    uniforms = montecarlo.uniforms(params["DRAWS"], params["SEED"])
    sample = montecarlo.draw_from(dists, uniforms, params["DILUTION_PER_YEAR_OF_DELAY"])
    elapsed = montecarlo.elapsed_years(params["AS_OF"], marks.at[latest, "reported_on"])
    spread = montecarlo.sensitivity(dists, sample, marks.at[latest, "entry_usd_bn"], elapsed)
    assert not spread.isna().any().any(), spread
    results = montecarlo.simulate(marks, sample, params["AS_OF"])
    unlisted = montecarlo.unlisted_multiples(marks, params["NO_LISTING_HAIRCUT"])
    odds = montecarlo.summary(results, params["HURDLE_RATE"], params["LISTING_CHANCE"], unlisted)
    options = montecarlo.alternative_ends(params, book.scenarios, book.figures, {"YEARS_HIGH": 3.1})
    ranking = montecarlo.decisive(params, uniforms, marks.loc[latest], elapsed, options)
    shown = odds_words.formatted_decisive(ranking).to_string() + odds_words.bottom_line(marks, odds, ranking, params)
    assert "nan" not in shown.lower(), shown


@pytest.mark.parametrize(
    "value_bn, shown",
    [
        (1e-12, "$0.000000001M"),
        (0.35, "$350M"),
        (852, "$852B"),
        (1400, "$1.4T"),
        (1_000_000, "$1,000T"),
        (8.52e11, "$852,000,000T"),
        (999_950, "$1,000T"),
    ],
)
def test_extreme_amounts_print_without_an_exponent(value_bn, shown):
    """L2: money() once printed '$1e-09M' and '$8.52e+08T' for extreme accepted values."""
    assert tables.money(value_bn) == shown


def test_count_as_firm_lists_only_what_it_accepts():
    """L3 (P53): the message no longer offers stalled or superseded, which the rule refuses."""
    with pytest.raises(ParameterError) as caught:
        parameters.check({"COUNT_AS_FIRM": ["closed", "done"]}, funding.parameter_specs())
    allowed = str(caught.value).split("must be among", 1)[1]
    assert "'stalled'" not in allowed and "'superseded'" not in allowed
    with pytest.raises(ParameterError, match="stalled money is not firm"):
        parameters.check({"COUNT_AS_FIRM": ["closed", "stalled"]}, funding.parameter_specs())


# === 3. injection and paths ===========================================================================================


@pytest.mark.parametrize(
    "payload",
    [
        "https://evil.example/steal",
        "see http://evil.example/x?a=1&b=2 now",
        "www.evil.example",
        "WWW.evil.example/path",
        "ftp://evil.example/file",
        "mail boss@evil.example",
        "<https://evil.example>",
    ],
)
def test_a_bare_url_from_the_data_never_becomes_a_link(payload, monkeypatch):
    """H6: nbconvert's markdown (mistune) and GFM autolink bare URLs; computed prose must print them as text.

    IPython's Markdown() fetches a string that starts with 'http': md() must not hand it one (no network here)."""
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: pytest.fail("md() tried to fetch the text"))
    markdown = prose.md(f"**{payload}** raised $5B").data
    rendered = markdown2html_mistune(markdown)
    assert "<a " not in rendered and "href" not in rendered, rendered
    assert "://" not in markdown and "www." not in markdown.lower() and "@" not in markdown
    assert prose.plain(prose.md(payload).data) == payload  # still prints exactly as typed


@pytest.mark.parametrize("where", [".", "data", "notebooks", "notebooks/out", "helpers", "docs", "..", "data/../data"])
def test_the_report_never_writes_into_the_repository_s_inputs(where, capsys):
    """H4: `--out .` once overwrote data/*.csv with neutralised copies."""
    before = {p: p.read_bytes() for p in (data.ROOT / "data").iterdir() if p.is_file()}
    out = data.ROOT / where
    assert report.main(["--no-run", "--out", str(out), str(report.NOTEBOOKS_DIR / "01-ledger.ipynb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("make report refused: ") and len(err.strip().splitlines()) == 1, err
    assert {p: p.read_bytes() for p in (data.ROOT / "data").iterdir() if p.is_file()} == before
    assert not (data.ROOT / "data" / "data").exists() and not (data.ROOT / "figures").exists()


def test_prose_that_names_a_file_prints_the_name_not_the_file():
    """IPython's Markdown() reads a string that names an existing file; md() shows the text it is given."""
    assert prose.md(str(data.FIGURES_CSV)).data == str(data.FIGURES_CSV)


def test_downloads_are_never_copied_over_the_data_they_come_from(data_copy):
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    with pytest.raises(commands.OutputError, match="would overwrite the data files"):
        downloads.copy_downloads(data_copy, data_copy)
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_scenario_runs_refuse_an_output_folder_in_the_repository(capsys):
    assert scenario_runs.main(["--out", str(data.ROOT / "notebooks")]) == 2
    err = capsys.readouterr().err
    assert "make scenarios refused" in err and "notebooks/" in err and "Traceback" not in err


def case_frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"scenario_id": [r[0] for r in rows], "label": [r[1] for r in rows]}, index=range(2, 2 + len(rows))
    )


@pytest.mark.parametrize("scenario_id", scenario_runs.GENERATED_STEMS)
def test_a_case_named_like_a_generated_page_stops_make_scenarios(scenario_id):
    problems = scenario_runs.case_name_problems(case_frame([("bear", "Bear"), (scenario_id, "Odd")]))
    assert len(problems) == 1 and problems[0].startswith(f"scenarios.csv:3: column 'scenario_id' = '{scenario_id}'")


def test_two_cases_with_one_label_stop_make_scenarios():
    problems = scenario_runs.case_name_problems(case_frame([("bear", "Bear"), ("bull", "bear "), ("base", "Base")]))
    assert problems == [
        "scenarios.csv:3: column 'label' = 'bear ': another case (line 2) has this label; each case needs a label of "
        "its own"
    ]


def test_the_summary_links_every_case_even_when_labels_repeat(tmp_path):
    """H5: links were keyed by label, so two cases sharing one lost a link; they are listed by id now."""
    rows = [["", "Same", "Same"], ["listing value", "$1T", "$2T"]]
    _, page = scenario_runs.write_summary(rows, tmp_path, [("Same", "bear.html"), ("Same", "bull.html")])
    text = page.read_text(encoding="utf-8")
    assert 'href="bear.html"' in text and 'href="bull.html"' in text


@pytest.mark.parametrize(
    "label", ["Bull | Bear", "<b>bold</b>", "[x](https://evil.example)", "https://evil.example", "a\nb", "`code`"]
)
def test_summary_md_prints_labels_as_text_in_their_own_column(tmp_path, label):
    """M12: a '|' in a label shifted every column of summary.md; raw HTML passed into it."""
    rows = [["", label, "Base"], ["money multiple", "1.50x", "2.00x"]]
    md, _ = scenario_runs.write_summary(rows, tmp_path)
    table = [line for line in md.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    rendered = markdown2html_mistune("\n".join(table))
    assert len(re.findall(r"<th[ >]", rendered)) == 3 and len(re.findall(r"<td[ >]", rendered)) == 3, rendered
    assert "<td>1.50x</td>" in rendered.replace(' style="text-align:left"', "")
    assert "<b>" not in rendered and "<a " not in rendered and "<code>" not in rendered, rendered


@pytest.mark.parametrize(
    "cell, risky",
    [
        ("=1+1", True),
        ("x;=1+1", True),
        ("note, +cmd|' /C calc'!A0", True),
        ("a|@SUM(A1)", True),
        ("text\t=1", True),
        ("one; two", False),
        ("-5", False),
        ("S01;S02", False),
        ("pre-money, then post-money", False),
        ("2025-2029", False),
        ("about $10B; -2.5 points", True),  # a spreadsheet splitting at ';' reads '-2.5 points' as a formula
    ],
)
def test_csv_neutralisation_checks_every_piece_a_spreadsheet_may_split_off(cell, risky):
    """M13: a spreadsheet splitting on ';' saw '=1+1' in 'x;=1+1' as a formula cell."""
    assert downloads.neutralise_cell(cell) == ("'" + cell if risky else cell)


# === 4. environment ===================================================================================================


def test_bootstrap_parses_on_pythons_it_refuses():
    """M9: tools/bootstrap.py must reach its one-line refusal on 2.7 and 3.6, so it uses no syntax they lack."""
    tree = ast.parse((data.ROOT / "tools" / "bootstrap.py").read_text(encoding="utf-8"))
    newer = [
        type(node).__name__
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr | ast.AnnAssign | ast.NamedExpr | ast.AsyncFunctionDef)
        or (isinstance(node, ast.arg) and node.annotation is not None)
        or (isinstance(node, ast.FunctionDef) and node.returns is not None)
        or (isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.names[0].name == "annotations")
        or (isinstance(node, ast.List | ast.Tuple | ast.Set) and any(isinstance(e, ast.Starred) for e in node.elts))
    ]
    assert newer == [], newer
    assert "print_function" in (data.ROOT / "tools" / "bootstrap.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("canvas", ["svg", "pdf", "ps"])
def test_charts_measure_text_on_any_canvas(canvas):
    """M7: MPLBACKEND=svg (or pdf, ps) gives canvases without get_renderer; wrapping and placing text still work."""
    import importlib

    from matplotlib.figure import Figure

    from helpers.charts import _placement, frame

    backend = importlib.import_module(f"matplotlib.backends.backend_{canvas}")
    fig = Figure(figsize=(4, 3))
    backend.FigureCanvas(fig)
    assert not hasattr(fig.canvas, "get_renderer")
    wrapped = frame.wrap_to_width(fig, "a title long enough to need wrapping at this small width " * 2, 12)
    assert "\n" in wrapped
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    _placement.place_labels(ax, [(1, 1, "a label at the end of the line")])
    _placement.make_room_right(ax)


# === 5. faults ========================================================================================================


def one_notebook_report(notebook: Path, out: Path, capsys) -> tuple[int, str]:
    code = report.main(["--out", str(out), str(notebook)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda p: p.write_text('{"cells": [', encoding="utf-8"), "not a valid notebook"),
        (lambda p: p.write_text("", encoding="utf-8"), "not a valid notebook"),
        (lambda p: p.write_text('{"cells": 3}', encoding="utf-8"), "not a valid notebook"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00"), "not a valid notebook"),
        (lambda p: p.mkdir(), "is a folder, not a notebook file"),
        (lambda p: None, "no such notebook file"),
    ],
    ids=["truncated", "empty", "invalid", "binary", "folder", "missing"],
)
def test_a_broken_notebook_file_ends_in_one_line(tmp_path, capsys, damage, words):
    """M2: a truncated, invalid, missing or folder notebook once ended in a traceback."""
    notebook = tmp_path / "01-broken.ipynb"
    damage(notebook)
    code, err = one_notebook_report(notebook, tmp_path / "report", capsys)
    assert code == 1 and "Traceback" not in err, err
    assert f"{notebook}: {words}" in err and len(err.strip().splitlines()) <= 3, err


def test_an_output_folder_under_a_file_ends_in_a_few_lines(tmp_path, capsys):
    blocker = tmp_path / "build"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    code = report.main(["--no-run", "--out", str(blocker / "report"), str(report.NOTEBOOKS_DIR / "01-ledger.ipynb")])
    err = capsys.readouterr().err
    # refused before anything is written: the folder is named with why it cannot be written (issue 23, second run)
    assert code == 2 and "Traceback" not in err and "cannot be written (" in err and "is a file, not a folder" in err, (
        err
    )
    assert len(err.strip().splitlines()) == 1, err


def test_a_disk_full_copy_error_is_one_short_line(tmp_path, capsys, monkeypatch):
    """M2: shutil.Error from a full disk once printed a line of more than 20 kB."""
    failures = [(f"/src/{i}.js", f"/dst/{i}.js", "[Errno 28] No space left on device") for i in range(500)]

    def full(*args, **kwargs):
        raise shutil.Error(failures)

    monkeypatch.setattr(report.shutil, "copyfile", full)
    code = report.main(["--no-run", "--out", str(tmp_path / "r"), str(report.NOTEBOOKS_DIR / "01-ledger.ipynb")])
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and "and 499 more files" in err, err
    assert len(err) < 1_000 and "Traceback" not in err, err


def test_a_traceback_is_shown_when_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv(commands.TRACEBACK_ENV, "1")
    monkeypatch.setattr(report.shutil, "copyfile", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "disk full")))
    with pytest.raises(OSError):
        report.main(["--no-run", "--out", str(tmp_path / "r"), str(report.NOTEBOOKS_DIR / "01-ledger.ipynb")])


def test_bad_data_stops_make_scenarios_in_a_few_lines(capsys, monkeypatch):
    problem = Problem("figures.csv", 9, "subject", "Micr\u043esoft", "a rule")

    def broken():
        raise data.LedgerError([problem])

    monkeypatch.setattr(scenario_runs, "load_ledger", broken)
    assert scenario_runs.main(["--out", "build/scenarios-test-unused"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3, err
    assert "make check" in err and str(problem) in err


def test_an_interrupt_that_a_library_swallowed_still_stops_the_command(capsys):
    """M3: a Ctrl-C lost inside nbclient's kernel shutdown let `make report` carry on; it is counted and acted on."""

    def body() -> int:
        commands._Interrupts.count += 1  # what the handler records before a library swallows the KeyboardInterrupt
        return 0

    try:
        assert commands.run_command("make report", body) == 130
    finally:
        commands._Interrupts.count = 0
        import signal

        signal.signal(signal.SIGINT, signal.default_int_handler)
    err = capsys.readouterr().err
    assert "make report interrupted (Ctrl-C)" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "environ, seconds", [({}, 180), ({"REPORT_CELL_TIMEOUT": "5"}, 5), ({"REPORT_CELL_TIMEOUT": "x"}, 180)]
)
def test_the_cell_timeout_is_bounded_and_can_be_set(environ, seconds):
    """M10: a looping cell hung `make report` silently for 10 minutes; the per-cell limit is 3 minutes by default."""
    assert commands.cell_timeout(environ) == seconds


def test_unicode_names_in_the_messages_exist():
    """The character names the tests expect are Python's own (unicodedata), not typed by hand."""
    for _, _value, words in KEY_CASES:
        if "U+" in words:
            code = words.split("U+", 1)[1].split()[0]
            assert unicodedata.name(chr(int(code, 16))) in words


@pytest.mark.parametrize(
    "content, rule",
    [
        (b"figure_id,reported_on\r,date_precision\nF001,2025-01-01,day\n", "bare CR character"),
        (b"figure_id,note\rF001,caf\xe9\r", "file is not UTF-8"),
        (bytes(range(1, 256)) * 8, "file is not UTF-8"),
    ],
    ids=["cr-in-header", "old-mac-latin-1", "binary"],
)
def test_a_cr_or_binary_header_gives_one_line_not_a_traceback(data_copy, content, rule):
    """Issue 23 run 2: these ended in `_csv.Error: new-line character seen in unquoted field` from read.py."""
    (data_copy / "figures.csv").write_bytes(content)
    message = refused(data_copy)
    assert message.startswith("1 problem in the ledger:\nfigures.csv:") and rule in message, message


@pytest.mark.parametrize("file, column", [("scenarios.csv", "scenario_id"), ("figures.csv", "event")])
def test_a_slug_too_long_for_a_file_name_is_refused_by_the_check(data_copy, file, column):
    """Issue 23 run 2: a 252-character scenario_id passed make check, then make scenarios hit 'File name too long'."""
    path = data_copy / file
    set_cell(path, 2, column, "a" * 252)
    message = refused(data_copy)
    assert f"{file}:2: column '{column}' = '{'a' * 60}... (252 characters)': must be at most 60 characters" in message


@pytest.mark.parametrize(
    "value, problem",
    [
        (99999999999999999999999, "must be at most 4294967295"),
        (2**32, "must be at most 4294967295"),
        (-1, "must be at least 0"),
        (5.0, "must be a whole number written without a decimal point"),
        (True, "must be a number"),
    ],
)
def test_an_integer_parameter_is_never_rounded_through_float(value, problem):
    """Issue 23 run 2: SEED = 99999999999999999999999 was silently changed through float; now refused, never changed."""
    seed = next(s for s in montecarlo.parameter_specs() if s.name == "SEED")
    assert parameters.coerce(seed, value) == (None, problem)
    exact = 2**32 - 1
    checked, _ = parameters.coerce(seed, exact)
    assert checked == exact and type(checked) is int


@pytest.mark.parametrize("period", ["0000", "2030-2025", "1999", "2101"])
def test_a_period_of_implausible_or_reversed_years_is_refused(data_copy, period):
    """Issue 23 run 2: period '0000' and a reversed range '2030-2025' passed the check."""
    path = data_copy / "figures.csv"
    set_cell(path, 2, "period", period)
    message = refused(data_copy)
    assert f"figures.csv:2: column 'period' = '{period}': years must lie from 2015 to 2100" in message, message


def test_an_int_beyond_a_float_is_refused_not_a_traceback():
    """Issue 23 run 2: a number parameter given 10**400 raised OverflowError inside float()."""
    assert parameters.coerce(SPECS[0], 10**400) == (None, "must be a finite number")


def test_two_spellings_of_one_figure_number_are_refused(data_copy):
    """Issue 23 run 2: F001 next to F0001 passed the check though a reader would take them for one figure."""
    path = data_copy / "figures.csv"
    first = read_rows(path)[1][0]
    set_cell(path, 3, "figure_id", "F0" + first[1:])
    message = refused(data_copy)
    assert f"figures.csv:3: column 'figure_id' = 'F0{first[1:]}': names the same number as another" in message, message


# --- issue 23, run 3: numbers, addresses and headers that were accepted -------------------------------------------

EXACTNESS_CASES = [
    ("figures.csv", {"figure_id": "F009"}, "value", "-0", "is minus zero: write 0"),
    ("figures.csv", {"figure_id": "F009"}, "value", "-0.000", "is minus zero: write 0"),
    ("figures.csv", {"figure_id": "F009"}, "start_year", "-0", "is minus zero: write 0"),
    ("scenarios.csv", {"scenario_id": "bear"}, "valuation_usd_bn", "-0.0", "is minus zero: write 0"),
    # one float apart from the bound it must equal, or lie within: both were read as the same number
    ("figures.csv", {"figure_id": "F142"}, "value", "280.0000000000000001", "more than 15 significant digits"),
    ("figures.csv", {"figure_id": "F155"}, "value", "1000.00000000000001", "more than 15 significant digits"),
    ("figures.csv", {"figure_id": "F155"}, "low", "852.0000000000000000001", "more than 15 significant digits"),
]


@pytest.mark.parametrize(
    "file, selector, column, value, words", EXACTNESS_CASES, ids=[f"{c[0]}-{c[2]}={c[3]}" for c in EXACTNESS_CASES]
)
def test_minus_zero_and_numbers_a_float_cannot_hold_are_refused(data_copy, file, selector, column, value, words):
    """Issue 23 run 3: '-0' passed as an amount, and 280.0000000000000001 passed as equal to its bound of 280."""
    path = data_copy / file
    line = line_of(path, **selector)
    set_cell(path, line, column, value)
    message = refused(data_copy)
    assert f"{file}:{line}: column '{column}' = '{value}': {words}" in message or (
        f"{file}:{line}: column '{column}' = '{value}'" in message and words in message
    ), message


@pytest.mark.parametrize("value", ["1", "0.001", "1234.56789012345", "00001.5", "1.50000000000000000000"])
def test_numbers_within_the_digit_limit_still_load(data_copy, value):
    """The digit rule counts significant digits: leading zeros and trailing decimal zeros are free."""
    path = data_copy / "figures.csv"
    set_cell(path, line_of(path, figure_id="F009"), "value", value)
    assert load(data_copy).figures.set_index("figure_id").at["F009", "value"] == float(value)


@pytest.mark.parametrize(
    "url", ["https:///x", "https://", "http://localhost/x", "https://.example.com/", "https://example.com:99999999/"]
)
def test_an_address_without_a_host_is_refused(data_copy, url):
    """Issue 23 run 3: 'https:///x' matched https?://\\S+ and was shown as a source's link."""
    path = data_copy / "sources.csv"
    set_cell(path, 2, "url", url)
    message = refused(data_copy)
    assert f"sources.csv:2: column 'url' = '{url}': must be a web address with a host name" in message, message


@pytest.mark.parametrize("file", ["figures.csv", "sources.csv", "scenarios.csv"])
def test_a_quoted_column_name_in_the_header_is_refused(data_copy, file):
    """Issue 23 run 3: a header cell written "figure_id" was silently unquoted and accepted."""
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    first = text.split(",", 1)[0]
    path.write_text(f'"{first}"' + text[len(first) :], encoding="utf-8")
    result = check_cli(data_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{file}:1: column '{first}' = '\"{first}\"': a column name in the header is written bare" in (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stderr


# --- issue 23, run 3: markdown marks in data text ------------------------------------------------------------------

MARKDOWN_PAYLOADS = [
    "AWS *cloud* _deal_",
    "AWS ~~gone~~ `code`",
    "AWS \\<b>bold</b> \\*x\\*",
    "# AWS heading",
    "1. AWS first",
    "- AWS bullet",
    "+ AWS bullet",
    "**AWS** [x](https://e.example)",
    "AWS | a | b |",
    "AWS __strong__ \\",
]
# what any of them would become if markdown read it as markup
MARKUP_TAGS = ("<em", "<strong>AWS", "<del", "<s>", "<code", "<h1", "<h2", "<ol", "<li><p>AWS", "<b>", "<table", "<a ")


def rendered_text(markdown: str) -> str:
    """What a reader sees of rendered markdown: the HTML's text, tags dropped and entities decoded."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", markdown2html_mistune(markdown))).strip()


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_escape_prints_markdown_marks_as_typed(payload):
    """Issue 23 run 3: a backslash before '<', '*', '_', '~', backticks, '#', list starts rendered as markup."""
    markdown = prose.escape(payload)
    html_out = markdown2html_mistune(markdown)
    assert not any(tag in html_out for tag in MARKUP_TAGS), html_out
    assert rendered_text(markdown) == payload, html_out
    assert prose.plain(markdown) == payload


def test_md_keeps_the_prose_marks_and_escapes_everything_else():
    """The prose helpers' own '**bold**' and '- ' bullets still render; a '*' or '_' around them does not."""
    html_out = markdown2html_mistune(prose.md("- **Bold** and *not* _this_\n- 2. and `that`").data)
    assert html_out.count("<li>") == 2 and "<strong>Bold</strong>" in html_out, html_out
    assert "<em" not in html_out and "<code" not in html_out and "<ol" not in html_out, html_out


def deal_prose(folder: Path, deal_name: str) -> list[str]:
    """01's status history ('**deal**: ...') and 03's schedule list ('- deal: ...') of the AWS deal, named `deal_name`."""
    from helpers.analysis import compute
    from helpers.analysis import ledger as ledger_words

    path = folder / "figures.csv"
    rows = read_rows(path)
    event, deal = rows[0].index("event"), rows[0].index("deal")
    for row in rows[1:]:
        if row[event] == "aws-2025":
            row[deal] = deal_name
    write_rows(path, rows)
    book = load(folder)
    deals = compute.commitments(book.figures, include_lapsed=False)
    firm = deals[deals["status"].isin(vocabulary.FIRM_STATUSES)]
    return [ledger_words.history_sentence(book.figures, "aws-2025"), compute.timing_sentence(firm, 7, 1)]


def tags(markdown: str) -> list[str]:
    return re.findall(r"<[a-z0-9]+", markdown2html_mistune(markdown))


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_a_hostile_deal_name_prints_as_typed_in_the_notebooks_prose(data_copy, payload):
    """Issue 23 run 3, with a hostile ledger: the deal name adds no tag to the prose and prints exactly as typed."""
    plain_sentences = deal_prose(data_copy, "AWS plain deal")
    for sentence, plain in zip(deal_prose(data_copy, payload), plain_sentences, strict=True):
        assert payload in sentence  # the payload does reach the sentence
        markdown = prose.md(sentence).data
        assert tags(markdown) == tags(prose.md(plain).data), markdown2html_mistune(markdown)
        assert payload in rendered_text(markdown), markdown2html_mistune(markdown)
