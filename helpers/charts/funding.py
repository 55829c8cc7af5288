"""The charts of notebook 02, funding: money per deal, cumulative capital, valuation marks, and money by investor."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from helpers.analysis import funding, funding_words, running_total, valuation
from helpers.analysis.funding import COMMITTED, CONDITIONAL, PAID_IN, PRESS_REPORTS
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import (
    COMPANY_COLORS,
    NEUTRAL,
    NEUTRAL_LIGHT,
    conditional_style,
    investor_color,
)
from helpers.data import vocabulary
from helpers.data.views import aggregator_flag, latest, sources_of, stated
from helpers.data.vocabulary import (
    FIRM_STATUSES,
    LIVE_STATUSES,
)
from helpers.notebook.tables import money


def capital_per_deal_chart(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Money raised per deal in the money box's words: paid in, committed, conditional (white, not raised)."""
    firm = FIRM_STATUSES
    blocks = funding.money_raised(figures, firm)
    events = latest(funding.capital_events(figures), ["event"]).set_index("event")
    fig, ax = frame.new_figure(height=3.0)
    colors = []
    for position, row in enumerate(blocks.itertuples()):
        first = row.event.split(", ")[0]
        color = investor_color(str(events.loc[first, "subject"])) if first in events.index else NEUTRAL
        colors.append(color)
        end = grammar.money_parts(
            ax,
            position,
            [
                (row.paid_usd_bn, grammar.bar_style("closed", color)),
                (row.unpaid_usd_bn, grammar.unpaid_style(color)),
                (row.conditional_usd_bn, conditional_style(color)),
                (row.tentative_usd_bn, grammar.bar_style("in_talks", color)),
            ],
        )
        words = f"{money(row.paid_usd_bn + row.unpaid_usd_bn)} raised"
        if row.conditional_usd_bn > 0:
            words += f"\n+ {money(row.conditional_usd_bn)} {CONDITIONAL}"  # two lines: the axis stays near the data
        ax.annotate(words, (end, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(blocks)), [_block_label(b) for b in blocks["block"]])
    ax.set_ylim(len(blocks) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    ax.set_xlim(0, blocks["total_usd_bn"].max() * 1.05)
    raised = blocks["paid_usd_bn"] + blocks["unpaid_usd_bn"]
    biggest = raised.idxmax()
    top = blocks.loc[biggest]
    conditional = f"; {money(top['conditional_usd_bn'])} more is conditional" if top["conditional_usd_bn"] > 0 else ""
    # the key in the rounds' own grey; a single investor's deals outside rounds in that investor's colour
    round_color = max(set(colors), key=colors.count)
    single = [_block_label(b).split(" (")[0] for b, c in zip(blocks["block"], colors, strict=True) if c != round_color]
    frame.titles(
        fig,
        f"The {_block_label(top['block']).split(' (')[0]} raised {money(raised[biggest])}, "
        f"{raised[biggest] / raised.drop(biggest).sum():.1f}x all other money raised{conditional}",
        f"Money into OpenAI per round, $ billions: {PAID_IN} (solid), {COMMITTED} (lighter), "
        f"{CONDITIONAL} (white, not raised)"
        + (f"; {' and '.join(single)} in the investor's own colour" if single else ""),
    )
    frame.footer(fig, sources_of(funding.capital_events(figures)), sources)
    placement.make_room_right(ax)
    # ticks stop at the data: the room on the right is for the labels, not a longer scale
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= blocks["total_usd_bn"].max() * 1.05])
    handles = [
        Patch(label=PAID_IN, **grammar.bar_style("closed", round_color)),
        Patch(label=COMMITTED, **grammar.unpaid_style(round_color)),
        Patch(label=f"{CONDITIONAL}, not raised", **conditional_style(round_color)),
    ]
    placement.legend_clear_of_data(ax, handles)
    frame.attach_data(fig, blocks)
    return fig


