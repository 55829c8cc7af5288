"""The ledger as a page a reader can search, sort and filter, offline, with each row's full sources one click away.

The table is plain HTML built from data/ (every row is there without any script); `ledger.js`, shipped beside the
page, adds the search box, the filters and sorting by any column. No CDN, no framework.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.build import site
from helpers.data import views
from helpers.data.load import load_figures, load_sources

SCRIPT = Path(__file__).resolve().parent / "templates" / "ledger.js"
PAGE = "ledger.html"
# the columns a reader can filter on with a list of values (the others are found by the search box)
FILTERS = ("status", "what", "from")


def _words(key: str) -> str:
    return str(key).replace("_", " ")


def source_html(source_ids: str, sources: pd.DataFrame, labels: pd.Series) -> str:
    """Each source of a row in full: outlet read and original, title, date, kind and link, folded under a summary
    that names them as the notebooks do (`labels`, from views.source_labels)."""
    by_id = sources.set_index("source_id")
    items, names = [], []
    for source_id in source_ids.split(";"):
        row = by_id.loc[source_id]
        names.append(labels[source_id])
        original = row["original_outlet"] if isinstance(row["original_outlet"], str) else "unknown"
        link = (
            f' <a href="{html.escape(row["url"])}" rel="noopener">{html.escape(row["url"])}</a>'
            if isinstance(row["url"], str) and row["url"].startswith(("http://", "https://"))
            else " (no address)"
        )
        items.append(
            f"<li><cite>{html.escape(str(row['title']))}</cite>. Read at {html.escape(row['outlet_read'])}; "
            f"original: {html.escape(original)}; published {row['published_on']:%Y-%m-%d}; "
            f"{html.escape(_words(row['kind']))}, {html.escape(_words(row['proximity']))}.{link}</li>"
        )
    summary = html.escape("; ".join(names))
    return f"<details><summary>{summary}</summary><ul>{''.join(items)}</ul></details>"


def ledger_rows(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per figure, in the words the notebooks use, oldest first; `sources` holds each row's source ids."""
    table = pd.DataFrame(
        {
            "reported": figures["reported_on"].dt.strftime("%Y-%m-%d"),
            "deal": figures["deal"],
            "from": figures["subject"],
            "to": figures["counterparty"].fillna(""),
            "what": figures["category"].map(_words),
            "measure": figures["metric"].map(_words),
            "figure": views.with_text(figures),
            # what the figure column sorts by: a dollar value, else its bound; other units and undisclosed sort last
            "amount": figures["value"]
            .fillna(figures["low"])
            .fillna(figures["high"])
            .where(figures["unit"] == "usd_bn"),
            "status": figures["status"].map(_words),
            "sources": figures["source_ids"],
            "note": figures["note"].fillna(""),
            "id": figures["figure_id"],
        }
    )
    return table.sort_values(["reported", "id"]).reset_index(drop=True)


HEADERS = {
    "reported": "Reported",
    "deal": "Deal",
    "from": "From",
    "to": "To",
    "what": "Kind",
    "measure": "Measure",
    "figure": "Figure",
    "status": "Status",
    "sources": "Sources (open for the full source)",
}


def table_html(rows: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The table: a header that sorts, one row per figure, its note under the title of the row's deal."""
    head = "".join(f'<th scope="col" data-key="{key}">{html.escape(label)}</th>' for key, label in HEADERS.items())
    labels = views.source_labels(sources)
    body = []
    for row in rows.to_dict("records"):
        cells = []
        for key in HEADERS:
            value = row[key]
            if key == "sources":
                cells.append(f"<td>{source_html(value, sources, labels)}</td>")
            elif key == "deal":
                note = (
                    f'<span class="note">{html.escape(row["note"])} ({html.escape(row["id"])})</span>'
                    if row["note"]
                    else ""
                )
                cells.append(f"<td>{html.escape(value)}{note}</td>")
            elif key == "figure":
                amount = "" if pd.isna(row["amount"]) else f"{row['amount']:g}"
                cells.append(f'<td data-sort="{amount or "NaN"}">{html.escape(str(value))}</td>')
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table id="ledger"><thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(body)}\n</tbody></table></div>"
    )


def filters_html(rows: pd.DataFrame) -> str:
    """The search box and one list per filtered column; hidden until the script runs (without it they do nothing)."""
    selects = []
    for key in FILTERS:
        values = sorted(set(rows[key]) - {""})
        options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
        label = HEADERS[key]
        selects.append(
            f'<label>{label} <select data-filter="{key}"><option value="">all</option>{options}</select></label>'
        )
    return (
        '<form class="ledger-controls" id="ledger-controls" hidden>'
        '<label>Search <input type="search" id="ledger-search" placeholder="a company, a deal, an outlet, a year"></label>'
        f"{''.join(selects)}"
        '<button type="reset">Show all</button> <output id="ledger-count" aria-live="polite"></output></form>'
    )


STYLE = """<style>
.ledger-controls { display: flex; flex-wrap: wrap; gap: .4rem .9rem; align-items: center; margin: .8rem 0;
  font-family: system-ui, sans-serif; font-size: .85rem; }
.ledger-controls input, .ledger-controls select { font-size: .85rem; max-width: 100%; }
#ledger th { white-space: nowrap; }
#ledger th button.sort { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; cursor: pointer;
  color: #0a58a3; text-align: left; }
#ledger th[aria-sort=ascending]::after { content: " \\25B2"; } #ledger th[aria-sort=descending]::after { content: " \\25BC"; }
#ledger td { min-width: 5rem; } #ledger td:nth-child(2) { min-width: 12rem; } #ledger td:last-child { min-width: 14rem; }
#ledger .note { display: block; color: #666; font-size: .78rem; }
#ledger details ul { padding-left: 1rem; margin: .3rem 0; }
body:has(#ledger) { max-width: 1200px; }
</style>
"""


def render_ledger_page(
    footer: site.Footer,
    report_dir: Path | None,
    figures: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> str:
    """The whole page, from the ledger in data/ unless other figures and sources are given."""
    figures = load_figures() if figures is None else figures
    sources = load_sources() if sources is None else sources
    rows = ledger_rows(figures, sources)
    body = (
        "<h1>The ledger: every reported figure</h1>\n"
        f'<p class="as-of">{len(rows)} figures, one row per figure as one source reported it, oldest first. '
        "Search any word, filter by status, kind or company, and sort by any column by clicking its heading. "
        "Open a row's sources for the outlet, title, date and link. The same rows are in "
        '<a href="data/figures.csv">figures.csv</a>.</p>\n'
        f"{filters_html(rows)}\n{table_html(rows, sources)}"
    )
    return site.page("The ledger, searchable", body, PAGE, footer, report_dir, head=STYLE, script="ledger.js")


def write_ledger_page(report_dir: Path, footer: site.Footer, write: Callable[[Path, str], None]) -> None:
    """ledger.html and the script it loads."""
    shutil.copyfile(SCRIPT, report_dir / SCRIPT.name)
    write(report_dir / PAGE, render_ledger_page(footer, report_dir))
