"""Execute every notebook in place, deterministically, and render build/report/.

`python -m helpers.build.report` (what `make report` runs). Rerunning on unchanged code and
data rewrites the notebooks byte for byte, so `git status` stays clean.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import html
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import bleach
import nbformat
from filelock import FileLock, Timeout
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from helpers.build import site
from helpers.build.commands import (
    REPORT_MARKER,
    TRACEBACK_ENV,
    NotebookError,
    NotebookFileError,
    OutputError,
    all_files,
    cell_timeout,
    check_output,
    display_path,
    exit_quietly,
    interrupted,
    keep_interrupts,
    kernel_running,
    output_problem,
    read_notebook,
    report_folder_problem,
    run_command,
    staged,
    stop_if_interrupted,
    write_atomic,
    write_report_marker,
)
from helpers.build.downloads import DOWNLOADS, copy_downloads, neutralise_csv
from helpers.build.explorer import PAGE_NAME as EXPLORER_PAGE
from helpers.build.explorer import explorer_parts
from helpers.build.leads import LEAD_CSS, front_lead, lead_html, refresh_leads
from helpers.build.ledger_page import write_ledger_page
from helpers.build.nbpage import BOTTOM_LINE_TAG, Chart, NotebookPage, chart_html, file_src, inline_src, notebook_title
from helpers.data.load import DATA_DIR, ROOT
from helpers.notebook.prose import dollars_as_typed, unescape_dollars

NOTEBOOKS_DIR = ROOT / "notebooks"
REPORT_DIR = ROOT / "build" / "report"
README_CHART = ("02-funding--valuation-marks.png", ROOT / "docs" / "valuation-marks.png")
CITATION = ROOT / "CITATION.cff"
# re-exported: the report's tests and the scenario runs use them from here
__all__ = ["BOTTOM_LINE_TAG", "Chart", "NotebookError", "display_path", "read_notebook", "write_atomic"]


@dataclass(frozen=True)
class Summary:
    """What the front page says about one notebook."""

    name: str
    title: str
    question: str
    bottom_line: str
    seconds: float
    figures: tuple[Chart, ...] = ()


def slug(text: str) -> str:
    """'## Who put in how much' -> 'who-put-in-how-much'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def chart_list(notebook: nbformat.NotebookNode, stem: str) -> list[tuple[Chart, str]]:
    """Every PNG output as a Chart named <notebook>--<section>.png (numbered when a section has several), with the
    statement, sources, alt text and data `frame.show` put in its metadata, and the PNG itself (base64)."""
    charts: list[tuple[Chart, str]] = []
    section, heading = "top", ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = [line for line in cell.source.splitlines() if line.startswith("#")]
            section = slug(headings[-1]) if headings else section
            heading = unescape_dollars(headings[-1].lstrip("# ").strip()) if headings else heading
            continue
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if not png:
                continue
            name = f"{stem}--{section}.png"
            count = sum(1 for c, _ in charts if c.name.startswith(f"{stem}--{section}"))
            if count:
                name = f"{stem}--{section}-{count + 1}.png"
            meta = output.get("metadata", {}).get("image/png", {})
            text = output.get("data", {}).get("text/plain", "")
            text = text if isinstance(text, str) else "".join(text)
            # frame.show writes "Chart: <statement>"; a plain plt.show() output has only a figure size
            title = text.removeprefix("Chart: ").strip() if text.startswith("Chart: ") else ""
            chart = Chart(
                name=name,
                title=title,
                subtitle=meta.get("subtitle", ""),
                sources=meta.get("sources", ""),
                note=meta.get("note", ""),
                alt=meta.get("alt", "") or f"Chart: {heading or stem}",
                width=int(meta.get("width", 0)),
                height=int(meta.get("height", 0)),
                data_csv=meta.get("data_csv", ""),
            )
            charts.append((chart, png if isinstance(png, str) else "".join(png)))
    return charts


def export_figures(notebook: nbformat.NotebookNode, stem: str, folder: Path) -> list[Chart]:
    """Write every chart's PNG into `folder`, and the frame it draws as the .csv beside it; return the charts."""
    folder.mkdir(parents=True, exist_ok=True)
    charts = chart_list(notebook, stem)
    for chart, png in charts:
        (folder / chart.name).write_bytes(base64.b64decode(png))
        if chart.data_csv:  # formulas neutralised, as in every CSV the report offers
            (folder / chart.csv_name).write_text(neutralise_csv(chart.data_csv), encoding="utf-8")
    return [chart for chart, _ in charts]


