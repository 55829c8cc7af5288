"""The scenario notebook: dated marks read from the ledger, bounds carried through, named cases at every mark,
checked parameters, and papermill runs whose outputs follow the inputs."""

import json
import re

import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
from matplotlib.colors import TwoSlopeNorm, to_hex

from helpers import data
from helpers.analysis import hurdle_words, reading_words, scenario_words, scenarios
from helpers.build import scenario_runs
from helpers.charts import frame, grammar
from helpers.charts import scenarios as scenario_charts
from helpers.data import vocabulary
from helpers.data.load import ROOT
from helpers.notebook import parameters, prose
from helpers.notebook.tables import money

DEFAULTS = dict(
    AS_OF="2026-11-22",
    LISTING_VALUATION_USD_BN=1000,
    YEARS_TO_LISTING=1.0,
    DILUTION_TO_LISTING=0.10,
    INVESTMENT_USD_BN=10,
    INVESTMENT_MARK="round-2026-close",
    REVENUE_BASIS="calendar",
    TARGET_REVENUE_MULTIPLE=25,
    LISTING_FIGURE="",
    HURDLE_RATE=0.10,
    LISTING_CHANCE=0.8,
    NO_LISTING_HAIRCUT=0.25,
)


@pytest.fixture(scope="module")
def book():
    return data.load_ledger()


def build(book, **changes):
    """Everything the notebook computes, for the defaults with `changes`."""
    specs = scenarios.parameter_specs(book)
    params = parameters.check({**DEFAULTS, **changes}, specs)
    marks = scenarios.marks(book.scenarios, book.figures)
    listing = scenarios.listing(book.scenarios, book.figures, params)
    numbers, bounds = scenarios.side_by_side(marks, listing, book.figures, params)
    case_table = scenarios.cases(book.scenarios, book.figures)
    grid_rows = scenarios.case_grid(case_table, marks, params)
    return params, marks, listing, numbers, bounds, case_table, grid_rows


def refused(book, **changes) -> str:
    with pytest.raises(parameters.ParameterError) as caught:
        build(book, **changes)
    return str(caught.value)


# --- marks: dated, read from the ledger ------------------------------------------------------------------------


def test_marks_are_read_from_the_ledger_not_typed(book):
    marks = scenarios.marks(book.scenarios, book.figures)
    by_id = book.figures.set_index("figure_id")
    for _, mark in marks.iterrows():
        figure = by_id.loc[mark["figure_id"]]
        assert (mark["valuation_usd_bn"], mark["reported_on"], mark["status"]) == (
            figure["value"],
            figure["reported_on"],
            figure["status"],
        )
    changed = book.figures.copy()
    changed.loc[changed["figure_id"].eq("F110"), "value"] = 900.0
    assert scenarios.marks(book.scenarios, changed).loc["round-2026-close", "valuation_usd_bn"] == 900.0


def test_marks_are_dated_and_the_latest_is_the_default_entry(book):
    marks = scenarios.marks(book.scenarios, book.figures)
    # every price paid: $157B, $300B, $500B and $852B; the $840B announcement-day post-money is the same round
    assert list(marks.index) == ["round-2024-10", "round-2025-03", "secondary-2025-10", "round-2026-close"]
    assert list(marks["valuation_usd_bn"]) == [157, 300, 500, 852]
    assert marks["reported_on"].is_monotonic_increasing
    assert scenarios.latest_mark(marks) == "round-2026-close" == DEFAULTS["INVESTMENT_MARK"]
    assert not marks["superseded"].any()
    assert marks.loc["round-2026-close", "pre_money_usd_bn"] == 730
    # the March 2025 round was priced in March and closed in December
    assert marks.loc["round-2025-03", "closed_on"] == pd.Timestamp("2025-12-31")


def test_no_entry_mark_comes_from_talks(book):
    marks = scenarios.marks(book.scenarios, book.figures)
    by_id = book.figures.set_index("figure_id")
    assert not by_id.loc[marks["figure_id"], "status"].eq("in_talks").any()
    # the talks are there to be drawn, never as an entry
    talks = scenarios.talk_prices(book.figures)
    assert {"F002", "F091", "F092"} <= set(talks["figure_id"])
    assert not set(talks["figure_id"]) & set(marks["figure_id"])
    # a scenarios.csv mark that cites a talk stops the run, naming the file, line, column, value and rule
    bad = book.scenarios.copy()
    bad.loc[bad["scenario_id"].eq("secondary-2025-10"), "figure_id"] = "F002"
    with pytest.raises(
        ValueError, match=r"scenarios.csv:\d+: column 'figure_id' = 'F002': an entry mark must be a price"
    ):
        scenarios.marks(bad, book.figures)
    # a round whose every row is still in talks is no price paid
    talks_only = book.figures.copy()
    talks_only.loc[talks_only["event"].eq("round-2024-10"), "status"] = "in_talks"
    assert "F027" not in set(scenarios.prices_paid(talks_only)["figure_id"])
    # a closed round the scenarios table does not name is still an entry, labelled by its deal
    unnamed = book.scenarios[~book.scenarios["scenario_id"].eq("round-2025-03")]
    assert scenarios.marks(unnamed, book.figures).loc["round-2025-03", "label"] == "March 2025 round"


