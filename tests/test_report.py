"""The report and the scenario pages: every local link resolves exactly; runs fail loudly, take turns and survive interrupts.

That the notebooks re-execute to their committed bytes is in test_notebooks.py.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import data
from helpers.build import nbpage, report, scenario_runs, site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def local_targets(page: Path) -> list[str]:
    """Links and image sources in a page that point at files (not the web, anchors or inline data)."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    local = []
    for target in parser.targets:
        parsed = urlparse(target)
        if parsed.scheme or target.startswith(("#", "//")) or target.startswith("data:"):
            continue
        local.append(unquote(parsed.path))
    return local


def resolves_exactly(folder: Path, target: str) -> bool:
    """The target exists with exactly this spelling, even on a case-insensitive file system (macOS, Windows)."""
    for part in Path(target).parts:
        if part == "..":
            folder = folder.parent
        elif part != ".":
            if part not in os.listdir(folder):
                return False
            folder = folder / part
    return folder.is_file()


@pytest.fixture(scope="module")
def built(tmp_path_factory, executed) -> Path:
    """The report rendered from the session's executed notebooks (the same bytes as the committed ones)."""
    folder = tmp_path_factory.mktemp("report")
    report.build(folder, run=False, notebooks=executed.all())
    return folder


@pytest.mark.xdist_group("built-report")
def test_every_local_link_and_image_resolves(built):
    pages = sorted(built.glob("*.html"))
    assert [p.name for p in pages][0] == "01-ledger.html" and (built / "index.html") in pages
    checked = 0
    for page in pages:
        for target in local_targets(page):
            assert resolves_exactly(page.parent, target), f"{page.name} links to missing {target}"
            checked += 1
    assert checked >= 4 + 4 + 12  # notebook pages, downloads, charts


def test_a_link_that_differs_only_in_case_does_not_resolve(tmp_path):
    (tmp_path / "bear.html").write_text("page", encoding="utf-8")
    assert resolves_exactly(tmp_path, "bear.html") and not resolves_exactly(tmp_path, "Bear.html")


def test_scenario_summary_links_every_case_page_exactly(executed, tmp_path):
    """summary.html once linked Bear.html while the page was bear.html: broken on every case-sensitive system."""
    cases = data.load_ledger().scenarios.query("kind == 'case'")
    labels = dict(zip(cases["scenario_id"], cases["label"], strict=True))
    assert any(label != scenario_id for scenario_id, label in labels.items())  # the trap is present in the data
    notebook = executed["04-valuation-scenarios"]
    result = scenario_runs.read_results(notebook)
    page = scenario_runs.publish({c: result for c in labels}, labels, {c: notebook for c in labels}, tmp_path)
    targets = local_targets(page)
    assert sorted(targets) == sorted(f"{c}.html" for c in labels)
    assert all(resolves_exactly(tmp_path, target) for target in targets), targets


