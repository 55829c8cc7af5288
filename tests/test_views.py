"""Unit tests for the pure functions behind the ledger, funding and compute notebooks."""

import math
import re

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import compute, funding, funding_words, ledger, running_total
from helpers.analysis import flows as flows_of
from helpers.charts import grammar
from helpers.data import views, vocabulary
from helpers.notebook import tables


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
    assert tables.money(value) == text


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
    assert views.describe_value(*args) == text


def test_latest_does_not_let_a_recap_downgrade_status():
    rows = pd.DataFrame(
        [
            row(figure_id="F001", status="announced", reported_on=pd.Timestamp("2025-11-03")),
            row(figure_id="F002", status="reported", reported_on=pd.Timestamp("2025-12-17")),
        ]
    )
    assert views.latest(rows, ["event"])["figure_id"].tolist() == ["F001"]


def test_company_colour_goes_to_the_company_named_first():
    assert grammar.company_of("Amazon, Nvidia, SoftBank, Microsoft and others") == "Amazon"
    assert grammar.company_of("Thrive-led group") == "Thrive"
    assert grammar.company_of("Unnamed investors") == "Others"


def test_status_groups_cover_every_status():
    assert {vocabulary.status_group(s) for s in vocabulary.STATUSES} == {"firm", "tentative", "lapsed"}


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
            row(figure_id="F2", event="other-deal", value=float("nan"), qualifier="undisclosed", provider="B"),
        ]
    )
    schedule = compute.annual_schedule(rows, 5, 0)
    assert set(schedule["figure_id"]) == {"F1"}
    assert compute.totals(rows) == {
        "firm_usd_bn": 10.0,
        "all_usd_bn": 10.0,
        "ceilings_usd_bn": 0.0,
        "disclosed": 1,
        "undisclosed": 1,
    }
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
    everything = funding.cumulative_capital(events, tuple(vocabulary.STATUSES))
    # "up to $100B" in talks adds nothing to the floor and 100 to the ceiling
    assert everything["total_usd_bn"].tolist() == [1.0, 1.0, 123.0]
    assert everything["ceiling_usd_bn"].tolist() == [1.0, 101.0, 123.0]
    firm = funding.cumulative_capital(events, vocabulary.FIRM_STATUSES)
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
    flows = flows_of.two_way_flows(
        compute.commitments(figures), compute.vendor_pledges(figures), funding.investor_summary(figures)
    )
    amazon = flows.loc["Amazon"]
    assert amazon["committed_back_usd_bn"] == 38 + 100
    # Amazon's $50B is $15B up front, paid in at the round's close (8-K), plus $35B conditional; never netted
    assert (amazon["invested_unconditional_usd_bn"], amazon["invested_conditional_usd_bn"]) == (15, 35)
    assert amazon["paid_in_usd_bn"] == 15
    assert "net_to_company_usd_bn" not in flows
    assert flows.loc["Microsoft", "invested_usd_bn"] == 13 and flows.loc["Microsoft", "paid_in_usd_bn"] == 11.8
    assert flows.loc["Nvidia", "lapsed_pledge_usd_bn"] == 100


