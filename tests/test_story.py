"""Issue 20: the story leads. Every page opens with a headline, a standfirst and a key-number box computed from the
data; every bottom line is three short bullets; reader prose shows no internal codes; the same quantity is stated
the same way on every page; the README's finding still holds. Each check is shown to fail on a planted fault."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import data
from helpers.analysis import compute, funding_words, ledger, scenario_words, story
from helpers.build import leads, prose_scan, report
from helpers.data import views, vocabulary
from helpers.data.load import ROOT
from helpers.notebook import prose
from helpers.notebook.tables import money

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
IDS = [p.name[:2] for p in NOTEBOOKS]
SCENARIOS = ROOT / "notebooks" / "04-valuation-scenarios.ipynb"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    """The report rendered from the committed notebooks (no execution: the byte test checks those outputs)."""
    folder = tmp_path_factory.mktemp("story") / "report"
    report.build(folder, run=False)
    return folder


def _bottom_line(notebook: nbformat.NotebookNode) -> str:
    cell = next(c for c in notebook.cells if report.BOTTOM_LINE_TAG in c.get("metadata", {}).get("tags", []))
    return report._markdown_output(cell)


# --- leads ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_notebook_opens_with_headline_standfirst_and_box(path):
    notebook = nbformat.read(path, as_version=4)
    first, box = notebook.cells[0], notebook.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    headline, standfirst = first.source.split("\n\n", 1)
    assert re.search(r"\d", headline), f"{path.name}: a headline states a finding, with its number: {headline}"
    sentences = re.split(r"(?<=[.])\s+(?=[A-Z[])", prose.plain(standfirst).strip())
    assert 2 <= len(sentences) <= 3, sentences
    rows = [line for line in box.source.splitlines() if line.startswith("| **")]
    assert box.cell_type == "markdown" and 3 <= len(rows) <= 4, box.source
    assert "Figures as of" in box.source  # the one date story, on every notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_committed_lead_is_what_the_data_gives(path):
    assert leads.lead_problem(path) == ""


def test_a_lead_that_no_longer_matches_the_data_is_caught(tmp_path):
    copy = tmp_path / NOTEBOOKS[1].name
    shutil.copy(NOTEBOOKS[1], copy)
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("147.6B", "182.6B")
    nbformat.write(notebook, copy)
    assert "182.6B" in leads.lead_problem(copy)


def test_a_number_resting_on_a_second_hand_page_says_so():
    book = data.load_ledger()
    # the reported listing value rests on one aggregator page: its lead credits the page read and whom it cites
    listing = book.figures.loc[book.figures["figure_id"].eq("F157")].iloc[0]
    words = story.credit(listing["source_ids"], book.sources)
    assert words.startswith("reported by ") and "citing" in words
    assert words in nbformat.read(SCENARIOS, as_version=4).cells[0].source
    # a figure with a first-hand page needs no credit in the lead
    first_hand = set(book.sources.loc[book.sources["proximity"].isin(["primary", "original"]), "source_id"])
    closed = book.figures[book.figures["source_ids"].map(lambda ids: set(ids.split(";")) <= first_hand)].iloc[0]
    assert story.credit(closed["source_ids"], book.sources) == ""


def test_a_price_resting_on_aggregator_pages_says_so_in_every_lead_that_states_it():
    """The last post-money rests on aggregator pages only: the front page's headline, standfirst and key number,
    and 02's and 04's leads, say so wherever they state it."""
    book = data.load_ledger()
    marks = scenario_words.latest_mark
    front = leads.front_lead(SCENARIOS)
    ns = leads.setup_namespace(nbformat.read(SCENARIOS, as_version=4))
    latest = ns["marks"].loc[marks(ns["marks"])]
    assert views.aggregator_only(latest["source_ids"], book.sources), "the premise: the last price is second hand"
    price = money(latest["valuation_usd_bn"])
    flag = views.AGGREGATOR_FLAG.strip()[1:-1]
    assert f"{price}{views.AGGREGATOR_FLAG}" in front.headline
    assert f"{price}{views.AGGREGATOR_FLAG}" in front.standfirst
    assert flag in front.numbers[0][1]
    for path in NOTEBOOKS[1], SCENARIOS:
        lead = leads.notebook_lead(path)
        stated = [lead.headline, lead.standfirst, *(what for number, what in lead.numbers if price in number + what)]
        for text in stated:
            if price in text or price == text:
                assert flag in text, (path.name, text)
    # 02 says how much of the money raised rests on such pages, computed
    second_hand = funding_words.aggregator_money(book.figures, book.sources, vocabulary.FIRM_STATUSES)
    assert money(second_hand["raised_usd_bn"]) in leads.notebook_lead(NOTEBOOKS[1]).standfirst


def test_aggregator_note_is_empty_for_a_first_hand_figure():
    book = data.load_ledger()
    first_hand = book.sources.loc[book.sources["proximity"].eq("original"), "source_id"].iloc[0]
    second_hand = book.sources.loc[book.sources["proximity"].eq("aggregator"), "source_id"].iloc[0]
    assert views.aggregator_note(first_hand, book.sources) == ""
    assert views.aggregator_note(second_hand, book.sources) == "; aggregator pages only"


def test_a_ratio_of_a_bound_keeps_its_direction():
    """'up to $1T' over $500B is at most 2.0x; a floor of commitments over money raised is at least its ratio."""
    front = leads.front_lead(SCENARIOS)
    assert re.search(r"would be at most \d+\.\dx the ", front.standfirst)
    # 408 / 147.6 = 2.76: a floor is rounded down, a ceiling up, so the words never claim more than the sum allows
    assert compute.ratio_words(408, "at_least", 147.6) == "at least 2.7x"
    assert compute.ratio_words(100, "at_most", 30) == "at most 3.4x"
    assert compute.ratio_words(276, "about", 100) == "about 2.8x"
    assert compute.ratio_words(300, "exact", 150) == "2.0x"
    rows = pd.DataFrame({"value": [10.0, 20.0], "qualifier": ["exact", "more_than"], "low": None, "high": None})
    assert compute.floor_bound(rows) == "at_least"
    assert compute.floor_bound(rows.assign(qualifier=["exact", "up_to"])) == "at_least"
    assert compute.floor_bound(rows.assign(qualifier=["exact", "exact"])) == "exact"
    assert (
        "at least" in leads.notebook_lead(ROOT / "notebooks" / "03-compute-commitments.ipynb").headline.split(", ")[1]
    )


def test_the_earlier_buyers_multiple_names_the_assumed_dilution():
    """Later rounds alone do not give the $500B buyer's multiple: the assumed dilution before a listing is part of it."""
    front = leads.front_lead(SCENARIOS)
    assert "because later rounds" not in front.standfirst
    assert "after later rounds and an assumed" in front.standfirst
    for number, what in front.numbers[:3]:
        if number.endswith("x"):
            assert "assumed" in what and "dilution" in what, what


