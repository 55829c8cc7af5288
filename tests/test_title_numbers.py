"""Issue 18: every number a chart title or a bottom line of 01-03 states is a number the chart draws or a table
shows. The drawn numbers are read back from the figure's artists (bar ends and lengths, line levels, marker
positions), never from the function that wrote the title."""

from __future__ import annotations

import itertools
import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from helpers.analysis import compute, funding, funding_words, ledger  # noqa: E402
from helpers.charts import frame  # noqa: E402
from helpers.data import vocabulary  # noqa: E402
from helpers.notebook import tables  # noqa: E402
from tests.test_charts import book, chart_builders  # noqa: E402, F401

MONEY = re.compile(r"\$(\d+(?:\.\d+)?)([BTM])")
RATIO = re.compile(r"(\d+(?:\.\d+)?)x\b")
SCALE = {"B": 1.0, "T": 1000.0, "M": 0.001}
CHARTS_01_03 = ("01 status", "01 timeline", "02", "03")


def stated_amounts(text: str) -> list[tuple[float, float]]:
    """Each dollar amount in a text, in $ billions, with the half-step of its last digit shown (its rounding)."""
    found = []
    for number, unit in MONEY.findall(text):
        decimals = len(number.split(".")[1]) if "." in number else 0
        found.append((float(number) * SCALE[unit], 0.5 * 10**-decimals * SCALE[unit] + 1e-9))
    return found


def _style(patch: Rectangle) -> tuple:
    return (patch.get_facecolor(), patch.get_hatch(), patch.get_linestyle())


def drawn_values(fig) -> set[float]:
    """What the chart draws, in data units: bar lengths and ends, stacked totals, line levels and their steps,
    marker positions; plus per style the sum over rows (a total of one kind of money) and differences of one
    line's levels (what was added between two dates)."""
    values: set[float] = set()
    for ax in fig.axes:
        by_style: dict[tuple, float] = {}
        by_row: dict[float, float] = {}
        bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() != 0 and p.get_height() != 0]
        # bars of one chart share their thickness: horizontal bars one height, vertical bars one width
        horizontal = len({round(p.get_height(), 6) for p in bars}) <= len({round(p.get_width(), 6) for p in bars})
        for patch in bars:
            length = patch.get_width() if horizontal else patch.get_height()
            start = patch.get_x() if horizontal else patch.get_y()
            values.update({length, start + length})
            by_style[_style(patch)] = by_style.get(_style(patch), 0.0) + length
            row = round(patch.get_y() if horizontal else patch.get_x(), 3)
            by_row[row] = by_row.get(row, 0.0) + length
        values.update(by_style.values())
        values.update(by_row.values())
        for style_a, style_b in itertools.combinations(list(by_style), 2):
            values.add(by_style[style_a] + by_style[style_b])
        for line in ax.lines:
            levels = [float(y) for y in line.get_ydata() if pd.notna(y)]
            values.update(levels)
            values.update(abs(a - b) for a, b in itertools.combinations(set(levels), 2))
        for collection in ax.collections:
            if isinstance(collection, PathCollection):
                values.update(float(y) for _, y in collection.get_offsets())
    return {v for v in values if v > 0}


def _matches(amount: float, tolerance: float, candidates: set[float]) -> bool:
    return any(abs(amount - value) <= tolerance for value in candidates)


@pytest.fixture(scope="module")
def charts_01_03(book):  # noqa: F811
    built = {name: make() for name, make in chart_builders(book).items() if name.startswith(CHARTS_01_03)}
    yield built
    import matplotlib.pyplot as plt

    plt.close("all")


def test_every_amount_in_a_title_is_drawn(charts_01_03):
    problems = []
    for name, fig in charts_01_03.items():
        title = frame.chart_title(fig)
        drawn = drawn_values(fig)
        for amount, tolerance in stated_amounts(title):
            if not _matches(amount, tolerance, drawn):
                problems.append(f"{name}: ${amount:g}B in {title!r} is not drawn")
    assert problems == [], "\n".join(problems)


