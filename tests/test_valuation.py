"""Valuation math: hand-computed cases and properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import valuation

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


def test_pre_money_mark_adds_the_new_money():
    # Amazon's $50B at $730B pre-money: post-money 780, stake 50/780 = 6.41%
    post = valuation.post_money(730, 50, "pre_money")
    assert post == 780
    assert valuation.stake_bought(50, post) == pytest.approx(0.0641, abs=1e-4)
    assert valuation.post_money(852, 50, "post_money") == 852


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


def test_unknown_basis_is_refused():
    with pytest.raises(ValueError, match="basis"):
        valuation.post_money(500, 10, "unstated")


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
