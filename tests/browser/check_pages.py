"""What a reader sees, in a real browser: every notebook in JupyterLab and every report page in headless Chromium.

Run by `make browser` (not by `make test`: the file name keeps it out of `pytest tests/`). Uses Debian's
/usr/bin/chromium through Playwright; nothing is downloaded. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers import data
from helpers.build import ledger_page, report, site
from helpers.data.load import ROOT
from helpers.notebook import prose

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FLAGS += ["--disable-component-update", "--no-first-run"]
SHOTS = ROOT / "build" / "screenshots"
NOTEBOOKS = report.notebook_paths()
TOKEN = "browser-test-token"
# MathJax 3 (JupyterLab) and MathJax 2 (nbconvert pages) leave these behind when they typeset something
TYPESET = "mjx-container, .MathJax, .MathJax_CHTML, .MathJax_Display, .MathJax_Preview, script[type^='math/tex']"
# MathJax pairs delimiters only inside one text node: any text node with two `$` (or `\(`) would be typeset
# once MathJax gets to it, unless it is in code or in an element MathJax skips (tex2jax_ignore). Checked on
# the DOM, so the result does not depend on how fast MathJax runs.
PAIRED = """sel => {
  const found = [];
  for (const root of document.querySelectorAll(sel)) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.parentElement.closest('code, pre, script, style, .tex2jax_ignore, .mathjax_ignore')) continue;
      if (/\\$[^$]*\\$|\\\\\\(|\\\\\\[/.test(n.nodeValue)) found.push(n.nodeValue.slice(0, 80));
    }
  }
  return found;
}"""
MONEY = "Microsoft's reported commitment is $13B; its filings show $11.8B actually paid in"

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium chromium-driver", pytrace=False)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def bottom_lines(notebook: nbformat.NotebookNode) -> list[str]:
    """The tagged bottom-line output as the sentences a reader should see (markdown markup removed)."""
    cells = [c for c in notebook.cells if report.BOTTOM_LINE_TAG in c.get("metadata", {}).get("tags", [])]
    assert cells, "no cell tagged bottom-line"
    text = prose.plain(report._markdown_output(cells[0])).replace("**", "")
    return [_words(line.removeprefix("- ")) for line in text.splitlines() if line.strip()]


def png_count(notebook: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", []))


def probe_notebook() -> nbformat.NotebookNode:
    """One real formula and one computed money sentence: MathJax must typeset the first and not the second."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Probe\n\nA formula: $x^2 + 1$.", id="math"))
    cell = nbformat.v4.new_code_cell("", id="money")
    cell.outputs.append(
        nbformat.v4.new_output("display_data", data={"text/markdown": prose.md(MONEY).data, "text/plain": ""})
    )
    nb.cells.append(cell)
    return nb


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab_context(browser):
    """One browser context for all JupyterLab pages, so JupyterLab's scripts are fetched and cached once."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context
    context.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, over a copy of the notebooks; yields its base URL and folder."""
    root = tmp_path_factory.mktemp("lab")
    home = tmp_path_factory.mktemp("labhome")
    for path in NOTEBOOKS:
        shutil.copy(path, root / path.name)
    nbformat.write(probe_notebook(), root / "probe.ipynb")
    settings = {
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "notebook-extension/tracker": {"windowingMode": "none"},  # render every cell, so every image loads
    }
    for name, values in settings.items():
        file = home / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTER_CONFIG_DIR=str(home / "config"))
    env.update(JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    command += [f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"]
    command += ["--allow-root"] if os.geteuid() == 0 else []
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("JupyterLab did not start:\n" + (home / "lab.log").read_text())
        yield base, root
    finally:
        server.terminate()
        server.wait(timeout=20)


def open_in_lab(context, base: str, path: Path, workspace: str):
    """A fresh page and workspace with the notebook open and every cell rendered; returns (page, errors)."""
    notebook = nbformat.read(path, as_version=4)
    markdown = sum(c.cell_type == "markdown" for c in notebook.cells)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path.name}?reset&token={TOKEN}")
    page.wait_for_function(
        f"document.querySelectorAll('.jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown').length >= {markdown}",
        timeout=40_000,
    )
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=20_000)
    time.sleep(1.0)  # MathJax typesets after rendering; the probe shows it has done so by now
    return page, errors