def test_every_ratio_in_a_title_is_a_ratio_of_drawn_numbers(charts_01_03):
    problems = []
    for name, fig in charts_01_03.items():
        title = frame.chart_title(fig)
        drawn = sorted(drawn_values(fig))
        for text in RATIO.findall(title):
            ratio, tolerance = float(text), 0.5 * 10 ** -(len(text.split(".")[1]) if "." in text else 0)
            if not any(abs(a / b - ratio) <= tolerance for a in drawn for b in drawn if b > 0 and a != b):
                problems.append(f"{name}: {text}x in {title!r} is no ratio of drawn numbers")
    assert problems == [], "\n".join(problems)


def test_a_title_that_the_chart_contradicts_is_caught():
    """The check itself can fail: a title stating a number the bars do not reach is reported."""
    fig, ax = frame.new_figure()
    ax.barh([0, 1], [159.0, 12.0])
    frame.titles(fig, "Firm deals add up to $170.6B", "test")
    assert not _matches(*stated_amounts(frame.chart_title(fig))[0], drawn_values(fig) - {171.0})
    assert _matches(159.0, 0.05, drawn_values(fig)) and _matches(171.0, 0.05, drawn_values(fig))


def test_the_cumulative_line_reaches_the_total_in_its_title(charts_01_03, book):  # noqa: F811
    fig = charts_01_03["02 cumulative"]
    ax = fig.axes[0]
    firm_line = next(line for line in ax.lines if "raised" in str(line.get_label()))
    x = pd.to_datetime(firm_line.get_xdata(), unit="D") if not hasattr(firm_line.get_xdata()[0], "year") else None
    levels = list(firm_line.get_ydata())
    box = funding_words.money_box(book.figures, vocabulary.FIRM_STATUSES)["amount_usd_bn"]
    # the last level is drawn with length: the line runs on to the right edge at the total raised
    assert levels[-1] == pytest.approx(box.iloc[2]) and levels[-2] == pytest.approx(box.iloc[2])
    assert x is None or x[-1] > x[-2]
    assert f"{tables.money(box.iloc[2])}" in frame.chart_title(fig)


def _bottom_line_numbers(book, stem: str) -> tuple[str, set[float]]:  # noqa: F811
    """A notebook's bottom line, and the numbers its tables show (and differences of two of them)."""
    figures, sources = book.figures, book.sources
    firm = tuple(vocabulary.FIRM_STATUSES)
    box = funding_words.money_box(figures, firm)
    shown: set[float] = set(box["amount_usd_bn"])
    if stem == "01":
        text = ledger.bottom_line(figures, sources, box)
    elif stem == "02":
        text = funding_words.bottom_line(figures, firm)
        marks = funding.valuation_marks(figures)
        shown |= set(marks["value"].dropna())
        shown |= set(funding.money_raised(figures, firm).select_dtypes("number").to_numpy().ravel())
    else:
        deals = compute.commitments(figures, include_lapsed=False)
        schedule = compute.annual_schedule(deals, 5, 1)
        table = compute.comparison_table(deals, schedule, figures, firm)
        text = compute.bottom_line(deals, schedule, figures, 5)
        shown |= set(table["usd_bn"]) | set(table["press_usd_bn"])  # the table's 'of which press reports' column
        shown |= set(compute.term_table(deals, schedule, figures, 5)["commitments_usd_bn"])  # the term sensitivity
    shown |= {abs(a - b) for a, b in itertools.combinations(list(shown), 2)}
    return text, {v for v in shown if pd.notna(v) and v > 0}


@pytest.mark.parametrize("stem", ["01", "02", "03"])
def test_every_amount_in_a_bottom_line_is_in_a_table(book, stem):  # noqa: F811
    text, shown = _bottom_line_numbers(book, stem)
    missing = [a for a, tol in stated_amounts(text) if not _matches(a, tol, shown)]
    assert missing == [], f"{stem} bottom line states {missing} that no table shows:\n{text}"
    assert stated_amounts(text), "a bottom line with no amount checks nothing"


@pytest.mark.parametrize("stem", ["01", "02", "03"])
def test_a_bottom_line_is_three_short_bullets(book, stem):  # noqa: F811
    text, _ = _bottom_line_numbers(book, stem)
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3 and len(text.split()) <= 90, text
