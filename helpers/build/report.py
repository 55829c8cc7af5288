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
import jupyter_server_mathjax
import nbformat
from filelock import FileLock, Timeout
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

from helpers.build.changelog import render_changelog
from helpers.build.commands import (
    TRACEBACK_ENV,
    cell_timeout,
    check_output,
    interrupted,
    keep_interrupts,
    kernel_running,
    output_problem,
    run_command,
    short_error,
    stop_if_interrupted,
)
from helpers.build.downloads import DOWNLOADS, copy_downloads
from helpers.build.leads import LEAD_CSS, front_lead, lead_html, refresh_leads
from helpers.data.load import DATA_DIR, ROOT
from helpers.notebook.prose import unescape_dollars

NOTEBOOKS_DIR = ROOT / "notebooks"
REPORT_DIR = ROOT / "build" / "report"
README_CHART = ("02-funding--valuation-marks.png", ROOT / "docs" / "valuation-marks.png")
BOTTOM_LINE_TAG = "bottom-line"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# MathJax 2 from a pip package, copied beside the pages: no CDN, and real math would still typeset
MATHJAX_DIR = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


@dataclass(frozen=True)
class Chart:
    """One exported chart: its file and what `frame.show` attached to it (statement, subtitle, sources, alt)."""

    name: str
    title: str = ""
    subtitle: str = ""
    sources: str = ""
    note: str = ""
    alt: str = ""
    width: int = 0
    height: int = 0


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


def export_figures(notebook: nbformat.NotebookNode, stem: str, folder: Path) -> list[Chart]:
    """Write every PNG output as <notebook>--<section>.png (numbered when a section has several), keeping the
    statement, sources and alt text that `frame.show` put in the output's metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    charts: list[Chart] = []
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
            count = sum(1 for c in charts if c.name.startswith(f"{stem}--{section}"))
            if count:
                name = f"{stem}--{section}-{count + 1}.png"
            (folder / name).write_bytes(base64.b64decode(png))
            meta = output.get("metadata", {}).get("image/png", {})
            text = output.get("data", {}).get("text/plain", "")
            text = text if isinstance(text, str) else "".join(text)
            # frame.show writes "Chart: <statement>"; a plain plt.show() output has only a figure size
            title = text.removeprefix("Chart: ").strip() if text.startswith("Chart: ") else ""
            charts.append(
                Chart(
                    name=name,
                    title=title,
                    subtitle=meta.get("subtitle", ""),
                    sources=meta.get("sources", ""),
                    note=meta.get("note", ""),
                    alt=meta.get("alt", "") or f"Chart: {heading or stem}",
                    width=int(meta.get("width", 0)),
                    height=int(meta.get("height", 0)),
                )
            )
    return charts


def notebook_paths(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


class NotebookError(RuntimeError):
    """A notebook failed: the message names the notebook, the cell and the error in a few lines."""

    def __init__(self, message: str, notebook: nbformat.NotebookNode | None = None) -> None:
        super().__init__(message)
        self.notebook = notebook


def display_path(path: Path) -> str:
    """The path relative to the repository when it is inside it (shorter messages)."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


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


def write_atomic(path: Path, text: str) -> None:
    """Write under a temporary name beside `path`, then rename: a reader or an interrupt never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The bytes nbformat.write would write (it adds a final newline)."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at `path`, or a NotebookError naming the file and what to do when it cannot be read."""
    name = display_path(path)
    if path.is_dir():
        raise NotebookError(f"{name}: is a folder, not a notebook file")
    if not path.is_file():
        raise NotebookError(f"{name}: no such notebook file")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises many kinds on a damaged file (ValueError, TypeError, KeyError...)
        why = short_error(error)
        raise NotebookError(
            f"{name}: not a readable notebook ({why}); restore it (git checkout -- {name}) or fix the JSON"
        ) from None


