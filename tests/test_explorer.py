"""The What-if page's data block: read from the ledger and 04's Assumptions cell, escaped, byte-stable.

The page's arithmetic is checked in a real browser against helpers by tests/browser/check_explorer.py (`make browser`).
"""

import html.parser
import json

import pytest

from helpers import data
from helpers.analysis import scenarios, valuation
from helpers.build import explorer, report
from tests.conftest import read_rows, write_rows

HOSTILE = "</script><script>alert(1)</script><!-- & \u2028 </SCRIPT >"
# the ledger refuses invisible characters such as U+2028 itself; the rest of a hostile label it accepts
HOSTILE_LABEL = "</script><script>alert(1)</script><!-- & </SCRIPT >"


@pytest.fixture(scope="module")
def book():
    return data.load_ledger()


@pytest.fixture(scope="module")
def params(book):
    return explorer.notebook_params(book)


class Scripts(html.parser.HTMLParser):
    """Every <script> element of a page: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.found.append((self._open, ""))

    def handle_data(self, text):
        if self._open is not None:
            attrs, before = self.found[-1]
            self.found[-1] = (attrs, before + text)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def scripts(page: str) -> list[tuple[dict, str]]:
    parser = Scripts()
    parser.feed(page)
    return parser.found


def data_block(page: str) -> dict:
    blocks = [text for attrs, text in scripts(page) if attrs.get("id") == "explorer-data"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_script_json_cannot_end_the_script_element_and_reads_back():
    value = {"label": HOSTILE, "nested": [HOSTILE, 1.5, None]}
    text = explorer.script_json(value)
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert json.loads(text) == value


def test_script_json_refuses_a_number_json_cannot_hold():
    with pytest.raises(ValueError):
        explorer.script_json({"x": float("nan")})


def test_defaults_are_the_notebooks_assumptions(book, params):
    cell = explorer.parameters_cell()
    payload = explorer.explorer_data(book, params)
    for key, (name, _) in explorer.CONTROLS.items():
        assert payload["defaults"][key] == pytest.approx(cell[name], abs=0), key
    assert payload["defaults"]["mark"] == cell["INVESTMENT_MARK"]
    assert payload["investment_usd_bn"] == cell["INVESTMENT_USD_BN"]
    assert payload["as_of"] == cell["AS_OF"]


def test_an_override_is_checked_as_the_notebook_checks_it(book):
    assert explorer.notebook_params(book, {"DILUTION_TO_LISTING": 0.2}).dilution_to_listing == 0.2
    with pytest.raises(scenarios.ParameterError, match="DILUTION_TO_LISTING"):
        explorer.notebook_params(book, {"DILUTION_TO_LISTING": 1.0})


def test_limits_are_the_notebooks_parameter_ranges(book, params):
    specs = {s.name: s for s in scenarios.parameter_specs(book)}
    limits = explorer.explorer_data(book, params)["limits"]
    for key, (name, percent) in explorer.CONTROLS.items():
        spec = specs[name]
        assert (limits[key]["low"], limits[key]["high"]) == (spec.low, spec.high), key
        assert (limits[key]["low_open"], limits[key]["high_open"], limits[key]["percent"]) == (
            spec.low_open,
            spec.high_open,
            percent,
        )


def test_marks_are_the_prices_paid_with_their_dates_and_dilution(book, params):
    marks = scenarios.marks(book.scenarios, book.figures)
    payload = explorer.explorer_data(book, params)
    assert [m["id"] for m in payload["marks"]] == list(marks.index)
    assert {m["price_usd_bn"] for m in payload["marks"]} >= {157.0, 300.0, 500.0, 852.0}
    talks = set(valuation.talk_prices(book.figures)["figure_id"])
    for m in payload["marks"]:
        row = marks.loc[m["id"]]
        assert row["figure_id"] not in talks and row["status"] != "in_talks"
        assert m["price_usd_bn"] == row["valuation_usd_bn"]
        assert m["kept_share"] == row["kept_share"]
        assert m["elapsed_years"] == scenarios.elapsed_years(row, params)
        assert m["sources"] and all(s["url"].startswith("https://") or not s["url"] for s in m["sources"])
    assert payload["latest_mark"] == scenarios.latest_mark(marks)
    talk_rows = valuation.talk_prices(book.figures)
    assert {t["deal"] for t in payload["talks"]} == set(talk_rows["deal"])
    assert len(payload["talks"]) == len(talk_rows.drop_duplicates(["deal", "value", "qualifier", "reported_on"]))


def test_bounds_are_the_ones_side_by_side_gives(book, params):
    """At the reported listing value ('up to $1T') a multiple is a ceiling; at a value of the reader's, exact."""
    marks = scenarios.marks(book.scenarios, book.figures)
    payload = explorer.explorer_data(book, params)
    for value, case in ((payload["listing_figure"]["value_usd_bn"], "reported"), (1234.0, "assumed")):
        p = explorer.notebook_params(book, {"LISTING_VALUATION_USD_BN": value})
        listing = scenarios.listing(book.scenarios, book.figures, p)
        assert listing["assumed"] == (case == "assumed")
        _, bounds = scenarios.side_by_side(marks, listing, book.figures, p)
        for m in payload["marks"]:
            assert m["bounds"][case] == {measure: bounds.at[measure, m["id"]] for measure in explorer.MEASURES}
    assert payload["marks"][-1]["bounds"]["reported"]["multiple"] == "at_most"
    # with a default listing of the reader's own, a value equal to the report still keeps the report's bound
    own = explorer.explorer_data(book, explorer.notebook_params(book, {"LISTING_VALUATION_USD_BN": 1234.0}))
    assert [m["bounds"] for m in own["marks"]] == [m["bounds"] for m in payload["marks"]]


