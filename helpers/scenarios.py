"""Valuation scenarios side by side: checked parameters, the comparison table, named cases and the grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import valuation
from helpers.ledger import money, revenue_marks, stated


class ParameterError(ValueError):
    """A parameter of the scenario notebook is out of range; the message names it and says why."""


@dataclass(frozen=True)
class Parameters:
    """The scenario notebook's assumptions, checked."""

    as_of: pd.Timestamp
    listing_valuation_usd_bn: float
    years_to_listing: float
    dilution_to_listing: float
    investment_usd_bn: float
    investment_mark: str
    unstated_basis: str
    revenue_basis: str
    target_revenue_multiple: float


def _number(name: str, value: object, problems: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{name} = {value!r}: must be a finite number")
        return float("nan")
    return float(value)


def check_parameters(raw: dict[str, object], mark_ids: list[str]) -> Parameters:
    """Check every parameter and raise one ParameterError naming each bad one and why."""
    problems: list[str] = []
    listing = _number("LISTING_VALUATION_USD_BN", raw["LISTING_VALUATION_USD_BN"], problems)
    years = _number("YEARS_TO_LISTING", raw["YEARS_TO_LISTING"], problems)
    dilution = _number("DILUTION_TO_LISTING", raw["DILUTION_TO_LISTING"], problems)
    investment = _number("INVESTMENT_USD_BN", raw["INVESTMENT_USD_BN"], problems)
    target = _number("TARGET_REVENUE_MULTIPLE", raw["TARGET_REVENUE_MULTIPLE"], problems)
    if listing <= 0:
        problems.append(f"LISTING_VALUATION_USD_BN = {raw['LISTING_VALUATION_USD_BN']!r}: must be above 0 ($B)")
    if years <= 0:
        problems.append(
            f"YEARS_TO_LISTING = {raw['YEARS_TO_LISTING']!r}: must be above 0 (years from AS_OF to the listing)"
        )
    if not 0 <= dilution < 1:
        problems.append(
            f"DILUTION_TO_LISTING = {raw['DILUTION_TO_LISTING']!r}: must be at least 0 and below 1 "
            "(a share of the company, e.g. 0.1 for 10%)"
        )
    if investment <= 0:
        problems.append(f"INVESTMENT_USD_BN = {raw['INVESTMENT_USD_BN']!r}: must be above 0 ($B)")
    if target <= 0:
        problems.append(f"TARGET_REVENUE_MULTIPLE = {raw['TARGET_REVENUE_MULTIPLE']!r}: must be above 0")
    if raw["INVESTMENT_MARK"] not in mark_ids:
        problems.append(f"INVESTMENT_MARK = {raw['INVESTMENT_MARK']!r}: must be one of {', '.join(mark_ids)}")
    if raw["UNSTATED_BASIS"] not in ("pre_money", "post_money"):
        problems.append(f"UNSTATED_BASIS = {raw['UNSTATED_BASIS']!r}: must be 'pre_money' or 'post_money'")
    if raw["REVENUE_BASIS"] not in ("calendar", "run_rate"):
        problems.append(f"REVENUE_BASIS = {raw['REVENUE_BASIS']!r}: must be 'calendar' or 'run_rate'")
    as_of = (
        pd.to_datetime(raw["AS_OF"], format="%Y-%m-%d", errors="coerce") if isinstance(raw["AS_OF"], str) else pd.NaT
    )
    if pd.isna(as_of):
        problems.append(f"AS_OF = {raw['AS_OF']!r}: must be a date written YYYY-MM-DD")
    if problems:
        raise ParameterError("Check the Assumptions cell:\n  " + "\n  ".join(problems))
    return Parameters(
        as_of,
        listing,
        years,
        dilution,
        investment,
        str(raw["INVESTMENT_MARK"]),
        str(raw["UNSTATED_BASIS"]),
        str(raw["REVENUE_BASIS"]),
        target,
    )


def entry_marks(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Mark and listing rows of scenarios.csv with the date of the figure each cites."""
    rows = scenarios[scenarios["kind"].isin(["mark", "listing"])].copy()
    dates = figures.set_index("figure_id")["reported_on"]
    rows["reported_on"] = rows["figure_id"].map(dates)
    return rows.set_index("scenario_id")


MEASURES = {
    "valuation_usd_bn": ("valuation ($B)", "ledger or LISTING_VALUATION_USD_BN"),
    "post_money_usd_bn": ("post-money value paid ($B)", "UNSTATED_BASIS where the basis is unstated"),
    "step_up_from_now": ("step-up from the Amazon-talks mark (x)", "ledger"),
    "years_to_listing": ("years from the mark to the listing", "AS_OF, YEARS_TO_LISTING"),
    "growth_to_listing": ("implied annual growth to the listing", "LISTING_VALUATION_USD_BN, YEARS_TO_LISTING"),
    "stake": ("stake bought", "INVESTMENT_USD_BN"),
    "diluted_stake": ("stake at listing, after dilution", "DILUTION_TO_LISTING"),
    "value_at_listing_usd_bn": ("value of the stake at listing ($B)", "LISTING_VALUATION_USD_BN, DILUTION_TO_LISTING"),
    "multiple": ("money multiple (x)", "all of the above"),
    "annual_return": ("annual return", "all of the above"),
    "price_to_calendar_sales": ("valuation / calendar revenue (x)", "ledger"),
    "price_to_run_rate": ("valuation / run-rate revenue (x)", "ledger"),
    "required_revenue_usd_bn": ("revenue needed at the target multiple ($B)", "TARGET_REVENUE_MULTIPLE"),
}


def side_by_side(scenarios: pd.DataFrame, figures: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """One column per mark (and the listing): the numbers of the comparison, as floats."""
    marks = entry_marks(scenarios, figures)
    revenue = revenue_marks(figures)
    now_value = marks.loc["now", "valuation_usd_bn"]
    columns = {}
    for scenario_id, mark in marks.iterrows():
        listing = mark["kind"] == "listing"
        value = params.listing_valuation_usd_bn if listing else mark["valuation_usd_bn"]
        basis = params.unstated_basis if mark["valuation_basis"] == "unstated" else mark["valuation_basis"]
        entry = valuation.post_money(value, params.investment_usd_bn, basis)
        if listing:  # bought at the listing itself: no time, no dilution before it
            years, dilution = float("nan"), 0.0
        else:
            years = (params.as_of - mark["reported_on"]).days / 365.25 + params.years_to_listing
            dilution = params.dilution_to_listing
        outcome = valuation.listing_outcome(
            params.investment_usd_bn, entry, params.listing_valuation_usd_bn, dilution, years if not listing else 1.0
        )
        columns[scenario_id] = {
            "valuation_usd_bn": value,
            "post_money_usd_bn": entry,
            "step_up_from_now": valuation.step_up(now_value, value),
            "years_to_listing": years,
            "growth_to_listing": float("nan")
            if listing
            else valuation.implied_cagr(value, params.listing_valuation_usd_bn, years),
            "stake": outcome["stake"],
            "diluted_stake": outcome["diluted_stake"],
            "value_at_listing_usd_bn": outcome["value"],
            "multiple": outcome["multiple"],
            "annual_return": float("nan") if listing else outcome["annual_return"],
            "price_to_calendar_sales": valuation.implied_revenue_multiple(value, revenue["calendar"]["value"]),
            "price_to_run_rate": valuation.implied_revenue_multiple(value, revenue["run_rate"]["value"]),
            "required_revenue_usd_bn": valuation.required_revenue(value, params.target_revenue_multiple),
        }
    return pd.DataFrame(columns).astype(float)


def value_labels(scenarios: pd.DataFrame, params: Parameters) -> dict[str, str]:
    """'reported (F002)' or 'assumption' for the valuation in each column."""
    labels = {}
    for _, row in scenarios[scenarios["kind"].isin(["mark", "listing"])].iterrows():
        reported = row["value_basis"] == "reported"
        if row["kind"] == "listing" and params.listing_valuation_usd_bn != row["valuation_usd_bn"]:
            reported = False
        labels[row["scenario_id"]] = f"reported ({row['figure_id']})" if reported else "assumption (parameter)"
    return labels


def _format(measure: str, value: float) -> str:
    if pd.isna(value):
        return "n/a"
    if measure.endswith("usd_bn"):
        return money(value)
    if measure in ("stake", "diluted_stake"):
        return f"{value:.2%}"
    if measure in ("growth_to_listing", "annual_return"):
        return f"{value:.0%}"
    if measure == "years_to_listing":
        return f"{value:.1f}"
    return f"{value:.2f}x" if measure == "multiple" else f"{value:.1f}x"


def formatted(table: pd.DataFrame, scenarios: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """The comparison as a reader sees it: labelled rows, formatted cells, what each row depends on."""
    labels = scenarios.set_index("scenario_id")["label"]
    shown = pd.DataFrame(
        {labels[c]: [_format(m, table.at[m, c]) for m in table.index] for c in table.columns},
        index=[MEASURES[m][0] for m in table.index],
    )
    source = value_labels(scenarios, params)
    shown.loc["valuation comes from"] = [source[c] for c in table.columns]
    shown["depends on"] = [MEASURES[m][1] for m in table.index] + [""]
    return shown


def cases(scenarios: pd.DataFrame, figures: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """The named listing cases (bear, base, bull...) for the chosen investment."""
    marks = entry_marks(scenarios, figures)
    mark = marks.loc[params.investment_mark]
    basis = params.unstated_basis if mark["valuation_basis"] == "unstated" else mark["valuation_basis"]
    entry = valuation.post_money(mark["valuation_usd_bn"], params.investment_usd_bn, basis)
    elapsed = (params.as_of - mark["reported_on"]).days / 365.25
    rows = scenarios[scenarios["kind"] == "case"].set_index("scenario_id")
    outcome = valuation.listing_outcome(
        params.investment_usd_bn,
        entry,
        rows["valuation_usd_bn"].to_numpy(),
        rows["dilution_to_listing"].to_numpy(),
        rows["years_to_listing"].to_numpy() + elapsed,
    )
    return pd.DataFrame(
        {
            "label": rows["label"],
            "listing_usd_bn": rows["valuation_usd_bn"],
            "valuation_from": rows["value_basis"],
            "years_to_listing": rows["years_to_listing"],
            "dilution": rows["dilution_to_listing"],
            "value_at_listing_usd_bn": outcome["value"],
            "multiple": outcome["multiple"],
            "annual_return": outcome["annual_return"],
        }
    )


def grid(
    params: Parameters,
    entry_post_money_usd_bn: float,
    elapsed_years: float,
    listing_values: np.ndarray,
    years: np.ndarray,
    dilutions: np.ndarray,
) -> dict[str, np.ndarray]:
    """Multiple and annual return over listing value x years to listing x dilution, in one vectorised call."""
    values = listing_values[:, None, None]
    horizon = years[None, :, None] + elapsed_years
    dilution = dilutions[None, None, :]
    outcome = valuation.listing_outcome(params.investment_usd_bn, entry_post_money_usd_bn, values, dilution, horizon)
    shape = (len(listing_values), len(years), len(dilutions))
    return {name: np.broadcast_to(array, shape) for name, array in outcome.items()}


def bottom_line(table: pd.DataFrame, scenarios: pd.DataFrame, figures: pd.DataFrame, params: Parameters) -> str:
    """The scenario notebook's bottom line, computed from the table and the parameters."""
    labels = scenarios.set_index("scenario_id")["label"]
    pick = table[params.investment_mark]
    latest = table["latest-private"]
    revenue = revenue_marks(figures)
    basis = "calendar" if params.revenue_basis == "calendar" else "run_rate"
    needed = table.at["required_revenue_usd_bn", "listing"]
    have = revenue[basis]
    have_text = stated(have)
    return "\n".join(
        [
            f"- Assumptions used: listing at **{money(params.listing_valuation_usd_bn)}**, "
            f"{params.years_to_listing:g} year{'' if params.years_to_listing == 1 else 's'} after {params.as_of:%d %b %Y}, "
            f"with {params.dilution_to_listing:.0%} dilution first.",
            f"- **{money(params.investment_usd_bn)} at the {labels[params.investment_mark]} mark "
            f"({money(pick['valuation_usd_bn'])})** buys {pick['stake']:.2%}; at listing it is worth "
            f"**{money(pick['value_at_listing_usd_bn'])}**: {pick['multiple']:.2f}x, about {pick['annual_return']:.0%} a year "
            f"over {pick['years_to_listing']:.1f} years.",
            f"- The same money at the latest private mark ({money(latest['valuation_usd_bn'])}) returns "
            f"{latest['multiple']:.2f}x; the listing is {table.at['step_up_from_now', 'listing']:.1f}x the Amazon-talks mark "
            f"and needs {latest['growth_to_listing']:.0%} a year of growth from the latest mark.",
            f"- At {params.target_revenue_multiple:g}x sales, a {money(params.listing_valuation_usd_bn)} listing needs "
            f"**{money(needed)}** of revenue: {needed / have['value']:.1f}x the "
            f"{'calendar ' + have['period'] if basis == 'calendar' else 'latest run rate'} ({have_text}).",
        ]
    )


def results(table: pd.DataFrame, case_table: pd.DataFrame, params: Parameters) -> dict:
    """Plain numbers for tests and the scenario summary (NaN as None)."""
    clean = lambda v: None if pd.isna(v) else round(float(v), 10)  # noqa: E731
    return {
        "parameters": {
            "listing_valuation_usd_bn": params.listing_valuation_usd_bn,
            "years_to_listing": params.years_to_listing,
            "dilution_to_listing": params.dilution_to_listing,
            "investment_usd_bn": params.investment_usd_bn,
            "investment_mark": params.investment_mark,
        },
        "columns": {c: {m: clean(table.at[m, c]) for m in table.index} for c in table.columns},
        "cases": {
            c: {k: clean(v) for k, v in row.items() if k not in ("label", "valuation_from")}
            for c, row in case_table.iterrows()
        },
    }


def formatted_cases(case_table: pd.DataFrame) -> pd.DataFrame:
    """The named cases as a reader sees them."""
    return pd.DataFrame(
        {
            "case": case_table["label"],
            "listing value": case_table["listing_usd_bn"].map(money),
            "listing value from": case_table["valuation_from"],
            "years to listing": case_table["years_to_listing"].map("{:g}".format),
            "dilution": case_table["dilution"].map("{:.0%}".format),
            "value at listing": case_table["value_at_listing_usd_bn"].map(money),
            "multiple": case_table["multiple"].map("{:.2f}x".format),
            "annual return": case_table["annual_return"].map("{:.0%}".format),
        }
    ).reset_index(drop=True)
