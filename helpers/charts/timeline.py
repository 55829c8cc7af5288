"""Notebook 01's timeline of every event: one lane per kind, one line per event from its first report to its latest,
a marker at each report that changed its status (house status encoding), and words beside the largest events that
fit; the rest are markers only and sit in the table under the chart."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter

from helpers.analysis import network, timeline
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import LABEL_INK, NEUTRAL_LIGHT
from helpers.data.views import sources_of, stated

ROW_IN, LANE_GAP_ROWS, LABEL_PT = 0.19, 0.5, 7.0
# marker area in pt²: big enough that a hatched (tentative) marker shows its hatching and does not read as the
# dashed empty ring of a lapse at report size
MARKER_PT2 = 56
AXES_PX = 600  # the axes' width at report size, once the lane names and margins are taken (checked by the test)
_RENDERER = RendererAgg(100, 100, 100)  # measures text at the report's 100 px an inch
PAD_DAYS = 8
RIGHT_PAD_DAYS = 25  # clear space between two events on one row
YEARS_SHOWN = 2  # the axis covers the last two years of reports; older events are named in the footer
SOURCE_OUTLETS = 5  # the most-cited outlets under the chart; every event's sources are in the table below it
MARKER_GAP_PX = 3  # clear space between two markers of one event, so every status change is its own marker


def marker_gap_days(span_days: float) -> float:
    """The least distance in days between two markers of one row at report size: a marker's width plus a gap."""
    diameter_px = MARKER_PT2**0.5 / 72 * 100
    return (diameter_px + MARKER_GAP_PX) / AXES_PX * span_days


def marker_dates(dates: pd.Series, gap_days: float) -> list[pd.Timestamp]:
    """Where each status step's marker is drawn: at its date, or just right of the one before when reports came
    days apart (SoftBank 2026: press report 26 Feb, announced 27 Feb, signed 2 Mar), so each change can be counted."""
    placed: list[pd.Timestamp] = []
    for date in dates:
        placed.append(max(date, placed[-1] + pd.Timedelta(days=gap_days)) if placed else date)
    return placed


def window_start(table: pd.DataFrame) -> pd.Timestamp:
    """The first month drawn: YEARS_SHOWN years before the newest report (older events are in the table)."""
    newest = table["last_reported"].max()
    return (newest - pd.DateOffset(years=YEARS_SHOWN)).to_period("M").to_timestamp()


def label_days(text: str, span_days: float) -> float:
    """How many days of axis a label of `text` takes at report size: its width measured in the house font, plus its
    offset, with a margin for the room `make_room_right` may add at the right edge."""
    width_px, _, _ = _RENDERER.get_text_width_height_descent(text, FontProperties(size=LABEL_PT), ismath=False)
    return (width_px + 10) * 1.05 / AXES_PX * span_days


def layout(table: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, max_rows: int = 18) -> pd.DataFrame:
    """Row within its lane and label side ('right', 'left' or '' for none) of every event drawn: one event a row (so
    two events never read as one line), taken in label order (largest first); a label goes right of the last marker,
    or left of the first when the right runs past the axis, else broken after the event's name over its row and the
    next (sides 'right2', 'left2'), or nowhere once the lane has `max_rows` rows."""
    span = float((end - start).days + RIGHT_PAD_DAYS)
    taken: dict[str, int] = {}  # rows used in each lane so far
    rows, sides = {}, {}
    drawn = table[table["last_reported"] >= start]
    for event in timeline.label_order(drawn):
        row = drawn.set_index("event").loc[event]
        begin = (max(row["first_reported"], start) - start).days - PAD_DAYS
        shown = row["steps"].loc[row["steps"]["reported_on"] >= start, "reported_on"]
        last = marker_dates(shown, marker_gap_days(span))[-1] if len(shown) else row["last_step"]
        finish = (last - start).days + PAD_DAYS
        words = _words(row, event)
        width = label_days(words, span)
        # a label too long for either side breaks after the event's name, over its row and the empty row below
        width2 = max(label_days(line, span) for line in two_lines(words).split("\n"))
        slot = taken.get(row["lane"], 0)
        room = slot < max_rows
        fits = {
            "right": finish + width <= span,
            "left": begin - width >= 0,
            "right2": finish + width2 <= span and slot + 1 < max_rows,
            "left2": begin - width2 >= 0 and slot + 1 < max_rows,
        }
        side = next((s for s, ok in fits.items() if ok), "") if room else ""
        taken[row["lane"]] = slot + (2 if side.endswith("2") else 1)
        rows[event], sides[event] = slot, side
    side = drawn["event"].map(sides)
    gap = marker_gap_days(span)
    marks = [marker_dates(steps.loc[steps["reported_on"] >= start, "reported_on"], gap) for steps in drawn["steps"]]
    return drawn.assign(
        row=drawn["event"].map(rows),
        side=side,
        labelled=side.ne(""),
        right=span,
        marks=marks,
        last_row=drawn["event"].map(rows) + side.str.endswith("2").astype(int),
    )


