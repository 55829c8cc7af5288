"""04's live control panel: sliders that redraw the side-by-side chart and table with the helpers the static cells use.

The panel exists only for a person at a front end that runs Jupyter widgets (JupyterLab, Notebook, VS Code). Where
nobody can move a slider (`make report`, papermill and nbconvert through nbclient, nbval) the cell shows nothing, so
the committed notebook holds no widget view (its model ids are random) and no widget state, and the chart and table
cells above it are the static version for GitHub and the report. The save hook (helpers/notebook/save_hook.py) drops
the widget view again when JupyterLab saves, so a notebook run and saved there keeps the committed bytes.
"""

from __future__ import annotations

import html
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from helpers.analysis import scenario_words, scenarios
from helpers.charts import frame
from helpers.charts.scenarios import marks_chart, talks_shown
from helpers.data.load import Ledger
from helpers.notebook.parameters import Checked, Spec, check

# parameter -> (slider label, lowest, highest, step, readout format); the ranges stay inside parameter_specs'
# limits, and check() reads every moved value as if it had been typed into the Assumptions cell
CONTROLS: dict[str, tuple[str, float, float, float, str]] = {
    "LISTING_VALUATION_USD_BN": ("Listing value, $B", 300.0, 3000.0, 50.0, ",.0f"),
    "YEARS_TO_LISTING": ("Years to listing", 0.25, 6.0, 0.25, ".2f"),
    "DILUTION_TO_LISTING": ("Dilution to listing", 0.0, 0.5, 0.01, ".0%"),
    "HURDLE_RATE": ("Hurdle rate, a year", 0.0, 0.3, 0.005, ".1%"),
    "LISTING_CHANCE": ("Chance of listing", 0.0, 1.0, 0.05, ".0%"),
    "NO_LISTING_HAIRCUT": ("No-listing discount", 0.0, 0.9, 0.05, ".0%"),
    "INVESTMENT_USD_BN": ("Cheque, $B", 1.0, 100.0, 1.0, ",.0f"),
}
PANEL_CLASS, CHART_CLASS, TABLE_CLASS = "side-by-side-panel", "side-by-side-chart", "side-by-side-table"
STATUS_CLASS = "side-by-side-status"


def live_front_end() -> bool:
    """True when the running cell was sent by a front end a person can answer (its execute request allows stdin).

    nbclient (make report, papermill, nbconvert --execute) and nbval send allow_stdin=False; JupyterLab, Notebook
    and VS Code send True (the Jupyter messaging protocol's flag for a front end that can take input).
    """
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        return bool(kernel is not None and kernel.get_parent().get("content", {}).get("allow_stdin", False))
    except Exception:  # no IPython, or a kernel without get_parent: nobody to move a slider
        return False


def as_typed(params: Mapping[str, object]) -> dict[str, object]:
    """Checked parameters as they are written in the Assumptions cell (a date back to YYYY-MM-DD), to check again."""
    return {name: f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else v for name, v in params.items()}


def moved(params: Mapping[str, object], specs: Sequence[Spec], changes: Mapping[str, object]) -> Checked:
    """The parameters with the panel's values in place, checked as the Assumptions cell is (a bad value stops)."""
    return check({**as_typed(params), **changes}, specs)


@dataclass(frozen=True)
class View:
    """What the panel shows for one set of inputs: the numbers, the table as HTML and the chart as PNG bytes."""

    params: Checked
    numbers: pd.DataFrame
    bounds: pd.DataFrame
    table_html: str
    png: bytes


@dataclass(frozen=True)
class Fixed:
    """What no slider changes, worked out once when the panel is built: the revenue each price is divided by, and the
    talks drawn beside the prices (both pandas look-ups over the whole ledger)."""

    revenue: dict[str, dict[str, pd.Series | None]]
    talks: pd.DataFrame


def fixed_parts(book: Ledger, mark_table: pd.DataFrame) -> Fixed:
    """The slider-free parts of the side-by-side view, for `side_by_side_view`."""
    return Fixed(scenarios.revenue_used(mark_table, book.figures), talks_shown(mark_table, book.figures))


