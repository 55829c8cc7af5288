"""Valuation scenarios: checked parameters, dated marks read from the ledger with their bounds, the side-by-side
comparison, the named cases for a buyer at every mark, and the sensitivity grid.

The marks are every price paid in the ledger, chosen by status (closed rounds and closed tenders, never talks);
scenarios.csv only names them and the cases. The words and tables a reader sees are in scenario_words.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers.analysis import valuation
from helpers.analysis.valuation import (
    priced_rounds,
    prices_paid,
    rounds_after,
    talk_prices,
    value_per_share,
)
from helpers.data.load import Ledger
from helpers.data.views import revenue_marks, stated
from helpers.data.vocabulary import DAYS_PER_YEAR, FIRM_STATUSES
from helpers.notebook.parameters import Checked, ParameterError, Spec, as_of_not_too_late
from helpers.notebook.tables import money

__all__ = [
    "ParameterError",
    "Parameters",
    "parameter_specs",
    "prices_paid",
    "priced_rounds",
    "rounds_after",
    "talk_prices",
    "value_per_share",
]

MAX_LISTING_USD_BN = 100_000.0  # $100T: far above any reported figure, and small enough to keep the sums finite
MAX_YEARS_TO_LISTING = 30.0
MAX_REVENUE_MULTIPLE = 1_000.0
# an assumption, not a ledger figure: an illustrative yield on cash, the return a buyer gives up by holding the stake
CASH_RATE = 0.045
# hurdle rates the break-even table shows beside the chosen one: none, the assumed cash yield, and venture-like
HURDLE_RATES = (0.0, CASH_RATE, 0.10, 0.15, 0.20)


# The scenario notebook's assumptions, checked: params.as_of, params.listing_valuation_usd_bn, ... (parameter_specs)
Parameters = Checked


def _pre_money_row(figures: pd.DataFrame, event: str, on_or_before: pd.Timestamp) -> pd.Series | None:
    """The ledger row of the round's pre-money value, reported on or before a date; None if none."""
    rows = figures[
        figures["event"].eq(event)
        & figures["metric"].eq("pre_money")
        & figures["reading"].eq("used")
        & (figures["reported_on"] <= on_or_before)
    ]
    return rows.sort_values(["reported_on", "figure_id"]).iloc[-1] if len(rows) else None


def _pre_money(figures: pd.DataFrame, event: str, on_or_before: pd.Timestamp) -> float:
    """The round's pre-money value the ledger uses, reported on or before a date; NaN if none."""
    row = _pre_money_row(figures, event, on_or_before)
    return float("nan") if row is None else float(row["value"])


def capitalised(label: str) -> str:
    """A label at the start of a table cell or heading: 'employee share sale' -> 'Employee share sale'."""
    return label[:1].upper() + label[1:]


def _period_end(period: str, reported_on: pd.Timestamp) -> pd.Timestamp:
    """First day after a calendar year ('2025') or month ('2025-06'); the report date for other periods."""
    if len(period) == 4:
        return pd.Timestamp(int(period) + 1, 1, 1)
    if len(period) == 7 and period[5] in "01":
        return pd.Timestamp(period + "-01") + pd.offsets.MonthBegin(1)
    return reported_on


def revenue_before(figures: pd.DataFrame, date: pd.Timestamp, basis: str) -> pd.Series | None:
    """The newest revenue ('calendar' year or 'run_rate') reported by a date for a period over by then; None if none.

    A run rate expected for a later month is a forecast, not revenue a buyer on that date could have seen.
    """
    used = figures[(figures["reading"] == "used") & figures["category"].eq("revenue")]
    if basis == "calendar":
        rows = used[used["metric"].eq("revenue") & used["period"].str.fullmatch(r"\d{4}").fillna(False)]
    else:
        rows = used[used["metric"].eq("run_rate")]
    ends = [_period_end(str(p), r) for p, r in zip(rows["period"], rows["reported_on"], strict=True)]
    rows = rows.assign(period_end=pd.Series(ends, index=rows.index, dtype="datetime64[ns]"))
    rows = rows[(rows["reported_on"] <= date) & (rows["period_end"] <= date)]
    # the newest period first: a post can restate older run rates on the same day
    newest = rows.sort_values(["period_end", "reported_on", "figure_id"])
    return newest.drop(columns="period_end").iloc[-1] if len(rows) else None


