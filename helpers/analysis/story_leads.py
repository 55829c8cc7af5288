"""One lead a page (see `story`): the front page and each notebook, each from the values its notebook computes.

Each function takes what the notebook's set-up cell already holds, so the lead and the notebook read the same
numbers; `helpers.build.leads` runs that set-up with the committed assumptions and writes the leads in.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import cash, compute, funding, funding_words, ledger, running_total, scenario_words, valuation
from helpers.analysis.listing_odds_words import reported_top_odds, share
from helpers.analysis.story import Lead, credit, dated_line, firm_words
from helpers.data.load import as_of
from helpers.data.views import aggregator_flag, aggregator_note
from helpers.data.vocabulary import FIRM_STATUSES
from helpers.notebook.tables import money


def _mark(marks: pd.DataFrame, valuation_usd_bn: float) -> str:
    """The id of the price paid at a valuation."""
    return marks.index[marks["valuation_usd_bn"].eq(valuation_usd_bn)][0]


def _shown(numbers: pd.DataFrame, bounds: pd.DataFrame, measure: str, mark_id: str) -> str:
    return scenario_words.shown(measure, numbers.at[measure, mark_id], bounds.at[measure, mark_id])


def valuation_facts(numbers, bounds, marks, listing, params, sources) -> dict[str, str]:
    """The valuation numbers the front page and notebook 04 both state, written once."""
    latest_id = scenario_words.latest_mark(marks)
    latest = marks.loc[latest_id]
    middle = marks[marks["valuation_usd_bn"].between(400, 600)]
    mid_id = middle.index[-1] if len(middle) else marks.index[0]
    mid = marks.loc[mid_id]
    who = credit(listing["source_ids"], sources)
    listing_text = f"{listing['stated']} ({who + ', ' if who else 'reported '}{listing['reported_on']:%B %Y})"
    step_up_bound = valuation.multiple_bound(mid["bound"], listing.get("bound", "exact"))
    return {
        "latest": money(latest["valuation_usd_bn"]),
        # a price resting only on aggregator pages says so wherever a headline, standfirst or key number states it
        "latest_flagged": money(latest["valuation_usd_bn"]) + aggregator_flag(latest["source_ids"], sources),
        "latest_note": aggregator_note(latest["source_ids"], sources),
        "latest_when": f"{latest['reported_on']:%B %Y}",
        "latest_label": latest["label"],
        "latest_multiple": _shown(numbers, bounds, "multiple", latest_id),
        "latest_return": _shown(numbers, bounds, "annual_return", latest_id),
        "latest_breakeven": money(numbers.at["breakeven_listing_usd_bn", latest_id]),
        "against": scenario_words.against_hurdle_and_cash(numbers.at["annual_return", latest_id], params),
        "mid": money(mid["valuation_usd_bn"]),
        "mid_when": f"{mid['reported_on']:%B %Y}",
        "mid_label": mid["label"],
        "mid_short": f"{mid['reported_on']:%b %Y}",
        "latest_short": f"{latest['reported_on']:%b %Y}",
        "mid_multiple": _shown(numbers, bounds, "multiple", mid_id),
        "step_up": compute.ratio_words(listing["valuation_usd_bn"], step_up_bound, mid["valuation_usd_bn"]),
        "listing": listing["stated"],
        "listing_credited": listing_text,
        "listing_reported": f"{listing['reported_on']:%B %Y}",
        "listing_on": f"{listing['listing_on']:%B %Y}",
        "dilution": f"{params.dilution_to_listing:.0%}",
    }


def front_lead(numbers, bounds, marks, listing, params, figures, sources) -> Lead:
    """The report's front page: what a buyer at each recent price gets at the reported listing value."""
    v = valuation_facts(numbers, bounds, marks, listing, params, sources)
    box = funding_words.money_box(figures, FIRM_STATUSES)["amount_usd_bn"]
    # the part of the money raised whose total only aggregator pages carry is said beside the number (issue 19)
    aggregated = funding_words.aggregator_money(figures, sources, FIRM_STATUSES)
    second_hand = (
        f" ({money(aggregated['raised_usd_bn'])} of it in {aggregated['blocks']}, on aggregator pages only)"
        if aggregated["raised_usd_bn"] > 0
        else ""
    )
    return Lead(
        headline=(
            # short clauses: the headline must stay on the first screen at 1280 px and on a phone
            f"At OpenAI's last price, {v['latest_flagged']}, a listing of {v['listing']} returns "
            f"{v['latest_multiple']}: below a {params.hurdle_rate:.0%} hurdle and below cash "
            f"({scenario_words.CASH_RATE:.1%} a year, assumed)".replace(".0%", "%")
            if v["against"].startswith("below") and " and below cash" in v["against"]
            else f"A listing of {v['listing']} would return {v['latest_multiple']} to a buyer at OpenAI's last "
            f"price, {v['latest_flagged']}"
        ),
        standfirst=(
            f"OpenAI's last funding round, in {v['latest_when']}, valued it at {v['latest_flagged']} after the new "
            f"money (⟦post-money|post-money-valuation⟧). A stock-market listing of {v['listing_credited']} would be "
            f"{v['step_up']} the {v['mid']} price of the {v['mid_label']}, yet a buyer at that price would get "
            f"{v['mid_multiple']}, after later rounds and an assumed {v['dilution']} ⟦dilution|dilution⟧ before a "
            "listing."
        ),
        numbers=(
            (
                v["latest_multiple"],
                f"a buyer at {v['latest']} ({v['latest_short']}{v['latest_note']}) at a listing of {v['listing']}, "
                "after an "
                f"assumed {v['dilution']} dilution",
            ),
            (
                f"{v['latest_return']} a year",
                f"that buyer's ⟦annual return|annual-return⟧, against a {params.hurdle_rate:.0%} ⟦hurdle|hurdle-rate⟧",
            ),
            (
                v["mid_multiple"],
                f"a buyer at {v['mid']} ({v['mid_short']}) at the same listing, after later rounds and the assumed "
                f"{v['dilution']} dilution",
            ),
            (
                money(box.iloc[2]),
                f"⟦raised|raised⟧ from investors{second_hand}; {money(box.iloc[3])} more conditional"
                f"{running_total.trigger_clause(figures)}",
            ),
        ),
        dated=dated_line(figures, params.as_of)
        + f" The listing in {v['listing_on']} and {v['dilution']} dilution before it are assumptions.",
        as_of=as_of(figures),
    )


