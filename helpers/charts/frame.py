"""The house figure: style, size, title and subtitle, the sources footer, and a sharp inline PNG.

Every chart is made with `new_figure`, titled with `titles`, credited with `footer`, and shown with `show`.
"""

from __future__ import annotations

import base64
import contextlib
import io
import struct

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers.charts.grammar import NEUTRAL

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
    pin_backend()
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside a notebook kernel there is no inline backend to configure
        return
    with contextlib.suppress(AttributeError, NameError):  # not running inside IPython
        set_matplotlib_formats("png", bbox_inches="tight", metadata={"Software": None})


INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def pinned_backend() -> str:
    """The backend charts are drawn with: the inline one (an Agg canvas) in a notebook kernel, else Agg."""
    try:
        from IPython import get_ipython
    except ImportError:
        return "agg"
    return INLINE_BACKEND if getattr(get_ipython(), "kernel", None) is not None else "agg"


def pin_backend() -> None:
    """Draw on the Agg canvas whatever MPLBACKEND says in the environment."""
    # Layout is measured on the figure's canvas: under MPLBACKEND=svg or pdf the constrained layout and text
    # wrapping measured on another canvas moved labels by a pixel and changed the committed PNG bytes. Both the
    # inline backend and Agg draw on FigureCanvasAgg, so a run with MPLBACKEND unset, Agg, svg or pdf writes one PNG.
    target = pinned_backend()
    if plt.get_backend() != target:
        plt.switch_backend(target)


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


def attach_data(fig: Figure, table: pd.DataFrame | pd.Series | dict[str, pd.DataFrame | pd.Series]) -> None:
    """Keep the frame a chart draws, so `show` can offer it as a CSV beside the PNG (several frames: a dict of them,
    stacked with a 'part' column naming each)."""
    fig._house_data = table


def data_csv(fig: Figure) -> str:
    """The attached frame as CSV text: the index kept when it names the rows, a fixed line ending, '' if none."""
    table = getattr(fig, "_house_data", None)
    if table is None:
        return ""
    if isinstance(table, dict):
        parts = [_as_frame(part).assign(part=name) for name, part in table.items()]
        table = pd.concat([p[["part", *[c for c in p.columns if c != "part"]]] for p in parts], ignore_index=True)
    table = _as_frame(table)
    return _rounded(table).to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")


CSV_SIGNIFICANT_DIGITS = 10


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    """Float columns at 10 significant digits, so the CSV reads as the chart (6.6, not 6.599999999999994)."""
    floats = table.select_dtypes("float").columns
    return table.assign(
        **{c: table[c].map(lambda x: float(f"{x:.{CSV_SIGNIFICANT_DIGITS}g}"), na_action="ignore") for c in floats}
    )


