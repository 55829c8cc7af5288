"""A source row names the page that was read, at that page's address.

The fourth fact-check found rows whose address was the original outlet's own page (reuters.com, wsj.com, cnbc.com)
while `outlet_read` said a forum thread, an archived copy or a blog was read: a checker opening the address reads a
page nobody read, or a paywall. These tests hold the shipped data to the rule and show the check catches the old rows.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import pytest

from helpers import data

# the own sites of the originals the ledger credits most ('X via Y' footers): an address on one of them is that
# outlet's page, so only a row that says it read that outlet (its own page or a licensed copy) may carry it
OWN_SITES = {
    "Reuters": "reuters.com",
    "The Wall Street Journal": "wsj.com",
    "CNBC": "cnbc.com",
    "Bloomberg": "bloomberg.com",
    "The Information": "theinformation.com",
    "Financial Times": "ft.com",
    "The New York Times": "nytimes.com",
    "Fortune": "fortune.com",
    "TechCrunch": "techcrunch.com",
}


def _on_site(url: str, site: str) -> bool:
    """Whether an address is on a site or one of its subdomains ('www.wsj.com' is on wsj.com; 'notwsj.com' is not)."""
    host = urlparse(url).netloc.lower().split(":")[0]
    return host == site or host.endswith("." + site)


def address_problems(sources: pd.DataFrame) -> list[str]:
    """Source ids whose address is an original outlet's own page while the row says another page was read."""
    problems = []
    for _, row in sources.iterrows():
        url = row["url"] if isinstance(row["url"], str) else ""
        read = row["outlet_read"].split(" (")[0]
        for site_owner, site in OWN_SITES.items():
            if url and _on_site(url, site) and read != site_owner:
                problems.append(f"{row['source_id']}: {site} page, but outlet_read is {row['outlet_read']!r}")
    return problems


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return data.load_ledger().sources


def test_no_source_points_at_an_outlet_it_did_not_read(sources):
    assert address_problems(sources) == []


def test_the_check_catches_the_rows_the_fact_check_refused(sources):
    """The three rows as they stood before this fix: a forum thread and an archived copy at the originals' addresses."""
    old = pd.DataFrame(
        [
            ("S13", "a forum thread", "https://www.reuters.com/business/openai-taps-google-2025-06-10/"),
            ("S18", "an archived copy", "https://www.wsj.com/business/openai-oracle-sign-300-billion-ff27c8fe"),
            ("S34", "SoylentNews; GadgetBond", "https://www.cnbc.com/2025/11/19/nvidia-says-no-assurance.html"),
            ("S99", "Reuters", "https://www.reuters.com/markets/a-story/"),  # the outlet's own page, read there: fine
            ("S98", "a blog", "https://notwsj.com/copy"),  # only the site itself or its subdomains count
        ],
        columns=["source_id", "outlet_read", "url"],
    )
    assert [p.split(":")[0] for p in address_problems(old)] == ["S13", "S18", "S34"]


def test_an_unnamed_original_is_not_credited_to_the_company(sources):
    """F156's 'more than $1T' comes from pages that name no source for it: they say so, not 'OpenAI'."""
    figures = data.load_ledger().figures
    cited = figures.set_index("figure_id").loc["F156", "source_ids"].split(";")
    originals = sources.set_index("source_id").loc[cited, "original_outlet"]
    assert set(originals) == {"unknown"}, originals.to_dict()


def test_a_source_read_as_a_copy_says_where_the_original_is(sources):
    """A repost, thread or archive read in place of a paywalled original gives the original's address in access_note."""
    rows = sources.set_index("source_id").loc[["S13", "S18"]]
    for source_id, row in rows.iterrows():
        assert row["proximity"] == "repost", source_id
        original_site = OWN_SITES[row["original_outlet"]]
        assert not _on_site(row["url"], original_site), source_id
        assert original_site in row["access_note"], source_id


def test_the_listing_filing_is_found_by_status_not_by_note_wording():
    """Notebook 04 names OpenAI's June 2026 filing; a note edit must not make it disappear (it did, by wording)."""
    from helpers.analysis import reading_words

    figures = data.load_ledger().figures
    found = reading_words.listing_filings(figures)
    assert list(found["figure_id"]) == ["F186"]
    assert found.iloc[0]["reported_on"] == pd.Timestamp("2026-06-09")
    reworded = figures.assign(note=figures["note"].str.replace("filing", "submission", case=False))
    assert list(reading_words.listing_filings(reworded)["figure_id"]) == ["F186"]
    # and a listing report at 'reported' status is no filing, whatever its note says
    talk = figures.assign(status=figures["status"].where(figures["figure_id"].ne("F186"), "reported"))
    assert reading_words.listing_filings(talk).empty


