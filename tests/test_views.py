"""Unit tests for the pure functions behind the ledger, funding and compute notebooks."""

import math

import pandas as pd
import pytest

from helpers import compute, data, funding, ledger, plotting


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return data.load_figures()


def row(**cells) -> dict:
    base = {
        "figure_id": "F900",
        "reported_on": pd.Timestamp("2025-01-15"),
        "event": "deal",
        "part_of": None,
        "subject": "OpenAI",
        "counterparty": "Vendor",
        "category": "cloud_commitment",
        "metric": "amount",
        "unit": "usd_bn",
        "value": 10.0,
        "qualifier": "exact",
        "low": float("nan"),
        "high": float("nan"),
        "basis": None,
        "period": None,
        "term_years": float("nan"),
        "term_basis": "not_reported",
        "start_year": pd.NA,
        "end_year": pd.NA,
        "status": "announced",
        "source_ids": "S01",
        "conflict": None,
        "reading": "used",
        "note": "test",
    }
    base.update(cells)
    return base


# --- words and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (1400, "$1.4T"),
        (852, "$852B"),
        (170.6, "$170.6B"),
        (13.1, "$13.1B"),
        (38 / 7, "$5.43B"),
        (1.25, "$1.25B"),
        (0.35, "$350M"),
        (0, "$0B"),
    ],
)
def test_money(value, text):
    assert ledger.money(value) == text


@pytest.mark.parametrize(
    "args, text",
    [
        ((10, "more_than", 10, None, "usd_bn"), "more than $10B"),
        ((100, "up_to", None, 100, "usd_bn"), "up to $100B"),
        ((None, "range", 852, 1000, "usd_bn"), "$852B to $1T"),
        ((None, "undisclosed", None, None, "usd_bn"), "undisclosed"),
        ((27, "about", None, None, "pct"), "about 27%"),
        ((4.5, "exact", None, None, "gw"), "4.5 GW"),
    ],
)
def test_describe_value(args, text):
    assert ledger.describe_value(*args) == text


def test_latest_does_not_let_a_recap_downgrade_status():
    rows = pd.DataFrame(
        [
            row(figure_id="F001", status="announced", reported_on=pd.Timestamp("2025-11-03")),
            row(figure_id="F002", status="reported", reported_on=pd.Timestamp("2025-12-17")),
        ]
    )
    assert ledger.latest(rows, ["event"])["figure_id"].tolist() == ["F001"]


def test_company_colour_goes_to_the_company_named_first():
    assert plotting.company_of("Amazon, Nvidia, SoftBank, Microsoft and others") == "Amazon"
    assert plotting.company_of("Thrive-led group") == "Thrive"
    assert plotting.company_of("Unnamed investors") == "Others"


def test_status_groups_cover_every_status():
    assert {ledger.status_group(s) for s in data.STATUSES} == {"firm", "tentative", "lapsed"}


# --- schedules --------------------------------------------------------------------------------


def test_schedule_sums_back_to_each_commitment(figures):
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, assumed_term_years=5, assumed_start_delay_years=0)
    sums = schedule.groupby("figure_id")["amount_usd_bn"].sum()
    expected = deals.dropna(subset=["value"]).set_index("figure_id")["value"]
    pd.testing.assert_series_equal(sums.sort_index(), expected.sort_index(), check_names=False)


def test_seven_year_deal_is_spread_evenly():
    rows = pd.DataFrame([row(value=38.0, term_years=7.0, term_basis="reported", provider="Amazon")])
    schedule = compute.annual_schedule(rows, assumed_term_years=5, assumed_start_delay_years=0)
    assert len(schedule) == 7 and schedule["amount_usd_bn"].tolist() == [38 / 7] * 7
    assert schedule["year"].tolist() == list(range(2025, 2032))
    assert not schedule["term_assumed"].any() and schedule["start_assumed"].all()


def test_reported_start_and_end_are_used_and_assumptions_are_flagged():
    dated = pd.Series(row(start_year=2026, end_year=2028))
    assert compute.timing(dated, 5, 0) == (2026, 3, False, False)
    undated = pd.Series(row())
    assert compute.timing(undated, 4, 1) == (2026, 4, True, True)
    ends_only = pd.Series(row(end_year=2028, term_years=3.0))
    assert compute.timing(ends_only, 9, 0) == (2026, 3, False, False)


