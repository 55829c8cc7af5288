"""Who pays whom (03) and the timeline of every event (01): the analysis frames checked against ledger rows read
by hand, and the charts' words against the frames."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import charts, data  # noqa: E402
from helpers.analysis import funding, network, network_words, timeline  # noqa: E402
from helpers.charts import frame, legibility  # noqa: E402
from helpers.charts import timeline as timeline_chart  # noqa: E402
from helpers.data.vocabulary import FIRM_STATUSES, STATUS_NAMES, status_group  # noqa: E402


@pytest.fixture(scope="module")
def book():
    frame.use_house_style()
    return data.load_ledger()


@pytest.fixture(scope="module")
def edges(book):
    return network.edges(book.figures)


def edge(edges: pd.DataFrame, company: str, kind: str, group: str | None = None) -> pd.Series:
    rows = edges[edges["company"].eq(company) & edges["kind"].eq(kind)]
    if group is not None:
        rows = rows[rows["group"].eq(group)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_every_partner_has_an_edge_and_edges_point_the_right_way(edges):
    assert list(dict.fromkeys(edges["company"])) == list(network.PARTNERS)
    assert set(edges.loc[edges["kind"].eq("equity"), "direction"]) == {network.TO_OPENAI}
    assert set(edges.loc[edges["kind"].isin(["cloud", "chips", "loan"]), "direction"]) == {network.FROM_OPENAI}


def test_amazon_edges_match_the_ledger_by_hand(edges):
    # F088: $15B up front, signed; F089: $35B conditional (definitive); F075 $38B + F078 $100B, both announced
    firm = edge(edges, "Amazon", "equity", "firm")
    assert firm["amount"] == "$15B" and firm["floor_usd_bn"] == 15
    # F088 is signed: the edge carries that status (not the round's "closed") and says it
    assert firm["status"] == "definitive" and firm["label"].startswith("$15B equity, signed (firm)")
    # paid in at the round's close (issue 18's rule, funding.investor_summary): the same words and number as 02
    assert firm["paid_usd_bn"] == 15 and firm["label"] == "$15B equity, signed (firm); $15B paid in"
    assert "not reported paid" not in " ".join(edges["label"])
    conditional = edge(edges, "Amazon", "equity", "conditional")
    assert conditional["amount"] == "$35B" and conditional["floor_usd_bn"] == 0  # never counted as raised
    assert conditional["value_usd_bn"] == 35
    # F089 is signed and its condition is named beside it, from the ledger's conditions (funding.conditions)
    assert conditional["status"] == "definitive" and conditional["label"].startswith(
        "$35B equity, signed, conditional: due only if OpenAI files for a stock-market listing"
    )
    assert conditional["label"].endswith("before end-2028") and "F089" in conditional["figure_ids"]
    cloud = edges[edges["company"].eq("Amazon") & edges["direction"].eq(network.FROM_OPENAI)].iloc[0]
    assert cloud["floor_usd_bn"] == 138 and cloud["group"] == "firm"
    # F079's $138B total was withdrawn: the label leads with the parts and names F160's reading of $100B in all
    # the drawn reading first ('$38B, then $100B more'), the other named as another report's
    assert cloud["label"].startswith("$38B, then $100B more cloud and chips, announced (firm)")
    assert "$138B" not in cloud["label"] and "another report: $100B in all" in cloud["label"]
    assert "at least $38B in all" not in cloud["label"]  # F080's floor fits every reading: no dispute
    # F081's about 2 GW is the $100B expansion's alone, not the $38B contract's
    assert "about 2 GW for the $100B" in cloud["label"]
    assert {"F075", "F078", "F160"} <= set(cloud["figure_ids"])


def test_microsoft_undisclosed_2026_share_is_its_own_tentative_edge(edges):
    # F023: a press report that Microsoft took part in the 2026 round, no amount: not folded into the firm $13B
    firm = edge(edges, "Microsoft", "equity", "firm")
    assert "undisclosed" not in firm["label"] and firm["bound"] == "exact"
    reported = edge(edges, "Microsoft", "equity", "tentative")
    assert reported["figure_ids"] == ("F023",) and reported["floor_usd_bn"] == 0
    assert reported["label"].startswith("equity, amount undisclosed, press report (tentative)")


def test_unpaid_equity_is_tinted_and_its_paid_share_solid(edges):
    from helpers.charts import grammar
    from helpers.charts import network as network_chart

    nvidia = edge(edges, "Nvidia", "equity", "firm")  # F101: $30B announced, not paid; F031 $100M in 2024
    # F031's $100M is in the October 2024 round, which closed (F026): paid in at the close, as 02 counts it
    assert nvidia["paid_usd_bn"] == pytest.approx(0.1) and nvidia["status"] == "announced"
    style, color = network_chart._edge_style(nvidia)
    assert style == grammar.unpaid_style(color)
    assert network_chart.paid_share(nvidia) == pytest.approx(0.1 / 30.1)
    assert nvidia["label"] == "about $30.1B equity, announced (firm); $100M paid in, $30B committed, not yet paid"
    microsoft = edge(edges, "Microsoft", "equity", "firm")  # its 10-Q (F014-F016): $11.8B of $13B funded
    assert "$11.8B paid in, $1.2B committed, not yet paid" in microsoft["label"]
    assert network_chart.paid_share(microsoft) == pytest.approx(11.8 / 13)


def test_oracle_expansion_revenue_share_and_what_is_left_out(book, edges):
    oracle = edge(edges, "Oracle", "data centres")  # F062: 4.5 GW announced, no amount
    assert oracle["group"] == "firm" and oracle["figure_ids"] == ("F062",) and oracle["floor_usd_bn"] == 0
    assert oracle["label"] == "data centres, amount undisclosed, announced (firm); 4.5 GW"
    share = edge(edges, "Microsoft", "revenue share")  # F181: OpenAI pays Microsoft 20% through 2030
    assert share["direction"] == network.FROM_OPENAI and share["label"].startswith(
        "20% of OpenAI's revenue to Microsoft"
    )
    # the cap's size comes from the ledger (F187, The Information via Reuters), not typed words
    assert share["label"].endswith("under a cap of $38B through 2030 (press report); press report (tentative)")
    assert share["figure_ids"] == ("F181", "F187")
    assert "F174" not in {i for ids in edges["figure_ids"] for i in ids}  # builders' campus, not a sale to OpenAI
    note = network.left_out(book.figures)
    assert "Stargate data centres (" in note and "Stargate Michigan campus (" in note


def test_softbank_shows_the_ledger_sum_and_its_own_count(edges):
    softbank = edge(edges, "SoftBank", "equity", "firm")  # deals summed here: about $60.5B
    # F116's $10B third tranche is signed, not closed: the edge takes its weakest part's status; F030's $500M in the
    # closed 2024 round (F026) is paid in at the close, so $50.5B of $60.5B is solid and $10B the committed tint
    assert softbank["label"].startswith(
        "about $60.5B equity, signed (firm); $50.5B paid in, $10B committed, due Oct 2026"
    )
    assert softbank["status"] == "definitive" and softbank["paid_usd_bn"] == pytest.approx(50.5)
    # F104: SoftBank's own $64.6B with earlier purchases; F172: $34.6B invested by Feb 2026
    assert "SoftBank counts $64.6B with earlier purchases ($34.6B invested by Feb 2026)" in softbank["label"]
    assert {"F104", "F172"} <= set(softbank["figure_ids"])
    assert softbank["floor_usd_bn"] == pytest.approx(60.5)  # the title's sum keeps the ledger's own deals


def test_nvidia_38b_sits_inside_amazon_138b_and_is_never_counted_twice(edges):
    nested = edges[~edges["counted"]]
    assert list(nested["company"]) == ["Nvidia"]
    row = nested.iloc[0]
    assert row["amount"] == "$38B" and "F075" in row["figure_ids"]  # F075: AWS $38B on Nvidia GPUs
    # OpenAI pays Amazon (F075), not Nvidia: the edge is a note, drawn without an arrowhead
    assert row["kind"] == "note" and row["label"].startswith("not a payment: Amazon's $38B cloud contract runs on")
    assert "as paid to Amazon" in row["label"] and row["floor_usd_bn"] == 0
    totals = network_words.firm_totals(edges)
    assert totals["purchases_usd_bn"] == pytest.approx(250 + 138 + 20)  # F021, F075 + F078, F176 (a floor)


def test_cerebras_loan_warrant_and_floor_keep_their_direction(edges):
    loan = edge(edges, "Cerebras", "loan")  # F178: OpenAI lends Cerebras $1B, closed
    assert loan["direction"] == network.FROM_OPENAI and loan["amount"] == "$1B" and loan["group"] == "firm"
    assert loan["figure_ids"] == ("F178",)
    warrant = edge(edges, "Cerebras", "warrant")  # F179: up to 33.4M shares
    assert warrant["direction"] == network.TO_OPENAI and warrant["bound"] == "at_most"
    # it vests in full only if OpenAI buys all 2 GW (F179): conditional, and the shares are Cerebras's
    assert warrant["group"] == "conditional" and "up to 33.4M Cerebras shares, to OpenAI" in warrant["label"]
    amd = edge(edges, "AMD", "warrant")  # F072: vests as deployment grows
    assert amd["group"] == "conditional"
    assert amd["label"].startswith("warrant for up to 160M AMD shares, to OpenAI, vesting as chips are bought")
    chips = edge(edges, "Cerebras", "chips")  # F176: more than $20B, signed
    assert chips["bound"] == "at_least" and chips["label"].startswith("more than $20B chips, signed (firm)")


def test_bounds_are_never_summed_as_their_value(edges):
    coreweave = edge(edges, "CoreWeave", "cloud")  # F056 $11.9B, F058 $4B, F059 up to $6.5B: press reports
    assert coreweave["floor_usd_bn"] == pytest.approx(15.9) and coreweave["group"] == "tentative"
    assert "up to $6.5B" in coreweave["label"] and "$22.4B" not in coreweave["label"]
    pledge = edge(edges, "Nvidia", "pledge")  # F069: up to $100B, superseded
    assert pledge["group"] == "lapsed" and pledge["floor_usd_bn"] == 0
    assert "up to $100B" in pledge["label"] and "superseded (lapsed)" in pledge["label"]


def test_network_title_counts_and_the_sentence_states_totals_with_their_bounds(book, edges):
    fig = charts.network_chart(edges, book.figures, book.sources)
    title = frame.chart_title(fig)
    # the title pairs one partner set each way: the circular part is what OpenAI buys from the partners that hold
    # firm equity in it (Microsoft $250B, Amazon $38B then $100B more) against that same set's equity (F014 $13B,
    # Amazon $15B; $11.8B + $15B paid in); the investors that sell nothing directly are the subtitle's first sentence
    assert title == (
        "OpenAI's firm deals commit it to pay these partners at least $408B for computing; $388B of it goes to "
        "Microsoft and Amazon, which put in $28B of firm equity ($26.8B paid in)"
    )
    assert frame.chart_subtitle(fig).startswith(
        "Nvidia and SoftBank put in about $90.6B of firm equity and sell OpenAI nothing directly."
    )
    # the totals bars: all purchases, the part from Microsoft and Amazon, then their equity and all partners' equity,
    # each its paid-in part then its committed part
    inset = fig.axes[1]
    widths = [p.get_width() for p in inset.patches if p.get_width() > 0]
    assert sorted(widths) == pytest.approx(sorted([408, 388, 26.8, 28 - 26.8, 77.4, 118.6 - 77.4]))
    # a short footer: the most-cited outlets, then where every source is
    # (every footer then ends with the ledger's as-of date)
    assert frame.chart_sources(fig).endswith(
        " more: every arrow's sources are in the chart's data file and in the compute commitments page's tables."
        + frame.as_of_words(book.sources)
    )
    sentence = network_words.network_sentence(edges)
    assert "at least $408B" in sentence and "$35B more is conditional" in sentence
    assert "firm equity deals with OpenAI of about $118.6B ($77.4B paid in, $41.2B committed)" in sentence
    # the as-of date once, at the footer's end: not again in the note; the note starts with the $408B's parts
    assert frame.chart_note(fig).startswith("At least $408B = Microsoft $250B + Amazon")
    # the note names the share's cap from its own row (F187, a press report), a ceiling in no sum
    assert frame.chart_note(fig).endswith(
        "Microsoft's revenue share runs under a cap of $38B through 2030 (press report): a ceiling on what OpenAI "
        "pays, not a payment, in no sum."
    )
    footer = frame.chart_sources(fig) + " " + frame.chart_note(fig)
    assert footer.count("1 Jul 2026") == 1
    assert legibility.legibility_problems(fig) == []
    assert "dotted" not in frame.chart_subtitle(fig)  # dotted is the grammar's mark for an assumption
    # shares OpenAI receives are not "equity into OpenAI": the subtitle says whose shares point in
    assert "partners' own shares and warrants given to OpenAI" in frame.chart_subtitle(fig)
    # the data file the footer points to names every edge's sources
    cites = network.edge_citations(book.figures, book.sources, edges)
    assert all(cites) and len(cites) == len(edges)
    # the note edge is a line, not an arrow: the arrows drawn are the counted edges only
    arrows = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrow"]
    assert len(arrows) == int(edges["counted"].sum())
    plt.close(fig)


def test_every_edge_takes_its_status_from_the_ledger(book, edges):
    # issue: SHARE_TERMS once drew F181 (announced) as a press report; a chart never overrules the ledger
    figures = book.figures.set_index("figure_id")
    for _, row in edges[edges["kind"].isin(["revenue share", "loan", "shares", "pledge"])].iterrows():
        # the edge's own row comes first (a revenue share's cap row, F187, follows it)
        assert row["status"] == figures.loc[row["figure_ids"][0], "status"], row["label"]
    share = edge(edges, "Microsoft", "revenue share")
    assert share["status"] == figures.loc["F181", "status"]
    assert share["group"] == status_group(figures.loc["F181", "status"])


def test_equity_paid_in_is_the_funding_pages_paid_in(book, edges):
    # one money vocabulary: each investor's paid in is funding's (closings count, F026 closed the 2024 round)
    summary = funding.investor_summary(book.figures)
    firm = edges[edges["kind"].eq("equity") & edges["group"].eq("firm")]
    for _, row in firm.iterrows():
        assert row["paid_usd_bn"] == pytest.approx(
            min(summary.loc[row["company"], "paid_in_usd_bn"], row["floor_usd_bn"])
        )
        assert "paid in" in row["label"] and "not reported paid" not in row["label"]
    totals = network_words.firm_totals(edges)
    assert totals["paid_usd_bn"] == pytest.approx(
        11.8 + 15 + 0.1 + 50.5
    )  # F016; F088 at F109's close; F031; F114-5+F030


def test_a_firm_edge_never_claims_more_than_its_weakest_part(book, edges):
    # F116, SoftBank's $10B third tranche, is signed: the edge cannot say closed while any part is only signed
    due = funding.unpaid_tranches(book.figures)
    for company in set(due["investor"]) & set(edges["company"]):
        row = edge(edges, company, "equity", "firm")
        weakest = min(due.loc[due["investor"].eq(company), "status"], key=FIRM_STATUSES.index)
        assert FIRM_STATUSES.index(row["status"]) <= FIRM_STATUSES.index(weakest)


def test_the_purchases_total_is_said_as_its_parts_with_the_other_reading(book, edges):
    words = network_words.purchases_parts(book.figures, edges)
    out = network_words.firm_purchases(edges)
    # the parts named are the edges summed, and they add to the title's number
    assert out["floor_usd_bn"].sum() == pytest.approx(network_words.firm_totals(edges)["purchases_usd_bn"])
    for _, row in out[out["floor_usd_bn"].gt(0)].iterrows():
        assert row["amount"] in words
    # what is left out is named: Oracle's press-reported $300B (F063), not firm
    oracle = edge(edges, "Oracle", "cloud")  # F063: the press-reported $300B
    assert "Left out: press reports and talks" in words and f"Oracle {oracle['amount']}" in words
    assert oracle["group"] == "tentative" and "$300B" in oracle["amount"]
    # F160 reads the AWS expansion as $100B in all: 408 - (38 + 100) + 100
    assert network_words.alternative_floor(book.figures, edges) == pytest.approx(370)
    assert "the sum is $370B." in words
    # F178: OpenAI's $1B loan to Cerebras is lent, not bought: named as outside the $408B
    assert words.endswith("OpenAI's $1B loan to Cerebras (closed) is lent, not bought, so it is not in the $408B.")


@pytest.fixture(scope="module")
def events(book):
    return timeline.events(book.figures)


def test_one_row_per_event_and_no_revenue_or_forecast(events, book):
    assert events["event"].is_unique
    kept = book.figures[book.figures["event"].isin(events["event"]) & book.figures["reading"].eq("used")]
    assert not set(kept["event"]) & {"revenue-2025", "burn-forecast", "compute-history", "funding-total"}
    assert {"round-2026", "amazon-investment", "ipo", "tender-2024-early", "cerebras"} <= set(events["event"])


def test_amazon_status_history_by_hand(events):
    # F001 in talks 17 Dec 2025; F085 press report 26 Feb 2026; F088/F089 signed 27 Feb 2026
    row = events.set_index("event").loc["amazon-investment"]
    assert row["path"] == "in talks (Dec 2025) → press report (Feb 2026) → signed (Feb 2026)"
    # $15B up front (F088) and $35B conditional (F089): the size names the conditional part
    assert row["size"] == "$50B ($35B conditional)" and row["lane"] == "Rounds and investments"


def test_a_round_shows_its_committed_total_at_close_and_a_lapse(events):
    rows = events.set_index("event")
    # F109, closed 31 Mar 2026, committed money that holds Amazon's conditional $35B (F089)
    assert rows.loc["round-2026", "size"] == "$122B in all, incl. $35B conditional"
    assert rows.loc["round-2026", "path"].endswith("closed (Mar 2026)")
    assert rows.loc["nvidia-loi", "group"] == "lapsed"  # F068 stalled, F069 superseded
    # F157 up to $1T is the reading used; F156 said more than $1T: the label does not hide it (F155's range fits)
    assert rows.loc["ipo", "size"] == "up to $1T (one report: more than $1T)"
    assert rows.loc["ipo", "lane"] == "Listing reports"
    assert rows.loc["tender-2024-early", "size"] == "valued at $86B"  # F025


def test_status_steps_keep_only_changes_and_the_most_advanced_of_a_day(book):
    rows = timeline.event_rows(book.figures)
    steps = timeline.status_steps(rows[rows["event"].eq("cerebras")])
    # F076 reported 15 Jan, F077 announced 15 Jan: the day shows announced; F162 reported later is a recap, not a
    # step back; F178 closed 17 Apr
    assert list(steps["status"]) == ["announced", "closed"]


def test_an_event_takes_its_status_from_its_own_rows(events):
    rows = events.set_index("event")
    # Cerebras: the chip deal announced (F077) then signed (F176); the $1B loan's closing (F178) is the loan's
    assert rows.loc["cerebras", "path"] == "announced (Jan 2026) → signed (Apr 2026)"
    assert rows.loc["cerebras", "status"] == "definitive"
    # a round's valuation talks are the round's own: the March 2025 round began as talks (Feb 2025)
    assert rows.loc["round-2025-03", "path"].startswith("in talks (Feb 2025)")


def test_a_loan_openai_is_no_party_to_is_named_as_the_borrowers_own(events):
    # F108/F175: lenders to SoftBank, to fund its stake; not money into OpenAI
    row = events.set_index("event").loc["softbank-bridge-loan"]
    assert row["deal"] == "SoftBank's own loan for its OpenAI stake" and row["lane"] == "Loans"
    assert events.set_index("event").loc["openai-credit-line", "deal"] == "OpenAI credit line (Mar 2026)"  # F112


def test_a_running_total_is_named_as_a_total_to_its_date(events):
    # F039: $2.2B invested through Vision Fund 2 since Sep 2024, reported 1 Apr 2025: overlaps F030 and F032
    row = events.set_index("event").loc["softbank-vf2-2024"]
    assert timeline.label_words(row) == "SoftBank Vision Fund 2 stake, total to Apr 2025: closed, $2.2B"


def test_a_filed_total_says_how_much_of_it_was_paid_in(events):
    # F014: Microsoft's $13B committed; F016: $11.8B funded by Mar 2026 (its 10-Q)
    row = events.set_index("event").loc["microsoft-cumulative"]
    assert row["size"] == "$13B in all, $11.8B paid in"


def test_a_later_recap_is_not_a_status_change(events):
    rows = events.set_index("event")
    # AWS: F075 announced Nov 2025, F004 a press recap after it; Stargate Michigan: F174 announced, F173 reported
    assert rows.loc["aws-2025", "path"] == "announced (Nov 2025)"
    assert rows.loc["stargate-michigan", "path"] == "announced (Oct 2025)"
    assert "press report" not in rows.loc["round-2025-03", "path"]  # F040, a recap after the announcement
    assert rows.loc["nvidia-loi", "path"].endswith("stalled (Jan 2026) → superseded (Mar 2026)")  # lapses stay
    assert (events["n_steps"] > 1).sum() == 10
    # the sentence counts the table's 38 (the chart's title counts the 35 it draws) and says which it counts
    assert timeline.timeline_sentence(events).startswith("Of the 39 events in the table below, 10 changed status")


def test_timeline_labels_what_fits_and_the_table_names_the_rest(book, events):
    marks = charts.event_marks(book.figures)
    labelled = set(marks[marks.eq("labelled")].index)
    assert {"round-2026", "microsoft-azure", "oracle-cloud", "amazon-investment"} <= labelled
    assert marks["microsoft-2019"] == "not drawn: reported before Jul 2024"
    table = timeline.event_table(events, marks, book.sources, book.figures)
    assert len(table) == len(events) == len(marks)
    assert list(table["on the chart"]) == list(marks[events["event"]])
    fig = charts.event_timeline(book.figures, book.sources)
    # every mark drawn has words (undisclosed deals such as AMD and Broadcom included); the 3 older are in the table
    assert len(events) - len(labelled) == 3 and {"amd", "broadcom", "amazon-trainium"} <= labelled
    assert frame.chart_note(fig).startswith("Not drawn: the 3 events reported only before Jul 2024")
    assert "Unlabelled marks" not in frame.chart_note(fig)
    # two of the 38 are running totals that repeat other events' money (F014-F016, F039): the note says so
    assert timeline.running_totals(book.figures, events) == [
        "SoftBank Vision Fund 2 stake, total to Apr 2025",
        "Microsoft's total investment",
    ]
    assert "Counts are of events, not separate deals: 2 drawn are running totals" in frame.chart_note(fig)
    # the Nvidia letter of intent's Jan 2026 marker is 'stalled' (F068): the subtitle names it beside lapsed
    assert "empty dashed: lapsed (stalled or superseded)" in frame.chart_subtitle(fig)
    # the employee share sales SoftBank bought name it in words, not only by colour
    # one event a row: the October 2024 round and SoftBank in the 2026 round no longer read as one line
    drawn = timeline_chart.layout(events, timeline_chart.window_start(events), events["last_reported"].max())
    assert not drawn.duplicated(["lane", "row"]).any()
    sale = events[events["deal"].eq("Early-2025 employee share sale")].iloc[0]
    assert timeline.label_words(sale).startswith("Early-2025 employee share sale to SoftBank")
    # the revenue share (F181) is one report with no dollar size: the note says why the timeline leaves it out,
    # and gives it no status of its own (the network chart draws it at the ledger's)
    assert (
        "and a revenue-share term (Microsoft's share of OpenAI's revenue): a contract's term reported once, with no "
        "size in dollars but a ceiling on its payments (up to $38B) and no status history" in frame.chart_note(fig)
    )
    assert "press report" not in frame.chart_note(fig)
    # a short footer: the most-cited outlets, then 'N more' and where they are (frame.footer's form)
    assert " more: each event's sources, report by report, are in the table below." in frame.chart_sources(fig)
    assert frame.chart_sources(fig).count(";") <= timeline_chart.SOURCE_OUTLETS
    assert "The ledger's other 14 events are revenue, forecasts, other running totals" in frame.chart_note(fig)
    assert legibility.legibility_problems(fig) == []
    start = timeline_chart.window_start(events)
    assert start == pd.Timestamp("2024-07-01")
    plt.close(fig)


def test_timeline_markers_are_big_enough_to_tell_hatched_from_lapsed(book):
    # at 30 pt² a hatched (tentative) marker read as an empty ring, close to a lapse's dashed ring
    fig = charts.event_timeline(book.figures, book.sources)
    markers = [c for c in fig.axes[0].collections if len(c.get_offsets())]
    assert markers and min(float(c.get_sizes()[0]) for c in markers) >= 50
    hatched = [c for c in markers if c.get_hatch()]
    dashed = [c for c in markers if c.get_linestyle()[0][1] is not None]
    assert hatched and dashed and not {id(c) for c in hatched} & {id(c) for c in dashed}
    plt.close(fig)


def test_the_timeline_axis_never_starts_with_a_month_alone(book):
    fig = charts.event_timeline(book.figures, book.sources)
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert ticks[0] == "Sep 2024" and "2025" in ticks and "2026" in ticks
    plt.close(fig)


def test_timeline_title_counts_what_is_drawn(book, events):
    fig = charts.event_timeline(book.figures, book.sources)
    start = timeline_chart.window_start(events)
    drawn = timeline_chart.layout(events, start, events["last_reported"].max())
    firmed = drawn[drawn["steps"].map(lambda s: status_group(s["status"].iloc[0])).eq("tentative")]
    firmed = firmed[firmed["group"].eq("firm")]
    # by hand: 38 events, 3 reported only before Jul 2024 (F009-F011), so 35 drawn
    assert len(drawn) == 36 == len(events) - 3  # F186, the filing notice, is its own event
    # the title's numbers are those of the events drawn, and a finding (what firmed, what lapsed)
    title = frame.chart_title(fig)
    assert title.startswith(f"{len(firmed)} of the {len(drawn)} events drawn went from talks or press reports")
    # F068/F069, the only lapsed event drawn: the title says the ledger's word, as its label does
    assert title.endswith("the Nvidia chip letter of intent was superseded")
    # every event drawn is one row with its markers, and the markers drawn are its status steps, one each
    markers = [c for c in fig.axes[0].collections if len(c.get_offsets())]
    shown = drawn["steps"].map(lambda s: int((s["reported_on"] >= start).sum())).sum()
    assert len(markers) == shown
    plt.close(fig)


def test_status_steps_days_apart_are_separate_markers(events):
    # SoftBank 2026: press report 26 Feb (F098), announced 27 Feb (F102), signed 2 Mar (F103): three markers apart
    start = timeline_chart.window_start(events)
    drawn = timeline_chart.layout(events, start, events["last_reported"].max()).set_index("event")
    span = float(drawn["right"].iloc[0])
    gap = timeline_chart.marker_gap_days(span)
    for marks in drawn["marks"]:
        assert all((b - a).days >= gap - 1 for a, b in zip(marks, marks[1:], strict=False))
    assert len(drawn.loc["softbank-2026", "marks"]) == drawn.loc["softbank-2026", "n_steps"] == 5


def test_a_label_says_the_status_and_what_was_paid(events):
    rows = events.set_index("event")
    # F114-F115: $20B of SoftBank's $30B closed; F116's third $10B is signed: the event is signed, not closed
    softbank = rows.loc["softbank-2026"]
    assert softbank["status"] == "definitive"
    assert (
        timeline.label_words(softbank) == "SoftBank in the 2026 round: signed, part closed, $30B in all, $20B paid in"
    )
    # the table's path ends where the label does: its last step is closed, the event overall signed (one rule)
    assert softbank["steps"]["status"].iloc[-1] == "closed"
    assert softbank["path"].endswith("; overall signed, part closed (a part still due)")
    # an event whose status is its last step says nothing more, in the label or the path
    azure = rows.loc["microsoft-azure"]
    assert ", part" not in timeline.label_words(azure) and "overall" not in azure["path"]
    # every label says its status in words, so no key is needed to read it
    for _, row in events.iterrows():
        assert f": {STATUS_NAMES[row['status']]}" in timeline.label_words(row)


def test_a_size_from_a_later_report_says_its_own_status(events):
    # Stargate Michigan: F174 announced Oct 2025 with no cost; the $16B is F173, a press report of Jun 2026
    row = events.set_index("event").loc["stargate-michigan"]
    assert row["size"] == "$16B (size from a press report, Jun 2026)" and row["status"] == "announced"


def test_a_line_ends_at_its_last_status_marker(book, events):
    # Stargate Michigan's $16B (Jun 2026) changed no status: its line stops at the Oct 2025 announcement
    fig = charts.event_timeline(book.figures, book.sources)
    start = timeline_chart.window_start(events)
    drawn = timeline_chart.layout(events, start, events["last_reported"].max())
    lines = [line for line in fig.axes[0].lines if len(line.get_xdata()) == 2 and line.get_alpha() == 0.6]
    ends = sorted(pd.Timestamp(max(line.get_xdata())).normalize() for line in lines)
    expected = sorted(pd.Timestamp(m[-1]).normalize() for m in drawn["marks"])
    assert ends == expected
    michigan = drawn.set_index("event").loc["stargate-michigan"]
    assert michigan["marks"][-1] == pd.Timestamp("2025-10-31")
    plt.close(fig)


def _with_cap(figures: pd.DataFrame, **cells) -> pd.DataFrame:
    """The ledger with F187 (the share's cap) changed, or dropped when cells is empty."""
    if not cells:
        return figures[figures["figure_id"].ne("F187")]
    figures = figures.copy()
    for column, value in cells.items():
        figures.loc[figures["figure_id"].eq("F187"), column] = value
    return figures


def test_revenue_share_cap_comes_from_the_ledger_and_is_never_summed(book, edges):
    # F187: up to $38B in all through 2030, a ceiling on F181's payments; no total may add it
    share = edge(edges, "Microsoft", "revenue share")
    assert share["floor_usd_bn"] == 0 and pd.isna(share["value_usd_bn"]) and share["paid_usd_bn"] == 0
    assert network_words.firm_totals(edges)["purchases_words"] == "at least $408B"
    assert "revenue share" not in set(network_words.firm_purchases(edges)["kind"])
    # the size follows the row: another size or status in the ledger changes the words
    changed = network.edges(_with_cap(book.figures, value=40.0, high=40.0, status="announced"))
    assert edge(changed, "Microsoft", "revenue share")["label"].endswith(
        "under a cap of $40B through 2030 (announced); press report (tentative)"
    )
    assert (
        network_words.firm_totals(changed)["purchases_usd_bn"] == network_words.firm_totals(edges)["purchases_usd_bn"]
    )
    # with no row giving the size, the words fall back to the cap the companies announced without one
    bare = _with_cap(book.figures)
    fallback = network.edges(bare)
    assert edge(fallback, "Microsoft", "revenue share")["label"].endswith(
        "through 2030, under a total cap of undisclosed size; press report (tentative)"
    )
    assert edge(fallback, "Microsoft", "revenue share")["figure_ids"] == ("F181",)
    assert network.share_note(bare, fallback) == " Microsoft's revenue share is a term with no total, in no sum."
    # an undisclosed cap row gives no size: still the fallback
    hidden = network.edges(_with_cap(book.figures, value=float("nan"), high=float("nan"), qualifier="undisclosed"))
    assert "undisclosed size" in edge(hidden, "Microsoft", "revenue share")["label"]


def test_cap_words_keep_the_rows_bound():
    row = pd.Series(
        {
            "value": 38.0,
            "qualifier": "up_to",
            "low": None,
            "high": 38.0,
            "unit": "usd_bn",
            "period": "2030",
            "status": "reported",
        }
    )
    assert network.cap_words(row) == "a cap of $38B through 2030 (press report)"
    about = row.copy()
    about["qualifier"], about["high"] = "about", None
    assert network.cap_words(about) == "a cap of about $38B through 2030 (press report)"


def test_the_title_pairs_purchases_and_equity_of_one_partner_set(edges):
    circular = network_words.circular_totals(edges)
    counted = edges[edges["counted"]]
    equity = counted[counted["direction"].eq(network.TO_OPENAI) & counted["kind"].eq("equity")]
    equity = equity[equity["group"].eq("firm")]
    out = network_words.firm_purchases(edges)
    # the set is every firm investor that also sells to OpenAI, and both sums are taken over that set alone
    assert circular["partners"] == [c for c in dict.fromkeys(equity["company"]) if c in set(out["company"])]
    assert circular["purchases_usd_bn"] == pytest.approx(
        out.loc[out["company"].isin(circular["partners"]), "floor_usd_bn"].sum()
    )
    assert circular["equity_usd_bn"] == pytest.approx(
        equity.loc[equity["company"].isin(circular["partners"]), "floor_usd_bn"].sum()
    )
    # by hand: Microsoft $250B + Amazon $38B + $100B = $388B; equity $13B + $15B = $28B, paid $11.8B + $15B
    assert (circular["purchases_usd_bn"], circular["equity_usd_bn"]) == pytest.approx((388, 28))
    assert circular["paid_usd_bn"] == pytest.approx(26.8)
    # the investors left out of the pairing sell nothing directly, and the three sums split the firm equity
    assert set(circular["investors_only"]) == {"Nvidia", "SoftBank"}
    assert not set(circular["investors_only"]) & set(out["company"])
    totals = network_words.firm_totals(edges)
    rest = equity.loc[equity["company"].isin(circular["investors_only"]), "floor_usd_bn"].sum()
    assert circular["equity_usd_bn"] + rest == pytest.approx(totals["equity_usd_bn"])
    # every company the title names on one side is named by the same set on the other
    title = network_words.network_title(edges)
    for company in set(equity["company"]) | set(out["company"]):
        assert (company in title) == (company in circular["partners"])
