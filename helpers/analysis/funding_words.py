"""Notebook 02 in words and tables: the bottom line, the sentences after each chart, and the investor table, all
computed from the numbers in funding.py.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.funding import (
    CONDITIONAL,
    INTO_OPENAI,
    NAN,
    WITHOUT_CONDITIONS,
    capital_events,
    conditions,
    deal_name,
    describe_bounds,
    filed_totals,
    investor_deals,
    investor_name,
    investor_summary,
    money_raised,
    raised_totals,
    unattributed,
    unpaid_tranches,
    used_rows,
    valuation_marks,
)
from helpers.analysis.running_total import raised_over_time, trigger_clause, trigger_reports
from helpers.analysis.scenario_words import per_share_table
from helpers.data.views import aggregator_flag, aggregator_only, describe_value, latest, stated
from helpers.data.vocabulary import DAYS_PER_YEAR, MONEY_KINDS, RAISED_WORD
from helpers.notebook.prose import listed, month_year
from helpers.notebook.tables import money


def per_share_years(figures: pd.DataFrame) -> float:
    """Years from the first priced round's price to the last one's: the dates prices were set, not closings."""
    rounds = valuation.priced_rounds(figures)
    return (rounds["priced_on"].iloc[-1] - rounds["priced_on"].iloc[0]).days / DAYS_PER_YEAR


def per_share_sentence(figures: pd.DataFrame) -> str:
    """'... rose 4.0x, about 170% a year': a holder's value per share, compounded between the dates prices were set."""
    rounds = valuation.priced_rounds(figures)
    index = valuation.value_per_share(rounds)
    rate = float(valuation.implied_cagr(1.0, index.iloc[-1], per_share_years(figures)))
    return (
        f"A holder's value per share (each round's pre-money over the last one's post-money) rose "
        f"**{index.iloc[-1]:.1f}x**, about {rate:.0%} a year from the day the first price was set to the last."
    )


def per_share_view(figures: pd.DataFrame) -> pd.DataFrame:
    """The per-share table indexed by round, as the other tables are (no bare row numbers)."""
    return per_share_table(figures).set_index("round")


