"""The charts of notebooks 01-03: one function per chart, each returning a finished figure in the house grammar."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.analysis import compute, funding
from helpers.charts import frame as plotting
from helpers.charts.frame import NEUTRAL, NEUTRAL_LIGHT
from helpers.data import vocabulary
from helpers.data.views import latest, sources_of, stated
from helpers.data.vocabulary import (
    CATEGORY_NAMES,
    COMPANY_COLORS,
    DAYS_PER_YEAR,
    EXAMPLE_STATUS,
    LIVE_STATUSES,
    LOWER_BOUND_QUALIFIERS,
    STATUS_GROUPS,
    STATUS_NAMES,
    UPPER_BOUND_QUALIFIERS,
    status_group,
)
from helpers.notebook.tables import money


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
        gap = 9 if row["qualifier"] in LOWER_BOUND_QUALIFIERS + UPPER_BOUND_QUALIFIERS else 4
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
    """Figures per kind, split by status: how much of the ledger is firm."""
    groups = figures.assign(group=figures["status"].map(status_group))
    table = pd.crosstab(groups["category"], groups["group"]).reindex(columns=list(STATUS_GROUPS), fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    firm, total = int(table["firm"].sum()), int(table.to_numpy().sum())
    top = table.index[0]
    fig, ax = plotting.new_figure(height=3.9)
    left = pd.Series(0, index=table.index)
    labels = [_words(c, CATEGORY_NAMES).capitalize() for c in table.index]
    for group in STATUS_GROUPS:
        ax.barh(labels, table[group], left=left, height=0.7, **plotting.bar_style(EXAMPLE_STATUS[group], NEUTRAL))
        left = left + table[group]
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, left.max() * 1.05)
    plotting.titles(
        fig,
        f"Only {firm} of the {total} reported figures are firm; {_words(top, CATEGORY_NAMES)} are the largest group",
        "Figures in the ledger by kind, split by status at the time of each report (number of figures)",
    )
    plotting.footer(fig, sources_of(figures), sources)
    plotting.legend_clear_of_data(ax, plotting.status_legend_handles())
    return fig


def status_timeline(figures: pd.DataFrame, sources: pd.DataFrame, events: list[str]) -> Figure:
    """One lane per deal; a marker per report date in the house status encoding, the latest size in words."""
    rows = figures[figures["event"].isin(events) & figures["part_of"].ne(figures["event"])]
    rows = rows[rows["metric"].isin(["amount", "post_money", "pre_money", "valuation"])]
    order = list(dict.fromkeys(rows.sort_values("reported_on")["event"]))
    rank = {status: i for i, status in enumerate(["stalled", "superseded", *LIVE_STATUSES])}
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
        f"{became_firm} of these {len(order)} deals went from talks or press reports to a firm deal",
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
    return COMPANY_COLORS["Others"] if several else plotting.company_color(subject)


def _deal_color(deal_rows: pd.DataFrame) -> str:
    """Who puts in the money: the investor of an investment or a round, the supplier of a purchase."""
    amounts = deal_rows[deal_rows["metric"].eq("amount")]
    if amounts.empty:
        return COMPANY_COLORS["OpenAI"]
    first = amounts.sort_values("reported_on").iloc[-1]
    other = first["subject"] if first["subject"] != "OpenAI" else first["counterparty"]
    return investor_color(str(other))


def _deal_summary(deal_rows: pd.DataFrame) -> str:
    """'$122B at $852B, closed': the deal's latest total amount and valuation in words, and its status."""
    # a round's committed total at its close is its total: the rule of funding.capital_events, reused
    round_totals = deal_rows["figure_id"].isin(funding.capital_events(deal_rows)["figure_id"])
    totals = deal_rows[deal_rows["basis"].isna() | deal_rows["basis"].eq("total") | round_totals]
    totals = totals if not totals.empty else deal_rows
    newest = latest(totals, ["event"]).iloc[-1]
    amounts = totals[totals["metric"].eq("amount")]
    values = totals[totals["metric"].isin(["post_money", "valuation"])]
    parts = []
    if not amounts.empty:
        parts.append(stated(latest(amounts, ["event"]).iloc[-1]))
    if not values.empty:
        parts.append(("at " if parts else "valued at ") + stated(latest(values, ["event"]).iloc[-1]))
    return f"{' '.join(parts)}, {_words(newest['status'], STATUS_NAMES)}"


# ----- 02 funding ---------------------------------------------------------------------------------------

# One vocabulary for capital in every chart of 02 and 03, from funding.money_raised's one definition each.
PAID_IN = "reported paid in"
WITHOUT_CONDITIONS = "committed without conditions"
CONDITIONAL = "conditional"
PRESS_REPORTS = "press reports"


