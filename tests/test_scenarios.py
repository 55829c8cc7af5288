"""The scenario notebook: checked parameters, and papermill runs whose outputs follow the inputs."""

import json
import re

import papermill
import pytest

from helpers import data, scenario_runs, scenarios

DEFAULTS = dict(
    AS_OF="2026-11-22",
    LISTING_VALUATION_USD_BN=1000,
    YEARS_TO_LISTING=1.0,
    DILUTION_TO_LISTING=0.10,
    INVESTMENT_USD_BN=10,
    INVESTMENT_MARK="now",
    UNSTATED_BASIS="post_money",
    REVENUE_BASIS="calendar",
    TARGET_REVENUE_MULTIPLE=25,
)
MARKS = ["now", "round-2026-pre", "latest-private", "listing"]


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("YEARS_TO_LISTING", -1, "YEARS_TO_LISTING = -1: must be above 0"),
        ("DILUTION_TO_LISTING", 1, "DILUTION_TO_LISTING = 1: must be at least 0 and below 1"),
        ("LISTING_VALUATION_USD_BN", "a lot", "LISTING_VALUATION_USD_BN = 'a lot': must be a finite number"),
        ("INVESTMENT_MARK", "yesterday", "INVESTMENT_MARK = 'yesterday': must be one of now"),
        ("REVENUE_BASIS", "monthly", "REVENUE_BASIS = 'monthly'"),
        ("AS_OF", "22/11/2026", "AS_OF = '22/11/2026': must be a date"),
    ],
)
def test_bad_parameter_is_named_with_the_reason(name, value, words):
    with pytest.raises(scenarios.ParameterError) as caught:
        scenarios.check_parameters({**DEFAULTS, name: value}, MARKS)
    assert words in str(caught.value)


def test_every_bad_parameter_is_listed_at_once():
    with pytest.raises(scenarios.ParameterError) as caught:
        scenarios.check_parameters({**DEFAULTS, "YEARS_TO_LISTING": 0, "DILUTION_TO_LISTING": -0.5}, MARKS)
    assert "YEARS_TO_LISTING" in str(caught.value) and "DILUTION_TO_LISTING" in str(caught.value)


def test_headline_equals_the_last_step_of_the_calculation():
    book = data.load_ledger()
    params = scenarios.check_parameters(DEFAULTS, MARKS)
    table = scenarios.side_by_side(book.scenarios, book.figures, params)
    now = table["now"]
    assert now["value_at_listing_usd_bn"] == pytest.approx(now["diluted_stake"] * params.listing_valuation_usd_bn)
    assert now["multiple"] == pytest.approx(now["value_at_listing_usd_bn"] / params.investment_usd_bn)
    assert f"**${now['value_at_listing_usd_bn']:.0f}B**" in scenarios.bottom_line(
        table, book.scenarios, book.figures, params
    )


@pytest.fixture(scope="module")
def base_run(executed):
    # the defaults are the committed notebook's own parameters: read the session's one execution of it
    return scenario_runs.read_results(executed["04-valuation-scenarios"])


def test_doubling_the_listing_doubles_the_stake_value(base_run, tmp_path):
    doubled = scenario_runs.run({"LISTING_VALUATION_USD_BN": 2000}, tmp_path / "doubled.ipynb")
    for mark in ("now", "round-2026-pre", "latest-private"):
        before = base_run["columns"][mark]["value_at_listing_usd_bn"]
        after = doubled["columns"][mark]["value_at_listing_usd_bn"]
        assert after == pytest.approx(2 * before)


def test_dilution_and_investment_follow_through(tmp_path, base_run):
    changed = scenario_runs.run(
        {"DILUTION_TO_LISTING": 0.0, "INVESTMENT_USD_BN": 50, "INVESTMENT_MARK": "round-2026-pre"},
        tmp_path / "amazon50.ipynb",
    )
    assert changed["parameters"]["investment_mark"] == "round-2026-pre"
    assert changed["columns"]["round-2026-pre"]["stake"] == pytest.approx(50 / 780)
    no_dilution = changed["columns"]["now"]["diluted_stake"] / changed["columns"]["now"]["stake"]
    assert no_dilution == pytest.approx(1.0)
    assert base_run["columns"]["now"]["diluted_stake"] / base_run["columns"]["now"]["stake"] == pytest.approx(0.9)


def test_bad_parameter_stops_in_the_first_cell(tmp_path):
    output = tmp_path / "bad.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        scenario_runs.run({"YEARS_TO_LISTING": -2}, output)
    assert "ParameterError" in caught.value.ename
    assert "YEARS_TO_LISTING = -2: must be above 0" in caught.value.evalue
    cells = json.loads(output.read_text())["cells"]
    failed = [i for i, c in enumerate(cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    parameters = next(i for i, c in enumerate(cells) if "injected-parameters" in c["metadata"].get("tags", []))
    first_code_after = next(i for i, c in enumerate(cells) if i > parameters and c["cell_type"] == "code")
    assert failed == [first_code_after]


def test_summary_lays_cases_side_by_side(base_run, tmp_path):
    rows = scenario_runs.summary_table({"base": base_run, "other": base_run}, {"base": "Base", "other": "Other"})
    md, page = scenario_runs.write_summary(rows, tmp_path)
    text = md.read_text()
    assert "| | Base | Other |" in text.replace("|  |", "| |")
    assert re.search(r"money multiple \| 1\.80x \| 1\.80x", text)
    assert page.read_text().count("<tr>") == len(rows)
