"""One visual grammar for every chart: company colours, status, assumptions, bounds, sources and a sharp PNG.

The grammar (described for readers in the README, "How to read the charts"):

- colour = the company (COMPANY_COLORS), the same in every notebook; anything that is not a company
  (the listing talk, returns, totals) is drawn in NEUTRAL greys, never in a company's colour;
- status = fill: firm (announced, definitive, closed) solid, tentative (talks, press report, letter of
  intent) hatched '////', lapsed (stalled, superseded) an empty dashed outline;
- an assumption (a value or timing no source gives) = `assumed_style()`: white face, light dot hatch '..',
  dotted outline; used for nothing else;
- a lighter tint of a company's colour means one thing only: money committed but not (yet) paid in;
- bounds: an arrow for "more than" / "at least", a cap for "up to" / "less than";
- "amount undisclosed": a labelled empty slot (a pale grey placeholder with the words in it).
"""

from __future__ import annotations

import base64
import contextlib
import io
import struct

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import IdentityTransform

from helpers.ledger import STATUS_GROUPS, money, status_group

# Each company keeps its colour in every notebook (Okabe-Ito based, readable for colour-blind readers).
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
    "Google": "#C9B400",
    "Thrive": "#999933",
    "Stargate": "#A6761D",
    "Others": "#9E9E9E",
}
# Meanings that are not a company (listing talk, returns, totals, axes notes) use these greys only.
NEUTRAL = "#555555"
NEUTRAL_LIGHT = "#A0A0A0"
# The one lighter tint in the grammar: a company's money committed but not (yet) paid in.
UNPAID_SHARE = 0.4
UNDISCLOSED_FACE = "#EFEFEF"

STATUS_LEGEND = {
    "firm": "announced, definitive or closed (solid)",
    "tentative": "in talks, press report or letter of intent (hatched)",
    "lapsed": "stalled or superseded (empty outline)",
}
ASSUMED_LABEL = "assumed: no source gives it (dotted)"
TENTATIVE_HATCH = "////"
ASSUMED_HATCH = ".."

# The report column is 760 CSS px; a figure 7.4 in wide at 100 dpi is shown at 1:1, nothing shrunk.
REPORT_WIDTH_PX = 760
HOUSE_WIDTH_IN = 7.4
MIN_TEXT_PT = 7.0

