"""A Jupyter server pre-save hook: a notebook saved from JupyterLab keeps the bytes `make report` writes.

JupyterLab copies the running kernel's language_info into a notebook when it opens it, and saving (or
autosave) then writes the Python patch version into the file. `make report` leaves that key out, so that the
committed notebooks are the same on every supported Python, and `make test` compares bytes. The hook removes
the key before the server writes the file.

It also drops what a live widget panel (04's sliders, helpers/charts/panel.py) leaves in a saved notebook: the
widget-view outputs, whose model ids are random and which show nothing once the kernel is gone, and the widget state
JupyterLab can be set to save in the notebook's metadata. The cells around the panel hold its static version. `python -m helpers.notebook.save_hook` turns it on for every Jupyter server
started from the current environment (`make lab`, `jupyter lab`, Binder) by adding it to the environment's
etc/jupyter/jupyter_server_config.json; the set-up does this for .venv.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HOOK = "helpers.notebook.save_hook.drop_machine_metadata"  # an import string: the server imports it
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_machine_metadata(model: dict[str, Any], **_: Any) -> None:
    """Remove the kernel's Python patch version and any live widgets from a notebook about to be saved (other files
    pass untouched)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    metadata = model["content"].get("metadata", {})
    language_info = metadata.get("language_info")
    if isinstance(language_info, dict):
        language_info.pop("version", None)
    metadata.pop("widgets", None)
    drop_widget_views(model["content"])


def drop_widget_views(notebook: dict[str, Any]) -> None:
    """Remove every output that is a live widget's view (it holds a random model id and no static content)."""
    for cell in notebook.get("cells", []):
        if isinstance(cell, dict) and isinstance(cell.get("outputs"), list):
            cell["outputs"] = [o for o in cell["outputs"] if WIDGET_VIEW not in (o.get("data") or {})]


def install(prefix: Path = Path(sys.prefix)) -> Path:
    """Name the hook in `prefix`/etc/jupyter/jupyter_server_config.json, keeping any other settings there."""
    # a jupyter_server_config.d/*.json file would be read for enabling extensions only, not for this setting
    path = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    settings.setdefault("ContentsManager", {})["pre_save_hook"] = HOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main() -> int:
    """Command line: install the hook and say where."""
    print(f"Jupyter servers started from {sys.prefix} now run {HOOK} before saving ({install()})")
    return 0


if __name__ == "__main__":
    from helpers import cli

    cli.run(main)
