"""Every chart of notebooks 01-05, built without a kernel from the shipped data, read as a graphics editor would."""
# ruff: noqa: E402  (the Agg backend is chosen before anything imports pyplot)

from __future__ import annotations

import ast
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest

from helpers import charts, data
from helpers.analysis import (
    cash,
    compute,
    flows,
    funding,
    listing_odds,
    network,
    scenarios,
)
from helpers.build import report
from helpers.charts import frame, grammar, legibility
from helpers.charts import funding as funding_charts
from helpers.charts import listing_odds as odds_charts
from helpers.charts import scenarios as scenario_charts
from helpers.data import views, vocabulary
from helpers.notebook import (
    parameters,
    tables,
)


def notebook_parameters(stem: str) -> dict:
    """The literals of a notebook's `parameters` cell, so the test draws what the notebook draws."""
    notebook = nbformat.read(report.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.AnnAssign):  # `NAME: type = value`, as every parameters cell declares
            values[node.target.id] = ast.literal_eval(node.value)
    return values


@pytest.fixture(scope="module")
def book():
    frame.use_house_style()
    return data.load_ledger()


def chart_builders(book) -> dict:
    """name -> a function that builds one chart exactly as its notebook cell does."""
    figures, sources = book.figures, book.sources
    p02, p03 = (notebook_parameters(s) for s in ("02-funding", "03-compute-commitments"))
    firm = tuple(p02["COUNT_AS_FIRM"])
    deals = compute.commitments(figures, include_lapsed=False)
    in_schedule = deals if p03["INCLUDE_PRESS_REPORTS"] else deals[deals["status"].isin(vocabulary.FIRM_STATUSES)]
    term, delay = p03["ASSUMED_TERM_YEARS"], p03["ASSUMED_START_DELAY_YEARS"]
    schedule = compute.annual_schedule(in_schedule, term, delay)
    investors = funding.investor_summary(figures)
    return {
        "01 status": lambda: charts.ledger_status_chart(figures, sources),
        "01 timeline": lambda: charts.event_timeline(figures, sources),
        "02 deals": lambda: charts.capital_per_deal_chart(figures, sources),
        "02 cumulative": lambda: charts.cumulative_capital_chart(figures, sources, firm),
        "02 valuation marks": lambda: charts.valuation_marks_chart(figures, sources, firm),
        "02 investors": lambda: charts.investor_chart(investors, figures, sources),
        "03 providers": lambda: charts.provider_chart(deals, sources),
        "03 schedule": lambda: charts.schedule_chart(schedule, in_schedule, sources, term, delay),
        "03 comparison": lambda: charts.comparison_chart(
            compute.comparison_table(deals, schedule, figures, tuple(vocabulary.FIRM_STATUSES)), deals, figures, sources
        ),
        "03 flows": lambda: charts.flows_chart(
            flows.two_way_flows(compute.commitments(figures), compute.vendor_pledges(figures), investors, figures),
            figures,
            sources,
        ),
        "03 network": lambda: charts.network_chart(network.edges(figures), figures, sources),
    }


# the module keeps every chart open while it inspects them (and frame.use_house_style resets rcParams)
pytestmark = pytest.mark.filterwarnings("ignore:More than 20 figures have been opened:RuntimeWarning")


@pytest.fixture(scope="module")
def built(book):
    figures = {name: build() for name, build in chart_builders(book).items()}
    yield figures
    for fig in figures.values():
        plt.close(fig)