def cumulative_capital_chart(figures: pd.DataFrame, sources: pd.DataFrame, firm: tuple[str, ...]) -> Figure:
    """Running total of money raised (paid in plus committed; never conditional), with talks and press reports
    hatched above it; the last step is drawn to the right edge, so the line reaches the total in the title."""
    firm_total = running_total.raised_over_time(figures, firm)
    all_total = running_total.raised_over_time(figures, LIVE_STATUSES)
    fig, ax = frame.new_figure(height=3.4)
    end = max(all_total["reported_on"].max(), firm_total["reported_on"].max()) + pd.Timedelta(days=60)
    dates = sorted(set(all_total["reported_on"]) | set(firm_total["reported_on"]) | {end})
    firm_line = firm_total.set_index("reported_on")["total_usd_bn"].reindex(dates).ffill().fillna(0.0)
    all_line = all_total.set_index("reported_on")["total_usd_bn"].reindex(dates).ffill().fillna(0.0)
    ceiling = all_total.set_index("reported_on")["ceiling_usd_bn"].reindex(dates).ffill().fillna(0.0)
    above = ceiling.where(ceiling > all_line + 1e-9)
    if above.notna().any():
        ax.step(
            dates,
            ceiling.where(above.notna() | above.shift().notna()),
            where="post",
            color=NEUTRAL_LIGHT,
            linestyle="-.",
            linewidth=1,
            label="up to: the ceilings named in talks",
        )
    ax.fill_between(
        dates,
        firm_line,
        all_line.clip(lower=firm_line),
        step="post",
        linewidth=0,
        label=f"added by {PRESS_REPORTS} (hatched)",
        **{k: v for k, v in grammar.bar_style("in_talks", NEUTRAL_LIGHT).items() if k != "linewidth"},
    )
    ax.step(dates, firm_line, where="post", color=NEUTRAL, label=f"raised: {PAID_IN} and committed")
    # conditional money sits above the running total, white, from its report until its condition is met; it never
    # enters the line before then
    pending = running_total.conditional_over_time(figures, dates)
    top_of_known = all_line.clip(lower=firm_line)
    if pending.gt(0).any():
        ax.fill_between(
            dates,
            top_of_known,
            top_of_known + pending,
            where=(pending.gt(0) | pending.shift().gt(0)).to_list(),
            step="post",
            label=f"{CONDITIONAL}, not raised until its condition is met (white)",
            **{**conditional_style(NEUTRAL), "linewidth": 0.9},
        )
    finite_top = pd.concat([all_line + pending, ceiling.replace(float("inf"), float("nan"))]).max()
    ax.set_ylim(0, finite_top * 1.1)
    grammar.usd_axis(ax, "y")
    grammar.concise_dates(ax)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left")
    final = firm_line.iloc[-1]
    first_readable = firm_total.loc[firm_total["total_usd_bn"].ge(final / 10), "reported_on"].iloc[0]
    start = pd.Timestamp(year=first_readable.year, month=1, day=1)
    before_start = all_total.loc[all_total["reported_on"].lt(start), "total_usd_bn"]
    ax.set_xlim(start, end)
    last = firm_total.iloc[-1]
    sums = funding.raised_totals(funding.money_raised(figures, firm))
    # dated as the money box and the bottom line date the same total
    as_of = max(sums["paid_as_of"], last["reported_on"])
    year_before = as_of - pd.DateOffset(years=1)
    earlier = firm_total[firm_total["reported_on"] <= year_before]
    before = earlier["total_usd_bn"].iloc[-1] if not earlier.empty else 0.0
    new = running_total.new_money(figures, firm, year_before, as_of)
    restated = last["total_usd_bn"] - before - new
    frame.titles(
        fig,
        f"OpenAI had raised {money(last['total_usd_bn'])} by {as_of:%b %Y}, "
        # the line adds money on the date it was reported or its condition met, not the day it arrived
        f"{money(new)} of it first reported or unlocked in the year from {year_before:%b %Y}",
        f"Money raised to date ({PAID_IN} and committed), $ billions, as a reader could add it up on each report "
        f"date; {CONDITIONAL} money is not in it, drawn white above it until its condition is met; from {start.year}"
        + (f" (before, at most {money(before_start.max())} in all)" if not before_start.empty else "")
        + (
            f". The line also rises {money(restated)} in that year where a filing replaced press figures for "
            "older deals"
            if restated > 0.05
            else ""
        ),
    )
    frame.footer(
        fig,
        sources_of(running_total.raised_events(figures)),
        sources,
        note="A deal counts once, at its latest reported size; a 'more than' at its floor, an 'up to' not at all.",
    )
    frame.attach_data(fig, {"firm": firm_total, "all live": all_total})
    return fig


