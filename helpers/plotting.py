"""One house style for every chart: company colours, status encoding, $B axes and a sources footer."""

from __future__ import annotations

import base64
import contextlib
import io
import struct
import textwrap

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from helpers.ledger import STATUS_GROUPS, latest, money, source_labels, stated, status_group

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
    with contextlib.suppress(AttributeError, NameError):  # not running inside IPython
        set_matplotlib_formats("png", bbox_inches="tight", metadata={"Software": None})


# Charts are encoded at twice the pixels they are shown at, so they stay sharp on high-density screens.
SHOW_SCALE = 2


def chart_title(fig: Figure) -> str:
    """The statement a chart makes: its suptitle, else its first axes title."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    return next((t for ax in fig.axes for t in (ax.get_title("left"), ax.get_title()) if t), "")


def png_bytes(fig: Figure) -> bytes:
    """The figure as a byte-stable PNG at SHOW_SCALE times the house resolution."""
    buffer = io.BytesIO()
    dpi = mpl.rcParams["figure.dpi"] * SHOW_SCALE
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def show(fig: Figure, alt: str = "") -> None:
    """Display a chart as a PNG output whatever MPLBACKEND says, with its size, alt text and title attached."""
    from IPython.display import publish_display_data

    png = png_bytes(fig)
    plt.close(fig)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk of every PNG
    title = chart_title(fig)
    publish_display_data(
        data={"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"Chart: {title}"},
        metadata={
            "image/png": {"width": width // SHOW_SCALE, "height": height // SHOW_SCALE, "alt": alt or title},
        },
    )


def company_of(name: str) -> str:
    """The company key (for colours) named first in a subject or counterparty ('Amazon, Nvidia...' -> Amazon)."""
    lowered = name.lower()
    found = {lowered.find(c.lower()): c for c in COMPANY_COLORS if c.lower() in lowered}
    return found[min(found)] if found else "Others"


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


def point_handle(marker: str, face: str, label: str, edge: str = "#444444", size: float | None = None) -> Line2D:
    """A legend entry showing one marker."""
    return Line2D(
        [], [], marker=marker, linestyle="", markerfacecolor=face, markeredgecolor=edge, markersize=size, label=label
    )


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
        text = (
            f"Sources: {len(ids)} sources cited by the rows plotted, ids "
            + ", ".join(ids)
            + "; outlets, dates and URLs in data/sources.csv."
        )
    if note:
        text = note + "\n" + text
    wrapped = "\n".join(textwrap.fill(part, 150) for part in text.split("\n"))
    fig.text(
        0.0,
        -0.02,
        wrapped,
        ha="left",
        va="top",
        fontsize=7,
        color="#555555",
        transform=fig.transFigure,
        parse_math=False,
    )


def concise_dates(ax: Axes) -> None:
    """Short, non-overlapping date ticks on the x axis."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


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
        ax.barh(table.index.str.replace("_", " "), table[group], left=left, **bar_style(examples[group], "#444444"))
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
        groups = reports["status"].map(status_group)
        for group, points in reports.groupby(groups):
            face = color if group == "firm" else "white"
            ax.scatter(
                points["reported_on"],
                [lane] * len(points),
                s=60,
                marker=markers[group],
                facecolor=face,
                edgecolor=color,
                linewidth=1.4,
                zorder=3,
            )
        totals = reports[reports["basis"].isna() | reports["basis"].eq("total")]
        last = latest(totals if not totals.empty else reports, ["event"]).iloc[-1]
        label = stated(last)
        ax.annotate(
            f"{label} {last['metric'].replace('_', '-')}, {last['status'].replace('_', ' ')}",
            (last["reported_on"], lane),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=8,
            color=color,
            parse_math=False,
        )
    ax.set_yticks(range(len(events)), events)
    ax.set_ylim(-0.6, len(events) - 0.4)
    concise_dates(ax)
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[
            point_handle("o", "#444444", STATUS_LEGEND["firm"].replace("(solid)", "(filled)")),
            point_handle("o", "white", STATUS_LEGEND["tentative"].replace("(hatched)", "(hollow)")),
            point_handle("X", "white", STATUS_LEGEND["lapsed"].replace(" (outline)", "")),
        ],
        loc="upper left",
        fontsize=8,
    )