def all_text(fig) -> list[str]:
    """Every non-empty string drawn on a figure."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


NAMES = ["01 status", "01 timeline", "02 deals", "02 cumulative", "02 valuation marks", "02 investors"]
NAMES += ["03 providers", "03 schedule", "03 comparison", "03 flows", "03 network"]


@pytest.mark.parametrize("name", NAMES)
def test_chart_is_legible_at_report_size(built, name):
    assert legibility.legibility_problems(built[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_chart_says_its_finding_in_words_and_names_outlets(built, book, name):
    fig = built[name]
    title = frame.chart_title(fig)
    assert re.search(r"\d", title), f"{name}: the title states no finding: {title!r}"
    assert frame.chart_subtitle(fig), f"{name}: no subtitle saying what is measured"
    sources_line = frame.chart_sources(fig)
    assert "Source" in sources_line
    assert not re.search(r"\b[AS]\d{2,3}\b", sources_line), f"{name}: the source line shows ids: {sources_line}"
    slugs = set(book.figures["event"]) | set(book.figures["category"]) | set(book.figures["metric"])
    slugs = {s for s in slugs if "-" in s or "_" in s}
    for text in all_text(fig):
        assert "_" not in text, f"{name}: snake_case on the chart: {text!r}"
        found = [s for s in slugs if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
        assert not found, f"{name}: data keys on the chart: {found} in {text!r}"


def test_provider_chart_shows_each_deal_once_and_no_vendor_pledge(built, book):
    fig = built["03 providers"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(set(labels))
    nvidia_pledge = compute.vendor_pledges(book.figures)["deal"]
    assert not set(nvidia_pledge) & set(labels)


def test_valuation_marks_label_every_firm_mark_and_the_tender(built, book):
    texts = " | ".join(all_text(built["02 valuation marks"]))
    marks = funding.valuation_marks(book.figures)
    for row in marks[marks["status"].isin(vocabulary.FIRM_STATUSES)].itertuples():
        assert tables.money(row.value) in texts, f"{row.figure_id} ({tables.money(row.value)}) is not labelled"


def test_timeline_draws_one_marker_per_deal_and_date(built, book):
    """A closing and a press report on the same day show as the closing, not a hollow marker on a filled one."""
    ax = built["01 timeline"].axes[0]
    points = [tuple(c.get_offsets()[0]) for c in ax.collections]
    assert len(points) == len(set(points))


def test_schedule_draws_assumed_timing_in_the_assumption_encoding_only(built):
    ax = built["03 schedule"].axes[0]
    dotted = [p for p in ax.patches if p.get_hatch() == grammar.ASSUMED_HATCH]
    assert dotted, "no bar uses the assumption encoding"
    assert all(p.get_facecolor()[:3] == (1.0, 1.0, 1.0) and p.get_linestyle() == ":" for p in dotted)
    for name, fig in built.items():
        if name != "03 schedule" and name != "03 comparison":
            assert not [p for p in fig.axes[0].patches if p.get_hatch() == grammar.ASSUMED_HATCH], name


def test_company_colours_mean_companies_only(built):
    """The listing talk and other non-company meanings are drawn in greys, never in a company's colour."""
    ax = built["02 valuation marks"].axes[0]
    companies = {matplotlib.colors.to_hex(c) for n, c in grammar.COMPANY_COLORS.items() if n != "OpenAI"}
    for collection in ax.collections:
        edges = {matplotlib.colors.to_hex(c) for c in collection.get_edgecolor()}
        assert not edges & companies


# ----- notebooks 04 and 05 ------------------------------------------------------------------------------------


def later_builders(book) -> dict:
    """name -> a function that builds one chart of 04 or 05 from the notebook's default parameters, as its cell does."""
    p04 = notebook_parameters("04-valuation-scenarios")
    params = parameters.check(p04, scenarios.parameter_specs(book))
    marks = scenarios.marks(book.scenarios, book.figures)
    listing = scenarios.listing(book.scenarios, book.figures, params)
    numbers, bounds = scenarios.side_by_side(marks, listing, book.figures, params)
    case_table = scenarios.cases(book.scenarios, book.figures)
    case_grid = scenarios.case_grid(case_table, marks, params)
    # the sensitivity grid of notebook 04's cell
    values, years, dilutions = np.arange(400, 2001, 200.0), np.arange(0.5, 4.01, 0.5), np.arange(0.0, 0.41, 0.05)
    mark = marks.loc[params.investment_mark]
    elapsed = scenarios.elapsed_years(mark, params)
    cube = scenarios.grid(
        params.investment_usd_bn, mark["valuation_usd_bn"], elapsed, values, years, dilutions, mark["kept_share"]
    )
    base = scenarios.nearest_cell(params, values, years, dilutions)
    p05 = notebook_parameters("05-listing-odds") | {"DRAWS": 100_000}  # fewer draws: the same shape, faster
    odds_params = parameters.check(p05, listing_odds.parameter_specs())
    dists = listing_odds.distributions(odds_params)
    odds_marks = listing_odds.marks(book.scenarios, book.figures)
    sample = listing_odds.draw(
        dists, odds_params["DRAWS"], odds_params["SEED"], odds_params["DILUTION_PER_YEAR_OF_DELAY"]
    )
    unlisted = listing_odds.unlisted_multiples(odds_marks, odds_params["NO_LISTING_HAIRCUT"])
    odds = listing_odds.summary(
        listing_odds.simulate(odds_marks, sample, odds_params["AS_OF"]),
        odds_params["HURDLE_RATE"],
        odds_params["LISTING_CHANCE"],
        unlisted,
    )
    references = listing_odds.references(book.figures, odds_params["AS_OF"])
    cited = views.sources_of(listing_odds.cited_figures(odds_marks, book.figures))
    p06 = parameters.check(notebook_parameters("06-cash"), cash.parameter_specs(book))
    deals06 = compute.commitments(book.figures, include_lapsed=False)
    firm06 = deals06[deals06["status"].isin(vocabulary.FIRM_STATUSES)]
    in_schedule = deals06 if p06.include_press_reports else firm06
    schedule06 = compute.annual_schedule(in_schedule, p06.assumed_term_years, p06.assumed_start_delay_years)
    year_view = cash.year_view(book.figures, schedule06, p06.year)
    return {
        "04 marks": lambda: scenario_charts.marks_chart(
            marks, listing, numbers, bounds, params, book.sources, book.figures
        ),
        "04 cases": lambda: scenario_charts.case_grid_chart(
            case_grid, case_table, marks, params, book.sources, book.figures
        ),
        "04 sensitivity": lambda: scenario_charts.sensitivity_chart(
            cube, values, years, dilutions, base, mark, params, book.sources
        ),
        "05 inputs": lambda: odds_charts.input_distributions(
            dists, references, book.sources, cited, odds_params["AS_OF"]
        ),
        "05 odds": lambda: odds_charts.odds_bands(
            odds_marks, odds, book.sources, cited, dists, odds_params["AS_OF"], odds_params["HURDLE_RATE"]
        ),
        "06 results": lambda: charts.results_chart(cash.results(book.figures), book.sources),
        "06 year": lambda: charts.year_chart(
            year_view, p06.year, cash.view_sources(year_view, book.figures, deals06), book.sources, book.figures
        ),
    }


