"""Findings of the second independent adversarial run (issue 23): each test failed before its fix."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest

from helpers.build import commands, report
from helpers.build.run_notebook import INTERRUPTED
from helpers.data.load import ROOT

LEDGER = report.NOTEBOOKS_DIR / "01-ledger.ipynb"


def no_run_report(out: Path) -> int:
    return report.main(["--no-run", "--out", str(out), str(LEDGER)])


def test_a_folder_the_report_did_not_make_is_refused_and_kept_whole(tmp_path, capsys):
    """The build once deleted D/figures/thesis.png and all of D/mathjax, and replaced D/index.html, with exit 0."""
    out = tmp_path / "D"
    (out / "figures").mkdir(parents=True)
    (out / "mathjax").mkdir()
    (out / "figures" / "thesis.png").write_bytes(b"x\n")
    (out / "mathjax" / "notes.txt").write_bytes(b"y\n")
    (out / "index.html").write_bytes(b"mine\n")
    assert no_run_report(out) == 2
    err = capsys.readouterr().err
    assert err.startswith("make report refused: ") and len(err.strip().splitlines()) == 1, err
    assert str(out) in err and commands.REPORT_MARKER in err and "not empty" in err
    assert (out / "figures" / "thesis.png").read_bytes() == b"x\n"
    assert (out / "mathjax" / "notes.txt").read_bytes() == b"y\n"
    assert (out / "index.html").read_bytes() == b"mine\n"


def test_a_rebuild_removes_only_the_files_the_previous_build_wrote(tmp_path, capsys):
    out = tmp_path / "report"
    assert no_run_report(out) == 0
    listed = commands.marker_files(out)
    assert listed and all(name.startswith("figures/") and (out / name).is_file() for name in listed)
    (out / "figures" / "stale.png").write_bytes(b"a chart a later build no longer writes\n")
    (out / "mathjax").mkdir()
    (out / "mathjax" / "notes.txt").write_bytes(b"y\n")
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert no_run_report(out) == 0  # the folder is the build's own now: built again, byte for byte
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == first
    assert (out / "mathjax" / "notes.txt").read_bytes() == b"y\n"  # never a folder it did not create


def test_a_hand_edited_marker_cannot_make_the_build_delete_outside_its_folder(tmp_path, capsys):
    outside = tmp_path / "keep.txt"
    outside.write_bytes(b"k\n")
    out = tmp_path / "report"
    out.mkdir()
    (out / commands.REPORT_MARKER).write_text(commands.MARKER_HEAD + f"../keep.txt\n{outside}\n", encoding="utf-8")
    assert no_run_report(out) == 0
    assert outside.read_bytes() == b"k\n"


# A Ctrl-C that lands while nbclient starts a kernel: the process sends SIGINT to itself `delay` s into the start.
KERNEL_START_INTERRUPT = """
import os, signal, sys, threading
from nbclient import NotebookClient
from helpers.build import commands, report
original = NotebookClient.async_start_new_kernel_client
async def patched(self, *a, **k):
    threading.Timer({delay}, os.kill, (os.getpid(), signal.SIGINT)).start()
    return await original(self, *a, **k)
NotebookClient.async_start_new_kernel_client = patched
sys.exit(commands.exit_quietly(report.main(["--out", {out!r}, {notebook!r}])))
"""


@pytest.mark.parametrize("delay", [0.0, 1.2])
def test_a_ctrl_c_while_a_kernel_starts_stops_make_report_in_one_line(delay, tmp_path):
    """It printed an asyncio CancelledError traceback (exit 1), or 'execution stopped ... AssertionError' (exit 1)."""
    notebook = report.NOTEBOOKS_DIR / "06-cash.ipynb"
    before = notebook.read_bytes()
    script = KERNEL_START_INTERRUPT.format(delay=delay, out=str(tmp_path / "report"), notebook=str(notebook))
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 130, run.stderr
    assert run.stderr.strip().splitlines() == [
        "make report interrupted (Ctrl-C): stopped; every output is either as it was or complete"
    ], run.stderr
    assert notebook.read_bytes() == before


def test_click_s_abort_after_a_ctrl_c_is_an_interrupt(capsys):
    """papermill's click turns a Ctrl-C into Abort: the run said 'failed: Abort' and exit 1."""

    def body() -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as error:
            raise click.exceptions.Abort() from error

    assert commands.run_command("python -m helpers.build.run_notebook", body) == 130
    assert "interrupted (Ctrl-C)" in capsys.readouterr().err


@pytest.mark.parametrize("seconds", [1.0, 9.0])
def test_a_ctrl_c_stops_run_notebook_in_one_line(seconds, tmp_path):
    """At 1 s (papermill importing) a KeyboardInterrupt traceback; later 'failed: Abort' (exit 1) or the kernel's
    ZMQ traceback above the line."""
    command = [sys.executable, "-m", "helpers.build.run_notebook", "notebooks/04-valuation-scenarios.ipynb"]
    command += [str(tmp_path / "o.ipynb"), "--cwd", "notebooks"]
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        run.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        run.send_signal(signal.SIGINT)
    err = run.communicate(timeout=120)[1]
    if run.returncode == 0:
        pytest.skip(f"the run ended before {seconds} s")
    assert run.returncode == 130, err
    assert "Traceback" not in err and "failed" not in err, err
    assert err.strip().splitlines()[-1] == INTERRUPTED, err
