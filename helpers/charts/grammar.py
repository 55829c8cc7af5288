"""The one visual grammar of every chart. Each row of the README's "How to read the charts" is one entry here:

| what you see (README)                          | defined here                                                  |
|------------------------------------------------|---------------------------------------------------------------|
| a company's colour; OpenAI is black            | `COMPANY_COLORS`, `company_color`, `investor_color`           |
| greys: several investors, totals, the listing  | `NEUTRAL`, `NEUTRAL_LIGHT`, COMPANY_COLORS["Others"]; `INK` for reported lines |
| solid: firm                                    | `bar_style`, `marker_style` (status group "firm")             |
| hatched `////`: tentative                      | `TENTATIVE_HATCH` in `bar_style`, `marker_style`, `marker_handle` |
| empty dashed outline: lapsed                   | `bar_style`, `marker_style` (status group "lapsed")           |
| white with dots, dotted outline: an assumption | `assumed_style`, `ASSUMED_HATCH`, `assumed_legend_handle`     |
| a lighter tint: committed, not yet paid in     | `unpaid_style`, `tint`, `UNPAID_SHARE`                        |
| white with a solid outline: conditional money  | `conditional_style`, `CONDITIONAL_LABEL`                      |
| an arrow: "more than" / "at least" (a floor)   | `bound_mark` (bar ends), `point_bound_mark` (points)          |
| a cap, or an arrow down: "up to" (a ceiling)   | `bound_mark` (bar ends), `point_bound_mark` (points)          |
| "amount undisclosed": a pale grey slot         | `undisclosed_slot`, `undisclosed_legend_handle`               |
| purple to grey: a loss to a gain (04 heatmaps) | `LOSS_GAIN_CMAP`; `LOSS_REGION_FACE` where a buyer loses (05)  |

Axes in $B (`usd_axis`) and short dates (`concise_dates`) are shared too; words on charts come from the
vocabulary's reader names (`reader_words`). Nothing else in helpers/charts/ defines a colour, a hatch or a mark.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import IdentityTransform

from helpers.data.views import stated
from helpers.data.vocabulary import (
    EXAMPLE_STATUS,
    LOWER_BOUND_QUALIFIERS,
    STATUS_GROUPS,
    STATUS_NAMES,
    UPPER_BOUND_QUALIFIERS,
    status_group,
)
from helpers.notebook.tables import money

# Meanings that are not a company (listing talk, returns, totals, axes notes) use these greys only.
NEUTRAL = "#555555"
NEUTRAL_LIGHT = "#A0A0A0"
# The one lighter tint in the grammar: a company's money committed but not (yet) paid in.
UNPAID_SHARE = 0.4
UNDISCLOSED_FACE = "#EFEFEF"

STATUS_LEGEND = {
    "firm": "announced, signed or closed (solid)",
    "tentative": "in talks, press report or letter of intent (hatched)",
    "lapsed": "stalled or superseded (empty outline)",
}
ASSUMED_LABEL = "assumed: no source gives it (dotted)"
TENTATIVE_HATCH = "////"
ASSUMED_HATCH = ".."
# Ink: INK for reported reference lines and marks that belong to no company, LABEL_INK for the words on a chart
INK = "#222222"
LABEL_INK = "#333333"
# the region of a chart where a buyer loses money (left of break-even): a pale grey, not a colour that means a company
LOSS_REGION_FACE = "#F2F2F2"
# deep purple = the deepest loss, near-white = money back (1.0x), dark grey = the biggest gain; every stop is checked in
# tests/test_charts.py to stay clear of COMPANY_COLORS (a loss is not Amazon's, a gain not Microsoft's)
LOSS_GAIN_STOPS = ("#1F0033", "#7A6A9A", "#F7F7F7", "#B8B8B8", "#404040")
LOSS_GAIN_CMAP = LinearSegmentedColormap.from_list("loss_gain", LOSS_GAIN_STOPS)
# Each company keeps one colour in every notebook; "Others" is several investors together (a grey). Okabe-Ito's
# hues where they go, and for the rest hues picked so that every pair stays apart for readers with normal vision and
# for readers without red or green cones (protanopia, deuteranopia): tests/test_grammar.py measures every pair
# (CIEDE2000, on Machado et al.'s simulation) and each colour's contrast with the white page. Google was a dark
# yellow that SoftBank's amber hid for a deuteranope (1 unit apart); it is a wine red now.
COMPANY_COLORS = {
    "OpenAI": "#222222",
    "Microsoft": "#0072B2",
    "SoftBank": "#E69F00",
    "Amazon": "#D55E00",
    "Nvidia": "#009E73",
    "Oracle": "#CC79A7",
    "CoreWeave": "#56B4E9",
    "Cerebras": "#8C6D31",
    "AMD": "#B2182B",
    "Broadcom": "#6A3D9A",
    "Google": "#882255",
    "Thrive": "#FF5577",
    "Stargate": "#3388FF",
    "Others": "#9E9E9E",
}
# ----- company and status ---------------------------------------------------------------------------


def company_of(name: str) -> str:
    """The company key (for colours) named first in a subject or counterparty ('Amazon, Nvidia...' -> Amazon)."""
    lowered = name.lower()
    found = {lowered.find(c.lower()): c for c in COMPANY_COLORS if c.lower() in lowered}
    return found[min(found)] if found else "Others"


def company_color(name: str) -> str:
    """The house colour of the company a name refers to."""
    return COMPANY_COLORS[company_of(name)]


def bar_style(status: str, color: str) -> dict:
    """Keyword arguments for ax.bar/barh (or a Patch) that encode a status the house way."""
    group = status_group(status)
    if group == "firm":
        return {"facecolor": color, "edgecolor": color, "linewidth": 0.8}
    if group == "tentative":
        return {"facecolor": "white", "edgecolor": color, "hatch": TENTATIVE_HATCH, "linewidth": 1.0}
    return {"facecolor": "none", "edgecolor": color, "linestyle": "--", "linewidth": 1.2}


def assumed_style(color: str = NEUTRAL) -> dict:
    """Keyword arguments for a bar or patch holding an assumed value: white, light dots, dotted outline."""
    return {"facecolor": "white", "edgecolor": color, "hatch": ASSUMED_HATCH, "linestyle": ":", "linewidth": 1.2}


def unpaid_style(color: str) -> dict:
    """Money committed but not (yet) paid in: the grammar's one lighter tint of a company colour."""
    return {"facecolor": tint(color, UNPAID_SHARE), "edgecolor": color, "linewidth": 0.8}


