"""Notebook 03's who-pays-whom chart: OpenAI as the hub, ten partners around it, one arrow per edge from who pays
to who is paid, each in the house status encoding and labelled in words (amount with its bound, what, status)."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, Rectangle

from helpers.analysis import funding, network, network_words
from helpers.charts import frame, grammar
from helpers.charts.grammar import LABEL_INK, NEUTRAL_LIGHT
from helpers.data.vocabulary import MONEY_KINDS
from helpers.notebook.tables import money

# x positions, in % of the axes width: names, the partner's node, arrows, the OpenAI hub, then the words
X_NAME, X_NODE, X_HUB, HUB_WIDTH, X_LABEL = 0.0, 16.5, 37.5, 2.4, 42.0
LABEL_CHARS = 58  # a label longer than this wraps at its "; " (the words column is about 60% of 740 px)
ROW_IN, GAP_ROWS, EXTRA_LINE_ROWS = 0.21, 0.55, 0.8
LABEL_PT, NAME_PT = 8.0, 9.0
TOTALS_ROWS = 6.2  # rows above the arrows for the four total bars
SOURCE_OUTLETS = 5  # the most-cited outlets named under the chart; the rest are in its data file and 03's table
SHAFT, HEAD_LENGTH = 0.34, 2.4  # an arrow's shaft height in rows and head length in % of the width


def wrapped(label: str, width: int = LABEL_CHARS) -> str:
    """A label on one line, or broken at its '; ' (a clause too long alone at a space) into lines of at most
    `width`: each clause stays whole where it fits, so a line never ends mid-phrase."""
    lines: list[str] = []
    for clause in label.split("; "):
        joined = f"{lines[-1]}; {clause}" if lines else clause
        if lines and len(joined) <= width:
            lines[-1] = joined
        else:
            if lines:
                lines[-1] += ";"
            lines.extend(textwrap.wrap(clause, width) or [clause])
    return "\n".join(lines)


def _rows(table: pd.DataFrame) -> tuple[list[float], dict[str, tuple[float, float]], float, list[str]]:
    """The y of each edge, each partner's first and last edge y, the total height in rows, and the wrapped labels."""
    labels = [wrapped(label) for label in table["label"]]
    ys, spans, y, previous = [], {}, 0.0, None
    for company, label in zip(table["company"], labels, strict=True):
        if previous is not None and company != previous:
            y += GAP_ROWS
        height = 1 + EXTRA_LINE_ROWS * label.count("\n")
        ys.append(y + height / 2)
        first, _ = spans.get(company, (y + height / 2, 0.0))
        spans[company] = (first, y + height / 2)
        y, previous = y + height, company
    return ys, spans, y, labels


def _edge_style(edge: pd.Series) -> tuple[dict, str]:
    """The patch style and colour of an edge: who pays gives the colour (a partner's, OpenAI's black for its
    purchases and loans, grey for money inside another deal); the status group gives the fill, and firm equity not
    yet paid in is the grammar's lighter tint (its paid share is drawn solid over it, as 02's bars are)."""
    if not edge["counted"]:
        color = NEUTRAL_LIGHT
    elif edge["direction"] == network.TO_OPENAI:
        color = grammar.company_color(edge["company"])
    else:
        color = grammar.company_color("OpenAI")
    if edge["group"] == "conditional":
        return grammar.conditional_style(color), color
    if edge["kind"] == "equity" and edge["group"] == "firm" and edge["paid_usd_bn"] < edge["floor_usd_bn"]:
        return grammar.unpaid_style(color), color
    return grammar.bar_style(edge["status"], color), color


def paid_share(edge: pd.Series) -> float:
    """The share of a firm equity edge paid in (0 for any other edge): the solid part of its shaft."""
    if edge["kind"] != "equity" or edge["group"] != "firm" or not edge["floor_usd_bn"] > 0:
        return 0.0
    return min(float(edge["paid_usd_bn"]) / float(edge["floor_usd_bn"]), 1.0)


