"""Notebook 04's readings of the ledger: each reading the arithmetic rests on, with its alternative and what it changes.

Split from scenario_words.py (the words of the tables and the bottom line) to keep each module to one job.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.scenario_words import _event_amounts, shown
from helpers.analysis.scenarios import Parameters, latest_mark, priced_rounds, revenue_before
from helpers.analysis.valuation import with_bound
from helpers.data.views import aggregator_flag, stated
from helpers.data.vocabulary import DAYS_PER_YEAR, FIRM_STATUSES
from helpers.notebook.tables import money


def subject_of(row: pd.Series) -> str:
    """The investor a row's money comes from."""
    return str(row["subject"])


def _month(period: str) -> str:
    """'2026-10' -> 'October 2026'."""
    return f"{pd.Timestamp(period + '-01'):%B %Y}"


def listing_filings(figures: pd.DataFrame) -> pd.DataFrame:
    """Listing steps the company itself announced (a listing row with a firm status, such as the June 2026 filing):
    found by category and status, never by a note's wording, so editing a note cannot change the prose."""
    return figures[figures["category"].eq("listing") & figures["status"].isin(FIRM_STATUSES)]


def conditional_text(
    figures: pd.DataFrame,
    latest: pd.Series,
    investment_usd_bn: float,
    listing_on: pd.Timestamp | None,
    sources: pd.DataFrame | None = None,
) -> str:
    """The conditional tranche inside the latest post-money: its condition, why a listing makes it due, and the
    post-money that would hold only if it is never paid; '' when the latest round has none. Given the sources, a
    listing filing known only from aggregator pages says so."""
    conditional = _event_amounts(figures, latest["event"])
    conditional = conditional[conditional["basis"].eq("conditional")]
    if conditional.empty:
        return ""
    c = conditional.sort_values("value").iloc[-1]
    price, amount = float(latest["valuation_usd_bn"]), float(c["value"])
    without = price - amount
    deadline = pd.Timestamp(int(c["end_year"]) + 1, 1, 1) if pd.notna(c["end_year"]) else None
    by = f" before the end of {int(c['end_year'])}" if deadline is not None else ""
    filing = listing_filings(figures)
    filing = filing[filing["reported_on"] > c["reported_on"]]
    filing_ids = ";".join(sorted({i for ids in filing["source_ids"] for i in ids.split(";")}))
    flag = aggregator_flag(filing_ids, sources) if sources is not None else ""
    filed = (
        f" OpenAI's confidential listing filing, confirmed in {filing['reported_on'].min():%B %Y}{flag}, may "
        "already have "
        f"made it due; no payment of it is reported."
        if len(filing)
        else ""
    )
    # a listing needs a filing first, so a listing by the deadline makes the tranche due in every listing outcome
    if listing_on is not None and deadline is not None and listing_on < deadline:
        holds = (
            f" A listing needs a filing first, and the assumed listing ({listing_on:%b %Y}) comes before the end of "
            f"{int(c['end_year'])}, so the tranche is due in every outcome with a listing: the "
            f"{money(price)} post-money, at the round's price, holds for every listing value here."
        )
    elif listing_on is not None and deadline is not None:
        holds = (
            f" The assumed listing ({listing_on:%b %Y}) comes after the end of {int(c['end_year'])}: the tranche is "
            f"due only if the filing comes before then."
        )
    else:
        holds = " A listing needs a filing first, so a listing by then makes the tranche due."
    committed = _event_amounts(figures, latest["event"])
    committed = committed[committed["basis"].eq("committed") & committed["period"].notna()]
    later = "".join(
        f" It also counts {subject_of(r)}'s {money(float(r['value']))} due {_month(r['period'])}, not reported paid."
        for _, r in committed.iterrows()
    )
    return (
        f"- The {money(price)} post-money counts {subject_of(c)}'s conditional {money(amount)}, due if OpenAI filed "
        f"for a listing or reached an undisclosed milestone{by}.{holds}{filed}{later} Only if the "
        f"{money(amount)} is never paid (no filing and no milestone{by}, so no listing by then) would the post-money "
        f"be {money(without)}, and {money(investment_usd_bn)} would buy {investment_usd_bn / without:.2%}, not "
        f"{investment_usd_bn / price:.2%}; that reading belongs only to the outcome without a listing, where it "
        f"would raise that buyer's stake, and its multiple, by {price / without - 1:.1%}."
    )


