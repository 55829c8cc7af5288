"""Valuation math: hand-computed cases and properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.analysis import valuation

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.floats(min_value=0.05, max_value=50, allow_nan=False)
dilution = st.floats(min_value=0.0, max_value=0.999, allow_nan=False)


# --- by hand ---------------------------------------------------------------------------------


def test_step_up_by_hand():
    assert valuation.step_up(500, 852) == pytest.approx(1.704)


def test_cagr_by_hand():
    # 157 -> 852 over 1.5 years: (852/157) ** (1/1.5) - 1 = 2.0881...
    assert valuation.implied_cagr(157, 852, 1.5) == pytest.approx(2.08811, rel=1e-5)
    assert valuation.implied_cagr(100, 121, 2) == pytest.approx(0.10)


def test_stake_for_amazon_talks_by_hand():
    # $10B at a $500B post-money buys 2%; 10% dilution leaves 1.8%; at $1T that is $18B, 1.8x
    out = valuation.listing_outcome(10, 500, 1000, 0.10, 1.93)
    assert out["stake"] == pytest.approx(0.02)
    assert out["diluted_stake"] == pytest.approx(0.018)
    assert out["value"] == pytest.approx(18)
    assert out["multiple"] == pytest.approx(1.8)
    assert out["annual_return"] == pytest.approx(1.8 ** (1 / 1.93) - 1)


def test_round_stake_is_the_cheque_over_the_round_post_money_by_hand():
    # 2026 round: $730B pre-money plus $122B of new money at the close = $852B post-money ($110B -> $840B announced)
    assert valuation.post_money(730, 122) == 852
    assert valuation.post_money(730, 110) == 840
    # $10B in that round buys 10/852 = 1.1737% (not 10/(730+10) = 1.3514%, which ignores the other new money)
    assert valuation.stake_bought(10, 852) == pytest.approx(0.011737, abs=1e-6)
    assert valuation.stake_bought(10, 840) == pytest.approx(0.011905, abs=1e-6)
    assert valuation.stake_bought(10, 852) != pytest.approx(10 / 740)


def test_round_stake_at_a_1t_listing_by_hand():
    # 1.1737% less 10% dilution = 1.0563%; at $1T that is $10.563B for $10B: 1.06x (the old maths said 1.22x)
    close = valuation.listing_outcome(10, 852, 1000, 0.10, 1.65)
    assert close["diluted_stake"] == pytest.approx(0.010563, abs=1e-6)
    assert close["value"] == pytest.approx(10.563, abs=1e-3)
    assert close["multiple"] == pytest.approx(1.0563, abs=1e-4)
    assert round(float(close["multiple"]), 2) == 1.06
    # at the announcement: 10/840 * 0.9 * 1000 / 10 = 1.0714x
    assert valuation.listing_outcome(10, 840, 1000, 0.10, 1.7)["multiple"] == pytest.approx(1.0714, abs=1e-4)


def test_bear_case_at_the_close_by_hand():
    # $600B listing after 15% dilution for a buyer at $852B: 600 * 0.85 / 852 = 0.5986x, a 40% loss
    bear = valuation.listing_outcome(10, 852, 600, 0.15, 2.65)
    assert bear["multiple"] == pytest.approx(0.5986, abs=1e-4)
    assert bear["annual_return"] == pytest.approx(0.5986 ** (1 / 2.65) - 1, abs=1e-4)
    assert bear["annual_return"] < 0


def test_breakeven_listing_by_hand():
    # bought at $852B, 10% dilution: the stake is worth its cheque again at 852 / 0.9 = $946.67B
    assert valuation.breakeven_listing(852, 0.10) == pytest.approx(946.667, abs=1e-3)
    assert valuation.listing_outcome(10, 852, 852 / 0.9, 0.10, 1)["multiple"] == pytest.approx(1.0)


# --- bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "qualifier, bound",
    [("more_than", "at_least"), ("at_least", "at_least"), ("up_to", "at_most"), ("about", "about"), ("exact", "exact")],
)
def test_qualifier_gives_a_direction(qualifier, bound):
    assert valuation.bound_of(qualifier) == bound


def test_range_has_no_single_bound():
    with pytest.raises(ValueError, match="range"):
        valuation.bound_of("range")


def test_bounds_through_the_multiple_by_hand():
    # entry "more than $500B": $10B buys at most 2%, so at $1T after 10% dilution the multiple is AT MOST 1.80x
    assert valuation.multiple_bound("at_least", "exact") == "at_most"
    assert valuation.with_bound("1.80x", valuation.multiple_bound("at_least", "exact")) == "at most 1.80x"
    # listing "up to $1T" is a ceiling on the value and so on the multiple, even at an exact price
    assert valuation.multiple_bound("exact", "at_most") == "at_most"
    # a floor on the price and a ceiling on the listing agree: at most
    assert valuation.multiple_bound("at_least", "at_most") == "at_most"
    # a ceiling on the price makes the multiple a floor
    assert valuation.multiple_bound("at_most", "exact") == "at_least"
    # a floor on both the price and the listing pull opposite ways: no direction is known
    assert valuation.multiple_bound("at_least", "at_least") == "unknown"
    # about a value, exactly bought: about
    assert valuation.multiple_bound("exact", "about") == "about"
    assert valuation.multiple_bound("exact", "exact") == "exact"


def test_a_floor_entry_caps_every_number_it_feeds():
    # At "more than $500B" the real price p >= 500, so every multiple computed at 500 is >= the true one
    for true_price in (500, 510, 700):
        true_multiple = valuation.listing_outcome(10, true_price, 1000, 0.1, 1)["multiple"]
        assert true_multiple <= valuation.listing_outcome(10, 500, 1000, 0.1, 1)["multiple"] + 1e-12


def test_revenue_multiples_by_hand():
    assert valuation.implied_revenue_multiple(1000, 13.1) == pytest.approx(76.336, rel=1e-4)
    assert valuation.required_revenue(1000, 25) == 40


def test_combined_dilution_by_hand():
    assert valuation.combined_dilution(0.1, 0.1) == pytest.approx(0.19)
    assert valuation.combined_dilution() == 0.0


@pytest.mark.parametrize("bad", [1.0, 1.5, -0.01, float("nan")])
def test_dilution_outside_zero_to_one_is_refused(bad):
    with pytest.raises(ValueError, match="at least 0 and below 1"):
        valuation.dilute(0.02, bad)


@pytest.mark.parametrize("bad", [0, -1])
def test_cagr_needs_positive_years(bad):
    with pytest.raises(ValueError, match="above 0"):
        valuation.implied_cagr(100, 200, bad)


# --- properties ------------------------------------------------------------------------------


@given(start=positive, ratio=st.floats(min_value=0.01, max_value=100), horizon=st.floats(min_value=0.5, max_value=50))
def test_cagr_round_trips(start, ratio, horizon):
    # Within a 100x change over at least half a year: beyond that, annualizing drives (1 + rate) to 0 in floats.
    end = start * ratio
    rate = valuation.implied_cagr(start, end, horizon)
    assert valuation.grow(start, rate, horizon) == pytest.approx(end, rel=1e-7)


@given(investment=positive, entry=positive, low=positive, extra=positive, cut=dilution, horizon=years)
def test_value_rises_with_the_listing_valuation(investment, entry, low, extra, cut, horizon):
    lower = valuation.listing_outcome(investment, entry, low, cut, horizon)
    higher = valuation.listing_outcome(investment, entry, low + extra, cut, horizon)
    assert higher["value"] >= lower["value"]
    assert higher["multiple"] >= lower["multiple"]


@given(st.lists(st.floats(min_value=0.0, max_value=0.9), min_size=1, max_size=6))
def test_combined_dilution_stays_in_zero_to_one(rounds):
    # Up to 90% a round: six rounds of 99.8% would round 1 - 1e-17 to exactly 1.0 in floating point.
    combined = valuation.combined_dilution(*rounds)
    assert 0.0 <= combined < 1.0
    assert combined >= max(rounds) - 1e-12


@given(stake=st.floats(min_value=0, max_value=1), cut=dilution)
def test_dilution_never_grows_a_stake(stake, cut):
    assert valuation.dilute(stake, cut) <= stake


def test_grid_is_vectorised():
    values = np.linspace(400, 2000, 100)[:, None, None]
    horizon = np.linspace(0.5, 5, 100)[None, :, None]
    cut = np.linspace(0, 0.5, 100)[None, None, :]
    out = valuation.listing_outcome(10, 500, values, cut, horizon)
    assert np.broadcast_shapes(*(np.shape(v) for v in out.values())) == (100, 100, 100)
    assert out["multiple"][-1, 0, 0] == pytest.approx(4.0)


# --- time value, a listing that may not happen, value per share ---------------------------------------------------


def test_present_value_and_hurdle_multiple_by_hand():
    assert valuation.present_value(110.0, 0.10, 1.0) == pytest.approx(100.0)
    assert valuation.hurdle_multiple(0.10, 2.0) == pytest.approx(1.21)
    assert valuation.hurdle_multiple(0.0, 5.0) == 1.0


def test_breakeven_at_the_hurdle_by_hand():
    years = 236 / 365.25 + 1  # 31 Mar 2026 to 22 Nov 2026, then one year: 1.646
    # the analyst's table: 852 x (1 + h) ** 1.646 / 0.9
    for rate, expected in ((0.0, 946.7), (0.045, 1017.8), (0.10, 1107.5), (0.15, 1191.6), (0.20, 1278.0)):
        assert float(valuation.breakeven_listing_at_hurdle(852, 1.0, 0.1, rate, years)) == pytest.approx(
            expected, abs=0.1
        )
    # a stake shrunk by an earlier round needs a higher listing: 157 / (260/300 x 730/852) / 0.9
    assert float(valuation.breakeven_listing_at_hurdle(157, 260 / 300 * 730 / 852, 0.1, 0.0, 3)) == pytest.approx(
        157 / (260 / 300 * 730 / 852) / 0.9
    )


def test_expected_multiple_weights_the_two_outcomes():
    assert valuation.expected_multiple(0.8, 1.0563, 0.75) == pytest.approx(0.8 * 1.0563 + 0.2 * 0.75)
    assert valuation.expected_multiple(1.0, 2.0, 0.0) == 2.0
    with pytest.raises(ValueError, match="chance of a listing"):
        valuation.expected_multiple(1.2, 1.0, 1.0)


def test_per_share_index_by_hand():
    # October 2024 ($157B post), March 2025 ($260B pre / $300B post), 2026 ($730B pre / $852B post)
    index = valuation.per_share_index([150.4, 260, 730], [157, 300, 852])
    assert index == pytest.approx([1.0, 260 / 157, 260 / 157 * 730 / 300])
    assert f"{index[-1]:.2f}" == "4.03"  # not 852 / 157 = 5.43, which counts the new money
    # the full chain of the issue: 10/157 x 260/300 x 730/852 x 0.9 x 1000/10 = 4.26x
    kept = (260 / 300) * (730 / 852)
    assert 10 / 157 * kept * 0.9 * 1000 / 10 == pytest.approx(index[-1] / 852 * 0.9 * 1000)
    assert f"{10 / 157 * kept * 0.9 * 1000 / 10:.2f}" == "4.26"
    with pytest.raises(ValueError):
        valuation.per_share_index([1, 2], [3])


def test_chance_needed_by_hand():
    # 1.0x needs p = (1 - 0.75) / (1.056 - 0.75); a 1.17x hurdle needs p above 1: impossible (finding 3)
    # 236 days from the 31 Mar 2026 close to the 22 Nov 2026 as-of date, then 1 year to the listing
    listed, unlisted, hurdle = 900 / 852, 0.75, 1.1 ** (236 / 365.25 + 1)
    assert valuation.chance_needed(1.0, listed, unlisted) == pytest.approx(0.25 / (listed - 0.75))
    assert valuation.chance_needed(hurdle, listed, unlisted) == pytest.approx((hurdle - 0.75) / (listed - 0.75))
    assert f"{valuation.chance_needed(hurdle, listed, unlisted):.2f}" == "1.37"
    assert np.isnan(valuation.chance_needed(1.0, 0.8, 0.8))


def test_floors_round_down_and_ceilings_up():
    # 260 / 300 = 0.8667 is a floor on the share kept: shown as 0.86, never 0.87 (finding 7)
    assert valuation.round_down(260 / 300) == 0.86
    assert valuation.round_up(260 / 300) == 0.87
    assert valuation.round_down(0.86) == 0.86 and valuation.round_up(0.86) == 0.86
    assert valuation.round_down(0.81599) == 0.81 and valuation.round_up(0.81599) == 0.82


def test_present_value_at_purchase_and_at_as_of_by_hand():
    # $10.563B at the listing, 1.646 years after the March 2026 purchase and 1 year after the as-of date (finding 1)
    value = 10 / 852 * 0.9 * 1000
    years = (236 / 365.25) + 1
    assert f"{valuation.present_value(value, 0.10, years):.2f}" == "9.03"
    assert f"{valuation.present_value(value, 0.10, 1.0):.2f}" == "9.60"
