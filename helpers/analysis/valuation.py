"""Valuation arithmetic: pure functions on numbers or numpy arrays (money in $B, rates and stakes as fractions).

Every function broadcasts, so the sensitivity grid is one vectorised call rather than a Python loop.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers.data.vocabulary import BOUND_OF_QUALIFIER, BOUND_WORDS


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
