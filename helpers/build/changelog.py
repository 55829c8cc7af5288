"""The data changelog (data/CHANGELOG.md) as a page of the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers.data.load import DATA_DIR

CHANGELOG = DATA_DIR / "CHANGELOG.md"


def render_changelog(clean: Callable[[str], str], licence: str, path: Path = CHANGELOG) -> str:
    """The data changelog as a report page (markdown rendered, then cleaned by `clean` like every other fragment),
    with the licence note every page carries."""
    import mistune

    body = clean(mistune.html(path.read_text(encoding="utf-8")))
    return CHANGELOG_TEMPLATE.format(body=body, licence=licence)


CHANGELOG_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Data changelog: OpenAI funding, valuation and compute ledger</title>
<style>
body {{ font-family: Georgia, serif; max-width: 760px; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.25rem; }} h3 {{ font-size: 1.05rem; }} a {{ color: #0a58a3; }}
code {{ font-size: .9em; }}
</style>
</head>
<body>
<p><a href="index.html">Back to the report</a></p>
{body}
<footer><p>{licence}</p></footer>
</body>
</html>
"""
