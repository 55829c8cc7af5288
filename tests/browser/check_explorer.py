"""The What-if page in headless Chromium, from file:// with the network off: the controls move, and every number the
page shows equals what helpers computes for the same inputs (notebook 04's side_by_side, called here, not typed).

Run by `make browser` (the file name keeps it out of `pytest tests/`). Uses Debian's /usr/bin/chromium through
Playwright; nothing is downloaded. Screenshots at 1280 and 390 pixels wide go to build/screenshots/.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from helpers import data
from helpers.analysis import scenario_words, scenarios
from helpers.build import explorer, report, site
from helpers.data.load import ROOT
from tests.browser.check_pages import CHROMIUM, browser  # noqa: F401 (the shared headless Chromium fixture)

playwright = pytest.importorskip("playwright.sync_api")

SHOTS = ROOT / "build" / "screenshots"
# page control -> notebook parameter, and whether the page takes it in percent
CONTROLS = {
    "listing": ("LISTING_VALUATION_USD_BN", False),
    "years": ("YEARS_TO_LISTING", False),
    "dilution": ("DILUTION_TO_LISTING", True),
    "hurdle": ("HURDLE_RATE", True),
    "chance": ("LISTING_CHANCE", True),
    "haircut": ("NO_LISTING_HAIRCUT", True),
}
# what a reader types; the first is the notebook's own case (a listing equal to the reported 'up to $1T')
INPUT_SETS = {
    "notebook": {"listing": "1000", "years": "1", "dilution": "10", "hurdle": "10", "chance": "80", "haircut": "25"},
    "1.5T after 10%": {"listing": "1500", "years": "1", "dilution": "10", "hurdle": "10"},
    "bear, slow": {"listing": "600", "years": "3", "dilution": "20", "hurdle": "15", "chance": "50", "haircut": "50"},
    "high, soon": {
        "listing": "2500",
        "years": "0.5",
        "dilution": "0",
        "hurdle": "4.5",
        "chance": "100",
        "haircut": "0",
    },
    "near break-even": {"listing": "946.6", "years": "2", "dilution": "10", "hurdle": "0", "chance": "0"},
    "odd rates": {
        "listing": "852",
        "years": "10",
        "dilution": "7.5",
        "hurdle": "20",
        "chance": "33",
        "haircut": "12.5",
    },
}
SHOWN = tuple(m for m in explorer.MEASURES if m != "hurdle_multiple")  # the columns of the page's table

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium chromium-driver", pytrace=False)


@pytest.fixture(scope="module")
def book():
    return data.load_ledger()


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    """The page exactly as the report build writes it: the What-if content in the site's shell, nav and footer."""
    folder = tmp_path_factory.mktemp("explorer")
    title, head, body = explorer.explorer_parts()
    page = site.page(title, body, explorer.PAGE_NAME, site.Footer(report.newest_report_date()), folder, head=head)
    path = folder / explorer.PAGE_NAME
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture
def opened(browser, page_path):
    """The page in an offline context; every request that is not file:// is recorded and refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, offline=True)
    requests: list[str] = []
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_selector("html[data-ready=true]")
    yield page, errors, requests
    context.close()


def helpers_numbers(book, mark: str, typed: dict[str, str]):
    """Notebook 04's numbers and bounds for the inputs a reader typed, from helpers."""
    overrides: dict[str, object] = {"INVESTMENT_MARK": mark}
    for control, text in typed.items():
        name, percent = CONTROLS[control]
        overrides[name] = float(text) / 100 if percent else float(text)
    params = explorer.notebook_params(book, overrides)
    marks = scenarios.marks(book.scenarios, book.figures)
    listing = scenarios.listing(book.scenarios, book.figures, params)
    numbers, bounds = scenarios.side_by_side(marks, listing, book.figures, params)
    return numbers, bounds, marks, params