RC_PARAMS = {
    "figure.figsize": (HOUSE_WIDTH_IN, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "axes.labelcolor": "#333333",
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "ledger",
    # text from the data is drawn as typed: "$1T to $2T" must never become mathtext
    "text.parse_math": False,
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
CSS_DPI = 100  # shown at 100 CSS pixels per inch: a 7.4 in figure fills the report column without scaling
# House figures are laid out at the resolution they are saved at: small text is hinted wider at 200 dpi than at
# 100, so wrapping, label placement and the legibility checks must measure at the saved resolution.
HOUSE_DPI = CSS_DPI * SHOW_SCALE


def chart_title(fig: Figure) -> str:
    """The statement a chart makes: the finding set by `titles`, else its suptitle or first axes title."""
    if getattr(fig, "_house_title", ""):
        return fig._house_title
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    return next((t for ax in fig.axes for t in (ax.get_title("left"), ax.get_title()) if t), "")


def chart_subtitle(fig: Figure) -> str:
    """The 'what is measured, in what unit' line set by `titles`."""
    return getattr(fig, "_house_subtitle", "")


def chart_sources(fig: Figure) -> str:
    """The 'Sources: ...' line set by `footer`."""
    return getattr(fig, "_house_footer", "")


def chart_note(fig: Figure) -> str:
    """The note over the sources line set by `footer` (an assumption, what is not added)."""
    return getattr(fig, "_house_note", "")


def png_bytes(fig: Figure) -> bytes:
    """The figure as a byte-stable PNG at SHOW_SCALE times the house resolution."""
    buffer = io.BytesIO()
    # a house figure holds all its text inside its edges: one draw, at exactly the report column's width
    tight = None if is_house_figure(fig) else "tight"
    # opaque RGB at a light compression level: the same bytes every run, half the encoding time of the default
    fig.savefig(
        buffer,
        format="png",
        dpi=HOUSE_DPI,
        bbox_inches=tight,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 3},
    )
    return buffer.getvalue()


def show(fig: Figure, alt: str = "") -> None:
    """Display a chart as a PNG output whatever MPLBACKEND says, with size, alt text, title and sources attached."""
    from IPython.display import publish_display_data

    png = png_bytes(fig)
    plt.close(fig)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk of every PNG
    title = chart_title(fig)
    described = f"Chart. {title}. {chart_subtitle(fig)}".strip().rstrip(".") + "."
    meta = {"width": width // SHOW_SCALE, "height": height // SHOW_SCALE, "alt": alt or described}
    if chart_subtitle(fig):
        meta["subtitle"] = chart_subtitle(fig)
    if chart_sources(fig):
        meta["sources"] = chart_sources(fig)
    if chart_note(fig):
        meta["note"] = chart_note(fig)
    publish_display_data(
        data={"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"Chart: {title}"},
        metadata={"image/png": meta},
    )


def new_figure(height: float = 4.2, width: float = HOUSE_WIDTH_IN) -> tuple[Figure, Axes]:
    """A figure and axes in the house size (the report column's width)."""
    # constrained layout fits tick labels and bar-end labels inside the width, so the report never shrinks it
    return plt.subplots(figsize=(width, height), layout="constrained", dpi=HOUSE_DPI)


TITLE_PT, SUBTITLE_PT, FOOTER_PT = 11.5, 8.5, 7.5


def wrap_to_width(
    fig: Figure, text: str, fontsize: float, weight: str = "normal", width_in: float | None = None
) -> str:
    """Wrap text into lines that fit the figure's width, measured word by word with the renderer (not guessed)."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    font = FontProperties(size=fontsize, weight=weight)
    limit = (width_in or fig.get_figwidth() - 0.1) * fig.dpi
    widths: dict[str, float] = {}

    def width(piece: str) -> float:
        if piece not in widths:
            widths[piece] = renderer.get_text_width_height_descent(piece, font, ismath=False)[0]
        return widths[piece]

    space = width("a b") - width("ab")
    lines = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            extra = width(word) + (space if line else 0.0)
            if line and used + extra > limit * 0.985:  # a little slack for kerning across words
                lines.append(line)
                line, used = word, width(word)
            else:
                line, used = (f"{line} {word}" if line else word), used + extra
        lines.append(line)
    return "\n".join(lines)


def _from_top(fig: Figure, points: float):
    """A transform placing text `points` below the figure's top edge, whatever the figure's height becomes."""
    from matplotlib.transforms import offset_copy

    return offset_copy(fig.transFigure, fig=fig, x=0, y=-points, units="points")


def _from_bottom(fig: Figure, points: float):
    """A transform placing text `points` above the figure's bottom edge."""
    from matplotlib.transforms import offset_copy

    return offset_copy(fig.transFigure, fig=fig, x=0, y=points, units="points")


def _reserve(fig: Figure) -> None:
    """Tell the layout to keep the axes clear of the title block and the footer (heights in points)."""
    engine = fig.get_layout_engine()
    if engine is None or not hasattr(engine, "set"):
        return
    height_pt = fig.get_figheight() * 72
    top, bottom = getattr(fig, "_house_top_pt", 0.0), getattr(fig, "_house_bottom_pt", 0.0)
    engine.set(rect=(0, bottom / height_pt, 1, 1 - (top + bottom) / height_pt))


def is_house_figure(fig: Figure) -> bool:
    """Whether a figure was built with `new_figure` and `titles`: it holds all its text inside its own edges."""
    return bool(getattr(fig, "_house_title", ""))


def titles(fig: Figure, finding: str, measured: str) -> None:
    """Title = the finding (a sentence), subtitle = what is measured and in what unit; both over the axes,
    flush with the figure's left edge, with the layout told to keep clear of them."""
    title = wrap_to_width(fig, finding, TITLE_PT, "bold")
    sub = wrap_to_width(fig, measured, SUBTITLE_PT)
    title_pt = (title.count("\n") + 1) * TITLE_PT * 1.25
    sub_pt = (sub.count("\n") + 1) * SUBTITLE_PT * 1.3
    x = 0.05 / fig.get_figwidth()
    fig.text(x, 1, title, ha="left", va="top", fontsize=TITLE_PT, fontweight="bold", color="#111111")
    fig.texts[-1].set_transform(_from_top(fig, 4))
    fig.text(x, 1, sub, ha="left", va="top", fontsize=SUBTITLE_PT, color="#444444")
    fig.texts[-1].set_transform(_from_top(fig, 4 + title_pt + 4))
    fig._house_top_pt = 4 + title_pt + 4 + sub_pt + 10
    _reserve(fig)
    fig._house_title = finding
    fig._house_subtitle = measured


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
    examples = {"firm": "closed", "tentative": "in_talks", "lapsed": "stalled"}
    return [Patch(label=STATUS_LEGEND[g], **bar_style(examples[g], NEUTRAL)) for g in (groups or list(STATUS_GROUPS))]


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

LOWER_BOUNDS = ("more_than", "at_least")
UPPER_BOUNDS = ("up_to", "less_than")


def bound_legend_handles() -> list[Line2D]:
    """Legend entries for the bound marks drawn at bar ends."""
    return [
        Line2D([], [], marker=">", linestyle="", color=NEUTRAL, markersize=7, label="arrow: more than / at least"),
        Line2D([], [], marker="|", linestyle="", color=NEUTRAL, markersize=10, markeredgewidth=2, label="cap: up to"),
    ]


def bound_mark(ax: Axes, x: float, y: float, qualifier: str, color: str, horizontal: bool = True) -> None:
    """An arrow past a lower bound ('more than') or a cap at a ceiling ('up to'), drawn at a bar end or a point."""
    if qualifier in LOWER_BOUNDS:
        marker = ">" if horizontal else "^"
        ax.plot(x, y, marker=marker, color=color, markersize=7, linestyle="", zorder=4, clip_on=False)
    elif qualifier in UPPER_BOUNDS:
        marker = "|" if horizontal else "_"
        # a bar-end cap spans most of the bar's height, so it still reads at half the report size
        size, width = (17, 3.0) if horizontal else (12, 2.2)
        ax.plot(x, y, marker=marker, color=color, markersize=size, markeredgewidth=width, linestyle="", zorder=4)


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


# ----- labels that do not collide --------------------------------------------------------------------------

LABEL_OFFSETS = (  # (dx, dy) in points, horizontal and vertical alignment: tried in this order
    ((7, 0), "left", "center"),
    ((-7, 0), "right", "center"),
    ((0, 8), "center", "bottom"),
    ((0, -8), "center", "top"),
    ((6, 6), "left", "bottom"),
    ((6, -6), "left", "top"),
    ((-6, 6), "right", "bottom"),
    ((-6, -6), "right", "top"),
    ((8, 16), "left", "bottom"),
    ((8, -16), "left", "top"),
    ((-8, 16), "right", "bottom"),
    ((-8, -16), "right", "top"),
)


def place_labels(ax: Axes, items: list[tuple[object, float, str]], fontsize: float = 8, color: str = "#333333") -> None:
    """Write each (x, y, text) next to its point at the first offset that stays inside the axes and clear of
    markers, the legend and the labels already placed. Set limits and the legend before calling."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [box for label, box in _data_boxes(ax, renderer) if label.startswith("marker")]
    taken += [t.arrow_patch.get_window_extent(renderer) for t in ax.texts if getattr(t, "arrow_patch", None)]
    if ax.get_legend() is not None:
        taken.append(ax.get_legend().get_window_extent(renderer))
    for x, y, text in items:
        best, best_hits = None, None
        for offset, ha, va in LABEL_OFFSETS:
            label = ax.annotate(
                text, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=fontsize, color=color
            )
            box = label.get_window_extent(renderer)
            hits = sum(_overlap(box, other, 0.0) for other in taken) + (0 if _inside(box, frame, -2) else 100)
            if best_hits is None or hits < best_hits:
                if best is not None:
                    best.remove()
                best, best_hits = label, hits
            else:
                label.remove()
            if hits == 0:
                break
        taken.append(best.get_window_extent(renderer))


def make_room_right(ax: Axes, pad_px: float = 4.0) -> None:
    """Widen the x limits just enough that every label written inside the axes ends before its right edge.
    Call it once title and footer are in place, so the layout it measures is the final one."""
    fig = ax.figure
    for text in ax.texts:  # the limits make room for the labels, so the layout need not shrink the axes for them
        text.set_in_layout(False)
    for _ in range(2):  # widening the limits can move the date ticks and with them the layout: check once more
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        low, high = ax.get_xlim()
        needed = high
        for text in ax.texts:
            box = text.get_window_extent(renderer) if text.get_text() else None
            if box is None or box.x1 + pad_px <= frame.x1:
                continue
            start_px = box.x0 - frame.x0  # the label's left end stays at its data position
            anchor = low + start_px / frame.width * (high - low)
            free = frame.width - box.width - pad_px
            if free > 0 and start_px > 0:
                needed = max(needed, low + (anchor - low) * frame.width / free)
        if needed <= high:
            return
        # never more than triple: a label too wide for the chart stays cut, and the legibility test says so
        ax.set_xlim(low, min(needed, low + 3 * (high - low)))


LEGEND_PLACES = ("upper right", "center right", "lower right", "upper left", "center left", "lower left")


def legend_clear_of_data(ax: Axes, handles: list, places: tuple[str, ...] = LEGEND_PLACES, **kwargs):
    """A legend at the first place where it covers no bar, marker, line or label; call once the layout is final
    (after `titles` and `footer`). Falls back to the place with the fewest collisions."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    obstacles = [box for _, box in _data_boxes(ax, renderer)]
    obstacles += [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    best, fewest = places[0], None
    for place in places:
        legend = ax.legend(handles=handles, loc=place, **kwargs)
        box = legend.get_window_extent(renderer)
        hits = sum(_overlap(box, other, 0.5) for other in obstacles)
        if fewest is None or hits < fewest:
            best, fewest = place, hits
        if hits == 0:
            return legend
    return ax.legend(handles=handles, loc=best, **kwargs)


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


# ----- sources footer ---------------------------------------------------------------------------------

SHORT_OUTLETS = {
    "The Wall Street Journal": "WSJ",
    "The New York Times": "NYT",
    "Amazon (Form 8-K)": "Amazon 8-K",
    "Amazon (SEC filing)": "Amazon SEC filing",
    "Microsoft (Form 10-Q)": "Microsoft 10-Q",
    "Cerebras (Form S-1)": "Cerebras S-1",
    "SoftBank Group release": "SoftBank",
    "SoftBank Group": "SoftBank",
    "OpenAI (CFO blog post)": "OpenAI CFO blog",
    "Sam Altman (post on X)": "Sam Altman on X",
}


FIRST_HAND = ("primary",)  # a company's own release or filing, read where it was published


def _short(name: str) -> str:
    """A name as footers write it: 'The Wall Street Journal (archived copy)' -> 'WSJ (archived copy)'."""
    head, sep, rest = name.partition(" (")
    return SHORT_OUTLETS.get(name, SHORT_OUTLETS.get(head, head) + (sep + rest if sep else ""))


def page_read(row: pd.Series) -> str:
    """The name of the page read: outlet_read without its remark, unless the remark is what tells it from the original."""
    full = row["outlet_read"]
    head = full.split(" (")[0]
    if head in _originals(row) and row["proximity"] not in FIRST_HAND and head != full:
        head = full  # 'GeekWire (RSS mirror)' read, GeekWire reported: the remark is the credit
    return _short(head.replace("; ", " and "))


def _originals(row: pd.Series) -> list[str]:
    """The original reporters a source row names ('unknown' and event names dropped)."""
    original = row["original_outlet"]
    if not isinstance(original, str):
        return []
    names = [part.strip() for part in original.split(";")]
    return [n for n in names if n and n.lower() != "unknown" and n not in ("White House event",)]


def credit(row: pd.Series) -> str:
    """How a footer credits one source: the page read, and the original only as 'original via page read'."""
    read = page_read(row)
    others = [_short(n) for n in _originals(row) if _short(n) != read and n != row["outlet_read"].split(" (")[0]]
    if row["proximity"] in FIRST_HAND or not others:
        return read
    return f"{' and '.join(dict.fromkeys(others))} via {read}"


def _outlets(row: pd.Series) -> list[str]:
    """The credits a source row gives in a footer (one: see credit)."""
    return [credit(row)]


def _short_date(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%b %Y}"


def source_line(source_ids: list[str], sources: pd.DataFrame) -> str:
    """'Sources: Amazon 8-K, 27 Feb 2026; CNBC, 2 reports, Dec 2025-Feb 2026; ...' built from the rows plotted."""
    rows = sources.set_index("source_id").loc[list(dict.fromkeys(source_ids))]
    dates: dict[str, list[pd.Timestamp]] = {}
    to_the_day: dict[str, bool] = {}
    for _, row in rows.iterrows():
        for outlet in _outlets(row):
            dates.setdefault(outlet, []).append(row["published_on"])
            to_the_day[outlet] = row["date_precision"] == "day"
    parts = []
    for outlet, when in sorted(dates.items(), key=lambda item: (-len(item[1]), max(item[1]), item[0])):
        first, last = min(when), max(when)
        if len(when) == 1:  # a month- or approximately-dated page gets no invented day
            parts.append(f"{outlet}, {_short_date(first) if to_the_day[outlet] else f'{first:%b %Y}'}")
        elif f"{first:%b %Y}" == f"{last:%b %Y}":
            parts.append(f"{outlet}, {len(when)} reports, {first:%b %Y}")
        else:
            parts.append(f"{outlet}, {len(when)} reports, {first:%b %Y}-{last:%b %Y}")
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts) + "."


def footer(fig: Figure, source_ids: list[str], sources: pd.DataFrame, note: str = "") -> None:
    """Write an optional note and 'Sources: outlet, date; ...' under the axes, wrapped to the figure's width.
    A house figure grows by the footer's height, so the chart keeps its size and all text stays inside."""
    line = source_line(source_ids, sources)
    text = (note.strip() + "\n" if note else "") + line
    wrapped = wrap_to_width(fig, text, FOOTER_PT)
    fig._house_footer, fig._house_note = line, note.strip()
    fig._house_source_ids = list(dict.fromkeys(source_ids))
    x = 0.05 / fig.get_figwidth()
    if fig.get_layout_engine() is None or not hasattr(fig.get_layout_engine(), "set"):
        # a figure without a layout engine: just under its bottom edge, kept in view by a tight bounding box
        fig.text(x, -3 / 72 / fig.get_figheight(), wrapped, ha="left", va="top", fontsize=FOOTER_PT, color=NEUTRAL)
        return
    footer_pt = (wrapped.count("\n") + 1) * FOOTER_PT * 1.3 + 10
    fig.set_figheight(fig.get_figheight() + footer_pt / 72)
    fig.text(x, 0, wrapped, ha="left", va="bottom", fontsize=FOOTER_PT, color=NEUTRAL)
    fig.texts[-1].set_transform(_from_bottom(fig, 4))
    fig._house_bottom_pt = footer_pt
    _reserve(fig)


# ----- legibility checks (used by tests/test_charts.py for every chart builder) -------------------------


def _visible(artist) -> bool:
    """Whether an artist and all its parents are shown."""
    while artist is not None:
        if not artist.get_visible():
            return False
        artist = getattr(artist, "axes", None) if artist is not getattr(artist, "axes", None) else None
    return True


def _texts(fig: Figure, renderer) -> list[tuple[str, object, object]]:
    """(label, Text, window bbox) for every non-empty text drawn on the figure."""
    from matplotlib.text import Text

    found = []
    drawn_ticks = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks():  # only the ticks inside the view limits are drawn
                drawn_ticks.update({id(tick.label1), id(tick.label2)})
    tick_labels = {id(t) for ax in fig.axes for a in (ax.xaxis, ax.yaxis) for t in a.get_ticklabels(which="both")}
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in tick_labels and id(text) not in drawn_ticks:
            continue
        legend = next((lg for lg in _legends(fig) if text in lg.get_texts()), None)
        if legend is not None and not legend.get_visible():
            continue
        found.append((text.get_text().replace("\n", " ")[:40], text, Text.get_window_extent(text, renderer)))
    return found


def _legends(fig: Figure) -> list:
    """Every legend on the figure."""
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return legends + list(fig.legends)


def _overlap(a, b, tolerance: float = 1.0) -> bool:
    """Whether two display boxes overlap by more than `tolerance` pixels in both directions."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def _inside(inner, outer, tolerance: float = 1.0) -> bool:
    """Whether a display box lies within another."""
    return (
        inner.x0 >= outer.x0 - tolerance
        and inner.x1 <= outer.x1 + tolerance
        and inner.y0 >= outer.y0 - tolerance
        and inner.y1 <= outer.y1 + tolerance
    )


def _strictly_in(point, box, margin: float = 1.0) -> bool:
    """Whether a display point lies inside a box, away from its edges."""
    x, y = point
    return box.x0 + margin < x < box.x1 - margin and box.y0 + margin < y < box.y1 - margin


def _data_boxes(ax: Axes, renderer) -> list[tuple[str, object]]:
    """Display boxes of what an axes plots: bars and patches, line vertices, scatter points, in-axes text."""
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Bbox

    px_per_pt = ax.figure.dpi / 72
    boxes = []
    for patch in ax.patches:
        box = patch.get_window_extent(renderer)
        if patch.get_visible() and box.width > 0.5 and box.height > 0.5:
            boxes.append((f"bar/patch at {box.x0:.0f},{box.y0:.0f}", box))
    for line in ax.lines:
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(np.column_stack(line.get_data(orig=False)).astype(float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        has_marker = line.get_marker() not in (None, "", "None", " ")
        if has_marker:  # the marker's own shape: a '|' cap is tall and thin, not a square
            half = _marker_half_extents(line._marker, line.get_markersize(), line.get_markeredgewidth(), px_per_pt)
        else:
            half = (px_per_pt / 2, px_per_pt / 2)
        if line.get_linestyle() not in ("None", "", " ") and len(xy) > 1:  # sample along each segment
            steps = np.linspace(0, 1, 12)[:, None]
            xy = np.concatenate([a + steps * (b - a) for a, b in zip(xy[:-1], xy[1:], strict=True)] + [xy])
        kind = "marker" if has_marker and line.get_clip_on() else "line point"
        boxes += [(kind, Bbox.from_extents(x - half[0], y - half[1], x + half[0], y + half[1])) for x, y in xy]
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or not collection.get_visible():
            continue
        offsets = collection.get_offset_transform().transform(collection.get_offsets())
        sizes = np.broadcast_to(collection.get_sizes() if len(collection.get_sizes()) else [36], len(offsets))
        for (x, y), s in zip(offsets, sizes, strict=True):
            r = np.sqrt(s) * px_per_pt / 2
            boxes.append((f"marker at {x:.0f},{y:.0f}", Bbox.from_extents(x - r, y - r, x + r, y + r)))
    return boxes


def _marker_half_extents(marker, size_pt: float, edge_pt: float, px_per_pt: float) -> tuple[float, float]:
    """Half width and half height, in pixels, of one drawn marker (its path scaled to size, plus half the edge)."""
    extents = marker.get_path().transformed(marker.get_transform()).get_extents()
    half_x = max(abs(extents.x0), abs(extents.x1)) * size_pt + edge_pt / 2
    half_y = max(abs(extents.y0), abs(extents.y1)) * size_pt + edge_pt / 2
    return half_x * px_per_pt, half_y * px_per_pt


def legibility_problems(fig: Figure, report_width_px: int = REPORT_WIDTH_PX) -> list[str]:
    """What a graphics editor would send back: overlapping or clipped text, clipped marks, a legend over data,
    text under MIN_TEXT_PT at the size the report shows the chart. Empty when the chart is clean."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation, Text

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems: list[str] = []
    if is_house_figure(fig):
        shown_px = fig.get_figwidth() * CSS_DPI
    else:
        shown_px = (fig.get_tightbbox(renderer).width + 2 * mpl.rcParams["savefig.pad_inches"]) * CSS_DPI
    scale = min(1.0, report_width_px / shown_px)
    if scale < 1:
        problems.append(f"chart is {shown_px:.0f} px wide, shrunk to {scale:.0%} in a {report_width_px} px column")
    texts = _texts(fig, renderer)
    for label, text, box in texts:
        if is_house_figure(fig) and not _inside(box, fig.bbox):
            problems.append(f"text '{label}' is cut by the figure edge")
        if text.get_fontsize() * scale < MIN_TEXT_PT - 1e-9:
            problems.append(f"text '{label}' is {text.get_fontsize() * scale:.1f} pt at report size")
    for i, (label_a, _ta, a) in enumerate(texts):
        for label_b, _tb, b in texts[i + 1 :]:
            if _overlap(a, b):
                problems.append(f"text '{label_a}' overlaps text '{label_b}'")
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        for text in ax.texts:
            if not text.get_visible():
                continue
            if isinstance(text, Annotation):
                anchor = text._get_xy_display()
                arrow = text.arrow_patch
                inside_arrow = arrow is None or _inside(arrow.get_window_extent(renderer), frame, 2.0)
                if not inside_arrow and _strictly_in(anchor, frame):
                    problems.append(f"arrow of '{text.get_text()[:30]}' runs past the axes edge")
            else:
                anchor = text.get_transform().transform(text.get_position())
            cut = not _inside(Text.get_window_extent(text, renderer), frame)
            if text.get_text().strip() and _strictly_in(anchor, frame) and cut:
                problems.append(f"text '{text.get_text()[:40]}' is cut by the axes edge")
        for label, box in _data_boxes(ax, renderer):
            if label.startswith("marker") and not _inside(box, frame, 1.5):
                problems.append(f"{label} on '{ax.get_title()[:30]}' is clipped by the axes edge")
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            lbox = legend.get_window_extent(renderer)
            for label, box in _data_boxes(ax, renderer):
                if _overlap(lbox, box, 0.5):
                    problems.append(f"legend covers data ({label})")
                    break
            for text in ax.texts:
                if text.get_text().strip() and _overlap(lbox, Text.get_window_extent(text, renderer), 0.5):
                    problems.append(f"legend covers the label '{text.get_text()[:30]}'")
    return problems


# ----- the 04 heatmap (kept here until helpers/scenario_charts.py takes it over) -------------------------


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
