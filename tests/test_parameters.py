"""Checked notebook parameters: unit tests of helpers/notebook/parameters.py and the specs of 01-03, then papermill
runs (one per notebook, into tmp_path, with cwd notebooks/) showing mistyped parameters stop with a short message."""

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers import data
from helpers.analysis import compute, funding, ledger
from helpers.data import ROOT
from helpers.notebook.parameters import ParameterError, Spec, check, coerce

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

COMPUTE_DEFAULTS = {"ASSUMED_TERM_YEARS": 5, "ASSUMED_START_DELAY_YEARS": 1, "INCLUDE_PRESS_REPORTS": True}


# --- helpers/notebook/parameters.py --------------------------------------------------------------------


def test_an_undeclared_name_is_named_with_the_declared_ones():
    with pytest.raises(ParameterError) as caught:
        check({**COMPUTE_DEFAULTS, "YEARS_TO_LISTNG": 5}, compute.parameter_specs())
    message = str(caught.value)
    assert "YEARS_TO_LISTNG: not a parameter of this notebook" in message
    assert "declared: ASSUMED_TERM_YEARS, ASSUMED_START_DELAY_YEARS, INCLUDE_PRESS_REPORTS" in message


@pytest.mark.parametrize(
    "given, meant", [("false", False), ("False", False), ("0", False), ("true", True), ("1", True), (0, False)]
)
def test_a_boolean_written_as_text_means_what_it_says(given, meant):
    checked = check({**COMPUTE_DEFAULTS, "INCLUDE_PRESS_REPORTS": given}, compute.parameter_specs())
    assert checked["INCLUDE_PRESS_REPORTS"] is meant


def test_a_boolean_that_is_neither_is_refused():
    assert coerce(Spec("FLAG", "bool"), "maybe") == (None, "must be True or False (or 'true', 'false', 1, 0)")


@pytest.mark.parametrize(
    "name, value, why",
    [
        ("ASSUMED_TERM_YEARS", 2.5, "must be a whole number"),
        ("ASSUMED_TERM_YEARS", 0, "must be at least 1"),
        ("ASSUMED_TERM_YEARS", float("nan"), "must be a finite number"),
        ("ASSUMED_START_DELAY_YEARS", -100, "must be at least 0"),
        ("ASSUMED_START_DELAY_YEARS", "1", "must be a (whole )?number written like"),
    ],
)
def test_compute_numbers_are_checked(name, value, why):
    with pytest.raises(ParameterError, match=f"{name} = .*: {why}"):
        check({**COMPUTE_DEFAULTS, name: value}, compute.parameter_specs())


def test_every_problem_is_listed_at_once():
    with pytest.raises(ParameterError) as caught:
        check(
            {**COMPUTE_DEFAULTS, "ASSUMED_TERM_YEARS": 2.5, "ASSUMED_START_DELAY_YEARS": -100},
            compute.parameter_specs(),
        )
    assert "ASSUMED_TERM_YEARS = 2.5" in str(caught.value) and "ASSUMED_START_DELAY_YEARS = -100" in str(caught.value)


def test_a_missing_parameter_is_named():
    with pytest.raises(ParameterError, match="INCLUDE_PRESS_REPORTS: missing from the Assumptions cell"):
        check({"ASSUMED_TERM_YEARS": 5, "ASSUMED_START_DELAY_YEARS": 1}, compute.parameter_specs())


@pytest.mark.parametrize(
    "value, why",
    [
        (["announced", "closd"], "'closd' not known"),
        (["announced", "announced"], "lists a value twice"),
        ([], "must be a non-empty list"),
        (["closed", "superseded"], "superseded money is not firm"),
    ],
)
def test_count_as_firm_takes_known_live_statuses(value, why):
    with pytest.raises(ParameterError, match=why):
        check({"COUNT_AS_FIRM": value}, funding.parameter_specs())


def test_count_as_firm_accepts_the_default_and_returns_a_list():
    assert check({"COUNT_AS_FIRM": ("announced", "closed")}, funding.parameter_specs()) == {
        "COUNT_AS_FIRM": ["announced", "closed"]
    }