def test_the_odds_headline_states_the_reported_top_and_the_assumed_one():
    """05's answer turns on the top of the listing range: the headline gives the chance of a loss at the reported top
    and at the assumed one, and the standfirst says why its best outcomes exceed 04's ceiling."""
    path = ROOT / "notebooks" / "05-listing-odds.ipynb"
    ns = leads.setup_namespace(nbformat.read(path, as_version=4))
    lead = leads.notebook_lead(path)
    from helpers.analysis.listing_odds_words import reported_top, share

    top = reported_top(ns["ranking"].drop(index="everything as assumed"))
    assert top is not None, "the premise: the ledger reports a top for the listing range"
    assumed = ns["odds"].loc[ns["latest"], "loss_chance"]
    assert share(top["loss_chance"]) in lead.headline and share(assumed) in lead.headline
    assert "reported" in lead.headline and "assumed top" in lead.headline
    assert f"{ns['odds'].loc[ns['latest'], 'multiple_p90']:.2f}x" in lead.standfirst
    assert "ceiling" in lead.standfirst


def test_a_glossary_mark_survives_escaping_as_a_link():
    assert story._linked("a ⟦post-money|post-money-valuation⟧ | b") == (
        "a [post-money](../docs/glossary.md#post-money-valuation) &#124; b"
    )