def test_a_price_dated_only_to_a_period_is_named_with_its_multiple_not_an_entry(book):
    # issue 17, valfix3 finding 2: the closed early-2024 sale at $86B (F025) is a price paid, but the ledger dates it
    # only to 2024-H1: no day to count years from, so it is no entry mark; its multiple needs no date and is shown
    tenders = set(scenarios.valuation.tender_prices(book.figures)["figure_id"])
    assert tenders == {"F025", "F050"}
    assert "F025" not in set(scenarios.prices_paid(book.figures)["figure_id"])
    assert list(scenarios.valuation.undated_prices(book.figures)["figure_id"]) == ["F025"]
    params, marks, listing, *_ = build(book)
    assert "F025" not in set(marks["figure_id"])
    text = reading_words.undated_prices_text(book.figures, marks, listing, params)
    # every round priced after the first half of 2024 dilutes it: 150.4/157 x 260/300 x 730/852, then 10%
    by_hand = 10 / 86 * 150.4 / 157 * 260 / 300 * 730 / 852 * 0.9 * 1000 / 10
    assert f"{by_hand:.2f}" == "7.44"
    assert "the early-2024 employee share sale at $86B (closed, reported Oct 2024)" in text
    assert "only to the first half of 2024" in text
    assert "diluted by the October 2024 round, the March 2025 round and the 2026 round" in text
    assert "a buyer there would hold at most 7.44x at the listing" in text  # "up to $1T": a ceiling
    # the bottom line says which earliest price it means
    *_, numbers, bounds, _, _ = build(book)
    assert "the earliest dated price paid" in scenario_words.bottom_line(numbers, bounds, marks, listing, params)
    # dated to the day, the same sale would be an entry
    dated = book.figures.copy()
    dated.loc[dated["figure_id"].eq("F025"), "period"] = float("nan")
    assert "F025" in set(scenarios.prices_paid(dated)["figure_id"])
    assert reading_words.undated_prices_text(dated, marks, listing, params) == ""
    assert reading_words.period_words("2025-Q3") == ("the third quarter of 2025", pd.Timestamp("2025-10-01"))
    assert reading_words.period_words("2024") == ("2024", pd.Timestamp("2025-01-01"))


def test_notebook_title_dates_each_number(book):
    _, marks, listing, *_ = build(book)
    notebook = nbformat.read(ROOT / "notebooks" / "04-valuation-scenarios.ipynb", as_version=4)
    first_line = notebook.cells[0].source.splitlines()[0]
    params, _, _, numbers, bounds, *_ = build(book)
    # the notebook's headline is the title given the sources: the $852B rests on aggregator pages only and says so
    headline = scenario_words.title(marks, listing, numbers, bounds, params, book.sources)
    assert prose.plain(first_line) == "# " + headline and "$852B (aggregator pages only) in March 2026" in headline
    assert scenario_words.title(marks, listing, *build(book)[3:5], build(book)[0]) == (
        "Bought at $852B in March 2026, a stake returns at most 1.06x at a listing of up to $1T: at most 3.4% a year, "
        "below a 10% hurdle and below cash (4.5% a year, assumed)"
    )


# --- the round stake and the bounds, against numbers worked by hand ---------------------------------------------


def test_round_stake_in_the_table_by_hand(book):
    _, _, _, numbers, bounds, *_ = build(book)
    close = numbers["round-2026-close"]
    assert close["stake"] == pytest.approx(10 / 852)  # 1.17%, not 10 / 740
    assert close["new_money_usd_bn"] == 122
    assert close["kept_share"] == 1.0  # no priced round closed after it
    assert close["multiple"] == pytest.approx(10 / 852 * 0.9 * 1000 / 10)  # 1.0563x
    assert f"{close['multiple']:.2f}" == "1.06"
    # the default listing is the newest report, "about $1T" (F157): about 1.06x, everywhere
    assert bounds.at["multiple", "round-2026-close"] == "at_most"  # F157 is "up to $1T": a ceiling
    assert (
        scenario_words.shown("multiple", close["multiple"], bounds.at["multiple", "round-2026-close"])
        == "at most 1.06x"
    )


def test_every_buyer_is_diluted_by_the_rounds_priced_after_it_by_hand(book):
    _, marks, _, numbers, bounds, *_ = build(book)
    # $10B at $157B, through the March 2025 round (260/300) and the 2026 round (730/852), 10% more, a $1T listing
    assert numbers.at["multiple", "round-2024-10"] == pytest.approx(10 / 157 * 260 / 300 * 730 / 852 * 0.9 * 1000 / 10)
    assert f"{numbers.at['multiple', 'round-2024-10']:.2f}" == "4.26"  # 4.91x if the March 2025 round were skipped
    assert numbers.at["multiple", "round-2025-03"] == pytest.approx(10 / 300 * 730 / 852 * 0.9 * 1000 / 10)
    # the employee sale came after the March 2025 round was priced, though before it closed: not diluted by it
    assert marks.loc["secondary-2025-10", "kept_share"] == pytest.approx(730 / 852)
    assert numbers.at["multiple", "secondary-2025-10"] == pytest.approx(10 / 500 * 730 / 852 * 0.9 * 1000 / 10)
    assert bounds.at["multiple", "secondary-2025-10"] == "at_most"  # exact price, "up to $1T" listing


def test_value_per_share_index_by_hand(book):
    rounds = scenarios.priced_rounds(book.figures)
    assert list(rounds.index) == ["round-2024-10", "round-2025-03", "round-2026"]
    index = scenarios.value_per_share(rounds)
    # pre-money of the next over post-money of the last: 260/157, then x 730/300
    assert index["round-2025-03"] == pytest.approx(260 / 157)
    assert index["round-2026"] == pytest.approx(260 / 157 * 730 / 300)  # 4.03x, against 852/157 = 5.43x post to post
    assert f"{index['round-2026']:.2f}" == "4.03"
    # the October 2024 round has no pre-money row: its post-money less the $6.6B it raised
    assert rounds.at["round-2024-10", "pre_money_usd_bn"] == pytest.approx(157 - 6.6)
    # the index and the share kept agree: a holder's multiple is the index's growth times the listing over the last post
    marks = scenarios.marks(book.scenarios, book.figures)
    first = marks.loc["round-2024-10"]
    assert first["kept_share"] / first["valuation_usd_bn"] == pytest.approx(index["round-2026"] / 852)