def page_cells(page) -> dict[tuple[str, str], tuple[str, str]]:
    """(mark, measure) -> (the text shown, the full-precision value) for every cell of the table."""
    cells = page.eval_on_selector_all(
        "#outcomes-body td[data-measure]",
        "els => els.map(e => [e.closest('tr').dataset.mark, e.dataset.measure, e.textContent, e.dataset.value])",
    )
    return {(m, measure): (text, value) for m, measure, text, value in cells}


def type_inputs(page, mark: str, typed: dict[str, str]) -> None:
    page.select_option("#mark", mark)
    for control, text in typed.items():
        page.fill(f"#{control}", text)


def assert_matches_helpers(page, book, mark: str, typed: dict[str, str]) -> None:
    numbers, bounds, marks, params = helpers_numbers(book, mark, typed)
    cells = page_cells(page)
    assert {m for m, _ in cells} == set(marks.index), "one row per price paid"
    for m in marks.index:
        for measure in SHOWN:
            text, value = cells[m, measure]
            expected = numbers.at[measure, m]
            # to the last digits: numpy's and the browser's pow may differ by an ulp, which a return near 0% magnifies
            assert math.isclose(float(value), expected, rel_tol=1e-12, abs_tol=1e-12), (m, measure, value, expected)
            assert text == scenario_words.shown(measure, expected, bounds.at[measure, m]), (m, measure)
        beats = numbers.at["annual_return", m] >= params.hurdle_rate
        assert cells[m, "beats"][1] == str(beats).lower(), (m, "beats")
        bound = bounds.at["annual_return", m]
        words = cells[m, "beats"][0]
        if bound == "unknown" or (bound == "at_least" and not beats):
            assert words.startswith("not sure"), (m, words)
        else:
            assert words.startswith("yes" if beats else "no"), (m, words)
            # a ceiling on the return above the hurdle is a yes only at that listing value
            assert words.endswith("that high") == (beats and bound == "at_most"), (m, words)
    chosen = page.get_attribute("#outcomes-body tr.chosen", "data-mark")
    assert chosen == mark
    headline = page.inner_text("#headline")
    assert scenario_words.shown("multiple", numbers.at["multiple", mark], bounds.at["multiple", mark]) in headline
    earned = numbers.at["annual_return", mark]
    assert ("below cash" if earned < scenarios.CASH_RATE else "at or above cash") in headline


def test_the_defaults_are_the_notebooks_and_the_numbers_its_numbers(opened, book):
    page, errors, requests = opened
    cell = explorer.parameters_cell()
    for control, (name, percent) in CONTROLS.items():
        assert float(page.input_value(f"#{control}")) == pytest.approx(cell[name] * (100 if percent else 1))
    assert page.input_value("#mark") == cell["INVESTMENT_MARK"]
    # the defaults: the numbers of the committed notebook, at most 1.06x for the buyer at $852B
    assert_matches_helpers(page, book, cell["INVESTMENT_MARK"], INPUT_SETS["notebook"])
    numbers, *_ = helpers_numbers(book, cell["INVESTMENT_MARK"], INPUT_SETS["notebook"])
    assert (
        page_cells(page)[cell["INVESTMENT_MARK"], "multiple"][0]
        == f"at most {numbers.at['multiple', 'round-2026-close']:.2f}x"
    )
    assert not errors and [r for r in requests if not r.startswith("file:")] == []


@pytest.mark.parametrize("name", list(INPUT_SETS))
def test_typed_inputs_give_helpers_numbers_for_every_mark(opened, book, name):
    page, errors, requests = opened
    marks = [m["id"] for m in explorer.explorer_data(book, explorer.notebook_params(book))["marks"]]
    for mark in (marks[0], marks[-1]):
        type_inputs(page, mark, INPUT_SETS[name])
        assert_matches_helpers(page, book, mark, INPUT_SETS[name])
    assert not errors and [r for r in requests if not r.startswith("file:")] == []