def scenarios_lead(numbers, bounds, marks, listing, params, figures, sources) -> Lead:
    """Notebook 04: the latest buyer against the hurdle, the break-even listing, the earlier buyer."""
    v = valuation_facts(numbers, bounds, marks, listing, params, sources)
    return Lead(
        headline=scenario_words.title(marks, listing, numbers, bounds, params, sources),
        standfirst=(
            f"A stake is worth what was paid for it only if OpenAI lists high enough, soon enough and at all. This "
            f"notebook follows a stake bought at each price paid through the rounds that came after it "
            f"(⟦dilution|dilution⟧) to a listing of {v['listing_credited']}, and judges the result against a "
            f"⟦hurdle rate|hurdle-rate⟧. The listing date and the dilution before it are assumptions."
        ),
        numbers=(
            (
                v["latest_multiple"],
                f"a buyer at {v['latest']} ({v['latest_when']}{v['latest_note']}) at the listing, after an assumed "
                f"{v['dilution']} dilution (⟦money multiple|money-multiple⟧)",
            ),
            (f"{v['latest_return']} a year", f"that buyer's ⟦annual return|annual-return⟧, {v['against']}"),
            (
                v["latest_breakeven"],
                f"the listing value at which that buyer gets its money back, with {v['dilution']} dilution (assumed)",
            ),
            (
                v["mid_multiple"],
                f"a buyer at {v['mid']} (the {v['mid_label']}), after later rounds and the assumed {v['dilution']} "
                "dilution",
            ),
        ),
        dated=dated_line(figures, params.as_of),
    )


