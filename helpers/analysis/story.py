"""The leads: a headline that states the finding, a standfirst of two or three sentences and a box of key numbers,
for the report's front page and for the top of every notebook. Every number is computed here from the ledger or
from an assumption that says so; the words around it are the editor's.

A lead is plain text with glossary links written as `⟦word|anchor⟧`; `lead_markdown` escapes the text (dollar
signs, brackets from the data) and only then turns those marks into links, so nothing from the data becomes one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.data.load import RECORD_SEARCHED_ON, STALE_AFTER_DAYS, as_of, record_gap_sentence
from helpers.data.vocabulary import FIRM_STATUSES, TENTATIVE_STATUSES
from helpers.notebook.prose import escape
from helpers.notebook.tables import money

GLOSSARY = "../docs/glossary.md"
# a glossary link in lead text: ⟦shown words|anchor⟧; `escape` writes the bar as '&#124;' (a Markdown table's
# cell separator), so the mark is found with either spelling and survives escaping
_TERM = re.compile(r"⟦([^|⟧&]+)(?:\||&#124;)([a-z0-9-]+)⟧")
# pages a reader can trust first hand: the company's own release or filing, the outlet's own page, a copy of it
FIRST_HAND = ("primary", "original", "repost")


# each status group in the words a reader meets, from the vocabulary's statuses (so a new status fails loudly here)
_STATUS_PHRASES = {
    "in_talks": "talks",
    "reported": "press reports",
    "letter_of_intent": "a letter of intent",
    "announced": "announced",
    "definitive": "signed",
    "closed": "closed",
}


def _or_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def tentative_words(statuses: Iterable[str] | None = None, linked: bool = False) -> str:
    """'talks, press reports or a letter of intent': the one wording of what a tentative deal rests on, naming only
    the `statuses` given when any of them is tentative (so a phrase never names a status no deal has); with
    `linked`, 'press reports' carries its glossary mark."""
    present = set(statuses) if statuses is not None else set()
    chosen = [status for status in TENTATIVE_STATUSES if status in present] or list(TENTATIVE_STATUSES)
    parts = [_STATUS_PHRASES[status] for status in chosen]
    if linked:
        parts = [f"⟦{p}|press-report⟧" if p == "press reports" else p for p in parts]
    return _or_list(parts)


def firm_words() -> str:
    """'announced, signed or closed': the one wording of a firm deal's status."""
    return _or_list([_STATUS_PHRASES[status] for status in FIRM_STATUSES])


@dataclass(frozen=True)
class Lead:
    """What a page opens with: headline, standfirst, key numbers (number, what it is) and the date line."""

    headline: str
    standfirst: str
    numbers: tuple[tuple[str, str], ...]
    dated: str
    as_of: pd.Timestamp | None = None  # the figures' date, for pages built later than it


def day_month_year(stamp: pd.Timestamp) -> str:
    """'1 Jul 2026'."""
    return f"{stamp.day} {stamp:%b %Y}"


def dated_line(figures: pd.DataFrame, start: pd.Timestamp | None = None) -> str:
    """The one date story: what the figures are as of, a plain sentence when the newest report is more than a month
    older than the last search, and when the assumptions' clock starts."""
    line = f"Figures as of {day_month_year(as_of(figures))}, the date of the newest report in the ledger"
    if record_gap_sentence(figures):
        line += (
            f"; a search on {day_month_year(pd.Timestamp(RECORD_SEARCHED_ON))} found nothing citable published since"
        )
    line += "."
    if start is not None:
        # the reason, said once: a fixed date so reruns agree, and not before the newest figure it follows
        line += (
            f" Years to a listing are counted from {day_month_year(pd.Timestamp(start))}, an assumed fixed date (so "
            "reruns give the same numbers) no earlier than the newest figure."
        )
    return line


def staleness(as_of_date: pd.Timestamp, built_on: pd.Timestamp) -> str:
    """A plain sentence when the figures are more than a month older than the page; '' otherwise."""
    days = (pd.Timestamp(built_on).normalize() - pd.Timestamp(as_of_date).normalize()).days
    if days <= STALE_AFTER_DAYS:
        return ""
    months = round(days / 30.44)
    return f"The newest figures here are {months} month{'s' if months != 1 else ''} older than this page."


def plain_terms(text: str) -> str:
    """Lead text with the glossary marks dropped: '⟦post-money|post-money-valuation⟧' -> 'post-money'."""
    return _TERM.sub(lambda m: m.group(1), text)


def _linked(text: str) -> str:
    """Escape a lead's text, then turn its glossary marks into links to the glossary page."""
    return _TERM.sub(lambda m: f"[{m.group(1)}]({GLOSSARY}#{m.group(2)})", escape(text))


def headline_markdown(lead: Lead) -> str:
    """The first markdown cell: the headline and the standfirst."""
    return f"# {escape(plain_terms(lead.headline))}\n\n{_linked(lead.standfirst)}"


def box_markdown(lead: Lead) -> str:
    """The key-number box: one row a number, then the date line."""
    rows = "\n".join(f"| **{escape(number)}** | {_linked(what)} |" for number, what in lead.numbers)
    return f"| Key number | What it is |\n|---:|:---|\n{rows}\n\n*{_linked(lead.dated)}*"


def credit(source_ids: str, sources: pd.DataFrame) -> str:
    """'' when a source was read first hand; else who was read and whom it cites: 'reported by Let's Data Science,
    citing The New York Times and Reuters' (one page) or 'press reports via aggregator pages' (several)."""
    rows = sources.set_index("source_id").loc[[s for s in str(source_ids).split(";") if s]]
    if rows["proximity"].isin(FIRST_HAND).any():
        return ""
    if len(rows) == 1:
        row = rows.iloc[0]
        cited = str(row["original_outlet"]).replace("; ", " and ")
        outlet = str(row["outlet_read"]).split(" (")[0]
        return f"reported by {outlet}" + (f", citing {cited}" if cited and cited != "unknown" else "")
    return "press reports read on aggregator pages"


def with_credit(text: str, source_ids: str, sources: pd.DataFrame) -> str:
    """A stated figure followed by its credit in brackets when it rests only on second-hand pages."""
    who = credit(source_ids, sources)
    return f"{text} ({who})" if who else text


def words_count(markdown: str) -> int:
    """Words a reader reads in a bottom line or standfirst (markup and escaped dollar signs do not count)."""
    words = re.sub(r"<[^>]+>|&#\d+;|\*\*|^- ", "", markdown, flags=re.MULTILINE).split()
    return len([word for word in words if word != "-"])


def money_words(value_usd_bn: float) -> str:
    """'$147.6B': the one way every lead writes an amount."""
    return money(value_usd_bn)
