"""Notebook 04's words against a hurdle rate and cash, and for a listing that may not happen."""

from __future__ import annotations

import functools

import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.scenario_words import _shown_at, a_or_an, shown
from helpers.analysis.scenarios import (
    CASH_RATE,
    HURDLE_RATES,
    Parameters,
    breakeven,
    elapsed_years,
    latest_mark,
    listing_reports,
    listing_value_rows,
)
from helpers.data.views import stated
from helpers.notebook.tables import money


def rate_text(rate: float) -> str:
    """A rate a year as the tables show it: 4.5%, 10%."""
    return f"{rate:.1%}".replace(".0%", "%")


def cash_text() -> str:
    """The assumed cash yield, labelled as an assumption."""
    return f"cash ({rate_text(CASH_RATE)} a year, assumed)"


def purchase_value_header(params: Parameters) -> str:
    """Header of the column that discounts the stake at the listing back to its purchase date."""
    return f"value of the stake at its purchase date, at {rate_text(params.hurdle_rate)}"


def hurdle_table(
    mark_table: pd.DataFrame,
    numbers: pd.DataFrame,
    params: Parameters,
    *,
    bounds: pd.DataFrame,
    rates: tuple[float, ...] = HURDLE_RATES,
) -> pd.DataFrame:
    """For a buyer at each price paid: the listing value needed to earn each rate, and the stake's value when bought.

    Every cell comes through the same bound-aware formatter as the side-by-side: a return or value that rests on a
    ceiling listing ("up to $1T") says "at most" here too; `bounds` is required so no caller can drop them.
    """
    rates = tuple(sorted({*rates, params.hurdle_rate}))

    def bound(measure: str, column: str) -> str:
        return bounds.at[measure, column] or "exact"

    rows = []
    for m, row in mark_table.iterrows():
        years = numbers.at["years_to_listing", m]
        cells = {
            "buyer at": f"{money(row['valuation_usd_bn'])} ({row['label']}, {row['reported_on']:%b %Y})",
            "years held": f"{years:.1f}",
            "annual return": shown("annual_return", numbers.at["annual_return", m], bound("annual_return", m)),
        }
        for rate in rates:
            listing_needed = valuation.breakeven_listing_at_hurdle(
                row["valuation_usd_bn"], row["kept_share"], params.dilution_to_listing, rate, years
            )
            label = f"listing needed for {rate_text(rate)} a year" + (" (cash, assumed)" if rate == CASH_RATE else "")
            # the listing needed does not depend on the listing value: it keeps the bound of the price and share kept
            cells[label] = shown("breakeven_hurdle_usd_bn", float(listing_needed), bound("breakeven_hurdle_usd_bn", m))
        # the discount runs over the years from the purchase to the listing: a value at the purchase date
        cells[purchase_value_header(params)] = shown(
            "present_value_usd_bn", numbers.at["present_value_usd_bn", m], bound("present_value_usd_bn", m)
        )
        rows.append(cells)
    return pd.DataFrame(rows)


def value_at_as_of(numbers: pd.DataFrame, column: str, params: Parameters) -> float:
    """The stake at the listing discounted at the hurdle rate to the as-of date, not to its purchase date."""
    return float(
        valuation.present_value(
            numbers.at["value_at_listing_usd_bn", column], params.hurdle_rate, params.years_to_listing
        )
    )


def cash_breakeven_usd_bn(mark: pd.Series, numbers: pd.DataFrame, column: str, params: Parameters) -> float:
    """The listing value at which a buyer at `mark` earns as much as the assumed cash yield."""
    return float(
        valuation.breakeven_listing_at_hurdle(
            mark["valuation_usd_bn"],
            mark["kept_share"],
            params.dilution_to_listing,
            CASH_RATE,
            numbers.at["years_to_listing", column],
        )
    )


def lowest_reported_listing_usd_bn(figures: pd.DataFrame) -> float:
    """The lowest listing value any report gives: a single value or the low end of a range, any reading."""
    rows = listing_reports(figures)
    return float(pd.concat([rows["value"], rows["low"]]).dropna().min())


def beaten_everywhere(
    mark_table: pd.DataFrame, numbers: pd.DataFrame, beat: list[str], lowest_usd_bn: float | None
) -> str:
    """' at any listing value reported (the $500B buyer needs $795B)' when every buyer beating the hurdle at the
    assumed listing also beats it at the lowest value reported (a ceiling then does not matter); else ''."""
    if not beat or lowest_usd_bn is None:
        return ""
    needs = {m: float(numbers.at["breakeven_hurdle_usd_bn", m]) for m in beat}
    worst = max(needs, key=needs.__getitem__)
    if needs[worst] > lowest_usd_bn:
        return ""
    return (
        f" at any listing value reported, the lowest {money(lowest_usd_bn)} (the "
        f"{money(mark_table.at[worst, 'valuation_usd_bn'])} buyer needs {money(needs[worst])})"
    )


