"""Pure functions for the funding notebook: capital events, cumulative capital, investors, marks."""

from __future__ import annotations

import pandas as pd

from helpers.ledger import FIRM_STATUSES, STATUS_ORDER, latest, money, stated
from helpers.valuation import implied_cagr, step_up

INTO_OPENAI = "OpenAI"
MARK_METRICS = ("pre_money", "post_money", "valuation")
TOTAL_BASES = ("total",)  # an empty basis also means the deal's total


def _used(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[figures["reading"] == "used"]


def _is_total(rows: pd.DataFrame) -> pd.Series:
    return rows["basis"].isna() | rows["basis"].isin(TOTAL_BASES)


def capital_events(figures: pd.DataFrame) -> pd.DataFrame:
    """Every report of money raised by OpenAI: round totals, plus investments made outside a round."""
    used = _used(figures)
    rounds = used["category"].eq("funding_round") & used["metric"].eq("amount")
    standalone = (
        used["category"].eq("equity_investment")
        & used["metric"].eq("amount")
        & used["part_of"].isna()
        & used["counterparty"].eq(INTO_OPENAI)
    )
    rows = used[(rounds | standalone) & _is_total(used)]
    return rows.sort_values(["reported_on", "figure_id"])


def cumulative_capital(events: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Running total a reader would have added up on each report date.

    Each event counts at its latest reported amount (among `statuses`) as of that date, so a
    round reported in talks and then closed at a larger size is counted once, at its newest size.
    Undisclosed amounts are not summed; they are counted in `undisclosed`.
    """
    rows = events[events["status"].isin(statuses)].sort_values(["reported_on", "figure_id"])
    latest: dict[str, float | None] = {}
    records = []
    for date, on_date in rows.groupby("reported_on", sort=True):
        for _, row in on_date.iterrows():
            latest[row["event"]] = None if pd.isna(row["value"]) else float(row["value"])
        known = [v for v in latest.values() if v is not None]
        records.append(
            {
                "reported_on": date,
                "total_usd_bn": sum(known),
                "events": len(latest),
                "undisclosed": len(latest) - len(known),
            }
        )
    return pd.DataFrame(records, columns=["reported_on", "total_usd_bn", "events", "undisclosed"])


def investor_name(subject: str) -> str:
    """Short investor name used in tables ('Thrive Capital' -> 'Thrive'; groups -> 'Others')."""
    for name in ("Microsoft", "SoftBank", "Amazon", "Nvidia", "Thrive"):
        if subject.startswith(name):
            return name
    return "Others"


def investor_deals(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per investor and deal: total, up front, conditional, paid in, and the latest status."""
    used = _used(figures)
    money_rows = used[
        used["category"].eq("equity_investment") & used["metric"].eq("amount") & used["counterparty"].eq(INTO_OPENAI)
    ]
    money_rows = money_rows.assign(
        investor=money_rows["subject"].map(investor_name), part=money_rows["basis"].fillna("total")
    )
    keys = ["investor", "event"]
    deals = latest(money_rows, keys).set_index(keys)[["status"]]
    deals["first_reported"] = money_rows.groupby(keys)["reported_on"].min()
    parts = latest(money_rows[money_rows["part"] != "funded"], [*keys, "part"])
    by_part = parts.pivot_table(index=keys, columns="part", values="value", aggfunc="first", dropna=False)
    funded = latest(money_rows[money_rows["part"] == "funded"], [*keys, "period"]).groupby(keys)["value"].sum()
    for part in ("total", "upfront", "conditional"):
        deals[f"{part}_usd_bn"] = by_part[part] if part in by_part else float("nan")
    deals["paid_usd_bn"] = funded.reindex(deals.index).fillna(0.0)
    no_total = ~deals.index.isin(parts.loc[parts["part"] == "total"].set_index(keys).index)
    # no total reported: the parts make the whole (up front plus conditional, or the tranches paid)
    parts_sum = deals[["upfront_usd_bn", "conditional_usd_bn"]].fillna(0.0).sum(axis=1)
    deals.loc[no_total, "total_usd_bn"] = pd.concat([parts_sum, deals["paid_usd_bn"]], axis=1).max(axis=1)[no_total]
    deals[["upfront_usd_bn", "conditional_usd_bn"]] = deals[["upfront_usd_bn", "conditional_usd_bn"]].fillna(0.0)
    columns = ["first_reported", "total_usd_bn", "upfront_usd_bn", "conditional_usd_bn", "paid_usd_bn", "status"]
    return (
        deals.reset_index()[["investor", "event", *columns]]
        .sort_values(["investor", "first_reported"])
        .reset_index(drop=True)
    )


def reported_paid_in(figures: pd.DataFrame) -> pd.DataFrame:
    """Latest cumulative 'funded' and 'committed' totals an investor reported (e.g. Microsoft's 10-Q)."""
    used = _used(figures)
    rows = used[
        used["metric"].eq("cumulative_amount")
        & used["counterparty"].eq(INTO_OPENAI)
        & used["basis"].isin(["funded", "committed"])
    ]
    latest = rows.sort_values(["reported_on", "figure_id"]).groupby(["subject", "basis"]).tail(1)
    table = latest.pivot(index="subject", columns="basis", values="value")
    return table.rename(columns=lambda b: f"reported_{b}_usd_bn")


def investor_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """Per investor: committed (sum of deals), of which up front and conditional, and paid in where reported."""
    deals = investor_deals(figures)
    firm = deals["status"].isin(FIRM_STATUSES)
    summary = (
        deals.assign(
            firm_usd_bn=deals["total_usd_bn"].where(firm, 0.0).fillna(0.0),
            tentative_usd_bn=deals["total_usd_bn"].where(~firm, 0.0).fillna(0.0),
            undisclosed_deals=deals["total_usd_bn"].isna().astype(int),
        )
        .groupby("investor")
        .agg(
            deals=("event", "count"),
            committed_usd_bn=("firm_usd_bn", "sum"),
            tentative_usd_bn=("tentative_usd_bn", "sum"),
            upfront_usd_bn=("upfront_usd_bn", "sum"),
            conditional_usd_bn=("conditional_usd_bn", "sum"),
            paid_in_deals_usd_bn=("paid_usd_bn", "sum"),
            undisclosed_deals=("undisclosed_deals", "sum"),
        )
    )
    cumulative = reported_paid_in(figures)
    cumulative.index = cumulative.index.map(investor_name)
    summary = summary.join(cumulative, how="left")
    paid_column = "reported_funded_usd_bn"
    if paid_column in summary:
        summary["paid_in_usd_bn"] = summary[[paid_column, "paid_in_deals_usd_bn"]].max(axis=1)
    else:
        summary["paid_in_usd_bn"] = summary["paid_in_deals_usd_bn"]
    order = summary["committed_usd_bn"] + summary["tentative_usd_bn"]
    return summary.loc[order.sort_values(ascending=False).index]


def valuation_marks(figures: pd.DataFrame) -> pd.DataFrame:
    """Company valuations over time (pre-, post-money or unspecified) and listing targets."""
    used = _used(figures)
    marks = used[
        (used["category"].isin(["valuation", "listing"]))
        & used["metric"].isin(MARK_METRICS)
        & used["subject"].eq(INTO_OPENAI)
    ]
    return marks.sort_values(["reported_on", "figure_id"])


def _years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).days / 365.25


def bottom_line(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The funding notebook's bottom line, computed from the ledger."""
    events = capital_events(figures)
    firm = cumulative_capital(events, firm_statuses).iloc[-1]
    everything = cumulative_capital(events, STATUS_ORDER).iloc[-1]
    posts = valuation_marks(figures).query("metric == 'post_money' and status in @firm_statuses")
    first, last = posts.iloc[0], posts.iloc[-1]
    years = _years_between(first["reported_on"], last["reported_on"])
    investors = investor_summary(figures)
    top = investors.head(3)
    backers = "; ".join(
        f"{name} {money(row.committed_usd_bn + row.tentative_usd_bn)}"
        + (f" ({money(row.paid_in_usd_bn)} paid in)" if row.paid_in_usd_bn > 0 else "")
        + (
            f" ({money(row.upfront_usd_bn)} up front, {money(row.conditional_usd_bn)} conditional)"
            if row.conditional_usd_bn > 0
            else ""
        )
        for name, row in top.iterrows()
    )
    ms = investors.loc["Microsoft"]
    talks = valuation_marks(figures).query("event == 'amazon-investment'").iloc[0]
    listing = valuation_marks(figures).query("category == 'listing'").iloc[0]
    return "\n".join(
        [
            f"- OpenAI has raised **{money(firm['total_usd_bn'])}** in rounds and investments that were announced "
            f"or closed, across {firm['events']} deals since {events['reported_on'].min():%Y}; counting press "
            f"reports and talks, **{money(everything['total_usd_bn'])}**.",
            f"- Its post-money value went from **{money(first['value'])}** ({first['reported_on']:%b %Y}) to "
            f"**{money(last['value'])}** ({last['reported_on']:%b %Y}): {step_up(first['value'], last['value']):.1f}x "
            f"in {years:.1f} years, about {implied_cagr(first['value'], last['value'], years):.0%} a year.",
            f"- Largest backers by commitment: {backers}.",
            f"- Microsoft's reported commitment is {money(ms['reported_committed_usd_bn'])}; its filings show "
            f"{money(ms['reported_funded_usd_bn'])} actually paid in.",
            f"- The Amazon talks put the value at {stated(talks)}; "
            f"a listing has been talked about at {stated(listing)}.",
        ]
    )


def investor_sentence(investors: pd.DataFrame, deals: pd.DataFrame) -> str:
    """Committed versus paid, per investor that reported payments or conditions."""
    parts = []
    for name, row in investors.iterrows():
        total = row["committed_usd_bn"] + row["tentative_usd_bn"]
        bits = [f"**{name}** {money(total)} over {int(row['deals'])} deal{'s' if row['deals'] != 1 else ''}"]
        if row["paid_in_usd_bn"] > 0:
            bits.append(f"{money(row['paid_in_usd_bn'])} reported paid in")
        if row["conditional_usd_bn"] > 0:
            bits.append(f"{money(row['upfront_usd_bn'])} up front and {money(row['conditional_usd_bn'])} conditional")
        if row["undisclosed_deals"] > 0:
            bits.append(f"{int(row['undisclosed_deals'])} deal with an undisclosed amount")
        parts.append(", ".join(bits))
    return "- " + "\n- ".join(parts)
