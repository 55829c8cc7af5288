"""Pure functions that turn the validated figures table into the views the notebooks show."""

from __future__ import annotations

import pandas as pd

from helpers.data import STATUSES
from helpers.parameters import Spec
from helpers.tables import Published, money, publish

FIRM_STATUSES = ("announced", "definitive", "closed")
TENTATIVE_STATUSES = ("in_talks", "reported", "letter_of_intent")
LAPSED_STATUSES = ("stalled", "superseded")
STATUS_GROUPS = {"firm": FIRM_STATUSES, "tentative": TENTATIVE_STATUSES, "lapsed": LAPSED_STATUSES}
# lifecycle order, from first talks to closed, then lapsed: the order the schema lists them in
STATUS_ORDER = STATUSES
# Categories whose 'amount' rows are deals (money changing hands); projections, revenue, valuations, listing
# talk and data-centre programmes have a status too, but they are not deals and are not counted as deals.
DEAL_CATEGORIES = (
    "funding_round",
    "equity_investment",
    "secondary_sale",
    "cloud_commitment",
    "chip_commitment",
    "debt",
)

WORDS = {
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "up_to": "up to ",
    "less_than": "less than ",
    "exact": "",
}


def status_group(status: str) -> str:
    """firm (announced, definitive, closed), tentative (talks, reported, letter of intent) or lapsed."""
    for group, statuses in STATUS_GROUPS.items():
        if status in statuses:
            return group
    raise ValueError(f"unknown status {status!r}")


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
    return WORDS[qualifier] + _number(value, unit)


def stated(row: pd.Series) -> str:
    """describe_value for one ledger row (value, qualifier, bounds and unit taken from the row)."""
    unit = row["unit"] if "unit" in row and isinstance(row["unit"], str) else "usd_bn"
    return describe_value(row["value"], row["qualifier"], row.get("low"), row.get("high"), unit)


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
    """'Outlet (original), YYYY-MM-DD' for each source id."""
    original = sources["original_outlet"].where(sources["original_outlet"] != sources["outlet_read"])
    label = sources["outlet_read"] + original.map(lambda o: f" (for {o})" if isinstance(o, str) else "")
    label = label + ", " + sources["published_on"].dt.strftime("%Y-%m-%d")
    return pd.Series(label.to_numpy(), index=sources["source_id"].to_numpy(), dtype="str")


def cited(source_ids: pd.Series, sources: pd.DataFrame) -> pd.Series:
    """Replace 'S01;S05' with the readable labels of those sources."""
    labels = source_labels(sources)
    return source_ids.map(lambda ids: "; ".join(labels[i] for i in ids.split(";"))).astype("str")


def sources_of(rows: pd.DataFrame) -> list[str]:
    """The distinct source ids behind a set of rows, in first-cited order."""
    seen: dict[str, None] = {}
    for ids in rows["source_ids"]:
        for source_id in ids.split(";"):
            seen.setdefault(source_id, None)
    return list(seen)


def readable(figures: pd.DataFrame, sources: pd.DataFrame) -> Published:
    """The ledger as a reader wants it: date, who, what, the figure in words, status and sources."""
    table = pd.DataFrame(
        {
            "reported": figures["reported_on"].dt.strftime("%Y-%m-%d"),
            "id": figures["figure_id"],
            "deal": figures["deal"],
            "from": figures["subject"],
            "to": figures["counterparty"].fillna(""),
            "what": figures["category"].str.replace("_", " ") + ": " + figures["metric"].str.replace("_", " "),
            "figure": with_text(figures),
            "status": figures["status"].str.replace("_", " "),
            "sources": cited(figures["source_ids"], sources),
        }
    )
    return publish(table.sort_values(["reported", "id"]).reset_index(drop=True))


def counts(figures: pd.DataFrame) -> Published:
    """Number of figures by category (rows) and status (columns), with totals."""
    table = pd.crosstab(figures["category"], figures["status"])
    table = table.reindex(columns=[s for s in STATUS_ORDER if s in table.columns])
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    table.index = table.index.str.replace("_", " ").rename("category")
    table.columns = [str(c) for c in table.columns]
    return publish(table)


