"""Valuation scenarios: checked parameters, dated marks read from the ledger with their bounds, the side-by-side
comparison, the named cases for a buyer at every mark, and the sensitivity grid.

Every value, date, status and bound of a mark comes from the ledger row that scenarios.csv cites; scenarios.csv
only says which rows are marks and names the cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers.analysis import valuation
from helpers.analysis.valuation import with_bound
from helpers.data.load import Ledger
from helpers.data.views import revenue_marks, source_table, sources_of, stated
from helpers.data.vocabulary import DAYS_PER_YEAR, FIRM_STATUSES
from helpers.notebook.parameters import Checked, ParameterError, Spec
from helpers.notebook.tables import money

__all__ = ["ParameterError", "Parameters", "parameter_specs"]

MAX_LISTING_USD_BN = 100_000.0  # $100T: far above any reported figure, and small enough to keep the sums finite
MAX_YEARS_TO_LISTING = 30.0
MAX_REVENUE_MULTIPLE = 1_000.0


# The scenario notebook's assumptions, checked: params.as_of, params.listing_valuation_usd_bn, ... (parameter_specs)
Parameters = Checked


# --- marks: dated prices read from the ledger -------------------------------------------------------------------


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


def priced_rounds(figures: pd.DataFrame) -> pd.DataFrame:
    """Primary rounds the ledger prices at the close: pre-money, closed post-money, and the share an earlier holder keeps.

    A holder before the round keeps pre-money / post-money of its stake. A secondary sale issues no shares, so it
    dilutes nobody and is never a round here.
    """
    used = figures[figures["reading"].eq("used")]
    secondary = set(figures.loc[figures["category"].eq("secondary_sale"), "event"])
    closed = used[used["metric"].eq("post_money") & used["status"].eq("closed") & ~used["event"].isin(secondary)]
    rows = []
    for event, group in closed.groupby("event"):
        close = group.sort_values(["reported_on", "figure_id"]).iloc[-1]
        pre = _pre_money_row(figures, event, close["reported_on"])
        if pre is None:
            continue
        rows.append(
            {
                "event": event,
                "closed_on": close["reported_on"],
                "pre_money_usd_bn": float(pre["value"]),
                "post_money_usd_bn": float(close["value"]),
                "kept_share": float(pre["value"]) / float(close["value"]),
                # the kept share rises with the pre-money value and falls with the post-money value
                "kept_bound": valuation.combined(
                    valuation.bound_of(pre["qualifier"]), valuation.flipped(valuation.bound_of(close["qualifier"]))
                ),
                "figure_ids": f"{pre['figure_id']}, {close['figure_id']}",
            }
        )
    columns = ["event", "closed_on", "pre_money_usd_bn", "post_money_usd_bn", "kept_share", "kept_bound", "figure_ids"]
    return pd.DataFrame(rows, columns=columns).sort_values("closed_on").set_index("event")


def rounds_after(rounds: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame:
    """The priced rounds that closed after a date: they diluted a stake bought on that date."""
    return rounds[rounds["closed_on"] > date]


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
    """The mark rows of scenarios.csv with value, bound, date, status and sources of the ledger row each cites.

    A price whose basis no source states is at least its value as a post-money value (read as pre-money, the new
    money would only add to it), so its bound becomes a floor.
    """
    rows = scenarios[scenarios["kind"].eq("mark")].set_index("scenario_id")
    by_id = figures.set_index("figure_id")
    cited = by_id.loc[rows["figure_id"]]
    out = pd.DataFrame(
        {
            "label": rows["label"],
            "figure_id": rows["figure_id"],
            "basis": rows["valuation_basis"],
            "valuation_usd_bn": cited["value"].to_numpy(dtype=float),
            "qualifier": cited["qualifier"].to_numpy(),
            "status": cited["status"].to_numpy(),
            "reported_on": cited["reported_on"].to_numpy(),
            "event": cited["event"].to_numpy(),
            "source_ids": cited["source_ids"].to_numpy(),
        },
        index=rows.index,
    )
    if out["valuation_usd_bn"].isna().any():
        raise ValueError("a mark must cite a ledger row with a single value (not a range)")
    if out["basis"].eq("pre_money").any():
        raise ValueError("a mark must cite the round's post-money value: a cheque's stake is measured against it")
    bound = out["qualifier"].map(valuation.bound_of)
    unstated_exact = out["basis"].eq("unstated") & bound.isin(["exact", "about"])
    out["bound"] = bound.mask(unstated_exact, "at_least")
    out["stated"] = [stated(by_id.loc[f]) for f in out["figure_id"]]
    out["pre_money_usd_bn"] = [_pre_money(figures, e, d) for e, d in zip(out["event"], out["reported_on"], strict=True)]
    later_in_event = out.groupby("event")["reported_on"].transform("max")
    out["superseded"] = out["reported_on"] < later_in_event
    # Known dilution: every priced primary round that closed after the mark shrank the stake by pre- / post-money
    rounds = priced_rounds(figures)
    names = dict(zip(out["event"], out["label"], strict=False))
    kept, kept_bound, diluted_by = [], [], []
    for date in out["reported_on"]:
        later = rounds_after(rounds, date)
        kept.append(float(later["kept_share"].prod()))
        kept_bound.append(valuation.combined(*later["kept_bound"]) if len(later) else "exact")
        diluted_by.append(" and ".join(f"the {names.get(e, e)}" for e in later.index))
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


def when(mark: pd.Series) -> str:
    """'closed, 31 Mar 2026': a mark's status and date in words."""
    return f"{mark['status'].replace('_', ' ')}, {mark['reported_on']:%-d %b %Y}"