@pytest.fixture(scope="module")
def later(book):
    figures = {name: build() for name, build in later_builders(book).items()}
    yield figures
    for fig in figures.values():
        plt.close(fig)


LATER = ["04 marks", "04 cases", "04 sensitivity", "05 inputs", "05 odds", "06 results", "06 year"]


@pytest.mark.parametrize("name", LATER)
def test_later_chart_is_legible_at_report_size(later, name):
    assert legibility.legibility_problems(later[name]) == []


@pytest.mark.parametrize("name", LATER)
def test_later_chart_says_its_finding_in_words_and_names_outlets(later, name):
    fig = later[name]
    assert frame.is_house_figure(fig) and fig.get_figwidth() == frame.HOUSE_WIDTH_IN
    assert re.search(r"\d", frame.chart_title(fig)), f"{name}: the title states no finding"
    assert frame.chart_subtitle(fig)
    sources_line = frame.chart_sources(fig)
    assert sources_line.startswith("Source") and not re.search(r"\b[AS]\d{2,3}\b", sources_line)
    for text in all_text(fig):
        keys = re.search(r"\d{4}-\d{2}\b|\bF\d{3}\b", text)
        assert "_" not in text and not keys, f"{name}: a key on the chart: {text!r}"


@pytest.mark.parametrize("name", LATER)
def test_later_charts_use_no_company_colour(later, name):
    """Prices, multiples and odds are not a company's: no bar or band takes a company colour."""
    companies = {matplotlib.colors.to_hex(c) for n, c in grammar.COMPANY_COLORS.items() if n != "OpenAI"}
    for ax in later[name].axes:
        for patch in ax.patches:
            assert matplotlib.colors.to_hex(patch.get_facecolor()) not in companies
            assert matplotlib.colors.to_hex(patch.get_edgecolor()) not in companies


def test_assumed_inputs_use_the_assumption_encoding(later):
    for ax in later["05 inputs"].axes:
        filled = [c for c in ax.collections if c.get_hatch()]
        assert filled and all(c.get_hatch() == grammar.ASSUMED_HATCH for c in filled)


def test_odds_bands_keep_a_floor_price_s_direction(later, book):
    """A price that was a floor caps the multiple and makes the loss chance a floor, never the other way round;
    a zero chance is said in words, not as 'at least 0%'. No price paid in the ledger is a floor today, so the
    floor is put on the latest one here."""
    labels = [t for t in all_text(later["05 odds"]) if "of draws" in t or "any draw" in t]
    assert labels and not any("or more" in t or "least 0%" in t or "in 0%" in t for t in labels)
    marks = listing_odds.marks(book.scenarios, book.figures)
    latest = listing_odds.latest(marks)
    marks.loc[latest, "direction"] = "at most"
    checked = parameters.check(notebook_parameters("05-listing-odds"), listing_odds.parameter_specs())
    dists = listing_odds.distributions(checked)
    sample = listing_odds.draw(dists, 20_000, 1)
    odds = listing_odds.summary(listing_odds.simulate(marks, sample, pd.Timestamp("2026-11-22")), 0.1)
    fig = odds_charts.odds_bands(marks, odds, book.sources, [], dists, pd.Timestamp("2026-11-22"), 0.1)
    floored = [t for t in all_text(fig) if "floor" in t and ("of draws" in t or "any draw" in t)]
    assert floored
    for text in floored:
        assert "median at most" in text
        assert "loss in at least" in text or "no loss in any draw at the floor price" in text


