"""Charts of the listing-odds notebook (05): the assumed input distributions and the odds per mark.

Both follow the shared grammar (helpers/charts/grammar.py): an assumed distribution is drawn in `grammar.assumed_style()`
(white, light dots, dotted outline), reported figures as solid lines, a mark's status as fill (solid firm, hatched
talks), all in neutral greys: none of it is a company's.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.analysis import listing_odds, listing_odds_words
from helpers.analysis.scenarios import capitalised
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.notebook.tables import money

GREY = grammar.NEUTRAL
BAND = grammar.NEUTRAL
DPI = frame.HOUSE_DPI
REPORT_DATES = re.compile(r"\s*\([A-Z][a-z]{2} \d{4}(?:, [A-Z][a-z]{2} \d{4})*\)")  # "(Oct 2025, Dec 2025)": too long
FLOOR_WORDS = re.compile(r"\d[BT]?\+|\bmore than\b|\bat least\b")  # "$60B+", "more than $1T"
# "$1T: more than; up to": a reported value read as a cap, as notebook 04's chart draws it (not "a raise at up to $1T")
CEILING_WORDS = re.compile(r"^\S+: (?:.*; )?(?:up to|less than)\b")
AXIS_FORMAT = {
    "listing_value_usd_bn": lambda v, _pos: money(v) if v > 0 else "$0",
    "years_to_listing": lambda v, _pos: f"{v:g} yr",
    "dilution": lambda v, _pos: f"{v:.0%}",
}


def _is_floor(label: str) -> bool:
    """A reported figure stated as a floor ('a $60B+ raise', 'more than $1T'): it gets the house arrow."""
    return bool(FLOOR_WORDS.search(label))


def _is_ceiling(label: str) -> bool:
    """A reported figure stated as a ceiling ('up to $1T'): it gets the house cap."""
    return bool(CEILING_WORDS.search(label))


def _reference_label(ax, value: float, label: str, floor: bool, ceiling: bool = False) -> None:
    """The reported figure named beside its line, at the top of the panel; a floor gets the house arrow, a ceiling the
    house cap (a value reported both ways gets both: neither reading may hide the other)."""
    low, high = ax.get_xlim()
    right_side = (value - low) / (high - low) > 0.65  # near the right edge the words go left of the line
    ax.annotate(label, (value, 1.0), xycoords=("data", "axes fraction"), xytext=(-4 if right_side else 4, -2),
                textcoords="offset points", ha="right" if right_side else "left", va="top", fontsize=8,
                color=grammar.INK, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
    if floor:  # 'more than': the arrow points the way the true figure lies
        grammar.bound_mark(ax, value, ax.get_ylim()[1] * 0.45, "more_than", grammar.INK, horizontal=True)
    if ceiling:  # 'up to': a cap across the line, below the arrow
        # across the vertical line the cap is a horizontal bar (a '|' would vanish into the line)
        grammar.bound_mark(ax, value, ax.get_ylim()[1] * 0.2, "up_to", grammar.INK, horizontal=False)


def _distribution_table(
    dists: dict[str, listing_odds.Distribution], references: dict[str, list[tuple[float, str]]]
) -> pd.DataFrame:
    """What the panels draw, as rows: each input's assumed low, likely, median and high, and each reported figure."""
    rows = []
    for name, dist in dists.items():
        for what, value in (("assumed low", dist.low), ("assumed likely", dist.likely), ("assumed high", dist.high)):
            rows.append({"input": name, "what": what, "value": value})
        rows.append({"input": name, "what": "assumed median", "value": float(dist.median())})
        rows += [{"input": name, "what": f"reported: {label}", "value": x} for x, label in references.get(name, [])]
    return pd.DataFrame(rows)


