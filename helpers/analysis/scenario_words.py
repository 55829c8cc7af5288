"""Notebook 04 in words and tables: the marks and the side-by-side as a reader reads them, the bottom line, the
takeaways and the machine-readable results, all computed from the numbers in scenarios.py.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.scenarios import (
    CASH_RATE,
    MEASURES,
    Parameters,
    breakeven,
    capitalised,
    elapsed_years,
    latest_mark,
    priced_rounds,
    revenue_used,
    talk_prices,
    value_per_share,
)
from helpers.analysis.valuation import with_bound
from helpers.data.views import aggregator_flag, revenue_marks, source_table, sources_of, stated
from helpers.data.vocabulary import DAYS_PER_YEAR, FIRM_STATUSES
from helpers.notebook.tables import json_numbers, money


def per_share_table(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per priced round: pre- and post-money, the post-money step-up (new money included) and the value of
    one share (the first round's = 1.00), which is what a holder earned."""
    rounds = priced_rounds(figures)
    index = value_per_share(rounds)
    posts = rounds["post_money_usd_bn"]
    return pd.DataFrame(
        {
            "round": rounds["deal"],
            "priced": rounds["priced_on"].dt.strftime("%-d %b %Y"),
            "closed": rounds["closed_on"].dt.strftime("%-d %b %Y"),
            # a pre-money no source reported as a price is the post-money less the new money, and says so
            "pre-money": [
                money(v) + (" (post-money less new money)" if derived else "")
                for v, derived in zip(rounds["pre_money_usd_bn"], rounds["pre_money_derived"], strict=True)
            ],
            "post-money": posts.map(money),
            "post-money over the last round's": (posts / posts.shift()).map(
                lambda v: "" if pd.isna(v) else f"{v:.2f}x"
            ),
            "value of one share": index.map("{:.2f}".format),
            "one share over the last round's": (index / index.shift()).map(lambda v: "" if pd.isna(v) else f"{v:.2f}x"),
        }
    ).reset_index(drop=True)


def _closed_later(mark: pd.Series) -> bool:
    """A round priced on the mark's date that closed later (its price row is older than its close)."""
    closed = mark.get("closed_on")
    return closed is not None and pd.notna(closed) and closed > mark["reported_on"]


def when(mark: pd.Series) -> str:
    """'closed, 31 Mar 2026' or 'priced 31 Mar 2025, closed 31 Dec 2025': a mark's status and date in words."""
    if _closed_later(mark):
        return f"priced {mark['reported_on']:%-d %b %Y}, closed {mark['closed_on']:%-d %b %Y}"
    return f"{mark['status'].replace('_', ' ')}, {mark['reported_on']:%-d %b %Y}"


def column_label(mark: pd.Series) -> str:
    """'2026 round (closed, Mar 2026)': a mark as a column header."""
    if _closed_later(mark):
        return f"{capitalised(mark['label'])} (priced {mark['reported_on']:%b %Y}, closed {mark['closed_on']:%b %Y})"
    return f"{capitalised(mark['label'])} ({mark['status'].replace('_', ' ')}, {mark['reported_on']:%b %Y})"


def a_or_an(text: str) -> str:
    """'an 80% chance', 'a 50% chance': the article a number read aloud takes."""
    return "an" if text[:1] == "8" or text[:2] in ("11", "18") else "a"


def formatted_marks(mark_table: pd.DataFrame, listing_row: pd.Series) -> pd.DataFrame:
    """The marks and the listing as read from the ledger: date, status, the figure in words and how it is used."""
    used_as = {"exact": "exact", "about": "about", "at_least": "a floor", "at_most": "a ceiling"}
    rows = [
        {
            "mark": capitalised(row["label"]),
            "reported": f"{row['reported_on']:%Y-%m-%d}",
            "status": row["status"].replace("_", " ")
            + (f" (closed {row['closed_on']:%-d %b %Y})" if _closed_later(row) else ""),
            "as reported": row["stated"]
            + (
                " (basis not stated; read as post-money, since a tender issues no shares)"
                if row["kind"] == "tender"
                else f" {row['basis'].replace('_', '-')}"
            ),
            "read as": used_as[row["bound"]],
            "round pre-money": "" if pd.isna(row["pre_money_usd_bn"]) else money(row["pre_money_usd_bn"]),
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
        }
    )
    return pd.DataFrame(rows)


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
        return f"{value:.1%}" if abs(value) < 0.095 else f"{value:.0%}"
    if measure == "years_to_listing":
        return f"{value:.1f}"
    if measure in ("multiple", "step_up_from_first", "hurdle_multiple", "unlisted_multiple", "expected_multiple"):
        # a loss must never read as 1.00x
        return f"{value:.3f}x" if f"{value:.2f}" == "1.00" and value != 1 else f"{value:.2f}x"
    return f"{value:.1f}x"


