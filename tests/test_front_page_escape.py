"""The front page re-renders each notebook's bottom line and standfirst: data text in them stays inert."""

import nbformat

from helpers.build import report
from helpers.notebook import prose

PAYLOAD = "[D2](https://e.example.com) <b>D3</b> _D7_ **D8**"


def _notebook(bottom_markdown: str, standfirst: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x", metadata={"tags": [report.BOTTOM_LINE_TAG]})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": bottom_markdown})]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# Title\n\n{standfirst}"), cell])


def test_a_data_text_in_a_bottom_line_is_not_turned_live_on_the_front_page():
    prose.remember_data_text([PAYLOAD])
    bottom = prose.md(f"- The deal **{PAYLOAD}** closed at $852B.").data
    summary = report.summarize(_notebook(bottom, "A [glossary word](../docs/glossary.md#x) here."), "01-x", 1.0)
    rendered = report._markdown_to_html(summary.bottom_line)
    assert "<a " not in rendered and "<b>" not in rendered and "<em>" not in rendered
    assert "&lt;b&gt;D3&lt;/b&gt;" in rendered or "&#60;b&#62;" in rendered or "&lt;b>" in rendered
    assert "$852B" in rendered and "<strong>" in rendered  # the helper's own bold and the dollars still work
    assert summary.question == "A glossary word here."


def test_a_data_text_that_looks_like_a_link_keeps_its_brackets_in_the_standfirst():
    standfirst = prose.md(f"Read on {PAYLOAD}.").data
    summary = report.summarize(_notebook("", standfirst), "01-x", 1.0)
    assert "[D2](https://e.example.com)" in summary.question  # printed as typed, escaped when the page is written