def odds_lead(marks, odds, params, figures, ranking: pd.DataFrame, sources: pd.DataFrame) -> Lead:
    """Notebook 05: the latest buyer's chance of a loss with the listing range topped where the reports put it,
    first, then at the assumed top, labelled as an assumption; and why its best outcomes exceed notebook 04's (a
    different ceiling, not different data)."""
    latest_id = marks.index[marks["reported_on"].eq(marks["reported_on"].max())][-1]
    mark, row = marks.loc[latest_id], odds.loc[latest_id]
    low, high = money(float(params["LISTING_LOW_USD_BN"])), money(float(params["LISTING_HIGH_USD_BN"]))
    hurdle = f"{float(params['HURDLE_RATE']):.0%}"
    safe = [money(marks.at[m, "entry_usd_bn"]) for m in odds.index if odds.at[m, "loss_chance"] == 0]
    ids = figures.drop_duplicates("figure_id").set_index("figure_id").at[mark["figure_id"], "source_ids"]
    price = money(mark["entry_usd_bn"])
    when = f"{mark['reported_on']:%b %Y}{aggregator_note(ids, sources)}"
    top = reported_top_odds(ranking, row, float(params["LISTING_CHANCE"]))
    if top is not None:
        headline = (
            f"If OpenAI lists no higher than the reported {top['top']}, a buyer at {price}"
            f"{aggregator_flag(ids, sources)} loses money in {share(top['loss_chance'])} of the outcomes drawn; with "
            f"an assumed top of {high}, in {share(row.loss_chance)}"
        )
        ceiling = (
            f" Notebook 04 fixes the listing at the reported {top['top']} or less; with the assumed {high} top, one "
            f"draw in ten returns {row.multiple_p90:.2f}x or more to that buyer: the two notebooks differ in the "
            "ceiling, not in the data."
        )
        numbers = (
            (
                share(top["loss_chance"]),
                f"chance that a buyer at {price} ({when}) gets back less than it paid, if OpenAI lists between an "
                f"assumed {low} and the reported {top['top']}",
            ),
            (share(row.loss_chance), f"the same chance if the listing can reach an assumed {high}"),
            (
                share(top["hurdle_miss_chance"]),
                f"chance that buyer earns less than a {hurdle} ⟦hurdle rate|hurdle-rate⟧, listing no higher than "
                f"{top['top']}",
            ),
        )
    else:
        headline = (
            f"If OpenAI lists between {low} and {high}, a buyer at {price}{aggregator_flag(ids, sources)} loses "
            f"money in {share(row.loss_chance)} of the assumed outcomes"
        )
        ceiling = ""
        numbers = (
            (
                share(row.loss_chance),
                f"chance that a buyer at {price} ({when}) gets back less than it paid, if OpenAI lists between {low} "
                f"and {high} (assumed)",
            ),
            (share(row.hurdle_miss_chance), f"chance that buyer earns less than a {hurdle} ⟦hurdle rate|hurdle-rate⟧"),
            (
                share(row.loss_chance_all),
                f"chance of a loss counting an assumed {1 - float(params['LISTING_CHANCE']):.0%} chance of no listing",
            ),
        )
    return Lead(
        headline=headline,
        standfirst=(
            "Notebook 04 fixes the listing value, the wait and the dilution; this one draws each from an assumed "
            f"range (⟦triangular range|triangular-range⟧) {int(params['DRAWS']):,} times and counts how often a buyer "
            "loses. "
            + (
                "The answer depends most on where the listing range tops out."
                if top is not None and ranking.index[1] == top["name"]  # ranking's first row is the base case
                else "The answer depends on where the ranges end, and the notebook shows which end decides it."
            )
            + ceiling
        ),
        numbers=numbers + ((" and ".join(safe) or "none", "buyers who lose money in no outcome drawn"),),
        dated=dated_line(figures, params["AS_OF"]),
    )


def ledger_lead(figures: pd.DataFrame, sources: pd.DataFrame, box: pd.DataFrame) -> Lead:
    """Notebook 01: how much is firm, how much rests on talks, and where sources disagree."""
    groups = ledger.deals(figures)["group"].value_counts()
    kinds = ledger.disagreements(figures)
    first, last = figures["reported_on"].min(), figures["reported_on"].max()
    return Lead(
        headline=f"Of {int(groups.sum())} deals reported about OpenAI's money, {ledger.deal_parts_words(figures)}",
        standfirst=(
            f"The ledger keeps every figure as a source reported it, {first:%B %Y} to {last:%B %Y}, with its outlet, "
            "date and ⟦status|status-words⟧. A deal reported twice, in talks and then signed, is two rows, and "
            "where sources disagree every reading is kept. A deal is a transaction OpenAI is a party to, counted "
            f"whether or not its amount was disclosed ({ledger.undisclosed_deals(figures)} were not), its parts "
            "counted inside it; the status chart follows events, which also include those parts and reports without "
            "an amount."
        ),
        numbers=(
            (str(len(figures)), f"figures, from {len(sources)} sources"),
            (str(groups.get("firm", 0)), f"of {int(groups.sum())} deals {firm_words()} (⟦firm|firm⟧)"),
            (
                str(groups.get("tentative", 0)),
                f"deals resting on {ledger.tentative_words(figures, linked=True)}; {groups.get('lapsed', 0)} lapsed",
            ),
            (str(int(kinds.eq("disagreement").sum())), "figures on which sources disagree"),
        ),
        dated=dated_line(figures),
    )