def notebook_paths(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def cell_problems(notebook: nbformat.NotebookNode, name: str, max_lines: int = 6) -> list[str]:
    """A few lines for each cell that raised or wrote to stderr, even when the kernel carried on.

    A formatter or a post-execute hook that fails (a chart that cannot be drawn) leaves an error
    output in a cell whose execution still 'succeeded', so the outputs are read, not the status.
    """
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        outputs = cell.get("outputs", [])
        errors = [
            f"{o.get('ename', 'Error')}: {o.get('evalue', '')}" for o in outputs if o.get("output_type") == "error"
        ]
        stderr = [o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        if not errors and not stderr:
            continue
        what = errors[0] if errors else "wrote to stderr: " + "".join(stderr)
        source = next((line for line in cell.source.splitlines() if line.strip()), "")
        count = cell.get("execution_count") or " "
        lines = [f"{name}: cell {number} of {len(notebook.cells)} (In [{count}]) failed", f"  > {source}"]
        problems.append("\n".join(lines + ["  " + line for line in what.strip().splitlines()[:max_lines]]))
    return problems


def machine_independent(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what the kernel stamps from the machine it ran on: the Python patch version."""
    notebook.metadata.get("language_info", {}).pop("version", None)
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The bytes nbformat.write would write (it adds a final newline)."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


class _Client(NotebookClient):
    """nbclient's client, with this process's Ctrl-C handler on the loop from before the kernel starts.

    nbclient puts its own SIGINT handler on the loop just before it starts a kernel; a Ctrl-C in that window
    cancelled the start (a CancelledError traceback) or shut the kernel down under the client (an AssertionError
    reported as a failed notebook, exit 1). With ours in its place, the Ctrl-C is counted and stops the run.
    """

    async def async_start_new_kernel(self, **kwargs: object) -> None:
        keep_interrupts()
        await super().async_start_new_kernel(**kwargs)


def execute(path: Path, timeout: int | None = None, output: Path | None = None) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in its own folder and write it to `output` (default: in place).

    Any error or stderr output raises NotebookError and leaves the file untouched.
    """
    notebook = read_notebook(path)
    timeout = timeout or cell_timeout()
    client = _Client(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        on_notebook_start=keep_interrupts,
    )
    name = display_path(path)
    try:
        with kernel_running():
            client.execute()
    except CellTimeoutError:
        stop_if_interrupted()
        where = cell_problems(notebook, name)
        raise NotebookError(
            f"{name}: a cell ran longer than {timeout} s and was stopped (a loop that never ends?); "
            "fix the cell, or allow more time with REPORT_CELL_TIMEOUT=<seconds>" + ("\n" + where[0] if where else ""),
            notebook,
        ) from None
    except CellExecutionError as error:
        stop_if_interrupted()
        problems = cell_problems(notebook, name) or [f"{name}: {str(error).strip().splitlines()[-1]}"]
        raise NotebookError("\n".join(problems), notebook) from None
    except (DeadKernelError, AssertionError, RuntimeError) as error:
        stop_if_interrupted()
        # nbclient answers SIGINT/SIGTERM by shutting the kernel down, which surfaces as one of these
        why = f"{type(error).__name__}: {error}".strip().rstrip(":")
        message = f"{name}: execution stopped before the last cell (interrupted, or the kernel died; {why})"
        raise NotebookError(message, notebook) from None
    stop_if_interrupted()  # a Ctrl-C lost in nbclient's kernel shutdown still stops the run here
    problems = cell_problems(notebook, name)
    if problems:
        raise NotebookError("\n".join(problems), notebook)
    write_atomic(output or path, notebook_text(machine_independent(notebook)))
    return notebook


@contextlib.contextmanager
def locked(lock_file: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file`; a second run in the same clone waits instead of colliding."""
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # build/ is a file, a dangling link, or cannot be written
        why = error.strerror or type(error).__name__
        raise OutputError(
            f"{display_path(lock_file.parent)}: cannot hold the lock of a {what} ({why}); it must be a folder"
        ) from None
    lock = FileLock(str(lock_file))  # filelock, not fcntl: the report builds on Windows too
    try:
        lock.acquire(blocking=False)
    except Timeout:
        print(f"Waiting for another {what} in this clone to finish ({display_path(lock_file)})", flush=True)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _markdown_output(cell: nbformat.NotebookNode) -> str:
    for output in cell.get("outputs", []):
        text = output.get("data", {}).get("text/markdown")
        if text:
            return text if isinstance(text, str) else "".join(text)
    return ""


def summarize(notebook: nbformat.NotebookNode, name: str, seconds: float, figures: tuple[str, ...] = ()) -> Summary:
    """Title and question from the first markdown cell; bottom line from the tagged cell's output."""
    first = next(c for c in notebook.cells if c.cell_type == "markdown").source.strip().splitlines()
    title = unescape_dollars(first[0].lstrip("# ").strip())
    # the standfirst's own glossary links become words before the escaped data text is unescaped, so a data text
    # that looks like a link ('[X](https://…)') is printed as typed, never taken for one
    question = " ".join(line.strip() for line in first[1:] if line.strip())
    question = unescape_dollars(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", question))
    bottom = [c for c in notebook.cells if BOTTOM_LINE_TAG in c.get("metadata", {}).get("tags", [])]
    # the bottom line is rendered as markdown again: only its dollar marks are undone (a full unescape would turn a
    # data text's '<b>', '**' or '[..](..)' live)
    bottom_line = dollars_as_typed(_markdown_output(bottom[0])) if bottom else ""
    return Summary(name, title, question, bottom_line, seconds, figures)


def _markdown_to_html(text: str) -> str:
    """The front page's markdown (bottom lines): rendered and cleaned like every notebook page's, links rewritten."""
    return site.markdown_html(text, clean_html)


# The front page tells the story in this order: the valuation question, then the money, compute, and the ledger.
STORY_ORDER = ("04", "05", "02", "03", "06", "01")
SCENARIO_SUMMARY = ROOT / "build" / "scenarios" / "summary.html"


def story_position(summary: Summary) -> tuple[int, str]:
    """Where a notebook goes on the front page (unknown numbers after the known ones, in number order)."""
    number = summary.name[:2]
    return (STORY_ORDER.index(number) if number in STORY_ORDER else len(STORY_ORDER), summary.name)


def newest_report_date(figures_csv: Path = DATA_DIR / "figures.csv") -> str:
    """The newest `reported_on` in the ledger, as '26 Jun 2026'."""

    with figures_csv.open(encoding="utf-8") as handle:
        newest = max(row["reported_on"] for row in csv.DictReader(handle))
    year, month, day = (int(part) for part in newest.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _figure_html(chart: Chart) -> str:
    """One chart as on the notebook pages: its alt text, its data and its full size one click away (the statement
    and sources are in the image itself, so no caption repeats them)."""
    return chart_html(chart, f"figures/{chart.name}")


# Where issue 20's lead (headline, standfirst, key numbers) goes: right under the page's title and as-of line.
LEAD_SLOT = "<!-- lead -->"


def render_index(
    summaries: list[Summary],
    built_on: str | None = None,
    scenario_summary: Path = SCENARIO_SUMMARY,
    report_dir: Path | None = None,
) -> str:
    """The front page: the story first (valuation, funding, compute, ledger), each with its bottom line and charts."""
    import datetime

    sections = []
    for s in sorted(summaries, key=story_position):
        page = s.name.replace(".ipynb", ".html")
        charts = "\n".join(_figure_html(chart) for chart in s.figures)
        extra = ""
        if s.name.startswith("04"):
            extra = (
                '<p>Named listing cases, one page each: <a href="../scenarios/summary.html">the scenario summary</a>.'
                "</p>\n"
                if scenario_summary.is_file()
                else ""
            )
        sections.append(
            f'<section>\n<h2><a href="{page}">{html.escape(s.title)}</a></h2>\n'
            f'<p class="question">{html.escape(s.question)}</p>\n'
            f'<div class="bottom-line">{_markdown_to_html(s.bottom_line)}</div>\n'
            f'<div class="charts">{charts}</div>\n{extra}'
            f'<p><a href="{page}">Read the notebook</a> ({len(s.figures)} charts)</p>\n</section>'
        )
    downloads = "\n".join(
        f'<li><a href="data/{name}">{name}</a>: {html.escape(what)}</li>' for name, what in DOWNLOADS.items()
    )
    today = datetime.date.today()
    built = built_on or f"{today.day} {_MONTHS[today.month - 1]} {today.year}"
    # the lead (issue 20): headline, standfirst, key numbers and the one date line, computed from the data
    lead = lead_html(front_lead(NOTEBOOKS_DIR / "04-valuation-scenarios.ipynb"), built)
    body = INDEX_BODY.format(lead=lead, sections="\n".join(sections), downloads=downloads)
    head = f"<style>{LEAD_CSS}</style>\n"
    return site.page(site.SITE_NAME, body, "index.html", site.Footer(newest_report_date()), report_dir, head=head)


INDEX_BODY = """{lead}
<p>Each chart names its sources; the full list with links is at the end of each notebook.</p>
{sections}
<section>
<h2>The data</h2>
<p>Search, sort and filter every reported figure, with its full source one click away:
<a href="ledger.html">the ledger table</a>. What changed in the data, when and why:
<a href="changelog.html">the data changelog</a>. What each column means: <a href="codebook.html">the codebook</a>;
the words: <a href="glossary.html">the glossary</a>.</p>
<ul>
{downloads}
</ul>
</section>
"""


# --- HTML export and downloads: offline, and safe from the data ---------------------------------------

ALLOWED_TAGS = [
    *[
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "span",
        "strong",
        "sub",
        "sup",
    ],
    *["table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "ul"],
]
ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "title"],
    "a": ["href", "title", "target", "rel", "class"],
    "th": ["colspan", "rowspan", "class"],
    "td": ["colspan", "rowspan", "class"],
}
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL | re.IGNORECASE)


def clean_html(fragment: str) -> str:
    """HTML from markdown or an output with only harmless tags left: no script, no event handlers, no styles."""
    fragment = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    return bleach.clean(
        _STYLE.sub("", fragment),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=["http", "https", "mailto"],
        strip=True,
        strip_comments=True,
    )


class PageExporter:
    """Renders a notebook as a page of the site (for the scenario runs, which call it like nbconvert's exporter).

    Charts are inlined when the page has no figures folder beside it.
    """

    def __init__(self, root: str = "../report/", report_dir: Path | None = None) -> None:
        self.root = root
        self.report_dir = report_dir

    def from_notebook_node(self, notebook: nbformat.NotebookNode, resources: dict | None = None) -> tuple[str, dict]:
        """(page, resources), as nbconvert's exporters return them."""
        name = (resources or {}).get("metadata", {}).get("name", "")
        stem = name or "notebook"
        charts = [chart for chart, _ in chart_list(notebook, stem)]
        footer = site.Footer(newest_report_date(), self.root)
        # a scenario run is the same notebook with other inputs: its tab says which case it is
        title = f"Case {name}: {notebook_title(notebook)}" if name else None
        page = render_notebook_page(notebook, f"{stem}.html", charts, footer, self.report_dir, True, title)
        return page, resources or {}


def exporter() -> PageExporter:
    """The page renderer the scenario runs use: the same page as the report's, charts inline."""
    return PageExporter()


def render_notebook_page(
    notebook: nbformat.NotebookNode,
    page_name: str,
    charts: list[Chart],
    footer: site.Footer,
    report_dir: Path | None,
    inline: bool = False,
    title: str | None = None,
) -> str:
    """One notebook's page: its headline as the page title, the bottom line first, code folded, charts linked."""
    renderer = NotebookPage(clean_html, charts, inline_src if inline else file_src, linked=not inline)
    title = title or notebook_title(notebook)
    return site.page(title, renderer.body(notebook), page_name, footer, report_dir, footer.root)


LOCK = ROOT / "build" / ".report.lock"


# Folders of the repository that hold inputs or committed files: no output folder may be, hold or sit inside one.
def build(report_dir: Path = REPORT_DIR, run: bool = True, notebooks: list[Path] | None = None) -> Path:
    """Execute (unless run=False), render each notebook's HTML page and the index; return the index path."""
    with locked(LOCK, "make report"):
        return _build(report_dir, run, notebooks)


def _build(report_dir: Path, run: bool, notebooks: list[Path] | None) -> Path:
    check_output(report_dir)
    problem = report_folder_problem(report_dir)  # never a folder no report build made (it has no marker)
    if problem:
        raise OutputError(problem)
    # built whole beside report_dir and swapped in by a rename: a failure or a Ctrl-C leaves the previous report whole
    with staged(report_dir) as stage:
        _build_into(stage, run, notebooks)
    # the README's picture follows the executed notebooks, from the default report only: a report built elsewhere
    # (a trial with other data, say) leaves the committed picture alone
    if run and notebooks is None and report_dir.resolve() == REPORT_DIR.resolve():
        README_CHART[1].parent.mkdir(exist_ok=True)
        temporary = README_CHART[1].with_name(f".{README_CHART[1].name}.{os.getpid()}.tmp")
        shutil.copyfile(report_dir / "figures" / README_CHART[0], temporary)
        os.replace(temporary, README_CHART[1])
    return report_dir / "index.html"


def _build_into(report_dir: Path, run: bool, notebooks: list[Path] | None) -> None:
    write_report_marker(report_dir, [])
    copy_downloads(report_dir / "data")
    shutil.copyfile(CITATION, report_dir / "data" / CITATION.name)
    footer = site.Footer(newest_report_date())
    summaries = []
    for path in notebooks or notebook_paths():  # a broken notebook file is named before any notebook is written
        read_notebook(path)
    if run:  # each notebook's lead is written from the data before the notebook runs (helpers/build/leads.py)
        refresh_leads(notebooks or notebook_paths())
    for path in notebooks or notebook_paths():
        started = time.perf_counter()
        print(f"  {path.name:<36}", end="", flush=True)  # while a notebook runs, its name is on screen
        try:
            notebook = execute(path) if run else read_notebook(path)
        finally:
            seconds = time.perf_counter() - started
            print(f" {seconds:6.1f} s", end="", flush=True)
        stop_if_interrupted()
        figures = tuple(export_figures(notebook, path.stem, report_dir / "figures"))
        name = path.name.replace(".ipynb", ".html")
        write_atomic(report_dir / name, render_notebook_page(notebook, name, list(figures), footer, report_dir))
        summaries.append(summarize(notebook, path.name, seconds, figures))
        print(f"  {len(figures)} charts", flush=True)
    site.write_markdown_pages(report_dir, clean_html, footer, write_atomic)
    write_ledger_page(report_dir, footer, write_atomic)
    title, head, body = explorer_parts()  # the What-if page (issue 22.1)
    write_atomic(report_dir / EXPLORER_PAGE, site.page(title, body, EXPLORER_PAGE, footer, report_dir, head=head))
    # the link is relative to this report, so it is checked beside this report (a report built elsewhere has none)
    scenarios = report_dir.parent / "scenarios" / "summary.html"
    index = render_index(summaries, scenario_summary=scenarios, report_dir=report_dir)
    write_atomic(report_dir / "index.html", index)
    stop_if_interrupted()
    write_report_marker(report_dir, [name for name in all_files(report_dir) if name != REPORT_MARKER])


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build.report", description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="render the committed outputs without executing")
    parser.add_argument("--out", type=Path, default=REPORT_DIR, help="report folder (default: build/report)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/NN-*.ipynb)")
    parser.add_argument(
        "--traceback", action="store_true", help=f"show the traceback of a failure (or {TRACEBACK_ENV}=1)"
    )
    args = parser.parse_args(argv)

    def body() -> int:
        problem = output_problem(args.out)
        if problem:
            print(
                f"make report refused: {problem}; choose a folder under build/ or outside the repository",
                file=sys.stderr,
            )
            return 2
        print("Executing notebooks:" if not args.no_run else "Rendering notebooks:", flush=True)
        started = time.perf_counter()
        try:
            index = build(args.out, run=not args.no_run, notebooks=[p.resolve() for p in args.notebooks] or None)
        except NotebookFileError as error:  # a broken or missing notebook file: one line, nothing was run
            print(flush=True)
            print(f"make report stopped: {error}", file=sys.stderr)
            return 1
        except NotebookError as error:
            print(flush=True)  # end the progress line
            if interrupted():
                print(error, file=sys.stderr)
                raise KeyboardInterrupt from None
            print(f"make report stopped; the notebook was left as it was:\n{error}", file=sys.stderr)
            return 1
        print(f"Report: {display_path(index)} ({time.perf_counter() - started:.1f} s in all)")
        return 0

    return run_command("make report", body, args.traceback)


if __name__ == "__main__":
    sys.exit(exit_quietly(main()))
