"""Findings left open after the second adversarial run, and the third (issue 23, robustfix3): each failed before its fix."""

from __future__ import annotations

import ast
import datetime
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import cli
from helpers.analysis import scenarios as scenario_analysis
from helpers.build import commands, report, run_notebook, scenario_runs
from helpers.data import load_ledger
from helpers.data.load import ROOT
from helpers.notebook import parameters

LEDGER = report.NOTEBOOKS_DIR / "01-ledger.ipynb"


def no_run_report(out: Path, notebook: Path = LEDGER) -> int:
    return report.main(["--no-run", "--out", str(out), str(notebook)])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staging or swapped-out siblings a build left beside `folder`."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


# --- 1: a failed or interrupted build leaves the previous report whole ----------------------------------------------


@pytest.mark.parametrize("fault", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_build_that_fails_half_way_leaves_the_previous_report_whole(fault, tmp_path, monkeypatch, capsys):
    """It removed the previous build's charts, then wrote pages one by one: a failure left two builds mixed."""
    out = tmp_path / "report"
    assert no_run_report(out) == 0
    before = snapshot(out)

    def broken(*args: object, **kwargs: object) -> None:
        (args[0] / "ledger.html").write_text("half", encoding="utf-8")  # the new build has written some pages
        raise fault

    monkeypatch.setattr(report, "write_ledger_page", broken)
    code = no_run_report(out)
    assert code == (130 if isinstance(fault, KeyboardInterrupt) else 1)
    assert snapshot(out) == before
    assert leftovers(out) == []
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2, err


def test_a_finished_build_replaces_the_report_whole_and_keeps_a_reader_s_own_files(tmp_path, capsys):
    out = tmp_path / "report"
    assert no_run_report(out) == 0
    listed = commands.marker_files(out)
    assert "index.html" in listed and "ledger.html" in listed and "data/figures.csv" in listed
    assert set(listed) == set(commands.all_files(out)) - {commands.REPORT_MARKER}
    (out / "notes").mkdir()
    (out / "notes" / "mine.txt").write_bytes(b"mine\n")
    (out / "figures" / "01-ledger--gone.png").write_bytes(b"a chart the next build does not write\n")
    marker = (out / commands.REPORT_MARKER).read_text(encoding="utf-8")
    (out / commands.REPORT_MARKER).write_text(marker + "figures/01-ledger--gone.png\n", encoding="utf-8")
    assert no_run_report(out) == 0
    assert (out / "notes" / "mine.txt").read_bytes() == b"mine\n"  # never built, so never removed
    assert not (out / "figures" / "01-ledger--gone.png").exists()  # built before, not now: gone
    assert leftovers(out) == []


def test_the_swap_holds_a_ctrl_c_back_until_the_report_is_in_place(tmp_path, monkeypatch):
    monkeypatch.setattr(commands._Interrupts, "count", 0)  # a command's counting handler may be in place: reset after
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    stage, final = tmp_path / "stage", tmp_path / "final"
    stage.mkdir()
    (stage / "index.html").write_text("new", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), commands.signals_held():
        signal.raise_signal(signal.SIGINT)  # held: delivered when the block ends
        commands.swap_in(stage, final)
        assert (final / "index.html").read_text(encoding="utf-8") == "new"
    assert (final / "index.html").is_file() and not stage.exists()
    signal.signal(signal.SIGINT, previous)


def test_leads_are_written_atomically_and_read_with_the_one_line_error():
    source = (ROOT / "helpers" / "build" / "leads.py").read_text(encoding="utf-8")
    assert "write_atomic(path" in source and "read_notebook(path)" in source and ".write_text(" not in source


# --- 2: a broken notebook file is named in one line, with where it breaks --------------------------------------------


def broken_copy(folder: Path, name: str = "04-valuation-scenarios.ipynb") -> Path:
    text = (report.NOTEBOOKS_DIR / name).read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace('"cells": [', '"cells": [,', 1), encoding="utf-8")
    return path