def test_a_round_priced_before_a_mark_but_closed_after_it_does_not_dilute_it(book):
    rounds = scenarios.priced_rounds(book.figures)
    march = rounds.loc["round-2025-03"]
    assert march["priced_on"] == pd.Timestamp("2025-03-31") and march["closed_on"] == pd.Timestamp("2025-12-31")
    october = pd.Timestamp("2025-10-02")
    assert "round-2025-03" not in scenarios.rounds_after(rounds, october).index
    assert "round-2025-03" in scenarios.rounds_after(rounds, pd.Timestamp("2025-03-30")).index


def test_hurdle_rate_by_hand(book):
    params, marks, _, numbers, bounds, *_ = build(book)
    close = numbers["round-2026-close"]
    years = (pd.Timestamp("2026-11-22") - pd.Timestamp("2026-03-31")).days / 365.25 + 1
    assert close["years_to_listing"] == pytest.approx(years)  # 1.646
    assert close["annual_return"] == pytest.approx((1000 * 0.9 / 852) ** (1 / years) - 1)  # 3.38% a year
    assert scenario_words.shown("annual_return", close["annual_return"], "exact") == "3.4%"
    # at a 10% hurdle the listing must reach about $1.11T; at 0%, 852 / 0.9
    assert close["breakeven_hurdle_usd_bn"] == pytest.approx(852 * 1.1**years / 0.9)
    assert f"{close['breakeven_hurdle_usd_bn']:.1f}" == "1107.5"
    assert close["breakeven_listing_usd_bn"] == pytest.approx(852 / 0.9)
    assert close["present_value_usd_bn"] == pytest.approx(10 / 852 * 0.9 * 1000 / 1.1**years)  # $9.03B
    # a gain means above the hurdle: 1.06x is a nominal gain and still short of it
    assert 1 < close["multiple"] < close["hurdle_multiple"]
    table = hurdle_words.hurdle_table(marks, numbers, params, bounds=bounds)
    assert table.iloc[-1]["listing needed for 4.5% a year (cash, assumed)"] == "$1.02T"
    assert table.iloc[-1]["listing needed for 20% a year"] == "$1.28T"


def test_listing_that_may_not_happen_by_hand(book):
    params, marks, _, numbers, bounds, *_ = build(book)
    close = numbers["round-2026-close"]
    assert close["unlisted_multiple"] == pytest.approx(0.75)  # the latest price less 25%
    assert close["expected_multiple"] == pytest.approx(0.8 * 1000 * 0.9 / 852 + 0.2 * 0.75)
    first = numbers["round-2024-10"]
    assert first["unlisted_multiple"] == pytest.approx(260 / 300 * 730 / 852 * 852 / 157 * 0.75)
    certain = build(book, LISTING_CHANCE=1.0)[3]
    assert certain.at["expected_multiple", "round-2026-close"] == pytest.approx(close["multiple"])
    text = hurdle_words.listing_chance_takeaway(marks, numbers, bounds, params)
    assert "an 80% chance that OpenAI lists" in text and "25% below the latest private price" in text


def test_listing_figure_sets_the_listing_bound(book):
    # by default the newest listing value in the ledger: "about $1T" (F157, 26 Jun 2026), newer than F156 (9 Jun)
    assert scenarios.newest_listing_figure(book.figures) == "F157"
    _, _, listing, numbers, bounds, *_ = build(book)
    assert (listing["stated"], listing["figure_id"], listing["bound"]) == ("up to $1T", "F157", "at_most")
    assert bounds.at["multiple", "round-2026-close"] == "at_most"  # F157 is "up to $1T": a ceiling
    # a parameter can name the articles' older "up to $1T" (F003): then a ceiling, "at most 1.06x"
    _, _, listing, numbers, bounds, *_ = build(book, LISTING_FIGURE="F003")
    assert (listing["stated"], listing["bound"]) == ("up to $1T", "at_most")
    assert bounds.at["multiple", "round-2026-close"] == "at_most"


def test_newest_listing_figure_follows_the_ledger(book):
    changed = book.figures.copy()
    newer = changed["reported_on"].max() + pd.Timedelta(days=1)
    changed.loc[changed["figure_id"].eq("F154"), "reported_on"] = newer  # a used reading, now the newest
    assert scenarios.newest_listing_figure(changed) == "F154"
    changed.loc[changed["figure_id"].eq("F156"), "reported_on"] = newer + pd.Timedelta(days=1)
    assert scenarios.newest_listing_figure(changed) == "F154"  # an alternative reading is never the default


def test_bounds_reach_the_bottom_line_and_the_cases(book):
    params, marks, listing, numbers, bounds, case_table, grid_rows = build(book, LISTING_FIGURE="F003")
    text = scenario_words.bottom_line(numbers, bounds, marks, listing, params)
    # a ceiling on the listing ("up to $1T") is a ceiling on every multiple
    assert "**at most 1.06x**" in text and "at most 4.26x" in text
    assert set(grid_rows.loc[grid_rows["case"].eq("base"), "bound"]) == {"at_most"}  # the base case cites F157
    articles = scenario_words.articles_comparison(
        book.figures, scenarios.articles_listing(book.scenarios, book.figures), listing
    )
    # the articles compared the Amazon talks' "more than $500B" with "up to $1T": both talks, at most 2.00x
    assert "more than $500B of the Amazon talks against up to $1T" in articles and "at most 2.00x" in articles


