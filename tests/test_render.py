"""What a reader's renderer gets: dollar amounts that are not math, data that is text, tables that read well."""

from __future__ import annotations

import csv
import html
import io
import math
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from helpers import data
from helpers.analysis import ledger
from helpers.build import downloads, report
from helpers.build.report import notebook_paths
from helpers.data import views
from helpers.notebook import prose, tables
from tests.conftest import read_rows, write_rows

SCRIPT = "Amazon<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[click me](javascript:alert(1))"


def test_computed_dollars_are_entities_in_their_own_span():
    text = "Microsoft's reported commitment is $13B; its filings show $11.8B actually paid in"
    out = prose.md(text).data
    assert "$" not in out
    assert out.count(prose.DOLLAR) == 2
    assert prose.plain(out) == text


@pytest.mark.parametrize("payload", [SCRIPT, IMG, LINK])
def test_data_in_computed_prose_stays_text(payload):
    rendered = markdown2html_mistune(prose.md(f"**{payload}** raised $5B").data)
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<strong>" in rendered  # the code's own markdown still works
    assert prose.plain(prose.md(payload).data) == payload


def test_fix_rewrites_typed_amounts_and_leaves_math_and_code():
    source = "about \\$500B now, $1T later; math $x^2$ stays; `$5` in code stays"
    fixed = prose.fix_markdown(source)
    assert fixed == f"about {prose.DOLLAR}500B now, {prose.DOLLAR}1T later; math $x^2$ stays; `$5` in code stays"
    assert prose.raw_amounts(source) and not prose.raw_amounts(fixed)
    assert prose.fix_markdown(fixed) == fixed


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_no_markdown_cell_has_a_raw_dollar_amount(path):
    """Re-run `python -m helpers.notebook.prose --fix notebooks/*.ipynb` when this fails."""
    notebook = nbformat.read(path, as_version=4)
    raw = {c.get("id"): prose.raw_amounts(c.source) for c in notebook.cells if c.cell_type == "markdown"}
    assert not {k: v for k, v in raw.items() if v}


def test_readme_has_no_raw_dollar_amount():
    """GitHub renders README.md with math on; re-run `python -m helpers.notebook.prose --fix README.md` when this fails."""
    assert not prose.raw_amounts((data.ROOT / "README.md").read_text(encoding="utf-8"))


def test_publish_reads_like_a_publication():
    frame = pd.DataFrame(
        {
            "investor": ["Amazon", SCRIPT],
            "committed_usd_bn": [50.0, 135.741905],
            "stake": [0.02, math.nan],
            "url": ["https://example.com/a?b=1&c=2", None],
        }
    )
    table = tables.publish(frame, money=["committed_usd_bn"], shares=["stake"], links=["url"])
    page = table._repr_html_()
    assert "<th>Committed ($B)</th>" in page.replace("<span>$</span>", "$")
    assert "<span>$</span>135.7B" in page and "2.0%" in page and "NaN" not in page and tables.NOTHING in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert '<a href="https://example.com/a?b=1&amp;c=2"' in page
    assert page == tables.publish(frame, money=["committed_usd_bn"], shares=["stake"], links=["url"])._repr_html_()
    assert "NaN" not in repr(table) and "$135.7B" in repr(table)
    assert type(table.head(1)) is tables.Published and table.head(1).link_columns == ["url"]


def test_ledger_tables_have_words_for_headers_and_no_nan():
    figures, sources = data.load_figures(), data.load_sources()
    for table in (views.readable(figures, sources), ledger.counts(figures), views.source_table(sources)):
        page = table._repr_html_()
        assert "NaN" not in page and "_" not in "".join(table.texts().columns)
    assert "<a href=" in views.source_table(sources)._repr_html_()