def column_label(mark: pd.Series) -> str:
    """'2026 round (closed, Mar 2026)': a mark as a column header."""
    return f"{capitalised(mark['label'])} ({mark['status'].replace('_', ' ')}, {mark['reported_on']:%b %Y})"


def formatted_marks(mark_table: pd.DataFrame, listing_row: pd.Series) -> pd.DataFrame:
    """The marks and the listing as read from the ledger: date, status, the figure in words and how it is used."""
    used_as = {"exact": "exact", "about": "about", "at_least": "a floor", "at_most": "a ceiling"}
    rows = [
        {
            "mark": capitalised(row["label"]),
            "reported": f"{row['reported_on']:%Y-%m-%d}",
            "status": row["status"].replace("_", " ") + (" (superseded by a later price)" if row["superseded"] else ""),
            "as reported": row["stated"]
            + (" (basis not stated)" if row["basis"] == "unstated" else f" {row['basis'].replace('_', '-')}"),
            "read as": used_as[row["bound"]],
            "round pre-money": "" if pd.isna(row["pre_money_usd_bn"]) else money(row["pre_money_usd_bn"]),
            "ledger id": row["figure_id"],
        }
        for _, row in mark_table.iterrows()
    ]
    rows.append(
        {
            "mark": listing_row["label"],
            "reported": f"{listing_row['reported_on']:%Y-%m-%d}",
            "status": "assumed" if listing_row["assumed"] else listing_row["status"].replace("_", " "),
            "as reported": listing_row["stated"],
            "read as": "assumed" if listing_row["assumed"] else used_as[listing_row["bound"]],
            "round pre-money": "",
            "ledger id": listing_row["figure_id"] or "parameter",
        }
    )
    return pd.DataFrame(rows)


# --- parameters ---------------------------------------------------------------------------------------------------


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


def parameter_specs(book: Ledger) -> list[Spec]:
    """The notebook's parameters; ranges that depend on the ledger (mark ids, smallest price, newest date) read it."""
    scenarios, figures = book.scenarios, book.figures
    mark_table = marks(scenarios, figures)
    newest = figures["reported_on"].max()
    cheapest = float(mark_table["valuation_usd_bn"].min())

    def not_before_newest(stamp: object) -> str:
        return "" if stamp >= newest else f"is before {newest:%Y-%m-%d}, the newest date in the ledger"

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
            "a private mark a stake can be bought at; the listing is where the stake is valued, not bought",
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
    ]


# --- the side-by-side comparison ------------------------------------------------------------------------------

