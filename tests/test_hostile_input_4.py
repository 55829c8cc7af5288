"""Findings of the fourth adversarial run (issue 23, robustfix4), and cases of our own: each failed before its fix."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import matplotlib
import nbformat
import pytest

from helpers import data
from helpers.analysis import listing_odds
from helpers.build import commands, report
from helpers.charts import frame, legibility
from helpers.charts import listing_odds as odds_charts
from helpers.data import vocabulary
from helpers.notebook import parameters
from tests.conftest import read_rows, write_rows
from tests.test_charts import notebook_parameters
from tests.test_hostile_input import line_of, load, refused

LEDGER = report.NOTEBOOKS_DIR / "01-ledger.ipynb"


# --- 1: a scenario label of any length the check allows fits 05's chart -------------------------------------------


def odds_chart_with_label(folder: Path, label: str) -> matplotlib.figure.Figure:
    """05's odds chart drawn in-process with the newest mark's label replaced, warnings raised as errors."""
    path = folder / "scenarios.csv"
    rows = read_rows(path)
    rows[line_of(path, scenario_id="round-2026-close") - 1][rows[0].index("label")] = label
    write_rows(path, rows)
    book = load(folder)
    checked = parameters.check(notebook_parameters("05-listing-odds"), listing_odds.parameter_specs())
    dists = listing_odds.distributions(checked)
    marks = listing_odds.marks(book.scenarios, book.figures)
    odds = listing_odds.summary(listing_odds.simulate(marks, listing_odds.draw(dists, 5_000, 1), checked["AS_OF"]), 0.1)
    frame.use_house_style()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constrained layout's "axes sizes collapsed to zero" stopped make report
        fig = odds_charts.odds_bands(marks, odds, book.sources, [], dists, checked["AS_OF"], 0.1)
        fig.canvas.draw()
    return fig


@pytest.mark.parametrize(
    "label",
    [
        "Round that closed in March 2026 after long talks",  # the finding: 48 characters
        ("Round that closed in March 2026 after long talks with lenders" * 2)[: vocabulary.LABEL_MAX_CHARS],
        "W" * vocabulary.LABEL_MAX_CHARS,  # one word: a wrap that never splits a word left it whole
        " ".join(["WWWWWWWWW"] * 6),
    ],
)
def test_a_label_of_the_longest_allowed_length_fits_the_odds_chart(data_copy, label):
    assert len(label) <= vocabulary.LABEL_MAX_CHARS
    fig = odds_chart_with_label(data_copy, label)
    try:
        ax = fig.axes[0]
        box = ax.get_position()
        assert box.width > 0.3 and box.height > 0.4, f"the bars' axes shrank to {box}"
        tick_labels = [t.get_text() for t in ax.get_yticklabels()]
        renderer = frame.renderer_of(fig)
        widest = max(t.get_window_extent(renderer).width for t in ax.get_yticklabels()) / fig.dpi
        assert widest <= odds_charts.LABEL_WIDTH_IN + 0.05, tick_labels
        assert not [p for p in legibility.legibility_problems(fig) if "overlap" in p], tick_labels
    finally:
        matplotlib.pyplot.close(fig)


def test_the_shipped_labels_are_not_rewrapped():
    """The wrap width leaves today's labels on the lines they had: the committed chart keeps its bytes."""
    fig, _ = frame.new_figure()
    line = "October 2024 round\n$157B, Oct 2024\nkeeps 74% after the March 2025 round and the 2026 round"
    assert odds_charts._fitted_label(fig, line) == line
    matplotlib.pyplot.close(fig)


# --- 4: a bare CR beside a quoted cell is named as the bare CR ------------------------------------------------------


@pytest.mark.parametrize("ending", [b"\r", b"\r\r\n"])
def test_a_bare_cr_after_a_quoted_cell_is_reported_as_a_bare_cr(data_copy, ending):
    path = data_copy / "figures.csv"
    raw = path.read_bytes()
    cut = raw.index(b"\nF002")
    path.write_bytes(raw[:cut] + ending + raw[cut + 1 :])
    message = refused(data_copy)
    assert "figures.csv:2: column 'note'" in message and "bare CR" in message, message
    assert "a quote closes in the middle" not in message, message
    assert "\\r" in message.splitlines()[1], "the shown value holds the CR, escaped"


def test_a_bare_cr_before_a_quoted_cell_is_reported_as_a_bare_cr(data_copy):
    path = data_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[2].split(",")
    cells[4] = f'{cells[4]}\r"x"'  # a CR in an unquoted cell, then a quote: read as a stray quote before
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    message = refused(data_copy)
    assert "figures.csv:3: column 'deal'" in message and "bare CR" in message, message