def input_distributions(
    dists: dict[str, listing_odds.Distribution],
    references: dict[str, list[tuple[float, str]]],
    sources: pd.DataFrame,
    source_ids: list[str],
    as_of: pd.Timestamp,
) -> Figure:
    """One panel per input, stacked: the assumed density (assumption encoding), reported figures as labelled lines."""
    fig, axes = plt.subplots(
        len(listing_odds.INPUTS), 1, figsize=(frame.HOUSE_WIDTH_IN, 4.4), layout="constrained", dpi=DPI
    )
    assumed = grammar.assumed_style()
    floors = ceilings = False
    for ax, name in zip(axes, listing_odds.INPUTS, strict=True):
        dist = dists[name]
        xs_ref = [x for x, _ in references[name]]
        lo, hi = min([dist.low, *xs_ref]), max([dist.high, *xs_ref])
        pad = (hi - lo) * 0.06 or max(abs(lo) * 0.1, 0.01)
        if dist.low == dist.high:  # collapsed to a point: a single assumed line
            ax.axvline(dist.low, color=GREY, linestyle=":", linewidth=2)
            peak = 1.0
        else:
            inside = np.linspace(dist.low, dist.high, 400)
            density = dist.density(inside)
            ax.fill_between(inside, density, **assumed)
            peak = float(np.max(density))
        ax.set_ylim(0, peak * 1.45)
        ax.set_xlim(lo - pad, hi + pad)
        for value, label in references[name]:
            # the ledger ids stay in the tables; the chart keeps the value and the words of each report, short
            words = REPORT_DATES.sub("", label).replace(" reported: ", ": ").replace("low end of a range", "range low")
            floors |= _is_floor(words)
            ceilings |= _is_ceiling(words)
            ax.axvline(value, color=grammar.INK, linewidth=1.2)
            _reference_label(ax, value, words, _is_floor(words), _is_ceiling(words))
        # the time axis counts from AS_OF: say which date "0" is
        since = f" (years after {as_of:%-d %b %Y})" if name == "years_to_listing" else ""
        ax.set_title(
            f"{listing_odds.INPUT_WORDS[name].capitalize()}{since}: {listing_odds_words.describe(dist, name)}",
            fontsize=8.5, fontweight="normal", loc="left",
        )  # fmt: skip
        ax.xaxis.set_major_formatter(plt.FuncFormatter(AXIS_FORMAT[name]))
        # round steps ($900B, $1T, $1.1T; 0.5 yr; 5%), never $1.05T
        ax.xaxis.set_major_locator(MaxNLocator(8, steps=[1, 2, 5, 10]))
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x", visible=False)
    medians = {name: dists[name].median() for name in listing_odds.INPUTS}
    frame.titles(
        fig,
        f"Median inputs: a {money(medians['listing_value_usd_bn'])} listing "
        f"{medians['years_to_listing']:.1f} years after {as_of:%b %Y}, after {medians['dilution']:.0%} dilution "
        "before any delay, more if the listing comes late",
        "Assumed probability of each input (dotted outline, dots: an assumption); solid lines: reported figures",
    )
    frame.footer(fig, source_ids, sources)
    handles = [
        grammar.assumed_legend_handle("assumed distribution"),
        Line2D([], [], color=grammar.INK, linewidth=1.2, label="reported figure"),
    ]
    if floors:
        handles.append(
            Line2D([], [], marker=">", color=grammar.INK, linestyle="", markersize=7, label="arrow: more than this")
        )
    if ceilings:
        handles.append(
            Line2D([], [], marker="_", color=grammar.INK, linestyle="", markersize=10, markeredgewidth=2,
                   label="cap: up to this")
        )  # fmt: skip
    placement.legend_clear_of_data(axes[0], handles, fontsize=7.5)
    frame.attach_data(fig, _distribution_table(dists, references))
    return fig


def _mark_words(mark: pd.Series) -> str:
    """'2026 round / $852B, Mar 2026' for a row label."""
    floor = "more than " if mark["direction"] == "at most" else ""
    text = f"{capitalised(mark['label'])}\n{floor}{money(mark['entry_usd_bn'])}, {mark['reported_on']:%b %Y}"
    return text + (f"\nkeeps {mark['kept_share']:.0%} after {mark['diluted_by']}" if mark["diluted_by"] else "")