def _as_frame(table: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """A frame whose index, when it carries names (not 0..n-1), is a column of its own."""
    table = table.to_frame() if isinstance(table, pd.Series) else table
    if isinstance(table.index, pd.RangeIndex) and table.index.name is None:
        return table.reset_index(drop=True)
    names = [n or f"row_{i}" for i, n in enumerate(table.index.names)] if table.index.nlevels > 1 else table.index.name
    return table.reset_index(names=names or "row")


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
    if data_csv(fig):  # the report writes it beside the PNG: the data behind the chart, one click from it
        meta["data_csv"] = data_csv(fig)
    publish_display_data(
        data={"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"Chart: {title}"},
        metadata={"image/png": meta},
    )


def new_figure(height: float = 4.2, width: float = HOUSE_WIDTH_IN) -> tuple[Figure, Axes]:
    """A figure and axes in the house size (the report column's width)."""
    # constrained layout fits tick labels and bar-end labels inside the width, so the report never shrinks it
    return plt.subplots(figsize=(width, height), layout="constrained", dpi=HOUSE_DPI)


TITLE_PT, SUBTITLE_PT, FOOTER_PT = 11.5, 8.5, 7.5


def renderer_of(fig: Figure) -> object:
    """The renderer that measures text and boxes for `fig`, whatever the canvas: with MPLBACKEND=svg, pdf or ps the
    canvas has no get_renderer, so text is measured with an Agg renderer of the same size and dpi."""
    get_renderer = getattr(fig.canvas, "get_renderer", None)
    if get_renderer is not None:
        return get_renderer()
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi, fig.dpi)


_WORD_WIDTHS: dict[tuple[str, float, str, float], float] = {}


def wrap_to_width(
    fig: Figure, text: str, fontsize: float, weight: str = "normal", width_in: float | None = None
) -> str:
    """Wrap text into lines that fit the figure's width, measured word by word with the renderer (not guessed)."""
    from matplotlib.font_manager import FontProperties

    renderer = renderer_of(fig)
    font = FontProperties(size=fontsize, weight=weight)
    limit = (width_in or fig.get_figwidth() - 0.1) * fig.dpi

    def width(piece: str) -> float:
        # a word's width depends only on the font and the resolution: measured once a process, since the same
        # footers are wrapped again at every redraw of 04's slider panel
        key = (piece, fontsize, weight, fig.dpi)
        if key not in _WORD_WIDTHS:
            _WORD_WIDTHS[key] = renderer.get_text_width_height_descent(piece, font, ismath=False)[0]
        return _WORD_WIDTHS[key]

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


# ----- sources footer ---------------------------------------------------------------------------------

SHORT_OUTLETS = {
    "The Wall Street Journal": "WSJ",
    "The New York Times": "NYT",
    "Amazon (Form 8-K)": "Amazon 8-K",
    "Amazon (SEC filing)": "Amazon SEC filing",
    "Microsoft (Form 10-Q)": "Microsoft 10-Q",
    "Nvidia (Form 10-Q)": "Nvidia 10-Q",
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
        head = full  # 'X (RSS mirror)' read, X reported: the remark is all that tells the page from the original
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


def source_line(source_ids: list[str], sources: pd.DataFrame, outlets: int = 0, rest: str = "") -> str:
    """'Sources: Amazon 8-K, 27 Feb 2026; CNBC, 2 reports, Dec 2025-Feb 2026; ...' built from the rows plotted.
    With `outlets`, only the first that many (most reports first), then 'N more: `rest`' (where the full list is)."""
    rows = sources.set_index("source_id").loc[list(dict.fromkeys(source_ids))]
    dates: dict[str, list[pd.Timestamp]] = {}
    to_the_day: dict[str, bool] = {}
    for _, row in rows.iterrows():
        for outlet in _outlets(row):
            dates.setdefault(outlet, []).append(row["published_on"])
            # one page dated only to the month makes the outlet's dates month-only (no invented day)
            to_the_day[outlet] = to_the_day.get(outlet, True) and row["date_precision"] == "day"
    parts = []
    for outlet, when in sorted(dates.items(), key=lambda item: (-len(item[1]), max(item[1]), item[0])):
        first, last = min(when), max(when)
        if len(when) == 1:  # a month- or approximately-dated page gets no invented day
            parts.append(f"{outlet}, {_short_date(first) if to_the_day[outlet] else f'{first:%b %Y}'}")
        elif to_the_day[outlet] and first == last:  # several pages of one day: the day, as for one page
            parts.append(f"{outlet}, {len(when)} reports, {_short_date(first)}")
        elif f"{first:%b %Y}" == f"{last:%b %Y}":
            parts.append(f"{outlet}, {len(when)} reports, {first:%b %Y}")
        else:
            parts.append(f"{outlet}, {len(when)} reports, {first:%b %Y}-{last:%b %Y}")
    if outlets and len(parts) > outlets:
        more = len(parts) - outlets
        return "Sources: " + "; ".join(parts[:outlets]) + f". {more} more" + (f": {rest}" if rest else "") + "."
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts) + "."


def as_of_words(sources: pd.DataFrame) -> str:
    """' Figures as of 1 Jul 2026.': the date of the newest report in the ledger, on every chart (the newest source
    is the newest report: every figure's date is its source's; tests/test_story.py checks it on the shipped data)."""
    if "published_on" not in sources or sources["published_on"].isna().all():
        return ""
    return f" Figures as of {_short_date(pd.Timestamp(sources['published_on'].max()))}."


def footer(
    fig: Figure, source_ids: list[str], sources: pd.DataFrame, note: str = "", outlets: int = 0, rest: str = ""
) -> None:
    """Write an optional note and 'Sources: outlet, date; ...' under the axes, wrapped to the figure's width.
    A house figure grows by the footer's height, so the chart keeps its size and all text stays inside.
    `outlets` and `rest` shorten the line to the most-cited outlets and say where the rest are (source_line)."""
    line = source_line(source_ids, sources, outlets, rest) + as_of_words(sources)
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
