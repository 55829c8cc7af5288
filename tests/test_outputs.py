"""Outputs other tools read: markdown sentences carry themselves as text/plain; JSON outputs survive a JupyterLab save."""

import json

import nbformat
from IPython.core.formatters import DisplayFormatter

from helpers.build import report
from helpers.notebook import prose, tables

FORMATTER = DisplayFormatter()


def test_a_sentence_publishes_its_text_as_plain_text_too():
    data, _ = FORMATTER.format(prose.md("A buyer at $852B loses money if the listing is under **$1T** <b>"))
    assert data["text/markdown"] == prose.escape_prose(
        "A buyer at $852B loses money if the listing is under **$1T** <b>"
    )
    assert data["text/plain"] == "A buyer at $852B loses money if the listing is under **$1T** <b>"


def test_a_plain_markdown_object_would_not():
    """What every markdown output carried before: the object's name (so the test above can fail)."""
    from IPython.display import Markdown

    assert FORMATTER.format(Markdown("A sentence"))[0]["text/plain"] == "<IPython.core.display.Markdown object>"


def test_no_committed_output_falls_back_to_an_object_name():
    found = []
    for path in report.notebook_paths():
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/plain", "")
                if "<IPython.core.display" in text or " object at 0x" in text:
                    found.append(f"{path.name} cell {cell.get('id')}: {text[:60]}")
    assert not found, found


def test_json_numbers_are_written_as_javascript_reads_them_back():
    value = {"a": 500.0, "b": [0.0, 0.25, 2], "c": {"d": 1e20, "e": -3.0, "f": "852.0"}, "g": None, "h": True}
    converted = tables.json_numbers(value)
    assert converted == {"a": 500, "b": [0, 0.25, 2], "c": {"d": 10**20, "e": -3, "f": "852.0"}, "g": None, "h": True}
    assert json.dumps(converted) == json.dumps(json.loads(json.dumps(converted)))
    assert type(converted["a"]) is int and type(converted["b"][1]) is float and converted["h"] is True


def test_committed_json_outputs_have_no_whole_floats():
    """JupyterLab turns 500.0 into 500 when it saves; a whole float in a committed output would change on save."""

    def whole_floats(value) -> list:
        if isinstance(value, dict):
            return [x for v in value.values() for x in whole_floats(v)]
        if isinstance(value, list):
            return [x for v in value for x in whole_floats(v)]
        return [value] if isinstance(value, float) and value.is_integer() else []

    outputs = [
        output["data"]["application/json"]
        for path in report.notebook_paths()
        for cell in nbformat.read(path, as_version=4).cells
        for output in cell.get("outputs", [])
        if "application/json" in output.get("data", {})
    ]
    assert outputs and not [x for o in outputs for x in whole_floats(o)]
