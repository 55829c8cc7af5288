"""How every build command ends: a failure in a few lines (no traceback unless asked), Ctrl-C always stopping it
(exit 130), a looping cell timed out, and output folders that can never overwrite the project's own files.

`helpers.build.report` and `helpers.build.scenario_runs` run their bodies through `run_command`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat

from helpers.cli import TRACEBACK_ENV, failed_lines, interrupted_line, short_error, traceback_wanted
from helpers.data.load import ROOT

__all__ = ["TRACEBACK_ENV", "short_error", "traceback_wanted"]  # re-exported: report and run_notebook use them

# --- failing in a few lines, and stopping on Ctrl-C -----------------------------------------------------------------

# A cell that runs longer than this is stopped (a loop that never ends would otherwise hang `make report` silently);
# the slowest cell of the shipped notebooks takes a few seconds. REPORT_CELL_TIMEOUT=<seconds> changes it.
CELL_TIMEOUT_SECONDS = 180


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


class PartialRun(Exception):
    """A Ctrl-C that left an output partly written (papermill saves after every cell): its message says where."""


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
    except PartialRun as stopped:  # a Ctrl-C after part of an output was written: the line says where it is
        print(flush=True)
        print(f"{command} interrupted (Ctrl-C): stopped; {stopped}", file=sys.stderr)
        return 130
    except (KeyboardInterrupt, asyncio.CancelledError):
        # nbclient answers a Ctrl-C that lands while a kernel starts by cancelling the start: CancelledError is how
        # that interrupt arrives (nothing of ours cancels a task)
        return interrupted_exit(command)
    except Exception as error:  # the last resort: a clear line instead of a traceback
        if is_interrupt(error):  # click turns a Ctrl-C into Abort ("failed: Abort", exit 1): it is an interrupt
            return interrupted_exit(command)
        if show_traceback or traceback_wanted():
            raise
        print(failed_lines(command, error), file=sys.stderr)
        return 1


def is_interrupt(error: BaseException) -> bool:
    """Whether an error is a Ctrl-C in disguise: click's Abort raised from a KeyboardInterrupt, or any after one."""
    cause = error.__cause__ or error.__context__
    return type(error).__name__ == "Abort" and (isinstance(cause, KeyboardInterrupt) or interrupted())


def interrupted_exit(command: str) -> int:
    """Say in one line that the command stopped on Ctrl-C; return 130 (the shell's code for it)."""
    print(flush=True)  # end a progress line on stdout
    print(interrupted_line(command), file=sys.stderr)
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
    if any(ord(char) < 32 or ord(char) == 127 for char in str(folder)):  # a pasted line break, printed on two lines
        return f"{str(folder)!r}: the path holds a line break or another control character; type it again"
    if folder.parts and folder.parts[0].startswith("~"):  # a quoted '~/x' made a folder named '~' here
        return f"{folder}: starts with '~', which the shell expands only when unquoted; write the full path"
    resolved = folder.resolve()
    # the path as given, and where it leads when that differs ('..' or a link): never a shortened form of either
    shown = str(folder) if str(folder) == str(resolved) else f"{folder} (that is {resolved})"
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


# --- a report folder is the build's own: a rebuild drops only what an earlier build wrote (issue 23, robustfix2 #1) ----

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
    if folder.resolve() == (root / "build").resolve():  # the report is swapped in whole: build/ holds other outputs
        return f"{folder}: holds every generated output (the scenario runs too); choose build/report or a folder in it"
    if not folder.is_dir() or (folder / REPORT_MARKER).is_file() or not any(folder.iterdir()):
        return ""
    if folder.resolve().is_relative_to(root / "build"):  # build/ is the project's generated tree (git-ignored)
        return ""
    return (
        f"{folder}: is not empty and no report build made it (it has no {REPORT_MARKER}); the report writes only "
        "into an empty folder or one an earlier report build wrote, so nothing else in it is overwritten or removed"
    )


