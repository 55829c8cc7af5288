"""The charts of notebooks 01-03: one function per chart, each returning a finished figure in the house grammar."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers import compute, funding, ledger, plotting
from helpers.ledger import STATUS_GROUPS, latest, money, sources_of, stated, status_group
from helpers.plotting import NEUTRAL, NEUTRAL_LIGHT

CATEGORY_NAMES = {
    "equity_investment": "equity investments",
    "valuation": "valuations",
    "listing": "listing talk",
    "cloud_commitment": "cloud contracts",
    "chip_commitment": "chip deals",
    "funding_round": "funding rounds",
    "secondary_sale": "employee share sales",
    "infrastructure": "data-centre projects",
    "debt": "loans and credit lines",
    "revenue": "revenue",
    "projection": "forecasts",
}
METRIC_NAMES = {
    "amount": "amount",
    "valuation": "valuation",
    "post_money": "value after the new money",
    "pre_money": "value before the new money",
    "cumulative_amount": "total to date",
}
STATUS_NAMES = {
    "in_talks": "in talks",
    "reported": "press report",
    "letter_of_intent": "letter of intent",
    "announced": "announced",
    "definitive": "signed",
    "closed": "closed",
    "stalled": "stalled",
    "superseded": "superseded",
}
EXAMPLE_STATUS = {"firm": "closed", "tentative": "in_talks", "lapsed": "stalled"}


def _words(key: str, names: dict[str, str]) -> str:
    """A key as a reader says it: its house name, else the key with spaces."""
    return names.get(key, str(key).replace("_", " ").replace("-", " "))


def _barh_bounds(ax, rows: pd.DataFrame, colors: list[str]) -> None:
    """Arrow or cap at the end of every bounded bar."""
    for position, (color, (_, row)) in enumerate(zip(colors, rows.iterrows(), strict=True)):
        if pd.notna(row["value"]):
            plotting.bound_mark(ax, row["value"], position, row["qualifier"], color)


def _deal_bars(ax, rows: pd.DataFrame, colors: list[str], labels: list[str]) -> None:
    """One bar per deal: status-encoded, bound-marked, the figure in words at its end; undisclosed as a slot."""
    for position, (color, (_, row)) in enumerate(zip(colors, rows.iterrows(), strict=True)):
        if pd.isna(row["value"]):
            plotting.undisclosed_slot(ax, position)
            continue
        ax.barh(position, row["value"], height=0.7, **plotting.bar_style(row["status"], color))
        gap = 9 if row["qualifier"] in plotting.LOWER_BOUNDS + plotting.UPPER_BOUNDS else 4
        ax.annotate(
            f"{stated(row)}, {_words(row['status'], STATUS_NAMES)}",
            (row["value"], position),
            xytext=(gap, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#333333",
        )
    _barh_bounds(ax, rows, colors)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)


# ----- 01 the ledger ----------------------------------------------------------------------------------


def ledger_status_chart(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Deals per kind, split by their most advanced status: how much of the story is firm (deals, not rows)."""
    deals = ledger.deals(figures)
    table = pd.crosstab(deals["category"], deals["group"]).reindex(columns=list(STATUS_GROUPS), fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    firm, total = int(table["firm"].sum()), int(table.to_numpy().sum())
    fig, ax = plotting.new_figure(height=3.2)
    left = pd.Series(0, index=table.index)
    labels = [_words(c, CATEGORY_NAMES).capitalize() for c in table.index]
    for group in STATUS_GROUPS:
        ax.barh(labels, table[group], left=left, height=0.7, **plotting.bar_style(EXAMPLE_STATUS[group], NEUTRAL))
        left = left + table[group]
    for position, count in enumerate(left):
        ax.annotate(
            f"{int(count)}", (count, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, left.max() * 1.1)
    plotting.titles(
        fig,
        f"{firm} of the {total} deals in the ledger were announced, signed or closed",
        "Deals by kind, at the most advanced status any report gave them (number of deals); forecasts, revenue "
        "and valuations are not deals",
    )
    plotting.footer(fig, sources_of(figures[figures["event"].isin(deals["event"])]), sources)
    plotting.legend_clear_of_data(ax, plotting.status_legend_handles())
    return fig


def status_timeline(figures: pd.DataFrame, sources: pd.DataFrame, events: list[str]) -> Figure:
    """One lane per deal; a marker per report date in the house status encoding, the latest size in words."""
    rows = figures[figures["event"].isin(events) & figures["part_of"].ne(figures["event"])]
    rows = rows[rows["metric"].isin(["amount", "post_money", "pre_money", "valuation"])]
    order = list(dict.fromkeys(rows.sort_values("reported_on")["event"]))
    rank = {status: i for i, status in enumerate(["stalled", "superseded", *plotting_status_order()])}
    # one marker per deal and date: the most advanced status reported that day (a closing is not hidden by talks)
    marks = (
        rows.assign(rank=rows["status"].map(rank))
        .sort_values(["event", "reported_on", "rank"])
        .groupby(["event", "reported_on"], as_index=False)
        .tail(1)
    )
    fig, ax = plotting.new_figure(height=3.6)
    became_firm = 0
    for lane, event in enumerate(order):
        reports = marks[marks["event"] == event]
        color = _deal_color(rows[rows["event"] == event])
        ax.plot(reports["reported_on"], [lane] * len(reports), color=color, linewidth=1, alpha=0.5, zorder=1)
        for _, point in reports.iterrows():
            ax.scatter(point["reported_on"], lane, s=55, zorder=3, **plotting.marker_style(point["status"], color))
        groups = set(reports["status"].map(status_group))
        became_firm += int("tentative" in groups and "firm" in groups)
        ax.annotate(
            _deal_summary(rows[rows["event"] == event]),
            (reports["reported_on"].max(), lane),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#333333",
        )
    deal_names = rows.drop_duplicates("event").set_index("event")["deal"]
    ax.set_yticks(range(len(order)), [deal_names[e] for e in order])
    ax.set_ylim(len(order) - 0.4, -0.6)
    start, end = rows["reported_on"].min(), rows["reported_on"].max()
    span = end - start
    ax.set_xlim(start - span * 0.03, end + span * 0.05)
    plotting.concise_dates(ax)
    ax.grid(axis="y", visible=False)
    plotting.titles(
        fig,
        f"{became_firm} of the {len(order)} deals charted went from talks or press reports to an announced, signed "
        "or closed deal",
        "Each report of a deal's size or valuation, by report date. Filled: announced or closed; hatched: talks or "
        "press report; empty dashed: superseded. Colour: who puts in the money (grey: several). Words: the latest "
        "reported size",
    )
    plotting.footer(fig, sources_of(rows), sources)
    plotting.make_room_right(ax)  # after the footer: the layout is final
    return fig


def investor_color(subject: str) -> str:
    """The colour of who puts in the money: one company's colour, or the 'Others' grey for a group of several."""
    lowered = subject.lower()
    # a group with a lead ("SoftBank-led group") is several investors: grey, as the legend says, not the lead's colour
    several = any(mark in lowered for mark in (",", " and ", "-led", "led by", "group", "consortium"))
    return plotting.COMPANY_COLORS["Others"] if several else plotting.company_color(subject)


def _deal_color(deal_rows: pd.DataFrame) -> str:
    """Who puts in the money: the investor of an investment or a round, the supplier of a purchase."""
    amounts = deal_rows[deal_rows["metric"].eq("amount")]
    if amounts.empty:
        return plotting.COMPANY_COLORS["OpenAI"]
    first = amounts.sort_values("reported_on").iloc[-1]
    other = first["subject"] if first["subject"] != "OpenAI" else first["counterparty"]
    return investor_color(str(other))


def _deal_summary(deal_rows: pd.DataFrame) -> str:
    """'$122B at $852B, closed': the deal's latest total and a valuation only as firm as it; its latest status."""
    round_totals = deal_rows["figure_id"].isin(funding.capital_events(deal_rows)["figure_id"])
    totals = deal_rows[deal_rows["basis"].isna() | deal_rows["basis"].eq("total") | round_totals]
    totals = totals if not totals.empty else deal_rows
    newest = latest(deal_rows, ["event"]).iloc[-1]  # any part: a signed tranche makes the deal signed
    amounts = totals[totals["metric"].eq("amount")]
    values = totals[totals["metric"].isin(["post_money", "valuation"])]
    parts = []
    if not amounts.empty:
        amount = latest(amounts, ["event"]).iloc[-1]
        parts.append(stated(amount))
        # a valuation from talks is not the price of a firm deal: shown only when it is as firm as the amount
        values = values[values["status"].map(status_group).eq(status_group(amount["status"]))]
    if not values.empty:
        parts.append(("at " if parts else "valued at ") + stated(latest(values, ["event"]).iloc[-1]))
    return f"{' '.join(parts)}, {_words(newest['status'], STATUS_NAMES)}"


def plotting_status_order() -> list[str]:
    """Statuses from least to most advanced (talks first, closed last)."""
    return ["in_talks", "reported", "letter_of_intent", "announced", "definitive", "closed"]


# ----- 02 funding ---------------------------------------------------------------------------------------

# the money box's words, from the one vocabulary (funding.MONEY_KINDS), so charts and prose cannot drift apart
PAID_IN = funding.MONEY_KINDS["paid_usd_bn"][0]
COMMITTED = f"{funding.MONEY_KINDS['unpaid_usd_bn'][0]}, not yet paid"
CONDITIONAL = funding.MONEY_KINDS["conditional_usd_bn"][0]
PRESS_REPORTS = funding.MONEY_KINDS["tentative_usd_bn"][0]


def capital_per_deal_chart(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Money raised per deal in the money box's words: paid in, committed, conditional (white, not raised)."""
    firm = tuple(ledger.FIRM_STATUSES)
    blocks = funding.money_raised(figures, firm)
    events = latest(funding.capital_events(figures), ["event"]).set_index("event")
    fig, ax = plotting.new_figure(height=3.0)
    for position, row in enumerate(blocks.itertuples()):
        first = row.event.split(", ")[0]
        color = investor_color(str(events.loc[first, "subject"])) if first in events.index else NEUTRAL
        end = _money_parts(
            ax,
            position,
            [
                (row.paid_usd_bn, plotting.bar_style("closed", color)),
                (row.unpaid_usd_bn, plotting.unpaid_style(color)),
                (row.conditional_usd_bn, conditional_style(color)),
                (row.tentative_usd_bn, plotting.bar_style("in_talks", color)),
            ],
        )
        words = f"{money(row.paid_usd_bn + row.unpaid_usd_bn)} raised"
        if row.conditional_usd_bn > 0:
            words += f" + {money(row.conditional_usd_bn)} {CONDITIONAL}"
        ax.annotate(words, (end, position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(blocks)), [_block_label(b) for b in blocks["block"]])
    ax.set_ylim(len(blocks) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    ax.set_xlim(0, blocks["total_usd_bn"].max() * 1.05)
    raised = blocks["paid_usd_bn"] + blocks["unpaid_usd_bn"]
    biggest = raised.idxmax()
    top = blocks.loc[biggest]
    conditional = f"; {money(top['conditional_usd_bn'])} more is conditional" if top["conditional_usd_bn"] > 0 else ""
    plotting.titles(
        fig,
        f"The {_block_label(top['block']).split(' (')[0]} raised {money(raised[biggest])}, "
        f"{raised[biggest] / raised.drop(biggest).sum():.1f}x all other money raised{conditional}",
        f"Money into OpenAI per round, $ billions: {PAID_IN} (solid), {COMMITTED} (lighter), "
        f"{CONDITIONAL} (white, not raised)",
    )
    plotting.footer(fig, sources_of(funding.capital_events(figures)), sources)
    plotting.make_room_right(ax)
    handles = [
        Patch(label=PAID_IN, **plotting.bar_style("closed", NEUTRAL)),
        Patch(label=COMMITTED, **plotting.unpaid_style(NEUTRAL)),
        Patch(label=f"{CONDITIONAL}, not raised", **conditional_style(NEUTRAL)),
    ]
    plotting.legend_clear_of_data(ax, handles)
    return fig


def cumulative_capital_chart(figures: pd.DataFrame, sources: pd.DataFrame, firm: tuple[str, ...]) -> Figure:
    """Running total of money raised (paid in plus committed; never conditional), with talks and press reports
    hatched above it; the last step is drawn to the right edge, so the line reaches the total in the title."""
    firm_total = funding.raised_over_time(figures, firm)
    all_total = funding.raised_over_time(figures, tuple(plotting_status_order()))
    fig, ax = plotting.new_figure(height=3.4)
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
        **{k: v for k, v in plotting.bar_style("in_talks", NEUTRAL_LIGHT).items() if k != "linewidth"},
    )
    ax.step(dates, firm_line, where="post", color=NEUTRAL, label=f"raised: {PAID_IN} and committed")
    finite_top = pd.concat([all_line, ceiling.replace(float("inf"), float("nan"))]).max()
    ax.set_ylim(0, finite_top * 1.1)
    plotting.usd_axis(ax, "y")
    plotting.concise_dates(ax)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left")
    final = firm_line.iloc[-1]
    first_readable = firm_total.loc[firm_total["total_usd_bn"].ge(final / 10), "reported_on"].iloc[0]
    start = pd.Timestamp(year=first_readable.year, month=1, day=1)
    before_start = all_total.loc[all_total["reported_on"].lt(start), "total_usd_bn"]
    ax.set_xlim(start, end)
    last = firm_total.iloc[-1]
    year_before = last["reported_on"] - pd.DateOffset(years=1)
    earlier = firm_total[firm_total["reported_on"] <= year_before]
    before = earlier["total_usd_bn"].iloc[-1] if not earlier.empty else 0.0
    conditional_bn = funding.raised_totals(funding.money_raised(figures, firm))["conditional_usd_bn"]
    plotting.titles(
        fig,
        f"OpenAI had raised {money(last['total_usd_bn'])} by {last['reported_on']:%b %Y}, "
        f"{money(last['total_usd_bn'] - before)} of it in the year from {year_before:%b %Y}",
        f"Money raised to date ({PAID_IN} and committed), $ billions, as a reader could add it up on each report "
        f"date; {money(conditional_bn)} {CONDITIONAL} is not in it; from {start.year}"
        + (f" (before, at most {money(before_start.max())} in all)" if not before_start.empty else ""),
    )
    plotting.footer(
        fig,
        sources_of(funding.raised_events(figures)),
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
    if "share sale" in row["deal"] and row["status"] not in ledger.FIRM_STATUSES:
        return f"{figure} share sale, talks"
    if row["metric"] == "pre_money":
        return f"{figure} before"
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
    fig, ax = plotting.new_figure(height=4.4)
    for _, row in marks.iterrows():
        color = NEUTRAL if row["listing"] else plotting.COMPANY_COLORS["OpenAI"]
        shape = LISTING_SHAPE if row["listing"] else MARK_SHAPES[row["metric"]]
        style = plotting.marker_style(row["status"], color)
        ax.scatter(row["set_on"], row["y"], s=130 if row["listing"] else 42, marker=shape, zorder=3, **style)
        if row["qualifier"] in plotting.LOWER_BOUNDS + plotting.UPPER_BOUNDS:
            # a floor points up (it could be higher); a ceiling points down (it could be lower, never higher)
            up = row["qualifier"] in plotting.LOWER_BOUNDS
            ax.annotate(
                "",
                (row["set_on"], row["y"]),
                xytext=(0, 16 if up else -13),
                textcoords="offset points",
                arrowprops={"arrowstyle": "<-", "color": color, "lw": 1.2, "shrinkA": 0, "shrinkB": 5},
            )
    top = marks["y"].max()
    ax.set_ylim(0, top * 1.18)
    start, end = marks["set_on"].min(), marks["set_on"].max()
    span = end - start
    ax.set_xlim(start - span * 0.06, end + span * 0.06)
    plotting.usd_axis(ax, "y")
    plotting.concise_dates(ax)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.legend(
        handles=[
            plotting.point_handle("o", NEUTRAL, "after the new money", edge=NEUTRAL),
            plotting.point_handle("s", NEUTRAL, "before the new money", edge=NEUTRAL),
            plotting.point_handle("D", NEUTRAL, "basis not stated", edge=NEUTRAL),
            plotting.marker_handle("o", "in_talks", "hatched: talks or press report"),
            plotting.marker_handle(LISTING_SHAPE, "in_talks", "listing talk (a star)", size=130),
        ],
        loc="upper left",
        fontsize=7.5,
    )
    labelled = _labelled_marks(marks, firm)
    posts = marks[marks["metric"].eq("post_money") & marks["status"].isin(firm)]
    first, last = posts.iloc[0], posts.iloc[-1]
    listing = marks[marks["listing"]].iloc[-1]
    plotting.titles(
        fig,
        f"OpenAI's value after each round went from {money(first['value'])} ({first['set_on']:%b %Y}) to "
        f"{money(last['value'])} ({last['set_on']:%b %Y}); listing talk: {stated(listing)}",
        "Valuation when each price was set, $ billions; arrow up: 'more than' (could be higher); arrow down: "
        "'up to' (could be lower, not higher)",
    )
    plotting.footer(fig, sources_of(marks), sources)
    order = labelled.assign(_talk=~labelled["status"].isin(firm)).sort_values(["_talk", "set_on"], kind="stable")
    plotting.place_labels(ax, [(r["set_on"], r["y"], _mark_label(r)) for _, r in order.iterrows()])
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


def conditional_style(color: str) -> dict:
    """Money due only if a condition is met: an empty bar with a solid outline (not money raised)."""
    return {"facecolor": "white", "edgecolor": color, "linewidth": 1.2, "linestyle": "-"}


def investor_chart(investors: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Per investor: paid in (solid), committed not yet paid (the one tint), conditional (white), press (hatched)."""
    total = investors["committed_usd_bn"] + investors["tentative_usd_bn"]
    paid = investors["paid_in_usd_bn"].clip(upper=total)
    conditional = investors["conditional_usd_bn"]
    unpaid = (investors["committed_usd_bn"] - paid - conditional).clip(lower=0)
    press = (investors["tentative_usd_bn"] - (paid - investors["committed_usd_bn"]).clip(lower=0)).clip(lower=0)
    parts = pd.DataFrame({"paid": paid, "unpaid": unpaid, "conditional": conditional, "press": press})
    styles = {
        "paid": lambda c: plotting.bar_style("closed", c),
        "unpaid": plotting.unpaid_style,
        "conditional": conditional_style,
        "press": lambda c: plotting.bar_style("in_talks", c),
    }
    labels = {
        "paid": f"{PAID_IN} (solid)",
        "unpaid": f"{COMMITTED} (lighter)",
        "conditional": f"{CONDITIONAL}, not raised (white)",
        "press": f"{PRESS_REPORTS} only (hatched)",
    }
    shown = [c for c in parts.columns if parts[c].sum() > 0]
    fig, ax = plotting.new_figure(height=3.3)
    left = pd.Series(0.0, index=parts.index)
    for column in shown:
        for position, name in enumerate(parts.index):
            width = parts.at[name, column]
            if width > 0:
                ax.barh(position, width, left=left[name], height=0.7, **styles[column](plotting.company_color(name)))
        left = left + parts[column]
    for position, name in enumerate(parts.index):
        conditional_bn = parts.at[name, "conditional"]
        words = money(left[name] - conditional_bn)
        if conditional_bn > 0:
            words += f" + {money(conditional_bn)} {CONDITIONAL}"
        if parts.at[name, "paid"] > 0:
            words += f", {money(parts.at[name, 'paid'])} paid in"
        if "unsummed" in investors and investors.at[name, "unsummed"]:
            words += " + amounts not added*"
        ax.annotate(words, (left[name], position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    names = ["Other investors, grouped" if n == "Others" else n for n in parts.index]
    ax.set_yticks(range(len(parts.index)), names)
    ax.set_ylim(len(parts.index) - 0.5, -0.5)
    ax.set_xlim(0, left.max() * 1.75)  # room on the right for the key, clear of the labels
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    top = (left - parts["conditional"]).idxmax()
    box = funding.money_box(figures, tuple(ledger.FIRM_STATUSES))["amount_usd_bn"]
    unnamed = box.iloc[2] - (parts["paid"] + parts["unpaid"]).sum()
    plotting.titles(
        fig,
        f"{top} is the largest backer: {money(left[top] - parts.at[top, 'conditional'])} raised, "
        f"{money(parts.at[top, 'paid'])} of it paid in",
        "Money into OpenAI per investor, $ billions, split by how far it has been paid"
        + (f"; {money(unnamed)} of round money is not attributed to any investor shown" if unnamed > 0.05 else ""),
    )
    unsummed = [f"{name}: {text}" for name, text in investors.get("unsummed", pd.Series(dtype=str)).items() if text]
    note = ("* Not added (a bound or no amount): " + "; ".join(unsummed) + ".") if unsummed else ""
    plotting.footer(fig, sources_of(figures.query("category == 'equity_investment'")), sources, note=note)
    plotting.make_room_right(ax)
    plotting.legend_clear_of_data(ax, [Patch(label=labels[c], **styles[c](NEUTRAL)) for c in shown])
    return fig


# ----- 03 compute ----------------------------------------------------------------------------------------


def one_row_per_deal(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per deal: where a deal has a disclosed part and an undisclosed part, keep the disclosed one."""
    ranked = deals.assign(_undisclosed=deals["value"].isna())
    return ranked.sort_values(["event", "_undisclosed"]).drop_duplicates("event").drop(columns="_undisclosed")


def provider_rows(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals the provider chart shows: one per deal, undisclosed parts of a disclosed deal left out."""
    inside = compute.included_in_disclosed(deals).index
    return one_row_per_deal(deals.drop(index=inside))


def _dated(row: pd.Series, deals: pd.DataFrame) -> str:
    """A deal's name with the month of its first report, unless the name already carries a date."""
    import re

    if re.search(r"\(\w{3} \d{4}\)", row["deal"]):
        return row["deal"]
    first = deals.loc[deals["event"].eq(row["event"]), "reported_on"].min()
    return f"{row['deal']} ({first:%b %Y})"


def provider_chart(deals: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """OpenAI's compute purchases per deal, latest reported size; undisclosed amounts as labelled slots."""
    shown = provider_rows(deals).sort_values(["value", "provider"], ascending=[False, True], na_position="last")
    colors = [plotting.company_color(p) for p in shown["provider"]]
    fig, ax = plotting.new_figure(height=4.6)
    top = shown["value"].max()
    _deal_bars(ax, shown, colors, [_dated(row, deals) for _, row in shown.iterrows()])
    ax.set_xlim(0, top * 1.5)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    disclosed = shown.dropna(subset=["value"])
    counted = disclosed[~disclosed["qualifier"].isin(plotting.UPPER_BOUNDS)]
    biggest = disclosed.iloc[:2]
    kinds = [f"{p}, {_words(s, STATUS_NAMES)}" for p, s in zip(biggest["provider"], biggest["status"], strict=True)]
    plotting.titles(
        fig,
        f"Two contracts ({kinds[0]}; {kinds[1]}) make up {biggest['value'].sum() / counted['value'].sum():.0%} of "
        "the compute commitments with an amount, press reports included",
        f"What OpenAI announced or was reported to buy, per deal, latest reported size, $ billions; "
        f"{int(shown['value'].isna().sum())} deals have no disclosed amount",
    )
    plotting.footer(fig, sources_of(shown), sources)
    plotting.make_room_right(ax)
    plotting.legend_clear_of_data(ax, plotting.status_legend_handles(["firm", "tentative"]))
    return fig


def schedule_chart(
    schedule: pd.DataFrame, rows: pd.DataFrame, sources: pd.DataFrame, term_years: int, start_delay_years: int
) -> Figure:
    """Annual amounts stacked by provider; press reports hatched, assumed timing dotted (both when both)."""
    years = sorted(schedule["year"].unique())
    frame = schedule.assign(assumed=schedule["term_assumed"] | schedule["start_assumed"])
    bottom = pd.Series(0.0, index=years)
    fig, ax = plotting.new_figure(height=3.8)
    for (provider, status, assumed), part in frame.groupby(["provider", "status", "assumed"], sort=True):
        per_year = part.groupby("year")["floor_usd_bn"].sum().reindex(years, fill_value=0.0)
        if not per_year.any():
            continue
        color = plotting.company_color(provider)
        style = plotting.assumed_style(color) if assumed else plotting.bar_style(status, color)
        if assumed and status_group(status) == "tentative":
            # a press report on an assumed term: both signs, hatch and dots, so neither is lost
            style = {**style, "hatch": plotting.TENTATIVE_HATCH + plotting.ASSUMED_HATCH}
        ax.bar(years, per_year, bottom=bottom, width=0.75, **style)
        bottom = bottom + per_year
    above = frame.assign(_ceiling=frame["amount_usd_bn"] - frame["floor_usd_bn"])
    caps = above[above["_ceiling"] > 1e-9].groupby(["provider", "year"])["_ceiling"].sum()
    cap_tops = bottom.copy()
    for (provider, year), ceiling in caps.items():
        color = plotting.company_color(provider)
        top = cap_tops[year] + ceiling
        ax.vlines(year, cap_tops[year], top, color=color, linewidth=1.4)
        ax.hlines(top, year - 0.2, year + 0.2, color=color, linewidth=2.2)
        cap_tops[year] = top
    providers = list(dict.fromkeys(frame.sort_values("provider")["provider"]))
    handles = [Patch(facecolor=plotting.company_color(p), label=p) for p in providers]
    handles += [
        plotting.status_legend_handles(["tentative"])[0],
        plotting.assumed_legend_handle("term or start assumed (dotted)"),
    ]
    if not caps.empty:
        handles.append(plotting.bound_legend_handles()[1])
        handles[-1].set_marker("_")
        handles[-1].set_label("cap: up to, not counted")
    ax.set_ylim(0, cap_tops.max() * 1.45)
    ax.legend(handles=handles, loc="upper right", ncols=3, fontsize=7.5)
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_xticks(years, [str(y) for y in years])
    plotting.usd_axis(ax, "y")
    floors = frame.groupby("year")["floor_usd_bn"].sum()
    peak = floors.idxmax()
    ceilings = cap_tops[peak] - floors[peak]
    assumed = frame.loc[frame["assumed"], "event"].nunique()
    plotting.titles(
        fig,
        schedule_title(floors, term_years, assumed, frame["event"].nunique()),
        "Commitments per year, $ billions, each contract spread evenly over its term; a schedule under "
        "assumptions, not a spending forecast"
        + (
            f"; 'up to' deals drawn as a cap above the stack ({money(ceilings)} in {peak}), not counted"
            if ceilings
            else ""
        ),
    )
    delay = f"{start_delay_years} year{'s' if start_delay_years != 1 else ''} after" if start_delay_years else "in"
    note = (
        f"Assumptions where no source gives them (dotted bars): a term of {term_years} years, starting {delay} "
        "the year of the report."
    )
    plotting.footer(fig, sources_of(rows.dropna(subset=["value"])), sources, note=note)
    return fig


COMPARISON_SHADES = {
    "commitment": plotting.COMPANY_COLORS["OpenAI"],
    "spending": NEUTRAL,
    "capital": NEUTRAL,
    "conditional": NEUTRAL,
    "revenue": NEUTRAL_LIGHT,
}


def _month_words(text: str) -> str:
    """'revenue run rate, 2026-05' -> 'revenue run rate, May 2026'."""
    import re

    return re.sub(r"\b(\d{4})-(\d{2})\b", lambda m: pd.Timestamp(f"{m[1]}-{m[2]}-01").strftime("%b %Y"), text)


def comparison_chart(comparison: pd.DataFrame, deals: pd.DataFrame, figures: pd.DataFrame, sources) -> Figure:
    """Commitments, spending, capital and revenue on one $ scale, in greys (these are not companies); press reports
    hatched, assumptions dotted, conditional money white."""
    fig, ax = plotting.new_figure(height=3.6)
    values, kinds = comparison["usd_bn"], comparison["kind"]
    announced = values[kinds.eq("commitment")].iloc[0]
    for position, (measure, row) in enumerate(comparison.iterrows()):
        color = COMPARISON_SHADES[row["kind"]]
        assumed = "assumption" in row["covers"]
        if assumed:
            parts = [(row["usd_bn"], plotting.assumed_style(color))]
        elif row["kind"] == "conditional":
            parts = [(row["usd_bn"], conditional_style(color))]
        elif row["kind"] == "commitment" and "press" in measure:
            # announced part solid, the press-reported rest hatched: a press report is not an announcement
            parts = [
                (announced, plotting.bar_style("closed", color)),
                (row["usd_bn"] - announced, plotting.bar_style("reported", color)),
            ]
        else:
            parts = [(row["usd_bn"], {"facecolor": color, "edgecolor": color})]
        end = _money_parts(ax, position, parts)
        about = "about " if row["covers"].endswith(("about", "about, or more")) else ""
        more = " or more" if row["covers"].endswith("or more") else ""
        ax.annotate(
            f"{about}{money(row['usd_bn'])}{more}" + (" (assumed terms)" if assumed else ""),
            (end, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    names = [_month_words(m) for m in comparison.index]
    ax.set_yticks(range(len(values)), [m[0].upper() + m[1:] for m in names])
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.set_xlim(0, values.max() * 1.05)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    raised = values[kinds.eq("capital")].iloc[0]
    plotting.titles(
        fig,
        f"Announced compute commitments ({money(announced)}) are {announced / raised:.1f}x the "
        f"{money(raised)} OpenAI raised from investors",
        "Multi-year commitments beside multi-year spending, capital to date and one year of revenue, $ billions; "
        "hatched: press reports; dotted: rests on assumed terms; white: conditional, not raised",
    )
    plotting.footer(fig, compute.comparison_sources(deals, figures), sources)
    plotting.make_room_right(ax)
    return fig


def flows_chart(flows: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Companies money flows both ways with: equity and stakes into OpenAI (upper bar, its colour) beside
    OpenAI's purchases from it (lower bar, black; hatched grey where the capacity runs on its chips)."""
    fig, ax = plotting.new_figure(height=0.75 * len(flows) + 1.6)
    openai = plotting.COMPANY_COLORS["OpenAI"]
    for position, (company, row) in enumerate(flows.iterrows()):
        color = plotting.company_color(company)
        into, back = position - 0.2, position + 0.2
        paid = min(row["paid_in_usd_bn"], row["invested_unconditional_usd_bn"])
        end = _money_parts(
            ax,
            into,
            [
                (paid, plotting.bar_style("closed", color)),
                (row["invested_unconditional_usd_bn"] - paid, plotting.unpaid_style(color)),
                (row["invested_conditional_usd_bn"], conditional_style(color)),
            ],
            height=0.36,
        )
        words = []
        if row["invested_usd_bn"] > 0:
            words.append(f"{money(row['invested_unconditional_usd_bn'])} equity")
            if row["invested_conditional_usd_bn"] > 0:
                words[-1] += f" + {money(row['invested_conditional_usd_bn'])} {CONDITIONAL}"
            if row["paid_in_usd_bn"] > 0:
                words[-1] += f" ({money(row['paid_in_usd_bn'])} paid in)"
        if row["to_openai"]:
            words.append(row["to_openai"])
        if row["lapsed_pledge_usd_bn"] > 0:
            ax.barh(into, row["lapsed_pledge_usd_bn"], height=0.36, **plotting.bar_style("superseded", color))
            end = max(end, row["lapsed_pledge_usd_bn"])
            words.append(f"pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed")
        ax.annotate(
            "; ".join(words) or "none", (end, into), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
        back_end = _money_parts(
            ax,
            back,
            [
                (row["committed_back_usd_bn"], plotting.bar_style("closed", openai)),
                (row["back_up_to_usd_bn"], plotting.bar_style("reported", openai)),
                (row["indirect_usd_bn"], plotting.bar_style("in_talks", NEUTRAL_LIGHT)),
            ],
            height=0.36,
        )
        back_words = []
        if row["committed_back_usd_bn"] > 0:
            back_words.append(f"{money(row['committed_back_usd_bn'])} of purchases")
        if row["back_up_to_usd_bn"] > 0:
            back_words.append(f"up to {money(row['back_up_to_usd_bn'])} more")
        if row["undisclosed_back"]:
            back_words.append(f"{int(row['undisclosed_back'])} deal of undisclosed value")
        if row["indirect_usd_bn"] > 0:
            back_words.append(f"{money(row['indirect_usd_bn'])} of cloud capacity on its chips")
        if row["capacity"]:
            back_words.append(row["capacity"])
        ax.annotate(
            "; ".join(back_words) or "no direct purchase commitment",
            (back_end, back),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(flows)), list(flows.index))
    ax.set_ylim(len(flows) - 0.45, -0.55)
    tops = flows["invested_usd_bn"].combine(flows["lapsed_pledge_usd_bn"], max)
    backs = flows["committed_back_usd_bn"] + flows["back_up_to_usd_bn"] + flows["indirect_usd_bn"]
    ax.set_xlim(0, float(max(tops.max(), backs.max())) * 1.02)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    both = flows[flows["invested_usd_bn"].gt(0)].sort_values("committed_back_usd_bn", ascending=False).head(2)
    sides = [
        f"{money(r.committed_back_usd_bn)} to {name}, which put in {money(r.invested_unconditional_usd_bn)}"
        + (f" (+{money(r.invested_conditional_usd_bn)} {CONDITIONAL})" if r.invested_conditional_usd_bn > 0 else "")
        for name, r in both.iterrows()
    ]
    plotting.titles(
        fig,
        f"OpenAI's largest purchase commitments go to its backers: {'; '.join(sides)}",
        "Upper bar, into OpenAI: equity paid in (solid), committed (lighter), conditional (white), a lapsed pledge "
        "(dashed), shares and warrants in words. Lower bar, from OpenAI: purchases (black), 'up to' (hatched "
        "black), cloud capacity that runs on the company's chips (hatched grey). $ billions, never netted",
    )
    plotting.footer(fig, compute.flow_sources(figures, flows), sources)
    plotting.make_room_right(ax)
    return fig


def _block_label(block: str) -> str:
    """'the 2026 funding round (closed Mar 2026)' -> '2026 funding round (closed Mar 2026)'."""
    text = block[4:] if block.startswith("the ") else block
    return text[0].upper() + text[1:]


def _money_parts(ax, position: float, parts: list[tuple[float, dict]], height: float = 0.7) -> float:
    """Stacked horizontal parts from 0; returns the end of the last part drawn."""
    left = 0.0
    for width, style in parts:
        if width > 0:
            ax.barh(position, width, left=left, height=height, **style)
            left += width
    return left


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


def schedule_title(floors: pd.Series, term_years: int, assumed: int, deals: int) -> str:
    """The schedule's finding with the assumption that shapes it: 'If the 6 of 8 deals with no reported term ran
    5 years each, commitments would plateau at $137.8B a year in 2027-28'."""
    years = list(floors.index)
    peak = floors.idxmax()
    top_years = [y for y in years if round(floors[y], 1) == round(floors[peak], 1)]
    if len(top_years) > 1:
        consecutive = top_years == list(range(top_years[0], top_years[-1] + 1))
        span = f"{top_years[0]}-{str(top_years[-1])[2:]}" if consecutive else ", ".join(map(str, top_years))
        shape = f"plateau at {money(floors[peak])} a year in {span}"
    else:
        shape = f"peak at {money(floors[peak])} in {peak}"
    return (
        f"If the {assumed} of {deals} deals with no reported term or start ran {term_years} years each, "
        f"commitments would {shape}"
    )