def execute(path: Path, timeout: int | None = None, output: Path | None = None) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in its own folder and write it to `output` (default: in place).

    Any error or stderr output raises NotebookError and leaves the file untouched.
    """
    notebook = read_notebook(path)
    timeout = timeout or cell_timeout()
    client = NotebookClient(
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
    lock_file.parent.mkdir(parents=True, exist_ok=True)
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
    question = unescape_dollars(" ".join(line.strip() for line in first[1:] if line.strip()))
    question = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", question)  # the glossary links of the standfirst, as words
    bottom = [c for c in notebook.cells if BOTTOM_LINE_TAG in c.get("metadata", {}).get("tags", [])]
    bottom_line = unescape_dollars(_markdown_output(bottom[0])) if bottom else ""
    return Summary(name, title, question, bottom_line, seconds, figures)


def _markdown_to_html(text: str) -> str:
    """Just enough markdown for the front page: paragraphs, bullets and bold."""
    parts, bullets = [], []
    for line in text.strip().splitlines():
        line = html.escape(line.strip())
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        if line.startswith("- "):
            bullets.append(f"<li>{line[2:]}</li>")
            continue
        if bullets:
            parts.append("<ul>" + "".join(bullets) + "</ul>")
            bullets = []
        if line:
            parts.append(f"<p>{line}</p>")
    if bullets:
        parts.append("<ul>" + "".join(bullets) + "</ul>")
    return "\n".join(parts)


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
    """One chart with its statement as caption and its source line."""
    size = f' width="{chart.width}" height="{chart.height}"' if chart.width and chart.height else ""
    caption = f"<strong>{html.escape(chart.title)}</strong>" if chart.title else ""
    if chart.note:
        caption += f'<span class="sources">{html.escape(chart.note)}</span>'
    if chart.sources:
        caption += f'<span class="sources">{html.escape(chart.sources)}</span>'
    alt = chart.alt or chart.title or chart.name
    return (
        f'<figure><a href="figures/{chart.name}"><img src="figures/{chart.name}"{size} '
        f'alt="{html.escape(alt)}" loading="lazy"></a>\n<figcaption>{caption}</figcaption></figure>'
    )


def render_index(
    summaries: list[Summary], built_on: str | None = None, scenario_summary: Path = SCENARIO_SUMMARY
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
    return INDEX_TEMPLATE.format(
        sections="\n".join(sections), downloads=downloads, lead=lead, lead_css=LEAD_CSS, licence=LICENCE_NOTE
    )


# on every page of the report: the front page's footer and, through templates/offline, each notebook's page
LICENCE_NOTE = (
    'Code under the MIT licence; the ledger (the data files) under <a href="https://creativecommons.org/licenses/by/4.0/">'
    "CC BY 4.0</a>: reuse it and credit the project. How to cite: CITATION.cff in the repository."
)


INDEX_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenAI funding, valuation and compute: the sourced ledger</title>
<style>
body {{ font-family: Georgia, serif; max-width: 760px; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.6rem; line-height: 1.25; }} h2 {{ font-size: 1.25rem; margin-bottom: .2rem; }}
.as-of {{ color: #555; font-size: .95rem; }}
.question {{ font-style: italic; color: #555; margin-top: 0; }}
.bottom-line {{ border-left: 3px solid #555; padding-left: .8rem; }}
section {{ margin-bottom: 2.5rem; }} a {{ color: #0a58a3; }}
figure {{ margin: 1.2rem 0; }}
figure img {{ max-width: 100%; height: auto; display: block; }}
figcaption {{ font-size: .9rem; color: #333; margin-top: .3rem; }}
figcaption .sources {{ display: block; font-size: .8rem; color: #666; }}
footer {{ font-size: .85rem; color: #666; border-top: 1px solid #ddd; padding-top: .8rem; }}
@media (max-width: 480px) {{ body {{ margin: 1rem auto; font-size: 1rem; }} h1 {{ font-size: 1.35rem; }} }}
{lead_css}
</style>
</head>
<body>
{lead}
<p>Each chart names its sources; the full list with links is at the end of each notebook.</p>
{sections}
<section>
<h2>The data</h2>
<p>What changed in the data, when and why, and what was searched: <a href="changelog.html">the data changelog</a>.</p>
<ul>
{downloads}
</ul>
</section>
<footer>Built by <code>make report</code> from the notebooks in <code>notebooks/</code>. {licence}</footer>
</body>
</html>
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


def exporter() -> HTMLExporter:
    """nbconvert's JupyterLab page, sanitized (our `clean_html`), with MathJax local and no require.js."""
    return HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        mathjax_url=MATHJAX_URL,
        sanitize_html=True,
        filters={"clean_html": clean_html},
    )


def copy_mathjax(report_dir: Path) -> None:
    """The MathJax the pages load, minus its translations (English is built in)."""
    target = report_dir / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(MATHJAX_DIR, target, ignore=shutil.ignore_patterns("localization", "*.py", "__pycache__"))


LOCK = ROOT / "build" / ".report.lock"


# Folders of the repository that hold inputs or committed files: no output folder may be, hold or sit inside one.
def build(report_dir: Path = REPORT_DIR, run: bool = True, notebooks: list[Path] | None = None) -> Path:
    """Execute (unless run=False), render each notebook's HTML page and the index; return the index path."""
    with locked(LOCK, "make report"):
        return _build(report_dir, run, notebooks)


def _build(report_dir: Path, run: bool, notebooks: list[Path] | None) -> Path:
    check_output(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(report_dir / "figures", ignore_errors=True)
    copy_downloads(report_dir / "data")
    copy_mathjax(report_dir)
    html_exporter = exporter()
    summaries = []
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
        body, _ = html_exporter.from_notebook_node(notebook)
        write_atomic(report_dir / path.name.replace(".ipynb", ".html"), body)
        figures = tuple(export_figures(notebook, path.stem, report_dir / "figures"))
        summaries.append(summarize(notebook, path.name, seconds, figures))
        print(f"  {len(figures)} charts", flush=True)
    write_atomic(report_dir / "changelog.html", render_changelog(clean_html, LICENCE_NOTE))
    index = report_dir / "index.html"
    # the link is relative to this report, so it is checked beside this report (a report built elsewhere has none)
    write_atomic(index, render_index(summaries, scenario_summary=report_dir.parent / "scenarios" / "summary.html"))
    if run and notebooks is None:  # the README's picture follows the executed notebook
        README_CHART[1].parent.mkdir(exist_ok=True)
        temporary = README_CHART[1].with_name(f".{README_CHART[1].name}.{os.getpid()}.tmp")
        shutil.copyfile(report_dir / "figures" / README_CHART[0], temporary)
        os.replace(temporary, README_CHART[1])
    return index


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
    sys.exit(main())
