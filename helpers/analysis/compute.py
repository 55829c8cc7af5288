"""Pure functions for the compute notebook: commitments, annual schedules, two-way flows, scope."""

from __future__ import annotations

import pandas as pd

from helpers.analysis import funding
from helpers.data.load import Ledger
from helpers.data.views import describe_value, latest, revenue_marks, sources_of, stated
from helpers.data.vocabulary import (
    COMMITMENT_CATEGORIES,
    COMPUTE_PROVIDERS,
    FIRM_STATUSES,
    INVESTOR_VENDORS,
    LAPSED_STATUSES,
    UPPER_BOUND_QUALIFIERS,
)
from helpers.notebook.parameters import Spec
from helpers.notebook.prose import listed
from helpers.notebook.tables import money


def parameter_specs(book: Ledger | None = None) -> list[Spec]:
    """The compute notebook's parameters (none depend on the ledger; `book` keeps one call for every notebook)."""
    return [
        Spec(
            "ASSUMED_TERM_YEARS", "integer", "years a commitment with no reported term is spread over", low=1, high=30
        ),
        Spec(
            "ASSUMED_START_DELAY_YEARS",
            "integer",
            "years from the report to the assumed start of a commitment with no reported start",
            low=0,
            high=10,
        ),
        Spec("INCLUDE_PRESS_REPORTS", "bool", "count deals resting on press reports in the schedule"),
    ]


def provider_of(counterparty: str) -> str:
    """Provider label for a counterparty ('Amazon Web Services' -> 'Amazon')."""
    for name in COMPUTE_PROVIDERS:
        if counterparty.startswith(name):
            return name
    return counterparty


def commitments(figures: pd.DataFrame, include_lapsed: bool = True) -> pd.DataFrame:
    """The latest report of each commitment OpenAI made to a compute provider (amounts, undisclosed kept)."""
    used = figures[
        (figures["reading"] == "used")
        & figures["category"].isin(COMMITMENT_CATEGORIES)
        & figures["metric"].eq("amount")
        & figures["subject"].eq("OpenAI")
    ]
    used = used[used["basis"].isna() | used["basis"].eq("total")]
    current = latest(used, ["event", "category"])
    if not include_lapsed:
        current = current[~current["status"].isin(LAPSED_STATUSES)]
    return current.assign(provider=current["counterparty"].map(provider_of)).sort_values(["provider", "reported_on"])


def vendor_pledges(figures: pd.DataFrame) -> pd.DataFrame:
    """Chip deals written the other way round: a vendor pledging money to OpenAI tied to its chips
    (Nvidia's letter of intent). Latest report of each, with the vendor as provider."""
    used = figures[
        (figures["reading"] == "used")
        & figures["category"].eq("chip_commitment")
        & figures["metric"].eq("amount")
        & figures["counterparty"].eq("OpenAI")
    ]
    current = latest(used, ["event"])
    return current.assign(provider=current["subject"].map(provider_of))


def timing(row: pd.Series, assumed_term_years: int, assumed_start_delay_years: int) -> tuple[int, int, bool, bool]:
    """(start year, term in years, term assumed?, start assumed?) for one commitment."""
    start, end, term = row["start_year"], row["end_year"], row["term_years"]
    term_assumed = pd.isna(term) and (pd.isna(start) or pd.isna(end))
    if pd.notna(term):
        years = int(round(term))
    elif pd.notna(start) and pd.notna(end):
        years = int(end - start + 1)
    else:
        years = assumed_term_years
    start_assumed = pd.isna(start) and pd.isna(end)
    if pd.notna(start):
        first = int(start)
    elif pd.notna(end):
        first = int(end) - years + 1
    else:
        first = row["reported_on"].year + assumed_start_delay_years
    return first, years, bool(term_assumed), bool(start_assumed)


