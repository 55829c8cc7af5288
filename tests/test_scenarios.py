"""The scenario notebook: dated marks read from the ledger, bounds carried through, named cases at every mark,
checked parameters, and papermill runs whose outputs follow the inputs."""

import json
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import papermill
import pytest
from matplotlib.colors import TwoSlopeNorm, to_hex

from helpers import data, parameters, prose, scenario_charts, scenario_runs, scenarios
from helpers.data import ROOT

DEFAULTS = dict(
    AS_OF="2026-11-22",
    LISTING_VALUATION_USD_BN=1000,
    YEARS_TO_LISTING=1.0,
    DILUTION_TO_LISTING=0.10,
    INVESTMENT_USD_BN=10,
    INVESTMENT_MARK="round-2026-close",
    REVENUE_BASIS="calendar",
    TARGET_REVENUE_MULTIPLE=25,
    LISTING_FIGURE="F003",
)


@pytest.fixture(scope="module")
def book():
    return data.load_ledger()


def build(book, **changes):
    """Everything the notebook computes, for the defaults with `changes`."""
    specs = scenarios.specs(book.scenarios, book.figures)
    params = scenarios.Parameters.from_checked(parameters.check({**DEFAULTS, **changes}, specs))
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
    assert list(marks.index) == [
        "secondary-2025-10",
        "amazon-talks-2025-12",
        "round-2026-announced",
        "round-2026-close",
    ]
    assert marks["reported_on"].is_monotonic_increasing
    assert scenarios.latest_mark(marks) == "round-2026-close" == DEFAULTS["INVESTMENT_MARK"]
    assert marks.loc["amazon-talks-2025-12", "bound"] == "at_least"  # "more than $500B", basis unstated
    assert marks.loc["round-2026-announced", "superseded"] and not marks.loc["round-2026-close", "superseded"]
    assert marks.loc["round-2026-close", "pre_money_usd_bn"] == 730


def test_notebook_title_dates_each_number(book):
    _, marks, listing, *_ = build(book)
    notebook = nbformat.read(ROOT / "notebooks" / "04-valuation-scenarios.ipynb", as_version=4)
    first_line = notebook.cells[0].source.splitlines()[0]
    assert prose.plain(first_line) == "# " + scenarios.title(marks, listing)
    assert "$500B in October 2025, $852B since March 2026, up to $1T" in scenarios.title(marks, listing)


# --- the round stake and the bounds, against numbers worked by hand ---------------------------------------------


def test_round_stake_in_the_table_by_hand(book):
    _, _, _, numbers, bounds, *_ = build(book)
    close, announced = numbers["round-2026-close"], numbers["round-2026-announced"]
    assert close["stake"] == pytest.approx(10 / 852)  # 1.17%, not 10 / 740
    assert announced["stake"] == pytest.approx(10 / 840)
    assert close["new_money_usd_bn"] == 122 and announced["new_money_usd_bn"] == 110
    assert close["multiple"] == pytest.approx(10 / 852 * 0.9 * 1000 / 10)  # 1.0563x
    assert f"{close['multiple']:.2f}" == "1.06"
    # a listing "up to $1T" is a ceiling: the multiple is at most 1.06x
    assert bounds.at["multiple", "round-2026-close"] == "at_most"
    assert scenarios.shown("multiple", close["multiple"], bounds.at["multiple", "round-2026-close"]) == "at most 1.06x"


def test_more_than_500b_gives_at_most_1_80x(book):
    # an assumed, exact listing: only the entry's "more than" bounds the result
    _, _, _, numbers, bounds, *_ = build(book, LISTING_VALUATION_USD_BN=1000.5)
    assert bounds.at["multiple", "amazon-talks-2025-12"] == "at_most"
    assert bounds.at["stake", "amazon-talks-2025-12"] == "at_most"
    assert bounds.at["multiple", "secondary-2025-10"] == "exact"  # $500B closed, exactly
    assert numbers.at["multiple", "amazon-talks-2025-12"] == pytest.approx(10 / 500 * 0.9 * 1000.5 / 10)
    shown = scenarios.formatted(numbers, bounds, *build(book, LISTING_VALUATION_USD_BN=1000.5)[1:3])
    assert shown.loc["money multiple"].str.startswith("at most").sum() == 1