def marker_style(status: str, color: str) -> dict:
    """Keyword arguments for ax.scatter markers: filled when firm, hatched when tentative, empty when lapsed.

    Tentative is hatched as on bars: a white marker with a solid outline would read as conditional money."""
    group = status_group(status)
    face = {"firm": color, "tentative": "white", "lapsed": "none"}[group]
    style = {"facecolor": face, "edgecolor": color, "linewidth": 1.4, "linestyle": "--" if group == "lapsed" else "-"}
    return {**style, "hatch": TENTATIVE_HATCH} if group == "tentative" else style


def status_legend_handles(groups: list[str] | None = None) -> list[Patch]:
    """Legend patches explaining the status encoding, in grey."""
    return [
        Patch(label=STATUS_LEGEND[g], **bar_style(EXAMPLE_STATUS[g], NEUTRAL)) for g in (groups or list(STATUS_GROUPS))
    ]


def assumed_legend_handle(label: str = ASSUMED_LABEL) -> Patch:
    """The legend entry for the assumption encoding."""
    return Patch(label=label, **assumed_style())


def undisclosed_legend_handle() -> Patch:
    """The legend entry for an undisclosed amount (an empty slot)."""
    return Patch(facecolor=UNDISCLOSED_FACE, edgecolor="none", label="amount undisclosed (empty slot)")


def point_handle(marker: str, face: str, label: str, edge: str = "#444444", size: float | None = None) -> Line2D:
    """A legend entry showing one marker."""
    return Line2D(
        [], [], marker=marker, linestyle="", markerfacecolor=face, markeredgecolor=edge, markersize=size, label=label
    )


def marker_handle(marker: str, status: str, label: str, color: str = NEUTRAL, size: float = 42.0) -> PathCollection:
    """A legend entry showing one scatter marker in the house status encoding (hatching included)."""
    style = MarkerStyle(marker)
    path = style.get_path().transformed(style.get_transform())
    handle = PathCollection([path], sizes=[size], label=label, **marker_style(status, color))
    handle.set_transform(IdentityTransform())  # as ax.scatter does: the marker is sized in points, not data units
    return handle


def tint(color: str, share: float) -> tuple[float, float, float]:
    """The colour mixed with white; share 1 is the colour itself."""
    r, g, b = mpl.colors.to_rgb(color)
    return (1 - share * (1 - r), 1 - share * (1 - g), 1 - share * (1 - b))


# ----- bounds and undisclosed amounts ----------------------------------------------------------------


def bound_legend_handles() -> list[Line2D]:
    """Legend entries for the bound marks drawn at bar ends."""
    return [
        Line2D([], [], marker=">", linestyle="", color=NEUTRAL, markersize=7, label="arrow: more than / at least"),
        Line2D([], [], marker="|", linestyle="", color=NEUTRAL, markersize=10, markeredgewidth=2, label="cap: up to"),
    ]