@pytest.mark.xdist_group("built-report")
def test_front_page_has_each_notebooks_question_and_computed_bottom_line(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    for path in report.notebook_paths():
        notebook = nbformat.read(path, as_version=4)
        summary = report.summarize(notebook, path.name, 0.0)
        assert summary.title and summary.question and summary.bottom_line, path.name
        assert summary.title.replace("'", "&#x27;") in index
        # the bottom line is the notebook's computed output, not text typed into the page
        assert report._markdown_to_html(summary.bottom_line) in index, path.name
        assert re.search(r"\d", summary.bottom_line), path.name


@pytest.mark.xdist_group("built-report")
def test_front_page_links_the_changelog_and_says_where_the_record_stops(built):
    import html

    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="changelog.html"' in index
    page = (built / "changelog.html").read_text(encoding="utf-8")
    assert re.search(r"<h2 id=\"[^\"]+\">\d{4}-\d{2}-\d{2}: ", page), "the changelog's entries are dated"
    assert "<script" not in page
    # the lead's date line says where the record stops, and how much older than the page it is (issue 20)
    assert data.record_gap_sentence(data.load_figures())
    assert "found nothing citable published since" in html.unescape(index)
    assert "older than this page" in index


def test_every_chart_is_exported(built):
    outputs = sum(
        1
        for path in report.notebook_paths()
        for cell in nbformat.read(path, as_version=4).cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )
    exported = sorted(p.name for p in (built / "figures").glob("*.png"))
    assert len(exported) == outputs
    assert all(re.fullmatch(r"\d\d-[a-z-]+--[a-z0-9-]+\.png", name) for name in exported)


def test_precommit_nbstripout_leaves_committed_notebooks_alone(tmp_path):
    """The metadata cleaner in .pre-commit-config.yaml must not fight `make report`."""
    import subprocess
    import sys

    config = (Path(report.ROOT) / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    entry = re.search(r"entry: \.venv/bin/nbstripout (.+)", config).group(1)
    arguments = re.findall(r'"[^"]+"|\S+', entry)
    copies = []
    for path in report.notebook_paths():
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        copies.append(copy)
    command = [sys.executable, "-m", "nbstripout", *[a.strip('"') for a in arguments], *map(str, copies)]
    subprocess.run(command, check=True)
    for path, copy in zip(report.notebook_paths(), copies, strict=True):
        assert copy.read_bytes() == path.read_bytes(), path.name


def small_notebook(path: Path, *sources: str, parameters: str = "") -> Path:
    """A notebook with the given code cells (and a cell tagged parameters when given)."""
    cells = [new_markdown_cell("# A small notebook")]
    if parameters:
        cells.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    cells += [new_code_cell(source) for source in sources]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": kernelspec}), path)
    return path


# The inline backend draws after the cell has run, so this error used to reach the page with exit status 0.
CHART_THAT_FAILS_TO_DRAW = (
    "import matplotlib.pyplot as plt\n%matplotlib inline\nfig, ax = plt.subplots()\n"
    "ax.set_title('$\\\\frac{$')  # mathtext that cannot be parsed\nplt.show()"
)


def test_a_chart_that_fails_to_draw_stops_the_report(tmp_path, capsys):
    notebook = small_notebook(tmp_path / "01-bad.ipynb", "x = 1", CHART_THAT_FAILS_TO_DRAW, "print('after')")
    before = notebook.read_bytes()
    assert report.main(["--out", str(tmp_path / "report"), str(notebook)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) <= 8, lines
    assert f"{notebook}: cell 3 of 4 (In [2]) failed" in lines
    assert any(line.strip().startswith("ValueError") for line in lines), lines
    assert notebook.read_bytes() == before  # left as it was
    assert not (tmp_path / "report" / "01-bad.html").exists()


def test_a_failing_case_stops_the_scenario_runs(tmp_path, capsys):
    notebook = small_notebook(
        tmp_path / "scenario.ipynb",
        "raise ValueError(f'no listing at {LISTING_VALUATION_USD_BN:g}')",
        parameters="LISTING_VALUATION_USD_BN = 1000\nYEARS_TO_LISTING = 1.0\nDILUTION_TO_LISTING = 0.1",
    )
    out = tmp_path / "runs"
    assert scenario_runs.main(["--out", str(out), "--notebook", str(notebook)]) == 1
    message = capsys.readouterr().err
    first_case = data.load_ledger().scenarios.query("kind == 'case'").iloc[0]
    assert f"case {first_case.scenario_id!r}" in message
    assert re.search(
        rf"{re.escape(str(out))}/{first_case.scenario_id}\.ipynb: cell \d+ of \d+ \(In \[\d+\]\) failed", message
    )
    assert f"ValueError: no listing at {first_case.valuation_usd_bn:g}" in message
    assert len(message.strip().splitlines()) <= 6
    assert not (out / "summary.html").exists()


def test_a_second_report_waits_for_the_first(tmp_path, capsys):
    """Two runs in one clone take turns on a lock instead of deleting each other's files (flock is per open file)."""
    notebook = small_notebook(tmp_path / "01-small.ipynb", "1 + 1")
    out = tmp_path / "report"
    second = threading.Thread(target=report.main, args=(["--no-run", "--out", str(out), str(notebook)],))
    with report.locked(report.LOCK, "test"):
        second.start()
        deadline = time.monotonic() + 60
        while "Waiting" not in capsys.readouterr().out and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert second.is_alive() and not (out / "index.html").exists()
    second.join(timeout=120)
    assert not second.is_alive() and (out / "index.html").is_file()


def test_an_interrupted_report_leaves_the_notebook_as_it_was(tmp_path):
    started = tmp_path / "started"
    notebook = small_notebook(
        tmp_path / "01-slow.ipynb", f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(60)"
    )
    before = notebook.read_bytes()
    command = [sys.executable, "-m", "helpers.build.report", "--out", str(tmp_path / "report"), str(notebook)]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not started.exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.1)
    assert started.exists(), "the notebook never started"
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err  # Ctrl-C always stops, with the shell's status for it
    assert "make report interrupted (Ctrl-C)" in err and "Traceback" not in err, err
    assert notebook.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "01-x.ipynb"
    target.write_text("old", encoding="utf-8")

    def half_then_interrupt(self, text, encoding=None):
        with self.open("w", encoding=encoding) as handle:  # open() is not patched; write_text is
            handle.write(text[: len(text) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        report.write_atomic(target, "new contents, long enough to be cut in half")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["01-x.ipynb"]


@pytest.mark.xdist_group("built-report")
def test_every_page_names_the_licences_and_how_to_cite(built):
    pages = sorted(built.glob("*.html"))
    assert len(pages) >= 10
    footer = site.Footer(report.newest_report_date()).html()
    for page in pages:
        assert footer in page.read_text(encoding="utf-8"), f"{page.name} lacks the footer"
    assert "Attribution 4.0 International" in (built / "data" / "LICENSE").read_text(encoding="utf-8")
    assert (built / "data" / "CITATION.cff").read_bytes() == (report.ROOT / "CITATION.cff").read_bytes()


@pytest.mark.xdist_group("built-report")
def test_every_page_has_its_own_title_and_the_one_navigation(built):
    titles = set()
    for page in sorted(built.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text).group(1)
        assert title not in titles and title != "Notebook", page.name
        titles.add(title)
        assert site.nav_html(page.name, built) in text, page.name
    assert {item.href for item in site.nav_items(built)} <= {p.name for p in built.glob("*.html")}


@pytest.mark.xdist_group("built-report")
def test_every_chart_has_its_data_beside_it_from_the_frame_it_draws(built):
    pngs = sorted((built / "figures").glob("*.png"))
    assert pngs and all(png.with_suffix(".csv").is_file() for png in pngs)
    for path in report.notebook_paths():
        for chart in report.export_figures(nbformat.read(path, as_version=4), path.stem, built / "again"):
            assert chart.data_csv, chart.name
            assert (built / "figures" / chart.csv_name).read_bytes() == (built / "again" / chart.csv_name).read_bytes()


def test_notebook_page_opens_on_the_bottom_line_with_code_folded():
    cells = [
        new_markdown_cell("# Headline"),
        new_markdown_cell("## Assumptions"),
        new_code_cell("X = 1", metadata={"tags": ["parameters"]}),
        new_markdown_cell("## Bottom line"),
        new_code_cell("show()", metadata={"tags": ["bottom-line"]}),
        new_markdown_cell("See [post-money](../docs/glossary.md#post-money-valuation)."),
    ]
    order = [c.source for c in nbpage.reading_order(cells)]
    assert order == ["# Headline", "## Bottom line", "show()", "## Assumptions", "X = 1", order[-1]]
    body = nbpage.NotebookPage(report.clean_html, [], nbpage.file_src).body(new_notebook(cells=cells))
    assert body.index("Bottom line") < body.index("Assumptions")
    assert '<details class="code"><summary>Show the assumptions (code)</summary>' in body
    assert 'href="glossary.html#post-money-valuation"' in body and "In [" not in body


def test_page_weight_counts_what_a_page_loads_and_not_what_it_links(tmp_path):
    from helpers.build import page_weight

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"x" * 1000)
    (tmp_path / "ledger.js").write_bytes(b"y" * 300)
    (tmp_path / "big.csv").write_bytes(b"z" * 5000)
    html = '<img src="figures/a.png"><img src="figures/a.png"><script src="ledger.js"></script><a href="big.csv">x</a>'
    (tmp_path / "p.html").write_text(html, encoding="utf-8")
    own, total = page_weight.page_weight_bytes(tmp_path / "p.html")
    assert own == len(html) and total == own + 1300
    assert page_weight.weight_rows(tmp_path)[0][0] == "page p.html"