def latest(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of `keys`, the row with the most advanced status, newest first among equals.

    A later recap that calls an announced deal merely 'reported' does not downgrade it.
    """
    rank = rows["status"].map(STATUS_ORDER.index)
    ordered = rows.assign(_rank=rank).sort_values(["_rank", "reported_on", "figure_id"])
    return ordered.groupby(keys, sort=False, dropna=False).tail(1).drop(columns="_rank")


def status_history(figures: pd.DataFrame, events: list[str] | None = None) -> pd.DataFrame:
    """Each deal's reports in date order, for deals whose status changed over time (a revenue series' label is not
    a deal stage, so only deals are listed unless `events` names others)."""
    rows = figures[figures["event"].isin(deals(figures)["event"])]
    changed = rows.groupby("event")["status"].nunique()
    keep = events if events is not None else list(changed[changed > 1].index)
    rows = figures[figures["event"].isin(keep)].sort_values(["event", "reported_on", "figure_id"])
    return rows


def deals(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per deal (an event with an amount in a deal category), at its most advanced reported status."""
    rows = figures[figures["category"].isin(DEAL_CATEGORIES) & figures["metric"].eq("amount")]
    # a deal's kind is its first category in DEAL_CATEGORIES (a round's closing row may be an investor's part)
    rank = rows["category"].map(DEAL_CATEGORIES.index)
    kind = rows.assign(_rank=rank).sort_values("_rank").groupby("event")["category"].first()
    current = latest(rows, ["event"])
    return current.assign(category=current["event"].map(kind), group=current["status"].map(status_group))


def disagreements(figures: pd.DataFrame) -> pd.Series:
    """Per conflict group, 'disagreement' when a source's reading was set aside for another, else 'different
    measures' (every row used: a calendar figure beside a run rate, a pre-money beside a post-money)."""
    rows = figures.dropna(subset=["conflict"])
    set_aside = rows.groupby("conflict")["reading"].apply(lambda r: bool((r == "alternative").any()))
    return set_aside.map({True: "disagreement", False: "different measures"})


def conflicts(figures: pd.DataFrame, sources: pd.DataFrame) -> Published:
    """Rows whose sources disagree, grouped by conflict, with the reading the notebooks use marked; groups where
    every row is used are labelled 'different measures', not disagreements."""
    rows = figures.dropna(subset=["conflict"]).sort_values(["conflict", "reported_on", "figure_id"])
    kinds = disagreements(figures)
    table = pd.DataFrame(
        {
            "conflict": rows["conflict"],
            "kind": rows["conflict"].map(kinds),
            "reported": rows["reported_on"].dt.strftime("%Y-%m-%d"),
            "id": rows["figure_id"],
            "metric": rows["metric"].str.replace("_", " "),
            "figure": with_text(rows),
            "status": rows["status"].str.replace("_", " "),
            "reading": rows["reading"],
            "sources": cited(rows["source_ids"], sources),
        }
    )
    return publish(table.reset_index(drop=True))


def latest_mark(figures: pd.DataFrame) -> pd.Series:
    """The newest firm valuation mark (pre-, post-money or unspecified) in the ledger."""
    marks = figures[
        figures["category"].eq("valuation")
        & figures["metric"].isin(["post_money", "pre_money", "valuation"])
        & figures["status"].isin(FIRM_STATUSES)
        & figures["reading"].eq("used")
    ]
    return marks.sort_values(["reported_on", "value"]).iloc[-1]


# --- sentences computed from the ledger (prose numbers never typed by hand) --------------------


def _date(ts: pd.Timestamp) -> str:
    return ts.strftime("%b %Y")


def firmness_sentence(figures: pd.DataFrame) -> str:
    """How many deals (not figures) reached an announcement, signing or closing, rest on talks or press
    reports, or lapsed; projections, revenue and valuations are not deals and are not counted."""
    groups = deals(figures)["group"].value_counts()
    return (
        f"Of {int(groups.sum())} deals, {groups.get('firm', 0)} were announced, signed or closed, "
        f"{groups.get('tentative', 0)} rest on talks, press reports or a letter of intent, and "
        f"{groups.get('lapsed', 0)} {'was' if groups.get('lapsed', 0) == 1 else 'were'} dropped or replaced."
    )