def test_flows_list_what_suppliers_hand_back_and_the_capacity_behind(figures):
    deals = compute.commitments(figures)
    flows = flows_of.two_way_flows(deals, compute.vendor_pledges(figures), funding.investor_summary(figures), figures)
    # every company money flows both ways with, from the ledger: investors that sell, and suppliers with stakes
    assert {"Microsoft", "Amazon", "Nvidia", "AMD", "CoreWeave"} <= set(flows.index)
    assert flows.loc["AMD", "to_openai"] == "a warrant for up to 160M shares"  # F072
    assert flows.loc["CoreWeave", "to_openai"] == "shares worth $350M"  # F057
    # CoreWeave purchases at their floor: 11.9 + 4, the "up to" $6.5B apart
    assert (flows.loc["CoreWeave", "committed_back_usd_bn"], flows.loc["CoreWeave", "back_up_to_usd_bn"]) == (15.9, 6.5)
    # Nvidia has no contract of its own, but the $38B AWS contract is Nvidia GPU capacity (F075)
    assert flows.loc["Nvidia", "committed_back_usd_bn"] == 0 and flows.loc["Nvidia", "indirect_usd_bn"] == 38
    assert flows.loc["AMD", "capacity"] == "6 GW" and flows.loc["Nvidia", "capacity"] == ""  # the lapsed LOI's 10 GW
    text = flows_of.flow_sentence(flows, deals)
    assert "no direct purchase commitment" in text and "runs on its chips" in text
    text = flows_of.flow_sentence(flows, compute.commitments(figures))
    assert "Net" not in text and "not netted" in text
    assert "**Amazon**: $15B paid in by Mar 2026; $35B conditional" in text


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
    before = funding_words.bottom_line(data.load_figures(), vocabulary.FIRM_STATUSES)
    after = funding_words.bottom_line(changed, vocabulary.FIRM_STATUSES)
    # the closed 2026 round grows by 28, money no named investor accounts for: it came in at the close,
    # so raised and paid in follow; committed and conditional do not
    assert "**raised $147.6B**" in before and "**raised $175.6B**" in after
    assert "$106.4B paid in, $41.2B committed" in before and "$134.4B paid in, $41.2B committed" in after


def test_computed_prose_escapes_dollars_so_markdown_shows_no_math():
    from helpers.notebook import prose

    text = "a $1T listing needs **$40B**"
    assert prose.md(text).data == f"a {prose.DOLLAR}1T listing needs **{prose.DOLLAR}40B**"
    assert prose.plain(prose.md(text).data) == text


# --- issue 10: money raised, one Microsoft number, no phantom spending, no double count ----------


def test_money_raised_leads_with_paid_then_committed_then_conditional(figures):
    blocks = funding.money_raised(figures, vocabulary.FIRM_STATUSES).set_index("event")
    sums = funding.raised_totals(blocks)
    # worked by hand from data/figures.csv. Paid in, reported one by one: Microsoft 11.8 (10-Q, Mar 2026),
    # SoftBank 7.5 + 22.5 (2025 round), co-investors 11, SoftBank 10 + 10 (2026 round tranches) = 72.8.
    # Paid in at closings: Oct 2024 round 6.6 (closed, no tranche due later); 2026 round: Amazon's 15 up front
    # (closing per the 8-K), individuals' 3 (placed at the close) and the 9 no named investor accounts for.
    assert sums["paid_usd_bn"] == pytest.approx(72.8 + 6.6 + 15 + 3 + 9) == pytest.approx(106.4)
    assert sums["paid_at_close_usd_bn"] == pytest.approx(6.6 + 15 + 3 + 9)
    # conditional: Amazon's tranche only (SoftBank's third $10B tranche is due, not conditional)
    assert sums["conditional_usd_bn"] == 35
    # total: Microsoft's filed 13 + rounds 6.6 + 41 + 122
    assert sums["total_usd_bn"] == pytest.approx(13 + 6.6 + 41 + 122)
    # committed, not yet paid: Nvidia's 30 (paid in instalments over the year, none reported), SoftBank's
    # third tranche 10, Microsoft 13 - 11.8 = 1.2
    assert blocks.loc["round-2026", "unpaid_usd_bn"] == pytest.approx(30 + 10)
    assert sums["unpaid_usd_bn"] == pytest.approx(41.2)
    assert sums["raised_usd_bn"] == pytest.approx(147.6)  # never the conditional 35
    assert sums["paid_as_of"] == pd.Timestamp("2026-07-01")
    box = funding_words.money_box(figures, vocabulary.FIRM_STATUSES)
    assert box["amount_usd_bn"].tolist() == pytest.approx([106.4, 41.2, 147.6, 35, 0])
    assert "files for a stock-market listing" in box.loc["conditional", "what_it_means"]
    text = funding_words.bottom_line(figures, vocabulary.FIRM_STATUSES)
    first, second, third = text.splitlines()
    assert first.startswith("- OpenAI **raised $147.6B** from investors by Jul 2026: $106.4B paid in, $41.2B")
    assert second.startswith("- A further **$35B was conditional**, so not counted as raised")
    assert "$182.6B" not in text and "$170.6B" not in text