# A mark's row label (its name, price and dilution) wraps at this width, so a scenario label of the longest length
# the check allows (LABEL_MAX_CHARS), named again in the older marks' "keeps ... after" line, leaves the bars room;
# a word longer than LONGEST_WORD_CHARS (a label with no spaces) is broken, since the wrap never splits a word.
LABEL_WIDTH_IN = 3.8
LONGEST_WORD_CHARS = 26
LINE_HEIGHT_IN = 0.16  # one line of tick label at the house size, with its leading
ROW_HEIGHT_IN = 0.8


def _fitted_label(fig: Figure, text: str) -> str:
    """A row label wrapped to LABEL_WIDTH_IN, long words broken, so any label the check allows fits beside the bars."""
    words = [
        " ".join(word[i : i + LONGEST_WORD_CHARS] for i in range(0, len(word), LONGEST_WORD_CHARS))
        for word in text.replace("\n", " \n ").split(" ")
    ]
    joined = " ".join(words).replace(" \n ", "\n")
    fontsize = plt.rcParams["ytick.labelsize"]
    return frame.wrap_to_width(
        fig, joined, fontsize if isinstance(fontsize, float | int) else 8.5, width_in=LABEL_WIDTH_IN
    )


def _share(chance: float) -> str:
    """'21%', or 'under 1%' for a chance that rounds to 0% but is not zero: the tables' words."""
    return listing_odds_words.share(chance)


def _loss_words(chance: float, direction: str) -> str:
    """The chance of a loss in words, keeping the price's direction: a floor price makes the chance a floor."""
    if chance == 0:
        return {
            "at most": "no loss in any draw at the floor price;\na higher price would raise the risk",
            "at least": "no loss in any draw at the ceiling price;\na lower price keeps it at none",
        }.get(direction, "no loss in any draw")
    way = {"at most": "at least ", "at least": "at most "}.get(direction, "")
    return f"loss in {way}{_share(chance)} of draws"


def _hurdle_words(chance: float, hurdle_rate: float) -> str:
    """'below 10% a year in 74%', or 'never below 10% a year' for a chance of none."""
    if chance == 0:
        return f"never below {hurdle_rate:.0%} a year"
    return f"below {hurdle_rate:.0%} a year in {_share(chance)}"


def inputs_in_words(dists: dict[str, listing_odds.Distribution], as_of: pd.Timestamp) -> str:
    """'listing value $852B to $1.5T, likeliest $1T; ...': the assumed ranges as a reader of the report sees them."""
    parts = []
    for name in listing_odds.INPUTS:
        since = f" (years after {as_of:%-d %b %Y})" if name == "years_to_listing" else ""
        parts.append(f"{listing_odds.INPUT_WORDS[name]}{since} {listing_odds_words.describe(dists[name], name)}")
    return "; ".join(parts)


