"""Set up the virtual environment from requirements.txt, or stop with one line that says why.

`make` runs it with the base Python (standard library only): `python3 tools/bootstrap.py .venv`.
It refuses an unsupported Python before creating anything, lets one set-up run at a time, and
removes a half-built environment (failed or interrupted install) so that no later run reuses it.
The file parses on Python 2.7 and 3.6 too (no annotations or f-strings), so an old Python reaches the refusal.
"""

from __future__ import print_function

import fcntl
import shutil
import subprocess
import sys

try:
    from pathlib import Path
except ImportError:  # Python 2: main() refuses it in one line before anything uses a path
    Path = None

ROOT = Path(__file__).resolve().parents[1] if Path else None
SUPPORTED = ((3, 11), (3, 12), (3, 13))  # the Pythons CI re-executes the notebooks on, byte for byte
INPUTS = (ROOT / "requirements.txt", ROOT / "pyproject.toml") if Path else ()
READY = ".ready"
PIP = ("-m", "pip", "install", "--quiet", "--disable-pip-version-check")


def python_problem(version=tuple(sys.version_info[:3])):
    """One line naming the Pythons needed, or None when this one is supported."""
    if tuple(version[:2]) in SUPPORTED:
        return None
    names = ["{}.{}".format(major, minor) for major, minor in SUPPORTED]
    needed = ", ".join(names[:-1]) + " or " + names[-1]
    found = ".".join(map(str, version))
    return "Python {} is not supported: this project needs Python {} (e.g. make PYTHON=python3.12)".format(
        found, needed
    )


def is_ready(venv):
    """The environment finished setting up after the last change to the pins."""
    marker = venv / READY
    return marker.is_file() and all(marker.stat().st_mtime >= path.stat().st_mtime for path in INPUTS)


def build(venv):
    """Create the environment and install the pins, the project and matplotlib's font cache."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python)] + list(PIP) + ["-r", str(INPUTS[0])], check=True, cwd=ROOT)
    subprocess.run([str(python)] + list(PIP) + ["--no-deps", "-e", str(ROOT)], check=True, cwd=ROOT)
    # builds the font cache now, so the first notebook does not announce it on stderr
    subprocess.run([str(python), "-c", "import matplotlib.pyplot"], check=True, cwd=ROOT)


def main(argv):
    """Command line entry point: bootstrap.py VENV_DIR."""
    problem = python_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    venv = Path(argv[0] if argv else ".venv")
    with Path("{}.lock".format(venv)).open("w") as lock:  # beside the folder it guards, so removing the folder keeps it
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Waiting for another set-up of {} to finish".format(venv), flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        if is_ready(venv):  # another run finished it while this one waited
            return 0
        if venv.exists() and not (venv / READY).exists():
            print("Removing {}: an earlier set-up did not finish".format(venv), flush=True)
            shutil.rmtree(venv)
        (venv / READY).unlink(missing_ok=True)  # unfinished from here until the last step
        print("Setting up {} with Python {} from requirements.txt".format(venv, sys.version.split()[0]), flush=True)
        try:
            build(venv)
        except (subprocess.CalledProcessError, KeyboardInterrupt, OSError) as error:
            shutil.rmtree(venv, ignore_errors=True)
            if isinstance(error, subprocess.CalledProcessError):
                why = "failed (python {} exited with {})".format(" ".join(map(str, error.cmd[1:4])), error.returncode)
            else:
                why = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed ({})".format(error)
            print("Set-up {}: removed {}, so the next run starts afresh".format(why, venv), file=sys.stderr)
            return 1
        (venv / READY).touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