def test_raised_over_time_ends_at_the_box_and_never_holds_conditional_money(figures):
    firm = running_total.raised_over_time(figures, vocabulary.FIRM_STATUSES)
    # Mar 2026: 1 (Microsoft 2019) + 6.6 + 41 + 122 - 35 = 135.6; the 10-Q (May 2026) replaces Microsoft's 1 by 13
    assert firm.set_index("reported_on").loc["2026-03-31", "total_usd_bn"] == pytest.approx(135.6)
    assert firm["total_usd_bn"].iloc[-1] == pytest.approx(147.6)
    # the $110B announcement (Feb 2026) already came with Amazon's conditional $35B: 110 - 35 = 75 more
    assert firm.set_index("reported_on").loc["2026-02-27", "total_usd_bn"] == pytest.approx(48.6 + 75)


def test_a_condition_must_be_named(data_copy, monkeypatch):
    monkeypatch.setattr(funding, "CONDITIONS", {})
    with pytest.raises(ValueError, match="amazon-investment"):
        funding.conditions(data.load_figures())


def test_microsoft_has_one_number_and_its_bound_is_never_summed(figures):
    summary = funding.investor_summary(figures)
    microsoft = summary.loc["Microsoft"]
    # deals: 1 + about 2 + about 10 (outside rounds, replaced by the 10-Q's 13), less than 1 (Oct 2024), undisclosed
    assert microsoft["replaced_deals_usd_bn"] == 1 + 2 + 10
    assert microsoft["committed_usd_bn"] + microsoft["tentative_usd_bn"] == 13  # not 14
    assert microsoft["ceiling_usd_bn"] == math.inf  # the undisclosed 2026 share has no ceiling
    assert "less than $1B" in microsoft["unsummed"] and "undisclosed" in microsoft["unsummed"]
    sentence = funding_words.investor_sentence(summary, funding.investor_deals(figures))
    text = funding_words.microsoft_sentence(figures)
    assert "Microsoft: its filing puts its investment at **$13B**, **$11.8B of it paid in** by Mar 2026" in text
    microsoft_line = next(line for line in sentence.splitlines() if "**Microsoft**" in line)
    assert microsoft_line.startswith("- **Microsoft** at least $13B over 5 deals") and "$14B" not in microsoft_line


def test_bounds_sum_as_floor_and_ceiling():
    rows = pd.DataFrame(
        [
            row(value=1.0, qualifier="exact"),
            row(value=1.0, qualifier="less_than", high=1.0),
            row(value=3.0, qualifier="more_than", low=3.0),
            row(value=float("nan"), qualifier="undisclosed"),
            row(value=float("nan"), qualifier="range", low=2.0, high=4.0),
        ]
    )
    assert funding.amount_floor(rows).tolist() == [1.0, 0.0, 3.0, 0.0, 2.0]
    assert funding.amount_ceiling(rows).tolist() == [1.0, 1.0, math.inf, math.inf, 4.0]
    assert funding.describe_bounds(13, 14) == "$13B to $14B"
    assert funding.describe_bounds(13, math.inf) == "at least $13B"
    assert funding.describe_bounds(0, 1) == "up to $1B"
    assert funding.describe_bounds(13, 13) == "$13B"