BOUND_MARKERS = {"more_than": ">", "at_least": ">", "up_to": "|", "less_than": "|"}


def bound_legend_handles() -> list[Line2D]:
    """Legend entries for the bound markers drawn at bar ends."""
    return [
        Line2D([], [], marker=">", linestyle="", color="#444444", label="lower bound: more than / at least"),
        Line2D([], [], marker="|", linestyle="", color="#444444", markersize=10, label="ceiling: up to / less than"),
    ]


def amount_bars(ax: Axes, rows: pd.DataFrame, labels: list[str], colors: list[str]) -> None:
    """One horizontal bar per row: status-encoded, bound-marked, labelled in words; undisclosed as text."""
    for position, (color, (_, row)) in enumerate(zip(colors, rows.iterrows(), strict=True)):
        text = stated(row)
        if pd.isna(row["value"]):
            ax.text(0, position, "  amount undisclosed", va="center", fontsize=8, color="#555555", style="italic")
            continue
        ax.barh(position, row["value"], height=0.7, **bar_style(row["status"], color))
        if row["qualifier"] in BOUND_MARKERS:
            ax.plot(
                row["value"],
                position,
                marker=BOUND_MARKERS[row["qualifier"]],
                color=color,
                markersize=9,
                markeredgewidth=2,
            )
        ax.annotate(
            f"{text} ({row['status'].replace('_', ' ')})",
            (row["value"], position),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            parse_math=False,
        )
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    usd_axis(ax)


MARK_SHAPES = {"post_money": "o", "pre_money": "s", "valuation": "D"}
LISTING_SHAPE = "*"


def valuation_marks(ax: Axes, marks: pd.DataFrame) -> None:
    """Valuations over time: shape = basis, fill = status; bounds as arrows, ranges as bars."""
    marks = marks.assign(
        listing=marks["category"].eq("listing"),
        firm=marks["status"].map(status_group).eq("firm"),
        low_=marks["low"].fillna(marks["value"]),
        high_=marks["high"].fillna(marks["value"]),
    )
    marks["y"] = marks["value"].fillna(marks["high_"])
    for (listing, metric, firm), points in marks.groupby(["listing", "metric", "firm"]):
        color = COMPANY_COLORS["Amazon"] if listing else COMPANY_COLORS["OpenAI"]
        ax.scatter(
            points["reported_on"],
            points["y"],
            marker=LISTING_SHAPE if listing else MARK_SHAPES[metric],
            s=140 if listing else 60,
            facecolor=color if firm else "white",
            edgecolor=color,
            linewidth=1.4,
            zorder=3,
        )
    ranges = marks[marks["qualifier"] == "range"]
    ax.vlines(ranges["reported_on"], ranges["low_"], ranges["high_"], color=COMPANY_COLORS["Amazon"], linewidth=2)
    for _, row in marks[marks["qualifier"].isin(BOUND_MARKERS)].iterrows():
        color = COMPANY_COLORS["Amazon"] if row["listing"] else COMPANY_COLORS["OpenAI"]
        factor = 1.12 if row["qualifier"] in ("more_than", "at_least") else 0.88
        ax.annotate(
            "",
            (row["reported_on"], row["y"] * factor),
            (row["reported_on"], row["y"]),
            arrowprops={"arrowstyle": "->", "color": color},
        )
    usd_axis(ax, "y")
    concise_dates(ax)
    ax.grid(axis="y", visible=True)
    grey, listing = "#444444", COMPANY_COLORS["Amazon"]
    ax.legend(
        handles=[
            point_handle("o", grey, "post-money"),
            point_handle("s", grey, "pre-money"),
            point_handle("D", grey, "basis not stated"),
            point_handle("*", listing, "listing value talked about", edge=listing, size=12),
            point_handle("o", "white", "hollow: talks or press report"),
            Line2D([], [], linestyle="-", color=grey, marker=r"$\uparrow$", label="arrow: more than / up to"),
        ],
        loc="upper left",
    )


def tint(color: str, share: float) -> tuple[float, float, float]:
    """The colour mixed with white; share 1 is the colour itself."""
    r, g, b = mpl.colors.to_rgb(color)
    return (1 - share * (1 - r), 1 - share * (1 - g), 1 - share * (1 - b))