def cheque_at_as_of_usd_bn(mark: pd.Series, params: Parameters) -> float:
    """The cheque compounded at the hurdle rate from the purchase date to the as-of date (the same date as the value)."""
    return float(params.investment_usd_bn * (1 + params.hurdle_rate) ** elapsed_years(mark, params))


def hurdle_takeaway(
    mark_table: pd.DataFrame,
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    params: Parameters,
    lowest_reported_usd_bn: float | None = None,
) -> str:
    """Which buyers beat the hurdle and cash at the listing, and what the latest one would need."""
    latest_id = latest_mark(mark_table)
    latest = mark_table.loc[latest_id]
    beat = [m for m in mark_table.index if numbers.at["annual_return", m] >= params.hurdle_rate]
    names = [f"{money(mark_table.at[m, 'valuation_usd_bn'])}" for m in beat]
    everywhere = beaten_everywhere(mark_table, numbers, beat, lowest_reported_usd_bn)
    at = functools.partial(_shown_at, numbers, bounds)
    earned = numbers.at["annual_return", latest_id]
    hurdle = f"{'below' if earned < params.hurdle_rate else 'above'} a {rate_text(params.hurdle_rate)} hurdle"
    cash = f"{'below' if earned < CASH_RATE else 'above'} {cash_text()}"
    bound = bounds.at["present_value_usd_bn", latest_id]
    return (
        f"At a {rate_text(params.hurdle_rate)} hurdle, {len(beat)} of {len(mark_table)} buyers beat it"
        + (f" (those at {', '.join(names)})" if names else "")
        + everywhere
        + f". The buyer at {money(latest['valuation_usd_bn'])} earns {at('annual_return', latest_id)} a year, "
        f"{hurdle} and {cash}; matching cash needs a listing of "
        f"{money(cash_breakeven_usd_bn(latest, numbers, latest_id, params))}. Its stake is worth "
        f"{at('present_value_usd_bn', latest_id)} at the {latest['reported_on']:%B %Y} purchase date, discounted at "
        f"{rate_text(params.hurdle_rate)}, against the {money(params.investment_usd_bn)} paid "
        f"({shown('present_value_usd_bn', value_at_as_of(numbers, latest_id, params), bound)} discounted only to the "
        f"date years are counted from, {params.as_of:%-d %b %Y}, against the {money(params.investment_usd_bn)} grown to then at "
        f"{rate_text(params.hurdle_rate)}: {money(cheque_at_as_of_usd_bn(latest, params))}). It needs a listing of {at('breakeven_hurdle_usd_bn', latest_id)} to "
        f"earn the hurdle ({at('breakeven_listing_usd_bn', latest_id)} just to get the money back)."
    )


def listing_chance_table(mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame) -> pd.DataFrame:
    """Per buyer: the multiple if OpenAI lists, if it does not, and the two weighted by the chance of a listing."""
    at = functools.partial(_shown_at, numbers, bounds)
    return pd.DataFrame(
        {
            "buyer at": [f"{money(r['valuation_usd_bn'])} ({r['label']})" for _, r in mark_table.iterrows()],
            "if it lists": [at("multiple", m) for m in mark_table.index],
            "multiple the hurdle needs by the listing": [at("hurdle_multiple", m) for m in mark_table.index],
            "if it does not (no date, so no annual return)": [at("unlisted_multiple", m) for m in mark_table.index],
            "weighted by the chance of a listing": [at("expected_multiple", m) for m in mark_table.index],
        }
    )


def _chance_sentence(needed: float, target: str) -> str:
    """What chance of a listing a target multiple needs, or that no chance reaches it."""
    if needed != needed:  # nan: the two outcomes are equal
        return f" No chance of a listing changes it, so it reaches {target} or not whatever the chance."
    if needed <= 0:
        return f" It reaches {target} whatever the chance of a listing."
    if needed <= 1:
        return f" It reaches {target} only if the chance of a listing is at least {valuation.round_up(needed):.0%}."
    return f" Reaching {target} would need a chance of a listing of {needed:.0%}, which is impossible."


