"""The weight of each report page with everything it loads (images, scripts, stylesheets), for `make bench`."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

TARGET_PAGE_KB = 2048  # a page and all it loads, on a phone's connection


class _Loads(HTMLParser):
    """What a page fetches when it opens: img src, script src, stylesheet links (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("img", "script") and found.get("src"):
            self.loads.append(found["src"])
        elif tag == "link" and "stylesheet" in (found.get("rel") or "") and found.get("href"):
            self.loads.append(found["href"])


def loaded_files(page: Path) -> list[Path]:
    """The local files `page` loads, each once."""
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    files = []
    for target in dict.fromkeys(parser.loads):
        parsed = urlparse(target)
        if parsed.scheme or target.startswith("//"):
            continue  # a page that loads from the network fails the browser test; here it weighs nothing
        files.append((page.parent / unquote(parsed.path)).resolve())
    return files


def page_weight_bytes(page: Path) -> tuple[int, int]:
    """(bytes of the page, bytes of the page and everything it loads)."""
    own = page.stat().st_size
    return own, own + sum(f.stat().st_size for f in loaded_files(page) if f.is_file())


def weight_rows(report_dir: Path) -> list[list[str]]:
    """One bench row per page of the report: the page alone, and with all it loads, against the target."""
    rows = []
    for page in sorted(report_dir.glob("*.html")):
        own, total = page_weight_bytes(page)
        verdict = "met" if total <= TARGET_PAGE_KB * 1024 else "MISSED"
        rows.append(
            [
                f"page {page.name}",
                f"{total / 1024:.0f} kB",
                f"page {own / 1024:.0f} kB + {len(loaded_files(page))} files",
                "",
                f"<= {TARGET_PAGE_KB} kB: {verdict}",
            ]
        )
    return rows