def test_undisclosed_amount_never_becomes_zero():
    rows = pd.DataFrame(
        [
            row(figure_id="F1", value=10.0, provider="A"),
            row(figure_id="F2", value=float("nan"), qualifier="undisclosed", provider="B"),
        ]
    )
    schedule = compute.annual_schedule(rows, 5, 0)
    assert set(schedule["figure_id"]) == {"F1"}
    assert compute.totals(rows) == {"firm_usd_bn": 10.0, "all_usd_bn": 10.0, "disclosed": 1, "undisclosed": 1}
    assert compute.undisclosed(rows)["figure_id"].tolist() == ["F2"]


def test_schedule_rejects_a_term_below_one_year():
    with pytest.raises(ValueError, match="at least 1"):
        compute.annual_schedule(pd.DataFrame([row(provider="A")]), 0, 0)


# --- capital and investors ---------------------------------------------------------------------


def test_a_deal_reported_twice_counts_once_at_its_newest_size():
    events = pd.DataFrame(
        [
            row(
                figure_id="F1",
                event="round",
                category="funding_round",
                value=100.0,
                qualifier="up_to",
                status="in_talks",
                reported_on=pd.Timestamp("2025-12-01"),
            ),
            row(
                figure_id="F2",
                event="round",
                category="funding_round",
                value=122.0,
                status="closed",
                reported_on=pd.Timestamp("2026-03-31"),
            ),
            row(
                figure_id="F3",
                event="early",
                category="funding_round",
                value=1.0,
                status="closed",
                reported_on=pd.Timestamp("2019-07-22"),
            ),
        ]
    )
    everything = funding.cumulative_capital(events, tuple(ledger.STATUS_ORDER))
    assert everything["total_usd_bn"].tolist() == [1.0, 101.0, 123.0]
    firm = funding.cumulative_capital(events, ledger.FIRM_STATUSES)
    assert firm["total_usd_bn"].tolist() == [1.0, 123.0]


def test_committed_is_kept_apart_from_paid(figures):
    deals = funding.investor_deals(figures).set_index(["investor", "event"])
    amazon = deals.loc[("Amazon", "amazon-investment")]
    assert (amazon["total_usd_bn"], amazon["upfront_usd_bn"], amazon["conditional_usd_bn"]) == (50, 15, 35)
    assert deals.loc[("SoftBank", "round-2025-03"), "paid_usd_bn"] == 30  # 7.5 + 22.5 in two closings
    summary = funding.investor_summary(figures)
    assert summary.loc["Microsoft", "reported_committed_usd_bn"] == 13
    assert summary.loc["Microsoft", "reported_funded_usd_bn"] == 11.8
    assert summary.loc["Microsoft", "undisclosed_deals"] == 1


def test_two_way_flows_count_each_dollar_once(figures):
    flows = compute.two_way_flows(
        compute.commitments(figures), compute.vendor_pledges(figures), funding.investor_summary(figures)
    )
    amazon = flows.loc["Amazon"]
    assert amazon["committed_back_usd_bn"] == 38 + 100
    assert amazon["net_to_company_usd_bn"] == amazon["committed_back_usd_bn"] - amazon["invested_usd_bn"]
    assert flows.loc["Nvidia", "lapsed_pledge_usd_bn"] == 100


def test_scope_totals_per_year(figures):
    scope = compute.scope_totals(figures).set_index("metric")
    ceo = scope.loc["commitments_total"]
    assert math.isclose(ceo["per_year_usd_bn"], ceo["value"] / ceo["years"])


# --- outputs follow the data ------------------------------------------------------------------


def test_funding_bottom_line_follows_a_changed_figure(data_copy):
    from tests.conftest import read_rows, write_rows

    path = data_copy / "figures.csv"
    rows = read_rows(path)
    header = rows[0]
    for cells in rows[1:]:
        if (
            cells[header.index("event")] == "round-2026"
            and cells[header.index("status")] == "closed"
            and cells[header.index("category")] == "funding_round"
        ):
            cells[header.index("value")] = "150"
    write_rows(path, rows)
    changed = data.load_figures(path, data_copy / "sources.csv")
    before = funding.bottom_line(data.load_figures(), ledger.FIRM_STATUSES)
    after = funding.bottom_line(changed, ledger.FIRM_STATUSES)
    assert "**$170.6B**" in before and "**$198.6B**" in after


def test_computed_prose_escapes_dollars_so_markdown_shows_no_math():
    from helpers import prose

    text = "a $1T listing needs **$40B**"
    assert prose.md(text).data == f"a {prose.DOLLAR}1T listing needs **{prose.DOLLAR}40B**"
    assert prose.plain(prose.md(text).data) == text
