"""The charts of notebook 02, funding: money per deal, cumulative capital, valuation marks, and money by investor."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from helpers.analysis import funding
from helpers.analysis.funding import CONDITIONAL, PAID_IN, PRESS_REPORTS, capital_totals
from helpers.analysis.funding_words import capital_words
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import (
    CONDITIONAL_LABEL,
    NEUTRAL,
    NEUTRAL_LIGHT,
    conditional_style,
    deal_bars,
    investor_color,
)
from helpers.data import vocabulary
from helpers.data.views import latest, sources_of, stated
from helpers.data.vocabulary import (
    COMPANY_COLORS,
    DAYS_PER_YEAR,
    LIVE_STATUSES,
)
from helpers.notebook.tables import money


def capital_per_deal_chart(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Money raised per deal at its latest reported size, in the house status and bound encoding."""
    events = funding.capital_events(figures)
    current = latest(events, ["event"]).sort_values("reported_on")
    colors = [investor_color(s) for s in current["subject"]]
    fig, ax = frame.new_figure(height=3.3)
    deal_bars(ax, current, colors, list(current["deal"]))
    ax.set_xlim(0, current["value"].max() * 1.45)
    biggest = current.loc[current["value"].idxmax()]
    rest = current["value"].drop(biggest.name).sum()
    frame.titles(
        fig,
        f"The {biggest['deal']} ({money(biggest['value'])}) is "
        f"{biggest['value'] / rest:.1f}x all earlier deals combined",
        "Money committed to OpenAI per deal, latest reported size, $ billions, conditional money included; "
        "colour: the investor (grey: several)",
    )
    frame.footer(fig, sources_of(current), sources)
    placement.legend_clear_of_data(ax, grammar.status_legend_handles(["firm", "tentative"]))
    return fig


def cumulative_capital_chart(figures: pd.DataFrame, sources: pd.DataFrame, firm: tuple[str, ...]) -> Figure:
    """Running total of money raised: firm deals, with talks and press reports, and the ceilings talks allow."""
    events = funding.capital_events(figures)
    firm_total = funding.cumulative_capital(events, firm)
    all_total = funding.cumulative_capital(events, LIVE_STATUSES)
    fig, ax = frame.new_figure(height=3.4)
    ceiling = all_total["ceiling_usd_bn"].where(all_total["ceiling_usd_bn"] > all_total["total_usd_bn"] + 1e-9)
    if ceiling.notna().any():
        ax.step(
            all_total["reported_on"],
            all_total["ceiling_usd_bn"].where(ceiling.notna() | ceiling.shift().notna()),
            where="post",
            color=NEUTRAL_LIGHT,
            linestyle="-.",
            linewidth=1,
            label="up to: the ceilings named in talks",
        )
    # talks and press reports: a hatched band above the firm line (dashed means lapsed in the grammar)
    dates = sorted(set(all_total["reported_on"]) | set(firm_total["reported_on"]))
    firm_line = firm_total.set_index("reported_on")["total_usd_bn"].reindex(dates).ffill().fillna(0.0)
    all_line = all_total.set_index("reported_on")["total_usd_bn"].reindex(dates).ffill().fillna(0.0)
    ax.fill_between(
        dates,
        firm_line,
        all_line.clip(lower=firm_line),
        step="post",
        linewidth=0,
        label=f"added by talks and {PRESS_REPORTS} (hatched)",
        **{k: v for k, v in grammar.bar_style("in_talks", NEUTRAL_LIGHT).items() if k != "linewidth"},
    )
    ax.step(firm_total["reported_on"], firm_total["total_usd_bn"], where="post", color=NEUTRAL, label="firm deals")
    finite_top = all_total[["total_usd_bn", "ceiling_usd_bn"]].replace(float("inf"), float("nan")).max().max()
    ax.set_ylim(0, finite_top * 1.1)
    grammar.usd_axis(ax, "y")
    grammar.concise_dates(ax)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left")
    # start where the story is readable: the year the running total first passes a tenth of its final value
    final = all_total["total_usd_bn"].iloc[-1]
    first_readable = all_total.loc[all_total["total_usd_bn"].ge(final / 10), "reported_on"].iloc[0]
    start = pd.Timestamp(year=first_readable.year, month=1, day=1)
    before_start = all_total.loc[all_total["reported_on"].lt(start), "total_usd_bn"]
    ax.set_xlim(start, all_total["reported_on"].max() + pd.Timedelta(days=45))
    last = firm_total.iloc[-1]
    year_ago = firm_total[firm_total["reported_on"] <= last["reported_on"] - pd.Timedelta(days=365)]
    before = year_ago["total_usd_bn"].iloc[-1] if not year_ago.empty else 0.0
    conditional_bn = capital_totals(figures)["conditional_usd_bn"]
    frame.titles(
        fig,
        f"Firm deals add up to at least {money(last['total_usd_bn'])} committed to OpenAI"
        + (f" ({money(conditional_bn)} of it {CONDITIONAL})" if conditional_bn > 0 else "")
        + f", {(last['total_usd_bn'] - before) / last['total_usd_bn']:.0%} of it in the last 12 months",
        f"Money committed to date, $ billions, as a reader could add it up on each report date; "
        f"{money(final)} counting talks and {PRESS_REPORTS}; from {start.year}"
        + (f" (before, at most {money(before_start.max())} in all)" if not before_start.empty else ""),
    )
    frame.footer(
        fig,
        sources_of(events),
        sources,
        note="A deal counts once, at its latest reported size; a 'more than' at its floor, an 'up to' not at all.",
    )
    return fig


