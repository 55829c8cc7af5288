"""Run one notebook with your own parameters through papermill, ending a failure in a few lines.

`python -m helpers.build.run_notebook IN OUT -p NAME VALUE ...` takes papermill's own arguments. papermill itself
prints its command-line traceback (click, execute_notebook, raise_for_execution_errors) around the notebook's error;
here a refused parameter, a failing cell or a bad argument ends in the notebook's one-line error and where the
partial run was written, with no traceback unless asked for (--traceback or HELPERS_TRACEBACK=1).
"""

from __future__ import annotations

import sys
from pathlib import Path

from helpers.build.commands import OutputError, output_problem, run_command, traceback_wanted

COMMAND = "python -m helpers.build.run_notebook"


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
    import click
    from papermill.cli import papermill
    from papermill.exceptions import PapermillExecutionError

    argv = list(sys.argv[1:] if argv is None else argv)
    show = "--traceback" in argv
    argv = [a for a in argv if a != "--traceback"]
    notebook, output = _paths(argv)

    def body() -> int:
        if output and output != "-":
            problem = output_problem(Path(output).resolve().parent)
            if problem:  # notebooks/ itself: the run would replace a committed notebook
                raise OutputError(f"{problem}; write the run under build/ or outside the repository")
        try:
            papermill.main(args=argv, prog_name=COMMAND, standalone_mode=False)
        except PapermillExecutionError as error:
            if show or traceback_wanted():
                raise
            print(failure_lines(error, notebook, output), file=sys.stderr)
            return 1
        except click.ClickException as error:  # a bad option or a missing file: click's own one-line message
            error.show()
            return error.exit_code
        return 0

    return run_command(COMMAND, body, show_traceback=show)


if __name__ == "__main__":
    sys.exit(main())
