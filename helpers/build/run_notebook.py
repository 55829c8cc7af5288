"""Run one notebook with your own parameters through papermill, ending a failure in a few lines.

`python -m helpers.build.run_notebook IN OUT -p NAME VALUE ...` takes papermill's own arguments. papermill itself
prints its command-line traceback (click, execute_notebook, raise_for_execution_errors) around the notebook's error;
here a refused parameter, a failing cell or a bad argument ends in the notebook's one-line error and where the
partial run was written, with no traceback unless asked for (--traceback or HELPERS_TRACEBACK=1).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

COMMAND = "python -m helpers.build.run_notebook"
INTERRUPTED = f"{COMMAND} interrupted (Ctrl-C): stopped; every output is either as it was or complete"


def failure_lines(error: Exception, notebook: str, output: str) -> str:
    """The few lines for a cell that raised: which notebook and cell, the error's own text, and where the run is."""
    ename, evalue = getattr(error, "ename", type(error).__name__), getattr(error, "evalue", str(error))
    cell = getattr(error, "exec_count", None)
    where = f"cell In [{cell}]" if cell is not None else "a cell"
    return f"{notebook}: {where} stopped the run: {ename}: {evalue}\n  (the run so far is in {output})"


def _paths(argv: list[str]) -> tuple[str, str]:
    """The input and output notebooks named by papermill's arguments, as papermill's own parser reads them."""
    from papermill.cli import papermill

    with papermill.make_context(COMMAND, list(argv), resilient_parsing=True) as context:
        return str(context.params.get("notebook_path") or ""), str(context.params.get("output_path") or "")


def main(argv: list[str] | None = None) -> int:
    """Run papermill with `argv`; a failure ends in a few lines and exit 1 (2 for a refused output, 130 for Ctrl-C)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    show = "--traceback" in argv
    argv = [a for a in argv if a != "--traceback"]
    hits: list[int] = []

    def on_interrupt(signum: int, frame: object) -> None:
        hits.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_interrupt)
    try:  # papermill and pandas take seconds to import: a Ctrl-C meanwhile is an interrupt too, not a traceback
        from helpers.build.commands import run_command
    except BaseException:
        if not hits:  # a Ctrl-C inside an import can surface as any error of a half-imported module
            raise
        print(INTERRUPTED, file=sys.stderr)
        return 130
    return run_command(COMMAND, lambda: _run(argv, show), show_traceback=show)


def _run(argv: list[str], show: bool) -> int:
    """The command's body: papermill's run, its failures in a few lines."""
    import click
    from papermill.cli import papermill
    from papermill.exceptions import PapermillExecutionError

    from helpers.build.commands import (
        NotebookFileError,
        OutputError,
        interrupted,
        kernel_stderr_aside,
        output_problem,
        read_notebook,
        traceback_wanted,
        writable_problem,
    )

    notebook, output = _paths(argv)
    if output and output != "-" and "://" not in output:
        problem = output_problem(Path(output).resolve().parent)
        if problem:  # notebooks/ itself: the run would replace a committed notebook
            raise OutputError(f"{problem}; write the run under build/ or outside the repository")
        problem = writable_problem(Path(output).resolve().parent)
        if problem:  # found before the notebook runs, not when papermill first saves
            raise OutputError(f"{output}: cannot be written ({problem}); choose a folder you can write to")
    if notebook and notebook != "-" and "://" not in notebook and Path(notebook).exists():
        try:  # a broken notebook file is named in one line, with where it breaks (papermill shows 'NotJSONError')
            read_notebook(Path(notebook))
        except NotebookFileError as error:
            print(f"{COMMAND} stopped: {error}", file=sys.stderr)
            return 1
    written = Path(output) if output and output != "-" and "://" not in output else None
    before = written.stat().st_mtime_ns if written and written.exists() else None
    try:
        with kernel_stderr_aside():  # on a Ctrl-C the kernel prints a ZMQ traceback of its own
            papermill.main(args=argv, prog_name=COMMAND, standalone_mode=False)
    except (KeyboardInterrupt, asyncio.CancelledError, click.exceptions.Abort):
        _stop_if_partial(written, before)
        raise
    except PapermillExecutionError as error:
        if show or traceback_wanted():
            raise
        print(failure_lines(error, notebook, output), file=sys.stderr)
        return 1
    except click.ClickException as error:  # a bad option or a missing file: click's own one-line message
        error.show()
        return error.exit_code
    if interrupted():  # papermill may return normally after a Ctrl-C
        _stop_if_partial(written, before)
    return 0


def _stop_if_partial(written: Path | None, before: int | None) -> None:
    """After a Ctrl-C: papermill saves the output after every cell, its cells reading 'completed' up to the stop, so
    a file this run wrote is a partial run: stop saying so, rather than 'as it was or complete'."""
    from helpers.build.commands import PartialRun

    if written and written.exists() and written.stat().st_mtime_ns != before:
        raise PartialRun(f"{written} holds the run so far, incomplete")


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:  # before main ran (the first imports): still one line
        print(INTERRUPTED, file=sys.stderr)
        code = 130
    if code == 130:  # as commands.exit_quietly, which a Ctrl-C during the first imports leaves unimported
        sys.stderr.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    sys.exit(code)