def side_by_side_view(book: Ledger, mark_table: pd.DataFrame, params: Checked, fixed: Fixed | None = None) -> View:
    """The side-by-side numbers, table and chart for `params`: the same helpers calls as 04's static cells (`fixed`:
    their slider-free parts, worked out once by the panel; without it, worked out here)."""
    fixed = fixed_parts(book, mark_table) if fixed is None else fixed
    listing = scenarios.listing(book.scenarios, book.figures, params)
    numbers, bounds = scenarios.side_by_side(mark_table, listing, book.figures, params, revenue=fixed.revenue)
    with pd.option_context("display.max_colwidth", None):
        table = scenario_words.formatted(numbers, bounds, mark_table, listing, book.figures, revenue=fixed.revenue)
        # ledger text is escaped, as in the static table; JupyterLab's class gives it the static table's look
        table_html = f'<div class="jp-RenderedHTMLCommon">{table.to_html(escape=True)}</div>'
    fig = marks_chart(mark_table, listing, numbers, bounds, params, book.sources, book.figures, talks=fixed.talks)
    png = frame.png_bytes(fig)
    plt.close(fig)
    return View(params, numbers, bounds, table_html, png)


def png_width_px(png: bytes) -> int:
    """The CSS width a house PNG is shown at (its pixel width over the house scale)."""
    return struct.unpack(">II", png[16:24])[0] // frame.SHOW_SCALE


def _slider(widgets: Any, name: str, value: float) -> Any:
    label, low, high, step, readout = CONTROLS[name]
    return widgets.FloatSlider(
        value=value,
        min=min(low, value),  # an Assumptions value outside the usual range widens it rather than being clipped
        max=max(high, value),
        step=step,
        description=label,
        readout_format=readout,
        continuous_update=False,  # one redraw when the handle is let go, not one per pixel dragged
        style={"description_width": "11em"},
        layout=widgets.Layout(width="30em"),
    )


@dataclass(frozen=True)
class Panel:
    """The live panel's widgets: the box to display, its sliders by parameter name, the chart, table and status."""

    box: Any
    sliders: dict[str, Any]
    chart: Any
    table: Any
    status: Any


def build_panel(book: Ledger, mark_table: pd.DataFrame, params: Checked, specs: Sequence[Spec]) -> Panel:
    """Sliders set to `params` whose every move redraws the chart and table below them (not displayed here)."""
    import ipywidgets as widgets  # only a live front end (or the bench) needs it; the report and nbval never import it

    sliders = {name: _slider(widgets, name, float(params[name])) for name in CONTROLS}
    fixed = fixed_parts(book, mark_table)
    view = side_by_side_view(book, mark_table, params, fixed)
    chart = widgets.Image(value=view.png, format="png", layout=widgets.Layout(width=f"{png_width_px(view.png)}px"))
    table, status = widgets.HTML(view.table_html), widgets.HTML("")
    for widget, name in ((chart, CHART_CLASS), (table, TABLE_CLASS), (status, STATUS_CLASS)):
        widget.add_class(name)

    def redraw(_change: object = None) -> None:
        try:
            fresh = side_by_side_view(
                book, mark_table, moved(params, specs, {n: s.value for n, s in sliders.items()}), fixed
            )
        except ValueError as error:  # a ParameterError: say why and keep the last chart
            status.value = f"<pre>{html.escape(str(error))}</pre>"
            return
        status.value = ""
        chart.value, table.value = fresh.png, fresh.table_html

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    grid = widgets.GridBox(list(sliders.values()), layout=widgets.Layout(grid_template_columns="repeat(2, 32em)"))
    box = widgets.VBox([grid, status, chart, table])
    box.add_class(PANEL_CLASS)
    return Panel(box, sliders, chart, table, status)


def side_by_side_panel(book: Ledger, mark_table: pd.DataFrame, params: Checked, specs: Sequence[Spec]) -> None:
    """In a live front end, display sliders that redraw the side-by-side chart and table; elsewhere show nothing."""
    if live_front_end():
        from IPython.display import display

        display(build_panel(book, mark_table, params, specs).box)
