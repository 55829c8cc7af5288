"""Pure functions for the compute notebook: commitments, annual schedules, two-way flows, scope."""

from __future__ import annotations

import pandas as pd

from helpers import funding
from helpers.data import COMMITMENT_CATEGORIES
from helpers.ledger import (
    FIRM_STATUSES,
    LAPSED_STATUSES,
    STATUS_ORDER,
    describe_value,
    latest,
    money,
    revenue_marks,
    sources_of,
    stated,
)

PROVIDERS = {  # counterparty name starts with -> provider label used in tables and colours
    "Microsoft": "Microsoft",
    "Oracle": "Oracle",
    "Amazon": "Amazon",
    "CoreWeave": "CoreWeave",
    "Cerebras": "Cerebras",
    "Nvidia": "Nvidia",
    "AMD": "AMD",
    "Broadcom": "Broadcom",
    "Google": "Google",
}


def provider_of(counterparty: str) -> str:
    """Provider label for a counterparty ('Amazon Web Services' -> 'Amazon')."""
    for prefix, label in PROVIDERS.items():
        if counterparty.startswith(prefix):
            return label
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
    """Spread each disclosed commitment evenly over its term; undisclosed ones are left out, not zeroed."""
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
                }
            )
    columns = ["figure_id", "event", "provider", "status", "year", "amount_usd_bn", "term_assumed", "start_assumed"]
    return pd.DataFrame(records, columns=columns)


def undisclosed(rows: pd.DataFrame) -> pd.DataFrame:
    """Commitments reported without an amount: counted and named, never summed as zero."""
    return rows[rows["value"].isna()]


def totals(rows: pd.DataFrame) -> dict[str, float | int]:
    """Firm and all-status sums of disclosed commitments, and how many are undisclosed."""
    disclosed = rows.dropna(subset=["value"])
    firm = disclosed["status"].isin(FIRM_STATUSES)
    return {
        "firm_usd_bn": float(disclosed.loc[firm, "value"].sum()),
        "all_usd_bn": float(disclosed["value"].sum()),
        "disclosed": int(len(disclosed)),
        "undisclosed": int(rows["value"].isna().sum()),
    }


def two_way_flows(
    commitment_rows: pd.DataFrame,
    pledges: pd.DataFrame,
    investors: pd.DataFrame,
    companies: tuple[str, ...] = ("Microsoft", "Amazon", "Nvidia"),
) -> pd.DataFrame:
    """For investors that are also vendors: money put into OpenAI beside money OpenAI committed back.

    Each dollar appears once: as an investment (in) or as a commitment (back), never both.
    """
    active = commitment_rows[~commitment_rows["status"].isin(LAPSED_STATUSES)]
    back = active.groupby("provider")["value"].agg(
        committed_back_usd_bn="sum", undisclosed_back=lambda v: int(v.isna().sum())
    )
    lapsed = pledges[pledges["status"].isin(LAPSED_STATUSES)].groupby("provider")["value"].sum()
    table = pd.DataFrame(index=pd.Index(list(companies), name="company"))
    table["invested_usd_bn"] = investors["committed_usd_bn"] + investors["tentative_usd_bn"]
    table["paid_in_usd_bn"] = investors["paid_in_usd_bn"]
    table = table.join(back).join(lapsed.rename("lapsed_pledge_usd_bn"))
    table = table.fillna({"committed_back_usd_bn": 0.0, "undisclosed_back": 0, "lapsed_pledge_usd_bn": 0.0})
    table["undisclosed_back"] = table["undisclosed_back"].astype(int)
    table["net_to_company_usd_bn"] = table["committed_back_usd_bn"] - table["invested_usd_bn"]
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