def shown(measure: str, value: float, bound: str) -> str:
    """One number as a reader sees it, with its bound in words: 'at most 1.80x', '$852B', 'n/a'."""
    text = _format(measure, value)
    return text if text == "n/a" else with_bound(text, bound or "exact")


def kept_text(mark: pd.Series) -> str:
    """'diluted by the 2026 round, which left 85.7% of the stake', or 'no round priced after it: the whole stake'
    (a share of the stake, in words a reader knows, not a factor like x0.857)."""
    if not mark["diluted_by"]:
        return "no round priced after it: the whole stake"
    bound = {"at_least": "at least ", "at_most": "at most "}.get(mark["kept_bound"], "")
    rounds = "which" if " and " not in mark["diluted_by"] else "which together"
    return f"diluted by {mark['diluted_by']}, {rounds} left {bound}{mark['kept_share']:.1%} of the stake"


def revenue_text(row: pd.Series | None, basis: str) -> str:
    """'$13.1B (2025, reported Feb 2026)': the revenue a price-to-sales ratio divides by."""
    if row is None:
        return "none reported by then"
    period = row["period"] if basis == "calendar" else f"run rate of {pd.Timestamp(row['period'] + '-01'):%b %Y}"
    return f"{stated(row)} ({period}, reported {row['reported_on']:%b %Y})"


def _event_amounts(figures: pd.DataFrame, event: str) -> pd.DataFrame:
    """The firm money amounts the ledger reports for one round or for parts of it."""
    return figures[
        (figures["event"].eq(event) | figures["part_of"].eq(event))
        & figures["reading"].eq("used")
        & figures["metric"].eq("amount")
        & figures["status"].isin(FIRM_STATUSES)
    ]


def new_money_text(text: str, mark: pd.Series, figures: pd.DataFrame, value_usd_bn: float | None = None) -> str:
    """Post- minus pre-money: money committed when none of it is conditional; else 'of new money in the price', split
    into what was raised and what is conditional (committed means without conditions); the closed size if it differs."""
    amounts = _event_amounts(figures, mark["event"])
    conditional = amounts[amounts["basis"].eq("conditional")]
    sized = amounts[amounts["category"].eq("funding_round") & amounts["status"].eq("closed")]
    if mark["kind"] == "tender" or text == "n/a":
        return text
    parts = []
    if len(sized) and not any(money(float(v)) == text for v in sized["value"]):
        parts.append(f"the closed size reported is {money(float(sized.sort_values('reported_on').iloc[-1]['value']))}")
    if len(conditional) and value_usd_bn is not None and pd.notna(value_usd_bn):
        held_back = float(conditional["value"].max())
        split = f"{money(value_usd_bn - held_back)} raised, {money(held_back)} conditional"
        return f"{text} of new money in the price: {split}" + (f"; {'; '.join(parts)}" if parts else "")
    return f"{text} committed" + (f", {'; '.join(parts)}" if parts else "")


