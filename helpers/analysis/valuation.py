"""Valuation arithmetic: pure functions on numbers or numpy arrays (money in $B, rates and stakes as fractions).

Every function broadcasts, so the sensitivity grid is one vectorised call rather than a Python loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers.data.vocabulary import BOUND_OF_QUALIFIER, BOUND_WORDS, FIRM_STATUSES


def step_up(from_value: ArrayLike, to_value: ArrayLike) -> ArrayLike:
    """How many times larger `to_value` is than `from_value`."""
    return np.divide(to_value, from_value)


def implied_cagr(start: ArrayLike, end: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Compound annual growth that turns `start` into `end` over `years` (years > 0)."""
    years = np.asarray(years, dtype=float)
    if np.any(years <= 0):
        raise ValueError("years must be above 0")
    return np.power(np.divide(end, start), 1.0 / years) - 1.0


def grow(start: ArrayLike, rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Value after compounding `start` at `rate` a year for `years`."""
    return np.multiply(start, np.power(np.add(1.0, rate), years))


def post_money(pre_money_usd_bn: ArrayLike, new_money_usd_bn: ArrayLike) -> ArrayLike:
    """Post-money value of a round: its pre-money value plus ALL the new money the round raises (not one cheque)."""
    return np.add(pre_money_usd_bn, new_money_usd_bn)


def stake_bought(investment: ArrayLike, post_money_value: ArrayLike) -> ArrayLike:
    """Share of the company a cheque buys in a round: the cheque over the round's post-money value."""
    return np.divide(investment, post_money_value)


def check_dilution(dilution: ArrayLike) -> None:
    """Raise unless every dilution lies in [0, 1)."""
    values = np.asarray(dilution, dtype=float)
    if np.any(np.isnan(values)) or np.any(values < 0) or np.any(values >= 1):
        raise ValueError("dilution must be at least 0 and below 1")


def dilute(stake: ArrayLike, dilution: ArrayLike) -> ArrayLike:
    """Stake left after new shares take `dilution` of the company (0 <= dilution < 1)."""
    check_dilution(dilution)
    return np.multiply(stake, np.subtract(1.0, dilution))


def combined_dilution(*rounds: float) -> float:
    """Dilution of several rounds in a row: 1 - (1 - d1)(1 - d2)..."""
    check_dilution(list(rounds) or [0.0])
    return float(1.0 - np.prod([1.0 - d for d in rounds]))


def stake_value(stake: ArrayLike, company_value: ArrayLike) -> ArrayLike:
    """Value of a stake in a company worth `company_value`."""
    return np.multiply(stake, company_value)


def multiple(value: ArrayLike, investment: ArrayLike) -> ArrayLike:
    """Money multiple: what the stake is worth over what was paid."""
    return np.divide(value, investment)


def annual_return(money_multiple: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Annualized return of a money multiple earned over `years` (years > 0)."""
    return implied_cagr(1.0, money_multiple, years)


def implied_revenue_multiple(valuation: ArrayLike, revenue: ArrayLike) -> ArrayLike:
    """Valuation over revenue (price to sales)."""
    return np.divide(valuation, revenue)


def required_revenue(valuation: ArrayLike, revenue_multiple: ArrayLike) -> ArrayLike:
    """Revenue a valuation needs to trade at a given price-to-sales multiple."""
    return np.divide(valuation, revenue_multiple)


def breakeven_listing(entry_post_money: ArrayLike, dilution: ArrayLike) -> ArrayLike:
    """Listing value at which a stake bought at `entry_post_money` is worth its cheque again, after `dilution`."""
    check_dilution(dilution)
    return np.divide(entry_post_money, np.subtract(1.0, dilution))


def listing_outcome(
    investment: ArrayLike, entry_post_money: ArrayLike, listing_value: ArrayLike, dilution: ArrayLike, years: ArrayLike
) -> dict[str, ArrayLike]:
    """Stake, its value at listing after dilution, the multiple and the annual return; broadcasts."""
    stake = stake_bought(investment, entry_post_money)
    diluted = dilute(stake, dilution)
    value = stake_value(diluted, listing_value)
    money_multiple = multiple(value, investment)
    return {
        "stake": stake,
        "diluted_stake": diluted,
        "value": value,
        "multiple": money_multiple,
        "annual_return": annual_return(money_multiple, years),
    }


# --- bounds: "more than $500B" stays a floor and "up to $1T" a ceiling through every calculation ----------------


def bound_of(qualifier: str) -> str:
    """The direction a ledger qualifier gives a value: 'more than' is at_least (a floor), 'up to' at_most (a ceiling)."""
    try:
        return BOUND_OF_QUALIFIER[qualifier]
    except KeyError:
        raise ValueError(f"no single-value bound for qualifier {qualifier!r}") from None


def flipped(bound: str) -> str:
    """The bound of a quantity that falls as the input rises (a floor on the price is a ceiling on the multiple)."""
    return {"at_least": "at_most", "at_most": "at_least"}.get(bound, bound)


def combined(*bounds: str) -> str:
    """Bound of a result that rises with every input: floors with floors stay floors; a floor and a ceiling, unknown."""
    directions = {b for b in bounds if b in ("at_least", "at_most", "unknown")}
    if "unknown" in directions or len(directions) > 1:
        return "unknown"
    if directions:
        return directions.pop()
    return "about" if "about" in bounds else "exact"


def multiple_bound(entry_bound: str, listing_bound: str, dilution_bound: str = "exact") -> str:
    """Bound of a money multiple: it rises with the listing value and falls with the entry price and the dilution."""
    return combined(listing_bound, flipped(entry_bound), flipped(dilution_bound))


def with_bound(text: str, bound: str) -> str:
    """'at most 1.80x', 'about $1T', '1.06x': a formatted number with its bound in words."""
    return BOUND_WORDS[bound] + text


# --- time value, a listing that may not happen, value per share ---------------------------------------------------


def present_value(value: ArrayLike, hurdle_rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Value today of `value` received after `years`, discounted at `hurdle_rate` a year."""
    return np.divide(value, np.power(np.add(1.0, hurdle_rate), years))


def chance_needed(target_multiple: float, listed_multiple: float, unlisted_multiple: float) -> float:
    """Chance of a listing at which the expected multiple equals `target_multiple`; above 1 means out of reach."""
    if listed_multiple == unlisted_multiple:
        return float("nan")
    return (target_multiple - unlisted_multiple) / (listed_multiple - unlisted_multiple)


def round_down(value: float, places: int = 2) -> float:
    """A floor shown to `places` decimals: rounded down, so rounding never overstates it."""
    return float(np.floor(np.round(value * 10**places, 9)) / 10**places)


def round_up(value: float, places: int = 2) -> float:
    """A ceiling shown to `places` decimals: rounded up, so rounding never understates it."""
    return float(np.ceil(np.round(value * 10**places, 9)) / 10**places)


def hurdle_multiple(hurdle_rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Money multiple that just earns `hurdle_rate` a year over `years`: (1 + rate) ** years."""
    return np.power(np.add(1.0, hurdle_rate), years)


def breakeven_listing_at_hurdle(
    entry_post_money: ArrayLike, kept_share: ArrayLike, dilution: ArrayLike, hurdle_rate: ArrayLike, years: ArrayLike
) -> ArrayLike:
    """Listing value at which a stake earns exactly `hurdle_rate` a year: entry / kept / (1 - dilution) x hurdle multiple."""
    check_dilution(dilution)
    at_zero = np.divide(np.divide(entry_post_money, kept_share), np.subtract(1.0, dilution))
    return np.multiply(at_zero, hurdle_multiple(hurdle_rate, years))


def expected_multiple(listing_chance: ArrayLike, listed_multiple: ArrayLike, unlisted_multiple: ArrayLike) -> ArrayLike:
    """Probability-weighted multiple: the listed outcome with the chance of a listing, the other outcome otherwise."""
    chance = np.asarray(listing_chance, dtype=float)
    if np.any(np.isnan(chance)) or np.any(chance < 0) or np.any(chance > 1):
        raise ValueError("the chance of a listing must lie in [0, 1]")
    return np.add(np.multiply(chance, listed_multiple), np.multiply(np.subtract(1.0, chance), unlisted_multiple))


def per_share_index(pre_money: ArrayLike, post_money: ArrayLike) -> np.ndarray:
    """Value of one share at each of a series of priced rounds (the first = 1): times pre-money of the next over
    post-money of the last, so new money raised in a round never counts as growth."""
    pre, post = np.asarray(pre_money, dtype=float), np.asarray(post_money, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError("pre_money and post_money must be one value per round")
    steps = np.divide(pre[1:], post[:-1])
    return np.concatenate([[1.0], np.cumprod(steps)])


# --- priced rounds, prices paid and talks, read from the ledger ---------------------------------------------------


def _newest(rows: pd.DataFrame) -> pd.Series:
    """The newest row (ties by figure id)."""
    return rows.sort_values(["reported_on", "figure_id"]).iloc[-1]


def _secondary_events(figures: pd.DataFrame) -> set[str]:
    """Events that are share sales between holders: they issue no shares."""
    return set(figures.loc[figures["category"].eq("secondary_sale"), "event"])


def priced_rounds(figures: pd.DataFrame) -> pd.DataFrame:
    """Primary rounds the ledger prices and reports closed: when priced, when closed, pre- and post-money, share kept.

    A round is priced on the first day the ledger reports its pre- or post-money value as at least announced (talks
    set no price) and counts once some row of it is closed. A holder before the round keeps pre-money / post-money of
    its stake. The pre-money value is the ledger's pre-money row, else the post-money value less the money the round
    raised. A secondary sale issues no shares, so it dilutes nobody and is never a round here.
    """
    used = figures[figures["reading"].eq("used")]
    secondary = _secondary_events(figures)
    valued = used[used["metric"].isin(["pre_money", "post_money"]) & ~used["event"].isin(secondary)]
    rows = []
    for event, group in valued.groupby("event"):
        everything = figures[figures["event"].eq(event) | figures["part_of"].eq(event)]
        closed = everything[everything["status"].eq("closed")]
        firm = group[group["status"].isin(FIRM_STATUSES)]
        posts = group[group["metric"].eq("post_money")]
        if closed.empty or firm.empty or posts.empty:
            continue
        post = _newest(posts)
        # a talk is not a price: only a pre-money value reported at least announced prices the round
        pres = group[group["metric"].eq("pre_money") & group["status"].isin(FIRM_STATUSES)]
        if len(pres):
            pre = _newest(pres)
            pre_value, pre_bound, pre_ids = (
                float(pre["value"]),
                bound_of(pre["qualifier"]),
                [pre["figure_id"]],
            )
        else:
            raised = used[used["event"].eq(event) & used["category"].eq("funding_round") & used["value"].notna()]
            if raised.empty:
                continue
            # the money the post-money value counted: the size reported with it (a later, larger close is not in it)
            with_post = raised[raised["reported_on"] <= post["reported_on"]]
            amount = _newest(with_post if len(with_post) else raised)
            pre_value = float(post["value"]) - float(amount["value"])
            # a pre-money value read as post-money less the money raised falls as that money rises
            pre_bound = combined(bound_of(post["qualifier"]), flipped(bound_of(amount["qualifier"])))
            pre_ids = [amount["figure_id"]]
        rows.append(
            {
                "event": event,
                "deal": post["deal"],
                "priced_on": firm["reported_on"].min(),
                "closed_on": closed["reported_on"].min(),
                "pre_money_usd_bn": pre_value,
                "pre_money_derived": not len(pres),  # post-money less the money raised, not a reported pre-money
                "post_money_usd_bn": float(post["value"]),
                "kept_share": pre_value / float(post["value"]),
                # the kept share rises with the pre-money value and falls with the post-money value
                "kept_bound": combined(pre_bound, flipped(bound_of(post["qualifier"]))),
                "post_money_figure": post["figure_id"],
                "post_money_on": post["reported_on"],
                "figure_ids": ", ".join([*pre_ids, post["figure_id"]]),
            }
        )
    columns = [
        "event",
        "deal",
        "priced_on",
        "closed_on",
        "pre_money_usd_bn",
        "pre_money_derived",
        "post_money_usd_bn",
        "kept_share",
        "kept_bound",
        "post_money_figure",
        "post_money_on",
        "figure_ids",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values("priced_on").set_index("event")


def rounds_after(rounds: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame:
    """The priced rounds that set their price after a date: they diluted a stake bought on that date.

    A round priced before the date but closed after it does not: the price on that date already counted its money.
    """
    return rounds[rounds["priced_on"] > date]


def value_per_share(rounds: pd.DataFrame) -> pd.Series:
    """Value of one share at each priced round, the first round's share = 1: pre-money of the next / post-money of the last.

    Growth in this index is what a holder earned; growth in post-money values also counts the new money.
    """
    index = per_share_index(rounds["pre_money_usd_bn"].to_numpy(), rounds["post_money_usd_bn"].to_numpy())
    return pd.Series(index, index=rounds.index, name="value_per_share")


def tender_prices(figures: pd.DataFrame) -> pd.DataFrame:
    """Closed valuations of share sales (tenders): a used, closed company valuation of a deal that is neither a
    priced round nor a listing. The round rows (pre-, post-money, round size) mark an event as a round."""
    used = figures[figures["reading"].eq("used")]
    rounds = set(
        figures.loc[
            figures["metric"].isin(["pre_money", "post_money"]) | figures["category"].eq("funding_round"), "event"
        ]
    )
    return used[
        used["metric"].eq("valuation")
        & used["status"].eq("closed")
        & used["value"].notna()
        & ~used["category"].eq("listing")
        & ~used["event"].isin(rounds)
    ]


def undated_prices(figures: pd.DataFrame) -> pd.DataFrame:
    """Closed tender prices whose date the ledger gives only as a period ('2024-H1'): a price paid, but with no day to
    count years held from, so no annual return, hurdle or present value can be dated. Never an entry mark."""
    tenders = tender_prices(figures)
    return tenders[tenders["period"].notna()].sort_values(["reported_on", "figure_id"])


def prices_paid(figures: pd.DataFrame) -> pd.DataFrame:
    """The ledger rows that are prices somebody paid on a known date: each priced, closed round's post-money and each
    closed tender dated by its report.

    Chosen by status: a round counts once it closed, a tender (employee share sale) only at a valuation reported
    closed. Talks are never a price paid. A tender's valuation is a price for the whole company, read as post-money.
    A tender the ledger dates only to a period is left out (`undated_prices`): years held need a date.
    """
    rounds = priced_rounds(figures)
    round_rows = figures[figures["figure_id"].isin(rounds["post_money_figure"])].assign(kind="round")
    tenders = tender_prices(figures)
    tenders = tenders[tenders["period"].isna()].assign(kind="tender")
    return pd.concat([round_rows, tenders]).sort_values(["reported_on", "figure_id"])


def talk_prices(figures: pd.DataFrame) -> pd.DataFrame:
    """Valuations reported only in talks (a single number): shown as talks, never as a price a buyer paid."""
    used = figures[figures["reading"].eq("used")]
    return used[
        used["metric"].isin(["valuation", "post_money"])
        & used["status"].eq("in_talks")
        & used["value"].notna()
        & ~used["category"].eq("listing")
    ].sort_values(["reported_on", "figure_id"])
