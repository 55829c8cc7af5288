"""Set up the virtual environment from requirements.txt, or stop with one line that says why.

`make` runs it with the base Python (standard library only): `python3 tools/bootstrap.py .venv`.
It refuses an unsupported Python before creating anything, lets one set-up run at a time, and
removes a half-built environment (failed or interrupted install) so that no later run reuses it.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ((3, 11), (3, 12), (3, 13))  # the Pythons CI re-executes the notebooks on, byte for byte
INPUTS = (ROOT / "requirements.txt", ROOT / "pyproject.toml")
READY = ".ready"
PIP = ("-m", "pip", "install", "--quiet", "--disable-pip-version-check")


def python_problem(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> str | None:
    """One line naming the Pythons needed, or None when this one is supported."""
    if tuple(version[:2]) in SUPPORTED:
        return None
    names = [f"{major}.{minor}" for major, minor in SUPPORTED]
    needed = ", ".join(names[:-1]) + f" or {names[-1]}"
    found = ".".join(map(str, version))
    return f"Python {found} is not supported: this project needs Python {needed} (e.g. make PYTHON=python3.12)"


def is_ready(venv: Path) -> bool:
    """The environment finished setting up after the last change to the pins."""
    marker = venv / READY
    return marker.is_file() and all(marker.stat().st_mtime >= path.stat().st_mtime for path in INPUTS)


def build(venv: Path) -> None:
    """Create the environment and install the pins, the project and matplotlib's font cache."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), *PIP, "-r", str(INPUTS[0])], check=True, cwd=ROOT)
    subprocess.run([str(python), *PIP, "--no-deps", "-e", str(ROOT)], check=True, cwd=ROOT)
    # builds the font cache now, so the first notebook does not announce it on stderr
    subprocess.run([str(python), "-c", "import matplotlib.pyplot"], check=True, cwd=ROOT)


def main(argv: list[str]) -> int:
    """Command line entry point: bootstrap.py VENV_DIR."""
    problem = python_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    venv = Path(argv[0] if argv else ".venv")
    with Path(f"{venv}.lock").open("w") as lock:  # beside the folder it guards, so removing the folder keeps it
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another set-up of {venv} to finish", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        if is_ready(venv):  # another run finished it while this one waited
            return 0
        if venv.exists() and not (venv / READY).exists():
            print(f"Removing {venv}: an earlier set-up did not finish", flush=True)
            shutil.rmtree(venv)
        (venv / READY).unlink(missing_ok=True)  # unfinished from here until the last step
        print(f"Setting up {venv} with Python {sys.version.split()[0]} from requirements.txt", flush=True)
        try:
            build(venv)
        except (subprocess.CalledProcessError, KeyboardInterrupt, OSError) as error:
            shutil.rmtree(venv, ignore_errors=True)
            if isinstance(error, subprocess.CalledProcessError):
                why = f"failed (python {' '.join(map(str, error.cmd[1:4]))} exited with {error.returncode})"
            else:
                why = "interrupted" if isinstance(error, KeyboardInterrupt) else f"failed ({error})"
            print(f"Set-up {why}: removed {venv}, so the next run starts afresh", file=sys.stderr)
            return 1
        (venv / READY).touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
