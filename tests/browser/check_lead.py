"""The front page's lead in a real browser (issue 20): at 1280x900 and at 390x844 the headline, the standfirst and
every key number sit inside the first screen, without scrolling. Screenshots go to build/screenshots/lead-*.png.

Run with `.venv/bin/python -m pytest tests/browser/check_lead.py -q` (kept out of `pytest tests/` by its name, like
check_pages.py). Uses Debian's /usr/bin/chromium through Playwright; nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.analysis import story
from helpers.build import leads, report
from helpers.data.load import ROOT
from tests.browser.check_pages import CHROMIUM, browser  # noqa: F401 (the shared headless Chromium fixture)

playwright = pytest.importorskip("playwright.sync_api")

SHOTS = ROOT / "build" / "screenshots"
SCREENS = {"desktop": (1280, 900), "phone": (390, 844)}

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium", pytrace=False)


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """The front page built from the committed notebooks."""
    folder = tmp_path_factory.mktemp("lead") / "report"
    return report.build(folder, run=False)


# the bottom edge of each part of the lead, and its text, as laid out
BOXES = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return {bottom: r.bottom, right: r.right, text: el.innerText}; };
  const lead = document.querySelector('header.lead');
  return {
    headline: box(lead.querySelector('h1')),
    standfirst: box(lead.querySelector('.standfirst')),
    numbers: [...lead.querySelectorAll('.key-numbers dt')].map(box),
    dated: box(lead.querySelector('.as-of')),
    scrollX: document.documentElement.scrollWidth,
  };
}"""


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_the_lead_is_on_the_first_screen(browser, index, screen):
    width, height = SCREENS[screen]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(index.as_uri())
    page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"lead-{screen}-{width}x{height}.png"))  # the first screen only
    found = page.evaluate(BOXES)
    page.close()
    lead = leads.front_lead(ROOT / "notebooks" / "04-valuation-scenarios.ipynb")
    assert " ".join(found["headline"]["text"].split()) == story.plain_terms(lead.headline)
    for part in ("headline", "standfirst"):
        assert found[part]["bottom"] <= height, f"{screen}: the {part} ends at {found[part]['bottom']:.0f} px"
    assert [n["text"] for n in found["numbers"]] == [number for number, _ in lead.numbers]
    for number in found["numbers"]:
        assert number["bottom"] <= height and number["right"] <= width, f"{screen}: {number['text']} is off screen"
    assert found["scrollX"] <= width, f"{screen}: the page scrolls sideways ({found['scrollX']} px)"


def test_the_check_fails_when_the_lead_is_pushed_down(browser, index, tmp_path):
    """A page whose lead sits below a tall block is caught: the check can fail."""
    pushed = tmp_path / "index.html"
    pushed.write_text(
        index.read_text(encoding="utf-8").replace(
            '<header class="lead">', '<div style="height:2000px"></div><header class="lead">'
        ),
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(pushed.as_uri())
    found = page.evaluate(BOXES)
    page.close()
    assert found["headline"]["bottom"] > 844
