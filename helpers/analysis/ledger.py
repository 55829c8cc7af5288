"""Notebook 01, the ledger: counts by status, each deal's status history, the disagreements between sources,
and the sentences that report them.
"""

from __future__ import annotations

import pandas as pd

from helpers.data.load import Ledger
from helpers.data.views import cited, stated, with_text
from helpers.data.vocabulary import (
    FIRM_STATUSES,
    STATUSES,
    status_group,
)
from helpers.notebook.parameters import Spec
from helpers.notebook.prose import month_year
from helpers.notebook.tables import Published, publish


def counts(figures: pd.DataFrame) -> Published:
    """Number of figures by category (rows) and status (columns), with totals."""
    table = pd.crosstab(figures["category"], figures["status"])
    table = table.reindex(columns=[s for s in STATUSES if s in table.columns])
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    table.index = table.index.str.replace("_", " ").rename("category")
    table.columns = [str(c) for c in table.columns]
    return publish(table)


def status_history(figures: pd.DataFrame, events: list[str] | None = None) -> pd.DataFrame:
    """Each deal's reports in date order, for events whose status changed over time."""
    changed = figures.groupby("event")["status"].nunique()
    keep = events if events is not None else list(changed[changed > 1].index)
    rows = figures[figures["event"].isin(keep)].sort_values(["event", "reported_on", "figure_id"])
    return rows


def conflicts(figures: pd.DataFrame, sources: pd.DataFrame) -> Published:
    """Rows whose sources disagree, grouped by conflict, with the reading the notebooks use marked."""
    rows = figures.dropna(subset=["conflict"]).sort_values(["conflict", "reported_on", "figure_id"])
    table = pd.DataFrame(
        {
            "conflict": rows["conflict"],
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


def firmness_sentence(figures: pd.DataFrame) -> str:
    """How many figures are firm, tentative or lapsed."""
    groups = figures["status"].map(status_group).value_counts()
    total = len(figures)
    return (
        f"Of {total} figures, {groups.get('firm', 0)} are firm (announced, definitive or closed), "
        f"{groups.get('tentative', 0)} are talks, press reports or letters of intent, and "
        f"{groups.get('lapsed', 0)} stalled or were superseded."
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
    """How many disagreements the ledger keeps, and how many rows are set aside."""
    rows = figures.dropna(subset=["conflict"])
    alternatives = int((rows["reading"] == "alternative").sum())
    return (
        f"The ledger keeps {rows['conflict'].nunique()} disagreements between sources "
        f"({len(rows)} rows); {alternatives} rows are alternative readings kept for the record "
        f"and not used in the charts."
    )


def bottom_line(figures: pd.DataFrame, sources: pd.DataFrame, story_event: str) -> str:
    """The ledger notebook's bottom line, computed."""
    first, last = figures["reported_on"].min(), figures["reported_on"].max()
    mark = latest_mark(figures)
    changed = int((figures.groupby("event")["status"].nunique() > 1).sum())
    mark_text = stated(mark)
    return "\n".join(
        [
            f"- **{len(figures)} figures** from **{len(sources)} sources**, reported between "
            f"{month_year(first)} and {month_year(last)}.",
            f"- {firmness_sentence(figures)}",
            f"- {changed} deals or series changed status between reports. {history_sentence(figures, story_event)}",
            f"- {conflict_sentence(figures)}",
            f"- The latest firm valuation mark is **{mark_text} {mark['metric'].replace('_', '-')}** "
            f"({mark['status']}, {mark['reported_on']:%Y-%m-%d}).",
        ]
    )


def parameter_specs(book: Ledger) -> list[Spec]:
    """The ledger notebook's parameters; the deals they name must be events in the ledger."""
    figures = book.figures
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