MEASURES = {
    "valuation_usd_bn": ("valuation", "ledger (LISTING_VALUATION_USD_BN for the listing)"),
    "pre_money_usd_bn": ("pre-money value of the round", "ledger"),
    "new_money_usd_bn": ("new money in the round (post- minus pre-money)", "ledger"),
    "entry_post_money_usd_bn": ("post-money value a cheque buys into", "ledger"),
    "step_up_from_first": ("times the first mark", "ledger"),
    "years_to_listing": ("years from the mark to the listing", "AS_OF, YEARS_TO_LISTING"),
    "growth_to_listing": ("implied annual growth to the listing", "LISTING_VALUATION_USD_BN, YEARS_TO_LISTING"),
    "stake": ("stake bought (cheque / post-money)", "INVESTMENT_USD_BN"),
    "kept_share": ("share of the stake kept through priced rounds closed after the mark (pre- / post-money)", "ledger"),
    "diluted_stake": ("stake at the listing, after those rounds and the assumed dilution", "DILUTION_TO_LISTING"),
    "value_at_listing_usd_bn": ("value of the stake at the listing", "LISTING_VALUATION_USD_BN, DILUTION_TO_LISTING"),
    "multiple": ("money multiple", "all of the above"),
    "annual_return": ("annual return", "all of the above"),
    "price_to_calendar_sales": (
        "valuation / calendar revenue (newest full year reported by the mark's date)",
        "ledger",
    ),
    "price_to_run_rate": ("valuation / run-rate revenue (newest reported by the mark's date)", "ledger"),
    "required_revenue_usd_bn": ("revenue needed at the target multiple", "TARGET_REVENUE_MULTIPLE"),
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


def side_by_side(
    mark_table: pd.DataFrame, listing_row: pd.Series, figures: pd.DataFrame, params: Parameters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One column per mark and one for the listing: the numbers as floats, and the bound of each number."""
    revenue = revenue_used(mark_table, figures)
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


def _format(measure: str, value: float) -> str:
    if pd.isna(value):
        return "n/a"
    if measure.endswith("usd_bn"):
        return money(value)
    if measure in ("stake", "diluted_stake"):
        return f"{value:.2%}"
    if measure == "kept_share":
        return f"x{value:.3f}"
    if measure in ("growth_to_listing", "annual_return"):
        return f"{value:.0%}"
    if measure == "years_to_listing":
        return f"{value:.1f}"
    return f"{value:.2f}x" if measure in ("multiple", "step_up_from_first") else f"{value:.1f}x"


def shown(measure: str, value: float, bound: str) -> str:
    """One number as a reader sees it, with its bound in words: 'at most 1.80x', '$852B', 'n/a'."""
    text = _format(measure, value)
    return text if text == "n/a" else with_bound(text, bound or "exact")


def kept_text(mark: pd.Series) -> str:
    """'diluted by the 2026 round: x0.857', or 'no priced round closed after it: x1.000'."""
    share = shown("kept_share", mark["kept_share"], mark["kept_bound"])
    return (
        f"diluted by {mark['diluted_by']}: {share}"
        if mark["diluted_by"]
        else f"no priced round closed after it: {share}"
    )


def revenue_text(row: pd.Series | None, basis: str) -> str:
    """'$13.1B (2025, reported Feb 2026, F130)': the revenue a price-to-sales ratio divides by."""
    if row is None:
        return "none reported by then"
    period = row["period"] if basis == "calendar" else f"run rate of {pd.Timestamp(row['period'] + '-01'):%b %Y}"
    return f"{stated(row)} ({period}, reported {row['reported_on']:%b %Y}, {row['figure_id']})"


def formatted(
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The comparison as a reader sees it: dated columns, bounds in words, the source of each valuation."""
    headers = {m: column_label(row) for m, row in mark_table.iterrows()}
    headers["listing"] = f"{listing_row['label']} ({listing_row['listing_on']:%b %Y}, assumed date)"

    def cell(measure: str, column: str) -> str:
        if measure == "kept_share" and column in mark_table.index:
            return kept_text(mark_table.loc[column])
        return shown(measure, numbers.at[measure, column], bounds.at[measure, column])

    table = pd.DataFrame(
        {headers[c]: [cell(m, c) for m in numbers.index] for c in numbers.columns},
        index=[MEASURES[m][0] for m in numbers.index],
    )
    extra = []
    if figures is not None:
        revenue = revenue_used(mark_table, figures)
        for basis, words in (("calendar", "calendar revenue used"), ("run_rate", "run-rate revenue used")):
            table.loc[words] = [revenue_text(revenue[c][basis], basis) for c in numbers.columns]
            extra.append("ledger (latest for the listing)")
    status = [when(row) + (", superseded" if row["superseded"] else "") for _, row in mark_table.iterrows()]
    listing_status = "assumed" if listing_row["assumed"] else when(listing_row)
    source = [f"ledger {f}: {s}" for f, s in zip(mark_table["figure_id"], mark_table["stated"], strict=True)]
    listing_source = (
        "assumption (LISTING_VALUATION_USD_BN)"
        if listing_row["assumed"]
        else f"ledger {listing_row['figure_id']}: {listing_row['stated']}"
    )
    table.loc["status when reported"] = [*status, listing_status]
    table.loc["valuation comes from"] = [*source, listing_source]
    table["depends on"] = [MEASURES[m][1] for m in numbers.index] + extra + ["ledger", ""]
    return table


# --- named cases, for a buyer at every mark -------------------------------------------------------------------


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


def case_description(case: pd.Series) -> str:
    """'Bear: $600B (assumed), 2 years after AS_OF, 15% dilution'."""
    value = with_bound(money(case["listing_usd_bn"]), case["bound"])
    source = "assumed" if case["assumed"] else f"reported, {case['figure_id']}"
    years = case["years_to_listing"]
    return (
        f"{case['label']}: {value} listing ({source}), {years:g} year{'' if years == 1 else 's'} after AS_OF, "
        f"{case['dilution']:.0%} dilution"
    )


def formatted_case_grid(grid_rows: pd.DataFrame, case_table: pd.DataFrame, mark_table: pd.DataFrame) -> pd.DataFrame:
    """Cases down, marks across: the multiple with its bound and the annual return, as a reader sees them."""
    text = [
        f"{with_bound(f'{m:.2f}x', b)} ({r:+.0%} a year)"
        for m, r, b in zip(grid_rows["multiple"], grid_rows["annual_return"], grid_rows["bound"], strict=True)
    ]
    table = grid_rows.assign(text=text).pivot(index="case", columns="mark", values="text")
    table = table.loc[case_table.index, mark_table.index]
    table.index = [case_description(case) for _, case in case_table.iterrows()]
    table.columns = [
        column_label(row) + (f"; {kept_text(row)}" if row["diluted_by"] else "") for _, row in mark_table.iterrows()
    ]
    table.index.name = "listing case"
    return table


# --- sensitivity ------------------------------------------------------------------------------------------------


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


# --- words ------------------------------------------------------------------------------------------------------


def title(mark_table: pd.DataFrame, listing_row: pd.Series) -> str:
    """The notebook's title: the first price, today's price and the listing, each dated."""
    first, latest = mark_table.iloc[0], mark_table.loc[latest_mark(mark_table)]
    return (
        f"Valuation scenarios: {money(first['valuation_usd_bn'])} in {first['reported_on']:%B %Y}, "
        f"{money(latest['valuation_usd_bn'])} in {latest['reported_on']:%B %Y} (the latest private price), "
        f"{listing_row['stated']} at a listing"
    )


def _years(value: float) -> str:
    return f"{value:.1f} year{'' if round(value, 1) == 1 else 's'}"


def bottom_line(
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    grid_rows: pd.DataFrame,
    case_table: pd.DataFrame,
    figures: pd.DataFrame,
    params: Parameters,
    articles: pd.Series | None = None,
) -> str:
    """The scenario notebook's bottom line, computed from the table and the parameters, each number dated.

    `articles` is the listing figure the articles compared the first price with (default: the oldest reported).
    """
    pick_id, latest_id = params.investment_mark, latest_mark(mark_table)
    pick, mark = numbers[pick_id], mark_table.loc[pick_id]
    b = bounds[pick_id]
    listing_text = listing_row["stated"]
    listing_when = "assumed" if listing_row["assumed"] else f"reported {listing_row['reported_on']:%b %Y}"
    if pick_id == latest_id:
        buyer = "A buyer at the latest private price in the ledger"
        caveat = (
            " It is the newest price reported, not a price on offer today: nobody can be sure it is still available."
        )
    else:
        buyer, caveat = "A buyer at this earlier mark (a price no longer on offer)", ""
    announced = figures[
        figures["event"].eq(mark["event"])
        & figures["metric"].eq("post_money")
        & figures["reading"].eq("used")
        & (figures["reported_on"] < mark["reported_on"])
        & ~figures["figure_id"].isin(mark_table["figure_id"])
    ]
    same_round = "".join(
        f" {stated(row)} was the same round's post-money on the day it was {row['status'].replace('_', ' ')} "
        f"({row['reported_on']:%-d %b %Y}, {row['figure_id']}), before all the new money was in; a buyer in the round "
        f"owns the cheque over the final post-money value, so it is not a separate price."
        for _, row in announced.iterrows()
    )
    earlier = [
        f"{row['stated']} for the {row['label']} ({when(row)})" for m, row in mark_table.iterrows() if m != pick_id
    ]
    round_text = ""
    if pd.notna(pick["pre_money_usd_bn"]):
        round_text = (
            f" ({money(pick['pre_money_usd_bn'])} pre-money plus {money(pick['new_money_usd_bn'])} "
            f"of new money in the round)"
        )
    known = f" The stake was then {kept_text(mark)} ({_rounds_words(figures, mark)})." if mark["diluted_by"] else ""
    lines = [
        f"- **{buyer}** pays **{with_bound(money(pick['valuation_usd_bn']), mark['bound'])} post-money**, the price of "
        f"the {mark['label']} ({when(mark)}).{caveat}{same_round} The {'earlier' if pick_id == latest_id else 'other'} prices were "
        + "; ".join(earlier)
        + ".",
        f"- **{money(params.investment_usd_bn)}** there buys {shown('stake', pick['stake'], b['stake'])} of the "
        f"company: the cheque over the post-money value{round_text}.{known} If OpenAI lists at **{listing_text}** "
        f"({listing_when}) {params.years_to_listing:g} year{'' if params.years_to_listing == 1 else 's'} after "
        f"{params.as_of:%d %b %Y}, with {params.dilution_to_listing:.0%} assumed dilution first, the stake is worth "
        f"**{shown('value_at_listing_usd_bn', pick['value_at_listing_usd_bn'], b['multiple'])}: "
        f"{shown('multiple', pick['multiple'], b['multiple'])}**, "
        f"{shown('annual_return', pick['annual_return'], b['annual_return'])} a year over the "
        f"{_years(pick['years_to_listing'])} from {mark['reported_on']:%b %Y}.",
    ]
    first = mark_table.iloc[0]
    if articles is None:
        articles = listing_value_rows(figures).iloc[0]
    articles_bound = valuation.bound_of(articles["qualifier"])
    articles_step = valuation.combined(articles_bound, valuation.flipped(first["bound"]))
    others = listing_reports(figures)
    others = others[~others["figure_id"].isin([articles["figure_id"], listing_row["figure_id"]])]
    other_words = "; ".join(
        f"{stated(row)} ({row['reported_on']:%b %Y}, {row['figure_id']}"
        + (", an alternative reading)" if row["reading"] == "alternative" else ")")
        for _, row in others.iterrows()
    )
    comparison = (
        f"- The articles' comparison ({articles['reported_on']:%b %Y}): {first['stated']} ({first['label']}, "
        f"{first['reported_on']:%b %Y}) against {stated(articles)} at a listing ({articles['figure_id']}), a step-up of "
        f"{shown('step_up_from_first', articles['value'] / first['valuation_usd_bn'], articles_step)}."
    )
    if not listing_row["assumed"]:
        comparison += (
            f" This notebook values the listing at the newest report it uses, {listing_text} "
            f"({listing_row['reported_on']:%b %Y}, {listing_row['figure_id']}): a step-up of "
            f"{shown('step_up_from_first', numbers.at['step_up_from_first', 'listing'], bounds.at['step_up_from_first', 'listing'])}."
        )
    if other_words:
        comparison += f" Other listing reports: {other_words}."
    lines.append(comparison)
    diluted = mark_table[mark_table["diluted_by"].ne("")]
    if len(diluted):
        rounds = priced_rounds(figures)
        for event, rnd in rounds.iterrows():
            before = diluted[diluted["reported_on"] < rnd["closed_on"]]
            if before.empty:
                continue
            who = "; ".join(
                f"the {row['label']} buyer ({with_bound(money(row['valuation_usd_bn']), row['bound'])}, "
                f"{row['reported_on']:%b %Y}) gets "
                f"{shown('multiple', numbers.at['multiple', m], bounds.at['multiple', m])} "
                f"({shown('multiple', numbers.at['multiple', m] / row['kept_share'], bounds.at['multiple', m])} "
                f"if that round is left out)"
                for m, row in before.iterrows()
            )
            name = mark_table.loc[mark_table["event"].eq(event), "label"]
            lines.append(
                f"- Buyers before the {name.iloc[0] if len(name) else event} closed ({rnd['closed_on']:%-d %b %Y}) "
                f"were diluted by it: {money(rnd['pre_money_usd_bn'])} pre-money / {money(rnd['post_money_usd_bn'])} "
                f"post-money leaves {shown('kept_share', rnd['kept_share'], rnd['kept_bound'])} of their stake, before "
                f"the assumed dilution. At the listing above, {who}."
            )
    at_pick = grid_rows[grid_rows["mark"].eq(pick_id)].set_index("case")
    case_words = [
        f"{case_table.loc[c, 'label']} "
        f"({'assumed ' if case_table.loc[c, 'assumed'] else ''}{money(case_table.loc[c, 'listing_usd_bn'])}): "
        f"**{shown('multiple', at_pick.loc[c, 'multiple'], at_pick.loc[c, 'bound'])}**"
        for c in case_table.index
    ]
    losers = grid_rows[grid_rows["multiple"] < 1]
    lines.append(
        f"- The named cases for that buyer: {'; '.join(case_words)}. A multiple below 1.0x loses money: "
        f"{len(losers)} of the {len(grid_rows)} case-and-mark pairs do."
    )
    revenue = revenue_marks(figures)
    have = revenue[params.revenue_basis]
    needed = numbers.at["required_revenue_usd_bn", "listing"]
    needed_bound = bounds.at["required_revenue_usd_bn", "listing"]
    period = f"calendar {have['period']}" if params.revenue_basis == "calendar" else f"run rate of {have['period']}"
    lines.append(
        f"- At {params.target_revenue_multiple:g}x sales, a listing at {listing_text} needs "
        f"**{shown('required_revenue_usd_bn', needed, needed_bound)}** of revenue: "
        f"{with_bound(format(needed / have['value'], '.1f') + 'x', needed_bound)} the {period} ({stated(have)}, "
        f"reported {have['reported_on']:%b %Y}, the latest in the ledger)."
    )
    return "\n".join(lines)


def _rounds_words(figures: pd.DataFrame, mark: pd.Series) -> str:
    """'$730B pre-money / $852B post-money, closed 31 Mar 2026' for each priced round closed after a mark."""
    later = rounds_after(priced_rounds(figures), mark["reported_on"])
    return "; ".join(
        f"{money(r['pre_money_usd_bn'])} pre-money / {money(r['post_money_usd_bn'])} post-money, closed "
        f"{r['closed_on']:%-d %b %Y}"
        for _, r in later.iterrows()
    )


def stake_takeaway(numbers: pd.DataFrame, bounds: pd.DataFrame, mark_table: pd.DataFrame) -> str:
    """The takeaway of the marks chart: the later the price, the smaller the stake and the multiple."""
    first_id, latest_id = mark_table.index[0], latest_mark(mark_table)
    first, latest = mark_table.loc[first_id], mark_table.loc[latest_id]
    return (
        f"The later the price, the smaller the stake: the same cheque bought "
        f"{shown('stake', numbers.at['stake', first_id], bounds.at['stake', first_id])} at the {first['label']} "
        f"({first['reported_on']:%b %Y}) and {shown('stake', numbers.at['stake', latest_id], bounds.at['stake', latest_id])} "
        f"at the {latest['label']} ({when(latest)}), so the multiple at the same listing falls from "
        f"{shown('multiple', numbers.at['multiple', first_id], bounds.at['multiple', first_id])} to "
        f"{shown('multiple', numbers.at['multiple', latest_id], bounds.at['multiple', latest_id])}."
    )


def case_takeaway(grid_rows: pd.DataFrame, case_table: pd.DataFrame, mark_table: pd.DataFrame) -> str:
    """The takeaway of the named cases: where money is lost, and what the earliest buyers keep."""
    losing = grid_rows[grid_rows["multiple"] < 1]
    first_id = mark_table.index[0]
    worst_case = case_table["listing_usd_bn"].idxmin()
    first_worst = grid_rows[(grid_rows["mark"] == first_id) & (grid_rows["case"] == worst_case)].iloc[0]
    if losing.empty:
        lost = "No named case loses money at any mark."
    else:
        worst = losing.loc[losing["multiple"].idxmin()]
        names = [
            f"the {mark_table.loc[m, 'label']} ({mark_table.loc[m, 'reported_on']:%b %Y})"
            for m in losing["mark"].unique()
        ]
        marks_lost = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lost = (
            f"{len(losing)} of {len(grid_rows)} outcomes lose money, all for buyers at {marks_lost} prices; the worst is "
            f"{shown('multiple', worst['multiple'], worst['bound'])} in the {case_table.loc[worst['case'], 'label']} "
            f"case."
        )
    return (
        f"{lost} A buyer at the {mark_table.loc[first_id, 'label']} price "
        f"({mark_table.loc[first_id, 'reported_on']:%b %Y}) gets "
        f"{shown('multiple', first_worst['multiple'], first_worst['bound'])} in the "
        f"{case_table.loc[worst_case, 'label']} case."
    )


def sensitivity_takeaway(cube: dict[str, np.ndarray], mark: pd.Series, params: Parameters) -> str:
    """The takeaway of the sensitivity grid: the break-even listing value and how many cells lose money."""
    even = breakeven(mark, params.dilution_to_listing)
    floor = " or more (the price is a floor)" if mark["bound"] == "at_least" else ""
    losing = int((cube["multiple"] < 1).sum())
    known = f" after being {kept_text(mark)}" if mark["diluted_by"] else ""
    return (
        f"With {params.dilution_to_listing:.0%} assumed dilution{known}, {money(params.investment_usd_bn)} bought at "
        f"{mark['stated']} ({mark['label']}, {mark['reported_on']:%b %Y}) gets its money back only if OpenAI lists "
        f"above {money(even)}{floor}: the price divided by the share left after dilution. "
        f"{losing:,} of the grid's {cube['multiple'].size:,} cells lose money."
    )


def source_rows(book, mark_table: pd.DataFrame, listing_row: pd.Series, case_table: pd.DataFrame) -> pd.DataFrame:
    """The sources behind the marks, the listing, the reported case and the revenue figures, for the closing table."""
    ids = [*mark_table["figure_id"], listing_row["figure_id"], *case_table["figure_id"].dropna()]
    cited = book.figures[book.figures["figure_id"].isin([i for i in ids if i])]
    revenue = pd.DataFrame(list(revenue_marks(book.figures).values()))
    return source_table(book.sources, sources_of(pd.concat([cited, revenue])))


def results(
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    grid_rows: pd.DataFrame,
    mark_table: pd.DataFrame,
    params: Parameters,
) -> dict:
    """Plain numbers and their bounds for tests and the scenario summary (NaN as None)."""

    def clean(value: float) -> float | None:
        return None if pd.isna(value) else round(float(value), 10)

    at_pick = grid_rows[grid_rows["mark"].eq(params.investment_mark)]
    return {
        "parameters": {
            "as_of": f"{params.as_of:%Y-%m-%d}",
            "listing_valuation_usd_bn": params.listing_valuation_usd_bn,
            "listing_figure": params.listing_figure,
            "years_to_listing": params.years_to_listing,
            "dilution_to_listing": params.dilution_to_listing,
            "investment_usd_bn": params.investment_usd_bn,
            "investment_mark": params.investment_mark,
        },
        "latest_mark": latest_mark(mark_table),
        "marks": {m: {"reported_on": f"{row['reported_on']:%Y-%m-%d}"} for m, row in mark_table.iterrows()},
        "columns": {c: {m: clean(numbers.at[m, c]) for m in numbers.index} for c in numbers.columns},
        "bounds": {c: {m: bounds.at[m, c] for m in bounds.index if bounds.at[m, c]} for c in bounds.columns},
        "cases": {
            row["case"]: {
                "value_at_listing_usd_bn": clean(row["value_at_listing_usd_bn"]),
                "multiple": clean(row["multiple"]),
                "annual_return": clean(row["annual_return"]),
                "bound": row["bound"],
            }
            for _, row in at_pick.iterrows()
        },
        "case_grid": {
            case: {row["mark"]: clean(row["multiple"]) for _, row in rows.iterrows()}
            for case, rows in grid_rows.groupby("case", sort=False)
        },
    }