def screenshot(page, selector: str, path: Path) -> None:
    """The whole scrolled panel in one picture: grow the viewport to the content's height first."""
    height = page.evaluate(f"Math.max(...[...document.querySelectorAll({selector!r})].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": int(min(max(height + 200, 1000), 12000))})
    time.sleep(0.5)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def test_lab_typesets_real_math_but_not_money(lab_context, lab):
    base, root = lab
    page, errors = open_in_lab(lab_context, base, root / "probe.ipynb", "probe")
    assert page.locator("mjx-container").count() == 1, "MathJax did not typeset the one formula"
    assert MONEY in _words(page.inner_text(".jp-Notebook")) and not errors
    page.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(lab_context, lab, path):
    notebook = nbformat.read(path, as_version=4)
    page, errors = open_in_lab(lab_context, lab[0], path, f"check-{path.stem}")
    screenshot(page, ".jp-WindowedPanel-outer, .jp-NotebookPanel-notebook", SHOTS / f"lab-{path.stem}.png")
    assert page.locator(f".jp-Notebook {TYPESET}").count() == 0, "MathJax typeset text in the notebook"
    assert not page.evaluate(PAIRED, ".jp-Notebook .jp-RenderedHTMLCommon"), "text MathJax would typeset"
    text = _words(page.inner_text(".jp-Notebook"))
    missing = [line for line in bottom_lines(notebook) if line not in text]
    assert not missing, f"bottom line not shown as computed: {missing}"
    sizes = page.eval_on_selector_all(".jp-OutputArea-output img", "els => els.map(e => e.naturalWidth)")
    assert len(sizes) == png_count(notebook) and all(sizes), f"images not loaded: {sizes}"
    assert not errors, errors
    page.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The report built from the committed outputs."""
    folder = tmp_path_factory.mktemp("report")
    report.build(folder, run=False)
    return folder


REPORT_PAGES = [
    "index.html",
    *[p.with_suffix(".html").name for p in NOTEBOOKS],
    ledger_page.PAGE,
    *[spec.output for spec in site.MARKDOWN_PAGES],
]
WIDTHS = (1280, 390)


def open_page(browser, path: Path, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    errors: list[str] = []
    remote: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # a reader scrolling down loads the lazy charts; load them all at once instead
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=20_000)
    return page, errors, remote


def chart_outputs(stem: str) -> list[dict]:
    """The metadata `frame.show` attached to each chart of a notebook, in order."""
    notebook = nbformat.read(report.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    return [
        o.get("metadata", {}).get("image/png", {})
        for c in notebook.cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]


def test_no_report_page_has_math_so_none_ships_mathjax(pages):
    """The report ships no MathJax (it was 8.7 MB): that is right only while no page has text MathJax would read."""
    assert not (pages / "mathjax").exists()
    for name in REPORT_PAGES:
        assert not re.search(r"<script[^>]*mathjax", (pages / name).read_text(encoding="utf-8"), re.I), name


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORT_PAGES)
def test_report_page(browser, pages, name, width):
    html = (pages / name).read_text(encoding="utf-8")
    external = re.findall(r"<(?:script|link|img)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//[^>]*>", html, re.IGNORECASE)
    assert not external, f"fetched from the network: {external}"
    page, errors, remote = open_page(browser, pages / name, width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"report-{Path(name).stem}-{width}.png"), full_page=True)
    # a real title, and one navigation that reaches every page, this one marked
    title = page.title()
    assert title and title != "Notebook" and site.SITE_NAME in title, title
    hrefs = page.eval_on_selector_all("nav.site a", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs == [item.href for item in site.nav_items(pages)], hrefs
    assert all((pages / href).is_file() for href in hrefs), hrefs
    assert page.eval_on_selector("nav.site a[aria-current=page]", "e => e.getAttribute('href')") == name
    # the footer: as-of date, licence, how to cite, corrections
    footer = _words(page.inner_text("footer.site"))
    assert f"Figures as of {report.newest_report_date()}" in footer and "CC BY 4.0" in footer, footer
    assert "CITATION.cff" in footer and "Corrections" in footer, footer
    for href in page.eval_on_selector_all("footer.site a", "els => els.map(e => e.getAttribute('href'))"):
        assert (pages / href).is_file(), href
    # no page wider than the screen: wide tables and charts scroll inside their own box
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow} px wider than a {width} px screen"
    # every image loads and says what it shows
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.naturalWidth, e.getAttribute('alt') || ''])")
    assert all(w for w, _ in images), f"images not loaded: {images}"
    assert all(len(alt) > 20 and "No description" not in alt for _, alt in images), images
    text = _words(page.inner_text("body"))
    assert not re.search(r"\b(?:In|Out)\s*\[\d*\]:", text), "notebook prompts on the page"
    stems = [p.stem for p in NOTEBOOKS] if name == "index.html" else [Path(name).stem]
    for stem in [s for s in stems if (report.NOTEBOOKS_DIR / f"{s}.ipynb").is_file()]:
        notebook = nbformat.read(report.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
        lines = bottom_lines(notebook)
        missing = [line for line in lines if line not in text]
        assert not missing, f"bottom line of {stem} not shown as computed: {missing}"
        if name != "index.html":
            _check_notebook_page(page, pages, stem, text, lines)
    if name == "index.html":
        assert len(images) == sum(len(chart_outputs(p.stem)) for p in NOTEBOOKS)
    _check_chart_links(page, pages)
    assert not errors and not remote, (errors, remote)
    page.close()


def _check_notebook_page(page, pages: Path, stem: str, text: str, lines: list[str]) -> None:
    """The headline and bottom line open the page; code is folded, and one click shows it; alt text as the chart's."""
    assert _words(page.inner_text("h1")) == _words(
        report.notebook_title(nbformat.read(report.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4))
    )
    assert text.index(lines[0]) < min((text.index(w) for w in ("Assumptions", "## Data") if w in text), default=10**9)
    assert page.locator("pre code").count() == page.locator("details.code pre code").count() > 0
    assert all(not open_ for open_ in page.eval_on_selector_all("details.code", "els => els.map(e => e.open)"))
    assert not page.locator("details.code pre").first.is_visible()
    page.locator("details.code summary").first.click()
    assert page.locator("details.code pre").first.is_visible(), "one click does not show the code"
    alts = page.eval_on_selector_all("figure.chart img", "els => els.map(e => e.getAttribute('alt'))")
    assert alts == [meta["alt"] for meta in chart_outputs(stem)]