# ----- proximity: the codebook's definitions, where they can be checked from the row itself -----------------------

FIRST_PARTY_KINDS = {"company release", "filing"}


def _names(cell: str) -> list[str]:
    """'CNBC; Reuters' -> ['CNBC', 'Reuters']."""
    return [n.strip() for n in cell.split(";") if n.strip()]


def proximity_problems(sources: pd.DataFrame) -> list[str]:
    """Rows whose proximity contradicts the rest of the row: 'original' for a page that writes up someone else's
    reporting or release, or 'repost'/'aggregator' for a page that is the original outlet's own."""
    problems = []
    for _, row in sources.iterrows():
        read = row["outlet_read"].split(" (")[0]
        originals = _names(row["original_outlet"])
        own = originals == [read]
        sid, proximity, kind = row["source_id"], row["proximity"], row["kind"]
        if proximity == "original" and not own and (kind not in ("wire", "newspaper") or "unknown" in originals):
            # only a licensed copy of a wire or newspaper story counts as original on another outlet's page
            problems.append(f"{sid}: original, but {read!r} writes up {row['original_outlet']!r} ({kind})")
        if proximity == "original" and kind in FIRST_PARTY_KINDS:
            problems.append(f"{sid}: a company's release or filing read on {read!r} is not original reporting")
        if proximity in ("repost", "aggregator") and own:
            problems.append(f"{sid}: {proximity}, but the page read is the original outlet's own")
        if proximity == "primary" and kind not in FIRST_PARTY_KINDS:
            problems.append(f"{sid}: primary, but kind is {kind!r}")
    return problems


def test_proximity_follows_the_codebook(sources):
    assert proximity_problems(sources) == []


def test_the_proximity_check_catches_the_rows_the_fact_check_found_uneven():
    """S16 and S96 (write-ups of The Information coded original), S39 (a write-up of a SoftBank release coded
    original), NewsBytes credited to itself as an aggregator; and the codings that are right pass."""
    cols = ["source_id", "outlet_read", "original_outlet", "kind", "proximity"]
    old = pd.DataFrame(
        [
            ("S16", "TechSpot", "The Information", "trade press", "original"),
            ("S96", "The Decoder", "The Information", "trade press", "original"),
            ("S39", "Social Samosa", "SoftBank Group", "company release", "original"),
            ("S29", "NewsBytes", "NewsBytes", "aggregator", "aggregator"),
            ("S14", "CNA", "Reuters", "wire", "original"),  # a licensed wire copy: fine
            ("S03", "ZDNet", "ZDNet", "trade press", "original"),  # its own reporting: fine
            ("S61", "wpnews.pro (summary)", "SoftBank Group", "company release", "aggregator"),  # fine
            ("S11", "SoftBank Group", "SoftBank Group", "company release", "primary"),  # fine
        ],
        columns=cols,
    )
    assert [p.split(":")[0] for p in proximity_problems(old)] == ["S16", "S96", "S39", "S39", "S29"]


def test_a_footer_shows_the_day_of_day_dated_pages(sources):
    """'ComputerUser, Feb 2026' came from a page dated only approximately; a day-dated page, alone or with others of
    the same day, keeps its day, and a month- or approximately-dated one gets none invented."""
    from helpers.charts import frame

    assert frame.source_line(["S49"], sources) == "Source: Amazon 8-K via SecWatch, 27 Feb 2026."
    rows = sources.set_index("source_id", drop=False)
    twin = rows.loc[["S49"]].assign(source_id="S999")
    both = pd.concat([sources, twin], ignore_index=True)
    assert frame.source_line(["S49", "S999"], both) == "Source: Amazon 8-K via SecWatch, 2 reports, 27 Feb 2026."
    vague = pd.concat([sources, twin.assign(date_precision="approximate")], ignore_index=True)
    assert frame.source_line(["S49", "S999"], vague) == "Source: Amazon 8-K via SecWatch, 2 reports, Feb 2026."
    assert rows.at["S54", "date_precision"] == "approximate"
    assert frame.source_line(["S54"], sources) == "Source: ComputerUser, Feb 2026."


def test_footer_names_are_outlets_or_pages_not_remarks(sources):
    """A credit is a name (an outlet, a site), never a remark such as '(RSS mirror)' or 'a forum thread'."""
    from helpers.charts import frame

    credits = {row["source_id"]: frame.credit(row) for _, row in sources.iterrows()}
    assert credits["S28"] == "GeekWire via rss.mediahub.az"
    assert credits["S13"] == "Reuters via Reddit r/singularity"
    remarks = ("mirror", "thread", "copy", "repost", "summary", "(")
    odd = [(s, c) for s, c in credits.items() if c.startswith(("a ", "an ", "the ")) or any(r in c for r in remarks)]
    assert odd == []
