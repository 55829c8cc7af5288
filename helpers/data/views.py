"""Views of ledger rows that every notebook shares: a figure in words, its sources, the newest report of a deal,
and the ledger as a table a reader can read.
"""

from __future__ import annotations

import pandas as pd

from helpers.data.vocabulary import (
    QUALIFIER_WORDS,
    STATUSES,
)
from helpers.notebook.tables import Published, money, publish


def _number(value: float, unit: str) -> str:
    if unit == "usd_bn":
        return money(value)
    if unit == "pct":
        return f"{value:g}%"
    if unit == "gw":
        return f"{value:g} GW"
    if unit == "usd":
        return f"${value:,.2f}"
    return f"{value:g}M shares"


def describe_value(value: float, qualifier: str, low: float, high: float, unit: str) -> str:
    """The figure as a reader says it: 'more than $10B', 'up to $100B', '$852B to $1T', 'undisclosed'."""
    if qualifier == "undisclosed":
        return "undisclosed"
    if qualifier == "range":
        return f"{_number(low, unit)} to {_number(high, unit)}"
    return QUALIFIER_WORDS[qualifier] + _number(value, unit)


def stated(row: pd.Series) -> str:
    """describe_value for one ledger row (value, qualifier, bounds and unit taken from the row)."""
    unit = row["unit"] if "unit" in row and isinstance(row["unit"], str) else "usd_bn"
    return describe_value(row["value"], row["qualifier"], row.get("low"), row.get("high"), unit)


def with_text(figures: pd.DataFrame) -> pd.Series:
    """describe_value for every row of a figures table, in the unit of the row ('$210.00 a share', '10 GW') and
    over its period where it is a flow ('$300M in Aug 2024 (one month)')."""
    columns = ["value", "qualifier", "low", "high", "unit"]
    texts = [describe_value(*row) for row in figures[columns].itertuples(index=False)]
    extra = [
        " a share" if metric == "share_price" else period_words(metric, period)
        for metric, period in zip(figures["metric"], figures["period"], strict=True)
    ]
    return pd.Series(
        [t + e if t != "undisclosed" else t for t, e in zip(texts, extra, strict=True)],
        index=figures.index,
        dtype="str",
    )


def source_labels(sources: pd.DataFrame) -> pd.Series:
    """'Original via page read, YYYY-MM-DD' for each source id: the page read is named, the original only via it."""
    original = sources["original_outlet"].str.replace("; ", " and ")
    relayed = (
        sources["proximity"].ne("primary")
        & original.ne(sources["outlet_read"])
        & ~original.str.lower().eq("unknown")
        & pd.Series(
            [not read.startswith(orig) for read, orig in zip(sources["outlet_read"], original, strict=True)],
            index=sources.index,
        )
    )
    label = sources["outlet_read"].where(~relayed, original + " via " + sources["outlet_read"])
    label = label + ", " + sources["published_on"].dt.strftime("%Y-%m-%d")
    return pd.Series(label.to_numpy(), index=sources["source_id"].to_numpy(), dtype="str")


def cited(source_ids: pd.Series, sources: pd.DataFrame) -> pd.Series:
    """Replace 'S01;S05' with the readable labels of those sources."""
    labels = source_labels(sources)
    return source_ids.map(lambda ids: "; ".join(labels[i] for i in ids.split(";"))).astype("str")


# pages that carry an outlet's own text: a figure with none of these behind it rests on aggregator pages only
FIRST_HAND = ("primary", "original", "repost")
AGGREGATOR_FLAG = " (aggregator pages only)"


def aggregator_only(source_ids: str, sources: pd.DataFrame) -> bool:
    """Whether every source of a row is an aggregator page (then a title or takeaway must say so)."""
    proximity = sources.set_index("source_id").loc[source_ids.split(";"), "proximity"]
    return not proximity.isin(FIRST_HAND).any()


def aggregator_flag(source_ids: str, sources: pd.DataFrame) -> str:
    """' (aggregator pages only)' for a figure resting only on aggregator pages, else ''."""
    return AGGREGATOR_FLAG if source_ids and aggregator_only(source_ids, sources) else ""