def test_listing_figure_sets_the_listing_bound(book):
    # the base case cites the newer "about $1T" (F157): read from it, the close's multiple is about 1.06x, not at most
    _, _, listing, numbers, bounds, *_ = build(book, LISTING_FIGURE="F157")
    assert (listing["stated"], listing["figure_id"], listing["bound"]) == ("about $1T", "F157", "about")
    assert bounds.at["multiple", "round-2026-close"] == "about"
    assert bounds.at["multiple", "amazon-talks-2025-12"] == "at_most"  # the price is still a floor


def test_bounds_reach_the_bottom_line_and_the_cases(book):
    params, marks, listing, numbers, bounds, case_table, grid_rows = build(book, INVESTMENT_MARK="amazon-talks-2025-12")
    text = scenarios.bottom_line(numbers, bounds, marks, listing, grid_rows, case_table, book.figures, params)
    assert "**at most $18B: at most 1.80x**" in text
    assert "up to $1T" in text and "more than $500B" in text
    talks = grid_rows[grid_rows["mark"].eq("amazon-talks-2025-12")]
    assert set(talks["bound"]) == {"at_most"}


def test_named_cases_for_a_buyer_at_every_mark_by_hand(book):
    params, marks, *_, case_table, grid_rows = build(book)
    assert len(grid_rows) == len(case_table) * len(marks)
    bear = grid_rows.set_index(["case", "mark"]).loc[("bear", "round-2026-close")]
    assert bear["multiple"] == pytest.approx(600 * 0.85 / 852)  # 0.60x
    assert f"{bear['multiple']:.2f}x" == "0.60x"
    base = grid_rows.set_index(["case", "mark"]).loc[("base", "round-2026-close")]
    assert base["bound"] == "about"  # the base case cites the reported "about $1T"
    results = scenarios.results(*build(book)[3:5], grid_rows, marks, params)
    assert results["case_grid"]["bear"]["round-2026-close"] == pytest.approx(0.5986, abs=1e-4)


def test_headline_equals_the_last_step_of_the_calculation(book):
    params, marks, listing, numbers, bounds, case_table, grid_rows = build(book)
    pick = numbers[params.investment_mark]
    assert pick["value_at_listing_usd_bn"] == pytest.approx(pick["diluted_stake"] * params.listing_valuation_usd_bn)
    assert pick["multiple"] == pytest.approx(pick["value_at_listing_usd_bn"] / params.investment_usd_bn)
    text = scenarios.bottom_line(numbers, bounds, marks, listing, grid_rows, case_table, book.figures, params)
    assert f"at most {pick['multiple']:.2f}x**" in text
    assert "**A buyer today** pays **$852B post-money**" in text and "31 Mar 2026" in text


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
    red, _, blue, _ = plt.get_cmap(scenario_charts.CMAP)(norm(0.48))
    assert norm(0.48) < 0.25 and red > 2 * blue  # 0.48x reads as a clear loss
    assert "$946.7B" in fig._suptitle.get_text()


# --- parameters -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("INVESTMENT_MARK", "listing", "INVESTMENT_MARK = 'listing': must be one of 'secondary-2025-10'"),
        ("LISTING_VALUATION_USD_BN", 1e308, "LISTING_VALUATION_USD_BN = 1e+308: must be at most 100000"),
        ("INVESTMENT_USD_BN", 600, "INVESTMENT_USD_BN = 600: must be below 500"),
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
    assert "YEARS_TO_LISTNG: not a parameter of this notebook; declared: AS_OF, LISTING_VALUATION_USD_BN" in message


# --- papermill runs -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    return scenario_runs.run({}, tmp_path_factory.mktemp("runs") / "base.ipynb")