MARK_SHAPES = {"post_money": "o", "pre_money": "s", "valuation": "D"}
LISTING_SHAPE = "*"


def _distinct_marks(marks: pd.DataFrame) -> pd.DataFrame:
    """One point per distinct claim: a repeat of the same figure by a second outlet is drawn once."""
    keys = ["event", "category", "metric", "value", "qualifier", "status"]
    return marks.sort_values(["reported_on", "figure_id"]).drop_duplicates(keys, keep="first")


def _mark_label(row: pd.Series) -> str:
    """The words next to a valuation mark."""
    figure = stated(row)
    if row["category"] == "listing":
        return f"listing talk: {figure}"
    if "share sale" in row["deal"] and row["status"] not in vocabulary.FIRM_STATUSES:
        return f"{figure} share sale, talks"
    if row["metric"] == "pre_money":
        return f"{figure} before"
    if "share sale" in row["deal"]:
        return f"{figure} share sale"
    return figure


def valuation_marks_chart(figures: pd.DataFrame, sources: pd.DataFrame, firm: tuple[str, ...]) -> Figure:
    """Valuations over time: shape = basis, fill = status, arrow = more than, cap = up to; listing talk in grey."""
    marks = _distinct_marks(funding.valuation_marks(figures))
    marks = marks.assign(y=marks["value"].fillna(marks["high"]), listing=marks["category"].eq("listing"))
    fig, ax = frame.new_figure(height=4.4)
    for _, row in marks.iterrows():
        color = NEUTRAL if row["listing"] else COMPANY_COLORS["OpenAI"]
        shape = LISTING_SHAPE if row["listing"] else MARK_SHAPES[row["metric"]]
        style = grammar.marker_style(row["status"], color)
        ax.scatter(row["reported_on"], row["y"], s=130 if row["listing"] else 42, marker=shape, zorder=3, **style)
        grammar.point_bound_mark(ax, row["reported_on"], row["y"], row["qualifier"], color)
    top = marks["y"].max()
    ax.set_ylim(0, top * 1.18)
    start, end = marks["reported_on"].min(), marks["reported_on"].max()
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
        f"OpenAI's value rose {last['value'] / first['value']:.1f}x in "
        f"{(last['reported_on'] - first['reported_on']).days / DAYS_PER_YEAR:.1f} years to {money(last['value'])}; "
        f"listing talk: {stated(listing)}",
        "Valuation at each report, $ billions; an arrow marks a 'more than' figure, a T above the point an 'up to'",
    )
    frame.footer(fig, sources_of(marks), sources)
    # after the title and footer, so the labels are placed in the final layout; firm marks first, so each
    # takes the place nearest its own point and talks give way
    order = labelled.assign(_talk=~labelled["status"].isin(firm)).sort_values(["_talk", "reported_on"], kind="stable")
    placement.place_labels(ax, [(r["reported_on"], r["y"], _mark_label(r)) for _, r in order.iterrows()])
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
        "unpaid": "not yet reported paid (lighter)",
        "conditional": CONDITIONAL_LABEL,
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
        words = money(left[name] - conditional_bn)
        if conditional_bn > 0:
            words += f" + {money(conditional_bn)} {CONDITIONAL}"
        if investors.at[name, "paid_in_usd_bn"] > 0:
            words += f", {money(investors.at[name, 'paid_in_usd_bn'])} paid"
        if "unsummed" in investors and investors.at[name, "unsummed"]:
            words += " + amounts not added*"
        ax.annotate(words, (left[name], position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(parts.index)), list(parts.index))
    ax.set_ylim(len(parts.index) - 0.5, -0.5)
    ax.set_xlim(0, left.max() * 1.05)
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    top = left.idxmax()
    capital = capital_totals(figures)
    named = {
        "without_conditions_usd_bn": (parts["paid"] + parts["unpaid"]).sum(),
        "conditional_usd_bn": parts["conditional"].sum(),
    }
    unnamed = capital["total_usd_bn"] - capital["tentative_usd_bn"] - sum(named.values())
    frame.titles(
        fig,
        f"Named investors: {capital_words(named)}; {money(parts['paid'].sum())} {PAID_IN}; "
        f"{top} the largest ({money(left[top])})",
        "Money committed to OpenAI per investor, $ billions, split by how far it has been paid"
        + (f"; {money(unnamed)} of the rounds' totals is not attributed to a named investor" if unnamed > 0.05 else ""),
    )
    unsummed = [f"{name}: {text}" for name, text in investors.get("unsummed", pd.Series(dtype=str)).items() if text]
    note = ("* Not added (a bound or no amount): " + "; ".join(unsummed) + ".") if unsummed else ""
    frame.footer(fig, sources_of(figures.query("category == 'equity_investment'")), sources, note=note)
    placement.make_room_right(ax)  # after the footer: the layout is final
    placement.legend_clear_of_data(ax, [Patch(label=labels[c], **styles[c](NEUTRAL)) for c in shown])
    return fig