def stacked_segments(ax: Axes, table: pd.DataFrame, segments: dict[str, dict], colors: list[str]) -> None:
    """Horizontal stacked bars; `segments` maps a column to its style (share of colour, hatch, edge)."""
    left = pd.Series(0.0, index=table.index)
    for column, style in segments.items():
        for position, (name, color) in enumerate(zip(table.index, colors, strict=True)):
            width = table.at[name, column]
            if width > 0:
                ax.barh(
                    position,
                    width,
                    left=left[name],
                    height=0.7,
                    facecolor=tint(color, style["share"]),
                    edgecolor=color,
                    hatch=style.get("hatch"),
                    linestyle=style.get("linestyle", "-"),
                    linewidth=0.9,
                )
        left = left + table[column]
    ax.set_yticks(range(len(table.index)), table.index)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[
            Patch(
                facecolor=tint("#444444", s["share"]),
                edgecolor="#444444",
                hatch=s.get("hatch"),
                linestyle=s.get("linestyle", "-"),
                label=s["label"],
            )
            for s in segments.values()
        ],
        loc="lower right",
    )
    usd_axis(ax)


def schedule_bars(ax: Axes, schedule: pd.DataFrame) -> None:
    """Annual amounts stacked by provider; tentative deals hatched, assumed timing in a lighter tint."""
    years = sorted(schedule["year"].unique())
    bottom = pd.Series(0.0, index=years)
    keys = ["provider", "status", "timing_assumed"]
    frame = schedule.assign(timing_assumed=schedule["term_assumed"] | schedule["start_assumed"])
    for (provider, status, assumed), part in frame.groupby(keys, sort=True):
        per_year = part.groupby("year")["amount_usd_bn"].sum().reindex(years, fill_value=0.0)
        style = bar_style(status, company_color(provider))
        if assumed:
            style["facecolor"] = tint(company_color(provider), 0.35)
        ax.bar(years, per_year, bottom=bottom, width=0.75, **style)
        bottom = bottom + per_year
    providers = list(dict.fromkeys(frame.sort_values("provider")["provider"]))
    handles = [Patch(facecolor=company_color(p), label=p) for p in providers]
    handles += [
        Patch(facecolor=tint("#444444", 0.35), edgecolor="#444444", label="term or start assumed"),
        Patch(facecolor="white", edgecolor="#444444", hatch="////", label="reported, not confirmed"),
    ]
    ax.legend(handles=handles, loc="upper right", ncols=2)
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_xticks(years, [str(y) for y in years])
    usd_axis(ax, "y")


def flow_legend_handles() -> list[Patch]:
    """Legend for the money-in / money-back chart."""
    grey = "#444444"
    return [
        Patch(facecolor=tint(grey, 0.45), label="invested in OpenAI"),
        Patch(facecolor="none", edgecolor=grey, linestyle="--", label="pledge that lapsed (up to)"),
        Patch(facecolor=grey, label="OpenAI's commitments to it"),
    ]


def heatmap(
    ax: Axes,
    values,
    x_labels: list[str],
    y_labels: list[str],
    fmt: str,
    center: float,
    base: tuple[int, int],
    cmap: str = "RdBu",
) -> None:
    """Annotated grid coloured around `center` (e.g. a 1.0x multiple), with the base case boxed."""
    spread = float(max(abs(values.max() - center), abs(values.min() - center))) or 1.0
    ax.imshow(values, cmap=cmap, vmin=center - spread, vmax=center + spread, aspect="auto", origin="lower")
    for (row, column), value in np.ndenumerate(values):
        shade = abs(value - center) / spread
        ax.text(
            column,
            row,
            format(value, fmt),
            ha="center",
            va="center",
            fontsize=7,
            color="white" if shade > 0.6 else "#222222",
        )
    ax.add_patch(Rectangle((base[1] - 0.5, base[0] - 0.5), 1, 1, fill=False, edgecolor="#000000", linewidth=2))
    ax.set_xticks(range(len(x_labels)), x_labels)
    ax.set_yticks(range(len(y_labels)), y_labels)
    ax.grid(False)