def test_default_start_delay_puts_no_commitment_into_2025(figures):
    deals = compute.commitments(figures, include_lapsed=False)
    old = compute.annual_schedule(deals, 5, 0)
    new = compute.annual_schedule(deals, 5, 1)
    # with the start in the year reported, Microsoft's $250B spread from 2025 made $59.9B of 2025 "spending"
    assert old.loc[old["year"] == 2025, "amount_usd_bn"].sum() == pytest.approx(250 / 5 + 38 / 7 + (11.9 + 4 + 6.5) / 5)
    assert new["year"].min() == 2026
    azure = new[new["event"] == "microsoft-azure"]
    assert azure["year"].tolist() == [2026, 2027, 2028, 2029, 2030] and azure["assumed"].all()
    oracle = new[new["event"] == "oracle-cloud"]
    assert not oracle["assumed"].any()  # Oracle's 2027-2031 is reported
    # an "up to" deal is spread as stated but adds nothing to the floor
    coreweave = new[new["event"] == "coreweave-2025-09"]
    assert coreweave["amount_usd_bn"].sum() == pytest.approx(6.5) and coreweave["floor_usd_bn"].sum() == 0
    text = compute.bottom_line(deals, new, figures, 5)
    assert "on assumed 5-year terms" in text and "2025" not in text.splitlines()[1]


def test_trainium_is_counted_inside_the_aws_expansion(figures):
    deals = compute.commitments(figures, include_lapsed=False)
    inside = compute.included_in_disclosed(deals)
    assert set(inside["event"]) == {"amazon-trainium", "aws-expansion-2026"}
    assert set(inside["included_in"]) == {"aws-expansion-2026"}
    assert sorted(compute.undisclosed(deals)["provider"]) == ["AMD", "Broadcom", "Google"]
    assert compute.totals(deals)["undisclosed"] == 3
    assert "3 deals had no disclosed amount" in compute.bottom_line(
        deals, compute.annual_schedule(deals, 5, 1), figures, 5
    )


def test_without_a_filing_microsoft_is_the_sum_of_its_deals_with_bounds_named(data_copy):
    from tests.conftest import read_rows, write_rows

    path = data_copy / "figures.csv"
    rows = read_rows(path)
    header = rows[0]
    kept = [rows[0]] + [r for r in rows[1:] if r[header.index("event")] != "microsoft-cumulative"]
    write_rows(path, kept)
    figures = data.load_figures(path, data_copy / "sources.csv")
    microsoft = funding.investor_summary(figures).loc["Microsoft"]
    # 1 (2019, announced) + about 2 + about 10 (press reports); less than 1 and undisclosed add nothing
    assert (microsoft["committed_usd_bn"], microsoft["tentative_usd_bn"]) == (1, 12)
    assert "Microsoft: about $13B or more over 5 deals; no filing" in funding_words.microsoft_sentence(figures)


# --- bounds in totals, qualifiers in words, money nobody is named for (worked by hand) -----------


def test_year_table_total_is_a_floor_and_ceilings_sit_apart():
    rows = pd.DataFrame(
        [
            row(figure_id="F1", event="a", value=10.0, term_years=2.0, start_year=2026, provider="A"),
            row(figure_id="F2", event="b", value=6.0, qualifier="up_to", term_years=3.0, start_year=2026, provider="B"),
            row(figure_id="F3", event="c", value=9.0, qualifier="about", term_years=3.0, start_year=2027, provider="A"),
        ]
    )
    table = compute.year_table(compute.annual_schedule(rows, 5, 0))
    # A: 10/2 = 5 in 2026 and 2027, plus about 9/3 = 3 in 2027-2029; B: up to 6/3 = 2 a year, never in the total
    total, ceiling = table.loc["total, counting no ceiling"], table.loc["plus up to (B), not in the total"]
    assert total.tolist() == [5.0, 8.0, 3.0, 3.0]
    assert ceiling.tolist() == [2.0, 2.0, 2.0, 0.0]
    assert table.loc["B"].tolist() == [0.0, 0.0, 0.0, 0.0]
    # every column adds up to its total
    providers = table.drop(index=["total, counting no ceiling", "plus up to (B), not in the total"])
    assert providers.sum().tolist() == total.tolist()


