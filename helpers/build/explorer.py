"""The report's "What if" page: notebook 04's arithmetic for every price paid, recomputed in the reader's browser.

Python writes the inputs once, as a small JSON block read from the ledger and from 04's Assumptions cell: the prices
paid, the share of each stake later rounds left, the years from each price to the as-of date, the bounds helpers
gives each number, and the defaults and ranges of the assumptions. The page's plain JavaScript (templates/explorer/)
applies the closed form of helpers/analysis/valuation.py to them; nothing is fetched and no kernel runs.
"""

from __future__ import annotations

import ast
import html
import json
import string
from pathlib import Path

import nbformat
import pandas as pd

from helpers import data
from helpers.analysis import scenarios, valuation
from helpers.analysis.scenarios import CASH_RATE, Parameters
from helpers.data.load import ROOT, Ledger
from helpers.data.views import sources_of, stated
from helpers.data.vocabulary import BOUND_WORDS
from helpers.notebook import parameters
from helpers.notebook.tables import money

NOTEBOOK = ROOT / "notebooks" / "04-valuation-scenarios.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "explorer"
PAGE_NAME = "explorer.html"
TITLE = "What if: a stake in OpenAI under your own assumptions"
# the numbers of 04's side-by-side the page recomputes, and whose bounds ("at most ...") it shows
MEASURES = (
    "stake",
    "years_to_listing",
    "multiple",
    "annual_return",
    "hurdle_multiple",
    "breakeven_listing_usd_bn",
    "breakeven_hurdle_usd_bn",
    "unlisted_multiple",
    "expected_multiple",
)
# the assumptions a reader can move: the parameter each one is, and whether the page shows it as a percentage
CONTROLS = {
    "listing_usd_bn": ("LISTING_VALUATION_USD_BN", False),
    "years_to_listing": ("YEARS_TO_LISTING", False),
    "dilution": ("DILUTION_TO_LISTING", True),
    "hurdle_rate": ("HURDLE_RATE", True),
    "listing_chance": ("LISTING_CHANCE", True),
    "no_listing_haircut": ("NO_LISTING_HAIRCUT", True),
}


def parameters_cell(notebook: Path = NOTEBOOK) -> dict[str, object]:
    """The literals of a notebook's cell tagged `parameters` (`NAME: type = value` lines), by name."""
    cells = nbformat.read(notebook, as_version=4).cells
    cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    return {
        node.target.id: ast.literal_eval(node.value)
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }


def notebook_params(book: Ledger, overrides: dict[str, object] | None = None) -> Parameters:
    """04's checked parameters: its Assumptions cell, with `overrides` by name, checked as the notebook checks them."""
    values = {**parameters_cell(), **(overrides or {})}
    return parameters.check(values, scenarios.parameter_specs(book))


def _limits(book: Ledger) -> dict[str, dict[str, object]]:
    """The range each control accepts, read from the notebook's parameter specs (so the page refuses what 04 refuses)."""
    specs = {spec.name: spec for spec in scenarios.parameter_specs(book)}
    out = {}
    for key, (name, percent) in CONTROLS.items():
        spec = specs[name]
        out[key] = {
            "low": spec.low,
            "high": spec.high,
            "low_open": spec.low_open,
            "high_open": spec.high_open,
            "percent": percent,
        }
    return out


def _source_list(row: pd.Series, sources: pd.DataFrame) -> list[dict[str, str]]:
    """Outlet, date and address of each source a ledger row cites."""
    by_id = sources.set_index("source_id")
    out = []
    for source_id in sources_of(pd.DataFrame([row])):
        source = by_id.loc[source_id]
        outlet = source["outlet_read"]
        if isinstance(source["original_outlet"], str) and source["original_outlet"] not in ("", outlet):
            outlet = f"{source['original_outlet']} via {outlet}"
        url = source["url"] if isinstance(source["url"], str) and source["url"].startswith("https://") else ""
        out.append({"outlet": outlet, "date": f"{source['published_on']:%-d %b %Y}", "url": url})
    return out


def _bounds(
    marks: pd.DataFrame, listing: pd.Series, figure: pd.Series, book: Ledger, params: Parameters
) -> dict[str, dict]:
    """Per mark, the bound helpers gives each number when the listing value is the reported figure and when it is not.

    The bounds do not depend on the numbers, so two calls of the notebook's own side_by_side give every case.
    """
    out: dict[str, dict] = {mark: {} for mark in marks.index}
    for case, bound in (("reported", valuation.bound_of(figure["qualifier"])), ("assumed", "exact")):
        _, bounds = scenarios.side_by_side(marks, _with_bound(listing, bound), book.figures, params)
        for mark in marks.index:
            out[mark][case] = {measure: bounds.at[measure, mark] for measure in MEASURES}
    return out


