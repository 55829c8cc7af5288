"""The report's pages as one site: the navigation (one list), the page shell, the footer every page carries, and
markdown pages (glossary, codebook, data changelog).

Every page is written by `page`: a real <title>, the same navigation, the same footer, one small inline stylesheet,
and no script unless the page needs one (the ledger table ships its own, beside the page).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.data.load import DATA_DIR, ROOT

SITE_NAME = "OpenAI's money, sourced"


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation: a page of the report (href relative to the report folder) and its label."""

    href: str
    label: str


# The navigation, in reading order: a new page is one line here. A page outside the report folder (the scenario
# runs, built by `make scenarios`) is listed only when it exists when the report is built.
NAV: tuple[NavItem, ...] = (
    NavItem("index.html", "Front page"),
    NavItem("04-valuation-scenarios.html", "Valuation"),
    NavItem("05-listing-odds.html", "Listing odds"),
    NavItem("02-funding.html", "Funding"),
    NavItem("03-compute-commitments.html", "Compute"),
    NavItem("06-cash.html", "Cash"),
    NavItem("01-ledger.html", "Ledger"),
    NavItem("ledger.html", "Search the ledger"),
    NavItem("explorer.html", "What if"),
    NavItem("../scenarios/summary.html", "Scenarios"),
    NavItem("glossary.html", "Glossary"),
    NavItem("codebook.html", "Codebook"),
    NavItem("changelog.html", "Data changelog"),
)

# Where a correction goes. The repository has no public address yet; when it has one, put its issues page here.
CORRECTIONS = (
    "Corrections: open an issue in the project's repository naming the figure and a source that supports the change "
    "(or correct the row in data/figures.csv as the codebook explains)."
)


def nav_items(report_dir: Path | None) -> list[NavItem]:
    """The entries to show: every page of the report, and a page outside it only when it has been built beside
    `report_dir` (with no report folder, as on the scenario pages, which `make scenarios` writes, all of them)."""
    return [
        item
        for item in NAV
        if not item.href.startswith("../") or report_dir is None or (report_dir / item.href).is_file()
    ]


def nav_html(current: str, report_dir: Path | None, root: str = "") -> str:
    """The navigation bar; `root` leads from the page's folder to the report folder ('' for a report page)."""
    links = []
    for item in nav_items(report_dir):
        here = ' aria-current="page"' if item.href == current else ""
        links.append(f'<li><a href="{html.escape(root + item.href)}"{here}>{html.escape(item.label)}</a></li>')
    return f'<nav class="site" aria-label="Pages of the report"><ul>{"".join(links)}</ul></nav>'


@dataclass(frozen=True)
class Footer:
    """What every page's footer says: the figures' as-of date, the licences, how to cite, where corrections go."""

    as_of: str  # '1 Jul 2026'
    root: str = ""  # from the page's folder to the report folder

    def html(self) -> str:
        """The footer element."""
        data = f"{self.root}data"
        return (
            '<footer class="site">'
            f"<p>Figures as of {html.escape(self.as_of)} (the newest report in the ledger).</p>"
            f'<p>Licence: the code under MIT; the ledger (the <a href="{data}/figures.csv">data files</a>) under '
            f'<a href="{data}/LICENSE">CC BY 4.0</a>: reuse it and credit the project.</p>'
            f"<p>How to cite: &ldquo;{html.escape(SITE_NAME)}&rdquo;, with the as-of date above "
            f'(<a href="{data}/CITATION.cff">CITATION.cff</a>).</p>'
            f"<p>{html.escape(CORRECTIONS)}</p>"
            "</footer>"
        )


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: Georgia, serif; max-width: 800px; margin: 0 auto; padding: 0 1rem 1rem; color: #222;
  line-height: 1.5; overflow-wrap: break-word; }
