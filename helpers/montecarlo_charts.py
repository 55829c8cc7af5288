"""Charts of the listing-odds notebook: the assumed input distributions and the odds per mark."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from helpers import montecarlo, plotting
from helpers.ledger import money
from helpers.scenarios import capitalised

GREY = "#555555"
REPORTED = "#222222"
BAND = "#9A9A9A"
# Assumed values: white face, dotted outline, light dot hatch (never a company colour)
ASSUMED_STYLE = {"facecolor": "white", "edgecolor": GREY, "linestyle": ":", "linewidth": 1.4, "hatch": ".."}
AXIS_FORMAT = {
    "listing_value_usd_bn": lambda v, _pos: money(v) if v > 0 else "$0",
    "years_to_listing": lambda v, _pos: f"{v:g} yr",
    "dilution": lambda v, _pos: f"{v:.0%}",
}


def _titles(fig: Figure, title: str, subtitle: str) -> None:
    """Finding as the title, measure and unit as the subtitle, both left-aligned above the axes."""
    fig.suptitle(title, x=0.0, y=1.0, ha="left", va="bottom", fontsize=12, fontweight="bold")
    fig.text(0.0, 0.995, subtitle, ha="left", va="top", fontsize=9.5, color=GREY, parse_math=False)


def input_distributions(
    dists: dict[str, montecarlo.Distribution],
    references: dict[str, list[tuple[float, str]]],
    sources: pd.DataFrame,
    source_ids: list[str],
) -> Figure:
    """One panel per input: the assumed density (assumption encoding) and the reported figures as solid lines."""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    fig.subplots_adjust(top=0.78, wspace=0.22)
    number, notes = 0, []
    for ax, name in zip(axes, montecarlo.INPUTS, strict=True):
        dist = dists[name]
        xs_ref = [x for x, _ in references[name]]
        lo, hi = min([dist.low, *xs_ref]), max([dist.high, *xs_ref])
        pad = (hi - lo) * 0.08 or max(abs(lo) * 0.1, 0.01)
        x = np.linspace(lo - pad, hi + pad, 400)
        if dist.low == dist.high:  # collapsed to a point: a single assumed line
            ax.axvline(dist.low, color=GREY, linestyle=":", linewidth=2)
        else:
            inside = np.linspace(dist.low, dist.high, 400)
            ax.fill_between(inside, dist.density(inside), **ASSUMED_STYLE)
        for value, label in references[name]:
            number += 1
            notes.append(f"{number} = {label}")
            ax.axvline(value, color=REPORTED, linewidth=1.2)
            ax.annotate(
                str(number),
                (value, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -2),
                textcoords="offset points",
                va="top",
                fontsize=8,
                fontweight="bold",
            )
        ax.set_title(f"{montecarlo.INPUT_WORDS[name].capitalize()}\n{montecarlo.describe(dist, name)}", fontsize=9.5)
        ax.xaxis.set_major_formatter(plt.FuncFormatter(AXIS_FORMAT[name]))
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlim(x[0], x[-1])
    medians = {name: dists[name].median() for name in montecarlo.INPUTS}
    _titles(
        fig,
        f"Median draws: a {money(medians['listing_value_usd_bn'])} listing "
        f"{medians['years_to_listing']:.1f} years out, after {medians['dilution']:.0%} dilution",
        "Assumed probability density of each input (dotted, hatched); solid lines are reported figures",
    )
    handles = [
        Patch(label="assumed distribution", **ASSUMED_STYLE),
        Line2D([], [], color=REPORTED, linewidth=1.2, label="reported figure (numbered below)"),
    ]
    fig.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2)
    plotting.footer(fig, source_ids, sources, note="Reported lines: " + "; ".join(notes) + ".")
    return fig


def odds_bands(mark_table: pd.DataFrame, table: pd.DataFrame, sources: pd.DataFrame, source_ids: list[str]) -> Figure:
    """Per mark: the multiple's 10th to 90th percentile as a bar, the median as a tick, the chance of a loss in words."""
    order = list(mark_table.index)[::-1]  # oldest mark at the top
    height = 0.9 + 0.75 * len(order)
    fig, ax = plt.subplots(figsize=(9, height))
    fig.subplots_adjust(top=1 - 0.6 / height)
    for row, mark_id in enumerate(order):
        mark, odds = mark_table.loc[mark_id], table.loc[mark_id]
        style = plotting.bar_style(mark["status"], BAND)
        ax.barh(row, odds["multiple_p90"] - odds["multiple_p10"], left=odds["multiple_p10"], height=0.5, **style)
        ax.plot([odds["multiple_p50"]] * 2, [row - 0.32, row + 0.32], color=REPORTED, linewidth=2.4)
        way = mark["direction"]
        bound = {"at most": ", or more: the price was a floor", "at least": ", or less: the price was a ceiling"}
        ax.annotate(
            f"loss in {odds['loss_chance']:.0%} of draws{bound.get(way, '')}",
            (odds["multiple_p90"], row),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
        )
    ax.axvline(1.0, color="#B2182B", linestyle="--", linewidth=1.2)
    ax.annotate(
        "break-even (1.0x)",
        (1.0, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, 2),
        textcoords="offset points",
        fontsize=8,
        color="#B2182B",
        va="bottom",
    )
    labels = [
        f"{capitalised(mark_table.at[m, 'label'])}\n"
        f"{('more than ' if mark_table.at[m, 'direction'] == 'at most' else '')}"
        f"{money(mark_table.at[m, 'entry_usd_bn'])}, {mark_table.at[m, 'reported_on']:%b %Y}"
        + (
            f"\n{mark_table.at[m, 'diluted_by']}: x{mark_table.at[m, 'kept_share']:.3f}"
            if mark_table.at[m, "diluted_by"]
            else ""
        )
        for m in order
    ]
    ax.set_yticks(range(len(order)), labels)
    ax.set_ylim(-0.6, len(order) - 0.4)
    low = min(table["multiple_p10"].min(), 1.0)
    high = table["multiple_p90"].max()
    ax.set_xlim(low - 0.1 * (high - low), high + 0.45 * (high - low))
    ax.xaxis.set_major_locator(MultipleLocator(0.25))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:g}x"))
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)  # gridlines behind the bars
    latest = montecarlo.latest(mark_table)
    _titles(
        fig,
        f"A buyer at the latest private mark ({money(mark_table.at[latest, 'entry_usd_bn'])}) loses money "
        f"in {table.at[latest, 'loss_chance']:.0%} of draws",
        "Money multiple at listing: 10th to 90th percentile (bar) and median (tick); hatched: price from talks",
    )
    handles = [
        Patch(label="firm mark", **plotting.bar_style("closed", BAND)),
        Patch(label="talks", **plotting.bar_style("in_talks", BAND)),
        Line2D([], [], color=REPORTED, linewidth=2.4, label="median"),
    ]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.06), ncol=3)
    plotting.footer(
        fig, source_ids, sources, note="Inputs drawn from assumed distributions set in the Assumptions cell."
    )
    return fig