def test_ledger_events_must_be_in_the_ledger():
    specs = ledger.parameter_specs(data.load_ledger())
    good = {"STORY_EVENT": "amazon-investment"}
    assert check(good, specs) == good
    with pytest.raises(ParameterError, match="STORY_EVENT = 'amazon-investmnt': must be one of"):
        check({**good, "STORY_EVENT": "amazon-investmnt"}, specs)
    # an event with no reported amount has no story to tell
    with pytest.raises(ParameterError, match="STORY_EVENT = 'compute-history'"):
        check({**good, "STORY_EVENT": "compute-history"}, specs)


def test_the_papermill_message_is_one_line_not_a_traceback():
    error = ParameterError("check the Assumptions cell:\n  X: bad")
    assert error._render_traceback_() == ["ParameterError: check the Assumptions cell:\n  X: bad"]


# --- papermill: one run per case, on the fastest notebook that shows it --------------------------


def run(notebook: str, parameters: dict, output: Path) -> dict:
    papermill.execute_notebook(
        str(NOTEBOOKS / notebook),
        str(output),
        parameters=parameters,
        cwd=str(NOTEBOOKS),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    return json.loads(output.read_text())


def failed_run(notebook: str, parameters: dict, tmp_path: Path) -> tuple[str, list[str]]:
    """The error papermill raised, and the traceback lines the notebook shows."""
    output = tmp_path / notebook
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        run(notebook, parameters, output)
    assert caught.value.ename == "ParameterError"
    cells = json.loads(output.read_text())["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert len(errors) == 1
    return caught.value.evalue, errors[0]["traceback"]


# One run per notebook, each combining an undeclared name with bad values: the message lists every problem, so one
# kernel shows the wiring (checked in the cell after `parameters`, a short error); every rule is tested above in-process.
REFUSED_RUNS = {
    "01-ledger.ipynb": (
        {"STORY_EVENTS": "amazon", "STORY_EVENT": "amazon"},
        ["STORY_EVENTS: not a parameter of this notebook", "STORY_EVENT = 'amazon': must be one of"],
    ),
    "02-funding.ipynb": (
        {"YEARS_TO_LISTNG": 5, "COUNT_AS_FIRM": ["closed", "done"]},
        ["YEARS_TO_LISTNG: not a parameter of this notebook; declared: COUNT_AS_FIRM", "'done' not known"],
    ),
    "03-compute-commitments.ipynb": (
        {"ASSUMED_TERM_YEAR": 5, "ASSUMED_TERM_YEARS": 2.5, "ASSUMED_START_DELAY_YEARS": -100},
        [
            "ASSUMED_TERM_YEAR: not a parameter of this notebook",
            "ASSUMED_TERM_YEARS = 2.5: must be a whole number",
            "ASSUMED_START_DELAY_YEARS = -100: must be at least 0",
        ],
    ),
}


@pytest.mark.parametrize("notebook", REFUSED_RUNS)
def test_a_mistyped_parameter_stops_papermill_with_a_short_message(notebook, tmp_path):
    parameters, expected = REFUSED_RUNS[notebook]
    message, traceback = failed_run(notebook, parameters, tmp_path)
    for words in expected:
        assert words in message, message
    assert len(traceback) == 1 and "File " not in traceback[0]


def test_include_press_reports_false_from_the_command_line_means_false(tmp_path):
    # papermill's -p passes the word as the string "false", which Python would treat as true
    cells = run("03-compute-commitments.ipynb", {"INCLUDE_PRESS_REPORTS": "false"}, tmp_path / "03.ipynb")["cells"]
    timing = next(c for c in cells if "compute.timing_sentence" in "".join(c["source"]))
    text = "".join(timing["outputs"][0]["data"]["text/markdown"])
    assert "Azure cloud contract (Oct 2025)" in text
    assert "Oracle" not in text and "CoreWeave" not in text  # press-reported deals left out


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_papermill_reads_a_type_and_a_help_for_every_parameter(notebook):
    """`papermill --help-notebook` shows each parameter's type, plain default and comment (one line each)."""
    from papermill.translators import PythonTranslator

    cell = next(c for c in nbformat.read(notebook, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    inferred = PythonTranslator.inspect(cell)
    declared = [line.split(":")[0] for line in cell.source.splitlines() if line[:1].isupper()]
    assert [p.name for p in inferred] == declared
    for parameter in inferred:
        assert parameter.inferred_type_name in ("int", "float", "bool", "str", "list[str]"), parameter
        assert not parameter.default.startswith("("), f"{parameter.name}: a wrapped line hides its help"
