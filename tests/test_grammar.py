"""The grammar's company colours (helpers/charts/grammar.py): one per company the vocabulary names, and every pair
far enough apart to tell on a chart, for readers with normal colour vision and for readers without red or green
cones; each visible on the white page."""

from __future__ import annotations

import itertools

import matplotlib.colors
import numpy as np
import pytest

from helpers.charts import grammar
from helpers.data import vocabulary

# CIEDE2000 units: about 1 is the smallest difference a viewer sees side by side; marks on a chart need far more
MIN_NORMAL_DE = 12.0
# 13 hues cannot all stay as far apart without red or green cones: this floor keeps every pair apart (the old
# Google yellow was 0.8 from SoftBank's amber for a deuteranope), and every mark on a chart is named in words too
MIN_DICHROMAT_DE = 5.0
MIN_CONTRAST_ON_WHITE = 2.0  # WCAG contrast ratio of a mark's colour against the white page

# Machado, Oliveira and Fernandes (2009), severity 1, applied to linear sRGB
SIMULATION = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}


def linear_rgb(color: str) -> np.ndarray:
    """sRGB to linear light."""
    rgb = np.asarray(matplotlib.colors.to_rgb(color))
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(color: str, vision: str | None = None) -> np.ndarray:
    """CIELAB (D65) of a colour as seen with normal vision or as simulated for a dichromat."""
    linear = linear_rgb(color)
    if vision:
        linear = np.clip(SIMULATION[vision] @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = np.cbrt(xyz / np.array([0.9505, 1.0, 1.089]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e_2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal's formulation)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_big_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))) * 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    dl, dc = (l2 - l1) / s_l, (c2p - c1p) / s_c
    return float(np.sqrt(dl**2 + dc**2 + (d_big_h / s_h) ** 2 + r_t * dc * d_big_h / s_h))


def contrast_on_white(color: str) -> float:
    """WCAG contrast ratio of a colour against white."""
    luminance = float(np.dot([0.2126, 0.7152, 0.0722], linear_rgb(color)))
    return 1.05 / (luminance + 0.05)


def test_the_measures_match_published_values():
    # Sharma, Wu and Dalal (2005), test pairs 1 and 17; Machado's deuteranopia makes pure red and green alike
    assert delta_e_2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, 1e-3)
    assert delta_e_2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, 1e-3)
    assert delta_e_2000(lab("#FF0000", "deuteranopia"), lab("#00B000", "deuteranopia")) < 10
    assert contrast_on_white("#000000") == pytest.approx(21.0) and contrast_on_white("#FFFFFF") == pytest.approx(1.0)


def test_every_company_the_vocabulary_names_has_a_colour():
    assert set(grammar.COMPANY_COLORS) == {*vocabulary.COMPANIES, "Others"}
    assert len(set(grammar.COMPANY_COLORS.values())) == len(grammar.COMPANY_COLORS)


@pytest.mark.parametrize("vision", [None, "protanopia", "deuteranopia"], ids=["normal", "protanopia", "deuteranopia"])
def test_every_pair_of_company_colours_is_told_apart(vision):
    floor = MIN_NORMAL_DE if vision is None else MIN_DICHROMAT_DE
    close = [
        f"{a} and {b}: {delta_e_2000(lab(ca, vision), lab(cb, vision)):.1f}"
        for (a, ca), (b, cb) in itertools.combinations(grammar.COMPANY_COLORS.items(), 2)
        if delta_e_2000(lab(ca, vision), lab(cb, vision)) < floor
    ]
    assert not close, f"too close to tell apart ({vision or 'normal vision'}, CIEDE2000 < {floor}): {close}"


def test_google_and_softbank_stay_apart_for_every_reader():
    """The pair a reader could not tell apart on the who-pays-whom chart (a dark yellow beside an amber)."""
    google, softbank = grammar.COMPANY_COLORS["Google"], grammar.COMPANY_COLORS["SoftBank"]
    for vision in (None, "protanopia", "deuteranopia"):
        assert delta_e_2000(lab(google, vision), lab(softbank, vision)) > 20, vision


def test_every_company_colour_shows_on_the_white_page():
    faint = {n: round(contrast_on_white(c), 2) for n, c in grammar.COMPANY_COLORS.items()}
    assert all(v >= MIN_CONTRAST_ON_WHITE for v in faint.values()), faint
