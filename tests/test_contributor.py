"""Contributor habits leave the committed notebooks alone: nbstripout as a git filter, and saving from Jupyter.

The JupyterLab open-run-save round trip itself runs in a real browser in tests/browser/check_pages.py
(`make browser`); here the server's pre-save hook is checked through Jupyter's REST API, without a browser.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers.build import report
from helpers.data import ROOT
from helpers.notebook import save_hook

NOTEBOOK = report.NOTEBOOKS_DIR / "05-listing-odds.ipynb"  # the smallest; every notebook carries the same metadata


def test_every_notebook_asks_nbstripout_to_keep_its_outputs():
    for path in report.notebook_paths():
        assert nbformat.read(path, as_version=4).metadata.get("keep_output") is True, path.name


def _git(repo: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository holding one committed notebook and the project's .gitattributes, with its own HOME."""
    home, repo = tmp_path / "home", tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), GIT_CONFIG_NOSYSTEM="1")
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copy(NOTEBOOK, repo / "notebooks" / NOTEBOOK.name)
    _git(repo, "init", "-q", env=env)
    _git(repo, "config", "user.email", "test@example.invalid", env=env)
    _git(repo, "config", "user.name", "test", env=env)
    return repo, env


def staged(repo: Path, env: dict[str, str]) -> bytes:
    """The notebook as `git add` stores it, after any clean filter."""
    path = f"notebooks/{NOTEBOOK.name}"
    (repo / path).touch()  # a changed mtime makes git run the filter again
    _git(repo, "add", path, env=env)
    return subprocess.run(["git", "show", f":{path}"], cwd=repo, env=env, check=True, capture_output=True).stdout


def nbstripout(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "nbstripout", *args], cwd=repo, env=env, check=True, capture_output=True)


def outputs(notebook: nbformat.NotebookNode) -> list[list[dict]]:
    """Each cell's outputs without their execution counts (nbstripout's default drops the counts, not the outputs)."""
    return [
        [{k: v for k, v in o.items() if k != "execution_count"} for o in c.get("outputs", [])] for c in notebook.cells
    ]


def test_a_global_nbstripout_filter_leaves_the_notebooks_as_committed(clone):
    repo, env = clone
    nbstripout(repo, env, "--install", "--global")
    assert "filter=nbstripout" in (Path(env["XDG_CONFIG_HOME"]) / "git" / "attributes").read_text()
    assert staged(repo, env) == NOTEBOOK.read_bytes()  # .gitattributes unsets the filter for notebooks/


def test_a_clone_local_nbstripout_filter_keeps_every_output(clone):
    """`nbstripout --install` wins over .gitattributes; "keep_output" in the metadata still keeps the outputs."""
    repo, env = clone
    nbstripout(repo, env, "--install")
    committed, stored = nbformat.read(NOTEBOOK, as_version=4), nbformat.reads(staged(repo, env).decode(), as_version=4)
    assert any(outputs(committed)) and outputs(stored) == outputs(committed)
    # nbstripout's defaults still drop the execution counts and renumber cell ids: the README's line fixes that
    assert [cell.get("execution_count") for cell in stored.cells if cell.cell_type == "code"] != [
        cell.get("execution_count") for cell in committed.cells if cell.cell_type == "code"
    ]
    _git(repo, "config", "filter.nbstripout.clean", f"{sys.executable} -m nbstripout --keep-count --keep-id", env=env)
    assert staged(repo, env) == NOTEBOOK.read_bytes()


def test_the_readme_gives_the_line_that_keeps_counts_and_ids():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'git config filter.nbstripout.clean "python3 -m nbstripout --keep-count --keep-id"' in readme


def test_the_save_hook_drops_only_the_python_version():
    model = {"type": "notebook", "content": {"metadata": {"language_info": {"name": "python", "version": "3.12.1"}}}}
    save_hook.drop_machine_metadata(model=model, path="x.ipynb", contents_manager=None)
    assert model["content"]["metadata"] == {"language_info": {"name": "python"}}
    text = {"type": "file", "content": '{"metadata": {"language_info": {"version": "3.12.1"}}}'}
    save_hook.drop_machine_metadata(model=dict(text), path="x.json")
    assert text["content"].count("3.12.1") == 1


def test_installing_the_hook_keeps_other_server_settings(tmp_path):
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"port": 9999}, "ContentsManager": {"allow_hidden": True}}))
    assert save_hook.install(tmp_path) == config
    assert json.loads(config.read_text()) == {
        "ServerApp": {"port": 9999},
        "ContentsManager": {"allow_hidden": True, "pre_save_hook": "helpers.notebook.save_hook.drop_machine_metadata"},
    }


@pytest.mark.parametrize("installed", [True, False], ids=["hook installed", "no hook"])
def test_a_jupyter_server_saves_a_notebook_without_the_python_version_once_the_hook_is_installed(tmp_path, installed):
    """What JupyterLab sends on save, through a real server configured the way the set-up configures .venv."""
    prefix, root = tmp_path / "prefix", tmp_path / "root"
    root.mkdir()
    # no configuration from the user's or the environment's folders (.venv has the hook): only the file written here
    config = ["--config", str(save_hook.install(prefix))] if installed else []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, JUPYTER_NO_CONFIG="1", JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    command = [sys.executable, "-m", "jupyter", "server", *config, "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    command += ["--IdentityProvider.token=t", f"--ServerApp.root_dir={root}", "--ServerApp.jpserver_extensions={}"]
    command += ["--allow-root"] if os.geteuid() == 0 else []
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/status?token=t", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
        notebook["metadata"]["language_info"]["version"] = "3.11.7"  # what JupyterLab adds when it opens a notebook
        body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
        request = urllib.request.Request(f"{base}/contents/{NOTEBOOK.name}?token=t", data=body, method="PUT")
        assert urllib.request.urlopen(request, timeout=30).status in (200, 201)
    finally:
        server.terminate()
        server.wait(timeout=20)
    saved = (root / NOTEBOOK.name).read_bytes()
    assert (saved == NOTEBOOK.read_bytes()) is installed


@pytest.mark.parametrize("path", report.notebook_paths(), ids=lambda p: p.stem)
def test_papermill_shows_every_parameter_with_its_type_and_help(path):
    """`papermill --help-notebook` reads the annotation and the comment on the assignment's own line."""
    from papermill.inspection import inspect_notebook

    found = inspect_notebook(str(path))
    assert found
    untyped = [name for name, info in found.items() if info["inferred_type_name"] in ("None", "Unknown type")]
    unexplained = [name for name, info in found.items() if not info["help"].strip()]
    assert not untyped and not unexplained, f"no type: {untyped}; no help text: {unexplained}"
