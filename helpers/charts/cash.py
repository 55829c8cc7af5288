"""The charts of notebook 06, cash: results by period, and one year's money out, in and held."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.analysis import cash
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import INK, NEUTRAL, NEUTRAL_LIGHT, TENTATIVE_HATCH
from helpers.data.views import stated
from helpers.data.vocabulary import FIRM_STATUSES, LOWER_BOUND_QUALIFIERS
from helpers.notebook.tables import money

# greys only: these are OpenAI's own flows, not companies; money in is light, money out dark
RESULT_STYLE = {
    "revenue": {"facecolor": NEUTRAL_LIGHT, "edgecolor": NEUTRAL_LIGHT},
    "operating_loss": {"facecolor": INK, "edgecolor": INK},
    "cash_burn": {"facecolor": NEUTRAL, "edgecolor": NEUTRAL},
    # an outline, not a hatch: hatching means a press report and nothing else
    "net_loss": {"facecolor": "white", "edgecolor": INK, "linewidth": 1.4},
}
PRESS_LABEL = "hatched: press report, not confirmed by the company"


def _press_overlay(ax, y: float, left: float, width: float, height: float, face: str) -> None:
    """Hatch a press-reported bar over its own fill: white lines on a filled bar, ink lines on an empty one."""
    if width > 0:
        ink = INK if face == "white" else "white"
        ax.barh(y, width, left=left, height=height, facecolor="none", edgecolor=ink, hatch=TENTATIVE_HATCH, linewidth=0)


def _press_handle() -> Patch:
    return Patch(label=PRESS_LABEL, **grammar.bar_style("reported", NEUTRAL))


VIEW_STYLE = {
    "out": {"facecolor": NEUTRAL, "edgecolor": NEUTRAL},
    "in": {"facecolor": NEUTRAL_LIGHT, "edgecolor": NEUTRAL_LIGHT},
    "held": {"facecolor": "white", "edgecolor": NEUTRAL, "linewidth": 1.0},
}


def results_chart(found: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Revenue, operating loss, cash burn and net loss for each reported period, as grouped horizontal bars."""
    periods = sorted(found["period"].unique(), key=cash.period_order)
    metrics = [m for m in cash.RESULT_METRICS if m in set(found["metric"])]
    fig, ax = frame.new_figure(height=1.1 + 0.95 * len(periods))
    step, height = 1.0 / (len(metrics) + 1), 0.8 / (len(metrics) + 1)
    labels = []
    for p_index, period in enumerate(periods):
        for m_index, metric in enumerate(metrics):
            cell = found[found["period"].eq(period) & found["metric"].eq(metric)]
            if cell.empty:
                continue
            row = cell.iloc[0]
            y = p_index + m_index * step
            ax.barh(y, row["value"], height=height, **RESULT_STYLE[metric])
            if row["status"] not in FIRM_STATUSES:
                _press_overlay(ax, y, 0.0, row["value"], height, RESULT_STYLE[metric]["facecolor"])
            labels.append((row["value"], y, stated(row)))
    for x, y, words in labels:
        ax.annotate(words, (x, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7.5)
    centre = (len(metrics) - 1) * step / 2
    ax.set_yticks([i + centre for i in range(len(periods))], [cash.period_words(p).capitalize() for p in periods])
    ax.set_ylim(len(periods) - 1 + centre * 2 + step, -step)
    ax.set_xlim(0, found["value"].max() * 1.12)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    grammar.usd_axis(ax)
    frame.titles(
        fig,
        cash.results_title(found, sources),
        "Reported results by period, $ billions; periods differ in length (a year, a half, a quarter); "
        "losses and burn drawn as positive amounts",
    )
    frame.footer(fig, cash.results_sources(found), sources)
    placement.make_room_right(ax)
    handles = [Patch(label=cash.RESULT_WORDS[m], **RESULT_STYLE[m]) for m in metrics]
    if (~found["status"].isin(FIRM_STATUSES)).any():
        handles.append(_press_handle())
    placement.legend_clear_of_data(ax, handles, fontsize=7.5)  # after the layout is final
    frame.attach_data(fig, found)
    return fig


def year_chart(
    view: pd.DataFrame, year: int, source_ids: list[str], sources: pd.DataFrame, figures: pd.DataFrame | None = None
) -> Figure:
    """One year's money out (commitments, burn), money in (revenue, capital) and cash held, on one $ scale."""
    fig, ax = frame.new_figure(height=3.4)
    for position, (_, row) in enumerate(view.iterrows()):
        assumed = row["kind"] == "out, assumed"
        style = grammar.assumed_style(NEUTRAL) if assumed else VIEW_STYLE[row["kind"]]
        ax.barh(position, row["usd_bn"], height=0.7, **style)
        # the press-reported part hatched, drawn at the bar's end
        press = row.get("press_usd_bn", 0.0)
        _press_overlay(ax, position, row["usd_bn"] - press, press, 0.7, style["facecolor"])
        bound = (
            "about "  # a schedule on assumed starts and terms is an estimate, not a floor
            if assumed
            else {"about": "about ", "more_than": "more than ", "at_least": "at least "}.get(
                row.get("qualifier", "exact"), ""
            )
        )
        # the year's commitments keep the direction their title gives them ('or more' when a floor falls in the year)
        words = bound + money(row["usd_bn"]) + (f"{cash.or_more(view)} (assumed starts and terms)" if assumed else "")
        floor = bool(cash.or_more(view)) if assumed else row.get("qualifier", "exact") in LOWER_BOUND_QUALIFIERS
        if floor:
            # the grammar's floor mark at the bar's end: 'or more' drawn, not only written
            grammar.bound_mark(ax, row["usd_bn"], position, "at_least", NEUTRAL)
        ax.annotate(
            words,
            (row["usd_bn"], position),
            xytext=(9 if floor else 4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(view)), [m[0].upper() + m[1:] for m in view.index])
    ax.set_ylim(len(view) - 0.5, -0.5)
    ax.set_xlim(0, view["usd_bn"].max() * 1.05)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    grammar.usd_axis(ax)
    frame.titles(
        fig,
        cash.year_title(view, year, figures, sources),  # with the figures, a figure on aggregators only says so
        "Money going out (dark grey), coming in (light grey) and held (white), $ billions; dotted: each contract "
        "spread over its term, starts and terms assumed where none was reported; hatched: press reports; the burn bar is a forecast",
    )
    frame.footer(fig, source_ids, sources)
    placement.make_room_right(ax)
    frame.attach_data(fig, view)
    return fig