def funding_lead(figures: pd.DataFrame, firm: tuple[str, ...], sources: pd.DataFrame) -> Lead:
    """Notebook 02: money raised, what is conditional, and the last price; what rests on aggregator pages says so."""
    box = funding_words.money_box(figures, firm)["amount_usd_bn"]
    second_hand = funding_words.aggregator_money(figures, sources, firm)
    marks = funding.valuation_marks(figures)
    used = marks[marks["metric"].eq("post_money") & marks["category"].ne("listing")].dropna(subset=["value"])
    last = used.iloc[-1] if len(used) else None
    newest = f"{figures['reported_on'].max():%B %Y}"
    return Lead(
        headline=(
            f"OpenAI raised {money(box.iloc[2])} from investors by {newest}, and {money(box.iloc[3])} more was "
            "promised only on conditions"
        ),
        standfirst=(
            f"Of the money raised, {money(box.iloc[0])} was {funding.PAID_IN_DEFINED} and {money(box.iloc[1])} was "
            "⟦committed|committed⟧ but not yet paid. ⟦Conditional|conditional⟧ money, talks and press reports "
            "are kept apart and never added to it."
            + (
                f" {money(second_hand['raised_usd_bn'])} of the money raised ({money(second_hand['paid_usd_bn'])} "
                f"of it paid in) is in {second_hand['blocks']}, whose total rests on aggregator pages only."
                if second_hand["raised_usd_bn"] > 0
                else ""
            )
        ),
        numbers=(
            (money(box.iloc[0]), "⟦paid in|paid-in⟧ (reported, or at a round's close)"),
            (money(box.iloc[1]), "committed, not yet paid"),
            (money(box.iloc[3]), f"conditional: {funding_words.condition_words(figures)}"),
        )
        + (
            (
                (
                    money(float(last["value"])),
                    f"OpenAI's value after its last round (⟦post-money|post-money-valuation⟧, "
                    f"{last['reported_on']:%b %Y}{aggregator_note(last['source_ids'], sources)})",
                ),
            )
            if last is not None
            else ()
        ),
        dated=dated_line(figures),
    )


def compute_lead(deals: pd.DataFrame, figures: pd.DataFrame) -> Lead:
    """Notebook 03: announced compute contracts against money raised."""
    firm = deals[deals["status"].isin(FIRM_STATUSES)]
    raised = funding_words.money_box(figures, FIRM_STATUSES).iloc[2]["amount_usd_bn"]
    total = compute.totals(deals)
    press = compute.commitment_words(deals[~deals["status"].isin(FIRM_STATUSES)]).split(" (")[0]
    return Lead(
        headline=(
            f"OpenAI's announced compute contracts came to {compute.commitment_words(firm).split(' (')[0]}, "
            f"{compute.ratio_words(total['firm_usd_bn'], compute.floor_bound(firm), raised)} the money it raised"
        ),
        standfirst=(
            "OpenAI promised cloud providers, chip makers and data-centre builders more than it has raised, spread "
            "over several years. Most contracts were reported without a term or a start year, so the yearly "
            "schedule rests on assumptions that the charts mark."
        ),
        numbers=(
            (compute.commitment_words(firm).split(" (")[0], "compute contracts announced or signed"),
            (press, "more in contracts known only from ⟦press reports|press-report⟧"),
            (money(raised), "⟦raised|raised⟧ from investors (paid in or committed)"),
            (str(total["undisclosed"]), "deals with no amount disclosed"),
        ),
        dated=dated_line(figures),
    )


def cash_lead(found: pd.DataFrame, view: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame, year: int) -> Lead:
    """Notebook 06: the newest burn against revenue, the cash held, the year's commitments; a figure resting only on
    aggregator pages says so."""
    period = cash.latest_period(found, ("revenue", "cash_burn"))
    revenue, burn = cash._cell(found, period, "revenue"), cash._cell(found, period, "cash_burn")
    held = view[view["kind"].eq("held")]
    commitments = view[view["kind"].eq("out, assumed")]["usd_bn"].iloc[0]

    def flagged(row: pd.Series) -> str:
        return " (press reports read on aggregator pages)" if cash.aggregator_only(row["source_ids"], sources) else ""

    numbers = [
        (cash.stated(burn), f"cash burned {cash.in_period(period)}{flagged(burn)}"),
        (cash.stated(revenue), f"revenue {cash.in_period(period)}{flagged(revenue)}"),
    ]
    if len(held):
        row = figures.loc[figures["figure_id"].eq(held["figure_id"].iloc[0])].iloc[0]
        numbers.append(
            (
                money(held["usd_bn"].iloc[0]),
                # one bracket for the date and the flag: '(end of Mar 2026; press reports read on aggregator pages)'
                f"cash and securities held ({held.index[0].split(', ', 1)[1]}"
                + (f"; {flagged(row).strip(' ()')}" if flagged(row) else "")
                + ")",
            )
        )
    numbers.append(
        (money(commitments) + cash.or_more(view), f"compute commitments falling in {year} ({cash.assumed_words(view)})")
    )
    second_hand = flagged(burn) and flagged(revenue)
    return Lead(
        headline=(
            f"OpenAI burned {cash.stated(burn)} of cash {cash.in_period(period)} on {cash.stated(revenue)} of revenue"
            + (", by press reports read on aggregator pages" if second_hand else "")
        ),
        standfirst=(
            "Revenue, losses and cash burn come from reports of past periods; a figure known only from aggregator "
            "pages says so. They are set beside the compute OpenAI committed to and the capital it raised."
        ),
        numbers=tuple(numbers),
        dated=dated_line(figures),
    )
