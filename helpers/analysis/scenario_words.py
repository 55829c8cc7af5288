"""Notebook 04 in words and tables: the marks and the side-by-side as a reader reads them, the bottom line, the
takeaways and the machine-readable results, all computed from the numbers in scenarios.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.scenarios import (
    MEASURES,
    Parameters,
    breakeven,
    capitalised,
    latest_mark,
    listing_reports,
    listing_value_rows,
    priced_rounds,
    revenue_used,
    rounds_after,
)
from helpers.analysis.valuation import with_bound
from helpers.data.views import revenue_marks, source_table, sources_of, stated
from helpers.notebook.prose import listed
from helpers.notebook.tables import money


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
        marks_lost = listed(names)
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
