"""The December reviews' findings on money framing and source flags (issues 18, 19), each pinned where it is made."""
# ruff: noqa: E402  (the Agg backend is chosen before anything imports pyplot)

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers import charts, data
from helpers.analysis import compute, funding, funding_words, ledger, valuation
from helpers.analysis import flows as two_way
from helpers.charts import frame
from helpers.data import views
from helpers.data.vocabulary import FIRM_STATUSES
from helpers.notebook.tables import money


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


def test_the_spread_total_says_how_much_of_it_rests_on_press_reports(book):
    figures = book.figures
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, 5, 1)
    table = compute.comparison_table(deals, schedule, figures, tuple(FIRM_STATUSES))
    window = table[table.index.str.startswith("commitments spread over")]
    total, press = money(window["usd_bn"].iloc[0]), money(window["press_usd_bn"].iloc[0])
    assert window["press_usd_bn"].iloc[0] > 0  # the shipped ledger's window holds press-reported deals
    sentences = [
        compute.comparison_sentence(table, schedule),
        compute.scope_sentence(compute.scope_totals(figures), schedule),
        compute.bottom_line(deals, schedule, figures, 5),
    ]
    for text in sentences:
        assert total in text and f"{press} of it on press reports only" in text, text
    # with press reports left out of the schedule, the same words say it is all announced
    firm = deals[deals["status"].isin(FIRM_STATUSES)]
    firm_schedule = compute.annual_schedule(firm, 5, 1)
    assert "all of it announced" in compute.scope_sentence(compute.scope_totals(figures), firm_schedule)


def test_a_withdrawn_figure_is_shown_as_withdrawn_never_as_a_live_sourced_one(book):
    figures = book.figures
    withdrawn = figures[figures["reading"].eq("withdrawn")]
    assert "F079" in set(withdrawn["figure_id"])  # the $138B AWS total no source reports
    table = data.readable(figures, book.sources)
    shown = table[table["id"].isin(withdrawn["figure_id"])]
    assert shown["status"].eq("withdrawn").all()
    assert shown["figure"].str.startswith("withdrawn").all()
    assert shown["sources"].eq(views.WITHDRAWN_SOURCES).all()
    assert not ledger.status_history(figures)["figure_id"].isin(withdrawn["figure_id"]).any()
    assert int(ledger.counts(figures)["withdrawn"].sum()) == len(withdrawn)
    assert withdrawn["conflict"].isna().all()  # a ledger error is not a disagreement between sources


def test_a_deal_has_one_status_in_01_and_02(book):
    figures = book.figures
    deals = ledger.deals(figures).set_index("event")
    blocks = funding.money_raised(figures, tuple(FIRM_STATUSES))
    # every deal 02 counts as paid in or committed is firm in 01's deal chart, never hatched as a press report
    for block in blocks[(blocks["paid_usd_bn"] + blocks["unpaid_usd_bn"]) > 0].itertuples():
        for event in block.event.split(", "):
            if event in deals.index:
                assert deals.loc[event, "status"] in FIRM_STATUSES, (event, deals.loc[event, "status"])
    # Microsoft's 2021 and 2023 deals, press figures only, take the status of its 10-Q total
    assert deals.loc["microsoft-2021", "status"] == deals.loc["microsoft-2023", "status"] == "definitive"


def test_a_talk_never_prices_a_round(book):
    figures = book.figures
    rounds = valuation.priced_rounds(figures)
    used_ids = {i for ids in rounds["figure_ids"] for i in ids.split(", ")}
    talks = set(figures.loc[~figures["status"].isin(FIRM_STATUSES), "figure_id"])
    assert not used_ids & talks, used_ids & talks  # F036, the $260B pre-money of the talks, prices nothing
    # March 2025: the announced $300B less the $40B announced with it, and the table says it is derived
    assert rounds.loc["round-2025-03", "pre_money_usd_bn"] == pytest.approx(300 - 40)
    table = funding_words.per_share_view(figures)
    assert table.loc["March 2025 round", "pre-money"] == "$260B (post-money less new money)"
    assert table.loc["2026 funding round", "pre-money"] == "$730B"  # a reported, announced pre-money


def test_a_pre_money_from_talks_is_labelled_as_talks_on_the_chart(book):
    fig = charts.valuation_marks_chart(book.figures, book.sources, tuple(FIRM_STATUSES))
    words = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert "$260B before, talks" in words and "$730B before" in words


def test_the_schedule_names_every_year_an_up_to_cap_falls_in(book):
    from helpers.charts import compute as compute_charts

    assert compute_charts.cap_words(pd.Series({2026: 1.3, 2027: 1.3, 2028: 1.3})) == "$1.3B a year in 2026-2028"
    assert compute_charts.cap_words(pd.Series({2026: 1.3, 2028: 2.0})) == "$1.3B in 2026, $2B in 2028"
    assert compute_charts.cap_words(pd.Series(dtype=float)) == ""
    figures = book.figures
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, 5, 1)
    caps = compute.year_table(schedule).filter(like="plus up to", axis=0).iloc[0]
    years = [int(y) for y, v in caps.items() if v > 0]
    fig = charts.schedule_chart(schedule, deals, book.sources, 5, 1)
    subtitle = frame.chart_subtitle(fig)
    plt.close(fig)
    assert f"{money(caps[years[0]])} a year in {years[0]}-{years[-1]}" in subtitle  # CoreWeave's up to $6.5B / 5


def test_reader_prose_names_no_ledger_column(book):
    import nbformat

    from helpers.build import report

    columns = {c for c in book.figures.columns if "_" in c} | {c for c in book.sources.columns if "_" in c}
    for path in report.notebook_paths():
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                named = [c for c in columns if re.search(rf"\b{re.escape(c)}\b", cell.source)]
                assert not named, f"{path.name}: {named} in {cell.source[:80]!r}"


def test_a_number_resting_only_on_aggregator_pages_says_so_where_it_is_stated(book):
    from helpers.data.views import AGGREGATOR_FLAG, aggregator_only

    figures, sources = book.figures, book.sources
    firm = tuple(FIRM_STATUSES)
    row = figures.set_index("figure_id").loc
    # the rows behind each text rest on aggregator pages only in the shipped ledger (so the test can fail)
    for figure_id in ("F151", "F147", "F016", "F157"):
        assert aggregator_only(row[figure_id, "source_ids"], sources), figure_id
    assert "more than $60B" + AGGREGATOR_FLAG in funding_words.cross_check_sentence(figures, firm, sources)
    assert "by Mar 2026" + AGGREGATOR_FLAG in funding_words.microsoft_sentence(figures, sources=sources)
    deals = compute.commitments(figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, 5, 1)
    scope = compute.scope_sentence(compute.scope_totals(figures), schedule, sources)
    # F147's total is stated first hand too (F144, Reuters via Newsmax): only its 'about 8 years' is second hand
    assert "The $1.4T covers" in scope and "about 8 years" + AGGREGATOR_FLAG in scope
    assert "the $600B is" in scope  # a page carrying the outlet's own text: no flag
    fig = charts.valuation_marks_chart(figures, sources, firm)
    assert frame.chart_title(fig).endswith("listing talk: up to $1T" + AGGREGATOR_FLAG)
    plt.close(fig)
    flows = two_way.two_way_flows(deals, compute.vendor_pledges(figures), funding.investor_summary(figures), figures)
    fig = charts.flows_chart(flows, figures, sources)
    assert "($11.8B paid in, aggregator pages only)" in frame.chart_title(fig)
    plt.close(fig)