def run_rate_text(
    figures: pd.DataFrame, latest_id: str, latest: pd.Series, numbers: pd.DataFrame | None, bounds: pd.DataFrame | None
) -> str:
    """The price over the monthly revenue stated with the close, beside the ratio the table shows (the last run rate
    reported before the close); '' when no monthly revenue came with the close."""
    monthly = figures[
        figures["reading"].eq("used")
        & figures["category"].eq("revenue")
        & figures["metric"].eq("revenue")
        & figures["period"].str.fullmatch(r"\d{4}-\d{2}").fillna(False)
        & figures["reported_on"].eq(latest["reported_on"])
    ]
    if monthly.empty:
        return ""
    m = monthly.iloc[-1]
    bound = valuation.bound_of(m["qualifier"])
    yearly = 12 * float(m["value"])
    price = float(latest["valuation_usd_bn"])
    text = (
        f"- With the close, the company put revenue at {stated(m)} a month, {with_bound(money(yearly), bound)} a "
        f"year; the {money(price)} price is {with_bound(format(price / yearly, '.1f') + 'x', bound)} that."
    )
    # the side-by-side divides by the newest run rate reported before the close: say which, with its bound
    before = revenue_before(figures, latest["reported_on"], "run_rate")
    if before is None or numbers is None or bounds is None:
        return text
    ratio = shown(
        "price_to_run_rate", numbers.at["price_to_run_rate", latest_id], bounds.at["price_to_run_rate", latest_id]
    )
    return (
        f"{text} The table below divides by the last run rate reported before the close instead: {ratio} on "
        f"the run rate of {stated(before)} for {_month(before['period'])}."
    )


def closed_size_text(figures: pd.DataFrame, mark_table: pd.DataFrame) -> list[str]:
    """For a round that dilutes a mark and closed bigger than post- minus pre-money: which size the dilution uses."""
    rounds = priced_rounds(figures)
    lines = []
    for event, r in rounds.iterrows():
        earlier = mark_table[mark_table["reported_on"] < r["priced_on"]]
        sized = figures[
            figures["event"].eq(event)
            & figures["reading"].eq("used")
            & figures["category"].eq("funding_round")
            & figures["metric"].eq("amount")
            & figures["status"].eq("closed")
        ]
        if earlier.empty or sized.empty:
            continue
        size = float(sized.sort_values(["reported_on", "figure_id"]).iloc[-1]["value"])
        pre, post = float(r["pre_money_usd_bn"]), float(r["post_money_usd_bn"])
        if money(pre + size) == money(post):
            continue
        kept_closed = pre / (pre + size)
        lines.append(
            f"- The {r['deal']}'s dilution uses its {money(post)} post-money, the price the round set and the value "
            f"reported for it (pre-money {money(pre)}: x{r['kept_share']:.3f}). It closed at {money(size)}, not the "
            f"{money(post - pre)} priced; had all of it bought shares at the same pre-money, the post-money would be "
            f"{money(pre + size)} and an earlier holder would keep x{kept_closed:.3f}, every multiple for the buyers "
            f"before it {1 - kept_closed / r['kept_share']:.1%} lower."
        )
    return lines


def paid_later_text(
    figures: pd.DataFrame, mark_table: pd.DataFrame, numbers: pd.DataFrame | None, bounds: pd.DataFrame | None
) -> list[str]:
    """For a round priced before it closed: years held count from the price, though part of the money came later."""
    lines = []
    for m, row in mark_table[mark_table["closed_on"] > mark_table["reported_on"]].iterrows():
        parts = figures[
            (figures["event"].eq(row["event"]) | figures["part_of"].eq(row["event"]))
            & figures["reading"].eq("used")
            & figures["metric"].eq("amount")
            & figures["basis"].eq("funded")
            & figures["status"].isin(FIRM_STATUSES)
            & figures["period"].notna()
        ]
        at_close = parts[parts["period"].eq(f"{row['closed_on']:%Y-%m}")]
        sized = _event_amounts(figures, row["event"])
        sized = sized[sized["category"].eq("funding_round")]
        if at_close.empty:
            continue
        paid = float(at_close["value"].sum())
        of = f" of its {money(float(sized.sort_values('reported_on').iloc[-1]['value']))}" if len(sized) else ""
        text = (
            f"- Years held for a buyer in the {row['label']} count from its pricing, {row['reported_on']:%-d %b %Y}, "
            f"although {money(paid)}{of} was paid only at the close, {row['closed_on']:%B %Y}: money paid then was "
            f"held for less time, so the annual return shown understates what it earned."
        )
        if numbers is not None and bounds is not None:
            years = (
                float(numbers.at["years_to_listing", m]) - (row["closed_on"] - row["reported_on"]).days / DAYS_PER_YEAR
            )
            annual = float(numbers.at["multiple", m]) ** (1 / years) - 1
            bound = bounds.at["annual_return", m]
            text = text[:-1] + (
                f" (money paid at the close earns the same multiple in less time: "
                f"{shown('annual_return', annual, bound)} a year, against the "
                f"{shown('annual_return', numbers.at['annual_return', m], bound)} shown)."
            )
        lines.append(text)
    return lines


def tender_text(figures: pd.DataFrame, mark_table: pd.DataFrame) -> list[str]:
    """A tender between a round's pricing and its close: read as counting the round's shares, and the alternative."""
    rounds = priced_rounds(figures)
    lines = []
    for _, t in mark_table[mark_table["kind"].eq("tender")].iterrows():
        earlier = rounds[(rounds["priced_on"] < t["reported_on"]) & (rounds["closed_on"] > t["reported_on"])]
        for _, r in earlier.iterrows():
            lines.append(
                f"- The {t['label']} ({t['reported_on']:%b %Y}) came after the {r['deal']} was priced but before it "
                f"closed. Its {money(t['valuation_usd_bn'])} is read as counting that round's shares, so the round "
                f"does not dilute it. If it left out all of that round's new money, the buyer kept at least "
                f"{valuation.round_down(r['kept_share']):.2f} of the stake and every multiple for that buyer would be "
                f"that share of the one shown."
            )
    return lines