MARK_SHAPES = {"post_money": "o", "pre_money": "s", "valuation": "D"}
LISTING_SHAPE = "*"


def _distinct_marks(marks: pd.DataFrame) -> pd.DataFrame:
    """One point per distinct claim: a repeat of the same figure by a second outlet is drawn once, at its first
    report; a listing talk repeated is drawn at its newest report, the one the notebooks use."""
    keys = ["event", "category", "metric", "value", "qualifier", "status"]
    ordered = marks.sort_values(["reported_on", "figure_id"])
    listing = ordered["category"].eq("listing")
    kept = [ordered[~listing].drop_duplicates(keys, keep="first"), ordered[listing].drop_duplicates(keys, keep="last")]
    return pd.concat(kept).sort_values(["reported_on", "figure_id"])


def _mark_label(row: pd.Series) -> str:
    """The words next to a valuation mark."""
    figure = stated(row)
    if row["category"] == "listing":
        return f"listing talk: {figure}"
    if "share sale" in row["deal"] and row["status"] not in vocabulary.FIRM_STATUSES:
        return f"{figure} share sale, talks"
    if row["metric"] == "pre_money":
        # a talk is not a price: a pre-money value from talks says so
        return f"{figure} before" + ("" if row["status"] in vocabulary.FIRM_STATUSES else ", talks")
    if "share sale" in row["deal"]:
        return f"{figure} share sale"
    return figure


def valuation_marks_chart(figures: pd.DataFrame, sources: pd.DataFrame, firm: tuple[str, ...]) -> Figure:
    """Valuations when each was set: shape = basis, fill = status, arrow up = more than, arrow down = up to."""
    marks = _distinct_marks(funding.valuation_marks(figures))
    marks = marks.assign(
        y=marks["value"].fillna(marks["high"]), listing=marks["category"].eq("listing"), set_on=mark_dates(marks)
    )
    marks = marks.assign(set_on=marks["set_on"].where(~marks["listing"], marks["reported_on"]))
    marks = marks.assign(set_on=mark_set_on(marks, figures, firm))
    fig, ax = frame.new_figure(height=4.4)
    for _, row in marks.iterrows():
        color = NEUTRAL if row["listing"] else COMPANY_COLORS["OpenAI"]
        shape = LISTING_SHAPE if row["listing"] else MARK_SHAPES[row["metric"]]
        style = grammar.marker_style(row["status"], color)
        ax.scatter(row["set_on"], row["y"], s=130 if row["listing"] else 42, marker=shape, zorder=3, **style)
        grammar.point_bound_mark(ax, row["set_on"], row["y"], row["qualifier"], color)
    top = marks["y"].max()
    ax.set_ylim(0, top * 1.18)
    start, end = marks["set_on"].min(), marks["set_on"].max()
    span = end - start
    ax.set_xlim(start - span * 0.06, end + span * 0.06)
    grammar.usd_axis(ax, "y")
    grammar.concise_dates(ax)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.legend(
        handles=[
            grammar.point_handle("o", NEUTRAL, "after the new money", edge=NEUTRAL),
            grammar.point_handle("s", NEUTRAL, "before the new money", edge=NEUTRAL),
            grammar.point_handle("D", NEUTRAL, "basis not stated", edge=NEUTRAL),
            grammar.marker_handle("o", "in_talks", "hatched: talks or press report"),
            grammar.marker_handle(LISTING_SHAPE, "in_talks", "listing talk (a star)", size=130),
        ],
        loc="upper left",
        fontsize=7.5,
    )
    labelled = _labelled_marks(marks, firm)
    posts = marks[marks["metric"].eq("post_money") & marks["status"].isin(firm)]
    first, last = posts.iloc[0], posts.iloc[-1]
    listing = marks[marks["listing"]].iloc[-1]
    frame.titles(
        fig,
        f"OpenAI's value after each round went from {money(first['value'])} ({mark_when(first, figures)}) to "
        f"{money(last['value'])} ({mark_when(last, figures)}); listing talk: {stated(listing)}"
        f"{aggregator_flag(listing['source_ids'], sources)}",
        "Valuation on the day each was set (a round's final value on the day it closed), $ billions; arrow up: "
        "'more than' (could be higher); arrow down: 'up to' (could be lower, not higher)",
    )
    frame.footer(fig, sources_of(marks), sources)
    order = labelled.assign(_talk=~labelled["status"].isin(firm)).sort_values(["_talk", "set_on"], kind="stable")
    placement.place_labels(ax, [(r["set_on"], r["y"], _mark_label(r)) for _, r in order.iterrows()], nearest_own=True)
    frame.attach_data(fig, marks)
    return fig