def bound_mark(ax: Axes, x: float, y: float, qualifier: str, color: str, horizontal: bool = True) -> None:
    """An arrow past a lower bound ('more than') or a cap at a ceiling ('up to'), drawn at a bar end or a point."""
    if qualifier in LOWER_BOUND_QUALIFIERS:
        marker = ">" if horizontal else "^"
        ax.plot(x, y, marker=marker, color=color, markersize=7, linestyle="", zorder=4, clip_on=False)
    elif qualifier in UPPER_BOUND_QUALIFIERS:
        marker = "|" if horizontal else "_"
        # a bar-end cap spans most of the bar's height, so it still reads at half the report size
        size, width = (17, 3.0) if horizontal else (12, 2.2)
        ax.plot(x, y, marker=marker, color=color, markersize=size, markeredgewidth=width, linestyle="", zorder=4)


def point_bound_mark(ax: Axes, x: object, y: float, qualifier: str, color: str) -> None:
    """At a point: an arrow up for a floor ('more than': it could be higher), an arrow down for a ceiling ('up to':
    it could be lower, never higher). A mark above a ceiling would read as room above it."""
    if qualifier in LOWER_BOUND_QUALIFIERS + UPPER_BOUND_QUALIFIERS:
        up = qualifier in LOWER_BOUND_QUALIFIERS
        ax.annotate(
            "",
            (x, y),
            xytext=(0, 16 if up else -13),
            textcoords="offset points",
            arrowprops={"arrowstyle": "<-", "color": color, "lw": 1.2, "shrinkA": 0, "shrinkB": 5},
        )


def undisclosed_slot(ax: Axes, position: float, label: str = "amount undisclosed") -> None:
    """A labelled empty slot for a deal whose amount was never reported: a pale band across the whole row,
    so it cannot be read as a value on the axis."""
    ax.axhspan(position - 0.35, position + 0.35, facecolor=UNDISCLOSED_FACE, edgecolor="none", zorder=0.5)
    ax.annotate(
        label,
        (0, position),
        xytext=(5, 0),
        textcoords="offset points",
        va="center",
        fontsize=8,
        color=NEUTRAL,
        style="italic",
    )


# ----- axes -------------------------------------------------------------------------------------------


def usd_axis(ax: Axes, axis: str = "x") -> None:
    """Format an axis in billions of dollars ($100B, $1T)."""
    formatter = FuncFormatter(lambda v, _pos: money(v) if v > 0 else "$0")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def concise_dates(ax: Axes) -> None:
    """Short, non-overlapping date ticks on the x axis."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def reader_words(key: str, names: dict[str, str]) -> str:
    """A key as a reader says it: its house name, else the key with spaces."""
    return names.get(key, str(key).replace("_", " ").replace("-", " "))


def bar_bound_marks(ax, rows: pd.DataFrame, colors: list[str]) -> None:
    """Arrow or cap at the end of every bounded bar."""
    for position, (color, (_, row)) in enumerate(zip(colors, rows.iterrows(), strict=True)):
        if pd.notna(row["value"]):
            bound_mark(ax, row["value"], position, row["qualifier"], color)


def deal_bars(ax, rows: pd.DataFrame, colors: list[str], labels: list[str]) -> None:
    """One bar per deal: status-encoded, bound-marked, the figure in words at its end; undisclosed as a slot."""
    for position, (color, (_, row)) in enumerate(zip(colors, rows.iterrows(), strict=True)):
        if pd.isna(row["value"]):
            undisclosed_slot(ax, position)
            continue
        ax.barh(position, row["value"], height=0.7, **bar_style(row["status"], color))
        gap = 9 if row["qualifier"] in LOWER_BOUND_QUALIFIERS + UPPER_BOUND_QUALIFIERS else 4
        ax.annotate(
            f"{stated(row)}, {reader_words(row['status'], STATUS_NAMES)}",
            (row["value"], position),
            xytext=(gap, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=LABEL_INK,
        )
    bar_bound_marks(ax, rows, colors)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    usd_axis(ax)


def investor_color(subject: str) -> str:
    """The colour of who puts in the money: one company's colour, or the 'Others' grey for a group of several."""
    lowered = subject.lower()
    # a group with a lead ("SoftBank-led group") is several investors: grey, as the legend says, not the lead's colour
    several = any(mark in lowered for mark in (",", " and ", "-led", "led by", "group", "consortium"))
    return COMPANY_COLORS["Others"] if several else company_color(subject)


CONDITIONAL_LABEL = "conditional, not raised (white)"


def conditional_style(color: str) -> dict:
    """Money due only if a condition is met: an empty bar with a solid outline (not money raised)."""
    return {"facecolor": "white", "edgecolor": color, "linewidth": 1.2, "linestyle": "-"}


def money_parts(ax, position: float, parts: list[tuple[float, dict]], height: float = 0.7) -> float:
    """Stacked horizontal parts from 0; returns the end of the last part drawn."""
    left = 0.0
    for width, style in parts:
        if width > 0:
            ax.barh(position, width, left=left, height=height, **style)
            left += width
    return left
