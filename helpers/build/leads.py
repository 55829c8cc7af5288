"""Write each notebook's lead (headline, standfirst, key-number box) from the data, before the notebook runs.

The lead is the first thing a reader sees, above the assumptions, so no cell can compute it in place: it would
run before the parameters it depends on. Instead `make report` runs each notebook's assumptions and set-up cells
here, with the values committed in its parameters cell, and writes the lead into the notebook's first markdown
cell (headline and standfirst) and the cell after it (the box). tests/test_story.py checks the committed leads
against the data the same way.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd

from helpers.analysis import funding_words, scenarios, story, story_leads
from helpers.build.commands import read_notebook, write_atomic
from helpers.data import vocabulary
from helpers.data.load import ROOT

LEAD_TAG = "lead"
NOTEBOOKS_DIR = ROOT / "notebooks"


def setup_namespace(notebook: nbformat.NotebookNode) -> dict:
    """What a notebook's parameters cell and set-up cell leave behind, run with the committed assumptions."""
    code = [c for c in notebook.cells if c.cell_type == "code"]
    parameters_at = next(i for i, c in enumerate(code) if "parameters" in c.get("metadata", {}).get("tags", []))
    namespace: dict = {"__name__": "__lead__"}
    for cell in code[parameters_at : parameters_at + 2]:
        exec(compile(cell.source, "<notebook cell>", "exec"), namespace)  # noqa: S102 - our own committed cells
    return namespace


def _scenario_numbers(ns: dict) -> tuple:
    numbers, bounds = ns["numbers"], ns["bounds"]
    return numbers, bounds, ns["marks"], ns["listing"], ns["params"], ns["book"].figures, ns["book"].sources


LEADS: dict[str, Callable[[dict], story.Lead]] = {
    "01": lambda ns: story_leads.ledger_lead(
        ns["figures"], ns["sources"], funding_words.money_box(ns["figures"], vocabulary.FIRM_STATUSES)
    ),
    "02": lambda ns: story_leads.funding_lead(ns["figures"], ns["firm"], ns["sources"]),
    "03": lambda ns: story_leads.compute_lead(ns["deals"], ns["figures"]),
    "04": lambda ns: story_leads.scenarios_lead(*_scenario_numbers(ns)),
    "05": lambda ns: story_leads.odds_lead(
        ns["marks"], ns["odds"], ns["params"], ns["book"].figures, ns["ranking"], ns["book"].sources
    ),
    "06": lambda ns: story_leads.cash_lead(ns["found"], ns["view"], ns["figures"], ns["sources"], ns["params"].year),
}


def notebook_lead(path: Path, notebook: nbformat.NotebookNode | None = None) -> story.Lead:
    """The lead of one notebook, computed from the data with its committed assumptions."""
    notebook = notebook or nbformat.read(path, as_version=4)
    return LEADS[path.name[:2]](setup_namespace(notebook))


def front_lead(scenario_notebook: Path) -> story.Lead:
    """The front page's lead, from notebook 04's committed assumptions."""
    ns = setup_namespace(nbformat.read(scenario_notebook, as_version=4))
    if "numbers" not in ns:  # the set-up cell stops before the side-by-side: compute it as the notebook does
        ns["numbers"], ns["bounds"] = scenarios.side_by_side(
            ns["marks"], ns["listing"], ns["book"].figures, ns["params"]
        )
    return story_leads.front_lead(*_scenario_numbers(ns))


def with_lead(notebook: nbformat.NotebookNode, lead: story.Lead) -> nbformat.NotebookNode:
    """The notebook with its first markdown cell and the lead box after it rewritten (the box added if missing)."""
    first = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown")
    notebook.cells[first].source = story.headline_markdown(lead)
    box_id = notebook.cells[first].get("id", "lead").rsplit("-", 1)[0] + "-lead"
    following = notebook.cells[first + 1] if first + 1 < len(notebook.cells) else None
    if following is None or following.get("id") != box_id:
        following = nbformat.v4.new_markdown_cell(id=box_id)
        notebook.cells.insert(first + 1, following)
    following.source = story.box_markdown(lead)
    following.metadata = {"tags": [LEAD_TAG]}
    return notebook