def test_the_report_above_the_ceiling_is_said_with_the_hurdle_break_even(book):
    # issue 17, valfix3 finding 3: a 9 Jun 2026 report put the listing above $1T (F156); the $852B buyer clears a
    # 10% hurdle only at 852 x 1.1 ** 1.646 / 0.9 = $1.11T, so a listing just above $1T still misses it
    params, marks, _, numbers, bounds, *_ = build(book)
    text = hurdle_words.floor_reports_text(book.figures, marks, numbers, bounds, params)
    assert (
        "A report of 9 June 2026 put a listing above $1T; the newest report, of 26 June 2026, says up to $1T." in text
    )
    assert money(852 * 1.1 ** numbers.at["years_to_listing", "round-2026-close"] / 0.9) == "$1.11T"
    assert "clears a 10% hurdle only at $1.11T, so a listing just above $1T still misses the hurdle" in text
    # at a 0% hurdle the break-even ($946.7B) is below $1T: any listing above it clears
    params, marks, _, numbers, bounds, *_ = build(book, HURDLE_RATE=0.0)
    assert "so any listing above $1T clears it" in hurdle_words.floor_reports_text(
        book.figures, marks, numbers, bounds, params
    )
    # no floor report in the ledger, no sentence
    no_floor = book.figures[~book.figures["qualifier"].eq("more_than") | ~book.figures["category"].eq("listing")]
    assert hurdle_words.floor_reports_text(no_floor, marks, numbers, bounds, params) == ""


def test_a_ceiling_case_above_one_is_not_money_back(book):
    # review 2, finding 3: the base case's "up to $1T" makes 1.06x a ceiling; below 852 / 0.9 = $946.7B it loses
    params, marks, *_, case_table, grid_rows = build(book)
    text = hurdle_words.case_takeaway(grid_rows, case_table, marks, params)
    assert "gets the money back" not in text
    even = 852 / (1 - case_table.at["base", "dilution"])
    assert f"{money(even)}" == "$946.7B"
    assert (
        "1 more gets at most 1.06x (at most 3.4% a year; in the base case, for the buyer at $852B): a listing "
        "below $946.7B loses money." in text
    )
    # the $500B buyer needs $795B for the hurdle, below the lowest value reported ($852B): beaten at any of them
    params, marks, listing, numbers, bounds, *_ = build(book)
    hurdle = hurdle_words.hurdle_takeaway(
        marks, numbers, bounds, params, hurdle_words.lowest_reported_listing_usd_bn(book.figures)
    )
    assert (
        "beat it (those at $157B, $300B, $500B) at any listing value reported, the lowest $852B (the $500B "
        "buyer needs $795B)" in hurdle
    )
    assert "beat it (those at $157B, $300B, $500B). " in hurdle_words.hurdle_takeaway(
        marks, numbers, bounds, params, 700
    )


def test_named_cases_for_a_buyer_at_every_mark_by_hand(book):
    params, marks, *_, case_table, grid_rows = build(book)
    assert len(grid_rows) == len(case_table) * len(marks)
    bear = grid_rows.set_index(["case", "mark"]).loc[("bear", "round-2026-close")]
    assert bear["multiple"] == pytest.approx(600 * 0.85 / 852)  # 0.60x
    assert f"{bear['multiple']:.2f}x" == "0.60x"
    # before the 2026 round: 600 x 0.85 x (730/852) / 500 = 0.874x, a loss once that round's dilution is counted
    early = grid_rows.set_index(["case", "mark"]).loc[("bear", "secondary-2025-10")]
    assert early["multiple"] == pytest.approx(600 * 0.85 * (730 / 852) / 500)
    assert f"{early['multiple']:.2f}x" == "0.87x"
    base = grid_rows.set_index(["case", "mark"]).loc[("base", "round-2026-close")]
    assert base["bound"] == "at_most"  # the base case cites the reported "up to $1T": a ceiling
    results = scenario_words.results(*build(book)[3:5], grid_rows, marks, params)
    assert results["case_grid"]["bear"]["round-2026-close"] == pytest.approx(0.5986, abs=1e-4)


def test_headline_equals_the_last_step_of_the_calculation(book):
    params, marks, listing, numbers, bounds, case_table, grid_rows = build(book)
    pick = numbers[params.investment_mark]
    assert pick["value_at_listing_usd_bn"] == pytest.approx(pick["diluted_stake"] * params.listing_valuation_usd_bn)
    assert pick["multiple"] == pytest.approx(pick["value_at_listing_usd_bn"] / params.investment_usd_bn)
    text = scenario_words.bottom_line(numbers, bounds, marks, listing, params)
    assert f"**at most {pick['multiple']:.2f}x**" in text
    assert "- A buyer at **$852B** (Mar 2026)" in text
    assert (
        "With an assumed 20% chance of no listing (valued 25% below the last price), it expects at most 0.995x" in text
    )
    assert "below a 10% hurdle and below cash." in text  # the analyst review's finding 2 (cash's rate: in the lead)
    # the listing date and the money-back and hurdle listings are in the lead's box and the sections (issue 20)
    assert "at a listing of up to $1T:" in text
    # three short bullets (cash and the assumed listing date are named, as the review asked; "at most" for a ceiling
    # listing adds a word to each bounded number), with no ledger ids or parameter names
    assert text.count("\n- ") == 2 and len(prose.plain(text).split()) <= 84
    assert not re.search(r"F\d{3}|[A-Z]{3,}_[A-Z]+", text)


def test_heatmap_scale_is_centred_on_one_and_reaches_the_worst_loss(book):
    params, marks, *_ = build(book)
    mark = marks.loc[params.investment_mark]
    values, years, dilutions = np.arange(400, 2001, 200.0), np.arange(0.5, 4.01, 0.5), np.arange(0, 0.41, 0.05)
    cube = scenarios.grid(10, mark["valuation_usd_bn"], scenarios.elapsed_years(mark, params), values, years, dilutions)
    base = scenarios.nearest_cell(params, values, years, dilutions)
    fig = scenario_charts.sensitivity_chart(cube, values, years, dilutions, base, mark, params, book.sources)
    norm = fig.axes[0].images[0].norm
    assert isinstance(norm, TwoSlopeNorm) and norm.vcenter == 1.0
    assert norm.vmin == pytest.approx(cube["multiple"][:, base[1], :].min())
    red, green, blue, _ = grammar.LOSS_GAIN_CMAP(norm(0.48))
    # 0.48x reads as a clear loss: a dark shade of the loss purple (not a company's red)
    assert norm(0.48) < 0.25 and min(red, blue) > green and (red + green + blue) / 3 < 0.5
    assert "$946.7B" in frame.chart_title(fig)