def marks(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every price paid in the ledger as an entry mark: value, bound, date, status, sources and the share later rounds left.

    The marks are chosen from the ledger by status (`prices_paid`); a mark row of scenarios.csv only names one and
    gives it a short label, and one that cites anything else (a talk, a report) stops the run. A price paid that
    scenarios.csv does not name is still a mark, labelled by its deal.
    """
    paid = prices_paid(figures)
    rows = scenarios[scenarios["kind"].eq("mark")]
    for line, row in rows.iterrows():
        if row["figure_id"] not in set(paid["figure_id"]):
            figure = figures.set_index("figure_id").loc[row["figure_id"]]
            raise ValueError(
                f"scenarios.csv:{line}: column 'figure_id' = '{row['figure_id']}': an entry mark must be a price somebody "
                f"paid (the post-money value of a priced round that closed, or a closed tender); "
                f"{row['figure_id']} is '{figure['status']}'"
            )
    named = {f: (i, label) for i, f, label in zip(rows["scenario_id"], rows["figure_id"], rows["label"], strict=True)}
    rounds = priced_rounds(figures)
    ids = [named.get(f, (e, ""))[0] for f, e in zip(paid["figure_id"], paid["event"], strict=True)]
    labels = [named.get(f, ("", d))[1] or d for f, d in zip(paid["figure_id"], paid["deal"], strict=True)]
    out = pd.DataFrame(
        {
            "label": labels,
            "figure_id": paid["figure_id"].to_numpy(),
            "kind": paid["kind"].to_numpy(),
            "basis": "post_money",
            "valuation_usd_bn": paid["value"].to_numpy(dtype=float),
            "qualifier": paid["qualifier"].to_numpy(),
            "status": paid["status"].to_numpy(),
            "reported_on": paid["reported_on"].to_numpy(),
            "event": paid["event"].to_numpy(),
            "source_ids": paid["source_ids"].to_numpy(),
        },
        index=pd.Index(ids, name="scenario_id"),
    )
    out["bound"] = out["qualifier"].map(valuation.bound_of)
    out["stated"] = [stated(row) for _, row in paid.iterrows()]
    out["pre_money_usd_bn"] = [
        rounds.at[e, "pre_money_usd_bn"] if e in rounds.index else float("nan") for e in out["event"]
    ]
    out["closed_on"] = [
        rounds.at[e, "closed_on"] if e in rounds.index else d
        for e, d in zip(out["event"], out["reported_on"], strict=True)
    ]
    out["superseded"] = False  # one price per deal: a round's newest post-money value, a tender's closed valuation
    # Known dilution: every priced primary round that set its price after the mark shrank the stake by pre- / post-money
    names = dict(zip(out["event"], out["label"], strict=True))
    kept, kept_bound, diluted_by = [], [], []
    for event, date in zip(out["event"], out["reported_on"], strict=True):
        later = rounds_after(rounds, date).drop(index=event, errors="ignore")
        kept.append(float(later["kept_share"].prod()))
        kept_bound.append(valuation.combined(*later["kept_bound"]) if len(later) else "exact")
        diluted_by.append(" and ".join(f"the {names.get(e, later.at[e, 'deal'])}" for e in later.index))
    out["kept_share"] = kept
    out["kept_bound"] = kept_bound
    out["diluted_by"] = diluted_by
    return out.sort_values(["reported_on", "valuation_usd_bn"])


def latest_mark(mark_table: pd.DataFrame) -> str:
    """Id of the newest firm mark: the price a buyer today would pay."""
    firm = mark_table[mark_table["status"].isin(FIRM_STATUSES)]
    return str(firm.sort_values(["reported_on", "valuation_usd_bn"]).index[-1])


def listing(scenarios: pd.DataFrame, figures: pd.DataFrame, params: Parameters) -> pd.Series:
    """The listing: the reported figure's bound and status when the parameter equals it, else an assumption.

    The figure is LISTING_FIGURE when it names one, else the newest listing value the ledger reports.
    """
    row = scenarios[scenarios["kind"].eq("listing")].iloc[0]
    figure_id = params.listing_figure or newest_listing_figure(figures)
    figure = figures.set_index("figure_id").loc[figure_id]
    reported = params.listing_valuation_usd_bn == figure["value"]
    return pd.Series(
        {
            "label": row["label"],
            "figure_id": figure_id if reported else "",
            "valuation_usd_bn": params.listing_valuation_usd_bn,
            "bound": valuation.bound_of(figure["qualifier"]) if reported else "exact",
            "assumed": not reported,
            "status": figure["status"] if reported else "assumed",
            "reported_on": figure["reported_on"],
            "stated": stated(figure) if reported else f"{money(params.listing_valuation_usd_bn)} (assumed)",
            "source_ids": figure["source_ids"] if reported else "",
            "listing_on": params.as_of + pd.Timedelta(days=params.years_to_listing * DAYS_PER_YEAR),
        }
    )


def listing_reports(figures: pd.DataFrame) -> pd.DataFrame:
    """Every listing value the ledger reports (points, bounds, ranges; used and alternative readings), oldest first."""
    rows = figures[figures["category"].eq("listing") & figures["metric"].eq("valuation")]
    return rows.sort_values(["reported_on", "figure_id"])


def listing_value_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The ledger's listing values with a single number (not a range) in the reading it uses, oldest first."""
    rows = listing_reports(figures)
    return rows[rows["reading"].eq("used") & rows["value"].notna()]


def listing_figures(figures: pd.DataFrame) -> list[str]:
    """Figure ids a listing value can be read from (any reading, a single number), oldest first."""
    rows = listing_reports(figures)
    return list(rows.loc[rows["value"].notna(), "figure_id"])


def newest_listing_figure(figures: pd.DataFrame) -> str:
    """The newest listing value in the reading the ledger uses: the default listing figure."""
    return str(listing_value_rows(figures)["figure_id"].iloc[-1])


def articles_listing(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.Series:
    """The listing figure the articles compared the first price with (the listing row of scenarios.csv)."""
    figure_id = scenarios.loc[scenarios["kind"].eq("listing"), "figure_id"].iloc[0]
    return figures.set_index("figure_id", drop=False).loc[figure_id]


def hurdle_and_listing_specs() -> list[Spec]:
    """The assumptions 04 and 05 share: the hurdle rate, the chance of a listing and the outcome without one."""
    return [
        Spec("HURDLE_RATE", "number", "annual return a stake must beat to count as a gain, e.g. 0.10", low=0, high=1),
        Spec("LISTING_CHANCE", "number", "chance that OpenAI lists at all, from 0 to 1", low=0, high=1),
        Spec(
            "NO_LISTING_HAIRCUT",
            "number",
            "without a listing: discount on the latest private price a holder can sell at, 0 to below 1",
            low=0,
            high=1,
            high_open=True,
        ),
    ]


def parameter_specs(book: Ledger) -> list[Spec]:
    """The notebook's parameters; ranges that depend on the ledger (mark ids, smallest price, newest date) read it."""
    scenarios, figures = book.scenarios, book.figures
    mark_table = marks(scenarios, figures)
    newest = figures["reported_on"].max()
    cheapest = float(mark_table["valuation_usd_bn"].min())

    def not_before_newest(stamp: object) -> str:
        if stamp < newest:
            return f"is before {newest:%Y-%m-%d}, the newest date in the ledger"
        return as_of_not_too_late(newest)(stamp)

    return [
        Spec("AS_OF", "date", "the date years to the listing count from", rule=not_before_newest),
        Spec(
            "LISTING_VALUATION_USD_BN",
            "number",
            f"value at the listing in $B, above 0 and at most {MAX_LISTING_USD_BN:g} ($100T)",
            low=0,
            low_open=True,
            high=MAX_LISTING_USD_BN,
        ),
        Spec("YEARS_TO_LISTING", "number", "years from AS_OF to the listing", low=0, low_open=True, high=30),
        Spec(
            "DILUTION_TO_LISTING",
            "number",
            "share of the company diluted away before the listing, e.g. 0.1 for 10%",
            low=0,
            high=1,
            high_open=True,
        ),
        Spec(
            "INVESTMENT_USD_BN",
            "number",
            f"the cheque in $B; it must buy less than the whole company at every mark, the cheapest being "
            f"{money(cheapest)}",
            low=0,
            low_open=True,
            high=cheapest,
            high_open=True,
        ),
        Spec(
            "INVESTMENT_MARK",
            "choice",
            "a price paid a stake can be bought at; the listing is where the stake is valued, not bought",
            choices=tuple(mark_table.index),
        ),
        Spec(
            "LISTING_FIGURE",
            "choice",
            "ledger row a listing value equal to it is read from (its bound and date); '' for the newest reported",
            choices=("", *listing_figures(figures)),
        ),
        Spec("REVENUE_BASIS", "choice", "revenue the listing is compared with", choices=("calendar", "run_rate")),
        Spec(
            "TARGET_REVENUE_MULTIPLE",
            "number",
            "price-to-sales multiple",
            low=0,
            low_open=True,
            high=MAX_REVENUE_MULTIPLE,
        ),
        *hurdle_and_listing_specs(),
    ]


MEASURES = {
    "valuation_usd_bn": ("valuation", "the ledger (the assumed listing value for the listing)"),
    "pre_money_usd_bn": ("pre-money value of the round", "the ledger"),
    "new_money_usd_bn": ("new money in the round (post- minus pre-money)", "the ledger"),
    "entry_post_money_usd_bn": ("post-money value a cheque buys into", "the ledger"),
    "step_up_from_first": ("times the first mark", "the ledger"),
    "years_to_listing": (
        "years from the mark to the listing",
        "the date years are counted from, the assumed years to the listing",
    ),
    "growth_to_listing": ("implied annual growth to the listing", "the assumed listing value and years to it"),
    "stake": ("stake bought (cheque / post-money)", "the assumed cheque"),
    "kept_share": (
        "share of the stake kept through the rounds priced after the mark (pre- / post-money)",
        "the ledger",
    ),
    "diluted_stake": ("stake at the listing, after those rounds and the assumed dilution", "the assumed dilution"),
    "value_at_listing_usd_bn": ("value of the stake at the listing", "the assumed listing value and dilution"),
    "multiple": ("money multiple", "all of the above"),
    "annual_return": ("annual return", "all of the above"),
    "hurdle_multiple": ("multiple that just earns the hurdle rate over the same years", "the assumed hurdle rate"),
    "present_value_usd_bn": (
        "value of the stake at its purchase date (its value at the listing, discounted at the hurdle rate)",
        "the assumed hurdle rate",
    ),
    "breakeven_listing_usd_bn": ("listing value that returns the cheque (0% a year)", "the assumed dilution"),
    "breakeven_hurdle_usd_bn": ("listing value that earns the hurdle rate", "the assumed hurdle rate and dilution"),
    "unlisted_multiple": (
        "multiple with no listing (shares kept, valued at the latest private price less a discount)",
        "the assumed discount without a listing",
    ),
    "expected_multiple": (
        "multiple weighted by the chance of a listing",
        "the assumed chance of a listing and discount without one",
    ),
    "price_to_calendar_sales": (
        "valuation / calendar revenue (newest full year reported by the mark's date)",
        "the ledger",
    ),
    "price_to_run_rate": ("valuation / run-rate revenue (newest reported by the mark's date)", "the ledger"),
    "required_revenue_usd_bn": ("revenue needed at the target multiple", "the assumed revenue multiple"),
}


def revenue_used(mark_table: pd.DataFrame, figures: pd.DataFrame) -> dict[str, dict[str, pd.Series | None]]:
    """Per mark, the calendar revenue and run rate reported by its date; for the listing, the latest of each."""
    used = {
        m: {basis: revenue_before(figures, row["reported_on"], basis) for basis in ("calendar", "run_rate")}
        for m, row in mark_table.iterrows()
    }
    used["listing"] = dict(revenue_marks(figures))
    return used


def _price_to_sales(value: float, value_bound: str, revenue: pd.Series | None) -> tuple[float, str]:
    """A valuation over a revenue figure and its bound (a floor on revenue is a ceiling on the multiple); NaN if none."""
    if revenue is None:
        return float("nan"), ""
    bound = valuation.combined(value_bound, valuation.flipped(valuation.bound_of(revenue["qualifier"])))
    return float(valuation.implied_revenue_multiple(value, revenue["value"])), bound


def total_dilution(kept_share: ArrayLike, assumed_dilution: ArrayLike) -> ArrayLike:
    """Dilution from the known later rounds (the share kept) and then the assumed dilution to the listing."""
    return 1.0 - np.multiply(kept_share, np.subtract(1.0, assumed_dilution))


def unlisted_multiple(
    entry_usd_bn: ArrayLike, kept_share: ArrayLike, latest_usd_bn: float, haircut: float
) -> ArrayLike:
    """Multiple if OpenAI never lists: the stake left after the known rounds, sold at the latest private price less a
    discount (an assumption; no later round is assumed, because one at that price would not change the value)."""
    return np.multiply(np.divide(kept_share, entry_usd_bn), latest_usd_bn * (1.0 - haircut))


def side_by_side(
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    figures: pd.DataFrame,
    params: Parameters,
    revenue: dict[str, dict[str, pd.Series | None]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One column per mark and one for the listing: the numbers as floats, and the bound of each number (`revenue`:
    `revenue_used` of the same marks and figures, when the caller has it already, as 04's slider panel does)."""
    revenue = revenue_used(mark_table, figures) if revenue is None else revenue
    first = mark_table.iloc[0]
    listing_value, listing_bound = params.listing_valuation_usd_bn, listing_row["bound"]
    # Vectorised over the marks: each is a buyer at that mark, holding from its date to the listing
    entry = mark_table["valuation_usd_bn"].to_numpy(dtype=float)
    entry_bound = mark_table["bound"].to_numpy()
    kept = mark_table["kept_share"].to_numpy(dtype=float)
    years = ((params.as_of - mark_table["reported_on"]).dt.days / DAYS_PER_YEAR + params.years_to_listing).to_numpy()
    outcome = valuation.listing_outcome(
        params.investment_usd_bn, entry, listing_value, total_dilution(kept, params.dilution_to_listing), years
    )
    ratios = {
        (m, basis): _price_to_sales(value, bound, revenue[m][basis])
        for m, value, bound in zip(mark_table.index, entry, entry_bound, strict=True)
        for basis in ("calendar", "run_rate")
    }
    ratios.update(
        {
            ("listing", basis): _price_to_sales(listing_value, listing_bound, revenue["listing"][basis])
            for basis in ("calendar", "run_rate")
        }
    )
    hurdle = valuation.hurdle_multiple(params.hurdle_rate, years)
    latest = mark_table.loc[latest_mark(mark_table)]
    unlisted = unlisted_multiple(entry, kept, latest["valuation_usd_bn"], params.no_listing_haircut)
    numbers = pd.DataFrame(
        {
            "valuation_usd_bn": entry,
            "pre_money_usd_bn": mark_table["pre_money_usd_bn"].to_numpy(),
            "new_money_usd_bn": entry - mark_table["pre_money_usd_bn"].to_numpy(),
            "entry_post_money_usd_bn": entry,
            "step_up_from_first": valuation.step_up(first["valuation_usd_bn"], entry),
            "years_to_listing": years,
            "growth_to_listing": valuation.implied_cagr(entry, listing_value, years),
            "stake": outcome["stake"],
            "kept_share": kept,
            "diluted_stake": outcome["diluted_stake"],
            "value_at_listing_usd_bn": outcome["value"],
            "multiple": outcome["multiple"],
            "annual_return": outcome["annual_return"],
            "hurdle_multiple": hurdle,
            "present_value_usd_bn": valuation.present_value(outcome["value"], params.hurdle_rate, years),
            "breakeven_listing_usd_bn": valuation.breakeven_listing_at_hurdle(
                entry, kept, params.dilution_to_listing, 0.0, years
            ),
            "breakeven_hurdle_usd_bn": valuation.breakeven_listing_at_hurdle(
                entry, kept, params.dilution_to_listing, params.hurdle_rate, years
            ),
            "unlisted_multiple": unlisted,
            "expected_multiple": valuation.expected_multiple(params.listing_chance, outcome["multiple"], unlisted),
            "price_to_calendar_sales": [ratios[m, "calendar"][0] for m in mark_table.index],
            "price_to_run_rate": [ratios[m, "run_rate"][0] for m in mark_table.index],
            "required_revenue_usd_bn": valuation.required_revenue(entry, params.target_revenue_multiple),
        },
        index=mark_table.index,
    ).T
    numbers["listing"] = {
        "valuation_usd_bn": listing_value,
        "step_up_from_first": valuation.step_up(first["valuation_usd_bn"], listing_value),
        "price_to_calendar_sales": ratios["listing", "calendar"][0],
        "price_to_run_rate": ratios["listing", "run_rate"][0],
        "required_revenue_usd_bn": valuation.required_revenue(listing_value, params.target_revenue_multiple),
    }
    numbers = numbers.astype(float)

    def column_bounds(column: str, value_bound: str, kept_bound: str, buyer: bool) -> dict[str, str]:
        # the multiple rises with the listing value and the share kept, and falls with the price paid
        result = valuation.combined(listing_bound, valuation.flipped(value_bound), kept_bound) if buyer else "exact"
        return {
            "valuation_usd_bn": value_bound,
            "pre_money_usd_bn": "exact",
            "new_money_usd_bn": value_bound,
            "entry_post_money_usd_bn": value_bound,
            "step_up_from_first": valuation.combined(value_bound, valuation.flipped(first["bound"])),
            "years_to_listing": "exact",
            "growth_to_listing": result,
            "stake": valuation.flipped(value_bound),
            "kept_share": kept_bound,
            "diluted_stake": valuation.combined(valuation.flipped(value_bound), kept_bound),
            "value_at_listing_usd_bn": result,
            "multiple": result,
            "annual_return": result,
            "hurdle_multiple": "exact" if buyer else "",
            "present_value_usd_bn": result,
            # the break-even listing rises with the price paid and falls with the share kept
            "breakeven_listing_usd_bn": valuation.combined(value_bound, valuation.flipped(kept_bound)),
            "breakeven_hurdle_usd_bn": valuation.combined(value_bound, valuation.flipped(kept_bound)),
            "unlisted_multiple": valuation.combined(valuation.flipped(value_bound), kept_bound, latest["bound"]),
            "expected_multiple": valuation.combined(
                result, valuation.flipped(value_bound), kept_bound, latest["bound"]
            ),
            "price_to_calendar_sales": ratios[column, "calendar"][1],
            "price_to_run_rate": ratios[column, "run_rate"][1],
            "required_revenue_usd_bn": value_bound,
        }

    bounds = pd.DataFrame(
        {
            m: column_bounds(m, b, k, True)
            for m, b, k in zip(mark_table.index, entry_bound, mark_table["kept_bound"], strict=True)
        }
    )
    bounds["listing"] = column_bounds("listing", listing_bound, "exact", False)
    bounds = bounds.loc[numbers.index]
    return numbers, bounds.where(numbers.notna(), "")


def cases(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The named listing cases with their bound: a reported value keeps its figure's qualifier, an assumption none."""
    rows = scenarios[scenarios["kind"].eq("case")].set_index("scenario_id")
    by_id = figures.set_index("figure_id")
    assumed = rows["value_basis"].eq("assumption")
    bound = [
        "exact" if is_assumed else valuation.bound_of(by_id.loc[f, "qualifier"])
        for f, is_assumed in zip(rows["figure_id"], assumed, strict=True)
    ]
    return pd.DataFrame(
        {
            "label": rows["label"],
            "listing_usd_bn": rows["valuation_usd_bn"].astype(float),
            "assumed": assumed,
            "figure_id": rows["figure_id"],
            "bound": bound,
            "years_to_listing": rows["years_to_listing"].astype(float),
            "dilution": rows["dilution_to_listing"].astype(float),
        }
    )


def case_grid(case_table: pd.DataFrame, mark_table: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """Every named case for a buyer at every mark, in one broadcast call; one row per (case, mark)."""
    elapsed = ((params.as_of - mark_table["reported_on"]).dt.days / DAYS_PER_YEAR).to_numpy()[None, :]
    outcome = valuation.listing_outcome(
        params.investment_usd_bn,
        mark_table["valuation_usd_bn"].to_numpy(dtype=float)[None, :],
        case_table["listing_usd_bn"].to_numpy()[:, None],
        total_dilution(
            mark_table["kept_share"].to_numpy(dtype=float)[None, :], case_table["dilution"].to_numpy()[:, None]
        ),
        case_table["years_to_listing"].to_numpy()[:, None] + elapsed,
    )
    shape = (len(case_table), len(mark_table))
    bounds = [
        [
            valuation.combined(listing_bound, valuation.flipped(entry), kept)
            for entry, kept in zip(mark_table["bound"], mark_table["kept_bound"], strict=True)
        ]
        for listing_bound in case_table["bound"]
    ]
    return pd.DataFrame(
        {
            "case": np.repeat(case_table.index.to_numpy(), len(mark_table)),
            "mark": np.tile(mark_table.index.to_numpy(), len(case_table)),
            "value_at_listing_usd_bn": np.broadcast_to(outcome["value"], shape).ravel(),
            "multiple": np.broadcast_to(outcome["multiple"], shape).ravel(),
            "annual_return": np.broadcast_to(outcome["annual_return"], shape).ravel(),
            "years_held": np.broadcast_to(case_table["years_to_listing"].to_numpy()[:, None] + elapsed, shape).ravel(),
            "bound": np.asarray(bounds).ravel(),
        }
    )


def grid(
    investment_usd_bn: float,
    entry_post_money_usd_bn: float,
    elapsed_years: float,
    listing_values: np.ndarray,
    years: np.ndarray,
    dilutions: np.ndarray,
    kept_share: float = 1.0,
) -> dict[str, np.ndarray]:
    """Multiple and annual return over listing value x years to listing x assumed dilution, in one vectorised call.

    `kept_share` is what the priced rounds closed after the mark left of the stake, applied before the assumed dilution.
    """
    values = listing_values[:, None, None]
    horizon = years[None, :, None] + elapsed_years
    dilution = total_dilution(kept_share, dilutions[None, None, :])
    outcome = valuation.listing_outcome(investment_usd_bn, entry_post_money_usd_bn, values, dilution, horizon)
    shape = (len(listing_values), len(years), len(dilutions))
    return {name: np.broadcast_to(array, shape) for name, array in outcome.items()}


def breakeven(mark: pd.Series, assumed_dilution: float) -> float:
    """Listing value at which a stake bought at a mark is worth its cheque, after the known and the assumed dilution."""
    return float(valuation.breakeven_listing(mark["valuation_usd_bn"] / mark["kept_share"], assumed_dilution))


def elapsed_years(mark: pd.Series, params: Parameters) -> float:
    """Years from a mark's date to AS_OF."""
    return (params.as_of - mark["reported_on"]).days / DAYS_PER_YEAR


def nearest_cell(
    params: Parameters, listing_values: np.ndarray, years: np.ndarray, dilutions: np.ndarray
) -> tuple[int, int, int]:
    """Index of the grid cell nearest the Assumptions cell (listing value, years, dilution)."""
    return (
        int(np.abs(listing_values - params.listing_valuation_usd_bn).argmin()),
        int(np.abs(years - params.years_to_listing).argmin()),
        int(np.abs(dilutions - params.dilution_to_listing).argmin()),
    )