def formatted(
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    figures: pd.DataFrame | None = None,
    revenue: dict[str, dict[str, pd.Series | None]] | None = None,
) -> pd.DataFrame:
    """The comparison as a reader sees it: dated columns, bounds in words, the source of each valuation (`revenue`:
    `revenue_used` of the same marks and figures, when the caller has it already)."""
    headers = {m: column_label(row) for m, row in mark_table.iterrows()}
    headers["listing"] = f"{listing_row['label']} ({listing_row['listing_on']:%b %Y}, assumed date)"

    def cell(measure: str, column: str) -> str:
        if measure == "kept_share" and column in mark_table.index:
            return kept_text(mark_table.loc[column])
        text = shown(measure, numbers.at[measure, column], bounds.at[measure, column])
        if measure == "new_money_usd_bn" and column in mark_table.index and figures is not None:
            return new_money_text(text, mark_table.loc[column], figures, numbers.at[measure, column])
        return text

    table = pd.DataFrame(
        {headers[c]: [cell(m, c) for m in numbers.index] for c in numbers.columns},
        index=[MEASURES[m][0] for m in numbers.index],
    )
    extra = []
    if figures is not None:
        revenue = revenue_used(mark_table, figures) if revenue is None else revenue
        for basis, words in (("calendar", "calendar revenue used"), ("run_rate", "run-rate revenue used")):
            table.loc[words] = [revenue_text(revenue[c][basis], basis) for c in numbers.columns]
            extra.append("the ledger (the latest for the listing)")
    status = [when(row) + (", superseded" if row["superseded"] else "") for _, row in mark_table.iterrows()]
    listing_status = "assumed" if listing_row["assumed"] else when(listing_row)
    source = [f"the ledger: {s}" for s in mark_table["stated"]]
    listing_source = (
        "assumption (the assumed listing value)" if listing_row["assumed"] else f"the ledger: {listing_row['stated']}"
    )
    table.loc["status when reported"] = [*status, listing_status]
    table.loc["valuation comes from"] = [*source, listing_source]
    table["depends on"] = [MEASURES[m][1] for m in numbers.index] + extra + ["the ledger", ""]
    return table


def case_description(case: pd.Series, as_of: pd.Timestamp | None = None) -> str:
    """'Bear: $600B listing (assumed), 2 years after 22 Nov 2026, 15% dilution'."""
    value = with_bound(money(case["listing_usd_bn"]), case["bound"])
    source = "assumed" if case["assumed"] else "reported"
    years = case["years_to_listing"]
    since = f"{as_of:%-d %b %Y}" if as_of is not None else "the date years are counted from"
    return (
        f"{case['label']}: {value} listing ({source}), {years:g} year{'' if years == 1 else 's'} after {since}, "
        f"{case['dilution']:.0%} dilution"
    )


