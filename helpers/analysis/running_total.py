"""The running total of money raised, with conditional money kept out of it until its condition is met, and the
reports that say a condition may have been met. Built on funding.py's capital events and investor deals."""

from __future__ import annotations

import re

import pandas as pd

from helpers.analysis.funding import (
    capital_events,
    conditions,
    cumulative_capital,
    filed_totals,
    investor_deals,
    investor_name,
    used_rows,
)
from helpers.data.views import latest
from helpers.data.vocabulary import CONDITIONS_MET, FIRM_STATUSES
from helpers.notebook.prose import month_year


def met_conditions(figures: pd.DataFrame) -> pd.DataFrame:
    """Conditional money whose condition was later met: who, how much, from when, until when, on what condition.

    The amount is the investor's part of the deal less what it would have dropped to had the condition failed (both
    from the ledger); a row named in vocabulary.CONDITIONS_MET that the ledger lacks stops the run.
    """
    rows = figures.drop_duplicates("figure_id").set_index("figure_id")
    missing = sorted({i for _, low, met in CONDITIONS_MET.values() for i in (low, met)} - set(rows.index))
    if missing:
        raise ValueError(f"vocabulary.CONDITIONS_MET names figures the ledger does not hold: {missing}")
    deals = investor_deals(figures)
    records = []
    for event, (condition, low_id, met_id) in CONDITIONS_MET.items():
        low, met = rows.loc[low_id], rows.loc[met_id]
        investor = investor_name(low["subject"])
        part = deals[deals["investor"].eq(investor) & (deals["event"].eq(event) | deals["part_of"].eq(event))]
        amount = float(part["floor_usd_bn"].sum()) - float(low["value"])
        if amount > 0:
            records.append(
                {
                    "event": event,
                    "investor": investor,
                    "amount_usd_bn": amount,
                    "conditional_from": low["reported_on"],
                    "met_on": met["reported_on"],
                    "condition": condition,
                    "source_ids": f"{low['source_ids']};{met['source_ids']}",
                }
            )
    columns = ["event", "investor", "amount_usd_bn", "conditional_from", "met_on", "condition", "source_ids"]
    return pd.DataFrame(records, columns=columns)


def conditional_over_time(figures: pd.DataFrame, dates: list[pd.Timestamp]) -> pd.Series:
    """Conditional money pending on each date: a tranche from its report until its condition is met (never, if it is
    not reported met). What a running total of money raised leaves out, drawn apart."""
    used = used_rows(figures).query("basis == 'conditional' and category == 'equity_investment'")
    pending = latest(used, ["event"])
    spans = [(r.reported_on, pd.Timestamp.max, float(r.value)) for r in pending.itertuples()]
    spans += [(r.conditional_from, r.met_on, r.amount_usd_bn) for r in met_conditions(figures).itertuples()]
    return pd.Series([sum(v for a, b, v in spans if a <= d < b) for d in dates], index=dates, dtype=float)