def test_csv_downloads_neutralise_formulas(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    rows = list(csv.reader(io.StringIO((copy / "figures.csv").read_text())))
    header = rows[0]
    rows[1][header.index("note")] = '=HYPERLINK("http://x","y")'
    rows[2][header.index("subject")] = "@SUM(A1)"
    rows[3][header.index("note")] = "+1 bad"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (copy / "figures.csv").write_text(out.getvalue())
    downloads.copy_downloads(tmp_path / "downloads", copy)
    cells = [c for row in csv.reader(io.StringIO((tmp_path / "downloads" / "figures.csv").read_text())) for c in row]
    assert not [c for c in cells if c[:1] in "=+@" and c]
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@SUM(A1)" in cells
    assert (data.DATA_DIR / "figures.csv").read_text() != (copy / "figures.csv").read_text()  # repo file untouched


def ledger_with_script_deal(tmp_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ledger (figures, sources) from a copy of data/ whose Amazon deal name is a script tag."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    # a subject is a name from the vocabulary (a payload there stops the check); a deal name is free text
    figures_csv = (copy / "figures.csv").read_text().replace("Amazon's investment (2026 round)", SCRIPT)
    (copy / "figures.csv").write_text(figures_csv)
    return data.load_figures(copy / "figures.csv", copy / "sources.csv"), data.load_sources(copy / "sources.csv")


def test_html_export_of_injected_data_runs_no_script(tmp_path):
    figures, sources = ledger_with_script_deal(tmp_path)
    assert SCRIPT in set(figures["deal"])
    event = figures.loc[figures["deal"] == SCRIPT, "event"].iloc[0]
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    for obj in (prose.md(ledger.history_sentence(figures, event) + " " + IMG), views.readable(figures, sources)):
        bundle = {"text/plain": repr(obj)}
        bundle.update({"text/markdown": obj.data} if hasattr(obj, "data") else {"text/html": obj._repr_html_()})
        cell.outputs.append(nbformat.v4.new_output("display_data", data=bundle))
    # a raw payload in an output (as a careless helper would emit) is removed by the sanitizer
    cell.outputs.append(nbformat.v4.new_output("display_data", data={"text/html": IMG + SCRIPT, "text/plain": ""}))
    notebook.cells.append(cell)
    page, _ = report.exporter().from_notebook_node(notebook)
    body = page[page.index("<main>") :]
    assert "<script" not in body and not re.search(r"<[a-z][^>]*\son[a-z]+=", body)
    assert "alert(1)" in body  # shown as text, not dropped
    head = page[: page.index("<main>")]
    assert "://" not in "".join(line for line in head.splitlines() if "<script" in line or "<link" in line)


def test_scenario_label_from_the_data_stays_text_in_every_output(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    rows = read_rows(copy / "scenarios.csv")
    rows[1][rows[0].index("label")] = IMG  # the first mark's label
    write_rows(copy / "scenarios.csv", rows)
    book = data.load_ledger(copy / "figures.csv", copy / "sources.csv", copy / "scenarios.csv")
    assert IMG in set(book.scenarios["label"])
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    shown = book.scenarios.drop(columns="note")
    for bundle in (
        {"text/markdown": prose.md(f"**$10B at the {IMG} mark**").data},
        {"text/html": shown._repr_html_()},  # a plain pandas table, as notebook 04 shows it
        {"text/html": tables.publish(shown, money=["valuation_usd_bn"])._repr_html_()},
    ):
        cell.outputs.append(nbformat.v4.new_output("display_data", data={**bundle, "text/plain": ""}))
    notebook.cells.append(cell)
    page, _ = report.exporter().from_notebook_node(notebook)
    body = page[page.index("<main>") :]
    assert not re.search(r"<img\b", body) and not re.search(r"<[a-z][^>]*\son[a-z]+=", body)
    assert body.count("onerror=alert(1)") == 3  # printed as text in all three


def test_plain_pandas_tables_are_skipped_by_mathjax_once_prose_is_imported():
    page = pd.DataFrame({"range": ["$852B to $1T"]})._repr_html_()
    assert "tex2jax_ignore" in page  # set by helpers.notebook.prose, which every notebook imports
    assert "tex2jax_ignore" in tables.publish(pd.DataFrame({"a": [1]}))._repr_html_()


def test_ledger_page_prints_data_as_text_and_links_only_web_addresses(tmp_path):
    from helpers.build import ledger_page, site

    figures, sources = ledger_with_script_deal(tmp_path)
    page = ledger_page.render_ledger_page(site.Footer("1 Jan 2026"), None, figures, sources)
    body = page[page.index("<main>") :]
    assert "<script" not in body and not re.search(r"<[a-z][^>]*\son[a-z]+=", body)
    assert html.escape(SCRIPT) in body and len(re.findall(r"<tr>", body)) == len(figures) + 1
    assert all(href.startswith(("http://", "https://", "data/")) for href in re.findall(r'href="([^"]+)"', body))