def test_a_broken_notebook_names_file_line_column_and_the_fix(tmp_path):
    path = broken_copy(tmp_path)
    with pytest.raises(commands.NotebookFileError) as caught:
        commands.read_notebook(path)
    assert str(caught.value) == (
        f"{path}: not a valid notebook (line 2, column 12: Expecting value); restore it from your copy"
    )


def test_a_tracked_notebook_says_git_checkout(monkeypatch):
    path = report.NOTEBOOKS_DIR / "04-valuation-scenarios.ipynb"
    monkeypatch.setattr(commands, "notebook_problem", lambda p: (None, "line 3, column 1: Expecting value"))
    with pytest.raises(commands.NotebookFileError) as caught:
        commands.read_notebook(path)
    name = "notebooks/04-valuation-scenarios.ipynb"
    assert str(caught.value) == (
        f"{name}: not a valid notebook (line 3, column 1: Expecting value); restore it with git checkout -- {name}"
    )


@pytest.mark.parametrize(
    "content, why",
    [
        (b"", "line 1, column 1: Expecting value"),
        (b'{"cells": []', "line 1, column 13: Expecting ',' delimiter"),
        (b'{\n "a": "\xff"}', "line 2, column 8: byte 0xff is not UTF-8 text"),
        (b"[1, 2]", "the JSON has no 'nbformat' and 'cells' at its top: it is not a notebook"),
        (
            b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "x"}]}',
            "cell 1 has cell_type 'x'",
        ),
    ],
)
def test_every_kind_of_damage_is_one_line(content, why, tmp_path):
    path = tmp_path / "07-x.ipynb"
    path.write_bytes(content)
    with pytest.raises(commands.NotebookFileError) as caught:
        commands.read_notebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a valid notebook ({why}") and "\n" not in message, message


def test_make_report_stops_on_a_broken_notebook_in_one_line(tmp_path, capsys):
    path = broken_copy(tmp_path)
    assert no_run_report(tmp_path / "report", path) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"make report stopped: {path}: not a valid notebook (line 2, column 12: Expecting value); " + (
        "restore it from your copy"
    )


def test_make_scenarios_stops_on_a_broken_notebook_before_any_case_runs(tmp_path, capsys):
    path = broken_copy(tmp_path)
    assert scenario_runs.main(["--notebook", str(path), "--out", str(tmp_path / "runs")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"make scenarios stopped: {path}: not a valid notebook (line 2, column 12") and (
        len(err.splitlines()) == 1
    ), err
    assert not (tmp_path / "runs").exists()


def test_run_notebook_stops_on_a_broken_notebook_in_one_line(tmp_path, capsys):
    path = broken_copy(tmp_path)
    assert run_notebook.main([str(path), str(tmp_path / "out.ipynb")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{run_notebook.COMMAND} stopped: {path}: not a valid notebook (line 2, column 12"), err
    assert len(err.splitlines()) == 1 and not (tmp_path / "out.ipynb").exists()


# --- 3 and 6: every command line ends through helpers/cli.py ---------------------------------------------------------


def main_blocks() -> dict[str, str]:
    """The source of each `if __name__ == "__main__":` block in helpers/."""
    blocks = {}
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
                blocks[str(path.relative_to(ROOT))] = ast.unparse(node)
        if path.name == "__main__.py":
            blocks[str(path.relative_to(ROOT))] = ast.unparse(tree)
    return blocks


def test_every_command_line_of_helpers_ends_in_one_line():
    """scenario_runs' __main__ lacked exit_quietly; make check, the codebook and the rest printed tracebacks."""
    blocks = main_blocks()
    assert len(blocks) >= 9
    for name, block in blocks.items():
        # run_notebook does the same by hand: it must not import commands before its own Ctrl-C handler is in place
        by_hand = "print(INTERRUPTED" in block and "os.dup2(" in block
        assert "cli.run(" in block or "exit_quietly(main())" in block or by_hand, f"{name}: {block}"


def test_an_error_is_two_lines_and_a_ctrl_c_one(capsys, monkeypatch):
    monkeypatch.delenv(cli.TRACEBACK_ENV, raising=False)

    def fails() -> int:
        raise OSError(5, "Input/output error", "data/figures.csv")

    def interrupted() -> int:
        raise KeyboardInterrupt

    assert cli.guard("make check", fails) == 1
    assert cli.guard("make check", interrupted) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "make check failed: OSError: Input/output error: data/figures.csv",
        f"  (set {cli.TRACEBACK_ENV}=1 or pass --traceback for the full traceback)",
        cli.interrupted_line("make check"),
    ]
    monkeypatch.setenv(cli.TRACEBACK_ENV, "1")
    with pytest.raises(OSError):
        cli.guard("make check", fails)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def test_a_command_is_named_as_the_reader_typed_it():
    assert cli.command_name(["python", "-m", "helpers.data", "check"]) == "make check"
    assert cli.command_name(["python", "-m", "helpers.build.scenario_runs"]) == "make scenarios"
    assert cli.command_name(["python", "-m", "helpers.notebook.prose"]) == "python -m helpers.notebook.prose"


def test_make_check_s_failure_is_the_problem_list_not_a_traceback(tmp_path):
    """A figures.csv that is a folder: IsADirectoryError traceback before."""
    (tmp_path / "figures.csv").mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "helpers.data", "check", "--figures", str(tmp_path / "figures.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "is a folder, not a CSV file" in run.stderr and len(run.stderr.strip().splitlines()) <= 3, run.stderr


# --- 4: a parameter written as code, or in another form, says what was given and the form asked for ------------------


@pytest.fixture(scope="module")
def specs() -> dict[str, parameters.Spec]:
    return {spec.name: spec for spec in scenario_analysis.parameter_specs(load_ledger())}


@pytest.mark.parametrize(
    "name, value, shown, why",
    [
        ("AS_OF", "datetime.date(2026,1,1)", "'datetime.date(2026,1,1)'", "Python code is not run"),
        ("AS_OF", datetime.date(2026, 1, 1), "datetime.date(2026, 1, 1)", "not a Python date object"),
        ("AS_OF", 2026, "2026", "not a whole number"),
        ("AS_OF", "2026-1-1", "'2026-1-1'", "must be a date written like 2026-07-01"),
        ("AS_OF", "\uff12\uff10\uff12\uff16-07-01", "'２０２６-07-01'", "must be a date written like 2026-07-01"),
        ("AS_OF", "2026-02-30", "'2026-02-30'", "is not a day of the calendar"),
        ("YEARS_TO_LISTING", "1,5", "'1,5'", "a comma is neither a decimal point nor a thousands mark"),
        ("YEARS_TO_LISTING", "float('1.5')", "\"float('1.5')\"", "Python code is not run"),
        (
            "YEARS_TO_LISTING",
            None,
            "None",
            "must be a number written like 1.5 (digits and a point, no quotes), not None",
        ),
    ],
)
def test_a_refused_parameter_says_what_was_given_and_how_to_write_it(specs, name, value, shown, why):
    namespace = {spec: None for spec in specs}
    namespace.update({"AS_OF": "2026-11-22", "LISTING_VALUATION_USD_BN": 1000, "YEARS_TO_LISTING": 1.0})
    _, problem = parameters.coerce(specs[name], value)
    assert why in problem, problem
    assert f"{name} = {shown}: " == f"{name} = {parameters.shown(value)}: "


def test_a_huge_value_is_shown_cut():
    assert parameters.shown(10**400).endswith("... (401 characters)") and len(parameters.shown(10**400)) < 110


# --- 5: an output folder that cannot be written is found before anything runs ---------------------------------------


def test_make_scenarios_refuses_an_unwritable_folder_before_any_case(tmp_path, capsys, monkeypatch):
    ran = []
    monkeypatch.setattr(scenario_runs, "run", lambda *a, **k: ran.append(a))
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert scenario_runs.main(["--out", str(blocker / "runs")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"make scenarios refused: {blocker / 'runs'}: the folder cannot be written"), err
    assert ran == []


def test_make_report_refuses_an_unwritable_folder_before_any_notebook(tmp_path, capsys, monkeypatch):
    ran = []
    monkeypatch.setattr(report, "execute", lambda *a, **k: ran.append(a))
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert report.main(["--out", str(blocker / "report"), str(LEDGER)]) == 2
    assert "the folder cannot be written" in capsys.readouterr().err
    assert ran == []


def test_run_notebook_refuses_an_unwritable_output_before_running(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code = run_notebook.main([str(LEDGER), str(blocker / "out.ipynb")])
    assert code == 2 and "a-file: is a file, not a folder" in capsys.readouterr().err


def test_the_writability_probe_leaves_nothing_behind(tmp_path):
    assert commands.writable_problem(tmp_path / "not" / "yet") == ""
    assert list(tmp_path.iterdir()) == []
    assert json.loads("1") == 1  # json imported for the damaged-notebook cases above


# --- the third run's own cases (robustfix3, adversary) ---------------------------------------------------------------


def test_a_build_killed_outright_leaves_nothing_the_next_build_keeps(tmp_path, capsys):
    """A SIGKILL (or a power cut) mid-build left .report.building-<pid> beside the report for ever."""
    out = tmp_path / "report"
    dead = tmp_path / ".report.building-999999999"  # no such process
    (dead / "figures").mkdir(parents=True)
    (dead / "figures" / "half.png").write_bytes(b"x")
    mine = tmp_path / ".report.notes"  # not a name a build makes: kept
    mine.mkdir()
    assert no_run_report(out) == 0
    assert not dead.exists() and mine.is_dir()


def test_the_build_folder_itself_is_refused_as_report_folder(capsys):
    """`--out build` would swap build/ whole, scenario runs included."""
    assert no_run_report(ROOT / "build") == 2
    assert "holds every generated output" in capsys.readouterr().err


def test_a_notebook_that_is_a_device_is_named_not_read_for_ever(tmp_path):
    link = tmp_path / "07-zero.ipynb"
    link.symlink_to("/dev/zero")
    with pytest.raises(commands.NotebookFileError, match="is not a regular file"):
        commands.read_notebook(link)


def test_a_report_folder_that_is_a_link_is_built_where_it_points(tmp_path, capsys):
    """A dangling link as --out: the build ran, then the swap failed with 'NotADirectoryError'."""
    link = tmp_path / "report"
    link.symlink_to(tmp_path / "elsewhere" / "report")
    assert no_run_report(link) == 0
    assert link.is_symlink() and (tmp_path / "elsewhere" / "report" / "index.html").is_file()
    assert no_run_report(link) == 0 and link.is_symlink()


def test_a_build_path_that_is_a_file_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    """build/ as a file: 'make report failed: FileExistsError' before."""
    (tmp_path / "build").write_text("x", encoding="utf-8")
    monkeypatch.setattr(report, "LOCK", tmp_path / "build" / ".report.lock")
    assert no_run_report(tmp_path / "report") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("make report refused: ") and "build: cannot hold the lock" in err and "\n" not in err, err


def test_a_choice_in_other_case_gets_the_right_spelling():
    spec = parameters.Spec("REVENUE_BASIS", "choice", choices=("calendar", "run_rate"))
    assert parameters.coerce(spec, " Calendar")[1].endswith("did you mean 'calendar'? (written exactly as listed)")
    assert parameters.coerce(spec, 5)[1].endswith(", not a whole number")


def test_a_list_passed_as_text_says_how_to_pass_a_list():
    """papermill's `-p COUNT_AS_FIRM "['closed']"` arrives as text: it was 'not known'."""
    spec = parameters.Spec("COUNT_AS_FIRM", "choices", choices=("announced", "closed"))
    assert (
        "a list written as text is not read (papermill: -y 'COUNT_AS_FIRM: [a, b]')"
        in (parameters.coerce(spec, "['closed']")[1])
    )