def history_steps(figures: pd.DataFrame, event: str) -> list[str]:
    """One phrase per report of a deal's amount: 'more than $10B in talks (Dec 2025)'."""
    rows = figures[
        (figures["event"] == event) & (figures["metric"] == "amount") & (figures["reading"] == "used")
    ].sort_values(["reported_on", "figure_id"])
    steps = []
    for (reported_on, status), group in rows.groupby(["reported_on", "status"], sort=False):
        parts = []
        for _, row in group.iterrows():
            text = stated(row)
            basis = row["basis"] if isinstance(row["basis"], str) and row["basis"] != "total" else ""
            parts.append(f"{text} {basis}".strip())
        steps.append(f"{' + '.join(parts)} {status.replace('_', ' ')} ({_date(reported_on)})")
    return list(dict.fromkeys(steps))


def history_sentence(figures: pd.DataFrame, event: str) -> str:
    """A deal's path from first report to the latest, in words."""
    steps = history_steps(figures, event)
    deal = figures.loc[figures["event"] == event, "deal"].iloc[0]
    return f"**{deal}**: " + " → ".join(steps) + "."


def conflict_sentence(figures: pd.DataFrame) -> str:
    """How many real disagreements the ledger keeps (a reading set aside), apart from groups of different measures."""
    rows = figures.dropna(subset=["conflict"])
    kinds = disagreements(figures)
    real = kinds[kinds.eq("disagreement")].index
    alternatives = int((rows["reading"] == "alternative").sum())
    other = int(kinds.eq("different measures").sum())
    return (
        f"Sources disagree on {len(real)} figures ({int(rows['conflict'].isin(real).sum())} rows); "
        f"{alternatives} rows are readings set aside, kept for the record and not used in the charts. "
        f"{other} more groups set different measures side by side (such as a year's revenue beside a run rate), "
        "with nothing in conflict."
    )


def bottom_line(figures: pd.DataFrame, sources: pd.DataFrame, box: pd.DataFrame) -> str:
    """The ledger notebook's bottom line: three short bullets, the money in the money box's words."""
    first, last = figures["reported_on"].min(), figures["reported_on"].max()
    amounts = box["amount_usd_bn"]
    kinds = disagreements(figures)
    return "\n".join(
        [
            f"- **{len(figures)} figures** from {len(sources)} sources, reported {_date(first)} to {_date(last)}. "
            f"{firmness_sentence(figures)}",
            f"- Money into OpenAI, counted one way: **{money(amounts.iloc[0])} {amounts.index[0]}**, "
            f"{money(amounts.iloc[1])} {amounts.index[1]} and {money(amounts.iloc[3])} {amounts.index[3]}.",
            f"- Sources disagree on {int(kinds.eq('disagreement').sum())} figures; both readings are kept.",
        ]
    )


def source_table(sources: pd.DataFrame, source_ids: list[str] | None = None) -> Published:
    """The sources a notebook cites, for its closing table (links clickable in HTML)."""
    rows = sources if source_ids is None else sources[sources["source_id"].isin(source_ids)]
    table = (
        rows.assign(published_on=rows["published_on"].dt.strftime("%Y-%m-%d"))[
            ["source_id", "outlet_read", "original_outlet", "published_on", "kind", "url"]
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


def parameters(figures: pd.DataFrame) -> list[Spec]:
    """The ledger notebook's parameters; the deals they name must be events in the ledger."""
    events = sorted(figures["event"].dropna().unique())
    told = figures[(figures["metric"] == "amount") & (figures["reading"] == "used")]
    return [
        Spec("HISTORY_EVENTS", "choices", "deals whose status history is charted", choices=events),
        Spec(
            "STORY_EVENT",
            "choice",
            "a deal with reported amounts, told in words in the bottom line",
            choices=sorted(told["event"].unique()),
        ),
    ]