# --- parameters -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("INVESTMENT_MARK", "listing", "INVESTMENT_MARK = 'listing': must be one of 'round-2024-10'"),
        ("LISTING_VALUATION_USD_BN", 1e308, "LISTING_VALUATION_USD_BN = 1e+308: must be at most 100000"),
        ("INVESTMENT_USD_BN", 600, "INVESTMENT_USD_BN = 600: must be below 157"),
        ("HURDLE_RATE", 1.5, "HURDLE_RATE = 1.5: must be at most 1"),
        ("LISTING_CHANCE", -0.1, "LISTING_CHANCE = -0.1: must be at least 0"),
        ("AS_OF", "2026-06-30", "AS_OF = '2026-06-30': is before 2026-07-01, the newest date in the ledger"),
        ("YEARS_TO_LISTING", -1, "YEARS_TO_LISTING = -1: must be above 0"),
        ("DILUTION_TO_LISTING", 1, "DILUTION_TO_LISTING = 1: must be below 1"),
        ("AS_OF", "22/11/2026", "AS_OF = '22/11/2026': must be a date"),
    ],
)
def test_bad_parameter_is_named_with_the_reason(book, name, value, words):
    assert words in refused(book, **{name: value})


def test_undeclared_name_is_refused_with_the_declared_ones(book):
    message = refused(book, YEARS_TO_LISTNG=5)
    assert (
        "YEARS_TO_LISTNG: not a parameter of this notebook (did you mean YEARS_TO_LISTING?); declared: AS_OF, LISTING_VALUATION_USD_BN"
        in message
    )


# --- papermill runs -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_run(executed):
    # the defaults are the committed notebook's own parameters: read the session's one execution of it
    return scenario_runs.read_results(executed["04-valuation-scenarios"])


def test_default_run_buys_at_the_latest_mark(base_run):
    assert base_run["latest_mark"] == base_run["parameters"]["investment_mark"] == "round-2026-close"
    assert base_run["columns"]["round-2026-close"]["stake"] == pytest.approx(10 / 852)
    assert base_run["bounds"]["round-2026-close"]["multiple"] == "at_most"
    assert base_run["columns"]["secondary-2025-10"]["multiple"] == pytest.approx(10 / 500 * 730 / 852 * 0.9 * 100)
    assert base_run["cases"]["bear"]["multiple"] == pytest.approx(600 * 0.85 / 852)


@pytest.fixture(scope="module")
def changed_run(tmp_path_factory):
    # one kernel for every input a reader changes: a doubled listing, no dilution, $50B bought at the earliest mark
    changes = {
        "LISTING_VALUATION_USD_BN": 2000,
        "DILUTION_TO_LISTING": 0.0,
        "INVESTMENT_USD_BN": 50,
        "INVESTMENT_MARK": "secondary-2025-10",
    }
    return scenario_runs.run(changes, tmp_path_factory.mktemp("changed") / "changed.ipynb")


@pytest.mark.xdist_group("scenario-changed-run")
def test_doubling_the_listing_doubles_the_stake_value(base_run, changed_run):
    for mark in ("round-2024-10", "round-2025-03", "secondary-2025-10", "round-2026-close"):
        before = base_run["columns"][mark]["value_at_listing_usd_bn"]
        # twice the listing, five times the cheque, and no 10% dilution: 2 x 5 / 0.9 times the value
        assert changed_run["columns"][mark]["value_at_listing_usd_bn"] == pytest.approx(2 * 5 / 0.9 * before)
        # the multiple is per dollar: only the listing and the dilution move it
        assert changed_run["columns"][mark]["multiple"] == pytest.approx(
            2 / 0.9 * base_run["columns"][mark]["multiple"]
        )
    # $2T is an assumption, not the reported ceiling: the close's multiple is exact again
    assert changed_run["bounds"]["round-2026-close"]["multiple"] == "exact"


@pytest.mark.xdist_group("scenario-changed-run")
def test_dilution_and_investment_follow_through(changed_run, base_run):
    assert changed_run["parameters"]["investment_mark"] == "secondary-2025-10"
    assert changed_run["parameters"]["listing_valuation_usd_bn"] == 2000
    assert changed_run["columns"]["round-2026-close"]["stake"] == pytest.approx(50 / 852)
    close = changed_run["columns"]["round-2026-close"]
    assert close["diluted_stake"] / close["stake"] == pytest.approx(1.0)
    base = base_run["columns"]["round-2026-close"]
    assert base["diluted_stake"] / base["stake"] == pytest.approx(0.9)
    # with no assumed dilution the buyer before the round still keeps only 730 / 852 of the stake
    early = changed_run["columns"]["secondary-2025-10"]
    assert early["diluted_stake"] / early["stake"] == pytest.approx(730 / 852)


# One run with an undeclared name and every kind of bad value: the message lists each problem (every rule is
# tested in-process above through the notebook's own specs).
REFUSED = {
    "YEARS_TO_LISTNG": 5,
    "INVESTMENT_MARK": "listing",
    "LISTING_VALUATION_USD_BN": 1e308,
    "INVESTMENT_USD_BN": 900,
    "AS_OF": "2025-11-22",
}
REFUSED_WORDS = [
    "YEARS_TO_LISTNG: not a parameter of this notebook (did you mean YEARS_TO_LISTING?); declared: AS_OF",
    "INVESTMENT_MARK = 'listing': must be one of",
    "LISTING_VALUATION_USD_BN = 1e+308: must be at most 100000",
    "INVESTMENT_USD_BN = 900: must be below 157",
    "AS_OF = '2025-11-22': is before 2026-07-01",
]