def annual_schedule(rows: pd.DataFrame, assumed_term_years: int, assumed_start_delay_years: int) -> pd.DataFrame:
    """Spread each disclosed commitment evenly over its term: commitments over assumed terms, not spending.

    Undisclosed amounts are left out, not zeroed. `assumed` flags a year that rests on an assumed term or
    start; `floor_usd_bn` is 0 for a ceiling ('up to $6.5B'), which is never counted as its value.
    """
    if assumed_term_years < 1:
        raise ValueError(f"assumed_term_years must be at least 1, got {assumed_term_years}")
    records = []
    for _, row in rows.dropna(subset=["value"]).iterrows():
        first, years, term_assumed, start_assumed = timing(row, assumed_term_years, assumed_start_delay_years)
        for year in range(first, first + years):
            records.append(
                {
                    "figure_id": row["figure_id"],
                    "event": row["event"],
                    "provider": row["provider"],
                    "status": row["status"],
                    "year": year,
                    "amount_usd_bn": row["value"] / years,
                    "term_assumed": term_assumed,
                    "start_assumed": start_assumed,
                    "assumed": term_assumed or start_assumed,
                    "floor_usd_bn": 0.0 if row["qualifier"] in UPPER_BOUND_QUALIFIERS else row["value"] / years,
                    "qualifier": row["qualifier"],
                }
            )
    columns = [
        "figure_id",
        "event",
        "provider",
        "status",
        "year",
        "amount_usd_bn",
        "term_assumed",
        "start_assumed",
        "assumed",
        "floor_usd_bn",
        "qualifier",
    ]
    return pd.DataFrame(records, columns=columns)


def year_table(schedule: pd.DataFrame) -> pd.DataFrame:
    """Per provider and year, the floor of the spread commitments ('up to' adds 0), a total row that is the sum
    of those floors, and a row with the ceilings left out of it. Every column adds up to its total."""
    floors = schedule.pivot_table(
        index="provider", columns="year", values="floor_usd_bn", aggfunc="sum", fill_value=0.0
    )
    above = schedule.assign(ceiling_usd_bn=schedule["amount_usd_bn"] - schedule["floor_usd_bn"])
    ceilings = above.pivot_table(
        index="provider", columns="year", values="ceiling_usd_bn", aggfunc="sum", fill_value=0.0
    )
    ceilings = ceilings.reindex(columns=floors.columns, fill_value=0.0)
    table = floors.copy()
    table.loc["total, counting no ceiling"] = floors.sum()
    capped = ceilings.index[ceilings.sum(axis=1) > 0]
    if len(capped):
        table.loc[f"plus up to ({', '.join(capped)}), not in the total"] = ceilings.sum()
    table.index.name, table.columns.name = "provider", None
    return table


def year_words(schedule: pd.DataFrame, year: int) -> str:
    """One year of the spread in words that keep each part's kind ('about $137.8B or more (...)')."""
    rows = schedule[schedule["year"].eq(year)]
    return funding.floor_words(*funding.floor_parts(rows["floor_usd_bn"], rows["qualifier"]))


def commitment_words(rows: pd.DataFrame) -> str:
    """The floor of disclosed commitments in words: exact, 'about' and 'at least' parts kept apart."""
    disclosed = rows.dropna(subset=["value"])
    return funding.floor_words(*funding.floor_parts(funding.amount_floor(disclosed), disclosed["qualifier"]))


def included_in_disclosed(rows: pd.DataFrame) -> pd.DataFrame:
    """Undisclosed commitments that are part of a deal with a disclosed amount (Trainium inside the $100B
    AWS expansion): same event, or `part_of` naming that event. Counted inside that deal, never again."""
    disclosed_events = set(rows.dropna(subset=["value"])["event"])
    hidden = rows[rows["value"].isna()]
    key = (
        hidden["part_of"].where(hidden["part_of"].notna(), hidden["event"]) if "part_of" in hidden else hidden["event"]
    )
    return hidden[key.isin(disclosed_events)].assign(included_in=key[key.isin(disclosed_events)])


def undisclosed(rows: pd.DataFrame) -> pd.DataFrame:
    """Commitments reported without an amount and not part of a disclosed deal: named, never summed as zero."""
    hidden = rows[rows["value"].isna()]
    return hidden.drop(included_in_disclosed(rows).index)