def cheque_sentence(figures: pd.DataFrame, mark_table: pd.DataFrame, investment_usd_bn: float) -> str:
    """Say the cheque is hypothetical, naming the deals at a price paid that moved less money than it."""
    deals = figures[
        figures["event"].isin(mark_table["event"])
        & figures["reading"].eq("used")
        & figures["metric"].eq("amount")
        & figures["status"].eq("closed")
        & figures["category"].isin(["funding_round", "secondary_sale"])
        & (figures["value"] < investment_usd_bn)
    ]
    smaller = "; ".join(f"the {r['deal']} moved {money(float(r['value']))}" for _, r in deals.iterrows())
    return (
        f"- The {money(investment_usd_bn)} cheque is hypothetical"
        + (f", and larger than some whole deals at these prices ({smaller})" if smaller else "")
        + ". Dollar values scale with it; stakes' multiples and annual returns do not depend on its size."
    )


def assumptions_text(
    figures: pd.DataFrame,
    mark_table: pd.DataFrame,
    investment_usd_bn: float,
    numbers: pd.DataFrame | None = None,
    bounds: pd.DataFrame | None = None,
    listing_on: pd.Timestamp | None = None,
    sources: pd.DataFrame | None = None,
) -> str:
    """The readings of the ledger the arithmetic rests on, each with its alternative and what it changes."""
    latest_id = latest_mark(mark_table)
    latest = mark_table.loc[latest_id]
    lines = [
        conditional_text(figures, latest, investment_usd_bn, listing_on, sources),
        run_rate_text(figures, latest_id, latest, numbers, bounds),
        *closed_size_text(figures, mark_table),
        *paid_later_text(figures, mark_table, numbers, bounds),
        *tender_text(figures, mark_table),
        cheque_sentence(figures, mark_table, investment_usd_bn),
    ]
    return "\n".join(line for line in lines if line)


def period_words(period: str) -> tuple[str, pd.Timestamp]:
    """'2024-H1' -> ('the first half of 2024', 1 Jul 2024): a period in words and the first day after it."""
    year, _, part = period.partition("-")
    start = pd.Timestamp(int(year), 1, 1)
    if not part:
        return year, start + pd.DateOffset(years=1)
    if part[0] == "H":
        half = int(part[1])
        return f"the {('first', 'second')[half - 1]} half of {year}", start + pd.DateOffset(months=6 * half)
    if part[0] == "Q":
        quarter = int(part[1])
        return f"the {('first', 'second', 'third', 'fourth')[quarter - 1]} quarter of {year}", start + pd.DateOffset(
            months=3 * quarter
        )
    month = pd.Timestamp(f"{period}-01")
    return f"{month:%B %Y}", month + pd.DateOffset(months=1)


def undated_prices_text(
    figures: pd.DataFrame, mark_table: pd.DataFrame, listing_row: pd.Series, params: Parameters
) -> str:
    """The prices paid left out as entries because the ledger dates them only to a period, and the multiple each
    would give at the listing (a multiple needs no date; an annual return, a hurdle and a present value do)."""
    rounds = priced_rounds(figures)
    names = dict(zip(mark_table["event"], mark_table["label"], strict=True))
    lines = []
    for _, r in valuation.undated_prices(figures).iterrows():
        words, after = period_words(str(r["period"]))
        # every round priced after the period diluted a buyer in it, whatever the day of the sale
        later = rounds[rounds["priced_on"] >= after]
        kept = float(later["kept_share"].prod())
        kept_bound = valuation.combined(*later["kept_bound"]) if len(later) else "exact"
        outcome = valuation.listing_outcome(
            params.investment_usd_bn,
            float(r["value"]),
            params.listing_valuation_usd_bn,
            1 - kept * (1 - params.dilution_to_listing),
            1.0,  # the annual return is not used: no date to count years from
        )
        bound = valuation.combined(
            listing_row["bound"], valuation.flipped(valuation.bound_of(r["qualifier"])), kept_bound
        )
        named = [f"the {names.get(e, later.at[e, 'deal'])}" for e in later.index]
        by = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else "".join(named)
        deal = str(r["deal"])
        lines.append(
            f"- Left out as an entry: the {deal[:1].lower() + deal[1:]} at {stated(r)} "
            f"({str(r['status']).replace('_', ' ')}, reported {r['reported_on']:%b %Y}). The ledger dates its price "
            f"only to {words}, so there is no day to count years held from, and no annual return, hurdle or present "
            f"value. Its multiple needs no date: diluted by {by or 'no later round'} "
            f"({shown('kept_share', kept, kept_bound)}) and the assumed {params.dilution_to_listing:.0%}, a buyer "
            f"there would hold {shown('multiple', float(outcome['multiple']), bound)} at the listing."
        )
    return "\n".join(lines)