def test_year_table_agrees_with_the_bottom_line(figures):
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, 5, 1)
    total = compute.year_table(schedule).loc["total, counting no ceiling"]
    # 2026: Amazon 38/7 + CoreWeave 11.9/5 + 4/5 + Microsoft 250/5 + Cerebras more than 20/3 (2026-2028, as the
    # January report gave it); CoreWeave's up to $6.5B (1.3 a year) left out
    assert total[2026] == pytest.approx(38 / 7 + 2.38 + 0.8 + 50 + 20 / 3)
    assert total[2026] == pytest.approx(65.28, abs=0.01)
    # 2027 adds Amazon's 100/8 and Oracle's about 300/5; 2029 has no Cerebras left: the plateau is 2027-28
    assert total[2027] == pytest.approx(38 / 7 + 12.5 + 20 / 3 + 3.18 + 50 + 60) == pytest.approx(total[2028])
    assert total[2029] == pytest.approx(total[2027] - 20 / 3)
    text = compute.bottom_line(deals, schedule, figures, 5)
    window = sum(total[year] for year in range(2026, 2031))
    # 65.28 + 137.78 + 137.78 + 131.11 + 131.11 (the analyst's $603.1B had Cerebras a year late)
    assert window == pytest.approx(603.04, abs=0.01) and "Over 2026-2030 they total about **$603B**" in text
    # Cerebras' reported window is kept; a start and a term are assumed separately (AWS: start assumed, term reported);
    # the counts are in the schedule chart's title, the bottom line only says the terms are partly assumed (issue 20)
    assert (
        f"they total about **{tables.money(window)}** (" in text
        and f"about {tables.money(window)} over 2026 to 2030"
        in compute.scope_sentence(compute.scope_totals(figures), schedule)
    )


def test_a_reported_window_is_kept_when_the_newest_row_gives_none(figures):
    deals = compute.commitments(figures, include_lapsed=False).set_index("event")
    # F162 (Apr 2026) gives three years and no start; F076 (Jan 2026) gave 2026-2028 for the same deal
    assert deals.loc["cerebras", ["start_year", "end_year"]].tolist() == [2026, 2028]
    first, years, term_assumed, start_assumed = compute.timing(deals.loc["cerebras"], 5, 1)
    assert (first, years, term_assumed, start_assumed) == (2026, 3, False, False)


def test_floor_words_keep_each_part_kind():
    assert funding.floor_words(388, 0, 0) == "$388B"
    assert funding.floor_words(388, 0, 20) == "at least $408B"
    assert funding.floor_words(0, 300, 0) == "about $300B"
    # 403.9 exact + about 300 + more than 20 = 723.9: "at least" would hide that $300B is only about
    assert funding.floor_words(403.9, 300, 20) == "about $723.9B or more ($403.9B exact, about $300B and at least $20B)"
    assert funding.describe_bounds(1.25, 1.25, about=True) == "about $1.25B"
    assert funding.describe_bounds(14, math.inf, about=True) == "about $14B or more"


def test_compute_totals_keep_only_the_bounds_the_pages_give(figures):
    deals = compute.commitments(figures, include_lapsed=False)
    words = compute.commitment_words(deals)
    # Oracle's $300B (F063) is stated flat on both pages read since December 2026, so no 'about' is left in the
    # total; the 'more than' rows keep it a floor
    assert words.startswith("at least $723.9B") and "about" not in words
    assert "at least $723.9B" not in compute.bottom_line(deals, compute.annual_schedule(deals, 5, 1), figures, 5)


def test_amazon_reads_as_committed_with_its_conditional_part(figures):
    flows = flows_of.two_way_flows(
        compute.commitments(figures), compute.vendor_pledges(figures), funding.investor_summary(figures), figures
    )
    text = flows_of.flow_sentence(flows, compute.commitments(figures))
    assert "Amazon** invested" not in text
    # committed means without conditions: Amazon's conditional $35B is never inside a 'committed' figure
    assert "**Amazon**: $15B paid in by Mar 2026; $35B conditional" in text
    assert "committed $50B" not in text and "of which $35B is conditional" not in text
    # a 'more than' keeps its bound, and a deal is dated when it was made, not when a filing reported it
    assert (
        "OpenAI committed to buy more than $20B from it (more than $20B, made Jan 2026, reported signed Apr 2026"
        in text
    )
    assert "signed Apr 2026" not in text.replace("reported signed Apr 2026", "")
    # press-reported purchases say so
    assert "Press reports say OpenAI committed to buy $15.9B from it" in text
    assert "**Nvidia** committed about $30.1B" in text  # 0.1 about + 30


