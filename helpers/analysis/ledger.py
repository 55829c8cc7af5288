"""Notebook 01, the ledger: counts by status, each deal's status history, the disagreements between sources,
and the sentences that report them.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import funding
from helpers.analysis.story import firm_words
from helpers.analysis.story import tentative_words as story_tentative_words
from helpers.data.load import Ledger
from helpers.data.views import cited, latest, stated, with_text
from helpers.data.vocabulary import (
    CATEGORY_NAMES,
    FIRM_STATUSES,
    STATUSES,
    status_group,
)
from helpers.notebook.parameters import Spec
from helpers.notebook.prose import month_year
from helpers.notebook.tables import Published, money, publish


def counts(figures: pd.DataFrame) -> Published:
    """Number of figures by category (rows) and status (columns), with totals."""
    # a withdrawn figure (no source reports it) is counted as withdrawn, never under a live status
    status = figures["status"].where(figures["reading"].ne("withdrawn"), "withdrawn")
    table = pd.crosstab(figures["category"], status)
    table = table.reindex(columns=[s for s in (*STATUSES, "withdrawn") if s in table.columns])
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    # the kinds in the words the charts use ('chip deals', not 'chip commitment')
    table.index = pd.Index([CATEGORY_NAMES.get(c, c.replace("_", " ")) for c in table.index], name="category")
    table.columns = [str(c) for c in table.columns]
    return publish(table)


def status_history(figures: pd.DataFrame, events: list[str] | None = None) -> pd.DataFrame:
    """Each deal's reports in date order, for deals whose status changed over time (a revenue series' label is not
    a deal stage, so only deals are listed unless `events` names others)."""
    rows = figures[figures["event"].isin(deals(figures)["event"])]
    changed = rows.groupby("event")["status"].nunique()
    keep = events if events is not None else list(changed[changed > 1].index)
    rows = figures[figures["event"].isin(keep) & figures["reading"].ne("withdrawn")]  # no source: no status step
    return rows.sort_values(["event", "reported_on", "figure_id"])


def conflicts(figures: pd.DataFrame, sources: pd.DataFrame) -> Published:
    """Rows whose sources disagree, grouped by conflict, with the reading the notebooks use marked; groups where
    every row is used are labelled 'different measures', not disagreements."""
    rows = figures.dropna(subset=["conflict"]).sort_values(["conflict", "reported_on", "figure_id"])
    kinds = disagreements(figures)
    table = pd.DataFrame(
        {
            "conflict": rows["conflict"].map(conflict_names(rows)),
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


def conflict_names(rows: pd.DataFrame) -> dict[str, str]:
    """Each conflict group in a reader's words, numbered in table order: '3. Amazon's investment (2026 round)'."""
    first = rows.drop_duplicates("conflict")
    return {
        key: f"{number}. {deal}"
        for number, (key, deal) in enumerate(zip(first["conflict"], first["deal"], strict=True), 1)
    }


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


def deal_parts_words(figures: pd.DataFrame) -> str:
    """Every deal group and its count, the parts adding to the deal total: '14 were ..., 7 rested on ... and 1 lapsed'."""
    groups = deals(figures)["group"].value_counts()
    lapsed = int(groups.get("lapsed", 0))
    return (
        f"{groups.get('firm', 0)} were {firm_words()}, {groups.get('tentative', 0)} rested on "
        f"{tentative_words(figures)} and {lapsed} lapsed"
    )


def firmness_sentence(figures: pd.DataFrame) -> str:
    """How many deals (not figures) reached an announcement, signing or closing, rest on talks or press
    reports, or lapsed; projections, revenue and valuations are not deals and are not counted."""
    groups = deals(figures)["group"].value_counts()
    return (
        f"Of {int(groups.sum())} deals, {groups.get('firm', 0)} were {firm_words()}, "
        f"{groups.get('tentative', 0)} rested on {tentative_words(figures)}, and "
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
        steps.append(f"{' + '.join(parts)} {status.replace('_', ' ')} ({month_year(reported_on)})")
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
    groups = deals(figures)["group"].value_counts()
    return "\n".join(
        [
            f"- **{len(figures)} figures** from {len(sources)} sources, {month_year(first)} to {month_year(last)}; "
            f"sources disagreed on {int(kinds.eq('disagreement').sum())}, and every reading is kept.",
            f"- Of {int(groups.sum())} deals, {deal_parts_words(figures)}.",
            f"- Money into OpenAI: **{money(amounts.iloc[0])} {amounts.index[0]}**, "
            f"{money(amounts.iloc[1])} {amounts.index[1]} and {money(amounts.iloc[3])} {amounts.index[3]}.",
        ]
    )


def parameter_specs(book: Ledger) -> list[Spec]:
    """The ledger notebook's parameters; the deal they name must be an event with reported amounts."""
    figures = book.figures
    told = figures[(figures["metric"] == "amount") & (figures["reading"] == "used")]
    return [
        Spec(
            "STORY_EVENT",
            "choice",
            "a deal with reported amounts, told in words in the bottom line",
            choices=sorted(told["event"].unique()),
        ),
    ]


DEAL_CATEGORIES = (
    "funding_round",
    "equity_investment",
    "secondary_sale",
    "cloud_commitment",
    "chip_commitment",
    "debt",
)