def test_a_buyer_at_852b_gets_1_58x_from_a_1_5t_listing_after_10pc_dilution(opened, book):
    """1500 x 0.9 / 852 = 1.58x: the 2026 round's buyer, whom no later priced round has diluted."""
    page, errors, _ = opened
    mark = next(
        m["id"]
        for m in explorer.explorer_data(book, explorer.notebook_params(book))["marks"]
        if m["price_usd_bn"] == 852
    )
    type_inputs(page, mark, INPUT_SETS["1.5T after 10%"])
    text, value = page_cells(page)[mark, "multiple"]
    assert text == "1.58x" and math.isclose(float(value), 1500 * 0.9 / 852, rel_tol=1e-12)
    assert "1.58x" in page.inner_text("#headline") and not errors


def test_the_sliders_move_the_numbers(opened, book):
    page, errors, _ = opened
    mark = page.input_value("#mark")
    before = page_cells(page)[mark, "multiple"]
    for control, value in (("listing-slider", "1500"), ("dilution-slider", "20"), ("years-slider", "2.5")):
        page.eval_on_selector(
            f"#{control}", "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }", value
        )
    assert page_cells(page)[mark, "multiple"] != before
    typed = {"listing": "1500", "dilution": "20", "years": "2.5", "hurdle": "10", "chance": "80", "haircut": "25"}
    assert {c: page.input_value(f"#{c}") for c in typed} == typed, "a slider did not move its number box"
    assert_matches_helpers(page, book, mark, typed)
    page.click("#reset")
    assert page.input_value("#listing") == "1000" and page.input_value("#dilution") == "10"
    assert not errors


@pytest.mark.parametrize(
    ("control", "text", "words"),
    [("dilution", "100", "must be below 100%"), ("years", "0", "must be above 0"), ("listing", "", "must be a number")],
)
def test_an_input_out_of_the_notebooks_range_computes_nothing_and_says_why(opened, control, text, words):
    page, errors, _ = opened
    page.fill(f"#{control}", text)
    assert words in page.inner_text("#problem")
    assert page.locator("#outcomes-body tr").count() == 0 and page.inner_text("#headline") == ""
    assert page.get_attribute(f"#{control}", "aria-invalid") == "true" and not errors


# values where a careless port of Python's formats goes wrong: exact ties, a loss that would round to 1.00x, T and M
AWKWARD = {
    "multiple": [0.125, 0.995, 0.9999, 1.0, 1.0049, 1.005, 1.015, 2.675, 1.125, 12.345],
    "annual_return": [0.0945, 0.09449, 0.095, -0.5, 0.00125, 0.125, -2.66e-05, 0.0, 1.5],
    "stake": [0.000125, 0.0117, 0.5],
    "years_to_listing": [0.25, 1.25, 1.35, 2.45, 30.0],
    "breakeven_listing_usd_bn": [0.125, 0.5, 1.125, 9.995, 10.05, 10.25, 946.65, 999.95, 1000, 1234.5, 1500, 99999],
}


def test_the_page_formats_numbers_as_python_does(opened):
    page, errors, _ = opened
    for measure, values in AWKWARD.items():
        for bound in ("exact", "at_most"):
            got = page.evaluate(
                "([m, vs, b]) => vs.map(v => window.whatIfFormat.shown(m, v, b))", [measure, values, bound]
            )
            assert got == [scenario_words.shown(measure, v, bound) for v in values], measure
    assert not errors


def test_a_query_string_sets_the_inputs(browser, page_path, book):
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto(page_path.as_uri() + "?listing=1500&dilution=10&years=1&mark=round-2026-close")
    page.wait_for_selector("html[data-ready=true]")
    assert page_cells(page)["round-2026-close", "multiple"][0] == "1.58x"
    context.close()


def test_the_page_asks_the_network_for_nothing_and_reads_on_a_phone(browser, page_path):
    text = page_path.read_text(encoding="utf-8")
    assert "<link" not in text and "src=" not in text, "the page loads no file, local or remote"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request, seen=requests: seen.append(request.url))
        page.goto(page_path.as_uri())
        page.wait_for_selector("html[data-ready=true]")
        page.screenshot(path=str(SHOTS / f"explorer-{width}.png"), full_page=True)
        # nothing wider than the screen: a phone reader never scrolls sideways
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{overflow}px wider than a {width}px screen"
        assert requests == [page_path.as_uri()], requests
        context.close()