def _with_bound(listing: pd.Series, bound: str) -> pd.Series:
    """The listing row with another bound (a reader's own listing value is an assumption: exact)."""
    row = listing.copy()
    row["bound"] = bound
    return row


def explorer_data(book: Ledger, params: Parameters) -> dict[str, object]:
    """Everything the page computes from, as plain JSON values: marks, defaults, ranges, the listing figure, talks."""
    marks = scenarios.marks(book.scenarios, book.figures)
    listing = scenarios.listing(book.scenarios, book.figures, params)
    figure = book.figures.set_index("figure_id", drop=False).loc[
        params.listing_figure or scenarios.newest_listing_figure(book.figures)
    ]
    bounds = _bounds(marks, listing, figure, book, params)
    latest = scenarios.latest_mark(marks)
    by_figure = book.figures.set_index("figure_id", drop=False)
    talks = valuation.talk_prices(book.figures)
    return {
        "as_of": f"{params.as_of:%Y-%m-%d}",
        "as_of_text": f"{params.as_of:%-d %b %Y}",
        "newest_text": f"{book.figures['reported_on'].max():%-d %b %Y}",
        "investment_usd_bn": float(params.investment_usd_bn),
        "cash_rate": CASH_RATE,
        "bound_words": BOUND_WORDS,
        "latest_mark": latest,
        "defaults": {
            "mark": params.investment_mark,
            **{key: float(params[name]) for key, (name, _) in CONTROLS.items()},
        },
        "limits": _limits(book),
        "listing_figure": {
            "value_usd_bn": float(figure["value"]),
            "stated": stated(figure),
            "reported_on": f"{figure['reported_on']:%b %Y}",
            "status": str(figure["status"]).replace("_", " "),
            "sources": _source_list(figure, book.sources),
        },
        "marks": [
            {
                "id": mark,
                "label": row["label"],
                "kind": row["kind"],
                "price_usd_bn": float(row["valuation_usd_bn"]),
                "price_text": money(row["valuation_usd_bn"]),
                "price_bound": row["bound"],
                "status": str(row["status"]).replace("_", " "),
                "reported_on": f"{row['reported_on']:%-d %b %Y}",
                "elapsed_years": scenarios.elapsed_years(row, params),
                "kept_share": float(row["kept_share"]),
                "diluted_by": row["diluted_by"],
                "bounds": bounds[mark],
                "sources": _source_list(by_figure.loc[row["figure_id"]], book.sources),
            }
            for mark, row in marks.iterrows()
        ],
        # one line per talk: the same figure reported by two outlets on one day is listed once
        "talks": list(
            {
                json.dumps(talk, sort_keys=True): talk
                for talk in (
                    {"deal": row["deal"], "stated": stated(row), "reported_on": f"{row['reported_on']:%-d %b %Y}"}
                    for _, row in talks.iterrows()
                )
            }.values()
        ),
    }


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' (so no '</script>' or '<!--'), no line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(character, escape)
    return text.replace("\u2029", "\\u2029")


def _template(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def explorer_head() -> str:
    """The page's stylesheet, for the <head> of whatever shell the report wraps the body in."""
    return f"<style>\n{_template('explorer.css')}</style>"


def explorer_body(book: Ledger, params: Parameters) -> str:
    """The page's content (controls, table, formulas, sources, the JSON block and the script), with no shell around
    it: the report's own page shell (navigation, footer) can wrap it. Every text from the data is escaped."""
    script = _template("explorer.js")
    if "</" in script:  # the script is inlined; a closing tag inside it would end it early
        raise ValueError("templates/explorer/explorer.js must not contain '</'")
    payload = explorer_data(book, params)
    return string.Template(_template("body.html")).substitute(
        title=html.escape(TITLE),
        script=script,
        data=script_json(payload),
        as_of=html.escape(payload["as_of_text"]),
        newest=html.escape(payload["newest_text"]),
        cheque=html.escape(money(payload["investment_usd_bn"])),
        listing_stated=html.escape(payload["listing_figure"]["stated"]),
        listing_on=html.escape(payload["listing_figure"]["reported_on"]),
    )


def render_explorer(book: Ledger, params: Parameters, licence: str = "") -> str:
    """The whole page in its own shell: a link to the front page, the body, and `licence` (HTML) as its footer."""
    return string.Template(_template("shell.html")).substitute(
        title=html.escape(TITLE), head=explorer_head(), body=explorer_body(book, params), licence=licence
    )


def explorer_parts() -> tuple[str, str, str]:
    """Title (plain text), head (the stylesheet) and body of the page, from the shipped ledger and 04's Assumptions
    cell as committed: what a report page shell needs to wrap it."""
    book = data.load_ledger()
    return TITLE, explorer_head(), explorer_body(book, notebook_params(book))


def explorer_page(licence: str = "") -> str:
    """The page for the report build in its own shell, with `licence` (HTML) as its footer."""
    book = data.load_ledger()
    return render_explorer(book, notebook_params(book), licence)