def test_glossary_links_in_the_leads_resolve_to_a_heading():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
        for h in re.findall(r"^## (.+)$", glossary, re.M)
    }
    linked = set()
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells[:2]:
            linked |= set(re.findall(r"\(\.\./docs/glossary\.md#([a-z0-9-]+)\)", cell.source))
            # an unconverted glossary mark would show its brackets and anchor to the reader
            assert "⟦" not in cell.source and "⟧" not in cell.source, f"{path.name}: {cell.source[:200]}"
    assert linked and linked <= anchors, linked - anchors
    for term in (
        "post-money-valuation",
        "pre-money-valuation",
        "dilution",
        "run-rate",
        "money-multiple",
        "hurdle-rate",
        "annual-return",
        "step-up",
        "status-words",
        "firm",
        "press-report",
        "conditional",
        "up-to",
        "at-least",
        "percentile",
        "triangular-range",
    ):
        assert term in anchors, term


# --- bottom lines -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_bottom_line_is_three_short_bullets(path):
    text = _bottom_line(nbformat.read(path, as_version=4))
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3 and len(bullets) == len(text.splitlines()), text
    assert story.words_count(text) <= 60, f"{path.name}: {story.words_count(text)} words\n{text}"


# --- no internal codes in reader prose --------------------------------------------------------------------------


def test_reader_prose_shows_no_internal_codes(pages):
    found = prose_scan.scan(NOTEBOOKS, prose_scan.report_pages(pages))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "planted",
    [
        "(F100)",
        "source S60",
        "seed 20261122",
        "LISTING_LOW_USD_BN",
        "as_of",
        "round-2026",
        "build/scenarios/x.html",
        "make scenarios",
        "(application/json)",
    ],
)
def test_the_scan_fails_on_a_planted_code(tmp_path, planted):
    copy = tmp_path / NOTEBOOKS[3].name
    notebook = nbformat.read(NOTEBOOKS[3], as_version=4)
    notebook.cells[0].source += f"\n\nA sentence with {planted} in it."
    nbformat.write(notebook, copy)
    assert prose_scan.scan([copy], []), planted
    page = tmp_path / "index.html"
    page.write_text(f"<p>A sentence with {html.escape(planted)} in it.</p><table><td>F100</td></table>")
    assert [line for line in prose_scan.scan([], [page]) if "F100" not in line or planted == "(F100)"], planted


def test_the_glossary_word_seed_article_is_not_a_seed():
    assert not prose_scan.PATTERNS["a seed or date key"].search("two are the seed articles the project started from")
    assert prose_scan.PATTERNS["a seed or date key"].search("the seed of the draws")