def bottom_line(rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame) -> str:
    """The compute notebook's bottom line, computed from the ledger and the parameters."""
    total = totals(rows)
    hidden = ", ".join(
        f"{r.provider} ({r.event}, {r.status.replace('_', ' ')})" for r in undisclosed(rows).itertuples()
    )
    per_year = schedule.groupby("year")["amount_usd_bn"].sum()
    peak_year = int(per_year.idxmax())
    revenue = revenue_marks(figures)
    scope = scope_totals(figures).set_index("metric")
    ceo, investors = scope.loc["commitments_total"], scope.loc["compute_spend"].iloc[-1]
    assumed = schedule.loc[schedule["term_assumed"] | schedule["start_assumed"], "event"].nunique()
    return "\n".join(
        [
            f"- OpenAI's compute commitments with a disclosed amount sum to **{money(total['firm_usd_bn'])}** in "
            f"announced deals and **{money(total['all_usd_bn'])}** counting press reports. {total['undisclosed']} more "
            f"have no disclosed amount and are not counted as zero: {hidden}.",
            f"- Spread over their terms, they peak at **{money(per_year.max())} a year in {peak_year}**; "
            f"{assumed} of the {schedule['event'].nunique()} deals in that schedule use an assumed term or start.",
            f"- That peak is {per_year.max() / revenue['calendar']['value']:.0f}x calendar {revenue['calendar']['period']} "
            f"revenue ({money(revenue['calendar']['value'])}) and {per_year.max() / revenue['run_rate']['value']:.0f}x the "
            f"latest run rate ({stated(revenue['run_rate'])}, "
            f"{revenue['run_rate']['period']}).",
            f"- The CEO's **{stated(ceo)}** spans about "
            f"{ceo['years']:.0f} years ({money(ceo['per_year_usd_bn'])} a year); the "
            f"**{stated(investors)}** told to investors is compute "
            f"spending over {investors['period']} ({money(investors['per_year_usd_bn'])} a year). Different scopes, not a cut.",
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
            f"- {row.provider} ({row.event}): {stated} over {years} years from {first}, "
            f"{money(row.value / years)} a year; {how}."
        )
    return "\n".join(lines)


def comparison_table(
    rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame, firm_statuses: tuple[str, ...]
) -> pd.DataFrame:
    """Commitments, capital raised and revenue side by side, each labelled with what it measures."""
    total = totals(rows)
    per_year = schedule.groupby("year")["amount_usd_bn"].sum()
    events = funding.capital_events(figures)
    raised_firm = funding.cumulative_capital(events, firm_statuses).iloc[-1]["total_usd_bn"]
    raised_all = funding.cumulative_capital(events, tuple(STATUS_ORDER)).iloc[-1]["total_usd_bn"]
    revenue = revenue_marks(figures)
    records = [
        ("commitments, announced", "commitment", total["firm_usd_bn"], "multi-year total"),
        ("commitments, with press reports", "commitment", total["all_usd_bn"], "multi-year total"),
        (
            f"commitments in peak year ({int(per_year.idxmax())})",
            "commitment",
            per_year.max(),
            "one year, from the schedule",
        ),
        ("capital raised, firm", "capital", raised_firm, "raised to date"),
        ("capital raised, with talks", "capital", raised_all, "raised to date"),
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
    commitments = value.iloc[0]
    capital = value.iloc[3]
    calendar, run_rate = value.iloc[5], value.iloc[6]
    return (
        f"Announced commitments alone are {commitments / capital:.1f}x the firm capital raised, "
        f"{commitments / calendar:.0f}x calendar revenue and {commitments / run_rate:.0f}x the latest run rate. "
        f"Even the schedule's peak year is {value.iloc[2] / calendar:.1f}x a year of calendar revenue."
    )


def flow_sources(figures: pd.DataFrame) -> list[str]:
    """Source ids behind the two-way flows."""
    companies = ("Microsoft", "Amazon", "Nvidia")
    deals = commitments(figures)
    money_in = figures[figures["category"].eq("equity_investment") & figures["subject"].str.startswith(companies)]
    return sources_of(pd.concat([deals[deals["provider"].isin(companies)], money_in, vendor_pledges(figures)]))


def flow_sentence(flows: pd.DataFrame) -> str:
    """Per company: in, back, and the net."""
    lines = []
    for company, row in flows.iterrows():
        back = money(row["committed_back_usd_bn"]) if row["committed_back_usd_bn"] > 0 else "no disclosed commitment"
        extra = f" plus {int(row['undisclosed_back'])} undisclosed" if row["undisclosed_back"] else ""
        lapsed = (
            f"; its pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed"
            if row["lapsed_pledge_usd_bn"] > 0
            else ""
        )
        direction = "to" if row["net_to_company_usd_bn"] > 0 else "from"
        lines.append(
            f"- **{company}** put in {money(row['invested_usd_bn'])}; OpenAI committed back {back}{extra}{lapsed}. "
            f"Net, {money(abs(row['net_to_company_usd_bn']))} flows {direction} {company}."
        )
    return "\n".join(lines)


def scope_sentence(scope: pd.DataFrame, schedule: pd.DataFrame) -> str:
    """Why the headline totals differ, with the ledger's own schedule for the same years."""
    ceo = scope[scope["metric"] == "commitments_total"].iloc[-1]
    spend = scope[scope["metric"] == "compute_spend"].iloc[-1]
    first, last = int(spend["period"][:4]), int(spend["period"][5:])
    window = schedule[schedule["year"].between(first, last)]["amount_usd_bn"].sum()
    return (
        f"The {money(ceo['value'])} covers commitments over about {ceo['years']:.0f} years, including capacity "
        f"partners build for OpenAI; the {money(spend['value'])} is OpenAI's own compute spending for "
        f"{first} to {last}. Per year they are {money(ceo['per_year_usd_bn'])} and "
        f"{money(spend['per_year_usd_bn'])}. The contracts in this ledger, spread as above, come to "
        f"{money(window)} over {first} to {last}."
    )
