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