def totals(rows: pd.DataFrame) -> dict[str, float | int]:
    """Firm and all-status floors of disclosed commitments ('up to' adds 0), and how many are undisclosed."""
    disclosed = rows.dropna(subset=["value"])
    firm = disclosed["status"].isin(FIRM_STATUSES)
    floor = funding.amount_floor(disclosed)
    return {
        "firm_usd_bn": float(floor[firm].sum()),
        "all_usd_bn": float(floor.sum()),
        "ceilings_usd_bn": float(disclosed.loc[disclosed["qualifier"].isin(UPPER_BOUND_QUALIFIERS), "value"].sum()),
        "disclosed": int(len(disclosed)),
        "undisclosed": int(len(undisclosed(rows))),
    }


def two_way_flows(
    commitment_rows: pd.DataFrame,
    pledges: pd.DataFrame,
    investors: pd.DataFrame,
    companies: tuple[str, ...] = INVESTOR_VENDORS,
) -> pd.DataFrame:
    """For investors that are also vendors: equity put into OpenAI beside purchases OpenAI committed back.

    The two are different kinds of money (a stake bought once; a multi-year purchase commitment), so
    they sit side by side and are never netted. Invested is split into paid, unconditional and conditional.
    """
    active = commitment_rows[~commitment_rows["status"].isin(LAPSED_STATUSES)]
    back = active.groupby("provider")["value"].agg(committed_back_usd_bn="sum")
    back["undisclosed_back"] = undisclosed(active).groupby("provider")["value"].size()
    lapsed = pledges[pledges["status"].isin(LAPSED_STATUSES)].groupby("provider")["value"].sum()
    table = pd.DataFrame(index=pd.Index(list(companies), name="company"))
    table["invested_usd_bn"] = investors["committed_usd_bn"] + investors["tentative_usd_bn"]
    table["invested_conditional_usd_bn"] = investors["conditional_usd_bn"]
    table["invested_unconditional_usd_bn"] = table["invested_usd_bn"] - table["invested_conditional_usd_bn"]
    table["paid_in_usd_bn"] = investors["paid_in_usd_bn"]
    table["paid_as_of"] = investors["paid_as_of"]
    table["invested_about"] = investors["approximate"].reindex(table.index).fillna(False).astype(bool)
    table = table.join(back).join(lapsed.rename("lapsed_pledge_usd_bn"))
    table = table.fillna({"committed_back_usd_bn": 0.0, "undisclosed_back": 0, "lapsed_pledge_usd_bn": 0.0})
    table["undisclosed_back"] = table["undisclosed_back"].astype(int)
    return table


def per_year(total_usd_bn: float, years: int) -> float:
    """Average per year of a multi-year total."""
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    return total_usd_bn / years


def scope_totals(figures: pd.DataFrame) -> pd.DataFrame:
    """The headline totals (commitments, compute spending) with the years each one covers."""
    used = figures[
        (figures["reading"] == "used")
        & figures["category"].eq("projection")
        & figures["metric"].isin(["commitments_total", "compute_spend"])
    ]
    current = latest(used, ["metric", "period"]).sort_values("reported_on")
    years = current.apply(
        lambda r: r["term_years"] if pd.notna(r["term_years"]) else _period_years(r["period"]), axis=1
    )
    return current.assign(years=years, per_year_usd_bn=current["value"] / years)


def _period_years(period: str | float) -> float:
    if not isinstance(period, str) or len(period) != 9:
        return float("nan")
    first, last = int(period[:4]), int(period[5:])
    return float(last - first + 1)


def _list_words(rows: pd.DataFrame) -> str:
    # a row of the including deal itself is a second report of it, not a separate item
    words = [f"a second report of the {r.deal}" if r.event == r.included_in else r.deal for r in rows.itertuples()]
    return listed(words)


def _span(rows: pd.DataFrame) -> str:
    first, last = rows["reported_on"].min(), rows["reported_on"].max()
    return f"{first:%b %Y}" if first.strftime("%Y%m") == last.strftime("%Y%m") else f"{first:%b %Y} to {last:%b %Y}"


