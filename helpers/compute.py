"""Pure functions for the compute notebook: commitments, annual schedules, two-way flows, scope."""

from __future__ import annotations

import pandas as pd

from helpers.data import COMMITMENT_CATEGORIES
from helpers.ledger import FIRM_STATUSES, LAPSED_STATUSES, latest

PROVIDERS = {  # counterparty name starts with -> provider label used in tables and colours
    "Microsoft": "Microsoft", "Oracle": "Oracle", "Amazon": "Amazon", "CoreWeave": "CoreWeave",
    "Cerebras": "Cerebras", "Nvidia": "Nvidia", "AMD": "AMD", "Broadcom": "Broadcom", "Google": "Google",
}


def provider_of(counterparty: str) -> str:
    """Provider label for a counterparty ('Amazon Web Services' -> 'Amazon')."""
    for prefix, label in PROVIDERS.items():
        if counterparty.startswith(prefix):
            return label
    return counterparty


def commitments(figures: pd.DataFrame, include_lapsed: bool = True) -> pd.DataFrame:
    """The latest report of each commitment OpenAI made to a compute provider (amounts, undisclosed kept)."""
    used = figures[(figures["reading"] == "used") & figures["category"].isin(COMMITMENT_CATEGORIES)
                   & figures["metric"].eq("amount") & figures["subject"].eq("OpenAI")]
    used = used[used["basis"].isna() | used["basis"].eq("total")]
    current = latest(used, ["event", "category"])
    if not include_lapsed:
        current = current[~current["status"].isin(LAPSED_STATUSES)]
    return current.assign(provider=current["counterparty"].map(provider_of)).sort_values(["provider", "reported_on"])


def vendor_pledges(figures: pd.DataFrame) -> pd.DataFrame:
    """Chip deals written the other way round: a vendor pledging money to OpenAI tied to its chips
    (Nvidia's letter of intent). Latest report of each, with the vendor as provider."""
    used = figures[(figures["reading"] == "used") & figures["category"].eq("chip_commitment")
                   & figures["metric"].eq("amount") & figures["counterparty"].eq("OpenAI")]
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
            records.append({
                "figure_id": row["figure_id"], "event": row["event"], "provider": row["provider"],
                "status": row["status"], "year": year, "amount_usd_bn": row["value"] / years,
                "term_assumed": term_assumed, "start_assumed": start_assumed,
            })
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


def two_way_flows(commitment_rows: pd.DataFrame, pledges: pd.DataFrame, investors: pd.DataFrame,
                  companies: tuple[str, ...] = ("Microsoft", "Amazon", "Nvidia")) -> pd.DataFrame:
    """For investors that are also vendors: money put into OpenAI beside money OpenAI committed back.

    Each dollar appears once: as an investment (in) or as a commitment (back), never both.
    """
    active = commitment_rows[~commitment_rows["status"].isin(LAPSED_STATUSES)]
    back = active.groupby("provider")["value"].agg(
        committed_back_usd_bn="sum", undisclosed_back=lambda v: int(v.isna().sum()))
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