def test_page_is_byte_stable_and_its_script_holds_no_closing_tag(book, params):
    licence = "Licence line <b>kept</b> as given"
    first = explorer.render_explorer(book, params, licence)
    assert first == explorer.render_explorer(book, params, licence)
    found = scripts(first)
    assert [a.get("id") for a, _ in found] == ["explorer-data", None]
    assert "</" not in found[1][1] and "function outcome" in found[1][1]
    assert licence in first
    assert not [a for a, _ in found if a.get("src")], "the page loads no script file"


def test_a_label_from_the_data_cannot_break_out_of_the_json_block(data_copy):
    rows = read_rows(data_copy / "scenarios.csv")
    header = rows[0]
    mark = next(r for r in rows[1:] if r[header.index("kind")] == "mark")
    mark[header.index("label")] = HOSTILE_LABEL
    write_rows(data_copy / "scenarios.csv", rows)
    book = data.load_ledger(data_copy / "figures.csv", data_copy / "sources.csv", data_copy / "scenarios.csv")
    page = explorer.render_explorer(book, explorer.notebook_params(book))
    assert [a.get("id") for a, _ in scripts(page)] == ["explorer-data", None], "a second script element appeared"
    assert HOSTILE_LABEL in [m["label"] for m in data_block(page)["marks"]]
    assert "alert(1)" not in page.split('id="explorer-data">')[0]


def test_the_report_build_writes_the_page(tmp_path):
    report.build(tmp_path, run=False, notebooks=[report.NOTEBOOKS_DIR / "01-ledger.ipynb"])
    page = (tmp_path / explorer.PAGE_NAME).read_text(encoding="utf-8")
    assert data_block(page)["defaults"]["mark"] == explorer.parameters_cell()["INVESTMENT_MARK"]


def test_the_body_is_a_fragment_another_page_shell_can_wrap(book, params):
    body = explorer.explorer_body(book, params)
    assert not any(tag in body for tag in ("<html", "<head", "<body", "<footer", "<nav"))
    assert [a.get("id") for a, _ in scripts(body)] == ["explorer-data", None]
    assert explorer.explorer_head().startswith("<style>") and body in explorer.render_explorer(book, params)
    assert explorer.explorer_parts() == (explorer.TITLE, explorer.explorer_head(), body)