def listing_chance_takeaway(
    mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame, params: Parameters
) -> str:
    """The expected multiple of the latest buyer against 1.0x and the hurdle, with the assumptions that decide it."""
    latest_id = latest_mark(mark_table)
    latest = mark_table.loc[latest_id]
    at = functools.partial(_shown_at, numbers, bounds)
    listed, unlisted = numbers.at["multiple", latest_id], numbers.at["unlisted_multiple", latest_id]
    hurdle = numbers.at["hurdle_multiple", latest_id]
    to_hurdle = valuation.chance_needed(hurdle, listed, unlisted)
    certain = (
        f" Even a certain listing gives {at('multiple', latest_id).replace('about ', 'only about ')}."
        if listed < hurdle and to_hurdle > 1
        else ""
    )
    return (
        f"For the buyer at {money(latest['valuation_usd_bn'])}, the expected multiple is "
        f"**{at('expected_multiple', latest_id)}**. It rests on two assumptions: "
        f"{a_or_an(f'{params.listing_chance:.0%}')} {params.listing_chance:.0%} chance that OpenAI lists, and, if it "
        f"does not, shares kept and sold {params.no_listing_haircut:.0%} below the latest private price "
        f"({at('unlisted_multiple', latest_id)}).{_chance_sentence(valuation.chance_needed(1.0, listed, unlisted), '1.0x')}"
        f" A {rate_text(params.hurdle_rate)} hurdle over the {numbers.at['years_to_listing', latest_id]:.1f} years to "
        f"the assumed listing needs {at('hurdle_multiple', latest_id)}."
        f"{_chance_sentence(to_hurdle, 'the hurdle')}{certain} The outcome without a listing has no date, so it has "
        f"no annual return: the expected multiple cannot be turned into one."
    )


def case_takeaway(
    grid_rows: pd.DataFrame, case_table: pd.DataFrame, mark_table: pd.DataFrame, params: Parameters
) -> str:
    """The takeaway of the named cases: in which case money is lost, and which outcomes miss the hurdle."""
    losing = grid_rows[grid_rows["multiple"] < 1]
    short = grid_rows[(grid_rows["multiple"] >= 1) & (grid_rows["annual_return"] < params.hurdle_rate)]

    def where(rows: pd.DataFrame) -> str:
        cases = [case_table.loc[c, "label"].lower() for c in case_table.index if c in set(rows["case"])]
        buyers = [money(mark_table.loc[m, "valuation_usd_bn"]) for m in mark_table.index if m in set(rows["mark"])]
        who = buyers[0] if len(buyers) == 1 else ", ".join(buyers[:-1]) + " and " + buyers[-1]
        return f"in the {' and '.join(cases)} case{'s' if len(cases) > 1 else ''}, for {'buyers' if len(buyers) > 1 else 'the buyer'} at {who}"

    lost = (
        f"{len(losing)} of {len(grid_rows)} outcomes lose money, all {where(losing)}."
        if len(losing)
        else ("No named case loses money.")
    )
    # a ceiling on the multiple above 1.0x is not money back: below the break-even listing the same case loses
    capped = short[short["bound"].eq("at_most")]
    short = short[~short["bound"].eq("at_most")]
    missed = (
        f" {len(short)} more {'get' if len(short) > 1 else 'gets'} the money back but {'earn' if len(short) > 1 else 'earns'} less than {params.hurdle_rate:.0%} a year ({where(short)})."
        if len(short)
        else ""
    )
    for _, row in capped.iterrows():
        even = breakeven(mark_table.loc[row["mark"]], case_table.at[row["case"], "dilution"])
        missed += (
            f" 1 more gets {shown('multiple', row['multiple'], 'at_most')} "
            f"({shown('annual_return', row['annual_return'], 'at_most')} a year; {where(capped.loc[[row.name]])}): "
            f"a listing below {money(even)} loses money."
        )
    return lost + missed + " The later the price paid, the more a case has to go right."


def floor_reports_text(
    figures: pd.DataFrame, mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame, params: Parameters
) -> str:
    """The listing reports that put a floor under the value ('more than $1T') beside the newest report the notebook
    uses, and the listing at which the latest buyer clears the hurdle: how far above the floor the answer turns."""
    reports = listing_reports(figures)
    floors = reports[reports["qualifier"].eq("more_than") & reports["value"].notna()]
    if floors.empty:
        return ""
    newest = listing_value_rows(figures).iloc[-1]
    latest_id = latest_mark(mark_table)
    at = functools.partial(_shown_at, numbers, bounds)
    needed = float(numbers.at["breakeven_hurdle_usd_bn", latest_id])
    lines = []
    for _, r in floors.iterrows():
        side = (
            f"so a listing just above {money(float(r['value']))} still misses the hurdle"
            if needed > float(r["value"])
            else f"so any listing above {money(float(r['value']))} clears it"
        )
        lines.append(
            f"A report of {r['reported_on']:%-d %B %Y} put a listing {stated(r).replace('more than', 'above')}; the "
            f"newest report, of {newest['reported_on']:%-d %B %Y}, says {stated(newest)}. Above that ceiling the answer "
            f"turns on how far above: the buyer at "
            f"{money(mark_table.at[latest_id, 'valuation_usd_bn'])} gets the money back at a listing of "
            f"{at('breakeven_listing_usd_bn', latest_id)} and clears a {rate_text(params.hurdle_rate)} hurdle only at "
            f"{at('breakeven_hurdle_usd_bn', latest_id)}, {side}. Notebook 05 shows how much the top of the listing "
            f"range decides the odds."
        )
    return " ".join(lines)
