"""One house style for every chart: company colours, status encoding, $B axes and a sources footer."""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from helpers.ledger import STATUS_GROUPS, describe_value, money, source_labels, status_group

# Each company keeps its colour in every notebook (Okabe-Ito based, readable in grey and for colour-blind readers).
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
    "Google": "#F0E442",
    "Thrive": "#7F7F7F",
    "Stargate": "#A6761D",
    "Others": "#BBBBBB",
}
ASSUMPTION_COLOR = "#999999"

STATUS_LEGEND = {
    "firm": "announced, definitive or closed (solid)",
    "tentative": "in talks, reported or letter of intent (hatched)",
    "lapsed": "stalled or superseded (outline)",
}

RC_PARAMS = {
    "figure.figsize": (9.0, 4.8),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "ledger",
}


def use_house_style() -> None:
    """Fixed rcParams and byte-stable inline PNGs (no software or date stamped into the file)."""
    mpl.rcParams.update(mpl.rcParamsDefault)
    mpl.rcParams.update(RC_PARAMS)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside a notebook kernel there is no inline backend to configure
        return
    try:
        set_matplotlib_formats("png", bbox_inches="tight", metadata={"Software": None})
    except (AttributeError, NameError):  # not running inside IPython
        pass


def company_of(name: str) -> str:
    """The company key (for colours) that a subject or counterparty name starts with."""
    for company in COMPANY_COLORS:
        if company.lower() in name.lower():
            return company
    return "Others"


def company_color(name: str) -> str:
    """The house colour of the company a name refers to."""
    return COMPANY_COLORS[company_of(name)]


def bar_style(status: str, color: str) -> dict:
    """Keyword arguments for ax.bar/barh that encode a status the house way."""
    group = status_group(status)
    if group == "firm":
        return {"facecolor": color, "edgecolor": color, "linewidth": 0.8}
    if group == "tentative":
        return {"facecolor": "white", "edgecolor": color, "hatch": "////", "linewidth": 1.0}
    return {"facecolor": "none", "edgecolor": color, "linestyle": "--", "linewidth": 1.2}


def status_legend_handles(groups: list[str] | None = None) -> list[Patch]:
    """Legend patches explaining the status encoding, in grey."""
    grey = "#555555"
    examples = {"firm": "closed", "tentative": "in_talks", "lapsed": "stalled"}
    return [Patch(label=STATUS_LEGEND[g], **bar_style(examples[g], grey)) for g in (groups or list(STATUS_GROUPS))]


def usd_axis(ax: Axes, axis: str = "x") -> None:
    """Format an axis in billions of dollars ($100B, $1T)."""
    formatter = FuncFormatter(lambda v, _pos: money(v) if v > 0 else "$0")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def footer(fig: Figure, source_ids: list[str], sources: pd.DataFrame, note: str = "") -> None:
    """Write 'Sources: ...' (built from the rows plotted) and an optional note under the figure."""
    labels = source_labels(sources)
    ids = sorted(source_ids)
    if len(ids) <= 10:
        text = "Sources: " + "; ".join(f"{labels[i]} [{i}]" for i in ids) + "."
    else:
        text = (f"Sources: {len(ids)} sources cited by the rows plotted, ids " + ", ".join(ids)
                + "; outlets, dates and URLs in data/sources.csv.")
    if note:
        text = note + "\n" + text
    wrapped = "\n".join(textwrap.fill(part, 150) for part in text.split("\n"))
    fig.text(0.0, -0.02, wrapped, ha="left", va="top", fontsize=7, color="#555555", transform=fig.transFigure)


def finish(fig: Figure) -> None:
    """Common last step before plt.show()."""
    fig.tight_layout()


def new_figure(height: float = 4.8, width: float = 9.0) -> tuple[Figure, Axes]:
    """A figure and axes in the house size."""
    return plt.subplots(figsize=(width, height))


def status_bars(ax: Axes, figures: pd.DataFrame) -> None:
    """Horizontal bars: figures per category, split into firm, tentative and lapsed."""
    groups = figures.assign(group=figures["status"].map(status_group))
    table = pd.crosstab(groups["category"], groups["group"]).reindex(columns=list(STATUS_GROUPS), fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    left = pd.Series(0, index=table.index)
    examples = {"firm": "closed", "tentative": "in_talks", "lapsed": "stalled"}
    for group in STATUS_GROUPS:
        ax.barh(table.index.str.replace("_", " "), table[group], left=left,
                **bar_style(examples[group], "#444444"))
        left = left + table[group]
    ax.set_xlabel("number of figures")
    ax.legend(handles=status_legend_handles(), loc="lower right")


def timeline(ax: Axes, rows: pd.DataFrame) -> None:
    """One lane per event; a marker per report, filled when firm, hatched-looking when tentative."""
    events = list(dict.fromkeys(rows.sort_values("reported_on")["event"]))
    markers = {"firm": "o", "tentative": "o", "lapsed": "X"}
    for lane, event in enumerate(events):
        reports = rows[rows["event"] == event]
        color = company_color(reports["subject"].iloc[0])
        ax.plot(reports["reported_on"], [lane] * len(reports), color=color, linewidth=1, alpha=0.6)
        for _, row in reports.iterrows():
            group = status_group(row["status"])
            face = color if group == "firm" else "white"
            ax.scatter(row["reported_on"], lane, s=60, marker=markers[group], facecolor=face,
                       edgecolor=color, linewidth=1.4, zorder=3)
        last = reports.sort_values(["reported_on", "figure_id"]).iloc[-1]
        label = describe_value(last["value"], last["qualifier"], last["low"], last["high"], last["unit"])
        ax.annotate(f"{label} {last['metric'].replace('_', '-')}, {last['status'].replace('_', ' ')}",
                    (last["reported_on"], lane), xytext=(8, 6), textcoords="offset points", fontsize=8, color=color)
    ax.set_yticks(range(len(events)), events)
    ax.set_ylim(-0.6, len(events) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[
        Line2D([], [], marker="o", linestyle="", markerfacecolor="#444444", markeredgecolor="#444444",
               label=STATUS_LEGEND["firm"].replace("(solid)", "(filled)")),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#444444",
               label=STATUS_LEGEND["tentative"].replace("(hatched)", "(hollow)")),
        Line2D([], [], marker="X", linestyle="", markerfacecolor="white", markeredgecolor="#444444",
               label=STATUS_LEGEND["lapsed"].replace(" (outline)", "")),
    ], loc="upper left", fontsize=8)