def test_odds_loss_words_keep_the_direction():
    """The words for each chance and direction: a floor price makes a zero chance a floor, a ceiling the opposite."""
    words = odds_charts._loss_words
    assert words(0.21, "at most") == "loss in at least 21% of draws"
    assert words(0.21, "at least") == "loss in at most 21% of draws"
    assert words(0.001, "") == "loss in under 1% of draws"
    assert words(0.0, "at most").startswith("no loss in any draw at the floor price")
    assert words(0.0, "") == "no loss in any draw"


def test_later_charts_state_the_assumed_values_not_a_cell(later):
    """Readers of the report never see the notebook's parameter cell: the charts give the values instead."""
    for name in ("04 sensitivity", "05 odds"):
        text = " ".join(all_text(later[name]))
        assert "Assumptions cell" not in text
    assert re.search(
        r"central case \(listing \$[\d.]+[BT], \d+% dilution, [\d.]+ years?\)",
        " ".join(all_text(later["04 sensitivity"])),
    )
    assert re.search(r"listing value \$[\d.]+[BT] to \$[\d.]+[BT]", " ".join(all_text(later["05 odds"])))


def test_input_chart_names_reported_figures_directly(later):
    """No numbered key: each reported line carries its words; a floor ('$60B+') gets the arrow; ticks are round."""
    fig = later["05 inputs"]
    texts = all_text(fig)
    assert not any(re.fullmatch(r"\d", t) for t in texts) and not any("Reported lines" in t for t in texts)
    assert any("reported" in t for t in texts)
    arrows = [line for ax in fig.axes for line in ax.get_lines() if line.get_marker() == ">"]
    assert arrows, "the '$60B+' raise is a floor and has no arrow"
    listing_ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert all(re.fullmatch(r"\$(\d+B|\d(\.\d)?T)", t) for t in listing_ticks), listing_ticks
    assert any("years after" in t for t in texts)