def bottom_line(rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame) -> str:
    """The compute notebook's bottom line, computed from the ledger and the parameters."""
    total = totals(rows)
    hidden = "; ".join(f"{r.deal}, {r.status.replace('_', ' ')}" for r in undisclosed(rows).itertuples())
    inside = included_in_disclosed(rows)
    amounts = rows.dropna(subset=["value"]).drop_duplicates("event").set_index("event")
    inside_text = "".join(
        f" Not counted again: {_list_words(group)} without an amount "
        f"{'is' if len(group) == 1 else 'are'} part of the {amounts.at[event, 'deal']}, "
        f"{money(amounts.at[event, 'value'])}, counted once."
        for event, group in inside.groupby("included_in")
    )
    per_year = schedule.groupby("year")["floor_usd_bn"].sum()
    peak_year, first_year = int(per_year.idxmax()), int(per_year.index.min())
    revenue = revenue_marks(figures)
    scope = scope_totals(figures).set_index("metric")
    ceo, investors = scope.loc["commitments_total"], scope.loc["compute_spend"].iloc[-1]
    assumed = schedule.loc[schedule["assumed"], "event"].nunique()
    ceilings = (
        f" (plus up to {money(total['ceilings_usd_bn'])} more under a ceiling)" if total["ceilings_usd_bn"] else ""
    )
    calendar, run_rate = revenue["calendar"], revenue["run_rate"]
    return "\n".join(
        [
            f"- OpenAI's compute commitments with a disclosed amount, reported {_span(rows.dropna(subset=['value']))}, "
            f"come to **{commitment_words(rows[rows['status'].isin(FIRM_STATUSES)])}** in announced deals and "
            f"{commitment_words(rows)} counting press reports{ceilings}. {total['undisclosed']} more have no "
            f"disclosed amount and are not counted as zero: {hidden}.{inside_text}",
            f"- Spread evenly over their terms, which is an assumption and not a spending forecast, the commitments "
            f"come to {year_words(schedule, first_year)} in {first_year} and peak at "
            f"**{year_words(schedule, peak_year)} in {peak_year}**, counting no ceiling; {assumed} of the "
            f"{schedule['event'].nunique()} deals in that schedule use an assumed term or start.",
            f"- That peak is {per_year.max() / calendar['value']:.0f}x calendar {calendar['period']} revenue "
            f"({money(calendar['value'])}, reported {calendar['reported_on']:%b %Y}) and "
            f"{per_year.max() / run_rate['value']:.0f}x the latest run rate ({stated(run_rate)}, {run_rate['period']}).",
            f"- The CEO's **{stated(ceo)}** ({ceo['reported_on']:%b %Y}) spans about "
            f"{ceo['years']:.0f} years ({money(ceo['per_year_usd_bn'])} a year); the "
            f"**{stated(investors)}** told to investors ({investors['reported_on']:%b %Y}) is compute "
            f"spending over {investors['period']} ({money(investors['per_year_usd_bn'])} a year). "
            "Different scopes, not a cut.",
        ]
    )


def timing_sentence(rows: pd.DataFrame, assumed_term_years: int, assumed_start_delay_years: int) -> str:
    """Which deals use a reported term and start, and which use the assumptions."""
    lines = []
    for row in rows.dropna(subset=["value"]).itertuples():
        first, years, term_assumed, start_assumed = timing(
            pd.Series(row._asdict()), assumed_term_years, assumed_start_delay_years
        )
        how = (
            "assumed term and start"
            if term_assumed and start_assumed
            else "assumed term"
            if term_assumed
            else "assumed start"
            if start_assumed
            else "term and start as reported"
        )
        stated = describe_value(row.value, row.qualifier, row.low, row.high, row.unit)
        lines.append(
            f"- {row.deal}: {stated} over {years} years from {first}, {money(row.value / years)} a year; {how}."
        )
    return "\n".join(lines)