def raised_lines(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> list[str]:
    """The box in sentences: paid in (reported payments and closings), committed, conditional with its condition."""
    blocks = money_raised(figures, firm_statuses)
    sums = raised_totals(blocks)
    at_close = blocks[blocks["paid_at_close_usd_bn"] > 0]
    closings = listed(
        [f"{money(r.paid_at_close_usd_bn)} with {_short(r.block)}" for r in at_close.itertuples()] or ["none"]
    )
    unpaid_blocks = blocks[blocks["unpaid_usd_bn"] > 0].sort_values("unpaid_usd_bn", ascending=False)
    unpaid = listed([f"{money(row.unpaid_usd_bn)} of {_short(row.block)}" for row in unpaid_blocks.itertuples()])
    words = {column: word for column, (word, _) in MONEY_KINDS.items()}
    lines = [
        f"- **{money(sums['paid_usd_bn'])} {words['paid_usd_bn']}**: "
        f"{money(sums['paid_usd_bn'] - sums['paid_at_close_usd_bn'])} in payments reported one by one, and "
        f"{money(sums['paid_at_close_usd_bn'])} that came in when rounds closed ({closings}).",
        f"- **{money(sums['unpaid_usd_bn'])} {words['unpaid_usd_bn']}** without conditions but not yet reported paid "
        f"({unpaid}).",
        f"- **{money(sums['conditional_usd_bn'])} {words['conditional_usd_bn']}**: {condition_words(figures)}. "
        f"It is not part of the {money(sums['raised_usd_bn'])} {RAISED_WORD}.",
    ]
    if sums["tentative_usd_bn"] > 0:
        lines.append(f"- {money(sums['tentative_usd_bn'])} more rests on talks or press reports only.")
    return lines


def microsoft_sentence(figures: pd.DataFrame, investor: str = "Microsoft", sources: pd.DataFrame | None = None) -> str:
    """One number for an investor with a filed commitment, and why the sum of its reported deals differs."""
    row = investor_summary(figures).loc[investor]
    filed = filed_totals(figures).set_index(["investor", "basis"])
    if (investor, "committed") not in filed.index or (investor, "funded") not in filed.index:
        total = describe_bounds(
            row["committed_usd_bn"] + row["tentative_usd_bn"], row["ceiling_usd_bn"], row["approximate"]
        )
        return f"{investor}: {total} over {int(row['deals'])} deals; no filing reports its total or what it paid in."
    committed, funded = filed.loc[(investor, "committed")], filed.loc[(investor, "funded")]
    deals = investor_deals(figures)
    own = deals[deals["investor"].eq(investor) & deals["part_of"].isna()]
    parts = " + ".join(describe_value(r.total_usd_bn, r.qualifier, NAN, NAN, "usd_bn") for r in own.itertuples())
    text = (
        f"{investor}: its filing puts its investment at **{money(committed['value'])}**, "
        f"**{money(funded['value'])} of it paid in** by {month_year(funded['as_of'])}"
        f"{_flag(funded['source_ids'], sources)}. "
        f"Its deals outside rounds, as the press reported them ({parts}), come to about "
        f"{money(row['replaced_deals_usd_bn'])}, so the filed total is the one used"
    )
    if row["unsummed"]:
        text += f"; not added, because they are bounds or undisclosed: {row['unsummed']}"
    return text + "."


def bottom_line(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The funding notebook's bottom line: three short bullets, every number from the one money box; the condition
    and the per-share arithmetic are told in the sections below."""
    sums = raised_totals(money_raised(figures, firm_statuses))
    posts = valuation_marks(figures).query("metric == 'post_money' and status in @firm_statuses")
    first, last = posts.iloc[0], posts.iloc[-1]
    index = valuation.value_per_share(valuation.priced_rounds(figures))
    return "\n".join(
        [
            f"- OpenAI **{RAISED_WORD} {money(sums['raised_usd_bn'])}** from investors by "
            f"{month_year(sums['paid_as_of'])}: {money(sums['paid_usd_bn'])} paid in, "
            f"{money(sums['unpaid_usd_bn'])} committed.",
            f"- A further **{money(sums['conditional_usd_bn'])} was conditional**, so not counted as raised.",
            f"- Its value after each round rose from {money(first['value'])} ({month_year(first['reported_on'])}) to "
            f"**{money(last['value'])}** ({month_year(last['reported_on'])}); a share's value rose "
            f"**{index.iloc[-1]:.1f}x**.",
        ]
    )


def investor_sentence(investors: pd.DataFrame, deals: pd.DataFrame) -> str:
    """Committed versus paid, per investor; bounds and undisclosed amounts named, never added."""
    parts = []
    for name, row in investors.iterrows():
        total = describe_bounds(
            row["committed_usd_bn"] + row["tentative_usd_bn"], row["ceiling_usd_bn"], row["approximate"]
        )
        count = int(row["deals"])
        bits = [f"**{name}** {total} over {count} deal{'s' if count != 1 else ''}"]
        if pd.notna(row["reported_committed_usd_bn"]):
            bits.append(f"counting its deals outside rounds at the {money(row['reported_committed_usd_bn'])} it filed")
        if row["paid_in_usd_bn"] > 0:
            bits.append(f"{money(row['paid_in_usd_bn'])} paid in by {month_year(row['paid_as_of'])}")
        else:
            bits.append("none paid in")
        if row["conditional_usd_bn"] > 0:
            bits.append(f"{money(row['upfront_usd_bn'])} up front and {money(row['conditional_usd_bn'])} conditional")
        if row["unsummed"]:
            bits.append(f"not added: {row['unsummed']}")
        parts.append(", ".join(bits))
    return "- " + "\n- ".join(parts)


def tranche_sentence(figures: pd.DataFrame) -> str:
    """Tranches whose due month has come by the ledger's newest report or since, with no payment reported."""
    rows = unpaid_tranches(figures)
    newest = figures["reported_on"].max()
    texts = [
        f"{row.investor}'s {money(row.value)} tranche of the {deal_name(figures, row)} was due "
        f"{month_year(row.due_on)}; "
        f"no payment of it is reported (the ledger's newest report is of {month_year(newest)}), so it counts as "
        "committed, not paid"
        for row in rows.itertuples()
    ]
    return "; ".join(texts) + "." if texts else ""


def unattributed_sentence(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """Why the investor rows add up to less than the money raised: round money no named investor accounts for."""
    investors = investor_summary(figures)
    sums = raised_totals(money_raised(figures, firm_statuses))
    named = float((investors["committed_usd_bn"] + investors["tentative_usd_bn"]).sum())
    rest = unattributed(figures, firm_statuses)
    shown = rest[rest["rest_usd_bn"] > 1e-9]
    near = "about " if shown["about"].any() else ""
    each = listed(
        [
            f"{describe_bounds(r.rest_floor_usd_bn, r.rest_usd_bn, r.about)} of {_short(r.block)} "
            f"({money(r.round_usd_bn)})"
            for r in shown.itertuples()
        ]
        or ["none"]
    )
    named_raised = named - sums["conditional_usd_bn"]
    return (
        f"The investor rows account for {near}{money(named_raised)} of the {money(sums['raised_usd_bn'])} raised. "
        f"The remaining {near}{money(sums['raised_usd_bn'] - named_raised)} is round money that the ledger does not "
        f"attribute to a named investor: {each}. It belongs to other or unnamed investors, or to named ones whose "
        "share is only a bound or undisclosed (such as Microsoft's), so it is an upper limit for the unnamed part."
    )


def cumulative_gap_sentence(figures: pd.DataFrame) -> str:
    """Where an investor's own cumulative figure differs from its rows in this ledger, say by how much and what
    the ledger leaves out (purchases of employee shares pay the sellers, not OpenAI)."""
    used = used_rows(figures)
    own = used[
        used["metric"].eq("cumulative_amount")
        & used["counterparty"].eq(INTO_OPENAI)
        & used["basis"].isna()
        & used["value"].notna()
    ]
    own = own.sort_values(["reported_on", "figure_id"]).assign(investor=own["subject"].map(investor_name))
    investors = investor_summary(figures)
    texts = []
    for investor, row in own.groupby("investor").tail(1).set_index("investor").iterrows():
        if investor not in investors.index:
            continue
        mine = investors.loc[investor]
        counted = mine["committed_usd_bn"] + mine["tentative_usd_bn"]
        gap = row["value"] - counted
        if math.isclose(gap, 0.0, abs_tol=1e-9):
            continue
        secondary = used[
            used["category"].eq("secondary_sale") & used["subject"].eq(investor) & used["metric"].eq("amount")
        ]
        bought = listed([f"{stated(r)} in {month_year(r['reported_on'])}" for _, r in secondary.iterrows()])
        texts.append(
            f"{investor}'s own expected total is {stated(row)} ({month_year(row['reported_on'])}), "
            f"{'about ' if mine['approximate'] else ''}{money(abs(gap))} {'more' if gap > 0 else 'less'} than the "
            f"{describe_bounds(counted, mine['ceiling_usd_bn'], mine['approximate'])} its deals in this ledger add "
            "up to; the source does not break the difference down, so the ledger's deal-by-deal figure is the one "
            "used."
            + (
                f" Its purchases of employee shares ({bought}) paid the sellers, not OpenAI, and are not counted."
                if len(secondary)
                else ""
            )
        )
    return " ".join(texts)


# the table's two summary rows: the round money no investor row holds, and the total, where a deal counts once
UNATTRIBUTED_ROW = "round money not attributed to a named investor"
TOTAL_ROW = "total (each deal counted once)"
INVESTOR_COLUMNS = [
    "stated",
    "deals_taken_part_in",
    "paid_usd_bn",
    "unpaid_usd_bn",
    "conditional_usd_bn",
    "tentative_usd_bn",
    "total_usd_bn",
    "ceiling_of_total_usd_bn",
    "unsummed",
]


def investor_table(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """Per investor in the money box's words (paid in, committed, conditional, talks and press reports), then the
    round money no named investor accounts for, then the total: each column adds up to the box. A ceiling of NaN
    means none (an open or undisclosed part)."""
    summary = investor_summary(figures)
    firm_total = summary["committed_usd_bn"]
    table = pd.DataFrame(
        {
            "stated": [
                describe_bounds(r.committed_usd_bn + r.tentative_usd_bn, r.ceiling_usd_bn, r.approximate)
                for r in summary.itertuples()
            ],
            "deals_taken_part_in": summary["deals"].astype(float),
            "paid_usd_bn": summary["paid_in_usd_bn"],
            "unpaid_usd_bn": (firm_total - summary["paid_in_usd_bn"] - summary["conditional_usd_bn"]).clip(lower=0),
            "conditional_usd_bn": summary["conditional_usd_bn"],
            "tentative_usd_bn": summary["tentative_usd_bn"],
            # conditional money is never in a total: paid in + committed + talks and press reports
            "total_usd_bn": firm_total - summary["conditional_usd_bn"] + summary["tentative_usd_bn"],
            # the ceiling of the total column: conditional money is in neither (Amazon: $50B less its conditional $35B)
            "ceiling_of_total_usd_bn": (summary["ceiling_usd_bn"] - summary["conditional_usd_bn"]).where(
                ~summary["ceiling_usd_bn"].map(math.isinf)
            ),
            "unsummed": summary["unsummed"],
        },
        index=summary.index,
    )
    rest = unattributed(figures, firm_statuses)
    sums = raised_totals(money_raised(figures, firm_statuses))
    rest_usd_bn = float(rest["rest_usd_bn"].sum())
    rest_paid = sums["paid_usd_bn"] - float(table["paid_usd_bn"].sum())
    # the money is in the rounds' totals; only who paid it is open (an upper limit for unnamed investors' part)
    table.loc[UNATTRIBUTED_ROW] = {
        "stated": describe_bounds(rest_usd_bn, rest_usd_bn, bool(rest["about"].any())),
        "ceiling_of_total_usd_bn": rest_usd_bn,
        "paid_usd_bn": rest_paid,
        "unpaid_usd_bn": rest_usd_bn - rest_paid,
        "conditional_usd_bn": 0.0,
        "tentative_usd_bn": 0.0,
        "total_usd_bn": rest_usd_bn,
        "unsummed": "",
    }
    total = table[["paid_usd_bn", "unpaid_usd_bn", "conditional_usd_bn", "tentative_usd_bn"]].sum()
    whole = sums["raised_usd_bn"] + sums["tentative_usd_bn"]
    table.loc[TOTAL_ROW] = {
        **total.to_dict(),
        # distinct deals: an investor's part of a round is the round, counted once (so not the column's sum)
        "deals_taken_part_in": float(distinct_deals(figures)),
        "total_usd_bn": whole,
        "stated": money(whole),
    }
    table.index.name = "investor"
    return table[INVESTOR_COLUMNS].rename(columns=table_words)


# One vocabulary for capital in every chart of 02 and 03, from money_raised's one definition each.


def capital_words(totals: dict) -> str:
    """'$147.6B committed without conditions plus $35B conditional': never summed as one committed figure."""
    words = f"{money(totals['without_conditions_usd_bn'])} {WITHOUT_CONDITIONS}"
    if totals["conditional_usd_bn"] > 0:
        words += f" plus {money(totals['conditional_usd_bn'])} {CONDITIONAL}"
    return words


def distinct_deals(figures: pd.DataFrame) -> int:
    """Capital deals counted once each: a round with its investors' parts is one deal."""
    deals = investor_deals(figures)
    return int(deals["part_of"].where(deals["part_of"].notna(), deals["event"]).nunique())


def table_words(column: str) -> str:
    """A money column under its word in the vocabulary: 'unpaid_usd_bn' -> 'committed_usd_bn'."""
    if column in MONEY_KINDS:
        return MONEY_KINDS[column][0].replace(" ", "_") + "_usd_bn"
    return {"paid_at_close_usd_bn": "of_which_at_closings_usd_bn", "total_usd_bn": "total_not_conditional_usd_bn"}.get(
        column, column
    )  # paid in plus committed: never conditional money, never talks or press reports


def _short(block: str) -> str:
    """A block's name for a sentence, without its status and date: 'the 2026 funding round'."""
    return block.split(" (")[0]


def condition_words(figures: pd.DataFrame) -> str:
    """'Amazon's $35B, due only if OpenAI files for a stock-market listing ... before end-2028'."""
    triggered = set(trigger_reports(figures)["event"])
    clause = trigger_clause(figures)  # a listing filing reported since: said beside the amount it may trigger
    return listed(
        [
            f"{r.investor}'s {money(r.value)}, due only {r.condition}{clause if r.event in triggered else ''}"
            for r in conditions(figures).itertuples()
        ]
        or ["none"]
    )


def money_box(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """The one box of money into OpenAI, in the one vocabulary: paid in, committed, raised, conditional,
    talks and press reports. Every total of 01-03 is read from this box."""
    sums = raised_totals(money_raised(figures, firm_statuses))
    words = {column: word for column, (word, _) in MONEY_KINDS.items()}
    means = {column: meaning for column, (_, meaning) in MONEY_KINDS.items()}
    rows = [
        (words["paid_usd_bn"], sums["paid_usd_bn"], means["paid_usd_bn"]),
        (words["unpaid_usd_bn"], sums["unpaid_usd_bn"], means["unpaid_usd_bn"]),
        (f"{RAISED_WORD} ({words['paid_usd_bn']} + {words['unpaid_usd_bn']})", sums["raised_usd_bn"], ""),
        (words["conditional_usd_bn"], sums["conditional_usd_bn"], f"{condition_words(figures)}; not raised"),
        (words["tentative_usd_bn"], sums["tentative_usd_bn"], means["tentative_usd_bn"]),
    ]
    box = pd.DataFrame(rows, columns=["money", "amount_usd_bn", "what_it_means"]).set_index("money")
    box["share_of_raised"] = box["amount_usd_bn"] / sums["raised_usd_bn"]
    box.loc[box.index[3:], "share_of_raised"] = NAN  # not part of raised: no share of it
    return box[["amount_usd_bn", "share_of_raised", "what_it_means"]]


def biggest_round_sentence(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The largest block of money raised against all earlier blocks, conditional money out of both sides."""
    blocks = money_raised(figures, firm_statuses)
    raised = blocks["paid_usd_bn"] + blocks["unpaid_usd_bn"]
    biggest = raised.idxmax()
    row = blocks.loc[biggest]
    earlier = float(raised.drop(biggest).sum())
    conditional = (
        f", plus {money(row['conditional_usd_bn'])} conditional that is not counted"
        if row["conditional_usd_bn"] > 0
        else ""
    )
    return (
        f"{_short(row['block'])[0].upper()}{_short(row['block'])[1:]} raised {money(raised[biggest])}{conditional}: "
        f"{raised[biggest] / earlier:.1f}x all the other money raised combined ({money(earlier)}) and "
        f"{raised[biggest] / raised.sum():.0%} of the {money(raised.sum())} {RAISED_WORD}."
    )


def raised_table(blocks: pd.DataFrame) -> pd.DataFrame:
    """Money per deal in the box's words; its total is what was raised (paid in plus committed), never conditional."""
    table = blocks.set_index("block").drop(columns=["event"])
    table["total_usd_bn"] = table["paid_usd_bn"] + table["unpaid_usd_bn"]
    return table.rename(columns=table_words)


def cross_check_sentence(figures: pd.DataFrame, firm: tuple[str, ...], sources: pd.DataFrame | None = None) -> str:
    """The ledger's running total on the day a report gave the money raised to date, firm deals apart from press."""
    check = figures.query("event == 'funding-total'").sort_values("reported_on").iloc[-1]

    def on_the_day(statuses: tuple[str, ...]) -> float:
        running = raised_over_time(figures, statuses)
        return float(running[running["reported_on"] <= check["reported_on"]].iloc[-1]["total_usd_bn"])

    firm_usd_bn, with_press_usd_bn = on_the_day(firm), on_the_day(firm + ("reported",))
    press = (
        f" ({money(with_press_usd_bn)} counting amounts then known only from press reports)"
        if with_press_usd_bn > firm_usd_bn
        else ""
    )
    return (
        f"A cross-check: on {check['reported_on']:%d %b %Y}, deals in the ledger that were announced, signed or "
        f"closed had raised {money(firm_usd_bn)}{press}; a report that day put the money raised to date at "
        f"{stated(check)}{_flag(check['source_ids'], sources)}."
    )


def _flag(source_ids: str, sources: pd.DataFrame | None) -> str:
    """The aggregator flag where the sources are given (a takeaway states it; a test may omit them)."""
    return "" if sources is None else aggregator_flag(source_ids, sources)


def aggregator_money(figures: pd.DataFrame, sources: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.Series:
    """Money raised and paid in, in blocks whose total rests on aggregator pages only (a block from an investor's
    own filing is first hand), and those blocks' names: the part of the box a reader should weigh as second hand."""
    blocks = money_raised(figures, firm_statuses)
    events = latest(capital_events(figures), ["event"]).set_index("event")["source_ids"]
    second_hand = blocks["event"].map(lambda e: e in events.index and aggregator_only(events[e], sources))
    raised = blocks["paid_usd_bn"] + blocks["unpaid_usd_bn"]
    return pd.Series(
        {
            "raised_usd_bn": float(raised[second_hand].sum()),
            "paid_usd_bn": float(blocks.loc[second_hand, "paid_usd_bn"].sum()),
            "blocks": listed([_short(b) for b in blocks.loc[second_hand, "block"]]),
        }
    )


def filed_total_note(figures: pd.DataFrame, investor: str = "Microsoft") -> str:
    """One short line under the money box: what an investor's filed total is made of and that the box counts it
    once (its shares of rounds sit only in those rounds' totals); '' for an investor with no filed total."""
    filed = filed_totals(figures).set_index(["investor", "basis"])
    if (investor, "committed") not in filed.index:
        return ""
    committed = filed.loc[(investor, "committed")]
    deals = investor_deals(figures)
    own = deals[deals["investor"].eq(investor) & deals["part_of"].isna()]
    parts = " + ".join(describe_value(r.total_usd_bn, r.qualifier, NAN, NAN, "usd_bn") for r in own.itertuples())
    rounds = investor_summary(figures).at[investor, "unsummed"].replace("; ", " and ")
    # the same total already reported on the day the investor's first round share was: the share came after it
    in_rounds = figures[
        figures["event"].isin(deals.loc[deals["investor"].eq(investor), "event"])
        & figures["part_of"].notna()
        & figures["value"].notna()
    ].sort_values("reported_on")
    earlier = (
        figures[
            figures["event"].eq(committed["event"])
            & figures["value"].eq(committed["value"])
            & (figures["reported_on"] <= in_rounds["reported_on"].iloc[0])
        ]
        if len(in_rounds)
        else figures.iloc[:0]
    )
    before = (
        f"; a report gave the same total on {earlier['reported_on'].min():%-d %b %Y}, as the "
        f"{deal_name(figures, in_rounds.iloc[0])} was announced"
        if len(earlier)
        else ""
    )
    return (
        f"{investor}'s {money(committed['value'])} is the total its 10-Q gives for its {len(own)} investments outside "
        f"rounds ({parts} as the press reported them), counted once{before}. Its shares of rounds, {rounds}, sit "
        "only inside those rounds' totals."
    )


def conditional_post_money_sentence(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The last post-money counts the round's conditional money as if it were in: the same value without it, since a
    stake is a cheque over the post-money ('' when the last round has no conditional money)."""
    posts = valuation_marks(figures).query("metric == 'post_money' and status in @firm_statuses")
    if posts.empty:
        return ""
    last = posts.iloc[-1]
    blocks = money_raised(figures, firm_statuses)
    conditional = float(blocks.loc[blocks["event"].eq(last["event"]), "conditional_usd_bn"].sum())
    if conditional <= 0 or pd.isna(last["value"]):
        return ""
    without = float(last["value"]) - conditional
    tranches = conditions(figures)
    names = list(dict.fromkeys(tranches.loc[tranches["part_of"].eq(last["event"]), "investor"]))
    return (
        f"The {money(last['value'])} counts {listed(names) or 'the round'}'s {CONDITIONAL} {money(conditional)} as if "
        f"it had come in; without it the post-money is {money(without)}, so a stake bought in the "
        f"round (its cheque over the post-money) is {float(last['value']) / without - 1:.0%} larger than "
        f"{money(last['value'])} implies until the condition is met."
    )


def stated_total_note(figures: pd.DataFrame, investor: str, raised_usd_bn: float) -> str:
    """Why an investor's own stated total exceeds the money it put into OpenAI: its employee-share purchases."""
    rows = figures[
        (figures["subject"] == investor) & (figures["metric"] == "cumulative_amount") & (figures["reading"] == "used")
    ]
    if rows.empty:
        return ""
    stated_usd_bn = float(rows["value"].max())
    gap_usd_bn = stated_usd_bn - raised_usd_bn
    if gap_usd_bn <= 0.05:
        return ""
    # employee share sales pay the sellers, not OpenAI; those bought alone are summable, joint ones are not split
    sales = figures[
        (figures["category"] == "secondary_sale") & (figures["metric"] == "amount") & (figures["reading"] == "used")
    ]
    alone = sales[sales["subject"] == investor]
    joint = sales[sales["subject"].str.contains(investor, regex=False) & (sales["subject"] != investor)]
    about = "about " if (alone["qualifier"] != "exact").any() else ""
    bought = f"{about}{money(alone['value'].sum())} of employee shares it bought alone"
    if not joint.empty:
        bought += f" and part of {listed([money(v) for v in joint['value']])} bought with others"
    return (
        f"{investor} itself states {money(stated_usd_bn)} in all, {money(gap_usd_bn)} more than raised here: "
        f"its total counts {bought}, money paid to the sellers, not to OpenAI."
    )
