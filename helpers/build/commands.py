"""How every build command ends: a failure in a few lines (no traceback unless asked), Ctrl-C always stopping it
(exit 130), a looping cell timed out, and output folders that can never overwrite the project's own files.

`helpers.build.report` and `helpers.build.scenario_runs` run their bodies through `run_command`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from helpers.data.load import ROOT

# --- failing in a few lines, and stopping on Ctrl-C -----------------------------------------------------------------

# A cell that runs longer than this is stopped (a loop that never ends would otherwise hang `make report` silently);
# the slowest cell of the shipped notebooks takes a few seconds. REPORT_CELL_TIMEOUT=<seconds> changes it.
CELL_TIMEOUT_SECONDS = 180
TRACEBACK_ENV = "HELPERS_TRACEBACK"
MAX_MESSAGE_CHARS = 400


def cell_timeout(environ: dict[str, str] | None = None) -> int:
    """Seconds a cell may run: REPORT_CELL_TIMEOUT when it is a whole number above 0, else the default."""
    value = (os.environ if environ is None else environ).get("REPORT_CELL_TIMEOUT", "")
    return int(value) if value.isdigit() and int(value) > 0 else CELL_TIMEOUT_SECONDS


class _Interrupts:
    """How many SIGINTs this process has had: an interrupt that a library swallows is still seen afterwards."""

    count = 0


def _on_interrupt(signum: int, frame: object) -> None:
    _Interrupts.count += 1
    raise KeyboardInterrupt


def catch_interrupts() -> None:
    """Count every Ctrl-C (and still raise KeyboardInterrupt), so one that nbclient's shutdown swallows is not lost."""
    with contextlib.suppress(ValueError):  # not the main thread (a test's second run): the main thread's handler holds
        signal.signal(signal.SIGINT, _on_interrupt)


def _loop_interrupt() -> None:
    _Interrupts.count += 1
    raise KeyboardInterrupt  # asyncio lets KeyboardInterrupt out of a callback: it stops the run_until_complete


def keep_interrupts(**_: object) -> None:
    """nbclient hook (on_notebook_start): a Ctrl-C while the kernel runs stops this process and is counted.

    nbclient puts its own SIGINT handler on the event loop, which only schedules a kernel shutdown as a task: a
    Ctrl-C then surfaces as an unrelated error, or is lost when it arrives as the loop stops, and the run carries on.
    """
    with contextlib.suppress(RuntimeError, NotImplementedError, ValueError):  # no loop signals outside the main thread
        asyncio.get_event_loop().add_signal_handler(signal.SIGINT, _loop_interrupt)


@contextlib.contextmanager
def kernel_running() -> Iterator[None]:
    """While a kernel runs: its stderr log set aside, and afterwards this process's own SIGINT handler put back."""
    previous = signal.getsignal(signal.SIGINT)
    try:
        with kernel_log():
            yield
    finally:
        with contextlib.suppress(ValueError, TypeError):  # not the main thread, or no Python-level handler to restore
            signal.signal(signal.SIGINT, previous)


def interrupted() -> bool:
    """Whether a Ctrl-C arrived since `catch_interrupts`."""
    return _Interrupts.count > 0


def stop_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a Ctrl-C arrived, even if the code it interrupted carried on."""
    if interrupted():
        raise KeyboardInterrupt


def short_error(error: BaseException) -> str:
    """One line for an unexpected error: its type and the first part of its message (shutil.Error can be 20 kB)."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        source, target, why = error.args[0][0]
        text = f"copying {source} to {target}: {why} (and {len(error.args[0]) - 1} more files)"
    elif isinstance(error, OSError) and error.filename is not None:
        text = f"{error.strerror or error}: {error.filename}"
    else:
        text = str(error)
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def traceback_wanted(argv_flag: bool = False) -> bool:
    """A traceback is shown only when asked for: --traceback, or HELPERS_TRACEBACK=1 in the environment."""
    return argv_flag or os.environ.get(TRACEBACK_ENV, "") not in ("", "0")