def deals(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per deal (an event with an amount in a deal category), at its most advanced reported status.

    A part of another deal (an investor's share of a round, chips inside a cloud expansion: `part_of` names
    another event) is not a deal of its own, as notebooks 02 and 03 count it once, inside the whole."""
    rows = figures[figures["category"].isin(DEAL_CATEGORIES) & figures["metric"].eq("amount")]
    # one rule for whose deal it is: OpenAI (or its employees, selling its shares) is a party to it; a loan to an
    # investor (SoftBank's bridge loan) is left out as the Stargate venture's spending is
    rows = rows[rows["event"].isin(rows.loc[_openai_party(rows), "event"])]
    whole = rows["part_of"].isna() | rows["part_of"].eq(rows["event"])
    rows = rows[rows["event"].isin(rows.loc[whole, "event"])]
    # a deal's kind is its first category in DEAL_CATEGORIES (a round's closing row may be an investor's part)
    rank = rows["category"].map(DEAL_CATEGORIES.index)
    kind = rows.assign(_rank=rank).sort_values("_rank").groupby("event")["category"].first()
    current = latest(rows, ["event"])
    current = current.assign(status=filed_status(current, figures))
    return current.assign(category=current["event"].map(kind), group=current["status"].map(status_group))


def _openai_party(rows: pd.DataFrame) -> pd.Series:
    """Rows to which OpenAI itself (or its employees) is a party, as payer or payee."""
    return rows["subject"].str.startswith("OpenAI") | rows["counterparty"].fillna("").str.startswith("OpenAI")


# the words for each tentative status, in the order a sentence lists them
def tentative_words(figures: pd.DataFrame, linked: bool = False) -> str:
    """'talks or press reports': the one wording (story.tentative_words), naming only the tentative statuses the
    counted deals are at."""
    return story_tentative_words(set(deals(figures)["status"]), linked=linked)


def undisclosed_deals(figures: pd.DataFrame) -> int:
    """Deals counted whose amount was never disclosed (a deal is counted with or without one)."""
    return int(deals(figures)["value"].isna().sum())


def filed_status(current: pd.DataFrame, figures: pd.DataFrame) -> pd.Series:
    """Each deal's status, raised to the status of the investor's own filed total where that filing covers it
    (Microsoft's 10-Q confirms its investments outside rounds): one status for one deal, as notebook 02 counts
    the same money as committed and paid in."""
    filed = funding.filed_totals(figures).query("basis == 'committed'").set_index("investor")["status"]
    covered = (
        current["category"].eq("equity_investment")
        & current["part_of"].isna()
        & current["subject"].map(funding.investor_name).isin(filed.index)
    )
    raised = current["subject"].map(funding.investor_name).map(filed)
    # only ever raised: a deal whose own reports went further keeps its own status
    above = pd.Series(
        [
            isinstance(r, str) and STATUSES.index(r) > STATUSES.index(s)
            for r, s in zip(raised, current["status"], strict=True)
        ],
        index=current.index,
    )
    higher = covered & above
    return current["status"].where(~higher, raised)


def filed_words(figures: pd.DataFrame) -> str:
    """'; Microsoft's investments outside rounds at the status of its own filing, which confirms their total'."""
    filed = sorted(funding.filed_totals(figures).query("basis == 'committed'")["investor"].unique())
    if not filed:
        return ""
    return (
        "; "
        + " and ".join(f"{name}'s" for name in filed)
        + (" investments outside rounds at the status of its own filing, which confirms their total")
    )


def _with_status(row: pd.Series) -> str:
    """'SoftBank bridge loan (Mar 2026, closed)': the status inside a name's own brackets, never a second pair."""
    status = row["status"].replace("_", " ")
    deal = str(row["deal"])
    return f"{deal[:-1]}, {status})" if deal.endswith(")") else f"{deal} ({status})"


def left_out_words(figures: pd.DataFrame) -> str:
    """'. Left out: Stargate data centres (announced), ...': infrastructure a venture builds is not OpenAI's deal."""
    rows = figures[figures["category"].eq("infrastructure") & figures["metric"].eq("amount")]
    money_rows = figures[figures["category"].isin(DEAL_CATEGORIES) & figures["metric"].eq("amount")]
    others = money_rows[~money_rows["event"].isin(money_rows.loc[_openai_party(money_rows), "event"])]
    if rows.empty and others.empty:
        return ""
    named = [f"{row['deal']} ({row['status'].replace('_', ' ')})" for _, row in latest(rows, ["event"]).iterrows()]
    text = (
        f". Left out: {' and '.join(named)}, investment by the Stargate venture rather than OpenAI's own, "
        "overlapping the Oracle contract"
        if named
        else ". Left out"
    )
    if len(others):
        loans = [_with_status(row) for _, row in latest(others, ["event"]).iterrows()]
        text += ("; and " if named else ": ") + f"{' and '.join(loans)}, to which OpenAI is not a party"
    return text


def disagreements(figures: pd.DataFrame) -> pd.Series:
    """Per conflict group, 'disagreement' when a source's reading was set aside for another, else 'different
    measures' (every row used: a calendar figure beside a run rate, a pre-money beside a post-money)."""
    rows = figures.dropna(subset=["conflict"])
    set_aside = rows.groupby("conflict")["reading"].apply(lambda r: bool((r == "alternative").any()))
    return set_aside.map({True: "disagreement", False: "different measures"})
