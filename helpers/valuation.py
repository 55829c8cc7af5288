"""Valuation arithmetic: pure functions on plain numbers or numpy arrays (money in $B, rates as fractions)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def step_up(from_value: ArrayLike, to_value: ArrayLike) -> ArrayLike:
    """How many times larger `to_value` is than `from_value`."""
    return np.divide(to_value, from_value)


def implied_cagr(start: ArrayLike, end: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Compound annual growth that turns `start` into `end` over `years` (years > 0)."""
    years = np.asarray(years, dtype=float)
    if np.any(years <= 0):
        raise ValueError("years must be above 0")
    return np.power(np.divide(end, start), 1.0 / years) - 1.0


def grow(start: ArrayLike, rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Value after compounding `start` at `rate` a year for `years`."""
    return np.multiply(start, np.power(np.add(1.0, rate), years))