def capital_totals(figures: pd.DataFrame) -> dict:
    """All capital committed to OpenAI, by the ledger's one definition: paid in, without conditions, conditional."""
    sums = funding.raised_totals(funding.money_raised(figures, tuple(vocabulary.FIRM_STATUSES)))
    return {**sums, "without_conditions_usd_bn": sums["paid_usd_bn"] + sums["unpaid_usd_bn"]}


def capital_words(totals: dict) -> str:
    """'$147.6B committed without conditions plus $35B conditional': never summed as one committed figure."""
    words = f"{money(totals['without_conditions_usd_bn'])} {WITHOUT_CONDITIONS}"
    if totals["conditional_usd_bn"] > 0:
        words += f" plus {money(totals['conditional_usd_bn'])} {CONDITIONAL}"
    return words


def capital_per_deal_chart(figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Money raised per deal at its latest reported size, in the house status and bound encoding."""
    events = funding.capital_events(figures)
    current = latest(events, ["event"]).sort_values("reported_on")
    colors = [investor_color(s) for s in current["subject"]]
    fig, ax = plotting.new_figure(height=3.3)
    _deal_bars(ax, current, colors, list(current["deal"]))
    ax.set_xlim(0, current["value"].max() * 1.45)
    biggest = current.loc[current["value"].idxmax()]
    rest = current["value"].drop(biggest.name).sum()
    plotting.titles(
        fig,
        f"The {biggest['deal']} ({money(biggest['value'])}) is "
        f"{biggest['value'] / rest:.1f}x all earlier deals combined",
        "Money committed to OpenAI per deal, latest reported size, $ billions, conditional money included; "
        "colour: the investor (grey: several)",
    )
    plotting.footer(fig, sources_of(current), sources)
    plotting.legend_clear_of_data(ax, plotting.status_legend_handles(["firm", "tentative"]))
    return fig


def cumulative_capital_chart(figures: pd.DataFrame, sources: pd.DataFrame, firm: tuple[str, ...]) -> Figure:
    """Running total of money raised: firm deals, with talks and press reports, and the ceilings talks allow."""
    events = funding.capital_events(figures)
    firm_total = funding.cumulative_capital(events, firm)
    all_total = funding.cumulative_capital(events, LIVE_STATUSES)
    fig, ax = plotting.new_figure(height=3.4)
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
        **{k: v for k, v in plotting.bar_style("in_talks", NEUTRAL_LIGHT).items() if k != "linewidth"},
    )
    ax.step(firm_total["reported_on"], firm_total["total_usd_bn"], where="post", color=NEUTRAL, label="firm deals")
    finite_top = all_total[["total_usd_bn", "ceiling_usd_bn"]].replace(float("inf"), float("nan")).max().max()
    ax.set_ylim(0, finite_top * 1.1)
    plotting.usd_axis(ax, "y")
    plotting.concise_dates(ax)
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
    plotting.titles(
        fig,
        f"Firm deals add up to at least {money(last['total_usd_bn'])} committed to OpenAI"
        + (f" ({money(conditional_bn)} of it {CONDITIONAL})" if conditional_bn > 0 else "")
        + f", {(last['total_usd_bn'] - before) / last['total_usd_bn']:.0%} of it in the last 12 months",
        f"Money committed to date, $ billions, as a reader could add it up on each report date; "
        f"{money(final)} counting talks and {PRESS_REPORTS}; from {start.year}"
        + (f" (before, at most {money(before_start.max())} in all)" if not before_start.empty else ""),
    )
    plotting.footer(
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
    fig, ax = plotting.new_figure(height=4.4)
    for _, row in marks.iterrows():
        color = NEUTRAL if row["listing"] else COMPANY_COLORS["OpenAI"]
        shape = LISTING_SHAPE if row["listing"] else MARK_SHAPES[row["metric"]]
        style = plotting.marker_style(row["status"], color)
        ax.scatter(row["reported_on"], row["y"], s=130 if row["listing"] else 42, marker=shape, zorder=3, **style)
        if row["qualifier"] in LOWER_BOUND_QUALIFIERS:
            ax.annotate(
                "",
                (row["reported_on"], row["y"]),
                xytext=(0, 16),
                textcoords="offset points",
                arrowprops={"arrowstyle": "<-", "color": color, "lw": 1.2, "shrinkA": 0, "shrinkB": 5},
            )
        elif row["qualifier"] in UPPER_BOUND_QUALIFIERS:
            # a T above the point: the figure is a ceiling (a bar through the marker read as a strikethrough)
            ax.annotate(
                "",
                (row["reported_on"], row["y"]),
                xytext=(0, 15),
                textcoords="offset points",
                arrowprops={
                    "arrowstyle": "]-, widthA=0.6, lengthA=0",
                    "color": color,
                    "lw": 1.4,
                    "shrinkA": 0,
                    "shrinkB": 6,
                },
            )
    top = marks["y"].max()
    ax.set_ylim(0, top * 1.18)
    start, end = marks["reported_on"].min(), marks["reported_on"].max()
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
        f"OpenAI's value rose {last['value'] / first['value']:.1f}x in "
        f"{(last['reported_on'] - first['reported_on']).days / DAYS_PER_YEAR:.1f} years to {money(last['value'])}; "
        f"listing talk: {stated(listing)}",
        "Valuation at each report, $ billions; an arrow marks a 'more than' figure, a T above the point an 'up to'",
    )
    plotting.footer(fig, sources_of(marks), sources)
    # after the title and footer, so the labels are placed in the final layout; firm marks first, so each
    # takes the place nearest its own point and talks give way
    order = labelled.assign(_talk=~labelled["status"].isin(firm)).sort_values(["_talk", "reported_on"], kind="stable")
    plotting.place_labels(ax, [(r["reported_on"], r["y"], _mark_label(r)) for _, r in order.iterrows()])
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


CONDITIONAL_LABEL = "conditional: due only if a condition is met (white)"


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
        "unpaid": "not yet reported paid (lighter)",
        "conditional": CONDITIONAL_LABEL,
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
        if investors.at[name, "paid_in_usd_bn"] > 0:
            words += f", {money(investors.at[name, 'paid_in_usd_bn'])} paid"
        if "unsummed" in investors and investors.at[name, "unsummed"]:
            words += " + amounts not added*"
        ax.annotate(words, (left[name], position), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(parts.index)), list(parts.index))
    ax.set_ylim(len(parts.index) - 0.5, -0.5)
    ax.set_xlim(0, left.max() * 1.05)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    top = left.idxmax()
    capital = capital_totals(figures)
    named = {
        "without_conditions_usd_bn": (parts["paid"] + parts["unpaid"]).sum(),
        "conditional_usd_bn": parts["conditional"].sum(),
    }
    unnamed = capital["total_usd_bn"] - capital["tentative_usd_bn"] - sum(named.values())
    plotting.titles(
        fig,
        f"Named investors: {capital_words(named)}; {money(parts['paid'].sum())} {PAID_IN}; "
        f"{top} the largest ({money(left[top])})",
        "Money committed to OpenAI per investor, $ billions, split by how far it has been paid"
        + (f"; {money(unnamed)} of the rounds' totals is not attributed to a named investor" if unnamed > 0.05 else ""),
    )
    unsummed = [f"{name}: {text}" for name, text in investors.get("unsummed", pd.Series(dtype=str)).items() if text]
    note = ("* Not added (a bound or no amount): " + "; ".join(unsummed) + ".") if unsummed else ""
    plotting.footer(fig, sources_of(figures.query("category == 'equity_investment'")), sources, note=note)
    plotting.make_room_right(ax)  # after the footer: the layout is final
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
    ax.xaxis.set_major_locator(MaxNLocator(6))  # long deal names leave a narrow axis: fewer ticks stay apart
    disclosed = shown.dropna(subset=["value"])
    # a ceiling ("up to") is not summed as if it were its value: the share is of the deals' floors
    counted = disclosed[~disclosed["qualifier"].isin(UPPER_BOUND_QUALIFIERS)]
    biggest = disclosed.iloc[:2]
    plotting.titles(
        fig,
        f"Two contracts, with {biggest['provider'].iloc[0]} and {biggest['provider'].iloc[1]}, make up "
        f"{biggest['value'].sum() / counted['value'].sum():.0%} of the disclosed compute commitments",
        f"What OpenAI agreed to buy, per deal, latest reported size, $ billions; "
        f"{int(shown['value'].isna().sum())} deals have no disclosed amount",
    )
    plotting.footer(fig, sources_of(shown), sources)
    plotting.make_room_right(ax)  # after the footer: the layout is final
    # bounds and undisclosed amounts are said in words at each bar, so the key only explains the fills
    plotting.legend_clear_of_data(ax, plotting.status_legend_handles(["firm", "tentative"]))
    return fig


def schedule_chart(
    schedule: pd.DataFrame, rows: pd.DataFrame, sources: pd.DataFrame, term_years: int, start_delay_years: int
) -> Figure:
    """Annual amounts stacked by provider; tentative deals hatched, assumed timing in the assumption encoding."""
    years = sorted(schedule["year"].unique())
    frame = schedule.assign(assumed=schedule["term_assumed"] | schedule["start_assumed"])  # also in compute
    floor_column = "floor_usd_bn" if "floor_usd_bn" in frame else "amount_usd_bn"
    bottom = pd.Series(0.0, index=years)
    fig, ax = plotting.new_figure(height=3.8)
    # only floors are stacked: an 'up to' part is a ceiling, drawn as a cap above the stack, never a segment
    for (provider, status, assumed), part in frame.groupby(["provider", "status", "assumed"], sort=True):
        per_year = part.groupby("year")[floor_column].sum().reindex(years, fill_value=0.0)
        if not per_year.any():
            continue
        color = plotting.company_color(provider)
        style = plotting.assumed_style(color) if assumed else plotting.bar_style(status, color)
        ax.bar(years, per_year, bottom=bottom, width=0.75, **style)
        bottom = bottom + per_year
    above = frame.assign(_ceiling=frame["amount_usd_bn"] - frame[floor_column])
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
    # an "up to" deal is drawn at its ceiling but never counted in a total: the peak is read from the floors
    floors = frame.groupby("year")[floor_column].sum()
    peak = floors.idxmax()
    # equal top years (to the nearest $0.1B) are a plateau, not a peak
    top_years = [y for y in years if round(floors[y], 1) == round(floors[peak], 1)]
    ceilings = cap_tops[peak] - floors[peak]
    if len(top_years) > 1:
        span = (
            f"{top_years[0]}-{str(top_years[-1])[2:]}"
            if top_years == list(range(top_years[0], top_years[-1] + 1))
            else ", ".join(map(str, top_years))
        )
        finding = f"Spread over their terms, commitments plateau at {money(floors[peak])} a year in {span}"
    else:
        finding = f"Spread over their terms, commitments peak at {money(floors[peak])} a year in {peak}"
    plotting.titles(
        fig,
        finding,
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


COMPARISON_SHADES = {"commitment": COMPANY_COLORS["OpenAI"], "capital": NEUTRAL, "revenue": NEUTRAL_LIGHT}


def _month_words(text: str) -> str:
    """'revenue run rate, 2026-05' -> 'revenue run rate, May 2026'."""
    import re

    return re.sub(r"\b(\d{4})-(\d{2})\b", lambda m: pd.Timestamp(f"{m[1]}-{m[2]}-01").strftime("%b %Y"), text)


def comparison_chart(comparison: pd.DataFrame, deals: pd.DataFrame, figures: pd.DataFrame, sources) -> Figure:
    """Commitments, capital raised and revenue on one $ scale, in greys (these are not companies)."""
    fig, ax = plotting.new_figure(height=3.3)
    values = comparison["usd_bn"]
    capital = capital_totals(figures)
    names = [_month_words(m) for m in comparison.index]
    for position, (measure, row) in enumerate(comparison.iterrows()):
        color = COMPARISON_SHADES[row["kind"]]
        assumed = "assumption" in row["covers"] or "assumed" in measure
        style = plotting.assumed_style(color) if assumed else {"facecolor": color, "edgecolor": color}
        words = money(row["usd_bn"])
        with_conditional = row["kind"] == "capital" and abs(row["usd_bn"] - capital["total_usd_bn"]) < 1e-6
        if with_conditional and capital["conditional_usd_bn"] > 0:
            # the capital total holds conditional money: drawn and named apart, in the conditional encoding
            ax.barh(position, capital["without_conditions_usd_bn"], height=0.7, **style)
            ax.barh(
                position,
                capital["conditional_usd_bn"],
                left=capital["without_conditions_usd_bn"],
                height=0.7,
                **conditional_style(color),
            )
            words = (
                f"{money(capital['without_conditions_usd_bn'])} + {money(capital['conditional_usd_bn'])} {CONDITIONAL}"
            )
            names[position] = f"capital {WITHOUT_CONDITIONS}, plus {CONDITIONAL}"
        else:
            ax.barh(position, row["usd_bn"], height=0.7, **style)
        if row["kind"] == "capital" and not with_conditional:
            names[position] = names[position].replace("capital paid in, reported", f"capital {PAID_IN}")
        floor = "at least" in row["covers"]
        if floor:
            plotting.bound_mark(ax, row["usd_bn"], position, "at_least", color)
        ax.annotate(
            ("at least " if floor else "") + words + (" (assumed)" if assumed else ""),
            (row["usd_bn"], position),
            xytext=(9 if floor else 4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(values)), [m[0].upper() + m[1:] for m in names])
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.set_xlim(0, values.max() * 1.05)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    ax.xaxis.set_major_locator(MaxNLocator(5))  # long row names leave a narrow axis: fewer ticks stay apart
    kinds = comparison["kind"]
    commitments = values[kinds.eq("commitment")].iloc[0]
    revenue = values[kinds.eq("revenue")].iloc[0]
    plotting.titles(
        fig,
        f"Announced compute commitments are {commitments / capital['without_conditions_usd_bn']:.1f}x the capital "
        f"{WITHOUT_CONDITIONS} to OpenAI and {commitments / revenue:.0f}x a year of revenue",
        "Commitments (black), capital (grey) and revenue (light grey), $ billions; commitment totals cover "
        "several years, revenue one; dotted: rests on an assumption; white: conditional",
    )
    plotting.footer(fig, compute.comparison_sources(deals, figures), sources)
    plotting.make_room_right(ax)  # after the footer: the layout is final
    return fig


def flows_chart(flows: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Investors that are also suppliers: equity each put in (its colour) beside OpenAI's purchase commitments to it
    (black), side by side and never netted."""
    fig, ax = plotting.new_figure(height=3.2)
    openai = COMPANY_COLORS["OpenAI"]
    for position, (company, row) in enumerate(flows.iterrows()):
        color = plotting.company_color(company)
        into, back = position - 0.2, position + 0.2
        paid = min(row["paid_in_usd_bn"], row["invested_unconditional_usd_bn"])
        blocks = [
            (paid, plotting.bar_style("closed", color)),
            (row["invested_unconditional_usd_bn"] - paid, plotting.unpaid_style(color)),
            (row["invested_conditional_usd_bn"], conditional_style(color)),
        ]
        left = 0.0
        for width, style in blocks:
            if width > 0:
                ax.barh(into, width, left=left, height=0.36, **style)
                left += width
        end = left
        words = f"{money(row['invested_unconditional_usd_bn'])} equity in"
        if row["invested_conditional_usd_bn"] > 0:
            words += f" + {money(row['invested_conditional_usd_bn'])} {CONDITIONAL}"
        if row["paid_in_usd_bn"] > 0:
            words += f" ({money(row['paid_in_usd_bn'])} paid)"
        if row["lapsed_pledge_usd_bn"] > 0:
            ax.barh(into, row["lapsed_pledge_usd_bn"], height=0.36, **plotting.bar_style("superseded", color))
            plotting.bound_mark(ax, row["lapsed_pledge_usd_bn"], into, "up_to", color)
            end = max(end, row["lapsed_pledge_usd_bn"])
            words += f"; a pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed"
        ax.annotate(words, (end, into), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
        ax.barh(back, row["committed_back_usd_bn"], height=0.36, **plotting.bar_style("closed", openai))
        back_words = (
            f"{money(row['committed_back_usd_bn'])} of purchases committed"
            if row["committed_back_usd_bn"] > 0
            else "no purchase commitment"
        )
        if row.get("undisclosed_back", 0):
            back_words += f" + {int(row['undisclosed_back'])} undisclosed"
        ax.annotate(
            back_words,
            (row["committed_back_usd_bn"], back),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(flows)), list(flows.index))
    ax.set_ylim(len(flows) - 0.45, -0.55)
    top = float(flows[["invested_usd_bn", "committed_back_usd_bn", "lapsed_pledge_usd_bn"]].to_numpy().max())
    ax.set_xlim(0, top * 1.02)
    ax.grid(axis="y", visible=False)
    plotting.usd_axis(ax)
    plotting.titles(
        fig,
        f"{len(flows)} investors that also sell to OpenAI: "
        + capital_words(
            {
                "without_conditions_usd_bn": flows["invested_unconditional_usd_bn"].sum(),
                "conditional_usd_bn": flows["invested_conditional_usd_bn"].sum(),
            }
        )
        + f", {money(flows['paid_in_usd_bn'].sum())} {PAID_IN}; OpenAI committed "
        f"{money(flows['committed_back_usd_bn'].sum())} to buy from them",
        "Money in each direction, $ billions, never netted. Upper bar, equity put in: solid reported paid, lighter "
        "not reported paid, white conditional, dashed a lapsed pledge. Lower bar, black: OpenAI's multi-year "
        "purchase commitments to that company",
    )
    plotting.footer(fig, compute.flow_sources(figures), sources)
    plotting.make_room_right(ax)  # after the footer: the layout is final
    return fig
