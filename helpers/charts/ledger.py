"""The charts of notebook 01, the ledger: figures by category and status, and each deal's status history."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from helpers.analysis import funding
from helpers.analysis import ledger as ledger_analysis
from helpers.analysis.funding import CONDITIONAL
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import NEUTRAL, investor_color, reader_words
from helpers.data.views import latest, sources_of, stated
from helpers.data.vocabulary import (
    CATEGORY_NAMES,
    COMPANY_COLORS,
    EXAMPLE_STATUS,
    LAPSED_STATUSES,
    LIVE_STATUSES,
    STATUS_GROUPS,
    STATUS_NAMES,
    status_group,
)
from helpers.notebook.tables import money


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
        + ledger_analysis.left_out_words(figures),
    )
    frame.footer(fig, sources_of(figures[figures["event"].isin(deals["event"])]), sources)
    placement.legend_clear_of_data(ax, grammar.status_legend_handles())
    frame.attach_data(fig, table)
    return fig


def status_timeline(figures: pd.DataFrame, sources: pd.DataFrame, events: list[str]) -> Figure:
    """One lane per deal; a marker per report date in the house status encoding, the latest size in words."""
    rows = figures[figures["event"].isin(events) & figures["part_of"].ne(figures["event"])]
    rows = rows[rows["metric"].isin(["amount", "post_money", "pre_money", "valuation"])]
    order = list(dict.fromkeys(rows.sort_values("reported_on")["event"]))
    rank = {status: i for i, status in enumerate([*LAPSED_STATUSES, *LIVE_STATUSES])}
    # one marker per deal and date: the most advanced status reported that day (a closing is not hidden by talks)
    marks = (
        rows.assign(rank=rows["status"].map(rank))
        .sort_values(["event", "reported_on", "rank"])
        .groupby(["event", "reported_on"], as_index=False)
        .tail(1)
    )
    fig, ax = frame.new_figure(height=3.6)
    became_firm = 0
    for lane, event in enumerate(order):
        reports = marks[marks["event"] == event]
        color = _deal_color(rows[rows["event"] == event])
        ax.plot(reports["reported_on"], [lane] * len(reports), color=color, linewidth=1, alpha=0.5, zorder=1)
        for _, point in reports.iterrows():
            ax.scatter(point["reported_on"], lane, s=55, zorder=3, **grammar.marker_style(point["status"], color))
        groups = set(reports["status"].map(status_group))
        became_firm += int("tentative" in groups and "firm" in groups)
        ax.annotate(
            _deal_summary(rows[rows["event"] == event]),
            (reports["reported_on"].max(), lane),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=grammar.LABEL_INK,
        )
    deal_names = rows.drop_duplicates("event").set_index("event")["deal"]
    ax.set_yticks(range(len(order)), [deal_names[e] for e in order])
    ax.set_ylim(len(order) - 0.4, -0.6)
    start, end = rows["reported_on"].min(), rows["reported_on"].max()
    span = end - start
    ax.set_xlim(start - span * 0.03, end + span * 0.05)
    grammar.concise_dates(ax)
    ax.grid(axis="y", visible=False)
    frame.titles(
        fig,
        f"{became_firm} of the {len(order)} deals charted went from talks or press reports to an announced, signed "
        "or closed deal",
        "Each report of a deal's size or valuation, by report date. Filled: announced or closed; hatched: talks or "
        "press report; empty dashed: superseded. Colour: who puts in the money (grey: several). Words: the latest "
        "reported size",
    )
    frame.footer(fig, sources_of(rows), sources)
    placement.make_room_right(ax)  # after the footer: the layout is final
    frame.attach_data(fig, rows)
    return fig


def _deal_color(deal_rows: pd.DataFrame) -> str:
    """Who puts in the money: the investor of an investment or a round, the supplier of a purchase."""
    amounts = deal_rows[deal_rows["metric"].eq("amount")]
    if amounts.empty:
        return COMPANY_COLORS["OpenAI"]
    first = amounts.sort_values("reported_on").iloc[-1]
    other = first["subject"] if first["subject"] != "OpenAI" else first["counterparty"]
    return investor_color(str(other))


def _deal_summary(deal_rows: pd.DataFrame) -> str:
    """'$122B at $852B, closed': the deal's latest total and a valuation only as firm as it; its latest status."""
    round_totals = deal_rows["figure_id"].isin(funding.capital_events(deal_rows)["figure_id"])
    totals = deal_rows[deal_rows["basis"].isna() | deal_rows["basis"].eq("total") | round_totals]
    totals = totals if not totals.empty else deal_rows
    newest = latest(deal_rows, ["event"]).iloc[-1]  # any part: a signed tranche makes the deal signed
    amounts = totals[totals["metric"].eq("amount")]
    values = totals[totals["metric"].isin(["post_money", "valuation"])]
    parts = []
    if not amounts.empty:
        amount = latest(amounts, ["event"]).iloc[-1]
        conditional = deal_rows[deal_rows["metric"].eq("amount") & deal_rows["basis"].eq("conditional")]
        if not conditional.empty and amount["qualifier"] == "exact":
            # conditional money is never inside a firm total: the part without conditions, then the condition
            due = float(latest(conditional, ["event"]).iloc[-1]["value"])
            parts.append(f"{money(float(amount['value']) - due)} + {money(due)} {CONDITIONAL}")
        else:
            parts.append(stated(amount))
        # a valuation from talks is not the price of a firm deal: shown only when it is as firm as the amount
        values = values[values["status"].map(status_group).eq(status_group(amount["status"]))]
    if not values.empty:
        parts.append(("at " if parts else "valued at ") + stated(latest(values, ["event"]).iloc[-1]))
    return f"{' '.join(parts)}, {reader_words(newest['status'], STATUS_NAMES)}"