def formatted_case_grid(
    grid_rows: pd.DataFrame, case_table: pd.DataFrame, mark_table: pd.DataFrame, as_of: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Cases down, marks across: the multiple with its bound and the annual return, as a reader sees them."""
    text = [
        f"{with_bound(shown('multiple', m, 'exact'), b)} ({r:+.0%} a year)"
        for m, r, b in zip(grid_rows["multiple"], grid_rows["annual_return"], grid_rows["bound"], strict=True)
    ]
    table = grid_rows.assign(text=text).pivot(index="case", columns="mark", values="text")
    table = table.loc[case_table.index, mark_table.index]
    table.index = [case_description(case, as_of) for _, case in case_table.iterrows()]
    table.columns = [
        column_label(row) + (f"; {kept_text(row)}" if row["diluted_by"] else "") for _, row in mark_table.iterrows()
    ]
    table.index.name = "listing case"
    return table


def _shown_at(numbers: pd.DataFrame, bounds: pd.DataFrame, measure: str, column: str) -> str:
    """One cell of the side-by-side as a reader sees it."""
    return shown(measure, numbers.at[measure, column], bounds.at[measure, column])


def title(
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    params: Parameters,
    sources: pd.DataFrame | None = None,
) -> str:
    """The notebook's headline: what the latest price paid returns at the listing, against the hurdle; given the
    sources, a price resting only on aggregator pages says so."""
    latest_id = latest_mark(mark_table)
    latest = mark_table.loc[latest_id]
    flag = "" if sources is None else aggregator_flag(latest["source_ids"], sources)
    return (
        f"Bought at {money(latest['valuation_usd_bn'])}{flag} in {latest['reported_on']:%B %Y}, a stake returns "
        f"{_shown_at(numbers, bounds, 'multiple', latest_id)} at a listing of {listing_row['stated']}: "
        f"{_shown_at(numbers, bounds, 'annual_return', latest_id)} a year, "
        f"{against_hurdle_and_cash(numbers.at['annual_return', latest_id], params)}"
    )


def against_hurdle_and_cash(annual_return: float, params: Parameters) -> str:
    """Where an annual return sits against the hurdle and against the assumed cash yield."""
    hurdle, cash = params.hurdle_rate, CASH_RATE
    return (
        f"{'below' if annual_return < hurdle else 'above'} a {hurdle:.0%} hurdle and "
        f"{'below' if annual_return < cash else 'above'} cash ({f'{cash:.1%}'.replace('.0%', '%')} a year, assumed)"
    )


def _years(value: float) -> str:
    return f"{value:.1f} year{'' if round(value, 1) == 1 else 's'}"


def bottom_line(
    numbers: pd.DataFrame, bounds: pd.DataFrame, mark_table: pd.DataFrame, listing_row: pd.Series, params: Parameters
) -> str:
    """Three short bullets: the chosen buyer against the hurdle, the earliest price paid, the listing that may not come."""
    pick_id, first_id = params.investment_mark, mark_table.index[0]
    pick, first = mark_table.loc[pick_id], mark_table.loc[first_id]
    at = functools.partial(_shown_at, numbers, bounds)
    return "\n".join(
        [
            f"- A buyer at **{money(pick['valuation_usd_bn'])}** ({pick['reported_on']:%b %Y}) gets "
            f"**{at('multiple', pick_id)}**, **{at('annual_return', pick_id)} a year**, at a listing of "
            f"{listing_row['stated']}: "
            f"{against_hurdle_and_cash(numbers.at['annual_return', pick_id], params).split(' (')[0]}.",
            f"- {money(first['valuation_usd_bn'])} ({first['reported_on']:%b %Y}), the earliest dated "
            f"price paid, gives {at('multiple', first_id)}.",
            f"- With an assumed {1 - params.listing_chance:.0%} chance of no listing (valued "
            f"{params.no_listing_haircut:.0%} below the last price), it expects {at('expected_multiple', pick_id)}.",
        ]
    )


def articles_comparison(figures: pd.DataFrame, articles: pd.Series, listing_row: pd.Series) -> str:
    """The source articles' own comparison: the talks' price against their listing figure, both as talks."""
    talk = talk_prices(figures)
    same_day = talk[talk["reported_on"].eq(articles["reported_on"])]
    if same_day.empty:
        return ""
    price = same_day.iloc[0]
    step = valuation.combined(
        valuation.bound_of(articles["qualifier"]), valuation.flipped(valuation.bound_of(price["qualifier"]))
    )
    return (
        f"The source articles ({articles['reported_on']:%b %Y}) set the {stated(price)} of the Amazon talks against "
        f"{stated(articles)} at a listing: a step-up of {shown('step_up_from_first', articles['value'] / price['value'], step)}. "
        f"Neither was a price paid: Amazon later bought into the 2026 round at its price, and the listing figure "
        f"reported since is {listing_row['stated']} ({listing_row['reported_on']:%b %Y})."
    )


def buyers_text(figures: pd.DataFrame, mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame) -> str:
    """Who paid which price, which later rounds diluted each, and what one share gained (not the new money)."""
    rounds = priced_rounds(figures)
    index = value_per_share(rounds)
    first, last = rounds.index[0], rounds.index[-1]
    # between the days the prices were set, as 02 counts it (a close can come weeks after the price)
    span = (rounds.at[last, "priced_on"] - rounds.at[first, "priced_on"]).days / DAYS_PER_YEAR
    post_growth = rounds.at[last, "post_money_usd_bn"] / rounds.at[first, "post_money_usd_bn"]
    lines = []
    for m, row in mark_table.iterrows():
        kind = "tender of existing shares" if row["kind"] == "tender" else "round"
        closed = (
            f", priced {row['reported_on']:%-d %b %Y} and closed {row['closed_on']:%-d %b %Y}"
            if row["closed_on"] != row["reported_on"]
            else f", {row['status'].replace('_', ' ')} {row['reported_on']:%-d %b %Y}"
        )
        lines.append(
            f"- **{capitalised(row['label'])}** ({kind}{closed}): {money(row['valuation_usd_bn'])} post-money; "
            f"{kept_text(row)}; {_shown_at(numbers, bounds, 'multiple', m)} at the listing."
        )
    lines.append(
        f"- One share's value rose {index.iloc[-1]:.2f}x from the {rounds.at[first, 'deal']} to the "
        f"{rounds.at[last, 'deal']} ({span:.1f} years from the day the first price was set to the last): each "
        f"round's pre-money over the last one's post-money. Post-money "
        f"values rose {post_growth:.2f}x, but that counts the new money each round brought in."
    )
    return "\n".join(lines)


def stake_takeaway(numbers: pd.DataFrame, bounds: pd.DataFrame, mark_table: pd.DataFrame) -> str:
    """The takeaway of the marks chart: the later the price, the smaller the stake and the multiple."""
    first_id, latest_id = mark_table.index[0], latest_mark(mark_table)
    first, latest = mark_table.loc[first_id], mark_table.loc[latest_id]
    at = functools.partial(_shown_at, numbers, bounds)
    return (
        f"The later the price, the smaller the stake: the same cheque bought {at('stake', first_id)} at the "
        f"{first['label']} ({first['reported_on']:%b %Y}) and {at('stake', latest_id)} at the {latest['label']} "
        f"({latest['reported_on']:%b %Y}), so the multiple at the same listing falls from {at('multiple', first_id)} to "
        f"{at('multiple', latest_id)}. The talks drawn hatched set no price, so nobody bought at them."
    )


def sensitivity_takeaway(
    cube: dict[str, np.ndarray], mark: pd.Series, params: Parameters, listing_values: np.ndarray, dilutions: np.ndarray
) -> str:
    """The takeaway of the sensitivity grid: both break-even listings, and which value-and-dilution pairs lose money."""
    even = breakeven(mark, params.dilution_to_listing)
    held = elapsed_years(mark, params) + params.years_to_listing
    at_hurdle = float(
        valuation.breakeven_listing_at_hurdle(
            mark["valuation_usd_bn"], mark["kept_share"], params.dilution_to_listing, params.hurdle_rate, held
        )
    )
    floor = " or more (the price is a floor)" if mark["bound"] == "at_least" else ""
    # whether money is lost does not depend on the years: count (value, dilution) pairs, not cells
    losing = int((cube["multiple"][:, 0, :] < 1).sum())
    pairs = len(listing_values) * len(dilutions)
    return (
        f"With {params.dilution_to_listing:.0%} assumed dilution, {money(params.investment_usd_bn)} bought at "
        f"{mark['stated']} ({mark['label']}, {mark['reported_on']:%b %Y}) gets its money back above a listing of "
        f"{money(even)}{floor}, and earns {params.hurdle_rate:.0%} a year only above {money(at_hurdle)} if the listing "
        f"comes {params.years_to_listing:g} year{'' if params.years_to_listing == 1 else 's'} after "
        f"{params.as_of:%-d %b %Y}. {losing} of the {pairs} pairs of listing value and dilution on the grid lose money "
        f"whenever the listing comes; the grid is a map of assumptions, not a probability. The return grid holds "
        f"dilution at {params.dilution_to_listing:.0%} however long the wait, so it ignores the cost of delay: a later "
        f"listing that needs more money raised would dilute more and return less than the cells to the right show."
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
    numbers_out = {
        "parameters": {
            "as_of": f"{params.as_of:%Y-%m-%d}",
            "listing_valuation_usd_bn": params.listing_valuation_usd_bn,
            "listing_figure": params.listing_figure,
            "years_to_listing": params.years_to_listing,
            "dilution_to_listing": params.dilution_to_listing,
            "investment_usd_bn": params.investment_usd_bn,
            "investment_mark": params.investment_mark,
            "hurdle_rate": params.hurdle_rate,
            "listing_chance": params.listing_chance,
            "no_listing_haircut": params.no_listing_haircut,
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
    # whole floats as ints: JupyterLab writes JSON numbers back that way when it saves the notebook
    return json_numbers(numbers_out)