def lead_problem(path: Path) -> str:
    """'' when a committed notebook's lead is what the data gives; else what differs."""
    notebook = nbformat.read(path, as_version=4)
    expected = with_lead(nbformat.read(path, as_version=4), notebook_lead(path, notebook))
    have = [c.source for c in notebook.cells[:3]]
    want = [c.source for c in expected.cells[:3]]
    return "" if have == want else f"{path.name}: lead is\n{have[:2]}\nthe data gives\n{want[:2]}"


def lead_html(lead: story.Lead, built: str) -> str:
    """The front page's lead block: headline, standfirst, key numbers and the date line, text escaped."""

    def linked(text: str) -> str:
        return story._TERM.sub(lambda m: f'<a href="glossary.html#{m.group(2)}">{m.group(1)}</a>', html.escape(text))

    try:  # the page's build date, as the front page writes it ('7 Dec 2026')
        stale = story.staleness(lead.as_of, pd.Timestamp(built)) if lead.as_of is not None else ""
    except ValueError:
        stale = ""
    numbers = "\n".join(
        f"<div><dt>{html.escape(number)}</dt><dd>{linked(what)}</dd></div>" for number, what in lead.numbers
    )
    return (
        f'<header class="lead">\n<p class="kicker">OpenAI\'s money, sourced</p>\n'
        f"<h1>{html.escape(story.plain_terms(lead.headline))}</h1>\n"
        f'<p class="standfirst">{linked(lead.standfirst)}</p>\n'
        f'<dl class="key-numbers">\n{numbers}\n</dl>\n'
        f'<p class="as-of">{f"{linked(lead.dated)} Report built {html.escape(built)}. {html.escape(stale)}".strip()}</p>\n'
        "</header>"
    )


LEAD_CSS = """
.lead .kicker { text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; color: #555; margin: 0; }
.lead h1 { margin: .2rem 0 .5rem; }
.lead .standfirst { font-size: 1.08rem; margin: 0 0 .7rem; }
.key-numbers { display: grid; grid-template-columns: repeat(4, 1fr); gap: .6rem; margin: 0 0 .5rem;
  border-top: 2px solid #222; border-bottom: 1px solid #ccc; padding: .5rem 0; }
.key-numbers dt { font-size: 1.35rem; font-weight: bold; line-height: 1.2; }
.key-numbers dd { margin: 0; font-size: .82rem; line-height: 1.3; color: #333; }
.lead .as-of { font-size: .8rem; margin: 0; }
@media (max-width: 480px) {
  .lead .standfirst { font-size: 1rem; line-height: 1.4; }
  .key-numbers { grid-template-columns: repeat(2, 1fr); gap: .4rem .8rem; }
  .key-numbers dt { font-size: 1.1rem; }
  .key-numbers dd { font-size: .78rem; }
}
"""


def refresh_leads(paths: list[Path]) -> None:
    """Rewrite each notebook's lead from the data (a notebook without a known lead is left alone); the file is
    written only when its lead changed, so an unchanged notebook keeps its bytes."""
    for path in paths:
        # only the project's own notebooks have a lead (a notebook elsewhere, a test's or a copy, is left alone)
        if path.name[:2] not in LEADS or path.resolve().parent != NOTEBOOKS_DIR:
            continue
        notebook = read_notebook(path)  # a broken file is named in one line, before any notebook runs
        before = nbformat.writes(notebook)
        updated = with_lead(notebook, notebook_lead(path, notebook))
        if nbformat.writes(updated) != before:
            text = nbformat.writes(updated)
            write_atomic(path, text if text.endswith("\n") else text + "\n")  # never half a notebook
