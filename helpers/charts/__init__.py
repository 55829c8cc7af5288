"""Every chart of the notebooks, one function each, drawn in one grammar (grammar.py) on the house frame (frame.py).

A notebook cell calls `charts.<name>(...)` and then `charts.show(fig)`. Notebook N's builders are in
`charts/<topic>.py`, beside its numbers in `analysis/<topic>.py`.
"""

from helpers.charts.cash import results_chart, year_chart
from helpers.charts.compute import comparison_chart, flows_chart, provider_chart, schedule_chart
from helpers.charts.frame import show, use_house_style
from helpers.charts.funding import (
    capital_per_deal_chart,
    cumulative_capital_chart,
    investor_chart,
    valuation_marks_chart,
)
from helpers.charts.ledger import ledger_status_chart
from helpers.charts.listing_odds import input_distributions, odds_bands
from helpers.charts.network import network_chart
from helpers.charts.panel import side_by_side_panel
from helpers.charts.scenarios import case_grid_chart, marks_chart, sensitivity_chart
from helpers.charts.timeline import event_marks, event_timeline

__all__ = [
    "capital_per_deal_chart",
    "case_grid_chart",
    "comparison_chart",
    "cumulative_capital_chart",
    "event_timeline",
    "flows_chart",
    "input_distributions",
    "event_marks",
    "investor_chart",
    "ledger_status_chart",
    "marks_chart",
    "network_chart",
    "odds_bands",
    "provider_chart",
    "results_chart",
    "schedule_chart",
    "sensitivity_chart",
    "show",
    "side_by_side_panel",
    "use_house_style",
    "valuation_marks_chart",
    "year_chart",
]