a { color: #0a58a3; }
h1 { font-size: 1.6rem; line-height: 1.25; margin-top: 1.2rem; } h2 { font-size: 1.25rem; margin: 1.6rem 0 .3rem; }
h3 { font-size: 1.05rem; }
nav.site { border-bottom: 1px solid #ddd; padding: .5rem 0; font-family: system-ui, sans-serif; font-size: .85rem; }
nav.site ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .15rem .9rem; }
nav.site a { text-decoration: none; } nav.site a:hover { text-decoration: underline; }
nav.site a[aria-current] { color: #222; font-weight: bold; }
footer.site { font-size: .85rem; color: #555; border-top: 1px solid #ddd; margin-top: 2.5rem; padding-top: .6rem; }
footer.site p { margin: .25rem 0; }
.as-of { color: #555; font-size: .95rem; }
.question { font-style: italic; color: #555; margin-top: 0; }
.bottom-line { border-left: 3px solid #555; padding-left: .8rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; font-family: system-ui, sans-serif; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #999; }
pre, code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; }
details.code { margin: .4rem 0; } details.code > summary { cursor: pointer; color: #555; font-size: .85rem;
  font-family: system-ui, sans-serif; }
details.long > summary { cursor: pointer; font-family: system-ui, sans-serif; font-size: .9rem; color: #0a58a3; }
figure.chart { margin: 1.2rem 0; }
figure.chart .chart-box { overflow-x: auto; }
figure.chart img { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { font-family: system-ui, sans-serif; font-size: .8rem; color: #555; margin-top: .2rem; }
.narrow-only, .narrow-title { display: none; }
@media (max-width: 600px) {
  body { font-size: 1rem; } h1 { font-size: 1.35rem; }
  /* a 740 px chart squeezed to a phone's 360 px has 5 px type: keep it at 560 px and let it scroll in its box */
  figure.chart img { max-width: none; width: 560px; }
  .narrow-only { display: inline; }
  .narrow-title { display: block; font-family: system-ui, sans-serif; font-weight: bold; font-size: .95rem;
    margin: 0 0 .3rem; }
}
"""


def page(
    title: str,
    body: str,
    current: str,
    footer: Footer,
    report_dir: Path | None,
    root: str = "",
    head: str = "",
    script: str = "",
) -> str:
    """A whole page of the site: `title` is plain text; `body` is HTML already escaped or cleaned."""
    full_title = title if title == SITE_NAME else f"{title} | {SITE_NAME}"
    scripts = f'<script src="{html.escape(script)}" defer></script>\n' if script else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(full_title)}</title>\n<style>{CSS}</style>\n{head}{scripts}</head>\n<body>\n"
        f"{nav_html(current, report_dir, root)}\n<main>\n{body}\n</main>\n{footer.html()}\n</body>\n</html>\n"
    )


# ----- markdown as pages ----------------------------------------------------------------------------------

# Links written for GitHub and JupyterLab (relative to notebooks/ or the repository) -> the report's own pages
LINK_REWRITES = (
    (re.compile(r'href="(?:\.\./)?docs/glossary\.md(#[^"]*)?"'), r'href="glossary.html\1"'),
    (re.compile(r'href="(?:\.\./)?data/README\.md(#[^"]*)?"'), r'href="codebook.html\1"'),
    (re.compile(r'href="(?:\.\./)?data/CHANGELOG\.md(#[^"]*)?"'), r'href="changelog.html\1"'),
)


def rewrite_links(fragment: str) -> str:
    """Point links at the glossary, codebook and changelog files to their pages in the report."""
    for pattern, replacement in LINK_REWRITES:
        fragment = pattern.sub(replacement, fragment)
    return fragment


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: 'Post-money valuation' -> 'post-money-valuation', "OpenAI's" -> 'openais'."""
    text = html.unescape(re.sub(r"<[^>]+>", "", heading)).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)


def with_anchors(fragment: str) -> str:
    """Give every heading the id GitHub would give it, so `glossary.md#term` links land on `glossary.html#term`."""
    seen: dict[str, int] = {}

    def add_id(match: re.Match[str]) -> str:
        base = anchor(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        ident = base if count == 0 else f"{base}-{count}"
        return f'<h{match.group(1)} id="{ident}">{match.group(2)}</h{match.group(1)}>'

    return _HEADING.sub(add_id, fragment)


def markdown_html(text: str, clean: Callable[[str], str]) -> str:
    """Markdown -> HTML cleaned by `clean` (no script, no handlers), with heading anchors and the report's links."""
    import mistune

    return rewrite_links(with_anchors(clean(mistune.html(text))))


def wrap_tables(fragment: str) -> str:
    """Every table in its own sideways-scrolling box, so a wide table never makes the page wider than the screen."""
    return re.sub(r"(<table\b.*?</table>)", r'<div class="scroll">\1</div>', fragment, flags=re.DOTALL)


@dataclass(frozen=True)
class MarkdownPage:
    """A markdown file of the repository published as a page of the report."""

    source: Path
    output: str
    title: str
    lead: str = ""


MARKDOWN_PAGES = (
    MarkdownPage(ROOT / "docs" / "glossary.md", "glossary.html", "Glossary"),
    MarkdownPage(
        DATA_DIR / "README.md",
        "codebook.html",
        "Codebook",
        "Every column of the three data files, its type and its rules, generated from the schema.",
    ),
    MarkdownPage(DATA_DIR / "CHANGELOG.md", "changelog.html", "Data changelog"),
)


def render_markdown_page(spec: MarkdownPage, clean: Callable[[str], str], footer: Footer, report_dir: Path) -> str:
    """One markdown file as a page of the site (the file's own headings; tables scroll in their own box)."""
    body = wrap_tables(markdown_html(spec.source.read_text(encoding="utf-8"), clean))
    lead = f'<p class="as-of">{html.escape(spec.lead)}</p>\n' if spec.lead else ""
    return page(spec.title, lead + body, spec.output, footer, report_dir)


def write_markdown_pages(report_dir: Path, clean: Callable[[str], str], footer: Footer, write: Callable) -> None:
    """The glossary, the codebook and the data changelog, each as a page."""
    for spec in MARKDOWN_PAGES:
        write(report_dir / spec.output, render_markdown_page(spec, clean, footer, report_dir))
