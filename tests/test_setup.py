"""Set-up (tools/bootstrap.py, run by make): an unsupported Python stops in one line; no half-built .venv survives."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

from helpers.data.load import ROOT

SCRIPT = ROOT / "tools" / "bootstrap.py"
PYTHON_3_10 = Path("/root/.pyenv/versions/3.10.13/bin/python3")


def _load():
    spec = importlib.util.spec_from_file_location("bootstrap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bootstrap = _load()


@pytest.mark.parametrize("version", [(3, 10, 13), (3, 14, 0), (2, 7, 18)])
def test_unsupported_python_is_named_with_the_versions_needed(version):
    found = ".".join(map(str, version))
    assert bootstrap.python_problem(version) == (
        f"Python {found} is not supported: this project needs Python 3.11, 3.12 or 3.13 (e.g. make PYTHON=python3.12)"
    )


@pytest.mark.parametrize("version", [(3, 11, 7), (3, 12, 1), (3, 13, 0)])
def test_supported_python_passes(version):
    assert bootstrap.python_problem(version) is None


@pytest.mark.skipif(not PYTHON_3_10.exists(), reason="no Python 3.10 on this machine")
def test_python_3_10_stops_at_once_with_one_line(tmp_path):
    venv = tmp_path / "venv"
    done = subprocess.run([str(PYTHON_3_10), str(SCRIPT), str(venv)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [bootstrap.python_problem((3, 10, 13))]
    assert not venv.exists()


def test_a_failed_install_leaves_no_environment(tmp_path, monkeypatch, capsys):
    venv = tmp_path / "venv"

    def pip_fails(folder: Path) -> None:
        (folder / "bin").mkdir(parents=True)  # what `python -m venv` leaves before pip runs
        raise subprocess.CalledProcessError(1, ["pip", "install"])

    monkeypatch.setattr(bootstrap, "build", pip_fails)
    assert bootstrap.main([str(venv)]) == 1
    assert not venv.exists()
    assert f"removed {venv}, so the next run starts afresh" in capsys.readouterr().err


def test_an_unfinished_environment_is_not_reused(tmp_path, monkeypatch, capsys):
    venv = tmp_path / "venv"
    (venv / "lib").mkdir(parents=True)  # an earlier run stopped before writing the marker
    (venv / "lib" / "leftover").write_text("half", encoding="utf-8")
    existed = []

    def build(folder: Path) -> None:
        existed.append(folder.exists())
        folder.mkdir()

    monkeypatch.setattr(bootstrap, "build", build)
    assert bootstrap.main([str(venv)]) == 0
    assert existed == [False]  # built from nothing
    assert not (venv / "lib").exists()
    assert (venv / ".ready").is_file()
    assert f"Removing {venv}: an earlier set-up did not finish" in capsys.readouterr().out