def test_investor_amounts_keep_about(figures):
    investors = funding.investor_summary(figures)
    text = funding_words.investor_sentence(investors, funding.investor_deals(figures))
    # Thrive exact (F028, as its page gives it); SoftBank 0.5 about + 30 + 30
    assert "**Thrive** $1.25B" in text and "**SoftBank** about $60.5B" in text
    assert "**Amazon** $50B" in text


def test_round_money_not_attributed_to_a_named_investor(figures):
    firm = ("announced", "definitive", "closed")
    rest = funding.unattributed(figures, firm).set_index("event")
    # Oct 2024: 6.6 - (Thrive 1.25 + SoftBank 0.5 + Nvidia 0.1 + Microsoft less than 1 at 0) = 4.75, at least 3.75
    assert rest.loc["round-2024-10", "rest_usd_bn"] == pytest.approx(4.75)
    assert rest.loc["round-2024-10", "rest_floor_usd_bn"] == pytest.approx(3.75)
    # Mar 2025: 41 - (SoftBank 30 + co-investors 11) = 0; 2026: 122 - (Amazon 50 + Nvidia 30 + SoftBank 30 + 3) = 9
    assert rest.loc["round-2025-03", "rest_usd_bn"] == pytest.approx(0)
    assert rest.loc["round-2026", "rest_usd_bn"] == pytest.approx(9)
    table = funding_words.investor_table(figures, firm)
    # the total column never holds conditional money: 168.85 named less Amazon's conditional 35
    named = table.drop(index=[funding_words.UNATTRIBUTED_ROW, funding_words.TOTAL_ROW])[
        "total_not_conditional_usd_bn"
    ].sum()
    assert named == pytest.approx(133.85)
    assert table.loc[funding_words.UNATTRIBUTED_ROW, "total_not_conditional_usd_bn"] == pytest.approx(13.75)
    # the total row is the box's raised (147.6), not 182.6; deals counted once each (a round, not its parts): 6
    total = funding_words.TOTAL_ROW
    assert table.loc[total, "total_not_conditional_usd_bn"] == pytest.approx(box_raised := 147.6)
    assert table.loc[total, "stated"] == tables.money(box_raised)
    # the column counts the deals each investor took part in (14 in all); the total row says it counts each deal once
    assert table.loc[total, "deals_taken_part_in"] == 6 and "each deal counted once" in total
    assert table.drop(index=[funding_words.UNATTRIBUTED_ROW, total])["deals_taken_part_in"].sum() == 14
    # each column adds up to the money box: paid in 106.4, committed 41.2, conditional 35
    box = funding_words.money_box(figures, firm)["amount_usd_bn"]
    for column, kind in (("paid_in_usd_bn", "paid in"), ("committed_usd_bn", "committed")):
        assert table.loc[total, column] == pytest.approx(box[kind])
        assert table.drop(index=total)[column].sum() == pytest.approx(box[kind])
    assert table.loc[total, "conditional_usd_bn"] == pytest.approx(box["conditional"])
    # the unattributed money is in the totals, so it is stated as an amount, not as a ceiling ('up to')
    assert table.loc[funding_words.UNATTRIBUTED_ROW, "stated"] == "about $13.8B"
    # the ceiling is the ceiling of the total column: Amazon's conditional $35B is in neither
    assert table.loc["Amazon", "ceiling_of_total_usd_bn"] == pytest.approx(
        table.loc["Amazon", "total_not_conditional_usd_bn"]
    )
    named_rows = table.drop(index=[funding_words.UNATTRIBUTED_ROW, total])
    bounded = named_rows["ceiling_of_total_usd_bn"].notna()
    assert (
        named_rows.loc[bounded, "ceiling_of_total_usd_bn"]
        >= named_rows.loc[bounded, "total_not_conditional_usd_bn"] - 1e-9
    ).all()
    text = funding_words.unattributed_sentence(figures, firm)
    # 168.85 named, less Amazon's conditional 35, is 133.85 of the 147.6 raised; the rest is round money
    assert "account for about $133.8B of the $147.6B raised" in text and "about $13.8B is round money" in text