def test_default_run_buys_at_the_latest_mark(base_run):
    assert base_run["latest_mark"] == base_run["parameters"]["investment_mark"] == "round-2026-close"
    assert base_run["columns"]["round-2026-close"]["stake"] == pytest.approx(10 / 852)
    assert base_run["bounds"]["round-2026-close"]["multiple"] == "at_most"
    assert base_run["cases"]["bear"]["multiple"] == pytest.approx(600 * 0.85 / 852)


def test_doubling_the_listing_doubles_the_stake_value(base_run, tmp_path):
    doubled = scenario_runs.run({"LISTING_VALUATION_USD_BN": 2000}, tmp_path / "doubled.ipynb")
    for mark in ("secondary-2025-10", "amazon-talks-2025-12", "round-2026-close"):
        before = base_run["columns"][mark]["value_at_listing_usd_bn"]
        assert doubled["columns"][mark]["value_at_listing_usd_bn"] == pytest.approx(2 * before)
    # $2T is an assumption, not the reported ceiling: the close's multiple is exact again
    assert doubled["bounds"]["round-2026-close"]["multiple"] == "exact"


def test_dilution_and_investment_follow_through(tmp_path, base_run):
    changed = scenario_runs.run(
        {"DILUTION_TO_LISTING": 0.0, "INVESTMENT_USD_BN": 50, "INVESTMENT_MARK": "secondary-2025-10"},
        tmp_path / "amazon50.ipynb",
    )
    assert changed["parameters"]["investment_mark"] == "secondary-2025-10"
    assert changed["columns"]["round-2026-close"]["stake"] == pytest.approx(50 / 852)
    no_dilution = (
        changed["columns"]["round-2026-close"]["diluted_stake"] / changed["columns"]["round-2026-close"]["stake"]
    )
    assert no_dilution == pytest.approx(1.0)
    base = base_run["columns"]["round-2026-close"]
    assert base["diluted_stake"] / base["stake"] == pytest.approx(0.9)


@pytest.mark.parametrize(
    "given, words",
    [
        ({"YEARS_TO_LISTNG": 5}, "YEARS_TO_LISTNG: not a parameter of this notebook; declared: AS_OF"),
        ({"INVESTMENT_MARK": "listing"}, "INVESTMENT_MARK = 'listing': must be one of"),
        ({"LISTING_VALUATION_USD_BN": 1e308}, "LISTING_VALUATION_USD_BN = 1e+308: must be at most 100000"),
        ({"INVESTMENT_USD_BN": 900}, "INVESTMENT_USD_BN = 900: must be below 500"),
        ({"AS_OF": "2025-11-22"}, "AS_OF = '2025-11-22': is before 2026-07-01"),
    ],
)
def test_bad_parameter_stops_papermill_with_a_short_message(tmp_path, given, words):
    output = tmp_path / "bad.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        scenario_runs.run(given, output)
    assert caught.value.ename == "ParameterError"
    assert words in caught.value.evalue
    assert len("\n".join(caught.value.traceback).splitlines()) <= 12  # the message, not a 60-line traceback
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
    fig = scenario_charts.marks_chart(marks, listing, numbers, bounds, params, book.sources)
    prices, multiples = fig.axes[0].patches[: len(marks) + 1], fig.axes[1].patches
    hatches = [bar.get_hatch() for bar in prices]
    assert hatches[list(marks.index).index("amazon-talks-2025-12")] == "////"  # in talks: hatched
    superseded = prices[list(marks.index).index("round-2026-announced")]
    assert superseded.get_facecolor()[3] == 0 and superseded.get_linestyle() == "--"  # superseded: outline
    assert hatches[-1] == ".." and prices[-1].get_linestyle() == ":"  # the assumed $1.2T listing
    assert "assumed" in fig.axes[0].get_xticklabels()[-1].get_text()
    company = {plotting_color.lower() for plotting_color in scenario_charts.plotting.COMPANY_COLORS.values()}
    assert all(to_hex(bar.get_facecolor()) not in company for bar in multiples)  # returns are not companies
    assert "at most" not in fig._suptitle.get_text().split(";")[0]  # $1.2T assumed: the close is exact