def aggregator_note(source_ids: str, sources: pd.DataFrame) -> str:
    """'; aggregator pages only', the flag for inside a bracket that already holds a date, else ''."""
    flag = aggregator_flag(source_ids, sources)
    return f"; {flag.strip()[1:-1]}" if flag else ""


def sources_of(rows: pd.DataFrame) -> list[str]:
    """The distinct source ids behind a set of rows, in first-cited order."""
    seen: dict[str, None] = {}
    for ids in rows["source_ids"]:
        for source_id in ids.split(";"):
            seen.setdefault(source_id, None)
    return list(seen)


WITHDRAWN_SOURCES = "none: no source reports this figure"


def readable(figures: pd.DataFrame, sources: pd.DataFrame) -> Published:
    """The ledger as a reader wants it: date, who, what, the figure in words, status and sources."""
    withdrawn = figures["reading"].eq("withdrawn")
    table = pd.DataFrame(
        {
            "reported": figures["reported_on"].dt.strftime("%Y-%m-%d"),
            "id": figures["figure_id"],
            "deal": figures["deal"],
            "from": figures["subject"],
            "to": figures["counterparty"].fillna(""),
            "what": figures["category"].str.replace("_", " ") + ": " + figures["metric"].str.replace("_", " "),
            # a withdrawn figure is never shown as a live one with a source behind it
            "figure": with_text(figures).where(~withdrawn, "withdrawn (was " + with_text(figures) + ")"),
            "status": figures["status"].str.replace("_", " ").where(~withdrawn, "withdrawn"),
            "sources": cited(figures["source_ids"], sources).where(~withdrawn, WITHDRAWN_SOURCES),
        }
    )
    return publish(table.sort_values(["reported", "id"]).reset_index(drop=True))


def latest(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of `keys`, the row with the most advanced status, newest first among equals.

    A later recap that calls an announced deal merely 'reported' does not downgrade it.
    """
    rank = rows["status"].map(STATUSES.index)
    ordered = rows.assign(_rank=rank).sort_values(["_rank", "reported_on", "figure_id"])
    return ordered.groupby(keys, sort=False, dropna=False).tail(1).drop(columns="_rank")


def source_table(sources: pd.DataFrame, source_ids: list[str] | None = None) -> Published:
    """The sources a notebook cites, for its closing table (links clickable in HTML)."""
    rows = sources if source_ids is None else sources[sources["source_id"].isin(source_ids)]
    table = (
        rows.assign(published_on=rows["published_on"].dt.strftime("%Y-%m-%d"))[
            ["source_id", "outlet_read", "original_outlet", "proximity", "published_on", "kind", "url"]
        ]
        .sort_values("source_id")
        .reset_index(drop=True)
    )
    return publish(table, links=["url"])


def revenue_marks(figures: pd.DataFrame) -> dict[str, pd.Series]:
    """The latest calendar-year revenue and the latest run rate the ledger uses; they are different things."""
    used = figures[(figures["reading"] == "used") & figures["category"].eq("revenue")]
    calendar = used[used["metric"].eq("revenue") & used["period"].str.fullmatch(r"\d{4}").fillna(False)]
    run_rate = used[used["metric"].eq("run_rate")]
    pick = lambda rows: rows.sort_values(["reported_on", "figure_id"]).iloc[-1]  # noqa: E731
    return {"calendar": pick(calendar), "run_rate": pick(run_rate)}


FLOW_METRICS = ("revenue", "run_rate", "cash_burn", "net_loss", "operating_loss", "compute_spend")


def period_words(metric: str, period: object) -> str:
    """What a flow of money is measured over, in words: ' in Aug 2024 (one month)', ' a year (run rate, May
    2026)', ' in Q1 2026', ' in 2025'; '' for a stock (a valuation, a deal amount) or no period."""
    if metric not in FLOW_METRICS or not isinstance(period, str):
        return ""
    if len(period) == 7 and period[5:].isdigit():
        month = pd.Timestamp(period + "-01").strftime("%b %Y")
        return f" a year (run rate, {month})" if metric == "run_rate" else f" in {month} (one month)"
    if len(period) == 7:  # 2026-Q1, 2025-H1
        return f" in {period[5:]} {period[:4]}"
    return f" in {period.replace('-', ' to ')}"