def write_report_marker(folder: Path, files: list[str]) -> None:
    """Record that a report build owns `folder`, and which generated files it may remove next time."""
    (folder / REPORT_MARKER).write_text(MARKER_HEAD + "".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")


# --- notebooks read whole or refused in one line, files written whole (issue 23, robustfix3 #2) -----------------------


class NotebookError(RuntimeError):
    """A notebook failed: the message names the notebook, the cell and the error in a few lines."""

    def __init__(self, message: str, notebook: nbformat.NotebookNode | None = None) -> None:
        super().__init__(message)
        self.notebook = notebook


class NotebookFileError(NotebookError):
    """A notebook file that cannot be read (missing, a folder, broken JSON): one line naming it and what to do."""


def display_path(path: Path) -> str:
    """The path relative to the repository when it is inside it (shorter messages)."""
    path = Path(path)
    absolute = path if path.is_absolute() else Path.cwd() / path
    return str(absolute.relative_to(ROOT)) if absolute.is_relative_to(ROOT) else str(path)


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character position."""
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def notebook_problem(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """(the notebook, '') or (None, why it is not a valid notebook, with the line and column where that is known)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column(data[: error.start].decode("utf-8", "replace"), error.start)
        return None, f"line {line}, column {column}: byte 0x{data[error.start]:02x} is not UTF-8 text"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"line {error.lineno}, column {error.colno}: {error.msg}"
    if isinstance(raw, dict) and raw.get("nbformat") != 4 and isinstance(raw.get("nbformat"), int):
        # an older or newer format is converted (or refused) by nbformat with a message about its own keys
        return None, f"it is written in nbformat {raw['nbformat']}; the project's notebooks are nbformat 4"
    if not isinstance(raw, dict) or not isinstance(raw.get("nbformat"), int) or "cells" not in raw:
        return None, "the JSON has no 'nbformat' and 'cells' at its top: it is not a notebook"
    problem = cell_list_problem(raw["cells"])
    if problem:
        return None, problem
    invalid: dict = {}
    try:
        notebook = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
    except Exception as error:  # nbformat raises many kinds on a damaged file (ValueError, TypeError, KeyError...)
        return None, short_error(error)
    if invalid.get("ValidationError") is not None:
        error = invalid["ValidationError"]
        where = "/".join(str(part) for part in getattr(error, "absolute_path", ())) or "the top"
        message = str(getattr(error, "message", error))
        shown = repr(getattr(error, "instance", None))
        if len(shown) > 60:  # jsonschema starts with the whole offending value: a cell's source, hundreds of lines
            message = message.replace(shown, "this value")
        return None, f"at {where}: {' '.join(message.split())[:200]}"
    return notebook, ""


CELL_TYPES = ("code", "markdown", "raw")


def cell_list_problem(cells: object) -> str:
    """Why a notebook's cell list is not one nbformat 4 accepts as it is (a cell type it does not know, one id on two
    cells, which nbformat would silently renumber), or ''; the rest is left to nbformat's validator."""
    if not isinstance(cells, list):
        return ""
    seen: dict[str, int] = {}
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type")
        if kind not in CELL_TYPES:
            return f"cell {number} has cell_type {str(kind)[:40]!r}; a cell is one of {', '.join(CELL_TYPES)}"
        cell_id = cell.get("id")
        if isinstance(cell_id, str) and cell_id in seen:
            return f"cells {seen[cell_id]} and {number} have the same id {cell_id[:64]!r}; each cell needs its own"
        if isinstance(cell_id, str):
            seen[cell_id] = number
    return ""


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at `path`, or a NotebookError in one line naming the file, where it breaks and what to do."""
    name = display_path(path)
    if path.is_dir():
        raise NotebookFileError(f"{name}: is a folder, not a notebook file")
    if path.exists() and not path.is_file():  # /dev/zero or a FIFO would be read for ever
        raise NotebookFileError(f"{name}: is not a regular file (a device, pipe or socket), not a notebook")
    if not path.is_file():
        raise NotebookFileError(f"{name}: no such notebook file")
    try:
        notebook, problem = notebook_problem(path)
    except OSError as error:
        raise NotebookFileError(f"{name}: cannot be read ({error.strerror or type(error).__name__})") from None
    if problem:
        resolved = Path(path).resolve()
        in_git = resolved.is_relative_to(ROOT) and tracked(ROOT, str(resolved.relative_to(ROOT)))
        fix = f"restore it with git checkout -- {name}" if in_git else "restore it from your copy"
        raise NotebookFileError(f"{name}: not a valid notebook ({problem}); {fix}")
    return notebook


def write_atomic(path: Path, text: str) -> None:
    """Write under a temporary name beside `path`, then rename: a reader or an interrupt never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- a build made beside its folder and swapped in whole (issue 23, robustfix3 #1) ----------------------------------


def staging_folder(final: Path) -> Path:
    """The hidden sibling a build writes into: same parent (one file system, so the swap is a rename), own name."""
    return final.with_name(f".{final.name}.building-{os.getpid()}")


def remove_stale_stages(final: Path) -> None:
    """Remove the siblings a build killed outright (SIGKILL, power loss) left: only our own names, of dead processes."""
    if not final.parent.is_dir():
        return
    for sibling in final.parent.glob(f".{final.name}.*-*"):
        kind, _, pid = sibling.name.removeprefix(f".{final.name}.").partition("-")
        if kind not in ("building", "old") or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)  # that build is still running (a second run waits for the lock before it gets here)
        except ProcessLookupError:
            shutil.rmtree(sibling, ignore_errors=True)
        except OSError:
            pass


def writable_problem(folder: Path) -> str:
    """Why files cannot be made in `folder` (or the nearest folder above it that exists), or ''."""
    probe_in = folder
    while not probe_in.exists() and probe_in != probe_in.parent:
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        return f"{probe_in} is a file, not a folder"
    try:
        with tempfile.TemporaryFile(dir=probe_in):
            return ""
    except OSError as error:
        return error.strerror or type(error).__name__


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold a Ctrl-C back for a few renames; it is delivered (and stops the command) right after."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def carry_over(old: Path, new: Path, built_before: set[str]) -> None:
    """Move into `new` every file of `old` that no build wrote and `new` does not have (a reader's own notes)."""
    for path in sorted(old.rglob("*")):
        name = path.relative_to(old).as_posix()
        if path.is_dir() or name in built_before or name == REPORT_MARKER or (new / name).exists():
            continue
        (new / name).parent.mkdir(parents=True, exist_ok=True)
        os.rename(path, new / name)


def swap_in(stage: Path, final: Path, built_before: set[str] | None = None) -> None:
    """Put the finished `stage` at `final` by renames; the previous `final` (files no build wrote carried over) goes."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    with signals_held():  # between the two renames `final` is missing: a Ctrl-C waits until it is back
        if final.is_dir():
            carry_over(final, stage, built_before or set())
            os.rename(final, old)
        os.rename(stage, final)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged(final: Path) -> Iterator[Path]:
    """Build into a sibling of `final`; swap it in only when the build ends well. On a failure or a Ctrl-C the
    sibling is removed and `final` is left as it was, whole."""
    final = Path(os.path.realpath(final))  # a link is followed: the build is swapped in where it points, link kept
    stage = staging_folder(final)
    remove_stale_stages(final)
    problem = writable_problem(final.parent)
    try:
        if problem:
            raise OSError(problem)
        stage.mkdir(parents=True)
    except OSError as error:
        why = problem or error.strerror or type(error).__name__
        raise OutputError(f"{final}: the folder cannot be written ({why}); choose a folder you can write to") from None
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)  # only the build's own sibling, made above: never a reader's folder
        raise
    built_before = set(marker_files(final)) if (final / REPORT_MARKER).is_file() else set()
    if not built_before and final.is_dir() and final.resolve().is_relative_to(ROOT / "build"):
        # a report under build/ from before the marker: its charts folder was written whole by that build
        built_before = {f"figures/{p.name}" for p in (final / "figures").glob("*") if p.is_file()}
    try:
        swap_in(stage, final, built_before)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def all_files(folder: Path) -> list[str]:
    """Every file under `folder`, relative and with '/' (what the marker lists)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
