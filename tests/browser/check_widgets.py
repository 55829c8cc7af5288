"""04's live panel in JupyterLab in headless Chromium: run the notebook, move a slider, and the chart and table redraw
with helpers' numbers for the new inputs; saving then leaves the notebook as committed (no widget view or state).

Run by `make browser` beside check_pages.py, whose JupyterLab driver (server, browser, page opening) it reuses.
Writes the measured time from the slider move to the redrawn chart to build/screenshots/widgets-latency.json.
"""

from __future__ import annotations

import base64
import json
import re
import time

import pytest

from helpers import charts, data
from helpers.analysis import scenario_words, scenarios
from helpers.build import report
from helpers.charts import panel
from helpers.notebook import parameters
from tests.browser.check_pages import SHOTS, browser, lab, lab_context, open_in_lab  # noqa: F401 (fixtures)

NOTEBOOK = "04-valuation-scenarios.ipynb"
SLIDER = "LISTING_VALUATION_USD_BN"
CHART = f".{panel.CHART_CLASS} img, img.{panel.CHART_CLASS}"
TABLE = f".{panel.TABLE_CLASS} table"
# the chart's bytes as the page holds them (the Image widget shows them through a blob URL)
CHART_BYTES = """async sel => {
  const img = document.querySelector(sel);
  const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let text = ''; for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}"""
CELLS = "sel => [...document.querySelector(sel).rows].map(r => [...r.cells].map(c => c.textContent))"
# time from the key press to the chart's new picture, measured in the page
WATCH = """sel => {
  const img = document.querySelector(sel);
  window.__redrawn = null;
  new MutationObserver((_, observer) => { window.__redrawn = performance.now(); observer.disconnect(); })
    .observe(img, {attributes: true, attributeFilter: ['src']});
  window.__moved = performance.now();
}"""


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assumptions() -> tuple[parameters.Checked, list]:
    """04's parameters as its Assumptions cell sets them, checked as the notebook checks them, and their specs."""
    specs = scenarios.parameter_specs(data.load_ledger())
    notebook = report.read_notebook(report.NOTEBOOKS_DIR / NOTEBOOK)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    namespace: dict[str, object] = {}
    exec(cell.source, {}, namespace)  # the cell only assigns constants
    return parameters.check(namespace, specs), specs


def expected(changes: dict[str, float]) -> tuple[list[list[str]], bytes, panel.View]:
    """The table's cells and the chart's bytes helpers compute for 04's assumptions with `changes` made."""
    book = data.load_ledger()
    charts.use_house_style()
    params, specs = assumptions()
    marks = scenarios.marks(book.scenarios, book.figures)
    view = panel.side_by_side_view(book, marks, panel.moved(params, specs, changes))
    listing = scenarios.listing(book.scenarios, book.figures, view.params)
    table = scenario_words.formatted(view.numbers, view.bounds, marks, listing, book.figures)
    rows = [["", *map(str, table.columns)]]
    rows += [[str(index), *map(str, row)] for index, row in zip(table.index, table.values, strict=True)]
    return [[_words(c) for c in row] for row in rows], view.png, view


def test_moving_a_slider_in_jupyterlab_redraws_the_chart_and_table_with_helpers_numbers(lab_context, lab):  # noqa: F811
    base, root = lab
    path = root / NOTEBOOK
    committed = (report.NOTEBOOKS_DIR / NOTEBOOK).read_bytes()
    remote: list[str] = []  # the widgets' front end must come from the environment (jupyterlab_widgets), offline
    widget_scripts: list[str] = []  # and the listener sees requests: the extension's own files are among them

    def outside(request) -> None:
        if "jupyter-widgets" in request.url or "jupyterlab_widgets" in request.url:
            widget_scripts.append(request.url)
        if not request.url.startswith((base, "data:", "blob:")):
            remote.append(request.url)

    lab_context.on("request", outside)
    page, errors = open_in_lab(lab_context, base, path, "widgets")
    page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").click()
    page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Run All Cells").click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    prompts = "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim())"
    page.wait_for_function(f"{prompts}.some(t => t.includes('*'))", timeout=30_000)
    page.wait_for_function(f"{prompts}.every(t => /^\\[\\d+\\]:$/.test(t))", timeout=300_000)
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_function(f"document.querySelector({CHART!r}).complete", timeout=20_000)
    # the panel starts at the Assumptions cell's values: the same chart bytes the static cell shows
    _, png, _ = expected({})
    assert base64.b64decode(page.evaluate(CHART_BYTES, CHART)) == png, "the panel does not start at the assumptions"
    before = page.evaluate(CHART_BYTES, CHART)

    slider = page.locator(".widget-slider", has=page.locator("label", has_text=panel.CONTROLS[SLIDER][0]))
    slider.locator(".noUi-handle").focus()
    page.evaluate(WATCH, CHART)
    page.keyboard.press("ArrowRight")  # one step of the listing value slider
    page.wait_for_function("window.__redrawn !== null", timeout=60_000)
    latency_ms = page.evaluate("window.__redrawn - window.__moved")
    page.wait_for_function(f"document.querySelector({CHART!r}).complete", timeout=20_000)
    moved_to = float(assumptions()[0][SLIDER]) + panel.CONTROLS[SLIDER][3]
    assert _words(slider.locator(".widget-readout").inner_text()) == f"{moved_to:,.0f}"
    after = page.evaluate(CHART_BYTES, CHART)
    rows, png, view = expected({SLIDER: moved_to})
    assert after != before, "the chart did not change"
    assert base64.b64decode(after) == png, "the chart is not helpers' chart for the new listing value"
    page.wait_for_function(f"document.querySelector({TABLE!r}).rows[0].cells.length === {len(rows[0])}", timeout=20_000)
    shown = [[_words(c) for c in row] for row in page.evaluate(CELLS, TABLE)]
    assert shown == rows, "the table's numbers are not helpers' numbers for the new listing value"
    multiple = scenario_words.shown("multiple", view.numbers.at["multiple", "round-2026-close"], "exact")
    assert any(multiple in cell for row in shown for cell in row)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 3000})  # the whole panel in view
    page.locator(f".{panel.PANEL_CLASS}").screenshot(path=str(SHOTS / "lab-widgets-panel.png"))
    (SHOTS / "widgets-latency.json").write_text(json.dumps({"slider_to_redrawn_chart_ms": round(latency_ms)}) + "\n")

    # saving keeps the committed bytes: the save hook drops the panel's widget view and any widget state
    stamp = path.stat().st_mtime_ns
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    for _ in range(100):
        if path.stat().st_mtime_ns != stamp:
            break
        time.sleep(0.2)
    else:
        pytest.fail("JupyterLab did not save the notebook")
    time.sleep(0.5)
    assert path.read_bytes() == committed, "saving after running the panel changed the notebook"
    lab_context.remove_listener("request", outside)
    assert widget_scripts and not remote, f"fetched from outside JupyterLab: {remote[:5]}"
    assert not errors, errors
    page.close()