def network_chart(table: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Who pays whom between OpenAI and its partners: an arrow per edge of `network.edges`, the words beside it."""
    ys, spans, height_rows, labels = _rows(table)
    fig, ax = frame.new_figure(height=ROW_IN * (height_rows + 1.6 + TOTALS_ROWS) + 0.2)
    ax.set_xlim(0, 100)
    ax.set_ylim(height_rows + 0.1, -1.5)
    # the totals get their own axes above the arrows (a second row of the layout, its bars right of the names)
    grid = fig.add_gridspec(2, 2, height_ratios=[TOTALS_ROWS, height_rows + 1.6], width_ratios=[0.28, 0.72])
    ax.set_subplotspec(grid[1, :])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.spines[:].set_visible(False)
    openai = grammar.company_color("OpenAI")
    ax.add_patch(Rectangle((X_HUB, -0.35), HUB_WIDTH, height_rows + 0.35, facecolor=openai, edgecolor=openai))
    ax.text(X_HUB + HUB_WIDTH / 2, -0.55, "OpenAI", ha="center", va="bottom", fontsize=NAME_PT, fontweight="bold")
    start, end = X_NODE + 1.2, X_HUB - 0.2
    for company, (first, last) in spans.items():
        color = grammar.company_color(company)
        middle = (first + last) / 2
        ax.text(X_NAME, middle, company, ha="left", va="center", fontsize=NAME_PT, fontweight="bold", color=LABEL_INK)
        ax.plot([start, start], [first, last], color=color, linewidth=1.6, solid_capstyle="butt")
        ax.scatter([X_NODE], [middle], s=70, color=color, zorder=3)
        ax.plot([X_NODE, start], [middle, middle], color=color, linewidth=1.6)
    for y, label, (_, edge) in zip(ys, labels, table.iterrows(), strict=True):
        style, color = _edge_style(edge)
        into = edge["direction"] == network.TO_OPENAI
        tail, head = (start, end) if into else (end, start)
        if not edge["counted"]:
            # a note, not a payment: a thin solid line with no head, so it cannot read as OpenAI paying this company
            # (dotted is the grammar's mark for an assumption, so it is not used here)
            ax.plot([start, end], [y, y], color=NEUTRAL_LIGHT, linewidth=0.9, solid_capstyle="butt")
            ax.text(X_LABEL, y, label, ha="left", va="center", fontsize=LABEL_PT, color=LABEL_INK, linespacing=1.15)
            continue
        ax.add_patch(
            FancyArrow(
                tail,
                y,
                head - tail,
                0,
                width=SHAFT,
                head_width=0.78,
                head_length=HEAD_LENGTH,
                length_includes_head=True,
                **style,
            )
        )
        share = paid_share(edge)
        if 0 < share < 1:
            # the paid part of the shaft, solid from the payer's end; the tint beyond it is committed, not paid
            shaft = abs(head - tail) - HEAD_LENGTH
            ax.add_patch(Rectangle((tail, y - SHAFT / 2), shaft * share, SHAFT, **grammar.bar_style("closed", color)))
        ax.text(X_LABEL, y, label, ha="left", va="center", fontsize=LABEL_PT, color=LABEL_INK, linespacing=1.15)
    totals = network_words.firm_totals(table)
    # the arrows have one length, so the title's totals are drawn as bars above them
    _totals_bars(fig.add_subplot(grid[0, 1]), totals, network_words.circular_totals(table))
    frame.titles(
        fig,
        network_words.network_title(table),
        network_words.investors_only_words(table)
        + " Arrows point to who receives (partners' own shares and warrants given to OpenAI point in). Solid: firm; hatched: talks or press report; white: conditional; dashed: "
        f"lapsed; light tint: equity {funding.COMMITTED}; grey line: a note, not a payment. $B",
    )
    left_out = network.left_out(figures)
    frame.footer(
        fig,
        network.edge_sources(figures, table),
        sources,
        note=network_words.purchases_parts(figures, table)
        + f" Equity {funding.PAID_IN}: payments reported and rounds or tranches that closed, as on the funding page;"
        " no 'up to', warrant or conditional money is in a total."
        + (f" Also left out: {left_out}." if left_out else "")
        + network.share_note(figures, table),
        outlets=SOURCE_OUTLETS,
        rest="every arrow's sources are in the chart's data file and in the compute commitments page's tables",
    )
    # the edges as drawn, one row an arrow; the ids as text so the CSV is one value a cell
    frame.attach_data(
        fig,
        table.assign(
            figure_ids=table["figure_ids"].map(" ".join), sources=network.edge_citations(figures, sources, table)
        ),
    )
    return fig


def _totals_bars(inset, totals: dict, circular: dict) -> None:
    """The title's totals as bars (floors, $B) above the arrows: all firm purchases, then the part bought from the
    partners that also invest, in OpenAI's colour with a floor's arrow where the sum is a floor; then those same
    partners' firm equity and all partners' equity in the totals' grey, the paid-in part solid and the rest in the
    committed tint, as the arrows and 02's bars draw them."""
    conditional = f"; +{money(totals['conditional_usd_bn'])} conditional" if totals["conditional_usd_bn"] else ""
    black, grey = grammar.company_color("OpenAI"), grammar.NEUTRAL
    both = _listed(circular["partners"]) if circular["partners"] else ""

    def equity_words(words: str, total: float, paid: float, extra: str = "") -> str:
        # the total, then its parts in 02's words (paid in solid, committed in the tint); on a second line when the
        # conditional money makes one line too long for the words column
        return f"{words}{extra}{chr(10) if extra else '; '}{money(paid)} {funding.PAID_IN}, {money(total - paid)} {MONEY_KINDS['unpaid_usd_bn'][0]}"

    rows = [("Firm purchases from these partners", totals["purchases_usd_bn"], 0.0, totals["purchases_words"], black)]
    if both:
        rows += [
            (f"of which from {both}", circular["purchases_usd_bn"], 0.0, circular["purchases_words"], black),
            (
                f"Firm equity from {both}",
                circular["equity_usd_bn"],
                circular["paid_usd_bn"],
                equity_words(circular["equity_words"], circular["equity_usd_bn"], circular["paid_usd_bn"]),
                grey,
            ),
        ]
    rows.append(
        (
            "Firm equity from all these partners",
            totals["equity_usd_bn"],
            totals["paid_usd_bn"],
            equity_words(totals["equity_words"], totals["equity_usd_bn"], totals["paid_usd_bn"], conditional),
            grey,
        )
    )
    for position, (_name, value, paid, words, color) in enumerate(rows):
        if color == grey:
            inset.barh(position, paid, height=0.6, **grammar.bar_style("closed", color))
            inset.barh(position, value - paid, left=paid, height=0.6, **grammar.unpaid_style(color))
        else:
            inset.barh(position, value, height=0.6, **grammar.bar_style("closed", color))
        floor = words.startswith("at least") or words.split(";")[0].endswith("or more")
        if floor:
            grammar.bound_mark(inset, value, position, "at_least", color)
        inset.annotate(
            words,
            (value, position),
            xytext=(10 if floor else 4, 0),
            textcoords="offset points",
            va="center",
            fontsize=LABEL_PT,
            color=LABEL_INK,
        )
    inset.set_yticks(range(len(rows)), [name for name, *_ in rows], fontsize=LABEL_PT)
    inset.set_ylim(len(rows) - 0.3, -0.5)  # room below for the last row's second line
    inset.set_xlim(0, max(v for _, v, *_ in rows) * 1.6)
    inset.set_xticks([])
    inset.grid(False)
    inset.spines[:].set_visible(False)
    inset.tick_params(axis="y", length=0)


def _listed(names: list[str]) -> str:
    """'Microsoft', 'Microsoft and Amazon', 'Microsoft, Amazon and Nvidia'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