# --- 5: a row that cannot be read is not reported again as a missing row elsewhere --------------------------------


def _break_line(path: Path, line: int, how: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    if how == "quote":
        cells = lines[line - 1].split(",")
        cells[6] = cells[6][:3] + '"' + cells[6][3:]  # `Ama"zon` unquoted
        lines[line - 1] = ",".join(cells)
    elif how == "long":
        lines[line - 1] += ",extra"
    else:
        lines[line - 1] = lines[line - 1].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("how", ["quote", "long", "short"])
@pytest.mark.parametrize("figure_id", ["F001", "F003"])
def test_a_row_that_cannot_be_read_brings_no_follow_on_problems(data_copy, how, figure_id):
    """F003 is cited by scenarios.csv, and rows of conflict groups sit in the ledger: with the row dropped, the check
    said a conflict group had no used reading and a scenario's figure id was not in figures.csv."""
    path = data_copy / "figures.csv"
    line = line_of(path, figure_id=figure_id)
    _break_line(path, line, how)
    with pytest.raises(data.LedgerError) as caught:
        load(data_copy)
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems] == [("figures.csv", line)], str(caught.value)
    skipped = caught.value.skipped
    assert (
        skipped.startswith("Checks across rows and files were skipped for figures.csv (line ") and str(line) in skipped
    )
    assert len(skipped.splitlines()) == 1


def test_a_source_row_that_cannot_be_read_is_not_reported_as_a_missing_source(data_copy):
    path = data_copy / "sources.csv"
    _break_line(path, 2, "long")
    with pytest.raises(data.LedgerError) as caught:
        load(data_copy)
    assert [(p.file, p.line) for p in caught.value.problems] == [("sources.csv", 2)], str(caught.value)
    assert "sources.csv (line 2)" in caught.value.skipped


def test_a_scenario_row_that_cannot_be_read_is_not_reported_as_a_missing_required_row(data_copy):
    path = data_copy / "scenarios.csv"
    line = line_of(path, scenario_id="listing")
    _break_line(path, line, "short")
    with pytest.raises(data.LedgerError) as caught:
        load(data_copy)
    assert [(p.file, p.line) for p in caught.value.problems] == [("scenarios.csv", line)], str(caught.value)


def test_rules_a_missing_row_cannot_break_still_run(data_copy):
    """Skipping is only for rules a missing row would break: an id twice is still an id twice."""
    path = data_copy / "figures.csv"
    rows = read_rows(path)
    rows[5][0] = rows[4][0]  # line 6 takes line 5's id
    write_rows(path, rows)
    _break_line(path, 2, "long")
    message = refused(data_copy)
    assert "figures.csv:2:" in message and "must be unique; also on line" in message, message


def test_the_check_command_prints_the_skipped_checks_in_one_line(data_copy, capsys):
    _break_line(data_copy / "figures.csv", 2, "quote")
    files = [f"--{name}={data_copy / f'{name}.csv'}" for name in ("figures", "sources", "scenarios")]
    assert data.load.main(["check", *files]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "1 problem in the ledger:" and err[1].startswith("figures.csv:2: column 'subject'"), err
    assert len(err) == 3 and err[2].startswith("Checks across rows and files were skipped"), err


def test_a_clean_ledger_says_nothing_was_skipped():
    assert data.load.skipped_sentence({"figures.csv": (), "sources.csv": ()}) == ""


# --- 2 and 3: broken notebook files are named before anything is written --------------------------------------------


def _notebook_variants() -> dict[str, tuple[str, str]]:
    text = LEDGER.read_text(encoding="utf-8")
    notebook = json.loads(text)
    first = notebook["cells"][0]
    v3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell("1")])])
    return {
        "truncated": (text[:500], "line "),
        "empty": ("", "line 1, column 1"),
        "object": ("{}", "not a notebook"),
        "list": ("[]", "not a notebook"),
        "nbformat 3": (nbformat.v3.writes_json(v3), "nbformat 3"),
        "nbformat 3 label": (json.dumps({**notebook, "nbformat": 3}), "nbformat 3"),
        "nbformat 5": (json.dumps({**notebook, "nbformat": 5}), "nbformat 5"),
        "bogus cell type": (
            json.dumps({**notebook, "cells": [{**first, "cell_type": "bogus"}, *notebook["cells"][1:]]}),
            "cell 1 has cell_type 'bogus'",
        ),
        "one id twice": (
            json.dumps({**notebook, "cells": [first, *notebook["cells"]]}),
            f"cells 1 and 2 have the same id '{first['id']}'",
        ),
        "source of a number": (
            json.dumps({**notebook, "cells": [{**first, "source": 5}, *notebook["cells"][1:]]}),
            "at cells/0/source",
        ),
    }