def run_command(command: str, body: Callable[[], int], show_traceback: bool = False) -> int:
    """Run a command's body; end any failure in a few lines (no traceback unless asked) and a Ctrl-C with exit 130."""
    catch_interrupts()
    try:
        code = body()
        stop_if_interrupted()
        return code
    except OutputError as error:
        print(f"{command} refused: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, asyncio.CancelledError):
        # nbclient answers a Ctrl-C that lands while a kernel starts by cancelling the start: CancelledError is how
        # that interrupt arrives (nothing of ours cancels a task)
        return interrupted_exit(command)
    except Exception as error:  # the last resort: a clear line instead of a traceback
        if is_interrupt(error):  # click turns a Ctrl-C into Abort ("failed: Abort", exit 1): it is an interrupt
            return interrupted_exit(command)
        if show_traceback or traceback_wanted():
            raise
        print(
            f"{command} failed: {short_error(error)}\n"
            f"  (set {TRACEBACK_ENV}=1 or pass --traceback for the full traceback)",
            file=sys.stderr,
        )
        return 1


def is_interrupt(error: BaseException) -> bool:
    """Whether an error is a Ctrl-C in disguise: click's Abort raised from a KeyboardInterrupt, or any after one."""
    cause = error.__cause__ or error.__context__
    return type(error).__name__ == "Abort" and (isinstance(cause, KeyboardInterrupt) or interrupted())


def interrupted_exit(command: str) -> int:
    """Say in one line that the command stopped on Ctrl-C; return 130 (the shell's code for it)."""
    print(flush=True)  # end a progress line on stdout
    print(f"{command} interrupted (Ctrl-C): stopped; every output is either as it was or complete", file=sys.stderr)
    return 130


def exit_quietly(code: int) -> int:
    """After an interrupt, nothing more on stderr: the kernel's shutdown at exit prints tracebacks of its own.

    nbclient and jupyter_client shut a kernel down in atexit handlers; after a Ctrl-C they print a DeadKernelError
    and an AttributeError ('cleanup_resources') below the one line. Call it only as the process ends (__main__).
    """
    if code == 130:
        sys.stderr.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (open until the process ends)
    return code


@contextlib.contextmanager
def kernel_log() -> Iterator[None]:
    """Send what a kernel started meanwhile writes to this process's stderr to a scratch file.

    A kernel inherits stderr and logs there: on a Ctrl-C or a timeout it prints a ZMQ traceback ('Exception in
    message handler') before our one-line message. Cell output does not go this way (it travels over ZMQ).
    """
    sys.stderr.flush()
    with tempfile.TemporaryFile() as log:
        saved = os.dup(2)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@contextlib.contextmanager
def kernel_stderr_aside() -> Iterator[None]:
    """Like `kernel_log`, but this process's own stderr (papermill's progress and messages) still shows.

    A kernel started meanwhile inherits file descriptor 2, which points at a scratch file; `sys.stderr` is a copy
    of the terminal's descriptor, so what Python code here writes still reaches the screen.
    """
    sys.stderr.flush()
    previous = sys.stderr
    with tempfile.TemporaryFile() as log:
        saved = os.dup(2)
        screen = os.fdopen(os.dup(saved), "w", encoding="utf-8", errors="backslashreplace", buffering=1)
        os.dup2(log.fileno(), 2)
        sys.stderr = screen
        try:
            yield
        finally:
            screen.flush()
            sys.stderr = previous
            os.dup2(saved, 2)
            os.close(saved)
            screen.close()


PROTECTED = ("data", "notebooks", "helpers", "tests", "docs", "tools", ".git", ".ci", ".venv")


class OutputError(ValueError):
    """An output folder that would overwrite the project's own files."""


def tracked(root: Path, top: str) -> bool:
    """Whether git tracks any file under the repository's folder `top` (binder/, .github/ ...)."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--", top], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no git (an unpacked archive): PROTECTED still guards the input folders
    return bool(listed.stdout.strip())


def output_problem(folder: Path, root: Path = ROOT) -> str:
    """Why `folder` cannot take generated files (it is the repository, holds it, or is inside an input folder), or ''."""
    resolved = folder.resolve()
    shown = str(folder.relative_to(root)) if folder.is_absolute() and folder.is_relative_to(root) else str(folder)
    if resolved == root or resolved in root.parents:
        return f"{shown}: is the repository (or holds it); the report would overwrite data/ and notebooks/"
    if resolved.is_relative_to(root):
        top = resolved.relative_to(root).parts[0]
        if top in PROTECTED or (top != "build" and tracked(root, top)):
            return f"{shown}: is inside {top}/, which holds the project's own files"
    if resolved.exists() and not resolved.is_dir():
        return f"{shown}: is a file, not a folder"
    return ""


def check_output(folder: Path, root: Path = ROOT) -> None:
    """Raise OutputError unless `folder` is a safe place for generated files (build/report, or one outside the repo)."""
    problem = output_problem(folder, root)
    if problem:
        raise OutputError(f"{problem}; choose a folder under build/ or outside the repository")


# --- a report folder is the build's own: it only removes what an earlier build wrote (issue 23, robustfix2 #1) -------

REPORT_MARKER = ".helpers-report"
MARKER_HEAD = "written by python -m helpers.build.report; the files below are removed on the next build\n"


def marker_files(folder: Path) -> list[str]:
    """The files (relative to `folder`) the last report build listed in its marker, or [] when there is none."""
    marker = folder / REPORT_MARKER
    if not marker.is_file():
        return []
    lines = marker.read_text(encoding="utf-8").splitlines()[1:]
    # a listed name must stay inside the folder: a hand-edited marker cannot make the build delete elsewhere
    return [line for line in lines if line and not Path(line).is_absolute() and ".." not in Path(line).parts]


def report_folder_problem(folder: Path, root: Path = ROOT) -> str:
    """Why the report may not write into `folder` (non-empty, and no earlier report build made it), or ''."""
    if not folder.is_dir() or (folder / REPORT_MARKER).is_file() or not any(folder.iterdir()):
        return ""
    if folder.resolve().is_relative_to(root / "build"):  # build/ is the project's generated tree (git-ignored)
        return ""
    return (
        f"{folder}: is not empty and no report build made it (it has no {REPORT_MARKER}); the report writes only "
        "into an empty folder or one an earlier report build wrote, so nothing else in it is overwritten or removed"
    )


def claim_report_folder(folder: Path, root: Path = ROOT) -> None:
    """Refuse a folder that is not the build's own; remove the files the previous build listed; mark the folder."""
    problem = report_folder_problem(folder, root)
    if problem:
        raise OutputError(problem)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_report_marker(folder, marker_files(folder))  # a first write: fails here, not half-way through
    except OSError as error:
        why = error.strerror or type(error).__name__
        raise OutputError(f"{folder}: the folder cannot be written ({why}); choose a folder you can write to") from None
    listed = marker_files(folder)
    if not (folder / REPORT_MARKER).is_file() and folder.resolve().is_relative_to(root / "build"):
        # a report under build/ from before the marker: its charts folder was written whole by that build
        listed = [f"figures/{p.name}" for p in sorted((folder / "figures").glob("*")) if p.is_file()]
    for name in listed:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            (folder / name).unlink()
    write_report_marker(folder, [])


def write_report_marker(folder: Path, files: list[str]) -> None:
    """Record that a report build owns `folder`, and which generated files it may remove next time."""
    (folder / REPORT_MARKER).write_text(MARKER_HEAD + "".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")
