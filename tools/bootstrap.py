"""Set up the virtual environment from requirements.txt, or stop with one line that says why.

`make` runs it with the base Python (standard library only): `python3 tools/bootstrap.py .venv`.
It refuses an unsupported Python before creating anything, lets one set-up run at a time, and
removes a half-built environment (failed or interrupted install) so that no later run reuses it.
The file parses on Python 2.7 and 3.6 too (no annotations or f-strings), so an old Python reaches the refusal.

The pins are installed with uv when it can be had (on PATH, or installed from the package index into the
new environment as one wheel) and with pip otherwise; both install the same requirements.txt. SETUP_WITH=pip
(or uv) forces one.
"""

from __future__ import print_function

import fcntl
import os
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
TOOLS = ("uv", "pip")


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


def uv_command(python, which=None):
    """The uv to install with: the one on PATH, else one pip puts into the new environment; None if neither."""
    found = (which or shutil.which)("uv")  # looked up here: Python 2 has no shutil.which to default to
    if found:
        return [found]
    # uv is published as a wheel with its binary inside, so pip can install it where no uv is on PATH
    done = subprocess.run([str(python)] + list(PIP) + ["uv"], cwd=ROOT, capture_output=True, text=True)
    return [str(python), "-m", "uv"] if done.returncode == 0 else None


def chosen_tool(environ=None):
    """The installer SETUP_WITH asks for (uv or pip), or None to use uv when it can be had."""
    wanted = (os.environ if environ is None else environ).get("SETUP_WITH", "").strip().lower()
    if wanted and wanted not in TOOLS:
        raise ValueError("SETUP_WITH={!r}: must be one of {}".format(wanted, ", ".join(TOOLS)))
    return wanted or None


def install_commands(python, uv):
    """The commands that install the pins and then the project (without dependencies: the pins are the lock)."""
    if uv:
        target = ["--python", str(python), "--quiet"]
        return [
            uv + ["pip", "install"] + target + ["-r", str(INPUTS[0])],
            uv + ["pip", "install"] + target + ["--no-deps", "-e", str(ROOT)],
        ]
    return [
        [str(python)] + list(PIP) + ["-r", str(INPUTS[0])],
        [str(python)] + list(PIP) + ["--no-deps", "-e", str(ROOT)],
    ]


def build(venv, tool=None):
    """Create the environment, install the pins, the project and matplotlib's font cache; returns the installer used."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    uv = None if tool == "pip" else uv_command(python)
    if tool == "uv" and uv is None:
        raise OSError("SETUP_WITH=uv, but uv is not on PATH and pip could not install it")
    print("Installing the pins with {}".format("uv" if uv else "pip"), flush=True)
    for command in install_commands(python, uv):
        subprocess.run(command, check=True, cwd=ROOT)
    # builds the font cache now, so the first notebook does not announce it on stderr
    subprocess.run([str(python), "-c", "import matplotlib.pyplot"], check=True, cwd=ROOT)
    # JupyterLab started from this environment saves notebooks without the Python patch version
    subprocess.run([str(python), "-m", "helpers.notebook.save_hook"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return "uv" if uv else "pip"


def main(argv):
    """Command line entry point: bootstrap.py VENV_DIR."""
    problem = python_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    venv = Path(argv[0] if argv else ".venv")
    try:
        tool = chosen_tool()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
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
            build(venv, tool)
        except (subprocess.CalledProcessError, KeyboardInterrupt, OSError) as error:
            shutil.rmtree(venv, ignore_errors=True)
            if isinstance(error, subprocess.CalledProcessError):
                command = [Path(str(error.cmd[0])).name] + [str(part) for part in error.cmd[1:4]]
                why = "failed ({} exited with {})".format(" ".join(command), error.returncode)
            else:
                why = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed ({})".format(error)
            print("Set-up {}: removed {}, so the next run starts afresh".format(why, venv), file=sys.stderr)
            return 1
        (venv / READY).touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
