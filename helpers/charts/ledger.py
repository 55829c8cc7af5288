"""The charts of notebook 01, the ledger: figures by category and status, and each deal's status history."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from helpers.analysis import funding
from helpers.analysis import ledger as ledger_analysis
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import NEUTRAL, reader_words
from helpers.data.views import sources_of
from helpers.data.vocabulary import (
    CATEGORY_NAMES,
    EXAMPLE_STATUS,
    STATUS_GROUPS,
)


def ledger_status_chart(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Deals per kind, split by their most advanced status: how much of the story is firm (deals, not rows)."""
    deals = ledger_analysis.deals(figures)
    table = pd.crosstab(deals["category"], deals["group"]).reindex(columns=list(STATUS_GROUPS), fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    firm, total = int(table["firm"].sum()), int(table.to_numpy().sum())
    fig, ax = frame.new_figure(height=3.2)
    left = pd.Series(0, index=table.index)
    labels = [reader_words(c, CATEGORY_NAMES).capitalize() for c in table.index]
    for group in STATUS_GROUPS:
        ax.barh(labels, table[group], left=left, height=0.7, **grammar.bar_style(EXAMPLE_STATUS[group], NEUTRAL))
        left = left + table[group]
    for position, count in enumerate(left):
        ax.annotate(
            f"{int(count)}", (count, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, left.max() * 1.1)
    frame.titles(
        fig,
        f"{firm} of the {total} deals in the ledger were announced, signed or closed",
        "Deals by kind, at the most advanced status any report gave them (number of deals); a part of a deal (an "
        "investor's share of a round) is counted in the whole; forecasts, revenue and valuations are not deals"
        + ledger_analysis.filed_words(figures)
        + ledger_analysis.left_out_words(figures),
    )
    # the filings that set a deal's status are credited with the deals' own reports
    filed = funding.filed_totals(figures).query("basis == 'committed'")
    frame.footer(fig, sources_of(pd.concat([figures[figures["event"].isin(deals["event"])], filed])), sources)
    placement.legend_clear_of_data(ax, grammar.status_legend_handles())
    frame.attach_data(fig, table)
    return fig