def two_lines(words: str) -> str:
    """A label broken after the event's name: 'Possible stock-market listing:\npress report, up to $1T (...)'."""
    name, _, rest = words.partition(": ")
    return f"{name}:\n{rest}" if rest else words


def _words(row: pd.Series, event: str) -> str:
    """The label of an event row indexed by event."""
    return timeline.label_words(row.to_frame().T.assign(event=event).iloc[0])


def event_timeline(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Every event of the ledger on one time axis, lanes by kind, status steps as markers, the largest labelled."""
    table = timeline.events(figures)
    start = window_start(table)
    end = table["last_reported"].max()
    drawn = layout(table, start, end)
    lanes = [lane for lane in timeline.LANES if lane in set(drawn["lane"])]
    offsets, y = {}, 0.0
    for lane in lanes:
        offsets[lane] = y
        y += int(drawn.loc[drawn["lane"].eq(lane), "last_row"].max()) + 1 + LANE_GAP_ROWS
    height_rows = y - LANE_GAP_ROWS
    fig, ax = frame.new_figure(height=ROW_IN * (height_rows + 1) + 0.5)
    for _, event in drawn.iterrows():
        split = event["side"].endswith("2")
        # a two-line label takes its row and the next: its line and markers sit between them, the label centred on
        # them, so neither line sits beside another event's row
        lane_y = offsets[event["lane"]] + event["row"] + (0.5 if split else 0)
        color = grammar.investor_color(event["party"]) if event["party"] else grammar.investor_color("group")
        steps = event["steps"]
        shown = steps[steps["reported_on"] >= start]
        marks = event["marks"]
        left = max(event["first_reported"], start)
        # the line ends at the last status marker: a later report that changed nothing is not drawn as an event
        last = marks[-1] if marks else left
        ax.plot([left, last], [lane_y, lane_y], color=color, linewidth=1.2, alpha=0.6, zorder=1)
        for when, status in zip(marks, shown["status"], strict=True):
            ax.scatter(when, lane_y, s=MARKER_PT2, zorder=3, **grammar.marker_style(status, color))
        if event["labelled"]:
            right = event["side"].startswith("right")
            words = timeline.label_words(event)
            ax.annotate(
                two_lines(words) if split else words,
                (last if right else left, lane_y),
                xytext=(5 if right else -5, 0),
                ha="left" if right else "right",
                textcoords="offset points",
                va="center",
                fontsize=LABEL_PT,
                color=LABEL_INK,
                linespacing=1.15 if split else 1.5,
            )
    for lane in lanes[1:]:
        ax.axhline(offsets[lane] - (1 + LANE_GAP_ROWS) / 2, color=NEUTRAL_LIGHT, linewidth=0.6, zorder=0)
    centres = [offsets[lane] + drawn.loc[drawn["lane"].eq(lane), "last_row"].max() / 2 for lane in lanes]
    ax.set_yticks(centres, [_two_lines(lane) for lane in lanes])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(height_rows - 0.4, -0.6)
    ax.set_xlim(start - pd.Timedelta(days=10), start + pd.Timedelta(days=float(drawn["right"].iloc[0])))
    grammar.concise_dates(ax)
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_words))
    ax.grid(axis="y", visible=False)
    in_ledger = int(figures["event"].nunique())
    frame.titles(
        fig,
        timeline.finding_title(drawn, end),
        f"Each deal, round, share sale, stake, contract, loan and listing report since {start:%b %Y}: a marker at "
        "each report that changed its status. Filled: announced, signed or closed; hatched: talks, press report or "
        "letter of intent; empty dashed: lapsed (stalled or superseded). Colour: the other "
        "party (grey: several or none). Words: latest status and size",
    )
    totals = timeline.running_totals(figures, drawn)
    older = table[table["last_reported"] < start]
    unlabelled = [timeline.short_name(d) for d in drawn.loc[~drawn["labelled"], "deal"]]
    # every mark drawn has a label; one that cannot fit is named here, so no mark is left without words
    note = (
        (f"Unlabelled marks: {', '.join(unlabelled)}. " if unlabelled else "")
        + (
            f"Not drawn: the {len(older)} events reported only before {start:%b %Y} "
            f"({', '.join(timeline.short_name(d) for d in older['deal'])}); they are in the table below. "
            if len(older)
            else ""
        )
        + f"The ledger's other {in_ledger - len(table)} events are revenue, forecasts, other running totals"
        + _shares_left_out(figures)
        + "."
        + (
            f" Counts are of events, not separate deals: {len(totals)} drawn are running totals "
            f"({'; '.join(totals)}) whose money is also in other events."
            if totals
            else ""
        )
    )  # the as-of date closes the sources line (frame.footer), once
    latest_steps = timeline.step_rows(figures, drawn[drawn["labelled"]], last_only=True)
    frame.footer(
        fig,
        sources_of(latest_steps),
        sources,
        note=note,
        outlets=SOURCE_OUTLETS,
        rest="each event's sources, report by report, are in the table below",
    )
    placement.make_room_right(ax)
    # every event, drawn or not, one row each; the status steps are spelled out in 'path'
    frame.attach_data(fig, table.drop(columns=["steps"]).assign(figure_ids=table["figure_ids"].map(" ".join)))
    return fig


def _shares_left_out(figures: pd.DataFrame) -> str:
    """Why the timeline has no revenue-share term, by partner: a term reported once, with no size in dollars and no
    status history to draw; the who-pays-whom chart of the compute page draws it as money out of OpenAI."""
    shares = figures[figures["reading"].eq("used") & figures["metric"].eq("revenue_share_pct")]
    if shares.empty:
        return ""
    partners = list(dict.fromkeys(shares["counterparty"]))
    names = " and ".join(f"{p}'s share of OpenAI's revenue" for p in partners)
    # a reported cap (F187) is a ceiling on the payments, not a deal's size: named as such, from the ledger
    caps = network.share_caps(figures)
    caps = caps[caps["event"].isin(shares["event"])]
    size = (
        "no size in dollars"
        if caps.empty
        else "no size in dollars but a ceiling on its payments ("
        + " and ".join(stated(cap) for _, cap in caps.iterrows())
        + ")"
    )
    return (
        f" and {'a revenue-share term' if len(partners) == 1 else 'revenue-share terms'} ({names}): a contract's "
        f"term reported once, with {size} and no status history, so it is not drawn here; the compute "
        "page's who-pays-whom chart draws it as money out of OpenAI"
    )


def _tick_words(value: float, position: int | None) -> str:
    """A month tick: the year at January and on the first tick (so the axis never starts with a month alone)."""
    when = mdates.num2date(value)
    if when.month == 1:
        return f"{when:%Y}"
    return f"{when:%b %Y}" if position == 0 else f"{when:%b}"


def _two_lines(lane: str) -> str:
    """A lane name over two lines at its middle space, so the names column stays narrow."""
    words = lane.split(" ")
    if len(words) < 3:
        return lane
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


def event_marks(figures: pd.DataFrame) -> pd.Series:
    """How the timeline shows each event, by event: 'labelled', 'marker only', or 'not drawn: reported before <month>'
    (the table under the chart says it)."""
    table = timeline.events(figures)
    start = window_start(table)
    drawn = layout(table, start, table["last_reported"].max()).set_index("event")["labelled"]
    words = drawn.map({True: "labelled", False: "marker only"})
    return words.reindex(table["event"]).fillna(f"not drawn: reported before {start:%b %Y}")
