"""What a reader sees, in a real browser: every notebook in JupyterLab and every report page in headless Chromium.

Run by `make browser` (not by `make test`: the file name keeps it out of `pytest tests/`). Uses Debian's
/usr/bin/chromium through Playwright; nothing is downloaded. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

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

from helpers.build import report
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
    """The report built from the committed outputs, plus a probe page made by the same exporter."""
    folder = tmp_path_factory.mktemp("report")
    report.build(folder, run=False)
    body, _ = report.exporter().from_notebook_node(probe_notebook())
    (folder / "probe.html").write_text(body, encoding="utf-8")
    return folder


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    remote: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # a reader scrolling down loads the front page's lazy charts; load them all at once instead
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    if page.evaluate("!!window.MathJax"):
        page.wait_for_function(
            "window.MathJax.Hub && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running", timeout=20_000
        )
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=20_000)
    return page, errors, remote


def test_report_page_typesets_real_math_but_not_money(browser, pages):
    page, errors, remote = open_page(browser, pages / "probe.html")
    assert page.evaluate("!!window.MathJax"), "the local MathJax did not load"
    assert page.locator(".MathJax_CHTML, .MathJax").count() >= 1, "MathJax did not typeset the one formula"
    assert MONEY in _words(page.inner_text("body")) and not errors and not remote
    assert not page.evaluate(PAIRED, ".jp-OutputArea-output")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p id=raw>$13B; filings show $11.8B</p>')")
    assert page.evaluate(PAIRED, "#raw"), "the paired-dollar check cannot see a raw pair"
    page.close()


@pytest.mark.parametrize("name", ["index.html", *[p.with_suffix(".html").name for p in NOTEBOOKS]])
def test_report_page(browser, pages, name):
    html = (pages / name).read_text(encoding="utf-8")
    external = re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//[^>]*>", html, re.IGNORECASE)
    assert not external, f"fetched from the network: {external}"
    page, errors, remote = open_page(browser, pages / name)
    page.screenshot(path=str(SHOTS / f"report-{Path(name).stem}.png"), full_page=True)
    assert page.locator(TYPESET).count() == 0, "MathJax typeset text on the page"
    if page.evaluate("!!window.MathJax"):  # the front page loads no MathJax, so its dollars are plain text
        assert not page.evaluate(PAIRED, "body"), "text MathJax would typeset"
    text = _words(page.inner_text("body"))
    stems = [p.stem for p in NOTEBOOKS] if name == "index.html" else [Path(name).stem]
    for stem in stems:
        notebook = nbformat.read(report.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
        missing = [line for line in bottom_lines(notebook) if line not in text]
        assert not missing, f"bottom line of {stem} not shown as computed: {missing}"
    sizes = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
    assert sizes and all(sizes), f"images not loaded: {sizes}"
    assert not errors and not remote, (errors, remote)
    page.close()