def raised_events(figures: pd.DataFrame, restate_filings: bool = True) -> pd.DataFrame:
    """Capital events in the money box's terms, for a running total of money raised.

    Each round report loses the conditional tranches known by its date (conditional money is never raised),
    and an investor's own filed commitment (Microsoft's 10-Q) replaces the press-reported sizes of its deals
    outside rounds from the day it was filed: one row at the filed total, the other deals set to nothing.
    """
    events = capital_events(figures).copy()
    tranches = used_rows(figures).query("basis == 'conditional' and category == 'equity_investment'")
    for index, row in events.iterrows():
        known = tranches[
            (tranches["part_of"].eq(row["event"]) | tranches["event"].eq(row["event"]))
            & tranches["reported_on"].le(row["reported_on"])
        ]
        known = known.sort_values(["reported_on", "figure_id"]).groupby("event").tail(1)
        if pd.notna(row["value"]) and len(known):
            events.loc[index, "value"] = row["value"] - float(known["value"].sum())
    # money conditional until a condition was met: out of every report before that day, back in on that day
    met_rows = []
    for met in met_conditions(figures).itertuples():
        mine = events["event"].eq(met.event) & events["reported_on"].between(
            met.conditional_from, met.met_on, inclusive="left"
        )
        if not mine.any():
            continue
        back = events[mine].sort_values(["reported_on", "figure_id"]).iloc[-1].copy()
        events.loc[mine, "value"] = events.loc[mine, "value"] - met.amount_usd_bn
        back["reported_on"], back["source_ids"] = met.met_on, f"{back['source_ids']};{met.source_ids}"
        met_rows.append(back)
    if met_rows:
        events = pd.concat([events, pd.DataFrame(met_rows)], ignore_index=True)
    filed = filed_totals(figures).query("basis == 'committed'")
    if not restate_filings:
        filed = filed.iloc[0:0]
    standalone = events["part_of"].isna() & events["category"].eq("equity_investment")
    extra = []
    for _, filing in filed.iterrows():
        own = events[standalone & events["subject"].map(investor_name).eq(filing["investor"])]
        for number, event in enumerate(sorted(own["event"].unique())):
            replacement = filing.copy()
            replacement["event"], replacement["category"] = event, "equity_investment"
            replacement["value"] = float(filing["value"]) if number == 0 else 0.0
            replacement["qualifier"] = "exact"
            extra.append(replacement)
    rows = pd.concat([events, pd.DataFrame(extra)], ignore_index=True) if extra else events
    return rows.sort_values(["reported_on", "figure_id"])


def raised_over_time(figures: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Running total of money raised (paid in plus committed) on each report date, among `statuses`:
    cumulative_capital over raised_events. With the firm statuses it ends at the money box's raised total."""
    return cumulative_capital(raised_events(figures), statuses)


def new_money(figures: pd.DataFrame, statuses: tuple[str, ...], start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Money raised between two dates that is new: the running total's rise less what a filing restated (an
    investor's filed total replacing press figures for deals made years before is not new money)."""
    unrestated = cumulative_capital(raised_events(figures, restate_filings=False), statuses)
    at = lambda day: float(unrestated.loc[unrestated["reported_on"].le(day), "total_usd_bn"].iloc[-1])  # noqa: E731
    return at(end) - at(start)


# a listing row whose note says a filing was made (not only prepared or talked about): a listing trigger may be met
FILING_MADE = re.compile(
    r"filing confirmed|confirmed (?:the|its|a) (?:confidential )?filing|filed confidentially", re.I
)


def trigger_reports(figures: pd.DataFrame) -> pd.DataFrame:
    """Per conditional tranche whose condition includes a listing filing, the first later report (any reading) of a
    listing filing made before the tranche's deadline: the trigger may have been met, as reported."""
    tranches = conditions(figures)
    listing = figures[figures["category"].eq("listing") & figures["note"].fillna("").str.contains(FILING_MADE)]
    records = []
    for row in tranches.itertuples():
        if "files for" not in row.condition:
            continue
        later = listing[listing["reported_on"].gt(row.reported_on)]
        if pd.notna(row.end_year):
            later = later[later["reported_on"].dt.year.le(int(row.end_year))]
        if len(later):
            first = later.sort_values(["reported_on", "figure_id"]).iloc[0]
            records.append(
                {
                    "event": row.event,
                    "investor": row.investor,
                    "value": row.value,
                    **first[["figure_id", "reported_on", "status", "source_ids"]].to_dict(),
                }
            )
    return pd.DataFrame(
        records, columns=["event", "investor", "value", "figure_id", "reported_on", "status", "source_ids"]
    )


def trigger_clause(figures: pd.DataFrame) -> str:
    """'; its trigger may have been met: a confidential listing filing was reported in Jun 2026' beside a conditional
    total, or '' when no filing is reported."""
    reports = trigger_reports(figures)
    if reports.empty:
        return ""
    first = reports.iloc[0]
    how = "reported" if first["status"] not in FIRM_STATUSES else "announced"
    return f"; its trigger may have been met: a listing filing was {how} in {month_year(first['reported_on'])}"