def test_the_refused_values_are_what_the_notebook_checks_in_process(book):
    message = refused(book, **REFUSED)
    for words in REFUSED_WORDS:
        assert words in message


def test_bad_parameter_stops_papermill_with_a_short_message(tmp_path):
    output = tmp_path / "bad.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        scenario_runs.run(REFUSED, output)
    assert caught.value.ename == "ParameterError"
    for words in REFUSED_WORDS:
        assert words in caught.value.evalue
    # the message (a line per problem), not a 60-line traceback
    assert len("\n".join(caught.value.traceback).splitlines()) <= 6 + len(REFUSED_WORDS)
    cells = json.loads(output.read_text())["cells"]
    failed = [i for i, c in enumerate(cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    injected = next(i for i, c in enumerate(cells) if "injected-parameters" in c["metadata"].get("tags", []))
    first_code_after = next(i for i, c in enumerate(cells) if i > injected and c["cell_type"] == "code")
    assert failed == [first_code_after]


def test_summary_lays_cases_side_by_side(base_run, tmp_path):
    rows = scenario_runs.summary_table({"base": base_run, "other": base_run}, {"base": "Base", "other": "Other"})
    md, page = scenario_runs.write_summary(rows, tmp_path)
    text = md.read_text()
    assert "| | Base | Other |" in text.replace("|  |", "| |")
    assert re.search(r"money multiple \| at most 1\.06x \| at most 1\.06x", text)
    assert "(2026-03-31)" in text
    assert page.read_text().count("<tr>") == len(rows)


def test_marks_chart_grammar(book):
    params, marks, listing, numbers, bounds, *_ = build(book, LISTING_VALUATION_USD_BN=1200)
    fig = scenario_charts.marks_chart(marks, listing, numbers, bounds, params, book.sources, book.figures)
    prices, multiples = fig.axes[0].patches[: len(fig.axes[0].get_xticklabels())], fig.axes[1].patches
    hatches = [bar.get_hatch() for bar in prices]
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    talks = [i for i, label in enumerate(labels) if "talks" in label]
    assert talks and all(hatches[i] == "////" for i in talks)  # talks: hatched, and drawn only as talks
    assert len(fig.axes[1].patches) == len(marks)  # a multiple only at a price paid
    assert all(hatches[i] in ("", None) for i in range(len(labels) - 1) if i not in talks)  # prices paid: solid
    assert hatches[-1] == ".." and prices[-1].get_linestyle() == ":"  # the assumed $1.2T listing
    assert "assumed" in fig.axes[0].get_xticklabels()[-1].get_text()
    company = {plotting_color.lower() for plotting_color in grammar.COMPANY_COLORS.values()}
    assert all(to_hex(bar.get_facecolor()) not in company for bar in multiples)  # returns are not companies
    assert "at most" not in frame.chart_title(fig).split(";")[0]  # $1.2T assumed: the close is exact


# --- known dilution, revenue by date and labels, against numbers worked by hand ---------------------------------


def test_priced_rounds_dilute_earlier_marks_by_pre_over_post(book):
    rounds = scenarios.priced_rounds(book.figures)
    # the 2026 round: $730B pre-money (F099), $852B post-money at the close (F110, 31 Mar 2026)
    assert rounds.loc["round-2026", "kept_share"] == pytest.approx(730 / 852)  # 0.857
    assert f"{rounds.loc['round-2026', 'kept_share']:.3f}" == "0.857"
    assert "secondary-2025-10" not in rounds.index  # a secondary sale issues no shares
    marks = scenarios.marks(book.scenarios, book.figures)
    assert marks.loc["secondary-2025-10", "kept_share"] == pytest.approx(730 / 852)
    assert marks.loc["round-2024-10", "kept_share"] == pytest.approx(260 / 300 * 730 / 852)
    assert marks.loc["round-2026-close", "kept_share"] == 1.0  # its own round, priced before the close
    assert marks.loc["secondary-2025-10", "diluted_by"] == "the 2026 round"
    assert marks.loc["round-2024-10", "diluted_by"] == "the March 2025 round and the 2026 round"


def test_a_secondary_sale_with_round_prices_dilutes_nobody(book):
    extra = book.figures[book.figures["figure_id"].eq("F110")].copy()
    pre = book.figures[book.figures["figure_id"].eq("F099")].copy()
    for row, fid in ((extra, "F990"), (pre, "F991")):
        row["figure_id"], row["event"], row["category"] = fid, "secondary-2025-10", "secondary_sale"
    assert "secondary-2025-10" not in scenarios.priced_rounds(pd.concat([book.figures, extra, pre])).index


def test_known_dilution_is_shown_in_the_tables(book):
    _, marks, listing, numbers, bounds, case_table, grid_rows = build(book)
    table = scenario_words.formatted(numbers, bounds, marks, listing, book.figures)
    row = table.loc[scenarios.MEASURES["kept_share"][0]]
    assert row.iloc[0] == "diluted by the March 2025 round and the 2026 round, which together left 74.3% of the stake"
    assert row.iloc[3] == "no round priced after it: the whole stake"
    grid = scenario_words.formatted_case_grid(grid_rows, case_table, marks)
    assert grid.columns[1] == (
        "March 2025 round (priced Mar 2025, closed Dec 2025); diluted by the 2026 round, which left 85.7% of the stake"
    )


def test_revenue_multiples_use_revenue_reported_by_each_mark(book):
    _, marks, listing, numbers, bounds, *_ = build(book)
    # Oct 2025: the June 2025 run rate of $10B (F121); no calendar year reported yet
    assert numbers.at["price_to_run_rate", "secondary-2025-10"] == pytest.approx(500 / 10)
    assert np.isnan(numbers.at["price_to_calendar_sales", "secondary-2025-10"])
    # Mar 2026: calendar 2025 $13.1B (F130) and "more than $20B" run rate for Dec 2025 (F127): at most 42.6x
    assert numbers.at["price_to_calendar_sales", "round-2026-close"] == pytest.approx(852 / 13.1)
    assert numbers.at["price_to_run_rate", "round-2026-close"] == pytest.approx(852 / 20)
    assert bounds.at["price_to_run_rate", "round-2026-close"] == "at_most"
    # the listing: the latest run rate, about $25B (F133, May 2026)
    assert numbers.at["price_to_run_rate", "listing"] == pytest.approx(1000 / 25)
    table = scenario_words.formatted(numbers, bounds, marks, listing, book.figures)
    assert table.loc["run-rate revenue used"].iloc[2] == "$10B (run rate of Jun 2025, reported Jun 2025)"


def test_labels_read_as_words_mid_sentence(book):
    params, marks, listing, numbers, bounds, case_table, grid_rows = build(book, INVESTMENT_MARK="secondary-2025-10")
    text = scenario_words.bottom_line(numbers, bounds, marks, listing, params)
    assert "- A buyer at **$500B** (Oct 2025)" in text
    assert scenario_words.formatted_marks(marks, listing)["mark"].iloc[2] == "October 2025 employee share sale"


# --- the independent review's findings (issue 17) ---------------------------------------------------------------


def test_hurdle_takeaway_dates_the_present_value_and_names_cash(book):
    params, marks, _, numbers, bounds, *_ = build(book)
    text = hurdle_words.hurdle_takeaway(marks, numbers, bounds, params)
    # finding 1: the discount runs from the purchase; today's value discounts only the year from the as-of date
    # "at most": the listing value is a reported ceiling ("up to $1T")
    assert "worth at most $9.03B at the March 2026 purchase date, discounted at 10%, against the $10B paid" in text
    # review 2, finding 8: the value at the as-of date is set against the cheque grown to the same date at the hurdle
    grown = 10 * 1.10 ** ((pd.Timestamp("2026-11-22") - pd.Timestamp("2026-03-31")).days / vocabulary.DAYS_PER_YEAR)
    assert money(grown) == "$10.6B"
    assert (
        "(at most $9.6B discounted only to the date years are counted from, 22 Nov 2026, against the $10B grown to then at 10%: "
        "$10.6B)" in text
    )
    assert f"{10 / 852 * 0.9 * 1000 / 1.1:.2f}" == "9.60"
    # finding 2: 3.4% a year is below cash, and cash needs a listing of 852 x 1.045 ** 1.646 / 0.9 = $1.02T
    assert "below a 10% hurdle and below cash (4.5% a year, assumed); matching cash needs a listing of $1.02T" in text
    years = (pd.Timestamp("2026-11-22") - pd.Timestamp("2026-03-31")).days / 365.25 + 1
    cash = hurdle_words.cash_breakeven_usd_bn(marks.loc["round-2026-close"], numbers, "round-2026-close", params)
    assert cash == pytest.approx(852 * 1.045**years / 0.9)
    table = hurdle_words.hurdle_table(marks, numbers, params, bounds=bounds)
    # "at most": valued at a ceiling listing, as in the side-by-side and the prose
    assert table.iloc[0]["value of the stake at its purchase date, at 10%"] == "at most $31.6B"  # at Oct 2024
    assert "worth today" not in text


def test_hurdle_table_keeps_the_ceiling_of_the_listing(book):
    # issue 17, valfix3 finding 1: the annual return and the value at purchase rest on "up to $1T", so "at most"
    params, marks, _, numbers, bounds, *_ = build(book)
    table = hurdle_words.hurdle_table(marks, numbers, params, bounds=bounds)
    close = table.iloc[-1]
    assert close["annual return"] == "at most 3.4%"
    assert close["value of the stake at its purchase date, at 10%"] == "at most $9.03B"
    # the listing needed rests on the price and the rounds, not on the listing value: no bound
    assert close["listing needed for 10% a year"] == "$1.11T"
    # each cell says what the side-by-side says for the same number
    for m, (_, row) in zip(marks.index, table.iterrows(), strict=True):
        assert row["annual return"] == scenario_words.shown(
            "annual_return", numbers.at["annual_return", m], bounds.at["annual_return", m]
        )
    # an assumed listing value is exact: no bound to keep
    params, marks, _, numbers, bounds, *_ = build(book, LISTING_VALUATION_USD_BN=1100)
    assert hurdle_words.hurdle_table(marks, numbers, params, bounds=bounds).iloc[-1]["annual return"].endswith("%")
    assert "at most" not in hurdle_words.hurdle_table(marks, numbers, params, bounds=bounds).to_string()
    with pytest.raises(TypeError):
        hurdle_words.hurdle_table(marks, numbers, params)  # the bounds cannot be left out


def test_listing_chance_takeaway_sets_the_expected_multiple_against_the_hurdle(book):
    params, marks, _, numbers, bounds, *_ = build(book)
    text = hurdle_words.listing_chance_takeaway(marks, numbers, bounds, params)
    # finding 3: p = (1.17 - 0.75) / (1.056 - 0.75) = 1.37, impossible; a certain listing gives only 1.06x
    assert "needs 1.17x" in text
    assert "would need a chance of a listing of 137%, which is impossible" in text
    assert "Even a certain listing gives at most 1.06x" in text  # a ceiling listing keeps its bound
    assert "no annual return" in text
    # and 1.0x needs (1 - 0.75) / (1.056 - 0.75) = 0.816, shown rounded up as a threshold
    assert "at least 82%" in text


def test_new_money_is_committed_money_with_its_conditional_part(book):
    params, marks, listing, numbers, bounds, *_ = build(book)
    table = scenario_words.formatted(numbers, bounds, marks, listing, book.figures)
    row = table.loc["new money in the round (post- minus pre-money)"]
    # finding 4: 852 - 730 = $122B of new money, $35B of it Amazon's conditional tranche (F089): committed means
    # without conditions, so the row splits it into what was raised and what is conditional, as 02 counts it
    assert row[scenario_words.column_label(marks.loc["round-2026-close"])] == (
        "$122B of new money in the price: $87B raised, $35B conditional"
    )
    # finding 12: 300 - 260 = $40B against a closed size of $41B (F044)
    assert row[scenario_words.column_label(marks.loc["round-2025-03"])] == (
        "$40B committed, the closed size reported is $41B"
    )
    text = reading_words.assumptions_text(book.figures, marks, params.investment_usd_bn)
    assert "due if OpenAI filed for a listing or reached an undisclosed milestone before the end of 2028" in text
    assert "confirmed in June 2026, may already have made it due" in text
    # a filing known only from aggregator pages says so, given the sources
    flagged = reading_words.assumptions_text(book.figures, marks, params.investment_usd_bn, sources=book.sources)
    assert "confirmed in June 2026 (aggregator pages only), may already have made it due" in flagged
    assert "SoftBank's $10B due October 2026, not reported paid" in text
    # finding 7: 260 / 300 = 0.8667 is a floor, shown rounded down
    assert "kept at least 0.86 of the stake" in text
    assert "the October 2024 round moved $6.6B" in text and "hypothetical" in text


def test_conditional_tranche_is_paid_in_every_listing_outcome(book):
    # issue 17, valfix3 finding 4: the $35B falls due on a listing filing before the end of 2028 (F089), and a listing
    # needs a filing: with the listing assumed in Nov 2027 the $852B post-money holds in every listing outcome
    params, marks, listing, numbers, bounds, *_ = build(book)
    text = reading_words.assumptions_text(book.figures, marks, 10, numbers, bounds, listing["listing_on"])
    assert "the assumed listing (Nov 2027) comes before the end of 2028, so the tranche is due in every outcome" in text
    assert "Only if the $35B is never paid" in text and "would the post-money be $817B" in text
    assert f"{10 / 817:.2%}" == "1.22%" and "would buy 1.22%, not 1.17%" in text
    assert "belongs only to the outcome without a listing" in text and f"by {852 / 817 - 1:.1%}" in text
    # no listing multiple at $817B, and no claim that a headline rests on the tranche being unpaid
    assert "1.10x" not in text and "rests on counting the conditional money" not in text
    # a listing assumed after the end of 2028 may come without the tranche: said so
    params, marks, listing, numbers, bounds, *_ = build(book, YEARS_TO_LISTING=3.0)
    later = reading_words.assumptions_text(book.figures, marks, 10, numbers, bounds, listing["listing_on"])
    assert "comes after the end of 2028: the tranche is due only if the filing comes before then" in later


def test_run_rate_sentence_names_both_denominators_with_the_bound(book):
    # finding 7: 852 / (12 x $2B) = 35.5x (the monthly $2B is stated without "about" on its page, so no bound since
    # the third fact-check); the table's 852 / more than $20B (Dec 2025) = at most 42.6x
    params, marks, listing, numbers, bounds, *_ = build(book)
    text = reading_words.assumptions_text(book.figures, marks, 10, numbers, bounds, listing["listing_on"])
    assert f"{852 / 24:.1f}" == "35.5" and f"{852 / 20:.1f}" == "42.6"
    assert "the $852B price is 35.5x that." in text
    assert "at most 42.6x on the run rate of more than $20B for December 2025" in text
    assert bounds.at["price_to_run_rate", "round-2026-close"] == "at_most"


def test_closed_size_and_paid_later_readings_by_hand(book):
    params, marks, listing, numbers, bounds, *_ = build(book)
    text = reading_words.assumptions_text(book.figures, marks, 10, numbers, bounds, listing["listing_on"])
    # finding 6: the dilution uses the $300B post-money (260 / 300); the closed $41B would give 260 / 301
    assert marks.at["round-2024-10", "kept_share"] == pytest.approx(260 / 300 * 730 / 852)
    assert f"{260 / 301:.3f}" == "0.864" and f"{1 - (260 / 301) / (260 / 300):.1%}" == "0.3%"
    assert "uses its $300B post-money" in text and "the post-money would be $301B" in text
    assert "keep x0.864, every multiple for the buyers before it 0.3% lower" in text
    # finding 9: $22.5B of the $41B was paid at the December 2025 close (F041, F044); from then the same multiple
    # is a higher annual return than from the pricing date
    march = numbers["round-2025-03"]
    from_close = march["years_to_listing"] - (pd.Timestamp("2025-12-31") - pd.Timestamp("2025-03-31")).days / 365.25
    annual = march["multiple"] ** (1 / from_close) - 1
    assert annual > march["annual_return"]
    assert "although $22.5B of its $41B was paid only at the close, December 2025" in text
    assert f"at most {annual:.0%} a year, against the at most {march['annual_return']:.0%} shown" in text


def test_reader_tables_name_no_parameter_and_no_ledger_id(book):
    params, marks, listing, numbers, bounds, *_ = build(book)
    shown = [
        scenario_words.formatted(numbers, bounds, marks, listing, book.figures),
        scenario_words.formatted_marks(marks, listing),
        hurdle_words.hurdle_table(marks, numbers, params, bounds=bounds),
    ]
    for table in shown:
        text = table.to_string() + " ".join(table.columns)
        assert not re.search(r"\bF\d{3}\b", text), text
        assert not re.search(r"\b[A-Z]{2,}_[A-Z_]+\b", text), text
    marks_table = scenario_words.formatted_marks(marks, listing)
    tender = marks_table.loc[marks_table["mark"].eq("October 2025 employee share sale"), "as reported"].iloc[0]
    assert tender == "$500B (basis not stated; read as post-money, since a tender issues no shares)"