def _lab(color) -> np.ndarray:
    """CIELAB of an sRGB colour (D65), to measure how far apart two colours look."""
    rgb = np.asarray(matplotlib.colors.to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = np.cbrt(xyz / np.array([0.9505, 1.0, 1.089]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_heatmaps_read_losses_as_losses(later):
    """The deepest loss on the grid is the most saturated loss colour, and money back is near-white: the scale is
    centred on 1.0x, its ends from the data."""
    for name in ("04 sensitivity", "04 cases"):
        image = later[name].axes[0].images[0]
        values = np.asarray(image.get_array())
        assert image.norm.vcenter == 1.0 and image.norm.vmin == pytest.approx(min(values.min(), 0.9))
        assert image.norm.vmax == pytest.approx(max(values.max(), 1.1)) and image.norm.vmin != 2 - image.norm.vmax
        losses = values[values < 1]
        assert losses.size, f"{name}: no loss on the grid to check"
        chroma = [np.hypot(*_lab(image.cmap(image.norm(v)))[1:]) for v in losses]
        lightness = [_lab(image.cmap(image.norm(v)))[0] for v in losses]
        assert np.argmin(lightness) == np.argmin(losses), f"{name}: the deepest loss is not the darkest cell"
        red, green, blue, _ = image.cmap(image.norm(values.min()))
        assert blue > green and red > green, f"{name}: the deepest loss is not purple"
        assert np.argmax(chroma) == np.argmin(losses), f"{name}: the deepest loss is not the most saturated cell"
        assert _lab(image.cmap(image.norm(1.0)))[0] > 90, f"{name}: money back is not near-white"


def test_heatmap_scale_keeps_clear_of_company_colours():
    """Loss and gain are not a company's: no colour on the scale is within a just-distinct step of a company hue."""
    companies = {n: _lab(c) for n, c in grammar.COMPANY_COLORS.items() if n not in ("OpenAI", "Others")}
    for t in np.linspace(0, 1, 101):
        here = _lab(grammar.LOSS_GAIN_CMAP(t))
        near = {n: float(np.linalg.norm(here - lab)) for n, lab in companies.items()}
        closest = min(near, key=near.get)
        assert near[closest] > 20, f"scale at {t:.2f} looks like {closest}'s colour (delta E {near[closest]:.0f})"


# ----- the checks themselves must catch what they look for ---------------------------------------------------


def small_figure():
    fig, ax = frame.new_figure(height=3)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    return fig, ax


def test_checker_finds_overlapping_text():
    fig, ax = small_figure()
    ax.text(5, 5, "first label here")
    ax.text(5.2, 5.1, "second label here")
    assert any("overlaps" in p for p in legibility.legibility_problems(fig))


def test_checker_finds_small_text():
    fig, ax = small_figure()
    ax.text(2, 2, "tiny", fontsize=6)
    assert any("tiny" in p and "pt" in p for p in legibility.legibility_problems(fig))


def test_checker_finds_text_cut_by_the_axes_and_clipped_markers():
    fig, ax = small_figure()
    ax.text(9.5, 5, "runs off the right edge of the axes")
    ax.scatter([10], [5], s=80)
    problems = legibility.legibility_problems(fig)
    assert any("cut by the axes edge" in p for p in problems)
    assert any("clipped" in p for p in problems)


def test_checker_finds_a_legend_over_data():
    fig, ax = small_figure()
    ax.barh([9], [9.5], label="a long bar under the legend")
    ax.legend(loc="upper right")
    assert any("legend covers data" in p for p in legibility.legibility_problems(fig))


def test_checker_finds_a_chart_wider_than_the_column():
    fig, ax = frame.new_figure(height=3, width=11)
    assert any("shrunk" in p for p in legibility.legibility_problems(fig))


# ----- chart text from the data is drawn as typed ---------------------------------------------------------------


def test_dollar_text_is_not_mathtext():
    frame.use_house_style()
    fig, ax = small_figure()
    typed = ax.text(1, 1, "$1T to $2T")
    literal = ax.text(1, 3, "$1T to $2T", parse_math=False)
    math = ax.text(1, 5, "$1T to $2T", parse_math=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width = {t: t.get_window_extent(renderer).width for t in (typed, literal, math)}
    assert width[typed] == width[literal]
    assert width[math] != width[literal]  # the test would notice mathtext
    plt.close(fig)


def test_deal_name_with_dollars_reaches_the_chart_as_typed(book):
    figures = book.figures.copy()
    figures.loc[figures["event"] == "round-2026", "deal"] = "Round at $1T to $2T"
    fig = charts.capital_per_deal_chart(figures, book.sources)
    labels = [t for t in fig.axes[0].get_yticklabels() if t.get_text().startswith("Round at $1T to $2T")]
    assert labels
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    label = labels[0]
    plain = fig.axes[0].text(0, 0, label.get_text(), fontsize=label.get_fontsize(), parse_math=False)
    assert label.get_window_extent(renderer).width == pytest.approx(plain.get_window_extent(renderer).width)
    plt.close(fig)


# ----- source lines and the PNG output ----------------------------------------------------------------------------


def test_source_line_names_outlets_and_dates_in_short_form(book):
    line = frame.source_line(["S49", "S47", "S36"], book.sources)
    assert line.startswith("Sources: ")
    # the filing was read in a summary site's write-up, so the summary site is named as the page read
    assert "Amazon 8-K via SecWatch, 27 Feb 2026" in line
    assert "Reuters via Mint" in line and "CNBC via iAfrica" in line
    assert "S49" not in line


def _credited(footer: str) -> list[str]:
    """The names a footer credits: 'Sources: A via B, 2 reports, Dec 2025; C, 1 Jan 2026.' -> ['A via B', 'C']."""
    body = re.sub(r"^Sources?: ", "", footer).rstrip(".")
    return [part.split(", ")[0] for part in body.split("; ")]


def _credit_problems(footer: str, source_ids: list[str], sources: pd.DataFrame) -> list[str]:
    """Names in a footer that are not how one of the cited source rows says it was read."""
    rows = sources.set_index("source_id").loc[source_ids].reset_index()
    read = {frame.page_read(row) for _, row in rows.iterrows()}
    return [name for name in _credited(footer) if name.rpartition(" via ")[2] not in read]


def test_every_credit_names_the_page_read(book):
    """A source credited for an outlet it only relayed says so: 'original via page read', never the original alone."""
    for _, row in book.sources.iterrows():
        credit, read = frame.credit(row), frame.page_read(row)
        assert credit == read or credit.endswith(f" via {read}"), (row["source_id"], credit, read)
        assert read.split(" (")[0] in frame._short(row["outlet_read"].split(" (")[0].replace("; ", " and ")), read
        if row["proximity"] != "primary" and credit == read:
            # no 'via': the row names no other original, or the page read is the original's own (copy)
            others = [o for o in frame._originals(row) if o != row["outlet_read"].split(" (")[0]]
            assert not others or row["outlet_read"].split(" (")[0] in frame._originals(row), row["source_id"]


def test_a_footer_crediting_an_unread_outlet_fails_the_check(book):
    """The check below catches the old footers, which credited 'Amazon 8-K' for a page read on SecWatch."""
    assert _credit_problems("Source: Amazon 8-K, 27 Feb 2026.", ["S49"], book.sources) == ["Amazon 8-K"]
    assert _credit_problems("Source: Amazon 8-K via SecWatch, 27 Feb 2026.", ["S49"], book.sources) == []


@pytest.mark.parametrize("name", NAMES + LATER)
def test_footer_credits_only_pages_read(built, later, book, name):
    fig = built[name] if name in built else later[name]
    footer = frame.chart_sources(fig)
    assert _credit_problems(footer, fig._house_source_ids, book.sources) == [], footer


def test_show_attaches_size_alt_title_and_sources(monkeypatch, built):
    import IPython.display

    published = {}
    monkeypatch.setattr(IPython.display, "publish_display_data", lambda data, metadata: published.update(metadata))
    fig = charts.capital_per_deal_chart(data.load_ledger().figures, data.load_ledger().sources)
    title = frame.chart_title(fig)
    frame.show(fig)
    meta = published["image/png"]
    assert meta["width"] <= frame.REPORT_WIDTH_PX
    assert meta["sources"].startswith("Source")
    assert title in meta["alt"] and len(meta["alt"]) > len(title)


# ----- the front page ------------------------------------------------------------------------------------------------


def summary(name: str, charts_: tuple = ()) -> report.Summary:
    return report.Summary(name, f"Title {name}", "A question?", "- **$1B** bottom line", 0.0, charts_)


def test_front_page_tells_the_story_in_order_with_captions(tmp_path):
    chart = report.Chart(
        name="04-x--a.png",
        title="Finding with $500B",
        subtitle="what, $B",
        sources="Sources: CNBC, 1 Jan 2026.",
        alt="Chart. Finding",
        width=740,
        height=400,
    )
    names = ["01-ledger.ipynb", "02-funding.ipynb", "03-compute.ipynb", "04-valuation.ipynb", "05-odds.ipynb"]
    page = report.render_index([summary(n, (chart,) if n.startswith("04") else ()) for n in names], "1 Jan 2027")
    order = [page.index(f"Title {n}") for n in ["04-valuation.ipynb", "05-odds.ipynb", "02-funding.ipynb"]]
    order += [page.index(f"Title {n}") for n in ["03-compute.ipynb", "01-ledger.ipynb"]]
    assert order == sorted(order)
    assert f"Figures as of {report.newest_report_date()}" in page and "built 1 Jan 2027" in page
    # the statement and the sources are in the image: no caption repeats them (but a phone, where the chart
    # scrolls sideways, gets the statement above it, hidden on a wide screen)
    assert "Sources: CNBC, 1 Jan 2026." not in page and page.count("Finding with $500B") == 1
    assert '<p class="narrow-title" aria-hidden="true">Finding with $500B</p>' in page
    assert 'alt="Chart. Finding"' in page and 'width="740"' in page
    assert 'name="viewport"' in page
    missing = report.render_index([summary("04-v.ipynb")], "x", scenario_summary=tmp_path / "none.html")
    assert "make scenarios" not in missing and "summary.html</a>" not in missing  # no build plumbing (issue 20)
    present = tmp_path / "summary.html"
    present.write_text("ok")
    assert 'href="../scenarios/summary.html"' in report.render_index([summary("04-v.ipynb")], "x", present)


def test_newest_report_date_is_the_ledgers(book):
    newest = book.figures["reported_on"].max()
    assert report.newest_report_date() == f"{newest.day} {newest:%b %Y}"


def test_export_keeps_the_statement_and_sources_of_each_chart(tmp_path):
    notebook = nbformat.read(report.NOTEBOOKS_DIR / "02-funding.ipynb", as_version=4)
    exported = report.export_figures(notebook, "02-funding", tmp_path)
    assert exported and all(c.title and c.sources.startswith("Source") and c.width for c in exported)
    assert all((tmp_path / c.name).is_file() for c in exported)
    pd.testing.assert_index_equal(pd.Index([c.name for c in exported]).unique(), pd.Index([c.name for c in exported]))


def test_chart_totals_never_count_a_ceiling_as_its_value(built, book):
    """'Up to' deals are drawn at their ceiling but left out of the numbers a title states."""
    p03 = notebook_parameters("03-compute-commitments")
    deals = compute.commitments(book.figures, include_lapsed=False)
    schedule = compute.annual_schedule(deals, p03["ASSUMED_TERM_YEARS"], p03["ASSUMED_START_DELAY_YEARS"])
    floors = schedule.groupby("year")["floor_usd_bn"].sum()
    assert (schedule["floor_usd_bn"] < schedule["amount_usd_bn"]).any(), "the data no longer has an 'up to' deal"
    title = frame.chart_title(built["03 schedule"])
    # the peak keeps the kind of its parts ('about ... or more': Oracle's 'about', Cerebras's floor)
    peak = compute.year_words(schedule, floors.idxmax()).split(" (")[0]
    peak = f"{peak.removeprefix('at least ')} or more" if peak.startswith("at least ") else peak
    assert f"at {peak} a year in {floors.idxmax()}" in title


def test_timeline_states_a_round_at_its_committed_total_at_close(built, book):
    texts = " | ".join(all_text(built["01 timeline"]))
    rounds = funding.capital_events(book.figures)
    rounds = rounds[rounds["category"].eq("funding_round") & rounds["basis"].eq("committed")]
    assert not rounds.empty
    for row in views.latest(rounds, ["event"]).itertuples():
        # the label names the latest status, then the size: '2026 funding round: closed, $122B ...'
        assert re.search(rf"{re.escape(row.deal)}:\s\w[\w ]*, {re.escape(tables.money(row.value))}", texts), (
            f"{row.deal} is not stated at its committed total"
        )


def test_capital_titles_name_conditional_money_apart(built, book):
    """Conditional money is never folded into a total, a ratio or a line: no title states a sum that holds it, the
    charts that draw it name it apart, and their words are the money box's."""
    investors = funding.investor_summary(book.figures)
    two_way = flows.two_way_flows(
        compute.commitments(book.figures), compute.vendor_pledges(book.figures), investors, book.figures
    )
    sums = funding.raised_totals(funding.money_raised(book.figures, vocabulary.FIRM_STATUSES))
    assert sums["conditional_usd_bn"] > 0
    folded = {
        "02 investors": (investors["committed_usd_bn"] + investors["tentative_usd_bn"]).sum(),
        "03 flows": two_way["invested_usd_bn"].sum(),
        "03 network": two_way["invested_usd_bn"].sum(),
        "02 cumulative": sums["total_usd_bn"],
        "03 comparison": sums["total_usd_bn"],
        "02 deals": sums["total_usd_bn"],
    }
    for name, total_with_conditional in folded.items():
        title = frame.chart_title(built[name])
        assert tables.money(total_with_conditional) not in title, f"{name}: {title!r}"
    for name in ("02 deals", "03 flows"):
        title = frame.chart_title(built[name])
        conditional = tables.money(sums["conditional_usd_bn"])
        assert f"{conditional} {funding.CONDITIONAL}" in title or f"{conditional} more is conditional" in title, title
    assert vocabulary.MONEY_KINDS["paid_usd_bn"][0] == funding.PAID_IN
    assert tables.money(sums["raised_usd_bn"]) in frame.chart_title(built["03 comparison"])


def test_valuation_marks_label_every_listing_talk_and_hatch_talks(built, book):
    ax = built["02 valuation marks"].axes[0]
    texts = " | ".join(all_text(built["02 valuation marks"]))
    marks = funding.valuation_marks(book.figures)
    for row in marks[marks["category"].eq("listing")].itertuples():
        assert f"listing talk: {views.stated(pd.Series(row._asdict()))}" in texts, row.figure_id
    talks = marks[~marks["status"].isin(vocabulary.FIRM_STATUSES)]
    hatched = [c for c in ax.collections if c.get_hatch() == grammar.TENTATIVE_HATCH]
    assert len(hatched) >= len(funding_charts._distinct_marks(talks)), "a talk is drawn without hatching"


def test_cumulative_chart_hatches_talks_and_says_where_it_starts(built):
    fig = built["02 cumulative"]
    ax = fig.axes[0]
    assert any(c.get_hatch() == grammar.TENTATIVE_HATCH for c in ax.collections), "talks are not a hatched band"
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"], "dashed means lapsed"
    start = matplotlib.dates.num2date(ax.get_xlim()[0])
    assert f"from {start.year}" in frame.chart_subtitle(fig)


def test_schedule_stacks_floors_only_and_names_a_plateau(built, book):
    ax = built["03 schedule"].axes[0]
    stacked: dict[int, float] = {}
    for bar in ax.patches:
        year = round(bar.get_x() + bar.get_width() / 2)
        stacked[year] = stacked.get(year, 0.0) + bar.get_height()
    p03 = notebook_parameters("03-compute-commitments")
    deals = compute.commitments(book.figures, include_lapsed=False)
    rows = deals if p03["INCLUDE_PRESS_REPORTS"] else deals[deals["status"].isin(vocabulary.FIRM_STATUSES)]
    schedule = compute.annual_schedule(rows, p03["ASSUMED_TERM_YEARS"], p03["ASSUMED_START_DELAY_YEARS"])
    floors = schedule.groupby("year")["floor_usd_bn"].sum()
    for year, floor in floors.items():
        assert stacked.get(year, 0.0) == pytest.approx(floor), f"{year}: a ceiling is stacked as a segment"
    top = [y for y, v in floors.items() if round(v, 1) == round(floors.max(), 1)]
    title = frame.chart_title(built["03 schedule"])
    span = f"{top[0]}-{str(top[-1])[2:]}" if len(top) > 1 else str(top[0])
    peak = compute.year_words(schedule, floors.idxmax()).split(" (")[0]  # 'about $137.8B or more'
    peak = f"{peak.removeprefix('at least ')} or more" if peak.startswith("at least ") else peak  # no 'at at least'
    assert f"peak at {peak}" in title and tables.money(floors.max()) in peak and span in title, title
    assert "at at least" not in title
    # starts and terms are assumed separately: the AWS deals have a reported term, CoreWeave's $11.9B a 5-year one
    starts = schedule.loc[schedule["start_assumed"], "event"].nunique()
    terms = schedule.loc[schedule["term_assumed"], "event"].nunique()
    assert title.startswith(f"With assumed starts for {starts} of {schedule['event'].nunique()} deals, and ")
    assert f"{p03['ASSUMED_TERM_YEARS']}-year terms for the {terms} with none reported" in title


def test_a_group_of_investors_is_grey_even_with_a_lead():
    others = grammar.COMPANY_COLORS["Others"]
    for subject in ("SoftBank-led group", "Thrive-led group", "Consortium led by Amazon, Nvidia and SoftBank"):
        assert grammar.investor_color(subject) == others, subject
    assert grammar.investor_color("SoftBank") == grammar.COMPANY_COLORS["SoftBank"]


def test_provider_chart_dates_every_deal(built):
    labels = [t.get_text() for t in built["03 providers"].axes[0].get_yticklabels()]
    assert all(re.search(r"\(\w{3} \d{4}\)$", label) for label in labels), labels


# ----- the data behind each chart ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES + LATER)
def test_every_chart_carries_the_frame_it_draws(built, later, name):
    fig = built[name] if name in built else later[name]
    text = frame.data_csv(fig)
    lines = text.splitlines()
    assert len(lines) >= 2 and text.endswith("\n") and "\r" not in text, name
    assert frame.data_csv(fig) == text  # the same bytes every time it is asked


def test_data_csv_writes_floats_without_noise():
    fig = plt.figure()
    frame.attach_data(fig, pd.DataFrame({"usd_bn": [6.6 - 1e-14, 1 / 3, float("nan")], "n": [1, 2, 3]}))
    assert frame.data_csv(fig) == "usd_bn,n\n6.6,1\n0.3333333333,2\n,3\n"
    plt.close(fig)


def test_data_csv_keeps_named_rows_and_stacks_parts():
    fig = plt.figure()
    frame.attach_data(fig, pd.DataFrame({"usd_bn": [1.5, 2.0]}, index=pd.Index(["Amazon", "Nvidia"], name="investor")))
    assert frame.data_csv(fig) == "investor,usd_bn\nAmazon,1.5\nNvidia,2.0\n"
    frame.attach_data(fig, {"firm": pd.DataFrame({"x": [1]}), "all": pd.DataFrame({"x": [2]})})
    assert frame.data_csv(fig) == "part,x\nfirm,1\nall,2\n"
    plt.close(fig)
    assert frame.data_csv(plt.figure()) == ""
    plt.close("all")


def test_show_publishes_the_data_csv(monkeypatch):
    import IPython.display

    published = {}
    monkeypatch.setattr(IPython.display, "publish_display_data", lambda data, metadata: published.update(metadata))
    fig, _ = frame.new_figure()
    frame.attach_data(fig, pd.DataFrame({"a": [1, 2]}))
    frame.show(fig)
    assert published["image/png"]["data_csv"] == "a\n1\n2\n"


def test_the_money_over_time_title_says_what_the_line_counts(book):
    # issue 20: the line adds money by report date or the date its condition was met (the March 2025 round's last
    # $10B enters in Oct 2025), so the year's rise is money reported or unlocked, not money that arrived
    firm = tuple(notebook_parameters("02-funding")["COUNT_AS_FIRM"])
    fig = charts.cumulative_capital_chart(book.figures, book.sources, firm)
    title = " ".join(fig.texts[0].get_text().split())
    plt.close(fig)
    assert re.search(r"\$[\d.]+B of it first reported or unlocked in the year from \w{3} \d{4}", title), title
    assert "new money" not in title