def odds_bands(
    mark_table: pd.DataFrame,
    table: pd.DataFrame,
    sources: pd.DataFrame,
    source_ids: list[str],
    dists: dict[str, listing_odds.Distribution],
    as_of: pd.Timestamp,
    hurdle_rate: float = 0.0,
    reported_top: dict | None = None,
) -> Figure:
    """Per mark: the multiple's 10th to 90th percentile as a bar, the median as a tick, and in words the chance of a
    loss and of missing the hurdle, both if OpenAI lists. Given the odds with the listing range topped at its
    reported value (listing_odds_words.reported_top_odds), the title leads with them, as notebook 05's lead does,
    and names the bars' top as the assumption it is."""
    order = list(mark_table.index)[::-1]  # oldest mark at the top
    fig, ax = frame.new_figure(height=0.9 + ROW_HEIGHT_IN * len(order))
    labels = [_fitted_label(fig, _mark_words(mark_table.loc[m])) for m in order]
    # a long label wraps onto more lines: the rows grow with it rather than the labels overlapping
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    if lines * LINE_HEIGHT_IN + 0.25 > ROW_HEIGHT_IN:
        fig.set_figheight(0.9 + (lines * LINE_HEIGHT_IN + 0.25) * len(order))
    low = min(table["multiple_p10"].min(), 1.0)
    high = table["multiple_p90"].max()
    span = high - low
    left_edge = low - 0.15 * span  # room for the "loss | gain" words centred on 1.0x
    ax.axvspan(left_edge, 1.0, facecolor=grammar.LOSS_REGION_FACE, edgecolor="none", zorder=0)
    for row, mark_id in enumerate(order):
        mark, odds = mark_table.loc[mark_id], table.loc[mark_id]
        style = grammar.bar_style(mark["status"], BAND)
        p10, p50, p90 = odds["multiple_p10"], odds["multiple_p50"], odds["multiple_p90"]
        ax.barh(row, p90 - p10, left=p10, height=0.42, zorder=2, **style)
        ax.plot([p50] * 2, [row - 0.3, row + 0.3], color=grammar.INK, linewidth=2.6, zorder=3)
        # a floor on the price caps the multiple and makes the loss chance a floor; a ceiling does the opposite
        multiple_way, why = {
            "at most": ("at most ", "\n(the price was a floor)"),
            "at least": ("at least ", "\n(the price was a ceiling)"),
        }.get(mark["direction"], ("", ""))
        if odds["loss_chance"] == 0:
            why = ""  # the words of a zero chance already name the floor or ceiling
        ax.annotate(
            f"{_loss_words(odds['loss_chance'], mark['direction'])}\n"
            f"{_hurdle_words(odds['hurdle_miss_chance'], hurdle_rate)}\nmedian {multiple_way}{p50:.2f}x{why}",
            (p90, row), xytext=(7, 0), textcoords="offset points", va="center", fontsize=8, color=grammar.INK,
        )  # fmt: skip
    ax.axvline(1.0, color=grammar.INK, linestyle="--", linewidth=1.0, zorder=1)
    ax.set_yticks(range(len(order)), labels)
    ax.set_ylim(-0.6, len(order) - 0.2)
    ax.annotate("loss | gain", (1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(0, -2),
                textcoords="offset points", ha="center", va="top", fontsize=7.5, color=GREY,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    ax.set_xlim(left_edge, high + 0.75 * span)
    ax.xaxis.set_major_locator(MaxNLocator(8))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:g}x"))
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)  # gridlines behind the bars
    latest = listing_odds.latest(mark_table)
    price = money(mark_table.at[latest, "entry_usd_bn"])
    loss, miss = _share(table.at[latest, "loss_chance"]), _share(table.at[latest, "hurdle_miss_chance"])
    title = (
        f"If OpenAI lists no higher than the reported {reported_top['top']}, a buyer at the latest price paid "
        f"({price}) loses money in {_share(reported_top['loss_chance'])} of draws; the bars reach an assumed "
        f"{money(dists['listing_value_usd_bn'].high)} top: a loss in {loss}, less than {hurdle_rate:.0%} a year in "
        f"{miss}"
        if reported_top
        else f"If OpenAI lists, a buyer at the latest price paid ({price}) loses money in {loss} of draws and earns "
        f"less than {hurdle_rate:.0%} a year in {miss}"
    )
    frame.titles(
        fig,
        title,
        "Money multiple at the listing, x: 10th to 90th percentile of the draws (bar) and median (tick); "
        "grey area left of the dashed 1.0x line: money lost. Every draw assumes a listing happens",
    )
    frame.footer(
        fig,
        source_ids,
        sources,
        note=f"Inputs drawn from assumed ranges: {inputs_in_words(dists, as_of)}. The {hurdle_rate:.0%} hurdle is "
        "an assumption.",
    )
    handles = [
        Patch(label="price paid", **grammar.bar_style("closed", BAND)),
        Line2D([], [], color=grammar.INK, linewidth=2.6, label="median"),
    ]
    placement.legend_clear_of_data(ax, handles, fontsize=7.5)
    frame.attach_data(fig, table)
    return fig