def _labelled_marks(marks: pd.DataFrame, firm: tuple[str, ...]) -> pd.DataFrame:
    """Which marks get words: every firm mark, every listing talk, and each talk of a deal that never closed
    at that figure."""
    firm_rows = marks[marks["status"].isin(firm) & ~marks["listing"]]
    listing = marks[marks["listing"]]
    talks = marks[~marks["status"].isin(firm) & ~marks["listing"]]
    # a talk repeated as the same figure when firm is drawn once; an 'about' talk before a closing is its own mark
    firm_values = firm_rows.assign(_key=list(zip(firm_rows["value"], firm_rows["qualifier"], strict=True)))
    firm_values = firm_values.groupby("event")["_key"].apply(set)
    keys = zip(talks["event"], talks["value"], talks["qualifier"], strict=True)
    talks = talks[[(v, q) not in firm_values.get(e, set()) for e, v, q in keys]]
    return pd.concat([firm_rows, talks, listing]).sort_values("reported_on")


def investor_chart(investors: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Per investor: paid in (solid), committed not yet paid (the one tint), conditional (white), press (hatched)."""
    total = investors["committed_usd_bn"] + investors["tentative_usd_bn"]
    paid = investors["paid_in_usd_bn"].clip(upper=total)
    conditional = investors["conditional_usd_bn"]
    unpaid = (investors["committed_usd_bn"] - paid - conditional).clip(lower=0)
    press = (investors["tentative_usd_bn"] - (paid - investors["committed_usd_bn"]).clip(lower=0)).clip(lower=0)
    parts = pd.DataFrame({"paid": paid, "unpaid": unpaid, "conditional": conditional, "press": press})
    styles = {
        "paid": lambda c: grammar.bar_style("closed", c),
        "unpaid": grammar.unpaid_style,
        "conditional": conditional_style,
        "press": lambda c: grammar.bar_style("in_talks", c),
    }
    labels = {
        "paid": f"{PAID_IN} (solid)",
        "unpaid": f"{COMMITTED} (lighter)",
        "conditional": f"{CONDITIONAL}, not raised (white)",
        "press": f"{PRESS_REPORTS} only (hatched)",
    }
    shown = [c for c in parts.columns if parts[c].sum() > 0]
    fig, ax = frame.new_figure(height=3.3)
    left = pd.Series(0.0, index=parts.index)
    for column in shown:
        for position, name in enumerate(parts.index):
            width = parts.at[name, column]
            if width > 0:
                ax.barh(position, width, left=left[name], height=0.7, **styles[column](grammar.company_color(name)))
        left = left + parts[column]
    for position, name in enumerate(parts.index):
        conditional_bn = parts.at[name, "conditional"]
        # an open top (no ceiling: a part undisclosed or a 'more than') keeps its bound in the label
        floor = "at least " if math.isinf(investors.at[name, "ceiling_usd_bn"]) else ""
        if floor:
            # the grammar's floor mark at the bar's end: 'at least' drawn, not only written
            grammar.bound_mark(ax, left[name], position, "at_least", grammar.company_color(name))
        words = floor + money(left[name] - conditional_bn)
        if conditional_bn > 0:
            words += f" + {money(conditional_bn)} {CONDITIONAL}"
        if parts.at[name, "paid"] > 0:
            words += f", {money(parts.at[name, 'paid'])} paid in"
        if "unsummed" in investors and investors.at[name, "unsummed"]:
            words += " + amounts not added*"
        gap = 9 if floor else 4
        ax.annotate(words, (left[name], position), xytext=(gap, 0), textcoords="offset points", va="center", fontsize=8)
    names = ["Other investors, grouped" if n == "Others" else n for n in parts.index]
    ax.set_yticks(range(len(parts.index)), names)
    ax.set_ylim(len(parts.index) - 0.5, -0.5)
    ax.set_xlim(0, left.max() * 1.75)  # room on the right for the key, clear of the labels
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    top = (left - parts["conditional"]).idxmax()
    box = funding_words.money_box(figures, FIRM_STATUSES)["amount_usd_bn"]
    unnamed = box.iloc[2] - (parts["paid"] + parts["unpaid"]).sum()
    frame.titles(
        fig,
        f"{top} is the largest backer: {money(left[top] - parts.at[top, 'conditional'])} raised, "
        f"{money(parts.at[top, 'paid'])} of it paid in",
        "Money into OpenAI per investor, $ billions, split by how far it has been paid"
        + (f"; {money(unnamed)} of round money is not attributed to any investor shown" if unnamed > 0.05 else ""),
    )
    unsummed = [f"{name}: {text}" for name, text in investors.get("unsummed", pd.Series(dtype=str)).items() if text]
    note = ("* Not added (a bound or no amount): " + "; ".join(unsummed) + ".") if unsummed else ""
    stated = funding_words.stated_total_note(figures, top, left[top] - parts.at[top, "conditional"])
    note = " ".join(part for part in (stated, note) if part)
    frame.footer(fig, sources_of(figures.query("category == 'equity_investment'")), sources, note=note)
    placement.make_room_right(ax)
    placement.legend_clear_of_data(ax, [Patch(label=labels[c], **styles[c](NEUTRAL)) for c in shown])
    frame.attach_data(fig, parts)
    return fig


def _block_label(block: str) -> str:
    """'the 2026 funding round (closed Mar 2026)' -> '2026 funding round (closed Mar 2026)'."""
    text = block[4:] if block.startswith("the ") else block
    return text[0].upper() + text[1:]


def mark_set_on(marks: pd.DataFrame, figures: pd.DataFrame, firm: tuple[str, ...]) -> pd.Series:
    """The date each mark is drawn at: a firm announced price on the day the round was priced; a value reported
    at a round's close (a closed post-money) on the day it closed, because the money it counts came in only then."""
    set_on = marks["set_on"].copy()
    priced = valuation.priced_rounds(figures)["priced_on"]
    at_price = (
        marks["event"].isin(priced.index)
        & marks["status"].isin(firm)
        & ~marks["listing"]
        & marks["status"].ne("closed")
    )
    set_on[at_price] = marks.loc[at_price, "event"].map(priced)
    return set_on


def mark_when(mark: pd.Series, figures: pd.DataFrame) -> str:
    """'Oct 2024', or 'at the close, Mar 2026' for a value counted at a close after the price was set: one date
    per mark, the date the chart draws it at."""
    priced = valuation.priced_rounds(figures)["priced_on"]
    later = mark["status"] == "closed" and mark["event"] in priced.index and priced[mark["event"]] < mark["set_on"]
    return f"at the close, {mark['set_on']:%b %Y}" if later else f"{mark['set_on']:%b %Y}"


def mark_dates(marks: pd.DataFrame) -> pd.Series:
    """When each valuation was set: the start of its reported period ('2024-H1' -> Jan 2024), else the report date."""

    def start(period: object, reported_on: pd.Timestamp) -> pd.Timestamp:
        if not isinstance(period, str):
            return reported_on
        year, _, part = period.partition("-")
        month = {"H1": 1, "H2": 7, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}.get(part, int(part) if part.isdigit() else 1)
        return min(pd.Timestamp(year=int(year), month=month, day=1), reported_on)

    return pd.Series(
        [start(p, d) for p, d in zip(marks["period"], marks["reported_on"], strict=True)], index=marks.index
    )
