"""04's live panel (helpers/charts/panel.py): shown only to a front end a person uses, redrawn with the static cells'
helpers, and never committed (no widget view, no widget state) nor written back by a JupyterLab save."""

from __future__ import annotations

import json

import jupyter_client
import nbformat
import pytest

from helpers import charts, data
from helpers.analysis import scenarios
from helpers.build import report
from helpers.charts import panel
from helpers.notebook import parameters, save_hook

DEFAULTS = {
    "AS_OF": "2026-11-22",
    "LISTING_VALUATION_USD_BN": 1000,
    "YEARS_TO_LISTING": 1.0,
    "DILUTION_TO_LISTING": 0.10,
    "INVESTMENT_USD_BN": 10,
    "INVESTMENT_MARK": "round-2026-close",
    "REVENUE_BASIS": "calendar",
    "TARGET_REVENUE_MULTIPLE": 25,
    "LISTING_FIGURE": "",
    "HURDLE_RATE": 0.10,
    "LISTING_CHANCE": 0.8,
    "NO_LISTING_HAIRCUT": 0.25,
}


@pytest.fixture(scope="module")
def setup():
    book = data.load_ledger()
    charts.use_house_style()
    specs = scenarios.parameter_specs(book)
    return book, scenarios.marks(book.scenarios, book.figures), parameters.check(DEFAULTS, specs), specs


def test_every_control_is_a_declared_parameter_and_its_range_passes_the_check(setup):
    book, _, params, specs = setup
    for name, (_, low, high, _, _) in panel.CONTROLS.items():
        for value in (low, high):
            assert panel.moved(params, specs, {name: value})[name] == value


def test_a_moved_value_is_checked_like_the_assumptions_cell(setup):
    _, _, params, specs = setup
    assert panel.moved(params, specs, {}) == params  # AS_OF goes back as YYYY-MM-DD and comes out the same
    with pytest.raises(parameters.ParameterError, match="DILUTION_TO_LISTING"):
        panel.moved(params, specs, {"DILUTION_TO_LISTING": 1.0})


def test_the_view_is_the_static_cells_arithmetic(setup):
    book, marks, params, specs = setup
    moved = panel.moved(params, specs, {"LISTING_VALUATION_USD_BN": 1500.0, "DILUTION_TO_LISTING": 0.2})
    view = panel.side_by_side_view(book, marks, moved)
    listing = scenarios.listing(book.scenarios, book.figures, moved)
    numbers, _ = scenarios.side_by_side(marks, listing, book.figures, moved)
    assert view.numbers.equals(numbers)
    # by hand: a buyer at the $852B post-money keeps 1 - 0.2 of the stake: 1500 x 0.8 / 852
    assert view.numbers.at["multiple", "round-2026-close"] == pytest.approx(1500 * 0.8 / 852)
    assert view.png.startswith(b"\x89PNG") and panel.png_width_px(view.png) > 600


def test_moving_a_slider_redraws_the_chart_and_table_with_the_new_numbers(setup):
    book, marks, params, specs = setup
    live = panel.build_panel(book, marks, params, specs)
    chart, table = live.chart.value, live.table.value
    live.sliders["LISTING_VALUATION_USD_BN"].value = 1500.0
    assert live.chart.value != chart and live.table.value != table and not live.status.value
    expected = panel.side_by_side_view(book, marks, panel.moved(params, specs, {"LISTING_VALUATION_USD_BN": 1500.0}))
    assert live.table.value == expected.table_html and live.chart.value == expected.png
    assert "1.58x" in live.table.value  # 1500 x 0.9 / 852, the check


