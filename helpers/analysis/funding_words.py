"""Notebook 02 in words and tables: the bottom line, the sentences after each chart, and the investor table, all
computed from the numbers in funding.py.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis.funding import (
    CONDITIONAL,
    INTO_OPENAI,
    NAN,
    WITHOUT_CONDITIONS,
    capital_events,
    cumulative_capital,
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
    years_between,
)
from helpers.analysis.scenario_words import per_share_sentence
from helpers.analysis.valuation import step_up
from helpers.data.views import describe_value, stated
from helpers.notebook.prose import listed, month_year
from helpers.notebook.tables import money


def raised_lines(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> list[str]:
    """Money raised, led by what was reported paid in, then committed without conditions, then conditional."""
    blocks = money_raised(figures, firm_statuses)
    sums = raised_totals(blocks)
    investors = investor_summary(figures)
    payers = investors[investors["paid_in_usd_bn"] > 0].sort_values("paid_in_usd_bn", ascending=False)
    paid = listed(
        [f"{money(row.paid_in_usd_bn)} from {name} by {month_year(row.paid_as_of)}" for name, row in payers.iterrows()]
    )
    unpaid_blocks = blocks[blocks["unpaid_usd_bn"] > 0].sort_values("unpaid_usd_bn", ascending=False)
    unpaid = listed([f"{money(row.unpaid_usd_bn)} of {row.block}" for row in unpaid_blocks.itertuples()])
    deals = investor_deals(figures)
    conditional_rows = used_rows(figures).query("basis == 'conditional' and category == 'equity_investment'")
    conditional = listed(
        [
            f"{money(row.conditional_usd_bn)} from {row.investor}"
            + _due(conditional_rows[conditional_rows["event"] == row.event])
            for row in deals[deals["conditional_usd_bn"] > 0].itertuples()
        ]
        or ["none"]
    )
    lines = [
        f"- **{money(sums['paid_usd_bn'])}** has been reported paid in to OpenAI ({paid}).",
        f"- A further **{money(sums['unpaid_usd_bn'])}** is committed without conditions but not reported paid "
        f"({unpaid}); a payment nobody reported is not counted as paid.",
        f"- **{money(sums['conditional_usd_bn'])}** more is conditional ({conditional}): "
        "conditional money is not money raised.",
    ]
    if sums["tentative_usd_bn"] > 0:
        lines.append(f"- {money(sums['tentative_usd_bn'])} more rests on press reports or talks only.")
    return lines


def _due(rows: pd.DataFrame) -> str:
    """', due on a trigger before end-2028' from the latest conditional report, if it gives a year."""
    if rows.empty:
        return ""
    row = rows.sort_values(["reported_on", "figure_id"]).iloc[-1]
    by = f" before end-{int(row['end_year'])}" if pd.notna(row["end_year"]) else ""
    return f", reported {month_year(row['reported_on'])}, due only if a condition is met{by}"


def microsoft_sentence(figures: pd.DataFrame, investor: str = "Microsoft") -> str:
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
        f"{investor}: **{money(committed['value'])} committed** and **{money(funded['value'])} paid in** by "
        f"{month_year(funded['as_of'])}, per its filing ({committed['figure_id']}, {funded['figure_id']}). "
        f"Its deals outside rounds, as the press reported them ({parts}), come to about "
        f"{money(row['replaced_deals_usd_bn'])}, so the filed total is the one used"
    )
    if row["unsummed"]:
        text += f"; not added, because they are bounds or undisclosed: {row['unsummed']}"
    return text + "."


def _difference(total_usd_bn: float, firm: pd.Series, figures: pd.DataFrame) -> str:
    """Why the deal-by-deal firm total differs from the total used, when it does."""
    gap = total_usd_bn - firm["total_usd_bn"]
    if math.isclose(gap, 0.0, abs_tol=1e-9):
        return ""
    filers = listed(list(filed_totals(figures).query("basis == 'committed'")["investor"].unique()) or ["investors"])
    return (
        f"Adding up only the deals announced or closed gives {money(firm['total_usd_bn'])} "
        f"({month_year(firm['reported_on'])}): the {money(abs(gap))} gap is {filers}'s deals outside rounds, which rest "
        "on press reports and count here at the total its own filing gives."
    )


def bottom_line(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The funding notebook's bottom line, computed from the ledger."""
    events = capital_events(figures)
    firm = cumulative_capital(events, firm_statuses).iloc[-1]
    sums = raised_totals(money_raised(figures, firm_statuses))
    committed = sums["total_usd_bn"] - sums["tentative_usd_bn"]  # press reports and talks are listed apart
    posts = valuation_marks(figures).query("metric == 'post_money' and status in @firm_statuses")
    first, last = posts.iloc[0], posts.iloc[-1]
    years = years_between(first["reported_on"], last["reported_on"])
    investors = investor_summary(figures)
    top = investors.head(3)
    backers = "; ".join(
        f"{name} {describe_bounds(row.committed_usd_bn + row.tentative_usd_bn, row.ceiling_usd_bn, row.approximate)} "
        + (
            f"({money(row.paid_in_usd_bn)} paid in by {month_year(row.paid_as_of)})"
            if row.paid_in_usd_bn > 0
            else "(none reported paid in)"
        )
        + (
            f", of which {money(row.upfront_usd_bn)} up front and {money(row.conditional_usd_bn)} conditional"
            if row.conditional_usd_bn > 0
            else ""
        )
        for name, row in top.iterrows()
    )
    talks = valuation_marks(figures).query("event == 'amazon-investment'").iloc[0]
    listing = valuation_marks(figures).query("category == 'listing'").iloc[0]
    tranches = tranche_sentence(figures)
    return "\n".join(
        [
            *raised_lines(figures, firm_statuses),
            *([f"- {tranches[:1].upper()}{tranches[1:]}"] if tranches else []),
            f"- Together: **{money(committed)}** in rounds and investments (latest payment reported "
            f"{month_year(sums['paid_as_of'])}). {_difference(committed, firm, figures)}".strip(),
            f"- Its post-money value went from **{money(first['value'])}** ({month_year(first['reported_on'])}) to "
            f"**{money(last['value'])}** ({month_year(last['reported_on'])}): {step_up(first['value'], last['value']):.1f}x "
            f"in {years:.1f} years, counting the new money the rounds raised. {per_share_sentence(figures)}",
            f"- Largest backers by commitment: {backers}.",
            f"- {microsoft_sentence(figures)}",
            f"- The Amazon talks ({month_year(talks['reported_on'])}) put the value at {stated(talks)}; "
            f"a listing was talked about ({month_year(listing['reported_on'])}) at {stated(listing)}.",
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
            bits.append(f"{money(row['paid_in_usd_bn'])} reported paid in by {month_year(row['paid_as_of'])}")
        else:
            bits.append("none reported paid in")
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
        f"{row.investor}'s {money(row.value)} tranche of the {deal_name(figures, row)} ({row.figure_id}) was due "
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
            f"{describe_bounds(r.rest_floor_usd_bn, r.rest_usd_bn, r.about)} of {r.block} ({money(r.round_usd_bn)})"
            for r in shown.itertuples()
        ]
        or ["none"]
    )
    return (
        f"The investor rows add up to {near}{money(named)} of the {money(sums['total_usd_bn'])} in rounds and "
        f"investments. The remaining {near}{money(sums['total_usd_bn'] - named)} is round money that the ledger does not "
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
            f"{investor}'s own expected total is {stated(row)} ({row['figure_id']}, {month_year(row['reported_on'])}), "
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


INVESTOR_COLUMNS = [
    "deals",
    "committed_usd_bn",
    "tentative_usd_bn",
    "ceiling_usd_bn",
    "upfront_usd_bn",
    "conditional_usd_bn",
    "paid_in_usd_bn",
    "undisclosed_deals",
    "unsummed",
]


def investor_table(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """Per investor, then the round money no named investor accounts for, then the total: the committed column
    adds up to the money raised. A ceiling of NaN means none (an open or undisclosed part)."""
    summary = investor_summary(figures)
    investors = summary[INVESTOR_COLUMNS].copy()
    investors.insert(
        0,
        "stated",
        [
            describe_bounds(r.committed_usd_bn + r.tentative_usd_bn, r.ceiling_usd_bn, r.approximate)
            for r in summary.itertuples()
        ],
    )
    investors["ceiling_usd_bn"] = investors["ceiling_usd_bn"].where(~investors["ceiling_usd_bn"].map(math.isinf))
    rest = unattributed(figures, firm_statuses)
    sums = raised_totals(money_raised(figures, firm_statuses))
    investors.loc["other or unnamed investors (at most)"] = {
        "stated": describe_bounds(0.0, float(rest["rest_usd_bn"].sum()), bool(rest["about"].any())),
        "committed_usd_bn": float(rest["rest_usd_bn"].sum()),
        "tentative_usd_bn": 0.0,
        "paid_in_usd_bn": sums["paid_usd_bn"] - float(investors["paid_in_usd_bn"].sum()),
        "unsummed": "",
    }
    total = investors[["committed_usd_bn", "tentative_usd_bn", "upfront_usd_bn", "conditional_usd_bn"]].sum()
    investors.loc["total"] = {
        **total.to_dict(),
        "stated": money(sums["total_usd_bn"]),
        "paid_in_usd_bn": sums["paid_usd_bn"],
        "deals": float(investors["deals"].sum()),
        "unsummed": "",
    }
    investors.index.name = "investor"
    return investors


# One vocabulary for capital in every chart of 02 and 03, from money_raised's one definition each.


def capital_words(totals: dict) -> str:
    """'$147.6B committed without conditions plus $35B conditional': never summed as one committed figure."""
    words = f"{money(totals['without_conditions_usd_bn'])} {WITHOUT_CONDITIONS}"
    if totals["conditional_usd_bn"] > 0:
        words += f" plus {money(totals['conditional_usd_bn'])} {CONDITIONAL}"
    return words
