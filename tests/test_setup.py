"""Set-up (tools/bootstrap.py, run by make): an unsupported Python stops in one line; no half-built .venv survives;
uv installs the pins when it can be had, pip otherwise, from the same requirements.txt."""

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

    def pip_fails(folder: Path, tool: str | None = None) -> None:
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

    def build(folder: Path, tool: str | None = None) -> None:
        existed.append(folder.exists())
        folder.mkdir()

    monkeypatch.setattr(bootstrap, "build", build)
    assert bootstrap.main([str(venv)]) == 0
    assert existed == [False]  # built from nothing
    assert not (venv / "lib").exists()
    assert (venv / ".ready").is_file()
    assert f"Removing {venv}: an earlier set-up did not finish" in capsys.readouterr().out


@pytest.mark.parametrize("value, tool", [("", None), ("uv", "uv"), ("pip", "pip"), (" PIP ", "pip")])
def test_setup_with_chooses_the_installer(value, tool):
    assert bootstrap.chosen_tool({"SETUP_WITH": value}) == tool
    assert bootstrap.chosen_tool({}) is None


def test_an_unknown_installer_stops_in_one_line_before_anything_is_created(tmp_path, monkeypatch, capsys):
    venv = tmp_path / "venv"
    monkeypatch.setenv("SETUP_WITH", "conda")
    monkeypatch.setattr(bootstrap, "build", lambda *args: pytest.fail("built despite a bad SETUP_WITH"))
    assert bootstrap.main([str(venv)]) == 1
    assert capsys.readouterr().err.splitlines() == ["SETUP_WITH='conda': must be one of uv, pip"]
    assert not venv.exists()


def test_uv_on_path_is_used_without_installing_it(monkeypatch):
    monkeypatch.setattr(bootstrap.subprocess, "run", lambda *a, **k: pytest.fail("ran pip though uv is on PATH"))
    assert bootstrap.uv_command(Path("venv/bin/python"), which=lambda name: f"/opt/bin/{name}") == ["/opt/bin/uv"]


@pytest.mark.parametrize("returncode, expected", [(0, ["venv/bin/python", "-m", "uv"]), (1, None)])
def test_without_uv_on_path_pip_installs_it_or_pip_is_used(monkeypatch, returncode, expected):
    ran = []

    def run(command, **kwargs):
        ran.append(command)
        return subprocess.CompletedProcess(command, returncode, "", "no uv wheel for this platform")

    monkeypatch.setattr(bootstrap.subprocess, "run", run)
    assert bootstrap.uv_command(Path("venv/bin/python"), which=lambda name: None) == expected
    assert ran == [["venv/bin/python", *bootstrap.PIP, "uv"]]


@pytest.mark.parametrize("uv", [["/opt/bin/uv"], None], ids=["uv", "pip"])
def test_both_installers_install_the_same_pins_then_the_project_without_dependencies(uv):
    python = Path("/tmp/venv/bin/python")
    pins, project = bootstrap.install_commands(python, uv)
    assert pins[-2:] == ["-r", str(bootstrap.ROOT / "requirements.txt")]
    assert project[-3:] == ["--no-deps", "-e", str(bootstrap.ROOT)]
    for command in (pins, project):
        if uv:  # uv installs into the new environment, never into the Python it runs from
            assert command[:3] == ["/opt/bin/uv", "pip", "install"] and command[command.index("--python") + 1] == str(
                python
            )
        else:
            assert command[:4] == [str(python), "-m", "pip", "install"]


def test_setup_with_uv_fails_cleanly_when_uv_cannot_be_had(tmp_path, monkeypatch, capsys):
    venv = tmp_path / "venv"
    monkeypatch.setenv("SETUP_WITH", "uv")
    monkeypatch.setattr(bootstrap, "uv_command", lambda python: None)
    assert bootstrap.main([str(venv)]) == 1
    err = capsys.readouterr().err
    assert "uv is not on PATH and pip could not install it" in err and f"removed {venv}" in err
    assert not venv.exists()


def test_the_setup_benchmark_puts_uv_beside_pip_per_cache_state(tmp_path, monkeypatch, capsys):
    """make bench: each installer cold then warm into fresh environments, uv's time over pip's, against the target."""
    from helpers.build import bench

    seconds = {("pip", "cold"): 200.0, ("pip", "warm"): 100.0, ("uv", "cold"): 20.0, ("uv", "warm"): 60.0}
    calls = []

    def fake(tool: str, venv: Path, cache: Path) -> float:
        calls.append((tool, venv.name, cache.name))
        venv.mkdir()
        return seconds[tool, venv.name.rsplit("-", 1)[1]]

    monkeypatch.setattr(bench, "setup_seconds", fake)
    rows = bench.setup_rows(tmp_path)
    assert calls == [
        ("pip", "venv-pip-cold", "cache-pip"),
        ("pip", "venv-pip-warm", "cache-pip"),
        ("uv", "venv-uv-cold", "cache-uv"),
        ("uv", "venv-uv-warm", "cache-uv"),
    ]
    assert [r[3:] for r in rows] == [["", ""], ["0.10x", "<= 0.5x: met"], ["", ""], ["0.60x", "<= 0.5x: MISSED"]]
    assert not list(tmp_path.glob("venv-*")), "each environment is removed after it is timed"
    assert "cold = empty pip and uv caches" in capsys.readouterr().out