def test_after_moves_the_panel_shows_what_the_static_cells_show_for_the_same_inputs(setup):
    """The panel works out the slider-free parts once and redraws from them; its chart and table must still be,
    byte for byte, what 04's static cells (marks_chart, charts.show's PNG, formatted) give for the same inputs."""
    import pandas as pd

    from helpers.analysis import scenario_words
    from helpers.charts import frame

    book, marks, params, specs = setup
    live = panel.build_panel(book, marks, params, specs)
    changes = {"LISTING_VALUATION_USD_BN": 1500.0, "YEARS_TO_LISTING": 2.5, "DILUTION_TO_LISTING": 0.2}
    changes |= {"HURDLE_RATE": 0.15, "INVESTMENT_USD_BN": 25.0}
    for name, value in changes.items():  # one redraw per move, each from the last panel state
        live.sliders[name].value = value
    moved = panel.moved(params, specs, changes)
    listing = scenarios.listing(book.scenarios, book.figures, moved)
    numbers, bounds = scenarios.side_by_side(marks, listing, book.figures, moved)
    fig = charts.marks_chart(marks, listing, numbers, bounds, moved, book.sources, book.figures)
    assert live.chart.value == frame.png_bytes(fig)
    with pd.option_context("display.max_colwidth", None):
        table = scenario_words.formatted(numbers, bounds, marks, listing, book.figures).to_html(escape=True)
    assert table in live.table.value and not live.status.value


def _run(code: str, allow_stdin: bool) -> list[dict]:
    """The iopub outputs of `code` run in a fresh kernel by a client that does or does not allow stdin."""
    manager, client = jupyter_client.manager.start_new_kernel(kernel_name="python3", cwd=str(report.NOTEBOOKS_DIR))
    try:
        msg_id = client.execute(code, allow_stdin=allow_stdin)
        outputs = []
        while True:
            msg = client.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return outputs
            if msg["msg_type"] in ("display_data", "execute_result", "stream", "error"):
                outputs.append(msg["content"])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


PANEL_CELL = f"""
from helpers import charts, data
from helpers.analysis import scenarios
from helpers.notebook import parameters
book = data.load_ledger()
specs = scenarios.parameter_specs(book)
params = parameters.check({DEFAULTS!r}, specs)
charts.side_by_side_panel(book, scenarios.marks(book.scenarios, book.figures), params, specs)
"""


@pytest.mark.parametrize("allow_stdin", [True, False], ids=["a person's front end", "nbclient or nbval"])
def test_the_panel_shows_only_where_a_person_can_move_it(allow_stdin):
    outputs = _run(PANEL_CELL, allow_stdin)
    views = [o for o in outputs if save_hook.WIDGET_VIEW in o.get("data", {})]
    assert not [o for o in outputs if "ename" in o or o.get("name") == "stderr"], outputs
    assert len(views) == (1 if allow_stdin else 0) and len(outputs) == len(views)


def test_the_committed_notebooks_hold_no_widget_view_or_state():
    for path in report.notebook_paths():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in notebook["metadata"], path.name
        text = json.dumps([c.get("outputs", []) for c in notebook["cells"]])
        assert save_hook.WIDGET_VIEW not in text, path.name
    cells = {c.id: c for c in nbformat.read(report.NOTEBOOKS_DIR / "04-valuation-scenarios.ipynb", 4).cells}
    assert "side_by_side_panel" in cells["scenarios-widgets"].source and cells["scenarios-widgets"].outputs == []


def test_the_save_hook_drops_widget_views_and_state_and_keeps_the_rest():
    view = {"output_type": "display_data", "metadata": {}, "data": {save_hook.WIDGET_VIEW: {"model_id": "ab12"}}}
    text = {"output_type": "stream", "name": "stdout", "text": "kept"}
    content = {
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {}}, "kernelspec": {"name": "python3"}},
        "cells": [{"cell_type": "code", "outputs": [view, text]}, {"cell_type": "markdown", "source": "x"}],
    }
    save_hook.drop_machine_metadata(model={"type": "notebook", "content": content}, path="x.ipynb")
    assert content["metadata"] == {"kernelspec": {"name": "python3"}}
    assert content["cells"][0]["outputs"] == [text] and content["cells"][1] == {"cell_type": "markdown", "source": "x"}