def _check_chart_links(page, pages: Path) -> None:
    """Every chart offers the data it draws, beside its PNG, and the CSV is the frame the notebook attached."""
    figures = page.eval_on_selector_all(
        "figure.chart",
        "els => els.map(f => [f.querySelector('img').getAttribute('src'), "
        "(f.querySelector('a.chart-data') || {getAttribute: () => ''}).getAttribute('href')])",
    )
    for src, href in figures:
        assert href and href == src.removesuffix(".png") + ".csv", (src, href)
        assert (pages / href).is_file(), href
        header = (pages / href).read_text(encoding="utf-8").splitlines()[0]
        assert "," in header or header, href


def test_ledger_page_searches_filters_and_sorts(browser, pages):
    page, errors, remote = open_page(browser, pages / ledger_page.PAGE, 1280)
    total = page.locator("#ledger tbody tr").count()
    assert total == len(data.load_figures())
    visible = "[...document.querySelectorAll('#ledger tbody tr')].filter(r => !r.hidden)"
    page.fill("#ledger-search", "SoftBank")
    shown = page.evaluate(f"{visible}.map(r => r.textContent.toLowerCase())")
    assert 0 < len(shown) < total and all("softbank" in row for row in shown)
    assert f"{len(shown)} of {total}" in page.inner_text("#ledger-count")
    page.fill("#ledger-search", "")
    page.select_option("select[data-filter=status]", "closed")
    status = page.evaluate(f"{visible}.map(r => r.cells[7].textContent.trim())")
    assert status and set(status) == {"closed"} and len(status) < total
    page.locator("button[type=reset]").click()
    page.wait_for_function(f"{visible}.length === {total}")
    page.locator("#ledger th button.sort").first.click()
    page.locator("#ledger th button.sort").first.click()  # twice: newest first
    dates = page.evaluate("[...document.querySelectorAll('#ledger tbody tr')].map(r => r.cells[0].textContent)")
    assert dates == sorted(dates, reverse=True)
    first = page.locator("#ledger tbody tr").first
    assert not first.locator("details ul").is_visible()
    first.locator("details summary").click()
    assert first.locator("details ul").is_visible(), "a row's full source is not one click away"
    assert not errors and not remote, (errors, remote)
    page.close()


def test_open_run_save_in_jupyterlab_leaves_the_notebook_as_committed(lab_context, lab):
    """A contributor opens a notebook, restarts the kernel and runs every cell, and saves: nothing changes.

    Opening fills in the kernel's Python version and marks the notebook changed; the pre-save hook the set-up
    installs (helpers.notebook.save_hook) keeps that out of the file, and the cells re-run to their committed outputs.
    """
    base, root = lab
    path = root / "05-listing-odds.ipynb"  # the quickest to run; the others differ only in how long they take
    committed = (report.NOTEBOOKS_DIR / path.name).read_bytes()
    page, errors = open_in_lab(lab_context, base, path, "round-trip")
    page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").click()
    page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Run All Cells").click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    prompts = "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim())"
    page.wait_for_function(f"{prompts}.some(t => t.includes('*'))", timeout=30_000)
    page.wait_for_function(f"{prompts}.every(t => /^\\[\\d+\\]:$/.test(t))", timeout=180_000)
    before = path.stat().st_mtime_ns
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    for _ in range(100):
        if path.stat().st_mtime_ns != before:
            break
        time.sleep(0.2)
    else:
        pytest.fail("JupyterLab did not save the notebook")
    time.sleep(0.5)  # the server writes to a temporary file and renames it; let a second write finish too
    saved = path.read_bytes()
    if saved != committed:
        fresh, old = nbformat.reads(saved.decode(), as_version=4), nbformat.reads(committed.decode(), as_version=4)
        changed = [i for i, (a, b) in enumerate(zip(old.cells, fresh.cells, strict=False), 1) if a != b]
        lines = difflib.unified_diff(committed.decode().splitlines(), saved.decode().splitlines(), n=1, lineterm="")
        diff = "\n".join(line[:160] for line in list(lines)[:20])
        pytest.fail(f"saving changed {path.name}: metadata {dict(fresh.metadata)}, cells {changed}\n{diff}")
    assert not errors, errors
    page.close()