def comparison_table(
    rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame, firm_statuses: tuple[str, ...]
) -> pd.DataFrame:
    """Commitments, capital raised and revenue side by side, each labelled with what it measures.

    Commitments are floors (a ceiling adds nothing); capital is split into what was reported paid in and
    everything committed, conditional money included.
    """
    total = totals(rows)
    per_year = schedule.groupby("year")["floor_usd_bn"].sum()
    raised = funding.raised_totals(funding.money_raised(figures, firm_statuses))
    revenue = revenue_marks(figures)
    records = [
        (
            "commitments, announced",
            "commitment",
            total["firm_usd_bn"],
            f"multi-year total, {_kind(rows[rows['status'].isin(FIRM_STATUSES)])}",
        ),
        ("commitments, with press reports", "commitment", total["all_usd_bn"], f"multi-year total, {_kind(rows)}"),
        (
            f"commitments spread over assumed terms, peak year ({int(per_year.idxmax())})",
            "commitment",
            per_year.max(),
            "one year, an assumption",
        ),
        (
            f"capital paid in, reported (by {raised['paid_as_of']:%b %Y})",
            "capital",
            raised["paid_usd_bn"],
            "paid to date",
        ),
        ("capital committed, incl. conditional", "capital", raised["total_usd_bn"], "committed to date"),
        (f"revenue, calendar {revenue['calendar']['period']}", "revenue", revenue["calendar"]["value"], "one year"),
        (
            f"revenue run rate, {revenue['run_rate']['period']}",
            "revenue",
            revenue["run_rate"]["value"],
            "annualized from one month",
        ),
    ]
    return pd.DataFrame(records, columns=["measure", "kind", "usd_bn", "covers"]).set_index("measure")