def test_softbank_gap_and_unpaid_tranche_are_said(figures):
    gap = funding_words.cumulative_gap_sentence(figures)
    # F171's $64.6B (Jun 2026, repeating F104 of Mar 2026) against the ledger's 0.5 + 30 + 30 = 60.5: about $4.1B more
    assert "SoftBank's own expected total is $64.6B (Jun 2026), about $4.1B more than the about $60.5B" in gap
    tranches = funding.unpaid_tranches(figures)
    assert tranches["figure_id"].tolist() == ["F116"]  # F040's Dec 2025 tranche was paid (F041)
    text = funding_words.tranche_sentence(figures)
    assert "SoftBank's $10B tranche of the 2026 funding round was due Oct 2026" in text
    assert "no payment of it is reported" in text


def test_prose_names_deals_in_words_not_event_keys(figures):
    """Bottom lines and history sentences use the ledger's readable deal names, never an event slug."""
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, 5, 1)
    flows = flows_of.two_way_flows(deals, compute.vendor_pledges(figures), funding.investor_summary(figures), figures)
    prose_text = (
        compute.bottom_line(deals, schedule, figures, 5)
        + flows_of.flow_sentence(flows, deals)
        + ledger.history_sentence(figures, "amazon-investment")
    )
    keys = [event for event in figures["event"].unique() if "-" in event or event.isalpha() and event.islower()]
    found = [key for key in keys if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", prose_text)]
    assert found == [], f"event keys in prose: {found}"
    assert "AWS cloud contract (Nov 2025)" in prose_text and "Amazon's investment (2026 round)" in prose_text


# --- issue 18: 01 counts deals as deals and a disagreement as a disagreement ---------------------


def test_deal_counts_count_deals_not_figures(figures):
    deals = ledger.deals(figures)
    assert deals["event"].is_unique and not deals["category"].isin(["projection", "revenue", "valuation"]).any()
    groups = deals["group"].value_counts()
    text = ledger.firmness_sentence(figures)
    assert text.startswith(f"Of {len(deals)} deals, {groups['firm']} were announced, signed or closed")
    assert "161" not in text  # the rows of the ledger are not deals
    # a part of another deal (an investor's share of the 2026 round, Trainium chips inside the AWS expansion) is
    # counted once, inside the whole, as notebooks 02 and 03 count it
    for part in ("amazon-investment", "nvidia-equity-2026", "softbank-2026", "microsoft-round-2026", "amazon-trainium"):
        assert part not in set(deals["event"]), part
    assert {"round-2026", "aws-expansion-2026"} <= set(deals["event"])
    # Microsoft's 2021 and 2023 deals (press figures) are firm at its 10-Q's status, as 02 counts their money
    # the SoftBank bridge loan is SoftBank's borrowing, not a deal OpenAI is party to; no deal is at talks or a letter
    # of intent, so the phrase names press reports only
    assert text.startswith("Of 22 deals, 14 were announced, signed or closed, 7 rested on press reports")
    assert "1 was dropped or replaced" in text
    assert "every reading is kept" in ledger.bottom_line(
        figures, data.load_sources(), funding_words.money_box(figures, vocabulary.FIRM_STATUSES)
    )


def test_the_parts_named_add_to_the_deal_total(figures):
    # issue 20: the headline, key numbers and bottom line named firm and tentative deals only (14 + 7 of 22)
    from helpers.analysis import story_leads

    words = ledger.deal_parts_words(figures)
    parts = [int(n) for n in re.findall(r"(?:^|, | and )(\d+) (?:were|rested|lapsed)", words)]
    assert len(parts) == 3 and sum(parts) == len(ledger.deals(figures)), words
    box = funding_words.money_box(figures, vocabulary.FIRM_STATUSES)
    lead = story_leads.ledger_lead(figures, data.load_sources(), box)
    assert words in lead.headline and words in ledger.bottom_line(figures, data.load_sources(), box)
    # the key numbers: the firm count 'of 22 deals', the tentative one with the lapsed count beside it
    labels = " ".join(f"{n} {label}" for n, label in lead.numbers)
    counts = re.search(r"(\d+) of (\d+) deals .*?(\d+) deals resting on .*?; (\d+) lapsed", labels)
    assert counts, labels
    firm, total, tentative, lapsed = (int(g) for g in counts.groups())
    assert firm + tentative + lapsed == total == len(ledger.deals(figures)), labels


def test_a_group_where_every_row_is_used_is_not_a_disagreement(figures):
    kinds = ledger.disagreements(figures)
    # calendar revenue beside a run rate, a pre-money beside its post-money: different measures
    for group in ("revenue-2024-basis", "revenue-2025-basis", "commitments-scope", "round-2026-basis"):
        assert kinds[group] == "different measures"
    assert kinds["amazon-dec-amount"] == "disagreement"
    real = int(kinds.eq("disagreement").sum())
    assert f"Sources disagree on {real} figures" in ledger.conflict_sentence(figures)
    assert f"sources disagreed on {real}," in ledger.bottom_line(
        figures, data.load_sources(), funding_words.money_box(figures, vocabulary.FIRM_STATUSES)
    )


def test_biggest_round_is_compared_without_its_conditional_money(figures):
    text = funding_words.biggest_round_sentence(figures, vocabulary.FIRM_STATUSES)
    # 2026 round: 122 - 35 conditional = 87 raised; earlier raised: 6.6 + 41 + 13 (Microsoft's 10-Q) = 60.6
    assert "raised $87B" in text and f"{87 / 60.6:.1f}x" in text and "$35B conditional" in text
    assert f"{122 / 60.6:.1f}x" not in text


# --- the review of Dec 2026 (issues 18 and 19): numbers a reader checks against the ledger ---------------------


def test_per_share_rate_runs_between_the_dates_prices_were_set(figures):
    from helpers.analysis import valuation

    rounds = valuation.priced_rounds(figures)
    years = (rounds["priced_on"].iloc[-1] - rounds["priced_on"].iloc[0]).days / vocabulary.DAYS_PER_YEAR
    assert funding_words.per_share_years(figures) == pytest.approx(years)
    assert years == pytest.approx(1.405, abs=0.005)  # 2 Oct 2024 to 27 Feb 2026, not to the close
    index = valuation.value_per_share(rounds).iloc[-1]
    rate = index ** (1 / years) - 1
    assert f"about {rate:.0%} a year" in funding_words.per_share_sentence(figures)
    assert "about 170% a year" in funding_words.per_share_sentence(figures)


def test_conflict_table_names_groups_in_words(figures):
    table = ledger.conflicts(figures, data.load_sources())
    keys = set(figures["conflict"].dropna())
    assert not set(table["conflict"]) & keys
    assert all(re.match(r"\d+\. \S", name) for name in table["conflict"])


def test_the_raised_table_totals_what_was_raised_never_conditional_money(figures):
    """The 2026 round raised 47 paid in + 40 committed = $87B; its $35B conditional stays in its own column."""
    table = funding_words.raised_table(funding.money_raised(figures, vocabulary.FIRM_STATUSES))
    total = table["total_not_conditional_usd_bn"]
    assert total.loc["the 2026 funding round (closed Mar 2026)"] == pytest.approx(87.0)
    assert total.sum() == pytest.approx(147.6)  # the money box's raised, not 182.6


def test_the_cross_check_counts_press_reports_apart(figures):
    """On 18 Dec 2025: 6.6 + 40 + 1 = $47.6B raised; Microsoft's press-reported $12B only in brackets."""
    text = funding_words.cross_check_sentence(figures, vocabulary.FIRM_STATUSES)
    assert "had raised $47.6B ($59.6B counting amounts then known only from press reports)" in text