def test_ids_in_tables_and_the_sources_section_are_allowed(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<p>Prose.</p><table><tr><td>F100</td><td>S60</td></tr></table><h2>Sources</h2><p>A000</p>")
    assert prose_scan.scan([], [page]) == []


# --- one quantity, one statement --------------------------------------------------------------------------------


def reader_sentences(pages: Path) -> list[tuple[str, str]]:
    """(where, sentence) for every sentence of notebook prose and of the report's front page, as a reader reads it."""
    texts = []
    for path in NOTEBOOKS:
        for where, text in prose_scan.notebook_prose(nbformat.read(path, as_version=4)):
            texts.append((f"{path.name} {where}", prose_scan.readable(prose.plain(text))))
    texts.append(("index.html", prose_scan.page_prose((pages / "index.html").read_text(encoding="utf-8"))))
    sentences = []
    for where, text in texts:
        for line in html.unescape(text).replace("**", "").splitlines():
            line = line.strip().strip("|").replace(" | ", " ")  # a box row reads as 'number what it is'
            sentences += [(where, " ".join(part.split())) for part in re.split(r"(?<=[.;:])\s+", line) if part.strip()]
    return sentences


MONEY = r"\$[\d.,]+[BT]"
# a sentence about another reading, case or draw states another quantity, and says so
OTHER_READING = re.compile(r"bear|bull|median|draws?\b(?! with those)|expect|Read that way", re.IGNORECASE)


def statements(sentences: list[tuple[str, str]], patterns: list[str], skip: re.Pattern | None = None) -> dict[str, set]:
    """What each pattern's group captures, by where it was stated."""
    found: dict[str, set] = {}
    for where, sentence in sentences:
        if skip is not None and skip.search(sentence):
            continue
        for pattern in patterns:
            for match in re.finditer(pattern, sentence):
                found.setdefault(match.group(1), set()).add(where)
    return found


RAISED = [
    rf"raised ({MONEY}) (?:from investors|by )",
    rf"the ({MONEY}) (?:it |OpenAI )?raised",
    rf"({MONEY}) raised from investors",
]
LATEST = r"\$852B"


def latest_buyer_numbers() -> dict[str, str]:
    """Notebook 04's numbers for the buyer at the latest price, as its committed assumptions give them."""
    ns = leads.setup_namespace(nbformat.read(SCENARIOS, as_version=4))
    latest = scenario_words.latest_mark(ns["marks"])
    n, b = ns["numbers"], ns["bounds"]
    return {
        "price": money(ns["marks"].at[latest, "valuation_usd_bn"]),
        "multiple": scenario_words.shown("multiple", n.at["multiple", latest], b.at["multiple", latest]),
        "return": scenario_words.shown("annual_return", n.at["annual_return", latest], b.at["annual_return", latest]),
        "breakeven": money(n.at["breakeven_listing_usd_bn", latest]),
        "dilution": f"{ns['params'].dilution_to_listing:.0%}",
    }


def multiple_patterns(price: str) -> list[str]:
    p = re.escape(price)
    return [
        rf"(?:[Bb]ought|[Bb]uyer) at {p}[^.;]*?(?:gets|returns|gives)\s+((?:at most )?[\d.]+x)",
        rf"return ((?:at most )?[\d.]+x) to a buyer at [^.;]*?{p}",
        rf"^((?:at most )?[\d.]+x) a buyer at {p}",
        rf"{p}, returns ((?:at most )?[\d.]+x)",
        rf"gives the buyer at {p} ((?:at most )?[\d.]+x)",
    ]


def test_money_raised_is_stated_one_way_everywhere(pages):
    box = funding_words.money_box(data.load_figures(), vocabulary.FIRM_STATUSES)["amount_usd_bn"]
    found = statements(reader_sentences(pages), RAISED)
    assert found, "no statement of money raised found: the patterns no longer match the prose"
    assert set(found) == {money(box.iloc[2])}, found


def test_the_latest_buyer_is_stated_one_way_everywhere(pages):
    want = latest_buyer_numbers()
    sentences = reader_sentences(pages)
    multiples = statements(sentences, multiple_patterns(want["price"]), OTHER_READING)
    assert set(multiples) == {want["multiple"]}, multiples
    assert sum(len(w) for w in multiples.values()) >= 5  # 04's headline, box and bottom line, 05, the front page
    returns = statements(
        [(w, s) for w, s in sentences if want["price"] in s or "that buyer" in s],
        [r"((?:at most|at least) [\d.]+% a year)"],
        OTHER_READING,
    )
    assert set(returns) == {want["return"] + " a year"}, returns


BREAKEVEN = [
    rf"money (?:comes )?back above a (?:listing of )?({MONEY})",
    rf"({MONEY}) just to get the money back",
    rf"money back only at a listing of ({MONEY})",
]


def breakeven_problems(sentences: list[tuple[str, str]], want: dict[str, str]) -> list[str]:
    """A money-back listing for the latest buyer other than 04's must name the other dilution it assumes."""
    problems = []
    for where, sentence in sentences:
        for pattern in BREAKEVEN:
            for amount in re.findall(pattern, sentence):
                other = set(re.findall(r"\b(\d+)%", sentence)) - {want["dilution"].rstrip("%"), "10"}
                if amount != want["breakeven"] and not (other and "dilution" in sentence):
                    problems.append(f"{where}: {amount} to get the money back, naming no other dilution: {sentence}")
    return problems


def test_a_break_even_is_the_same_or_names_its_other_dilution(pages):
    want = latest_buyer_numbers()
    sentences = reader_sentences(pages)
    assert statements(sentences, BREAKEVEN), "no break-even found: the patterns no longer match the prose"
    problems = breakeven_problems(sentences, want)
    assert problems == [], "\n".join(problems)


def test_the_consistency_check_fails_on_a_planted_contradiction(pages):
    want = latest_buyer_numbers()
    sentences = reader_sentences(pages) + [("planted", f"A buyer at {want['price']} (Mar 2026) gets at most 9.99x.")]
    assert "at most 9.99x" in statements(sentences, multiple_patterns(want["price"]), OTHER_READING)
    planted = reader_sentences(pages) + [("planted", "OpenAI raised $182.6B from investors by July 2026.")]
    assert "$182.6B" in statements(planted, RAISED)
    planted = [("planted", f"A buyer at {want['price']} gets its money back only at a listing of $980B or more.")]
    assert breakeven_problems(planted, want)


# --- the README -------------------------------------------------------------------------------------------------


def test_the_readme_finding_still_holds():
    """The README states the finding in words, without figures; these are the facts those words claim."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## The finding" in readme and "barely gets the money back" in readme
    ns = leads.setup_namespace(nbformat.read(SCENARIOS, as_version=4))
    marks, n, params = ns["marks"], ns["numbers"], ns["params"]
    latest = marks.index[marks["reported_on"].eq(marks["reported_on"].max())][-1]
    multiple = n.at["multiple", latest]
    # a buyer at the latest price barely gets the money back, below a hurdle and below cash
    assert 1.0 <= multiple < 1.15 and n.at["annual_return", latest] < min(params.hurdle_rate, 0.045)
    # every earlier buyer gets less than the step from its price to the listing
    listing = ns["listing"]["valuation_usd_bn"]
    for mark_id in marks.index:
        assert n.at["multiple", mark_id] < listing / marks.at[mark_id, "valuation_usd_bn"]


def test_the_readme_types_no_figure_that_can_drift():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    finding = readme.split("## The finding", 1)[1].split("\n## ", 1)[0]
    words = re.sub(r"<[^>]+>", "", prose.plain(finding))  # the picture's tag has a width
    assert not re.search(r"\d", words), finding


def test_every_chart_footer_gives_the_ledgers_as_of_date():
    from helpers.charts import frame

    book = data.load_ledger()
    words = frame.as_of_words(book.sources)
    assert words == f" Figures as of {story.day_month_year(data.as_of(book.figures))}."
    figures = data.load_ledger().sources.copy()
    figures.loc[figures.index[0], "published_on"] = figures["published_on"].max() + pd.Timedelta(days=40)
    assert frame.as_of_words(figures) != words  # the date follows the data


def test_a_page_built_long_after_its_figures_says_so():
    as_of = pd.Timestamp("2026-07-01")
    assert (
        story.staleness(as_of, pd.Timestamp("2026-12-07"))
        == "The newest figures here are 5 months older than this page."
    )
    assert story.staleness(as_of, pd.Timestamp("2026-07-20")) == ""
    lead = story.Lead("Headline 1", "One. Two.", (("1", "one"),), "Figures as of 1 Jul 2026.", as_of)
    assert "5 months older" in leads.lead_html(lead, "7 Dec 2026") and "older" not in leads.lead_html(
        lead, "2 Jul 2026"
    )


def test_a_flag_qualifies_what_rests_on_aggregator_pages_only():
    """The $1.4T is stated first hand (an original page); only its 'about 8 years' rests on aggregator pages."""
    from helpers.analysis import compute

    ns = leads.setup_namespace(nbformat.read(ROOT / "notebooks" / "03-compute-commitments.ipynb", as_version=4))
    scope = compute.scope_totals(ns["figures"])
    text = compute.scope_sentence(scope, ns["schedule"], ns["sources"])
    total = scope[scope["metric"].eq("commitments_total")].iloc[-1]
    assert not views.aggregator_only(total["value_source_ids"], ns["sources"])
    assert views.aggregator_only(total["source_ids"], ns["sources"])
    assert f"The {money(total['value'])} covers" in text
    assert f"about {total['years']:.0f} years{views.AGGREGATOR_FLAG}" in text


def test_the_per_share_rise_counts_the_same_years_in_02_and_04():
    """02 counts the per-share rise between the days prices were set; 04 states the same span and says so."""
    ns = leads.setup_namespace(nbformat.read(SCENARIOS, as_version=4))
    years = funding_words.per_share_years(ns["book"].figures)
    text = scenario_words.buyers_text(ns["book"].figures, ns["marks"], ns["numbers"], ns["bounds"])
    assert f"({years:.1f} years from the day the first price was set to the last)" in text


def test_the_ledger_headline_keeps_closed_deals_and_says_what_a_deal_is():
    lead = leads.notebook_lead(NOTEBOOKS[0])
    assert "were announced, signed or closed" in lead.headline
    # a deal is counted with or without a disclosed amount (AMD, Broadcom, Google), and the standfirst says so
    assert "A deal is a transaction OpenAI is a party to" in lead.standfirst and "events" in lead.standfirst
    assert "whether or not its amount was disclosed" in lead.standfirst


# --- the data editor's review: one quantity first, one wording, plain words, one forecast story ------------------

ODDS = ROOT / "notebooks" / "05-listing-odds.ipynb"


def _first_share(text: str) -> str:
    """The first chance a text states: '92%', 'over 99%' or 'under 1%'."""
    return re.search(r"(?:over |under )?\d+%", prose.plain(text).replace("**", "")).group(0)


def test_the_odds_page_leads_with_the_reported_top_everywhere():
    """05's headline, first key number, chart title and bottom line all lead with the chance of a loss with the
    listing range topped at the reported value; the assumed top's chance follows, called an assumption."""
    from helpers.analysis import listing_odds_words
    from helpers.charts import listing_odds as odds_charts

    notebook = nbformat.read(ODDS, as_version=4)
    ns = leads.setup_namespace(notebook)
    row = ns["odds"].loc[ns["latest"]]
    top = listing_odds_words.reported_top_odds(ns["ranking"], row, float(ns["params"]["LISTING_CHANCE"]))
    assert top is not None, "the premise: the ledger reports a top for the listing range"
    reported, assumed = listing_odds_words.share(top["loss_chance"]), listing_odds_words.share(row["loss_chance"])
    assert reported != assumed, "the premise: the two tops give different odds"
    lead = leads.notebook_lead(ODDS, notebook)
    bottom = _bottom_line(notebook)
    fig = odds_charts.odds_bands(
        ns["marks"], ns["odds"], ns["book"].sources, [], ns["dists"], ns["params"]["AS_OF"],
        ns["params"]["HURDLE_RATE"], top,
    )  # fmt: skip
    title = fig._house_title
    odds_charts.plt.close(fig)
    for where, text in (("headline", lead.headline), ("box", lead.numbers[0][0]), ("title", title),
                        ("bottom line", bottom)):  # fmt: skip
        assert _first_share(text) == reported, f"{where} leads with {_first_share(text)}, not {reported}: {text}"
    for where, text in (("headline", lead.headline), ("title", title), ("bottom line", prose.plain(bottom))):
        after = text[text.index(assumed, text.index(reported) + len(reported)) - 40 :]
        assert "assumed" in after, f"{where}: the assumed top's {assumed} is not called an assumption: {text}"
    assert lead.numbers[1][0] == assumed and "assumed" in lead.numbers[1][1]


def test_a_chart_title_without_a_reported_top_keeps_the_assumed_odds():
    from helpers.charts import listing_odds as odds_charts

    ns = leads.setup_namespace(nbformat.read(ODDS, as_version=4))
    fig = odds_charts.odds_bands(
        ns["marks"], ns["odds"], ns["book"].sources, [], ns["dists"], ns["params"]["AS_OF"], 0.1
    )
    title = fig._house_title
    odds_charts.plt.close(fig)
    assert "reported" not in title and f"{ns['odds'].loc[ns['latest'], 'loss_chance']:.0%}" in title


def test_the_tentative_deals_are_worded_one_way_on_the_ledger_page():
    """01 names the set of talks, press reports and letters of intent with one phrase, from one helper."""
    assert story.tentative_words() == "talks, press reports or a letter of intent"
    figures = data.load_figures()
    words = ledger.tentative_words(figures)  # only the tentative statuses the counted deals are at
    assert story.firm_words() == "announced, signed or closed"
    notebook = nbformat.read(ROOT / "notebooks" / "01-ledger.ipynb", as_version=4)
    text = prose.plain(
        "\n".join([c.source for c in notebook.cells if c.cell_type == "markdown"])
        + "\n".join(report._markdown_output(c) for c in notebook.cells if c.cell_type == "code")
    )
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # a glossary link reads as its words
    assert "talks or reports" not in text  # the phrase comes from the one helper, naming the statuses present
    assert text.count(f"rested on {words}") >= 2  # headline and the deals' sentence, in one wording
    assert story.tentative_words(linked=True) == "talks, ⟦press reports|press-report⟧ or a letter of intent"


def test_the_words_a_reader_may_not_know_link_to_the_glossary():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for heading in ("## 10-Q", "## Money box", "## Seed article"):
        assert heading in glossary, heading
    ledger_page = nbformat.read(ROOT / "notebooks" / "01-ledger.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in ledger_page.cells if c.cell_type == "markdown")
    for anchor in ("10-q", "money-box", "seed-article"):
        assert f"(../docs/glossary.md#{anchor})" in markdown, anchor
    for name in ("02-funding", "03-compute-commitments"):
        cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        assert "(../docs/glossary.md#money-box)" in text and "(../docs/glossary.md#10-q)" in text, name


def test_microsofts_filed_total_is_said_to_be_counted_once_under_the_box():
    figures = data.load_figures()
    note = funding_words.filed_total_note(figures)
    assert note.startswith("Microsoft's $13B is the total its 10-Q gives for its 3 investments outside rounds")
    assert "($1B + about $2B + $10B as the press reported them), counted once" in note
    assert "less than $1B (October 2024 round)" in note and "sit only inside those rounds' totals" in note
    assert "a report gave the same total on 2 Oct 2024, as the October 2024 round was announced" in note
    assert funding_words.filed_total_note(figures, "Thrive") == ""  # no filing: no line
    for name in ("01-ledger", "02-funding", "03-compute-commitments"):
        outputs = "\n".join(
            report._markdown_output(c)
            for c in nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
            if c.cell_type == "code"
        )
        assert "is the total its 10-Q gives" in prose.plain(outputs), name


def test_the_burn_forecasts_are_told_the_same_way_where_each_is_used():
    from helpers.analysis import forecast_words

    figures = data.load_figures()
    newer_used = forecast_words.forecast_words(figures, 2026, pd.Timestamp("2026-02-22"), "for x", "elsewhere")
    older_used = forecast_words.forecast_words(figures, 2027, pd.Timestamp("2025-09-09"), "for y", "elsewhere")
    assert "uses the February 2026 forecast of 2026's cash burn ($25B)" in newer_used
    assert "it revised the September 2025 one (about $17B)" in newer_used and "better guide" in newer_used
    assert "uses the September 2025 forecast of 2027's cash burn (about $35B)" in older_used
    assert "the February 2026 revision puts it at $57B" in older_used and "milder case" in older_used
    assert forecast_words.forecast_words(figures, 2031, pd.Timestamp("2026-02-22"), "x", "y") == ""
    # a revision downwards makes the older forecast the harsher case
    lower = figures.copy()
    lower.loc[lower["figure_id"].isin(["F182", "F183", "F184", "F185"]), "value"] = 1.0
    assert "harsher case" in forecast_words.forecast_words(lower, 2027, pd.Timestamp("2025-09-09"), "x", "y")
    # both pages carry their sentence
    for name, phrase in (("05-listing-odds", older_used.split(" (about")[0]), ("06-cash", newer_used.split(" ($")[0])):
        cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
        outputs = prose.plain(
            "\n".join(
                "".join(o["data"]["text/markdown"])
                for c in cells
                if c.cell_type == "code"
                for o in c.get("outputs", [])
                if "text/markdown" in o.get("data", {})
            )
        )
        assert phrase in outputs and ("trust the newer" in outputs or "better guide" in outputs), name