def comparison_sources(rows: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    """Source ids behind the comparison table."""
    revenue = revenue_marks(figures)
    parts = [rows, funding.capital_events(figures), pd.DataFrame([revenue["calendar"], revenue["run_rate"]])]
    return sources_of(pd.concat(parts))


def comparison_sentence(table: pd.DataFrame) -> str:
    """Ratios of commitments to capital and revenue."""
    value = table["usd_bn"]
    commitments, peak = value.iloc[0], value.iloc[2]
    paid, committed = value.iloc[3], value.iloc[4]
    calendar, run_rate = value.iloc[5], value.iloc[6]
    return (
        f"Announced commitments alone are {commitments / paid:.1f}x the capital reported paid in, "
        f"{commitments / committed:.1f}x all capital committed including conditional money, "
        f"{commitments / calendar:.0f}x calendar revenue and {commitments / run_rate:.0f}x the latest run rate. "
        f"Even the peak year of the assumed spread is {peak / calendar:.1f}x a year of calendar revenue."
    )


def flow_sources(figures: pd.DataFrame) -> list[str]:
    """Source ids behind the two-way flows."""
    companies = INVESTOR_VENDORS
    deals = commitments(figures)
    money_in = figures[figures["category"].eq("equity_investment") & figures["subject"].str.startswith(companies)]
    return sources_of(pd.concat([deals[deals["provider"].isin(companies)], money_in, vendor_pledges(figures)]))


def flow_sentence(flows: pd.DataFrame, commitment_rows: pd.DataFrame | None = None) -> str:
    """Per company: equity in (paid, up front, conditional) beside purchases committed back; never netted."""
    lines = []
    for company, row in flows.iterrows():
        near = "about " if row.get("invested_about", False) else ""
        paid = (
            f"{money(row['paid_in_usd_bn'])} reported paid in by {row['paid_as_of']:%b %Y}"
            if row["paid_in_usd_bn"] > 0
            else f"{money(0)} reported paid in"
        )
        invested = f"**{company}** committed {near}{money(row['invested_usd_bn'])}"
        if row["invested_conditional_usd_bn"] > 0:
            invested += (
                f", of which {money(row['invested_conditional_usd_bn'])} is conditional "
                f"({money(row['invested_unconditional_usd_bn'])} up front; {paid})"
            )
        else:
            invested += f"; {paid}"
        if row["committed_back_usd_bn"] > 0:
            back = f"OpenAI committed to buy {money(row['committed_back_usd_bn'])} from it"
            if commitment_rows is not None:
                deals = commitment_rows[
                    commitment_rows["provider"].eq(company)
                    & commitment_rows["value"].notna()
                    & ~commitment_rows["status"].isin(LAPSED_STATUSES)
                ]
                back += " (" + "; ".join(_deal_words(d) for _, d in deals.iterrows()) + ")"
        else:
            back = "OpenAI has no disclosed commitment to it"
        extra = f", plus {int(row['undisclosed_back'])} undisclosed" if row["undisclosed_back"] else ""
        lapsed = (
            f"; its pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed"
            if row["lapsed_pledge_usd_bn"] > 0
            else ""
        )
        lines.append(f"- {invested}. {back}{extra}{lapsed}.")
    lines.append(
        "\nA stake bought once and a purchase commitment paid over years are different kinds of money, so they "
        "sit side by side here and are not netted against each other."
    )
    return "\n".join(lines)


def _deal_words(row: pd.Series) -> str:
    term = f"over {int(row['term_years'])} years" if pd.notna(row["term_years"]) else "term not reported"
    return f"{stated(row)} reported {row['reported_on']:%b %Y}, {term}"


def scope_sentence(scope: pd.DataFrame, schedule: pd.DataFrame) -> str:
    """Why the headline totals differ, with the ledger's own schedule for the same years."""
    ceo = scope[scope["metric"] == "commitments_total"].iloc[-1]
    spend = scope[scope["metric"] == "compute_spend"].iloc[-1]
    first, last = int(spend["period"][:4]), int(spend["period"][5:])
    window = schedule[schedule["year"].between(first, last)]["floor_usd_bn"].sum()
    return (
        f"The {money(ceo['value'])} covers commitments over about {ceo['years']:.0f} years, including capacity "
        f"partners build for OpenAI; the {money(spend['value'])} is OpenAI's own compute spending for "
        f"{first} to {last}. Per year they are {money(ceo['per_year_usd_bn'])} and "
        f"{money(spend['per_year_usd_bn'])}. The contracts in this ledger, spread over assumed terms as above "
        f"(not a spending forecast), come to at least {money(window)} over {first} to {last}."
    )


def commitment_sentence(rows: pd.DataFrame) -> str:
    """Announced and press-reported commitments in words, each sum keeping its exact, 'about' and 'at least' parts."""
    total = totals(rows)
    firm = rows[rows["status"].isin(FIRM_STATUSES)]
    press = rows[~rows["status"].isin(FIRM_STATUSES)]
    inside = included_in_disclosed(rows)
    ceilings = f", plus up to {money(total['ceilings_usd_bn'])} under a ceiling" if total["ceilings_usd_bn"] else ""
    return (
        f"Announced deals with an amount come to {commitment_words(firm)}; press-reported ones add "
        f"{commitment_words(press)}{ceilings}. {total['undisclosed']} deals have no disclosed amount; {len(inside)} "
        "more rows without an amount are part of a deal that has one and are not counted again."
    )


def _kind(rows: pd.DataFrame) -> str:
    """What a sum of floors is: 'exact', 'at least', 'about' or 'about, or more'."""
    disclosed = rows.dropna(subset=["value"])
    exact, about, at_least = funding.floor_parts(funding.amount_floor(disclosed), disclosed["qualifier"])
    if about == 0:
        return "at least" if at_least > 0 else "exact"
    return "about, or more" if at_least > 0 else "about"


def one_row_per_deal(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per deal: where a deal has a disclosed part and an undisclosed part, keep the disclosed one."""
    ranked = deals.assign(_undisclosed=deals["value"].isna())
    return ranked.sort_values(["event", "_undisclosed"]).drop_duplicates("event").drop(columns="_undisclosed")


def provider_rows(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals the provider chart shows: one per deal, undisclosed parts of a disclosed deal left out."""
    inside = included_in_disclosed(deals).index
    return one_row_per_deal(deals.drop(index=inside))
