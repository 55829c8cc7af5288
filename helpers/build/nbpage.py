"""A notebook as a page a reader can use: the headline and the bottom line first, code folded away (one click shows
it, no prompts), each chart with its own alt text and a link to the data it draws, tables that scroll in their own
box, and very long tables folded.

Replaces nbconvert's page: that page titled every notebook "Notebook", opened on the parameters cell, wrote
"No description has been provided for this image" as every chart's alt text, and carried MathJax for no math.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from helpers.build import site

BOTTOM_LINE_TAG = "bottom-line"
PARAMETERS_TAG = "parameters"
LONG_TABLE_ROWS = 30  # a table longer than this is folded: the reader opens it, or searches the ledger page


@dataclass(frozen=True)
class Chart:
    """One exported chart: its file and what `frame.show` attached to it (statement, subtitle, sources, alt, data)."""

    name: str
    title: str = ""
    subtitle: str = ""
    sources: str = ""
    note: str = ""
    alt: str = ""
    width: int = 0
    height: int = 0
    data_csv: str = ""

    @property
    def csv_name(self) -> str:
        """The file name of the chart's data, beside its PNG."""
        return self.name.removesuffix(".png") + ".csv"


def _text(value: object) -> str:
    return value if isinstance(value, str) else "".join(value or [])


def heading_only(cell: nbformat.NotebookNode) -> bool:
    """A markdown cell that is nothing but headings (such as '## Bottom line')."""
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return cell.cell_type == "markdown" and bool(lines) and all(line.startswith("#") for line in lines)


def reading_order(cells: list) -> list:
    """The cells as a reader meets them: the title cell, then the bottom line (with its heading), then the rest.

    The notebook itself keeps the analyst's order (the parameters cell near the top, for papermill); the page
    moves only the bottom line, so nothing is dropped and the rest keeps its order.
    """
    tagged = [i for i, c in enumerate(cells) if BOTTOM_LINE_TAG in c.get("metadata", {}).get("tags", [])]
    titles = [i for i, c in enumerate(cells) if c.cell_type == "markdown"]
    if not tagged or not titles:
        return list(cells)
    title, end = titles[0], tagged[0]
    start = end - 1 if end > 0 and heading_only(cells[end - 1]) else end
    if start <= title + 1:
        return list(cells)
    return [*cells[: title + 1], *cells[start : end + 1], *cells[title + 1 : start], *cells[end + 1 :]]


def code_html(cell: nbformat.NotebookNode) -> str:
    """The cell's code, folded: a <details> needs no script, and the summary says what opening it shows."""
    if not cell.source.strip():
        return ""
    what = "Show the assumptions (code)" if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []) else "Show code"
    return (
        f'<details class="code"><summary>{what}</summary><pre><code>{html.escape(cell.source)}</code></pre></details>'
    )


def chart_html(chart: Chart, src: str, linked: bool = True) -> str:
    """One chart: the image with its alt text, the data it draws one click away, and the full-size picture
    (`linked` False for a page that has no figures folder beside it)."""
    size = f' width="{chart.width}" height="{chart.height}"' if chart.width and chart.height else ""
    alt = chart.alt or chart.title or chart.name
    links = []
    if linked and chart.data_csv:
        links.append(
            f'<a class="chart-data" href="figures/{html.escape(chart.csv_name)}">Data behind this chart (CSV)</a>'
        )
    if linked:
        links.append(f'<a href="figures/{html.escape(chart.name)}">Full-size chart (PNG)</a>')
    hint = '<span class="narrow-only">Swipe the chart sideways to see all of it. </span>'
    # on a phone the chart scrolls sideways and its title with it: the statement is repeated above it there only
    # (hidden from screen readers, which have it in the alt text; on a wide screen the image shows it whole)
    narrow = f'<p class="narrow-title" aria-hidden="true">{html.escape(chart.title)}</p>' if chart.title else ""
    return (
        f'<figure class="chart">{narrow}<div class="chart-box"><img src="{html.escape(src)}"{size} alt="{html.escape(alt)}" '
        f'loading="lazy"></div>\n<figcaption>{hint}{" · ".join(links)}</figcaption></figure>'
    )


