"""How every `python -m helpers...` command ends: a failure in one line (no traceback unless asked), a Ctrl-C in one
line with exit 130, from the first import on.

Loose (no room) so that every room's `__main__` can use it; it imports nothing of ours and nothing slow.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
from collections.abc import Callable

TRACEBACK_ENV = "HELPERS_TRACEBACK"
MAX_MESSAGE_CHARS = 400
# what the reader typed: a module the Makefile runs is named by its make target
MAKE_TARGETS = {
    "helpers.data": "make check",
    "helpers.data.load": "make check",
    "helpers.data.codebook": "make codebook",
    "helpers.build.report": "make report",
    "helpers.build.scenario_runs": "make scenarios",
    "helpers.build.bench": "make bench",
}


def command_name(orig_argv: list[str] | None = None) -> str:
    """'make check' for `python -m helpers.data check`; 'python -m <module>' for a module no make target runs."""
    argv = list(getattr(sys, "orig_argv", []) if orig_argv is None else orig_argv)
    module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else ""
    return MAKE_TARGETS.get(module, f"python -m {module}" if module else "the command")


def interrupted_line(command: str) -> str:
    """The one line a Ctrl-C ends with."""
    return f"{command} interrupted (Ctrl-C): stopped; every output is either as it was or complete"


def _stop_while_importing(signum: int, frame: object) -> None:
    # nothing is written while the modules load: stop at once, in one line, whatever library is half-imported
    sys.stdout.flush()
    os.write(2, (interrupted_line(command_name()) + "\n").encode())
    os._exit(130)


def quiet_startup() -> None:
    """Until a command's main takes over, a Ctrl-C (while pandas and friends import, seconds) ends in one line."""
    with contextlib.suppress(ValueError):  # not the main thread: nothing to do
        signal.signal(signal.SIGINT, _stop_while_importing)


def traceback_wanted(argv_flag: bool = False) -> bool:
    """A traceback is shown only when asked for: --traceback, or HELPERS_TRACEBACK=1 in the environment."""
    return argv_flag or os.environ.get(TRACEBACK_ENV, "") not in ("", "0")


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


def failed_lines(command: str, error: BaseException) -> str:
    """The two lines an unexpected error ends with."""
    return (
        f"{command} failed: {short_error(error)}\n  (set {TRACEBACK_ENV}=1 or pass --traceback for the full traceback)"
    )


def guard(command: str, main: Callable[[], int]) -> int:
    """Run a command's main: a Ctrl-C ends in one line and 130, any other error in two lines and 1 (unless asked)."""
    with_flag = "--traceback" in sys.argv[1:]
    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here a Ctrl-C unwinds (files closed, locks freed)
    try:
        return main()
    except KeyboardInterrupt:
        sys.stdout.flush()
        print(interrupted_line(command), file=sys.stderr)
        return 130
    except Exception as error:
        if traceback_wanted(with_flag):
            raise
        print(failed_lines(command, error), file=sys.stderr)
        return 1


def run(main: Callable[[], int], command: str | None = None) -> None:
    """`if __name__ == "__main__": cli.run(main)`: exit with main's code, ended as `guard` ends it."""
    sys.exit(guard(command or command_name(), main))
