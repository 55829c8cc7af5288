"""Legends clear of filled areas (helpers/charts/_placement.py): the dotted assumed ranges of 05's input chart once
sat under its legend (issue 17), because only bars, lines, markers and labels counted as obstacles."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from matplotlib.lines import Line2D

from helpers import charts, data
from helpers.analysis import listing_odds
from helpers.build import report
from helpers.charts import _placement, frame
from helpers.notebook import parameters


def _clear(ax, legend) -> bool:
    renderer = frame.renderer_of(ax.figure)
    box = legend.get_window_extent(renderer)
    return not any(area.intersects_bbox(box, filled=True) for area in _placement.filled_areas(ax))


@pytest.fixture(autouse=True)
def house_style():
    """The charts' rcParams, whatever an earlier test left (the legend's size depends on them)."""
    charts.use_house_style()


def _handles(count: int) -> list:
    return [Line2D([], [], color="black", label=f"entry {i}") for i in range(count)]


def test_a_legend_avoids_a_filled_area_inside_the_axes_when_there_is_room():
    fig, ax = plt.subplots(figsize=(7.4, 3), layout="constrained")
    xs = np.linspace(0, 1, 50)
    ax.fill_between(xs, np.where(xs < 0.5, 1.0, 0.0))  # fills the left half only
    ax.set_ylim(0, 1)
    legend = _placement.legend_clear_of_data(ax, _handles(3))
    fig.draw_without_rendering()
    assert _clear(ax, legend) and legend._loc == 1  # upper right, inside the axes
    plt.close(fig)


def test_a_panel_with_no_clear_place_gets_the_legend_above_beside_its_title():
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.4, 3), layout="constrained")
    for ax in (top, bottom):
        xs = np.linspace(0, 1, 50)
        ax.fill_between(xs, np.ones_like(xs))  # an assumed range over the whole panel: no place inside is clear
        ax.set_ylim(0, 1.0)
    top.set_title("A short panel", loc="left")
    legend = _placement.legend_clear_of_data(top, _handles(4))
    fig.draw_without_rendering()
    renderer = frame.renderer_of(fig)
    box = legend.get_window_extent(renderer)
    assert _clear(top, legend) and box.y0 >= top.get_window_extent(renderer).y1 - 1
    assert box.x0 > top._left_title.get_window_extent(renderer).x1
    plt.close(fig)


@pytest.fixture(scope="module")
def input_chart():
    """05's input chart drawn from its Assumptions cell, as the notebook draws it."""
    book = data.load_ledger()
    charts.use_house_style()
    notebook = nbformat.read(report.NOTEBOOKS_DIR / "05-listing-odds.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    namespace: dict[str, object] = {}
    exec(cell.source, {}, namespace)
    params = parameters.check(namespace, listing_odds.parameter_specs(book))
    marks = listing_odds.marks(book.scenarios, book.figures)
    cited = data.sources_of(listing_odds.cited_figures(marks, book.figures))
    references = listing_odds.references(book.figures, params["AS_OF"])
    fig = charts.input_distributions(
        listing_odds.distributions(params), references, book.sources, cited, params["AS_OF"]
    )
    fig.draw_without_rendering()
    yield fig
    plt.close(fig)


def test_the_input_charts_legend_covers_no_assumed_range(input_chart):
    legends = [(ax, ax.get_legend()) for ax in input_chart.axes if ax.get_legend() is not None]
    assert len(legends) == 1
    ax, legend = legends[0]
    assert _clear(ax, legend)
    renderer = frame.renderer_of(input_chart)
    box = legend.get_window_extent(renderer)
    for other in input_chart.axes:  # nor any other panel's range, title or labels
        assert all(not area.intersects_bbox(box, filled=True) for area in _placement.filled_areas(other))
        texts = [t for t in [*other.texts, other._left_title] if t.get_text().strip()]
        assert not any(_placement.overlap(box, t.get_window_extent(renderer), 0.5) for t in texts)
