"""The December reviews' findings on money framing and source flags (issues 18, 19), each pinned where it is made."""
# ruff: noqa: E402  (the Agg backend is chosen before anything imports pyplot)

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pytest

from helpers import charts, data
from helpers.charts import frame
from helpers.data.vocabulary import FIRM_STATUSES


@pytest.fixture(scope="module")
def book():
    frame.use_house_style()
    return data.load_ledger()


def test_the_last_valuation_is_dated_where_the_chart_draws_it_and_as_the_ledger_reports_it(book):
    figures = book.figures
    fig = charts.valuation_marks_chart(figures, book.sources, tuple(FIRM_STATUSES))
    title = frame.chart_title(fig)
    closed = figures[figures["metric"].eq("post_money") & figures["status"].eq("closed")]
    last = closed.sort_values("reported_on").iloc[-1]
    # the newest post-money is a closing value: it is dated at the close, in words, and drawn on that day
    assert f"(at the close, {last['reported_on']:%b %Y})" in title
    drawn = [
        mdates.num2date(x).date()
        for c in fig.axes[0].collections
        for x, y in c.get_offsets()
        if abs(y - last["value"]) < 1e-9
    ]
    plt.close(fig)
    assert last["reported_on"].date() in drawn
