"""Issue 18, fourth review: conditional money enters a running total only when its condition is met (D), every
drawn floor carries the grammar's floor mark (F), and 01 counts deals by one rule with words that name only the
statuses present (G); with the sentences that state those rules (A, B, C, E, I)."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers import charts, data
from helpers.analysis import cash, compute, funding, funding_words, ledger, running_total
from helpers.charts import frame
from helpers.data import vocabulary
from helpers.data.vocabulary import FIRM_STATUSES

FIRM = tuple(FIRM_STATUSES)


@pytest.fixture(scope="module")
def book():
    frame.use_house_style()
    return data.load_ledger()


@pytest.fixture(scope="module")
def figures(book):
    return book.figures


@pytest.fixture(scope="module")
def deals(figures):
    return compute.commitments(figures, include_lapsed=False)


@pytest.fixture(scope="module")
def schedule(deals):
    return compute.annual_schedule(deals, 5, 1)


# --- D: conditional money is never in a running total before its condition is met -----------------------------


def test_met_condition_is_read_from_the_ledger(figures):
    met = running_total.met_conditions(figures).set_index("event").loc["round-2025-03"]
    rows = figures.drop_duplicates("figure_id").set_index("figure_id")
    _, low_id, met_id = vocabulary.CONDITIONS_MET["round-2025-03"]
    # SoftBank's part (paid in full, $30B) less what it would have dropped to without the restructuring
    softbank = funding.investor_deals(figures).query("investor == 'SoftBank' and event == 'round-2025-03'")
    assert met["amount_usd_bn"] == pytest.approx(float(softbank["floor_usd_bn"].iloc[0]) - rows.at[low_id, "value"])
    assert met["amount_usd_bn"] > 0
    assert met["conditional_from"] == rows.at[low_id, "reported_on"] and met["met_on"] == rows.at[met_id, "reported_on"]


def test_running_total_leaves_conditional_money_out_until_the_condition_is_met(figures):
    met = running_total.met_conditions(figures).iloc[0]
    line = running_total.raised_over_time(figures, FIRM).set_index("reported_on")["total_usd_bn"]
    before = line[line.index < met["met_on"]].iloc[-1]
    on_the_day = line.loc[met["met_on"]]
    assert on_the_day - before == pytest.approx(met["amount_usd_bn"])
    # the round's first report counted only its unconditional part
    first = funding.capital_events(figures).query("event == @met.event").sort_values("reported_on").iloc[0]
    events = running_total.raised_events(figures)
    counted = events[events["figure_id"].eq(first["figure_id"]) & events["reported_on"].eq(first["reported_on"])]
    assert float(counted["value"].iloc[0]) == pytest.approx(first["value"] - met["amount_usd_bn"])
    # and the line still ends at the money box's raised total
    assert line.iloc[-1] == pytest.approx(funding_words.money_box(figures, FIRM)["amount_usd_bn"].iloc[2])


def test_pending_conditional_money_over_time(figures):
    met = running_total.met_conditions(figures).iloc[0]
    amazon = funding.conditions(figures).iloc[0]
    days = [met["conditional_from"], met["met_on"], amazon["reported_on"]]
    pending = running_total.conditional_over_time(figures, days)
    assert pending.tolist() == pytest.approx([met["amount_usd_bn"], 0.0, amazon["value"]])


def test_a_met_condition_naming_a_missing_figure_stops_the_run(figures, monkeypatch):
    monkeypatch.setitem(running_total.CONDITIONS_MET, "round-2025-03", ("a condition", "F038", "F99999"))
    with pytest.raises(ValueError, match="F99999"):
        running_total.met_conditions(figures)


def test_cumulative_chart_draws_conditional_money_apart(book):
    fig = charts.cumulative_capital_chart(book.figures, book.sources, FIRM)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(label.startswith("conditional") for label in labels)
    plt.close(fig)


# --- F: a floor drawn is a floor marked --------------------------------------------------------------------------

FLOOR_WORDS = re.compile(r"\bat least \$|\bor more\b|\bmore than \$")


def _floor_labels_without_arrows(fig) -> list[str]:
    """Bar-end labels that state a floor with no '>' mark on the same row."""
    ax = fig.axes[0]
    arrows = {round(float(line.get_ydata()[0]), 3) for line in ax.get_lines() if line.get_marker() == ">"}
    return [
        t.get_text()
        for t in ax.texts
        if FLOOR_WORDS.search(t.get_text()) and round(float(t.xy[1]), 3) not in arrows and t.get_text()
    ]


def test_every_floor_on_a_bar_has_the_floor_mark(book, deals, schedule):
    figures, sources = book.figures, book.sources
    view = cash.year_view(figures, schedule, 2026)
    built = {
        "02 investors": charts.investor_chart(funding.investor_summary(figures), figures, sources),
        "03 comparison": charts.comparison_chart(
            compute.comparison_table(deals, schedule, figures, FIRM), deals, figures, sources
        ),
        "06 year": charts.year_chart(view, 2026, cash.view_sources(view, figures, deals), sources, figures),
    }
    for name, fig in built.items():
        floors = [t.get_text() for t in fig.axes[0].texts if FLOOR_WORDS.search(t.get_text())]
        assert floors, f"{name}: expected a floor among its labels (the ledger has them)"
        assert not _floor_labels_without_arrows(fig), (name, _floor_labels_without_arrows(fig))
        plt.close(fig)


def test_schedule_title_keeps_the_peak_s_kind(book, deals, schedule):
    fig = charts.schedule_chart(schedule, deals, book.sources, 5, 1)
    peak = schedule.groupby("year")["floor_usd_bn"].sum().idxmax()
    words = compute.year_words(schedule, peak).split(" (")[0]
    # Cerebras' floor keeps the peak a floor ('at least', or 'about ... or more' when an 'about' figure is in it)
    assert words.startswith("at least ") or (words.startswith("about ") and words.endswith(" or more")), words
    shown = f"{words.removeprefix('at least ')} or more" if words.startswith("at least ") else words
    assert f"peak at {shown}" in frame.chart_title(fig) and "at at least" not in frame.chart_title(fig)
    plt.close(fig)


# --- G: deals counted by one rule, words for the statuses present ------------------------------------------------


def test_a_deal_has_openai_as_a_party(figures):
    counted = ledger.deals(figures)
    assert "softbank-bridge-loan" not in set(counted["event"])  # SoftBank's own borrowing
    assert "stargate" not in set(counted["event"])  # the venture's spending
    assert "SoftBank bridge loan" in ledger.left_out_words(figures)
    # a deal without a disclosed amount is still a deal, and the lead says how many there are
    assert ledger.undisclosed_deals(figures) == int(counted["value"].isna().sum()) > 0


def test_tentative_words_name_only_statuses_present(figures):
    statuses = set(ledger.deals(figures).query("group == 'tentative'")["status"])
    words = ledger.tentative_words(figures)
    assert ("letter of intent" in words) == ("letter_of_intent" in statuses)
    assert ("talks" in words) == ("in_talks" in statuses)
    # a ledger where a deal is only in talks says 'talks' too
    changed = figures.copy()
    changed.loc[changed["event"].eq("coreweave"), "status"] = "in_talks"
    assert "talks" in ledger.tentative_words(changed)
    assert f"rested on {words}" in ledger.firmness_sentence(figures)


# --- A, B, C, E, I: the sentences that state the rules -------------------------------------------------------------


def test_paid_in_is_worded_as_the_vocabulary_defines_it(figures, book):
    from helpers.analysis import story_leads

    lead = story_leads.funding_lead(figures, FIRM, book.sources)
    assert funding.PAID_IN_DEFINED in lead.standfirst and "reported paid in" not in lead.standfirst


def test_window_comparison_names_its_assumptions_and_term_sensitivity(figures, deals, schedule):
    text = compute.bottom_line(deals, schedule, figures, 5)
    by_term = compute.window_by_term(deals, schedule, 2026, 2030)
    assert by_term[5] == pytest.approx(schedule.query("2026 <= year <= 2030")["floor_usd_bn"].sum())
    assert by_term[7] < by_term[5] and by_term[8] < by_term[7]  # a longer term puts less in the window
    assert "on assumed 5-year terms" in text and "2026 start: our reading" in text
    assert "OpenAI planned" not in text and "reportedly planned" in text
    # the sensitivity is computed in 03's table, beside the spending it is compared with
    table = compute.term_table(deals, schedule, figures, 5)
    assert table["commitments_usd_bn"].tolist() == pytest.approx(by_term.tolist())
    assert "5 years (the assumption used)" in table.index


def test_year_title_is_like_for_like_and_cash_meets_the_burn_still_to_come(figures, schedule):
    view = cash.year_view(figures, schedule, 2026)
    title = cash.year_title(view, 2026)
    assert "burn" not in title and "assumed term or start" in title
    left, spent, when = cash.remaining_burn(view, 2026)
    forecast = view[view.index.str.startswith("cash burn forecast")]["usd_bn"].iloc[0]
    assert left == pytest.approx(forecast - spent) and spent > 0 and when
    held = view[view["kind"].eq("held")]["usd_bn"].iloc[0]
    assert f"{held / left:.1f} times" in cash.year_sentence(view, 2026)


def test_conditional_total_says_its_trigger_may_have_been_met(figures):
    reports = running_total.trigger_reports(figures)
    assert len(reports) and (reports["reported_on"] > funding.conditions(figures)["reported_on"].min()).all()
    assert "may have been met" in funding_words.condition_words(figures)
    # without a reported filing, no clause
    quiet = figures.assign(note=figures["note"].where(figures["category"].ne("listing"), ""))
    assert running_total.trigger_clause(quiet) == "" and "may have been met" not in funding_words.condition_words(quiet)


def test_post_money_without_conditional_money(figures):
    text = funding_words.conditional_post_money_sentence(figures, FIRM)
    posts = funding.valuation_marks(figures).query("metric == 'post_money' and status in @FIRM")
    last = posts.iloc[-1]
    conditional = funding.conditions(figures).query("part_of == @last.event")["value"].sum()
    assert f"without it the post-money is ${last['value'] - conditional:g}B" in text
    assert pd.notna(last["value"])


def test_softbank_stated_total_gap_is_explained_from_the_ledger(figures):
    """SoftBank's own $64.6B exceeds the money it raised for OpenAI; the note computes the gap and names employee shares."""
    stated = figures.query("subject == 'SoftBank' and metric == 'cumulative_amount' and reading == 'used'")[
        "value"
    ].max()
    note = funding_words.stated_total_note(figures, "SoftBank", stated - 4.1)
    assert f"${stated:.1f}B" in note and "$4.1B more" in note and "employee shares" in note
    assert funding_words.stated_total_note(figures, "SoftBank", stated) == ""