@pytest.mark.parametrize("variant", list(_notebook_variants()))
def test_a_broken_notebook_is_named_in_one_line(tmp_path, variant):
    text, words = _notebook_variants()[variant]
    path = tmp_path / "broken.ipynb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(commands.NotebookFileError) as caught:
        commands.read_notebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a valid notebook (") and words in message, message
    assert len(message.splitlines()) == 1 and len(message) < 300, message


def test_a_broken_notebook_stops_the_report_before_any_notebook_runs(tmp_path, monkeypatch, capsys):
    """A broken second notebook stopped the build only after the first had been executed and written."""
    ran = []
    monkeypatch.setattr(report, "execute", lambda path, *a, **k: ran.append(path))
    broken = tmp_path / "broken.ipynb"
    broken.write_text(_notebook_variants()["bogus cell type"][0], encoding="utf-8")
    out = tmp_path / "report"
    assert report.main(["--out", str(out), str(LEDGER), str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.ipynb: not a valid notebook (cell 1 has cell_type 'bogus'" in err and "Traceback" not in err
    assert ran == [] and not out.exists()


# --- 6: a refused --out is repeated as given and as resolved --------------------------------------------------------


def test_a_refused_out_path_is_shown_as_given_and_resolved(capsys):
    given = data.ROOT / "build" / ".."
    assert report.main(["--no-run", "--out", str(given), str(LEDGER)]) == 2
    err = capsys.readouterr().err
    assert f"{given} (that is {data.ROOT}): is the repository" in err, err
    assert commands.output_problem(data.ROOT).startswith(f"{data.ROOT}: is the repository")


# --- 7: a report built elsewhere leaves the README's picture alone ---------------------------------------------------


@pytest.mark.parametrize("default", [True, False])
def test_only_the_default_report_refreshes_the_readme_picture(tmp_path, monkeypatch, default):
    picture = tmp_path / "docs" / "valuation-marks.png"
    picture.parent.mkdir()
    picture.write_bytes(b"committed")
    monkeypatch.setattr(report, "README_CHART", (report.README_CHART[0], picture))
    monkeypatch.setattr(report, "REPORT_DIR", tmp_path / "default")

    def built(stage: Path, run: bool, notebooks: object) -> None:
        (stage / "figures").mkdir(parents=True)
        (stage / "figures" / report.README_CHART[0]).write_bytes(b"new")
        commands.write_report_marker(stage, [])

    monkeypatch.setattr(report, "_build_into", built)
    out = tmp_path / ("default" if default else "elsewhere")
    report._build(out, run=True, notebooks=None)
    assert picture.read_bytes() == (b"new" if default else b"committed")


def test_the_readme_says_which_build_refreshes_its_picture():
    text = (data.ROOT / "README.md").read_text(encoding="utf-8")
    assert "refreshes the README's picture" in text and "--out DIR` leaves it as committed" in text


# --- cases of our own (robustfix4) ------------------------------------------------------------------------------------


def test_a_bare_cr_that_ends_the_file_is_refused(data_copy):
    """A CR with no LF after it at the very end was taken for half a CR LF and the file passed."""
    path = data_copy / "scenarios.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n") + b"\r")
    last = path.read_bytes().count(b"\n") + 1
    message = refused(data_copy)
    assert f"scenarios.csv:{last}: column 'note'" in message and "bare CR" in message, message


def test_a_quote_closed_mid_cell_is_shown_as_written(data_copy):
    """The message showed `ab` for `"a"b`: the quotes, which are the fault, were gone."""
    path = data_copy / "sources.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[1] = '"Reu"ters'
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    message = refused(data_copy)
    assert "sources.csv:2: column 'outlet_read' = '\"Reu\"ters': a quote closes" in message, message


@pytest.mark.parametrize(
    "out, words",
    [
        ("~/report", "starts with '~'"),  # quoted, the shell left it: a folder named '~' was made in the repository
        ("/tmp/new\nline", "holds a line break"),  # printed on two lines, and accepted
    ],
)
def test_a_careless_out_path_is_refused_in_one_line(out, words, capsys):
    assert report.main(["--no-run", "--out", out, str(LEDGER)]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1, err
    assert not (data.ROOT / "~").exists()
