"""06 cash: results by period, forecasts kept apart, one year's money out/in/held, aggregator flags."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import cash, compute
from helpers.notebook import tables


@pytest.fixture(scope="module")
def book():
    return data.load_ledger()


@pytest.fixture(scope="module")
def found(book):
    return cash.results(book.figures)


def test_periods_read_and_order():
    assert cash.period_start("2025-H2") == pd.Timestamp("2025-07-01")
    assert [cash.period_months(p) for p in ("2025", "2025-H1", "2026-Q1")] == [12, 6, 3]
    assert cash.in_period("2025") == "in 2025" and cash.in_period("2026-Q1") == "in the first quarter of 2026"
    assert sorted(["2025", "2026-Q1", "2025-H1"], key=cash.period_order) == ["2025-H1", "2025", "2026-Q1"]


def test_results_keep_reported_past_periods_only_at_their_newest_report(found):
    assert set(found["category"]) == {"revenue"} and set(found["reading"]) == {"used"}
    assert not found["period"].str.contains(r"^\d{4}-\d{2}$|^\d{4}-\d{4}$").any()  # no months, no spans
    # 2025 revenue: the audited $13.07B (Jun 2026) replaces the $13.1B of Feb 2026; one row per period and metric
    cell = found[found["period"].eq("2025") & found["metric"].eq("revenue")]
    assert cell["figure_id"].tolist() == ["F168"]
    assert not found.duplicated(["period", "metric"]).any()
    # Q1 2026: the shareholder-document $5.7B is used, the 'nearly $6B' is the alternative
    assert found[found["period"].eq("2026-Q1") & found["metric"].eq("revenue")]["value"].tolist() == [5.7]


def test_burn_ratios_are_burn_over_revenue(found):
    ratios = cash.burn_ratios(found)
    assert ratios["2026-Q1"] == pytest.approx(3.7 / 5.7)
    assert ratios["2025-H1"] == pytest.approx(2.5 / 4.3)
    assert list(ratios.index) == ["2025-H1", "2025", "2026-Q1"]
    assert "65% in the first quarter of 2026" in cash.results_sentence(found)


def test_a_figure_on_aggregator_pages_only_says_so(book, found):
    sources = book.sources
    assert cash.aggregator_only("S84;S85", sources)  # both aggregators
    assert not cash.aggregator_only("S83;S98", sources)  # a wire repost carries the outlet's own text
    title = cash.results_title(found, sources)
    assert "$9.3B (aggregator pages only)" in title  # the operating loss rests on aggregators only
    assert "$5.7B of revenue" in title and "$5.7B (aggregator" not in title


def test_forecasts_are_kept_apart_and_compared(book):
    forecasts = cash.burn_forecasts(book.figures)
    assert set(forecasts["category"]) == {"projection"}
    table = cash.forecast_table(forecasts)
    assert table.loc["forecast reported Feb 2026", "2027"] == 57
    # the September 2025 figures are given flat by their page (F135-F137, exact since the fourth fact-check)
    assert table.loc["forecast reported Sep 2025", "2027"] == 35
    # a forecast whose every figure is 'about' says so in words a reader can parse
    approximate = forecasts.assign(
        qualifier=forecasts["qualifier"].where(forecasts["reported_on"].dt.year != 2025, "about")
    )
    about_table = cash.forecast_table(approximate)
    assert about_table.loc["forecast reported Sep 2025 (every figure approximate)", "2027"] == 35
    assert "forecast reported Sep 2025" not in about_table.index
    assert not about_table.index.str.contains("each about").any()
    # the year where the revision is largest: 2028, 45 -> 85; each figure keeps its own qualifier
    text = cash.forecast_sentence(forecasts)
    assert "expects $85B of cash burn in 2028, against $45B in the one reported Sep 2025:" in text
    assert "against about $45B" in cash.forecast_sentence(approximate)
    assert "each about" not in text


def test_year_view_matches_the_compute_schedule(book):
    figures = book.figures
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, 5, 1)
    view = cash.year_view(figures, schedule, 2026)
    floor = view[view["kind"].eq("out, assumed")]["usd_bn"].iloc[0]
    assert floor == pytest.approx(compute.year_table(schedule).loc["total, counting no ceiling", 2026])
    assert view.loc["cash burn forecast for 2026 (reported Feb 2026)", "usd_bn"] == 25
    assert view.loc["cash and securities held, end of Mar 2026", "usd_bn"] == 73
    assert not view.index.str.contains(r"\d{4}-\d{2}").any()  # months in words, no keys
    # the headline equals the last step: the year's commitments over that year's revenue run rate (May 2026, $25B),
    # an estimate on assumed starts and terms ('about'), never 'at least'; Cerebras's 'more than $20B' falls in the
    # year, so the sum and its ratios say 'or more' (a ratio of a floor keeps the floor's direction)
    title = cash.year_title(view, 2026)
    # the year's commitments keep their floor and name the part an assumed term or start puts in the year
    assert f"about {tables.money(floor)} or more (" in title and "of it on an assumed term or start" in title
    assert f"{floor / 25:.1f}x or more the May 2026 revenue run rate" in title
    assert "at least" not in title and "2025 revenue" not in title and "a year of revenue" not in title
    assert "at least" not in cash.year_sentence(view, 2026)
    # the run rate rests on aggregator pages only (F133): with the figures and sources the title says so
    flagged = cash.year_title(view, 2026, figures, book.sources)
    assert "the May 2026 revenue run rate (aggregator pages only)" in flagged
    # a year with no run rate of its own falls back to the latest calendar year's revenue
    later = cash.year_view(figures, schedule, 2027)
    assert "x or more 2025 revenue" in cash.year_title(later, 2027)
    line = cash.bottom_line(cash.results(figures), view, figures, book.sources, 2026)
    assert line.count("\n- ") == 2 and "aggregator pages only" in line
    # a coverage of one year's forecast, never read as a runway (2027's forecast burn is larger)
    # and set against the burn still to come after the quarter the cash is dated at, not the whole year's
    # issue 20: the remainder is named as part of the year's forecast, never bare beside the table's quarter loss
    assert "3.4 times the $21.3B of 2026's $25B burn forecast still to come" in line
    assert "burn forecast for the rest of" not in line and "years of its" not in line
    # paid in as the money box counts it: payments reported and money in at round closings
    assert "reported paid in" not in line


def test_a_later_year_without_a_forecast_still_reads(book):
    figures = book.figures
    deals = compute.commitments(figures, include_lapsed=False)
    view = cash.year_view(figures, compute.annual_schedule(deals, 5, 1), 2031)
    assert not view.index.str.startswith("cash burn forecast").any()
    assert "burn forecast" not in cash.year_title(view, 2031)