def table_html(fragment: str) -> str:
    """A table in a box of its own that scrolls sideways; a very long one folded behind a one-line summary."""
    rows = len(re.findall(r"<tr\b", fragment)) - len(re.findall(r"<thead\b", fragment))
    box = site.wrap_tables(fragment) if "<table" in fragment else fragment
    if rows <= LONG_TABLE_ROWS:
        return box
    return f'<details class="long"><summary>Show the whole table ({rows} rows)</summary>\n{box}\n</details>'


class NotebookPage:
    """Renders one notebook's cells; `charts` are the notebook's charts in output order, `src` says where each PNG
    is found (a file beside the page, or inline for a page without a figures folder)."""

    def __init__(
        self, clean: Callable[[str], str], charts: list[Chart], src: Callable[[Chart, str], str], linked: bool = True
    ) -> None:
        self.clean = clean
        self.charts = list(charts)
        self.src = src
        self.linked = linked
        self.used = 0

    def output_html(self, output: nbformat.NotebookNode) -> str:
        """One output, in the richest form a reader can see."""
        kind = output.get("output_type")
        if kind == "stream":
            return f'<pre class="stream">{html.escape(_text(output.get("text")))}</pre>'
        if kind == "error":
            return f'<pre class="error">{html.escape(output.get("ename", ""))}: {html.escape(output.get("evalue", ""))}</pre>'
        bundle = output.get("data", {})
        if "image/png" in bundle:
            chart = self.charts[self.used] if self.used < len(self.charts) else Chart(name="chart.png")
            self.used += 1
            return chart_html(chart, self.src(chart, _text(bundle["image/png"])), self.linked)
        if "text/html" in bundle:
            return table_html(site.rewrite_links(self.clean(_text(bundle["text/html"]))))
        if "text/markdown" in bundle:
            return site.wrap_tables(site.markdown_html(_text(bundle["text/markdown"]), self.clean))
        if "application/json" in bundle:
            return ""  # machine-readable results for the scenario runs; the page shows them as tables already
        if "text/plain" in bundle:
            return f"<pre>{html.escape(_text(bundle['text/plain']))}</pre>"
        return ""

    def cell_html(self, cell: nbformat.NotebookNode) -> str:
        """One cell: markdown rendered, code folded, outputs shown."""
        if cell.cell_type == "markdown":
            return site.wrap_tables(site.markdown_html(cell.source, self.clean))
        if cell.cell_type != "code":
            return ""
        outputs = "\n".join(self.output_html(o) for o in cell.get("outputs", []))
        return "\n".join(part for part in (code_html(cell), outputs) if part)

    def body(self, notebook: nbformat.NotebookNode) -> str:
        """Every cell, in reading order."""
        cells = reading_order(notebook.cells)
        # charts are numbered in the notebook's own order; the reordered cells must find theirs by position
        order = {id(o): n for n, o in enumerate(o for c in notebook.cells for o in c.get("outputs", []) if _png(o))}
        parts = []
        for cell in cells:
            pngs = [order[id(o)] for o in cell.get("outputs", []) if _png(o)]
            self.used = pngs[0] if pngs else self.used
            parts.append(self.cell_html(cell))
        return '<article class="notebook">\n' + "\n".join(p for p in parts if p) + "\n</article>"


def _png(output: nbformat.NotebookNode) -> bool:
    return "image/png" in output.get("data", {})


def inline_src(chart: Chart, png_base64: str) -> str:
    """The PNG inside the page, for a page without a figures folder beside it (a scenario run)."""
    return "data:image/png;base64," + re.sub(r"\s", "", png_base64)


def file_src(chart: Chart, png_base64: str) -> str:
    """The PNG as the file the report writes beside the page: the page stays small, the browser caches it."""
    return f"figures/{chart.name}"


def notebook_title(notebook: nbformat.NotebookNode) -> str:
    """The notebook's headline: its first markdown heading, as plain text."""
    from helpers.notebook.prose import unescape_dollars

    first = next((c for c in notebook.cells if c.cell_type == "markdown"), None)
    line = first.source.strip().splitlines()[0] if first and first.source.strip() else "Notebook"
    return html.unescape(re.sub(r"<[^>]+>", "", unescape_dollars(line.lstrip("# ").strip())))
